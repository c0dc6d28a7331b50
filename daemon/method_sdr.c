/*
 * method_sdr.c - sdr.info, sdr.list, sensor.read and the per-BMC SDR cache.
 *
 * The cache holds the parsed records of a BMC's SDR repository (or of its
 * device SDRs when it has no repository), keyed by the repository's
 * last-add/last-erase timestamps: a warm sdr.list costs one Get SDR
 * Repository Info plus one Get Sensor Reading per sensor.  One walk fills
 * it; calls arriving meanwhile wait for that walk instead of starting
 * their own.  Bridged calls (to a controller behind the BMC) walk into a
 * private cache that dies with the call.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "cmd_mc.h"
#include "cmd_sdr.h"
#include "cmd_sensor.h"
#include "ipmistr.h"
#include "job.h"
#include "methods.h"
#include "rpc.h"

#define SDR_MAX_RECORDS 4096
#define SDR_CHUNK       16 /* bytes per Get SDR read; ipmi_sim refuses 64 */

struct sdr_cache {
	bool valid;
	bool filling;
	bool kind_known;
	bool device; /* device SDRs (netFn Sensor) instead of the repository */
	uint32_t last_add, last_erase;
	struct cmd_sdr_record *recs;
	size_t n, cap;
	struct job_waitlist waiters; /* calls waiting for the filler */
};

enum sdr_op { SDR_OP_INFO, SDR_OP_LIST, SDR_OP_READ };

struct sdr_job {
	enum sdr_op op;
	struct sdr_cache *cache;
	bool private_cache;
	bool filler; /* this job walks the repository for everyone */
	/* sensor.read */
	unsigned number, lun, owner;
	/* repository info of this call */
	uint32_t last_add, last_erase;
	/* walk */
	uint16_t reservation;
	uint16_t record_id;
	uint8_t chunk;
	unsigned restarts;
	struct cmd_sdr_asm a;
	/* readings: the records read, copied from the cache (which another
	 * call may clear and refill meanwhile, e.g. after a BMC restart) */
	struct cmd_sdr_record *recs;
	json_object **rows;
	size_t n_rows;
	unsigned outstanding;
};

static void sdr_after_info(struct job *j);
static void sdr_use_records(struct job *j);
static void sdr_walk_reserve(struct job *j);

/* ---- cache ---- */

static void
sdr_cache_clear(struct sdr_cache *c)
{
	free(c->recs);
	c->recs = NULL;
	c->n = c->cap = 0;
	c->valid = false;
}

/* Hands the fill result to every waiting job. */
static void
sdr_cache_release(struct sdr_cache *c, const char *why)
{
	size_t n;
	struct job **w = job_waitlist_take(&c->waiters, &n);

	c->filling = false;
	for (size_t i = 0; i < n; i++) {
		if (why != NULL)
			job_fail(w[i], RPC_UNREACHABLE, why, NULL);
		else
			sdr_use_records(w[i]);
	}
	free(w);
}

void
sdr_cache_free(struct sdr_cache *c)
{
	if (c == NULL)
		return;
	sdr_cache_release(c, "BMC removed while its SDR repository was being read");
	sdr_cache_clear(c);
	free(c);
}

static int
sdr_cache_add(struct sdr_cache *c, const struct cmd_sdr_record *r)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct cmd_sdr_record *recs = realloc(c->recs, cap * sizeof(*recs));
		if (recs == NULL)
			return -1;
		c->recs = recs;
		c->cap = cap;
	}
	c->recs[c->n++] = *r;
	return 0;
}

static void
sdr_job_free(void *p)
{
	struct sdr_job *st = p;

	for (size_t i = 0; i < st->n_rows; i++)
		json_object_put(st->rows[i]);
	free(st->rows);
	free(st->recs);
	if (st->private_cache) {
		sdr_cache_clear(st->cache);
		free(st->cache);
	}
	free(st);
}

/* The filler's request failed: nobody waits forever. */
static void
sdr_on_fail(struct job *j)
{
	struct sdr_job *st = j->state;

	if (st->filler) {
		st->filler = false;
		sdr_cache_clear(st->cache);
		sdr_cache_release(st->cache, "reading the SDR repository failed");
	}
}

/* Ends a failed walk: this job and every waiter fail. */
static void
sdr_walk_fail(struct job *j, uint8_t cc, const char *what)
{
	struct sdr_job *st = j->state;

	st->filler = false;
	sdr_cache_clear(st->cache);
	sdr_cache_release(st->cache, what);
	if (cc != 0)
		job_fail_cc(j, cc, what);
	else
		job_fail(j, RPC_INTERNAL_ERROR, what, NULL);
}

