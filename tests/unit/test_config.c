/*
 * test_config.c - daemon/config.c: built-in defaults, a full file, conf.d
 * order and [defaults], every kind of problem with its file:line, secret
 * sources (files, credentials, inline, K_g), the runtime bmc.add path, and
 * the shipped conf/ ($IPMIPOOL_CONF_DIR): it loads clean and documents
 * every key.  Each test works in its own temporary directory.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "config.h"

/* ---- helpers ------------------------------------------------------------ */

#define ERRS_MAX 64

struct errs {
	int n;
	char msg[ERRS_MAX][600];
};

static char tmp[PATH_MAX];

static void
collect(void *arg, const char *file, unsigned line, const char *reason)
{
	struct errs *e = arg;
	const char *base = strrchr(file, '/');

	if (e->n < ERRS_MAX)
		snprintf(e->msg[e->n], sizeof(e->msg[0]), "%s:%u: %s", base ? base + 1 : file, line,
		         reason);
	e->n++;
}

static void
dump(const struct errs *e)
{
	for (int i = 0; i < e->n && i < ERRS_MAX; i++)
		fprintf(stderr, "  %s\n", e->msg[i]);
}

/* Asserts a problem that starts with prefix ("file:line: ") and holds frag. */
static void
expect(const struct errs *e, const char *prefix, const char *frag)
{
	for (int i = 0; i < e->n && i < ERRS_MAX; i++)
		if (strncmp(e->msg[i], prefix, strlen(prefix)) == 0 && strstr(e->msg[i], frag))
			return;
	dump(e);
	ck_abort_msg("no problem '%s ... %s' reported", prefix, frag);
}

static void
expect_none_contains(const struct errs *e, const char *secret)
{
	for (int i = 0; i < e->n && i < ERRS_MAX; i++)
		ck_assert_msg(!strstr(e->msg[i], secret), "secret leaked: %s", e->msg[i]);
}

/* tmp/rel, in one of a few rotating buffers. */
static const char *
tpath(const char *rel)
{
	static char bufs[8][PATH_MAX];
	static int next;
	char *b = bufs[next++ % 8];

	snprintf(b, PATH_MAX, "%s/%s", tmp, rel);
	return b;
}

