/*
 * fuzz_rpc - JSON-RPC request handling without sockets: daemon/rpc.c, every
 * method (daemon/method_*.c) and the request chains (daemon/job.c) on a
 * fake pool.  Lines in, response lines out.
 *
 * The fake pool (below) replaces daemon/pool.c: three BMCs ("node01" active,
 * "node02" backing off, "rack1-a" failed; bmc.add adds up to 16 more) made
 * by bmc_new() from configurations that config_bmc_from_params() validated,
 * a virtual clock, and a queue instead of a BMC session: every IPMI request
 * a method submits waits there until the harness answers it from the
 * input's response tape, or fails it.  Removed BMCs are retired and freed at
 * the end of the input, like the real pool's deferred reaping.
 *
 * Input:
 *   byte 0        flags: bit 0 the client goes away before the BMCs answer;
 *                 bit 1 read-only client; bit 2 client not allowed;
 *                 bit 3 answer the queue after every line (else at the end)
 *   bytes 1..     request lines ('\n'-separated), up to the first NUL
 *   after the NUL the response tape, one entry per answered request:
 *                 0x00-0x3f  N = that, then N response bytes (byte 0 is the
 *                            completion code; N = 0: a lone 00h)
 *                 0x40-0x7f  just a completion code (the next byte)
 *                 0x80-0xbf  the request fails: BMC_ERR_* by the low 3 bits
 *                 0xc0-0xff  not answered now: back to the end of the queue
 *                            (when it is alone there: fails as 0x80-0xbf)
 *                 (an exhausted tape fails every remaining request)
 *
 * Checks: every response line is one JSON object or array of objects with
 * "jsonrpc": "2.0", an "id" and exactly one of result/error (with an
 * integer code and a message); nothing is written after the client went
 * away; every call is finished when the queue is empty; the request loop of
 * a method terminates (bounded number of requests per input).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cache.h"
#include "fuzz.h"
#include "log.h"
#include "methods.h"
#include "pool.h"
#include "rpc.h"

#define FAKE_MAX_BMCS     19
#define FAKE_MAX_ANSWERS  600  /* requests answered per input, then failed */
#define FAKE_MAX_ROUNDS   4096 /* bounded draining */
#define FAKE_MAX_LINE_OUT (64 * 1024 * 1024)

/* ---- the fake pool ---------------------------------------------------- */

struct fake_req {
	struct request *r;
	struct fake_req *next;
};

struct pool {
	struct config *cfg;
	struct stats stats;
	struct bmc_env env;
	struct bmc *bmcs[FAKE_MAX_BMCS];
	size_t n_bmcs;
	struct bmc *retired[64];
	size_t n_retired;
	struct fake_req *head, *tail; /* submitted, not answered */
	size_t n_pending;
	double now;
	/* the response tape */
	const uint8_t *tape;
	size_t tape_len, tape_pos;
	unsigned answered;
	unsigned failures;
};

static struct pool fake;

double
pool_now(void)
{
	return fake.now;
}

double
pool_wall(double mono)
{
	return 1.7e9 + mono;
}

const struct config *
pool_config(const struct pool *p)
{
	return p->cfg;
}

struct stats *
pool_stats(struct pool *p)
{
	return &p->stats;
}

uint64_t
pool_unknown_source(const struct pool *p)
{
	(void)p;
	return 7;
}

struct bmc *
pool_first(struct pool *p)
{
	return p->n_bmcs > 0 ? p->bmcs[0] : NULL;
}

struct bmc *
pool_next(struct pool *p, struct bmc *b)
{
	for (size_t i = 0; i + 1 < p->n_bmcs; i++)
		if (p->bmcs[i] == b)
			return p->bmcs[i + 1];
	return NULL;
}

size_t
pool_count(const struct pool *p)
{
	return p->n_bmcs;
}

size_t
pool_active(const struct pool *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_bmcs; i++)
		n += p->bmcs[i]->state == BMC_ACTIVE;
	return n;
}

struct bmc *
pool_find(struct pool *p, const char *name)
{
	for (size_t i = 0; i < p->n_bmcs; i++)
		if (strcmp(p->bmcs[i]->cfg.name, name) == 0)
			return p->bmcs[i];
	return NULL;
}

static void
fake_finish(struct request *r, int err, const char *detail)
{
	r->err = err;
	if (err != 0)
		snprintf(r->detail, sizeof(r->detail), "%s", detail);
	r->done(r, r->arg);
}

static void
fake_append(struct pool *p, struct fake_req *q)
{
	q->next = NULL;
	if (p->tail != NULL)
		p->tail->next = q;
	else
		p->head = q;
	p->tail = q;
	p->n_pending++;
}

