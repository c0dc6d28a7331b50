/*
 * config.c - ipmipoold's configuration (see config.h).  keys[] is the one
 * table: it drives parsing, built-in defaults, validation, the runtime
 * bmc.add path and config_known_keys().  libinih splits "key = value"; a
 * line reader in front of it counts lines (Debian builds inih without
 * INI_HANDLER_LINENO), strips comments, reads section headers and wipes
 * inih's line buffer.  Core band: no libevent, no sockets, no logging --
 * every problem goes to the caller's callback as file:line: reason, and no
 * reason ever holds a secret.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>
#include <openssl/crypto.h>

#include "config.h"
#include "csuite.h"
#include "secret.h"

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define CONFIG_FILE_MAX (1024 * 1024)
#define KEYS_MAX        32
#define RUNTIME_FILE    "(runtime)"
#define SECRET_LINE_MAX 128 /* first line of a kg_file: hex, 0x, blanks */

/* Where a key may appear. */
enum where { W_DAEMON = 1, W_DEFAULTS = 2, W_BMC = 4 };

enum key_flags {
	KF_RELOADABLE = 1 << 0, /* daemon.reload applies it without a restart */
	KF_SECRET = 1 << 1,     /* stores a secret: never echoed, wiped */
	KF_NONEMPTY = 1 << 2,
	KF_ABSOLUTE = 1 << 3, /* an absolute path */
	KF_NOSPACE = 1 << 4,  /* no blanks or control characters */
};

/* Keys of one group share storage; a section sets at most one of them. */
enum key_group { G_NONE, G_PASSWORD, G_KG };

/* Where a value came from: decides relative paths and inline secrets. */
struct origin {
	const char *file; /* NULL: runtime parameters (bmc.add) */
	char dir[PATH_MAX];
	bool world_readable;
	char why[256]; /* a setter's reason on failure */
};

/* A member of struct config_daemon or struct config_bmc. */
struct field {
	size_t off;
	size_t size;
};

struct enum_name {
	const char *name;
	unsigned value;
};

struct key;
typedef int (*key_set_fn)(struct origin *o, const struct key *k, void *base, const char *v);

struct key {
	const char *name;
	const char *qname;  /* "daemon.socket", "bmc.port" */
	const char *dqname; /* "defaults.port" when allowed in [defaults] */
	unsigned where;     /* enum where */
	key_set_fn set;
	struct field f[2]; /* storage; f[1] is a count or length, if any */
	double min, max;
	const struct enum_name *names;
	const char *def; /* default, as it would be written; NULL: none */
	enum key_group group;
	unsigned flags; /* enum key_flags */
};

static int set_string(struct origin *o, const struct key *k, void *base, const char *v);
static int set_uint(struct origin *o, const struct key *k, void *base, const char *v);
static int set_double(struct origin *o, const struct key *k, void *base, const char *v);
static int set_mode(struct origin *o, const struct key *k, void *base, const char *v);
static int set_enum(struct origin *o, const struct key *k, void *base, const char *v);
static int set_bool(struct origin *o, const struct key *k, void *base, const char *v);
static int set_uids(struct origin *o, const struct key *k, void *base, const char *v);
static int set_suite(struct origin *o, const struct key *k, void *base, const char *v);
static int set_suites(struct origin *o, const struct key *k, void *base, const char *v);
static int set_password(struct origin *o, const struct key *k, void *base, const char *v);
static int set_password_file(struct origin *o, const struct key *k, void *base, const char *v);
static int set_credential(struct origin *o, const struct key *k, void *base, const char *v);
static int set_kg(struct origin *o, const struct key *k, void *base, const char *v);
static int set_kg_file(struct origin *o, const struct key *k, void *base, const char *v);

static const struct enum_name log_levels[] = {
	{ "error", CONFIG_LOG_ERROR },
	{ "warning", CONFIG_LOG_WARNING },
	{ "info", CONFIG_LOG_INFO },
	{ "debug", CONFIG_LOG_DEBUG },
	{ NULL, 0 },
};

static const struct enum_name privileges[] = {
	{ "callback", 1 }, { "user", 2 }, { "operator", 3 }, { "administrator", 4 }, { NULL, 0 },
};

#define DF(m)                                                                                      \
	{                                                                                          \
		offsetof(struct config_daemon, m), sizeof(((struct config_daemon *)0)->m)          \
	}
#define BF(m)                                                                                      \
	{                                                                                          \
		offsetof(struct config_bmc, m), sizeof(((struct config_bmc *)0)->m)                \
	}
#define DAEMON_KEY(n) .name = #n, .qname = "daemon." #n, .where = W_DAEMON
#define BMC_KEY(n)                                                                                 \
	.name = #n, .qname = "bmc." #n, .dqname = "defaults." #n, .where = W_DEFAULTS | W_BMC
#define BMC_ONLY_KEY(n) .name = #n, .qname = "bmc." #n, .where = W_BMC

/*
 * Every key.  To add one: a row here, a member in config.h, a documented
 * line in conf/ipmipool.conf (the unit test checks it), and, for a BMC key,
 * config_bmc_equal().
 */
