/*
 * method_ipmi.c - ipmi.raw and the parameter parsing shared by every method
 * that sends IPMI commands (data bytes, bridge).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods.h"
#include "rpc.h"

/* Lower-case hex of p[0..n) into out (2 * n + 1 bytes), NUL-terminated. */
static void
method_hex_text(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

json_object *
method_hex(const uint8_t *p, size_t n)
{
	char buf[2 * IPMIMSG_MAX_DATA + 1];

	method_hex_text(p, n > IPMIMSG_MAX_DATA ? IPMIMSG_MAX_DATA : n, buf);
	return json_object_new_string(buf);
}

static int
method_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "data": hex string ("0a1b", spaces allowed) or array of bytes. */
static bool
method_parse_data(struct rpc_call *call, json_object *params, uint8_t *out, uint8_t *len)
{
	json_object *v;
	size_t n = 0;

	*len = 0;
	if (!json_object_object_get_ex(params, "data", &v) || v == NULL)
		return true;
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		int hi = -1;
		for (; *s != '\0'; s++) {
			int d;
			if (*s == ' ' || *s == ':')
				continue;
			if ((d = method_hexval((unsigned char)*s)) < 0) {
				rpc_call_bad_param(call, "data", "not a hex string");
				return false;
			}
			if (hi < 0) {
				hi = d;
				continue;
			}
			if (n == IPMIMSG_MAX_DATA - 8) {
				rpc_call_bad_param(call, "data", "too long");
				return false;
			}
			out[n++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
		if (hi >= 0) {
			rpc_call_bad_param(call, "data", "odd number of hex digits");
			return false;
		}
	} else if (json_object_is_type(v, json_type_array)) {
		size_t m = json_object_array_length(v);
		if (m > IPMIMSG_MAX_DATA - 8) {
			rpc_call_bad_param(call, "data", "too long");
			return false;
		}
		for (size_t i = 0; i < m; i++) {
			json_object *e = json_object_array_get_idx(v, i);
			int64_t b;
			if (!json_object_is_type(e, json_type_int) ||
			    (b = json_object_get_int64(e)) < 0 || b > 255) {
				rpc_call_bad_param(call, "data",
				                   "array elements must be bytes 0-255");
				return false;
			}
			out[n++] = (uint8_t)b;
		}
	} else {
		rpc_call_bad_param(call, "data", "must be a hex string or an array of bytes");
		return false;
	}
	*len = (uint8_t)n;
	return true;
}

bool
method_parse_bridge(struct rpc_call *call, json_object *params, struct bridge_path *p)
{
	json_object *v;
	unsigned ch, addr, tch, taddr;

	memset(p, 0, sizeof(*p));
	if (!json_object_object_get_ex(params, "bridge", &v) || v == NULL)
		return true;
	if (!json_object_is_type(v, json_type_object)) {
		rpc_call_bad_param(call, "bridge", "must be an object {channel, address, ...}");
		return false;
	}
	if (!rpc_param_uint(call, v, "channel", true, 0, 15, 0, &ch) ||
	    !rpc_param_uint(call, v, "address", true, 0, 255, 0, &addr) ||
	    !rpc_param_uint(call, v, "transit_channel", false, 0, 15, 256, &tch) ||
	    !rpc_param_uint(call, v, "transit_address", false, 0, 255, 256, &taddr))
		return false;
	if ((tch == 256) != (taddr == 256)) {
		rpc_call_bad_param(call, "bridge",
		                   "transit_channel and transit_address go together");
		return false;
	}
	p->depth = tch == 256 ? 1 : 2;
	p->channel = (uint8_t)ch;
	p->addr = (uint8_t)addr;
	p->transit_channel = (uint8_t)(tch & 0xff);
	p->transit_addr = (uint8_t)(taddr & 0xff);
	return true;
}

static void
method_raw_done(struct request *r, void *arg)
{
	struct rpc_call *call = arg;
	struct bmc *b = r->bmc;

	if (r->err != 0) {
		rpc_call_request_error(call, b, r->err, r->detail);
	} else {
		/* The hot path: the result written as text, no json-c tree. */
		char text[64 + 2 * IPMIMSG_MAX_DATA];
		int n =
		    snprintf(text, sizeof(text), "{\"completion_code\":%u,\"data\":\"", r->rsp[0]);
		method_hex_text(r->rsp + 1, r->rsp_len - 1u, text + n);
		n += 2 * (r->rsp_len - 1);
		memcpy(text + n, "\"}", 3);
		rpc_call_result_text(call, text, (size_t)n + 2);
	}
	free(r);
}

void
method_ipmi_raw(struct rpc_call *call, json_object *params)
{
	struct bmc *b = rpc_call_bmc(call, params);
	unsigned netfn, cmd, lun;
	struct request *r;

	if (b == NULL)
		return;
	if (!rpc_param_uint(call, params, "netfn", true, 0, 0x3f, 0, &netfn) ||
	    !rpc_param_uint(call, params, "cmd", true, 0, 255, 0, &cmd) ||
	    !rpc_param_uint(call, params, "lun", false, 0, 3, 0, &lun))
		return;
	if ((netfn & 1) != 0) {
		rpc_call_bad_param(call, "netfn", "must be a request (even) network function");
		return;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rpc_call_error(call, RPC_INTERNAL_ERROR, b->cfg.name, "out of memory", NULL);
		return;
	}
	if (!method_parse_data(call, params, r->data, &r->data_len) ||
	    !method_parse_bridge(call, params, &r->bridge)) {
		free(r);
		return;
	}
	r->netfn = (uint8_t)netfn;
	r->cmd = (uint8_t)cmd;
	r->lun = (uint8_t)lun;
	r->bmc = b;
	r->done = method_raw_done;
	r->arg = call;
	pool_submit(rpc_call_pool(call), b, r);
}
