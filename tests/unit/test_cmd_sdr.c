/*
 * test_cmd_sdr.c - SDR repository messages, record assembly, record
 * parsing and reading conversion (cmd_sdr.h): the bmcsim fixture's
 * records (tests/bmcsim/bmc.emu) and Get SDR answers captured from it,
 * checked against the README table and ipmitool 1.8.19's output; hand-made
 * records for the other formats; every truncation rejected.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bmcemu.h"
#include "cmd_sdr.h"
#include "ipmierr.h"
#include "ipmistr.h"
#include "tutil.h"

/* Captured Get SDR answers: per record the 5-byte header read, then 16-byte chunks. */
static const struct {
	uint16_t id, next;
	const char *rsp[8];
} captured_sdr[] = {
	{ 0x0000,
	  0x0002,
	  {
	      "02000100510133",
	      "020020000103017f680101800a807a383800",
	      "020001000001000000000001280000ff0064",
	      "02005a500000000202000000c84350552054",
	      "0200656d70",
	  } },
	{ 0x0002,
	  0x0003,
	  {
	      "03000200510135",
	      "030020000237017f680101800a807a383800",
	      "03000100000500000000f0012c0000ff005a",
	      "030050460000000202000000ca496e6c6574",
	      "03002054656d70",
	  } },
	{ 0x0003,
	  0x0004,
	  {
	      "0400030051012f",
	      "04002000031d017f68040115701500070700",
	      "04001200003c0000000000015a0000ff0000",
	      "04000000050a140202000000c446414e31",
	  } },
	{ 0x0004,
	  0x0005,
	  {
	      "0500040051012f",
	      "05002000041d027f68040115701500070700",
	      "05001200003c0000000000015a0000ff0000",
	      "05000000050a140202000000c446414e32",
	  } },
	{ 0x0005,
	  0x0006,
	  {
	      "0600050051012e",
	      "060020000507017f680201853285321b1b00",
	      "06000400003f00f9c000d201ca0000ff0000",
	      "0600ded800b4ba0202000000c3313256",
	  } },
	{ 0x0006,
	  0x0007,
	  {
	      "0700060051012e",
	      "070020000607017f680201853285321b1b00",
	      "07000400001000fbc000d101d10000ff0000",
	      "0700e4de00bec30202000000c3335633",
	  } },
	{ 0x0007,
	  0x0008,
	  {
	      "08000700510134",
	      "080020000a15017f400b0100000000000000",
	      "080006000002000000000001640000ff0000",
	      "080000000000000202000000c95379732050",
	      "08006f776572",
	  } },
	{ 0x0008,
	  0x0009,
	  {
	      "09000800510133",
	      "090030000107027f680101800a807a383800",
	      "090001000001000000000001230000ff005f",
	      "0900554b0000000202000000c85341542054",
	      "0900656d70",
	  } },
	{ 0x0009,
	  0x000a,
	  {
	      "0a000900510226",
	      "0a002000070a016740086f0f000f000f00c0",
	      "0a0000000100000000000000cb5053553120",
	      "0a00537461747573",
	  } },
	{ 0x000a,
	  0x000b,
	  {
	      "0b000a00510224",
	      "0b0020000817016740056f030003000300c0",
	      "0b0000000100000000000000c9496e747275",
	      "0b0073696f6e",
	  } },
	{ 0x000b,
	  0x000c,
	  {
	      "0c000b00510225",
	      "0c0020000903016740076f830083008300c0",
	      "0c0000000100000000000000ca4350552053",
	      "0c007461747573",
	  } },
	{ 0x000c,
	  0x000d,
	  {
	      "0d000c00511115",
	      "0d0020008000001000170100ca5379737465",
	      "0d006d20465255",
	  } },
	{ 0x000d,
	  0x000e,
	  {
	      "0e000d0051120e",
	      "0e002000009f000000060100c3424d43",
	  } },
	{ 0x000e,
	  0xffff,
	  {
	      "ffff0e00511217",
	      "ffff30000021000000060200cc536174656c",
	      "ffff6c697465204d43",
	  } },
};

static struct bmcemu emu;

static void
load_emu(void)
{
	bmcemu_load(&emu);
	ck_assert_uint_eq(emu.nsdr, 14); /* README: 14 SDRs */
}

/* The fixture record whose ID string is name (parsed). */
static void
find_record(const char *name, struct cmd_sdr_record *out)
{
	for (size_t i = 0; i < emu.nsdr; i++) {
		struct cmd_sdr_record r;

		ck_assert_int_eq(cmd_sdr_parse(emu.sdr[i].rec, emu.sdr[i].len, &r), 0);
		if ((r.type <= CMD_SDR_EVENT_ONLY && strcmp(r.u.sensor.name, name) == 0) ||
		    (r.type == CMD_SDR_FRU_LOCATOR && strcmp(r.u.fru.name, name) == 0) ||
		    (r.type == CMD_SDR_MC_LOCATOR && strcmp(r.u.mc.name, name) == 0)) {
			*out = r;
			return;
		}
	}
	ck_abort_msg("no SDR named %s", name);
}

