/*
 * render.c - ipmipoolctl's human-readable output (see render.h).  Layouts
 * follow ipmitool's where it has one (mc info, chassis status, sdr list,
 * sel list, fru print, raw); daemon-only data gets aligned "Label : value"
 * blocks or tables.  Only formatting: no I/O besides the FILEs given.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ipmipool.h"
#include "render.h"

/* ---- reading values ------------------------------------------------------ */

/* Member key of o; NULL when absent, null, or o is not an object. */
static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static bool
is_str(struct json_object *v)
{
	return v && json_object_is_type(v, json_type_string);
}

/* A number as int64: integers, integral doubles, numeric strings. */
static bool
int_of(struct json_object *v, int64_t *ret)
{
	char *end;
	const char *s;

	if (!v)
		return false;
	switch (json_object_get_type(v)) {
	case json_type_int:
		*ret = json_object_get_int64(v);
		return true;
	case json_type_double:
		if (json_object_get_double(v) != floor(json_object_get_double(v)))
			return false;
		*ret = (int64_t)json_object_get_double(v);
		return true;
	case json_type_string:
		s = json_object_get_string(v);
		if (!*s)
			return false;
		*ret = strtoll(s, &end, 0);
		return *end == '\0';
	default:
		return false;
	}
}

static bool
flag_of(struct json_object *v, bool *ret)
{
	const char *s;

	if (!v)
		return false;
	switch (json_object_get_type(v)) {
	case json_type_boolean:
		*ret = json_object_get_boolean(v);
		return true;
	case json_type_int:
		*ret = json_object_get_int64(v) != 0;
		return true;
	case json_type_string:
		s = json_object_get_string(v);
		if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcasecmp(s, "on") ||
		    !strcasecmp(s, "active")) {
			*ret = true;
			return true;
		}
		if (!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcasecmp(s, "off") ||
		    !strcasecmp(s, "inactive")) {
			*ret = false;
			return true;
		}
		return false;
	default:
		return false;
	}
}

/*
 * Any value as text: strings as they are, numbers plainly, booleans as
 * true/false, arrays of scalars joined with ", ", objects as compact JSON,
 * absent or null as none.
 */
static const char *
text_of(struct json_object *v, char *buf, size_t size, const char *none)
{
	size_t off = 0;

	if (!v)
		return none;
	switch (json_object_get_type(v)) {
	case json_type_string:
		return json_object_get_string(v);
	case json_type_int:
		snprintf(buf, size, "%" PRId64, json_object_get_int64(v));
		return buf;
	case json_type_double:
		snprintf(buf, size, "%g", json_object_get_double(v));
		return buf;
	case json_type_boolean:
		return json_object_get_boolean(v) ? "true" : "false";
	case json_type_array:
		buf[0] = '\0';
		for (size_t i = 0; i < json_object_array_length(v) && off < size; i++) {
			char sub[64];
			struct json_object *e = json_object_array_get_idx(v, i);
			int n;

			n = snprintf(buf + off, size - off, "%s%s", i ? ", " : "",
			             text_of(e, sub, sizeof(sub), "-"));
			if (n > 0)
				off += (size_t)n;
		}
		return buf;
	default:
		return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
		                                             JSON_C_TO_STRING_NOSLASHESCAPE);
	}
}

/* A timestamp: "YYYY-MM-DDTHH:MM:SS[.fff][Z|+00:00]" (UTC) or epoch seconds. */
static bool
time_of(struct json_object *v, time_t *ret)
{
	struct tm tm;
	const char *s, *rest;
	int64_t n;

	if (!v)
		return false;
	if (!is_str(v)) {
		if (!int_of(v, &n))
			return false;
		*ret = (time_t)n;
		return true;
	}
	s = json_object_get_string(v);
	memset(&tm, 0, sizeof(tm));
	rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!rest)
		rest = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (!rest)
		return false;
	if (*rest == '.')
		for (rest++; *rest >= '0' && *rest <= '9'; rest++)
			;
	if (*rest && strcmp(rest, "Z") != 0 && strcmp(rest, "+00:00") != 0)
		return false;
	*ret = timegm(&tm);
	return true;
}

/* ipmitool's "%m/%d/%Y %H:%M:%S", local time. */
static const char *
time_mdy(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(buf, size, "%m/%d/%Y %H:%M:%S", &tm))
		snprintf(buf, size, "%lld", (long long)t);
	return buf;
}

/* IPMI timestamps below this count seconds since the BMC started (IPMI 2.0 37.1). */
#define IPMI_TIME_INIT_DONE 0x20000000
#define IPMI_TIME_NONE      0xffffffffu

/*
 * An IPMI timestamp as ipmitool's `sel info` prints one: "S+ 01:09:24" for
 * seconds since the BMC started ("S+ YY/DDD HH:MM:SS" past a day), else the
 * date and time.
 */
