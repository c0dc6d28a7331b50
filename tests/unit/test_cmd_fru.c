/*
 * test_cmd_fru.c - FRU inventory messages and the FRU image parser
 * (cmd_fru.h): the bmcsim fixture's image (tests/bmcsim/bmc.emu, and as
 * read over Read FRU Data) against the README and ipmitool 1.8.19's `fru
 * print`; every truncation, bad checksums, bad versions, lengths past the
 * area or image, missing end markers, and the other field encodings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bmcemu.h"
#include "cmd_fru.h"
#include "ipmierr.h"
#include "ipmistr.h"
#include "tutil.h"

/* ipmitool raw 0x0a 0x11 0 OFF 0 32 on the fixture (OFF = 0, 32 .. 224). */
static const char *const captured_fru[] = {
	"20 01 00 01 07 10 00 00 e7 01 06 17 cb 43 48 53 2d 31 30 30 30 2d 30 31 c8 43 53 4e 2d "
	"30 30 30 31",
	"20 ce 62 6d 63 73 69 6d 20 63 68 61 73 73 69 73 c1 00 00 00 00 00 00 00 0b 01 09 00 70 "
	"08 e1 ce 41",
	"20 63 6d 65 20 53 69 6d 75 6c 61 74 65 64 d0 42 4d 43 53 49 4d 20 4d 61 69 6e 62 6f 61 "
	"72 64 c8 42",
	"20 53 4e 2d 30 30 30 31 cb 42 52 44 2d 32 30 30 30 2d 30 32 ca 62 6d 63 73 69 6d 2e 66 "
	"72 75 c1 1e",
	"20 01 0b 00 ce 41 63 6d 65 20 53 69 6d 75 6c 61 74 65 64 cd 42 4d 43 53 49 4d 20 53 65 "
	"72 76 65 72",
	"20 cb 50 52 44 2d 33 30 30 30 2d 30 33 c3 31 2e 30 c8 50 53 4e 2d 30 30 30 31 ca 41 53 "
	"53 45 54 2d",
	"20 30 30 30 31 ca 62 6d 63 73 69 6d 2e 66 72 75 c1 00 00 00 00 00 00 00 e6 00 00 00 00 "
	"00 00 00 00",
	"20 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
	"00 00 00 00",
};

/* ipmitool fru print 0 on the fixture. */
static const char *const ipmitool_fru_print[] = {
	" Chassis Type          : Rack Mount Chassis",
	" Chassis Part Number   : CHS-1000-01",
	" Chassis Serial        : CSN-0001",
	" Chassis Extra         : bmcsim chassis",
	" Board Mfg Date        : Mon Jan 15 12:00:00 2024 UTC",
	" Board Mfg             : Acme Simulated",
	" Board Product         : BMCSIM Mainboard",
	" Board Serial          : BSN-0001",
	" Board Part Number     : BRD-2000-02",
	" Product Manufacturer  : Acme Simulated",
	" Product Name          : BMCSIM Server",
	" Product Part Number   : PRD-3000-03",
	" Product Version       : 1.0",
	" Product Serial        : PSN-0001",
	" Product Asset Tag     : ASSET-0001",
};

static struct bmcemu emu;

static void
parse_ok(const uint8_t *img, size_t len, struct cmd_fru *f)
{
	enum cmd_fru_area area = CMD_FRU_AREA_MULTIRECORD;
	int rc = cmd_fru_parse(img, len, f, &area);

	ck_assert_msg(rc == 0, "parse: %s in %s", ipmierr_str(rc), cmd_fru_area_name(area));
}

static void
parse_fails(const uint8_t *img, size_t len, int want, enum cmd_fru_area want_area)
{
	struct cmd_fru *f = malloc(sizeof(*f)), *keep = malloc(sizeof(*keep));
	enum cmd_fru_area area = CMD_FRU_AREA_MULTIRECORD;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(keep);
	memset(keep, 0x5a, sizeof(*keep));
	memcpy(f, keep, sizeof(*f));
	ck_assert_int_eq(cmd_fru_parse(img, len, f, &area), want);
	ck_assert_msg(area == want_area, "area %s, want %s", cmd_fru_area_name(area),
	              cmd_fru_area_name(want_area));
	ck_assert_mem_eq(f, keep, sizeof(*f));
	ck_assert_int_eq(cmd_fru_parse(img, len, f, NULL), want);
	free(f);
	free(keep);
}

