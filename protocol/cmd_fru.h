/*
 * cmd_fru.h - FRU inventory (IPMI v2.0 34, netFn Storage 0Ah): Get FRU
 * Inventory Area Info and Read FRU Data request data and decoders, and a
 * parser for a whole FRU image (Platform Management FRU Information
 * Storage Definition v1.0: common header, chassis, board and product info
 * areas).  Every offset and length is checked against the image; every
 * checksum is verified; a failure names the area.  No allocation: fields
 * are fixed arrays.
 */
#ifndef IPMIPOOL_CMD_FRU_H
#define IPMIPOOL_CMD_FRU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMD_FRU_GET_INFO 0x10
#define CMD_FRU_READ     0x11

struct cmd_fru_info {
	uint16_t size; /* inventory area size in bytes */
	bool words;    /* access by words (bit 0 of byte 3) */
};

/* Get FRU Inventory Area Info request data {fru id}; returns 1. */
int cmd_fru_info_req(uint8_t fru_id, uint8_t out[1]);

/* Decodes Get FRU Inventory Area Info data (3 bytes) after the completion code. */
int cmd_fru_info_decode(const uint8_t *data, size_t len, struct cmd_fru_info *out);

/* "bytes" or "words" (the API's `access`). */
const char *cmd_fru_access_name(bool words);

/*
 * Read FRU Data request data (4 bytes) for byte_offset/byte_count; with
 * word access the offset and count are sent in words (both must be even:
 * IPMI_E_ARG otherwise).  Returns 4.
 */
int cmd_fru_read_req(uint8_t fru_id, uint16_t byte_offset, uint8_t byte_count, bool words,
                     uint8_t out[4]);

/*
 * Decodes Read FRU Data data after the completion code: count returned
 * (words when `words`) and the data, which must be exactly that long.
 * *chunk points into data.  A short read (count below what was asked, e.g.
 * at the end of the area) is fine; the caller checks progress.
 */
int cmd_fru_read_decode(const uint8_t *data, size_t len, bool words, const uint8_t **chunk,
                        size_t *chunk_len);

/* ---- FRU image ---- */

enum cmd_fru_area {
	CMD_FRU_AREA_HEADER,
	CMD_FRU_AREA_INTERNAL,
	CMD_FRU_AREA_CHASSIS,
	CMD_FRU_AREA_BOARD,
	CMD_FRU_AREA_PRODUCT,
	CMD_FRU_AREA_MULTIRECORD,
};

/* "common header", "internal use", "chassis", "board", "product", "multirecord". */
const char *cmd_fru_area_name(enum cmd_fru_area area);

#define CMD_FRU_FIELD_MAX 128 /* a decoded field: <= 63 bytes raw, hex/UTF-8 is 2x */
#define CMD_FRU_EXTRA_MAX 8   /* custom fields kept per area */

struct cmd_fru_field {
	bool present; /* the field existed (possibly empty) */
	uint8_t type; /* T/L bits 7:6: enum ipmistr_tl_type */
	uint8_t len;  /* T/L bits 5:0: raw length */
	char text[CMD_FRU_FIELD_MAX];
};

struct cmd_fru_extras {
	unsigned count; /* custom fields found (may exceed CMD_FRU_EXTRA_MAX) */
	struct cmd_fru_field field[CMD_FRU_EXTRA_MAX];
};

struct cmd_fru_chassis {
	uint8_t type; /* SMBIOS chassis type */
	struct cmd_fru_field part_number;
	struct cmd_fru_field serial;
	struct cmd_fru_extras extra;
};

#define CMD_FRU_EPOCH_1996 820454400 /* 1996-01-01 00:00:00 UTC in Unix time */

struct cmd_fru_board {
	uint8_t language;
	uint32_t mfg_minutes; /* minutes since 1996-01-01 00:00 UTC; 0 = unspecified */
	int64_t mfg_time;     /* Unix time (CMD_FRU_EPOCH_1996 + 60 * minutes) */
	struct cmd_fru_field manufacturer;
	struct cmd_fru_field product;
	struct cmd_fru_field serial;
	struct cmd_fru_field part_number;
	struct cmd_fru_field file_id;
	struct cmd_fru_extras extra;
};

struct cmd_fru_product {
	uint8_t language;
	struct cmd_fru_field manufacturer;
	struct cmd_fru_field name;
	struct cmd_fru_field part_number; /* part/model number */
	struct cmd_fru_field version;
	struct cmd_fru_field serial;
	struct cmd_fru_field asset_tag;
	struct cmd_fru_field file_id;
	struct cmd_fru_extras extra;
};

struct cmd_fru {
	uint8_t offset[5]; /* header offsets in bytes/8: internal, chassis, board, product, multi */
	bool has_chassis, has_board, has_product;
	struct cmd_fru_chassis chassis;
	struct cmd_fru_board board;
	struct cmd_fru_product product;
};

/*
 * Parses a FRU image (img[0..len) as read from offset 0; trailing unused
 * bytes are fine).  Returns 0, or on failure, with *bad_area (if not NULL)
 * set to the area at fault - the one documented exception to "out-params
 * only on success":
 *   IPMI_E_TRUNCATED  the header, an area or a field runs past the image or
 *                     its area (area length 0, field without the C1h end
 *                     marker inside the area)
 *   IPMI_E_CHECKSUM   the header or an area does not sum to zero
 *   IPMI_E_MALFORMED  unknown format version
 * Internal use and multirecord areas are not decoded (only the offsets).
 * Type 11b fields are read as Latin 1 whatever the area's language code
 * (the spec's 16-bit Unicode for non-English areas is ignored, as ipmitool
 * does).
 */
int cmd_fru_parse(const uint8_t *img, size_t len, struct cmd_fru *out, enum cmd_fru_area *bad_area);

/*
 * ipmitool's chassis type names ("Rack Mount Chassis" for 17h, ...,
 * "Blade Enclosure" for 1Dh); "Unknown" above 1Dh (as ipmitool).
 */
const char *cmd_fru_chassis_type_name(uint8_t type);

#endif
