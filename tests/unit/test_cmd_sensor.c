/*
 * test_cmd_sensor.c - Get Sensor Reading / Thresholds / Reading Factors
 * decoding and the status texts (cmd_sensor.h).  The fixture's captured
 * answers, with its SDRs (tests/bmcsim/bmc.emu), must rebuild ipmitool
 * 1.8.19's `sdr list`, `sensor` and `sdr elist` lines byte for byte.
 */
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "bmcemu.h"
#include "cmd_sdr.h"
#include "cmd_sensor.h"
#include "ipmierr.h"
#include "ipmistr.h"
#include "tutil.h"

/* ipmitool 1.8.19 against the fixture: `sdr list`, `sensor`, `sdr elist`. */
static const char *const ipmitool_sdr_list[] = {
	"CPU Temp         | 45 degrees C      | ok", "Inlet Temp       | 23.50 degrees C   | ok",
	"FAN1             | 5400 RPM          | ok", "FAN2             | 5100 RPM          | ok",
	"12V              | 11.96 Volts       | ok", "3V3              | 3.29 Volts        | ok",
	"Sys Power        | 220 Watts         | ok", "SAT Temp         | 38 degrees C      | ok",
	"PSU1 Status      | 0x01              | ok", "Intrusion        | 0x00              | ok",
	"CPU Status       | 0x80              | ok",
};

static const char *const ipmitool_sensor[] = {
	"CPU Temp         | 45.000     | degrees C  | ok    | na        | na        | na        | "
	"80.000    | 90.000    | 100.000   ",
	"Inlet Temp       | 23.500     | degrees C  | ok    | na        | na        | na        | "
	"35.000    | 40.000    | 45.000    ",
	"FAN1             | 5400.000   | RPM        | ok    | 300.000   | 600.000   | 1200.000  | "
	"na        | na        | na        ",
	"FAN2             | 5100.000   | RPM        | ok    | 300.000   | 600.000   | 1200.000  | "
	"na        | na        | na        ",
	"12V              | 11.963     | Volts      | ok    | na        | 10.640    | 11.018    | "
	"12.908    | 13.286    | na        ",
	"3V3              | 3.294      | Volts      | ok    | na        | 2.990     | 3.070     | "
	"3.502     | 3.598     | na        ",
	"Sys Power        | 220.000    | Watts      | ok    | na        | na        | na        | "
	"na        | na        | na        ",
	"SAT Temp         | 38.000     | degrees C  | ok    | na        | na        | na        | "
	"75.000    | 85.000    | 95.000    ",
	"PSU1 Status      | 0x1        | discrete   | 0x0100| na        | na        | na        | "
	"na        | na        | na        ",
	"Intrusion        | 0x0        | discrete   | 0x0000| na        | na        | na        | "
	"na        | na        | na        ",
	"CPU Status       | 0x80       | discrete   | 0x8000| na        | na        | na        | "
	"na        | na        | na        ",
};

static const char *const ipmitool_sdr_elist[] = {
	"CPU Temp         | 01h | ok  |  3.1 | 45 degrees C",
	"Inlet Temp       | 02h | ok  | 55.1 | 23.50 degrees C",
	"FAN1             | 03h | ok  | 29.1 | 5400 RPM",
	"FAN2             | 04h | ok  | 29.2 | 5100 RPM",
	"12V              | 05h | ok  |  7.1 | 11.96 Volts",
	"3V3              | 06h | ok  |  7.1 | 3.29 Volts",
	"Sys Power        | 0Ah | ok  | 21.1 | 220 Watts",
	"SAT Temp         | 01h | ok  |  7.2 | 38 degrees C",
	"PSU1 Status      | 07h | ok  | 10.1 | Presence detected",
	"Intrusion        | 08h | ok  | 23.1 | ",
	"CPU Status       | 09h | ok  |  3.1 | Presence detected",
};

