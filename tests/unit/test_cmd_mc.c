/*
 * test_cmd_mc.c - Get Device ID decoding (cmd_mc.h) on the bmcsim fixture's
 * captured answers (BMC 0x20, bridged MC 0x30), pyghmi's 14-byte variant
 * and hand-built edge cases.
 */
#include <string.h>

#include <check.h>

#include "cmd_mc.h"
#include "ipmierr.h"
#include "tutil.h"

/* ipmitool raw 6 1 against the fixture (data after the completion code). */
#define DEVID_BMC    "20 01 01 23 02 9f d9 7e 00 53 42 00 00 00 00"
#define DEVID_SAT    "30 02 03 45 02 21 d9 7e 00 30 00 00 00 00 00"
#define DEVID_PYGHMI "00 00 01 00 02 00 00 00 00 00 00 00 00 00"

START_TEST(fixture_bmc)
{
	uint8_t b[32];
	size_t n = tu_hex(DEVID_BMC, b, sizeof(b));
	struct cmd_mc_devid d;
	static const char *const names[] = { "sensor",        "sdr_repository",      "sel",
		                             "fru_inventory", "ipmb_event_receiver", "chassis" };
	size_t k = 0;

	ck_assert_int_eq(cmd_mc_devid_decode(b, n, &d), 0);
	/* ipmitool mc info: Device ID 32, Revision 1, Firmware 1.23, IPMI 2.0 */
	ck_assert_uint_eq(d.device_id, 32);
	ck_assert_uint_eq(d.device_revision, 1);
	ck_assert(!d.provides_sdrs);
	ck_assert(d.device_available);
	ck_assert_str_eq(d.firmware, "1.23");
	ck_assert_uint_eq(d.fw_major, 1);
	ck_assert_uint_eq(d.fw_minor, 0x23);
	ck_assert_str_eq(d.ipmi_version_str, "2.0");
	ck_assert_uint_eq(d.ipmi_version, 0x02);
	ck_assert_uint_eq(d.manufacturer_id, 32473);
	ck_assert_uint_eq(d.product_id, 0x4253);
	ck_assert_uint_eq(d.support, 0x9f);
	ck_assert(d.has_aux);
	ck_assert_mem_eq(d.aux, "\0\0\0\0", 4);
	for (unsigned bit = 0; bit < 8; bit++) {
		if (!(d.support & (1u << bit)))
			continue;
		ck_assert_str_eq(cmd_mc_support_name(1u << bit), names[k]);
		k++;
	}
	ck_assert_uint_eq(k, 6);
}
END_TEST

START_TEST(fixture_satellite)
{
	uint8_t b[32];
	size_t n = tu_hex(DEVID_SAT, b, sizeof(b));
	struct cmd_mc_devid d;

	ck_assert_int_eq(cmd_mc_devid_decode(b, n, &d), 0);
	ck_assert_uint_eq(d.device_id, 0x30);
	ck_assert_uint_eq(d.device_revision, 2);
	ck_assert_str_eq(d.firmware, "3.45");
	ck_assert_str_eq(d.ipmi_version_str, "2.0");
	ck_assert_uint_eq(d.support, 0x21);
	ck_assert_uint_eq(d.support & CMD_MC_SUPPORT_SENSOR, CMD_MC_SUPPORT_SENSOR);
	ck_assert_uint_eq(d.support & CMD_MC_SUPPORT_EVENT_GEN, CMD_MC_SUPPORT_EVENT_GEN);
	ck_assert_uint_eq(d.product_id, 0x0030);
	ck_assert_uint_eq(d.manufacturer_id, 32473);
}
END_TEST

START_TEST(pyghmi_14_bytes)
{
	uint8_t b[32];
	size_t n = tu_hex(DEVID_PYGHMI, b, sizeof(b));
	struct cmd_mc_devid d;

	ck_assert_uint_eq(n, 14);
	ck_assert_int_eq(cmd_mc_devid_decode(b, n, &d), 0);
	ck_assert_str_eq(d.firmware, "1.00");
	ck_assert_str_eq(d.ipmi_version_str, "2.0");
	ck_assert_uint_eq(d.manufacturer_id, 0);
	ck_assert_uint_eq(d.product_id, 0);
	ck_assert(!d.has_aux);
}
END_TEST

