/*
 * method_sel.c - sel.info, sel.list, sel.clear and the per-BMC SEL cache.
 *
 * The cache holds the decoded records of a BMC's System Event Log, keyed by
 * the SEL's last-add/last-erase timestamps (and its entry count, for BMCs
 * that do not keep those up to date) from Get SEL Info:
 *   - key unchanged: a sel.list costs the Get SEL Info round trip only;
 *   - last-erase changed, or the SEL overflowed: every record is read again;
 *   - only last-add changed (records were appended): the last cached record
 *     is read again to learn its "next" id (and to check that it is still
 *     the same record), then the walk continues from there until FFFFh; if
 *     the count then disagrees with Get SEL Info (ipmi_sim deletes records
 *     without a new last-erase time), everything is read again.
 * A SEL with fewer entries than cached is read again in full.
 * One walk at a time fills the cache: a sel.list that finds a walk in
 * progress waits for it and is answered with its result (or its error).
 * sel.clear invalidates the cache; a walk that sees that happen starts over.
 * Bridged calls (a controller behind the BMC) read that controller's SEL
 * in full every time, without the cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "cmd_sel.h"
#include "ipmimsg.h"
#include "ipmistr.h"
#include "job.h"
#include "log.h"
#include "methods.h"
#include "rpc.h"

#define SEL_MAX_RESERVES   8   /* Reserve SEL per call after 0xC5 (reservation cancelled) */
#define SEL_MAX_RESTARTS   3   /* walks started over because the SEL was cleared meanwhile */
#define SEL_WALK_SLACK     256 /* records beyond the counted entries before a walk is cut off */
#define SEL_CLEAR_POLLS    50  /* Clear SEL "get status" polls (each one is a round trip) */
#define SEL_CC_NOT_PRESENT 0xcb
#define SEL_CC_RESERVATION 0xc5

struct sel_recs {
	struct cmd_sel_record *v;
	size_t n, cap;
};

struct sel_cache {
	bool valid;
	uint32_t last_add, last_erase; /* Get SEL Info of the walk that filled it */
	struct sel_recs recs;          /* oldest first */
	unsigned gen;                  /* bumped by sel.clear */
	struct job *filler;            /* the job walking the SEL, or NULL */
	struct job_waitlist waiters;   /* calls waiting for the filler */
};

enum sel_walk_mode {
	SEL_WALK_FULL,   /* from the first record */
	SEL_WALK_VERIFY, /* re-reading the last cached record */
	SEL_WALK_APPEND, /* after the last cached record */
};

struct sel_job {
	unsigned last; /* sel.list: only the last N entries (0: all) */
	struct cmd_sel_info info;
	struct sel_cache *cache; /* the BMC's, not owned; NULL when bridged */
	bool filler;             /* this job walks for the cache */
	unsigned gen;            /* cache->gen when the walk started */
	enum sel_walk_mode mode;
	struct sel_recs walk; /* records read by this walk */
	uint16_t cur;         /* record being read */
	uint16_t reservation;
	unsigned reserves, restarts, polls;
	bool rewalked; /* an incremental walk fell back to a full one */
};

static void sel_list_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag);

/* ---- helpers ---- */

/* Starts a job for the BMC (and bridge) named in params; NULL if answered. */
static struct job *
sel_method_job(struct rpc_call *call, json_object *params)
{
	struct bridge_path bp;
	struct bmc *b = rpc_call_bmc(call, params);

	if (b == NULL || !method_parse_bridge(call, params, &bp))
		return NULL;
	return job_new(call, b, &bp);
}