/* ipmitool raw 4 0x2d N / 4 0x27 N on the fixture, in SDR order (NULL: C1h). */
static const struct {
	uint8_t owner, number;
	const char *reading, *thresholds;
} captured[] = {
	{ 0x20, 1, "2d c0 00 00", "38 00 00 00 50 5a 64" },
	{ 0x20, 2, "2f c0 00 00", "38 00 00 00 46 50 5a" },
	{ 0x20, 3, "5a c0 00 00", "07 14 0a 05 00 00 00" },
	{ 0x20, 4, "55 c0 00 00", "07 14 0a 05 00 00 00" },
	{ 0x20, 5, "c9 c0 00 00", "1b ba b4 00 d8 de 00" },
	{ 0x20, 6, "d1 c0 00 00", "1b c3 be 00 de e4 00" },
	{ 0x20, 10, "6e c0 00 00", NULL },
	{ 0x30, 1, "26 c0 00 00", "38 00 00 00 4b 55 5f" },
	{ 0x20, 7, "00 c0 01 00", NULL },
	{ 0x20, 8, "00 c0 00 00", NULL },
	{ 0x20, 9, "00 c0 80 00", NULL },
};

#define NSENSORS (sizeof(captured) / sizeof(captured[0]))

static struct bmcemu emu;

static void
sensor_at(size_t i, struct cmd_sdr_sensor *s, struct cmd_sensor_reading *r,
          struct cmd_sensor_thresholds *t, bool *has_t)
{
	struct cmd_sdr_record rec;
	uint8_t b[16];
	size_t n;

	ck_assert_int_eq(cmd_sdr_parse(emu.sdr[i].rec, emu.sdr[i].len, &rec), 0);
	ck_assert_uint_le(rec.type, CMD_SDR_COMPACT);
	*s = rec.u.sensor;
	ck_assert_uint_eq(s->owner_id, captured[i].owner);
	ck_assert_uint_eq(s->number, captured[i].number);
	n = tu_hex(captured[i].reading, b, sizeof(b));
	ck_assert_int_eq(cmd_sensor_reading_decode(b, n, r), 0);
	*has_t = captured[i].thresholds != NULL;
	if (*has_t) {
		n = tu_hex(captured[i].thresholds, b, sizeof(b));
		ck_assert_int_eq(cmd_sensor_thresholds_decode(b, n, t), 0);
	}
}

/* `sdr list`: "%-16s | " name, the value padded to 17, " | " status. */
START_TEST(sdr_list_lines)
{
	bmcemu_load(&emu);
	ck_assert_uint_eq(sizeof(ipmitool_sdr_list) / sizeof(ipmitool_sdr_list[0]), NSENSORS);
	for (size_t i = 0; i < NSENSORS; i++) {
		struct cmd_sdr_sensor s;
		struct cmd_sensor_reading r;
		struct cmd_sensor_thresholds t;
		char val[64], line[160];
		bool has_t;

		sensor_at(i, &s, &r, &t, &has_t);
		ck_assert_int_gt(cmd_sensor_list_value(&s, &r, val, sizeof(val)), 0);
		ck_assert_uint_le(strlen(val), 15);
		snprintf(line, sizeof(line), "%-16s | %-17s | %s", s.name, val,
		         cmd_sensor_list_status(&s, &r));
		ck_assert_str_eq(line, ipmitool_sdr_list[i]);
	}
}
END_TEST

/* `sensor`: "%-10.3f" values, units, status, thresholds lnr lcr lnc unc ucr unr. */
START_TEST(sensor_lines)
{
	static const uint8_t order[6] = { CMD_SENSOR_LNR, CMD_SENSOR_LC, CMD_SENSOR_LNC,
		                          CMD_SENSOR_UNC, CMD_SENSOR_UC, CMD_SENSOR_UNR };

	bmcemu_load(&emu);
	for (size_t i = 0; i < NSENSORS; i++) {
		struct cmd_sdr_sensor s;
		struct cmd_sensor_reading r;
		struct cmd_sensor_thresholds t;
		char line[256], unit[64];
		size_t pos;
		bool has_t;

		sensor_at(i, &s, &r, &t, &has_t);
		if (s.event_type == 0x01) {
			ck_assert(cmd_sdr_is_analog(&s));
			ck_assert_int_gt(cmd_sdr_units(&s, unit, sizeof(unit)), 0);
			pos = (size_t)snprintf(
			    line, sizeof(line), "%-16s | %-10.3f | %-10s | %-6s", s.name,
			    cmd_sdr_convert(&s, r.raw), unit,
			    cmd_sensor_th_status(&r, CMD_SENSOR_STYLE_SHORT, "ns"));
			for (size_t k = 0; k < 6; k++) {
				if (has_t && (t.readable & (1u << order[k])))
					pos += (size_t)snprintf(
					    line + pos, sizeof(line) - pos, "| %-10.3f",
					    cmd_sdr_convert(&s, t.raw[order[k]]));
				else
					pos += (size_t)snprintf(line + pos, sizeof(line) - pos,
					                        "| %-10s", "na");
			}
		} else {
			pos = (size_t)snprintf(
			    line, sizeof(line), "%-16s | 0x%-8x | %-10s | 0x%02x%02x", s.name,
			    r.state & 0xff, "discrete", r.state & 0xff, r.state >> 8);
			for (size_t k = 0; k < 6; k++)
				pos += (size_t)snprintf(line + pos, sizeof(line) - pos, "| %-10s",
				                        "na");
		}
		ck_assert_str_eq(line, ipmitool_sensor[i]);
	}
}
END_TEST