static const char *
fmt(const struct cmd_sdr_sensor *s, uint8_t raw, int precision)
{
	static char buf[64];

	ck_assert_int_gt(cmd_sdr_format(s, raw, precision, buf, sizeof(buf)), 0);
	return buf;
}

static const char *
units(const struct cmd_sdr_sensor *s)
{
	static char buf[64];

	ck_assert_int_gt(cmd_sdr_units(s, buf, sizeof(buf)), 0);
	return buf;
}

START_TEST(repo_messages)
{
	/* ipmitool raw 0x0a 0x20 on the fixture. */
	uint8_t b[32], req[6];
	size_t n = tu_hex("51 0e 00 fe ff 84 06 00 00 00 00 00 00 02", b, sizeof(b));
	struct cmd_sdr_repo_info i, keep;
	uint16_t res = 0, next;
	const uint8_t *chunk;
	size_t clen;

	ck_assert_int_eq(cmd_sdr_repo_info_decode(b, n, &i), 0);
	ck_assert_uint_eq(i.version, 0x51);
	ck_assert_uint_eq(i.record_count, 14);
	ck_assert_uint_eq(i.free_space, 0xfffe); /* ipmitool: "> 64Kb - 2 bytes" */
	ck_assert_uint_eq(i.last_add, 1668);
	ck_assert_uint_eq(i.last_erase, 0);
	ck_assert(!i.overflow);
	ck_assert_uint_eq(i.update_mode, 0);
	ck_assert(!i.delete_supported && !i.partial_add_supported && !i.alloc_info_supported);
	ck_assert(i.reserve_supported);
	b[13] = 0xef;
	ck_assert_int_eq(cmd_sdr_repo_info_decode(b, n, &i), 0);
	ck_assert(i.overflow && i.delete_supported && i.partial_add_supported);
	ck_assert(i.reserve_supported && i.alloc_info_supported);
	ck_assert_uint_eq(i.update_mode, 3);
	memset(&keep, 0x33, sizeof(keep));
	for (size_t k = 0; k < n; k++) {
		i = keep;
		ck_assert_int_eq(cmd_sdr_repo_info_decode(b, k, &i), IPMI_E_TRUNCATED);
		ck_assert_mem_eq(&i, &keep, sizeof(i));
	}
	ck_assert_int_eq(cmd_sdr_repo_info_decode(b, n + 1, &i), IPMI_E_MALFORMED);

	/* Reserve SDR Repository: "08 00". */
	ck_assert_int_eq(cmd_sdr_reserve_decode((const uint8_t *)"\x08\x00", 2, &res), 0);
	ck_assert_uint_eq(res, 8);
	ck_assert_int_eq(cmd_sdr_reserve_decode((const uint8_t *)"\x08", 1, &res),
	                 IPMI_E_TRUNCATED);
	ck_assert_int_eq(cmd_sdr_reserve_decode((const uint8_t *)"\x08\0\0", 3, &res),
	                 IPMI_E_MALFORMED);
	ck_assert_uint_eq(res, 8);

	/* Get SDR request and answer. */
	ck_assert_int_eq(cmd_sdr_get_req(0x0008, 0x0102, 5, 16, req), 6);
	ck_assert_mem_eq(req, "\x08\x00\x02\x01\x05\x10", 6);
	ck_assert_int_eq(
	    cmd_sdr_get_decode((const uint8_t *)"\x03\x00\x51", 3, &next, &chunk, &clen), 0);
	ck_assert_uint_eq(next, 3);
	ck_assert_uint_eq(clen, 1);
	ck_assert_uint_eq(chunk[0], 0x51);
	ck_assert_int_eq(cmd_sdr_get_decode((const uint8_t *)"\xff\xff", 2, &next, &chunk, &clen),
	                 0);
	ck_assert_uint_eq(next, CMD_SDR_LAST_ID);
	ck_assert_uint_eq(clen, 0);
	ck_assert_int_eq(cmd_sdr_get_decode((const uint8_t *)"\x03", 1, &next, &chunk, &clen),
	                 IPMI_E_TRUNCATED);
}
END_TEST

/* Reassembles every captured record from its Get SDR answers. */
START_TEST(assemble_captured)
{
	load_emu();
	ck_assert_uint_eq(sizeof(captured_sdr) / sizeof(captured_sdr[0]), emu.nsdr);
	for (size_t i = 0; i < emu.nsdr; i++) {
		struct cmd_sdr_asm a;
		struct cmd_sdr_record r;
		uint8_t off, cnt, rsp[64], expect[260];
		size_t k = 0;
		int rc;

		cmd_sdr_asm_init(&a, captured_sdr[i].id);
		while ((rc = cmd_sdr_asm_next(&a, 16, &off, &cnt)) == 1) {
			uint16_t next;
			const uint8_t *chunk;
			size_t n, clen;

			ck_assert_ptr_nonnull(captured_sdr[i].rsp[k]);
			n = tu_hex(captured_sdr[i].rsp[k++], rsp, sizeof(rsp));
			ck_assert_int_eq(cmd_sdr_get_decode(rsp, n, &next, &chunk, &clen), 0);
			ck_assert_uint_eq(next, captured_sdr[i].next);
			ck_assert_uint_eq(clen, cnt);
			ck_assert_uint_eq(off, k == 1 ? 0 : 5 + 16 * (k - 2));
			ck_assert_int_ge(cmd_sdr_asm_add(&a, chunk, clen), 0);
		}
		ck_assert_int_eq(rc, 0);
		ck_assert_ptr_null(captured_sdr[i].rsp[k]);
		/* Same bytes as gen_emu.py's, except the record id ipmi_sim assigned. */
		ck_assert_uint_eq(a.total, emu.sdr[i].len);
		memcpy(expect, emu.sdr[i].rec, emu.sdr[i].len);
		expect[0] = (uint8_t)(i + 1);
		ck_assert_mem_eq(a.rec, expect, a.total);
		ck_assert_int_eq(cmd_sdr_parse(a.rec, a.total, &r), 0);
		ck_assert_uint_eq(r.id, i + 1);
		ck_assert_uint_eq(r.version, 0x51);
	}
}
END_TEST

