/*
 * pool.c - the set of BMCs and the libevent plumbing around them: one timer
 * per BMC, DNS requests, the shared UDP sockets, the pool-wide handshake
 * limit and deferred freeing of removed BMCs.
 *
 * Lifetime: a removed BMC leaves the name list (and the name index) at once;
 * it is freed from a deferred callback once its Close Session was answered or
 * timed out, never inside one of its own callbacks.
 *
 * Timers: a BMC's timer is re-armed only when its next deadline moved
 * earlier; a timer that fires early finds nothing due (bmc_tick is
 * idempotent) and re-arms.  Deadlines further than POOL_COARSE_AFTER away
 * (keepalives, DNS refresh, backoff) are rounded up to POOL_COARSE_TICK so
 * that idle BMCs wake the daemon together rather than one by one.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "cache.h"
#include "dns.h"
#include "log.h"
#include "pool.h"
#include "udp.h"

#define POOL_SHUTDOWN_WAIT 3.0  /* s at most for Close Session answers */
#define POOL_COARSE_AFTER  2.0  /* s: deadlines further away are rounded up */
#define POOL_COARSE_TICK   0.25 /* s */
#define POOL_MIN_BUCKETS   64   /* name index size at start (a power of two) */

struct pool_bmc {
	struct pool *pool;
	struct bmc *b;
	struct event *timer;
	struct dns_req *dns;
	struct pool_bmc *name_next; /* chain in pool's name index */
	double armed;               /* deadline the timer is set for, or INFINITY */
	uint32_t udp_token;
	bool registered;
	bool runtime;
	bool removed;
	TAILQ_ENTRY(pool_bmc) dead_link;
};

TAILQ_HEAD(pool_bmc_list, pool_bmc);

struct pool {
	struct event_base *base;
	struct config *cfg;
	struct stats stats;
	struct bmc_env env;
	struct bmc_list bmcs;
	size_t n_bmcs;
	struct pool_bmc **names; /* name index: chained hash, n_names buckets */
	size_t n_names;
	struct rng_buffer random; /* behind rng: IVs, session ids, nonces */
	struct rng rng;
	struct pool_bmc_list dead;
	struct event *reaper;
	struct event *grant;
	struct udp *udp;
	struct dns *dns;
	void (*shutdown_done)(void *);
	void *shutdown_arg;
	struct event *shutdown_timer;
	void (*on_change)(void *);
	void *on_change_arg;
};

double
pool_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
pool_wall(double mono)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 - (pool_now() - mono);
}

static struct pool_bmc *
pool_ctx(struct bmc *b)
{
	return b->ctx;
}

/* Re-arms b's timer if its next deadline moved earlier; schedules reaping if it is done. */
static void
pool_rearm(struct pool_bmc *pb)
{
	double when = bmc_next_deadline(pb->b), now, d;
	struct timeval tv;

	if (pb->removed && bmc_closed(pb->b)) {
		event_del(pb->timer);
		pb->armed = INFINITY;
		event_active(pb->pool->reaper, 0, 0);
		return;
	}
	if (when >= pb->armed)
		return; /* fires early or on time; pool_timer_cb re-arms */
	now = pool_now();
	if (when - now > POOL_COARSE_AFTER)
		when = ceil(when / POOL_COARSE_TICK) * POOL_COARSE_TICK;
	pb->armed = when;
	d = fmax(0, when - now) + 0.0005;
	tv.tv_sec = (time_t)d;
	tv.tv_usec = (suseconds_t)((d - (double)tv.tv_sec) * 1e6);
	event_add(pb->timer, &tv);
}

static void
pool_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pool_bmc *pb = arg;

	(void)fd;
	(void)what;
	pb->armed = INFINITY;
	bmc_tick(pb->b, pool_now());
	pool_rearm(pb);
}

/* ---- ops for the core ---- */

static int
pool_op_send(void *arg, struct bmc *b, const uint8_t *pkt, size_t len)
{
	struct pool *p = arg;
	struct pool_bmc *pb = pool_ctx(b);

	if (!pb->registered && udp_register(p->udp, b, &pb->udp_token) == 0)
		pb->registered = true;
	return udp_send(p->udp, (struct sockaddr *)&b->addr, b->addr_len, pkt, len);
}

