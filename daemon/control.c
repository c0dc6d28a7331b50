/*
 * control.c - the JSON-RPC Unix socket: listener, connections, framing.
 *
 * Each connection is a bufferevent.  Complete lines go to rpc.c; a line
 * over RPC_MAX_LINE is answered with -32600 and skipped up to its newline
 * (the connection stays usable).  A client whose unread output exceeds
 * CONTROL_MAX_OUTPUT is dropped.  Connections are freed from a deferred
 * callback, never from inside an rpc write.
 */
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "control.h"
#include "log.h"

struct control_conn {
	TAILQ_ENTRY(control_conn) link;
	struct control *ctl;
	struct bufferevent *bev;
	struct rpc_client *client;
	struct event *reaper;
	bool discarding; /* skipping the rest of an oversized line */
	bool eof;        /* peer shut down its side: finish answering, then close */
	bool dead;
};

struct control {
	struct event_base *base;
	struct rpc *rpc;
	const struct config_daemon *cfg;
	struct evconnlistener *listener;
	struct event *resume;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	bool owns_path;
	TAILQ_HEAD(, control_conn) conns;
	char *line; /* scratch for one request line */
};

static void control_conn_kill(struct control_conn *cc);

static int
control_write(void *arg, const char *text, size_t len)
{
	struct control_conn *cc = arg;
	struct evbuffer *out;

	if (cc->dead)
		return -1;
	out = bufferevent_get_output(cc->bev);
	if (evbuffer_get_length(out) + len > CONTROL_MAX_OUTPUT) {
		log_warnx("control: client does not read its responses; dropping it");
		control_conn_kill(cc);
		return -1;
	}
	if (evbuffer_add(out, text, len) < 0 || evbuffer_add(out, "\n", 1) < 0)
		return -1;
	return 0;
}

static void
control_conn_free(struct control_conn *cc)
{
	TAILQ_REMOVE(&cc->ctl->conns, cc, link);
	rpc_client_close(cc->client);
	bufferevent_free(cc->bev);
	event_free(cc->reaper);
	free(cc);
}

static void
control_reap_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	control_conn_free(arg);
}

/* Marks the connection dead and frees it from a fresh callback. */
static void
control_conn_kill(struct control_conn *cc)
{
	if (cc->dead)
		return;
	cc->dead = true;
	bufferevent_disable(cc->bev, EV_READ | EV_WRITE);
	event_active(cc->reaper, 0, 0);
}

static void
control_read_cb(struct bufferevent *bev, void *arg)
{
	struct control_conn *cc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	while (!cc->dead) {
		size_t eol_len = 0, avail = evbuffer_get_length(in);
		struct evbuffer_ptr eol = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_LF);

		if (eol.pos < 0) {
			/* No newline yet: an oversized line is refused now, then skipped. */
			if (avail > RPC_MAX_LINE) {
				if (!cc->discarding)
					rpc_line_too_long(cc->client);
				cc->discarding = true;
				evbuffer_drain(in, avail);
			}
			return;
		}
		size_t len = (size_t)eol.pos;
		if (cc->discarding || len > RPC_MAX_LINE) {
			if (!cc->discarding)
				rpc_line_too_long(cc->client);
			cc->discarding = false;
			evbuffer_drain(in, len + eol_len);
			continue;
		}
		evbuffer_remove(in, cc->ctl->line, len);
		cc->ctl->line[len] = '\0';
		evbuffer_drain(in, eol_len);
		rpc_handle_line(cc->client, cc->ctl->line, len);
	}
}

/* After EOF: close once every call is answered and the output is flushed. */
static void
control_maybe_finish(struct control_conn *cc)
{
	if (cc->eof && rpc_client_inflight(cc->client) == 0 &&
	    evbuffer_get_length(bufferevent_get_output(cc->bev)) == 0)
		control_conn_kill(cc);
}

static void
control_write_cb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	control_maybe_finish(arg);
}

static void
control_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct control_conn *cc = arg;

	(void)bev;
	if (what & BEV_EVENT_ERROR) {
		control_conn_kill(cc);
	} else if (what & BEV_EVENT_EOF) {
		cc->eof = true;
		bufferevent_disable(cc->bev, EV_READ);
		control_maybe_finish(cc);
	}
}

static bool
control_uid_in(const uid_t *list, size_t n, uid_t uid)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == uid)
			return true;
	return false;
}

