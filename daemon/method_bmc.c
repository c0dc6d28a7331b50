/*
 * method_bmc.c - bmc.list, bmc.status, bmc.add, bmc.remove, bmc.reconnect.
 */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "methods.h"
#include "rpc.h"

static json_object *
method_iso_time(double unix_time)
{
	char buf[32];
	time_t t = (time_t)unix_time;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return NULL;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_object_new_string(buf);
}

static json_object *
method_address(const struct bmc *b)
{
	char buf[INET6_ADDRSTRLEN] = "";

	if (b->addr_len == 0)
		return NULL;
	if (b->addr.ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)&b->addr)->sin_addr, buf,
		          sizeof(buf));
	else
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&b->addr)->sin6_addr, buf,
		          sizeof(buf));
	return json_object_new_string(buf);
}

json_object *
method_bmc_state(const struct bmc *b)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(b->cfg.name));
	json_object_object_add(o, "host", json_object_new_string(b->cfg.host));
	json_object_object_add(o, "address", method_address(b));
	json_object_object_add(o, "port", json_object_new_int(b->cfg.port));
	json_object_object_add(o, "state", json_object_new_string(bmc_state_name(b->state)));
	json_object_object_add(o, "cipher_suite",
	                       b->suite >= 0 ? json_object_new_int(b->suite) : NULL);
	json_object_object_add(o, "privilege",
	                       json_object_new_string(bmc_privilege_name(b->cfg.privilege)));
	json_object_object_add(o, "since", method_iso_time(pool_wall(b->since)));
	json_object_object_add(o, "requests", json_object_new_int64((int64_t)b->n_requests));
	json_object_object_add(o, "retries", json_object_new_int64((int64_t)b->n_retries));
	json_object_object_add(o, "errors", json_object_new_int64((int64_t)b->n_errors));
	json_object_object_add(o, "reconnects", json_object_new_int64((int64_t)b->n_reconnects));
	json_object_object_add(o, "last_error",
	                       b->last_error[0] != '\0' ? json_object_new_string(b->last_error)
	                                                : NULL);
	json_object_object_add(o, "queued", json_object_new_int((int)b->n_queued));
	json_object_object_add(o, "inflight", json_object_new_int((int)b->n_inflight));
	return o;
}

void
method_bmc_list(struct rpc_call *call, json_object *params)
{
	struct pool *pool = rpc_call_pool(call);
	json_object *arr = json_object_new_array(), *res = json_object_new_object();

	(void)params;
	for (struct bmc *b = pool_first(pool); b != NULL; b = pool_next(pool, b))
		json_object_array_add(arr, method_bmc_state(b));
	json_object_object_add(res, "bmcs", arr);
	rpc_call_result(call, res);
}

void
method_bmc_status(struct rpc_call *call, json_object *params)
{
	struct bmc *b = rpc_call_bmc(call, params);

	if (b != NULL)
		rpc_call_result(call, method_bmc_state(b));
}

/* Params of bmc.add as key/value strings for the config validators. */
#define METHOD_ADD_MAX 16

void
method_bmc_add(struct rpc_call *call, json_object *params)
{
	struct pool *pool = rpc_call_pool(call);
	const char *keys[METHOD_ADD_MAX], *values[METHOD_ADD_MAX], *name;
	char numbuf[METHOD_ADD_MAX][24], why[200];
	struct config_bmc cfg;
	size_t n = 0;
	int rc;

	if ((name = rpc_param_str(call, params, "name", true)) == NULL)
		return;
	json_object_object_foreach (params, k, v) {
		if (strcmp(k, "name") == 0)
			continue;
		if (n == METHOD_ADD_MAX) {
			rpc_call_bad_param(call, k, "too many parameters");
			return;
		}
		if (json_object_is_type(v, json_type_string)) {
			values[n] = json_object_get_string(v);
		} else if (json_object_is_type(v, json_type_int)) {
			snprintf(numbuf[n], sizeof(numbuf[n]), "%lld",
			         (long long)json_object_get_int64(v));
			values[n] = numbuf[n];
		} else {
			rpc_call_bad_param(call, k, "must be a string or an integer");
			return;
		}
		keys[n++] = k;
	}
	if (pool_find(pool, name) != NULL) {
		rpc_call_bad_param(call, "name", "a BMC with this name exists");
		return;
	}
	rc = config_bmc_from_params(pool_config(pool), &cfg, name, keys, values, n, why,
	                            sizeof(why));
	if (rc < 0) {
		json_object *extra = json_object_new_object();
		json_object_object_add(extra, "param", json_object_new_string(name));
		rpc_call_error(call, RPC_INVALID_PARAMS, name, why, extra);
		crypto_wipe(&cfg, sizeof(cfg));
		return;
	}
	rc = pool_add(pool, &cfg, true);
	crypto_wipe(&cfg, sizeof(cfg));
	if (rc < 0) {
		rpc_call_error(call, RPC_INTERNAL_ERROR, name, "cannot add the BMC", NULL);
		return;
	}
	rpc_call_result(call, method_bmc_state(pool_find(pool, name)));
}

void
method_bmc_remove(struct rpc_call *call, json_object *params)
{
	struct bmc *b = rpc_call_bmc(call, params);

	if (b == NULL)
		return;
	pool_remove(rpc_call_pool(call), b->cfg.name);
	rpc_call_result(call, json_object_new_object());
}

void
method_bmc_reconnect(struct rpc_call *call, json_object *params)
{
	struct bmc *b = rpc_call_bmc(call, params);

	if (b == NULL)
		return;
	pool_reconnect(rpc_call_pool(call), b);
	rpc_call_result(call, method_bmc_state(b));
}
