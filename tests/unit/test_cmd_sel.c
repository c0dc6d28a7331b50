/*
 * test_cmd_sel.c - SEL messages and records (cmd_sel.h): Get SEL Entry
 * answers captured from the bmcsim fixture (seeded from sel-seed.emu) must
 * rebuild ipmitool 1.8.19's `sel list` and `sel elist` lines byte for
 * byte; hand-made records for the other types; every length rejected.
 */
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "bmcemu.h"
#include "cmd_sdr.h"
#include "cmd_sel.h"
#include "ipmierr.h"
#include "ipmistr.h"
#include "tutil.h"

/* ipmitool 1.8.19 `sel list` and `sel elist` on the fixture (fresh SEL). */
static const char *const ipmitool_sel_list[] = {
	"   1 |  Pre-Init  |0000001668| Temperature #0x01 | Upper Critical going high | Asserted",
	"   2 |  Pre-Init  |0000001668| Temperature #0x01 | Upper Critical going high | Deasserted",
	"   3 |  Pre-Init  |0000001668| Fan #0x03 | Lower Critical going low  | Asserted",
	"   4 |  Pre-Init  |0000001668| Power Supply #0x07 | Power Supply AC lost | Asserted",
	"   5 |  Pre-Init  |0000001668| Physical Security #0x08 | General Chassis intrusion | "
	"Asserted",
	"   6 |  Pre-Init  |0000001668| Physical Security #0x08 | General Chassis intrusion | "
	"Deasserted",
	"   7 | OEM record e0 | 424d4353494d2d4f454d2d3031",
};

static const char *const ipmitool_sel_elist[] = {
	"   1 |  Pre-Init  |0000001668| Temperature CPU Temp | Upper Critical going high | "
	"Asserted | Reading 91 > Threshold 90 degrees C",
	"   2 |  Pre-Init  |0000001668| Temperature CPU Temp | Upper Critical going high | "
	"Deasserted | Reading 80 < Threshold 90 degrees C",
	"   3 |  Pre-Init  |0000001668| Fan FAN1 | Lower Critical going low  | Asserted | Reading "
	"480 < Threshold 600 RPM",
	"   4 |  Pre-Init  |0000001668| Power Supply PSU1 Status | Power Supply AC lost | Asserted",
	"   5 |  Pre-Init  |0000001668| Physical Security Intrusion | General Chassis intrusion | "
	"Asserted",
	"   6 |  Pre-Init  |0000001668| Physical Security Intrusion | General Chassis intrusion | "
	"Deasserted",
	"   7 | OEM record e0 | 424d4353494d2d4f454d2d3031",
};

/* ipmitool raw 0x0a 0x43 0 0 ID 0 0 0xff on the fixture, IDs 0, 2 .. 7. */
static const char *const captured_sel[] = {
	"02 00 01 00 02 84 06 00 00 20 00 04 01 01 01 59 5b 5a",
	"03 00 02 00 02 84 06 00 00 20 00 04 01 01 81 59 50 5a",
	"04 00 03 00 02 84 06 00 00 20 00 04 04 03 01 52 08 0a",
	"05 00 04 00 02 84 06 00 00 20 00 04 08 07 6f 03 ff ff",
	"06 00 05 00 02 84 06 00 00 20 00 04 05 08 6f 00 ff ff",
	"07 00 06 00 02 84 06 00 00 20 00 04 05 08 ef 00 ff ff",
	"ff ff 07 00 e0 42 4d 43 53 49 4d 2d 4f 45 4d 2d 30 31",
};

#define NSEL (sizeof(captured_sel) / sizeof(captured_sel[0]))

static struct bmcemu emu;

static void
decode_captured(size_t i, uint16_t *next, struct cmd_sel_record *r)
{
	uint8_t b[32];
	size_t n = tu_hex(captured_sel[i], b, sizeof(b));

	ck_assert_int_eq(cmd_sel_get_decode(b, n, next, r), 0);
}

/* ipmitool's line start: id, then date/time or Pre-Init for timestamped types. */
static size_t
line_start(const struct cmd_sel_record *r, char *line, size_t cap)
{
	int n = snprintf(line, cap, "%4x | ", r->id);

	if (r->kind != CMD_SEL_OEM_NOTS) {
		ck_assert(cmd_sel_ts_preinit(r->timestamp));
		n += snprintf(line + n, cap - (size_t)n, " Pre-Init  |%010u| ", r->timestamp);
	}
	return (size_t)n;
}