static void
control_accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen,
                  void *arg)
{
	struct control *ctl = arg;
	struct control_conn *cc;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	bool allowed, readonly;

	(void)l;
	(void)sa;
	(void)salen;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0) {
		log_warn("control: SO_PEERCRED");
		close(fd);
		return;
	}
	allowed = ctl->cfg->n_allow_uids == 0 || cred.uid == 0 ||
	          control_uid_in(ctl->cfg->allow_uids, ctl->cfg->n_allow_uids, cred.uid) ||
	          control_uid_in(ctl->cfg->readonly_uids, ctl->cfg->n_readonly_uids, cred.uid);
	readonly = control_uid_in(ctl->cfg->readonly_uids, ctl->cfg->n_readonly_uids, cred.uid);
	if ((cc = calloc(1, sizeof(*cc))) == NULL) {
		close(fd);
		return;
	}
	cc->ctl = ctl;
	evutil_make_socket_nonblocking(fd);
	cc->bev = bufferevent_socket_new(ctl->base, fd, BEV_OPT_CLOSE_ON_FREE);
	cc->reaper = event_new(ctl->base, -1, 0, control_reap_cb, cc);
	cc->client = rpc_client_new(ctl->rpc, control_write, cc, cred.uid, allowed, readonly);
	if (cc->bev == NULL || cc->reaper == NULL || cc->client == NULL) {
		if (cc->bev != NULL)
			bufferevent_free(cc->bev);
		else
			close(fd);
		if (cc->reaper != NULL)
			event_free(cc->reaper);
		rpc_client_close(cc->client);
		free(cc);
		return;
	}
	TAILQ_INSERT_TAIL(&ctl->conns, cc, link);
	bufferevent_setcb(cc->bev, control_read_cb, control_write_cb, control_event_cb, cc);
	bufferevent_enable(cc->bev, EV_READ | EV_WRITE);
	log_debug("control: client uid %u connected%s%s", (unsigned)cred.uid,
	          allowed ? "" : " (not allowed)", readonly ? " (read-only)" : "");
}

static void
control_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct control *ctl = arg;

	(void)fd;
	(void)what;
	evconnlistener_enable(ctl->listener);
}

/* Out of descriptors (EMFILE): pause accepting for a moment, as tmux does. */
static void
control_accept_error_cb(struct evconnlistener *l, void *arg)
{
	struct control *ctl = arg;
	struct timeval tv = { 1, 0 };
	int err = EVUTIL_SOCKET_ERROR();

	log_warnx("control: accept: %s", evutil_socket_error_to_string(err));
	if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
		evconnlistener_disable(l);
		event_add(ctl->resume, &tv);
	}
}

/* Binds path, replacing a stale socket but never stealing a live one. */
static int
control_bind(struct control *ctl, const struct config_daemon *cfg)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(cfg->socket) >= sizeof(sun.sun_path)) {
		log_warnx("control: socket path too long: %s", cfg->socket);
		return -1;
	}
	strcpy(sun.sun_path, cfg->socket);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		log_warnx("control: %s is in use by a running daemon", cfg->socket);
		close(fd);
		return -1;
	}
	close(fd);
	if (unlink(cfg->socket) == 0)
		log_info("control: removed stale socket %s", cfg->socket);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	mode_t old = umask(0177);
	int rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc < 0) {
		log_warn("control: bind %s", cfg->socket);
		close(fd);
		return -1;
	}
	strcpy(ctl->path, cfg->socket);
	ctl->owns_path = true;
	if (cfg->socket_group[0] != '\0') {
		struct group *gr = getgrnam(cfg->socket_group);
		struct stat st;
		if (gr == NULL)
			log_warnx("control: group %s does not exist; socket group unchanged",
			          cfg->socket_group);
		else if (stat(cfg->socket, &st) == 0 && st.st_gid == gr->gr_gid)
			log_debug("control: socket already in group %s", cfg->socket_group);
		else if (chown(cfg->socket, (uid_t)-1, gr->gr_gid) < 0)
			log_warn("control: chown %s", cfg->socket);
	}
	if (chmod(cfg->socket, cfg->socket_mode) < 0)
		log_warn("control: chmod %s", cfg->socket);
	return fd;
}

struct control *
control_new(struct event_base *base, struct rpc *rpc, const struct config_daemon *cfg,
            int listen_fd)
{
	struct control *ctl = calloc(1, sizeof(*ctl));
	int fd = listen_fd;

	if (ctl == NULL)
		return NULL;
	ctl->base = base;
	ctl->rpc = rpc;
	ctl->cfg = cfg;
	TAILQ_INIT(&ctl->conns);
	ctl->line = malloc(RPC_MAX_LINE + 1);
	ctl->resume = evtimer_new(base, control_resume_cb, ctl);
	if (fd < 0)
		fd = control_bind(ctl, cfg);
	else
		evutil_make_socket_nonblocking(fd);
	if (fd < 0 || ctl->line == NULL || ctl->resume == NULL) {
		control_free(ctl);
		return NULL;
	}
	ctl->listener = evconnlistener_new(base, control_accept_cb, ctl,
	                                   LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 1024, fd);
	if (ctl->listener == NULL) {
		log_warn("control: listen");
		close(fd);
		control_free(ctl);
		return NULL;
	}
	evconnlistener_set_error_cb(ctl->listener, control_accept_error_cb);
	return ctl;
}

void
control_set_config(struct control *c, const struct config_daemon *cfg)
{
	c->cfg = cfg;
}

void
control_stop(struct control *c)
{
	if (c->listener != NULL) {
		evconnlistener_free(c->listener);
		c->listener = NULL;
	}
	if (c->owns_path) {
		unlink(c->path);
		c->owns_path = false;
	}
}

void
control_free(struct control *c)
{
	struct control_conn *cc;

	if (c == NULL)
		return;
	control_stop(c);
	while ((cc = TAILQ_FIRST(&c->conns)) != NULL)
		control_conn_free(cc);
	if (c->resume != NULL)
		event_free(c->resume);
	free(c->line);
	free(c);
}