static void
wfile_len(const char *rel, mode_t mode, const char *text, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s", tpath(rel));
	for (char *p = path + strlen(tmp) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static void
wfile(const char *rel, mode_t mode, const char *text)
{
	wfile_len(rel, mode, text, strlen(text));
}

static int
load(const char *rel, struct errs *e, struct config **c)
{
	memset(e, 0, sizeof(*e));
	*c = NULL;
	return config_load(tpath(rel), false, collect, e, c);
}

/* Loads rel expecting success. */
static struct config *
load_ok(const char *rel)
{
	struct errs e;
	struct config *c;
	int r = load(rel, &e, &c);

	if (r != 0)
		dump(&e);
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(e.n, 0);
	ck_assert_ptr_nonnull(c);
	return c;
}

/* Loads rel expecting exactly n problems. */
static void
load_bad(const char *rel, struct errs *e, int n)
{
	struct config *c;
	int r = load(rel, e, &c);

	if (r != n || e->n != n)
		dump(e);
	ck_assert_int_eq(r, n);
	ck_assert_int_eq(e->n, n);
	ck_assert_ptr_null(c);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
setup(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmp, sizeof(tmp), "%s/test_config.XXXXXX", t && t[0] ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	unsetenv("CREDENTIALS_DIRECTORY");
}

static void
teardown(void)
{
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static const char *
conf_dir(void)
{
	const char *d = getenv("IPMIPOOL_CONF_DIR");

	ck_assert_msg(d != NULL, "IPMIPOOL_CONF_DIR not set");
	return d;
}

static void
check_daemon_defaults(const struct config_daemon *d)
{
	ck_assert_str_eq(d->socket, "/run/ipmipool/ipmipool.sock");
	ck_assert_uint_eq(d->socket_mode, 0660);
	ck_assert_str_eq(d->socket_group, "ipmipool");
	ck_assert_int_eq(d->log_level, CONFIG_LOG_INFO);
	ck_assert_double_eq(d->keepalive_interval, 20);
	ck_assert_double_eq(d->request_timeout, 1.0);
	ck_assert_uint_eq(d->retries, 3);
	ck_assert_uint_eq(d->max_handshakes, 64);
	ck_assert_double_eq(d->dns_refresh, 300);
	ck_assert_str_eq(d->resolv_conf, "/etc/resolv.conf");
	ck_assert_uint_eq(d->n_allow_uids, 0);
	ck_assert_uint_eq(d->n_readonly_uids, 0);
}

/* ---- defaults ----------------------------------------------------------- */

START_TEST(defaults)
{
	struct config *c = config_new_default();

	ck_assert_ptr_nonnull(c);
	check_daemon_defaults(&c->daemon);
	ck_assert_uint_eq(c->n_bmcs, 0);
	ck_assert_ptr_null(config_find_bmc(c, "x"));
	config_free(c);
	config_free(NULL);
}
END_TEST

START_TEST(missing_main_file)
{
	struct errs e = { 0 };
	struct config *c = NULL;

	/* conf.d beside a missing main file is not read either. */
	wfile("conf.d/10-a.conf", 0600, "garbage\n");
	ck_assert_int_eq(config_load(tpath("none.conf"), true, collect, &e, &c), 0);
	ck_assert_ptr_nonnull(c);
	check_daemon_defaults(&c->daemon);
	ck_assert_uint_eq(c->n_bmcs, 0);
	config_free(c);
	c = NULL;
	ck_assert_int_eq(config_load(tpath("none.conf"), false, collect, &e, &c), -ENOENT);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(e.n, 0);
}
END_TEST

START_TEST(known_keys)
{
	const char *const *k = config_known_keys();
	size_t n = 0;
	bool daemon_socket = false, bmc_host = false, defaults_host = false, defaults_port = false;

	for (; k[n]; n++) {
		daemon_socket |= strcmp(k[n], "daemon.socket") == 0;
		bmc_host |= strcmp(k[n], "bmc.host") == 0;
		defaults_host |= strcmp(k[n], "defaults.host") == 0;
		defaults_port |= strcmp(k[n], "defaults.port") == 0;
	}
	ck_assert(daemon_socket && bmc_host && defaults_port && !defaults_host);
	/* 12 [daemon] keys, host, 12 keys in both [defaults] and [bmc:*] */
	ck_assert_uint_eq(n, 12 + 1 + 2 * 12);
	ck_assert_ptr_eq(config_known_keys(), k);
}
END_TEST

/* ---- whole files -------------------------------------------------------- */

START_TEST(full_parse)
{
	static const uint8_t kg[20] = { 1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
		                        11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
	const struct config_bmc *b;
	struct config *c;

	wfile("ipmipool.conf", 0600,
	      "\xef\xbb\xbf; ipmipool test configuration\n"
	      "# every key set\n"
	      "[daemon]\n"
	      "socket = /tmp/ipmipool-test.sock          ; inline comment\n"
	      "socket_mode = 0600\r\n"
	      "socket_group = wheel\n"
	      "log_level = debug   # a hash comment too\n"
	      "keepalive_interval = 15.5\n"
	      "request_timeout = 0.25\n"
	      "retries = 5\n"
	      "max_handshakes = 8\n"
	      "dns_refresh = 60\n"
	      "resolv_conf = /etc/alt-resolv.conf\n"
	      "allow_uids = root, 1000 1001\n"
	      "readonly_uids = 2000\n"
	      "\n"
	      "  [defaults]   ; applies below and above\n"
	      "username = admin\n"
	      "password = defpass\n"
	      "cipher_suites = 3, 17\n"
	      "privilege = operator\n"
	      "\n"
	      "[bmc:node01]\n"
	      "host = node01-bmc.example.net\n"
	      "port = 6230\n"
	      "\tkg = 0x0102030405060708090a0b0c0d0e0f1011121314\n"
	      "    max_inflight = 4\n"
	      "\n"
	      "[ bmc:node02 ]\n"
	      "host = 2001:db8::7\r\n"
	      "username = root\n"
	      "password = pw;with;semis\n"
	      "cipher_suite = 3\n"
	      "privilege = user\n"
	      "allow_insecure_cipher = yes\n");
	c = load_ok("ipmipool.conf");
	ck_assert_str_eq(c->daemon.socket, "/tmp/ipmipool-test.sock");
	ck_assert_uint_eq(c->daemon.socket_mode, 0600);
	ck_assert_str_eq(c->daemon.socket_group, "wheel");
	ck_assert_int_eq(c->daemon.log_level, CONFIG_LOG_DEBUG);
	ck_assert_double_eq(c->daemon.keepalive_interval, 15.5);
	ck_assert_double_eq(c->daemon.request_timeout, 0.25);
	ck_assert_uint_eq(c->daemon.retries, 5);
	ck_assert_uint_eq(c->daemon.max_handshakes, 8);
	ck_assert_double_eq(c->daemon.dns_refresh, 60);
	ck_assert_str_eq(c->daemon.resolv_conf, "/etc/alt-resolv.conf");
	ck_assert_uint_eq(c->daemon.n_allow_uids, 3);
	ck_assert_uint_eq(c->daemon.allow_uids[0], 0);
	ck_assert_uint_eq(c->daemon.allow_uids[1], 1000);
	ck_assert_uint_eq(c->daemon.allow_uids[2], 1001);
	ck_assert_uint_eq(c->daemon.n_readonly_uids, 1);
	ck_assert_uint_eq(c->daemon.readonly_uids[0], 2000);
	ck_assert_uint_eq(c->n_files, 1);
	ck_assert_str_eq(c->files[0], tpath("ipmipool.conf"));

	ck_assert_uint_eq(c->n_bmcs, 2);
	b = config_find_bmc(c, "node01");
	ck_assert_ptr_eq(b, &c->bmcs[0]);
	ck_assert_str_eq(b->host, "node01-bmc.example.net");
	ck_assert_uint_eq(b->port, 6230);
	ck_assert_str_eq(b->username, "admin");
	ck_assert_uint_eq(b->password_len, 7);
	ck_assert_mem_eq(b->password, "defpass", 7);
	ck_assert_uint_eq(b->kg_len, 20);
	ck_assert_mem_eq(b->kg, kg, 20);
	ck_assert_int_eq(b->cipher_suite, -1);
	ck_assert_uint_eq(b->n_cipher_suites, 2);
	ck_assert_uint_eq(b->cipher_suites[0], 3);
	ck_assert_uint_eq(b->cipher_suites[1], 17);
	ck_assert_uint_eq(b->privilege, 3);
	ck_assert_uint_eq(b->max_inflight, 4);
	ck_assert(!b->allow_insecure_cipher);
	ck_assert_str_eq(b->file, tpath("ipmipool.conf"));
	ck_assert_uint_eq(b->line, 23);

	b = config_find_bmc(c, "node02");
	ck_assert_ptr_eq(b, &c->bmcs[1]);
	ck_assert_str_eq(b->host, "2001:db8::7");
	ck_assert_uint_eq(b->port, 623);
	ck_assert_str_eq(b->username, "root");
	ck_assert_uint_eq(b->password_len, 13);
	ck_assert_mem_eq(b->password, "pw;with;semis", 13);
	ck_assert_uint_eq(b->kg_len, 0);
	ck_assert_int_eq(b->cipher_suite, 3);
	ck_assert_uint_eq(b->privilege, 2);
	ck_assert_uint_eq(b->max_inflight, 1);
	ck_assert(b->allow_insecure_cipher);
	ck_assert_uint_eq(b->line, 29);
	config_free(c);
}
END_TEST

START_TEST(bmc_builtin_defaults)
{
	const struct config_bmc *b;
	struct config *c;

	wfile("ipmipool.conf", 0600, "[bmc:x]\nhost = x\npassword = p\n");
	c = load_ok("ipmipool.conf");
	b = config_find_bmc(c, "x");
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(b->port, 623);
	ck_assert_str_eq(b->username, "");
	ck_assert_int_eq(b->cipher_suite, -1);
	ck_assert_uint_eq(b->n_cipher_suites, 2);
	ck_assert_uint_eq(b->cipher_suites[0], 17);
	ck_assert_uint_eq(b->cipher_suites[1], 3);
	ck_assert_uint_eq(b->privilege, 4);
	ck_assert_uint_eq(b->max_inflight, 1);
	ck_assert(!b->allow_insecure_cipher);
	ck_assert_uint_eq(b->kg_len, 0);
	check_daemon_defaults(&c->daemon);
	config_free(c);
}
END_TEST

START_TEST(confd_order_and_defaults)
{
	const struct config_bmc *a, *b;
	struct config *c;

	setenv("CREDENTIALS_DIRECTORY", tpath("creds"), 1);
	wfile("creds/cred1", 0600, "fromcred\n");
	wfile("secrets/a", 0600, "fromfile\n");
	wfile("ipmipool.conf", 0644,
	      "[bmc:a]\n"
	      "host = a.example\n"
	      "password_file = secrets/a\n" /* relative to this file's directory */
	      "port = 6000\n"
	      "[daemon]\n"
	      "retries = 2\n");
	wfile("conf.d/30-z.conf", 0644, "[daemon]\nretries = 7\n");
	wfile("conf.d/10-a.conf", 0644,
	      "[daemon]\nretries = 5\nlog_level = debug\n[bmc:b]\nhost=b\n");
	wfile("conf.d/20-defaults.conf", 0644,
	      "[defaults]\nusername = late\ncredential = cred1\nport = 624\nmax_inflight = 9\n");
	wfile("conf.d/.hidden.conf", 0644, "garbage\n");
	wfile("conf.d/notes.txt", 0644, "garbage\n");
	wfile("conf.d/99-x.conf.sample", 0644, "garbage\n");
	c = load_ok("ipmipool.conf");
	ck_assert_uint_eq(c->daemon.retries, 7);
	ck_assert_int_eq(c->daemon.log_level, CONFIG_LOG_DEBUG);
	ck_assert_uint_eq(c->n_files, 4);
	ck_assert_str_eq(c->files[1], tpath("conf.d/10-a.conf"));
	ck_assert_str_eq(c->files[2], tpath("conf.d/20-defaults.conf"));
	ck_assert_str_eq(c->files[3], tpath("conf.d/30-z.conf"));

	/* [defaults] came after both BMCs and still applies; own keys win. */
	ck_assert_uint_eq(c->n_bmcs, 2);
	a = config_find_bmc(c, "a");
	b = config_find_bmc(c, "b");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(a->username, "late");
	ck_assert_str_eq(b->username, "late");
	ck_assert_uint_eq(a->port, 6000);
	ck_assert_uint_eq(b->port, 624);
	ck_assert_uint_eq(a->max_inflight, 9);
	ck_assert_uint_eq(a->password_len, 8);
	ck_assert_mem_eq(a->password, "fromfile", 8);
	ck_assert_uint_eq(b->password_len, 8);
	ck_assert_mem_eq(b->password, "fromcred", 8);
	ck_assert_str_eq(b->file, tpath("conf.d/10-a.conf"));
	ck_assert_uint_eq(b->line, 4);
	config_free(c);
}
END_TEST

/* A later [defaults] overrides an earlier one key by key. */
START_TEST(defaults_sections_merge)
{
	const struct config_bmc *b;
	struct config *c;

	wfile("ipmipool.conf", 0600,
	      "[defaults]\nusername = one\nport = 1000\npassword = first\n"
	      "[bmc:x]\nhost = x\n"
	      "[defaults]\nusername = two\npassword = second\n");
	c = load_ok("ipmipool.conf");
	b = config_find_bmc(c, "x");
	ck_assert_str_eq(b->username, "two");
	ck_assert_uint_eq(b->port, 1000);
	ck_assert_uint_eq(b->password_len, 6);
	ck_assert_mem_eq(b->password, "second", 6);
	config_free(c);
}
END_TEST

/* ---- problems ----------------------------------------------------------- */

START_TEST(errors_with_file_and_line)
{
	struct errs e;

	wfile("ipmipool.conf", 0600,
	      "retries = 3\n"                      /* 1: outside a section */
	      "[daemon]\n"                         /* 2 */
	      "retries = 0\n"                      /* 3: range */
	      "bogus = 1\n"                        /* 4: unknown key */
	      "log_level = loud\n"                 /* 5: enum */
	      "socket_mode = 0999\n"               /* 6: octal */
	      "just some words\n"                  /* 7: syntax */
	      "retries = 4\n"                      /* 8: twice */
	      "[nonsense]\n"                       /* 9: unknown section */
	      "foo = bar\n"                        /* 10: ignored */
	      "[bmc:n1]\n"                         /* 11 */
	      "host = h1\n"                        /* 12 */
	      "password = p\n"                     /* 13 */
	      "port = 70000\n"                     /* 14: range */
	      "cipher_suite = 4\n"                 /* 15: no such suite */
	      "socket = /x\n"                      /* 16: [daemon] key */
	      "[bmc:n2]\n"                         /* 17: no host */
	      "password = p\n"                     /* 18 */
	      "cipher_suite = 0\n"                 /* 19: suite 0 */
	      "[defaults]\n"                       /* 20 */
	      "host = x\n"                         /* 21: not in [defaults] */
	      "[bmc:n3]\n"                         /* 22: no password */
	      "host = h3\n"                        /* 23 */
	      "cipher_suites = 17,0\n"             /* 24: suite 0 listed */
	      "[bmc:bad name]\n"                   /* 25: bad name */
	      "[bmc:n4]\n"                         /* 26 */
	      "host = h4\n"                        /* 27 */
	      "password = p\n"                     /* 28 */
	      "password_file = /nonexistent\n"     /* 29: alternatives */
	      "allow_insecure_cipher = maybe\n"    /* 30: bool */
	      "[bmc:n1]\n"                         /* 31: duplicate */
	      "host = dup\n"                       /* 32 */
	      "[daemon\n"                          /* 33: no ']' */
	      "[daemon]\n"                         /* 34 */
	      "readonly_uids = no_such_user_xyz\n" /* 35 */
	      "keepalive_interval = nan\n"         /* 36 */
	      "cipher_suites = 3\n"                /* 37: BMC key in [daemon] */
	      "[bmc:n5]\n"                         /* 38 */
	      "host = h5\n"                        /* 39 */
	      "password = p\n"                     /* 40 */
	      "cipher_suites = 17,3,17\n"          /* 41: twice */
	      "max_inflight = 64\n"                /* 42: range */
	      "privilege = root\n");               /* 43: enum */
	wfile("conf.d/50-dup.conf", 0600, "; dup\n[bmc:n4]\nhost = again\npassword = q\n");
	load_bad("ipmipool.conf", &e, 28);
	expect(&e, "ipmipool.conf:1: ", "'retries' outside a section");
	expect(&e, "ipmipool.conf:3: ", "retries: expected an integer from 1 to 20, got '0'");
	expect(&e, "ipmipool.conf:4: ", "unknown key 'bogus' in [daemon]");
	expect(&e, "ipmipool.conf:5: ", "log_level: expected error|warning|info|debug");
	expect(&e, "ipmipool.conf:6: ", "socket_mode: expected an octal mode");
	expect(&e, "ipmipool.conf:7: ", "expected 'key = value'");
	expect(&e, "ipmipool.conf:8: ", "'retries' is set twice in [daemon] (line 3)");
	expect(&e, "ipmipool.conf:9: ", "unknown section [nonsense]");
	expect(&e, "ipmipool.conf:14: ", "port: expected an integer from 1 to 65535");
	expect(&e, "ipmipool.conf:15: ", "cipher_suite: expected auto or a cipher suite id");
	expect(&e, "ipmipool.conf:16: ",
	       "'socket' is not allowed in [bmc:n1] (it belongs in [daemon])");
	expect(&e, "ipmipool.conf:17: ", "[bmc:n2] has no host");
	expect(&e, "ipmipool.conf:19: ", "[bmc:n2]: cipher suite 0 (no authentication)");
	expect(&e, "ipmipool.conf:21: ", "'host' is not allowed in [defaults]");
	expect(&e, "ipmipool.conf:22: ", "[bmc:n3] has no password");
	expect(&e, "ipmipool.conf:24: ", "[bmc:n3]: cipher_suites lists suite 0");
	expect(&e, "ipmipool.conf:25: ", "bad BMC name 'bad name'");
	expect(&e,
	       "ipmipool.conf:29: ", "'password_file' and 'password' (line 28) are alternatives");
	expect(&e, "ipmipool.conf:30: ", "allow_insecure_cipher: expected yes or no");
	expect(&e, "ipmipool.conf:31: ", "duplicate [bmc:n1] (first at ");
	expect(&e, "ipmipool.conf:31: ", "ipmipool.conf:11)");
	expect(&e, "ipmipool.conf:33: ", "section header without ']'");
	expect(&e, "ipmipool.conf:35: ", "readonly_uids: unknown user 'no_such_user_xyz'");
	expect(&e, "ipmipool.conf:36: ", "keepalive_interval: expected a number of seconds");
	expect(&e, "ipmipool.conf:37: ", "'cipher_suites' is not allowed in [daemon]");
	expect(&e, "ipmipool.conf:41: ", "cipher_suites: suite 17 listed twice");
	expect(&e, "ipmipool.conf:42: ", "max_inflight: expected an integer from 1 to 63");
	expect(&e,
	       "ipmipool.conf:43: ", "privilege: expected callback|user|operator|administrator");
	expect(&e, "50-dup.conf:2: ", "duplicate [bmc:n4] (first at ");
}
END_TEST

/* Suite 0 is fine with allow_insecure_cipher, from either section. */
START_TEST(suite0_allowed)
{
	struct config *c;

	wfile("ipmipool.conf", 0600,
	      "[defaults]\nallow_insecure_cipher = yes\npassword = p\n"
	      "[bmc:a]\nhost = a\ncipher_suite = 0\n"
	      "[bmc:b]\nhost = b\ncipher_suites = 0 3\n");
	c = load_ok("ipmipool.conf");
	ck_assert_int_eq(config_find_bmc(c, "a")->cipher_suite, 0);
	ck_assert_uint_eq(config_find_bmc(c, "b")->cipher_suites[0], 0);
	config_free(c);
}
END_TEST

START_TEST(suite0_from_defaults)
{
	struct errs e;

	wfile("ipmipool.conf", 0600, "[bmc:a]\nhost = a\npassword = p\n");
	wfile("conf.d/10.conf", 0600, "[defaults]\n\ncipher_suite = 0\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "10.conf:3: ", "[bmc:a]: cipher suite 0");
}
END_TEST

START_TEST(every_suite)
{
	static const char *const good[] = { "auto", "AUTO", "0",  "1",  "2",  "3",  "6",
		                            "7",    "8",    "11", "12", "15", "16", "17" };
	static const char *const bad[] = { "4",   "5",   "9",  "10", "13", "14",  "18",
		                           "255", "256", "-1", "",   "3x", "0x3", "auto,3" };
	char text[256];
	struct config *c;
	struct errs e;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text),
		         "[bmc:a]\nhost = a\npassword = p\nallow_insecure_cipher = 1\n"
		         "cipher_suite = %s\n",
		         good[i]);
		wfile("ipmipool.conf", 0600, text);
		c = load_ok("ipmipool.conf");
		config_free(c);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[bmc:a]\nhost = a\npassword = p\ncipher_suite = %s\n",
		         bad[i]);
		wfile("ipmipool.conf", 0600, text);
		load_bad("ipmipool.conf", &e, 1);
		expect(&e, "ipmipool.conf:4: ", "cipher_suite: expected auto or");
	}
}
END_TEST

START_TEST(ranges)
{
	static const struct {
		const char *line;
		bool ok;
	} cases[] = {
		{ "retries = 1", true },
		{ "retries = 20", true },
		{ "retries = 21", false },
		{ "retries = -1", false },
		{ "retries = +3", false },
		{ "retries = 3.0", false },
		{ "retries = 99999999999999999999999", false },
		{ "max_handshakes = 0", false },
		{ "request_timeout = 0.5", true },
		{ "request_timeout = 1e1", true },
		{ "request_timeout = 0", false },
		{ "request_timeout = inf", false },
		{ "request_timeout = 1s", false },
		{ "keepalive_interval = 3600", true },
		{ "keepalive_interval = 3601", false },
		{ "dns_refresh = 0", false },
		{ "socket_mode = 660", true },
		{ "socket_mode = 0777", true },
		{ "socket_mode = 1777", false },
		{ "socket_mode = 8", false },
		{ "socket = relative.sock", false },
		{ "socket_group =", true },
		{ "socket_group = two words", false },
		{ "resolv_conf =", false },
		{ "log_level = WARNING", true },
		{ "allow_uids = 0,0", true },
		{ "allow_uids = 4294967295", false },
		{ "allow_uids = 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 "
		  "26 "
		  "27 28 29 30 31 32",
		  true },
		{ "allow_uids = 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 "
		  "26 "
		  "27 28 29 30 31 32 33",
		  false },
	};
	char text[512];
	struct config *c;
	struct errs e;

	/* socket: sun_path holds 107 bytes and the NUL */
	snprintf(text, sizeof(text), "[daemon]\nsocket = /%0106d\n", 0);
	wfile("ipmipool.conf", 0600, text);
	c = load_ok("ipmipool.conf");
	ck_assert_uint_eq(strlen(c->daemon.socket), 107);
	config_free(c);
	snprintf(text, sizeof(text), "[daemon]\nsocket = /%0107d\n", 0);
	wfile("ipmipool.conf", 0600, text);
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:2: ", "socket: longer than 107 bytes");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "[daemon]\n%s\n", cases[i].line);
		wfile("ipmipool.conf", 0600, text);
		if (cases[i].ok) {
			c = load_ok("ipmipool.conf");
			config_free(c);
		} else {
			load_bad("ipmipool.conf", &e, 1);
			expect(&e, "ipmipool.conf:2: ", "");
		}
	}
}
END_TEST

START_TEST(bmc_values)
{
	static const struct {
		const char *line;
		bool ok;
	} cases[] = {
		{ "username = abcdefghijklmnop", true },   /* 16 */
		{ "username = abcdefghijklmnopq", false }, /* 17 */
		{ "port = 0", false },
		{ "port = 65535", true },
		{ "privilege = Administrator", true },
		{ "max_inflight = 63", true },
		{ "max_inflight = 0", false },
		{ "allow_insecure_cipher = off", true },
		{ "cipher_suites =", false },
		{ "cipher_suites = 1,2,3,6,7,8,11,12,15,16,17", true },
		{ "host = two words", false },
	};
	char text[512];
	struct config *c;
	struct errs e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "[bmc:a]\npassword = p\nhost = h\n%s\n",
		         cases[i].line);
		wfile("ipmipool.conf", 0600, text);
		if (cases[i].ok) {
			c = load_ok("ipmipool.conf");
			config_free(c);
		} else {
			load_bad("ipmipool.conf", &e, 1);
			expect(&e, "ipmipool.conf:4: ", "");
		}
	}
}
END_TEST