/* ipmitool pads the "going low" threshold texts with one blank. */
static const char *
ipmitool_desc(const struct cmd_sel_record *r)
{
	static char buf[128];
	const char *d = cmd_sel_desc(r);

	ck_assert_ptr_nonnull(d);
	snprintf(buf, sizeof(buf), "%s%s", d,
	         strstr(d, "going low") != NULL && r->event_type == 0x01 ? " " : "");
	return buf;
}

START_TEST(sel_list_lines)
{
	ck_assert_uint_eq(sizeof(ipmitool_sel_list) / sizeof(ipmitool_sel_list[0]), NSEL);
	for (size_t i = 0; i < NSEL; i++) {
		struct cmd_sel_record r;
		uint16_t next;
		char line[256], text[128];
		size_t pos;

		decode_captured(i, &next, &r);
		ck_assert_uint_eq(r.id, i + 1);
		ck_assert_uint_eq(next, i + 1 < NSEL ? i + 2 : CMD_SEL_LAST_ID);
		pos = line_start(&r, line, sizeof(line));
		if (r.kind == CMD_SEL_SYSTEM) {
			ck_assert_int_gt(cmd_sel_sensor_text(&r, text, sizeof(text)), 0);
			snprintf(line + pos, sizeof(line) - pos, "%s | %s | %s", text,
			         ipmitool_desc(&r), cmd_sel_direction(&r));
		} else {
			ck_assert_int_gt(cmd_sel_oem_text(&r, text, sizeof(text)), 0);
			snprintf(line + pos, sizeof(line) - pos, "%s", text);
		}
		ck_assert_str_eq(line, ipmitool_sel_list[i]);
	}
}
END_TEST

/* The sensor SDR ipmitool's elist finds: owner = generator, number, type. */
static bool
find_sdr(const struct cmd_sel_record *r, struct cmd_sdr_sensor *s)
{
	for (size_t i = 0; i < emu.nsdr; i++) {
		struct cmd_sdr_record rec;

		ck_assert_int_eq(cmd_sdr_parse(emu.sdr[i].rec, emu.sdr[i].len, &rec), 0);
		if (rec.type > CMD_SDR_EVENT_ONLY)
			continue;
		if (rec.u.sensor.owner_id == (r->generator & 0xff) &&
		    rec.u.sensor.number == r->sensor_number &&
		    rec.u.sensor.sensor_type == r->sensor_type) {
			*s = rec.u.sensor;
			return true;
		}
	}
	return false;
}

START_TEST(sel_elist_lines)
{
	bmcemu_load(&emu);
	for (size_t i = 0; i < NSEL; i++) {
		struct cmd_sel_record r;
		struct cmd_sdr_sensor s;
		uint16_t next;
		char line[256], text[128];
		size_t pos;

		decode_captured(i, &next, &r);
		pos = line_start(&r, line, sizeof(line));
		if (r.kind != CMD_SEL_SYSTEM) {
			ck_assert_int_gt(cmd_sel_oem_text(&r, text, sizeof(text)), 0);
			snprintf(line + pos, sizeof(line) - pos, "%s", text);
			ck_assert_str_eq(line, ipmitool_sel_elist[i]);
			continue;
		}
		ck_assert(find_sdr(&r, &s));
		pos += (size_t)snprintf(line + pos, sizeof(line) - pos, "%s %s | %s | %s",
		                        ipmistr_sensor_type(r.sensor_type), s.name,
		                        ipmitool_desc(&r), cmd_sel_direction(&r));
		ck_assert_int_ge(cmd_sel_threshold_text(&r, &s, text, sizeof(text)), 0);
		if (text[0] != '\0')
			snprintf(line + pos, sizeof(line) - pos, " | %s", text);
		ck_assert_str_eq(line, ipmitool_sel_elist[i]);
	}
}
END_TEST