/*
 * Fails the queued requests of b (all when b is NULL), as bmc_close() does.
 * A failure may queue new requests (at the tail): repeated, bounded.
 */
static void
fake_fail_of(struct pool *p, const struct bmc *b, int err, const char *detail)
{
	for (unsigned round = 0; round < FAKE_MAX_ROUNDS; round++) {
		struct fake_req *list = p->head, *q;
		bool any = false;

		p->head = p->tail = NULL;
		p->n_pending = 0;
		while ((q = list) != NULL) {
			list = q->next;
			if (b == NULL || q->r->bmc == b) {
				struct request *r = q->r;
				free(q);
				any = true;
				fake_finish(r, err, detail);
			} else {
				fake_append(p, q);
			}
		}
		if (!any)
			return;
	}
	FUZZ_ASSERT(!"failing requests keeps queueing new ones");
}

int
pool_submit(struct pool *p, struct bmc *b, struct request *r)
{
	struct fake_req *q;

	r->bmc = b;
	r->submitted = p->now;
	b->n_requests++;
	p->stats.requests++;
	if (b->state == BMC_FAILED) {
		fake_finish(r, BMC_ERR_AUTH, "authentication failed (fake)");
		return BMC_ERR_AUTH;
	}
	if (b->state == BMC_CLOSED) {
		fake_finish(r, BMC_ERR_UNKNOWN, "BMC removed");
		return BMC_ERR_UNKNOWN;
	}
	if (p->n_pending >= BMC_QUEUE_MAX || (q = calloc(1, sizeof(*q))) == NULL) {
		fake_finish(r, BMC_ERR_BUSY, "queue full (fake)");
		return BMC_ERR_BUSY;
	}
	q->r = r;
	fake_append(p, q);
	return 0;
}

static struct bmc *
fake_bmc(struct pool *p, const char *name, const char *host, enum bmc_state st)
{
	const char *keys[] = { "host", "username", "password", "port" };
	const char *vals[] = { host, "admin", "fuzzpass", "623" };
	struct config_bmc cfg;
	char why[200];
	struct bmc *b;

	if (config_bmc_from_params(p->cfg, &cfg, name, keys, vals, 4, why, sizeof(why)) < 0) {
		fprintf(stderr, "fuzz_rpc: %s: %s\n", name, why);
		abort();
	}
	b = bmc_new(&p->env, &cfg);
	FUZZ_ASSERT(b != NULL);
	b->state = st;
	b->since = p->now;
	if (st == BMC_ACTIVE)
		b->suite = 17;
	else
		snprintf(b->last_error, sizeof(b->last_error), "fake %s", bmc_state_name(st));
	return b;
}

int
pool_add(struct pool *p, const struct config_bmc *cfg, bool runtime)
{
	struct bmc *b;

	(void)runtime;
	if (pool_find(p, cfg->name) != NULL)
		return -EEXIST;
	if (p->n_bmcs >= FAKE_MAX_BMCS)
		return -ENOSPC;
	if ((b = bmc_new(&p->env, cfg)) == NULL)
		return -ENOMEM;
	b->state = BMC_RESOLVING;
	b->since = p->now;
	p->bmcs[p->n_bmcs++] = b;
	return 0;
}

int
pool_remove(struct pool *p, const char *name)
{
	for (size_t i = 0; i < p->n_bmcs; i++) {
		struct bmc *b = p->bmcs[i];
		if (strcmp(b->cfg.name, name) != 0)
			continue;
		memmove(&p->bmcs[i], &p->bmcs[i + 1], (p->n_bmcs - i - 1) * sizeof(b));
		p->n_bmcs--;
		b->state = BMC_CLOSED;
		fake_fail_of(p, b, BMC_ERR_UNKNOWN, "BMC removed or daemon stopping");
		if (p->n_retired < sizeof(p->retired) / sizeof(p->retired[0]))
			p->retired[p->n_retired++] = b;
		else
			bmc_free(b, BMC_ERR_UNKNOWN, "BMC removed");
		return 0;
	}
	return -ENOENT;
}

void
pool_reconnect(struct pool *p, struct bmc *b)
{
	/* In-flight requests go back to the queue: here they just stay queued. */
	b->n_reconnects++;
	p->stats.reconnects++;
}

static void
fake_free_caches(void *arg, struct bmc *b)
{
	(void)arg;
	sdr_cache_free(b->sdr_cache);
	sel_cache_free(b->sel_cache);
	b->sdr_cache = NULL;
	b->sel_cache = NULL;
}

static int
fake_send(void *arg, struct bmc *b, const uint8_t *pkt, size_t len)
{
	(void)arg;
	(void)b;
	(void)pkt;
	(void)len;
	return 0;
}

