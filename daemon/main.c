/*
 * main.c - ipmipoold: options, configuration, the event loop, signals,
 * systemd notification and orderly shutdown.  Shell module.
 *
 * Single-threaded: one libevent event_base drives everything.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "control.h"
#include "log.h"
#include "notify.h"
#include "pool.h"
#include "rpc.h"

#ifndef IPMIPOOL_VERSION
#define IPMIPOOL_VERSION "unknown"
#endif

struct daemon {
	struct event_base *base;
	const char *config_path;
	bool config_explicit;
	const char *socket_override;
	int verbosity;
	struct pool *pool;
	struct rpc *rpc;
	struct control *ctl;
	struct event *status_ev;
	struct event *watchdog_ev;
	struct event *sig_term, *sig_int, *sig_hup;
	bool stopping;
};

static void
usage(void)
{
	fprintf(stderr, "usage: ipmipoold [-c CONFIG] [-s SOCKET] [-f] [-v...] [--check-config] "
	                "[--version]\n");
	exit(2);
}

/* Prints one configuration problem as file:line: reason. */
static void
print_problem(void *arg, const char *file, unsigned line, const char *reason)
{
	char *first = arg;

	if (line > 0)
		fprintf(stderr, "%s:%u: %s\n", file, line, reason);
	else
		fprintf(stderr, "%s: %s\n", file, reason);
	if (first != NULL && first[0] == '\0')
		snprintf(first, 256, "%s:%u: %s", file, line, reason);
}

static int
load_config(struct daemon *d, struct config **out, char *first)
{
	int rc = config_load(d->config_path, !d->config_explicit, print_problem, first, out);

	if (rc != 0)
		return rc;
	if (d->socket_override != NULL)
		snprintf((*out)->daemon.socket, sizeof((*out)->daemon.socket), "%s",
		         d->socket_override);
	return 0;
}

static void
apply_log_level(struct daemon *d, const struct config *cfg)
{
	int lvl = (int)cfg->daemon.log_level + d->verbosity;

	log_set_level(lvl > LOG_LVL_DEBUG ? LOG_LVL_DEBUG : (enum log_level)lvl);
}

static int
reload_config(void *arg, struct pool_reload *res, char *why, size_t len)
{
	struct daemon *d = arg;
	struct config *cfg = NULL;
	char first[256] = "";
	int rc = load_config(d, &cfg, first);

	if (rc != 0) {
		snprintf(why, len, "configuration not reloaded (%d problem%s; first: %s)", rc,
		         rc == 1 ? "" : "s", first[0] ? first : strerror(-rc));
		log_warnx("%s", why);
		return -1;
	}
	pool_reload(d->pool, cfg, res);
	control_set_config(d->ctl, &pool_config(d->pool)->daemon);
	apply_log_level(d, pool_config(d->pool));
	log_info("reloaded: %u added, %u removed, %u changed, %u unchanged", res->added,
	         res->removed, res->changed, res->unchanged);
	return 0;
}

static void
status_cb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	char msg[96];

	(void)fd;
	(void)what;
	snprintf(msg, sizeof(msg), "STATUS=%zu of %zu sessions active", pool_active(d->pool),
	         pool_count(d->pool));
	notify_send(msg);
}

static void
on_pool_change(void *arg)
{
	struct daemon *d = arg;
	struct timeval tv = { 0, 200000 }; /* coalesce bursts of state changes */

	if (!evtimer_pending(d->status_ev, NULL))
		evtimer_add(d->status_ev, &tv);
}

static void
watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	notify_send("WATCHDOG=1");
}