/* ISO 8601 UTC, or null for the "unspecified" values 0 and FFFFFFFFh. */
static json_object *
sel_time(uint32_t t)
{
	char buf[IPMISTR_ISO8601_LEN];

	if (t == 0 || t == CMD_SEL_TS_NONE)
		return NULL;
	ipmistr_iso8601(t, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static int
sel_recs_add(struct sel_recs *r, const struct cmd_sel_record *rec)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		struct cmd_sel_record *v = realloc(r->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *rec;
	return 0;
}

static void
sel_recs_clear(struct sel_recs *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

/* ---- one entry as JSON ---- */

static json_object *
sel_entry_json(const struct cmd_sel_record *r)
{
	json_object *o = json_object_new_object();
	json_object *ts = NULL;
	char buf[96];

	json_object_object_add(o, "id", json_object_new_int(r->id));
	json_object_object_add(o, "type",
	                       json_object_new_string(r->kind == CMD_SEL_SYSTEM ? "system"
	                                              : r->kind == CMD_SEL_OEM_TS
	                                                  ? "oem_timestamped"
	                                                  : "oem"));
	json_object_object_add(o, "record_type", json_object_new_int(r->type));
	if (r->kind != CMD_SEL_OEM_NOTS) {
		if (cmd_sel_ts_preinit(r->timestamp))
			ts = json_object_new_int64(r->timestamp); /* seconds since BMC init */
		else
			ts = sel_time(r->timestamp);
	}
	json_object_object_add(o, "timestamp", ts);
	if (r->kind == CMD_SEL_SYSTEM) {
		const char *desc = cmd_sel_desc(r);

		snprintf(buf, sizeof(buf), "0x%04x", r->generator);
		json_object_object_add(o, "generator", json_object_new_string(buf));
		json_object_object_add(o, "sensor_type",
		                       json_object_new_string(ipmistr_sensor_type(r->sensor_type)));
		json_object_object_add(o, "sensor_type_code", json_object_new_int(r->sensor_type));
		json_object_object_add(o, "sensor_number", json_object_new_int(r->sensor_number));
		json_object_object_add(o, "event_type", json_object_new_int(r->event_type));
		json_object_object_add(
		    o, "direction",
		    json_object_new_string(r->deassertion ? "deassertion" : "assertion"));
		json_object_object_add(o, "data", method_hex(r->data, sizeof(r->data)));
		json_object_object_add(o, "description",
		                       json_object_new_string(desc != NULL ? desc : ""));
	} else {
		json_object_object_add(o, "generator", NULL);
		json_object_object_add(o, "sensor_type", NULL);
		json_object_object_add(o, "sensor_type_code", NULL);
		json_object_object_add(o, "sensor_number", NULL);
		json_object_object_add(o, "event_type", NULL);
		json_object_object_add(o, "direction", NULL);
		json_object_object_add(o, "data", method_hex(r->oem, r->oem_len));
		if (cmd_sel_oem_text(r, buf, sizeof(buf)) < 0)
			buf[0] = '\0';
		json_object_object_add(o, "description", json_object_new_string(buf));
		if (r->kind == CMD_SEL_OEM_TS)
			json_object_object_add(o, "manufacturer_id",
			                       json_object_new_int64(r->manufacturer));
	}
	json_object_object_add(o, "raw", method_hex(r->raw, sizeof(r->raw)));
	return o;
}

/* Answers a sel.list call with recs (the last st->last of them). */
static void
sel_list_answer(struct job *j, const struct sel_recs *recs)
{
	struct sel_job *st = j->state;
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	size_t from = 0;

	if (st->last != 0 && recs->n > st->last)
		from = recs->n - st->last;
	for (size_t i = from; i < recs->n; i++)
		json_object_array_add(arr, sel_entry_json(&recs->v[i]));
	json_object_object_add(o, "entries", arr);
	job_finish(j, o);
}

/* ---- the cache ---- */

static struct sel_cache *
sel_cache_get(struct bmc *b)
{
	if (b->sel_cache == NULL)
		b->sel_cache = calloc(1, sizeof(*b->sel_cache));
	return b->sel_cache;
}

/*
 * The filler is done: every waiter gets the cache's records (code 0), or
 * the error (code RPC_COMPLETION_CODE: cc of command `what`).
 */
static void
sel_cache_release(struct sel_cache *c, int code, uint8_t cc, const char *what)
{
	size_t n;
	struct job **w = job_waitlist_take(&c->waiters, &n);

	c->filler = NULL;
	for (size_t i = 0; i < n; i++) {
		if (code == 0)
			sel_list_answer(w[i], &c->recs);
		else if (code == RPC_COMPLETION_CODE)
			job_fail_cc(w[i], cc, what);
		else
			job_fail(w[i], code, what, NULL);
	}
	free(w);
}

/* sel.clear: whatever is cached is gone; a walk in progress starts over. */
static void
sel_cache_invalidate(struct sel_cache *c)
{
	if (c == NULL)
		return;
	c->valid = false;
	c->gen++;
	c->recs.n = 0;
}

void
sel_cache_free(struct sel_cache *c)
{
	if (c == NULL)
		return;
	if (c->filler != NULL) {
		struct sel_job *st = c->filler->state;

		st->filler = false; /* its own requests fail with the BMC */
		st->cache = NULL;
	}
	sel_cache_release(c, RPC_UNKNOWN_BMC, 0, "BMC removed while its SEL was being read");
	sel_recs_clear(&c->recs);
	free(c);
}

#define SEL_WALK_FAILED "reading the SEL failed (the walk this call waited for got an error)"

/* The filler's request failed (timeout, session lost): nobody waits forever. */
static void
sel_on_fail(struct job *j)
{
	struct sel_job *st = j->state;

	if (st->filler && st->cache != NULL) {
		st->filler = false;
		sel_cache_release(st->cache, RPC_UNREACHABLE, 0, SEL_WALK_FAILED);
	}
}

static void
sel_job_free(void *p)
{
	struct sel_job *st = p;

	if (st->filler && st->cache != NULL) /* answered some other way: the same */
		sel_cache_release(st->cache, RPC_UNREACHABLE, 0, SEL_WALK_FAILED);
	sel_recs_clear(&st->walk);
	free(st);
}

/* Ends a failed walk: this call and every waiter fail alike. */
static void
sel_list_fail(struct job *j, int code, uint8_t cc, const char *what)
{
	struct sel_job *st = j->state;

	if (st->filler) {
		st->filler = false;
		sel_cache_release(st->cache, code, cc, what);
	}
	if (code == RPC_COMPLETION_CODE)
		job_fail_cc(j, cc, what);
	else
		job_fail(j, code, what, NULL);
}

/* ---- the walk (Get SEL Entry from a record id until FFFFh) ---- */

static void
sel_walk_send(struct job *j)
{
	struct sel_job *st = j->state;
	uint8_t req[6];

	cmd_sel_get_req(st->reservation, st->cur, req);
	job_send(j, IPMI_NETFN_STORAGE, CMD_SEL_GET_ENTRY, req, sizeof(req), sel_list_rsp, 1);
}

static void
sel_walk_full(struct job *j)
{
	struct sel_job *st = j->state;

	st->mode = SEL_WALK_FULL;
	st->walk.n = 0;
	st->cur = CMD_SEL_FIRST_ID;
	sel_walk_send(j);
}

/* Reads the SEL again from Get SEL Info: it was cleared during the walk. */
static void
sel_walk_restart(struct job *j)
{
	struct sel_job *st = j->state;

	log_debug("%s: SEL cleared while it was being read; reading it again", j->bmc_name);
	if (st->restarts++ >= SEL_MAX_RESTARTS) {
		sel_list_fail(j, RPC_BUSY, 0,
		              "the SEL keeps being cleared while it is read; retry");
		return;
	}
	st->walk.n = 0;
	job_send(j, IPMI_NETFN_STORAGE, CMD_SEL_GET_INFO, NULL, 0, sel_list_rsp, 0);
}

/* The walk reached the end: the cache takes its records, everyone is answered. */
static void
sel_walk_done(struct job *j)
{
	struct sel_job *st = j->state;
	struct sel_cache *c = st->cache;

	if (c == NULL) { /* bridged: not cached */
		sel_list_answer(j, &st->walk);
		return;
	}
	if (c->gen != st->gen) {
		sel_walk_restart(j);
		return;
	}
	/*
	 * Appended, but the count disagrees with Get SEL Info (records deleted
	 * without a new erase time stamp, as ipmi_sim does): read it all, once.
	 */
	if (st->mode != SEL_WALK_FULL && !st->rewalked &&
	    c->recs.n + st->walk.n != st->info.entries) {
		log_debug("%s: SEL count %u after appending %zu records to %zu: reading it all",
		          j->bmc_name, st->info.entries, st->walk.n, c->recs.n);
		st->rewalked = true;
		sel_walk_full(j);
		return;
	}
	if (st->mode == SEL_WALK_FULL) {
		struct sel_recs old = c->recs;

		c->recs = st->walk;
		st->walk = old; /* freed with the job */
	} else {
		for (size_t i = 0; i < st->walk.n; i++) {
			if (sel_recs_add(&c->recs, &st->walk.v[i]) < 0) {
				c->valid = false;
				sel_list_fail(j, RPC_INTERNAL_ERROR, 0, "out of memory");
				return;
			}
		}
	}
	c->valid = true;
	c->last_add = st->info.last_add;
	c->last_erase = st->info.last_erase;
	st->filler = false;
	sel_cache_release(c, 0, 0, NULL);
	sel_list_answer(j, &c->recs);
}

static void
sel_reserve_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct sel_job *st = j->state;

	(void)tag;
	if (rsp[0] != 0) {
		sel_list_fail(j, RPC_COMPLETION_CODE, rsp[0], "Reserve SEL");
		return;
	}
	if (cmd_sel_reserve_decode(rsp + 1, len - 1, &st->reservation) < 0) {
		sel_list_fail(j, RPC_INTERNAL_ERROR, 0, "malformed Reserve SEL response");
		return;
	}
	sel_walk_send(j);
}

static void
sel_walk_rsp(struct job *j, const uint8_t *rsp, size_t len)
{
	struct sel_job *st = j->state;
	struct sel_cache *c = st->cache;
	struct cmd_sel_record rec;
	uint16_t next;
	size_t total;

	if (c != NULL && c->gen != st->gen) {
		sel_walk_restart(j);
		return;
	}
	if (rsp[0] == SEL_CC_RESERVATION && st->reserves++ < SEL_MAX_RESERVES) {
		job_send(j, IPMI_NETFN_STORAGE, CMD_SEL_RESERVE, NULL, 0, sel_reserve_rsp, 0);
		return;
	}
	if (rsp[0] == SEL_CC_NOT_PRESENT) {
		if (st->mode == SEL_WALK_VERIFY) { /* the last cached record is gone */
			sel_walk_full(j);
			return;
		}
		if (st->mode == SEL_WALK_FULL && st->cur == CMD_SEL_FIRST_ID) { /* empty */
			sel_walk_done(j);
			return;
		}
	}
	if (rsp[0] != 0) {
		sel_list_fail(j, RPC_COMPLETION_CODE, rsp[0], "Get SEL Entry");
		return;
	}
	if (cmd_sel_get_decode(rsp + 1, len - 1, &next, &rec) < 0) {
		sel_list_fail(j, RPC_INTERNAL_ERROR, 0, "malformed Get SEL Entry response");
		return;
	}
	if (st->mode == SEL_WALK_VERIFY) {
		const struct cmd_sel_record *old = &c->recs.v[c->recs.n - 1];

		if (memcmp(old->raw, rec.raw, sizeof(rec.raw)) != 0) {
			sel_walk_full(j);
			return;
		}
		if (next == CMD_SEL_LAST_ID || next == st->cur) {
			sel_walk_done(j);
			return;
		}
		st->mode = SEL_WALK_APPEND;
		st->cur = next;
		sel_walk_send(j);
		return;
	}
	if (sel_recs_add(&st->walk, &rec) < 0) {
		sel_list_fail(j, RPC_INTERNAL_ERROR, 0, "out of memory");
		return;
	}
	/* FFFFh ends; a BMC whose links loop is cut off. */
	total = st->walk.n + (st->mode == SEL_WALK_APPEND ? c->recs.n : 0);
	if (next == CMD_SEL_LAST_ID || next == st->cur ||
	    total >= (size_t)st->info.entries + SEL_WALK_SLACK) {
		sel_walk_done(j);
		return;
	}
	st->cur = next;
	sel_walk_send(j);
}

/* ---- sel.list ---- */

/* True when the cache answers for the SEL described by info. */
static bool
sel_cache_fresh(const struct sel_cache *c, const struct cmd_sel_info *info)
{
	return c->valid && c->last_add == info->last_add && c->last_erase == info->last_erase &&
	       c->recs.n == info->entries;
}

static void
sel_list_after_info(struct job *j)
{
	struct sel_job *st = j->state;
	struct sel_cache *c;

	if (j->bridge.depth != 0) {
		st->cache = NULL;
		if (st->info.entries == 0)
			sel_walk_done(j);
		else
			sel_walk_full(j);
		return;
	}
	if ((c = sel_cache_get(j->bmc)) == NULL) {
		sel_list_fail(j, RPC_INTERNAL_ERROR, 0, "out of memory");
		return;
	}
	st->cache = c;
	if (c->filler != NULL && c->filler != j) {
		if (job_waitlist_add(&c->waiters, j) < 0)
			job_fail(j, RPC_INTERNAL_ERROR, "out of memory", NULL);
		return; /* answered by the filler */
	}
	if (c->filler == NULL && sel_cache_fresh(c, &st->info)) {
		sel_list_answer(j, &c->recs);
		return;
	}
	if (c->filler == NULL)
		log_debug("%s: reading the SEL for the cache (%u entries, %zu cached)", j->bmc_name,
		          st->info.entries, c->recs.n);
	c->filler = j;
	st->filler = true;
	st->gen = c->gen;
	st->walk.n = 0;
	if (st->info.entries == 0) {
		st->mode = SEL_WALK_FULL;
		sel_walk_done(j);
		return;
	}
	if (c->valid && c->recs.n > 0 && c->last_erase == st->info.last_erase &&
	    !st->info.overflow && st->info.entries >= c->recs.n) {
		st->mode = SEL_WALK_VERIFY;
		st->cur = c->recs.v[c->recs.n - 1].id;
		sel_walk_send(j);
		return;
	}
	sel_walk_full(j);
}

/* tag 0: Get SEL Info; tag 1: Get SEL Entry. */
static void
sel_list_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct sel_job *st = j->state;

	if (tag == 1) {
		sel_walk_rsp(j, rsp, len);
		return;
	}
	if (rsp[0] != 0) {
		sel_list_fail(j, RPC_COMPLETION_CODE, rsp[0], "Get SEL Info");
		return;
	}
	if (cmd_sel_info_decode(rsp + 1, len - 1, &st->info) < 0) {
		sel_list_fail(j, RPC_INTERNAL_ERROR, 0, "malformed Get SEL Info response");
		return;
	}
	sel_list_after_info(j);
}

/*
 * sel.list {bmc, last?}: {"entries": [ENTRY...]}, oldest first.  ENTRY:
 *   id, type ("system" | "oem_timestamped" | "oem"), record_type (the byte),
 *   timestamp: ISO 8601 UTC; for a pre-init time stamp (below 20000000h,
 *     ipmitool's "Pre-Init") an integer: seconds since the BMC initialized;
 *     null for OEM non-timestamped records and for FFFFFFFFh,
 *   generator ("0x0020"), sensor_type (ipmitool's name), sensor_type_code,
 *   sensor_number, event_type (the code, 7 bits), direction ("assertion" /
 *   "deassertion") - all null for OEM records,
 *   data: event data 1-3 as hex, or the OEM bytes of OEM records,
 *   description: ipmitool's `sel list` text ("Upper Critical going high";
 *     "" when it has none; "OEM record e0 | <hex>" for OEM records),
 *   manufacturer_id (OEM timestamped records only), raw (the 16 bytes).
 */
void
method_sel_list(struct rpc_call *call, json_object *params)
{
	struct sel_job *st;
	unsigned last;
	struct job *j;

	if (!rpc_param_uint(call, params, "last", false, 1, 65535, 0, &last))
		return;
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		rpc_call_error(call, RPC_INTERNAL_ERROR, NULL, "out of memory", NULL);
		return;
	}
	st->last = last;
	if ((j = sel_method_job(call, params)) == NULL) {
		free(st);
		return;
	}
	j->state = st;
	j->free_state = sel_job_free;
	j->on_fail = sel_on_fail;
	job_send(j, IPMI_NETFN_STORAGE, CMD_SEL_GET_INFO, NULL, 0, sel_list_rsp, 0);
}