/* ---- helpers ---- */

static json_object *
sdr_time(uint32_t t)
{
	char buf[IPMISTR_ISO8601_LEN];

	if (t == 0 || t == CMD_SDR_TS_NONE)
		return NULL;
	ipmistr_iso8601(t, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static uint8_t
sdr_netfn(const struct sdr_cache *c)
{
	return c->device ? IPMI_NETFN_SENSOR : IPMI_NETFN_STORAGE;
}

/* ---- the walk ---- */

static void sdr_walk_next(struct job *j);

static void
sdr_walk_get_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct sdr_job *st = j->state;
	const uint8_t *chunk;
	size_t clen;
	uint16_t next;
	int left;

	(void)tag;
	if (rsp[0] == 0xc5 && st->restarts++ < 8) { /* reservation cancelled: again */
		sdr_walk_reserve(j);
		return;
	}
	if ((rsp[0] == 0xca || rsp[0] == 0xff) && st->chunk > 4) { /* too many bytes */
		st->chunk /= 2;
		sdr_walk_next(j);
		return;
	}
	if (rsp[0] != 0) {
		sdr_walk_fail(j, rsp[0], "Get SDR");
		return;
	}
	if (cmd_sdr_get_decode(rsp + 1, len - 1, &next, &chunk, &clen) < 0 ||
	    (left = cmd_sdr_asm_add(&st->a, chunk, clen)) < 0) {
		sdr_walk_fail(j, 0, "malformed Get SDR response");
		return;
	}
	if (left > 0) {
		sdr_walk_next(j);
		return;
	}
	struct cmd_sdr_record rec;
	if (cmd_sdr_parse(st->a.rec, st->a.total, &rec) == 0 &&
	    sdr_cache_add(st->cache, &rec) < 0) {
		sdr_walk_fail(j, 0, "out of memory");
		return;
	}
	/* Next record; FFFFh ends.  A BMC that loops is cut off. */
	if (next == CMD_SDR_LAST_ID || next == st->record_id || st->cache->n >= SDR_MAX_RECORDS) {
		st->filler = false;
		st->cache->valid = true;
		st->cache->last_add = st->last_add;
		st->cache->last_erase = st->last_erase;
		sdr_cache_release(st->cache, NULL);
		sdr_use_records(j);
		return;
	}
	st->record_id = next;
	cmd_sdr_asm_init(&st->a, next);
	sdr_walk_next(j);
}

static void
sdr_walk_next(struct job *j)
{
	struct sdr_job *st = j->state;
	uint8_t off, cnt, req[6];

	if (cmd_sdr_asm_next(&st->a, st->chunk, &off, &cnt) <= 0) {
		sdr_walk_fail(j, 0, "SDR record cannot be read in pieces");
		return;
	}
	cmd_sdr_get_req(st->reservation, st->record_id, off, cnt, req);
	job_send(j, sdr_netfn(st->cache), st->cache->device ? CMD_SDR_DEV_GET : CMD_SDR_GET, req,
	         sizeof(req), sdr_walk_get_rsp, 0);
}

static void
sdr_walk_reserve_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct sdr_job *st = j->state;

	(void)tag;
	if (rsp[0] != 0 || cmd_sdr_reserve_decode(rsp + 1, len - 1, &st->reservation) < 0) {
		/* Reservations are optional for reading: go on without one. */
		st->reservation = 0;
	}
	cmd_sdr_asm_init(&st->a, st->record_id);
	sdr_walk_next(j);
}

static void
sdr_walk_reserve(struct job *j)
{
	struct sdr_job *st = j->state;

	job_send(j, sdr_netfn(st->cache), st->cache->device ? CMD_SDR_DEV_RESERVE : CMD_SDR_RESERVE,
	         NULL, 0, sdr_walk_reserve_rsp, 0);
}

/* ---- info, and deciding what to read ---- */

