/*
 * fuzz_sel - SEL records and messages: the input as a Get SEL Entry answer
 * (next id + 16-byte record) and as a bare record, then every text helper
 * (description, sensor, OEM, and the `sel elist` threshold text against a
 * fixed full SDR: the fixture's 12V sensor); also as Get SEL Info,
 * Reserve SEL and Clear SEL answers.
 */
#include <string.h>

#include "cmd_sdr.h"
#include "cmd_sel.h"
#include "fuzz.h"
#include "ipmierr.h"
#include "ipmistr.h"

/* tests/bmcsim: Full SDR for "12V" (M=63, B=-7, Bexp=2, Rexp=-3). */
static const uint8_t sdr_12v[] = {
	0x05, 0x00, 0x51, 0x01, 0x2e, 0x20, 0x00, 0x05, 0x07, 0x01, 0x7f, 0x68, 0x02,
	0x01, 0x85, 0x32, 0x85, 0x32, 0x1b, 0x1b, 0x00, 0x04, 0x00, 0x00, 0x3f, 0x00,
	0xf9, 0xc0, 0x00, 0xd2, 0x01, 0xca, 0x00, 0x00, 0xff, 0x00, 0x00, 0xde, 0xd8,
	0x00, 0xb4, 0xba, 0x02, 0x02, 0x00, 0x00, 0x00, 0xc3, 0x31, 0x32, 0x56,
};

static void
texts(const struct cmd_sel_record *r)
{
	static struct cmd_sdr_record sdr;
	static int loaded;
	const char *d;
	char buf[160];
	int n;

	if (!loaded) {
		FUZZ_ASSERT(cmd_sdr_parse(sdr_12v, sizeof(sdr_12v), &sdr) == 0);
		FUZZ_ASSERT(strcmp(sdr.u.sensor.name, "12V") == 0);
		loaded = 1;
	}
	FUZZ_ASSERT(r->oem_len <= sizeof(r->oem));
	d = cmd_sel_desc(r);
	FUZZ_ASSERT(d == NULL || r->kind == CMD_SEL_SYSTEM);
	(void)cmd_sel_direction(r);
	(void)cmd_sel_ts_preinit(r->timestamp);
	n = cmd_sel_sensor_text(r, buf, sizeof(buf));
	FUZZ_ASSERT(n >= 0 && (size_t)n == strlen(buf));
	n = cmd_sel_oem_text(r, buf, sizeof(buf));
	FUZZ_ASSERT(r->kind == CMD_SEL_SYSTEM ? n == IPMI_E_ARG
	                                      : (n > 0 && (size_t)n == strlen(buf)));
	n = cmd_sel_threshold_text(r, &sdr.u.sensor, buf, sizeof(buf));
	FUZZ_ASSERT(n >= 0 && (size_t)n == strlen(buf));
	(void)ipmistr_event_type_name(r->event_type);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cmd_sel_record r;
	struct cmd_sel_info info;
	uint16_t next, res;
	bool done;

	if (cmd_sel_get_decode(data, size, &next, &r) == 0) {
		FUZZ_ASSERT(size == 2 + CMD_SEL_REC_LEN);
		FUZZ_ASSERT(memcmp(r.raw, data + 2, CMD_SEL_REC_LEN) == 0);
		texts(&r);
	}
	if (cmd_sel_record_decode(data, size, &r) == 0) {
		FUZZ_ASSERT(size == CMD_SEL_REC_LEN);
		texts(&r);
	}
	(void)cmd_sel_info_decode(data, size, &info);
	(void)cmd_sel_reserve_decode(data, size, &res);
	(void)cmd_sel_clear_decode(data, size, &done);
	return 0;
}
