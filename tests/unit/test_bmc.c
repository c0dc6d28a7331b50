/*
 * test_bmc.c - the per-BMC session state machine (daemon/bmc.c) driven with
 * fake ops and virtual time, in the manner of Unbound's testcode/fake_event.c.
 *
 * A "world" stands in for the pool and the event loop: the send op records
 * each datagram, an in-memory BMC (fakepeer.c, the protocol core's server
 * side) answers it after a per-peer delay, the resolve op answers at once
 * or later, and the clock jumps from one event (answer, DNS, the earliest
 * bmc_next_deadline) to the next.  Handshake slots are granted from a fresh
 * step after slot_released, as the pool does.
 */
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bmc.h"
#include "fakepeer.h"
#include "ipmierr.h"
#include "lanplus.h"
#include "log.h"

#define W_MAXB 8

/* ---- the world ---- */

struct wpkt {
	int bi;    /* which BMC */
	double at; /* sent at (tx) or due at (rx) */
	bool done; /* rx: delivered */
	int rc;    /* rx: what bmc_input returned */
	uint8_t b[LANPLUS_MAX_PKT];
	size_t len;
};

struct wsc {
	int bi;
	enum bmc_state from, to;
	double at;
};

enum w_res_mode { W_RES_SYNC, W_RES_LATER, W_RES_MANUAL };

struct world {
	struct bmc_env env;
	struct stats stats;
	struct config_daemon dcfg;
	struct rng rng;
	uint64_t rng_state;
	double now;
	size_t nb;
	struct bmc *b[W_MAXB];
	struct fakepeer *p[W_MAXB];
	uint8_t addr_octet[W_MAXB];
	/* console -> BMC: every datagram sent, in order */
	struct wpkt *tx;
	size_t ntx, tx_cap, tx_fed;
	/* BMC -> console: answers, delivered when due */
	struct wpkt *rx;
	size_t nrx, rx_cap;
	unsigned rx_drop; /* lose the next n answers in transit */
	/* DNS */
	enum w_res_mode res_mode;
	double res_delay;
	const char *res_err; /* non-NULL: lookups fail with this */
	bool res_pending[W_MAXB];
	double res_at[W_MAXB];
	unsigned n_resolve[W_MAXB];
	/* state changes */
	struct wsc sc[4096];
	size_t nsc;
	/* handshake slots */
	unsigned n_released;
	bool grant_pending;
	bool auto_grant;
	/* an invariant checked after every step */
	void (*check)(struct world *w);
	unsigned max_slots_seen;
	unsigned mark; /* for predicates */
};

static int
w_rng_fill(void *arg, uint8_t *buf, size_t n)
{
	uint64_t *s = arg;

	for (size_t i = 0; i < n; i++) {
		uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		buf[i] = (uint8_t)(z ^ (z >> 31));
	}
	return 0;
}

static int
w_index(const struct world *w, const struct bmc *b)
{
	for (size_t i = 0; i < w->nb; i++)
		if (w->b[i] == b)
			return (int)i;
	ck_abort_msg("unknown bmc");
	return -1;
}

static void
w_addr(const struct world *w, int bi, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(623);
	sin->sin_addr.s_addr = htonl(0xc0000200u | w->addr_octet[bi]); /* 192.0.2.x */
}

static void
w_answer_dns(struct world *w, int bi)
{
	struct sockaddr_in sin;

	w->res_pending[bi] = false;
	if (w->res_err != NULL) {
		bmc_resolved(w->b[bi], NULL, 0, w->res_err, w->now);
		return;
	}
	w_addr(w, bi, &sin);
	bmc_resolved(w->b[bi], (const struct sockaddr *)&sin, sizeof(sin), NULL, w->now);
}

static struct wpkt *
w_push(struct wpkt **arr, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 256 : *cap * 2;
		*arr = realloc(*arr, *cap * sizeof(**arr));
		ck_assert_ptr_nonnull(*arr);
	}
	memset(&(*arr)[*n], 0, sizeof(**arr));
	return &(*arr)[(*n)++];
}

static int
op_send(void *arg, struct bmc *b, const uint8_t *pkt, size_t len)
{
	struct world *w = arg;
	struct wpkt *t = w_push(&w->tx, &w->ntx, &w->tx_cap);

	ck_assert_uint_le(len, sizeof(t->b));
	t->bi = w_index(w, b);
	t->at = w->now;
	memcpy(t->b, pkt, len);
	t->len = len;
	return 0;
}

static void
op_resolve(void *arg, struct bmc *b)
{
	struct world *w = arg;
	int bi = w_index(w, b);

	w->n_resolve[bi]++;
	switch (w->res_mode) {
	case W_RES_SYNC:
		w_answer_dns(w, bi);
		break;
	case W_RES_LATER:
		w->res_pending[bi] = true;
		w->res_at[bi] = w->now + w->res_delay;
		break;
	case W_RES_MANUAL:
		w->res_pending[bi] = true;
		w->res_at[bi] = INFINITY;
		break;
	}
}

static void
op_state(void *arg, struct bmc *b, enum bmc_state old)
{
	struct world *w = arg;

	ck_assert_uint_lt(w->nsc, sizeof(w->sc) / sizeof(w->sc[0]));
	w->sc[w->nsc++] = (struct wsc){ w_index(w, b), old, b->state, w->now };
}

static void
op_slot_released(void *arg)
{
	struct world *w = arg;

	w->n_released++;
	w->grant_pending = true; /* granted from a fresh step, as the pool does */
}

static const struct bmc_ops w_ops = {
	.send = op_send,
	.resolve = op_resolve,
	.state_changed = op_state,
	.slot_released = op_slot_released,
};

static void
w_init(struct world *w, unsigned max_handshakes)
{
	memset(w, 0, sizeof(*w));
	w->dcfg.request_timeout = 1.0;
	w->dcfg.retries = 3;
	w->dcfg.keepalive_interval = 20;
	w->dcfg.max_handshakes = max_handshakes;
	w->dcfg.dns_refresh = 300;
	w->rng_state = 0x1234abcdull;
	w->rng.fill = w_rng_fill;
	w->rng.arg = &w->rng_state;
	w->env.ops = &w_ops;
	w->env.ops_arg = w;
	w->env.stats = &w->stats;
	w->env.dcfg = &w->dcfg;
	w->env.rng = &w->rng;
	w->env.handshakes = 0;
	TAILQ_INIT(&w->env.waiters);
	w->now = 1000.0;
	w->res_mode = W_RES_SYNC;
	w->auto_grant = true;
}

static struct config_bmc
w_cfg(int suite)
{
	struct config_bmc c;

	memset(&c, 0, sizeof(c));
	strcpy(c.name, "bmc");
	strcpy(c.host, "bmc.example.net");
	c.port = 623;
	strcpy(c.username, "admin");
	memcpy(c.password, "adminpass", 9);
	c.password_len = 9;
	c.cipher_suite = suite;
	c.cipher_suites[0] = 17;
	c.cipher_suites[1] = 3;
	c.n_cipher_suites = 2;
	c.privilege = IPMI_PRIV_ADMIN;
	c.max_inflight = 4;
	return c;
}

static int
w_add(struct world *w, const struct config_bmc *cfg)
{
	int bi = (int)w->nb;

	ck_assert_uint_lt(w->nb, W_MAXB);
	w->b[bi] = bmc_new(&w->env, cfg);
	ck_assert_ptr_nonnull(w->b[bi]);
	w->p[bi] = fp_new((uint64_t)bi + 1);
	w->addr_octet[bi] = (uint8_t)(10 + bi);
	w->nb++;
	return bi;
}

static void
w_free(struct world *w)
{
	for (size_t i = 0; i < w->nb; i++) {
		bmc_free(w->b[i], BMC_ERR_UNKNOWN, "test over");
		fp_free(w->p[i]);
	}
	free(w->tx);
	free(w->rx);
}

/* Hands every new datagram to its peer; answers are due after its delay. */
static void
w_feed(struct world *w)
{
	while (w->tx_fed < w->ntx) {
		size_t ti = w->tx_fed++;
		int bi = w->tx[ti].bi;
		struct fp_pkt out[FP_MAX_OUT];
		size_t n = fp_input(w->p[bi], w->tx[ti].b, w->tx[ti].len, out);

		for (size_t i = 0; i < n; i++) {
			struct wpkt *r;
			if (w->rx_drop > 0) {
				w->rx_drop--;
				continue;
			}
			r = w_push(&w->rx, &w->nrx, &w->rx_cap);
			r->bi = bi;
			r->at = w->now + w->p[bi]->delay;
			memcpy(r->b, out[i].b, out[i].len);
			r->len = out[i].len;
		}
	}
}

static void
w_grant(struct world *w)
{
	struct bmc *b;

	if (!w->grant_pending)
		return;
	w->grant_pending = false;
	if (!w->auto_grant)
		return;
	while (w->env.handshakes < w->dcfg.max_handshakes &&
	       (b = TAILQ_FIRST(&w->env.waiters)) != NULL)
		bmc_slot_granted(b, w->now);
}

typedef bool (*w_pred)(struct world *w, int bi);

/*
 * Runs events up to time until (inclusive), or until pred(w, bi) holds;
 * returns whether it did.  The clock stops at the last event (pred) or at until.
 */
static bool
w_run_pred(struct world *w, double until, w_pred pred, int bi)
{
	for (unsigned long guard = 0;; guard++) {
		double t = INFINITY;
		long ri = -1;
		int di = -1;

		ck_assert_msg(guard < 2000000, "livelock at t=%.6f", w->now);
		while (w->tx_fed < w->ntx || w->grant_pending) {
			w_feed(w);
			w_grant(w);
		}
		if (w->check != NULL)
			w->check(w);
		if (pred != NULL && pred(w, bi))
			return true;
		for (size_t i = 0; i < w->nrx; i++)
			if (!w->rx[i].done && w->rx[i].at < t)
				t = w->rx[i].at, ri = (long)i;
		for (size_t i = 0; i < w->nb; i++)
			if (w->res_pending[i] && w->res_at[i] < t)
				t = w->res_at[i], di = (int)i, ri = -1;
		for (size_t i = 0; i < w->nb; i++)
			t = fmin(t, bmc_next_deadline(w->b[i]));
		if (t > until)
			break;
		if (t > w->now)
			w->now = t;
		if (ri >= 0 && w->rx[ri].at <= w->now) {
			struct wpkt *r = &w->rx[ri];
			r->done = true;
			r->rc = bmc_input(w->b[r->bi], r->b, r->len, w->now);
			continue;
		}
		if (di >= 0 && w->res_at[di] <= w->now) {
			w_answer_dns(w, di);
			continue;
		}
		for (size_t i = 0; i < w->nb; i++)
			if (bmc_next_deadline(w->b[i]) <= w->now)
				bmc_tick(w->b[i], w->now);
	}
	if (w->now < until)
		w->now = until;
	return false;
}

