/*
 * seqwin.c - replay window for inbound session sequence numbers.
 */
#include "ipmierr.h"
#include "seqwin.h"

int
seqwin_check(const struct seqwin *w, uint32_t seq)
{
	uint32_t behind;

	if (seq == 0)
		return IPMI_E_SEQ_OLD;
	if (w->top == 0)
		return 0;
	/* Forward distance in 32-bit wrap arithmetic: newer if in (0, 2^31). */
	if (seq - w->top - 1 < 0x7fffffffu)
		return 0;
	behind = w->top - seq;
	if (behind >= SEQWIN_SIZE)
		return IPMI_E_SEQ_OLD;
	return (w->seen >> behind) & 1 ? IPMI_E_REPLAY : 0;
}

void
seqwin_commit(struct seqwin *w, uint32_t seq)
{
	uint32_t ahead;

	if (w->top == 0) {
		w->top = seq;
		w->seen = 1;
		return;
	}
	ahead = seq - w->top;
	if (ahead != 0 && ahead < 0x80000000u) {
		w->seen = ahead >= SEQWIN_SIZE ? 0 : w->seen << ahead;
		w->seen |= 1;
		w->top = seq;
	} else {
		w->seen |= 1u << (w->top - seq);
	}
}
