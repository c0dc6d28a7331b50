/*
 * ipmipoolctl.c - the command-line client of ipmipoold: parses the verbs of
 * the interface contract, turns each into one JSON-RPC call through
 * libipmipool (the only way it reaches the daemon), and prints the result
 * (render.c) or the error.  Exit status: 0 success, 1 RPC error, 2 usage.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "ipmipool.h"
#include "render.h"

#define EXIT_RPC   1
#define EXIT_USAGE 2

enum {
	OPT_BRIDGE = 1u << 0,
	OPT_BOOT = 1u << 1, /* --persistent --efi */
	OPT_ADD = 1u << 2,  /* --port --user --password-file --cipher --privilege */
	OPT_LUN = 1u << 3,
	OPT_OWNER = 1u << 4,
};

struct ctl {
	const char *socket;
	bool json;
	int timeout_ms; /* 0: the library's default */
	const char *complete;
	/* verb options */
	unsigned given; /* OPT_* seen on the command line */
	const char *bridge;
	bool persistent, efi;
	const char *port, *user, *password_file, *cipher, *privilege, *lun, *owner;

	struct ipmipool *p;
};

struct verb {
	const char *name;
	int (*run)(struct ctl *c, int argc, char **argv);
	unsigned opts;          /* OPT_* allowed */
	int min_args, max_args; /* positional arguments after the verb; -1: any */
	const char *usage;
};

static const struct verb *current_verb;

static void
usage_short(FILE *f)
{
	fprintf(f,
	        "Usage: ipmipoolctl [-s SOCKET] [--json] [--timeout SEC] COMMAND ...\n"
	        "Commands:\n"
	        "  list [GLOB] | status BMC | info BMC | stats | reload | daemon-info\n"
	        "  power BMC on|off|cycle|reset|soft|diag|status\n"
	        "  chassis BMC [status]\n"
	        "  bootdev BMC pxe|disk|bios|cdrom|safe|diag|floppy|none [--persistent] [--efi]\n"
	        "  sensors BMC | sensor BMC NUMBER [--owner ADDR] [--lun N]\n"
	        "  sdr-info BMC | sel BMC [list [last N]|info|clear] | fru BMC [ID]\n"
	        "  raw BMC NETFN CMD [BYTE...] [--bridge CHANNEL:ADDR[,TCHANNEL:TADDR]] [--lun N]\n"
	        "  add NAME HOST [--port P] [--user U] [--password-file F] [--cipher N|auto]\n"
	        "      [--privilege P]\n"
	        "  remove BMC | reconnect BMC\n"
	        "  call METHOD [JSON-PARAMS]\n"
	        "BMC may be a glob ('rack1-*') for commands that act on one BMC; the output\n"
	        "then has one line per BMC, prefixed with its name.  --bridge also works with\n"
	        "info, sensors, sensor, sdr-info, sel and fru.\n"
	        "Options:\n"
	        "  -s, --socket PATH   daemon socket (default $IPMIPOOL_SOCKET, else %s)\n"
	        "  -j, --json          print the daemon's result as JSON\n"
	        "  -t, --timeout SEC   give up on a call after SEC seconds (default 60)\n"
	        "  -h, --help          this text;  -V, --version  the version\n"
	        "Exit status: 0 success, 1 the daemon or a BMC reported an error, 2 usage error.\n",
	        IPMIPOOL_SOCKET_DEFAULT);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ipmipoolctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (current_verb)
		fprintf(stderr, "Usage: ipmipoolctl %s\n", current_verb->usage);
	else
		fprintf(stderr, "Try 'ipmipoolctl --help'.\n");
	return EXIT_USAGE;
}

/*
 * Prints err on stderr, naming bmc when the daemon did not name a BMC.  The
 * daemon's detail of a completion-code error already names the code
 * ("Chassis Control: completion code 0xcc (Invalid data field in
 * request)"): then the library's "(completion code 0xcc: ...)" is left out.
 */
static void
report_bmc(const struct ipmipool_error *err, const char *bmc)
{
	struct ipmipool_error e = *err;
	char buf[2048];

	if (!e.bmc[0] && bmc)
		snprintf(e.bmc, sizeof(e.bmc), "%s", bmc);
	if (e.completion_code >= 0 && strstr(e.detail, "completion code"))
		e.completion_code = -1;
	fprintf(stderr, "ipmipoolctl: %s\n", ipmipool_error_format(&e, buf, sizeof(buf)));
}

static void
report(const struct ipmipool_error *err)
{
	report_bmc(err, NULL);
}

