/*
 * fuzz_config - the configuration parser (daemon/config.c, daemon/secret.c):
 * config_load() on files written from the input into a private temporary
 * directory (there is no in-memory entry point: config_load reads the file
 * and its conf.d/ beside it), and config_bmc_from_params(), the validator
 * behind bmc.add.
 *
 * Input: byte 0 selects.
 *   bit 0 clear: a configuration.  The rest up to an optional NUL is
 *         ipmipool.conf, after the NUL conf.d/50-fuzz.conf.  bit 1: the files
 *         are world-readable (inline secrets must be refused); bit 2:
 *         missing_ok.  The directory also holds "pw" (a password file),
 *         "kg" (a K_g file) and "empty", for relative *_file paths.
 *   bit 0 set: bmc.add parameters: the first line is the name, then
 *         "key=value" lines.
 *
 * Checks: the result is consistent (ranges, NUL-terminated strings, sizes)
 * or there is at least one problem, each reported with a non-empty reason
 * and a line within the file; an inline password or K_g of the input never
 * shows up in a reason (when it is not also written elsewhere in the input;
 * a reason that shows it also when the secret is changed quotes the message's
 * own words, not the secret: see fc_disguised).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

#define FC_MAX_KEYS 32

static char fc_dir[64];
static char fc_main[128];
static char fc_confd[128];
static char fc_confd_file[160];

struct fc_secrets {
	char vals[8][RAKP_PASS_MAX + 64];
	bool seen[8]; /* vals[i] occurred in a reason */
	size_t n;
	const uint8_t *input;
	size_t input_len;
	unsigned problems;
};

static void
fc_rmtree(void)
{
	unlink(fc_confd_file);
	rmdir(fc_confd);
	unlink(fc_main);
	for (const char *const *n = (const char *const[]){ "pw", "kg", "empty", NULL }; *n; n++) {
		char p[160];
		snprintf(p, sizeof(p), "%s/%s", fc_dir, *n);
		unlink(p);
	}
	rmdir(fc_dir);
}

static void
fc_write(const char *path, const void *data, size_t len, mode_t mode)
{
	FILE *f = fopen(path, "wb");

	FUZZ_ASSERT(f != NULL);
	FUZZ_ASSERT(len == 0 || fwrite(data, 1, len, f) == len);
	FUZZ_ASSERT(fclose(f) == 0);
	FUZZ_ASSERT(chmod(path, mode) == 0);
}

static void
fc_init(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(fc_dir, sizeof(fc_dir), "%s/fuzzcfg.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (strlen(fc_dir) >= sizeof(fc_dir) - 1 || mkdtemp(fc_dir) == NULL) {
		snprintf(fc_dir, sizeof(fc_dir), "/tmp/fuzzcfg.XXXXXX");
		FUZZ_ASSERT(mkdtemp(fc_dir) != NULL);
	}
	snprintf(fc_main, sizeof(fc_main), "%s/ipmipool.conf", fc_dir);
	snprintf(fc_confd, sizeof(fc_confd), "%s/conf.d", fc_dir);
	snprintf(fc_confd_file, sizeof(fc_confd_file), "%s/50-fuzz.conf", fc_confd);
	{
		char p[160];
		snprintf(p, sizeof(p), "%s/pw", fc_dir);
		fc_write(p, "fuzz-password-file\n", 19, 0600);
		snprintf(p, sizeof(p), "%s/kg", fc_dir);
		fc_write(p, "0x0102030405060708090a0b0c0d0e0f1011121314\n", 43, 0600);
		snprintf(p, sizeof(p), "%s/empty", fc_dir);
		fc_write(p, "", 0, 0600);
	}
	atexit(fc_rmtree);
}

static bool
fc_occurs_once(const struct fc_secrets *s, const char *v)
{
	size_t n = strlen(v), count = 0;

	for (size_t i = 0; n > 0 && i + n <= s->input_len; i++)
		if (memcmp(s->input + i, v, n) == 0 && ++count > 1)
			return false;
	return count == 1;
}

/* Inline secrets of the input: values of password/kg lines, 6+ characters. */
static void
fc_collect(struct fc_secrets *s, const uint8_t *text, size_t len)
{
	size_t pos = 0;

	while (pos < len && s->n < sizeof(s->vals) / sizeof(s->vals[0])) {
		const uint8_t *eol = memchr(text + pos, '\n', len - pos);
		size_t n = eol ? (size_t)(eol - (text + pos)) : len - pos;
		char line[512], key[32], *eq, *v, *end;

		if (n < sizeof(line)) {
			memcpy(line, text + pos, n);
			line[n] = '\0';
			if ((eq = strchr(line, '=')) != NULL) {
				*eq = '\0';
				if (sscanf(line, " %31s", key) == 1 &&
				    (strcmp(key, "password") == 0 || strcmp(key, "kg") == 0)) {
					for (v = eq + 1; *v == ' ' || *v == '\t'; v++)
						;
					end = v + strlen(v);
					while (end > v && (end[-1] == ' ' || end[-1] == '\t' ||
					                   end[-1] == '\r'))
						*--end = '\0';
					if (strlen(v) >= 6 && strlen(v) < sizeof(s->vals[0]) &&
					    !strpbrk(v, ";#") && fc_occurs_once(s, v))
						snprintf(s->vals[s->n++], sizeof(s->vals[0]), "%s",
						         v);
				}
			}
		}
		pos += n + 1;
	}
}

