/*
 * cmd_sdr.c - SDR repository requests/responses, record assembly, record
 * parsing and reading conversion.  Every record byte is read through
 * struct wire_rd; values are checked against the record's own length.
 */
#include <math.h>
#include <string.h>

#include "cmd_sdr.h"
#include "ipmierr.h"
#include "ipmistr.h"
#include "wire.h"

int
cmd_sdr_repo_info_decode(const uint8_t *data, size_t len, struct cmd_sdr_repo_info *out)
{
	struct wire_rd r = wire_rd_make(data, len);
	struct cmd_sdr_repo_info i = { 0 };
	uint8_t ops;

	i.version = wire_get_u8(&r);
	i.record_count = wire_get_le16(&r);
	i.free_space = wire_get_le16(&r);
	i.last_add = wire_get_le32(&r);
	i.last_erase = wire_get_le32(&r);
	ops = wire_get_u8(&r);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	i.overflow = ops & 0x80;
	i.update_mode = (ops >> 5) & 0x03;
	i.delete_supported = ops & 0x08;
	i.partial_add_supported = ops & 0x04;
	i.reserve_supported = ops & 0x02;
	i.alloc_info_supported = ops & 0x01;
	*out = i;
	return 0;
}

int
cmd_sdr_reserve_decode(const uint8_t *data, size_t len, uint16_t *reservation)
{
	struct wire_rd r = wire_rd_make(data, len);
	uint16_t v = wire_get_le16(&r);

	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	*reservation = v;
	return 0;
}

int
cmd_sdr_get_req(uint16_t reservation, uint16_t record_id, uint8_t offset, uint8_t count,
                uint8_t out[6])
{
	struct wire_wr w = wire_wr_make(out, 6);

	wire_put_le16(&w, reservation);
	wire_put_le16(&w, record_id);
	wire_put_u8(&w, offset);
	wire_put_u8(&w, count);
	return (int)w.len;
}

int
cmd_sdr_get_decode(const uint8_t *data, size_t len, uint16_t *next_id, const uint8_t **chunk,
                   size_t *chunk_len)
{
	struct wire_rd r = wire_rd_make(data, len);
	uint16_t next = wire_get_le16(&r);
	const uint8_t *p;
	size_t n;

	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	p = wire_get_rest(&r, &n);
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	*next_id = next;
	*chunk = p;
	*chunk_len = n;
	return 0;
}

void
cmd_sdr_asm_init(struct cmd_sdr_asm *a, uint16_t record_id)
{
	a->id = record_id;
	a->have = 0;
	a->total = 0;
}

/* Bytes wanted by the next read: up to the header, then up to the end. */
static size_t
asm_target(const struct cmd_sdr_asm *a)
{
	return a->total != 0 ? a->total : CMD_SDR_HDR_LEN;
}

int
cmd_sdr_asm_next(const struct cmd_sdr_asm *a, uint8_t max_chunk, uint8_t *offset, uint8_t *count)
{
	size_t want;

	if (max_chunk == 0)
		return IPMI_E_ARG;
	if (a->total != 0 && a->have >= a->total)
		return 0;
	if (a->have > 0xff)
		return IPMI_E_UNSUPPORTED;
	want = asm_target(a) - a->have;
	*offset = (uint8_t)a->have;
	*count = (uint8_t)(want < max_chunk ? want : max_chunk);
	return 1;
}

int
cmd_sdr_asm_add(struct cmd_sdr_asm *a, const uint8_t *chunk, size_t len)
{
	struct wire_rd r = wire_rd_make(chunk, len);
	size_t want = asm_target(a) - a->have;
	const uint8_t *p;

	if (a->total != 0 && a->have >= a->total)
		return IPMI_E_MALFORMED;
	if (len == 0)
		return IPMI_E_TRUNCATED;
	if (len > want)
		return IPMI_E_MALFORMED;
	p = wire_get_ref(&r, len);
	if (p == NULL || !wire_rd_done(&r))
		return IPMI_E_TRUNCATED;
	memcpy(a->rec + a->have, p, len);
	a->have += len;
	if (a->total == 0 && a->have >= CMD_SDR_HDR_LEN)
		a->total = CMD_SDR_HDR_LEN + (size_t)a->rec[4];
	if (a->total == 0)
		return (int)(CMD_SDR_HDR_LEN - a->have);
	return (int)(a->total - a->have);
}