/* Every problem in one pass, across files; parsing goes on after each. */
START_TEST(long_line_and_nul)
{
	char text[600];
	struct errs e;

	snprintf(text, sizeof(text), "[bmc:a]\nhost = %0300d\npassword = p\nbogus = 1\n", 0);
	wfile("ipmipool.conf", 0600, text);
	load_bad("ipmipool.conf", &e, 3);
	expect(&e, "ipmipool.conf:2: ", "line longer than");
	expect(&e, "ipmipool.conf:4: ", "unknown key 'bogus'");
	expect(&e, "ipmipool.conf:1: ", "[bmc:a] has no host");

	wfile_len("ipmipool.conf", 0600, "[daemon]\nretries = 3\0x\nbogus = 1\n", 33);
	load_bad("ipmipool.conf", &e, 2);
	expect(&e, "ipmipool.conf:2: ", "NUL byte");
	expect(&e, "ipmipool.conf:3: ", "unknown key");
}
END_TEST

/* inih's multi-line values never happen: indented lines are keys. */
START_TEST(indented_lines_are_keys)
{
	const struct config_bmc *b;
	struct config *c;

	wfile("ipmipool.conf", 0600,
	      "[bmc:a]\n"
	      "    host = h\n"
	      "        port = 1000\n"
	      "\t; an indented comment\n"
	      "                                 ; like API.md's continuation comments\n"
	      "  password = p\n"
	      "host2 = x\n");
	{
		struct errs e;

		load_bad("ipmipool.conf", &e, 1);
		expect(&e, "ipmipool.conf:7: ", "unknown key 'host2'");
	}
	wfile("ipmipool.conf", 0600,
	      "[bmc:a]\n    host = h\n        port = 1000\n  password = p\n");
	c = load_ok("ipmipool.conf");
	b = config_find_bmc(c, "a");
	ck_assert_str_eq(b->host, "h");
	ck_assert_uint_eq(b->port, 1000);
	config_free(c);
}
END_TEST

