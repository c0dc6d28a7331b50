/*
 * bmcemu.c - reads the bmcsim .emu command files (ipmi_sim_cmd(5)): one
 * command per line, continued with a trailing backslash, '#' comments,
 * numbers in C notation.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bmcemu.h"

#define EMU_MAX_TOKENS 512

static char *
emu_read(const char *name)
{
	const char *dir = getenv("IPMIPOOL_BMCSIM");
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	ck_assert_msg(dir != NULL, "IPMIPOOL_BMCSIM is not set");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Splits the next logical line (continuations joined) into tokens. */
static size_t
emu_next(char **cursor, char **tok, size_t max)
{
	size_t n = 0;

	for (;;) {
		char *line = *cursor, *end, *hash;
		bool cont;

		if (*line == '\0')
			return n;
		end = strchr(line, '\n');
		if (end != NULL) {
			*end = '\0';
			*cursor = end + 1;
		} else {
			*cursor = line + strlen(line);
		}
		hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		end = line + strlen(line);
		while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			*--end = '\0';
		cont = end > line && end[-1] == '\\';
		if (cont)
			end[-1] = '\0';
		for (char *t = strtok(line, " \t"); t != NULL; t = strtok(NULL, " \t")) {
			ck_assert_uint_lt(n, max);
			tok[n++] = t;
		}
		if (!cont && n > 0)
			return n;
	}
}

static uint8_t
emu_byte(const char *t)
{
	char *end;
	unsigned long v = strtoul(t, &end, 0);

	ck_assert_msg(*end == '\0' && v <= 0xff, "bad byte \"%s\"", t);
	return (uint8_t)v;
}

void
bmcemu_load(struct bmcemu *e)
{
	char *buf = emu_read("bmc.emu"), *cur = buf, *tok[EMU_MAX_TOKENS];
	size_t n;

	memset(e, 0, sizeof(*e));
	while ((n = emu_next(&cur, tok, EMU_MAX_TOKENS)) > 0) {
		if (strcmp(tok[0], "main_sdr_add") == 0) {
			ck_assert_uint_lt(e->nsdr, BMCEMU_MAX_SDR);
			ck_assert_uint_ge(n, 2 + 5);
			ck_assert_uint_le(n - 2, sizeof(e->sdr[0].rec));
			e->sdr[e->nsdr].owner = emu_byte(tok[1]);
			for (size_t i = 2; i < n; i++)
				e->sdr[e->nsdr].rec[i - 2] = emu_byte(tok[i]);
			e->sdr[e->nsdr].len = n - 2;
			e->nsdr++;
		} else if (strcmp(tok[0], "mc_add_fru_data") == 0) {
			/* mc_add_fru_data MC FRUID SIZE data BYTES... */
			ck_assert_uint_ge(n, 5);
			ck_assert_str_eq(tok[4], "data");
			ck_assert_uint_le(n - 5, sizeof(e->fru));
			e->fru_size = strtoul(tok[3], NULL, 0);
			for (size_t i = 5; i < n; i++)
				e->fru[i - 5] = emu_byte(tok[i]);
			e->fru_len = n - 5;
		}
	}
	free(buf);

	buf = emu_read("sel-seed.emu");
	cur = buf;
	while ((n = emu_next(&cur, tok, EMU_MAX_TOKENS)) > 0) {
		if (strcmp(tok[0], "sel_add") != 0)
			continue;
		/* sel_add MC TYPE b1..b13 */
		ck_assert_uint_lt(e->nsel, BMCEMU_MAX_SEL);
		ck_assert_uint_eq(n, 2 + 14);
		for (size_t i = 2; i < n; i++)
			e->sel[e->nsel].b[i - 2] = emu_byte(tok[i]);
		e->sel[e->nsel].len = n - 2;
		e->nsel++;
	}
	free(buf);
	ck_assert_uint_gt(e->nsdr, 0);
	ck_assert_uint_gt(e->fru_len, 0);
	ck_assert_uint_gt(e->nsel, 0);
}

void
bmcemu_sel_record(const struct bmcemu *e, size_t i, uint16_t id, uint32_t ts, uint8_t out[16])
{
	ck_assert_uint_lt(i, e->nsel);
	out[0] = (uint8_t)id;
	out[1] = (uint8_t)(id >> 8);
	memcpy(out + 2, e->sel[i].b, 14);
	if (out[2] < 0xe0) {
		out[3] = (uint8_t)ts;
		out[4] = (uint8_t)(ts >> 8);
		out[5] = (uint8_t)(ts >> 16);
		out[6] = (uint8_t)(ts >> 24);
	}
}