int
cmd_sdr_header_parse(const uint8_t *rec, size_t len, uint16_t *id, uint8_t *version, uint8_t *type,
                     uint8_t *length)
{
	struct wire_rd r = wire_rd_make(rec, len);
	uint16_t i = wire_get_le16(&r);
	uint8_t v = wire_get_u8(&r), t = wire_get_u8(&r), l = wire_get_u8(&r);

	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	*id = i;
	*version = v;
	*type = t;
	*length = l;
	return 0;
}

/* Sign-extends the low `bits` bits of v. */
static int
sext(unsigned v, unsigned bits)
{
	unsigned m = 1u << (bits - 1);

	v &= (1u << bits) - 1;
	return (int)(v ^ m) - (int)m;
}

/* Reads the ID string type/length byte and the string; the rest is padding. */
static void
get_id_string(struct wire_rd *r, uint8_t *type, uint8_t *len, char *name, size_t cap)
{
	uint8_t tl = wire_get_u8(r);
	const uint8_t *p;
	size_t rest;

	*type = tl >> 6;
	*len = tl & 0x1f;
	p = wire_get_ref(r, *len);
	if (p != NULL)
		(void)ipmistr_tl_decode(*type, p, *len, name, cap);
	(void)wire_get_rest(r, &rest); /* tolerated trailing bytes */
}

static void
get_keys(struct wire_rd *r, struct cmd_sdr_sensor *s)
{
	uint8_t b;

	s->owner_id = wire_get_u8(r);
	b = wire_get_u8(r);
	s->owner_lun = b & 0x03;
	s->channel = b >> 4;
	s->number = wire_get_u8(r);
	s->entity_id = wire_get_u8(r);
	b = wire_get_u8(r);
	s->entity_instance = b & 0x7f;
	s->entity_logical = b & 0x80;
}

/* Bytes 11-23, common to full and compact records. */
static void
get_common(struct wire_rd *r, struct cmd_sdr_sensor *s)
{
	uint8_t units1;

	s->init = wire_get_u8(r);
	s->caps = wire_get_u8(r);
	s->sensor_type = wire_get_u8(r);
	s->event_type = wire_get_u8(r);
	s->assert_mask = wire_get_le16(r);
	s->deassert_mask = wire_get_le16(r);
	s->reading_mask = wire_get_le16(r);
	s->readable_mask = s->reading_mask & 0x3f;
	s->settable_mask = (s->reading_mask >> 8) & 0x3f;
	units1 = wire_get_u8(r);
	s->analog_format = units1 >> 6;
	s->rate = (units1 >> 3) & 0x07;
	s->mod_rel = (units1 >> 1) & 0x03;
	s->percentage = units1 & 0x01;
	s->base_unit = wire_get_u8(r);
	s->mod_unit = wire_get_u8(r);
}

void
cmd_sdr_set_factors(struct cmd_sdr_sensor *s, const uint8_t f[6])
{
	s->m = (int16_t)sext(f[0] | (unsigned)(f[1] & 0xc0) << 2, 10);
	s->tolerance = f[1] & 0x3f;
	s->b = (int16_t)sext(f[2] | (unsigned)(f[3] & 0xc0) << 2, 10);
	s->accuracy = (uint16_t)((f[3] & 0x3f) | (unsigned)(f[4] & 0xf0) << 2);
	s->accuracy_exp = (f[4] >> 2) & 0x03;
	s->direction = f[4] & 0x03;
	s->r_exp = (int8_t)sext(f[5] >> 4, 4);
	s->b_exp = (int8_t)sext(f[5] & 0x0f, 4);
}