START_TEST(assemble_edges)
{
	struct cmd_sdr_asm a;
	uint8_t off, cnt, rec[260];

	load_emu();
	/* Byte by byte. */
	cmd_sdr_asm_init(&a, 7);
	while (cmd_sdr_asm_next(&a, 1, &off, &cnt) == 1) {
		ck_assert_uint_eq(cnt, 1);
		ck_assert_uint_eq(off, a.have);
		ck_assert_int_ge(cmd_sdr_asm_add(&a, emu.sdr[0].rec + off, 1), 0);
	}
	ck_assert_uint_eq(a.total, emu.sdr[0].len);
	ck_assert_mem_eq(a.rec, emu.sdr[0].rec, a.total);
	ck_assert_uint_eq(a.id, 7);
	/* Whole record in one go after the header (FFh-style). */
	cmd_sdr_asm_init(&a, 1);
	ck_assert_int_eq(cmd_sdr_asm_next(&a, 0xff, &off, &cnt), 1);
	ck_assert_uint_eq(off, 0);
	ck_assert_uint_eq(cnt, 5);
	ck_assert_int_eq(cmd_sdr_asm_add(&a, emu.sdr[1].rec, 5), (int)emu.sdr[1].len - 5);
	ck_assert_int_eq(cmd_sdr_asm_next(&a, 0xff, &off, &cnt), 1);
	ck_assert_uint_eq(off, 5);
	ck_assert_uint_eq(cnt, emu.sdr[1].len - 5);
	/* A short chunk is progress. */
	ck_assert_int_eq(cmd_sdr_asm_add(&a, emu.sdr[1].rec + 5, 3), (int)emu.sdr[1].len - 8);
	ck_assert_int_eq(cmd_sdr_asm_next(&a, 0xff, &off, &cnt), 1);
	ck_assert_uint_eq(off, 8);
	/* Empty chunk, too many bytes. */
	ck_assert_int_eq(cmd_sdr_asm_add(&a, emu.sdr[1].rec, 0), IPMI_E_TRUNCATED);
	ck_assert_int_eq(cmd_sdr_asm_add(&a, emu.sdr[1].rec, 200), IPMI_E_MALFORMED);
	ck_assert_int_eq(cmd_sdr_asm_add(&a, emu.sdr[1].rec + 8, emu.sdr[1].len - 8), 0);
	ck_assert_int_eq(cmd_sdr_asm_next(&a, 0xff, &off, &cnt), 0);
	ck_assert_int_eq(cmd_sdr_asm_add(&a, emu.sdr[1].rec, 1), IPMI_E_MALFORMED);
	ck_assert_mem_eq(a.rec, emu.sdr[1].rec, emu.sdr[1].len);
	ck_assert_int_eq(cmd_sdr_asm_next(&a, 0, &off, &cnt), IPMI_E_ARG);
	/* The header over two reads; a header-only record (length 0). */
	cmd_sdr_asm_init(&a, 2);
	ck_assert_int_eq(cmd_sdr_asm_next(&a, 3, &off, &cnt), 1);
	ck_assert_uint_eq(cnt, 3);
	ck_assert_int_eq(cmd_sdr_asm_add(&a, (const uint8_t *)"\x02\x00\x51", 3), 2);
	ck_assert_int_eq(cmd_sdr_asm_next(&a, 3, &off, &cnt), 1);
	ck_assert_uint_eq(off, 3);
	ck_assert_uint_eq(cnt, 2);
	ck_assert_int_eq(cmd_sdr_asm_add(&a, (const uint8_t *)"\xc0\x00", 2), 0);
	ck_assert_int_eq(cmd_sdr_asm_next(&a, 3, &off, &cnt), 0);
	ck_assert_uint_eq(a.total, 5);
	/* A 255-byte body cannot be read with 1-byte chunks (offset > 255). */
	memset(rec, 0, sizeof(rec));
	rec[4] = 255;
	cmd_sdr_asm_init(&a, 3);
	while (cmd_sdr_asm_next(&a, 1, &off, &cnt) == 1)
		ck_assert_int_ge(cmd_sdr_asm_add(&a, rec + off, 1), 0);
	ck_assert_int_eq(cmd_sdr_asm_next(&a, 1, &off, &cnt), IPMI_E_UNSUPPORTED);
	ck_assert_uint_eq(a.have, 256);
	/* ... but can with 16-byte ones. */
	cmd_sdr_asm_init(&a, 3);
	while (cmd_sdr_asm_next(&a, 16, &off, &cnt) == 1)
		ck_assert_int_ge(cmd_sdr_asm_add(&a, rec + off, cnt), 0);
	ck_assert_uint_eq(a.have, 260);
	ck_assert_int_eq(cmd_sdr_asm_next(&a, 16, &off, &cnt), 0);
}
END_TEST