static const char *
ipmi_time(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (t >= 0 && t < IPMI_TIME_INIT_DONE) {
		if (!gmtime_r(&t, &tm))
			snprintf(buf, size, "S+ %lld s", (long long)t);
		else if (t < 86400)
			snprintf(buf, size, "S+ %02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
		else /* ipmitool's "S+ %y/%j %H:%M:%S": a 1970 date */
			snprintf(buf, size, "S+ %02d/%03d %02d:%02d:%02d", tm.tm_year % 100,
			         tm.tm_yday + 1, tm.tm_hour, tm.tm_min, tm.tm_sec);
		return buf;
	}
	return time_mdy(t, buf, size);
}

/* A timestamp value as ipmitool prints one, or its text, or none. */
static const char *
time_text(struct json_object *v, char *buf, size_t size, const char *none)
{
	time_t t;

	if (!v)
		return none;
	if (time_of(v, &t))
		return ipmi_time(t, buf, size);
	return text_of(v, buf, size, none);
}

/*
 * A SEL time from raw seconds (sel.info's last_*_raw) when there, else from
 * the ISO value: none for the "unspecified" 0 and FFFFFFFFh.
 */
static const char *
sel_time_text(struct json_object *raw, struct json_object *iso, char *buf, size_t size,
              const char *none)
{
	int64_t n;

	if (int_of(raw, &n)) {
		if (n == 0 || n == IPMI_TIME_NONE)
			return none;
		return ipmi_time((time_t)n, buf, size);
	}
	return time_text(iso, buf, size, none);
}

/* ---- generic blocks and tables ------------------------------------------- */

struct label {
	const char *key;
	const char *label;
};

/* "dns_lookups" -> "Dns lookups": a label for keys no table names. */
static const char *
label_of(const char *key, const struct label *labels, size_t n, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(labels[i].key, key))
			return labels[i].label;
	}
	snprintf(buf, size, "%s", key);
	for (i = 0; buf[i]; i++) {
		if (buf[i] == '_')
			buf[i] = ' ';
	}
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	return buf;
}

/*
 * Every member of o as "Label : value", known keys first in table order,
 * labels padded to the longest; nested objects as an indented block.
 */
static void
kv_block(FILE *out, struct json_object *o, const struct label *labels, size_t n, const char *indent)
{
	struct json_object_iterator it, end;
	size_t width = 0;
	char lbuf[128], vbuf[1024];

	if (!o || !json_object_is_type(o, json_type_object))
		return;
	end = json_object_iter_end(o);
	for (it = json_object_iter_begin(o); !json_object_iter_equal(&it, &end);
	     json_object_iter_next(&it)) {
		size_t l = strlen(
		    label_of(json_object_iter_peek_name(&it), labels, n, lbuf, sizeof(lbuf)));

		if (l > width)
			width = l;
	}
	for (size_t pass = 0; pass <= n; pass++) {
		for (it = json_object_iter_begin(o); !json_object_iter_equal(&it, &end);
		     json_object_iter_next(&it)) {
			const char *key = json_object_iter_peek_name(&it);
			struct json_object *v = json_object_iter_peek_value(&it);
			const char *label;
			bool known = false;

			for (size_t i = 0; i < n; i++)
				known = known || !strcmp(labels[i].key, key);
			if (pass < n ? strcmp(labels[pass].key, key) != 0 : known)
				continue;
			label = label_of(key, labels, n, lbuf, sizeof(lbuf));
			if (v && json_object_is_type(v, json_type_object)) {
				char sub[64];

				fprintf(out, "%s%-*s :\n", indent, (int)width, label);
				snprintf(sub, sizeof(sub), "%s    ", indent);
				kv_block(out, v, labels, n, sub);
				continue;
			}
			fprintf(out, "%s%-*s : %s\n", indent, (int)width, label,
			        text_of(v, vbuf, sizeof(vbuf), "-"));
		}
	}
}

int
render_json(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	fprintf(out, "%s\n",
	        json_object_to_json_string_ext(res, JSON_C_TO_STRING_PRETTY |
	                                                JSON_C_TO_STRING_SPACED |
	                                                JSON_C_TO_STRING_NOSLASHESCAPE));
	return 0;
}

/* ---- daemon and pool ----------------------------------------------------- */

static const struct label bmc_labels[] = {
	{ "name", "Name" },
	{ "host", "Host" },
	{ "address", "Address" },
	{ "port", "Port" },
	{ "state", "State" },
	{ "cipher_suite", "Cipher Suite" },
	{ "privilege", "Privilege" },
	{ "since", "Since" },
	{ "requests", "Requests" },
	{ "retries", "Retries" },
	{ "errors", "Errors" },
	{ "reconnects", "Reconnects" },
	{ "last_error", "Last Error" },
};
#define NLABELS(t) (sizeof(t) / sizeof((t)[0]))

int
render_bmc_state(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	kv_block(out, res, bmc_labels, NLABELS(bmc_labels), "");
	return 0;
}

int
render_removed(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	if (rc->bmc)
		fprintf(out, "removed\n");
	return 0;
}

/* The columns of `list`. */
static const struct label list_cols[] = {
	{ "name", "NAME" },
	{ "host", "HOST" },
	{ "state", "STATE" },
	{ "cipher_suite", "SUITE" },
	{ "requests", "REQUESTS" },
	{ "errors", "ERRORS" },
	{ "last_error", "LAST ERROR" },
};
#define NCOLS NLABELS(list_cols)