static void
sdr_info_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct sdr_job *st = j->state;
	struct cmd_sdr_repo_info info;
	uint16_t count;
	uint32_t change;

	(void)tag;
	if (rsp[0] != 0) {
		job_fail_cc(j, rsp[0],
		            st->cache->device ? "Get Device SDR Info" : "Get SDR Repository Info");
		return;
	}
	if (st->cache->device) {
		if (cmd_sdr_device_info_decode(rsp + 1, len - 1, &count, &change) < 0) {
			job_fail(j, RPC_INTERNAL_ERROR, "malformed Get Device SDR Info response",
			         NULL);
			return;
		}
		st->last_add = change;
		st->last_erase = 0;
		memset(&info, 0, sizeof(info));
		info.record_count = count;
		info.last_add = change;
		info.last_erase = CMD_SDR_TS_NONE;
	} else {
		if (cmd_sdr_repo_info_decode(rsp + 1, len - 1, &info) < 0) {
			job_fail(j, RPC_INTERNAL_ERROR,
			         "malformed Get SDR Repository Info response", NULL);
			return;
		}
		st->last_add = info.last_add;
		st->last_erase = info.last_erase;
	}
	if (st->op == SDR_OP_INFO) {
		json_object *o = json_object_new_object();
		char ver[8];
		ipmistr_version(info.version, ver, sizeof(ver));
		json_object_object_add(o, "version",
		                       st->cache->device ? NULL : json_object_new_string(ver));
		json_object_object_add(o, "record_count", json_object_new_int(info.record_count));
		json_object_object_add(o, "free_space",
		                       st->cache->device ? NULL
		                                         : json_object_new_int(info.free_space));
		json_object_object_add(o, "last_add", sdr_time(info.last_add));
		json_object_object_add(o, "last_erase", sdr_time(info.last_erase));
		json_object_object_add(o, "device_sdrs",
		                       json_object_new_boolean(st->cache->device));
		job_finish(j, o);
		return;
	}
	sdr_after_info(j);
}

static void
sdr_send_info(struct job *j)
{
	struct sdr_job *st = j->state;

	job_send(j, sdr_netfn(st->cache),
	         st->cache->device ? CMD_SDR_DEV_GET_INFO : CMD_SDR_GET_REPO_INFO, NULL, 0,
	         sdr_info_rsp, 0);
}

/* Get Device ID tells whether there is a repository or only device SDRs. */
static void
sdr_devid_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct sdr_job *st = j->state;
	struct cmd_mc_devid d;

	(void)tag;
	if (rsp[0] == 0 && cmd_mc_devid_decode(rsp + 1, len - 1, &d) == 0)
		st->cache->device = !(d.support & CMD_MC_SUPPORT_SDR_REPO) && d.provides_sdrs;
	st->cache->kind_known = true;
	sdr_send_info(j);
}

/* Warm cache: straight to the readings; cold: walk (or wait for the walker). */
static void
sdr_after_info(struct job *j)
{
	struct sdr_job *st = j->state;
	struct sdr_cache *c = st->cache;

	if (c->valid && c->last_add == st->last_add && c->last_erase == st->last_erase) {
		sdr_use_records(j);
		return;
	}
	if (c->filling) {
		if (job_waitlist_add(&c->waiters, j) < 0)
			job_fail(j, RPC_INTERNAL_ERROR, "out of memory", NULL);
		return;
	}
	sdr_cache_clear(c);
	c->filling = true;
	st->filler = true;
	st->record_id = 0;
	st->chunk = SDR_CHUNK;
	sdr_walk_reserve(j);
}

/* ---- readings ---- */

static bool
sdr_has_reading(const struct cmd_sdr_record *r)
{
	return r->type == CMD_SDR_FULL || r->type == CMD_SDR_COMPACT;
}

/* The path to a sensor's owner: the BMC itself, or a controller behind it. */
static struct bridge_path
sdr_owner_path(const struct job *j, const struct cmd_sdr_sensor *s)
{
	struct bridge_path p = j->bridge;

	if (j->bridge.depth == 0 && s->owner_id != IPMI_BMC_ADDR && (s->owner_id & 1) == 0) {
		p.depth = 1;
		p.channel = s->channel;
		p.addr = s->owner_id;
	}
	return p;
}