/* Every fixture record: the README table, ipmitool's sdr list/-v values. */
START_TEST(fixture_full_records)
{
	struct cmd_sdr_record r;
	const struct cmd_sdr_sensor *s = &r.u.sensor;

	load_emu();
	find_record("CPU Temp", &r);
	ck_assert_uint_eq(r.type, CMD_SDR_FULL);
	ck_assert_uint_eq(r.length, 51);
	ck_assert_uint_eq(s->record_type, CMD_SDR_FULL);
	ck_assert_uint_eq(s->owner_id, 0x20);
	ck_assert_uint_eq(s->owner_lun, 0);
	ck_assert_uint_eq(s->channel, 0);
	ck_assert_uint_eq(s->number, 1);
	ck_assert_uint_eq(s->entity_id, 3);
	ck_assert_uint_eq(s->entity_instance, 1);
	ck_assert(!s->entity_logical);
	ck_assert_uint_eq(s->init, 0x7f);
	ck_assert_uint_eq(s->caps, 0x68);
	ck_assert_uint_eq(s->sensor_type, 0x01);
	ck_assert_uint_eq(s->event_type, 0x01);
	ck_assert_uint_eq(s->readable_mask, 0x38); /* unc ucr unr */
	ck_assert_uint_eq(s->settable_mask, 0x38);
	ck_assert_uint_eq(s->assert_mask, 0x0a80);
	ck_assert_uint_eq(s->deassert_mask, 0x7a80);
	ck_assert_uint_eq(s->analog_format, 0);
	ck_assert_uint_eq(s->base_unit, 1);
	ck_assert_str_eq(units(s), "degrees C");
	ck_assert_uint_eq(s->linearization, 0);
	ck_assert_int_eq(s->m, 1);
	ck_assert_int_eq(s->b, 0);
	ck_assert_int_eq(s->r_exp, 0);
	ck_assert_int_eq(s->b_exp, 0);
	ck_assert_uint_eq(s->analog_flags, 0x01);
	ck_assert_uint_eq(s->nominal, 40);
	ck_assert_uint_eq(s->sensor_max, 0xff);
	ck_assert_uint_eq(s->sensor_min, 0x00);
	ck_assert_uint_eq(s->threshold[CMD_SENSOR_UNC], 80);
	ck_assert_uint_eq(s->threshold[CMD_SENSOR_UC], 90);
	ck_assert_uint_eq(s->threshold[CMD_SENSOR_UNR], 100);
	ck_assert_uint_eq(s->threshold[CMD_SENSOR_LNC], 0);
	ck_assert_uint_eq(s->hyst_pos, 2);
	ck_assert_uint_eq(s->hyst_neg, 2);
	ck_assert_uint_eq(s->id_type, IPMISTR_TL_LATIN1);
	ck_assert_uint_eq(s->id_len, 8);
	ck_assert(cmd_sdr_is_analog(s));
	ck_assert_str_eq(fmt(s, 45, 2), "45");
	ck_assert_str_eq(fmt(s, 45, 3), "45");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_UNR], 3), "100");

	find_record("Inlet Temp", &r);
	ck_assert_uint_eq(s->number, 2);
	ck_assert_uint_eq(s->entity_id, 0x37);
	ck_assert_int_eq(s->m, 5);
	ck_assert_int_eq(s->r_exp, -1);
	ck_assert_str_eq(fmt(s, 47, 2), "23.50");  /* sdr list */
	ck_assert_str_eq(fmt(s, 47, 3), "23.500"); /* sdr -v */
	ck_assert_double_eq_tol(cmd_sdr_convert(s, s->threshold[CMD_SENSOR_UNC]), 35.0, 1e-9);
	ck_assert_double_eq_tol(cmd_sdr_convert(s, s->threshold[CMD_SENSOR_UC]), 40.0, 1e-9);
	ck_assert_double_eq_tol(cmd_sdr_convert(s, s->threshold[CMD_SENSOR_UNR]), 45.0, 1e-9);
	ck_assert_double_eq_tol(cmd_sdr_convert(s, s->nominal), 22.0, 1e-9);
	ck_assert_double_eq_tol(cmd_sdr_convert_hysteresis(s, s->hyst_pos), 1.0, 1e-9);

	find_record("FAN1", &r);
	ck_assert_uint_eq(s->number, 3);
	ck_assert_uint_eq(s->sensor_type, 0x04);
	ck_assert_str_eq(units(s), "RPM");
	ck_assert_uint_eq(s->readable_mask, 0x07); /* lnc lcr lnr */
	ck_assert_str_eq(fmt(s, 90, 2), "5400");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_LNC], 3), "1200");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_LC], 3), "600");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_LNR], 3), "300");
	ck_assert_double_eq_tol(cmd_sdr_convert_hysteresis(s, s->hyst_pos), 120.0, 1e-9);
	find_record("FAN2", &r);
	ck_assert_uint_eq(s->entity_instance, 2);
	ck_assert_str_eq(fmt(s, 85, 2), "5100");

	find_record("12V", &r);
	ck_assert_uint_eq(s->number, 5);
	ck_assert_str_eq(units(s), "Volts");
	ck_assert_int_eq(s->m, 63);
	ck_assert_int_eq(s->b, -7);
	ck_assert_int_eq(s->b_exp, 2);
	ck_assert_int_eq(s->r_exp, -3);
	ck_assert_uint_eq(s->readable_mask, 0x1b);  /* lcr lnc unc ucr */
	ck_assert_str_eq(fmt(s, 201, 3), "11.963"); /* README, sensor get */
	ck_assert_str_eq(fmt(s, 201, 2), "11.96");  /* sdr list */
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_LC], 3), "10.640");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_LNC], 3), "11.018");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_UNC], 3), "12.908");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_UC], 3), "13.286");
	ck_assert_str_eq(fmt(s, s->nominal, 3), "12.026");
	ck_assert_double_eq_tol(cmd_sdr_convert_hysteresis(s, s->hyst_pos), 0.126, 1e-12);

	find_record("3V3", &r);
	ck_assert_str_eq(fmt(s, 209, 3), "3.294");
	ck_assert_str_eq(fmt(s, 209, 2), "3.29");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_LC], 3), "2.990");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_LNC], 3), "3.070");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_UNC], 3), "3.502");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_UC], 3), "3.598");
	ck_assert_double_eq_tol(cmd_sdr_convert_hysteresis(s, s->hyst_neg), 0.032, 1e-12);

	find_record("Sys Power", &r);
	ck_assert_uint_eq(s->number, 10);
	ck_assert_uint_eq(s->sensor_type, 0x0b);
	ck_assert_str_eq(ipmistr_sensor_type(s->sensor_type), "Other");
	ck_assert_str_eq(units(s), "Watts");
	ck_assert_uint_eq(s->readable_mask, 0);
	ck_assert_str_eq(fmt(s, 110, 2), "220");
	ck_assert_str_eq(fmt(s, s->nominal, 3), "200");

	find_record("SAT Temp", &r);
	ck_assert_uint_eq(s->owner_id, 0x30);
	ck_assert_uint_eq(s->number, 1);
	ck_assert_uint_eq(s->entity_id, 7);
	ck_assert_uint_eq(s->entity_instance, 2);
	ck_assert_str_eq(fmt(s, 38, 2), "38");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_UNC], 3), "75");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_UC], 3), "85");
	ck_assert_str_eq(fmt(s, s->threshold[CMD_SENSOR_UNR], 3), "95");
}
END_TEST

