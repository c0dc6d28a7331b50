/*
 * cmd_sensor.h - Get Sensor Reading (35.14, cmd 2Dh), Get Sensor
 * Thresholds (35.9, cmd 27h) and Get Sensor Reading Factors (35.5, cmd
 * 23h), netFn Sensor/Event 04h; threshold status and discrete state texts
 * the way ipmitool prints them, and ipmitool's `sdr list` column texts.
 */
#ifndef IPMIPOOL_CMD_SENSOR_H
#define IPMIPOOL_CMD_SENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMD_SENSOR_GET_FACTORS    0x23
#define CMD_SENSOR_GET_THRESHOLDS 0x27
#define CMD_SENSOR_GET_READING    0x2d

/*
 * Thresholds in mask-bit order: bit i of a readable/settable/status mask is
 * threshold i (Get Sensor Thresholds byte 1, SDR bytes 19-20, reading
 * byte 3 comparison status).
 */
enum cmd_sensor_th {
	CMD_SENSOR_LNC = 0, /* lower non-critical */
	CMD_SENSOR_LC,      /* lower critical */
	CMD_SENSOR_LNR,     /* lower non-recoverable */
	CMD_SENSOR_UNC,     /* upper non-critical */
	CMD_SENSOR_UC,      /* upper critical */
	CMD_SENSOR_UNR,     /* upper non-recoverable */
	CMD_SENSOR_NTH,
};

/* "lnc", "lcr", "lnr", "unc", "ucr", "unr" (ipmitool's names); NULL otherwise. */
const char *cmd_sensor_th_name(unsigned th);

/* Get Sensor Reading / Thresholds / Factors request data: {number}; returns 1. */
int cmd_sensor_number_req(uint8_t number, uint8_t out[1]);

struct cmd_sensor_reading {
	uint8_t raw;           /* byte 1: the reading (analog sensors) */
	bool events_enabled;   /* byte 2 bit 7 */
	bool scanning_enabled; /* byte 2 bit 6 */
	bool unavailable;      /* byte 2 bit 5: reading/state unavailable */
	bool valid;            /* ipmitool's "reading valid": scanning on, available */
	unsigned nstate;       /* state bytes sent: 0, 1 or 2 */
	uint8_t status;        /* byte 3 for threshold sensors: bit i = threshold i crossed */
	uint16_t state;        /* byte 3 | byte 4 << 8 (bit 15 reserved, cleared) */
};

/*
 * Decodes Get Sensor Reading data after the completion code: 2 to 4
 * bytes.  Returns 0, IPMI_E_TRUNCATED (< 2) or IPMI_E_MALFORMED (> 4).
 */
int cmd_sensor_reading_decode(const uint8_t *data, size_t len, struct cmd_sensor_reading *out);

enum cmd_sensor_style {
	CMD_SENSOR_STYLE_SHORT,    /* `sdr list`, `sensor`: "ok" "nc" "cr" "nr" */
	CMD_SENSOR_STYLE_EXTENDED, /* `sdr elist`: "ok" "lnc" "unc" "lcr" "ucr" "lnr" "unr" */
	CMD_SENSOR_STYLE_VERBOSE,  /* `sdr -v`: "ok" "Lower Non-Critical" ... */
};

/*
 * Threshold status as ipmitool prints it, most severe first (lnr, unr,
 * lcr, ucr, lnc, unc); "ok" when nothing is crossed; `invalid` when the
 * reading is not valid (ipmitool passes "ns", or "Not Available" in -v).
 */
const char *cmd_sensor_th_status(const struct cmd_sensor_reading *r, enum cmd_sensor_style style,
                                 const char *invalid);

struct cmd_sensor_thresholds {
	uint8_t readable;            /* mask, bit i = enum cmd_sensor_th i */
	uint8_t raw[CMD_SENSOR_NTH]; /* raw values, enum cmd_sensor_th order */
};

/* Decodes Get Sensor Thresholds data (7 bytes) after the completion code. */
int cmd_sensor_thresholds_decode(const uint8_t *data, size_t len,
                                 struct cmd_sensor_thresholds *out);

struct cmd_sdr_sensor;

/*
 * Get Sensor Reading Factors request data {number, raw reading}; the
 * response (after the completion code: next reading, 6 factor bytes laid
 * out like SDR bytes 25-30) replaces M, tolerance, B, accuracy, R and B
 * exponents of *s - for non-linear sensors (linearization 70h-7Fh), whose
 * SDR factors do not apply.  Returns 0 or IPMI_E_TRUNCATED/MALFORMED.
 */
int cmd_sensor_factors_req(uint8_t number, uint8_t raw, uint8_t out[2]);
int cmd_sensor_factors_apply(const uint8_t *data, size_t len, struct cmd_sdr_sensor *s);

/*
 * ipmitool `sdr list` second column for one sensor (before its padding):
 * analog threshold sensors "<value> <unit>" with 2 decimals unless
 * integral ("23.50 degrees C", "45 degrees C"); other sensors "0x%02x" of
 * state byte 3 (what ipmitool 1.8.19 prints: "0x01" for presence
 * detected, although reading byte 1 is 00h); invalid readings "no
 * reading"/"disabled" (full SDR) or "Not Readable" (compact).  ipmitool
 * builds this in a 16-byte buffer, so texts longer than 15 characters are
 * cut there; this function does not cut (compare the first 15).
 * r == NULL means the reading failed (ipmitool: "no reading"/"Not Readable").
 */
int cmd_sensor_list_value(const struct cmd_sdr_sensor *s, const struct cmd_sensor_reading *r,
                          char *buf, size_t cap);

/*
 * ipmitool `sdr list` third column: threshold sensors the short status
 * ("ok", "nc", "cr", "nr", "ns" when invalid), others "ok" or "ns".
 */
const char *cmd_sensor_list_status(const struct cmd_sdr_sensor *s,
                                   const struct cmd_sensor_reading *r);

#endif