static void
w_run(struct world *w, double until)
{
	w_run_pred(w, until, NULL, 0);
}

static bool
is_active(struct world *w, int bi)
{
	return w->b[bi]->state == BMC_ACTIVE;
}

static bool
is_not_connecting(struct world *w, int bi)
{
	return w->b[bi]->state != BMC_CONNECTING && w->b[bi]->state != BMC_RESOLVING;
}

/* A new lookup started (w->mark: the count before); the sync resolver
 * moves on to CONNECTING at once, so the state alone would not show it. */
static bool
resolved_again(struct world *w, int bi)
{
	return w->n_resolve[bi] > w->mark;
}

static bool
w_run_until_resolve(struct world *w, int bi, double until)
{
	w->mark = w->n_resolve[bi];
	return w_run_pred(w, until, resolved_again, bi);
}

/* Starts BMC bi and runs until its session is up (asserts). */
static void
w_activate(struct world *w, int bi)
{
	bmc_start(w->b[bi], w->now);
	ck_assert_msg(w_run_pred(w, w->now + 30, is_active, bi), "not active: %s (%s)",
	              bmc_state_name(w->b[bi]->state), w->b[bi]->last_error);
}

static bool
w_entered(const struct world *w, int bi, enum bmc_state st)
{
	for (size_t i = 0; i < w->nsc; i++)
		if (w->sc[i].bi == bi && w->sc[i].to == st)
			return true;
	return false;
}

/* Time of the n-th (0-based) entry into st, or -1. */
static double
w_entered_at(const struct world *w, int bi, enum bmc_state st, unsigned n)
{
	for (size_t i = 0; i < w->nsc; i++)
		if (w->sc[i].bi == bi && w->sc[i].to == st && n-- == 0)
			return w->sc[i].at;
	return -1;
}

static unsigned
w_ntx(const struct world *w, int bi)
{
	unsigned n = 0;

	for (size_t i = 0; i < w->ntx; i++)
		n += w->tx[i].bi == bi;
	return n;
}

/* When bi sent its first datagram, or -1. */
static double
w_first_tx(const struct world *w, int bi)
{
	for (size_t i = 0; i < w->ntx; i++)
		if (w->tx[i].bi == bi)
			return w->tx[i].at;
	return -1;
}

/* Datagrams bi sent inside a session (session id != 0). */
static unsigned
w_ntx_session(const struct world *w, int bi, size_t from)
{
	struct lanplus_hdr h;
	unsigned n = 0;

	for (size_t i = from; i < w->ntx; i++)
		if (w->tx[i].bi == bi && lanplus_parse_header(w->tx[i].b, w->tx[i].len, &h) == 0 &&
		    h.session_id != 0)
			n++;
	return n;
}

/* Delivers a datagram to bi now, as if it had just arrived. */
static int
w_inject(struct world *w, int bi, const uint8_t *pkt, size_t len)
{
	return bmc_input(w->b[bi], pkt, len, w->now);
}

/* ---- requests ---- */

struct treq {
	struct request r; /* first: the done callback gets it */
	unsigned ndone;
	double done_at;
	struct world *w;
};

static void
treq_done(struct request *r, void *arg)
{
	struct treq *t = arg;

	ck_assert_ptr_eq(r, &t->r);
	t->ndone++;
	t->done_at = t->w != NULL ? t->w->now : 0;
}

static void
treq_init(struct treq *t, struct world *w, uint8_t netfn, uint8_t cmd, const uint8_t *data,
          size_t len)
{
	memset(t, 0, sizeof(*t));
	t->r.netfn = netfn;
	t->r.cmd = cmd;
	if (len > 0)
		memcpy(t->r.data, data, len);
	t->r.data_len = (uint8_t)len;
	t->r.done = treq_done;
	t->r.arg = t;
	t->w = w;
}

static int
treq_submit(struct world *w, int bi, struct treq *t)
{
	return bmc_submit(w->b[bi], &t->r, w->now);
}

/* Asserts t completed once with the peer's generic answer to (cmd, data). */
static void
assert_generic(const struct treq *t, uint8_t cmd, const uint8_t *data, size_t len)
{
	uint8_t want[IPMIMSG_MAX_DATA];
	size_t n = fp_generic_answer(cmd, data, len, want);

	ck_assert_uint_eq(t->ndone, 1);
	ck_assert_msg(t->r.err == 0, "err %d: %s", t->r.err, t->r.detail);
	ck_assert_uint_eq(t->r.rsp_len, n);
	ck_assert_mem_eq(t->r.rsp, want, n);
}

/* ================================================================== */
/* happy path                                                          */
/* ================================================================== */

static const int fixed_suites[] = { 0, 1, 3, 17 };

START_TEST(happy_fixed_suite)
{
	int suite = fixed_suites[_i];
	struct world w;
	struct config_bmc cfg = w_cfg(suite);
	struct treq t;
	const uint8_t d[] = { 0x11, 0x22 };
	int bi;

	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	ck_assert_int_eq(w.b[bi]->state, BMC_CLOSED);
	w_activate(&w, bi);

	/* RESOLVING -> CONNECTING -> ACTIVE, nothing else */
	ck_assert_uint_eq(w.nsc, 3);
	ck_assert_int_eq(w.sc[0].from, BMC_CLOSED);
	ck_assert_int_eq(w.sc[0].to, BMC_RESOLVING);
	ck_assert_int_eq(w.sc[1].to, BMC_CONNECTING);
	ck_assert_int_eq(w.sc[2].to, BMC_ACTIVE);
	ck_assert_int_eq(w.b[bi]->suite, suite);
	ck_assert(w.b[bi]->have_sess);
	ck_assert_uint_eq(w.n_resolve[bi], 1);
	ck_assert_uint_eq(w.stats.dns_lookups, 1);
	ck_assert_uint_eq(w.stats.handshakes, 1);
	ck_assert_uint_eq(w.stats.handshake_failures, 0);
	/* slot taken and given back */
	ck_assert_uint_eq(w.env.handshakes, 0);
	ck_assert_uint_eq(w.n_released, 1);
	ck_assert(!w.b[bi]->has_slot);
	/* the exchange the BMC saw */
	ck_assert_uint_eq(w.p[bi]->n_authcaps, 1);
	ck_assert_uint_eq(w.p[bi]->n_ciphers, 0); /* fixed: no listing */
	ck_assert_uint_eq(w.p[bi]->n_open, 1);
	ck_assert_uint_eq(w.p[bi]->open_suites[0], suite);
	ck_assert_uint_eq(w.p[bi]->open_priv, 4);
	ck_assert_uint_eq(w.p[bi]->n_rakp1, 1);
	ck_assert_uint_eq(w.p[bi]->n_rakp3, 1);
	/* Set Session Privilege Level to administrator */
	ck_assert_uint_eq(w.p[bi]->n_priv, 1);
	ck_assert_uint_eq(w.p[bi]->priv_asked, IPMI_PRIV_ADMIN);
	ck_assert_uint_eq(w.b[bi]->sess.tx_sid, w.p[bi]->last_sid);
	ck_assert_str_eq(w.b[bi]->last_error, "");

	/* and the session carries a request */
	treq_init(&t, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, d, sizeof(d));
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	w_run(&w, w.now);
	assert_generic(&t, IPMI_CMD_GET_DEVICE_ID, d, sizeof(d));
	w_free(&w);
}
END_TEST