/* ---- numbers and params ----------------------------------------------------- */

/* A number in C notation (0x.., 0.., decimal), whole string, within max. */
static bool
parse_uint(const char *s, unsigned long max, unsigned long *ret)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*ret = v;
	return true;
}

static int
add(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v || json_object_object_add(o, key, v) < 0) {
		json_object_put(v);
		fprintf(stderr, "ipmipoolctl: out of memory\n");
		return -1;
	}
	return 0;
}

static bool
is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* "CHANNEL:ADDR[,TCHANNEL:TADDR]" into params.bridge; sets rc->channel. */
static int
add_bridge(struct ctl *c, struct json_object *params, struct render_ctx *rc)
{
	unsigned long ch, addr, tch, taddr;
	char buf[64], *comma, *colon, *tcolon = NULL;
	struct json_object *b;

	if (!c->bridge)
		return 0;
	snprintf(buf, sizeof(buf), "%s", c->bridge);
	comma = strchr(buf, ',');
	if (comma) {
		*comma++ = '\0';
		tcolon = strchr(comma, ':');
		if (!tcolon)
			goto bad;
		*tcolon++ = '\0';
	}
	colon = strchr(buf, ':');
	if (!colon)
		goto bad;
	*colon++ = '\0';
	if (!parse_uint(buf, 15, &ch) || !parse_uint(colon, 255, &addr))
		goto bad;
	if (comma && (!parse_uint(comma, 15, &tch) || !parse_uint(tcolon, 255, &taddr)))
		goto bad;
	b = json_object_new_object();
	if (add(params, "bridge", b) < 0 || add(b, "channel", json_object_new_int((int)ch)) < 0 ||
	    add(b, "address", json_object_new_int((int)addr)) < 0)
		return -1;
	if (comma && (add(b, "transit_channel", json_object_new_int((int)tch)) < 0 ||
	              add(b, "transit_address", json_object_new_int((int)taddr)) < 0))
		return -1;
	rc->channel = (unsigned)ch;
	return 0;
bad:
	usage_error("--bridge wants CHANNEL:ADDR[,TCHANNEL:TADDR] (channel 0-15, address "
	            "0-255), not '%s'",
	            c->bridge);
	return -2;
}

/* ---- talking to the daemon ------------------------------------------------- */

static int
ctl_connect(struct ctl *c)
{
	struct ipmipool_error err;

	if (c->p)
		return 0;
	if (ipmipool_connect(&c->p, c->socket, &err) < 0) {
		report(&err);
		return EXIT_RPC;
	}
	if (c->timeout_ms)
		ipmipool_set_timeout(c->p, c->timeout_ms);
	return 0;
}

/*
 * One call; reports errors, naming bmc (or NULL) when the daemon names no
 * BMC.  Returns 0 with *res, or EXIT_RPC.
 */
static int
rpc(struct ctl *c, const char *method, struct json_object *params, const char *bmc,
    struct json_object **res)
{
	struct ipmipool_error err;

	if (ctl_connect(c))
		return EXIT_RPC;
	if (ipmipool_call(c->p, method, params, IPMIPOOL_TIMEOUT_DEFAULT, res, &err) < 0) {
		report_bmc(&err, bmc);
		return EXIT_RPC;
	}
	return 0;
}

static void
print_json(struct json_object *v)
{
	render_json(stdout, v, NULL);
}

/* Runs fn for its verdict only (what it prints is thrown away). */
static int
verdict(render_fn fn, struct json_object *res, const struct render_ctx *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *sink = open_memstream(&buf, &len);
	int r;

	if (!sink)
		return 0;
	r = fn(sink, res, rc);
	fclose(sink);
	free(buf);
	return r;
}

/* Prints text with "name: " before every line. */
static void
print_prefixed(const char *name, const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		const char *line = text + i;

		/* ipmitool's raw output starts with a space; one is enough */
		if (n && line[0] == ' ') {
			line++;
			n--;
		}
		printf("%s: %.*s\n", name, (int)n, line);
		i += (nl ? (size_t)(nl - (text + i)) + 1 : len - i);
	}
}

static int
name_cmp(const void *a, const void *b)
{
	return strverscmp(*(const char *const *)a, *(const char *const *)b);
}

static bool
entry_error(struct json_object *entry, struct json_object **ret_err)
{
	struct json_object *e = NULL;

	if (!entry || !json_object_is_type(entry, json_type_object) ||
	    !json_object_object_get_ex(entry, "error", &e) || !e ||
	    !json_object_is_type(e, json_type_object) ||
	    !json_object_object_get_ex(e, "code", NULL))
		return false;
	*ret_err = e;
	return true;
}