START_TEST(fixture_other_records)
{
	struct cmd_sdr_record r;
	const struct cmd_sdr_sensor *s = &r.u.sensor;
	static const struct {
		const char *name;
		uint8_t number, type, entity;
		uint16_t mask;
	} compact[] = {
		{ "PSU1 Status", 7, 0x08, 0x0a, 0x000f },
		{ "Intrusion", 8, 0x05, 0x17, 0x0003 },
		{ "CPU Status", 9, 0x07, 0x03, 0x0083 },
	};

	load_emu();
	for (size_t i = 0; i < 3; i++) {
		find_record(compact[i].name, &r);
		ck_assert_uint_eq(r.type, CMD_SDR_COMPACT);
		ck_assert_uint_eq(s->record_type, CMD_SDR_COMPACT);
		ck_assert_uint_eq(s->owner_id, 0x20);
		ck_assert_uint_eq(s->number, compact[i].number);
		ck_assert_uint_eq(s->sensor_type, compact[i].type);
		ck_assert_uint_eq(s->event_type, 0x6f);
		ck_assert_uint_eq(s->entity_id, compact[i].entity);
		ck_assert_uint_eq(s->entity_instance, 1);
		ck_assert_uint_eq(s->assert_mask, compact[i].mask);
		ck_assert_uint_eq(s->deassert_mask, compact[i].mask);
		ck_assert_uint_eq(s->reading_mask, compact[i].mask);
		ck_assert_uint_eq(s->analog_format, 3);
		ck_assert_uint_eq(s->share_count, 1);
		ck_assert(!cmd_sdr_is_analog(s));
		ck_assert_double_eq(cmd_sdr_convert(s, 0x55), 0.0);
	}

	find_record("System FRU", &r);
	ck_assert_uint_eq(r.type, CMD_SDR_FRU_LOCATOR);
	ck_assert_uint_eq(r.u.fru.access_addr, 0x20);
	ck_assert_uint_eq(r.u.fru.fru_id, 0);
	ck_assert(r.u.fru.logical);
	ck_assert_uint_eq(r.u.fru.access_lun, 0);
	ck_assert_uint_eq(r.u.fru.private_bus, 0);
	ck_assert_uint_eq(r.u.fru.channel, 0);
	ck_assert_uint_eq(r.u.fru.device_type, 0x10);
	ck_assert_uint_eq(r.u.fru.device_type_mod, 0);
	ck_assert_uint_eq(r.u.fru.entity_id, 0x17);
	ck_assert_uint_eq(r.u.fru.entity_instance, 1);

	find_record("BMC", &r);
	ck_assert_uint_eq(r.type, CMD_SDR_MC_LOCATOR);
	ck_assert_uint_eq(r.u.mc.slave_addr, 0x20);
	ck_assert_uint_eq(r.u.mc.capabilities, 0x9f);
	ck_assert_uint_eq(r.u.mc.entity_id, 6);
	ck_assert_uint_eq(r.u.mc.entity_instance, 1);
	ck_assert_uint_eq(r.u.mc.channel, 0);
	find_record("Satellite MC", &r);
	ck_assert_uint_eq(r.u.mc.slave_addr, 0x30);
	ck_assert_uint_eq(r.u.mc.capabilities, 0x21);
	ck_assert_uint_eq(r.u.mc.entity_instance, 2);
}
END_TEST

