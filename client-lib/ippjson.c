/*
 * ippjson.c - lenient json-c readers and error-struct helpers (see
 * ippjson.h).  Pure: no I/O, no globals.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ippjson.h"

void
ippjson_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n;

	if (size == 0)
		return;
	if (!src)
		src = "";
	n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

struct json_object *
ippjson_get(const struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return v; /* json null is NULL here too */
}

const char *
ippjson_get_str(const struct json_object *o, const char *key)
{
	struct json_object *v = ippjson_get(o, key);

	if (!v || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int
ippjson_int(struct json_object *v, int64_t *ret)
{
	if (!v)
		return -1;
	switch (json_object_get_type(v)) {
	case json_type_int:
		errno = 0;
		*ret = json_object_get_int64(v);
		return 0;
	case json_type_double: {
		double d = json_object_get_double(v);

		if (!isfinite(d) || d != floor(d) || d < -9.2e18 || d > 9.2e18)
			return -1;
		*ret = (int64_t)d;
		return 0;
	}
	case json_type_string: {
		const char *s = json_object_get_string(v);
		char *end;
		long long n;

		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			return -1;
		errno = 0;
		n = strtoll(s, &end, 0);
		if (errno || *end != '\0')
			return -1;
		*ret = n;
		return 0;
	}
	default:
		return -1;
	}
}

int
ippjson_get_int(const struct json_object *o, const char *key, int64_t *ret)
{
	return ippjson_int(ippjson_get(o, key), ret);
}

int
ippjson_bool(struct json_object *v, bool *ret)
{
	static const char *const yes[] = { "yes", "true", "on", "active", "1" };
	static const char *const no[] = { "no", "false", "off", "inactive", "0" };
	const char *s;

	if (!v)
		return -1;
	switch (json_object_get_type(v)) {
	case json_type_boolean:
		*ret = json_object_get_boolean(v);
		return 0;
	case json_type_int: {
		int64_t n = json_object_get_int64(v);

		if (n != 0 && n != 1)
			return -1;
		*ret = n == 1;
		return 0;
	}
	case json_type_string:
		s = json_object_get_string(v);
		for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
			if (strcasecmp(s, yes[i]) == 0) {
				*ret = true;
				return 0;
			}
			if (strcasecmp(s, no[i]) == 0) {
				*ret = false;
				return 0;
			}
		}
		return -1;
	default:
		return -1;
	}
}

int
ippjson_get_bool(const struct json_object *o, const char *key, bool *ret)
{
	return ippjson_bool(ippjson_get(o, key), ret);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
ippjson_bytes(struct json_object *v, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (!v)
		return -1;
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		int hi = -1;

		for (; *s; s++) {
			int d;

			if (*s == ' ' || *s == ':')
				continue;
			d = hexval(*s);
			if (d < 0)
				return -1;
			if (hi < 0) {
				hi = d;
				continue;
			}
			if (n >= cap)
				return -1;
			out[n++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
		return hi < 0 ? (long)n : -1;
	}
	if (json_object_is_type(v, json_type_array)) {
		size_t len = json_object_array_length(v);

		if (len > cap)
			return -1;
		for (size_t i = 0; i < len; i++) {
			int64_t b;

			if (ippjson_int(json_object_array_get_idx(v, i), &b) < 0 || b < 0 ||
			    b > 255)
				return -1;
			out[i] = (uint8_t)b;
		}
		return (long)len;
	}
	return -1;
}

const char *
ipperr_errno_str(int e)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
	const char *s = strerrordesc_np(e);

	return s ? s : "unknown system error";
#else
	return strerror(e);
#endif
}

void
ipperr_reset(struct ipmipool_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->completion_code = -1;
	err->message[0] = err->bmc[0] = err->detail[0] = err->text[0] = '\0';
}

int
ipperr_set(struct ipmipool_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	ipperr_reset(err);
	err->code = code;
	ippjson_strlcpy(err->message, ipmipool_strerror(code), sizeof(err->message));
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
		va_end(ap);
	}
	return code;
}
