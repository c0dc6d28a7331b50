/*
 * method_fru.c - fru.info (Get FRU Inventory Area Info) and fru.read (the
 * whole inventory area via Read FRU Data, parsed: chassis, board and
 * product info areas).
 *
 * Errors besides the usual ones: a FRU image that does not parse (bad
 * checksum, an area or field running past its end, unknown format
 * version, or an empty inventory area) is -32000 "FRU data invalid" with
 * data.area ("common header", "chassis", "board", "product", ... or null),
 * data.reason ("checksum", "truncated", "format", "empty") and data.fru_id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_fru.h"
#include "ipmierr.h"
#include "ipmimsg.h"
#include "ipmistr.h"
#include "job.h"
#include "methods.h"
#include "rpc.h"

#define FRU_CHUNK        16 /* bytes per Read FRU Data */
#define FRU_MAX_BUSY     10 /* retries on 81h (FRU device busy) */
#define FRU_MAX_STALLS   3  /* answers without data before giving up */
#define FRU_CC_BUSY      0x81
#define FRU_CC_TOO_LONG  0xca /* cannot return the number of bytes requested */
#define FRU_CC_REQ_LEN   0xc7
#define FRU_CC_FIELD_LEN 0xc8

struct fru_job {
	uint8_t id;
	struct cmd_fru_info info;
	uint8_t *img; /* info.size bytes */
	size_t got;
	uint8_t chunk; /* bytes per read, even with word access */
	uint8_t asked; /* bytes asked in the read in flight */
	unsigned busy, stalls;
};

static void
fru_job_free(void *p)
{
	struct fru_job *st = p;

	free(st->img);
	free(st);
}

/* A job for params' BMC with a fresh state; NULL if the call was answered. */
static struct job *
fru_job(struct rpc_call *call, json_object *params)
{
	struct bridge_path bp;
	struct fru_job *st;
	struct job *j;
	struct bmc *b;
	unsigned id;

	if (!rpc_param_uint(call, params, "id", false, 0, 255, 0, &id))
		return NULL;
	if ((b = rpc_call_bmc(call, params)) == NULL || !method_parse_bridge(call, params, &bp))
		return NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		rpc_call_error(call, RPC_INTERNAL_ERROR, NULL, "out of memory", NULL);
		return NULL;
	}
	st->id = (uint8_t)id;
	if ((j = job_new(call, b, &bp)) == NULL) {
		free(st);
		return NULL;
	}
	j->state = st;
	j->free_state = fru_job_free;
	return j;
}

/* Get FRU Inventory Area Info for st->id, then next. */
static void
fru_send_info(struct job *j, job_step_fn next)
{
	struct fru_job *st = j->state;
	uint8_t req[1];

	cmd_fru_info_req(st->id, req);
	job_send(j, IPMI_NETFN_STORAGE, CMD_FRU_GET_INFO, req, sizeof(req), next, 0);
}

/* Decodes the area info into st; false after answering. */
static bool
fru_take_info(struct job *j, const uint8_t *rsp, size_t len)
{
	struct fru_job *st = j->state;

	if (rsp[0] != 0) {
		job_fail_cc(j, rsp[0], "Get FRU Inventory Area Info");
		return false;
	}
	if (cmd_fru_info_decode(rsp + 1, len - 1, &st->info) < 0) {
		job_fail(j, RPC_INTERNAL_ERROR, "malformed Get FRU Inventory Area Info response",
		         NULL);
		return false;
	}
	return true;
}

/* ---- fru.info ---- */

static void
fru_info_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct fru_job *st = j->state;
	json_object *o;

	(void)tag;
	if (!fru_take_info(j, rsp, len))
		return;
	o = json_object_new_object();
	json_object_object_add(o, "size", json_object_new_int(st->info.size));
	json_object_object_add(o, "access",
	                       json_object_new_string(cmd_fru_access_name(st->info.words)));
	job_finish(j, o);
}

/* fru.info {bmc, id? (0)}: {size (bytes), access ("bytes" | "words")}. */
void
method_fru_info(struct rpc_call *call, json_object *params)
{
	struct job *j = fru_job(call, params);

	if (j != NULL)
		fru_send_info(j, fru_info_rsp);
}

/* ---- fru.read ---- */