static void
fc_error(void *arg, const char *file, unsigned line, const char *reason)
{
	struct fc_secrets *s = arg;

	(void)file;
	FUZZ_ASSERT(reason != NULL && reason[0] != '\0');
	FUZZ_ASSERT(line < 1000000);
	for (size_t i = 0; i < s->n; i++)
		if (strstr(reason, s->vals[i]) != NULL)
			s->seen[i] = true; /* fc_verdict decides */
	s->problems++;
}

/*
 * A secret that shows up in a reason may just be words of the message itself
 * (a password "inline" and "inline secret in world-readable file").  The
 * input is parsed again with every such secret disguised (same length, every
 * letter and digit changed within its class: hex stays hex); if a reason
 * still contains the original text, it came from the message, not from the
 * secret.  (A secret of punctuation only cannot be told apart: not checked.)
 */
static char
fc_disguise_char(char c)
{
	if (c >= '0' && c <= '9')
		return (char)('0' + (c - '0' + 1) % 10);
	if (c >= 'a' && c <= 'f')
		return (char)('a' + (c - 'a' + 1) % 6);
	if (c >= 'A' && c <= 'F')
		return (char)('A' + (c - 'A' + 1) % 6);
	if (c >= 'g' && c <= 'z')
		return (char)('g' + (c - 'g' + 1) % 20);
	if (c >= 'G' && c <= 'Z')
		return (char)('G' + (c - 'G' + 1) % 20);
	return c;
}

/* A copy of the input with each seen secret disguised (caller frees), or NULL if none was seen. */
static uint8_t *
fc_disguised(const struct fc_secrets *s)
{
	uint8_t *copy = NULL;

	for (size_t i = 0; i < s->n; i++) {
		size_t n = strlen(s->vals[i]);
		if (!s->seen[i])
			continue;
		if (copy == NULL) {
			FUZZ_ASSERT((copy = malloc(s->input_len)) != NULL);
			memcpy(copy, s->input, s->input_len);
		}
		for (size_t at = 0; at + n <= s->input_len; at++)
			if (memcmp(s->input + at, s->vals[i], n) == 0)
				for (size_t k = 0; k < n; k++)
					copy[at + k] =
					    (uint8_t)fc_disguise_char((char)copy[at + k]);
	}
	return copy;
}

/* again: the run on the disguised input.  A seen secret it no longer shows was leaked. */
static void
fc_verdict(const struct fc_secrets *first, const struct fc_secrets *again)
{
	for (size_t i = 0; i < first->n; i++)
		if (first->seen[i] && !again->seen[i]) {
			fprintf(stderr, "fuzz_config: secret %zu is in a reason\n", i);
			FUZZ_ASSERT(!"secret in an error message");
		}
}

static void
fc_check_bmc(const struct config_bmc *b)
{
	FUZZ_ASSERT(memchr(b->name, '\0', sizeof(b->name)) != NULL && b->name[0] != '\0');
	FUZZ_ASSERT(memchr(b->host, '\0', sizeof(b->host)) != NULL && b->host[0] != '\0');
	FUZZ_ASSERT(memchr(b->username, '\0', sizeof(b->username)) != NULL);
	FUZZ_ASSERT(b->password_len <= sizeof(b->password));
	FUZZ_ASSERT(b->kg_len <= sizeof(b->kg));
	FUZZ_ASSERT(b->privilege >= 1 && b->privilege <= 4);
	FUZZ_ASSERT(b->max_inflight >= 1 && b->max_inflight <= 63);
	FUZZ_ASSERT(b->cipher_suite >= -1 && b->cipher_suite <= 255);
	FUZZ_ASSERT(b->n_cipher_suites <= CONFIG_MAX_SUITES);
	if (!b->allow_insecure_cipher) {
		FUZZ_ASSERT(b->cipher_suite != 0);
		FUZZ_ASSERT(memchr(b->cipher_suites, 0, b->n_cipher_suites) == NULL);
	}
	FUZZ_ASSERT(config_bmc_equal(b, b));
}