static void
fake_resolve(void *arg, struct bmc *b)
{
	(void)arg;
	(void)b;
}

static const struct bmc_ops fake_ops = {
	.send = fake_send,
	.resolve = fake_resolve,
	.free_caches = fake_free_caches,
};

static int
fake_fill(void *arg, uint8_t *buf, size_t n)
{
	(void)arg;
	memset(buf, 0x5a, n);
	return 0;
}

static const struct rng fake_rng = { fake_fill, NULL };

/* Answers one queued request from the tape; false when nothing is queued. */
static bool
fake_answer_one(struct pool *p)
{
	static const int errs[8] = { BMC_ERR_UNREACHABLE, BMC_ERR_LOST,    BMC_ERR_AUTH,
		                     BMC_ERR_BUSY,        BMC_ERR_UNKNOWN, BMC_ERR_UNREACHABLE,
		                     BMC_ERR_LOST,        BMC_ERR_AUTH };
	struct fake_req *q = p->head;
	struct request *r;
	uint8_t op;

	if (q == NULL)
		return false;
	p->head = q->next;
	if (p->head == NULL)
		p->tail = NULL;
	p->n_pending--;
	r = q->r;
	p->now += 0.001;
	if (p->tape_pos < p->tape_len && p->tape[p->tape_pos] >= 0xc0 && p->n_pending > 0) {
		p->tape_pos++; /* later: to the back of the queue */
		fake_append(p, q);
		return true;
	}
	free(q);
	if (p->tape_pos >= p->tape_len || p->answered >= FAKE_MAX_ANSWERS) {
		fake_finish(r, errs[p->failures++ % 8], "no answer (fake)");
		return true;
	}
	op = p->tape[p->tape_pos++];
	p->answered++;
	if (op >= 0x80) {
		fake_finish(r, errs[op & 7], "failed (fake)");
		return true;
	}
	if (op >= 0x40) {
		r->rsp[0] = p->tape_pos < p->tape_len ? p->tape[p->tape_pos++] : 0xc1;
		r->rsp_len = 1;
	} else {
		size_t n = op, avail = p->tape_len - p->tape_pos;
		if (n > avail)
			n = avail;
		if (n > sizeof(r->rsp))
			n = sizeof(r->rsp);
		memcpy(r->rsp, p->tape + p->tape_pos, n);
		p->tape_pos += n;
		if (n == 0)
			r->rsp[n++] = 0;
		r->rsp_len = (uint8_t)n;
	}
	p->stats.responses++;
	stats_latency(&p->stats, 1000.0 * (double)(op + 1));
	fake_finish(r, 0, NULL);
	return true;
}

static void
fake_drain(struct pool *p)
{
	unsigned rounds = 0;

	while (fake_answer_one(p))
		FUZZ_ASSERT(++rounds < FAKE_MAX_ROUNDS * 4);
}

static int
fake_reload(void *arg, struct pool_reload *res, char *why, size_t len)
{
	struct pool *p = arg;

	if (p->n_bmcs % 2) {
		snprintf(why, len, "configuration not reloaded (fake)");
		return -1;
	}
	memset(res, 0, sizeof(*res));
	res->unchanged = (unsigned)p->n_bmcs;
	return 0;
}

static void
fake_setup(struct pool *p)
{
	memset(p, 0, sizeof(*p));
	p->now = 1000.0;
	p->cfg = config_new_default();
	FUZZ_ASSERT(p->cfg != NULL);
	p->env.ops = &fake_ops;
	p->env.stats = &p->stats;
	p->env.dcfg = &p->cfg->daemon;
	p->env.rng = &fake_rng;
	TAILQ_INIT(&p->env.waiters);
	p->bmcs[p->n_bmcs++] = fake_bmc(p, "node01", "127.0.0.1", BMC_ACTIVE);
	p->bmcs[p->n_bmcs++] = fake_bmc(p, "node02", "node02-bmc.example.net", BMC_BACKOFF);
	p->bmcs[p->n_bmcs++] = fake_bmc(p, "rack1-a", "::1", BMC_FAILED);
}

static void
fake_teardown(struct pool *p)
{
	fake_fail_of(p, NULL, BMC_ERR_UNKNOWN, "daemon stopping");
	FUZZ_ASSERT(p->head == NULL && p->n_pending == 0);
	for (size_t i = 0; i < p->n_bmcs; i++)
		bmc_free(p->bmcs[i], BMC_ERR_UNKNOWN, "daemon stopping");
	for (size_t i = 0; i < p->n_retired; i++)
		bmc_free(p->retired[i], BMC_ERR_UNKNOWN, "daemon stopping");
	config_free(p->cfg);
	memset(p, 0, sizeof(*p));
}

/* ---- the client ------------------------------------------------------- */

static bool fuzz_rpc_print;

