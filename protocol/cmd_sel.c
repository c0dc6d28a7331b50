/*
 * cmd_sel.c - SEL requests/responses, record decoding and ipmitool's
 * `sel list` / `sel elist` texts.
 */
#include <stdio.h>
#include <string.h>

#include "cmd_sdr.h"
#include "cmd_sel.h"
#include "ipmierr.h"
#include "ipmistr.h"
#include "wire.h"

int
cmd_sel_info_decode(const uint8_t *data, size_t len, struct cmd_sel_info *out)
{
	struct wire_rd r = wire_rd_make(data, len);
	struct cmd_sel_info i = { 0 };
	uint8_t ops;

	i.version = wire_get_u8(&r);
	i.entries = wire_get_le16(&r);
	i.free_space = wire_get_le16(&r);
	i.last_add = wire_get_le32(&r);
	i.last_erase = wire_get_le32(&r);
	ops = wire_get_u8(&r);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	i.overflow = ops & 0x80;
	i.delete_supported = ops & 0x08;
	i.partial_add_supported = ops & 0x04;
	i.reserve_supported = ops & 0x02;
	i.alloc_info_supported = ops & 0x01;
	*out = i;
	return 0;
}

int
cmd_sel_reserve_decode(const uint8_t *data, size_t len, uint16_t *reservation)
{
	/* The same two-byte reservation id as Reserve SDR Repository. */
	return cmd_sdr_reserve_decode(data, len, reservation);
}

int
cmd_sel_get_req(uint16_t reservation, uint16_t record_id, uint8_t out[6])
{
	struct wire_wr w = wire_wr_make(out, 6);

	wire_put_le16(&w, reservation);
	wire_put_le16(&w, record_id);
	wire_put_u8(&w, 0x00); /* offset */
	wire_put_u8(&w, 0xff); /* read the entire record */
	return (int)w.len;
}

int
cmd_sel_record_decode(const uint8_t *rec, size_t len, struct cmd_sel_record *out)
{
	struct wire_rd r = wire_rd_make(rec, len);
	struct cmd_sel_record x;
	uint8_t b;

	memset(&x, 0, sizeof(x));
	if (len >= CMD_SEL_REC_LEN)
		memcpy(x.raw, rec, CMD_SEL_REC_LEN);
	x.id = wire_get_le16(&r);
	x.type = wire_get_u8(&r);
	if (x.type < 0xc0) {
		x.kind = CMD_SEL_SYSTEM;
		x.timestamp = wire_get_le32(&r);
		x.generator = wire_get_le16(&r);
		x.evm_rev = wire_get_u8(&r);
		x.sensor_type = wire_get_u8(&r);
		x.sensor_number = wire_get_u8(&r);
		b = wire_get_u8(&r);
		x.event_type = b & 0x7f;
		x.deassertion = b & 0x80;
		wire_get_bytes(&r, x.data, sizeof(x.data));
	} else if (x.type < 0xe0) {
		x.kind = CMD_SEL_OEM_TS;
		x.timestamp = wire_get_le32(&r);
		x.manufacturer = wire_get_le24(&r);
		x.oem_len = 6;
		wire_get_bytes(&r, x.oem, x.oem_len);
	} else {
		x.kind = CMD_SEL_OEM_NOTS;
		x.oem_len = 13;
		wire_get_bytes(&r, x.oem, x.oem_len);
	}
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	*out = x;
	return 0;
}

int
cmd_sel_get_decode(const uint8_t *data, size_t len, uint16_t *next_id, struct cmd_sel_record *out)
{
	struct wire_rd r = wire_rd_make(data, len);
	uint16_t next = wire_get_le16(&r);
	struct cmd_sel_record x;
	const uint8_t *rec;
	size_t n;
	int rc;

	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	rec = wire_get_rest(&r, &n);
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	rc = cmd_sel_record_decode(rec, n, &x);
	if (rc < 0)
		return rc;
	*next_id = next;
	*out = x;
	return 0;
}

