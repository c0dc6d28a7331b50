/*
 * method_daemon.c - daemon.info, daemon.stats, daemon.reload.
 */
#include <unistd.h>

#include "methods.h"
#include "openrpc.h"
#include "rpc.h"

#ifndef IPMIPOOL_VERSION
#define IPMIPOOL_VERSION "unknown"
#endif

void
method_daemon_info(struct rpc_call *call, json_object *params)
{
	struct pool *pool = rpc_call_pool(call);
	json_object *o = json_object_new_object();

	(void)params;
	json_object_object_add(o, "version", json_object_new_string(IPMIPOOL_VERSION));
	json_object_object_add(o, "uptime", json_object_new_double(rpc_uptime(rpc_call_rpc(call))));
	json_object_object_add(o, "pid", json_object_new_int((int)getpid()));
	json_object_object_add(o, "bmcs", json_object_new_int64((int64_t)pool_count(pool)));
	json_object_object_add(o, "sessions_active",
	                       json_object_new_int64((int64_t)pool_active(pool)));
	json_object_object_add(o, "clients",
	                       json_object_new_int((int)rpc_clients(rpc_call_rpc(call))));
	rpc_call_result(call, o);
}

static void
method_counter(json_object *o, const char *name, uint64_t v)
{
	json_object_object_add(o, name, json_object_new_int64((int64_t)v));
}

void
method_daemon_stats(struct rpc_call *call, json_object *params)
{
	struct pool *pool = rpc_call_pool(call);
	const struct stats *s = pool_stats(pool);
	json_object *o = json_object_new_object(), *rej = json_object_new_object();

	(void)params;
	method_counter(o, "requests", s->requests);
	method_counter(o, "responses", s->responses);
	method_counter(o, "retries", s->retries);
	method_counter(o, "timeouts", s->timeouts);
	method_counter(o, "handshakes", s->handshakes);
	method_counter(o, "handshake_failures", s->handshake_failures);
	method_counter(o, "reconnects", s->reconnects);
	method_counter(o, "keepalives", s->keepalives);
	method_counter(o, "dns_lookups", s->dns_lookups);
	method_counter(o, "late_responses", s->late_responses);
	method_counter(rej, "bad_mac", s->rejected_bad_mac);
	method_counter(rej, "replay", s->rejected_replay);
	method_counter(rej, "unknown_session", s->rejected_unknown_session);
	method_counter(rej, "malformed", s->rejected_malformed);
	method_counter(rej, "unknown_source", pool_unknown_source(pool));
	json_object_object_add(o, "packets_rejected", rej);
	json_object_object_add(o, "p50_us", json_object_new_double(stats_percentile(s, 50)));
	json_object_object_add(o, "p99_us", json_object_new_double(stats_percentile(s, 99)));
	rpc_call_result(call, o);
}

void
method_daemon_reload(struct rpc_call *call, json_object *params)
{
	struct pool_reload res;
	char why[512];
	json_object *o;

	(void)params;
	if (rpc_reload(rpc_call_rpc(call), &res, why, sizeof(why)) < 0) {
		rpc_call_error(call, RPC_INVALID_PARAMS, NULL, why, NULL);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "added", json_object_new_int((int)res.added));
	json_object_object_add(o, "removed", json_object_new_int((int)res.removed));
	json_object_object_add(o, "changed", json_object_new_int((int)res.changed));
	json_object_object_add(o, "unchanged", json_object_new_int((int)res.unchanged));
	rpc_call_result(call, o);
}

void
method_rpc_discover(struct rpc_call *call, json_object *params)
{
	json_object *doc = json_tokener_parse(openrpc_json);

	(void)params;
	if (doc == NULL) {
		rpc_call_error(call, RPC_INTERNAL_ERROR, NULL,
		               "the built-in OpenRPC document is broken", NULL);
		return;
	}
	rpc_call_result(call, doc);
}