static json_object *
sdr_number(double v)
{
	char buf[48];
	size_t n;

	/* A hostile SDR can make the conversion overflow: no number, JSON null. */
	if (!isfinite(v))
		return NULL;
	/* Three decimals at most, as ipmitool prints them, without trailing zeros. */
	snprintf(buf, sizeof(buf), "%.3f", v);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

static json_object *
sdr_thresholds(const struct cmd_sdr_sensor *s)
{
	json_object *o;

	if (!cmd_sdr_is_analog(s) || s->readable_mask == 0)
		return NULL;
	o = json_object_new_object();
	for (unsigned t = 0; t < CMD_SENSOR_NTH; t++)
		if (s->readable_mask & (1u << t))
			json_object_object_add(o, cmd_sensor_th_name(t),
			                       sdr_number(cmd_sdr_convert(s, s->threshold[t])));
	return o;
}

/* One sensor as JSON; r NULL when the reading failed. */
static json_object *
sdr_sensor_json(const struct cmd_sdr_sensor *s, const struct cmd_sensor_reading *r)
{
	json_object *o = json_object_new_object();
	char unit[64] = "", text[64] = "";
	bool analog = cmd_sdr_is_analog(s);

	cmd_sdr_units(s, unit, sizeof(unit));
	cmd_sensor_list_value(s, r, text, sizeof(text));
	json_object_object_add(o, "number", json_object_new_int(s->number));
	json_object_object_add(o, "lun", json_object_new_int(s->owner_lun));
	json_object_object_add(o, "owner", json_object_new_int(s->owner_id));
	json_object_object_add(o, "name", json_object_new_string(s->name));
	json_object_object_add(o, "type",
	                       json_object_new_string(ipmistr_sensor_type(s->sensor_type)));
	json_object_object_add(o, "unit", analog ? json_object_new_string(unit) : NULL);
	json_object_object_add(
	    o, "value",
	    analog && r != NULL && r->valid ? sdr_number(cmd_sdr_convert(s, r->raw)) : NULL);
	json_object_object_add(o, "raw", r != NULL ? json_object_new_int(r->raw) : NULL);
	if (!analog && r != NULL) {
		char st[8], names[256] = "";
		snprintf(st, sizeof(st), "0x%04x", r->state);
		json_object_object_add(o, "state", json_object_new_string(st));
		ipmistr_state_names(s->sensor_type, s->event_type, r->state, ", ", names,
		                    sizeof(names));
		json_object_object_add(o, "states", json_object_new_string(names));
	}
	json_object_object_add(
	    o, "status", json_object_new_string(r != NULL ? cmd_sensor_list_status(s, r) : "ns"));
	json_object_object_add(o, "available", json_object_new_boolean(r != NULL && r->valid));
	json_object_object_add(o, "text", json_object_new_string(text));
	json_object *th = sdr_thresholds(s);
	if (th != NULL)
		json_object_object_add(o, "thresholds", th);
	return o;
}

static void
sdr_reading_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct sdr_job *st = j->state;
	const struct cmd_sdr_sensor *s = &st->recs[tag].u.sensor;
	struct cmd_sensor_reading r;
	bool ok = rsp[0] == 0 && cmd_sensor_reading_decode(rsp + 1, len - 1, &r) == 0;

	if (st->op == SDR_OP_READ) {
		if (rsp[0] != 0) {
			job_fail_cc(j, rsp[0], "Get Sensor Reading");
			return;
		}
		job_finish(j, sdr_sensor_json(s, ok ? &r : NULL));
		return;
	}
	/* Rows sit in record order; a failed reading shows as "ns", like ipmitool. */
	st->rows[tag] = sdr_sensor_json(s, ok ? &r : NULL);
	if (--st->outstanding > 0)
		return;
	json_object *arr = json_object_new_array(), *res = json_object_new_object();
	for (size_t i = 0; i < st->n_rows; i++)
		if (st->rows[i] != NULL) {
			json_object_array_add(arr, st->rows[i]);
			st->rows[i] = NULL;
		}
	json_object_object_add(res, "sensors", arr);
	job_finish(j, res);
}

static void
sdr_read_one(struct job *j, size_t idx)
{
	struct sdr_job *st = j->state;
	const struct cmd_sdr_sensor *s = &st->recs[idx].u.sensor;
	struct bridge_path p = sdr_owner_path(j, s);
	uint8_t req[1];

	cmd_sensor_number_req(s->number, req);
	job_send_via(j, &p, s->owner_lun, IPMI_NETFN_SENSOR, CMD_SENSOR_GET_READING, req, 1,
	             sdr_reading_rsp, (unsigned)idx);
}