static void
cell(FILE *out, const char *text, size_t width, bool last)
{
	if (last)
		fprintf(out, "%s\n", text);
	else
		fprintf(out, "%-*s  ", (int)width, text);
}

int
render_bmc_list(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	struct json_object *arr = get(res, "bmcs");
	size_t width[NCOLS], n;
	char buf[512];

	if (!arr || !json_object_is_type(arr, json_type_array)) {
		fprintf(rc->err, "ipmipoolctl: bmc.list returned no \"bmcs\" array\n");
		return 1;
	}
	n = json_object_array_length(arr);
	for (size_t c = 0; c < NCOLS; c++)
		width[c] = strlen(list_cols[c].label);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			for (size_t c = 0; c < NCOLS; c++)
				cell(out, list_cols[c].label, width[c], c + 1 == NCOLS);
		}
		for (size_t i = 0; i < n; i++) {
			struct json_object *b = json_object_array_get_idx(arr, i);
			const char *name = text_of(get(b, "name"), buf, sizeof(buf), "-");

			if (rc->pattern && fnmatch(rc->pattern, name, 0) != 0)
				continue;
			for (size_t c = 0; c < NCOLS; c++) {
				const char *t =
				    text_of(get(b, list_cols[c].key), buf, sizeof(buf), "-");

				if (pass == 0 && strlen(t) > width[c])
					width[c] = strlen(t);
				else if (pass == 1)
					cell(out, t, width[c], c + 1 == NCOLS);
			}
		}
	}
	return 0;
}

static const struct label stats_labels[] = {
	{ "requests", "Requests" },
	{ "responses", "Responses" },
	{ "retries", "Retries" },
	{ "timeouts", "Timeouts" },
	{ "handshakes", "Handshakes" },
	{ "handshake_failures", "Handshake Failures" },
	{ "reconnects", "Reconnects" },
	{ "keepalives", "Keepalives" },
	{ "dns_lookups", "DNS Lookups" },
	{ "packets_rejected", "Packets Rejected" },
	{ "bad_mac", "Bad MAC" },
	{ "replay", "Replay" },
	{ "unknown_session", "Unknown Session" },
	{ "malformed", "Malformed" },
	{ "p50_us", "Latency p50 (us)" },
	{ "p99_us", "Latency p99 (us)" },
};

int
render_daemon_stats(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	kv_block(out, res, stats_labels, NLABELS(stats_labels), "");
	return 0;
}

static const struct label info_labels[] = {
	{ "version", "Version" },
	{ "uptime", "Uptime (s)" },
	{ "pid", "PID" },
	{ "bmcs", "BMCs" },
	{ "sessions_active", "Sessions Active" },
	{ "clients", "Clients" },
};

int
render_daemon_info(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	kv_block(out, res, info_labels, NLABELS(info_labels), "");
	return 0;
}

static const struct label reload_labels[] = {
	{ "added", "Added" },
	{ "removed", "Removed" },
	{ "changed", "Changed" },
	{ "unchanged", "Unchanged" },
};

int
render_reload(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	kv_block(out, res, reload_labels, NLABELS(reload_labels), "");
	return 0;
}

/* ---- mc info (ipmitool `mc info`) ---------------------------------------- */

/* mc.info's additional_support names as ipmitool words them; others as they are. */
static const char *
support_text(const char *name)
{
	static const struct label names[] = {
		{ "sensor", "Sensor Device" },
		{ "sdr_repository", "SDR Repository Device" },
		{ "sel", "SEL Device" },
		{ "fru_inventory", "FRU Inventory Device" },
		{ "ipmb_event_receiver", "IPMB Event Receiver" },
		{ "ipmb_event_generator", "IPMB Event Generator" },
		{ "bridge", "Bridge" },
		{ "chassis", "Chassis Device" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(names[i].key, name))
			return names[i].label;
	}
	return name;
}