struct fake_client {
	bool gone;
	size_t lines;
	size_t bytes;
};

static void
check_response(json_object *o)
{
	json_object *v, *e;
	bool has_result, has_error;

	FUZZ_ASSERT(json_object_is_type(o, json_type_object));
	FUZZ_ASSERT(json_object_object_get_ex(o, "jsonrpc", &v));
	FUZZ_ASSERT(json_object_is_type(v, json_type_string) &&
	            strcmp(json_object_get_string(v), "2.0") == 0);
	FUZZ_ASSERT(json_object_object_get_ex(o, "id", &v));
	FUZZ_ASSERT(v == NULL || json_object_is_type(v, json_type_string) ||
	            json_object_is_type(v, json_type_int) ||
	            json_object_is_type(v, json_type_double));
	has_result = json_object_object_get_ex(o, "result", NULL);
	has_error = json_object_object_get_ex(o, "error", &e);
	FUZZ_ASSERT(has_result != has_error);
	if (has_error) {
		FUZZ_ASSERT(json_object_object_get_ex(e, "code", &v) &&
		            json_object_is_type(v, json_type_int));
		FUZZ_ASSERT(json_object_object_get_ex(e, "message", &v) &&
		            json_object_is_type(v, json_type_string));
	}
}

static int
fake_write(void *arg, const char *text, size_t len)
{
	struct fake_client *fc = arg;
	json_object *o;

	FUZZ_ASSERT(!fc->gone);
	FUZZ_ASSERT(len > 0 && strlen(text) == len);
	if (fuzz_rpc_print) /* FUZZ_RPC_PRINT=1: show the answers (checking seeds) */
		fprintf(stderr, "< %s\n", text);
	FUZZ_ASSERT(memchr(text, '\n', len) == NULL); /* one line each */
	fc->lines++;
	fc->bytes += len;
	FUZZ_ASSERT(fc->bytes < FAKE_MAX_LINE_OUT);
	o = json_tokener_parse(text);
	FUZZ_ASSERT(o != NULL);
	if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		FUZZ_ASSERT(n > 0);
		for (size_t i = 0; i < n; i++)
			check_response(json_object_array_get_idx(o, i));
	} else {
		check_response(o);
	}
	json_object_put(o);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	struct fake_client fc = { 0 };
	struct rpc *rpc;
	struct rpc_client *c;
	const uint8_t *lines, *nul;
	size_t lines_len;
	uint8_t flags;
	char *buf;

	if (!init) {
		log_init(LOG_LVL_ERROR);
		fuzz_rpc_print = getenv("FUZZ_RPC_PRINT") != NULL;
		init = true;
	}
	if (size < 1)
		return 0;
	flags = data[0];
	lines = data + 1;
	nul = memchr(lines, '\0', size - 1);
	lines_len = nul != NULL ? (size_t)(nul - lines) : size - 1;
	fake_setup(&fake);
	if (nul != NULL) {
		fake.tape = nul + 1;
		fake.tape_len = size - 1 - lines_len - 1;
	}
	rpc = rpc_new(&fake, fake_reload, &fake);
	FUZZ_ASSERT(rpc != NULL);
	c = rpc_client_new(rpc, fake_write, &fc, 1000, !(flags & 4), (flags & 2) != 0);
	FUZZ_ASSERT(c != NULL);
	FUZZ_ASSERT(rpc_clients(rpc) == 1);
	/* One line at a time, NUL-terminated as control.c hands them over. */
	buf = malloc(lines_len + 1);
	FUZZ_ASSERT(buf != NULL);
	for (size_t pos = 0; pos <= lines_len;) {
		const uint8_t *eol = memchr(lines + pos, '\n', lines_len - pos);
		size_t n = eol != NULL ? (size_t)(eol - (lines + pos)) : lines_len - pos;

		if (n > RPC_MAX_LINE) {
			rpc_line_too_long(c);
		} else {
			memcpy(buf, lines + pos, n);
			buf[n] = '\0';
			rpc_handle_line(c, buf, n);
		}
		if (flags & 8)
			fake_drain(&fake);
		pos += n + 1;
		if (eol == NULL)
			break;
	}
	free(buf);
	if (flags & 1) { /* the client goes away with calls in flight */
		rpc_client_close(c);
		fc.gone = true;
		FUZZ_ASSERT(rpc_clients(rpc) == 0);
		fake_drain(&fake);
	} else {
		fake_drain(&fake);
		/* Nothing queued any more: every call must have been answered. */
		FUZZ_ASSERT(rpc_client_inflight(c) == 0);
		rpc_client_close(c);
		fc.gone = true;
	}
	fake_teardown(&fake);
	rpc_free(rpc);
	return 0;
}