/* The seed file's records, stamped like ipmi_sim does, equal the captures. */
START_TEST(seed_matches_capture)
{
	bmcemu_load(&emu);
	ck_assert_uint_eq(emu.nsel, NSEL);
	for (size_t i = 0; i < NSEL; i++) {
		struct cmd_sel_record r, s;
		uint8_t rec[16];
		uint16_t next;

		decode_captured(i, &next, &r);
		bmcemu_sel_record(&emu, i, (uint16_t)(i + 1), 1668, rec);
		ck_assert_int_eq(cmd_sel_record_decode(rec, sizeof(rec), &s), 0);
		ck_assert_mem_eq(s.raw, r.raw, sizeof(r.raw));
		ck_assert_mem_eq(rec, r.raw, sizeof(rec));
	}
}
END_TEST

START_TEST(system_record_fields)
{
	struct cmd_sel_record r;
	uint16_t next;

	decode_captured(0, &next, &r);
	ck_assert_uint_eq(r.type, 0x02);
	ck_assert_int_eq(r.kind, CMD_SEL_SYSTEM);
	ck_assert_uint_eq(r.timestamp, 1668);
	ck_assert_uint_eq(r.generator, 0x0020);
	ck_assert_uint_eq(r.evm_rev, 0x04);
	ck_assert_uint_eq(r.sensor_type, 0x01);
	ck_assert_uint_eq(r.sensor_number, 0x01);
	ck_assert_uint_eq(r.event_type, 0x01);
	ck_assert(!r.deassertion);
	ck_assert_mem_eq(r.data, "\x59\x5b\x5a", 3);
	ck_assert_str_eq(cmd_sel_desc(&r), "Upper Critical going high");
	decode_captured(1, &next, &r);
	ck_assert(r.deassertion);
	ck_assert_uint_eq(r.event_type, 0x01);
	ck_assert_str_eq(cmd_sel_direction(&r), "Deasserted");
	decode_captured(3, &next, &r);
	ck_assert_str_eq(cmd_sel_desc(&r), "Power Supply AC lost");
	decode_captured(4, &next, &r);
	ck_assert_str_eq(cmd_sel_desc(&r), "General Chassis intrusion");
	decode_captured(6, &next, &r);
	ck_assert_int_eq(r.kind, CMD_SEL_OEM_NOTS);
	ck_assert_uint_eq(r.type, 0xe0);
	ck_assert_uint_eq(r.oem_len, 13);
	ck_assert_mem_eq(r.oem, "BMCSIM-OEM-01", 13);
	ck_assert_ptr_null(cmd_sel_desc(&r));
}
END_TEST