int
render_mc_info(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	struct json_object *v;
	char buf[256];
	int64_t n;
	bool b;

	if (int_of(get(res, "device_id"), &n))
		fprintf(out, "Device ID                 : %" PRId64 "\n", n);
	if (int_of(get(res, "device_revision"), &n))
		fprintf(out, "Device Revision           : %" PRId64 "\n", n);
	if ((v = get(res, "firmware_revision")))
		fprintf(out, "Firmware Revision         : %s\n", text_of(v, buf, sizeof(buf), ""));
	if ((v = get(res, "ipmi_version")))
		fprintf(out, "IPMI Version              : %s\n", text_of(v, buf, sizeof(buf), ""));
	if (int_of(get(res, "manufacturer_id"), &n))
		fprintf(out, "Manufacturer ID           : %" PRId64 "\n", n);
	if ((v = get(res, "manufacturer_name")))
		fprintf(out, "Manufacturer Name         : %s\n", text_of(v, buf, sizeof(buf), ""));
	if (int_of(get(res, "product_id"), &n))
		fprintf(out, "Product ID                : %" PRId64 " (0x%04" PRIx64 ")\n", n,
		        (uint64_t)n & 0xffff);
	if ((v = get(res, "product_name")))
		fprintf(out, "Product Name              : %s\n", text_of(v, buf, sizeof(buf), ""));
	if (flag_of(get(res, "device_available"), &b))
		fprintf(out, "Device Available          : %s\n", b ? "yes" : "no");
	if (flag_of(get(res, "provides_device_sdrs"), &b))
		fprintf(out, "Provides Device SDRs      : %s\n", b ? "yes" : "no");
	if ((v = get(res, "additional_support"))) {
		fprintf(out, "Additional Device Support :\n");
		if (json_object_is_type(v, json_type_array)) {
			for (size_t i = 0; i < json_object_array_length(v); i++)
				fprintf(out, "    %s\n",
				        support_text(text_of(json_object_array_get_idx(v, i), buf,
				                             sizeof(buf), "")));
		} else {
			fprintf(out, "    %s\n", support_text(text_of(v, buf, sizeof(buf), "")));
		}
	}
	if (is_str(v = get(res, "aux_firmware_revision"))) {
		const char *s = json_object_get_string(v);

		fprintf(out, "Aux Firmware Rev Info     : \n");
		for (size_t i = 0; s[i] && s[i + 1]; i += 2)
			fprintf(out, "    0x%c%c\n", s[i], s[i + 1]);
	}
	return 0;
}

/* ---- chassis -------------------------------------------------------------- */

int
render_power_status(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	bool on;

	if (!flag_of(get(res, "power_on"), &on)) {
		fprintf(rc->err, "ipmipoolctl: %s%schassis.status returned no power_on\n",
		        rc->bmc ? rc->bmc : "", rc->bmc ? ": " : "");
		return 1;
	}
	fprintf(out, "Chassis Power is %s\n", on ? "on" : "off");
	return 0;
}

int
render_power_action(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	static const struct label words[] = {
		{ "on", "Up/On" },    { "off", "Down/Off" }, { "cycle", "Cycle" },
		{ "reset", "Reset" }, { "soft", "Soft" },    { "diag", "Diag" },
	};
	const char *w = rc->action;

	for (size_t i = 0; i < NLABELS(words); i++) {
		if (!strcmp(words[i].key, rc->action))
			w = words[i].label;
	}
	fprintf(out, "Chassis Power Control: %s\n", w);
	return 0;
}

static void
chassis_line(FILE *out, const char *label, struct json_object *v, const char *yes, const char *no)
{
	char buf[128];
	bool b;

	if (!v)
		return;
	if (flag_of(v, &b))
		fprintf(out, "%-20s : %s\n", label, b ? yes : no);
	else
		fprintf(out, "%-20s : %s\n", label, text_of(v, buf, sizeof(buf), ""));
}

int
render_chassis_status(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	struct json_object *v;
	char buf[256];

	chassis_line(out, "System Power", get(res, "power_on"), "on", "off");
	chassis_line(out, "Power Overload", get(res, "power_overload"), "true", "false");
	chassis_line(out, "Power Interlock", get(res, "power_interlock"), "active", "inactive");
	chassis_line(out, "Main Power Fault", get(res, "power_fault"), "true", "false");
	chassis_line(out, "Power Control Fault", get(res, "power_control_fault"), "true", "false");
	if ((v = get(res, "power_restore_policy")))
		fprintf(out, "%-20s : %s\n", "Power Restore Policy",
		        text_of(v, buf, sizeof(buf), ""));
	v = get(res, "last_power_event");
	if (v && json_object_is_type(v, json_type_array)) {
		fprintf(out, "%-20s : ", "Last Power Event");
		for (size_t i = 0; i < json_object_array_length(v); i++)
			fprintf(out, "%s ",
			        text_of(json_object_array_get_idx(v, i), buf, sizeof(buf), ""));
		fprintf(out, "\n");
	} else {
		fprintf(out, "%-20s : %s\n", "Last Power Event", text_of(v, buf, sizeof(buf), ""));
	}
	chassis_line(out, "Chassis Intrusion", get(res, "intrusion"), "active", "inactive");
	chassis_line(out, "Front-Panel Lockout", get(res, "front_panel_lockout"), "active",
	             "inactive");
	chassis_line(out, "Drive Fault", get(res, "drive_fault"), "true", "false");
	chassis_line(out, "Cooling/Fan Fault", get(res, "cooling_fault"), "true", "false");
	return 0;
}

int
render_bootdev(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	fprintf(out, "Set Boot Device to %s\n", rc->action);
	return 0;
}

/* ---- sensors (ipmitool `sdr list`, `sensor get`) --------------------------- */

/*
 * ipmitool's `sdr list` reading column: "38 degrees C", "3.31 Volts",
 * "0x01", "no reading".  The daemon's text member is exactly that; the rest
 * is for results without it.
 */
