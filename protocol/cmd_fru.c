/*
 * cmd_fru.c - FRU inventory requests/responses and the FRU image parser.
 * Each area is checked (bounds, version, checksum) before any field is
 * read, and fields are read through a sub-reader bounded by the area, so
 * a bad area yields an error naming it, never garbage fields.
 */
#include <string.h>

#include "cmd_fru.h"
#include "ipmierr.h"
#include "ipmistr.h"
#include "wire.h"

int
cmd_fru_info_req(uint8_t fru_id, uint8_t out[1])
{
	out[0] = fru_id;
	return 1;
}

int
cmd_fru_info_decode(const uint8_t *data, size_t len, struct cmd_fru_info *out)
{
	struct wire_rd r = wire_rd_make(data, len);
	struct cmd_fru_info i;

	i.size = wire_get_le16(&r);
	i.words = wire_get_u8(&r) & 0x01;
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	*out = i;
	return 0;
}

const char *
cmd_fru_access_name(bool words)
{
	return words ? "words" : "bytes";
}

int
cmd_fru_read_req(uint8_t fru_id, uint16_t byte_offset, uint8_t byte_count, bool words,
                 uint8_t out[4])
{
	struct wire_wr w = wire_wr_make(out, 4);

	if (words && ((byte_offset | byte_count) & 1))
		return IPMI_E_ARG;
	wire_put_u8(&w, fru_id);
	wire_put_le16(&w, words ? (uint16_t)(byte_offset >> 1) : byte_offset);
	wire_put_u8(&w, words ? (uint8_t)(byte_count >> 1) : byte_count);
	return (int)w.len;
}

int
cmd_fru_read_decode(const uint8_t *data, size_t len, bool words, const uint8_t **chunk,
                    size_t *chunk_len)
{
	struct wire_rd r = wire_rd_make(data, len);
	size_t n = wire_get_u8(&r);
	const uint8_t *p;

	if (words)
		n *= 2;
	p = wire_get_ref(&r, n);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	*chunk = p;
	*chunk_len = n;
	return 0;
}

const char *
cmd_fru_area_name(enum cmd_fru_area area)
{
	switch (area) {
	case CMD_FRU_AREA_HEADER:
		return "common header";
	case CMD_FRU_AREA_INTERNAL:
		return "internal use";
	case CMD_FRU_AREA_CHASSIS:
		return "chassis";
	case CMD_FRU_AREA_BOARD:
		return "board";
	case CMD_FRU_AREA_PRODUCT:
		return "product";
	case CMD_FRU_AREA_MULTIRECORD:
		return "multirecord";
	}
	return "unknown";
}

/* ipmitool's chassis type table (SMBIOS 3.3.4.1 names, ipmitool's spelling). */
static const char *const chassis_types[] = {
	"Unspecified",
	"Other",
	"Unknown",
	"Desktop",
	"Low Profile Desktop",
	"Pizza Box",
	"Mini Tower",
	"Tower",
	"Portable",
	"LapTop",
	"Notebook",
	"Hand Held",
	"Docking Station",
	"All in One",
	"Sub Notebook",
	"Space-saving",
	"Lunch Box",
	"Main Server Chassis",
	"Expansion Chassis",
	"SubChassis",
	"Bus Expansion Chassis",
	"Peripheral Chassis",
	"RAID Chassis",
	"Rack Mount Chassis",
	"Sealed-case PC",
	"Multi-system Chassis",
	"CompactPCI",
	"AdvancedTCA",
	"Blade",
	"Blade Enclosure",
};

const char *
cmd_fru_chassis_type_name(uint8_t type)
{
	return type < sizeof(chassis_types) / sizeof(chassis_types[0]) ? chassis_types[type]
	                                                               : "Unknown";
}

#define FRU_END 0xc1 /* type/length byte: no more fields */

static bool
zero_sum(const uint8_t *p, size_t n)
{
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += p[i];
	return (sum & 0xff) == 0;
}

/*
 * Reads one type/length field.  Returns 1 for a field, 0 at the end
 * marker (which is consumed), IPMI_E_TRUNCATED when the area ends first.
 */
static int
get_field(struct wire_rd *r, struct cmd_fru_field *f)
{
	int tl = wire_peek_u8(r);
	const uint8_t *p;

	if (tl < 0)
		return IPMI_E_TRUNCATED; /* no end marker inside the area */
	wire_skip(r, 1);
	if (tl == FRU_END)
		return 0;
	f->present = true;
	f->type = (uint8_t)(tl >> 6);
	f->len = (uint8_t)(tl & 0x3f);
	p = wire_get_ref(r, f->len);
	if (p == NULL)
		return IPMI_E_TRUNCATED;
	(void)ipmistr_tl_decode(f->type, p, f->len, f->text, sizeof(f->text));
	return 1;
}

/*
 * Reads the fixed fields in order (stopping early at the end marker: the
 * rest stay absent), then custom fields up to the end marker.
 */
static int
get_fields(struct wire_rd *r, struct cmd_fru_field *const *fixed, size_t nfixed,
           struct cmd_fru_extras *extra)
{
	struct cmd_fru_field scratch;
	int rc;

