/*
 * errors.c - names for libipmipool's return codes and IPMI completion
 * codes, and the decoding and formatting of struct ipmipool_error.  Pure:
 * const tables only.
 */
#include <stdio.h>
#include <string.h>

#include <json.h>

#include "ipmipool.h"
#include "ippjson.h"

#ifndef IPMIPOOL_VERSION
#define IPMIPOOL_VERSION "unknown"
#endif

const char *
ipmipool_version(void)
{
	return IPMIPOOL_VERSION;
}

static const struct {
	int code;
	const char *text;
} code_texts[] = {
	{ IPMIPOOL_E_TIMEOUT, "timed out waiting for ipmipoold" },
	{ IPMIPOOL_E_DISCONNECTED, "connection to ipmipoold lost" },
	{ IPMIPOOL_E_PROTOCOL, "malformed response from ipmipoold" },
	{ IPMIPOOL_E_TOOBIG, "message exceeds the size limit" },
	{ IPMIPOOL_E_INVALID, "invalid argument" },
	{ IPMIPOOL_E_RPC, "ipmipoold returned an error" },
	{ IPMIPOOL_E_RESULT, "unexpected result from ipmipoold" },
	{ IPMIPOOL_RPC_PARSE_ERROR, "parse error" },
	{ IPMIPOOL_RPC_INVALID_REQUEST, "invalid request" },
	{ IPMIPOOL_RPC_METHOD_NOT_FOUND, "unknown method" },
	{ IPMIPOOL_RPC_INVALID_PARAMS, "invalid params" },
	{ IPMIPOOL_RPC_INTERNAL, "internal error" },
	{ IPMIPOOL_RPC_UNKNOWN_BMC, "unknown BMC" },
	{ IPMIPOOL_RPC_UNREACHABLE, "BMC unreachable" },
	{ IPMIPOOL_RPC_AUTH, "authentication failed" },
	{ IPMIPOOL_RPC_COMPLETION_CODE, "IPMI command failed" },
	{ IPMIPOOL_RPC_SESSION_LOST, "session lost, being re-established" },
	{ IPMIPOOL_RPC_BUSY, "busy" },
	{ IPMIPOOL_RPC_PERMISSION, "permission denied" },
};

const char *
ipmipool_strerror(int code)
{
	if (code >= 0)
		return "success";
	for (size_t i = 0; i < sizeof(code_texts) / sizeof(code_texts[0]); i++) {
		if (code_texts[i].code == code)
			return code_texts[i].text;
	}
	if (code > -1000)
		return ipperr_errno_str(-code);
	if (code >= -32768 && code <= -32000)
		return "server error";
	return "unknown error";
}

/* The names ipmitool gives completion codes (its typo in 0xd1 included,
 * so that output compares equal). */
static const char *const cc_names[256] = {
	[0x00] = "Command completed normally",
	[0xc0] = "Node busy",
	[0xc1] = "Invalid command",
	[0xc2] = "Invalid command on LUN",
	[0xc3] = "Timeout",
	[0xc4] = "Out of space",
	[0xc5] = "Reservation cancelled or invalid",
	[0xc6] = "Request data truncated",
	[0xc7] = "Request data length invalid",
	[0xc8] = "Request data field length limit exceeded",
	[0xc9] = "Parameter out of range",
	[0xca] = "Cannot return number of requested data bytes",
	[0xcb] = "Requested sensor, data, or record not found",
	[0xcc] = "Invalid data field in request",
	[0xcd] = "Command illegal for specified sensor or record type",
	[0xce] = "Command response could not be provided",
	[0xcf] = "Cannot execute duplicated request",
	[0xd0] = "SDR Repository in update mode",
	[0xd1] = "Device firmeware in update mode",
	[0xd2] = "BMC initialization in progress",
	[0xd3] = "Destination unavailable",
	[0xd4] = "Insufficient privilege level",
	[0xd5] = "Command not supported in present state",
	[0xd6] = "Cannot execute command, command disabled",
	[0xff] = "Unspecified error",
};