/* {"results": {NAME: RESULT | {"error": ERROR}}}: one block per BMC. */
static int
fan_out(struct ctl *c, const char *glob, struct json_object *res, render_fn fn,
        struct render_ctx *rc)
{
	struct json_object *results = NULL, *e;
	struct json_object_iterator it, end;
	const char **names;
	size_t n = 0, i = 0;
	int status = 0;

	if (!json_object_object_get_ex(res, "results", &results) || !results ||
	    !json_object_is_type(results, json_type_object)) {
		fprintf(stderr, "ipmipoolctl: the daemon's answer has no \"results\" object\n");
		return EXIT_RPC;
	}
	n = (size_t)json_object_object_length(results);
	if (n == 0) {
		if (c->json)
			print_json(res);
		fprintf(stderr, "ipmipoolctl: no BMC matches '%s'\n", glob);
		return EXIT_RPC;
	}
	names = calloc(n, sizeof(*names));
	if (!names) {
		fprintf(stderr, "ipmipoolctl: out of memory\n");
		return EXIT_RPC;
	}
	end = json_object_iter_end(results);
	for (it = json_object_iter_begin(results); !json_object_iter_equal(&it, &end) && i < n;
	     json_object_iter_next(&it))
		names[i++] = json_object_iter_peek_name(&it);
	qsort(names, n, sizeof(*names), name_cmp);
	if (c->json)
		print_json(res);
	for (i = 0; i < n; i++) {
		struct json_object *entry = NULL;

		json_object_object_get_ex(results, names[i], &entry);
		rc->bmc = names[i];
		if (entry_error(entry, &e)) {
			struct ipmipool_error err;

			ipmipool_error_from_json(e, &err);
			if (!err.bmc[0])
				snprintf(err.bmc, sizeof(err.bmc), "%s", names[i]);
			report(&err);
			status = EXIT_RPC;
			continue;
		}
		if (c->json) {
			if (verdict(fn, entry, rc))
				status = EXIT_RPC;
		} else {
			char *buf = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&buf, &len);

			if (!m) {
				status = EXIT_RPC;
				continue;
			}
			if (fn(m, entry, rc))
				status = EXIT_RPC;
			fclose(m);
			print_prefixed(names[i], buf, len);
			free(buf);
		}
	}
	free(names);
	return status;
}

/*
 * Calls method for bmc (a name, or a glob: fan-out) with params (consumed;
 * NULL for none besides the BMC) and prints the result with fn.
 */
static int
bmc_call(struct ctl *c, const char *bmc, const char *method, struct json_object *params,
         render_fn fn, struct render_ctx *rc)
{
	struct json_object *res = NULL, *arr;
	bool glob = is_glob(bmc);
	int r;

	if (!params)
		params = json_object_new_object();
	if (!params)
		return EXIT_RPC;
	if (glob) {
		arr = json_object_new_array();
		if (add(params, "bmcs", arr) < 0 ||
		    json_object_array_add(arr, json_object_new_string(bmc)) < 0) {
			json_object_put(params);
			return EXIT_RPC;
		}
	} else if (add(params, "bmc", json_object_new_string(bmc)) < 0) {
		json_object_put(params);
		return EXIT_RPC;
	}
	r = rpc(c, method, params, glob ? NULL : bmc, &res);
	json_object_put(params);
	if (r)
		return r;
	if (glob)
		r = fan_out(c, bmc, res, fn, rc);
	else if (c->json) {
		print_json(res);
		r = verdict(fn, res, rc) ? EXIT_RPC : 0;
	} else {
		r = fn(stdout, res, rc) ? EXIT_RPC : 0;
	}
	json_object_put(res);
	return r;
}

/* A call with no BMC parameter; errors name bmc (or NULL) when the daemon does not. */
static int
plain_call(struct ctl *c, const char *method, struct json_object *params, const char *bmc,
           render_fn fn, struct render_ctx *rc)
{
	struct json_object *res = NULL;
	int r = rpc(c, method, params, bmc, &res);

	json_object_put(params);
	if (r)
		return r;
	if (c->json)
		print_json(res);
	else
		r = fn(stdout, res, rc) ? EXIT_RPC : 0;
	json_object_put(res);
	return r;
}

/* ---- verbs ------------------------------------------------------------------- */

static struct render_ctx
rctx(void)
{
	struct render_ctx rc = { .err = stderr };

	return rc;
}

