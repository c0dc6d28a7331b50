/*
 * seqwin.h - inbound session sequence numbers: a 32-wide sliding window.
 *
 * Accepts each sequence number once: anything newer than the highest seen,
 * or one of the 31 below it not seen yet.  Zero is never valid.  Checking
 * and committing are separate so that a number is recorded only after the
 * packet's integrity has been verified.
 */
#ifndef IPMIPOOL_SEQWIN_H
#define IPMIPOOL_SEQWIN_H

#include <stdint.h>

#define SEQWIN_SIZE 32

struct seqwin {
	uint32_t top;  /* highest accepted; 0 = none yet */
	uint32_t seen; /* bit i: top - i accepted */
};

static inline void
seqwin_init(struct seqwin *w)
{
	w->top = 0;
	w->seen = 0;
}

/* 0 if seq would be accepted, IPMI_E_REPLAY or IPMI_E_SEQ_OLD if not. */
int seqwin_check(const struct seqwin *w, uint32_t seq);
/* Records seq, which must have passed seqwin_check(). */
void seqwin_commit(struct seqwin *w, uint32_t seq);

/* Outbound: the number after cur, skipping 0 on wrap. */
static inline uint32_t
seqwin_next_out(uint32_t cur)
{
	return cur == UINT32_MAX ? 1 : cur + 1;
}

#endif
