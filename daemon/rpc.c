/*
 * rpc.c - JSON-RPC 2.0 request handling: parse, validate, check access,
 * dispatch by the method table, fan out over BMC globs, gather batches and
 * write responses.
 *
 * Ownership: a struct rpc_call lives from dispatch until it is finished
 * (rpc_call_result/rpc_call_error), exactly once.  Calls hold a reference
 * on their client; a closed client stays allocated until its last call
 * finishes, and nothing is written to it any more.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "methods.h"
#include "rpc.h"

struct rpc {
	struct pool *pool;
	rpc_reload_fn reload;
	void *reload_arg;
	struct json_tokener *tok; /* reused for every line (reset before each) */
	unsigned clients;
	double started;
};

struct rpc_client {
	struct rpc *rpc;
	rpc_write_fn write;
	void *arg;
	uid_t uid;
	bool allowed;
	bool readonly;
	bool closed;
	unsigned refs;
	unsigned inflight;
};

struct rpc_batch {
	json_object *responses;
	unsigned pending;
};

struct rpc_call {
	struct rpc *rpc;
	struct rpc_client *client;
	json_object *id; /* owned; NULL is JSON null */
	bool reply;      /* false for a notification */
	struct rpc_batch *batch;
	struct rpc_call *parent; /* fan-out parent */
	char *bmc_name;          /* fan-out child: key in the parent's results */
	json_object *results;    /* fan-out parent: gathered results */
	unsigned pending;        /* fan-out parent: children not finished */
};

static const struct rpc_method rpc_table[] = {
	{ "bmc.list", method_bmc_list, 0, "List every BMC with its session state" },
	{ "bmc.status", method_bmc_status, RPC_F_FANOUT, "State and counters of one BMC" },
	{ "bmc.add", method_bmc_add, RPC_F_WRITE, "Add a BMC at runtime (not written to disk)" },
	{ "bmc.remove", method_bmc_remove, RPC_F_WRITE | RPC_F_FANOUT,
	  "Close the session and forget the BMC" },
	{ "bmc.reconnect", method_bmc_reconnect, RPC_F_WRITE | RPC_F_FANOUT,
	  "Drop and re-establish the session" },
	{ "ipmi.raw", method_ipmi_raw, RPC_F_WRITE | RPC_F_FANOUT,
	  "Send a raw IPMI command (optionally bridged)" },
	{ "mc.info", method_mc_info, RPC_F_FANOUT, "Get Device ID, decoded" },
	{ "chassis.status", method_chassis_status, RPC_F_FANOUT, "Get Chassis Status, decoded" },
	{ "chassis.power", method_chassis_power, RPC_F_WRITE | RPC_F_FANOUT,
	  "Chassis Control: on, off, cycle, reset, soft, diag" },
	{ "chassis.bootdev", method_chassis_bootdev, RPC_F_WRITE | RPC_F_FANOUT,
	  "Set the next boot device (boot flags, as ipmitool chassis bootdev)" },
	{ "sensor.read", method_sensor_read, RPC_F_FANOUT, "One sensor reading, converted" },
	{ "sdr.info", method_sdr_info, RPC_F_FANOUT, "SDR repository information" },
	{ "sdr.list", method_sdr_list, RPC_F_FANOUT,
	  "Every sensor with its converted reading (SDR cache per BMC)" },
	{ "sel.info", method_sel_info, RPC_F_FANOUT, "Get SEL Info, decoded" },
	{ "sel.list", method_sel_list, RPC_F_FANOUT,
	  "The System Event Log, decoded as ipmitool sel list (SEL cache per BMC)" },
	{ "sel.clear", method_sel_clear, RPC_F_WRITE | RPC_F_FANOUT, "Clear the System Event Log" },
	{ "fru.info", method_fru_info, RPC_F_FANOUT, "Get FRU Inventory Area Info, decoded" },
	{ "fru.read", method_fru_read, RPC_F_FANOUT,
	  "Read and decode a FRU's chassis, board and product areas" },
	{ "daemon.info", method_daemon_info, 0, "Version, uptime and counts" },
	{ "daemon.stats", method_daemon_stats, 0, "Request, session and packet counters" },
	{ "daemon.reload", method_daemon_reload, RPC_F_WRITE, "Re-read the configuration" },
	{ "rpc.discover", method_rpc_discover, 0, "This API as an OpenRPC document" },
};