/* `sdr elist`: number, extended status, entity, value or state names. */
START_TEST(sdr_elist_lines)
{
	bmcemu_load(&emu);
	for (size_t i = 0; i < NSENSORS; i++) {
		struct cmd_sdr_sensor s;
		struct cmd_sensor_reading r;
		struct cmd_sensor_thresholds t;
		char line[160], val[64];
		bool has_t;

		sensor_at(i, &s, &r, &t, &has_t);
		if (cmd_sdr_is_analog(&s))
			ck_assert_int_gt(cmd_sensor_list_value(&s, &r, val, sizeof(val)), 0);
		else
			ck_assert_int_ge(ipmistr_state_names(s.sensor_type, s.event_type, r.state,
			                                     ", ", val, sizeof(val)),
			                 0);
		snprintf(
		    line, sizeof(line), "%-16s | %02Xh | %-3s | %2d.%1d | %s", s.name, s.number,
		    s.event_type == 0x01 ? cmd_sensor_th_status(&r, CMD_SENSOR_STYLE_EXTENDED, "ns")
		                         : (r.valid ? "ok" : "ns"),
		    s.entity_id, s.entity_instance, val);
		ck_assert_str_eq(line, ipmitool_sdr_elist[i]);
	}
}
END_TEST

START_TEST(reading_bits)
{
	uint8_t b[5] = { 0x2d, 0xc0, 0x00, 0x00, 0x00 };
	struct cmd_sensor_reading r, keep;

	ck_assert_int_eq(cmd_sensor_reading_decode(b, 2, &r), 0);
	ck_assert_uint_eq(r.raw, 0x2d);
	ck_assert(r.events_enabled && r.scanning_enabled && !r.unavailable && r.valid);
	ck_assert_uint_eq(r.nstate, 0);
	ck_assert_uint_eq(r.state, 0);
	b[1] = 0x40;
	ck_assert_int_eq(cmd_sensor_reading_decode(b, 3, &r), 0);
	ck_assert(!r.events_enabled && r.valid);
	ck_assert_uint_eq(r.nstate, 1);
	b[1] = 0x60; /* unavailable */
	ck_assert_int_eq(cmd_sensor_reading_decode(b, 3, &r), 0);
	ck_assert(r.unavailable && !r.valid);
	ck_assert_str_eq(cmd_sensor_th_status(&r, CMD_SENSOR_STYLE_SHORT, "ns"), "ns");
	b[1] = 0x80; /* scanning disabled */
	ck_assert_int_eq(cmd_sensor_reading_decode(b, 4, &r), 0);
	ck_assert(!r.scanning_enabled && !r.valid);
	ck_assert_str_eq(cmd_sensor_th_status(&r, CMD_SENSOR_STYLE_VERBOSE, "Not Available"),
	                 "Not Available");
	ck_assert_str_eq(cmd_sensor_th_status(NULL, CMD_SENSOR_STYLE_SHORT, "ns"), "ns");
	/* State bytes: bit 15 reserved. */
	b[1] = 0xc0;
	b[2] = 0xa5;
	b[3] = 0xff;
	ck_assert_int_eq(cmd_sensor_reading_decode(b, 4, &r), 0);
	ck_assert_uint_eq(r.nstate, 2);
	ck_assert_uint_eq(r.status, 0xa5);
	ck_assert_uint_eq(r.state, 0x7fa5);
	memset(&keep, 0x11, sizeof(keep));
	r = keep;
	ck_assert_int_eq(cmd_sensor_reading_decode(b, 1, &r), IPMI_E_TRUNCATED);
	ck_assert_int_eq(cmd_sensor_reading_decode(b, 0, &r), IPMI_E_TRUNCATED);
	ck_assert_int_eq(cmd_sensor_reading_decode(b, 5, &r), IPMI_E_MALFORMED);
	ck_assert_mem_eq(&r, &keep, sizeof(r));
}
END_TEST