/* DNS answering later: RESOLVING lasts, a request queued meanwhile runs after. */
START_TEST(happy_resolve_later)
{
	struct world w;
	struct config_bmc cfg = w_cfg(3);
	struct treq t;
	double t0;
	int bi;

	w_init(&w, 4);
	w.res_mode = W_RES_LATER;
	w.res_delay = 0.5;
	bi = w_add(&w, &cfg);
	t0 = w.now;
	bmc_start(w.b[bi], t0);
	ck_assert_int_eq(w.b[bi]->state, BMC_RESOLVING);
	treq_init(&t, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	ck_assert_uint_eq(w.b[bi]->n_queued, 1);
	w_run(&w, t0 + 0.49);
	ck_assert_int_eq(w.b[bi]->state, BMC_RESOLVING);
	ck_assert_uint_eq(w.ntx, 0);
	w_run(&w, t0 + 1);
	ck_assert_int_eq(w.b[bi]->state, BMC_ACTIVE);
	ck_assert_double_eq_tol(w_entered_at(&w, bi, BMC_CONNECTING, 0), t0 + 0.5, 1e-9);
	assert_generic(&t, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_double_eq_tol(t.done_at, t0 + 0.5, 1e-9);
	w_free(&w);
}
END_TEST

/* Privilege user: no Set Session Privilege Level. */
START_TEST(happy_priv_user)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	int bi;

	cfg.privilege = IPMI_PRIV_USER;
	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	w_activate(&w, bi);
	ck_assert_uint_eq(w.p[bi]->open_priv, IPMI_PRIV_USER);
	ck_assert_uint_eq(w.p[bi]->n_priv, 0);
	w_free(&w);
}
END_TEST

/* ================================================================== */
/* automatic cipher suite selection                                    */
/* ================================================================== */

static void
auto_world(struct world *w, int *bi, const uint8_t *listed, size_t n)
{
	struct config_bmc cfg = w_cfg(-1);

	w_init(w, 4);
	*bi = w_add(w, &cfg);
	fp_set_suites(w->p[*bi], listed, n);
}

START_TEST(auto_lists_3_17)
{
	static const uint8_t list[] = { 3, 17 };
	struct world w;
	int bi;

	auto_world(&w, &bi, list, sizeof(list));
	w_activate(&w, bi);
	ck_assert_int_eq(w.b[bi]->suite, 17);
	ck_assert_uint_eq(w.p[bi]->n_ciphers, 1);
	ck_assert_uint_eq(w.p[bi]->n_open, 1);
	ck_assert_uint_eq(w.p[bi]->open_suites[0], 17);
	w_free(&w);
}
END_TEST

START_TEST(auto_lists_0_to_14)
{
	uint8_t list[15];
	struct world w;
	int bi;

	for (int i = 0; i < 15; i++)
		list[i] = (uint8_t)i;
	auto_world(&w, &bi, list, sizeof(list));
	w_activate(&w, bi);
	ck_assert_int_eq(w.b[bi]->suite, 3);
	/* 15 records of 5 bytes: 16 + 16 + 16 + 16 + 11 */
	ck_assert_uint_eq(w.p[bi]->n_ciphers, 5);
	for (int i = 0; i < 5; i++)
		ck_assert_uint_eq(w.p[bi]->cipher_idx[i], i);
	ck_assert_uint_eq(w.p[bi]->n_open, 1);
	ck_assert_uint_eq(w.p[bi]->open_suites[0], 3);
	w_free(&w);
}
END_TEST

/* A list that fills whole 16-byte chunks ends with an empty one. */
START_TEST(auto_lists_whole_chunks)
{
	uint8_t list[16];
	struct world w;
	int bi;

	for (int i = 0; i < 16; i++)
		list[i] = (uint8_t)i;
	auto_world(&w, &bi, list, sizeof(list));
	w_activate(&w, bi);
	ck_assert_int_eq(w.b[bi]->suite, 3);
	ck_assert_uint_eq(w.p[bi]->n_ciphers, 6);
	w_free(&w);
}
END_TEST

/*
 * Listing unanswered (3 attempts): Open Session in preference order.  The
 * BMC ignores Open Session for 17 (3 attempts), then 3 works.
 */
START_TEST(auto_listing_unanswered)
{
	static const uint8_t list[] = { 3 };
	struct world w;
	double t0;
	int bi;

	auto_world(&w, &bi, list, sizeof(list));
	w.p[bi]->silent_steps = FP_CIPHERS;
	t0 = w.now;
	w_activate(&w, bi);
	ck_assert_uint_eq(w.p[bi]->n_ciphers, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(w.p[bi]->cipher_idx[i], 0);
	ck_assert_uint_eq(w.p[bi]->n_open, 4);
	ck_assert_uint_eq(w.p[bi]->open_suites[0], 17);
	ck_assert_uint_eq(w.p[bi]->open_suites[1], 17);
	ck_assert_uint_eq(w.p[bi]->open_suites[2], 17);
	ck_assert_uint_eq(w.p[bi]->open_suites[3], 3);
	ck_assert_int_eq(w.b[bi]->suite, 3);
	ck_assert(!w_entered(&w, bi, BMC_BACKOFF));
	/* 3 s of listing, 3 s of Open Session for 17 */
	ck_assert_double_eq_tol(w.now, t0 + 6, 1e-9);
	w_free(&w);
}
END_TEST

/* Listing unanswered, then 17 refused outright: 3 at once. */
START_TEST(auto_listing_unanswered_refused)
{
	static const uint8_t list[] = { 3 };
	struct world w;
	int bi;

	auto_world(&w, &bi, list, sizeof(list));
	w.p[bi]->silent_steps = FP_CIPHERS;
	w.p[bi]->open_refuse = RAKP_ST_NO_CIPHER_SUITE;
	w_activate(&w, bi);
	ck_assert_uint_eq(w.p[bi]->n_ciphers, 3);
	ck_assert_uint_eq(w.p[bi]->n_open, 2);
	ck_assert_uint_eq(w.p[bi]->open_suites[0], 17);
	ck_assert_uint_eq(w.p[bi]->open_suites[1], 3);
	ck_assert_int_eq(w.b[bi]->suite, 3);
	w_free(&w);
}
END_TEST

/* The listing lies (ipmi_sim): 17 listed but refused with 04h / 11h -> 3. */
static const uint8_t refusals[] = { RAKP_ST_INVALID_AUTH, RAKP_ST_NO_CIPHER_SUITE };

START_TEST(auto_open_refused)
{
	static const uint8_t list[] = { 3, 17 };
	struct world w;
	int bi;

	auto_world(&w, &bi, list, sizeof(list));
	w.p[bi]->accept = 1u << 3;
	w.p[bi]->open_refuse = refusals[_i];
	w_activate(&w, bi);
	ck_assert_uint_eq(w.p[bi]->n_ciphers, 1);
	ck_assert_uint_eq(w.p[bi]->n_open, 2);
	ck_assert_uint_eq(w.p[bi]->open_suites[0], 17);
	ck_assert_uint_eq(w.p[bi]->open_suites[1], 3);
	ck_assert_int_eq(w.b[bi]->suite, 3);
	ck_assert(!w_entered(&w, bi, BMC_BACKOFF));
	/* a fresh handshake for 3: Get Channel Auth Caps again */
	ck_assert_uint_eq(w.p[bi]->n_authcaps, 2);
	w_free(&w);
}
END_TEST

/* Listing refused with a completion code: straight to Open Session for 17. */
START_TEST(auto_listing_refused)
{
	static const uint8_t list[] = { 3, 17 };
	struct world w;
	double t0;
	int bi;

	auto_world(&w, &bi, list, sizeof(list));
	w.p[bi]->list_cc = 0xc1;
	t0 = w.now;
	w_activate(&w, bi);
	ck_assert_double_eq(w.now, t0);
	ck_assert_uint_eq(w.p[bi]->n_ciphers, 1);
	ck_assert_uint_eq(w.p[bi]->n_open, 1);
	ck_assert_int_eq(w.b[bi]->suite, 17);
	w_free(&w);
}
END_TEST

/* A fixed suite refused: no other suite is tried. */
START_TEST(fixed_suite_refused)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	int bi;

	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	w.p[bi]->accept = 1u << 3;
	w.p[bi]->open_refuse = RAKP_ST_NO_CIPHER_SUITE;
	bmc_start(w.b[bi], w.now);
	ck_assert(w_run_pred(&w, w.now + 30, is_not_connecting, bi));
	ck_assert_int_eq(w.b[bi]->state, BMC_BACKOFF);
	ck_assert_uint_eq(w.p[bi]->n_open, 1);
	ck_assert_ptr_nonnull(strstr(w.b[bi]->last_error, "cipher suite refused"));
	w_free(&w);
}
END_TEST

/* Every preference refused: BACKOFF with the reason. */
START_TEST(auto_all_refused)
{
	static const uint8_t list[] = { 3, 17 };
	struct world w;
	int bi;

	auto_world(&w, &bi, list, sizeof(list));
	w.p[bi]->accept = 1u << 1;
	w.p[bi]->open_refuse = RAKP_ST_NO_CIPHER_SUITE;
	bmc_start(w.b[bi], w.now);
	ck_assert(w_run_pred(&w, w.now + 30, is_not_connecting, bi));
	ck_assert_int_eq(w.b[bi]->state, BMC_BACKOFF);
	ck_assert_uint_eq(w.p[bi]->n_open, 2);
	ck_assert_ptr_nonnull(strstr(w.b[bi]->last_error, "cipher suite refused"));
	ck_assert(!w.b[bi]->last_error_auth);
	w_free(&w);
}
END_TEST

/* The chosen suite is remembered: a reconnect does not list again. */
START_TEST(auto_remembered_on_reconnect)
{
	static const uint8_t list[] = { 3, 17 };
	struct world w;
	uint32_t old_sid;
	int bi;

	auto_world(&w, &bi, list, sizeof(list));
	w_activate(&w, bi);
	ck_assert_int_eq(w.b[bi]->suite, 17);
	old_sid = w.p[bi]->last_sid;
	bmc_reconnect(w.b[bi], w.now);
	ck_assert_uint_eq(w.b[bi]->n_reconnects, 1);
	ck_assert_uint_eq(w.stats.reconnects, 1);
	ck_assert(w_run_pred(&w, w.now + 30, is_active, bi));
	ck_assert_uint_eq(w.p[bi]->n_ciphers, 1); /* no second listing */
	ck_assert_uint_eq(w.p[bi]->n_open, 2);
	ck_assert_uint_eq(w.p[bi]->open_suites[1], 17);
	ck_assert_int_eq(w.b[bi]->suite, 17);
	/* the old session was closed at the BMC */
	ck_assert_uint_eq(w.p[bi]->n_close, 1);
	ck_assert_uint_eq(w.p[bi]->close_sid, old_sid);
	ck_assert_uint_ne(w.p[bi]->last_sid, old_sid);
	ck_assert_uint_eq(w.n_resolve[bi], 2);
	w_free(&w);
}
END_TEST

/* ================================================================== */
/* refusals and failed verification                                    */
/* ================================================================== */

/* Open Session Response naming algorithms not proposed: never ACTIVE. */
START_TEST(downgrade_fixed)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	int bi;

	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	w.p[bi]->downgrade_to = 1;
	bmc_start(w.b[bi], w.now);
	w_run(&w, w.now + 0.5);
	ck_assert_int_eq(w.b[bi]->state, BMC_BACKOFF);
	ck_assert(!w_entered(&w, bi, BMC_ACTIVE));
	ck_assert_uint_eq(w.p[bi]->n_rakp1, 0);
	ck_assert_ptr_nonnull(strstr(w.b[bi]->last_error, "not proposed"));
	ck_assert(!w.b[bi]->last_error_auth);
	ck_assert(!w.b[bi]->have_sess);
	ck_assert_uint_eq(w.stats.handshake_failures, 1);
	w_free(&w);
}
END_TEST

/* Auto: a downgrade is not a refusal, so no silent move to the next suite. */
START_TEST(downgrade_auto)
{
	static const uint8_t list[] = { 3, 17 };
	struct world w;
	int bi;

	auto_world(&w, &bi, list, sizeof(list));
	w.p[bi]->downgrade_to = 3;
	bmc_start(w.b[bi], w.now);
	w_run(&w, w.now + 0.5);
	ck_assert_int_eq(w.b[bi]->state, BMC_BACKOFF);
	ck_assert(!w_entered(&w, bi, BMC_ACTIVE));
	ck_assert_uint_eq(w.p[bi]->n_open, 1);
	ck_assert_uint_eq(w.p[bi]->n_rakp1, 0);
	ck_assert_ptr_nonnull(strstr(w.b[bi]->last_error, "not proposed"));
	w_free(&w);
}
END_TEST