static void
fc_check(const struct config *c)
{
	const struct config_daemon *d = &c->daemon;

	FUZZ_ASSERT(memchr(d->socket, '\0', sizeof(d->socket)) != NULL);
	FUZZ_ASSERT(memchr(d->socket_group, '\0', sizeof(d->socket_group)) != NULL);
	FUZZ_ASSERT(memchr(d->resolv_conf, '\0', sizeof(d->resolv_conf)) != NULL);
	FUZZ_ASSERT(d->n_allow_uids <= CONFIG_MAX_UIDS && d->n_readonly_uids <= CONFIG_MAX_UIDS);
	FUZZ_ASSERT(d->log_level <= CONFIG_LOG_DEBUG);
	FUZZ_ASSERT(d->request_timeout > 0 && d->retries >= 1);
	for (size_t i = 0; i < c->n_bmcs; i++) {
		fc_check_bmc(&c->bmcs[i]);
		FUZZ_ASSERT(config_find_bmc(c, c->bmcs[i].name) == &c->bmcs[i]);
	}
}

static void
fc_run_params(const uint8_t *data, size_t size, struct fc_secrets *s)
{
	const char *keys[FC_MAX_KEYS], *vals[FC_MAX_KEYS];
	struct config *def = config_new_default();
	struct config_bmc out;
	char *text = malloc(size + 1), *p, *line, *name, reason[256];
	size_t n = 0;
	int rc;

	FUZZ_ASSERT(text != NULL && def != NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	p = text;
	name = strsep(&p, "\n");
	while ((line = strsep(&p, "\n")) != NULL && n < FC_MAX_KEYS) {
		char *eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		keys[n] = line;
		vals[n++] = eq + 1;
	}
	rc = config_bmc_from_params(def, &out, name, keys, vals, n, reason, sizeof(reason));
	if (rc == 0) {
		fc_check_bmc(&out);
		FUZZ_ASSERT(strcmp(out.name, name) == 0);
	} else {
		FUZZ_ASSERT(rc == -1 && reason[0] != '\0');
		fc_error(s, NULL, 0, reason);
	}
	memset(&out, 0, sizeof(out));
	config_free(def);
	free(text);
}

/* Runs one parse, and a second one on the disguised input if a secret seemed to leak. */
static void
fc_checked(void (*run)(const uint8_t *, size_t, struct fc_secrets *), const uint8_t *data,
           size_t size)
{
	struct fc_secrets s = { .input = data, .input_len = size }, again;
	uint8_t *copy;

	fc_collect(&s, data, size);
	run(data, size, &s);
	if ((copy = fc_disguised(&s)) == NULL)
		return;
	again = s;
	memset(again.seen, 0, sizeof(again.seen));
	again.problems = 0;
	again.input = copy;
	run(copy, size, &again);
	fc_verdict(&s, &again);
	free(copy);
}

static uint8_t fc_flags; /* byte 0 of the input, for fc_run_files */

static void
fc_run_files(const uint8_t *data, size_t size, struct fc_secrets *s)
{
	uint8_t flags = fc_flags;
	const uint8_t *nul = memchr(data, '\0', size);
	size_t main_len = nul ? (size_t)(nul - data) : size;
	mode_t mode = (flags & 2) ? 0644 : 0600;
	struct config *c = NULL;
	int rc;

	fc_write(fc_main, data, main_len, mode);
	if (nul != NULL) {
		mkdir(fc_confd, 0700);
		fc_write(fc_confd_file, nul + 1, size - main_len - 1, mode);
	}
	rc = config_load(fc_main, (flags & 4) != 0, fc_error, s, &c);
	if (rc == 0) {
		FUZZ_ASSERT(c != NULL && s->problems == 0);
		fc_check(c);
		/* bmc.add against this configuration's [defaults] */
		if (c->n_bmcs > 0) {
			const char *keys[] = { "host", "password" };
			const char *vals[] = { c->bmcs[0].host, "fuzz-added" };
			struct config_bmc b;
			char reason[256];
			if (config_bmc_from_params(c, &b, "fuzz-added", keys, vals, 2, reason,
			                           sizeof(reason)) == 0)
				fc_check_bmc(&b);
		}
		config_free(c);
	} else {
		/* Problems were reported (one per problem), or a system error. */
		FUZZ_ASSERT(rc < 0 || (unsigned)rc == s->problems);
		FUZZ_ASSERT(rc < 0 || s->problems > 0);
	}
	if (nul != NULL) {
		unlink(fc_confd_file);
		rmdir(fc_confd);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;

	if (!init) {
		fc_init();
		init = true;
	}
	if (size < 1)
		return 0;
	fc_flags = data[0];
	fc_checked((data[0] & 1) ? fc_run_params : fc_run_files, data + 1, size - 1);
	return 0;
}