static const char *
reading_text(struct json_object *s, char *buf, size_t size)
{
	struct json_object *v = get(s, "value"), *unit = get(s, "unit"), *text = get(s, "text");
	const char *u = is_str(unit) ? json_object_get_string(unit) : "";
	int64_t raw;
	bool avail;

	if (is_str(text) && *json_object_get_string(text))
		return json_object_get_string(text);
	if (flag_of(get(s, "available"), &avail) && !avail)
		return "no reading";
	if (v &&
	    (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int))) {
		double d = json_object_get_double(v);

		snprintf(buf, size, "%.*f%s%s", d == (double)(int64_t)d ? 0 : 2, d, *u ? " " : "",
		         u);
		return buf;
	}
	if (is_str(v))
		return json_object_get_string(v);
	if (!*u && int_of(get(s, "raw"), &raw)) {
		snprintf(buf, size, "0x%02" PRIx64, (uint64_t)raw & 0xff);
		return buf;
	}
	return "no reading";
}

static const char *
status_text(struct json_object *v, char *buf, size_t size)
{
	int64_t n;

	if (v && json_object_is_type(v, json_type_int) && int_of(v, &n)) {
		snprintf(buf, size, "0x%04" PRIx64, (uint64_t)n & 0xffff);
		return buf;
	}
	return text_of(v, buf, size, "ns");
}

int
render_sdr_list(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	struct json_object *arr = get(res, "sensors");
	char nbuf[64], vbuf[64], sbuf[256];

	if (!arr || !json_object_is_type(arr, json_type_array)) {
		fprintf(rc->err, "ipmipoolctl: %s%ssdr.list returned no \"sensors\" array\n",
		        rc->bmc ? rc->bmc : "", rc->bmc ? ": " : "");
		return 1;
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *s = json_object_array_get_idx(arr, i);
		int64_t num = 0;
		const char *name =
		    is_str(get(s, "name")) ? json_object_get_string(get(s, "name")) : NULL;

		if (!name) {
			int_of(get(s, "number"), &num);
			snprintf(nbuf, sizeof(nbuf), "#0x%02" PRIx64, (uint64_t)num & 0xff);
			name = nbuf;
		}
		fprintf(out, "%-16s | %-17s | %s\n", name, reading_text(s, vbuf, sizeof(vbuf)),
		        status_text(get(s, "status"), sbuf, sizeof(sbuf)));
	}
	return 0;
}

static bool
is_number(struct json_object *v)
{
	return v &&
	       (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int));
}

/* A discrete sensor's asserted states, one "[name]" line each, as ipmitool. */
static void
sensor_states(FILE *out, struct json_object *res, const char *type)
{
	struct json_object *v = get(res, "states");
	const char *names = is_str(v) ? json_object_get_string(v) : "", *p;
	int64_t state = 0;
	unsigned bits = 0, seps = 0;

	if (!*names)
		return;
	fprintf(out, " States Asserted       : %s\n", type);
	/*
	 * The daemon joins the names with ", ", which a few names contain too:
	 * split only when the count of set state bits says where.
	 */
	if (int_of(get(res, "state"), &state)) {
		for (uint64_t s = (uint64_t)state & 0xffff; s; s &= s - 1)
			bits++;
	}
	for (p = names; (p = strstr(p, ", ")); p += 2)
		seps++;
	if (bits < 2 || seps + 1 != bits) {
		fprintf(out, "                         [%s]\n", names);
		return;
	}
	for (p = names;;) {
		const char *e = strstr(p, ", ");

		fprintf(out, "                         [%.*s]\n",
		        (int)(e ? e - p : (long)strlen(p)), p);
		if (!e)
			break;
		p = e + 2;
	}
}

/*
 * ipmitool's `sensor get` layout, as far as the daemon's fields go (no
 * entity, hysteresis or event enables; the tolerance is not in the result,
 * so it reads 0).
 */
int
render_sensor(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	static const struct label th_rows[] = {
		{ "lnr", "Lower Non-Recoverable" }, { "lcr", "Lower Critical" },
		{ "lnc", "Lower Non-Critical" },    { "unc", "Upper Non-Critical" },
		{ "ucr", "Upper Critical" },        { "unr", "Upper Non-Recoverable" },
	};
	struct json_object *name = get(res, "name"), *value = get(res, "value"),
	                   *unit = get(res, "unit"), *th = get(res, "thresholds"), *type;
	const char *u = is_str(unit) ? json_object_get_string(unit) : "";
	char tbuf[128], sbuf[256];
	int64_t num = 0, raw;
	bool avail = true, discrete;

	int_of(get(res, "number"), &num);
	flag_of(get(res, "available"), &avail);
	discrete = get(res, "state") || (!is_str(unit) && !is_number(value) && !th);
	type = get(res, "type");
	fprintf(out, "Sensor ID              : %s (0x%" PRIx64 ")\n",
	        is_str(name) ? json_object_get_string(name) : "", (uint64_t)num & 0xff);
	if (discrete) {
		if (type)
			fprintf(out, " Sensor Type (Discrete): %s\n",
			        text_of(type, tbuf, sizeof(tbuf), ""));
		if (!avail) {
			fprintf(out, " Unable to read sensor: Device Not Present\n");
			return 0;
		}
		sensor_states(out, res, text_of(type, tbuf, sizeof(tbuf), ""));
		return 0;
	}
	if (type)
		fprintf(out, " Sensor Type (Threshold)  : %s\n",
		        text_of(type, tbuf, sizeof(tbuf), ""));
	if (!avail) {
		fprintf(out, " Unable to read sensor: Device Not Present\n");
		return 0;
	}
	if (is_number(value)) {
		double d = json_object_get_double(value);

		fprintf(out, " Sensor Reading        : %.*f (+/- 0)%s%s\n", d == (int64_t)d ? 0 : 3,
		        d, *u ? " " : "", u);
	} else if (int_of(get(res, "raw"), &raw)) {
		fprintf(out, " Sensor Reading        : 0x%" PRIx64 "%s%s\n", (uint64_t)raw & 0xff,
		        *u ? " " : "", u);
	} else {
		fprintf(out, " Sensor Reading        : %s\n",
		        reading_text(res, sbuf, sizeof(sbuf)));
	}
	fprintf(out, " Status                : %s\n",
	        status_text(get(res, "status"), sbuf, sizeof(sbuf)));
	if (!th || !json_object_is_type(th, json_type_object)) {
		/* the daemon leaves thresholds out when the SDR makes none readable */
		fprintf(out, " Sensor Threshold Settings not available\n");
		return 0;
	}
	for (size_t i = 0; i < NLABELS(th_rows); i++) {
		struct json_object *t = get(th, th_rows[i].key);

		if (is_number(t))
			fprintf(out, " %-21s : %.3f\n", th_rows[i].label,
			        json_object_get_double(t));
		else
			fprintf(out, " %-21s : na\n", th_rows[i].label);
	}
	return 0;
}