static const struct key keys[] = {
	/* [daemon] */
	{ DAEMON_KEY(socket), .set = set_string, .f = { DF(socket) }, .def = CONFIG_DEFAULT_SOCKET,
	  .flags = KF_NONEMPTY | KF_ABSOLUTE },
	{ DAEMON_KEY(socket_mode), .set = set_mode, .f = { DF(socket_mode) }, .max = 0777,
	  .def = "0660" },
	{ DAEMON_KEY(socket_group), .set = set_string, .f = { DF(socket_group) }, .def = "ipmipool",
	  .flags = KF_NOSPACE },
	{ DAEMON_KEY(log_level), .set = set_enum, .f = { DF(log_level) }, .names = log_levels,
	  .def = "info", .flags = KF_RELOADABLE },
	{ DAEMON_KEY(keepalive_interval), .set = set_double, .f = { DF(keepalive_interval) },
	  .min = 1, .max = 3600, .def = "20", .flags = KF_RELOADABLE },
	{ DAEMON_KEY(request_timeout), .set = set_double, .f = { DF(request_timeout) }, .min = 0.01,
	  .max = 60, .def = "1.0", .flags = KF_RELOADABLE },
	{ DAEMON_KEY(retries), .set = set_uint, .f = { DF(retries) }, .min = 1, .max = 20,
	  .def = "3", .flags = KF_RELOADABLE },
	{ DAEMON_KEY(max_handshakes), .set = set_uint, .f = { DF(max_handshakes) }, .min = 1,
	  .max = 4096, .def = "64", .flags = KF_RELOADABLE },
	{ DAEMON_KEY(dns_refresh), .set = set_double, .f = { DF(dns_refresh) }, .min = 1,
	  .max = 604800, .def = "300", .flags = KF_RELOADABLE },
	{ DAEMON_KEY(resolv_conf), .set = set_string, .f = { DF(resolv_conf) },
	  .def = "/etc/resolv.conf", .flags = KF_NONEMPTY | KF_ABSOLUTE },
	{ DAEMON_KEY(allow_uids), .set = set_uids, .f = { DF(allow_uids), DF(n_allow_uids) },
	  .def = "", .flags = KF_RELOADABLE },
	{ DAEMON_KEY(readonly_uids), .set = set_uids,
	  .f = { DF(readonly_uids), DF(n_readonly_uids) }, .def = "", .flags = KF_RELOADABLE },
	/* [defaults] and [bmc:NAME] */
	{ BMC_ONLY_KEY(host), .set = set_string, .f = { BF(host) },
	  .flags = KF_RELOADABLE | KF_NONEMPTY | KF_NOSPACE },
	{ BMC_KEY(port), .set = set_uint, .f = { BF(port) }, .min = 1, .max = 65535, .def = "623",
	  .flags = KF_RELOADABLE },
	{ BMC_KEY(username), .set = set_string, .f = { BF(username) }, .def = "",
	  .flags = KF_RELOADABLE },
	{ BMC_KEY(password), .set = set_password, .f = { BF(password), BF(password_len) },
	  .group = G_PASSWORD, .flags = KF_RELOADABLE | KF_SECRET },
	{ BMC_KEY(password_file), .set = set_password_file, .f = { BF(password), BF(password_len) },
	  .group = G_PASSWORD, .flags = KF_RELOADABLE | KF_SECRET },
	{ BMC_KEY(credential), .set = set_credential, .f = { BF(password), BF(password_len) },
	  .group = G_PASSWORD, .flags = KF_RELOADABLE | KF_SECRET },
	{ BMC_KEY(kg), .set = set_kg, .f = { BF(kg), BF(kg_len) }, .group = G_KG,
	  .flags = KF_RELOADABLE | KF_SECRET },
	{ BMC_KEY(kg_file), .set = set_kg_file, .f = { BF(kg), BF(kg_len) }, .group = G_KG,
	  .flags = KF_RELOADABLE | KF_SECRET },
	{ BMC_KEY(cipher_suite), .set = set_suite, .f = { BF(cipher_suite) }, .def = "auto",
	  .flags = KF_RELOADABLE },
	{ BMC_KEY(cipher_suites), .set = set_suites,
	  .f = { BF(cipher_suites), BF(n_cipher_suites) }, .def = "17,3", .flags = KF_RELOADABLE },
	{ BMC_KEY(privilege), .set = set_enum, .f = { BF(privilege) }, .names = privileges,
	  .def = "administrator", .flags = KF_RELOADABLE },
	{ BMC_KEY(max_inflight), .set = set_uint, .f = { BF(max_inflight) }, .min = 1, .max = 63,
	  .def = "1", .flags = KF_RELOADABLE },
	{ BMC_KEY(allow_insecure_cipher), .set = set_bool, .f = { BF(allow_insecure_cipher) },
	  .def = "no", .flags = KF_RELOADABLE },
};

_Static_assert(ARRAY_SIZE(keys) <= KEYS_MAX, "raise KEYS_MAX");

/* ---- small helpers ---------------------------------------------------- */

static uint64_t
bit(size_t i)
{
	return (uint64_t)1 << i;
}

static const struct key *
key_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static size_t
key_index(const char *name)
{
	const struct key *k = key_find(name);

	if (!k)
		abort(); /* a name in this file that keys[] lacks */
	return (size_t)(k - keys);
}

static uint64_t
group_bits(enum key_group g)
{
	uint64_t m = 0;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (keys[i].group == g)
			m |= bit(i);
	return m;
}

static void *
field_ptr(void *base, const struct field *f)
{
	return (char *)base + f->off;
}

static void
store_uint(void *base, const struct field *f, unsigned long long v)
{
	void *p = field_ptr(base, f);

	switch (f->size) {
	case 1: {
		uint8_t x = (uint8_t)v;
		memcpy(p, &x, 1);
		break;
	}
	case 2: {
		uint16_t x = (uint16_t)v;
		memcpy(p, &x, 2);
		break;
	}
	case 4: {
		uint32_t x = (uint32_t)v;
		memcpy(p, &x, 4);
		break;
	}
	case 8: {
		uint64_t x = v;
		memcpy(p, &x, 8);
		break;
	}
	default:
		abort(); /* a keys[] row with an odd member */
	}
}

__attribute__((format(printf, 2, 3))) static int
why(struct origin *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->why, sizeof(o->why), fmt, ap);
	va_end(ap);
	return -1;
}

/* Digits only (no sign, no blanks), fits in unsigned long long. */
static bool
parse_ull(const char *v, unsigned long long *out)
{
	char *end;

	if (!isdigit((unsigned char)v[0]))
		return false;
	errno = 0;
	*out = strtoull(v, &end, 10);
	return errno == 0 && *end == '\0';
}

static bool
is_blank_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t';
}

/* Next token of a comma/blank separated list: *p moves past it. */
static size_t
next_token(const char **p)
{
	while (**p && is_blank_sep(**p))
		(*p)++;
	const char *s = *p;
	while (**p && !is_blank_sep(**p))
		(*p)++;
	return (size_t)(*p - s);
}