START_TEST(confd_problems)
{
	struct errs e;

	wfile("ipmipool.conf", 0600, "[daemon]\n");
	wfile("conf.d/10-a.conf", 0600, "[daemon]\nbogus = 1\n");
	wfile("conf.d/20-b.conf", 0000, "[daemon]\n");
	mkdir(tpath("conf.d/30-dir.conf"), 0700);
	wfile("conf.d/40-c.conf", 0600, "[bmc:x]\n");
	load_bad("ipmipool.conf", &e, geteuid() == 0 ? 4 : 5);
	expect(&e, "10-a.conf:2: ", "unknown key 'bogus'");
	if (geteuid() != 0)
		expect(&e, "20-b.conf:0: ", "cannot open");
	expect(&e, "30-dir.conf:0: ", "not a regular file");
	expect(&e, "40-c.conf:1: ", "has no host");
	expect(&e, "40-c.conf:1: ", "has no password");
}
END_TEST

/* ---- secrets ------------------------------------------------------------ */

START_TEST(inline_secret_needs_private_file)
{
	struct config *c;
	struct errs e;

	wfile("ipmipool.conf", 0644, "[bmc:a]\nhost = h\npassword = hunter2\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:3: ", "password: inline secret in world-readable file");
	expect(&e, "ipmipool.conf:3: ", tpath("ipmipool.conf"));
	expect_none_contains(&e, "hunter2");

	wfile("ipmipool.conf", 0644,
	      "[defaults]\nkg = 0x0102\n[bmc:a]\nhost = h\npassword_file = pw\n");
	wfile("pw", 0600, "x\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:2: ", "kg: inline secret in world-readable file");

	/* group-readable is fine: only "other" matters */
	wfile("ipmipool.conf", 0640, "[bmc:a]\nhost = h\npassword = hunter2\n");
	c = load_ok("ipmipool.conf");
	config_free(c);
	wfile("ipmipool.conf", 0600, "[bmc:a]\nhost = h\npassword = hunter2\nkg = 0102\n");
	c = load_ok("ipmipool.conf");
	ck_assert_uint_eq(c->bmcs[0].password_len, 7);
	ck_assert_mem_eq(c->bmcs[0].password, "hunter2", 7);
	ck_assert_uint_eq(c->bmcs[0].kg_len, 2);
	config_free(c);

	/* the check is per file: a private conf.d file may hold one */
	wfile("ipmipool.conf", 0644, "[daemon]\n");
	wfile("conf.d/10.conf", 0600, "[bmc:a]\nhost = h\npassword = hunter2\n");
	c = load_ok("ipmipool.conf");
	config_free(c);
}
END_TEST