START_TEST(threshold_status)
{
	static const struct {
		uint8_t status;
		const char *brief, *ext, *verbose;
	} t[] = {
		{ 0x00, "ok", "ok", "ok" },
		{ 0x01, "nc", "lnc", "Lower Non-Critical" },
		{ 0x08, "nc", "unc", "Upper Non-Critical" },
		{ 0x02, "cr", "lcr", "Lower Critical" },
		{ 0x03, "cr", "lcr", "Lower Critical" },
		{ 0x10, "cr", "ucr", "Upper Critical" },
		{ 0x18, "cr", "ucr", "Upper Critical" },
		{ 0x04, "nr", "lnr", "Lower Non-Recoverable" },
		{ 0x20, "nr", "unr", "Upper Non-Recoverable" },
		{ 0x38, "nr", "unr", "Upper Non-Recoverable" },
		{ 0x24, "nr", "lnr", "Lower Non-Recoverable" }, /* lower first */
		{ 0x12, "cr", "lcr", "Lower Critical" },
		{ 0xc0, "ok", "ok", "ok" }, /* reserved bits */
	};
	struct cmd_sensor_reading r = { .valid = true, .scanning_enabled = true };

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r.status = t[i].status;
		ck_assert_str_eq(cmd_sensor_th_status(&r, CMD_SENSOR_STYLE_SHORT, "ns"),
		                 t[i].brief);
		ck_assert_str_eq(cmd_sensor_th_status(&r, CMD_SENSOR_STYLE_EXTENDED, "ns"),
		                 t[i].ext);
		ck_assert_str_eq(cmd_sensor_th_status(&r, CMD_SENSOR_STYLE_VERBOSE, "x"),
		                 t[i].verbose);
	}
	ck_assert_str_eq(cmd_sensor_th_name(CMD_SENSOR_LNC), "lnc");
	ck_assert_str_eq(cmd_sensor_th_name(CMD_SENSOR_LC), "lcr");
	ck_assert_str_eq(cmd_sensor_th_name(CMD_SENSOR_LNR), "lnr");
	ck_assert_str_eq(cmd_sensor_th_name(CMD_SENSOR_UNC), "unc");
	ck_assert_str_eq(cmd_sensor_th_name(CMD_SENSOR_UC), "ucr");
	ck_assert_str_eq(cmd_sensor_th_name(CMD_SENSOR_UNR), "unr");
	ck_assert_ptr_null(cmd_sensor_th_name(CMD_SENSOR_NTH));
}
END_TEST

START_TEST(thresholds_decode)
{
	uint8_t b[8];
	size_t n = tu_hex("1b ba b4 00 d8 de 00", b, sizeof(b));
	struct cmd_sensor_thresholds t, keep;

	ck_assert_int_eq(cmd_sensor_thresholds_decode(b, n, &t), 0);
	ck_assert_uint_eq(t.readable, 0x1b);
	ck_assert_uint_eq(t.raw[CMD_SENSOR_LNC], 186);
	ck_assert_uint_eq(t.raw[CMD_SENSOR_LC], 180);
	ck_assert_uint_eq(t.raw[CMD_SENSOR_LNR], 0);
	ck_assert_uint_eq(t.raw[CMD_SENSOR_UNC], 216);
	ck_assert_uint_eq(t.raw[CMD_SENSOR_UC], 222);
	ck_assert_uint_eq(t.raw[CMD_SENSOR_UNR], 0);
	b[0] = 0xff;
	ck_assert_int_eq(cmd_sensor_thresholds_decode(b, n, &t), 0);
	ck_assert_uint_eq(t.readable, 0x3f);
	memset(&keep, 0x66, sizeof(keep));
	for (size_t k = 0; k < n; k++) {
		t = keep;
		ck_assert_int_eq(cmd_sensor_thresholds_decode(b, k, &t), IPMI_E_TRUNCATED);
		ck_assert_mem_eq(&t, &keep, sizeof(t));
	}
	ck_assert_int_eq(cmd_sensor_thresholds_decode(b, n + 1, &t), IPMI_E_MALFORMED);
}
END_TEST