static int
v_list(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();

	rc.pattern = argc > 0 ? argv[0] : NULL;
	return plain_call(c, "bmc.list", NULL, NULL, render_bmc_list, &rc);
}

static int
v_status(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();

	return bmc_call(c, argv[0], "bmc.status", NULL, render_bmc_state, &rc);
}

/* A method on one BMC whose only extra parameter is an optional bridge. */
static int
bridged(struct ctl *c, const char *bmc, const char *method, render_fn fn, struct render_ctx *rc)
{
	struct json_object *params = json_object_new_object();
	int r;

	if (!params)
		return EXIT_RPC;
	r = add_bridge(c, params, rc);
	if (r < 0) {
		json_object_put(params);
		return r == -2 ? EXIT_USAGE : EXIT_RPC;
	}
	return bmc_call(c, bmc, method, params, fn, rc);
}

static int
v_info(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();

	return bridged(c, argv[0], "mc.info", render_mc_info, &rc);
}

static int
v_stats(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();

	return plain_call(c, "daemon.stats", NULL, NULL, render_daemon_stats, &rc);
}

static int
v_daemon_info(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();

	return plain_call(c, "daemon.info", NULL, NULL, render_daemon_info, &rc);
}

static int
v_reload(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();

	return plain_call(c, "daemon.reload", NULL, NULL, render_reload, &rc);
}

static bool
one_of(const char *s, const char *const *words)
{
	for (; *words; words++) {
		if (!strcmp(s, *words))
			return true;
	}
	return false;
}

static int
v_power(struct ctl *c, int argc, char **argv)
{
	static const char *const actions[] = {
		"on", "off", "cycle", "reset", "soft", "diag", NULL
	};
	struct render_ctx rc = rctx();
	struct json_object *params;

	if (!strcmp(argv[1], "status"))
		return bmc_call(c, argv[0], "chassis.status", NULL, render_power_status, &rc);
	if (!one_of(argv[1], actions))
		return usage_error("unknown power action '%s'", argv[1]);
	params = json_object_new_object();
	if (!params || add(params, "action", json_object_new_string(argv[1])) < 0) {
		json_object_put(params);
		return EXIT_RPC;
	}
	rc.action = argv[1];
	return bmc_call(c, argv[0], "chassis.power", params, render_power_action, &rc);
}

static int
v_chassis(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();

	if (argc > 1 && strcmp(argv[1], "status") != 0)
		return usage_error("unknown chassis command '%s'", argv[1]);
	return bmc_call(c, argv[0], "chassis.status", NULL, render_chassis_status, &rc);
}

static int
v_bootdev(struct ctl *c, int argc, char **argv)
{
	static const char *const devices[] = { "none",  "pxe",  "disk",   "safe", "diag",
		                               "cdrom", "bios", "floppy", NULL };
	struct render_ctx rc = rctx();
	struct json_object *params;

	if (!one_of(argv[1], devices))
		return usage_error("unknown boot device '%s'", argv[1]);
	params = json_object_new_object();
	if (!params || add(params, "device", json_object_new_string(argv[1])) < 0 ||
	    (c->persistent && add(params, "persistent", json_object_new_boolean(1)) < 0) ||
	    (c->efi && add(params, "efi", json_object_new_boolean(1)) < 0)) {
		json_object_put(params);
		return EXIT_RPC;
	}
	rc.action = argv[1];
	return bmc_call(c, argv[0], "chassis.bootdev", params, render_bootdev, &rc);
}

static int
v_sensors(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();

	return bridged(c, argv[0], "sdr.list", render_sdr_list, &rc);
}

static int
v_sensor(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();
	struct json_object *params;
	unsigned long num, lun = 0, owner = 0;
	int r;

	if (!parse_uint(argv[1], 255, &num))
		return usage_error("sensor number '%s' is not 0-255", argv[1]);
	if (c->lun && !parse_uint(c->lun, 3, &lun))
		return usage_error("--lun wants 0-3, not '%s'", c->lun);
	if (c->owner && !parse_uint(c->owner, 255, &owner))
		return usage_error("--owner wants an IPMB address 0-255, not '%s'", c->owner);
	params = json_object_new_object();
	if (!params || add(params, "number", json_object_new_int((int)num)) < 0 ||
	    (c->lun && add(params, "lun", json_object_new_int((int)lun)) < 0) ||
	    (c->owner && add(params, "owner", json_object_new_int((int)owner)) < 0)) {
		json_object_put(params);
		return EXIT_RPC;
	}
	r = add_bridge(c, params, &rc);
	if (r < 0) {
		json_object_put(params);
		return r == -2 ? EXIT_USAGE : EXIT_RPC;
	}
	return bmc_call(c, argv[0], "sensor.read", params, render_sensor, &rc);
}

