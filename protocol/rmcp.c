/*
 * rmcp.c - RMCP header and ASF presence ping/pong codec.
 */
#include "ipmierr.h"
#include "rmcp.h"

void
rmcp_put_header(struct wire_wr *w, uint8_t msg_class)
{
	wire_put_u8(w, RMCP_VERSION);
	wire_put_u8(w, 0);
	wire_put_u8(w, RMCP_SEQ_NOACK);
	wire_put_u8(w, msg_class);
}

int
rmcp_get_header(struct wire_rd *r)
{
	uint8_t ver = wire_get_u8(r);
	uint8_t cls;

	wire_skip(r, 2);
	cls = wire_get_u8(r);
	if (!wire_rd_ok(r))
		return IPMI_E_TRUNCATED;
	if (ver != RMCP_VERSION || (cls & 0x80) != 0)
		return IPMI_E_MALFORMED;
	return cls & 0x1f;
}

int
rmcp_class(const uint8_t *pkt, size_t len)
{
	struct wire_rd r = wire_rd_make(pkt, len);
	return rmcp_get_header(&r);
}

static int
asf_encode(uint8_t type, uint8_t tag, uint8_t *out, size_t cap)
{
	struct wire_wr w = wire_wr_make(out, cap);
	uint8_t body[16] = { 0 };

	rmcp_put_header(&w, RMCP_CLASS_ASF);
	wire_put_u8(&w, 0); /* IANA 4542, big-endian */
	wire_put_u8(&w, 0);
	wire_put_be16(&w, ASF_IANA);
	wire_put_u8(&w, type);
	wire_put_u8(&w, tag);
	wire_put_u8(&w, 0);
	if (type == ASF_TYPE_PONG) {
		body[2] = ASF_IANA >> 8; /* IANA again, then OEM 0 */
		body[3] = ASF_IANA & 0xff;
		body[8] = ASF_PONG_IPMI_BIT; /* supported entities: IPMI */
		wire_put_u8(&w, sizeof(body));
		wire_put_bytes(&w, body, sizeof(body));
	} else {
		wire_put_u8(&w, 0);
	}
	return wire_wr_ok(&w) ? (int)w.len : IPMI_E_NOSPACE;
}

int
asf_encode_ping(uint8_t tag, uint8_t *out, size_t cap)
{
	return asf_encode(ASF_TYPE_PING, tag, out, cap);
}

int
asf_encode_pong(uint8_t tag, uint8_t *out, size_t cap)
{
	return asf_encode(ASF_TYPE_PONG, tag, out, cap);
}

int
asf_decode(const uint8_t *pkt, size_t len, struct asf_msg *out)
{
	struct wire_rd r = wire_rd_make(pkt, len);
	struct wire_rd body;
	uint32_t iana;
	uint8_t type, tag, dlen, entities = 0;
	int cls = rmcp_get_header(&r);

	if (cls < 0)
		return cls;
	if (cls != RMCP_CLASS_ASF)
		return IPMI_E_PAYLOAD;
	iana = wire_get_be32(&r);
	type = wire_get_u8(&r);
	tag = wire_get_u8(&r);
	wire_skip(&r, 1);
	dlen = wire_get_u8(&r);
	body = wire_get_sub(&r, dlen);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (iana != ASF_IANA || (type != ASF_TYPE_PING && type != ASF_TYPE_PONG))
		return IPMI_E_MALFORMED;
	if (type == ASF_TYPE_PONG) {
		wire_skip(&body, 8);
		entities = wire_get_u8(&body);
		if (!wire_rd_ok(&body))
			return IPMI_E_TRUNCATED;
	}
	out->type = type;
	out->tag = tag;
	out->ipmi_supported = (entities & ASF_PONG_IPMI_BIT) != 0;
	return 0;
}
