/*
 * ippjson.h - lenient readers of json-c values for libipmipool (a field
 * may come as a number or a numeric string, a flag as a boolean or a word)
 * and the library's error-struct helpers.  Internal to libipmipool: no I/O.
 */
#ifndef IPMIPOOL_IPPJSON_H
#define IPMIPOOL_IPPJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json.h>

#include "ipmipool.h"

/* Copies src into dst (size > 0), cutting it short; always terminates. */
void ippjson_strlcpy(char *dst, const char *src, size_t size);

/* The member key of object o, or NULL (absent, null, or o not an object). */
struct json_object *ippjson_get(const struct json_object *o, const char *key);

/* The member as a string (strings only), or NULL. */
const char *ippjson_get_str(const struct json_object *o, const char *key);

/*
 * The value as an integer: a JSON integer, an integral double, or a
 * string in C notation ("42", "0x2a").  Returns 0 and *ret, or -1.
 */
int ippjson_int(struct json_object *v, int64_t *ret);
int ippjson_get_int(const struct json_object *o, const char *key, int64_t *ret);

/*
 * The value as a flag: a boolean, 0/1, or "yes"/"no", "true"/"false",
 * "on"/"off", "active"/"inactive".  Returns 0 and *ret, or -1.
 */
int ippjson_bool(struct json_object *v, bool *ret);
int ippjson_get_bool(const struct json_object *o, const char *key, bool *ret);

/*
 * Decodes "hex" ("0a1b", spaces allowed) or an array of byte values into
 * out[0..cap).  Returns the byte count, or -1 when malformed or too long.
 */
long ippjson_bytes(struct json_object *v, uint8_t *out, size_t cap);

/* The text of an errno value; thread-safe where the C library allows. */
const char *ipperr_errno_str(int e);

/* Empties err (code 0, completion_code -1, empty strings); NULL is a no-op. */
void ipperr_reset(struct ipmipool_error *err);

/*
 * Fills err (when not NULL) with code, message ipmipool_strerror(code) and
 * the formatted detail.  Returns code.
 */
int ipperr_set(struct ipmipool_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
