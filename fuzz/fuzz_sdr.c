/*
 * fuzz_sdr - SDR records and the repository messages: the whole input as
 * one record through cmd_sdr_parse (then every conversion and text helper
 * on what it parsed, and a Get Sensor Reading built from the input's
 * first bytes); the same input as Get SDR Repository Info / Reserve / Get
 * SDR answers; and as a run of Get SDR chunks fed to the record assembler
 * (byte 0 = the chunk size asked for), whose result is parsed too.
 */
#include <string.h>

#include "cmd_sdr.h"
#include "cmd_sensor.h"
#include "fuzz.h"
#include "ipmierr.h"
#include "ipmistr.h"

static void
check_name(const char *name, size_t cap)
{
	FUZZ_ASSERT(memchr(name, '\0', cap) != NULL);
}

static void
sensor(const struct cmd_sdr_sensor *s, const uint8_t *data, size_t size)
{
	struct cmd_sensor_reading r;
	char buf[96];
	int n;

	check_name(s->name, sizeof(s->name));
	FUZZ_ASSERT(s->analog_format <= 3 && s->mod_rel <= 3 && s->linearization < 0x80);
	FUZZ_ASSERT(s->m >= -512 && s->m <= 511 && s->b >= -512 && s->b <= 511);
	FUZZ_ASSERT(s->r_exp >= -8 && s->r_exp <= 7 && s->b_exp >= -8 && s->b_exp <= 7);
	(void)cmd_sdr_is_analog(s);
	for (unsigned raw = 0; raw < 256; raw += 51) {
		(void)cmd_sdr_convert(s, (uint8_t)raw);
		(void)cmd_sdr_convert_hysteresis(s, (uint8_t)raw);
		n = cmd_sdr_format(s, (uint8_t)raw, 3, buf, sizeof(buf));
		FUZZ_ASSERT(n == IPMI_E_NOSPACE || (n >= 0 && (size_t)n < sizeof(buf)));
	}
	n = cmd_sdr_units(s, buf, sizeof(buf));
	FUZZ_ASSERT(n >= 0 && (size_t)n == strlen(buf));
	(void)cmd_sdr_linearization_name(s->linearization);
	(void)ipmistr_sensor_type(s->sensor_type);
	(void)ipmistr_event_type_name(s->event_type);
	n = ipmistr_state_names(s->sensor_type, s->event_type, (uint16_t)(data[0] << 8 | data[1]),
	                        ", ", buf, sizeof(buf));
	FUZZ_ASSERT(n == IPMI_E_NOSPACE || (n >= 0 && (size_t)n == strlen(buf)));
	if (cmd_sensor_reading_decode(data, size < 4 ? size : 4, &r) == 0) {
		n = cmd_sensor_list_value(s, &r, buf, sizeof(buf));
		FUZZ_ASSERT(n == IPMI_E_NOSPACE || (n >= 0 && (size_t)n == strlen(buf)));
		(void)cmd_sensor_list_status(s, &r);
		for (int st = 0; st < 3; st++)
			FUZZ_ASSERT(cmd_sensor_th_status(&r, (enum cmd_sensor_style)st, "ns") !=
			            NULL);
	}
}

static void
record(const uint8_t *rec, size_t len, const uint8_t *data, size_t size)
{
	struct cmd_sdr_record r;
	uint16_t id;
	uint8_t ver, type, l;
	int rc = cmd_sdr_parse(rec, len, &r);

	FUZZ_ASSERT(rc == 0 || rc == IPMI_E_TRUNCATED || rc == IPMI_E_MALFORMED ||
	            rc == IPMI_E_UNSUPPORTED);
	if (cmd_sdr_header_parse(rec, len, &id, &ver, &type, &l) == 0 && rc != IPMI_E_TRUNCATED)
		FUZZ_ASSERT(len >= (size_t)l + CMD_SDR_HDR_LEN);
	if (rc != 0)
		return;
	FUZZ_ASSERT(len == (size_t)r.length + CMD_SDR_HDR_LEN);
	switch (r.type) {
	case CMD_SDR_FULL:
	case CMD_SDR_COMPACT:
	case CMD_SDR_EVENT_ONLY:
		FUZZ_ASSERT(r.u.sensor.record_type == r.type);
		if (size >= 2)
			sensor(&r.u.sensor, data, size);
		break;
	case CMD_SDR_FRU_LOCATOR:
		check_name(r.u.fru.name, sizeof(r.u.fru.name));
		break;
	case CMD_SDR_MC_LOCATOR:
		check_name(r.u.mc.name, sizeof(r.u.mc.name));
		break;
	default:
		FUZZ_ASSERT(0);
	}
}

static void
messages(const uint8_t *data, size_t size)
{
	struct cmd_sdr_repo_info info;
	uint16_t res, next;
	const uint8_t *chunk;
	size_t clen;

	(void)cmd_sdr_repo_info_decode(data, size, &info);
	(void)cmd_sdr_reserve_decode(data, size, &res);
	if (cmd_sdr_get_decode(data, size, &next, &chunk, &clen) == 0)
		FUZZ_ASSERT(chunk >= data && chunk + clen == data + size);
}

static void
assemble(const uint8_t *data, size_t size)
{
	struct cmd_sdr_asm a;
	uint8_t max, off, cnt;
	size_t pos = 1;
	int rc;

	if (size < 1)
		return;
	max = data[0] != 0 ? data[0] : 1;
	cmd_sdr_asm_init(&a, 0);
	while ((rc = cmd_sdr_asm_next(&a, max, &off, &cnt)) == 1) {
		size_t n = cnt;

		FUZZ_ASSERT(off == a.have && cnt >= 1 && cnt <= max);
		if (pos >= size)
			return;
		if (n > size - pos)
			n = size - pos; /* a short answer */
		rc = cmd_sdr_asm_add(&a, data + pos, n);
		FUZZ_ASSERT(rc >= 0);
		pos += n;
	}
	if (rc < 0) {
		FUZZ_ASSERT(rc == IPMI_E_UNSUPPORTED);
		return;
	}
	FUZZ_ASSERT(a.total == CMD_SDR_HDR_LEN + (size_t)a.rec[4] && a.have == a.total);
	FUZZ_ASSERT(memcmp(a.rec, data + 1, a.total) == 0);
	record(a.rec, a.total, data, size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	record(data, size, data, size);
	messages(data, size);
	assemble(data, size);
	return 0;
}
