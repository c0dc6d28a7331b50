/*
 * cmd_sdr.h - the SDR repository (IPMI v2.0 33, netFn Storage 0Ah): Get
 * SDR Repository Info, Reserve SDR Repository and Get SDR request data and
 * decoders, a record assembler for records read in chunks, and parsers for
 * Full (01h), Compact (02h), Event-Only (03h), FRU Device Locator (11h)
 * and MC Device Locator (12h) records (section 43), with ipmitool's
 * reading conversion y = L[(M*x + B*10^Bexp) * 10^Rexp].
 *
 * Records are handled whole: 5-byte header (record id LE16, SDR version,
 * type, length of the rest) plus `length` bytes.  Names are copied into
 * fixed arrays; nothing is allocated.
 */
#ifndef IPMIPOOL_CMD_SDR_H
#define IPMIPOOL_CMD_SDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd_sensor.h"

#define CMD_SDR_GET_REPO_INFO 0x20
#define CMD_SDR_RESERVE       0x22
#define CMD_SDR_GET           0x23

#define CMD_SDR_HDR_LEN 5
#define CMD_SDR_REC_MAX (CMD_SDR_HDR_LEN + 255)
#define CMD_SDR_LAST_ID 0xffff      /* "next record id" after the last record */
#define CMD_SDR_TS_NONE 0xffffffffu /* timestamp "unspecified" */

/* Record types parsed here. */
#define CMD_SDR_FULL        0x01
#define CMD_SDR_COMPACT     0x02
#define CMD_SDR_EVENT_ONLY  0x03
#define CMD_SDR_FRU_LOCATOR 0x11
#define CMD_SDR_MC_LOCATOR  0x12

struct cmd_sdr_repo_info {
	uint8_t version; /* 51h: BCD, low nibble major ("1.5") */
	uint16_t record_count;
	uint16_t free_space; /* bytes; FFFEh "> 64 KB - 2", FFFFh unspecified */
	uint32_t last_add;   /* raw timestamps; FFFFFFFFh = unspecified */
	uint32_t last_erase;
	bool overflow;              /* op support bit 7 */
	uint8_t update_mode;        /* bits 6:5: 0 unspecified, 1 non-modal, 2 modal, 3 both */
	bool delete_supported;      /* bit 3 */
	bool partial_add_supported; /* bit 2 */
	bool reserve_supported;     /* bit 1 */
	bool alloc_info_supported;  /* bit 0 */
};

/* Decodes Get SDR Repository Info data (14 bytes) after the completion code. */
int cmd_sdr_repo_info_decode(const uint8_t *data, size_t len, struct cmd_sdr_repo_info *out);

/* Decodes Reserve SDR Repository data (reservation id, 2 bytes). */
/*
 * Device SDRs (a controller that keeps its own, netFn Sensor): Get Device
 * SDR Info (20h), Reserve Device SDR Repository (22h), Get Device SDR
 * (21h, same request/response as Get SDR).  The info response (after the
 * completion code) gives the SDR count and, when sent, the sensor
 * population change indicator (a timestamp or counter).
 */
#define CMD_SDR_DEV_GET_INFO 0x20
#define CMD_SDR_DEV_GET      0x21
#define CMD_SDR_DEV_RESERVE  0x22
int cmd_sdr_device_info_decode(const uint8_t *data, size_t len, uint16_t *count, uint32_t *change);

int cmd_sdr_reserve_decode(const uint8_t *data, size_t len, uint16_t *reservation);

/*
 * Get SDR request data (6 bytes): reservation, record id, offset into the
 * record, bytes to read (FFh = whole record; many BMCs refuse more than
 * ~16-32 bytes: ipmi_sim answers CAh to a 64-byte read).  Returns 6.
 */
int cmd_sdr_get_req(uint16_t reservation, uint16_t record_id, uint8_t offset, uint8_t count,
                    uint8_t out[6]);

/*
 * Decodes Get SDR data after the completion code: next record id and the
 * record bytes read (*chunk points into data).  Returns 0 or
 * IPMI_E_TRUNCATED (< 2 bytes).
 */
int cmd_sdr_get_decode(const uint8_t *data, size_t len, uint16_t *next_id, const uint8_t **chunk,
                       size_t *chunk_len);

/*
 * Record assembly: cmd_sdr_asm_init(), then loop { cmd_sdr_asm_next() says
 * which offset/count to ask for (the 5-byte header first, then the rest in
 * pieces of at most max_chunk); send Get SDR; cmd_sdr_asm_add() the chunk }
 * until next returns 0.  rec[0..total) is then the whole record.
 */
