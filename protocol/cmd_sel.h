/*
 * cmd_sel.h - the System Event Log (IPMI v2.0 31, netFn Storage 0Ah): Get
 * SEL Info, Reserve SEL, Get SEL Entry and Clear SEL request data and
 * decoders, the 16-byte record decoder (section 32) and ipmitool's
 * `sel list` texts.
 */
#ifndef IPMIPOOL_CMD_SEL_H
#define IPMIPOOL_CMD_SEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMD_SEL_GET_INFO  0x40
#define CMD_SEL_RESERVE   0x42
#define CMD_SEL_GET_ENTRY 0x43
#define CMD_SEL_CLEAR     0x47

#define CMD_SEL_REC_LEN    16
#define CMD_SEL_FIRST_ID   0x0000 /* Get SEL Entry: the first record */
#define CMD_SEL_LAST_ID    0xffff /* as a request: the last record; as "next": no more */
#define CMD_SEL_TS_NONE    0xffffffffu
#define CMD_SEL_TS_PREINIT 0x20000000u /* timestamps below: seconds since BMC init */

struct cmd_sel_info {
	uint8_t version; /* 51h: BCD, low nibble major ("1.5") */
	uint16_t entries;
	uint16_t free_space; /* bytes; FFFFh = 65535 or more */
	uint32_t last_add;   /* raw; FFFFFFFFh (or 0, per ipmitool) = none */
	uint32_t last_erase;
	bool overflow;              /* op support bit 7 */
	bool delete_supported;      /* bit 3 */
	bool partial_add_supported; /* bit 2 */
	bool reserve_supported;     /* bit 1 */
	bool alloc_info_supported;  /* bit 0 */
};

/* Decodes Get SEL Info data (14 bytes) after the completion code. */
int cmd_sel_info_decode(const uint8_t *data, size_t len, struct cmd_sel_info *out);

/* Decodes Reserve SEL data (reservation id, 2 bytes). */
int cmd_sel_reserve_decode(const uint8_t *data, size_t len, uint16_t *reservation);

/*
 * Get SEL Entry request data (6 bytes): reservation (0 unless reading
 * partially), record id, offset 0, FFh = whole record (what ipmitool
 * sends).  Returns 6.
 */
int cmd_sel_get_req(uint16_t reservation, uint16_t record_id, uint8_t out[6]);

enum cmd_sel_kind {
	CMD_SEL_SYSTEM,  /* types below C0h (02h = system event): event fields */
	CMD_SEL_OEM_TS,  /* C0h-DFh: timestamp, manufacturer, 6 OEM bytes */
	CMD_SEL_OEM_NOTS /* E0h-FFh: 13 OEM bytes */
};

struct cmd_sel_record {
	uint16_t id;
	uint8_t type;
	enum cmd_sel_kind kind;
	uint32_t timestamp; /* SYSTEM and OEM_TS */
	/* SYSTEM */
	uint16_t generator; /* generator id (LE16, e.g. 0020h = BMC) */
	uint8_t evm_rev;
	uint8_t sensor_type;
	uint8_t sensor_number;
	uint8_t event_type; /* bits 6:0 of byte 13 */
	bool deassertion;   /* bit 7 of byte 13 */
	uint8_t data[3];    /* event data 1-3 */
	/* OEM_TS */
	uint32_t manufacturer; /* 24-bit IANA, LE on the wire */
	/* OEM_TS (6 bytes) and OEM_NOTS (13 bytes) */
	uint8_t oem[13];
	uint8_t oem_len;
	uint8_t raw[CMD_SEL_REC_LEN];
};

/* Decodes one 16-byte record; returns 0, IPMI_E_TRUNCATED or IPMI_E_MALFORMED. */
int cmd_sel_record_decode(const uint8_t *rec, size_t len, struct cmd_sel_record *out);

/*
 * Decodes Get SEL Entry data after the completion code: next record id and
 * a whole 16-byte record.  A partial read (other lengths) is rejected.
 */
int cmd_sel_get_decode(const uint8_t *data, size_t len, uint16_t *next_id,
                       struct cmd_sel_record *out);

/* ---- Clear SEL ---- */

#define CMD_SEL_CLEAR_INITIATE   0xaa
#define CMD_SEL_CLEAR_GET_STATUS 0x00

/* Clear SEL request data (6 bytes): reservation, 'C' 'L' 'R', action. */
int cmd_sel_clear_req(uint16_t reservation, uint8_t action, uint8_t out[6]);

/* Decodes the Clear SEL answer: *done = erasure completed (bits 3:0 = 1). */
int cmd_sel_clear_decode(const uint8_t *data, size_t len, bool *done);

/* ---- texts ---- */

/* True when ipmitool shows the timestamp as "Pre-Init" (ts < 20000000h). */
bool cmd_sel_ts_preinit(uint32_t ts);

/*
 * The event description of a SYSTEM record as in ipmitool `sel list`
 * ("Upper Critical going high", "Power Supply AC lost", "General Chassis
 * intrusion", ...); NULL when there is none or for OEM records.
 */
const char *cmd_sel_desc(const struct cmd_sel_record *r);

/* "Asserted" / "Deasserted" (ipmitool's `sel list` column). */
const char *cmd_sel_direction(const struct cmd_sel_record *r);

/*
 * ipmitool `sel list` sensor column without an SDR: "<sensor type>" plus
 * " #0x%02x" unless the sensor number is 0, e.g. "Temperature #0x01".
 */
int cmd_sel_sensor_text(const struct cmd_sel_record *r, char *buf, size_t cap);

/*
 * OEM records as ipmitool prints them after the id: "OEM record e0 |
 * <26 hex digits>", or for C0h-DFh "OEM record c0 | <manufacturer as 6
 * hex digits, byte 10 first> | <12 hex digits>".
 */
int cmd_sel_oem_text(const struct cmd_sel_record *r, char *buf, size_t cap);

struct cmd_sdr_sensor;

/*
 * ipmitool `sel elist` threshold detail for a threshold event (event type
 * 01h) given the sensor's full SDR: "Reading 91 > Threshold 90 degrees C"
 * (">" when the reading is above the threshold, else "<" - what ipmitool
 * 1.8.19 prints: "Reading 80 < Threshold 90" for an upper critical going
 * high deassertion; newer ipmitool sources choose by the offset instead;
 * values as float with 2 decimals unless integral; the reading only when
 * ev1 bits 7:6 = 01b, else 0; the threshold part only when bits 5:4 =
 * 01b).  Returns 0 with an empty buffer for other events.
 */
int cmd_sel_threshold_text(const struct cmd_sel_record *r, const struct cmd_sdr_sensor *s,
                           char *buf, size_t cap);

#endif