/* sdr.info's version: "1.5" (or the raw byte 51h) as ipmitool's "0x51". */
static const char *
sdr_version_text(struct json_object *v, char *buf, size_t size)
{
	unsigned major, minor;
	char end;
	int64_t n;

	if (v && !is_str(v) && int_of(v, &n)) {
		snprintf(buf, size, "0x%" PRIx64, (uint64_t)n & 0xff);
		return buf;
	}
	if (is_str(v) && sscanf(json_object_get_string(v), "%u.%u%c", &major, &minor, &end) == 2 &&
	    major < 16 && minor < 16) {
		/* BCD, least significant digit first: 1.5 is 51h */
		snprintf(buf, size, "0x%x", (minor << 4) | major);
		return buf;
	}
	return text_of(v, buf, size, "");
}

int
render_sdr_info(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	char buf[128];
	int64_t n;
	bool b;

	fprintf(out, "SDR Version                         : %s\n",
	        sdr_version_text(get(res, "version"), buf, sizeof(buf)));
	fprintf(out, "Record Count                        : %s\n",
	        text_of(get(res, "record_count"), buf, sizeof(buf), ""));
	fprintf(out, "Free Space                          : ");
	if (!int_of(get(res, "free_space"), &n))
		fprintf(out, "%s\n",
		        text_of(get(res, "free_space"), buf, sizeof(buf), "unspecified"));
	else if (n == 0)
		fprintf(out, "none (full)\n");
	else if (n == 0xffff)
		fprintf(out, "unspecified\n");
	else if (n == 0xfffe)
		fprintf(out, "> 64Kb - 2 bytes\n");
	else
		fprintf(out, "%" PRId64 " bytes\n", n);
	fprintf(out, "Most recent Addition                : %s\n",
	        time_text(get(res, "last_add"), buf, sizeof(buf), "NA"));
	fprintf(out, "Most recent Erase                   : %s\n",
	        time_text(get(res, "last_erase"), buf, sizeof(buf), "NA"));
	if (flag_of(get(res, "overflow"), &b))
		fprintf(out, "SDR overflow                        : %s\n", b ? "yes" : "no");
	return 0;
}

/* ---- SEL (ipmitool `sel list`, `sel info`) --------------------------------- */

static const char *const sensor_types[] = {
	"reserved",
	"Temperature",
	"Voltage",
	"Current",
	"Fan",
	"Physical Security",
	"Platform Security",
	"Processor",
	"Power Supply",
	"Power Unit",
	"Cooling Device",
	"Other",
	"Memory",
	"Drive Slot / Bay",
	"POST Memory Resize",
	"System Firmwares",
	"Event Logging Disabled",
	"Watchdog1",
	"System Event",
	"Critical Interrupt",
	"Button",
	"Module / Board",
	"Microcontroller",
	"Add-in Card",
	"Chassis",
	"Chip Set",
	"Other FRU",
	"Cable / Interconnect",
	"Terminator",
	"System Boot Initiated",
	"Boot Error",
	"OS Boot",
	"OS Critical Stop",
	"Slot / Connector",
	"System ACPI Power State",
	"Watchdog2",
	"Platform Alert",
	"Entity Presence",
	"Monitor ASIC",
	"LAN",
	"Management Subsys Health",
	"Battery",
	"Session Audit",
	"Version Change",
	"FRU State",
};

const char *
render_sensor_type(unsigned code)
{
	if (code < sizeof(sensor_types) / sizeof(sensor_types[0]))
		return sensor_types[code];
	return code >= 0xc0 && code <= 0xff ? "OEM reserved" : "Unknown";
}