static void
parse_full(struct wire_rd *r, struct cmd_sdr_sensor *s)
{
	uint8_t f[6];

	get_keys(r, s);
	get_common(r, s);
	s->linearization = wire_get_u8(r) & 0x7f;
	wire_get_bytes(r, f, sizeof(f));
	cmd_sdr_set_factors(s, f);
	s->analog_flags = wire_get_u8(r) & 0x07;
	s->nominal = wire_get_u8(r);
	s->normal_max = wire_get_u8(r);
	s->normal_min = wire_get_u8(r);
	s->sensor_max = wire_get_u8(r);
	s->sensor_min = wire_get_u8(r);
	s->threshold[CMD_SENSOR_UNR] = wire_get_u8(r);
	s->threshold[CMD_SENSOR_UC] = wire_get_u8(r);
	s->threshold[CMD_SENSOR_UNC] = wire_get_u8(r);
	s->threshold[CMD_SENSOR_LNR] = wire_get_u8(r);
	s->threshold[CMD_SENSOR_LC] = wire_get_u8(r);
	s->threshold[CMD_SENSOR_LNC] = wire_get_u8(r);
	s->hyst_pos = wire_get_u8(r);
	s->hyst_neg = wire_get_u8(r);
	wire_skip(r, 2); /* reserved */
	s->oem = wire_get_u8(r);
	get_id_string(r, &s->id_type, &s->id_len, s->name, sizeof(s->name));
}

static void
get_sharing(struct wire_rd *r, struct cmd_sdr_sensor *s)
{
	uint8_t b = wire_get_u8(r);

	s->direction = b >> 6;
	s->id_mod_type = (b >> 4) & 0x03;
	s->share_count = b & 0x0f;
	b = wire_get_u8(r);
	s->entity_inst_shared = b & 0x80;
	s->id_mod_offset = b & 0x7f;
}

static void
parse_compact(struct wire_rd *r, struct cmd_sdr_sensor *s)
{
	get_keys(r, s);
	get_common(r, s);
	get_sharing(r, s);
	s->hyst_pos = wire_get_u8(r);
	s->hyst_neg = wire_get_u8(r);
	wire_skip(r, 3); /* reserved */
	s->oem = wire_get_u8(r);
	get_id_string(r, &s->id_type, &s->id_len, s->name, sizeof(s->name));
}

static void
parse_event_only(struct wire_rd *r, struct cmd_sdr_sensor *s)
{
	get_keys(r, s);
	s->sensor_type = wire_get_u8(r);
	s->event_type = wire_get_u8(r);
	get_sharing(r, s);
	wire_skip(r, 1); /* reserved */
	s->oem = wire_get_u8(r);
	s->analog_format = 3; /* no reading */
	get_id_string(r, &s->id_type, &s->id_len, s->name, sizeof(s->name));
}

static void
parse_fru_locator(struct wire_rd *r, struct cmd_sdr_fru_locator *f)
{
	uint8_t b;

	f->access_addr = wire_get_u8(r);
	f->fru_id = wire_get_u8(r);
	b = wire_get_u8(r);
	f->logical = b & 0x80;
	f->access_lun = (b >> 3) & 0x03;
	f->private_bus = b & 0x07;
	f->channel = wire_get_u8(r) >> 4;
	wire_skip(r, 1); /* reserved */
	f->device_type = wire_get_u8(r);
	f->device_type_mod = wire_get_u8(r);
	f->entity_id = wire_get_u8(r);
	f->entity_instance = wire_get_u8(r);
	f->oem = wire_get_u8(r);
	get_id_string(r, &f->id_type, &f->id_len, f->name, sizeof(f->name));
}

static void
parse_mc_locator(struct wire_rd *r, struct cmd_sdr_mc_locator *m)
{
	m->slave_addr = wire_get_u8(r);
	m->channel = wire_get_u8(r) & 0x0f;
	m->power_global = wire_get_u8(r);
	m->capabilities = wire_get_u8(r);
	wire_skip(r, 3); /* reserved */
	m->entity_id = wire_get_u8(r);
	m->entity_instance = wire_get_u8(r);
	m->oem = wire_get_u8(r);
	get_id_string(r, &m->id_type, &m->id_len, m->name, sizeof(m->name));
}