struct cmd_sdr_asm {
	uint16_t id;  /* record id asked for */
	size_t have;  /* bytes gathered */
	size_t total; /* 5 + header length once the header is in, else 0 */
	uint8_t rec[CMD_SDR_REC_MAX];
};

void cmd_sdr_asm_init(struct cmd_sdr_asm *a, uint16_t record_id);

/*
 * Returns 1 and the next offset/count to read, 0 when the record is
 * complete, or IPMI_E_ARG (max_chunk 0) / IPMI_E_UNSUPPORTED (an offset
 * above 255 would be needed: use a larger max_chunk).
 */
int cmd_sdr_asm_next(const struct cmd_sdr_asm *a, uint8_t max_chunk, uint8_t *offset,
                     uint8_t *count);

/*
 * Appends the chunk read at the offset cmd_sdr_asm_next() gave.  A short
 * chunk is progress; an empty one is IPMI_E_TRUNCATED, more bytes than
 * asked for IPMI_E_MALFORMED.  Returns the number of bytes still missing
 * (0 = complete; unknown while the header is incomplete counts as > 0).
 */
int cmd_sdr_asm_add(struct cmd_sdr_asm *a, const uint8_t *chunk, size_t len);

/* A record's header; returns 0 or IPMI_E_TRUNCATED. */
int cmd_sdr_header_parse(const uint8_t *rec, size_t len, uint16_t *id, uint8_t *version,
                         uint8_t *type, uint8_t *length);

#define CMD_SDR_NAME_MAX 64 /* decoded ID string (<= 31 bytes raw, hex is 2x) */

/* Full, compact and event-only sensor records. */
struct cmd_sdr_sensor {
	uint8_t record_type; /* CMD_SDR_FULL / _COMPACT / _EVENT_ONLY */
	uint8_t owner_id;    /* bit 0 clear: IPMB slave address; set: software id */
	uint8_t owner_lun;   /* bits 1:0 of byte 7 */
	uint8_t channel;     /* bits 7:4 of byte 7 */
	uint8_t number;
	uint8_t entity_id;
	uint8_t entity_instance; /* bits 6:0 */
	bool entity_logical;     /* instance bit 7 */
	uint8_t init;            /* sensor initialization (full/compact) */
	uint8_t caps;            /* sensor capabilities (full/compact) */
	uint8_t sensor_type;
	uint8_t event_type;     /* event/reading type code (01h threshold, 6Fh specific) */
	uint16_t assert_mask;   /* full/compact, raw (threshold: 14:12 lower reading mask) */
	uint16_t deassert_mask; /* raw (threshold: 14:12 upper reading mask) */
	uint16_t reading_mask;  /* raw: discrete reading mask, or readable | settable << 8 */
	uint8_t readable_mask;  /* threshold sensors: bit i = enum cmd_sensor_th i */
	uint8_t settable_mask;
	/* units */
	uint8_t analog_format; /* 0 unsigned, 1 1's complement, 2 2's complement, 3 none */
	uint8_t rate;          /* 0 none, 1 us, 2 ms, 3 s, 4 min, 5 h, 6 day */
	uint8_t mod_rel;       /* enum ipmistr_unit_mod */
	bool percentage;
	uint8_t base_unit; /* table 43-15 code */
	uint8_t mod_unit;
	/* full records only */
	uint8_t linearization; /* 0 linear ... 0Bh cube root; 70h-7Fh non-linear */
	int16_t m;             /* 10-bit signed */
	uint8_t tolerance;     /* 6 bits, half raw counts */
	int16_t b;             /* 10-bit signed */
	uint16_t accuracy;     /* 10 bits, 1/100 percent */
	uint8_t accuracy_exp;  /* 2 bits */
	uint8_t direction;     /* 0 unspecified, 1 input, 2 output */
	int8_t r_exp;          /* 4-bit signed */
	int8_t b_exp;          /* 4-bit signed */
	uint8_t analog_flags;  /* bit 0 nominal, 1 normal max, 2 normal min specified */
	uint8_t nominal;
	uint8_t normal_max;
	uint8_t normal_min;
	uint8_t sensor_max;
	uint8_t sensor_min;
	uint8_t threshold[CMD_SENSOR_NTH]; /* raw, enum cmd_sensor_th order */
	/* full and compact */
	uint8_t hyst_pos;
	uint8_t hyst_neg;
	/* compact and event-only */
	uint8_t share_count;     /* sensors sharing this record (0 read as 1 by users) */
	uint8_t id_mod_type;     /* 0 numeric, 1 alpha */
	bool entity_inst_shared; /* entity instance increments with the sensor */
	uint8_t id_mod_offset;
	/* all */
	uint8_t oem;
	uint8_t id_type; /* ID string type/length bits 7:6 (enum ipmistr_tl_type) */
	uint8_t id_len;  /* bits 4:0 */
	char name[CMD_SDR_NAME_MAX];
};