static void
fru_fail_invalid(struct job *j, const char *area, const char *reason, const char *why)
{
	struct fru_job *st = j->state;
	json_object *extra = json_object_new_object();
	char detail[160];

	if (area != NULL)
		snprintf(detail, sizeof(detail), "FRU %u: %s area: %s", st->id, area, why);
	else
		snprintf(detail, sizeof(detail), "FRU %u: %s", st->id, why);
	json_object_object_add(extra, "area", area != NULL ? json_object_new_string(area) : NULL);
	json_object_object_add(extra, "reason", json_object_new_string(reason));
	json_object_object_add(extra, "fru_id", json_object_new_int(st->id));
	job_fail(j, RPC_DATA_INVALID, detail, extra);
}

static json_object *
fru_str(const struct cmd_fru_field *f)
{
	return json_object_new_string(f->present ? f->text : "");
}

static json_object *
fru_extras(const struct cmd_fru_extras *x)
{
	json_object *a = json_object_new_array();
	unsigned n = x->count < CMD_FRU_EXTRA_MAX ? x->count : CMD_FRU_EXTRA_MAX;

	for (unsigned i = 0; i < n; i++)
		json_object_array_add(a, fru_str(&x->field[i]));
	return a;
}

static json_object *
fru_json(const struct cmd_fru *f)
{
	json_object *o = json_object_new_object(), *a;
	char buf[IPMISTR_ISO8601_LEN];

	if (f->has_chassis) {
		const struct cmd_fru_chassis *c = &f->chassis;

		a = json_object_new_object();
		json_object_object_add(a, "type",
		                       json_object_new_string(cmd_fru_chassis_type_name(c->type)));
		json_object_object_add(a, "type_code", json_object_new_int(c->type));
		json_object_object_add(a, "part_number", fru_str(&c->part_number));
		json_object_object_add(a, "serial", fru_str(&c->serial));
		json_object_object_add(a, "extra", fru_extras(&c->extra));
		json_object_object_add(o, "chassis", a);
	}
	if (f->has_board) {
		const struct cmd_fru_board *b = &f->board;

		a = json_object_new_object();
		if (b->mfg_minutes != 0) {
			ipmistr_iso8601(b->mfg_time, buf, sizeof(buf));
			json_object_object_add(a, "mfg_date", json_object_new_string(buf));
		} else {
			json_object_object_add(a, "mfg_date", NULL);
		}
		json_object_object_add(a, "manufacturer", fru_str(&b->manufacturer));
		json_object_object_add(a, "product", fru_str(&b->product));
		json_object_object_add(a, "serial", fru_str(&b->serial));
		json_object_object_add(a, "part_number", fru_str(&b->part_number));
		json_object_object_add(a, "fru_file_id", fru_str(&b->file_id));
		json_object_object_add(a, "extra", fru_extras(&b->extra));
		json_object_object_add(o, "board", a);
	}
	if (f->has_product) {
		const struct cmd_fru_product *p = &f->product;

		a = json_object_new_object();
		json_object_object_add(a, "manufacturer", fru_str(&p->manufacturer));
		json_object_object_add(a, "name", fru_str(&p->name));
		json_object_object_add(a, "part_number", fru_str(&p->part_number));
		json_object_object_add(a, "version", fru_str(&p->version));
		json_object_object_add(a, "serial", fru_str(&p->serial));
		json_object_object_add(a, "asset_tag", fru_str(&p->asset_tag));
		json_object_object_add(a, "fru_file_id", fru_str(&p->file_id));
		json_object_object_add(a, "extra", fru_extras(&p->extra));
		json_object_object_add(o, "product", a);
	}
	return o;
}

static void
fru_parse(struct job *j)
{
	struct fru_job *st = j->state;
	enum cmd_fru_area bad = CMD_FRU_AREA_HEADER;
	struct cmd_fru *f = calloc(1, sizeof(*f));
	int rc;

	if (f == NULL) {
		job_fail(j, RPC_INTERNAL_ERROR, "out of memory", NULL);
		return;
	}
	rc = cmd_fru_parse(st->img, st->info.size, f, &bad);
	if (rc == 0)
		job_finish(j, fru_json(f));
	else if (rc == IPMI_E_CHECKSUM)
		fru_fail_invalid(j, cmd_fru_area_name(bad), "checksum", "checksum mismatch");
	else if (rc == IPMI_E_TRUNCATED)
		fru_fail_invalid(j, cmd_fru_area_name(bad), "truncated",
		                 "runs past the end of its area or of the FRU data");
	else
		fru_fail_invalid(j, cmd_fru_area_name(bad), "format", "unsupported format version");
	free(f);
}