int
cmd_sdr_parse(const uint8_t *rec, size_t len, struct cmd_sdr_record *out)
{
	struct wire_rd r = wire_rd_make(rec, len), body;
	struct cmd_sdr_record x;

	memset(&x, 0, sizeof(x));
	x.id = wire_get_le16(&r);
	x.version = wire_get_u8(&r);
	x.type = wire_get_u8(&r);
	x.length = wire_get_u8(&r);
	body = wire_get_sub(&r, x.length);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	switch (x.type) {
	case CMD_SDR_FULL:
		parse_full(&body, &x.u.sensor);
		break;
	case CMD_SDR_COMPACT:
		parse_compact(&body, &x.u.sensor);
		break;
	case CMD_SDR_EVENT_ONLY:
		parse_event_only(&body, &x.u.sensor);
		break;
	case CMD_SDR_FRU_LOCATOR:
		parse_fru_locator(&body, &x.u.fru);
		break;
	case CMD_SDR_MC_LOCATOR:
		parse_mc_locator(&body, &x.u.mc);
		break;
	default:
		return IPMI_E_UNSUPPORTED;
	}
	if (!wire_rd_done(&body))
		return IPMI_E_TRUNCATED;
	if (x.type <= CMD_SDR_EVENT_ONLY)
		x.u.sensor.record_type = x.type;
	*out = x;
	return 0;
}

bool
cmd_sdr_is_analog(const struct cmd_sdr_sensor *s)
{
	return s->record_type == CMD_SDR_FULL && s->analog_format != 3 && s->event_type == 0x01;
}

/* ipmitool's linearization step (only codes 01h-0Bh change the value). */
static double
linearize(uint8_t lin, double v)
{
	switch (lin & 0x7f) {
	case 0x01:
		return log(v);
	case 0x02:
		return log10(v);
	case 0x03:
		return log(v) / log(2.0);
	case 0x04:
		return exp(v);
	case 0x05:
		return pow(10.0, v);
	case 0x06:
		return pow(2.0, v);
	case 0x07:
		return pow(v, -1.0);
	case 0x08:
		return pow(v, 2.0);
	case 0x09:
		return pow(v, 3.0);
	case 0x0a:
		return sqrt(v);
	case 0x0b:
		return cbrt(v);
	default:
		return v;
	}
}

/* The signed raw value per analog data format, as ipmitool computes it. */
static int
raw_value(uint8_t format, uint8_t raw)
{
	if (format == 0)
		return raw;
	if (format == 1 && (raw & 0x80))
		raw = (uint8_t)(raw + 1); /* 1's complement: FFh (-0) wraps to 0 */
	return (int8_t)raw;
}

double
cmd_sdr_convert(const struct cmd_sdr_sensor *s, uint8_t raw)
{
	double v;

	if (s->analog_format > 2)
		return 0.0;
	v = ((double)(s->m * raw_value(s->analog_format, raw)) + s->b * pow(10, s->b_exp)) *
	    pow(10, s->r_exp);
	return linearize(s->linearization, v);
}

double
cmd_sdr_convert_hysteresis(const struct cmd_sdr_sensor *s, uint8_t raw)
{
	double v;

	if (s->analog_format > 2)
		return 0.0;
	v = (double)(s->m * raw_value(s->analog_format, raw)) * pow(10, s->r_exp);
	return linearize(s->linearization, v);
}

int
cmd_sdr_format(const struct cmd_sdr_sensor *s, uint8_t raw, int precision, char *buf, size_t cap)
{
	return ipmistr_fmt_value(cmd_sdr_convert(s, raw), precision, buf, cap);
}

int
cmd_sdr_units(const struct cmd_sdr_sensor *s, char *buf, size_t cap)
{
	return ipmistr_units(s->percentage, s->mod_rel, s->base_unit, s->mod_unit, buf, cap);
}

const char *
cmd_sdr_linearization_name(uint8_t lin)
{
	static const char *const names[] = {
		"linear", "ln",  "log10", "log2", "e",    "exp10",
		"exp2",   "1/x", "sqr",   "cube", "sqrt", "cube-root"
	};

	lin &= 0x7f;
	if (lin < sizeof(names) / sizeof(names[0]))
		return names[lin];
	if (lin >= 0x70)
		return "non-linear";
	return "unknown";
}

int
cmd_sdr_device_info_decode(const uint8_t *data, size_t len, uint16_t *count, uint32_t *change)
{
	struct wire_rd r = wire_rd_make(data, len);
	uint8_t n = wire_get_u8(&r), flags = wire_get_u8(&r);
	uint32_t ind = 0;

	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	/* The change indicator is present when the population is dynamic (bit 7). */
	if (wire_rd_left(&r) >= 4)
		ind = wire_get_le32(&r);
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	(void)flags;
	*count = n;
	*change = ind;
	return 0;
}