	for (size_t i = 0; i < nfixed; i++) {
		rc = get_field(r, fixed[i]);
		if (rc <= 0)
			return rc;
	}
	for (;;) {
		struct cmd_fru_field *f =
		    extra->count < CMD_FRU_EXTRA_MAX ? &extra->field[extra->count] : &scratch;

		memset(&scratch, 0, sizeof(scratch));
		rc = get_field(r, f);
		if (rc <= 0)
			return rc;
		extra->count++;
	}
}

/*
 * Checks the area at header offset `off` (bytes/8): inside the image, a
 * zero checksum, format version 1.  Returns a reader over its fields
 * (after version and length, before the checksum byte).
 */
static int
open_area(const uint8_t *img, size_t len, uint8_t off, struct wire_rd *fields)
{
	struct wire_rd r = wire_rd_make(img, len), peek;
	const uint8_t *p;
	size_t alen;
	uint8_t version;

	wire_skip(&r, (size_t)off * 8);
	peek = r;
	version = wire_get_u8(&peek);
	alen = (size_t)wire_get_u8(&peek) * 8;
	if (!wire_rd_ok(&peek) || alen == 0)
		return IPMI_E_TRUNCATED;
	p = wire_get_ref(&r, alen);
	if (p == NULL)
		return IPMI_E_TRUNCATED;
	if (!zero_sum(p, alen))
		return IPMI_E_CHECKSUM;
	if ((version & 0x0f) != 1)
		return IPMI_E_MALFORMED;
	*fields = wire_rd_make(p + 2, alen - 3);
	return 0;
}

static int
parse_chassis(const uint8_t *img, size_t len, uint8_t off, struct cmd_fru_chassis *c)
{
	struct cmd_fru_field *const fixed[] = { &c->part_number, &c->serial };
	struct wire_rd r;
	int rc = open_area(img, len, off, &r);

	if (rc < 0)
		return rc;
	c->type = wire_get_u8(&r);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	return get_fields(&r, fixed, sizeof(fixed) / sizeof(fixed[0]), &c->extra);
}

static int
parse_board(const uint8_t *img, size_t len, uint8_t off, struct cmd_fru_board *b)
{
	struct cmd_fru_field *const fixed[] = { &b->manufacturer, &b->product, &b->serial,
		                                &b->part_number, &b->file_id };
	struct wire_rd r;
	int rc = open_area(img, len, off, &r);

	if (rc < 0)
		return rc;
	b->language = wire_get_u8(&r);
	b->mfg_minutes = wire_get_le24(&r);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	b->mfg_time = CMD_FRU_EPOCH_1996 + (int64_t)b->mfg_minutes * 60;
	return get_fields(&r, fixed, sizeof(fixed) / sizeof(fixed[0]), &b->extra);
}

static int
parse_product(const uint8_t *img, size_t len, uint8_t off, struct cmd_fru_product *p)
{
	struct cmd_fru_field *const fixed[] = { &p->manufacturer, &p->name,   &p->part_number,
		                                &p->version,      &p->serial, &p->asset_tag,
		                                &p->file_id };
	struct wire_rd r;
	int rc = open_area(img, len, off, &r);

	if (rc < 0)
		return rc;
	p->language = wire_get_u8(&r);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	return get_fields(&r, fixed, sizeof(fixed) / sizeof(fixed[0]), &p->extra);
}

int
cmd_fru_parse(const uint8_t *img, size_t len, struct cmd_fru *out, enum cmd_fru_area *bad_area)
{
	struct wire_rd r = wire_rd_make(img, len);
	const uint8_t *hdr = wire_get_ref(&r, 8);
	struct cmd_fru f;
	enum cmd_fru_area area = CMD_FRU_AREA_HEADER;
	int rc;

	if (hdr == NULL) {
		rc = IPMI_E_TRUNCATED;
		goto fail;
	}
	if (!zero_sum(hdr, 8)) {
		rc = IPMI_E_CHECKSUM;
		goto fail;
	}
	if ((hdr[0] & 0x0f) != 1) {
		rc = IPMI_E_MALFORMED;
		goto fail;
	}
	memset(&f, 0, sizeof(f));
	memcpy(f.offset, hdr + 1, sizeof(f.offset));
	if (f.offset[1] != 0) {
		area = CMD_FRU_AREA_CHASSIS;
		if ((rc = parse_chassis(img, len, f.offset[1], &f.chassis)) < 0)
			goto fail;
		f.has_chassis = true;
	}
	if (f.offset[2] != 0) {
		area = CMD_FRU_AREA_BOARD;
		if ((rc = parse_board(img, len, f.offset[2], &f.board)) < 0)
			goto fail;
		f.has_board = true;
	}
	if (f.offset[3] != 0) {
		area = CMD_FRU_AREA_PRODUCT;
		if ((rc = parse_product(img, len, f.offset[3], &f.product)) < 0)
			goto fail;
		f.has_product = true;
	}
	*out = f;
	return 0;

fail:
	if (bad_area != NULL)
		*bad_area = area;
	return rc;
}
