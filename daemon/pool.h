/*
 * pool.h - every BMC the daemon knows, the shared UDP sockets, DNS, timers
 * and the handshake limit: the shell around struct bmc.
 *
 * The pool owns its BMCs and the current configuration.  After every call
 * into a BMC it re-arms that BMC's one timer at bmc_next_deadline().
 */
#ifndef IPMIPOOL_POOL_H
#define IPMIPOOL_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "bmc.h"
#include "config.h"
#include "stats.h"

struct event_base;
struct pool;

struct pool_reload {
	unsigned added, removed, changed, unchanged;
};

/* Takes ownership of cfg. */
struct pool *pool_new(struct event_base *base, struct config *cfg);
void pool_free(struct pool *p);

/* Monotonic seconds. */
double pool_now(void);
/* The wall-clock time (Unix seconds) of a pool_now() instant. */
double pool_wall(double mono);

const struct config *pool_config(const struct pool *p);
struct stats *pool_stats(struct pool *p);
uint64_t pool_unknown_source(const struct pool *p);

/* BMCs in name order of creation; NULL-safe iteration. */
struct bmc *pool_first(struct pool *p);
struct bmc *pool_next(struct pool *p, struct bmc *b);
size_t pool_count(const struct pool *p);
size_t pool_active(const struct pool *p);
struct bmc *pool_find(struct pool *p, const char *name);

/* Adds and starts a BMC (runtime ones survive reloads). */
int pool_add(struct pool *p, const struct config_bmc *cfg, bool runtime);
/* Closes the session at the BMC and forgets it. */
int pool_remove(struct pool *p, const char *name);
void pool_reconnect(struct pool *p, struct bmc *b);
/* Hands a request to b (request->done runs exactly once). */
int pool_submit(struct pool *p, struct bmc *b, struct request *r);

/* Swaps in a new configuration (owned): adds, removes, restarts changed BMCs. */
void pool_reload(struct pool *p, struct config *cfg, struct pool_reload *res);

/*
 * Closes every session at its BMC; done runs when all are answered or
 * after a bounded wait.
 */
void pool_shutdown(struct pool *p, void (*done)(void *), void *arg);

/* Called on every state change (for sd_notify STATUS=). */
void pool_on_change(struct pool *p, void (*fn)(void *), void *arg);

#endif