static int
v_sdr_info(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();

	return bridged(c, argv[0], "sdr.info", render_sdr_info, &rc);
}

static int
v_sel(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();
	const char *sub = argc > 1 ? argv[1] : "list";
	struct json_object *params;
	unsigned long last;
	int r;

	if (!strcmp(sub, "info")) {
		if (argc > 2)
			return usage_error("too many arguments");
		return bridged(c, argv[0], "sel.info", render_sel_info, &rc);
	}
	if (!strcmp(sub, "clear")) {
		if (argc > 2)
			return usage_error("too many arguments");
		return bridged(c, argv[0], "sel.clear", render_sel_clear, &rc);
	}
	if (strcmp(sub, "list") != 0)
		return usage_error("unknown sel command '%s'", sub);
	params = json_object_new_object();
	if (!params)
		return EXIT_RPC;
	if (argc > 2) {
		if (argc != 4 || strcmp(argv[2], "last") != 0 ||
		    !parse_uint(argv[3], INT_MAX, &last) || last == 0) {
			json_object_put(params);
			return usage_error("sel list takes 'last N' (N > 0)");
		}
		if (add(params, "last", json_object_new_int((int)last)) < 0) {
			json_object_put(params);
			return EXIT_RPC;
		}
	}
	r = add_bridge(c, params, &rc);
	if (r < 0) {
		json_object_put(params);
		return r == -2 ? EXIT_USAGE : EXIT_RPC;
	}
	return bmc_call(c, argv[0], "sel.list", params, render_sel_list, &rc);
}

static int
v_fru(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();
	struct json_object *params;
	unsigned long id = 0;
	int r;

	if (argc > 1 && !parse_uint(argv[1], 255, &id))
		return usage_error("FRU id '%s' is not 0-255", argv[1]);
	params = json_object_new_object();
	if (!params || (argc > 1 && add(params, "id", json_object_new_int((int)id)) < 0)) {
		json_object_put(params);
		return EXIT_RPC;
	}
	r = add_bridge(c, params, &rc);
	if (r < 0) {
		json_object_put(params);
		return r == -2 ? EXIT_USAGE : EXIT_RPC;
	}
	rc.fru_id = (unsigned)id;
	return bmc_call(c, argv[0], "fru.read", params, render_fru, &rc);
}

/* ipmitool's network function names (raw accepts them too). */
static bool
parse_netfn(const char *s, unsigned long *ret)
{
	static const struct {
		const char *name;
		unsigned long netfn;
	} names[] = {
		{ "chassis", 0x00 },  { "bridge", 0x02 },      { "sensorevent", 0x04 },
		{ "se", 0x04 },       { "application", 0x06 }, { "app", 0x06 },
		{ "firmware", 0x08 }, { "storage", 0x0a },     { "transport", 0x0c },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcasecmp(s, names[i].name)) {
			*ret = names[i].netfn;
			return true;
		}
	}
	return parse_uint(s, 0x3f, ret);
}

static int
v_raw(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();
	struct json_object *params, *data;
	unsigned long netfn, cmd, lun = 0, b;
	int r;

	if (!parse_netfn(argv[1], &netfn))
		return usage_error("Given netfn \"%s\" is invalid.", argv[1]);
	if (!parse_uint(argv[2], 255, &cmd))
		return usage_error("Given command \"%s\" is invalid.", argv[2]);
	if (c->lun && !parse_uint(c->lun, 3, &lun))
		return usage_error("--lun wants 0-3, not '%s'", c->lun);
	if (argc - 3 > 255)
		return usage_error("Raw command input limit (255 bytes) exceeded");
	params = json_object_new_object();
	data = json_object_new_array();
	if (!params || add(params, "netfn", json_object_new_int((int)netfn)) < 0 ||
	    add(params, "cmd", json_object_new_int((int)cmd)) < 0 ||
	    add(params, "data", data) < 0 ||
	    (c->lun && add(params, "lun", json_object_new_int((int)lun)) < 0)) {
		json_object_put(params);
		return EXIT_RPC;
	}
	for (int i = 3; i < argc; i++) {
		if (!parse_uint(argv[i], 255, &b)) {
			json_object_put(params);
			return usage_error("Given data \"%s\" is invalid.", argv[i]);
		}
		json_object_array_add(data, json_object_new_int((int)b));
	}
	r = add_bridge(c, params, &rc);
	if (r < 0) {
		json_object_put(params);
		return r == -2 ? EXIT_USAGE : EXIT_RPC;
	}
	rc.netfn = (unsigned)netfn;
	rc.cmd = (unsigned)cmd;
	rc.lun = (unsigned)lun;
	return bmc_call(c, argv[0], "ipmi.raw", params, render_raw, &rc);
}