static void
sdr_use_records(struct job *j)
{
	struct sdr_job *st = j->state;
	struct sdr_cache *c = st->cache;

	free(st->recs);
	if ((st->recs = malloc((c->n + 1) * sizeof(*st->recs))) == NULL) {
		job_fail(j, RPC_INTERNAL_ERROR, "out of memory", NULL);
		return;
	}
	if (c->n > 0)
		memcpy(st->recs, c->recs, c->n * sizeof(*st->recs));
	if (st->op == SDR_OP_READ) {
		for (size_t i = 0; i < c->n; i++) {
			const struct cmd_sdr_sensor *s = &c->recs[i].u.sensor;
			if (sdr_has_reading(&c->recs[i]) && s->number == st->number &&
			    s->owner_lun == st->lun && s->owner_id == st->owner) {
				sdr_read_one(j, i);
				return;
			}
		}
		char why[96];
		snprintf(why, sizeof(why), "no SDR for sensor %u (owner 0x%02x, LUN %u)",
		         st->number, st->owner, st->lun);
		job_fail(j, RPC_INVALID_PARAMS, why, NULL);
		return;
	}
	st->rows = calloc(c->n + 1, sizeof(*st->rows));
	if (st->rows == NULL) {
		job_fail(j, RPC_INTERNAL_ERROR, "out of memory", NULL);
		return;
	}
	st->n_rows = c->n;
	for (size_t i = 0; i < st->n_rows; i++)
		st->outstanding += sdr_has_reading(&st->recs[i]);
	if (st->outstanding == 0) {
		json_object *res = json_object_new_object();
		json_object_object_add(res, "sensors", json_object_new_array());
		job_finish(j, res);
		return;
	}
	/* All readings at once: the BMC's queue and max_inflight pace them. */
	for (size_t i = 0; i < st->n_rows && !job_answered(j); i++)
		if (sdr_has_reading(&st->recs[i]))
			sdr_read_one(j, i);
}

/* ---- methods ---- */

static struct job *
sdr_job_start(struct rpc_call *call, json_object *params, enum sdr_op op)
{
	struct bridge_path bp;
	struct bmc *b = rpc_call_bmc(call, params);
	struct sdr_job *st;
	struct job *j;

	if (b == NULL || !method_parse_bridge(call, params, &bp))
		return NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		rpc_call_error(call, RPC_INTERNAL_ERROR, b->cfg.name, "out of memory", NULL);
		return NULL;
	}
	st->op = op;
	if (bp.depth > 0) { /* a controller behind the BMC: a cache for this call only */
		st->cache = calloc(1, sizeof(*st->cache));
		st->private_cache = true;
	} else {
		if (b->sdr_cache == NULL)
			b->sdr_cache = calloc(1, sizeof(*b->sdr_cache));
		st->cache = b->sdr_cache;
	}
	if (st->cache == NULL) {
		free(st);
		rpc_call_error(call, RPC_INTERNAL_ERROR, b->cfg.name, "out of memory", NULL);
		return NULL;
	}
	if ((j = job_new(call, b, &bp)) == NULL) { /* answered by job_new */
		if (st->private_cache)
			free(st->cache);
		free(st);
		return NULL;
	}
	j->state = st;
	j->free_state = sdr_job_free;
	j->on_fail = sdr_on_fail;
	return j;
}

static void
sdr_begin(struct job *j)
{
	struct sdr_job *st = j->state;

	if (!st->cache->kind_known)
		job_send(j, IPMI_NETFN_APP, CMD_MC_GET_DEVICE_ID, NULL, 0, sdr_devid_rsp, 0);
	else
		sdr_send_info(j);
}

void
method_sdr_info(struct rpc_call *call, json_object *params)
{
	struct job *j = sdr_job_start(call, params, SDR_OP_INFO);

	if (j != NULL)
		sdr_begin(j);
}

void
method_sdr_list(struct rpc_call *call, json_object *params)
{
	struct job *j = sdr_job_start(call, params, SDR_OP_LIST);

	if (j != NULL)
		sdr_begin(j);
}

void
method_sensor_read(struct rpc_call *call, json_object *params)
{
	unsigned number, lun, owner;
	struct sdr_job *st;
	struct job *j;

	if (!rpc_param_uint(call, params, "number", true, 0, 255, 0, &number) ||
	    !rpc_param_uint(call, params, "lun", false, 0, 3, 0, &lun) ||
	    !rpc_param_uint(call, params, "owner", false, 0, 255, IPMI_BMC_ADDR, &owner))
		return;
	if ((j = sdr_job_start(call, params, SDR_OP_READ)) == NULL)
		return;
	st = j->state;
	st->number = number;
	st->lun = lun;
	st->owner = owner;
	sdr_begin(j);
}
