/*
 * test_cmd_chassis.c - Get Chassis Status, Chassis Control and the System
 * Boot Options messages of `chassis bootdev` (cmd_chassis.h): the
 * fixture's captured answers and ipmitool's request bytes.
 */
#include <string.h>

#include <check.h>

#include "cmd_chassis.h"
#include "ipmierr.h"
#include "tutil.h"

START_TEST(status_fixture)
{
	/* ipmitool raw 0 1: "System Power: on", policy always-off, nothing else. */
	static const uint8_t b[] = { 0x01, 0x00, 0x00 };
	struct cmd_chassis_status s;

	ck_assert_int_eq(cmd_chassis_status_decode(b, sizeof(b), &s), 0);
	ck_assert(s.power_on);
	ck_assert(!s.power_overload && !s.power_interlock && !s.power_fault);
	ck_assert(!s.power_control_fault);
	ck_assert_str_eq(cmd_chassis_policy_name(s.restore_policy), "always-off");
	ck_assert_uint_eq(s.last_event, 0);
	ck_assert(!s.intrusion && !s.front_panel_lockout && !s.drive_fault && !s.cooling_fault);
	ck_assert(!s.identify_supported);
	ck_assert(!s.has_front_panel);
}
END_TEST

START_TEST(status_bits)
{
	uint8_t b[5] = { 0, 0, 0, 0, 0 };
	struct cmd_chassis_status s, keep;
	static const char *const policies[4] = { "always-off", "previous", "always-on", "unknown" };

	for (unsigned bit = 0; bit < 5; bit++) {
		b[0] = (uint8_t)(1u << bit);
		ck_assert_int_eq(cmd_chassis_status_decode(b, 3, &s), 0);
		ck_assert_int_eq(s.power_on, bit == 0);
		ck_assert_int_eq(s.power_overload, bit == 1);
		ck_assert_int_eq(s.power_interlock, bit == 2);
		ck_assert_int_eq(s.power_fault, bit == 3);
		ck_assert_int_eq(s.power_control_fault, bit == 4);
	}
	for (unsigned p = 0; p < 4; p++) {
		b[0] = (uint8_t)(p << 5 | 0x80);
		ck_assert_int_eq(cmd_chassis_status_decode(b, 3, &s), 0);
		ck_assert_uint_eq(s.restore_policy, p);
		ck_assert_str_eq(cmd_chassis_policy_name(s.restore_policy), policies[p]);
	}
	b[0] = 0;
	b[1] = 0xff;
	b[2] = 0x0f;
	ck_assert_int_eq(cmd_chassis_status_decode(b, 3, &s), 0);
	ck_assert_uint_eq(s.last_event, 0x1f);
	ck_assert(s.intrusion && s.front_panel_lockout && s.drive_fault && s.cooling_fault);
	ck_assert(!s.identify_supported);
	/* Identify state (byte 3 bits 6:4) and the front panel byte. */
	b[2] = 0x60;
	b[3] = 0xa5;
	ck_assert_int_eq(cmd_chassis_status_decode(b, 4, &s), 0);
	ck_assert(s.identify_supported);
	ck_assert_uint_eq(s.identify_state, 2);
	ck_assert_str_eq(cmd_chassis_identify_name(s.identify_state), "indefinite");
	ck_assert(s.has_front_panel);
	ck_assert_uint_eq(s.front_panel, 0xa5);
	ck_assert_str_eq(cmd_chassis_identify_name(0), "off");
	ck_assert_str_eq(cmd_chassis_identify_name(1), "temporary");
	ck_assert_str_eq(cmd_chassis_identify_name(3), "reserved");
	/* Lengths: < 3 truncated, 5 malformed, *out untouched. */
	memset(&keep, 0x77, sizeof(keep));
	for (size_t n = 0; n < 3; n++) {
		s = keep;
		ck_assert_int_eq(cmd_chassis_status_decode(b, n, &s), IPMI_E_TRUNCATED);
		ck_assert_mem_eq(&s, &keep, sizeof(s));
	}
	ck_assert_int_eq(cmd_chassis_status_decode(b, 5, &s), IPMI_E_MALFORMED);
	ck_assert_mem_eq(&s, &keep, sizeof(s));
}
END_TEST

START_TEST(event_names)
{
	ck_assert_str_eq(cmd_chassis_event_name(CMD_CHASSIS_EV_AC_FAILED), "ac_failed");
	ck_assert_str_eq(cmd_chassis_event_name(CMD_CHASSIS_EV_OVERLOAD), "overload");
	ck_assert_str_eq(cmd_chassis_event_name(CMD_CHASSIS_EV_INTERLOCK), "interlock");
	ck_assert_str_eq(cmd_chassis_event_name(CMD_CHASSIS_EV_FAULT), "fault");
	ck_assert_str_eq(cmd_chassis_event_name(CMD_CHASSIS_EV_COMMAND), "command");
	ck_assert_ptr_null(cmd_chassis_event_name(0));
	ck_assert_ptr_null(cmd_chassis_event_name(0x03));
	ck_assert_ptr_null(cmd_chassis_event_name(0x20));
}
END_TEST