START_TEST(password_file_lines)
{
	static const struct {
		const char *content;
		size_t len;
		const char *want; /* NULL: rejected */
		const char *why;
	} cases[] = {
		{ "secret\n", 7, "secret", NULL },
		{ "secret\r\n", 8, "secret", NULL },
		{ "secret", 6, "secret", NULL },
		{ "secret\n\n", 8, "secret", NULL },
		{ "secret\nsecond line\n", 19, "secret", NULL },
		{ " sp ace \n", 9, " sp ace ", NULL },
		{ "secret\r\r\n", 9, "secret\r", NULL },
		{ "12345678901234567890\n", 21, "12345678901234567890", NULL },
		{ "12345678901234567890\r\n", 22, "12345678901234567890", NULL },
		{ "TOPSECRETPASSWORD0021\n", 22, NULL, "password longer than 20 bytes" },
		{ "TOPSECRETPASSWORD0021", 21, NULL, "password longer than 20 bytes" },
		{ "", 0, NULL, "is empty" },
		{ "\n", 1, NULL, "is empty" },
		{ "ab\0cd\n", 6, NULL, "NUL byte" },
	};
	struct config *c;
	struct errs e;

	wfile("ipmipool.conf", 0644, "[bmc:a]\nhost = h\npassword_file = secrets/a\n");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wfile_len("secrets/a", 0600, cases[i].content, cases[i].len);
		if (cases[i].want) {
			c = load_ok("ipmipool.conf");
			ck_assert_uint_eq(c->bmcs[0].password_len, strlen(cases[i].want));
			ck_assert_mem_eq(c->bmcs[0].password, cases[i].want, strlen(cases[i].want));
			config_free(c);
		} else {
			load_bad("ipmipool.conf", &e, 1);
			expect(&e, "ipmipool.conf:3: ", cases[i].why);
			expect(&e, "ipmipool.conf:3: ", tpath("secrets/a"));
			expect_none_contains(&e, "TOPSECRET");
		}
	}
	/* a 21-byte inline password too */
	wfile("ipmipool.conf", 0600, "[bmc:a]\nhost = h\npassword = TOPSECRETPASSWORD0021\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:3: ", "password: longer than 20 bytes");
	expect_none_contains(&e, "TOPSECRET");

	wfile("ipmipool.conf", 0644, "[bmc:a]\nhost = h\npassword_file = /nonexistent/pw\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:3: ", "cannot read /nonexistent/pw: No such file");
	wfile("ipmipool.conf", 0644, "[bmc:a]\nhost = h\npassword_file = secrets\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:3: ", "not a regular file");
	wfile("ipmipool.conf", 0644, "[bmc:a]\nhost = h\npassword_file =\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:3: ", "password_file: must not be empty");
}
END_TEST