static void
pool_dns_done(void *arg, const struct sockaddr *sa, socklen_t len, const char *err)
{
	struct pool_bmc *pb = arg;
	struct pool *p = pb->pool;

	pb->dns = NULL;
	if (sa != NULL && pb->registered &&
	    (pb->b->addr_len != len || memcmp(&pb->b->addr, sa, len) != 0)) {
		udp_unregister(p->udp, pb->b, pb->udp_token);
		pb->registered = false;
	}
	bmc_resolved(pb->b, sa, len, err, pool_now());
	if (!pb->registered && pb->b->addr_len > 0 &&
	    udp_register(p->udp, pb->b, &pb->udp_token) == 0)
		pb->registered = true;
	pool_rearm(pb);
}

static void
pool_op_resolve(void *arg, struct bmc *b)
{
	struct pool *p = arg;
	struct pool_bmc *pb = pool_ctx(b);

	dns_cancel(pb->dns);
	pb->dns = NULL;
	pb->dns = dns_resolve(p->dns, b->cfg.host, b->cfg.port, pool_dns_done, pb);
}

static void
pool_op_state(void *arg, struct bmc *b, enum bmc_state old)
{
	struct pool *p = arg;

	(void)b;
	(void)old;
	if (p->on_change != NULL)
		p->on_change(p->on_change_arg);
}

static void
pool_op_slot_released(void *arg)
{
	struct pool *p = arg;

	/* Grant from a fresh callback, not inside the releasing BMC's call. */
	if (!TAILQ_EMPTY(&p->env.waiters))
		event_active(p->grant, 0, 0);
}

static void
pool_op_free_caches(void *arg, struct bmc *b)
{
	(void)arg;
	sdr_cache_free(b->sdr_cache);
	sel_cache_free(b->sel_cache);
	b->sdr_cache = NULL;
	b->sel_cache = NULL;
}

static const struct bmc_ops pool_ops = {
	.send = pool_op_send,
	.resolve = pool_op_resolve,
	.state_changed = pool_op_state,
	.slot_released = pool_op_slot_released,
	.free_caches = pool_op_free_caches,
};

static void
pool_grant_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pool *p = arg;
	struct bmc *b;

	(void)fd;
	(void)what;
	while (p->env.handshakes < p->cfg->daemon.max_handshakes &&
	       (b = TAILQ_FIRST(&p->env.waiters)) != NULL) {
		bmc_slot_granted(b, pool_now());
		pool_rearm(pool_ctx(b));
	}
}

/* ---- datagrams ---- */

static void
pool_input(void *arg, struct bmc *const *bmcs, size_t n, const uint8_t *pkt, size_t len)
{
	struct pool *p = arg;
	double now = pool_now();
	int err = 0;

	for (size_t i = 0; i < n; i++) {
		err = bmc_input(bmcs[i], pkt, len, now);
		pool_rearm(pool_ctx(bmcs[i]));
		if (err == 0)
			return;
	}
	stats_reject(&p->stats, err);
}

/* ---- name index ---- */

/* FNV-1a: names are short, chosen by the operator, not by the network. */
static size_t
pool_name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name != '\0'; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	return h;
}

static struct pool_bmc **
pool_name_slot(struct pool *p, const char *name)
{
	return &p->names[pool_name_hash(name) & (p->n_names - 1)];
}

/* Doubles the index when it is full; on allocation failure chains just get longer. */
static void
pool_name_grow(struct pool *p)
{
	size_t n = p->n_names * 2, i;
	struct pool_bmc **names, *pb, *next;

	if (p->n_bmcs < p->n_names || (names = calloc(n, sizeof(*names))) == NULL)
		return;
	for (i = 0; i < p->n_names; i++) {
		for (pb = p->names[i]; pb != NULL; pb = next) {
			struct pool_bmc **slot = &names[pool_name_hash(pb->b->cfg.name) & (n - 1)];
			next = pb->name_next;
			pb->name_next = *slot;
			*slot = pb;
		}
	}
	free(p->names);
	p->names = names;
	p->n_names = n;
}

static void
pool_name_insert(struct pool *p, struct pool_bmc *pb)
{
	struct pool_bmc **slot = pool_name_slot(p, pb->b->cfg.name);

	pb->name_next = *slot;
	*slot = pb;
	pool_name_grow(p);
}

static void
pool_name_remove(struct pool *p, struct pool_bmc *pb)
{
	struct pool_bmc **slot = pool_name_slot(p, pb->b->cfg.name);

	while (*slot != NULL && *slot != pb)
		slot = &(*slot)->name_next;
	if (*slot == pb)
		*slot = pb->name_next;
	pb->name_next = NULL;
}

/* ---- BMC lifecycle ---- */

static void
pool_bmc_free(struct pool_bmc *pb, int err, const char *detail)
{
	struct pool *p = pb->pool;

	dns_cancel(pb->dns);
	if (pb->registered)
		udp_unregister(p->udp, pb->b, pb->udp_token);
	event_free(pb->timer);
	bmc_free(pb->b, err, detail);
	free(pb);
}