START_TEST(control)
{
	static const struct {
		const char *name;
		uint8_t byte;
	} t[] = { { "off", 0 },   { "on", 1 },   { "cycle", 2 },
		  { "reset", 3 }, { "diag", 4 }, { "soft", 5 } };
	enum cmd_chassis_action a;
	uint8_t out[1] = { 0xee };

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(cmd_chassis_action_parse(t[i].name, &a), 0);
		ck_assert_int_eq(cmd_chassis_control_req(a, out), 1);
		ck_assert_uint_eq(out[0], t[i].byte);
	}
	ck_assert_int_eq(cmd_chassis_action_parse("status", &a), IPMI_E_ARG);
	ck_assert_int_eq(cmd_chassis_action_parse("ON", &a), IPMI_E_ARG);
	ck_assert_int_eq(cmd_chassis_action_parse("", &a), IPMI_E_ARG);
	ck_assert_int_eq(cmd_chassis_action_parse(NULL, &a), IPMI_E_ARG);
	out[0] = 0xee;
	ck_assert_int_eq(cmd_chassis_control_req((enum cmd_chassis_action)6, out), IPMI_E_ARG);
	ck_assert_uint_eq(out[0], 0xee);
}
END_TEST

/* ipmitool chassis bootdev DEV [options=persistent,efiboot] param 5 bytes. */
START_TEST(bootdev_requests)
{
	static const struct {
		const char *name;
		uint8_t sel;
		const char *text;
	} t[] = {
		{ "none", 0x00, "No override" },
		{ "pxe", 0x04, "Force PXE" },
		{ "disk", 0x08, "Force Boot from default Hard-Drive" },
		{ "safe", 0x0c, "Force Boot from default Hard-Drive, request Safe-Mode" },
		{ "diag", 0x10, "Force Boot from Diagnostic Partition" },
		{ "cdrom", 0x14, "Force Boot from CD/DVD" },
		{ "bios", 0x18, "Force Boot into BIOS Setup" },
		{ "floppy", 0x3c, "Force Boot from Floppy/primary removable media" },
	};
	enum cmd_chassis_bootdev dev;
	uint8_t out[6];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(cmd_chassis_bootdev_parse(t[i].name, &dev), 0);
		ck_assert_uint_eq(dev, t[i].sel);
		ck_assert_str_eq(cmd_chassis_bootdev_name(t[i].sel), t[i].name);
		ck_assert_str_eq(cmd_chassis_bootdev_text(t[i].sel), t[i].text);
		ck_assert_int_eq(cmd_chassis_bootopt_flags_req(dev, false, false, out), 6);
		ck_assert_uint_eq(out[0], 5);
		ck_assert_uint_eq(out[1], 0x80);
		ck_assert_uint_eq(out[2], t[i].sel);
		ck_assert_mem_eq(out + 3, "\0\0\0", 3);
	}
	ck_assert_int_eq(cmd_chassis_bootopt_flags_req(CMD_CHASSIS_BOOT_PXE, true, false, out), 6);
	ck_assert_uint_eq(out[1], 0xc0);
	ck_assert_int_eq(cmd_chassis_bootopt_flags_req(CMD_CHASSIS_BOOT_PXE, false, true, out), 6);
	ck_assert_uint_eq(out[1], 0xa0);
	ck_assert_int_eq(cmd_chassis_bootopt_flags_req(CMD_CHASSIS_BOOT_DISK, true, true, out), 6);
	ck_assert_mem_eq(out, "\x05\xe0\x08\0\0\0", 6);
	ck_assert_int_eq(cmd_chassis_bootopt_flags_req((enum cmd_chassis_bootdev)0x28, 0, 0, out),
	                 IPMI_E_ARG);
	ck_assert_int_eq(cmd_chassis_bootopt_flags_req((enum cmd_chassis_bootdev)0x05, 0, 0, out),
	                 IPMI_E_ARG);
	ck_assert_int_eq(cmd_chassis_bootdev_parse("usb", &dev), IPMI_E_ARG);
	ck_assert_int_eq(cmd_chassis_bootdev_parse("force_pxe", &dev), IPMI_E_ARG);
	ck_assert_int_eq(cmd_chassis_bootdev_parse(NULL, &dev), IPMI_E_ARG);
	ck_assert_str_eq(cmd_chassis_bootdev_name(0x1c), "remote-floppy");
	ck_assert_str_eq(cmd_chassis_bootdev_name(0x20), "remote-cdrom");
	ck_assert_str_eq(cmd_chassis_bootdev_name(0x24), "remote-primary");
	ck_assert_str_eq(cmd_chassis_bootdev_name(0x2c), "remote-disk");
	ck_assert_ptr_null(cmd_chassis_bootdev_name(0x28));
	ck_assert_ptr_null(cmd_chassis_bootdev_name(0x30));
	ck_assert_str_eq(cmd_chassis_bootdev_text(0x2c),
	                 "Force Boot from remotely connected Hard-Drive");
	ck_assert_str_eq(cmd_chassis_bootdev_text(0x28), "Flag error");
}
END_TEST