struct cmd_sdr_fru_locator {
	uint8_t access_addr; /* byte 6 as sent (8-bit slave address form) */
	uint8_t fru_id;      /* logical FRU device id, or slave address */
	bool logical;        /* byte 8 bit 7 */
	uint8_t access_lun;  /* bits 4:3 */
	uint8_t private_bus; /* bits 2:0 */
	uint8_t channel;     /* byte 9 bits 7:4 */
	uint8_t device_type;
	uint8_t device_type_mod;
	uint8_t entity_id;
	uint8_t entity_instance;
	uint8_t oem;
	uint8_t id_type;
	uint8_t id_len;
	char name[CMD_SDR_NAME_MAX];
};

struct cmd_sdr_mc_locator {
	uint8_t slave_addr;   /* byte 6 as sent (8-bit form, e.g. 20h) */
	uint8_t channel;      /* byte 7 bits 3:0 */
	uint8_t power_global; /* byte 8: ACPI notification bits 7:5, global init 3:0 */
	uint8_t capabilities; /* byte 9: CMD_MC_SUPPORT_* bits */
	uint8_t entity_id;
	uint8_t entity_instance;
	uint8_t oem;
	uint8_t id_type;
	uint8_t id_len;
	char name[CMD_SDR_NAME_MAX];
};

struct cmd_sdr_record {
	uint16_t id;
	uint8_t version;
	uint8_t type;
	uint8_t length; /* bytes after the header */
	union {
		struct cmd_sdr_sensor sensor; /* types 01h, 02h, 03h */
		struct cmd_sdr_fru_locator fru;
		struct cmd_sdr_mc_locator mc;
	} u;
};

/*
 * Parses one whole record (header + body, len must equal 5 + length).
 * Bytes after the ID string inside `length` are tolerated (some BMCs pad
 * records).  Returns 0; IPMI_E_TRUNCATED when the record, its fixed part or
 * its ID string is cut short; IPMI_E_MALFORMED when len exceeds 5 + length;
 * IPMI_E_UNSUPPORTED for other record types (skip them).
 */
int cmd_sdr_parse(const uint8_t *rec, size_t len, struct cmd_sdr_record *out);

/*
 * Sets M, tolerance, B, accuracy, accuracy exponent, direction, R and B
 * exponents from six bytes laid out like full-record bytes 25-30 (the SDR,
 * or a Get Sensor Reading Factors response).
 */
void cmd_sdr_set_factors(struct cmd_sdr_sensor *s, const uint8_t f[6]);

/* ---- readings ---- */

/*
 * True when ipmitool treats the sensor as analog: a full record, an analog
 * data format (not 3) and a threshold event/reading type (01h).
 */
bool cmd_sdr_is_analog(const struct cmd_sdr_sensor *s);

/*
 * ipmitool's sdr_convert_sensor_reading(): (M*x + B*10^Bexp) * 10^Rexp
 * with x unsigned, 1's or 2's complement per analog_format, then the
 * linearization (ln, log10, log2, e, exp10, exp2, 1/x, sqr, cube, sqrt,
 * cube root; non-linear 70h-7Fh and unknown codes: none - apply Get
 * Sensor Reading Factors first).  0.0 for analog format 3, like ipmitool.
 */
double cmd_sdr_convert(const struct cmd_sdr_sensor *s, uint8_t raw);

/* ipmitool's hysteresis conversion: M*x*10^Rexp (no B), linearized. */
double cmd_sdr_convert_hysteresis(const struct cmd_sdr_sensor *s, uint8_t raw);

/*
 * The converted value as ipmitool prints it: precision 2 in `sdr list`
 * ("11.96", "45"), 3 in `sdr -v`/`sensor get` ("11.963").  ipmitool's
 * `sensor` list instead always uses "%.3f" ("45.000").
 */
int cmd_sdr_format(const struct cmd_sdr_sensor *s, uint8_t raw, int precision, char *buf,
                   size_t cap);

/* Unit text ("degrees C", "% RPM", "Watts/hour"...) via ipmistr_units(). */
int cmd_sdr_units(const struct cmd_sdr_sensor *s, char *buf, size_t cap);

/* "linear", "ln", "log10", "log2", "e", "exp10", "exp2", "1/x", "sqr",
 * "cube", "sqrt", "cube-root", "non-linear", "unknown". */
const char *cmd_sdr_linearization_name(uint8_t lin);

#endif