START_TEST(wrong_password)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	struct treq t[2], late;
	double tf, retry;
	int bi;

	w_init(&w, 4);
	w.res_mode = W_RES_LATER;
	w.res_delay = 0.1;
	bi = w_add(&w, &cfg);
	fp_set_pass(w.p[bi], "otherpass");
	bmc_start(w.b[bi], w.now);
	for (int i = 0; i < 2; i++) {
		treq_init(&t[i], &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
		ck_assert_int_eq(treq_submit(&w, bi, &t[i]), 0);
	}
	ck_assert(w_run_pred(&w, w.now + 30, is_not_connecting, bi));
	tf = w.now;
	ck_assert_int_eq(w.b[bi]->state, BMC_FAILED);
	ck_assert(!w_entered(&w, bi, BMC_ACTIVE));
	ck_assert_ptr_nonnull(strstr(w.b[bi]->last_error, "bad password"));
	ck_assert(w.b[bi]->last_error_auth);
	ck_assert_uint_eq(w.p[bi]->n_rakp3, 0); /* the console stopped at RAKP2 */
	/* 60 s +-20 % */
	ck_assert_double_ge(w.b[bi]->retry_at, tf + 48);
	ck_assert_double_le(w.b[bi]->retry_at, tf + 72);
	for (int i = 0; i < 2; i++) {
		ck_assert_uint_eq(t[i].ndone, 1);
		ck_assert_int_eq(t[i].r.err, BMC_ERR_AUTH);
		ck_assert_ptr_nonnull(strstr(t[i].r.detail, "bad password"));
	}
	ck_assert_uint_eq(w.b[bi]->n_queued, 0);
	/* while FAILED, a request fails at once */
	treq_init(&late, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &late), BMC_ERR_AUTH);
	ck_assert_uint_eq(late.ndone, 1);
	/* nothing before retry_at; then a new attempt, backing off to 120 s */
	retry = w.b[bi]->retry_at;
	w_run(&w, retry - 0.01);
	ck_assert_uint_eq(w.n_resolve[bi], 1);
	ck_assert(w_run_until_resolve(&w, bi, retry + 1));
	ck_assert_double_eq_tol(w.now, retry, 1e-9);
	ck_assert(w_run_pred(&w, w.now + 30, is_not_connecting, bi));
	ck_assert_int_eq(w.b[bi]->state, BMC_FAILED);
	ck_assert_double_ge(w.b[bi]->retry_at, w.now + 96);
	ck_assert_double_le(w.b[bi]->retry_at, w.now + 144);
	w_free(&w);
}
END_TEST

START_TEST(unknown_user)
{
	struct world w;
	struct config_bmc cfg = w_cfg(3);
	int bi;

	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	strcpy(w.p[bi]->user, "root");
	bmc_start(w.b[bi], w.now);
	ck_assert(w_run_pred(&w, w.now + 30, is_not_connecting, bi));
	ck_assert_int_eq(w.b[bi]->state, BMC_FAILED);
	ck_assert_ptr_nonnull(strstr(w.b[bi]->last_error, "unknown user name"));
	ck_assert(w.b[bi]->last_error_auth);
	ck_assert_double_ge(w.b[bi]->retry_at, w.now + 48);
	w_free(&w);
}
END_TEST

/* The BMC grants less than asked: FAILED, never silently lowered. */
START_TEST(privilege_lowered)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	int bi;

	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	w.p[bi]->grant_priv = IPMI_PRIV_OPERATOR;
	bmc_start(w.b[bi], w.now);
	ck_assert(w_run_pred(&w, w.now + 30, is_not_connecting, bi));
	ck_assert_int_eq(w.b[bi]->state, BMC_FAILED);
	ck_assert(!w_entered(&w, bi, BMC_ACTIVE));
	ck_assert_uint_eq(w.p[bi]->priv_asked, IPMI_PRIV_ADMIN);
	ck_assert_ptr_nonnull(strstr(w.b[bi]->last_error, "privilege"));
	ck_assert(w.b[bi]->last_error_auth);
	ck_assert(!w.b[bi]->have_sess);
	w_free(&w);
}
END_TEST

/* ================================================================== */
/* set-up timeouts and backoff                                         */
/* ================================================================== */

static const struct {
	uint32_t step;
	const char *name;
} silent_steps[] = {
	{ FP_AUTHCAPS, "Get Channel Authentication Capabilities" },
	{ FP_OPEN, "Open Session" },
	{ FP_RAKP1, "RAKP1" },
	{ FP_RAKP3, "RAKP3" },
	{ FP_PRIV, "Set Session Privilege Level" },
};

/* One step unanswered: exactly `retries` transmissions, then BACKOFF. */
START_TEST(timeout_per_step)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	struct fakepeer *p;
	unsigned sent = 0;
	char want[128];
	double t0;
	int bi;

	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	p = w.p[bi];
	p->silent_steps = silent_steps[_i].step;
	t0 = w.now;
	bmc_start(w.b[bi], t0);
	ck_assert(w_run_pred(&w, t0 + 30, is_not_connecting, bi));
	ck_assert_int_eq(w.b[bi]->state, BMC_BACKOFF);
	ck_assert_double_eq_tol(w.now, t0 + 3 * w.dcfg.request_timeout, 1e-9);
	switch (silent_steps[_i].step) {
	case FP_AUTHCAPS:
		sent = p->n_authcaps;
		break;
	case FP_OPEN:
		sent = p->n_open;
		break;
	case FP_RAKP1:
		sent = p->n_rakp1;
		break;
	case FP_RAKP3:
		sent = p->n_rakp3;
		/* Each RAKP3 after the first comes from a new Open Session. */
		ck_assert_uint_eq(p->n_open, w.dcfg.retries);
		break;
	case FP_PRIV:
		sent = w_ntx_session(&w, bi, 0);
		break;
	}
	ck_assert_uint_eq(sent, w.dcfg.retries);
	snprintf(want, sizeof(want), "no answer to %s after 3 attempts", silent_steps[_i].name);
	ck_assert_msg(strstr(w.b[bi]->last_error, want) != NULL, "last_error '%s', want '%s'",
	              w.b[bi]->last_error, want);
	ck_assert(!w.b[bi]->last_error_auth);
	ck_assert(!w.b[bi]->have_sess);
	ck_assert_uint_eq(w.env.handshakes, 0);
	w_free(&w);
}
END_TEST

/* Successive failures double the backoff (1, 2, 4, ... 60) within +-20 %. */
START_TEST(backoff_doubles)
{
	static const double want[] = { 1, 2, 4, 8, 16, 32, 60, 60, 60 };
	struct world w;
	struct config_bmc cfg = w_cfg(3);
	int bi;

	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	w.p[bi]->silent_steps = FP_ALL;
	bmc_start(w.b[bi], w.now);
	for (unsigned k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		double tf, gap;
		ck_assert(w_run_pred(&w, w.now + 100, is_not_connecting, bi));
		ck_assert_int_eq(w.b[bi]->state, BMC_BACKOFF);
		tf = w.now;
		gap = w.b[bi]->retry_at - tf;
		ck_assert_msg(gap >= 0.8 * want[k] - 1e-9 && gap <= 1.2 * want[k] + 1e-9,
		              "failure %u: backoff %.3f s, want %.0f s +-20 %%", k, gap, want[k]);
		ck_assert_uint_eq(w.n_resolve[bi], k + 1);
		/* after retry_at: re-resolves (exactly then) */
		ck_assert(w_run_until_resolve(&w, bi, w.b[bi]->retry_at + 1));
		ck_assert_double_eq_tol(w.now, tf + gap, 1e-9);
		ck_assert_uint_eq(w.n_resolve[bi], k + 2);
	}
	ck_assert_uint_eq(w.stats.handshake_failures, sizeof(want) / sizeof(want[0]));
	w_free(&w);
}
END_TEST

/*
 * After authentication failures (60, 120 s), the BMC becomes unreachable:
 * an unreachable BMC's backoff is capped at 60 s (+-20 %).
 */
START_TEST(backoff_cap_after_auth_failures)
{
	struct world w;
	struct config_bmc cfg = w_cfg(3);
	double gap;
	int bi;

	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	fp_set_pass(w.p[bi], "otherpass");
	bmc_start(w.b[bi], w.now);
	for (int k = 0; k < 2; k++) {
		ck_assert(w_run_pred(&w, w.now + 30, is_not_connecting, bi));
		ck_assert_int_eq(w.b[bi]->state, BMC_FAILED);
		ck_assert(w_run_until_resolve(&w, bi, w.b[bi]->retry_at + 1));
	}
	/* the password is fixed at the BMC, which then stops answering */
	fp_set_pass(w.p[bi], "adminpass");
	w.p[bi]->silent_steps = FP_ALL;
	ck_assert(w_run_pred(&w, w.now + 30, is_not_connecting, bi));
	ck_assert_int_eq(w.b[bi]->state, BMC_BACKOFF);
	ck_assert(!w.b[bi]->last_error_auth);
	gap = w.b[bi]->retry_at - w.now;
	w_free(&w);
	/*
	 * Regression (found here): bmc_setup_failed() used to carry the auth
	 * backoff (240 s after two auth failures) into BACKOFF, capping only
	 * the next value at BMC_BACKOFF_MAX.
	 */
	ck_assert_msg(gap <= 1.2 * 60 + 1e-9,
	              "unreachable BMC retried after %.1f s, more than the 60 s cap +20 %%", gap);
}
END_TEST

/* DNS failure: BACKOFF, queued requests fail as unreachable. */
START_TEST(dns_failure)
{
	struct world w;
	struct config_bmc cfg = w_cfg(3);
	struct treq t;
	int bi;

	w_init(&w, 4);
	w.res_mode = W_RES_LATER;
	w.res_delay = 0.2;
	w.res_err = "NXDOMAIN";
	bi = w_add(&w, &cfg);
	bmc_start(w.b[bi], w.now);
	treq_init(&t, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	ck_assert(w_run_pred(&w, w.now + 30, is_not_connecting, bi));
	ck_assert_int_eq(w.b[bi]->state, BMC_BACKOFF);
	ck_assert_ptr_nonnull(strstr(w.b[bi]->last_error, "NXDOMAIN"));
	ck_assert_uint_eq(t.ndone, 1);
	ck_assert_int_eq(t.r.err, BMC_ERR_UNREACHABLE);
	ck_assert_uint_eq(w.ntx, 0);
	w_free(&w);
}
END_TEST

/*
 * The answer to Set Session Privilege Level is lost: the retransmission
 * must be acceptable to the BMC, i.e. carry a new session sequence number
 * (a BMC drops a repeated one as a replay, as ipmi_sim and this peer do).
 */
START_TEST(priv_answer_lost)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	struct lanplus_hdr h1 = { 0 }, h2 = { 0 };
	enum bmc_state st;
	char why[160];
	size_t first = 0;
	int bi;

	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	w.p[bi]->drop_priv_answers = 1;
	bmc_start(w.b[bi], w.now);
	w_run_pred(&w, w.now + 10, is_not_connecting, bi);
	/* the first two in-session datagrams: Set Session Privilege Level twice */
	for (size_t i = 0, n = 0; i < w.ntx && n < 2; i++) {
		struct lanplus_hdr h;
		if (lanplus_parse_header(w.tx[i].b, w.tx[i].len, &h) == 0 && h.session_id != 0) {
			if (n++ == 0)
				h1 = h, first = i;
			else
				h2 = h;
		}
	}
	ck_assert_uint_ge(w_ntx_session(&w, bi, first), 2);
	st = w.b[bi]->state;
	snprintf(why, sizeof(why), "%s", w.b[bi]->last_error);
	w_free(&w);
	/*
	 * Regression: the retransmission used to be hsclient_last(), the same
	 * bytes and session sequence number, which the BMC rejects as a replay;
	 * now hsclient_retransmit() seals it anew.
	 */
	ck_assert_msg(h2.seq != h1.seq,
	              "Set Session Privilege Level retransmitted with the same session "
	              "sequence number %u",
	              h1.seq);
	ck_assert_msg(st == BMC_ACTIVE, "state %s (%s)", bmc_state_name(st), why);
}
END_TEST