static void
pool_reaper_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pool *p = arg;
	struct pool_bmc *pb, *next;

	(void)fd;
	(void)what;
	for (pb = TAILQ_FIRST(&p->dead); pb != NULL; pb = next) {
		next = TAILQ_NEXT(pb, dead_link);
		if (!bmc_closed(pb->b))
			continue;
		TAILQ_REMOVE(&p->dead, pb, dead_link);
		pool_bmc_free(pb, BMC_ERR_UNKNOWN, "BMC removed");
	}
	if (p->shutdown_done != NULL && TAILQ_EMPTY(&p->dead) && TAILQ_EMPTY(&p->bmcs)) {
		void (*done)(void *) = p->shutdown_done;
		p->shutdown_done = NULL;
		done(p->shutdown_arg);
	}
}

int
pool_add(struct pool *p, const struct config_bmc *cfg, bool runtime)
{
	struct pool_bmc *pb;

	if (pool_find(p, cfg->name) != NULL)
		return -EEXIST;
	if ((pb = calloc(1, sizeof(*pb))) == NULL)
		return -ENOMEM;
	pb->pool = p;
	pb->runtime = runtime;
	pb->armed = INFINITY;
	pb->b = bmc_new(&p->env, cfg);
	pb->timer = pb->b != NULL ? evtimer_new(p->base, pool_timer_cb, pb) : NULL;
	if (pb->timer == NULL) {
		bmc_free(pb->b, 0, "");
		free(pb);
		return -ENOMEM;
	}
	pb->b->ctx = pb;
	TAILQ_INSERT_TAIL(&p->bmcs, pb->b, link);
	p->n_bmcs++;
	pool_name_insert(p, pb);
	bmc_start(pb->b, pool_now());
	pool_rearm(pb);
	return 0;
}

/* Takes b out of the name list; it is freed once its session is closed. */
static void
pool_retire(struct pool *p, struct bmc *b)
{
	struct pool_bmc *pb = pool_ctx(b);

	TAILQ_REMOVE(&p->bmcs, b, link);
	p->n_bmcs--;
	pool_name_remove(p, pb);
	pb->removed = true;
	dns_cancel(pb->dns);
	pb->dns = NULL;
	TAILQ_INSERT_TAIL(&p->dead, pb, dead_link);
	bmc_close(b, pool_now());
	pool_rearm(pb);
}

int
pool_remove(struct pool *p, const char *name)
{
	struct bmc *b = pool_find(p, name);

	if (b == NULL)
		return -ENOENT;
	pool_retire(p, b);
	return 0;
}

void
pool_reconnect(struct pool *p, struct bmc *b)
{
	(void)p;
	bmc_reconnect(b, pool_now());
	pool_rearm(pool_ctx(b));
}

int
pool_submit(struct pool *p, struct bmc *b, struct request *r)
{
	int rc;

	(void)p;
	rc = bmc_submit(b, r, pool_now());
	pool_rearm(pool_ctx(b));
	return rc;
}

struct bmc *
pool_find(struct pool *p, const char *name)
{
	struct pool_bmc *pb;

	for (pb = *pool_name_slot(p, name); pb != NULL; pb = pb->name_next)
		if (strcmp(pb->b->cfg.name, name) == 0)
			return pb->b;
	return NULL;
}

struct bmc *
pool_first(struct pool *p)
{
	return TAILQ_FIRST(&p->bmcs);
}

struct bmc *
pool_next(struct pool *p, struct bmc *b)
{
	(void)p;
	return TAILQ_NEXT(b, link);
}

size_t
pool_count(const struct pool *p)
{
	return p->n_bmcs;
}

size_t
pool_active(const struct pool *p)
{
	const struct bmc *b;
	size_t n = 0;

	TAILQ_FOREACH (b, &p->bmcs, link)
		n += b->state == BMC_ACTIVE;
	return n;
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
	return udp_unknown_source(p->udp);
}

void
pool_on_change(struct pool *p, void (*fn)(void *), void *arg)
{
	p->on_change = fn;
	p->on_change_arg = arg;
}