/* ---- sel.info ---- */

static void
sel_info_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct cmd_sel_info i;
	json_object *o, *ops;
	char ver[16];

	(void)tag;
	if (rsp[0] != 0) {
		job_fail_cc(j, rsp[0], "Get SEL Info");
		return;
	}
	if (cmd_sel_info_decode(rsp + 1, len - 1, &i) < 0) {
		job_fail(j, RPC_INTERNAL_ERROR, "malformed Get SEL Info response", NULL);
		return;
	}
	if (ipmistr_version(i.version, ver, sizeof(ver)) < 0)
		snprintf(ver, sizeof(ver), "0x%02x", i.version);
	o = json_object_new_object();
	json_object_object_add(o, "version", json_object_new_string(ver));
	json_object_object_add(o, "entries", json_object_new_int(i.entries));
	json_object_object_add(o, "free_space", json_object_new_int(i.free_space));
	json_object_object_add(o, "last_add", sel_time(i.last_add));
	json_object_object_add(o, "last_erase", sel_time(i.last_erase));
	json_object_object_add(o, "overflow", json_object_new_boolean(i.overflow));
	json_object_object_add(o, "last_add_raw", json_object_new_int64(i.last_add));
	json_object_object_add(o, "last_erase_raw", json_object_new_int64(i.last_erase));
	ops = json_object_new_array();
	if (i.delete_supported)
		json_object_array_add(ops, json_object_new_string("delete"));
	if (i.partial_add_supported)
		json_object_array_add(ops, json_object_new_string("partial_add"));
	if (i.reserve_supported)
		json_object_array_add(ops, json_object_new_string("reserve"));
	if (i.alloc_info_supported)
		json_object_array_add(ops, json_object_new_string("alloc_info"));
	json_object_object_add(o, "supported", ops);
	job_finish(j, o);
}