START_TEST(requests_and_factors)
{
	struct cmd_sdr_record rec;
	struct cmd_sdr_sensor s;
	uint8_t out[2], b[8];
	size_t n;

	ck_assert_int_eq(cmd_sensor_number_req(0x42, out), 1);
	ck_assert_uint_eq(out[0], 0x42);
	ck_assert_int_eq(cmd_sensor_factors_req(5, 201, out), 2);
	ck_assert_mem_eq(out, "\x05\xc9", 2);

	bmcemu_load(&emu);
	ck_assert_int_eq(cmd_sdr_parse(emu.sdr[4].rec, emu.sdr[4].len, &rec), 0);
	s = rec.u.sensor;
	ck_assert_str_eq(s.name, "12V");
	/* Factors M=10 B=-1 Bexp=0 Rexp=-1 replace the SDR's. */
	n = tu_hex("ca 0a 00 ff c0 00 f0", b, sizeof(b));
	ck_assert_int_eq(cmd_sensor_factors_apply(b, n, &s), 0);
	ck_assert_int_eq(s.m, 10);
	ck_assert_int_eq(s.b, -1);
	ck_assert_int_eq(s.r_exp, -1);
	ck_assert_int_eq(s.b_exp, 0);
	ck_assert_double_eq_tol(cmd_sdr_convert(&s, 201), 200.9, 1e-9);
	ck_assert_int_eq(cmd_sensor_factors_apply(b, n - 1, &s), IPMI_E_TRUNCATED);
	ck_assert_int_eq(cmd_sensor_factors_apply(b, n + 1, &s), IPMI_E_MALFORMED);
	ck_assert_int_eq(s.m, 10);
}
END_TEST

START_TEST(list_texts)
{
	struct cmd_sdr_record rec;
	struct cmd_sdr_sensor full, compact;
	struct cmd_sensor_reading r = { 0 };
	char buf[32];

	bmcemu_load(&emu);
	ck_assert_int_eq(cmd_sdr_parse(emu.sdr[0].rec, emu.sdr[0].len, &rec), 0);
	full = rec.u.sensor;
	ck_assert_int_eq(cmd_sdr_parse(emu.sdr[8].rec, emu.sdr[8].len, &rec), 0);
	compact = rec.u.sensor;

	/* Unreadable: "no reading"/"disabled" for full, "Not Readable" for compact. */
	r.scanning_enabled = true;
	r.unavailable = true;
	ck_assert_int_gt(cmd_sensor_list_value(&full, &r, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "no reading");
	ck_assert_str_eq(cmd_sensor_list_status(&full, &r), "ns");
	ck_assert_int_gt(cmd_sensor_list_value(&compact, &r, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Not Readable");
	ck_assert_str_eq(cmd_sensor_list_status(&compact, &r), "ns");
	r.scanning_enabled = false;
	r.unavailable = false;
	ck_assert_int_gt(cmd_sensor_list_value(&full, &r, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "disabled");
	ck_assert_int_gt(cmd_sensor_list_value(&full, NULL, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "no reading");
	ck_assert_int_gt(cmd_sensor_list_value(&compact, NULL, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Not Readable");
	ck_assert_str_eq(cmd_sensor_list_status(&compact, NULL), "ns");
	/* Critical reading on a threshold sensor. */
	r.scanning_enabled = true;
	r.valid = true;
	r.raw = 95;
	r.status = 0x18;
	ck_assert_int_gt(cmd_sensor_list_value(&full, &r, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "95 degrees C");
	ck_assert_str_eq(cmd_sensor_list_status(&full, &r), "cr");
	ck_assert_int_eq(cmd_sensor_list_value(&full, &r, buf, 5), IPMI_E_NOSPACE);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cmd_sensor");
	TCase *tc = tu_tcase(s, "ipmitool");

	tcase_add_test(tc, sdr_list_lines);
	tcase_add_test(tc, sensor_lines);
	tcase_add_test(tc, sdr_elist_lines);
	tc = tu_tcase(s, "decode");
	tcase_add_test(tc, reading_bits);
	tcase_add_test(tc, threshold_status);
	tcase_add_test(tc, thresholds_decode);
	tcase_add_test(tc, requests_and_factors);
	tcase_add_test(tc, list_texts);
	return tu_run(s);
}