struct pool *
pool_new(struct event_base *base, struct config *cfg)
{
	struct pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->base = base;
	p->cfg = cfg;
	TAILQ_INIT(&p->bmcs);
	TAILQ_INIT(&p->dead);
	TAILQ_INIT(&p->env.waiters);
	p->n_names = POOL_MIN_BUCKETS;
	p->names = calloc(p->n_names, sizeof(*p->names));
	p->env.ops = &pool_ops;
	p->env.ops_arg = p;
	p->env.stats = &p->stats;
	p->env.dcfg = &cfg->daemon;
	p->rng = rng_buffered(&p->random);
	p->env.rng = &p->rng;
	p->reaper = event_new(base, -1, 0, pool_reaper_cb, p);
	p->grant = event_new(base, -1, 0, pool_grant_cb, p);
	p->udp = udp_new(base, pool_input, p);
	p->dns = dns_new(base, cfg->daemon.resolv_conf, "/etc/hosts");
	if (p->names == NULL || p->reaper == NULL || p->grant == NULL || p->udp == NULL ||
	    p->dns == NULL) {
		pool_free(p);
		return NULL;
	}
	for (size_t i = 0; i < cfg->n_bmcs; i++)
		if (pool_add(p, &cfg->bmcs[i], false) < 0)
			log_warnx("%s: cannot add", cfg->bmcs[i].name);
	/* Each BMC has its own copy now (and compares against it on reload). */
	config_drop_bmcs(cfg);
	return p;
}

void
pool_free(struct pool *p)
{
	struct pool_bmc *pb;
	struct bmc *b;

	if (p == NULL)
		return;
	while ((b = TAILQ_FIRST(&p->bmcs)) != NULL) {
		TAILQ_REMOVE(&p->bmcs, b, link);
		pool_bmc_free(pool_ctx(b), BMC_ERR_UNKNOWN, "daemon stopping");
	}
	while ((pb = TAILQ_FIRST(&p->dead)) != NULL) {
		TAILQ_REMOVE(&p->dead, pb, dead_link);
		pool_bmc_free(pb, BMC_ERR_UNKNOWN, "daemon stopping");
	}
	if (p->shutdown_timer != NULL)
		event_free(p->shutdown_timer);
	if (p->reaper != NULL)
		event_free(p->reaper);
	if (p->grant != NULL)
		event_free(p->grant);
	udp_free(p->udp);
	dns_free(p->dns);
	config_free(p->cfg);
	free(p->names);
	rng_buffer_wipe(&p->random);
	free(p);
}

void
pool_reload(struct pool *p, struct config *cfg, struct pool_reload *res)
{
	struct bmc *b, *next;

	memset(res, 0, sizeof(*res));
	/* Removed or changed: retire. Runtime-added BMCs stay unless redefined. */
	for (b = TAILQ_FIRST(&p->bmcs); b != NULL; b = next) {
		const struct config_bmc *nb = config_find_bmc(cfg, b->cfg.name);
		next = TAILQ_NEXT(b, link);
		if (nb == NULL && pool_ctx(b)->runtime)
			continue;
		if (nb == NULL) {
			res->removed++;
			pool_retire(p, b);
		} else if (!config_bmc_equal(nb, &b->cfg)) {
			res->changed++;
			pool_retire(p, b);
		} else {
			res->unchanged++;
		}
	}
	config_free(p->cfg);
	p->cfg = cfg;
	p->env.dcfg = &cfg->daemon;
	for (size_t i = 0; i < cfg->n_bmcs; i++) {
		if (pool_find(p, cfg->bmcs[i].name) != NULL)
			continue;
		if (pool_add(p, &cfg->bmcs[i], false) == 0) {
			bool was_changed = false;
			struct pool_bmc *pb;
			TAILQ_FOREACH (pb, &p->dead, dead_link)
				if (strcmp(pb->b->cfg.name, cfg->bmcs[i].name) == 0)
					was_changed = true;
			if (!was_changed)
				res->added++;
		}
	}
	config_drop_bmcs(cfg);
}

static void
pool_shutdown_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct pool *p = arg;
	void (*done)(void *) = p->shutdown_done;

	(void)fd;
	(void)what;
	if (done == NULL)
		return;
	log_warnx("shutdown: not every BMC answered Close Session");
	p->shutdown_done = NULL;
	done(p->shutdown_arg);
}

void
pool_shutdown(struct pool *p, void (*done)(void *), void *arg)
{
	struct timeval tv = { (time_t)POOL_SHUTDOWN_WAIT, 0 };
	struct bmc *b;

	p->shutdown_done = done;
	p->shutdown_arg = arg;
	p->shutdown_timer = evtimer_new(p->base, pool_shutdown_timeout, p);
	if (p->shutdown_timer != NULL)
		evtimer_add(p->shutdown_timer, &tv);
	while ((b = TAILQ_FIRST(&p->bmcs)) != NULL)
		pool_retire(p, b);
	event_active(p->reaper, 0, 0);
}
