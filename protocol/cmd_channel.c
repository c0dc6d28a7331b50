/*
 * cmd_channel.c - channel authentication capabilities and cipher suite list.
 */
#include "cmd_channel.h"
#include "ipmierr.h"
#include "wire.h"

int
cmd_channel_authcaps_req(uint8_t priv, uint8_t out[2])
{
	if (priv > 5)
		return IPMI_E_ARG;
	out[0] = 0x80 | CMD_CHANNEL_CURRENT; /* ask for IPMI v2.0 extended data */
	out[1] = priv;
	return 2;
}

int
cmd_channel_authcaps_decode(const uint8_t *data, size_t len, struct cmd_channel_authcaps *out)
{
	struct wire_rd r = wire_rd_make(data, len);
	struct cmd_channel_authcaps c;
	uint8_t b, ext;

	c.channel = wire_get_u8(&r);
	b = wire_get_u8(&r);
	c.auth_types = b & 0x3f;
	ext = b & 0x80;
	b = wire_get_u8(&r);
	c.kg_set = b & 0x20;
	c.per_msg_auth_off = b & 0x10;
	c.user_level_auth_off = b & 0x08;
	c.non_null_users = b & 0x04;
	c.null_users = b & 0x02;
	c.anonymous = b & 0x01;
	b = wire_get_u8(&r);
	c.ipmi20 = ext && (b & 0x02);
	c.oem_id = wire_get_le24(&r);
	wire_skip(&r, 1);
	if (!wire_rd_done(&r))
		return wire_rd_ok(&r) ? IPMI_E_MALFORMED : IPMI_E_TRUNCATED;
	*out = c;
	return 0;
}

int
cmd_channel_ciphers_req(uint8_t idx, uint8_t out[3])
{
	if (idx > 0x3f)
		return IPMI_E_ARG;
	out[0] = CMD_CHANNEL_CURRENT;
	out[1] = 0x00;       /* payload type IPMI */
	out[2] = 0x80 | idx; /* list algorithms by cipher suite */
	return 3;
}

int
cmd_channel_ciphers_chunk(const uint8_t *data, size_t len, uint8_t *buf, size_t cap, size_t *used)
{
	struct wire_rd r = wire_rd_make(data, len);
	const uint8_t *recs;
	size_t n;

	wire_skip(&r, 1); /* channel */
	recs = wire_get_rest(&r, &n);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (n > 16)
		return IPMI_E_MALFORMED;
	if (n > cap - *used)
		return IPMI_E_NOSPACE;
	for (size_t i = 0; i < n; i++)
		buf[*used + i] = recs[i];
	*used += n;
	return (int)n;
}

int
cmd_channel_ciphers_parse(const uint8_t *buf, size_t len, uint8_t *ids, size_t max)
{
	struct wire_rd r = wire_rd_make(buf, len);
	size_t count = 0;

	while (wire_rd_left(&r) > 0) {
		uint8_t start = wire_get_u8(&r), id;

		if (start == 0xc0) {
			id = wire_get_u8(&r);
		} else if (start == 0xc1) {
			id = wire_get_u8(&r);
			wire_skip(&r, 3); /* OEM IANA */
		} else {
			return IPMI_E_MALFORMED;
		}
		/* algorithm tags follow: auth 00xxxxxx, integ 01xxxxxx, conf 10xxxxxx */
		while (wire_peek_u8(&r) >= 0 && (wire_peek_u8(&r) & 0xc0) != 0xc0)
			wire_skip(&r, 1);
		if (!wire_rd_ok(&r))
			return IPMI_E_TRUNCATED;
		if (count < max)
			ids[count] = id;
		count++;
	}
	return (int)(count < max ? count : max);
}
