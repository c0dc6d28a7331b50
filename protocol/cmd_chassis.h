/*
 * cmd_chassis.h - chassis commands (IPMI v2.0 28, netFn Chassis 00h):
 * Get Chassis Status decoding, Chassis Control request data, and the
 * Set/Get System Boot Options parameters `chassis bootdev` uses, built the
 * way ipmitool 1.8.19 does.
 *
 * ipmitool's `chassis bootdev DEV [options=persistent,efiboot]` sends, in
 * this order (Set System Boot Options, cmd 08h):
 *   1. param 0 = 01h (set in progress)       cmd_chassis_bootopt_progress_req(1)
 *   2. param 4 = 01h 01h (clear BIOS/POST ack) cmd_chassis_bootopt_ack_req()
 *   3. param 5 = boot flags                  cmd_chassis_bootopt_flags_req()
 *   4. only if 3 succeeded: param 0 = 02h (commit write)
 *   5. always: param 0 = 00h (set complete)
 * A failing step 1 is ignored (ipmitool then stops using set-in-progress);
 * a failing step 2 skips 3-4.
 */
#ifndef IPMIPOOL_CMD_CHASSIS_H
#define IPMIPOOL_CMD_CHASSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMD_CHASSIS_GET_STATUS      0x01
#define CMD_CHASSIS_CONTROL         0x02
#define CMD_CHASSIS_SET_BOOT_OPTION 0x08
#define CMD_CHASSIS_GET_BOOT_OPTION 0x09

/* Last power event bits (status byte 2). */
#define CMD_CHASSIS_EV_AC_FAILED 0x01
#define CMD_CHASSIS_EV_OVERLOAD  0x02
#define CMD_CHASSIS_EV_INTERLOCK 0x04
#define CMD_CHASSIS_EV_FAULT     0x08
#define CMD_CHASSIS_EV_COMMAND   0x10 /* last power on was via IPMI command */

struct cmd_chassis_status {
	/* byte 1: current power state */
	bool power_on;
	bool power_overload;
	bool power_interlock;
	bool power_fault;
	bool power_control_fault;
	uint8_t restore_policy; /* 0 always-off, 1 previous, 2 always-on, 3 unknown */
	/* byte 2: last power event */
	uint8_t last_event; /* CMD_CHASSIS_EV_* bits */
	/* byte 3: misc chassis state */
	bool intrusion;
	bool front_panel_lockout;
	bool drive_fault;
	bool cooling_fault;
	bool identify_supported; /* bit 6: identify state below is valid */
	uint8_t identify_state;  /* bits 5:4: 0 off, 1 timed on, 2 indefinite on */
	/* byte 4 (optional): front panel button capabilities */
	bool has_front_panel;
	uint8_t front_panel; /* raw: bits 7:4 "disable allowed", 3:0 "disabled" */
};

/*
 * Decodes Get Chassis Status data after the completion code: 3 bytes, or
 * 4 with the front panel byte.  Returns 0, IPMI_E_TRUNCATED, or
 * IPMI_E_MALFORMED for more than 4 bytes.
 */
int cmd_chassis_status_decode(const uint8_t *data, size_t len, struct cmd_chassis_status *out);

/* "always-off", "previous", "always-on", "unknown" (as ipmitool prints). */
const char *cmd_chassis_policy_name(uint8_t policy);

/*
 * Name of one last-power-event flag (a single CMD_CHASSIS_EV_* bit, not a
 * bit index): "ac_failed", "overload", "interlock", "fault", "command";
 * NULL otherwise.  ipmitool prints the same words, but "ac-failed".
 */
const char *cmd_chassis_event_name(unsigned flag);

/* "off", "temporary", "indefinite", "reserved" for identify_state. */
const char *cmd_chassis_identify_name(uint8_t state);

/* ---- Chassis Control ---- */

enum cmd_chassis_action {
	CMD_CHASSIS_OFF = 0x00,   /* power down */
	CMD_CHASSIS_ON = 0x01,    /* power up */
	CMD_CHASSIS_CYCLE = 0x02, /* power cycle */
	CMD_CHASSIS_RESET = 0x03, /* hard reset */
	CMD_CHASSIS_DIAG = 0x04,  /* pulse diagnostic interrupt */
	CMD_CHASSIS_SOFT = 0x05,  /* ACPI soft shutdown */
};

/* "on", "off", "cycle", "reset", "soft", "diag" -> action; IPMI_E_ARG otherwise. */
int cmd_chassis_action_parse(const char *name, enum cmd_chassis_action *out);

/* Chassis Control request data (1 byte); returns 1 or IPMI_E_ARG. */
int cmd_chassis_control_req(enum cmd_chassis_action action, uint8_t out[1]);

/* ---- System Boot Options ---- */

#define CMD_CHASSIS_BOOTOPT_PROGRESS 0 /* set in progress */
#define CMD_CHASSIS_BOOTOPT_VALIDCLR 3 /* BMC boot flag valid bit clearing */
#define CMD_CHASSIS_BOOTOPT_ACK      4 /* boot info acknowledge */
#define CMD_CHASSIS_BOOTOPT_FLAGS    5 /* boot flags */