START_TEST(bits_and_lengths)
{
	uint8_t b[20] = { 0x7f, 0x8f, 0xff, 0x99, 0x51, 0xff, 0xff, 0xff,
		          0xff, 0xcd, 0xab, 1,    2,    3,    4,    0xee };
	struct cmd_mc_devid d, keep;

	ck_assert_int_eq(cmd_mc_devid_decode(b, 15, &d), 0);
	ck_assert_uint_eq(d.device_revision, 0x0f);
	ck_assert(d.provides_sdrs);
	ck_assert(!d.device_available); /* bit 7 of byte 3: update/self-init in progress */
	ck_assert_str_eq(d.firmware, "127.99");
	ck_assert_str_eq(d.ipmi_version_str, "1.5");
	ck_assert_uint_eq(d.manufacturer_id, 0x0fffff); /* 20 bits only */
	ck_assert_uint_eq(d.product_id, 0xabcd);
	ck_assert_mem_eq(d.aux, "\1\2\3\4", 4);
	/* Non-BCD minor prints as ipmitool's %02x. */
	b[3] = 0x5a;
	ck_assert_int_eq(cmd_mc_devid_decode(b, 11, &d), 0);
	ck_assert_str_eq(d.firmware, "127.5a");
	ck_assert(!d.has_aux);
	/* 12-14 bytes: no aux; 16: aux, extra ignored. */
	for (size_t n = 12; n <= 14; n++) {
		ck_assert_int_eq(cmd_mc_devid_decode(b, n, &d), 0);
		ck_assert(!d.has_aux);
	}
	ck_assert_int_eq(cmd_mc_devid_decode(b, 16, &d), 0);
	ck_assert(d.has_aux);
	/* Every truncation below 11 bytes fails and leaves *out alone. */
	memset(&keep, 0x5c, sizeof(keep));
	for (size_t n = 0; n < 11; n++) {
		d = keep;
		ck_assert_int_eq(cmd_mc_devid_decode(b, n, &d), IPMI_E_TRUNCATED);
		ck_assert_mem_eq(&d, &keep, sizeof(d));
	}
	ck_assert_int_eq(cmd_mc_devid_decode(NULL, 0, &d), IPMI_E_TRUNCATED);
}
END_TEST

START_TEST(support_names)
{
	static const char *const names[8] = { "sensor",
		                              "sdr_repository",
		                              "sel",
		                              "fru_inventory",
		                              "ipmb_event_receiver",
		                              "ipmb_event_generator",
		                              "bridge",
		                              "chassis" };
	static const char *const texts[8] = { "Sensor Device",
		                              "SDR Repository Device",
		                              "SEL Device",
		                              "FRU Inventory Device",
		                              "IPMB Event Receiver",
		                              "IPMB Event Generator",
		                              "Bridge",
		                              "Chassis Device" };

	for (unsigned i = 0; i < 8; i++) {
		ck_assert_str_eq(cmd_mc_support_name(1u << i), names[i]);
		ck_assert_str_eq(cmd_mc_support_text(1u << i), texts[i]);
	}
	ck_assert_str_eq(cmd_mc_support_name(CMD_MC_SUPPORT_CHASSIS), "chassis");
	ck_assert_ptr_null(cmd_mc_support_name(0));
	ck_assert_ptr_null(cmd_mc_support_name(3));
	ck_assert_ptr_null(cmd_mc_support_name(0x100));
	ck_assert_ptr_null(cmd_mc_support_text(0x81));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cmd_mc");
	TCase *tc = tu_tcase(s, "devid");

	tcase_add_test(tc, fixture_bmc);
	tcase_add_test(tc, fixture_satellite);
	tcase_add_test(tc, pyghmi_14_bytes);
	tcase_add_test(tc, bits_and_lengths);
	tcase_add_test(tc, support_names);
	return tu_run(s);
}