/* "Unknown (0xNN)" for every value, built by the preprocessor: const. */
#define UNK(h, l) "Unknown (0x" #h #l ")"
#define UNK_ROW(h)                                                                                 \
	UNK(h, 0), UNK(h, 1), UNK(h, 2), UNK(h, 3), UNK(h, 4), UNK(h, 5), UNK(h, 6), UNK(h, 7),    \
	    UNK(h, 8), UNK(h, 9), UNK(h, A), UNK(h, B), UNK(h, C), UNK(h, D), UNK(h, E), UNK(h, F)
static const char *const cc_unknown[256] = {
	UNK_ROW(0), UNK_ROW(1), UNK_ROW(2), UNK_ROW(3), UNK_ROW(4), UNK_ROW(5),
	UNK_ROW(6), UNK_ROW(7), UNK_ROW(8), UNK_ROW(9), UNK_ROW(A), UNK_ROW(B),
	UNK_ROW(C), UNK_ROW(D), UNK_ROW(E), UNK_ROW(F),
};

const char *
ipmipool_completion_code_str(uint8_t cc)
{
	return cc_names[cc] ? cc_names[cc] : cc_unknown[cc];
}

char *
ipmipool_error_format(const struct ipmipool_error *err, char *buf, size_t size)
{
	size_t off = 0;
	int n;

	if (!buf || size == 0)
		return buf;
	buf[0] = '\0';
	if (!err)
		return buf;
#define PUT(...)                                                                                   \
	do {                                                                                       \
		if (off < size) {                                                                  \
			n = snprintf(buf + off, size - off, __VA_ARGS__);                          \
			if (n > 0)                                                                 \
				off += (size_t)n;                                                  \
		}                                                                                  \
	} while (0)
	if (err->bmc[0])
		PUT("%s: ", err->bmc);
	PUT("%s", err->message[0] ? err->message : ipmipool_strerror(err->code));
	if (err->detail[0] && strcmp(err->detail, err->message) != 0)
		PUT(": %s", err->detail);
	if (err->completion_code >= 0)
		PUT(" (completion code 0x%02x: %s)", (unsigned)err->completion_code,
		    err->text[0] ? err->text
		                 : ipmipool_completion_code_str((uint8_t)err->completion_code));
#undef PUT
	return buf;
}

int
ipmipool_error_from_json(const struct json_object *obj, struct ipmipool_error *err)
{
	struct ipmipool_error tmp;
	struct json_object *data;
	const char *s;
	int64_t code, cc;

	ipperr_reset(&tmp);
	if (!obj || !json_object_is_type(obj, json_type_object) ||
	    ippjson_get_int(obj, "code", &code) < 0) {
		ipperr_set(&tmp, IPMIPOOL_E_PROTOCOL, "error object without a code");
		goto out;
	}
	s = ippjson_get_str(obj, "message");
	if (code <= -32000 && code >= -32768) {
		tmp.code = (int)code;
		ippjson_strlcpy(tmp.message, s ? s : ipmipool_strerror(tmp.code),
		                sizeof(tmp.message));
	} else {
		tmp.code = IPMIPOOL_E_RPC;
		snprintf(tmp.message, sizeof(tmp.message), "%.200s (error code %lld)",
		         s ? s : ipmipool_strerror(IPMIPOOL_E_RPC), (long long)code);
	}
	data = ippjson_get(obj, "data");
	if (data && json_object_is_type(data, json_type_string)) {
		ippjson_strlcpy(tmp.detail, json_object_get_string(data), sizeof(tmp.detail));
	} else if (data) {
		ippjson_strlcpy(tmp.bmc, ippjson_get_str(data, "bmc"), sizeof(tmp.bmc));
		ippjson_strlcpy(tmp.detail, ippjson_get_str(data, "detail"), sizeof(tmp.detail));
		ippjson_strlcpy(tmp.text, ippjson_get_str(data, "text"), sizeof(tmp.text));
		if (ippjson_get_int(data, "completion_code", &cc) == 0 && cc >= 0 && cc <= 255)
			tmp.completion_code = (int)cc;
	}
out:
	if (err)
		*err = tmp;
	return tmp.code;
}