static void fru_read_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag);

static void
fru_read_next(struct job *j)
{
	struct fru_job *st = j->state;
	size_t left = st->info.size - st->got;
	uint8_t req[4], count = (uint8_t)(left < st->chunk ? left : st->chunk);

	if (st->info.words && (count & 1)) /* an odd-sized area: the last byte as a word */
		count++;
	st->asked = count;
	if (cmd_fru_read_req(st->id, (uint16_t)st->got, count, st->info.words, req) < 0) {
		job_fail(j, RPC_INTERNAL_ERROR, "cannot build Read FRU Data", NULL);
		return;
	}
	job_send(j, IPMI_NETFN_STORAGE, CMD_FRU_READ, req, sizeof(req), fru_read_rsp, 0);
}

static void
fru_read_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct fru_job *st = j->state;
	uint8_t min = st->info.words ? 2 : 1;
	const uint8_t *chunk;
	size_t n, left;

	(void)tag;
	if ((rsp[0] == FRU_CC_TOO_LONG || rsp[0] == FRU_CC_REQ_LEN || rsp[0] == FRU_CC_FIELD_LEN) &&
	    st->chunk > min) {
		st->chunk = (uint8_t)(st->chunk / 2 < min ? min : (st->chunk / 2) & ~(min - 1));
		fru_read_next(j);
		return;
	}
	if (rsp[0] == FRU_CC_BUSY && st->busy++ < FRU_MAX_BUSY) {
		fru_read_next(j);
		return;
	}
	if (rsp[0] != 0) {
		job_fail_cc(j, rsp[0], "Read FRU Data");
		return;
	}
	if (cmd_fru_read_decode(rsp + 1, len - 1, st->info.words, &chunk, &n) < 0) {
		job_fail(j, RPC_INTERNAL_ERROR, "malformed Read FRU Data response", NULL);
		return;
	}
	if (n == 0) {
		if (st->stalls++ >= FRU_MAX_STALLS) {
			char why[96];

			snprintf(why, sizeof(why), "Read FRU Data returned no data at offset %zu",
			         st->got);
			job_fail(j, RPC_INTERNAL_ERROR, why, NULL);
			return;
		}
		fru_read_next(j);
		return;
	}
	left = st->info.size - st->got;
	if (n < st->asked && n < left) /* the BMC's limit: ask for that much from now on */
		st->chunk = (uint8_t)(n < min ? min : n & ~(size_t)(min - 1));
	if (n > left)
		n = left;
	memcpy(st->img + st->got, chunk, n);
	st->got += n;
	if (st->got >= st->info.size) {
		fru_parse(j);
		return;
	}
	fru_read_next(j);
}

static void
fru_read_info_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct fru_job *st = j->state;

	(void)tag;
	if (!fru_take_info(j, rsp, len))
		return;
	if (st->info.size == 0) {
		fru_fail_invalid(j, NULL, "empty", "the inventory area is empty");
		return;
	}
	if ((st->img = calloc(1, st->info.size)) == NULL) {
		job_fail(j, RPC_INTERNAL_ERROR, "out of memory", NULL);
		return;
	}
	st->chunk = FRU_CHUNK;
	fru_read_next(j);
}

/*
 * fru.read {bmc, id? (0)}: {chassis?: {type (ipmitool's name), type_code,
 * part_number, serial, extra[]}, board?: {mfg_date (ISO 8601 UTC, null when
 * unspecified), manufacturer, product, serial, part_number, fru_file_id,
 * extra[]}, product?: {manufacturer, name, part_number, version, serial,
 * asset_tag, fru_file_id, extra[]}}; absent fields are "".  Areas the FRU
 * does not have are left out.
 */
void
method_fru_read(struct rpc_call *call, json_object *params)
{
	struct job *j = fru_job(call, params);

	if (j != NULL)
		fru_send_info(j, fru_read_info_rsp);
}
