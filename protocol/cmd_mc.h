/*
 * cmd_mc.h - Get Device ID (IPMI v2.0 20.1, netFn App 06h, cmd 01h): the
 * response decoder behind `mc.info`.  The request has no data.
 */
#ifndef IPMIPOOL_CMD_MC_H
#define IPMIPOOL_CMD_MC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMD_MC_GET_DEVICE_ID 0x01 /* netFn App */

/* Additional device support bits (byte 6), bit 0 first. */
#define CMD_MC_SUPPORT_SENSOR     0x01
#define CMD_MC_SUPPORT_SDR_REPO   0x02
#define CMD_MC_SUPPORT_SEL        0x04
#define CMD_MC_SUPPORT_FRU        0x08
#define CMD_MC_SUPPORT_EVENT_RECV 0x10
#define CMD_MC_SUPPORT_EVENT_GEN  0x20
#define CMD_MC_SUPPORT_BRIDGE     0x40
#define CMD_MC_SUPPORT_CHASSIS    0x80

struct cmd_mc_devid {
	uint8_t device_id;
	uint8_t device_revision;  /* bits 3:0 */
	bool provides_sdrs;       /* byte 2 bit 7: device provides Device SDRs */
	bool device_available;    /* byte 3 bit 7 clear: normal operation */
	uint8_t fw_major;         /* byte 3 bits 6:0 */
	uint8_t fw_minor;         /* byte 4, BCD as sent (23h for "x.23") */
	uint8_t ipmi_version;     /* byte 5, BCD: 02h = "2.0", 51h = "1.5" */
	uint8_t support;          /* CMD_MC_SUPPORT_* */
	uint32_t manufacturer_id; /* 20 bits */
	uint16_t product_id;
	bool has_aux; /* the 4 optional bytes were sent */
	uint8_t aux[4];
	char firmware[8];         /* "1.23": major, '.', minor as two hex digits (ipmitool) */
	char ipmi_version_str[6]; /* "2.0": low nibble '.' high nibble (ipmitool) */
};

/*
 * Decodes the response data after the completion code: 11 bytes, or 15
 * with the auxiliary firmware revision.  12-14 bytes (pyghmi's fakebmc
 * sends 14: manufacturer and product padded to 4 bytes each) decode the
 * 11-byte part and ignore the rest; anything longer than 15 bytes too.
 * Returns 0, or IPMI_E_TRUNCATED below 11 bytes.
 */
int cmd_mc_devid_decode(const uint8_t *data, size_t len, struct cmd_mc_devid *out);

/*
 * The JSON name of one support flag (a single CMD_MC_SUPPORT_* bit, not a
 * bit index): "sensor", "sdr_repository", "sel", "fru_inventory",
 * "ipmb_event_receiver", "ipmb_event_generator", "bridge", "chassis";
 * NULL for anything but exactly one bit.
 */
const char *cmd_mc_support_name(unsigned flag);

/* ipmitool `mc info` wording for the same flags: "Sensor Device",
 * "SDR Repository Device", "SEL Device", "FRU Inventory Device", "IPMB
 * Event Receiver", "IPMB Event Generator", "Bridge", "Chassis Device". */
const char *cmd_mc_support_text(unsigned flag);

#endif