START_TEST(other_records)
{
	/* OEM timestamped C5h: timestamp, manufacturer 7ED9h (LE), 6 bytes. */
	uint8_t rec[18], keep_b[sizeof(struct cmd_sel_record)];
	size_t n = tu_hex("34 12 c5 00 00 00 60 d9 7e 00 01 02 03 04 05 06", rec, sizeof(rec));
	struct cmd_sel_record r;
	char buf[128];

	ck_assert_int_eq(cmd_sel_record_decode(rec, n, &r), 0);
	ck_assert_uint_eq(r.id, 0x1234);
	ck_assert_int_eq(r.kind, CMD_SEL_OEM_TS);
	ck_assert_uint_eq(r.timestamp, 0x60000000);
	ck_assert(!cmd_sel_ts_preinit(r.timestamp));
	ck_assert_uint_eq(r.manufacturer, 32473);
	ck_assert_uint_eq(r.oem_len, 6);
	ck_assert_mem_eq(r.oem, "\1\2\3\4\5\6", 6);
	ck_assert_int_gt(cmd_sel_oem_text(&r, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "OEM record c5 | 007ed9 | 010203040506");
	ck_assert_ptr_null(cmd_sel_desc(&r));
	/* Timestamp boundary: ipmitool's Pre-Init is ts < 20000000h. */
	ck_assert(cmd_sel_ts_preinit(0x1fffffff));
	ck_assert(!cmd_sel_ts_preinit(0x20000000));
	/* Types below C0h are system-event shaped, whatever the type. */
	rec[2] = 0x01;
	ck_assert_int_eq(cmd_sel_record_decode(rec, n, &r), 0);
	ck_assert_int_eq(r.kind, CMD_SEL_SYSTEM);
	ck_assert_uint_eq(r.generator, 0x7ed9);
	ck_assert_int_eq(cmd_sel_oem_text(&r, buf, sizeof(buf)), IPMI_E_ARG);
	ck_assert_str_eq(buf, "");
	rec[2] = 0xdf;
	ck_assert_int_eq(cmd_sel_record_decode(rec, n, &r), 0);
	ck_assert_int_eq(r.kind, CMD_SEL_OEM_TS);
	rec[2] = 0xff;
	ck_assert_int_eq(cmd_sel_record_decode(rec, n, &r), 0);
	ck_assert_int_eq(r.kind, CMD_SEL_OEM_NOTS);
	/* Sensor number 0: no "#0x00". */
	n = tu_hex("01 00 02 00 00 00 00 20 00 04 23 00 6f 01 ff ff", rec, sizeof(rec));
	ck_assert_int_eq(cmd_sel_record_decode(rec, n, &r), 0);
	ck_assert_int_gt(cmd_sel_sensor_text(&r, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Watchdog2");
	ck_assert_str_eq(cmd_sel_desc(&r), "Hard reset");
	/* Not a threshold event: no elist detail. */
	ck_assert_int_eq(cmd_sel_threshold_text(&r, NULL, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	/* Every length but 16 fails and leaves *out alone. */
	memset(&r, 0x5a, sizeof(r));
	memcpy(keep_b, &r, sizeof(r));
	for (size_t k = 0; k < 16; k++)
		ck_assert_int_eq(cmd_sel_record_decode(rec, k, &r), IPMI_E_TRUNCATED);
	ck_assert_int_eq(cmd_sel_record_decode(rec, 17, &r), IPMI_E_MALFORMED);
	ck_assert_mem_eq(&r, keep_b, sizeof(r));
	for (unsigned t = 0xc0; t <= 0xff; t += 0x20) {
		rec[2] = (uint8_t)t;
		for (size_t k = 0; k < 16; k++)
			ck_assert_int_eq(cmd_sel_record_decode(rec, k, &r), IPMI_E_TRUNCATED);
	}
}
END_TEST

START_TEST(threshold_details)
{
	struct cmd_sdr_record rec;
	struct cmd_sel_record r;
	uint8_t b[18];
	size_t n;
	char buf[128];

	bmcemu_load(&emu);
	ck_assert_int_eq(cmd_sdr_parse(emu.sdr[4].rec, emu.sdr[4].len, &rec), 0); /* 12V */
	/* Lower critical going low, reading 150, threshold 180: both given. */
	n = tu_hex("09 00 02 00 00 00 00 20 00 04 02 05 01 52 96 b4", b, sizeof(b));
	ck_assert_int_eq(cmd_sel_record_decode(b, n, &r), 0);
	ck_assert_int_ge(cmd_sel_threshold_text(&r, &rec.u.sensor, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Reading 8.75 < Threshold 10.64 Volts");
	/* Byte 3 unspecified: no threshold part. */
	b[13] = 0x42;
	ck_assert_int_eq(cmd_sel_record_decode(b, n, &r), 0);
	ck_assert_int_ge(cmd_sel_threshold_text(&r, &rec.u.sensor, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Reading 8.75");
	/* Byte 2 unspecified either: reading 0 (ipmitool). */
	b[13] = 0x02;
	ck_assert_int_eq(cmd_sel_record_decode(b, n, &r), 0);
	ck_assert_int_ge(cmd_sel_threshold_text(&r, &rec.u.sensor, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Reading 0");
	b[13] = 0x52;
	ck_assert_int_eq(cmd_sel_record_decode(b, n, &r), 0);
	ck_assert_int_eq(cmd_sel_threshold_text(&r, &rec.u.sensor, buf, 10), IPMI_E_NOSPACE);
}
END_TEST

START_TEST(messages)
{
	/* Get SEL Info on the fixture before and after Clear SEL. */
	uint8_t b[32], req[6];
	size_t n = tu_hex("51 07 00 10 3e 84 06 00 00 00 00 00 00 0a", b, sizeof(b));
	struct cmd_sel_info i, keep;
	struct cmd_sel_record r;
	uint16_t res = 0, next;
	bool done = false;

	ck_assert_int_eq(cmd_sel_info_decode(b, n, &i), 0);
	ck_assert_uint_eq(i.version, 0x51);
	ck_assert_uint_eq(i.entries, 7);
	ck_assert_uint_eq(i.free_space, 15888);
	ck_assert_uint_eq(i.last_add, 1668);
	ck_assert_uint_eq(i.last_erase, 0);
	ck_assert(!i.overflow && !i.partial_add_supported && !i.alloc_info_supported);
	ck_assert(i.delete_supported && i.reserve_supported);
	n = tu_hex("51 00 00 80 3e 84 06 00 00 c8 0a 00 00 8a", b, sizeof(b));
	ck_assert_int_eq(cmd_sel_info_decode(b, n, &i), 0);
	ck_assert_uint_eq(i.entries, 0);
	ck_assert_uint_eq(i.free_space, 16000);
	ck_assert_uint_eq(i.last_erase, 2760);
	ck_assert(i.overflow);
	memset(&keep, 0x21, sizeof(keep));
	for (size_t k = 0; k < n; k++) {
		i = keep;
		ck_assert_int_eq(cmd_sel_info_decode(b, k, &i), IPMI_E_TRUNCATED);
		ck_assert_mem_eq(&i, &keep, sizeof(i));
	}
	ck_assert_int_eq(cmd_sel_info_decode(b, n + 1, &i), IPMI_E_MALFORMED);

	ck_assert_int_eq(cmd_sel_reserve_decode((const uint8_t *)"\x02\x00", 2, &res), 0);
	ck_assert_uint_eq(res, 2);
	ck_assert_int_eq(cmd_sel_reserve_decode((const uint8_t *)"\x02", 1, &res),
	                 IPMI_E_TRUNCATED);
	ck_assert_int_eq(cmd_sel_reserve_decode((const uint8_t *)"\x02\0\0", 3, &res),
	                 IPMI_E_MALFORMED);

	/* ipmitool's Get SEL Entry: no reservation, whole record. */
	ck_assert_int_eq(cmd_sel_get_req(0, 0x0007, req), 6);
	ck_assert_mem_eq(req, "\x00\x00\x07\x00\x00\xff", 6);
	ck_assert_int_eq(cmd_sel_get_req(0x1234, CMD_SEL_LAST_ID, req), 6);
	ck_assert_mem_eq(req, "\x34\x12\xff\xff\x00\xff", 6);
	n = tu_hex(captured_sel[0], b, sizeof(b));
	for (size_t k = 0; k < n; k++)
		ck_assert_int_lt(cmd_sel_get_decode(b, k, &next, &r), 0);
	ck_assert_int_eq(cmd_sel_get_decode(b, n + 1, &next, &r), IPMI_E_MALFORMED);

	/* Clear SEL: reservation, 'C' 'L' 'R', AAh / 00h; the fixture answered 01h. */
	ck_assert_int_eq(cmd_sel_clear_req(0x0002, CMD_SEL_CLEAR_INITIATE, req), 6);
	ck_assert_mem_eq(req,
	                 "\x02\x00"
	                 "CLR"
	                 "\xaa",
	                 6);
	ck_assert_int_eq(cmd_sel_clear_req(0x0002, CMD_SEL_CLEAR_GET_STATUS, req), 6);
	ck_assert_mem_eq(req,
	                 "\x02\x00"
	                 "CLR"
	                 "\x00",
	                 6);
	ck_assert_int_eq(cmd_sel_clear_req(0x0002, 0x55, req), IPMI_E_ARG);
	ck_assert_int_eq(cmd_sel_clear_decode((const uint8_t *)"\x01", 1, &done), 0);
	ck_assert(done);
	ck_assert_int_eq(cmd_sel_clear_decode((const uint8_t *)"\x00", 1, &done), 0);
	ck_assert(!done);
	ck_assert_int_eq(cmd_sel_clear_decode((const uint8_t *)"", 0, &done), IPMI_E_TRUNCATED);
	ck_assert_int_eq(cmd_sel_clear_decode((const uint8_t *)"\x01\x01", 2, &done),
	                 IPMI_E_MALFORMED);
	ck_assert(!done);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cmd_sel");
	TCase *tc = tu_tcase(s, "ipmitool");

	tcase_add_test(tc, sel_list_lines);
	tcase_add_test(tc, sel_elist_lines);
	tc = tu_tcase(s, "records");
	tcase_add_test(tc, seed_matches_capture);
	tcase_add_test(tc, system_record_fields);
	tcase_add_test(tc, other_records);
	tcase_add_test(tc, threshold_details);
	tc = tu_tcase(s, "messages");
	tcase_add_test(tc, messages);
	return tu_run(s);
}
