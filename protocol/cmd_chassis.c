/*
 * cmd_chassis.c - Get Chassis Status, Chassis Control and System Boot
 * Options (boot flags) request data and decoders.
 */
#include <string.h>

#include "cmd_chassis.h"
#include "ipmierr.h"
#include "wire.h"

int
cmd_chassis_status_decode(const uint8_t *data, size_t len, struct cmd_chassis_status *out)
{
	struct wire_rd r = wire_rd_make(data, len);
	struct cmd_chassis_status s = { 0 };
	uint8_t b;

	b = wire_get_u8(&r);
	s.power_on = b & 0x01;
	s.power_overload = b & 0x02;
	s.power_interlock = b & 0x04;
	s.power_fault = b & 0x08;
	s.power_control_fault = b & 0x10;
	s.restore_policy = (b >> 5) & 0x03;
	s.last_event = wire_get_u8(&r) & 0x1f;
	b = wire_get_u8(&r);
	s.intrusion = b & 0x01;
	s.front_panel_lockout = b & 0x02;
	s.drive_fault = b & 0x04;
	s.cooling_fault = b & 0x08;
	s.identify_supported = b & 0x40;
	s.identify_state = (b >> 4) & 0x03;
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (wire_rd_left(&r) > 0) {
		s.has_front_panel = true;
		s.front_panel = wire_get_u8(&r);
	}
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	*out = s;
	return 0;
}

const char *
cmd_chassis_policy_name(uint8_t policy)
{
	switch (policy) {
	case 0:
		return "always-off";
	case 1:
		return "previous";
	case 2:
		return "always-on";
	default:
		return "unknown";
	}
}

const char *
cmd_chassis_event_name(unsigned flag)
{
	static const char *const names[5] = { "ac_failed", "overload", "interlock", "fault",
		                              "command" };

	for (unsigned i = 0; i < 5; i++)
		if (flag == 1u << i)
			return names[i];
	return NULL;
}

const char *
cmd_chassis_identify_name(uint8_t state)
{
	switch (state) {
	case 0:
		return "off";
	case 1:
		return "temporary";
	case 2:
		return "indefinite";
	default:
		return "reserved";
	}
}

static const struct {
	const char *name;
	enum cmd_chassis_action action;
} actions[] = {
	{ "off", CMD_CHASSIS_OFF },     { "on", CMD_CHASSIS_ON },
	{ "cycle", CMD_CHASSIS_CYCLE }, { "reset", CMD_CHASSIS_RESET },
	{ "diag", CMD_CHASSIS_DIAG },   { "soft", CMD_CHASSIS_SOFT },
};

int
cmd_chassis_action_parse(const char *name, enum cmd_chassis_action *out)
{
	if (name == NULL)
		return IPMI_E_ARG;
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcmp(name, actions[i].name) == 0) {
			*out = actions[i].action;
			return 0;
		}
	}
	return IPMI_E_ARG;
}

int
cmd_chassis_control_req(enum cmd_chassis_action action, uint8_t out[1])
{
	if ((unsigned)action > CMD_CHASSIS_SOFT)
		return IPMI_E_ARG;
	out[0] = (uint8_t)action;
	return 1;
}

static const struct {
	uint8_t sel;
	const char *name; /* the API/ipmitool argument, NULL if not settable by name */
	const char *text; /* ipmitool `bootparam get 5` */
} bootdevs[] = {
	{ CMD_CHASSIS_BOOT_NONE, "none", "No override" },
	{ CMD_CHASSIS_BOOT_PXE, "pxe", "Force PXE" },
	{ CMD_CHASSIS_BOOT_DISK, "disk", "Force Boot from default Hard-Drive" },
	{ CMD_CHASSIS_BOOT_SAFE, "safe", "Force Boot from default Hard-Drive, request Safe-Mode" },
	{ CMD_CHASSIS_BOOT_DIAG, "diag", "Force Boot from Diagnostic Partition" },
	{ CMD_CHASSIS_BOOT_CDROM, "cdrom", "Force Boot from CD/DVD" },
	{ CMD_CHASSIS_BOOT_BIOS, "bios", "Force Boot into BIOS Setup" },
	{ CMD_CHASSIS_BOOT_FLOPPY, "floppy", "Force Boot from Floppy/primary removable media" },
	{ CMD_CHASSIS_BOOT_REMOTE_FLOPPY, NULL,
	  "Force Boot from remotely connected Floppy/primary removable media" },
	{ CMD_CHASSIS_BOOT_REMOTE_CDROM, NULL, "Force Boot from remotely connected CD/DVD" },
	{ CMD_CHASSIS_BOOT_REMOTE_PRIMARY, NULL, "Force Boot from primary remote media" },
	{ CMD_CHASSIS_BOOT_REMOTE_DISK, NULL, "Force Boot from remotely connected Hard-Drive" },
};