START_TEST(credentials)
{
	struct config *c;
	struct errs e;

	wfile("creds/ipmi-admin", 0600, "credpass\r\n");
	wfile("ipmipool.conf", 0644, "[defaults]\ncredential = ipmi-admin\n[bmc:a]\nhost = h\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:2: ", "credential: CREDENTIALS_DIRECTORY is not set");

	setenv("CREDENTIALS_DIRECTORY", tpath("creds"), 1);
	c = load_ok("ipmipool.conf");
	ck_assert_uint_eq(c->bmcs[0].password_len, 8);
	ck_assert_mem_eq(c->bmcs[0].password, "credpass", 8);
	config_free(c);

	wfile("ipmipool.conf", 0644, "[defaults]\ncredential = ../creds/ipmi-admin\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:2: ", "is not a credential name");
	wfile("ipmipool.conf", 0644, "[defaults]\ncredential = ..\n");
	load_bad("ipmipool.conf", &e, 1);
	wfile("ipmipool.conf", 0644, "[defaults]\ncredential = missing\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:2: ", "cannot read");
	expect(&e, "ipmipool.conf:2: ", "creds/missing");
}
END_TEST

START_TEST(kg_hex)
{
	static const struct {
		const char *v;
		size_t len; /* 0: rejected */
		uint8_t first, last;
	} cases[] = {
		{ "0x0102030405060708090a0b0c0d0e0f1011121314", 20, 0x01, 0x14 },
		{ "0102030405060708090A0B0C0D0E0F1011121314", 20, 0x01, 0x14 },
		{ "0X0Ab0", 2, 0x0a, 0xb0 },
		{ "ff", 1, 0xff, 0xff },
		{ "0x0102030405060708090a0b0c0d0e0f101112131415", 0, 0, 0 }, /* 21 bytes */
		{ "abc", 0, 0, 0 },
		{ "0x", 0, 0, 0 },
		{ "zz", 0, 0, 0 },
		{ "0x 01", 0, 0, 0 },
		{ "01 02", 0, 0, 0 },
	};
	struct config *c;
	struct errs e;
	char text[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "[bmc:a]\nhost = h\npassword = p\nkg = %s\n",
		         cases[i].v);
		wfile("ipmipool.conf", 0600, text);
		if (cases[i].len) {
			c = load_ok("ipmipool.conf");
			ck_assert_uint_eq(c->bmcs[0].kg_len, cases[i].len);
			ck_assert_uint_eq(c->bmcs[0].kg[0], cases[i].first);
			ck_assert_uint_eq(c->bmcs[0].kg[cases[i].len - 1], cases[i].last);
			config_free(c);
		} else {
			load_bad("ipmipool.conf", &e, 1);
			expect(&e, "ipmipool.conf:4: ", "kg: K_g ");
			if (strlen(cases[i].v) >= 8)
				expect_none_contains(&e, cases[i].v + 2);
		}
	}
	/* kg_file: first line, blanks around the hex ignored */
	wfile("kg", 0600, "  0xAABB  \r\nignored\n");
	wfile("ipmipool.conf", 0600, "[bmc:a]\nhost = h\npassword = p\nkg_file = kg\n");
	c = load_ok("ipmipool.conf");
	ck_assert_uint_eq(c->bmcs[0].kg_len, 2);
	ck_assert_uint_eq(c->bmcs[0].kg[0], 0xaa);
	ck_assert_uint_eq(c->bmcs[0].kg[1], 0xbb);
	config_free(c);
	wfile("kg", 0600, "nothex\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:4: ", "kg_file: ");
	expect(&e, "ipmipool.conf:4: ", "K_g is not hex");
	expect_none_contains(&e, "nothex");
	wfile("ipmipool.conf", 0600, "[bmc:a]\nhost = h\npassword = p\nkg = 01\nkg_file = kg\n");
	load_bad("ipmipool.conf", &e, 1);
	expect(&e, "ipmipool.conf:5: ", "'kg_file' and 'kg' (line 4) are alternatives");
}
END_TEST

/* ---- runtime bmc.add ---------------------------------------------------- */