START_TEST(fixture_image)
{
	struct cmd_fru *f = malloc(sizeof(*f));
	char date[IPMISTR_ISO8601_LEN];

	ck_assert_ptr_nonnull(f);
	bmcemu_load(&emu);
	ck_assert_uint_eq(emu.fru_size, 256);
	parse_ok(emu.fru, emu.fru_len, f);
	ck_assert_mem_eq(f->offset, "\x00\x01\x07\x10\x00", 5);
	ck_assert(f->has_chassis && f->has_board && f->has_product);

	ck_assert_uint_eq(f->chassis.type, 0x17);
	ck_assert_str_eq(cmd_fru_chassis_type_name(f->chassis.type), "Rack Mount Chassis");
	ck_assert_str_eq(f->chassis.part_number.text, "CHS-1000-01");
	ck_assert_str_eq(f->chassis.serial.text, "CSN-0001");
	ck_assert_uint_eq(f->chassis.extra.count, 1);
	ck_assert_str_eq(f->chassis.extra.field[0].text, "bmcsim chassis");

	ck_assert_uint_eq(f->board.language, 0);
	ck_assert_uint_eq(f->board.mfg_minutes, 0xe10870);
	ck_assert_int_eq(f->board.mfg_time, 1705320000);
	ck_assert_int_eq(ipmistr_iso8601(f->board.mfg_time, date, sizeof(date)), 20);
	ck_assert_str_eq(date, "2024-01-15T12:00:00Z");
	ck_assert_str_eq(f->board.manufacturer.text, "Acme Simulated");
	ck_assert_str_eq(f->board.product.text, "BMCSIM Mainboard");
	ck_assert_str_eq(f->board.serial.text, "BSN-0001");
	ck_assert_str_eq(f->board.part_number.text, "BRD-2000-02");
	ck_assert_str_eq(f->board.file_id.text, "bmcsim.fru");
	ck_assert(f->board.file_id.present);
	ck_assert_uint_eq(f->board.file_id.type, IPMISTR_TL_LATIN1);
	ck_assert_uint_eq(f->board.file_id.len, 10);
	ck_assert_uint_eq(f->board.extra.count, 0);

	ck_assert_str_eq(f->product.manufacturer.text, "Acme Simulated");
	ck_assert_str_eq(f->product.name.text, "BMCSIM Server");
	ck_assert_str_eq(f->product.part_number.text, "PRD-3000-03");
	ck_assert_str_eq(f->product.version.text, "1.0");
	ck_assert_str_eq(f->product.serial.text, "PSN-0001");
	ck_assert_str_eq(f->product.asset_tag.text, "ASSET-0001");
	ck_assert_str_eq(f->product.file_id.text, "bmcsim.fru");
	ck_assert_uint_eq(f->product.extra.count, 0);
	free(f);
}
END_TEST