static int
v_add(struct ctl *c, int argc, char **argv)
{
	static const char *const privs[] = { "callback", "user", "operator", "administrator",
		                             NULL };
	struct render_ctx rc = rctx();
	struct json_object *params = json_object_new_object();
	unsigned long port = 0, suite = 0;

	if (!params)
		return EXIT_RPC;
	if (c->port && !parse_uint(c->port, 65535, &port))
		goto bad_port;
	if (c->cipher && strcmp(c->cipher, "auto") != 0 && !parse_uint(c->cipher, 255, &suite))
		goto bad_cipher;
	if (c->privilege && !one_of(c->privilege, privs)) {
		json_object_put(params);
		return usage_error("--privilege is one of callback, user, operator, administrator");
	}
	if (add(params, "name", json_object_new_string(argv[0])) < 0 ||
	    add(params, "host", json_object_new_string(argv[1])) < 0 ||
	    (c->port && add(params, "port", json_object_new_int((int)port)) < 0) ||
	    (c->user && add(params, "username", json_object_new_string(c->user)) < 0) ||
	    (c->password_file &&
	     add(params, "password_file", json_object_new_string(c->password_file)) < 0) ||
	    (c->cipher && add(params, "cipher_suite",
	                      strcmp(c->cipher, "auto") ? json_object_new_int((int)suite)
	                                                : json_object_new_string("auto")) < 0) ||
	    (c->privilege && add(params, "privilege", json_object_new_string(c->privilege)) < 0)) {
		json_object_put(params);
		return EXIT_RPC;
	}
	/* e.g. "a BMC with this name exists": say which */
	return plain_call(c, "bmc.add", params, argv[0], render_bmc_state, &rc);
bad_port:
	json_object_put(params);
	return usage_error("--port wants 1-65535, not '%s'", c->port);
bad_cipher:
	json_object_put(params);
	return usage_error("--cipher wants a suite number or 'auto', not '%s'", c->cipher);
}

static int
v_remove(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();

	return bmc_call(c, argv[0], "bmc.remove", NULL, render_removed, &rc);
}

static int
v_reconnect(struct ctl *c, int argc, char **argv)
{
	struct render_ctx rc = rctx();

	return bmc_call(c, argv[0], "bmc.reconnect", NULL, render_bmc_state, &rc);
}

static int
v_call(struct ctl *c, int argc, char **argv)
{
	struct json_object *params = NULL, *res = NULL;
	enum json_tokener_error jerr = json_tokener_success;
	int r;

	if (argc > 1) {
		params = json_tokener_parse_verbose(argv[1], &jerr);
		if (!params || (!json_object_is_type(params, json_type_object) &&
		                !json_object_is_type(params, json_type_array))) {
			json_object_put(params);
			return usage_error("JSON-PARAMS must be a JSON object or array (%s)",
			                   params || jerr == json_tokener_success
			                       ? "got a plain value"
			                       : json_tokener_error_desc(jerr));
		}
	}
	r = rpc(c, argv[0], params, NULL, &res);
	json_object_put(params);
	if (r)
		return r;
	print_json(res);
	json_object_put(res);
	return 0;
}