/* ================================================================== */
/* requests                                                            */
/* ================================================================== */

static void
active_world(struct world *w, int *bi, int suite)
{
	struct config_bmc cfg = w_cfg(suite);

	w_init(w, 4);
	*bi = w_add(w, &cfg);
	w_activate(w, *bi);
}

START_TEST(request_roundtrip)
{
	static const uint8_t d[] = { 0x01, 0x02, 0x03 };
	struct world w;
	struct treq t;
	size_t before;
	int bi;

	active_world(&w, &bi, 17);
	before = w.ntx;
	treq_init(&t, &w, IPMI_NETFN_CHASSIS, 0x02, d, sizeof(d));
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	/* one datagram, sent at once */
	ck_assert_uint_eq(w.ntx, before + 1);
	ck_assert_uint_eq(w.b[bi]->n_inflight, 1);
	w_run(&w, w.now);
	ck_assert_uint_eq(w.p[bi]->n_log, 2); /* Set Session Priv, then ours */
	ck_assert_uint_eq(w.p[bi]->log[1].netfn, IPMI_NETFN_CHASSIS);
	ck_assert_uint_eq(w.p[bi]->log[1].cmd, 0x02);
	ck_assert_uint_eq(w.p[bi]->log[1].data_len, sizeof(d));
	ck_assert_mem_eq(w.p[bi]->log[1].data, d, sizeof(d));
	ck_assert_uint_eq(w.p[bi]->log[1].seq, t.r.rq_seq);
	assert_generic(&t, 0x02, d, sizeof(d));
	ck_assert_ptr_eq(t.r.bmc, w.b[bi]);
	ck_assert_uint_eq(w.b[bi]->n_inflight, 0);
	ck_assert_uint_eq(w.b[bi]->n_requests, 1);
	ck_assert_uint_eq(w.stats.requests, 1);
	ck_assert_uint_eq(w.stats.responses, 1);
	ck_assert_uint_eq(w.stats.retries, 0);
	w_free(&w);
}
END_TEST

/* Retransmission: a new session sequence number, the same rqSeq. */
START_TEST(request_retransmit)
{
	struct world w;
	struct treq t;
	long i1, i2;
	double t0;
	int bi;

	active_world(&w, &bi, 3);
	w.p[bi]->drop_cmd = IPMI_CMD_GET_DEVICE_ID;
	w.p[bi]->drop_times = 1;
	t0 = w.now;
	treq_init(&t, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	w_run(&w, t0 + 0.99);
	ck_assert_uint_eq(t.ndone, 0);
	ck_assert_uint_eq(fp_count(w.p[bi], IPMI_CMD_GET_DEVICE_ID), 1);
	w_run(&w, t0 + 1.5);
	assert_generic(&t, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_double_eq_tol(t.done_at, t0 + 1, 1e-9);
	ck_assert_uint_eq(fp_count(w.p[bi], IPMI_CMD_GET_DEVICE_ID), 2);
	i1 = fp_find(w.p[bi], IPMI_CMD_GET_DEVICE_ID, 0);
	i2 = fp_find(w.p[bi], IPMI_CMD_GET_DEVICE_ID, 1);
	ck_assert_uint_eq(w.p[bi]->log[i1].seq, w.p[bi]->log[i2].seq);
	ck_assert_uint_eq(w.p[bi]->log[i1].seq, t.r.rq_seq);
	ck_assert_uint_gt(w.p[bi]->log[i2].sess_seq, w.p[bi]->log[i1].sess_seq);
	ck_assert_uint_eq(w.p[bi]->n_rejected, 0);
	ck_assert_uint_eq(w.stats.retries, 1);
	ck_assert_uint_eq(w.b[bi]->n_retries, 1);
	ck_assert_uint_eq(t.r.attempts, 2);
	w_free(&w);
}
END_TEST

/*
 * `retries` attempts unanswered (while the BMC answers other requests):
 * BMC_ERR_UNREACHABLE, and the rqSeq is quarantined.
 */
START_TEST(request_unreachable_quarantine)
{
	struct world w;
	struct treq x, y[3];
	struct treq *many;
	uint8_t q;
	double t0;
	bool used;
	int bi;

	active_world(&w, &bi, 17);
	w.p[bi]->drop_cmd = IPMI_CMD_GET_DEVICE_ID;
	w.p[bi]->drop_times = -1;
	t0 = w.now;
	treq_init(&x, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &x), 0);
	q = x.r.rq_seq;
	for (int i = 0; i < 3; i++) {
		w_run(&w, t0 + 0.5 + i);
		treq_init(&y[i], &w, IPMI_NETFN_APP, 0x02, NULL, 0);
		ck_assert_int_eq(treq_submit(&w, bi, &y[i]), 0);
	}
	w_run(&w, t0 + 2.99);
	ck_assert_uint_eq(x.ndone, 0);
	w_run(&w, t0 + 3.01);
	ck_assert_int_eq(w.b[bi]->state, BMC_ACTIVE);
	ck_assert_uint_eq(x.ndone, 1);
	ck_assert_double_eq_tol(x.done_at, t0 + 3, 1e-9);
	ck_assert_int_eq(x.r.err, BMC_ERR_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(x.r.detail, "3 attempts"));
	ck_assert_uint_eq(fp_count(w.p[bi], IPMI_CMD_GET_DEVICE_ID), 3);
	for (unsigned k = 0; k < 3; k++)
		ck_assert_uint_eq(w.p[bi]->log[fp_find(w.p[bi], IPMI_CMD_GET_DEVICE_ID, k)].seq, q);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(y[i].ndone, 1);
	ck_assert_uint_eq(w.stats.timeouts, 1);
	ck_assert_uint_eq(w.b[bi]->n_errors, 1);

	/* within the quarantine window: 70 requests wrap the rqSeq space */
	many = calloc(134, sizeof(*many));
	ck_assert_ptr_nonnull(many);
	for (int i = 0; i < 70; i++) {
		treq_init(&many[i], &w, IPMI_NETFN_APP, 0x02, NULL, 0);
		ck_assert_int_eq(treq_submit(&w, bi, &many[i]), 0);
	}
	w_run(&w, w.now);
	for (int i = 0; i < 70; i++) {
		ck_assert_uint_eq(many[i].ndone, 1);
		ck_assert_int_eq(many[i].r.err, 0);
		ck_assert_msg(many[i].r.rq_seq != q, "quarantined rqSeq %u reused", q);
	}
	/* after the window it is free again */
	w_run(&w, t0 + 3 + 5.01);
	used = false;
	for (int i = 70; i < 134; i++) {
		treq_init(&many[i], &w, IPMI_NETFN_APP, 0x02, NULL, 0);
		ck_assert_int_eq(treq_submit(&w, bi, &many[i]), 0);
	}
	w_run(&w, w.now);
	for (int i = 70; i < 134; i++) {
		ck_assert_uint_eq(many[i].ndone, 1);
		used |= many[i].r.rq_seq == q;
	}
	ck_assert(used);
	w_free(&w);
	free(many);
}
END_TEST

START_TEST(request_max_inflight)
{
	struct world w;
	struct treq t[6];
	int bi;

	active_world(&w, &bi, 17);
	w.p[bi]->hold = true;
	for (int i = 0; i < 5; i++) {
		uint8_t d = (uint8_t)i;
		treq_init(&t[i], &w, IPMI_NETFN_APP, 0x02, &d, 1);
		ck_assert_int_eq(treq_submit(&w, bi, &t[i]), 0);
	}
	w_run(&w, w.now + 0.5);
	ck_assert_uint_eq(w.b[bi]->n_inflight, 4);
	ck_assert_uint_eq(w.b[bi]->n_queued, 1);
	ck_assert_uint_eq(fp_count(w.p[bi], 0x02), 4);
	/* distinct rqSeqs in flight */
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			ck_assert_uint_ne(t[i].r.rq_seq, t[j].r.rq_seq);
	/* one answer: the fifth goes out */
	{
		struct fp_pkt out[FP_MAX_OUT];
		size_t n = fp_release(w.p[bi], (size_t)fp_find(w.p[bi], 0x02, 0), out);
		ck_assert_uint_eq(n, 1);
		ck_assert_int_eq(w_inject(&w, bi, out[0].b, out[0].len), 0);
	}
	ck_assert_uint_eq(t[0].ndone, 1);
	w_run(&w, w.now);
	ck_assert_uint_eq(fp_count(w.p[bi], 0x02), 5);
	ck_assert_uint_eq(w.b[bi]->n_inflight, 4);
	ck_assert_uint_eq(w.b[bi]->n_queued, 0);
	/* the rest */
	w.p[bi]->hold = false;
	for (unsigned k = 1; k < 5; k++) {
		struct fp_pkt out[FP_MAX_OUT];
		size_t n = fp_release(w.p[bi], (size_t)fp_find(w.p[bi], 0x02, k), out);
		ck_assert_uint_eq(n, 1);
		ck_assert_int_eq(w_inject(&w, bi, out[0].b, out[0].len), 0);
	}
	for (int i = 0; i < 5; i++) {
		uint8_t d = (uint8_t)i;
		assert_generic(&t[i], 0x02, &d, 1);
	}
	w_free(&w);
}
END_TEST

START_TEST(request_queue_full)
{
	struct world w;
	struct treq *t, busy;
	int bi;

	active_world(&w, &bi, 17);
	w.p[bi]->hold = true;
	t = calloc(4 + BMC_QUEUE_MAX, sizeof(*t));
	ck_assert_ptr_nonnull(t);
	for (int i = 0; i < 4 + BMC_QUEUE_MAX; i++) {
		treq_init(&t[i], &w, IPMI_NETFN_APP, 0x02, NULL, 0);
		ck_assert_int_eq(treq_submit(&w, bi, &t[i]), 0);
	}
	ck_assert_uint_eq(w.b[bi]->n_inflight, 4);
	ck_assert_uint_eq(w.b[bi]->n_queued, BMC_QUEUE_MAX);
	treq_init(&busy, &w, IPMI_NETFN_APP, 0x02, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &busy), BMC_ERR_BUSY);
	ck_assert_uint_eq(busy.ndone, 1);
	ck_assert_int_eq(busy.r.err, BMC_ERR_BUSY);
	ck_assert_uint_eq(w.b[bi]->n_queued, BMC_QUEUE_MAX);
	for (int i = 0; i < 4 + BMC_QUEUE_MAX; i++)
		ck_assert_uint_eq(t[i].ndone, 0);
	w_free(&w); /* fails them all */
	for (int i = 0; i < 4 + BMC_QUEUE_MAX; i++) {
		ck_assert_uint_eq(t[i].ndone, 1);
		ck_assert_int_eq(t[i].r.err, BMC_ERR_UNKNOWN);
	}
	free(t);
}
END_TEST

