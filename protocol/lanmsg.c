/*
 * lanmsg.c - IPMI messages in RMCP+ sessions.
 */
#include "ipmierr.h"
#include "lanmsg.h"

int
lanmsg_seal(struct lanplus_sess *s, const struct ipmimsg *m, const struct rng *rng, uint8_t *out,
            size_t cap, uint32_t *seq_out)
{
	uint8_t frame[IPMIMSG_MAX_LEN];
	struct wire_wr w = wire_wr_make(frame, sizeof(frame));
	int n = ipmimsg_encode(m, &w);

	if (n < 0)
		return n;
	return lanplus_seal(s, LANPLUS_PT_IPMI, frame, (size_t)n, rng, out, cap, seq_out);
}

int
lanmsg_open(struct lanplus_sess *s, const uint8_t *pkt, size_t len, uint8_t *buf, size_t cap,
            struct ipmimsg *out)
{
	uint8_t type;
	int n = lanplus_open(s, pkt, len, &type, buf, cap);

	if (n < 0)
		return n;
	if (type != LANPLUS_PT_IPMI)
		return IPMI_E_PAYLOAD;
	return ipmimsg_decode(buf, (size_t)n, out);
}
