/*
 * rpc.h - JSON-RPC 2.0 for ipmipoold: framing-independent request handling
 * (one line in, zero or more response lines out), the method table, batch
 * and fan-out bookkeeping, access checks and the error mapping.
 *
 * Core module: no sockets, no libevent.  The transport (control.c) hands in
 * complete lines and provides a write function per client.  A client that
 * goes away is detached: its pending calls finish into nothing and free
 * themselves.
 */
#ifndef IPMIPOOL_RPC_H
#define IPMIPOOL_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "pool.h"

#define RPC_MAX_LINE     (64 * 1024)
#define RPC_MAX_DEPTH    32
#define RPC_MAX_INFLIGHT 1024 /* calls in flight per client */

/* JSON-RPC and ipmipool error codes (spec API.md). */
#define RPC_PARSE_ERROR      (-32700)
#define RPC_INVALID_REQUEST  (-32600)
#define RPC_METHOD_NOT_FOUND (-32601)
#define RPC_INVALID_PARAMS   (-32602)
#define RPC_INTERNAL_ERROR   (-32603)
#define RPC_DATA_INVALID     (-32000) /* data read from the BMC is invalid (e.g. FRU checksum) */
#define RPC_UNKNOWN_BMC      (-32001)
#define RPC_UNREACHABLE      (-32002)
#define RPC_AUTH_FAILED      (-32003)
#define RPC_COMPLETION_CODE  (-32004)
#define RPC_SESSION_LOST     (-32005)
#define RPC_BUSY             (-32006)
#define RPC_PERMISSION       (-32007)

struct rpc;
struct rpc_client;
struct rpc_call;

/* Writes one response (without the newline, NUL-terminated at len); returns 0 or -1. */
typedef int (*rpc_write_fn)(void *arg, const char *text, size_t len);
/* Reloads the configuration; 0 with res filled, or -1 with a reason. */
typedef int (*rpc_reload_fn)(void *arg, struct pool_reload *res, char *why, size_t len);

struct rpc *rpc_new(struct pool *pool, rpc_reload_fn reload, void *reload_arg);
void rpc_free(struct rpc *r);

/* A new connection; allowed/readonly come from the peer's credentials. */
struct rpc_client *rpc_client_new(struct rpc *r, rpc_write_fn write, void *arg, uid_t uid,
                                  bool allowed, bool readonly);
/* The transport is gone: no more writes; pending calls are dropped. */
void rpc_client_close(struct rpc_client *c);
/* Calls this client has in flight (for back-pressure). */
unsigned rpc_client_inflight(const struct rpc_client *c);

/* One complete request line (without its newline); line[len] must be NUL. */
void rpc_handle_line(struct rpc_client *c, const char *line, size_t len);
/* The line was longer than RPC_MAX_LINE: answers -32600. */
void rpc_line_too_long(struct rpc_client *c);

/* ---- for method implementations ---- */

struct rpc_method {
	const char *name;
	void (*fn)(struct rpc_call *call, json_object *params);
	unsigned flags;
	const char *summary;
};

#define RPC_F_WRITE  0x1 /* changes state: refused to read-only clients */
#define RPC_F_FANOUT 0x2 /* takes "bmc" or "bmcs" */

struct pool *rpc_call_pool(struct rpc_call *call);
struct rpc *rpc_call_rpc(struct rpc_call *call);
/* The BMC named by params.bmc, or NULL after answering the error. */
struct bmc *rpc_call_bmc(struct rpc_call *call, json_object *params);

/* Finishes the call.  Takes ownership of result. */
void rpc_call_result(struct rpc_call *call, json_object *result);
/* Finishes the call with a result already serialized: a JSON object as text, NUL-terminated. */
void rpc_call_result_text(struct rpc_call *call, const char *text, size_t len);
/* Finishes with an error; bmc may be NULL; extra (owned, may be NULL) is merged into data. */
void rpc_call_error(struct rpc_call *call, int code, const char *bmc, const char *detail,
                    json_object *extra);
/* Finishes with the error of a failed request (err is a BMC_ERR_* code). */
void rpc_call_request_error(struct rpc_call *call, const struct bmc *b, int err,
                            const char *detail);
/* -32602 naming the offending parameter. */
void rpc_call_bad_param(struct rpc_call *call, const char *param, const char *why);

/*
 * Reads an integer parameter in [min, max].  Missing and not required:
 * *out = dflt.  On a bad value the call is answered (-32602) and false
 * returned.
 */
bool rpc_param_uint(struct rpc_call *call, json_object *params, const char *name, bool required,
                    unsigned min, unsigned max, unsigned dflt, unsigned *out);
/* Reads a string parameter; NULL (and the call answered) when bad or missing. */
const char *rpc_param_str(struct rpc_call *call, json_object *params, const char *name,
                          bool required);

/* Reloads through the daemon's callback. */
int rpc_reload(struct rpc *r, struct pool_reload *res, char *why, size_t len);

/* The method table (for rpc.discover). */
const struct rpc_method *rpc_methods(size_t *n);

/* Counters for daemon.info. */
unsigned rpc_clients(const struct rpc *r);
double rpc_uptime(const struct rpc *r);

#endif
