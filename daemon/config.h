/*
 * config.h - ipmipoold's configuration: one table of keys drives parsing
 * (libinih), defaults, validation, --check-config and the documentation
 * test.  Loading parses into a fresh struct config; the caller swaps it in
 * (reload keeps the old one when the new one has errors).
 */
#ifndef IPMIPOOL_CONFIG_H
#define IPMIPOOL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rakp.h"

#ifndef IPMIPOOL_CONFDIR
#define IPMIPOOL_CONFDIR "/etc/ipmipool"
#endif
#define CONFIG_DEFAULT_PATH   IPMIPOOL_CONFDIR "/ipmipool.conf"
#define CONFIG_DEFAULT_SOCKET "/run/ipmipool/ipmipool.sock"
#define CONFIG_NAME_MAX       64
#define CONFIG_HOST_MAX       256
#define CONFIG_MAX_SUITES     12
#define CONFIG_MAX_UIDS       32

enum config_log_level { CONFIG_LOG_ERROR, CONFIG_LOG_WARNING, CONFIG_LOG_INFO, CONFIG_LOG_DEBUG };

struct config_daemon {
	char socket[108];
	unsigned socket_mode;  /* e.g. 0660 */
	char socket_group[64]; /* empty: leave the group alone */
	enum config_log_level log_level;
	double keepalive_interval; /* s */
	double request_timeout;    /* s per attempt */
	unsigned retries;          /* attempts per request, first included */
	unsigned max_handshakes;
	double dns_refresh; /* s */
	char resolv_conf[256];
	uid_t allow_uids[CONFIG_MAX_UIDS];
	size_t n_allow_uids; /* 0: anyone who can open the socket */
	uid_t readonly_uids[CONFIG_MAX_UIDS];
	size_t n_readonly_uids;
};

struct config_bmc {
	char name[CONFIG_NAME_MAX];
	char host[CONFIG_HOST_MAX];
	uint16_t port;
	char username[RAKP_USER_MAX + 1];
	uint8_t password[RAKP_PASS_MAX]; /* secret: wiped by config_free */
	uint8_t password_len;
	uint8_t kg[RAKP_KG_MAX];                  /* secret */
	uint8_t kg_len;                           /* 0: no K_g */
	int cipher_suite;                         /* -1 = auto */
	uint8_t cipher_suites[CONFIG_MAX_SUITES]; /* preference order for auto */
	size_t n_cipher_suites;
	uint8_t privilege;     /* 1..4 */
	unsigned max_inflight; /* 1..63 */
	bool allow_insecure_cipher;
	const char *file; /* where the section was defined (for messages) */
	unsigned line;
};

struct config {
	struct config_daemon daemon;
	struct config_bmc *bmcs; /* owned */
	size_t n_bmcs;
	char **files; /* owned: every file read, for messages */
	size_t n_files;
};

/*
 * Reports one problem as "file:line: reason".  Called for every problem
 * found, not just the first.
 */
typedef void (*config_error_fn)(void *arg, const char *file, unsigned line, const char *reason);

/*
 * Loads path, then every *.conf in the conf.d directory beside it, in name
 * order.  A missing main file is not an error when missing_ok (the daemon
 * then starts with defaults and no BMCs).  Returns 0 and *out (caller
 * frees with config_free), or the number of problems (> 0), each reported
 * through err, or -errno.  Secrets come from password_file, credential
 * ($CREDENTIALS_DIRECTORY/NAME), kg_file, or inline only in files that are
 * not world-readable.
 */
int config_load(const char *path, bool missing_ok, config_error_fn err, void *arg,
                struct config **out);

/* Defaults only (no file). */
struct config *config_new_default(void);

/* Wipes secrets and frees everything; NULL is a no-op. */
void config_free(struct config *c);

/*
 * Wipes and frees the [bmc:*] definitions once they have been copied into
 * the running BMCs (the daemon keeps only [daemon] and [defaults]).
 */
void config_drop_bmcs(struct config *c);

/* Looks up a BMC by name. */
const struct config_bmc *config_find_bmc(const struct config *c, const char *name);

/* True when two BMC definitions would produce the same session. */
bool config_bmc_equal(const struct config_bmc *a, const struct config_bmc *b);

/*
 * Validates and fills one BMC from name/value pairs as given at runtime
 * (bmc.add): applies [defaults] from c, which must come from config_load()
 * or config_new_default() (they keep the [defaults] section beside it).  Returns 0 or -1 with
 * reason.
 */
int config_bmc_from_params(const struct config *c, struct config_bmc *out, const char *name,
                           const char *const *keys, const char *const *values, size_t n,
                           char *reason, size_t reason_len);

/* Every key the parser knows, "section.key", NULL-terminated (documentation test). */
const char *const *config_known_keys(void);

#endif