const struct rpc_method *
rpc_methods(size_t *n)
{
	*n = sizeof(rpc_table) / sizeof(rpc_table[0]);
	return rpc_table;
}

struct rpc *
rpc_new(struct pool *pool, rpc_reload_fn reload, void *reload_arg)
{
	struct rpc *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->pool = pool;
	r->reload = reload;
	r->reload_arg = reload_arg;
	r->started = pool_now();
	if ((r->tok = json_tokener_new_ex(RPC_MAX_DEPTH)) == NULL) {
		free(r);
		return NULL;
	}
	json_tokener_set_flags(r->tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	return r;
}

void
rpc_free(struct rpc *r)
{
	if (r == NULL)
		return;
	json_tokener_free(r->tok);
	free(r);
}

unsigned
rpc_clients(const struct rpc *r)
{
	return r->clients;
}

double
rpc_uptime(const struct rpc *r)
{
	return pool_now() - r->started;
}

int
rpc_reload(struct rpc *r, struct pool_reload *res, char *why, size_t len)
{
	return r->reload(r->reload_arg, res, why, len);
}

/* ---- clients ---- */

struct rpc_client *
rpc_client_new(struct rpc *r, rpc_write_fn write, void *arg, uid_t uid, bool allowed, bool readonly)
{
	struct rpc_client *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->rpc = r;
	c->write = write;
	c->arg = arg;
	c->uid = uid;
	c->allowed = allowed;
	c->readonly = readonly;
	c->refs = 1;
	r->clients++;
	return c;
}

static void
rpc_client_unref(struct rpc_client *c)
{
	if (--c->refs == 0)
		free(c);
}

void
rpc_client_close(struct rpc_client *c)
{
	if (c == NULL)
		return;
	c->closed = true;
	c->rpc->clients--;
	rpc_client_unref(c);
}

unsigned
rpc_client_inflight(const struct rpc_client *c)
{
	return c->inflight;
}

/* v as one line of compact JSON, owned by v; NULL when out of memory. */
static const char *
rpc_json_text(json_object *v, size_t *len)
{
	return json_object_to_json_string_length(
	    v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
}

static void
rpc_client_send(struct rpc_client *c, json_object *obj)
{
	size_t len;
	const char *text;

	if (c->closed)
		return;
	if ((text = rpc_json_text(obj, &len)) != NULL)
		c->write(c->arg, text, len);
}

/* ---- responses ---- */

static json_object *
rpc_error_object(int code, const char *bmc, const char *detail, json_object *extra)
{
	json_object *err = json_object_new_object(), *data = json_object_new_object();
	const char *msg;

	switch (code) {
	case RPC_PARSE_ERROR:
		msg = "Parse error";
		break;
	case RPC_INVALID_REQUEST:
		msg = "Invalid Request";
		break;
	case RPC_METHOD_NOT_FOUND:
		msg = "Method not found";
		break;
	case RPC_INVALID_PARAMS:
		msg = "Invalid params";
		break;
	case RPC_DATA_INVALID:
		msg = "BMC data invalid";
		break;
	case RPC_UNKNOWN_BMC:
		msg = "Unknown BMC";
		break;
	case RPC_UNREACHABLE:
		msg = "BMC unreachable";
		break;
	case RPC_AUTH_FAILED:
		msg = "Authentication failed";
		break;
	case RPC_COMPLETION_CODE:
		msg = "IPMI completion code";
		break;
	case RPC_SESSION_LOST:
		msg = "Session lost, being re-established";
		break;
	case RPC_BUSY:
		msg = "Busy";
		break;
	case RPC_PERMISSION:
		msg = "Permission denied";
		break;
	default:
		msg = "Internal error";
		break;
	}
	json_object_object_add(err, "code", json_object_new_int(code));
	json_object_object_add(err, "message", json_object_new_string(msg));
	if (bmc != NULL)
		json_object_object_add(data, "bmc", json_object_new_string(bmc));
	json_object_object_add(data, "detail",
	                       json_object_new_string(detail != NULL ? detail : msg));
	if (extra != NULL) {
		json_object_object_foreach (extra, k, v)
			json_object_object_add(data, k, json_object_get(v));
		json_object_put(extra);
	}
	json_object_object_add(err, "data", data);
	return err;
}

static json_object *
rpc_envelope(json_object *id, const char *key, json_object *val)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(o, key, val);
	json_object_object_add(o, "id", id != NULL ? json_object_get(id) : NULL);
	return o;
}

/* Copies s[0..len) to buf + n; returns the new length. */
static size_t
rpc_put(char *buf, size_t n, const char *s, size_t len)
{
	memcpy(buf + n, s, len);
	return n + len;
}

/*
 * Writes {"jsonrpc":"2.0","KEY":TEXT,"id":ID} to call's client: the envelope
 * as text around an already serialized result or error.
 */
static void
rpc_send_envelope(struct rpc_call *call, const char *key, const char *text, size_t len)
{
	static const char head[] = "{\"jsonrpc\":\"2.0\",\"", mid[] = ",\"id\":";
	struct rpc_client *c = call->client;
	char stack[1024], *buf = stack;
	const char *id = "null";
	size_t idlen = 4, keylen = strlen(key), need, n = 0;

	if (c == NULL || c->closed)
		return;
	if (call->id != NULL && (id = rpc_json_text(call->id, &idlen)) == NULL)
		return;
	need = sizeof(head) + keylen + 2 + len + sizeof(mid) + idlen + 1;
	if (need > sizeof(stack) && (buf = malloc(need)) == NULL)
		return;
	n = rpc_put(buf, n, head, sizeof(head) - 1);
	n = rpc_put(buf, n, key, keylen);
	n = rpc_put(buf, n, "\":", 2);
	n = rpc_put(buf, n, text, len);
	n = rpc_put(buf, n, mid, sizeof(mid) - 1);
	n = rpc_put(buf, n, id, idlen);
	buf[n++] = '}';
	buf[n] = '\0';
	c->write(c->arg, buf, n);
	if (buf != stack)
		free(buf);
}

static void
rpc_call_free(struct rpc_call *call)
{
	if (call->client != NULL) {
		call->client->inflight--;
		rpc_client_unref(call->client);
	}
	json_object_put(call->id);
	json_object_put(call->results);
	free(call->bmc_name);
	free(call);
}

static void rpc_child_done(struct rpc_call *child, const char *key, json_object *val);

/* Delivers a finished call: to its fan-out parent, its batch, or the client. */
static void
rpc_call_finish(struct rpc_call *call, const char *key, json_object *val)
{
	struct rpc_batch *batch;
	json_object *resp;

	if (call->parent != NULL) {
		rpc_child_done(call, key, val);
		rpc_call_free(call);
		return;
	}
	if (!call->reply) { /* notification: no reply */
		json_object_put(val);
		rpc_call_free(call);
		return;
	}
	if (call->batch == NULL) {
		size_t len;
		const char *text = rpc_json_text(val, &len);

		if (text != NULL)
			rpc_send_envelope(call, key, text, len);
		json_object_put(val);
		rpc_call_free(call);
		return;
	}
	/* In a batch: collected, sent with the last answer. */
	resp = rpc_envelope(call->id, key, val);
	batch = call->batch;
	json_object_array_add(batch->responses, resp);
	if (--batch->pending == 0) {
		if (json_object_array_length(batch->responses) > 0)
			rpc_client_send(call->client, batch->responses);
		json_object_put(batch->responses);
		free(batch);
	}
	rpc_call_free(call);
}

void
rpc_call_result_text(struct rpc_call *call, const char *text, size_t len)
{
	json_object *result;

	if (call->parent == NULL && call->batch == NULL) {
		if (call->reply)
			rpc_send_envelope(call, "result", text, len);
		rpc_call_free(call);
		return;
	}
	/* Fan-out and batches collect trees: rebuild it (our own text: it parses). */
	result = json_tokener_parse(text);
	rpc_call_result(call, result);
}

void
rpc_call_result(struct rpc_call *call, json_object *result)
{
	rpc_call_finish(call, "result", result != NULL ? result : json_object_new_object());
}

void
rpc_call_error(struct rpc_call *call, int code, const char *bmc, const char *detail,
               json_object *extra)
{
	rpc_call_finish(call, "error", rpc_error_object(code, bmc, detail, extra));
}

void
rpc_call_bad_param(struct rpc_call *call, const char *param, const char *why)
{
	char detail[192];

	snprintf(detail, sizeof(detail), "param '%s': %s", param, why);
	json_object *extra = json_object_new_object();

	json_object_object_add(extra, "param", json_object_new_string(param));
	rpc_call_error(call, RPC_INVALID_PARAMS, NULL, detail, extra);
}

void
rpc_call_request_error(struct rpc_call *call, const struct bmc *b, int err, const char *detail)
{
	rpc_call_error(call, err, b != NULL ? b->cfg.name : NULL, detail, NULL);
}

static void
rpc_child_done(struct rpc_call *child, const char *key, json_object *val)
{
	struct rpc_call *parent = child->parent;

	if (strcmp(key, "error") == 0) {
		json_object *wrap = json_object_new_object();
		json_object_object_add(wrap, "error", val);
		val = wrap;
	}
	json_object_object_add(parent->results, child->bmc_name, val);
	if (--parent->pending == 0) {
		json_object *res = json_object_new_object();
		json_object_object_add(res, "results", parent->results);
		parent->results = NULL;
		rpc_call_result(parent, res);
	}
}

struct pool *
rpc_call_pool(struct rpc_call *call)
{
	return call->rpc->pool;
}

struct rpc *
rpc_call_rpc(struct rpc_call *call)
{
	return call->rpc;
}

struct bmc *
rpc_call_bmc(struct rpc_call *call, json_object *params)
{
	json_object *v;
	struct bmc *b;
	const char *name;

	if (!json_object_object_get_ex(params, "bmc", &v)) {
		rpc_call_bad_param(call, "bmc", "required");
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		rpc_call_bad_param(call, "bmc", "must be a string");
		return NULL;
	}
	name = json_object_get_string(v);
	if ((b = pool_find(call->rpc->pool, name)) == NULL) {
		char detail[160];
		snprintf(detail, sizeof(detail), "no BMC named '%.100s'", name);
		rpc_call_error(call, RPC_UNKNOWN_BMC, name, detail, NULL);
		return NULL;
	}
	return b;
}

bool
rpc_param_uint(struct rpc_call *call, json_object *params, const char *name, bool required,
               unsigned min, unsigned max, unsigned dflt, unsigned *out)
{
	json_object *v;
	int64_t n;
	char why[96];

	if (!json_object_object_get_ex(params, name, &v) || v == NULL) {
		if (required) {
			rpc_call_bad_param(call, name, "required");
			return false;
		}
		*out = dflt;
		return true;
	}
	if (!json_object_is_type(v, json_type_int)) {
		rpc_call_bad_param(call, name, "must be an integer");
		return false;
	}
	n = json_object_get_int64(v);
	if (n < min || n > max) {
		snprintf(why, sizeof(why), "must be between %u and %u", min, max);
		rpc_call_bad_param(call, name, why);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

const char *
rpc_param_str(struct rpc_call *call, json_object *params, const char *name, bool required)
{
	json_object *v;

	if (!json_object_object_get_ex(params, name, &v) || v == NULL) {
		if (required)
			rpc_call_bad_param(call, name, "required");
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		rpc_call_bad_param(call, name, "must be a string");
		return NULL;
	}
	return json_object_get_string(v);
}

/* ---- dispatch ---- */

static struct rpc_call *
rpc_call_new(struct rpc_client *c, json_object *id, bool reply, struct rpc_batch *batch)
{
	struct rpc_call *call = calloc(1, sizeof(*call));

	if (call == NULL)
		return NULL;
	call->rpc = c->rpc;
	call->client = c;
	c->refs++;
	c->inflight++;
	call->id = id != NULL ? json_object_get(id) : NULL;
	call->reply = reply;
	call->batch = batch;
	if (batch != NULL && reply)
		batch->pending++;
	return call;
}

static const struct rpc_method *
rpc_find(const char *name)
{
	for (size_t i = 0; i < sizeof(rpc_table) / sizeof(rpc_table[0]); i++)
		if (strcmp(rpc_table[i].name, name) == 0)
			return &rpc_table[i];
	return NULL;
}

static bool
rpc_valid_id(json_object *id)
{
	return id == NULL || json_object_is_type(id, json_type_string) ||
	       json_object_is_type(id, json_type_int) || json_object_is_type(id, json_type_double);
}

/* "bmcs": [names or globs] -> one child call per matching BMC. */
static void
rpc_fan_out(struct rpc_call *call, const struct rpc_method *m, json_object *params,
            json_object *globs)
{
	struct pool *pool = call->rpc->pool;
	size_t n = json_object_array_length(globs);
	struct bmc *b;

	for (size_t i = 0; i < n; i++)
		if (!json_object_is_type(json_object_array_get_idx(globs, i), json_type_string)) {
			rpc_call_bad_param(call, "bmcs", "must be an array of names or globs");
			return;
		}
	/* Names first: a method (bmc.remove) may change the list. */
	size_t n_names = 0, cap = pool_count(pool);
	char **names = calloc(cap + 1, sizeof(*names));
	if (names == NULL) {
		rpc_call_error(call, RPC_INTERNAL_ERROR, NULL, "out of memory", NULL);
		return;
	}
	for (b = pool_first(pool); b != NULL && n_names < cap; b = pool_next(pool, b)) {
		bool match = false;
		for (size_t i = 0; i < n && !match; i++)
			match = fnmatch(json_object_get_string(json_object_array_get_idx(globs, i)),
			                b->cfg.name, 0) == 0;
		if (match && (names[n_names] = strdup(b->cfg.name)) != NULL)
			n_names++;
	}
	call->results = json_object_new_object();
	call->pending = 1; /* held while children are created */
	for (size_t k = 0; k < n_names; k++) {
		struct rpc_call *child = calloc(1, sizeof(*child));
		json_object *cp = NULL;
		if (child == NULL || json_object_deep_copy(params, &cp, NULL) != 0) {
			free(child);
			free(names[k]);
			continue;
		}
		child->rpc = call->rpc;
		child->parent = call;
		child->bmc_name = names[k]; /* owned by the child now */
		call->pending++;
		json_object_object_del(cp, "bmcs");
		json_object_object_add(cp, "bmc", json_object_new_string(child->bmc_name));
		m->fn(child, cp);
		json_object_put(cp);
	}
	free(names);
	if (--call->pending == 0) {
		json_object *res = json_object_new_object();
		json_object_object_add(res, "results", call->results);
		call->results = NULL;
		rpc_call_result(call, res);
	}
}

/* Invalid Request: answered with id null even without an id (JSON-RPC 2.0 §5). */
static void
rpc_call_invalid(struct rpc_call *call, const char *detail)
{
	if (!call->reply) {
		call->reply = true;
		if (call->batch != NULL)
			call->batch->pending++;
	}
	rpc_call_error(call, RPC_INVALID_REQUEST, NULL, detail, NULL);
}

static void
rpc_dispatch(struct rpc_client *c, json_object *req, struct rpc_batch *batch)
{
	json_object *id = NULL, *v, *params = NULL, *globs;
	const struct rpc_method *m;
	struct rpc_call *call;
	bool is_obj = json_object_is_type(req, json_type_object);
	bool has_id = is_obj && json_object_object_get_ex(req, "id", &id);
	const char *method;

	/* Invalid requests are answered (with id null), never ignored. */
	call = rpc_call_new(c, rpc_valid_id(id) ? id : NULL, has_id || !is_obj || !rpc_valid_id(id),
	                    batch);
	if (call == NULL)
		return;
	if (!is_obj) {
		rpc_call_error(call, RPC_INVALID_REQUEST, NULL, "request must be an object", NULL);
		return;
	}
	if (!rpc_valid_id(id)) {
		rpc_call_error(call, RPC_INVALID_REQUEST, NULL,
		               "\"id\" must be a string or a number", NULL);
		return;
	}
	if (!json_object_object_get_ex(req, "jsonrpc", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "2.0") != 0) {
		rpc_call_invalid(call, "\"jsonrpc\" must be \"2.0\"");
		return;
	}
	if (!json_object_object_get_ex(req, "method", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		rpc_call_invalid(call, "\"method\" must be a string");
		return;
	}
	method = json_object_get_string(v);
	if (json_object_object_get_ex(req, "params", &params) && params != NULL &&
	    !json_object_is_type(params, json_type_object)) {
		if (json_object_is_type(params, json_type_array))
			rpc_call_error(call, RPC_INVALID_PARAMS, NULL,
			               "params must be an object (parameters by name)", NULL);
		else
			rpc_call_invalid(call, "\"params\" must be an object");
		return;
	}
	if (!c->allowed) {
		rpc_call_error(call, RPC_PERMISSION, NULL, "this uid may not use ipmipoold", NULL);
		return;
	}
	if (c->inflight > RPC_MAX_INFLIGHT) {
		rpc_call_error(call, RPC_BUSY, NULL,
		               "too many requests in flight on this connection", NULL);
		return;
	}
	if ((m = rpc_find(method)) == NULL) {
		char detail[160];
		snprintf(detail, sizeof(detail), "unknown method '%.100s'", method);
		rpc_call_error(call, RPC_METHOD_NOT_FOUND, NULL, detail, NULL);
		return;
	}
	if ((m->flags & RPC_F_WRITE) && c->readonly) {
		rpc_call_error(call, RPC_PERMISSION, NULL, "read-only client", NULL);
		return;
	}
	json_object *empty = NULL;
	if (params == NULL)
		params = empty = json_object_new_object();
	if (json_object_object_get_ex(params, "bmcs", &globs)) {
		if (!(m->flags & RPC_F_FANOUT))
			rpc_call_bad_param(call, "bmcs", "this method does not fan out");
		else if (!json_object_is_type(globs, json_type_array))
			rpc_call_bad_param(call, "bmcs", "must be an array of names or globs");
		else if (json_object_object_get_ex(params, "bmc", NULL))
			rpc_call_bad_param(call, "bmcs", "give either bmc or bmcs, not both");
		else
			rpc_fan_out(call, m, params, globs);
	} else {
		m->fn(call, params);
	}
	json_object_put(empty);
}

static void
rpc_reply_bare_error(struct rpc_client *c, int code, const char *detail)
{
	json_object *resp = rpc_envelope(NULL, "error", rpc_error_object(code, NULL, detail, NULL));

	rpc_client_send(c, resp);
	json_object_put(resp);
}

void
rpc_line_too_long(struct rpc_client *c)
{
	char detail[96];

	snprintf(detail, sizeof(detail), "request longer than %d bytes", RPC_MAX_LINE);
	rpc_reply_bare_error(c, RPC_INVALID_REQUEST, detail);
}

static bool
rpc_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

void
rpc_handle_line(struct rpc_client *c, const char *line, size_t len)
{
	struct json_tokener *tok = c->rpc->tok;
	json_object *root;
	enum json_tokener_error jerr;
	size_t used;

	if (rpc_blank(line, len))
		return;
	if (len > RPC_MAX_LINE) {
		rpc_line_too_long(c);
		return;
	}
	json_tokener_reset(tok);
	/* Including the terminating NUL tells json-c the value ends here ("5"). */
	root = json_tokener_parse_ex(tok, line, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	used = json_tokener_get_parse_end(tok);
	if (jerr != json_tokener_success || used > len + 1 ||
	    (used < len && !rpc_blank(line + used, len - used))) {
		char detail[128];
		snprintf(detail, sizeof(detail), "%s",
		         jerr == json_tokener_continue  ? "incomplete JSON value"
		         : jerr != json_tokener_success ? json_tokener_error_desc(jerr)
		                                        : "trailing data after the JSON value");
		json_object_put(root);
		rpc_reply_bare_error(c, RPC_PARSE_ERROR, detail);
		return;
	}
	if (json_object_is_type(root, json_type_array)) {
		size_t n = json_object_array_length(root);
		struct rpc_batch *b;

		if (n == 0) {
			rpc_reply_bare_error(c, RPC_INVALID_REQUEST, "empty batch");
		} else if ((b = calloc(1, sizeof(*b))) != NULL) {
			b->responses = json_object_new_array();
			b->pending = 1; /* held while dispatching */
			for (size_t i = 0; i < n; i++)
				rpc_dispatch(c, json_object_array_get_idx(root, i), b);
			if (--b->pending == 0) {
				if (json_object_array_length(b->responses) > 0)
					rpc_client_send(c, b->responses);
				json_object_put(b->responses);
				free(b);
			}
		}
	} else if (json_object_is_type(root, json_type_object)) {
		rpc_dispatch(c, root, NULL);
	} else {
		rpc_reply_bare_error(c, RPC_INVALID_REQUEST,
		                     "request must be an object or an array");
	}
	json_object_put(root);
}