/* An answer to the first attempt arrives after the second one completed it. */
START_TEST(request_late_duplicate)
{
	struct world w;
	struct treq t;
	double t0;
	int bi;

	active_world(&w, &bi, 17);
	w.p[bi]->delay = 1.5;
	t0 = w.now;
	treq_init(&t, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	w_run(&w, t0 + 2);
	assert_generic(&t, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_double_eq_tol(t.done_at, t0 + 1.5, 1e-9);
	ck_assert_uint_eq(w.stats.late_responses, 0);
	w_run(&w, t0 + 3);
	ck_assert_uint_eq(fp_count(w.p[bi], IPMI_CMD_GET_DEVICE_ID), 2);
	ck_assert_uint_eq(t.ndone, 1); /* not delivered twice */
	ck_assert_uint_eq(w.stats.late_responses, 1);
	ck_assert_uint_eq(w.stats.responses, 1);
	ck_assert_int_eq(w.rx[w.nrx - 1].rc, 0);
	ck_assert(w.rx[w.nrx - 1].done);
	w_free(&w);
}
END_TEST

static const int mac_suites[] = { 3, 17 };

/* Forged (bad MAC), foreign and replayed packets change nothing. */
START_TEST(request_forged_and_replayed)
{
	struct world w;
	struct treq t;
	struct fp_pkt out[FP_MAX_OUT], bad;
	struct stats before;
	double last_rx;
	size_t n;
	long i;
	int bi, rc;

	active_world(&w, &bi, mac_suites[_i]);
	w.p[bi]->hold = true;
	treq_init(&t, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	w_run(&w, w.now + 0.5);
	i = fp_find(w.p[bi], IPMI_CMD_GET_DEVICE_ID, 0);
	ck_assert_int_ge(i, 0);
	n = fp_release(w.p[bi], (size_t)i, out);
	ck_assert_uint_eq(n, 1);
	before = w.stats;
	last_rx = w.b[bi]->last_rx;

	/* AuthCode damaged */
	bad = out[0];
	bad.b[bad.len - 1] ^= 0x01;
	rc = w_inject(&w, bi, bad.b, bad.len);
	ck_assert_int_eq(rc, IPMI_E_BAD_MAC);
	/* a payload byte damaged */
	bad = out[0];
	bad.b[LANPLUS_HDR_LEN + 3] ^= 0x80;
	ck_assert_int_lt(w_inject(&w, bi, bad.b, bad.len), 0);
	/* another session's id */
	bad = out[0];
	bad.b[6] ^= 0x55;
	ck_assert_int_eq(w_inject(&w, bi, bad.b, bad.len), IPMI_E_SESSION);
	/* truncated */
	ck_assert_int_lt(w_inject(&w, bi, out[0].b, 10), 0);
	ck_assert_uint_eq(t.ndone, 0);
	ck_assert_uint_eq(w.b[bi]->n_inflight, 1);
	ck_assert_double_eq(w.b[bi]->last_rx, last_rx);
	ck_assert_mem_eq(&w.stats, &before, sizeof(before));
	ck_assert_int_eq(w.b[bi]->state, BMC_ACTIVE);

	/* the genuine one, with the sequence number the forgeries carried */
	ck_assert_int_eq(w_inject(&w, bi, out[0].b, out[0].len), 0);
	assert_generic(&t, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	before = w.stats;
	/* replayed */
	ck_assert_int_eq(w_inject(&w, bi, out[0].b, out[0].len), IPMI_E_REPLAY);
	ck_assert_uint_eq(t.ndone, 1);
	ck_assert_mem_eq(&w.stats, &before, sizeof(before));
	w_free(&w);
}
END_TEST

/*
 * bmc_input() says whether a datagram was for this BMC: the pool offers a
 * datagram to every BMC at the source address until one returns 0.  Two
 * BMC entries for one host (say admin and operator): while one is setting
 * up its session, the other's session traffic must not be swallowed.
 */
START_TEST(input_not_mine_while_connecting)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	struct fp_pkt out[FP_MAX_OUT];
	struct treq t;
	bool answered;
	int a, b, rc_b, rc_junk;
	long i;

	w_init(&w, 4);
	a = w_add(&w, &cfg);
	b = w_add(&w, &cfg);
	w_activate(&w, a);
	w.p[b]->silent_steps = FP_OPEN;
	bmc_start(w.b[b], w.now);
	w_run(&w, w.now + 0.5);
	ck_assert_int_eq(w.b[b]->state, BMC_CONNECTING);
	ck_assert_ptr_nonnull(w.b[b]->hs);

	w.p[a]->hold = true;
	treq_init(&t, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, a, &t), 0);
	w_run(&w, w.now + 0.1);
	i = fp_find(w.p[a], IPMI_CMD_GET_DEVICE_ID, 0);
	ck_assert_int_ge(i, 0);
	ck_assert_uint_eq(fp_release(w.p[a], (size_t)i, out), 1);
	/* as pool_input does: b first, then a, stopping at the first 0 */
	rc_b = bmc_input(w.b[b], out[0].b, out[0].len, w.now);
	if (rc_b != 0)
		ck_assert_int_eq(bmc_input(w.b[a], out[0].b, out[0].len, w.now), 0);
	answered = t.ndone == 1 && t.r.err == 0;
	/* garbage is not claimed either */
	rc_junk = bmc_input(w.b[b], (const uint8_t *)"\x06\x00\xff\x07junk", 8, w.now);
	ck_assert_int_eq(w.b[b]->state, BMC_CONNECTING);
	w_free(&w);
	/*
	 * Regression (found here): in CONNECTING bmc_input() used to return 0
	 * for any datagram, even one its handshake ignored, so the pool stopped
	 * there and the other BMC's session at that address lost its answers.
	 */
	ck_assert_msg(rc_b < 0 && rc_junk < 0,
	              "a CONNECTING BMC claimed datagrams not for it (returned %d for another "
	              "session's answer, %d for junk)",
	              rc_b, rc_junk);
	ck_assert(answered);
}
END_TEST

/* ================================================================== */
/* session loss                                                        */
/* ================================================================== */

/*
 * The BMC restarts (forgets the session): the request's attempts go
 * unanswered, the session is declared lost, the BMC re-resolves and
 * reconnects, and the request completes on the new session.
 */
static const double idle_gaps[] = { 0, 5 };

START_TEST(session_loss_restart)
{
	struct world w;
	struct treq t[3];
	uint32_t old_sid;
	double t0, ts;
	int bi;

	active_world(&w, &bi, 17);
	t0 = w.now;
	old_sid = w.p[bi]->last_sid;
	w_run(&w, t0 + idle_gaps[_i]); /* last heard from the BMC at t0 */
	fp_restart(w.p[bi]);
	ts = w.now;
	for (int k = 0; k < 3; k++) {
		uint8_t d = (uint8_t)k;
		treq_init(&t[k], &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, &d, 1);
		ck_assert_int_eq(treq_submit(&w, bi, &t[k]), 0);
	}
	ck_assert(w_run_until_resolve(&w, bi, ts + 30));
	/* attempt 1, attempt 2, then two request timeouts of silence */
	ck_assert_double_eq_tol(w.now, ts + 2, 1e-9);
	ck_assert_uint_eq(w.p[bi]->n_unknown_sid, 6);
	ck_assert_uint_eq(w.b[bi]->n_inflight, 0);
	ck_assert_uint_eq(w.b[bi]->n_queued, 3); /* re-queued, not failed */
	for (int k = 0; k < 3; k++)
		ck_assert_uint_eq(t[k].ndone, 0);
	ck_assert_uint_eq(w.b[bi]->n_reconnects, 1);
	ck_assert_uint_eq(w.stats.reconnects, 1);
	ck_assert_uint_eq(w.n_resolve[bi], 2);
	ck_assert_ptr_nonnull(strstr(w.b[bi]->last_error, "no answer"));
	w_run(&w, ts + 6);
	ck_assert_int_eq(w.b[bi]->state, BMC_ACTIVE);
	for (int k = 0; k < 3; k++) {
		uint8_t d = (uint8_t)k;
		long i = fp_find(w.p[bi], IPMI_CMD_GET_DEVICE_ID, (unsigned)k);
		assert_generic(&t[k], IPMI_CMD_GET_DEVICE_ID, &d, 1);
		ck_assert_double_le(t[k].done_at, t[k].r.deadline);
		/* on the new session, in the original order */
		ck_assert_int_ge(i, 0);
		ck_assert_uint_ne(w.p[bi]->log[i].sid, old_sid);
		ck_assert_uint_eq(w.p[bi]->log[i].sid, w.p[bi]->last_sid);
		ck_assert_uint_eq(w.p[bi]->log[i].data[0], k);
	}
	ck_assert_uint_eq(fp_count(w.p[bi], IPMI_CMD_GET_DEVICE_ID), 3);
	ck_assert_uint_eq(w.stats.timeouts, 0);
	w_free(&w);
}
END_TEST

/* The BMC goes silent, then comes back while the BMC is reconnecting. */
START_TEST(session_loss_silent_then_back)
{
	struct world w;
	struct treq t;
	double ts;
	int bi;

	active_world(&w, &bi, 3);
	w_run(&w, w.now + 5);
	w.p[bi]->silent_steps = FP_ALL;
	ts = w.now;
	treq_init(&t, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	ck_assert(w_run_until_resolve(&w, bi, ts + 30));
	ck_assert_double_eq_tol(w.now, ts + 2, 1e-9);
	w_run(&w, ts + 2.5);
	ck_assert_int_eq(w.b[bi]->state, BMC_CONNECTING);
	ck_assert_uint_eq(w.n_resolve[bi], 2);
	/* back (restarted) before the set-up gives up */
	w.p[bi]->silent_steps = 0;
	fp_restart(w.p[bi]);
	w_run(&w, ts + 4);
	ck_assert_int_eq(w.b[bi]->state, BMC_ACTIVE);
	assert_generic(&t, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_double_eq_tol(t.done_at, ts + 3, 1e-9);
	ck_assert_double_le(t.done_at, t.r.deadline);
	ck_assert_uint_eq(w.b[bi]->n_reconnects, 1);
	w_free(&w);
}
END_TEST

/* Queued while no session is usable: fails at its deadline (BMC_ERR_LOST). */
START_TEST(queue_deadline_while_connecting)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	struct treq t, u;
	double t0;
	int bi;

	w_init(&w, 4);
	w.res_mode = W_RES_MANUAL; /* the resolver never answers */
	bi = w_add(&w, &cfg);
	t0 = w.now;
	bmc_start(w.b[bi], t0);
	treq_init(&t, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	ck_assert_double_eq_tol(t.r.deadline, t0 + 6, 1e-9); /* 1 s x 3 attempts x 2 */
	w_run(&w, t0 + 1);
	treq_init(&u, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &u), 0);
	w_run(&w, t0 + 5.99);
	ck_assert_uint_eq(t.ndone, 0);
	w_run(&w, t0 + 6.5);
	ck_assert_uint_eq(t.ndone, 1);
	ck_assert_int_eq(t.r.err, BMC_ERR_LOST);
	ck_assert_double_eq_tol(t.done_at, t0 + 6, 1e-9);
	ck_assert_uint_eq(u.ndone, 0);
	ck_assert_uint_eq(w.b[bi]->n_queued, 1);
	w_run(&w, t0 + 7.5);
	ck_assert_uint_eq(u.ndone, 1);
	ck_assert_double_eq_tol(u.done_at, t0 + 7, 1e-9);
	ck_assert_uint_eq(w.stats.timeouts, 2);
	ck_assert_int_eq(w.b[bi]->state, BMC_RESOLVING);
	w_free(&w);
}
END_TEST

/* The BMC stays silent: the re-queued request fails when set-up gives up. */
START_TEST(session_loss_silent_for_good)
{
	struct world w;
	struct treq t;
	double ts;
	int bi;

	active_world(&w, &bi, 3);
	w_run(&w, w.now + 5);
	w.p[bi]->silent_steps = FP_ALL;
	ts = w.now;
	treq_init(&t, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	w_run(&w, ts + 10);
	ck_assert_int_eq(w.b[bi]->state, BMC_BACKOFF);
	ck_assert_uint_eq(t.ndone, 1);
	ck_assert_int_ne(t.r.err, 0);
	ck_assert_double_le(t.done_at, t.r.deadline);
	w_free(&w);
}
END_TEST

/* ================================================================== */
/* keepalive                                                           */
/* ================================================================== */

START_TEST(keepalive_idle)
{
	struct world w;
	double t0, tk = -1;
	size_t before;
	int bi;

	active_world(&w, &bi, 17);
	t0 = w.now;
	before = w.ntx;
	w_run(&w, t0 + 0.75 * w.dcfg.keepalive_interval - 0.001);
	ck_assert_uint_eq(w.ntx, before);
	ck_assert_uint_eq(w.stats.keepalives, 0);
	w_run(&w, t0 + w.dcfg.keepalive_interval);
	ck_assert_uint_eq(w.stats.keepalives, 1);
	ck_assert_uint_eq(w.ntx, before + 1);
	ck_assert_uint_eq(w.p[bi]->n_keepalive, 1);
	tk = w.tx[before].at;
	ck_assert_double_ge(tk, t0 + 0.75 * w.dcfg.keepalive_interval);
	ck_assert_double_le(tk, t0 + w.dcfg.keepalive_interval);
	ck_assert_int_eq(w.b[bi]->state, BMC_ACTIVE);
	ck_assert_uint_eq(w.b[bi]->n_requests, 0); /* internal: not counted as a request */
	ck_assert_uint_eq(w.stats.requests, 0);
	/* the next one, again 0.75-1.0 intervals later */
	w_run(&w, tk + 0.75 * w.dcfg.keepalive_interval - 0.001);
	ck_assert_uint_eq(w.stats.keepalives, 1);
	w_run(&w, tk + w.dcfg.keepalive_interval);
	ck_assert_uint_eq(w.stats.keepalives, 2);
	ck_assert_uint_eq(w.b[bi]->n_reconnects, 0);
	w_free(&w);
}
END_TEST

START_TEST(keepalive_unanswered)
{
	struct world w;
	double t0, tk;
	int bi;

	active_world(&w, &bi, 17);
	t0 = w.now;
	w.p[bi]->drop_cmd = IPMI_CMD_GET_CHANNEL_AUTH_CAPS; /* in session only */
	w.p[bi]->drop_times = -1;
	ck_assert(w_run_until_resolve(&w, bi, t0 + 60));
	ck_assert_uint_eq(w.stats.keepalives, 1);
	ck_assert_uint_eq(w.p[bi]->n_keepalive, 2); /* sent, retransmitted */
	tk = w.tx[w.ntx - 2].at;
	ck_assert_double_eq_tol(w.now, tk + 1, 1e-9); /* the second attempt's deadline */
	ck_assert_double_ge(tk, t0 + 0.75 * w.dcfg.keepalive_interval);
	ck_assert_uint_eq(w.b[bi]->n_reconnects, 1);
	ck_assert_uint_eq(w.stats.reconnects, 1);
	ck_assert_uint_eq(w.b[bi]->n_queued, 0); /* the keepalive is not re-queued */
	ck_assert(w_run_pred(&w, w.now + 10, is_active, bi));
	w_free(&w);
}
END_TEST

/* ================================================================== */
/* handshake slots                                                     */
/* ================================================================== */

static void
slots_check(struct world *w)
{
	unsigned with_slot = 0, waiting = 0, listed = 0;
	struct bmc *b;

	for (size_t i = 0; i < w->nb; i++) {
		const struct bmc *x = w->b[i];
		with_slot += x->has_slot;
		waiting += x->waiting_slot;
		ck_assert(!(x->has_slot && x->waiting_slot));
		if (x->has_slot)
			ck_assert_int_eq(x->state, BMC_CONNECTING);
		if (x->state == BMC_CONNECTING)
			ck_assert(x->has_slot || x->waiting_slot);
	}
	TAILQ_FOREACH (b, &w->env.waiters, wait_link)
		listed++;
	ck_assert_uint_eq(listed, waiting);
	ck_assert_uint_eq(with_slot, w->env.handshakes);
	ck_assert_uint_le(with_slot, w->dcfg.max_handshakes);
	if (with_slot > w->max_slots_seen)
		w->max_slots_seen = with_slot;
}

START_TEST(handshake_slots)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	double t0, first_up;
	int n = 0;

	w_init(&w, 2);
	w.check = slots_check;
	w.auto_grant = false; /* first: nobody grants */
	for (int i = 0; i < 5; i++) {
		w_add(&w, &cfg);
		w.p[i]->delay = 0.1;
	}
	t0 = w.now;
	for (int i = 0; i < 5; i++)
		bmc_start(w.b[i], t0);
	slots_check(&w);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(w.b[i]->state, BMC_CONNECTING);
	ck_assert(w.b[0]->has_slot && w.b[1]->has_slot);
	for (int i = 2; i < 5; i++) {
		ck_assert(w.b[i]->waiting_slot);
		ck_assert_uint_eq(w_ntx(&w, i), 0);
	}
	w_run(&w, t0 + 5);
	ck_assert_int_eq(w.b[0]->state, BMC_ACTIVE);
	ck_assert_int_eq(w.b[1]->state, BMC_ACTIVE);
	ck_assert_uint_eq(w.n_released, 2);
	first_up = fmax(w_entered_at(&w, 0, BMC_ACTIVE, 0), w_entered_at(&w, 1, BMC_ACTIVE, 0));
	for (int i = 2; i < 5; i++) {
		ck_assert_int_eq(w.b[i]->state, BMC_CONNECTING); /* waiting never times out */
		ck_assert(w.b[i]->waiting_slot);
		ck_assert_uint_eq(w_ntx(&w, i), 0);
	}
	/* the pool grants */
	w.auto_grant = true;
	w.grant_pending = true;
	w_run(&w, t0 + 10);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(w.b[i]->state, BMC_ACTIVE);
		n += w.b[i]->state == BMC_ACTIVE;
	}
	ck_assert_int_eq(n, 5);
	ck_assert_uint_eq(w.max_slots_seen, 2);
	ck_assert_uint_eq(w.n_released, 5);
	ck_assert_uint_eq(w.stats.handshakes, 5);
	ck_assert_uint_eq(w.env.handshakes, 0);
	ck_assert(TAILQ_EMPTY(&w.env.waiters));
	/* the waiting ones sent nothing before they were granted */
	for (int i = 2; i < 5; i++)
		ck_assert_double_ge(w_first_tx(&w, i), t0 + 5);
	ck_assert_double_le(first_up, t0 + 5);
	w_free(&w);
}
END_TEST

/* Slots with the pool's grant from the start: never more than 2 at once. */
START_TEST(handshake_slots_auto)
{
	struct world w;
	struct config_bmc cfg = w_cfg(3);
	double t0, up[5];

	w_init(&w, 2);
	w.check = slots_check;
	for (int i = 0; i < 5; i++) {
		w_add(&w, &cfg);
		w.p[i]->delay = 0.1;
	}
	t0 = w.now;
	for (int i = 0; i < 5; i++)
		bmc_start(w.b[i], t0);
	w_run(&w, t0 + 10);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(w.b[i]->state, BMC_ACTIVE);
		up[i] = w_entered_at(&w, i, BMC_ACTIVE, 0);
	}
	ck_assert_uint_eq(w.max_slots_seen, 2);
	/* each hand-shake takes 5 round trips (0.5 s): 2 + 2 + 1 */
	ck_assert_double_eq_tol(up[0], t0 + 0.5, 1e-9);
	ck_assert_double_eq_tol(up[1], t0 + 0.5, 1e-9);
	ck_assert_double_eq_tol(up[2], t0 + 1.0, 1e-9);
	ck_assert_double_eq_tol(up[3], t0 + 1.0, 1e-9);
	ck_assert_double_eq_tol(up[4], t0 + 1.5, 1e-9);
	w_free(&w);
}
END_TEST

/* ================================================================== */
/* bridging                                                            */
/* ================================================================== */

static void
bridge_req(struct treq *t, struct world *w)
{
	static const uint8_t d[] = { 0x42 };

	treq_init(t, w, IPMI_NETFN_SENSOR, 0x2d, d, sizeof(d));
	t->r.bridge.depth = 1;
	t->r.bridge.channel = 0;
	t->r.bridge.addr = 0x72;
}

/* ipmi_sim: an empty Send Message response, then the answer on its own. */
START_TEST(bridge_separate)
{
	static const uint8_t d[] = { 0x42 };
	struct world w;
	struct treq t;
	struct fp_pkt out[FP_MAX_OUT];
	long i;
	int bi;

	active_world(&w, &bi, 17);
	w.p[bi]->bridge_mode = FP_BRIDGE_SEPARATE;
	w.p[bi]->hold = true;
	bridge_req(&t, &w);
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	w_run(&w, w.now + 0.1);
	i = fp_find(w.p[bi], IPMI_CMD_SEND_MESSAGE, 0);
	ck_assert_int_ge(i, 0);
	ck_assert(w.p[bi]->log[i].bridged);
	ck_assert_uint_eq(w.p[bi]->log[i].t_addr, 0x72);
	ck_assert_uint_eq(w.p[bi]->log[i].t_netfn, IPMI_NETFN_SENSOR);
	ck_assert_uint_eq(w.p[bi]->log[i].t_cmd, 0x2d);
	ck_assert_uint_eq(fp_release(w.p[bi], (size_t)i, out), 2);
	ck_assert_int_eq(w_inject(&w, bi, out[0].b, out[0].len), 0);
	ck_assert_uint_eq(t.ndone, 0); /* accepted, answer pending */
	ck_assert_uint_eq(w.b[bi]->n_inflight, 1);
	ck_assert_int_eq(w_inject(&w, bi, out[1].b, out[1].len), 0);
	assert_generic(&t, 0x2d, d, sizeof(d));
	ck_assert_uint_eq(w.stats.late_responses, 0);
	w_free(&w);
}
END_TEST

START_TEST(bridge_embedded)
{
	static const uint8_t d[] = { 0x42 };
	struct world w;
	struct treq t;
	int bi;

	active_world(&w, &bi, 3);
	w.p[bi]->bridge_mode = FP_BRIDGE_EMBEDDED;
	bridge_req(&t, &w);
	ck_assert_int_eq(treq_submit(&w, bi, &t), 0);
	w_run(&w, w.now + 0.1);
	ck_assert_uint_eq(fp_count(w.p[bi], IPMI_CMD_SEND_MESSAGE), 1);
	assert_generic(&t, 0x2d, d, sizeof(d));
	ck_assert_uint_eq(w.stats.late_responses, 0);
	w_free(&w);
}
END_TEST

/* ================================================================== */
/* close                                                               */
/* ================================================================== */

START_TEST(close_active)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	struct treq t[2], after;
	uint32_t bmc_sid;
	int bi;

	cfg.max_inflight = 1;
	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	w_activate(&w, bi);
	bmc_sid = w.p[bi]->last_sid;
	ck_assert_uint_eq(w.b[bi]->sess.tx_sid, bmc_sid);
	w.p[bi]->hold = true;
	for (int i = 0; i < 2; i++) {
		treq_init(&t[i], &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
		ck_assert_int_eq(treq_submit(&w, bi, &t[i]), 0);
	}
	w_run(&w, w.now + 0.1);
	ck_assert_uint_eq(w.b[bi]->n_inflight, 1);
	ck_assert_uint_eq(w.b[bi]->n_queued, 1);
	bmc_close(w.b[bi], w.now);
	ck_assert_int_eq(w.b[bi]->state, BMC_CLOSED);
	for (int i = 0; i < 2; i++) {
		ck_assert_uint_eq(t[i].ndone, 1);
		ck_assert_int_eq(t[i].r.err, BMC_ERR_UNKNOWN);
	}
	ck_assert(!bmc_closed(w.b[bi])); /* waiting for the answer */
	w_run(&w, w.now + 0.1);
	ck_assert_uint_eq(w.p[bi]->n_close, 1);
	ck_assert_uint_eq(w.p[bi]->close_sid, bmc_sid);
	ck_assert(bmc_closed(w.b[bi]));
	ck_assert(!w.b[bi]->have_sess);
	treq_init(&after, &w, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(treq_submit(&w, bi, &after), BMC_ERR_UNKNOWN);
	ck_assert_uint_eq(after.ndone, 1);
	w_free(&w);
}
END_TEST

START_TEST(close_unanswered)
{
	struct world w;
	double t0;
	int bi;

	active_world(&w, &bi, 17);
	w.p[bi]->silent_steps = FP_ALL;
	t0 = w.now;
	bmc_close(w.b[bi], t0);
	w_run(&w, t0 + 0.99);
	ck_assert_uint_eq(w.p[bi]->n_close, 1);
	ck_assert(!bmc_closed(w.b[bi]));
	w_run(&w, t0 + 1.01);
	ck_assert(bmc_closed(w.b[bi]));
	ck_assert(!w.b[bi]->have_sess);
	ck_assert_double_eq(bmc_next_deadline(w.b[bi]), INFINITY);
	w_free(&w);
}
END_TEST

/* Close while connecting: the slot goes back, nothing is sent. */
START_TEST(close_connecting)
{
	struct world w;
	struct config_bmc cfg = w_cfg(17);
	size_t before;
	int bi;

	w_init(&w, 4);
	bi = w_add(&w, &cfg);
	w.p[bi]->silent_steps = FP_OPEN;
	bmc_start(w.b[bi], w.now);
	w_run(&w, w.now + 0.5);
	ck_assert_int_eq(w.b[bi]->state, BMC_CONNECTING);
	ck_assert_uint_eq(w.env.handshakes, 1);
	before = w.ntx;
	bmc_close(w.b[bi], w.now);
	ck_assert(bmc_closed(w.b[bi]));
	ck_assert_uint_eq(w.env.handshakes, 0);
	ck_assert_uint_eq(w.n_released, 1);
	w_run(&w, w.now + 10);
	ck_assert_uint_eq(w.ntx, before);
	w_free(&w);
}
END_TEST

/* ================================================================== */
/* DNS refresh                                                         */
/* ================================================================== */

START_TEST(dns_refresh)
{
	struct world w;
	double t0;
	int bi;

	active_world(&w, &bi, 17);
	t0 = w.now;
	w_run(&w, t0 + 299);
	ck_assert_uint_eq(w.n_resolve[bi], 1);
	w_run(&w, t0 + 301);
	ck_assert_uint_eq(w.n_resolve[bi], 2); /* same address: nothing else */
	ck_assert_int_eq(w.b[bi]->state, BMC_ACTIVE);
	ck_assert_uint_eq(w.b[bi]->n_reconnects, 0);
	/* moved */
	w.addr_octet[bi] = 99;
	w_run(&w, t0 + 602);
	ck_assert_uint_eq(w.b[bi]->n_reconnects, 1);
	ck_assert_int_eq(w.b[bi]->state, BMC_ACTIVE);
	ck_assert_uint_eq(((struct sockaddr_in *)&w.b[bi]->addr)->sin_addr.s_addr,
	                  htonl(0xc0000200u | 99));
	w_free(&w);
}
END_TEST

/* ================================================================== */

static TCase *
tc(Suite *s, const char *name)
{
	TCase *t = tcase_create(name);

	tcase_set_timeout(t, 120);
	suite_add_tcase(s, t);
	return t;
}

int
main(void)
{
	Suite *s = suite_create("bmc");
	SRunner *sr;
	TCase *t;
	int nf;

	t = tc(s, "happy");
	tcase_add_loop_test(t, happy_fixed_suite, 0,
	                    sizeof(fixed_suites) / sizeof(fixed_suites[0]));
	tcase_add_test(t, happy_resolve_later);
	tcase_add_test(t, happy_priv_user);
	t = tc(s, "auto");
	tcase_add_test(t, auto_lists_3_17);
	tcase_add_test(t, auto_lists_0_to_14);
	tcase_add_test(t, auto_lists_whole_chunks);
	tcase_add_test(t, auto_listing_unanswered);
	tcase_add_test(t, auto_listing_unanswered_refused);
	tcase_add_loop_test(t, auto_open_refused, 0, sizeof(refusals));
	tcase_add_test(t, auto_listing_refused);
	tcase_add_test(t, fixed_suite_refused);
	tcase_add_test(t, auto_all_refused);
	tcase_add_test(t, auto_remembered_on_reconnect);
	t = tc(s, "refusals");
	tcase_add_test(t, downgrade_fixed);
	tcase_add_test(t, downgrade_auto);
	tcase_add_test(t, wrong_password);
	tcase_add_test(t, unknown_user);
	tcase_add_test(t, privilege_lowered);
	t = tc(s, "timeouts");
	tcase_add_loop_test(t, timeout_per_step, 0, sizeof(silent_steps) / sizeof(silent_steps[0]));
	tcase_add_test(t, backoff_doubles);
	tcase_add_test(t, backoff_cap_after_auth_failures);
	tcase_add_test(t, dns_failure);
	tcase_add_test(t, priv_answer_lost);
	t = tc(s, "requests");
	tcase_add_test(t, request_roundtrip);
	tcase_add_test(t, request_retransmit);
	tcase_add_test(t, request_unreachable_quarantine);
	tcase_add_test(t, request_max_inflight);
	tcase_add_test(t, request_queue_full);
	tcase_add_test(t, request_late_duplicate);
	tcase_add_loop_test(t, request_forged_and_replayed, 0,
	                    sizeof(mac_suites) / sizeof(mac_suites[0]));
	tcase_add_test(t, input_not_mine_while_connecting);
	t = tc(s, "session_loss");
	tcase_add_loop_test(t, session_loss_restart, 0, sizeof(idle_gaps) / sizeof(idle_gaps[0]));
	tcase_add_test(t, queue_deadline_while_connecting);
	tcase_add_test(t, session_loss_silent_then_back);
	tcase_add_test(t, session_loss_silent_for_good);
	t = tc(s, "keepalive");
	tcase_add_test(t, keepalive_idle);
	tcase_add_test(t, keepalive_unanswered);
	t = tc(s, "slots");
	tcase_add_test(t, handshake_slots);
	tcase_add_test(t, handshake_slots_auto);
	t = tc(s, "bridge");
	tcase_add_test(t, bridge_separate);
	tcase_add_test(t, bridge_embedded);
	t = tc(s, "close");
	tcase_add_test(t, close_active);
	tcase_add_test(t, close_unanswered);
	tcase_add_test(t, close_connecting);
	t = tc(s, "dns");
	tcase_add_test(t, dns_refresh);

	/* the state machine's log is noise here unless asked for */
	log_set_level(getenv("TEST_BMC_LOG") != NULL ? LOG_LVL_DEBUG : LOG_LVL_ERROR);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