START_TEST(runtime_params)
{
	const char *k1[] = { "name", "host", "password", "cipher_suite", "kg" };
	const char *v1[] = { "rt1", "10.0.0.1", "pw", "17", "0x0102" };
	struct config_bmc out, before;
	char reason[256];
	struct config *c;

	wfile("secrets/def", 0600, "defpw\n");
	wfile("ipmipool.conf", 0644,
	      "[defaults]\nusername = ops\nport = 700\npassword_file = secrets/def\n"
	      "privilege = operator\n");
	c = load_ok("ipmipool.conf");

	ck_assert_int_eq(config_bmc_from_params(c, &out, "rt1", k1, v1, 5, reason, sizeof(reason)),
	                 0);
	ck_assert_str_eq(out.name, "rt1");
	ck_assert_str_eq(out.host, "10.0.0.1");
	ck_assert_str_eq(out.username, "ops");
	ck_assert_uint_eq(out.port, 700);
	ck_assert_uint_eq(out.password_len, 2);
	ck_assert_mem_eq(out.password, "pw", 2);
	ck_assert_int_eq(out.cipher_suite, 17);
	ck_assert_uint_eq(out.kg_len, 2);
	ck_assert_uint_eq(out.privilege, 3);
	ck_assert_uint_eq(out.line, 0);
	ck_assert_ptr_nonnull(out.file);

	/* the password comes from [defaults] when not given */
	{
		const char *k[] = { "host", "port", "max_inflight" };
		const char *v[] = { "h", "6230", "8" };

		ck_assert_int_eq(
		    config_bmc_from_params(c, &out, "rt2", k, v, 3, reason, sizeof(reason)), 0);
		ck_assert_uint_eq(out.port, 6230);
		ck_assert_uint_eq(out.max_inflight, 8);
		ck_assert_uint_eq(out.password_len, 5);
		ck_assert_mem_eq(out.password, "defpw", 5);
	}

	/* failures leave out alone and say why */
	memset(&out, 0xa5, sizeof(out));
	before = out;
#define BAD(nm, kk, vv, frag)                                                                      \
	do {                                                                                       \
		const char *k_[] = kk;                                                             \
		const char *v_[] = vv;                                                             \
		ck_assert_int_eq(config_bmc_from_params(c, &out, nm, k_, v_,                       \
		                                        sizeof(k_) / sizeof(k_[0]), reason,        \
		                                        sizeof(reason)),                           \
		                 -1);                                                              \
		ck_assert_msg(strstr(reason, frag), "'%s' lacks '%s'", reason, frag);              \
		ck_assert_mem_eq(&out, &before, sizeof(out));                                      \
	} while (0)
#define L(...) { __VA_ARGS__ }
	BAD("rt3", L("host", "bogus"), L("h", "1"), "unknown key 'bogus'");
	BAD("rt3", L("host", "port"), L("h", "x"), "port: expected an integer");
	BAD("rt3", L("port"), L("624"), "has no host");
	BAD("rt3", L("host", "cipher_suite"), L("h", "0"), "cipher suite 0");
	BAD("rt3", L("host", "password_file"), L("h", "secrets/def"), "must be an absolute path");
	BAD("rt3", L("host", "socket"), L("h", "/x"), "not allowed");
	BAD("rt3", L("host", "host"), L("h", "i"), "set twice");
	BAD("rt3", L("host", "password", "credential"), L("h", "p", "c"), "alternatives");
	BAD("rt3", L("host", "password"), L("h", "TOPSECRETPASSWORD0021"), "longer than 20");
	ck_assert(!strstr(reason, "TOPSECRET"));
	BAD("bad name", L("host"), L("h"), "bad BMC name");
	BAD("", L("host"), L("h"), "bad BMC name");
	{
		const char *k[] = { "host", "cipher_suite", "allow_insecure_cipher" };
		const char *v[] = { "h", "0", "yes" };

		ck_assert_int_eq(
		    config_bmc_from_params(c, &out, "rt4", k, v, 3, reason, sizeof(reason)), 0);
		ck_assert_int_eq(out.cipher_suite, 0);
	}
	{
		char abs_path[PATH_MAX];
		const char *k[] = { "host", "password_file" };
		const char *v[] = { "h", abs_path };

		snprintf(abs_path, sizeof(abs_path), "%s", tpath("secrets/def"));
		ck_assert_int_eq(
		    config_bmc_from_params(c, &out, "rt5", k, v, 2, reason, sizeof(reason)), 0);
		ck_assert_uint_eq(out.password_len, 5);
	}
	config_free(c);
	c = NULL;

	/* without a loaded config: built-in defaults */
	memset(&out, 0xa5, sizeof(out));
	before = out;
	BAD("rt6", L("host"), L("h"), "has no password");
	{
		const char *k[] = { "host", "password" };
		const char *v[] = { "h", "p" };

		ck_assert_int_eq(
		    config_bmc_from_params(NULL, &out, "rt6", k, v, 2, reason, sizeof(reason)), 0);
		ck_assert_uint_eq(out.port, 623);
		ck_assert_uint_eq(out.privilege, 4);
		ck_assert_str_eq(out.username, "");
	}
#undef BAD
#undef L
}
END_TEST

START_TEST(bmc_equal)
{
	const char *k[] = { "host", "password", "kg" };
	const char *v[] = { "h", "pw", "0102" };
	struct config_bmc a, b;
	char reason[128];

	ck_assert_int_eq(config_bmc_from_params(NULL, &a, "x", k, v, 3, reason, sizeof(reason)), 0);
	ck_assert_int_eq(config_bmc_from_params(NULL, &b, "x", k, v, 3, reason, sizeof(reason)), 0);
	b.file = "elsewhere";
	b.line = 99;
	ck_assert(config_bmc_equal(&a, &b));
	b.password[1] ^= 1;
	ck_assert(!config_bmc_equal(&a, &b));
	b.password[1] ^= 1;
	b.kg[0] ^= 1;
	ck_assert(!config_bmc_equal(&a, &b));
	b.kg[0] ^= 1;
	b.port++;
	ck_assert(!config_bmc_equal(&a, &b));
	b.port--;
	b.cipher_suites[1] = 8;
	ck_assert(!config_bmc_equal(&a, &b));
	b.cipher_suites[1] = a.cipher_suites[1];
	b.allow_insecure_cipher = true;
	ck_assert(!config_bmc_equal(&a, &b));
	b.allow_insecure_cipher = false;
	strcpy(b.name, "y");
	ck_assert(!config_bmc_equal(&a, &b));
	strcpy(b.name, "x");
	ck_assert(config_bmc_equal(&a, &b));
}
END_TEST

/* ---- the shipped files -------------------------------------------------- */

/* True when some line of text, comment markers and blanks aside, is "key =". */
static bool
documents(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l;

		while (*p == '#' || *p == ';' || *p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, key, kl) != 0)
			continue;
		p += kl;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '=')
			return true;
	}
	return false;
}

START_TEST(shipped_conf)
{
	char path[PATH_MAX];
	struct config *c = NULL, *d = config_new_default();
	struct errs e = { 0 };
	char *text;

	snprintf(path, sizeof(path), "%s/ipmipool.conf", conf_dir());
	ck_assert_int_eq(config_load(path, false, collect, &e, &c), 0);
	ck_assert_int_eq(e.n, 0);
	ck_assert_uint_eq(c->n_bmcs, 0);
	check_daemon_defaults(&c->daemon);
	ck_assert_mem_eq(&c->daemon, &d->daemon, sizeof(c->daemon));

	text = slurp(path);
	for (const char *const *k = config_known_keys(); *k; k++) {
		const char *dot = strchr(*k, '.');

		ck_assert_ptr_nonnull(dot);
		ck_assert_msg(documents(text, dot + 1), "conf/ipmipool.conf does not document %s",
		              *k);
	}
	ck_assert_ptr_nonnull(strstr(text, "[daemon]"));
	ck_assert_ptr_nonnull(strstr(text, "[defaults]"));
	ck_assert_ptr_nonnull(strstr(text, "[bmc:"));
	free(text);
	config_free(c);
	config_free(d);
}
END_TEST