/* Set-in-progress states (parameter 0 data). */
#define CMD_CHASSIS_SET_COMPLETE     0
#define CMD_CHASSIS_SET_IN_PROGRESS  1
#define CMD_CHASSIS_SET_COMMIT_WRITE 2

/* Boot device selectors, boot flags byte 2 bits 5:2 (already shifted). */
enum cmd_chassis_bootdev {
	CMD_CHASSIS_BOOT_NONE = 0x00,
	CMD_CHASSIS_BOOT_PXE = 0x04,
	CMD_CHASSIS_BOOT_DISK = 0x08,
	CMD_CHASSIS_BOOT_SAFE = 0x0c,
	CMD_CHASSIS_BOOT_DIAG = 0x10,
	CMD_CHASSIS_BOOT_CDROM = 0x14,
	CMD_CHASSIS_BOOT_BIOS = 0x18,
	CMD_CHASSIS_BOOT_REMOTE_FLOPPY = 0x1c,
	CMD_CHASSIS_BOOT_REMOTE_CDROM = 0x20,
	CMD_CHASSIS_BOOT_REMOTE_PRIMARY = 0x24,
	CMD_CHASSIS_BOOT_REMOTE_DISK = 0x2c,
	CMD_CHASSIS_BOOT_FLOPPY = 0x3c,
};

/*
 * "none", "pxe", "disk", "safe", "diag", "cdrom", "bios", "floppy" ->
 * selector (the API's device names = ipmitool's); IPMI_E_ARG otherwise.
 */
int cmd_chassis_bootdev_parse(const char *name, enum cmd_chassis_bootdev *out);

/* Short name of a selector (the names above, "remote-floppy", ...) or NULL. */
const char *cmd_chassis_bootdev_name(uint8_t selector);

/* ipmitool `bootparam get 5` text: "Force PXE", "Force Boot from default
 * Hard-Drive", ...; "Flag error" for undefined selectors. */
const char *cmd_chassis_bootdev_text(uint8_t selector);

/* Parameter 0 request: {00h, state}; returns 2 or IPMI_E_ARG (state > 2). */
int cmd_chassis_bootopt_progress_req(uint8_t state, uint8_t out[2]);

/* Parameter 4 request clearing the BIOS/POST acknowledge: {04h, 01h, 01h}. */
int cmd_chassis_bootopt_ack_req(uint8_t out[3]);

/*
 * Parameter 3 request: {03h, mask}; mask bits 4:0 = "don't clear the
 * valid bit on PEF / timeout / watchdog / reset / power-up" (ipmitool
 * `bootparam set bootflag ... options=no-...`).  Returns 2 or IPMI_E_ARG.
 */
int cmd_chassis_bootopt_validclr_req(uint8_t mask, uint8_t out[2]);

/*
 * Parameter 5 request (6 bytes): {05h, 80h | persistent 40h | efi 20h,
 * device, 00h, 00h, 00h}.  Returns 6 or IPMI_E_ARG for an undefined device.
 */
int cmd_chassis_bootopt_flags_req(enum cmd_chassis_bootdev dev, bool persistent, bool efi,
                                  uint8_t out[6]);

/* Get System Boot Options request: {param & 7Fh, 00h, 00h}; returns 3. */
int cmd_chassis_bootopt_get_req(uint8_t param, uint8_t out[3]);

struct cmd_chassis_bootflags {
	uint8_t version;    /* parameter version (1) */
	bool param_locked;  /* byte 2 bit 7: parameter invalid/locked */
	uint8_t raw[5];     /* the five data bytes (ipmitool's "Boot parameter data") */
	bool valid;         /* BF1 bit 7 */
	bool persistent;    /* BF1 bit 6 */
	bool efi;           /* BF1 bit 5 */
	uint8_t device;     /* BF2 & 3Ch: a cmd_chassis_bootdev selector */
	bool cmos_clear;    /* BF2 bit 7 */
	bool lock_keyboard; /* BF2 bit 6 */
	bool screen_blank;  /* BF2 bit 1 */
	bool lock_reset;    /* BF2 bit 0 */
	uint8_t verbosity;  /* BF3 bits 6:5: 0 default, 1 quiet, 2 verbose */
	uint8_t console;    /* BF3 bits 1:0: 0 BIOS setting, 1 suppress, 2 enable */
	uint8_t bios_mux;   /* BF4 bits 2:0 */
};

/*
 * Decodes a Get System Boot Options response for parameter 5 (after the
 * completion code): version, parameter byte (must be 5), 5 data bytes.
 * Returns 0, IPMI_E_TRUNCATED, IPMI_E_MISMATCH (another parameter) or
 * IPMI_E_MALFORMED (extra bytes).
 */
int cmd_chassis_bootflags_decode(const uint8_t *data, size_t len,
                                 struct cmd_chassis_bootflags *out);

#endif