/*
 * sel.info {bmc}: version ("1.5"), entries, free_space (bytes; 65535 means
 * 65535 or more), last_add, last_erase (ISO 8601 UTC, null when 0 or
 * FFFFFFFFh - ipmitool's "Not Available"; a pre-init value shows as a 1970
 * date, see last_*_raw), overflow; extensions: last_add_raw,
 * last_erase_raw (the raw seconds), supported (["delete", "partial_add",
 * "reserve", "alloc_info"] as the BMC reports them).
 */
void
method_sel_info(struct rpc_call *call, json_object *params)
{
	struct job *j = sel_method_job(call, params);

	if (j != NULL)
		job_send(j, IPMI_NETFN_STORAGE, CMD_SEL_GET_INFO, NULL, 0, sel_info_rsp, 0);
}

/* ---- sel.clear: Reserve SEL, Clear SEL (initiate), Clear SEL (status)... ---- */

static void sel_clear_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag);

static void
sel_clear_invalidate(struct job *j)
{
	if (j->bridge.depth == 0)
		sel_cache_invalidate(j->bmc->sel_cache);
}

static void
sel_clear_reserve_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct sel_job *st = j->state;
	uint8_t req[6];

	(void)tag;
	if (rsp[0] != 0) {
		job_fail_cc(j, rsp[0], "Reserve SEL");
		return;
	}
	if (cmd_sel_reserve_decode(rsp + 1, len - 1, &st->reservation) < 0) {
		job_fail(j, RPC_INTERNAL_ERROR, "malformed Reserve SEL response", NULL);
		return;
	}
	cmd_sel_clear_req(st->reservation, CMD_SEL_CLEAR_INITIATE, req);
	job_send(j, IPMI_NETFN_STORAGE, CMD_SEL_CLEAR, req, sizeof(req), sel_clear_rsp, 0);
}