static const struct verb verbs[] = {
	{ "list", v_list, 0, 0, 1, "list [GLOB]" },
	{ "status", v_status, 0, 1, 1, "status BMC" },
	{ "info", v_info, OPT_BRIDGE, 1, 1, "info BMC [--bridge CHANNEL:ADDR[,TCHANNEL:TADDR]]" },
	{ "stats", v_stats, 0, 0, 0, "stats" },
	{ "reload", v_reload, 0, 0, 0, "reload" },
	{ "daemon-info", v_daemon_info, 0, 0, 0, "daemon-info" },
	{ "power", v_power, 0, 2, 2, "power BMC on|off|cycle|reset|soft|diag|status" },
	{ "chassis", v_chassis, 0, 1, 2, "chassis BMC [status]" },
	{ "bootdev", v_bootdev, OPT_BOOT, 2, 2,
	  "bootdev BMC pxe|disk|bios|cdrom|safe|diag|floppy|none [--persistent] [--efi]" },
	{ "sensors", v_sensors, OPT_BRIDGE, 1, 1, "sensors BMC [--bridge ...]" },
	{ "sensor", v_sensor, OPT_BRIDGE | OPT_LUN | OPT_OWNER, 2, 2,
	  "sensor BMC NUMBER [--owner ADDR] [--lun N] [--bridge ...]" },
	{ "sdr-info", v_sdr_info, OPT_BRIDGE, 1, 1, "sdr-info BMC [--bridge ...]" },
	{ "sel", v_sel, OPT_BRIDGE, 1, 4, "sel BMC [list [last N]|info|clear] [--bridge ...]" },
	{ "fru", v_fru, OPT_BRIDGE, 1, 2, "fru BMC [ID] [--bridge ...]" },
	{ "raw", v_raw, OPT_BRIDGE | OPT_LUN, 3, -1,
	  "raw BMC NETFN CMD [BYTE...] [--bridge CHANNEL:ADDR[,TCHANNEL:TADDR]] [--lun N]" },
	{ "add", v_add, OPT_ADD, 2, 2,
	  "add NAME HOST [--port P] [--user U] [--password-file F] [--cipher N|auto] "
	  "[--privilege P]" },
	{ "remove", v_remove, 0, 1, 1, "remove BMC" },
	{ "reconnect", v_reconnect, 0, 1, 1, "reconnect BMC" },
	{ "call", v_call, 0, 1, 2, "call METHOD [JSON-PARAMS]" },
};
#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

static const char *const methods[] = {
	"bmc.list",      "bmc.status",      "bmc.add",     "bmc.remove",
	"bmc.reconnect", "ipmi.raw",        "mc.info",     "chassis.status",
	"chassis.power", "chassis.bootdev", "sensor.read", "sdr.info",
	"sdr.list",      "sel.info",        "sel.list",    "sel.clear",
	"fru.info",      "fru.read",        "daemon.info", "daemon.stats",
	"daemon.reload", "rpc.discover",    NULL,
};

/* The hidden --complete WHAT, for the bash completion: one word a line. */
static int
complete(struct ctl *c)
{
	struct json_object *res = NULL, *arr = NULL;
	struct ipmipool_error err;

	if (!strcmp(c->complete, "verbs")) {
		for (size_t i = 0; i < NVERBS; i++)
			printf("%s\n", verbs[i].name);
		return 0;
	}
	if (!strcmp(c->complete, "methods")) {
		for (size_t i = 0; methods[i]; i++)
			printf("%s\n", methods[i]);
		return 0;
	}
	if (strcmp(c->complete, "bmcs") != 0)
		return usage_error("--complete takes bmcs, verbs or methods");
	/* quietly: completion must not spill errors into the command line */
	if (ipmipool_connect(&c->p, c->socket, &err) < 0)
		return EXIT_RPC;
	if (ipmipool_call(c->p, "bmc.list", NULL, c->timeout_ms ? c->timeout_ms : 2000, &res,
	                  &err) < 0)
		return EXIT_RPC;
	if (json_object_object_get_ex(res, "bmcs", &arr) &&
	    json_object_is_type(arr, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			struct json_object *name = NULL;

			if (json_object_object_get_ex(json_object_array_get_idx(arr, i), "name",
			                              &name) &&
			    json_object_is_type(name, json_type_string))
				printf("%s\n", json_object_get_string(name));
		}
	}
	json_object_put(res);
	return 0;
}

/* ---- command line ------------------------------------------------------------- */

struct optdef {
	const char *lng;
	char shrt;
	bool arg;
	unsigned verb_opt; /* 0: global */
};

static const struct optdef optdefs[] = {
	{ "socket", 's', true, 0 },
	{ "json", 'j', false, 0 },
	{ "timeout", 't', true, 0 },
	{ "help", 'h', false, 0 },
	{ "version", 'V', false, 0 },
	{ "complete", 0, true, 0 },
	{ "bridge", 0, true, OPT_BRIDGE },
	{ "lun", 0, true, OPT_LUN },
	{ "owner", 0, true, OPT_OWNER }, /* sensor: the sensor owner's IPMB address */
	{ "persistent", 0, false, OPT_BOOT },
	{ "efi", 0, false, OPT_BOOT },
	{ "port", 0, true, OPT_ADD },
	{ "user", 0, true, OPT_ADD },
	{ "password-file", 0, true, OPT_ADD },
	{ "cipher", 0, true, OPT_ADD },
	{ "privilege", 0, true, OPT_ADD },
};