#define NBOOTDEVS (sizeof(bootdevs) / sizeof(bootdevs[0]))

int
cmd_chassis_bootdev_parse(const char *name, enum cmd_chassis_bootdev *out)
{
	if (name == NULL)
		return IPMI_E_ARG;
	for (size_t i = 0; i < NBOOTDEVS; i++) {
		if (bootdevs[i].name != NULL && strcmp(name, bootdevs[i].name) == 0) {
			*out = (enum cmd_chassis_bootdev)bootdevs[i].sel;
			return 0;
		}
	}
	return IPMI_E_ARG;
}

const char *
cmd_chassis_bootdev_name(uint8_t selector)
{
	static const char *const remote[] = { "remote-floppy", "remote-cdrom", "remote-primary",
		                              NULL, "remote-disk" };

	for (size_t i = 0; i < NBOOTDEVS; i++) {
		if (bootdevs[i].sel == selector && bootdevs[i].name != NULL)
			return bootdevs[i].name;
	}
	if (selector >= CMD_CHASSIS_BOOT_REMOTE_FLOPPY &&
	    selector <= CMD_CHASSIS_BOOT_REMOTE_DISK && (selector & 3) == 0)
		return remote[(selector - CMD_CHASSIS_BOOT_REMOTE_FLOPPY) / 4];
	return NULL;
}

const char *
cmd_chassis_bootdev_text(uint8_t selector)
{
	for (size_t i = 0; i < NBOOTDEVS; i++) {
		if (bootdevs[i].sel == selector)
			return bootdevs[i].text;
	}
	return "Flag error";
}

int
cmd_chassis_bootopt_progress_req(uint8_t state, uint8_t out[2])
{
	if (state > CMD_CHASSIS_SET_COMMIT_WRITE)
		return IPMI_E_ARG;
	out[0] = CMD_CHASSIS_BOOTOPT_PROGRESS;
	out[1] = state;
	return 2;
}

int
cmd_chassis_bootopt_ack_req(uint8_t out[3])
{
	out[0] = CMD_CHASSIS_BOOTOPT_ACK;
	out[1] = 0x01; /* write mask: BIOS/POST */
	out[2] = 0x01; /* ipmitool's data byte for "clear BIOS/POST ack" */
	return 3;
}

int
cmd_chassis_bootopt_validclr_req(uint8_t mask, uint8_t out[2])
{
	if (mask & 0xe0)
		return IPMI_E_ARG;
	out[0] = CMD_CHASSIS_BOOTOPT_VALIDCLR;
	out[1] = mask;
	return 2;
}

int
cmd_chassis_bootopt_flags_req(enum cmd_chassis_bootdev dev, bool persistent, bool efi,
                              uint8_t out[6])
{
	bool known = false;

	for (size_t i = 0; i < NBOOTDEVS; i++)
		known = known || bootdevs[i].sel == (uint8_t)dev;
	if (!known)
		return IPMI_E_ARG;
	out[0] = CMD_CHASSIS_BOOTOPT_FLAGS;
	out[1] = (uint8_t)(0x80 | (persistent ? 0x40 : 0) | (efi ? 0x20 : 0));
	out[2] = (uint8_t)dev;
	out[3] = 0;
	out[4] = 0;
	out[5] = 0;
	return 6;
}

int
cmd_chassis_bootopt_get_req(uint8_t param, uint8_t out[3])
{
	out[0] = param & 0x7f;
	out[1] = 0; /* set selector */
	out[2] = 0; /* block selector */
	return 3;
}

int
cmd_chassis_bootflags_decode(const uint8_t *data, size_t len, struct cmd_chassis_bootflags *out)
{
	struct wire_rd r = wire_rd_make(data, len);
	struct cmd_chassis_bootflags f = { 0 };
	uint8_t param;

	f.version = wire_get_u8(&r);
	param = wire_get_u8(&r);
	wire_get_bytes(&r, f.raw, sizeof(f.raw));
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if ((param & 0x7f) != CMD_CHASSIS_BOOTOPT_FLAGS)
		return IPMI_E_MISMATCH;
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	f.param_locked = param & 0x80;
	f.valid = f.raw[0] & 0x80;
	f.persistent = f.raw[0] & 0x40;
	f.efi = f.raw[0] & 0x20;
	f.cmos_clear = f.raw[1] & 0x80;
	f.lock_keyboard = f.raw[1] & 0x40;
	f.device = f.raw[1] & 0x3c;
	f.screen_blank = f.raw[1] & 0x02;
	f.lock_reset = f.raw[1] & 0x01;
	f.verbosity = (f.raw[2] >> 5) & 0x03;
	f.console = f.raw[2] & 0x03;
	f.bios_mux = f.raw[3] & 0x07;
	*out = f;
	return 0;
}
