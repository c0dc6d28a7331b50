/*
 * cmd_sensor.c - Get Sensor Reading / Thresholds / Reading Factors and
 * ipmitool's status and `sdr list` texts.
 */
#include <stdio.h>
#include <string.h>

#include "cmd_sdr.h"
#include "cmd_sensor.h"
#include "ipmierr.h"
#include "ipmistr.h"
#include "wire.h"

const char *
cmd_sensor_th_name(unsigned th)
{
	static const char *const names[CMD_SENSOR_NTH] = {
		"lnc", "lcr", "lnr", "unc", "ucr", "unr"
	};

	return th < CMD_SENSOR_NTH ? names[th] : NULL;
}

int
cmd_sensor_number_req(uint8_t number, uint8_t out[1])
{
	out[0] = number;
	return 1;
}

int
cmd_sensor_reading_decode(const uint8_t *data, size_t len, struct cmd_sensor_reading *out)
{
	struct wire_rd r = wire_rd_make(data, len);
	struct cmd_sensor_reading s = { 0 };
	uint8_t b;

	s.raw = wire_get_u8(&r);
	b = wire_get_u8(&r);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	s.events_enabled = b & 0x80;
	s.scanning_enabled = b & 0x40;
	s.unavailable = b & 0x20;
	s.valid = s.scanning_enabled && !s.unavailable;
	if (wire_rd_left(&r) > 0) {
		s.status = wire_get_u8(&r);
		s.state = s.status;
		s.nstate = 1;
	}
	if (wire_rd_left(&r) > 0) {
		s.state |= (uint16_t)((wire_get_u8(&r) & 0x7f) << 8);
		s.nstate = 2;
	}
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	*out = s;
	return 0;
}

const char *
cmd_sensor_th_status(const struct cmd_sensor_reading *r, enum cmd_sensor_style style,
                     const char *invalid)
{
	/* ipmitool's order: most severe first, lower before upper. */
	static const struct {
		uint8_t th;
		const char *brief, *ext, *verbose;
	} order[] = {
		{ CMD_SENSOR_LNR, "nr", "lnr", "Lower Non-Recoverable" },
		{ CMD_SENSOR_UNR, "nr", "unr", "Upper Non-Recoverable" },
		{ CMD_SENSOR_LC, "cr", "lcr", "Lower Critical" },
		{ CMD_SENSOR_UC, "cr", "ucr", "Upper Critical" },
		{ CMD_SENSOR_LNC, "nc", "lnc", "Lower Non-Critical" },
		{ CMD_SENSOR_UNC, "nc", "unc", "Upper Non-Critical" },
	};

	if (r == NULL || !r->valid)
		return invalid;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if ((r->status & (1u << order[i].th)) == 0)
			continue;
		switch (style) {
		case CMD_SENSOR_STYLE_EXTENDED:
			return order[i].ext;
		case CMD_SENSOR_STYLE_VERBOSE:
			return order[i].verbose;
		default:
			return order[i].brief;
		}
	}
	return "ok";
}

int
cmd_sensor_thresholds_decode(const uint8_t *data, size_t len, struct cmd_sensor_thresholds *out)
{
	struct wire_rd r = wire_rd_make(data, len);
	struct cmd_sensor_thresholds t;

	t.readable = wire_get_u8(&r) & 0x3f;
	wire_get_bytes(&r, t.raw, sizeof(t.raw)); /* lnc lc lnr unc uc unr */
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	*out = t;
	return 0;
}

int
cmd_sensor_factors_req(uint8_t number, uint8_t raw, uint8_t out[2])
{
	out[0] = number;
	out[1] = raw;
	return 2;
}

int
cmd_sensor_factors_apply(const uint8_t *data, size_t len, struct cmd_sdr_sensor *s)
{
	struct wire_rd r = wire_rd_make(data, len);
	uint8_t f[6];

	wire_skip(&r, 1); /* next reading for which the factors change */
	wire_get_bytes(&r, f, sizeof(f));
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	cmd_sdr_set_factors(s, f);
	return 0;
}

int
cmd_sensor_list_value(const struct cmd_sdr_sensor *s, const struct cmd_sensor_reading *r, char *buf,
                      size_t cap)
{
	bool full = s->record_type == CMD_SDR_FULL;
	const char *text;
	int n;

	if (r != NULL && r->valid) {
		if (cmd_sdr_is_analog(s)) {
			char num[48], unit[48];

			if (cmd_sdr_format(s, r->raw, 2, num, sizeof(num)) < 0 ||
			    cmd_sdr_units(s, unit, sizeof(unit)) < 0)
				return IPMI_E_NOSPACE;
			n = snprintf(buf, cap, "%s %s", num, unit);
		} else {
			n = snprintf(buf, cap, "0x%02x", (unsigned)(r->state & 0xff));
		}
		if (n < 0)
			return IPMI_E_ARG;
		return (size_t)n < cap ? n : IPMI_E_NOSPACE;
	}
	if (r != NULL && !r->scanning_enabled)
		text = full ? "disabled" : "Not Readable";
	else
		text = full ? "no reading" : "Not Readable";
	n = snprintf(buf, cap, "%s", text);
	if (n < 0)
		return IPMI_E_ARG;
	return (size_t)n < cap ? n : IPMI_E_NOSPACE;
}

const char *
cmd_sensor_list_status(const struct cmd_sdr_sensor *s, const struct cmd_sensor_reading *r)
{
	if (s->event_type == 0x01)
		return cmd_sensor_th_status(r, CMD_SENSOR_STYLE_SHORT, "ns");
	return r != NULL && r->valid ? "ok" : "ns";
}