/* The SEL record type byte of e: record_type, else a numeric type. */
static int64_t
sel_record_type(struct json_object *e)
{
	struct json_object *t = get(e, "type");
	int64_t n;

	if (int_of(get(e, "record_type"), &n))
		return n;
	if (is_str(t))
		return strcmp(json_object_get_string(t), "system") ? 0xc0 : 0x02;
	return int_of(t, &n) ? n : 0x02;
}

/* A SEL list timestamp: " Pre-Init  |0000005133| " or "MM/DD/YYYY | HH:MM:SS | ". */
static void
sel_list_time(FILE *out, struct json_object *v)
{
	char buf[256], tbuf[64];
	struct tm tm;
	int64_t n;
	time_t t;

	if (v && !is_str(v) && int_of(v, &n) && n < IPMI_TIME_INIT_DONE) {
		fprintf(out, " Pre-Init  |%010" PRId64 "| ", n);
	} else if (time_of(v, &t)) {
		if (localtime_r(&t, &tm) && strftime(tbuf, sizeof(tbuf), "%m/%d/%Y", &tm))
			fprintf(out, "%s | ", tbuf);
		if (localtime_r(&t, &tm) && strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm))
			fprintf(out, "%s | ", tbuf);
	} else if (v) {
		fprintf(out, "%s | ", text_of(v, buf, sizeof(buf), ""));
	}
}

int
render_sel_list(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	struct json_object *arr = get(res, "entries");
	char buf[256];

	if (!arr || !json_object_is_type(arr, json_type_array)) {
		fprintf(rc->err, "ipmipoolctl: %s%ssel.list returned no \"entries\" array\n",
		        rc->bmc ? rc->bmc : "", rc->bmc ? ": " : "");
		return 1;
	}
	if (json_object_array_length(arr) == 0) {
		fprintf(out, "SEL has no entries\n");
		return 0;
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i), *v;
		int64_t id = 0, n;
		bool asserted = true;

		int_of(get(e, "id"), &id);
		fprintf(out, "%4" PRIx64 " | ", (uint64_t)id & 0xffff);
		if (sel_record_type(e) >= 0xc0) {
			/*
			 * OEM: the timestamped kinds (C0h-DFh) have a time; the
			 * daemon's description is the rest of ipmitool's line
			 * ("OEM record e0 | 424d...").
			 */
			sel_list_time(out, get(e, "timestamp"));
			fprintf(out, "%s\n", text_of(get(e, "description"), buf, sizeof(buf), ""));
			continue;
		}
		v = get(e, "timestamp");
		if (v)
			sel_list_time(out, v);
		else
			fprintf(out, "Pre-Init Time-stamp   | ");
		v = get(e, "sensor_type");
		if (v && !is_str(v) && int_of(v, &n))
			fprintf(out, "%s", render_sensor_type((unsigned)n & 0xff));
		else
			fprintf(out, "%s", text_of(v, buf, sizeof(buf), "Unknown"));
		/* ipmitool leaves out sensor number 0 */
		if (int_of(get(e, "sensor_number"), &n) && (n & 0xff) != 0)
			fprintf(out, " #0x%02" PRIx64, (uint64_t)n & 0xff);
		fprintf(out, " | %s", text_of(get(e, "description"), buf, sizeof(buf), ""));
		v = get(e, "direction");
		if (v) {
			if (is_str(v))
				asserted = strncasecmp(json_object_get_string(v), "de", 2) != 0;
			else if (int_of(v, &n))
				asserted = n == 0;
			fprintf(out, " | %s", asserted ? "Asserted" : "Deasserted");
		}
		fprintf(out, "\n");
	}
	return 0;
}

int
render_sel_info(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	struct json_object *v = get(res, "version");
	char buf[128];
	int64_t entries = -1, free_space = -1, n;
	bool b;
	const char *ver;

	fprintf(out, "SEL Information\n");
	/* Get SEL Info's version byte is BCD, low digit first: 51h is 1.5 */
	if (v && json_object_is_type(v, json_type_int) && int_of(v, &n)) {
		snprintf(buf, sizeof(buf), "%" PRIx64 ".%" PRIx64, ((uint64_t)n & 0xf),
		         ((uint64_t)n >> 4) & 0xf);
		ver = buf;
	} else {
		ver = text_of(v, buf, sizeof(buf), "");
	}
	fprintf(out, "Version          : %s%s\n", ver,
	        !strcmp(ver, "1.5") ? " (v1.5, v2 compliant)" : "");
	int_of(get(res, "entries"), &entries);
	int_of(get(res, "free_space"), &free_space);
	fprintf(out, "Entries          : %s\n", text_of(get(res, "entries"), buf, sizeof(buf), ""));
	if (free_space >= 0)
		fprintf(out, "Free Space       : %" PRId64 " bytes\n", free_space);
	if (entries >= 0 && free_space >= 0 && free_space != 65535 && entries * 16 + free_space)
		fprintf(out, "Percent Used     : %" PRId64 "%%\n",
		        entries * 16 * 100 / (entries * 16 + free_space));
	else
		fprintf(out, "Percent Used     : unknown\n");
	fprintf(out, "Last Add Time    : %s\n",
	        sel_time_text(get(res, "last_add_raw"), get(res, "last_add"), buf, sizeof(buf),
	                      "Not Available"));
	fprintf(out, "Last Del Time    : %s\n",
	        sel_time_text(get(res, "last_erase_raw"), get(res, "last_erase"), buf, sizeof(buf),
	                      "Not Available"));
	if (flag_of(get(res, "overflow"), &b))
		fprintf(out, "Overflow         : %s\n", b ? "true" : "false");
	return 0;
}