static int
set_option(struct ctl *c, const struct optdef *d, const char *val)
{
	char *end;
	double sec;

	c->given |= d->verb_opt;
	if (!strcmp(d->lng, "socket"))
		c->socket = val;
	else if (!strcmp(d->lng, "json"))
		c->json = true;
	else if (!strcmp(d->lng, "timeout")) {
		errno = 0;
		sec = strtod(val, &end);
		if (errno || *end || !(sec > 0) || sec > 86400)
			return usage_error("--timeout wants seconds (0 < SEC <= 86400), not '%s'",
			                   val);
		c->timeout_ms = (int)(sec * 1000 + 0.5);
		if (c->timeout_ms < 1)
			c->timeout_ms = 1;
	} else if (!strcmp(d->lng, "help")) {
		usage_short(stdout);
		exit(0);
	} else if (!strcmp(d->lng, "version")) {
		printf("ipmipoolctl %s (libipmipool %s)\n", IPMIPOOL_CTL_VERSION,
		       ipmipool_version());
		exit(0);
	} else if (!strcmp(d->lng, "complete"))
		c->complete = val;
	else if (!strcmp(d->lng, "bridge"))
		c->bridge = val;
	else if (!strcmp(d->lng, "lun"))
		c->lun = val;
	else if (!strcmp(d->lng, "owner"))
		c->owner = val;
	else if (!strcmp(d->lng, "persistent"))
		c->persistent = true;
	else if (!strcmp(d->lng, "efi"))
		c->efi = true;
	else if (!strcmp(d->lng, "port"))
		c->port = val;
	else if (!strcmp(d->lng, "user"))
		c->user = val;
	else if (!strcmp(d->lng, "password-file"))
		c->password_file = val;
	else if (!strcmp(d->lng, "cipher"))
		c->cipher = val;
	else if (!strcmp(d->lng, "privilege"))
		c->privilege = val;
	return 0;
}

/*
 * Options may come anywhere (before or after the verb), as --opt VAL,
 * --opt=VAL, -x VAL or -xVAL; "--" ends them.  The rest is positional.
 */
static int
parse_args(struct ctl *c, int argc, char **argv, char **pos, int *npos)
{
	bool opts_done = false;

	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const struct optdef *d = NULL;
		size_t k;

		if (opts_done || a[0] != '-' || a[1] == '\0') {
			pos[(*npos)++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			opts_done = true;
			continue;
		}
		for (k = 0; k < sizeof(optdefs) / sizeof(optdefs[0]); k++) {
			size_t l = strlen(optdefs[k].lng);

			if (a[1] == '-' && !strncmp(a + 2, optdefs[k].lng, l) &&
			    (a[2 + l] == '\0' || (a[2 + l] == '=' && optdefs[k].arg))) {
				d = &optdefs[k];
				if (a[2 + l] == '=')
					val = a + 3 + l;
				break;
			}
			if (a[1] != '-' && optdefs[k].shrt && a[1] == optdefs[k].shrt &&
			    (a[2] == '\0' || optdefs[k].arg)) {
				d = &optdefs[k];
				if (a[2])
					val = a + 2;
				break;
			}
		}
		if (!d)
			return usage_error("unknown option '%s'", a);
		if (d->arg && !val) {
			if (i + 1 >= argc)
				return usage_error("option '%s' needs a value", a);
			val = argv[++i];
		}
		if (set_option(c, d, val))
			return EXIT_USAGE;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct ctl c = { 0 };
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	const struct verb *v = NULL;
	int npos = 0, r;

	if (!pos)
		return EXIT_RPC;
	r = parse_args(&c, argc, argv, pos, &npos);
	if (r) {
		free(pos);
		return r;
	}
	if (c.complete) {
		r = complete(&c);
		goto out;
	}
	if (npos == 0) {
		usage_short(stderr);
		free(pos);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < NVERBS; i++) {
		if (!strcmp(verbs[i].name, pos[0]))
			v = &verbs[i];
	}
	if (!v) {
		r = usage_error("unknown command '%s'", pos[0]);
		goto out;
	}
	current_verb = v;
	if (c.given & ~v->opts) {
		r = usage_error("an option given does not apply to '%s'", v->name);
		goto out;
	}
	if (npos - 1 < v->min_args) {
		r = usage_error("missing arguments");
		goto out;
	}
	if (v->max_args >= 0 && npos - 1 > v->max_args) {
		r = usage_error("too many arguments");
		goto out;
	}
	r = v->run(&c, npos - 1, pos + 1);
out:
	ipmipool_close(c.p);
	free(pos);
	if (fflush(stdout) != 0 && r == 0)
		r = EXIT_RPC;
	return r;
}