/* ipmitool `fru print` lines rebuilt from the parsed image. */
START_TEST(fru_print_lines)
{
	static const char *const wday[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct cmd_fru *f = malloc(sizeof(*f));
	struct ipmistr_tm tm;
	char lines[15][96];
	size_t k = 0;

	ck_assert_ptr_nonnull(f);
	bmcemu_load(&emu);
	parse_ok(emu.fru, emu.fru_len, f);
#define LINE(label, value) snprintf(lines[k++], sizeof(lines[0]), " %-22s: %s", label, value)
	LINE("Chassis Type", cmd_fru_chassis_type_name(f->chassis.type));
	LINE("Chassis Part Number", f->chassis.part_number.text);
	LINE("Chassis Serial", f->chassis.serial.text);
	LINE("Chassis Extra", f->chassis.extra.field[0].text);
	ipmistr_utc(f->board.mfg_time, &tm);
	snprintf(lines[k++], sizeof(lines[0]), " %-22s: %s %s %2d %02d:%02d:%02d %d UTC",
	         "Board Mfg Date", wday[tm.wday], mon[tm.mon - 1], tm.mday, tm.hour, tm.min, tm.sec,
	         tm.year);
	LINE("Board Mfg", f->board.manufacturer.text);
	LINE("Board Product", f->board.product.text);
	LINE("Board Serial", f->board.serial.text);
	LINE("Board Part Number", f->board.part_number.text);
	LINE("Product Manufacturer", f->product.manufacturer.text);
	LINE("Product Name", f->product.name.text);
	LINE("Product Part Number", f->product.part_number.text);
	LINE("Product Version", f->product.version.text);
	LINE("Product Serial", f->product.serial.text);
	LINE("Product Asset Tag", f->product.asset_tag.text);
#undef LINE
	for (size_t i = 0; i < k; i++)
		ck_assert_str_eq(lines[i], ipmitool_fru_print[i]);
	free(f);
}
END_TEST

/* Read FRU Data answers reassembled into the emu file's image. */
START_TEST(read_captured)
{
	uint8_t img[256], b[64], req[4];
	size_t used = 0;
	struct cmd_fru *f = malloc(sizeof(*f));
	struct cmd_fru_info info;

	ck_assert_ptr_nonnull(f);
	bmcemu_load(&emu);
	/* ipmitool raw 0x0a 0x10 0: 256 bytes, byte access. */
	ck_assert_int_eq(cmd_fru_info_decode((const uint8_t *)"\x00\x01\x00", 3, &info), 0);
	ck_assert_uint_eq(info.size, 256);
	ck_assert(!info.words);
	ck_assert_str_eq(cmd_fru_access_name(info.words), "bytes");
	for (size_t i = 0; i < sizeof(captured_fru) / sizeof(captured_fru[0]); i++) {
		size_t n = tu_hex(captured_fru[i], b, sizeof(b)), clen;
		const uint8_t *chunk;

		ck_assert_int_eq(cmd_fru_read_req(0, (uint16_t)used, 32, false, req), 4);
		ck_assert_uint_eq(req[0], 0);
		ck_assert_uint_eq(req[1] | req[2] << 8, used);
		ck_assert_uint_eq(req[3], 32);
		ck_assert_int_eq(cmd_fru_read_decode(b, n, false, &chunk, &clen), 0);
		ck_assert_uint_eq(clen, 32);
		memcpy(img + used, chunk, clen);
		used += clen;
	}
	ck_assert_uint_eq(used, 256);
	ck_assert_mem_eq(img, emu.fru, emu.fru_len);
	for (size_t i = emu.fru_len; i < 256; i++)
		ck_assert_uint_eq(img[i], 0);
	parse_ok(img, used, f);
	ck_assert_str_eq(f->product.asset_tag.text, "ASSET-0001");
	/* The fixture's short read at the end (offset F0h, 32 asked): 16 bytes. */
	{
		const uint8_t *chunk;
		size_t clen;

		memset(b, 0, sizeof(b));
		b[0] = 0x10;
		ck_assert_int_eq(cmd_fru_read_decode(b, 17, false, &chunk, &clen), 0);
		ck_assert_uint_eq(clen, 16);
		ck_assert_int_eq(cmd_fru_read_decode(b, 16, false, &chunk, &clen),
		                 IPMI_E_TRUNCATED);
		ck_assert_int_eq(cmd_fru_read_decode(b, 18, false, &chunk, &clen),
		                 IPMI_E_MALFORMED);
		ck_assert_int_eq(cmd_fru_read_decode(b, 0, false, &chunk, &clen), IPMI_E_TRUNCATED);
		/* Word access: the count is in words. */
		b[0] = 0x08;
		ck_assert_int_eq(cmd_fru_read_decode(b, 17, true, &chunk, &clen), 0);
		ck_assert_uint_eq(clen, 16);
		ck_assert_int_eq(cmd_fru_read_decode(b, 9, true, &chunk, &clen), IPMI_E_TRUNCATED);
	}
	free(f);
}
END_TEST

START_TEST(messages)
{
	uint8_t req[4];
	struct cmd_fru_info info, keep = { 0x7777, true };

	ck_assert_int_eq(cmd_fru_info_req(3, req), 1);
	ck_assert_uint_eq(req[0], 3);
	ck_assert_int_eq(cmd_fru_info_decode((const uint8_t *)"\x00\x10\x01", 3, &info), 0);
	ck_assert_uint_eq(info.size, 4096);
	ck_assert(info.words);
	ck_assert_str_eq(cmd_fru_access_name(info.words), "words");
	info = keep;
	ck_assert_int_eq(cmd_fru_info_decode((const uint8_t *)"\x00\x10", 2, &info),
	                 IPMI_E_TRUNCATED);
	ck_assert_int_eq(cmd_fru_info_decode((const uint8_t *)"\x00\x10\x01\x00", 4, &info),
	                 IPMI_E_MALFORMED);
	ck_assert_uint_eq(info.size, keep.size);
	ck_assert_int_eq(cmd_fru_read_req(1, 0x1234, 0x20, true, req), 4);
	ck_assert_mem_eq(req, "\x01\x1a\x09\x10", 4);
	ck_assert_int_eq(cmd_fru_read_req(1, 0x1235, 0x20, true, req), IPMI_E_ARG);
	ck_assert_int_eq(cmd_fru_read_req(1, 0x1234, 0x21, true, req), IPMI_E_ARG);
	ck_assert_int_eq(cmd_fru_read_req(1, 0x1235, 0x21, false, req), 4);
	ck_assert_mem_eq(req, "\x01\x35\x12\x21", 4);
}
END_TEST

/* Every cut of the used image fails, naming the area the cut falls in. */
START_TEST(truncations)
{
	size_t ends[3];
	enum cmd_fru_area areas[3] = { CMD_FRU_AREA_CHASSIS, CMD_FRU_AREA_BOARD,
		                       CMD_FRU_AREA_PRODUCT };
	struct cmd_fru *f = malloc(sizeof(*f));

	ck_assert_ptr_nonnull(f);
	bmcemu_load(&emu);
	ends[0] = 8 + (size_t)emu.fru[9] * 8;
	ends[1] = 56 + (size_t)emu.fru[57] * 8;
	ends[2] = 128 + (size_t)emu.fru[129] * 8;
	ck_assert_uint_eq(ends[0], 56);
	ck_assert_uint_eq(ends[1], 128);
	ck_assert_uint_eq(ends[2], emu.fru_len);
	for (size_t n = 0; n < emu.fru_len; n++) {
		uint8_t *p = malloc(n > 0 ? n : 1);
		enum cmd_fru_area want = CMD_FRU_AREA_HEADER;

		memcpy(p, emu.fru, n);
		for (size_t a = 0; a < 3 && n >= 8; a++) {
			want = areas[a];
			if (n < ends[a])
				break;
		}
		parse_fails(p, n, IPMI_E_TRUNCATED, want);
		free(p);
	}
	parse_ok(emu.fru, emu.fru_len, f);
	free(f);
}
END_TEST

static void
fix_sum(uint8_t *p, size_t len)
{
	unsigned sum = 0;

	for (size_t i = 0; i + 1 < len; i++)
		sum += p[i];
	p[len - 1] = (uint8_t)(-sum & 0xff);
}

START_TEST(checksums_and_versions)
{
	uint8_t img[256];
	static const struct {
		size_t start, len;
		enum cmd_fru_area area;
	} a[] = {
		{ 0, 8, CMD_FRU_AREA_HEADER },
		{ 8, 48, CMD_FRU_AREA_CHASSIS },
		{ 56, 72, CMD_FRU_AREA_BOARD },
		{ 128, 88, CMD_FRU_AREA_PRODUCT },
	};

	bmcemu_load(&emu);
	for (size_t i = 0; i < 4; i++) {
		/* One flipped bit anywhere in the area, checksum byte included. */
		for (size_t k = 0; k < a[i].len; k++) {
			memcpy(img, emu.fru, emu.fru_len);
			img[a[i].start + k] ^= 0x01;
			parse_fails(img, emu.fru_len, IPMI_E_CHECKSUM, a[i].area);
		}
		/* Wrong format version, checksum fixed. */
		memcpy(img, emu.fru, emu.fru_len);
		img[a[i].start] = 0x02;
		fix_sum(img + a[i].start, a[i].len);
		parse_fails(img, emu.fru_len, IPMI_E_MALFORMED, a[i].area);
	}
}
END_TEST

START_TEST(bad_lengths)
{
	uint8_t img[256];

	bmcemu_load(&emu);
	/* Area length 0. */
	memcpy(img, emu.fru, emu.fru_len);
	img[57] = 0;
	parse_fails(img, emu.fru_len, IPMI_E_TRUNCATED, CMD_FRU_AREA_BOARD);
	/* Area length past the image. */
	memcpy(img, emu.fru, emu.fru_len);
	img[129] = 0x0c;
	fix_sum(img + 128, 88); /* the old checksum position; bounds fail first */
	parse_fails(img, emu.fru_len, IPMI_E_TRUNCATED, CMD_FRU_AREA_PRODUCT);
	/* Area offset past the image. */
	memcpy(img, emu.fru, emu.fru_len);
	img[4] = 0xff;
	fix_sum(img, 8);
	parse_fails(img, emu.fru_len, IPMI_E_TRUNCATED, CMD_FRU_AREA_PRODUCT);
	/* A field longer than its area: chassis serial claims 63 bytes. */
	memcpy(img, emu.fru, emu.fru_len);
	ck_assert_uint_eq(img[8 + 3 + 12], 0xc8);
	img[8 + 3 + 12] = 0xff;
	fix_sum(img + 8, 48);
	parse_fails(img, emu.fru_len, IPMI_E_TRUNCATED, CMD_FRU_AREA_CHASSIS);
	/* No end marker: the C1h becomes an empty field, then zero padding fields. */
	memcpy(img, emu.fru, emu.fru_len);
	ck_assert_uint_eq(img[8 + 39], 0xc1);
	img[8 + 39] = 0xc0;
	fix_sum(img + 8, 48);
	parse_fails(img, emu.fru_len, IPMI_E_TRUNCATED, CMD_FRU_AREA_CHASSIS);
	/* The end marker right after the board date: every field absent. */
	memcpy(img, emu.fru, emu.fru_len);
	img[56 + 6] = 0xc1;
	fix_sum(img + 56, 72);
	{
		struct cmd_fru *f = malloc(sizeof(*f));

		ck_assert_ptr_nonnull(f);
		parse_ok(img, emu.fru_len, f);
		ck_assert(f->has_board);
		ck_assert(!f->board.manufacturer.present);
		ck_assert_str_eq(f->board.manufacturer.text, "");
		ck_assert(!f->board.file_id.present);
		ck_assert_uint_eq(f->board.extra.count, 0);
		ck_assert(f->chassis.serial.present);
		free(f);
	}
}
END_TEST

/* Builds an area: fixed bytes, fields (T/L byte given), C1h, pad, checksum. */
static size_t
area(uint8_t *out, const uint8_t *fixed, size_t nfixed, const uint8_t *fields, size_t nfields)
{
	size_t n = 0;

	out[n++] = 0x01;
	out[n++] = 0;
	memcpy(out + n, fixed, nfixed);
	n += nfixed;
	memcpy(out + n, fields, nfields);
	n += nfields;
	out[n++] = 0xc1;
	while ((n + 1) % 8)
		out[n++] = 0;
	out[1] = (uint8_t)((n + 1) / 8);
	n++;
	fix_sum(out, n);
	return n;
}

START_TEST(encodings_and_extras)
{
	/* Board: date 0, manufacturer 6-bit "IPMI", product BCD "12-3", serial
	 * binary, part Latin 1 "Stra\xdf" "e", file id empty, 10 custom fields. */
	static const uint8_t board_fields[] = {
		0x83, 0x29, 0xdc, 0xa6, 0x42, 0x12, 0xb3, 0x03, 0xde, 0xad,
		0x01, 0xc6, 'S',  't',  'r',  'a',  0xdf, 'e',  0xc0,
	};
	uint8_t img[512], fields[64];
	struct cmd_fru *f = malloc(sizeof(*f));
	size_t n = 8, nf;

	ck_assert_ptr_nonnull(f);
	memset(img, 0, sizeof(img));
	img[0] = 0x01;
	img[3] = 1; /* board at 8 */
	fix_sum(img, 8);
	memcpy(fields, board_fields, sizeof(board_fields));
	nf = sizeof(board_fields);
	for (int i = 0; i < 10; i++) {
		fields[nf++] = 0xc1 + 1; /* "x<i>" as 2-byte Latin 1 */
		fields[nf++] = 'x';
		fields[nf++] = (uint8_t)('0' + i);
	}
	n += area(img + n, (const uint8_t *)"\x19\x00\x00\x00", 4, fields, nf);
	parse_ok(img, n, f);
	ck_assert(!f->has_chassis && f->has_board && !f->has_product);
	ck_assert_uint_eq(f->board.language, 0x19);
	ck_assert_uint_eq(f->board.mfg_minutes, 0);
	ck_assert_int_eq(f->board.mfg_time, CMD_FRU_EPOCH_1996);
	ck_assert_str_eq(f->board.manufacturer.text, "IPMI");
	ck_assert_uint_eq(f->board.manufacturer.type, IPMISTR_TL_ASCII6);
	ck_assert_str_eq(f->board.product.text, "12-3");
	ck_assert_str_eq(f->board.serial.text, "dead01");
	ck_assert_str_eq(f->board.part_number.text, "Stra\xc3\x9f"
	                                            "e");
	ck_assert(f->board.file_id.present);
	ck_assert_str_eq(f->board.file_id.text, "");
	ck_assert_uint_eq(f->board.extra.count, 10);
	for (int i = 0; i < CMD_FRU_EXTRA_MAX; i++) {
		char want[3] = { 'x', (char)('0' + i), 0 };

		ck_assert_str_eq(f->board.extra.field[i].text, want);
	}
	/* Every truncation of this image fails too. */
	for (size_t k = 0; k < n; k++) {
		uint8_t *p = malloc(k > 0 ? k : 1);

		memcpy(p, img, k);
		parse_fails(p, k, IPMI_E_TRUNCATED,
		            k < 8 ? CMD_FRU_AREA_HEADER : CMD_FRU_AREA_BOARD);
		free(p);
	}
	/* Header with no areas; trailing bytes after the last area are fine. */
	memset(img, 0, 64);
	img[0] = 0x01;
	fix_sum(img, 8);
	parse_ok(img, 64, f);
	ck_assert(!f->has_chassis && !f->has_board && !f->has_product);
	/* Chassis type names. */
	ck_assert_str_eq(cmd_fru_chassis_type_name(0x00), "Unspecified");
	ck_assert_str_eq(cmd_fru_chassis_type_name(0x11), "Main Server Chassis");
	ck_assert_str_eq(cmd_fru_chassis_type_name(0x1d), "Blade Enclosure");
	ck_assert_str_eq(cmd_fru_chassis_type_name(0x1e), "Unknown");
	ck_assert_str_eq(cmd_fru_area_name(CMD_FRU_AREA_HEADER), "common header");
	ck_assert_str_eq(cmd_fru_area_name(CMD_FRU_AREA_CHASSIS), "chassis");
	ck_assert_str_eq(cmd_fru_area_name(CMD_FRU_AREA_BOARD), "board");
	ck_assert_str_eq(cmd_fru_area_name(CMD_FRU_AREA_PRODUCT), "product");
	ck_assert_str_eq(cmd_fru_area_name(CMD_FRU_AREA_INTERNAL), "internal use");
	ck_assert_str_eq(cmd_fru_area_name(CMD_FRU_AREA_MULTIRECORD), "multirecord");
	free(f);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cmd_fru");
	TCase *tc = tu_tcase(s, "fixture");

	tcase_add_test(tc, fixture_image);
	tcase_add_test(tc, fru_print_lines);
	tcase_add_test(tc, read_captured);
	tcase_add_test(tc, messages);
	tc = tu_tcase(s, "errors");
	tcase_add_test(tc, truncations);
	tcase_add_test(tc, checksums_and_versions);
	tcase_add_test(tc, bad_lengths);
	tcase_add_test(tc, encodings_and_extras);
	return tu_run(s);
}