int
render_sel_clear(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	fprintf(out, "Clearing SEL.  Please allow a few seconds to erase.\n");
	return 0;
}

/* ---- FRU (ipmitool `fru print`) ------------------------------------------- */

/* One " Label : value" line per value (arrays: one per element). */
static void
fru_line(FILE *out, const char *label, struct json_object *v)
{
	char buf[512];

	if (!v)
		return;
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			fru_line(out, label, json_object_array_get_idx(v, i));
		return;
	}
	fprintf(out, " %-22s: %s\n", label, text_of(v, buf, sizeof(buf), ""));
}

int
render_fru(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	struct json_object *c = get(res, "chassis"), *b = get(res, "board"),
	                   *p = get(res, "product"), *v;
	char buf[128];
	time_t t;

	if (rc->fru_id == 0)
		fprintf(out, "FRU Device Description : Builtin FRU Device (ID 0)\n");
	else
		fprintf(out, "FRU Device Description : FRU Device (ID %u)\n", rc->fru_id);
	if (c) {
		fru_line(out, "Chassis Type", get(c, "type"));
		fru_line(out, "Chassis Part Number", get(c, "part_number"));
		fru_line(out, "Chassis Serial", get(c, "serial"));
		fru_line(out, "Chassis Extra", get(c, "extra"));
	}
	if (b) {
		v = get(b, "mfg_date");
		if (v && time_of(v, &t)) {
			struct tm tm;

			/* ipmitool's "%c %Z" (ipmipoolctl keeps the C locale) */
			if (localtime_r(&t, &tm) &&
			    strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y %Z", &tm))
				fprintf(out, " %-22s: %s\n", "Board Mfg Date", buf);
		} else {
			fru_line(out, "Board Mfg Date", v);
		}
		fru_line(out, "Board Mfg", get(b, "manufacturer"));
		fru_line(out, "Board Product", get(b, "product"));
		fru_line(out, "Board Serial", get(b, "serial"));
		fru_line(out, "Board Part Number", get(b, "part_number"));
		fru_line(out, "Board Extra", get(b, "extra"));
	}
	if (p) {
		fru_line(out, "Product Manufacturer", get(p, "manufacturer"));
		fru_line(out, "Product Name", get(p, "name"));
		fru_line(out, "Product Part Number", get(p, "part_number"));
		fru_line(out, "Product Version", get(p, "version"));
		fru_line(out, "Product Serial", get(p, "serial"));
		fru_line(out, "Product Asset Tag", get(p, "asset_tag"));
		fru_line(out, "Product Extra", get(p, "extra"));
	}
	return 0;
}

/* ---- raw (ipmitool `raw`) ------------------------------------------------- */

int
render_raw(FILE *out, struct json_object *res, const struct render_ctx *rc)
{
	struct json_object *d = get(res, "data");
	int64_t cc;
	size_t n = 0;

	if (!int_of(get(res, "completion_code"), &cc) || cc < 0 || cc > 255) {
		fprintf(rc->err, "ipmipoolctl: %s%sipmi.raw returned no completion_code\n",
		        rc->bmc ? rc->bmc : "", rc->bmc ? ": " : "");
		return 1;
	}
	if (cc != 0) {
		/* ipmitool's wording, so scripts that grep it keep working */
		fprintf(rc->err,
		        "%s%sUnable to send RAW command (channel=0x%x netfn=0x%x lun=0x%x cmd=0x%x "
		        "rsp=0x%x): %s\n",
		        rc->bmc ? rc->bmc : "", rc->bmc ? ": " : "", rc->channel, rc->netfn,
		        rc->lun, rc->cmd, (unsigned)cc, ipmipool_completion_code_str((uint8_t)cc));
		return 1;
	}
	if (is_str(d)) {
		const char *s = json_object_get_string(d);

		for (size_t i = 0; s[i]; i++) {
			if (s[i] == ' ')
				continue;
			if (!s[i + 1])
				break;
			if (n && n % 16 == 0)
				fprintf(out, "\n");
			fprintf(out, " %c%c", tolower((unsigned char)s[i]),
			        tolower((unsigned char)s[i + 1]));
			n++;
			i++;
		}
	} else if (d && json_object_is_type(d, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(d); i++) {
			int64_t byte = 0;

			int_of(json_object_array_get_idx(d, i), &byte);
			if (n && n % 16 == 0)
				fprintf(out, "\n");
			fprintf(out, " %02" PRIx64, (uint64_t)byte & 0xff);
			n++;
		}
	}
	fprintf(out, "\n");
	return 0;
}