static void
sel_clear_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct sel_job *st = j->state;
	json_object *o;
	uint8_t req[6];
	bool done;

	(void)tag;
	if (rsp[0] == SEL_CC_RESERVATION && st->reserves++ < SEL_MAX_RESERVES) {
		job_send(j, IPMI_NETFN_STORAGE, CMD_SEL_RESERVE, NULL, 0, sel_clear_reserve_rsp, 0);
		return;
	}
	if (rsp[0] != 0) {
		job_fail_cc(j, rsp[0], "Clear SEL");
		return;
	}
	if (cmd_sel_clear_decode(rsp + 1, len - 1, &done) < 0) {
		job_fail(j, RPC_INTERNAL_ERROR, "malformed Clear SEL response", NULL);
		return;
	}
	sel_clear_invalidate(j); /* on initiate, and again when the erasure ends */
	if (!done && st->polls < SEL_CLEAR_POLLS) {
		st->polls++;
		cmd_sel_clear_req(st->reservation, CMD_SEL_CLEAR_GET_STATUS, req);
		job_send(j, IPMI_NETFN_STORAGE, CMD_SEL_CLEAR, req, sizeof(req), sel_clear_rsp, 0);
		return;
	}
	o = json_object_new_object();
	if (!done) /* still erasing after every poll: initiated, not confirmed */
		json_object_object_add(o, "in_progress", json_object_new_boolean(true));
	job_finish(j, o);
}

/*
 * sel.clear {bmc}: {} once the BMC reports the erasure completed, or
 * {"in_progress": true} if it still erases after SEL_CLEAR_POLLS polls.
 */
void
method_sel_clear(struct rpc_call *call, json_object *params)
{
	struct sel_job *st = calloc(1, sizeof(*st));
	struct job *j;

	if (st == NULL) {
		rpc_call_error(call, RPC_INTERNAL_ERROR, NULL, "out of memory", NULL);
		return;
	}
	if ((j = sel_method_job(call, params)) == NULL) {
		free(st);
		return;
	}
	j->state = st;
	j->free_state = sel_job_free;
	job_send(j, IPMI_NETFN_STORAGE, CMD_SEL_RESERVE, NULL, 0, sel_clear_reserve_rsp, 0);
}