START_TEST(bootopt_sequence)
{
	uint8_t b[6];

	/* The other steps of ipmitool's bootdev: 00 01, 04 01 01, ..., 00 02, 00 00. */
	ck_assert_int_eq(cmd_chassis_bootopt_progress_req(CMD_CHASSIS_SET_IN_PROGRESS, b), 2);
	ck_assert_mem_eq(b, "\x00\x01", 2);
	ck_assert_int_eq(cmd_chassis_bootopt_ack_req(b), 3);
	ck_assert_mem_eq(b, "\x04\x01\x01", 3);
	ck_assert_int_eq(cmd_chassis_bootopt_progress_req(CMD_CHASSIS_SET_COMMIT_WRITE, b), 2);
	ck_assert_mem_eq(b, "\x00\x02", 2);
	ck_assert_int_eq(cmd_chassis_bootopt_progress_req(CMD_CHASSIS_SET_COMPLETE, b), 2);
	ck_assert_mem_eq(b, "\x00\x00", 2);
	ck_assert_int_eq(cmd_chassis_bootopt_progress_req(3, b), IPMI_E_ARG);
	ck_assert_int_eq(cmd_chassis_bootopt_validclr_req(0x1f, b), 2);
	ck_assert_mem_eq(b, "\x03\x1f", 2);
	ck_assert_int_eq(cmd_chassis_bootopt_validclr_req(0x20, b), IPMI_E_ARG);
	ck_assert_int_eq(cmd_chassis_bootopt_get_req(5, b), 3);
	ck_assert_mem_eq(b, "\x05\x00\x00", 3);
	ck_assert_int_eq(cmd_chassis_bootopt_get_req(0x85, b), 3);
	ck_assert_uint_eq(b[0], 5);
}
END_TEST

START_TEST(bootflags_decode)
{
	/* ipmitool raw 0 9 5 0 0 on the fixture: "Boot parameter data: 0008000000". */
	uint8_t b[16];
	size_t n = tu_hex("01 05 00 08 00 00 00", b, sizeof(b));
	struct cmd_chassis_bootflags f, keep;

	ck_assert_int_eq(cmd_chassis_bootflags_decode(b, n, &f), 0);
	ck_assert_uint_eq(f.version, 1);
	ck_assert(!f.param_locked);
	ck_assert_mem_eq(f.raw, "\x00\x08\x00\x00\x00", 5);
	ck_assert(!f.valid); /* "Boot Flag Invalid" */
	ck_assert(!f.persistent && !f.efi);
	ck_assert_uint_eq(f.device, CMD_CHASSIS_BOOT_DISK);
	ck_assert_str_eq(cmd_chassis_bootdev_text(f.device), "Force Boot from default Hard-Drive");

	n = tu_hex("01 85 e0 ff 65 05 00", b, sizeof(b));
	ck_assert_int_eq(cmd_chassis_bootflags_decode(b, n, &f), 0);
	ck_assert(f.param_locked && f.valid && f.persistent && f.efi);
	ck_assert(f.cmos_clear && f.lock_keyboard && f.screen_blank && f.lock_reset);
	ck_assert_uint_eq(f.device, 0x3c);
	ck_assert_uint_eq(f.verbosity, 3);
	ck_assert_uint_eq(f.console, 1);
	ck_assert_uint_eq(f.bios_mux, 5);

	memset(&keep, 0x42, sizeof(keep));
	for (size_t k = 0; k < 7; k++) {
		f = keep;
		ck_assert_int_eq(cmd_chassis_bootflags_decode(b, k, &f), IPMI_E_TRUNCATED);
		ck_assert_mem_eq(&f, &keep, sizeof(f));
	}
	ck_assert_int_eq(cmd_chassis_bootflags_decode(b, 8, &f), IPMI_E_MALFORMED);
	b[1] = 0x04;
	ck_assert_int_eq(cmd_chassis_bootflags_decode(b, 7, &f), IPMI_E_MISMATCH);
	ck_assert_mem_eq(&f, &keep, sizeof(f));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cmd_chassis");
	TCase *tc = tu_tcase(s, "status");

	tcase_add_test(tc, status_fixture);
	tcase_add_test(tc, status_bits);
	tcase_add_test(tc, event_names);
	tc = tu_tcase(s, "control");
	tcase_add_test(tc, control);
	tc = tu_tcase(s, "boot");
	tcase_add_test(tc, bootdev_requests);
	tcase_add_test(tc, bootopt_sequence);
	tcase_add_test(tc, bootflags_decode);
	return tu_run(s);
}