int
cmd_sel_clear_req(uint16_t reservation, uint8_t action, uint8_t out[6])
{
	struct wire_wr w = wire_wr_make(out, 6);

	if (action != CMD_SEL_CLEAR_INITIATE && action != CMD_SEL_CLEAR_GET_STATUS)
		return IPMI_E_ARG;
	wire_put_le16(&w, reservation);
	wire_put_bytes(&w, "CLR", 3);
	wire_put_u8(&w, action);
	return (int)w.len;
}

int
cmd_sel_clear_decode(const uint8_t *data, size_t len, bool *done)
{
	struct wire_rd r = wire_rd_make(data, len);
	uint8_t b = wire_get_u8(&r);

	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	*done = (b & 0x0f) == 0x01;
	return 0;
}

bool
cmd_sel_ts_preinit(uint32_t ts)
{
	return ts < CMD_SEL_TS_PREINIT;
}

const char *
cmd_sel_desc(const struct cmd_sel_record *r)
{
	if (r->kind != CMD_SEL_SYSTEM)
		return NULL;
	return ipmistr_event_desc(r->sensor_type, r->event_type, r->data[0], r->data[1]);
}

const char *
cmd_sel_direction(const struct cmd_sel_record *r)
{
	return r->deassertion ? "Deasserted" : "Asserted";
}

static int
fmt_result(int n, size_t cap)
{
	if (n < 0)
		return IPMI_E_ARG;
	return (size_t)n < cap ? n : IPMI_E_NOSPACE;
}

int
cmd_sel_sensor_text(const struct cmd_sel_record *r, char *buf, size_t cap)
{
	const char *type = ipmistr_sensor_type(r->sensor_type);

	if (r->sensor_number != 0)
		return fmt_result(snprintf(buf, cap, "%s #0x%02x", type, r->sensor_number), cap);
	return fmt_result(snprintf(buf, cap, "%s", type), cap);
}

int
cmd_sel_oem_text(const struct cmd_sel_record *r, char *buf, size_t cap)
{
	char hex[2 * sizeof(r->oem) + 1];
	size_t n = r->oem_len <= sizeof(r->oem) ? r->oem_len : sizeof(r->oem);

	if (r->kind == CMD_SEL_SYSTEM) {
		if (cap > 0)
			buf[0] = '\0';
		return IPMI_E_ARG;
	}
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", r->oem[i]);
	hex[2 * n] = '\0';
	if (r->kind == CMD_SEL_OEM_NOTS)
		return fmt_result(snprintf(buf, cap, "OEM record %02x | %s", r->type, hex), cap);
	return fmt_result(snprintf(buf, cap, "OEM record %02x | %02x%02x%02x | %s", r->type,
	                           (unsigned)(r->manufacturer >> 16) & 0xff,
	                           (unsigned)(r->manufacturer >> 8) & 0xff,
	                           (unsigned)r->manufacturer & 0xff, hex),
	                  cap);
}

int
cmd_sel_threshold_text(const struct cmd_sel_record *r, const struct cmd_sdr_sensor *s, char *buf,
                       size_t cap)
{
	/* ipmitool keeps these in floats before printing them. */
	float reading = 0.0f, threshold = 0.0f;
	char unit[48];
	int n;

	if (cap > 0)
		buf[0] = '\0';
	if (r->kind != CMD_SEL_SYSTEM || r->event_type != 0x01)
		return 0;
	if (((r->data[0] >> 6) & 3) == 1)
		reading = (float)cmd_sdr_convert(s, r->data[1]);
	if (((r->data[0] >> 4) & 3) != 1)
		return fmt_result(snprintf(buf, cap, "Reading %.*f",
		                           ipmistr_is_integral(reading) ? 0 : 2, (double)reading),
		                  cap);
	threshold = (float)cmd_sdr_convert(s, r->data[2]);
	if (cmd_sdr_units(s, unit, sizeof(unit)) < 0)
		return IPMI_E_NOSPACE;
	n = snprintf(buf, cap, "Reading %.*f %s Threshold %.*f %s",
	             ipmistr_is_integral(reading) ? 0 : 2, (double)reading,
	             reading > threshold ? ">" : "<", ipmistr_is_integral(threshold) ? 0 : 2,
	             (double)threshold, unit);
	return fmt_result(n, cap);
}