static void
shutdown_done(void *arg)
{
	struct daemon *d = arg;

	event_base_loopexit(d->base, NULL);
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;
	struct pool_reload res;
	char why[512];

	(void)what;
	if (sig == SIGHUP) {
		log_info("SIGHUP: reloading the configuration");
		reload_config(d, &res, why, sizeof(why));
		return;
	}
	if (d->stopping)
		return;
	d->stopping = true;
	log_info("%s: closing sessions and stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	notify_send("STOPPING=1");
	control_stop(d->ctl);
	pool_shutdown(d->pool, shutdown_done, d);
}

/* One socket per BMC is not used, but many clients may connect. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
parse_args(struct daemon *d, int argc, char **argv, bool *check, bool *foreground)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:s:fvh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			d->config_path = optarg;
			d->config_explicit = true;
			break;
		case 's':
			d->socket_override = optarg;
			break;
		case 'f':
			*foreground = true;
			break;
		case 'v':
			d->verbosity++;
			break;
		case 'C':
			*check = true;
			break;
		case 'V':
			printf("ipmipoold %s\n", IPMIPOOL_VERSION);
			exit(0);
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
}

static void
daemon_free(struct daemon *d)
{
	control_free(d->ctl);
	rpc_free(d->rpc);
	pool_free(d->pool);
	if (d->status_ev != NULL)
		event_free(d->status_ev);
	if (d->watchdog_ev != NULL)
		event_free(d->watchdog_ev);
	if (d->sig_term != NULL)
		event_free(d->sig_term);
	if (d->sig_int != NULL)
		event_free(d->sig_int);
	if (d->sig_hup != NULL)
		event_free(d->sig_hup);
	event_base_free(d->base);
	libevent_global_shutdown();
}

/*
 * The event loop.  With epoll, interest changes are collected and applied
 * once per pass: a connection's write event, armed after each batch of
 * answers and disarmed once they are written, then costs no epoll_ctl()
 * while the connection stays busy.  The daemon never dup()s a watched
 * descriptor, the one case the changelist gets wrong.
 */
static struct event_base *
event_loop_new(void)
{
	struct event_config *ec = event_config_new();
	struct event_base *base;

	if (ec == NULL)
		return NULL;
	event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(ec);
	event_config_free(ec);
	return base;
}

int
main(int argc, char **argv)
{
	struct daemon d = { .config_path = CONFIG_DEFAULT_PATH };
	struct config *cfg = NULL;
	bool check = false, foreground = false;
	char first[256] = "";
	uint64_t wd;
	int rc;

	parse_args(&d, argc, argv, &check, &foreground);
	log_init(LOG_LVL_INFO);
	rc = load_config(&d, &cfg, first);
	if (check) {
		if (rc == 0)
			printf("%s: ok (%zu BMC%s)\n", d.config_path, cfg->n_bmcs,
			       cfg->n_bmcs == 1 ? "" : "s");
		else if (rc < 0)
			fprintf(stderr, "%s: %s\n", d.config_path, strerror(-rc));
		config_free(cfg);
		return rc == 0 ? 0 : 1;
	}
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "ipmipoold: %s: %s\n", d.config_path, strerror(-rc));
		fatalx("invalid configuration; not starting");
	}
	apply_log_level(&d, cfg);
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();
	/* Under systemd (notify or socket activation) or with -f: stay in front. */
	if (!foreground && getenv("NOTIFY_SOCKET") == NULL && getenv("LISTEN_FDS") == NULL) {
		if (daemon(0, 0) < 0)
			fatalx("cannot detach: %s", strerror(errno));
		log_to_syslog();
	}

	if ((d.base = event_loop_new()) == NULL)
		fatalx("cannot create the event loop");
	if ((d.pool = pool_new(d.base, cfg)) == NULL)
		fatalx("cannot create the session pool");
	if ((d.rpc = rpc_new(d.pool, reload_config, &d)) == NULL)
		fatalx("out of memory");
	d.ctl = control_new(d.base, d.rpc, &pool_config(d.pool)->daemon, notify_listen_fd());
	if (d.ctl == NULL) {
		log_error("cannot listen on %s", pool_config(d.pool)->daemon.socket);
		daemon_free(&d);
		return 1;
	}
	d.status_ev = evtimer_new(d.base, status_cb, &d);
	pool_on_change(d.pool, on_pool_change, &d);
	d.sig_term = evsignal_new(d.base, SIGTERM, signal_cb, &d);
	d.sig_int = evsignal_new(d.base, SIGINT, signal_cb, &d);
	d.sig_hup = evsignal_new(d.base, SIGHUP, signal_cb, &d);
	evsignal_add(d.sig_term, NULL);
	evsignal_add(d.sig_int, NULL);
	evsignal_add(d.sig_hup, NULL);
	if ((wd = notify_watchdog_usec()) > 0) {
		struct timeval tv = { (time_t)(wd / 2 / 1000000), (suseconds_t)(wd / 2 % 1000000) };
		d.watchdog_ev = event_new(d.base, -1, EV_PERSIST, watchdog_cb, &d);
		event_add(d.watchdog_ev, &tv);
	}
	log_info("ipmipoold %s: %zu BMC%s, listening on %s", IPMIPOOL_VERSION, pool_count(d.pool),
	         pool_count(d.pool) == 1 ? "" : "s", pool_config(d.pool)->daemon.socket);
	notify_send("READY=1");
	status_cb(-1, 0, &d);

	event_base_dispatch(d.base);

	log_info("stopped");
	daemon_free(&d);
	return 0;
}