/* Every cut of every fixture record fails; so do a longer buffer and a
 * header length that cuts the fixed part or the ID string. */
START_TEST(fixture_truncations)
{
	load_emu();
	for (size_t i = 0; i < emu.nsdr; i++) {
		size_t len = emu.sdr[i].len;
		uint8_t *p = malloc(len + 8);
		struct cmd_sdr_record r, keep;

		ck_assert_ptr_nonnull(p);
		memset(&keep, 0xa5, sizeof(keep));
		for (size_t n = 0; n < len; n++) {
			uint8_t *q = malloc(n > 0 ? n : 1);

			memcpy(q, emu.sdr[i].rec, n);
			r = keep;
			ck_assert_int_eq(cmd_sdr_parse(q, n, &r), IPMI_E_TRUNCATED);
			ck_assert_mem_eq(&r, &keep, sizeof(r));
			free(q);
		}
		memcpy(p, emu.sdr[i].rec, len);
		p[len] = 0;
		ck_assert_int_eq(cmd_sdr_parse(p, len + 1, &r), IPMI_E_MALFORMED);
		/* Shorter header lengths, record cut to match: fixed part or ID cut. */
		for (unsigned l = 0; l < p[4]; l++) {
			uint8_t save = p[4];

			p[4] = (uint8_t)l;
			r = keep;
			ck_assert_int_eq(cmd_sdr_parse(p, 5 + l, &r), IPMI_E_TRUNCATED);
			ck_assert_mem_eq(&r, &keep, sizeof(r));
			p[4] = save;
		}
		/* Padding after the ID string inside the length is tolerated. */
		memset(p + len, 0, 8);
		p[4] = (uint8_t)(p[4] + 8);
		ck_assert_int_eq(cmd_sdr_parse(p, len + 8, &r), 0);
		{
			struct cmd_sdr_record orig;

			ck_assert_int_eq(cmd_sdr_parse(emu.sdr[i].rec, len, &orig), 0);
			if (r.type <= CMD_SDR_EVENT_ONLY)
				ck_assert_str_eq(r.u.sensor.name, orig.u.sensor.name);
		}
		free(p);
	}
}
END_TEST

/* A header (5 bytes) + body; returns the record length. */
static size_t
mkrec(uint8_t *rec, uint8_t type, const uint8_t *body, size_t blen)
{
	rec[0] = 0x34;
	rec[1] = 0x12;
	rec[2] = 0x51;
	rec[3] = type;
	rec[4] = (uint8_t)blen;
	memcpy(rec + 5, body, blen);
	return 5 + blen;
}

