/*
 * bmc.h - one BMC: its session state machine and its request queue.
 *
 * Core module (sans I/O): the shell hands in datagrams (bmc_input), DNS
 * answers (bmc_resolved) and the time (now, seconds on a monotonic clock),
 * calls bmc_tick() at bmc_next_deadline(), and sends what the BMC asks it
 * to through struct bmc_ops.  No libevent, no sockets, no clock here.
 *
 *   RESOLVING --> CONNECTING --> ACTIVE --(silence / restart)--> RESOLVING
 *       |              |                                          ^
 *       +--------------+--> BACKOFF (timeout, DNS) -- retry_at ----+
 *                      +--> FAILED  (authentication; retried slowly)
 *   any --> CLOSED (removed / shutdown; Close Session sent when active)
 */
#ifndef IPMIPOOL_BMC_H
#define IPMIPOOL_BMC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include "bridge.h"
#include "config.h"
#include "hsclient.h"
#include "lanplus.h"
#include "rng.h"
#include "stats.h"

enum bmc_state {
	BMC_RESOLVING,
	BMC_CONNECTING,
	BMC_ACTIVE,
	BMC_BACKOFF,
	BMC_FAILED,
	BMC_CLOSED,
};

/* JSON-RPC error codes a request can end with (spec API.md). */
#define BMC_ERR_UNKNOWN     (-32001)
#define BMC_ERR_UNREACHABLE (-32002)
#define BMC_ERR_AUTH        (-32003)
#define BMC_ERR_LOST        (-32005)
#define BMC_ERR_BUSY        (-32006)

#define BMC_QUEUE_MAX 256 /* queued requests per BMC */

struct bmc;
struct request;

typedef void (*request_done_fn)(struct request *r, void *arg);

/*
 * One IPMI command for a BMC.  Allocated and freed by the submitter; the
 * BMC holds it from bmc_submit() until it calls done (exactly once), after
 * which the BMC never touches it again.
 */
struct request {
	TAILQ_ENTRY(request) link;
	uint8_t netfn;
	uint8_t cmd;
	uint8_t lun;
	struct bridge_path bridge;
	uint8_t data[IPMIMSG_MAX_DATA];
	uint8_t data_len;
	/* result */
	int err;                       /* 0, or a BMC_ERR_* code */
	char detail[160];              /* why, when err != 0 */
	uint8_t rsp[IPMIMSG_MAX_DATA]; /* response data; rsp[0] is the completion code */
	uint8_t rsp_len;
	/* bookkeeping */
	struct bmc *bmc; /* set by bmc_submit(); valid until done returns */
	double submitted;
	double deadline;
	double attempt_deadline;
	uint8_t attempts;
	uint8_t rq_seq;
	bool internal;
	request_done_fn done;
	void *arg;
};

TAILQ_HEAD(request_list, request);
TAILQ_HEAD(bmc_list, bmc);

struct bmc_ops {
	/* Sends a datagram to the BMC's current address. */
	int (*send)(void *arg, struct bmc *b, const uint8_t *pkt, size_t len);
	/* Starts resolving b->cfg.host; the answer comes through bmc_resolved(). */
	void (*resolve)(void *arg, struct bmc *b);
	/* The state changed (old -> b->state). */
	void (*state_changed)(void *arg, struct bmc *b, enum bmc_state old);
	/* A handshake slot was released: the pool may start a waiting BMC. */
	void (*slot_released)(void *arg);
	/* b is being freed: drop its decoded-data caches (may be NULL). */
	void (*free_caches)(void *arg, struct bmc *b);
};

/* What every BMC shares; owned by the pool. */
struct bmc_env {
	const struct bmc_ops *ops;
	void *ops_arg;
	struct stats *stats;
	const struct config_daemon *dcfg;
	const struct rng *rng;
	unsigned handshakes;     /* set-ups in flight pool-wide */
	struct bmc_list waiters; /* BMCs waiting for a handshake slot */
};

struct bmc {
	void *ctx;                  /* the shell's per-BMC data (timer, DNS, demux) */
	TAILQ_ENTRY(bmc) link;      /* pool's list */
	TAILQ_ENTRY(bmc) wait_link; /* pool's handshake wait list */
	bool waiting_slot;
	bool has_slot;
	struct bmc_env *env;
	struct config_bmc cfg;
	enum bmc_state state;
	double since;

	struct sockaddr_storage addr;
	socklen_t addr_len;
	double resolved_at;

	/* session set-up */
	struct hsclient *hs; /* while connecting; owned */
	uint8_t *probe;      /* cipher suite records being gathered; owned */
	size_t probe_len;
	uint8_t probe_idx;
	int suite;          /* in use or chosen; -1 unknown */
	int suite_pref_idx; /* auto fallback position in cfg.cipher_suites */
	double step_deadline;
	uint8_t step_attempts;
	uint8_t rakp3_attempts; /* RAKP3 attempt number carried over a restart, or 0 */
	uint8_t pre_seq;        /* rqSeq for pre-session probes */

	/* session */
	struct lanplus_sess sess;
	bool have_sess;
	uint8_t next_seq;
	uint64_t seq_busy;        /* rqSeqs of requests in flight */
	uint64_t quarantine_mask; /* rqSeqs of timed-out requests ... */
	double quarantine_until;  /* ... not reused before this */
	double last_tx;
	double last_rx;
	double keepalive_at;
	double refresh_at;

	/* requests */
	struct request_list queue;
	struct request_list inflight;
	unsigned n_queued;
	unsigned n_inflight;

	/* failure handling */
	double backoff;
	double retry_at;

	/* decoded-data caches (cache.h), allocated on first use; owned */
	struct sdr_cache *sdr_cache;
	struct sel_cache *sel_cache;

	/* counters for bmc.status */
	uint64_t n_requests;
	uint64_t n_retries;
	uint64_t n_errors;
	uint64_t n_reconnects;
	char last_error[160];
	bool last_error_auth;
};

/* Allocates a BMC for cfg (copied); it does nothing until bmc_start(). */
struct bmc *bmc_new(struct bmc_env *env, const struct config_bmc *cfg);
/* Fails every request (err, detail), drops the session, wipes and frees. */
void bmc_free(struct bmc *b, int err, const char *detail);

void bmc_start(struct bmc *b, double now);
/* DNS answer: sa (len) on success, or NULL and a reason. */
void bmc_resolved(struct bmc *b, const struct sockaddr *sa, socklen_t len, const char *err,
                  double now);
/* The pool grants a handshake slot to a waiting BMC. */
void bmc_slot_granted(struct bmc *b, double now);
/* A datagram from the BMC's address: 0 if it was for this BMC, else negative. */
int bmc_input(struct bmc *b, const uint8_t *pkt, size_t len, double now);
void bmc_tick(struct bmc *b, double now);
double bmc_next_deadline(const struct bmc *b);

/* Queues r; returns 0, or fails it at once (done called) and returns its err. */
int bmc_submit(struct bmc *b, struct request *r, double now);

/* Drops the session (Close Session sent) and starts over. */
void bmc_reconnect(struct bmc *b, double now);
/* Sends Close Session when active and enters CLOSED; requests fail. */
void bmc_close(struct bmc *b, double now);
/* True when nothing more is expected from the BMC (close answered or given up). */
bool bmc_closed(const struct bmc *b);

const char *bmc_state_name(enum bmc_state s);
const char *bmc_privilege_name(uint8_t priv);

#endif