static void
dir_of(const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(out, cap, ".");
	else if (slash == path)
		snprintf(out, cap, "/");
	else
		snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

/* Joins dir and name into out; -1 when it does not fit. */
static int
path_join(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static bool
bmc_name_ok(const char *s, size_t n)
{
	if (n == 0 || n >= CONFIG_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

/* ---- setters: validate v and store it; on failure o->why says why ------ */

static int
set_string(struct origin *o, const struct key *k, void *base, const char *v)
{
	size_t n = strlen(v);

	if ((k->flags & KF_NONEMPTY) && n == 0)
		return why(o, "must not be empty");
	if (n >= k->f[0].size)
		return why(o, "longer than %zu bytes", k->f[0].size - 1);
	if ((k->flags & KF_ABSOLUTE) && v[0] != '/')
		return why(o, "must be an absolute path");
	if (k->flags & KF_NOSPACE)
		for (size_t i = 0; i < n; i++)
			if (isspace((unsigned char)v[i]) || iscntrl((unsigned char)v[i]))
				return why(o, "must not contain blanks or control characters");
	memset(field_ptr(base, &k->f[0]), 0, k->f[0].size);
	memcpy(field_ptr(base, &k->f[0]), v, n);
	return 0;
}

static int
set_uint(struct origin *o, const struct key *k, void *base, const char *v)
{
	unsigned long long u;

	if (!parse_ull(v, &u) || (double)u < k->min || (double)u > k->max)
		return why(o, "expected an integer from %.0f to %.0f, got '%.32s'", k->min, k->max,
		           v);
	store_uint(base, &k->f[0], u);
	return 0;
}

static int
set_double(struct origin *o, const struct key *k, void *base, const char *v)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (end == v || *end != '\0' || errno != 0 || !isfinite(d) || d < k->min || d > k->max)
		return why(o, "expected a number of seconds from %g to %g, got '%.32s'", k->min,
		           k->max, v);
	memcpy(field_ptr(base, &k->f[0]), &d, sizeof(d));
	return 0;
}

static int
set_mode(struct origin *o, const struct key *k, void *base, const char *v)
{
	size_t n = strlen(v);
	unsigned long m;

	if (n == 0 || n > 4 || strspn(v, "01234567") != n)
		return why(o, "expected an octal mode such as 0660, got '%.32s'", v);
	m = strtoul(v, NULL, 8);
	if ((double)m > k->max)
		return why(o, "expected an octal mode from 0 to %04o, got '%.32s'",
		           (unsigned)k->max, v);
	store_uint(base, &k->f[0], m);
	return 0;
}

static int
set_enum(struct origin *o, const struct key *k, void *base, const char *v)
{
	char list[128] = "";

	for (const struct enum_name *e = k->names; e->name; e++) {
		if (strcasecmp(e->name, v) == 0) {
			store_uint(base, &k->f[0], e->value);
			return 0;
		}
		if (list[0])
			strncat(list, "|", sizeof(list) - strlen(list) - 1);
		strncat(list, e->name, sizeof(list) - strlen(list) - 1);
	}
	return why(o, "expected %s, got '%.32s'", list, v);
}

static int
set_bool(struct origin *o, const struct key *k, void *base, const char *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	bool b;

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			b = true;
			goto store;
		}
		if (strcasecmp(v, no[i]) == 0) {
			b = false;
			goto store;
		}
	}
	return why(o, "expected yes or no, got '%.32s'", v);
store:
	memcpy(field_ptr(base, &k->f[0]), &b, sizeof(b));
	return 0;
}

static int
set_uids(struct origin *o, const struct key *k, void *base, const char *v)
{
	uid_t uids[CONFIG_MAX_UIDS];
	size_t n = 0, len;
	const char *p = v;

	while ((len = next_token(&p)) > 0) {
		const char *s = p - len;
		char tok[256];
		unsigned long long u;

		if (len >= sizeof(tok))
			return why(o, "user name longer than %zu bytes", sizeof(tok) - 1);
		memcpy(tok, s, len);
		tok[len] = '\0';
		if (n == CONFIG_MAX_UIDS)
			return why(o, "more than %d users", CONFIG_MAX_UIDS);
		if (parse_ull(tok, &u)) {
			if (u >= UINT32_MAX)
				return why(o, "uid %s out of range", tok);
			uids[n++] = (uid_t)u;
		} else {
			const struct passwd *pw = getpwnam(tok);

			if (!pw)
				return why(o, "unknown user '%s'", tok);
			uids[n++] = pw->pw_uid;
		}
	}
	memset(field_ptr(base, &k->f[0]), 0, k->f[0].size);
	memcpy(field_ptr(base, &k->f[0]), uids, n * sizeof(uids[0]));
	store_uint(base, &k->f[1], n);
	return 0;
}

static int
parse_suite(struct origin *o, const char *s, size_t len, uint8_t *id)
{
	char tok[16];
	unsigned long long u;

	if (len >= sizeof(tok))
		return why(o, "expected a cipher suite id (0-3, 6-8, 11-12, 15-17)");
	memcpy(tok, s, len);
	tok[len] = '\0';
	if (!parse_ull(tok, &u) || u > 255 || !csuite_by_id((int)u))
		return why(o, "expected a cipher suite id (0-3, 6-8, 11-12, 15-17), got '%s'", tok);
	*id = (uint8_t)u;
	return 0;
}

static int
set_suite(struct origin *o, const struct key *k, void *base, const char *v)
{
	int suite = -1;
	uint8_t id;

	if (strcasecmp(v, "auto") != 0) {
		if (parse_suite(o, v, strlen(v), &id) < 0)
			return why(o,
			           "expected auto or a cipher suite id (0-3, 6-8, 11-12, 15-17), "
			           "got '%.32s'",
			           v);
		suite = id;
	}
	memcpy(field_ptr(base, &k->f[0]), &suite, sizeof(suite));
	return 0;
}

static int
set_suites(struct origin *o, const struct key *k, void *base, const char *v)
{
	uint8_t ids[CONFIG_MAX_SUITES];
	size_t n = 0, len;
	const char *p = v;

	while ((len = next_token(&p)) > 0) {
		uint8_t id;

		if (parse_suite(o, p - len, len, &id) < 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (ids[i] == id)
				return why(o, "suite %u listed twice", id);
		if (n == CONFIG_MAX_SUITES)
			return why(o, "more than %d suites", CONFIG_MAX_SUITES);
		ids[n++] = id;
	}
	if (n == 0)
		return why(o, "must list at least one suite");
	memset(field_ptr(base, &k->f[0]), 0, k->f[0].size);
	memcpy(field_ptr(base, &k->f[0]), ids, n);
	store_uint(base, &k->f[1], n);
	return 0;
}

/* Stores a secret of n bytes (n <= f[0].size) and its length. */
static void
store_secret(void *base, const struct key *k, const uint8_t *s, size_t n)
{
	OPENSSL_cleanse(field_ptr(base, &k->f[0]), k->f[0].size);
	memcpy(field_ptr(base, &k->f[0]), s, n);
	store_uint(base, &k->f[1], n);
}

static int
inline_secret_ok(struct origin *o)
{
	if (o->file && o->world_readable)
		return why(o,
		           "inline secret in world-readable file %s: chmod o-r it, or use "
		           "password_file, credential or kg_file",
		           o->file);
	return 0;
}

/* A path as written: absolute, or relative to the file's directory. */
static int
resolve_path(struct origin *o, const char *v, char *out, size_t cap)
{
	if (v[0] == '\0')
		return why(o, "must not be empty");
	if (v[0] == '/') {
		if (strlen(v) >= cap)
			return why(o, "path too long");
		memcpy(out, v, strlen(v) + 1);
		return 0;
	}
	if (!o->file)
		return why(o, "must be an absolute path");
	if (path_join(out, cap, o->dir, v) < 0)
		return why(o, "path too long");
	return 0;
}

static int
read_password(struct origin *o, const struct key *k, void *base, const char *path)
{
	uint8_t buf[64];
	size_t n, cap = k->f[0].size;
	int r, rc = 0;

	if (cap > sizeof(buf))
		abort();
	r = secret_read_line(path, buf, cap, &n);
	if (r == 0 && n == 0)
		rc = why(o, "%s: the password (first line) is empty", path);
	else if (r == 0)
		store_secret(base, k, buf, n);
	else if (r == -EMSGSIZE)
		rc = why(o, "%s: password longer than %zu bytes", path, cap);
	else if (r == -EBADMSG)
		rc = why(o, "%s: password contains a NUL byte", path);
	else if (r == -EINVAL)
		rc = why(o, "%s: not a regular file", path);
	else
		rc = why(o, "cannot read %s: %s", path, strerror(-r));
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

static int
set_password(struct origin *o, const struct key *k, void *base, const char *v)
{
	size_t n = strlen(v);

	if (inline_secret_ok(o) < 0)
		return -1;
	if (n == 0)
		return why(o, "empty");
	if (n > k->f[0].size)
		return why(o, "longer than %zu bytes", k->f[0].size);
	store_secret(base, k, (const uint8_t *)v, n);
	return 0;
}

static int
set_password_file(struct origin *o, const struct key *k, void *base, const char *v)
{
	char path[PATH_MAX];

	if (resolve_path(o, v, path, sizeof(path)) < 0)
		return -1;
	return read_password(o, k, base, path);
}

static int
set_credential(struct origin *o, const struct key *k, void *base, const char *v)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	char path[PATH_MAX];

	if (!v[0] || strchr(v, '/') || strcmp(v, ".") == 0 || strcmp(v, "..") == 0)
		return why(o, "'%.64s' is not a credential name (a plain file name)", v);
	if (!dir || !dir[0])
		return why(o, "CREDENTIALS_DIRECTORY is not set (credential needs systemd's "
		              "LoadCredential=)");
	if (path_join(path, sizeof(path), dir, v) < 0)
		return why(o, "path too long");
	return read_password(o, k, base, path);
}

/* Hex K_g in s[0..n); prefix names the file it came from, if any. */
static int
parse_kg(struct origin *o, const struct key *k, void *base, const char *s, size_t n,
         const char *prefix)
{
	uint8_t kg[RAKP_KG_MAX];
	size_t len;
	int r;

	if (k->f[0].size > sizeof(kg))
		abort();
	r = secret_parse_hex(s, n, kg, k->f[0].size, &len);
	if (r == 0)
		store_secret(base, k, kg, len);
	OPENSSL_cleanse(kg, sizeof(kg));
	if (r == -EMSGSIZE)
		return why(o, "%s%sK_g longer than %zu bytes (%zu hex digits)",
		           prefix ? prefix : "", prefix ? ": " : "", k->f[0].size,
		           2 * k->f[0].size);
	if (r < 0)
		return why(o, "%s%sK_g is not hex (0x prefix optional, an even number of digits)",
		           prefix ? prefix : "", prefix ? ": " : "");
	return 0;
}

static int
set_kg(struct origin *o, const struct key *k, void *base, const char *v)
{
	if (inline_secret_ok(o) < 0)
		return -1;
	return parse_kg(o, k, base, v, strlen(v), NULL);
}

static int
set_kg_file(struct origin *o, const struct key *k, void *base, const char *v)
{
	char path[PATH_MAX];
	uint8_t buf[SECRET_LINE_MAX];
	size_t n, s = 0;
	int r, rc;

	if (resolve_path(o, v, path, sizeof(path)) < 0)
		return -1;
	r = secret_read_line(path, buf, sizeof(buf), &n);
	if (r == -EMSGSIZE)
		return why(o, "%s: K_g longer than %zu bytes", path, k->f[0].size);
	if (r == -EINVAL)
		return why(o, "%s: not a regular file", path);
	if (r == -EBADMSG)
		return why(o, "%s: K_g contains a NUL byte", path);
	if (r < 0)
		return why(o, "cannot read %s: %s", path, strerror(-r));
	while (s < n && isspace(buf[s]))
		s++;
	while (n > s && isspace(buf[n - 1]))
		n--;
	rc = parse_kg(o, k, base, (const char *)buf + s, n - s, path);
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

/* ---- the private part of struct config -------------------------------- */

/* A BMC section as written: which keys it set, and where. */
struct bmcx {
	struct config_bmc b;
	uint64_t set; /* bit i: keys[i] was given (perhaps with a bad value) */
	uint64_t bad; /* ... and rejected: keep the default, do not pile up errors */
	const char *set_file[KEYS_MAX];
	unsigned set_line[KEYS_MAX];
};

/* struct config is always the first member of one of these. */
struct config_priv {
	struct config pub;
	struct bmcx defaults; /* built-in defaults overlaid with [defaults] */
};

static struct config_priv *
priv_of(struct config *c)
{
	return (struct config_priv *)(void *)c;
}

static const struct config_priv *
cpriv_of(const struct config *c)
{
	return (const struct config_priv *)(const void *)c;
}

/* Built-in defaults of every key that applies to where. */
static void
apply_builtin(unsigned where, void *base)
{
	struct origin o = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if ((keys[i].where & where) && keys[i].def)
			if (keys[i].set(&o, &keys[i], base, keys[i].def) < 0)
				abort(); /* a default keys[] itself rejects */
}

static struct config_priv *
priv_new(void)
{
	struct config_priv *cp = calloc(1, sizeof(*cp));

	if (!cp)
		return NULL;
	apply_builtin(W_DAEMON, &cp->pub.daemon);
	apply_builtin(W_BMC, &cp->defaults.b);
	return cp;
}

struct config *
config_new_default(void)
{
	struct config_priv *cp = priv_new();

	return cp ? &cp->pub : NULL;
}

void
config_free(struct config *c)
{
	struct config_priv *cp;

	if (!c)
		return;
	cp = priv_of(c);
	if (c->bmcs) {
		OPENSSL_cleanse(c->bmcs, c->n_bmcs * sizeof(*c->bmcs));
		free(c->bmcs);
	}
	for (size_t i = 0; i < c->n_files; i++)
		free(c->files[i]);
	free(c->files);
	OPENSSL_cleanse(cp, sizeof(*cp));
	free(cp);
}

void
config_drop_bmcs(struct config *c)
{
	if (c == NULL || c->bmcs == NULL)
		return;
	OPENSSL_cleanse(c->bmcs, c->n_bmcs * sizeof(*c->bmcs));
	free(c->bmcs);
	c->bmcs = NULL;
	c->n_bmcs = 0;
}

/* ---- parsing ----------------------------------------------------------- */

enum sect { S_NONE, S_DAEMON, S_DEFAULTS, S_BMC, S_SKIP };

struct ctx {
	config_error_fn err;
	void *arg;
	int nerr;
	struct config *c;
	struct origin o;
	/* the file being read */
	const char *buf;
	size_t len, pos;
	unsigned line;
	bool pending; /* the line handed to inih has not reached the handler */
	/* the section being read */
	enum sect sect;
	size_t cur; /* S_BMC: index in bmcs */
	uint64_t inst_set;
	unsigned inst_line[KEYS_MAX];
	/* what was read */
	struct bmcx defaults;
	struct bmcx *bmcs;
	size_t n_bmcs, cap_bmcs;
};

__attribute__((format(printf, 4, 5))) static void
report(struct ctx *x, const char *file, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x->nerr++;
	if (x->err)
		x->err(x->arg, file ? file : RUNTIME_FILE, line, msg);
}

static void
ctx_free(struct ctx *x)
{
	if (!x)
		return;
	if (x->bmcs) {
		OPENSSL_cleanse(x->bmcs, x->cap_bmcs * sizeof(*x->bmcs));
		free(x->bmcs);
	}
	OPENSSL_cleanse(x, sizeof(*x));
	free(x);
}

static const char *
sect_label(const struct ctx *x, enum sect s, char *buf, size_t cap)
{
	switch (s) {
	case S_DAEMON:
		return "daemon";
	case S_DEFAULTS:
		return "defaults";
	case S_BMC:
		snprintf(buf, cap, "bmc:%s", x->bmcs[x->cur].b.name);
		return buf;
	case S_NONE:
	case S_SKIP:
		break;
	}
	return "?";
}

static unsigned
sect_where(enum sect s)
{
	return s == S_DAEMON ? W_DAEMON : s == S_DEFAULTS ? W_DEFAULTS : s == S_BMC ? W_BMC : 0;
}

/* " (line N)" where keys[i] was set in this section; "" at runtime. */
static const char *
first_at(const struct ctx *x, size_t i, char *buf, size_t cap)
{
	if (!x->o.file)
		return "";
	snprintf(buf, cap, " (line %u)", x->inst_line[i]);
	return buf;
}

/*
 * One key = value in section s: base is the struct it fills, bx (BMC
 * sections) records what was set.  Problems are reported at x->line.
 */
static void
apply_key(struct ctx *x, enum sect s, void *base, struct bmcx *bx, const char *name,
          const char *value)
{
	const char *file = x->o.file;
	const struct key *k = key_find(name);
	char lb[CONFIG_NAME_MAX + 8];
	const char *label = sect_label(x, s, lb, sizeof(lb));
	char at[32];
	size_t i;

	if (!k) {
		report(x, file, x->line, "unknown key '%.64s' in [%s]", name, label);
		return;
	}
	if (!(k->where & sect_where(s))) {
		report(x, file, x->line, "'%s' is not allowed in [%s] (it belongs in %s)", name,
		       label,
		       k->where & W_DAEMON     ? "[daemon]"
		       : k->where & W_DEFAULTS ? "[defaults] or [bmc:NAME]"
		                               : "[bmc:NAME]");
		return;
	}
	i = (size_t)(k - keys);
	if (x->inst_set & bit(i)) {
		report(x, file, x->line, "'%s' is set twice in [%s]%s", name, label,
		       first_at(x, i, at, sizeof(at)));
		return;
	}
	if (k->group != G_NONE) {
		for (size_t j = 0; j < ARRAY_SIZE(keys); j++) {
			if (keys[j].group == k->group && (x->inst_set & bit(j))) {
				report(x, file, x->line,
				       "'%s' and '%s'%s are alternatives: set one in [%s]", name,
				       keys[j].name, first_at(x, j, at, sizeof(at)), label);
				return;
			}
		}
	}
	x->inst_set |= bit(i);
	x->inst_line[i] = x->line;
	if (bx) {
		bx->set |= bit(i);
		bx->set_file[i] = file;
		bx->set_line[i] = x->line;
	}
	if (k->set(&x->o, k, base, value) < 0) {
		report(x, file, x->line, "%s: %s", k->name, x->o.why);
		if (bx)
			bx->bad |= bit(i);
	}
}

static int
bmc_add(struct ctx *x, const char *name, size_t n)
{
	struct bmcx *b;

	if (x->n_bmcs == x->cap_bmcs) {
		/* Grown by hand: realloc would leave unwiped copies of secrets. */
		size_t cap = x->cap_bmcs ? 2 * x->cap_bmcs : 16;
		struct bmcx *nb = calloc(cap, sizeof(*nb));

		if (!nb)
			return -ENOMEM;
		if (x->bmcs) {
			memcpy(nb, x->bmcs, x->n_bmcs * sizeof(*nb));
			OPENSSL_cleanse(x->bmcs, x->cap_bmcs * sizeof(*x->bmcs));
			free(x->bmcs);
		}
		x->bmcs = nb;
		x->cap_bmcs = cap;
	}
	b = &x->bmcs[x->n_bmcs];
	memset(b, 0, sizeof(*b));
	memcpy(b->b.name, name, n);
	b->b.file = x->o.file;
	b->b.line = x->line;
	x->cur = x->n_bmcs++;
	return 0;
}

/* A "[...]" line: s[0..n) without comments or surrounding blanks. */
static void
section_begin(struct ctx *x, const char *s, size_t n)
{
	const char *close = memchr(s, ']', n), *name;
	size_t len;

	x->sect = S_SKIP;
	x->inst_set = 0;
	if (!close) {
		report(x, x->o.file, x->line, "section header without ']'");
		return;
	}
	if (close != s + n - 1) {
		report(x, x->o.file, x->line, "unexpected text after ']'");
		return;
	}
	name = s + 1;
	len = (size_t)(close - name);
	while (len && isblank((unsigned char)*name))
		name++, len--;
	while (len && isblank((unsigned char)name[len - 1]))
		len--;
	if (len == 6 && memcmp(name, "daemon", 6) == 0) {
		x->sect = S_DAEMON;
	} else if (len == 8 && memcmp(name, "defaults", 8) == 0) {
		x->sect = S_DEFAULTS;
	} else if (len >= 4 && memcmp(name, "bmc:", 4) == 0) {
		const char *b = name + 4;
		size_t bl = len - 4;

		while (bl && isblank((unsigned char)*b))
			b++, bl--;
		if (!bmc_name_ok(b, bl)) {
			report(x, x->o.file, x->line,
			       "bad BMC name '%.*s' (1-%d of A-Z a-z 0-9 . _ -)",
			       (int)(bl > 64 ? 64 : bl), b, CONFIG_NAME_MAX - 1);
			return;
		}
		if (bmc_add(x, b, bl) < 0) {
			report(x, x->o.file, x->line, "out of memory");
			return;
		}
		x->sect = S_BMC;
	} else {
		report(x, x->o.file, x->line,
		       "unknown section [%.*s] (expected [daemon], [defaults] or [bmc:NAME])",
		       (int)(len > 64 ? 64 : len), name);
	}
}

/*
 * inih's reader: one physical line per call.  Comments (a ';' or '#' at the
 * start or after a blank) and surrounding blanks go here, so inih's build
 * options (inline comments, multi-line values) never matter; section
 * headers are handled here too (inih does not report them without
 * INI_CALL_HANDLER_ON_NEW_SECTION).  inih gets the key lines only.
 */
static char *
read_line(char *str, int num, void *stream)
{
	struct ctx *x = stream;
	size_t cap = (size_t)num, n, avail;
	const char *s, *nl;

	if (x->pending) {
		/* inih dropped the last key line: no '=' or ':' in it. */
		report(x, x->o.file, x->line, "expected 'key = value'");
		x->pending = false;
	}
	OPENSSL_cleanse(str, cap); /* the last line may have held a secret */
	if (x->pos >= x->len)
		return NULL;
	s = x->buf + x->pos;
	avail = x->len - x->pos;
	nl = memchr(s, '\n', avail);
	n = nl ? (size_t)(nl - s) : avail;
	x->pos += n + (nl ? 1 : 0);
	x->line++;
	if (x->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3, n -= 3; /* UTF-8 byte order mark */
	if (memchr(s, '\0', n)) {
		report(x, x->o.file, x->line, "NUL byte in line");
		goto blank;
	}
	while (n && isspace((unsigned char)*s))
		s++, n--;
	for (size_t i = 0; i < n; i++) {
		if ((s[i] == ';' || s[i] == '#') && (i == 0 || isblank((unsigned char)s[i - 1]))) {
			n = i;
			break;
		}
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		goto blank;
	if (s[0] == '[') {
		section_begin(x, s, n);
		goto blank;
	}
	if (n + 2 > cap) {
		report(x, x->o.file, x->line, "line longer than %zu bytes", cap - 2);
		goto blank;
	}
	memcpy(str, s, n);
	str[n] = '\n';
	str[n + 1] = '\0';
	x->pending = true;
	return str;
blank:
	str[0] = '\0';
	return str;
}

static int
handle(void *user, const char *section, const char *name, const char *value)
{
	struct ctx *x = user;
	struct bmcx *bx;

	(void)section; /* ours is in x->sect */
	if (!name || !value)
		return 1;
	x->pending = false;
	switch (x->sect) {
	case S_NONE:
		report(x, x->o.file, x->line,
		       "'%.64s' outside a section (start with [daemon], [defaults] or [bmc:NAME])",
		       name);
		break;
	case S_SKIP:
		break; /* the header was reported */
	case S_DAEMON:
		apply_key(x, S_DAEMON, &x->c->daemon, NULL, name, value);
		break;
	case S_DEFAULTS:
		apply_key(x, S_DEFAULTS, &x->defaults.b, &x->defaults, name, value);
		break;
	case S_BMC:
		bx = &x->bmcs[x->cur];
		apply_key(x, S_BMC, &bx->b, bx, name, value);
		break;
	}
	return 1; /* problems are counted in x, inih need not know */
}

static int
add_file(struct config *c, const char *path, const char **out)
{
	char **nf = realloc(c->files, (c->n_files + 1) * sizeof(*nf));
	char *p;

	if (!nf)
		return -ENOMEM;
	c->files = nf;
	p = strdup(path);
	if (!p)
		return -ENOMEM;
	c->files[c->n_files++] = p;
	*out = p;
	return 0;
}

/*
 * Reads one file.  Only the main file's open errors (and ENOMEM) come back
 * as -errno; everything else is reported.
 */
static int
load_file(struct ctx *x, const char *path, bool main_file)
{
	struct stat st;
	char *buf = NULL;
	size_t cap = 0, len = 0;
	int fd, rc = 0, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (main_file)
			return -errno;
		report(x, path, 0, "cannot open: %s", strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) < 0) {
		report(x, path, 0, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		report(x, path, 0, "not a regular file");
		goto out;
	}
	if (st.st_size > CONFIG_FILE_MAX) {
		report(x, path, 0, "larger than %d bytes", CONFIG_FILE_MAX);
		goto out;
	}
	cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	while (len < cap) {
		ssize_t n = read(fd, buf + len, cap - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			report(x, path, 0, "cannot read: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len == cap) {
		report(x, path, 0, "changed while being read");
		goto out;
	}
	rc = add_file(x->c, path, &x->o.file);
	if (rc < 0)
		goto out;
	dir_of(path, x->o.dir, sizeof(x->o.dir));
	x->o.world_readable = (st.st_mode & S_IROTH) != 0;
	x->buf = buf;
	x->len = len;
	x->pos = 0;
	x->line = 0;
	x->pending = false;
	x->sect = S_NONE;
	x->inst_set = 0;
	r = ini_parse_stream(read_line, x, handle, x);
	if (x->pending)
		report(x, x->o.file, x->line, "expected 'key = value'");
	x->pending = false;
	if (r == -2)
		rc = -ENOMEM;
	x->buf = NULL;
out:
	if (buf) {
		OPENSSL_cleanse(buf, cap);
		free(buf);
	}
	close(fd);
	return rc;
}

static int
confd_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0;
}

static int
load_confd(struct ctx *x, const char *path)
{
	char main_dir[PATH_MAX], dir[PATH_MAX], file[PATH_MAX];
	struct dirent **ents = NULL;
	int n, rc = 0;

	dir_of(path, main_dir, sizeof(main_dir));
	if (path_join(dir, sizeof(dir), main_dir, "conf.d") < 0) {
		report(x, path, 0, "conf.d path too long");
		return 0;
	}
	n = scandir(dir, &ents, confd_filter, alphasort);
	if (n < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			report(x, dir, 0, "cannot read directory: %s", strerror(errno));
		return 0;
	}
	for (int i = 0; i < n; i++) {
		if (rc == 0) {
			if (path_join(file, sizeof(file), dir, ents[i]->d_name) < 0)
				report(x, dir, 0, "path too long");
			else
				rc = load_file(x, file, false);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

/*
 * Resolves one BMC: own's keys over def (built-in defaults and
 * [defaults]), then the checks that need both.  *out is written only when
 * nothing was wrong.
 */
static int
bmc_resolve(struct ctx *x, const struct bmcx *own, const struct bmcx *def, struct config_bmc *out)
{
	struct bmcx m = *def;
	const char *name = own->b.name;
	int before = x->nerr;
	size_t cs = key_index("cipher_suite"), css = key_index("cipher_suites");

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!(own->set & bit(i)) || (own->bad & bit(i)))
			continue;
		for (size_t j = 0; j < ARRAY_SIZE(keys[i].f) && keys[i].f[j].size; j++)
			memcpy(field_ptr(&m.b, &keys[i].f[j]),
			       (const char *)&own->b + keys[i].f[j].off, keys[i].f[j].size);
		m.set |= bit(i);
		m.set_file[i] = own->set_file[i];
		m.set_line[i] = own->set_line[i];
	}
	memcpy(m.b.name, own->b.name, sizeof(m.b.name));
	m.b.file = own->b.file;
	m.b.line = own->b.line;

	if (!(own->set & bit(key_index("host"))))
		report(x, own->b.file, own->b.line, "[bmc:%s] has no host", name);
	if (!((m.set | own->set) & group_bits(G_PASSWORD)))
		report(x, own->b.file, own->b.line,
		       "[bmc:%s] has no password: set password_file, credential or password "
		       "(here or in [defaults])",
		       name);
	if (!m.b.allow_insecure_cipher) {
		if (m.b.cipher_suite == 0)
			report(x, m.set_file[cs], m.set_line[cs],
			       "[bmc:%s]: cipher suite 0 (no authentication) needs "
			       "allow_insecure_cipher = yes",
			       name);
		if (memchr(m.b.cipher_suites, 0, m.b.n_cipher_suites))
			report(x, m.set_file[css], m.set_line[css],
			       "[bmc:%s]: cipher_suites lists suite 0 (no authentication): needs "
			       "allow_insecure_cipher = yes",
			       name);
	}
	if (x->nerr == before)
		*out = m.b;
	OPENSSL_cleanse(&m, sizeof(m));
	return x->nerr == before ? 0 : -1;
}

static int
bmcx_cmp(const void *a, const void *b)
{
	const struct bmcx *const *pa = a, *const *pb = b;
	int r = strcmp((*pa)->b.name, (*pb)->b.name);

	return r ? r : (*pa < *pb ? -1 : *pa > *pb);
}

/* Duplicate names, then every BMC resolved into x->c->bmcs. */
static int
resolve_all(struct ctx *x)
{
	struct config *c = x->c;
	const struct bmcx **sorted, **first;

	if (x->n_bmcs == 0)
		return 0;
	sorted = calloc(x->n_bmcs, sizeof(*sorted));
	first = calloc(x->n_bmcs, sizeof(*first));
	c->bmcs = calloc(x->n_bmcs, sizeof(*c->bmcs));
	if (!sorted || !first || !c->bmcs) {
		free(sorted);
		free(first);
		return -ENOMEM;
	}
	for (size_t i = 0; i < x->n_bmcs; i++)
		sorted[i] = &x->bmcs[i];
	qsort(sorted, x->n_bmcs, sizeof(*sorted), bmcx_cmp);
	for (size_t i = 1; i < x->n_bmcs; i++) {
		if (strcmp(sorted[i]->b.name, sorted[i - 1]->b.name) == 0) {
			const struct bmcx *f = first[sorted[i - 1] - x->bmcs];

			first[sorted[i] - x->bmcs] = f ? f : sorted[i - 1];
		}
	}
	for (size_t i = 0; i < x->n_bmcs; i++) {
		const struct bmcx *b = &x->bmcs[i];

		if (first[i])
			report(x, b->b.file, b->b.line, "duplicate [bmc:%s] (first at %s:%u)",
			       b->b.name, first[i]->b.file, first[i]->b.line);
		else if (bmc_resolve(x, b, &x->defaults, &c->bmcs[c->n_bmcs]) == 0)
			c->n_bmcs++;
	}
	free(sorted);
	free(first);
	return 0;
}

int
config_load(const char *path, bool missing_ok, config_error_fn err, void *arg, struct config **out)
{
	struct config_priv *cp = priv_new();
	struct ctx *x = calloc(1, sizeof(*x));
	int rc;

	if (!cp || !x) {
		config_free(cp ? &cp->pub : NULL);
		ctx_free(x);
		return -ENOMEM;
	}
	x->c = &cp->pub;
	x->err = err;
	x->arg = arg;
	x->defaults = cp->defaults;
	rc = load_file(x, path, true);
	if (rc == -ENOENT && missing_ok)
		rc = 0; /* defaults and no BMCs; conf.d is not read either */
	else if (rc == 0)
		rc = load_confd(x, path);
	if (rc == 0)
		rc = resolve_all(x);
	if (rc == 0 && x->nerr > 0)
		rc = x->nerr;
	if (rc == 0) {
		cp->defaults = x->defaults;
		*out = &cp->pub;
	} else {
		config_free(&cp->pub);
	}
	ctx_free(x);
	return rc;
}

const struct config_bmc *
config_find_bmc(const struct config *c, const char *name)
{
	for (size_t i = 0; c && i < c->n_bmcs; i++)
		if (strcmp(c->bmcs[i].name, name) == 0)
			return &c->bmcs[i];
	return NULL;
}

bool
config_bmc_equal(const struct config_bmc *a, const struct config_bmc *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->host, b->host) == 0 &&
	       a->port == b->port && strcmp(a->username, b->username) == 0 &&
	       a->password_len == b->password_len &&
	       CRYPTO_memcmp(a->password, b->password, a->password_len) == 0 &&
	       a->kg_len == b->kg_len && CRYPTO_memcmp(a->kg, b->kg, a->kg_len) == 0 &&
	       a->cipher_suite == b->cipher_suite && a->n_cipher_suites == b->n_cipher_suites &&
	       memcmp(a->cipher_suites, b->cipher_suites, a->n_cipher_suites) == 0 &&
	       a->privilege == b->privilege && a->max_inflight == b->max_inflight &&
	       a->allow_insecure_cipher == b->allow_insecure_cipher;
}

/* bmc.add keeps the first reason only. */
struct first_reason {
	char *buf;
	size_t len;
	bool set;
};

static void
keep_first(void *arg, const char *file, unsigned line, const char *reason)
{
	struct first_reason *fr = arg;

	(void)file;
	(void)line;
	if (!fr->set && fr->len)
		snprintf(fr->buf, fr->len, "%s", reason);
	fr->set = true;
}

int
config_bmc_from_params(const struct config *c, struct config_bmc *out, const char *name,
                       const char *const *keys_in, const char *const *values, size_t n,
                       char *reason, size_t reason_len)
{
	struct first_reason fr = { reason, reason_len, false };
	struct ctx *x = calloc(1, sizeof(*x));
	struct config_bmc res;
	struct bmcx *own;
	int rc = -1;

	if (reason_len)
		reason[0] = '\0';
	if (!x) {
		if (reason_len)
			snprintf(reason, reason_len, "out of memory");
		return -1;
	}
	x->err = keep_first;
	x->arg = &fr;
	if (c)
		x->defaults = cpriv_of(c)->defaults;
	else
		apply_builtin(W_BMC, &x->defaults.b);
	if (!name || !bmc_name_ok(name, strlen(name))) {
		report(x, NULL, 0, "bad BMC name (1-%d of A-Z a-z 0-9 . _ -)", CONFIG_NAME_MAX - 1);
		goto out;
	}
	if (bmc_add(x, name, strlen(name)) < 0) {
		report(x, NULL, 0, "out of memory");
		goto out;
	}
	own = &x->bmcs[0];
	own->b.file = RUNTIME_FILE;
	x->sect = S_BMC;
	for (size_t i = 0; i < n; i++) {
		if (!keys_in[i] || !values[i]) {
			report(x, NULL, 0, "parameter %zu has no name or value", i);
			continue;
		}
		if (strcmp(keys_in[i], "name") == 0)
			continue; /* given separately */
		apply_key(x, S_BMC, &own->b, own, keys_in[i], values[i]);
	}
	if (x->nerr == 0 && bmc_resolve(x, own, &x->defaults, &res) == 0) {
		*out = res;
		rc = 0;
	}
out:
	OPENSSL_cleanse(&res, sizeof(res));
	ctx_free(x);
	return rc;
}

const char *const *
config_known_keys(void)
{
	/* Filled once from keys[]; identical on every call. */
	static const char *names[2 * ARRAY_SIZE(keys) + 1];

	if (!names[0]) {
		size_t n = 0;

		for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
			if (keys[i].dqname)
				names[n++] = keys[i].dqname;
			names[n++] = keys[i].qname;
		}
	}
	return names;
}