START_TEST(handmade_records)
{
	/* Compact, 6-bit ASCII name "IPMI", owner software id 41h, LUN 2, channel 3. */
	static const uint8_t compact[] = {
		0x41, 0x32, 0x10, 0x07, 0x85, /* owner, channel/LUN, number, entity */
		0x00, 0x00, 0x0d, 0x08,       /* init, caps, sensor type, event type */
		0x01, 0x02, 0x03, 0x00,       /* assertion, deassertion masks */
		0x04, 0x00, 0xc0, 0x00, 0x00, /* reading mask, units 1, base, modifier */
		0x9f, 0xa5,                   /* sharing: direction 2, alpha, 15; shared, 25h */
		0x00, 0x00, 0x00, 0x00, 0x00, /* hysteresis, reserved */
		0x77, 0x83, 0x29, 0xdc, 0xa6, /* OEM, 6-bit ASCII "IPMI" */
	};
	/* Event-only, BCD plus name "12-3". */
	static const uint8_t evonly[] = { 0x20, 0x01, 0x42, 0x1e, 0x02, 0x12, 0x6f,
		                          0x52, 0x8a, 0x00, 0x99, 0x42, 0x12, 0xb3 };
	uint8_t rec[300];
	struct cmd_sdr_record r;
	const struct cmd_sdr_sensor *s = &r.u.sensor;
	uint16_t id;
	uint8_t ver, type, len;
	size_t n;

	n = mkrec(rec, CMD_SDR_COMPACT, compact, sizeof(compact));
	ck_assert_int_eq(cmd_sdr_parse(rec, n, &r), 0);
	ck_assert_uint_eq(r.id, 0x1234);
	ck_assert_uint_eq(s->owner_id, 0x41);
	ck_assert_uint_eq(s->owner_lun, 2);
	ck_assert_uint_eq(s->channel, 3);
	ck_assert_uint_eq(s->number, 0x10);
	ck_assert_uint_eq(s->entity_instance, 5);
	ck_assert(s->entity_logical);
	ck_assert_uint_eq(s->sensor_type, 0x0d);
	ck_assert_uint_eq(s->event_type, 0x08);
	ck_assert_uint_eq(s->assert_mask, 0x0201);
	ck_assert_uint_eq(s->direction, 2);
	ck_assert_uint_eq(s->id_mod_type, 1);
	ck_assert_uint_eq(s->share_count, 15);
	ck_assert(s->entity_inst_shared);
	ck_assert_uint_eq(s->id_mod_offset, 0x25);
	ck_assert_uint_eq(s->oem, 0x77);
	ck_assert_uint_eq(s->id_type, IPMISTR_TL_ASCII6);
	ck_assert_uint_eq(s->id_len, 3);
	ck_assert_str_eq(s->name, "IPMI");

	n = mkrec(rec, CMD_SDR_EVENT_ONLY, evonly, sizeof(evonly));
	ck_assert_int_eq(cmd_sdr_parse(rec, n, &r), 0);
	ck_assert_uint_eq(r.type, CMD_SDR_EVENT_ONLY);
	ck_assert_uint_eq(s->record_type, CMD_SDR_EVENT_ONLY);
	ck_assert_uint_eq(s->owner_id, 0x20);
	ck_assert_uint_eq(s->owner_lun, 1);
	ck_assert_uint_eq(s->number, 0x42);
	ck_assert_uint_eq(s->entity_id, 0x1e);
	ck_assert_uint_eq(s->sensor_type, 0x12);
	ck_assert_uint_eq(s->event_type, 0x6f);
	ck_assert_uint_eq(s->direction, 1);
	ck_assert_uint_eq(s->id_mod_type, 1);
	ck_assert_uint_eq(s->share_count, 2);
	ck_assert(s->entity_inst_shared);
	ck_assert_uint_eq(s->id_mod_offset, 0x0a);
	ck_assert_uint_eq(s->oem, 0x99);
	ck_assert_uint_eq(s->analog_format, 3);
	ck_assert_str_eq(s->name, "12-3");
	for (size_t k = 0; k < n; k++)
		ck_assert_int_eq(cmd_sdr_parse(rec, k, &r), IPMI_E_TRUNCATED);

	/* Other record types: skipped, header still readable. */
	n = mkrec(rec, 0x08, evonly, 4);
	ck_assert_int_eq(cmd_sdr_parse(rec, n, &r), IPMI_E_UNSUPPORTED);
	ck_assert_int_eq(cmd_sdr_header_parse(rec, n, &id, &ver, &type, &len), 0);
	ck_assert_uint_eq(id, 0x1234);
	ck_assert_uint_eq(ver, 0x51);
	ck_assert_uint_eq(type, 0x08);
	ck_assert_uint_eq(len, 4);
	n = mkrec(rec, 0xc0, evonly, 0);
	ck_assert_int_eq(cmd_sdr_parse(rec, n, &r), IPMI_E_UNSUPPORTED);
	ck_assert_int_eq(cmd_sdr_header_parse(rec, 4, &id, &ver, &type, &len), IPMI_E_TRUNCATED);
	/* An ID string longer than the record: truncated. */
	n = mkrec(rec, CMD_SDR_EVENT_ONLY, evonly, sizeof(evonly));
	rec[5 + 11] = 0xc5;
	ck_assert_int_eq(cmd_sdr_parse(rec, n, &r), IPMI_E_TRUNCATED);
}
END_TEST

/* A full record template with settable factors. */
static void
full_sensor(struct cmd_sdr_sensor *s, int m, int b, int bexp, int rexp, uint8_t fmt_, uint8_t lin)
{
	uint8_t f[6];
	unsigned mm = (unsigned)m & 0x3ff, bb = (unsigned)b & 0x3ff;

	memset(s, 0, sizeof(*s));
	s->record_type = CMD_SDR_FULL;
	s->event_type = 0x01;
	s->analog_format = fmt_;
	s->linearization = lin;
	f[0] = (uint8_t)mm;
	f[1] = (uint8_t)((mm >> 8) << 6 | 0x15);
	f[2] = (uint8_t)bb;
	f[3] = (uint8_t)((bb >> 8) << 6 | 0x2a);
	f[4] = 0xb6;
	f[5] = (uint8_t)(((unsigned)rexp & 0xf) << 4 | ((unsigned)bexp & 0xf));
	cmd_sdr_set_factors(s, f);
}

