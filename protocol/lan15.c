/*
 * lan15.c - IPMI v1.5 session wrapper for pre-session messages.
 *
 * Layout: RMCP(4) | auth type | session seq (4) | session id (4) |
 *         [AuthCode (16) if auth type != none] | length | message
 */
#include "ipmierr.h"
#include "lan15.h"
#include "rmcp.h"

int
lan15_encode(const uint8_t *msg, size_t len, uint8_t *out, size_t cap)
{
	struct wire_wr w = wire_wr_make(out, cap);

	if (len > 255)
		return IPMI_E_ARG;
	rmcp_put_header(&w, RMCP_CLASS_IPMI);
	wire_put_u8(&w, LAN15_AUTH_NONE);
	wire_put_le32(&w, 0);
	wire_put_le32(&w, 0);
	wire_put_u8(&w, (uint8_t)len);
	wire_put_bytes(&w, msg, len);
	return wire_wr_ok(&w) ? (int)w.len : IPMI_E_NOSPACE;
}

int
lan15_decode(const uint8_t *pkt, size_t len, const uint8_t **msg, size_t *msg_len)
{
	struct wire_rd r = wire_rd_make(pkt, len);
	uint8_t auth, mlen;
	const uint8_t *m;
	int cls = rmcp_get_header(&r);

	if (cls < 0)
		return cls;
	if (cls != RMCP_CLASS_IPMI)
		return IPMI_E_PAYLOAD;
	auth = wire_get_u8(&r);
	if (auth == 0x06)
		return IPMI_E_PAYLOAD; /* RMCP+, not v1.5 */
	if (auth > 0x05)
		return IPMI_E_MALFORMED;
	wire_skip(&r, 8);
	if (auth != LAN15_AUTH_NONE)
		wire_skip(&r, 16);
	mlen = wire_get_u8(&r);
	m = wire_get_ref(&r, mlen);
	if (m == NULL)
		return IPMI_E_TRUNCATED;
	/* Some BMCs append a legacy pad byte; nothing else may follow. */
	if (wire_rd_left(&r) > 1)
		return IPMI_E_MALFORMED;
	*msg = m;
	*msg_len = mlen;
	return 0;
}