/* Replaces every "from" in s by "to" (caller frees). */
static char *
replace_all(const char *s, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	char *out, *o;

	for (const char *p = s; (p = strstr(p, from)); p += fl)
		n++;
	out = malloc(strlen(s) + n * tl + 1);
	ck_assert_ptr_nonnull(out);
	o = out;
	for (const char *p = s, *q;; p = q + fl) {
		q = strstr(p, from);
		if (!q) {
			strcpy(o, p);
			break;
		}
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, tl);
		o += tl;
	}
	return out;
}

/* The example BMC file, with /etc/ipmipool moved to the temporary dir. */
START_TEST(shipped_sample)
{
	char path[PATH_MAX], to[PATH_MAX];
	char *text, *moved;
	struct config *c;

	snprintf(path, sizeof(path), "%s/conf.d/10-example.conf.sample", conf_dir());
	text = slurp(path);
	snprintf(to, sizeof(to), "%s/", tmp);
	moved = replace_all(text, "/etc/ipmipool/", to);
	wfile("ipmipool.conf", 0644, "[daemon]\n");
	wfile("conf.d/10-example.conf", 0600, moved);
	wfile("secrets/admin", 0600, "adminpw\n");
	wfile("secrets/rack2", 0600, "rack2pw\n");
	wfile("secrets/rack2.kg", 0600, "0x00112233445566778899\n");
	wfile("creds/ipmi-legacy", 0600, "legacy\n");
	setenv("CREDENTIALS_DIRECTORY", tpath("creds"), 1);
	c = load_ok("ipmipool.conf");
	ck_assert_uint_ge(c->n_bmcs, 3);
	for (size_t i = 0; i < c->n_bmcs; i++) {
		ck_assert(c->bmcs[i].host[0]);
		ck_assert_uint_gt(c->bmcs[i].password_len, 0);
	}
	config_free(c);
	free(moved);
	free(text);
}
END_TEST

/* The example in spec/API.md, verbatim but for the secrets' directory. */
START_TEST(api_md_example)
{
	static const char example[] =
	    "[daemon]\n"
	    "socket = /run/ipmipool/ipmipool.sock\n"
	    "socket_mode = 0660\n"
	    "socket_group = ipmipool\n"
	    "log_level = info                 ; error|warning|info|debug\n"
	    "keepalive_interval = 20          ; s of idle before a keepalive on an active session\n"
	    "request_timeout = 1.0            ; s per attempt\n"
	    "retries = 3                      ; attempts per request (first one included)\n"
	    "max_handshakes = 64              ; session set-ups in flight at once, pool-wide\n"
	    "dns_refresh = 300                ; s between re-resolutions of a name (also on every "
	    "reconnect)\n"
	    "resolv_conf = /etc/resolv.conf   ; name servers for evdns (/etc/hosts is always "
	    "consulted first)\n"
	    "allow_uids =                     ; optional: uids/user names allowed to connect "
	    "(default: whoever can open the socket)\n"
	    "readonly_uids =                  ; optional: may only call read methods\n"
	    "\n"
	    "[defaults]                       ; applies to every [bmc:*] section unless it sets "
	    "its own\n"
	    "username = admin\n"
	    "password_file = /etc/ipmipool/secrets/admin\n"
	    "cipher_suite = auto              ; auto = ask the BMC (Get Channel Cipher Suites) "
	    "and take the first of\n"
	    "                                 ; cipher_suites it offers; or a fixed id (1-3, 6-8, "
	    "11-12, 15-17)\n"
	    "cipher_suites = 17,3             ; preference order for auto (suite 0 never, unless "
	    "allow_insecure_cipher)\n"
	    "privilege = administrator        ; callback|user|operator|administrator \xe2\x80\x94 "
	    "never silently lowered\n"
	    "\n"
	    "[bmc:node01]\n"
	    "host = node01-bmc.example.net    ; DNS name or IPv4/IPv6 literal\n"
	    "port = 623\n"
	    "; username / password / password_file / credential / kg / kg_file / cipher_suite / "
	    "privilege / max_inflight\n";
	const struct config_bmc *b;
	struct config *c;
	char to[PATH_MAX], *moved;

	snprintf(to, sizeof(to), "%s/", tmp);
	moved = replace_all(example, "/etc/ipmipool/", to);
	wfile("ipmipool.conf", 0644, moved);
	wfile("secrets/admin", 0600, "adminpw\n");
	c = load_ok("ipmipool.conf");
	check_daemon_defaults(&c->daemon);
	ck_assert_uint_eq(c->n_bmcs, 1);
	b = config_find_bmc(c, "node01");
	ck_assert_str_eq(b->host, "node01-bmc.example.net");
	ck_assert_uint_eq(b->port, 623);
	ck_assert_str_eq(b->username, "admin");
	ck_assert_uint_eq(b->password_len, 7);
	ck_assert_int_eq(b->cipher_suite, -1);
	ck_assert_uint_eq(b->privilege, 4);
	config_free(c);
	free(moved);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("config");
	TCase *tc;
	SRunner *sr;
	int failed;

	tc = tcase_create("defaults");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, missing_main_file);
	tcase_add_test(tc, known_keys);
	tcase_add_test(tc, bmc_builtin_defaults);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, full_parse);
	tcase_add_test(tc, confd_order_and_defaults);
	tcase_add_test(tc, defaults_sections_merge);
	tcase_add_test(tc, indented_lines_are_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("problems");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, errors_with_file_and_line);
	tcase_add_test(tc, suite0_allowed);
	tcase_add_test(tc, suite0_from_defaults);
	tcase_add_test(tc, every_suite);
	tcase_add_test(tc, ranges);
	tcase_add_test(tc, bmc_values);
	tcase_add_test(tc, long_line_and_nul);
	tcase_add_test(tc, confd_problems);
	suite_add_tcase(s, tc);

	tc = tcase_create("secrets");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, inline_secret_needs_private_file);
	tcase_add_test(tc, password_file_lines);
	tcase_add_test(tc, credentials);
	tcase_add_test(tc, kg_hex);
	suite_add_tcase(s, tc);

	tc = tcase_create("runtime");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, runtime_params);
	tcase_add_test(tc, bmc_equal);
	suite_add_tcase(s, tc);

	tc = tcase_create("shipped");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, shipped_conf);
	tcase_add_test(tc, shipped_sample);
	tcase_add_test(tc, api_md_example);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