START_TEST(conversion)
{
	struct cmd_sdr_sensor s;
	char buf[64];

	/* 10-bit signed M and B, 4-bit signed exponents, accuracy bits. */
	full_sensor(&s, -512, 511, -8, 7, 0, 0);
	ck_assert_int_eq(s.m, -512);
	ck_assert_int_eq(s.b, 511);
	ck_assert_int_eq(s.b_exp, -8);
	ck_assert_int_eq(s.r_exp, 7);
	ck_assert_uint_eq(s.tolerance, 0x15);
	ck_assert_uint_eq(s.accuracy, 0x2a | 0xb0 << 2);
	ck_assert_uint_eq(s.accuracy_exp, 1);
	ck_assert_uint_eq(s.direction, 2);
	full_sensor(&s, -1, -1, -1, -1, 0, 0);
	ck_assert_int_eq(s.m, -1);
	ck_assert_int_eq(s.b, -1);
	ck_assert_double_eq_tol(cmd_sdr_convert(&s, 10), (-10 - 0.1) * 0.1, 1e-12);

	/* Data formats: unsigned, 1's complement (FFh = -0), 2's complement. */
	full_sensor(&s, 2, 0, 0, 0, 0, 0);
	ck_assert_double_eq(cmd_sdr_convert(&s, 0xff), 510.0);
	full_sensor(&s, 2, 0, 0, 0, 1, 0);
	ck_assert_double_eq(cmd_sdr_convert(&s, 0xfe), -2.0);
	ck_assert_double_eq(cmd_sdr_convert(&s, 0xff), 0.0);
	ck_assert_double_eq(cmd_sdr_convert(&s, 0x80), -254.0);
	ck_assert_double_eq(cmd_sdr_convert(&s, 0x7f), 254.0);
	full_sensor(&s, 2, 0, 0, 0, 2, 0);
	ck_assert_double_eq(cmd_sdr_convert(&s, 0xff), -2.0);
	ck_assert_double_eq(cmd_sdr_convert(&s, 0x80), -256.0);
	ck_assert_int_ge(cmd_sdr_format(&s, 0xf6, 2, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "-20");
	full_sensor(&s, 2, 0, 0, 0, 3, 0);
	ck_assert_double_eq(cmd_sdr_convert(&s, 0x10), 0.0);
	ck_assert(!cmd_sdr_is_analog(&s));
	ck_assert_double_eq(cmd_sdr_convert_hysteresis(&s, 0x10), 0.0);

	/* Linearizations (x = 4 after M=1). */
	{
		static const struct {
			uint8_t lin;
			double want;
		} t[] = {
			{ 0x00, 4.0 },
			{ 0x01, 1.3862943611198906 },
			{ 0x02, 0.6020599913279624 },
			{ 0x03, 2.0 },
			{ 0x04, 54.598150033144236 },
			{ 0x05, 10000.0 },
			{ 0x06, 16.0 },
			{ 0x07, 0.25 },
			{ 0x08, 16.0 },
			{ 0x09, 64.0 },
			{ 0x0a, 2.0 },
			{ 0x0b, 1.5874010519681994 },
			{ 0x0c, 4.0 },
			{ 0x70, 4.0 },
			{ 0x7f, 4.0 },
		};

		for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
			full_sensor(&s, 1, 0, 0, 0, 0, t[i].lin);
			ck_assert_double_eq_tol(cmd_sdr_convert(&s, 4), t[i].want, 1e-9);
		}
		full_sensor(&s, 1, 0, 0, 0, 0, 0x07);
		ck_assert(isinf(cmd_sdr_convert(&s, 0)));
		ck_assert_int_ge(cmd_sdr_format(&s, 0, 2, buf, sizeof(buf)), 0);
		ck_assert_str_eq(buf, "inf");
	}
	ck_assert_str_eq(cmd_sdr_linearization_name(0), "linear");
	ck_assert_str_eq(cmd_sdr_linearization_name(0x0b), "cube-root");
	ck_assert_str_eq(cmd_sdr_linearization_name(0x8b), "cube-root");
	ck_assert_str_eq(cmd_sdr_linearization_name(0x0c), "unknown");
	ck_assert_str_eq(cmd_sdr_linearization_name(0x71), "non-linear");

	/* Hysteresis ignores B. */
	full_sensor(&s, 63, -7, 2, -3, 0, 0);
	ck_assert_double_eq_tol(cmd_sdr_convert_hysteresis(&s, 2), 0.126, 1e-12);
	/* Percentage and modifier units. */
	s.percentage = true;
	s.base_unit = 0;
	ck_assert_int_ge(cmd_sdr_units(&s, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "percent");
	s.base_unit = 6;
	s.mod_unit = 24;
	s.mod_rel = IPMISTR_UNIT_MOD_DIV;
	ck_assert_int_ge(cmd_sdr_units(&s, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "% Watts/hour");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cmd_sdr");
	TCase *tc = tu_tcase(s, "messages");

	tcase_add_test(tc, repo_messages);
	tcase_add_test(tc, assemble_captured);
	tcase_add_test(tc, assemble_edges);
	tc = tu_tcase(s, "records");
	tcase_add_test(tc, fixture_full_records);
	tcase_add_test(tc, fixture_other_records);
	tcase_add_test(tc, fixture_truncations);
	tcase_add_test(tc, handmade_records);
	tc = tu_tcase(s, "conversion");
	tcase_add_test(tc, conversion);
	return tu_run(s);
}
