/*
 * client.c - a connection to ipmipoold: connect, queue and write requests,
 * read and match responses by id, time calls out, and the blocking call on
 * top of that.  Owns the socket; never blocks except in ipmipool_call()
 * (and connect).  No threads, no signals, no globals.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "ipmipool.h"
#include "ippframe.h"
#include "ippjson.h"

#define READ_CHUNK      (64u * 1024u)
#define JSON_DEPTH      64
#define TIMEOUT_INITIAL 60000
#define NO_DEADLINE     INT64_MAX
#define OUT_FLUSH_AT    (32u * 1024u) /* queued bytes that ipmipool_send() writes at once */

/* A call written (or queued) and not answered yet.  Kept in id order. */
struct call {
	uint64_t id;
	int64_t deadline; /* CLOCK_MONOTONIC ns, NO_DEADLINE */
	int timeout_ms;
	bool live;       /* false: answered, timed out or cancelled */
	char method[48]; /* for messages */
};

struct reply_node {
	struct reply_node *next;
	struct ipmipool_reply r;
};

struct ipmipool {
	int fd;
	int broken; /* 0, or the error that ended the connection */
	struct ipmipool_error broken_err;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	uint64_t next_id;
	int timeout_ms;
	struct ippframe in;
	json_tokener *tok;

	char *out; /* requests not yet written: out[out_off..out_len) */
	size_t out_len, out_off, out_cap;

	struct call *calls; /* calls[calls_start..calls_len), ascending id */
	size_t calls_start, calls_len, calls_cap, calls_live;

	struct reply_node *head, *tail; /* finished calls, oldest first */
	size_t n_ready;
};

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

const char *
ipmipool_default_socket(void)
{
	const char *env = getenv(IPMIPOOL_SOCKET_ENV);

	return env && *env ? env : IPMIPOOL_SOCKET_DEFAULT;
}

/* ---- calls and replies --------------------------------------------------- */

static ssize_t
call_find(const struct ipmipool *p, uint64_t id)
{
	size_t lo = p->calls_start, hi = p->calls_len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->calls[mid].id == id)
			return p->calls[mid].live ? (ssize_t)mid : -1;
		if (p->calls[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void
call_drop(struct ipmipool *p, size_t i)
{
	p->calls[i].live = false;
	p->calls_live--;
	while (p->calls_start < p->calls_len && !p->calls[p->calls_start].live)
		p->calls_start++;
	if (p->calls_start == p->calls_len)
		p->calls_start = p->calls_len = 0;
}

/* Moves the waiting calls to the front (never while iterating over them). */
static void
calls_compact(struct ipmipool *p)
{
	if (p->calls_start == 0)
		return;
	memmove(p->calls, p->calls + p->calls_start,
	        (p->calls_len - p->calls_start) * sizeof(*p->calls));
	p->calls_len -= p->calls_start;
	p->calls_start = 0;
}

/* Finishes call i with result (a reference is taken over) or err. */
static int
call_finish(struct ipmipool *p, size_t i, struct json_object *result,
            const struct ipmipool_error *err)
{
	struct reply_node *n = calloc(1, sizeof(*n));

	if (!n) {
		json_object_put(result);
		return -ENOMEM;
	}
	n->r.id = p->calls[i].id;
	ipperr_reset(&n->r.error);
	if (err && err->code) {
		n->r.status = err->code;
		n->r.error = *err;
		json_object_put(result);
	} else {
		n->r.result = result;
	}
	if (p->tail)
		p->tail->next = n;
	else
		p->head = n;
	p->tail = n;
	p->n_ready++;
	call_drop(p, i);
	return 0;
}

static void
call_fail(struct ipmipool *p, size_t i, const struct ipmipool_error *err)
{
	if (call_finish(p, i, NULL, err) < 0)
		call_drop(p, i); /* out of memory: the call vanishes */
}

/* Unlinks the reply to id, or returns NULL. */
static struct reply_node *
reply_take(struct ipmipool *p, uint64_t id)
{
	struct reply_node *prev = NULL;

	for (struct reply_node *n = p->head; n; prev = n, n = n->next) {
		if (n->r.id != id)
			continue;
		if (prev)
			prev->next = n->next;
		else
			p->head = n->next;
		if (p->tail == n)
			p->tail = prev;
		p->n_ready--;
		n->next = NULL;
		return n;
	}
	return NULL;
}

/* ---- the connection ------------------------------------------------------ */

/*
 * Ends the connection: records why, stops reading and writing, and fails
 * every call still waiting with that error.  Returns the code.
 */
static int
conn_break(struct ipmipool *p, int code, const char *detail)
{
	if (p->broken)
		return p->broken;
	p->broken = code;
	ipperr_set(&p->broken_err, code, "%s", detail);
	shutdown(p->fd, SHUT_RDWR);
	p->out_len = p->out_off = 0;
	ippframe_clear(&p->in);
	for (size_t i = p->calls_start; i < p->calls_len; i++) {
		if (p->calls[i].live)
			call_fail(p, i, &p->broken_err);
	}
	return code;
}

/* Writes queued requests until done or the socket is full. */
static int
conn_flush(struct ipmipool *p)
{
	while (!p->broken && p->out_off < p->out_len) {
		ssize_t n = send(p->fd, p->out + p->out_off, p->out_len - p->out_off,
		                 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return -errno;
		}
		p->out_off += (size_t)n;
	}
	if (p->out_off == p->out_len)
		p->out_off = p->out_len = 0;
	return 0;
}

static void
conn_response(struct ipmipool *p, struct json_object *rsp)
{
	struct json_object *idv, *errv, *resv = NULL;
	struct ipmipool_error err;
	int64_t id;
	ssize_t i;

	/* Notifications and answers we cannot match (id null after a
	 * parse error, ids of cancelled or timed-out calls) are dropped. */
	idv = ippjson_get(rsp, "id");
	if (!idv || !json_object_is_type(idv, json_type_int))
		return;
	id = json_object_get_int64(idv);
	if (id <= 0 || (i = call_find(p, (uint64_t)id)) < 0)
		return;
	errv = ippjson_get(rsp, "error");
	if (errv) {
		ipmipool_error_from_json(errv, &err);
		call_fail(p, (size_t)i, &err);
		return;
	}
	if (!json_object_object_get_ex(rsp, "result", &resv)) {
		ipperr_set(&err, IPMIPOOL_E_PROTOCOL,
		           "response to call %lld has neither result nor error", (long long)id);
		call_fail(p, (size_t)i, &err);
		return;
	}
	call_finish(p, (size_t)i, json_object_get(resv), NULL);
}

static bool
all_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	}
	return true;
}

/* One response line: an object, or an array of them (a batch). */
static int
conn_line(struct ipmipool *p, const char *line, size_t len)
{
	struct json_object *v;
	enum json_tokener_error jerr;
	char why[160];

	if (all_space(line, len))
		return 0;
	if (len > INT_MAX)
		return conn_break(p, IPMIPOOL_E_TOOBIG, "response line too long");
	json_tokener_reset(p->tok);
	v = json_tokener_parse_ex(p->tok, line, (int)len);
	jerr = json_tokener_get_error(p->tok);
	if (!v || jerr != json_tokener_success ||
	    !all_space(line + json_tokener_get_parse_end(p->tok),
	               len - json_tokener_get_parse_end(p->tok))) {
		snprintf(why, sizeof(why), "the daemon sent a line that is not JSON (%s)",
		         jerr == json_tokener_success    ? "trailing data"
		         : jerr == json_tokener_continue ? "incomplete value"
		                                         : json_tokener_error_desc(jerr));
		json_object_put(v);
		return conn_break(p, IPMIPOOL_E_PROTOCOL, why);
	}
	if (json_object_is_type(v, json_type_object)) {
		conn_response(p, v);
	} else if (json_object_is_type(v, json_type_array)) {
		for (size_t k = 0; k < json_object_array_length(v); k++)
			conn_response(p, json_object_array_get_idx(v, k));
	} else {
		json_object_put(v);
		return conn_break(p, IPMIPOOL_E_PROTOCOL,
		                  "the daemon sent a JSON value that is not a response object");
	}
	json_object_put(v);
	return 0;
}

/* Reads whatever has arrived and decodes every complete line. */
static int
conn_read(struct ipmipool *p)
{
	char why[160];

	while (!p->broken) {
		size_t avail;
		char *space = ippframe_space(&p->in, READ_CHUNK, &avail);
		const char *line;
		size_t len;
		ssize_t n;
		bool short_read;
		int r;

		if (!space)
			return conn_break(p, -ENOMEM, "out of memory reading a response");
		n = recv(p->fd, space, avail, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			snprintf(why, sizeof(why), "reading from the daemon: %s",
			         ipperr_errno_str(errno));
			return conn_break(p, -errno, why);
		}
		if (n == 0) {
			size_t part = ippframe_partial(&p->in);

			if (part)
				snprintf(
				    why, sizeof(why),
				    "ipmipoold closed the connection in the middle of a response "
				    "(%zu bytes cut off)",
				    part);
			else
				snprintf(why, sizeof(why), "ipmipoold closed the connection");
			return conn_break(p, IPMIPOOL_E_DISCONNECTED, why);
		}
		ippframe_commit(&p->in, (size_t)n);
		short_read = (size_t)n < avail;
		while (!p->broken && (r = ippframe_next(&p->in, &line, &len)) != 0) {
			if (r < 0) {
				snprintf(why, sizeof(why),
				         "a response line exceeds the limit of %zu bytes",
				         p->in.max);
				return conn_break(p, r, why);
			}
			conn_line(p, line, len);
		}
		if (short_read) /* the socket is drained: no recv() just to hear EAGAIN */
			return p->broken;
	}
	return p->broken;
}

static void
conn_expire(struct ipmipool *p)
{
	int64_t now = now_ns();
	struct ipmipool_error err;

	for (size_t i = p->calls_start; i < p->calls_len; i++) {
		struct call *c = &p->calls[i];

		if (!c->live || c->deadline > now)
			continue;
		ipperr_set(&err, IPMIPOOL_E_TIMEOUT, "no response to %s (call %llu) within %d ms",
		           c->method, (unsigned long long)c->id, c->timeout_ms);
		call_fail(p, i, &err);
	}
}

/* ms until the earliest deadline of a waiting call (rounded up), or -1. */
static int
conn_wait_ms(const struct ipmipool *p)
{
	int64_t min = NO_DEADLINE, ms;

	for (size_t i = p->calls_start; i < p->calls_len; i++) {
		if (p->calls[i].live && p->calls[i].deadline < min)
			min = p->calls[i].deadline;
	}
	if (min == NO_DEADLINE)
		return -1;
	ms = (min - now_ns() + 999999) / 1000000;
	if (ms < 0)
		return 0;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

static struct ipmipool *
conn_new(int fd)
{
	struct ipmipool *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->tok = json_tokener_new_ex(JSON_DEPTH);
	if (!p->tok) {
		free(p);
		return NULL;
	}
	p->fd = fd;
	p->next_id = 1;
	p->timeout_ms = TIMEOUT_INITIAL;
	ippframe_init(&p->in, IPMIPOOL_RESPONSE_MAX_DEFAULT);
	ipperr_reset(&p->broken_err);
	return p;
}

int
ipmipool_connect_fd(struct ipmipool **ret, int fd)
{
	struct ipmipool *p;
	int flags, type = 0;
	socklen_t tlen = sizeof(type);

	if (!ret || fd < 0) {
		if (fd >= 0)
			close(fd);
		return IPMIPOOL_E_INVALID;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 || type != SOCK_STREAM) {
		int e = errno == ENOTSOCK ? ENOTSOCK : EPROTOTYPE;

		close(fd);
		return -e;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	p = conn_new(fd);
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	*ret = p;
	return 0;
}

int
ipmipool_connect(struct ipmipool **ret, const char *path, struct ipmipool_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ipmipool *p;
	int fd, r;

	ipperr_reset(err);
	if (!ret)
		return ipperr_set(err, IPMIPOOL_E_INVALID, "no place for the handle");
	if (!path || !*path)
		path = ipmipool_default_socket();
	if (strlen(path) >= sizeof(sa.sun_path)) {
		r = ipperr_set(err, -ENAMETOOLONG, "socket path too long (at most %zu bytes)",
		               sizeof(sa.sun_path) - 1);
		goto named;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ipperr_set(err, -errno, "socket: %s", ipperr_errno_str(errno));
	while ((r = connect(fd, (struct sockaddr *)&sa, sizeof(sa))) < 0 && errno == EINTR) {
		/* Interrupted: the connection completes in the background. */
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		int soerr = 0;
		socklen_t slen = sizeof(soerr);

		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			break;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &slen) == 0 && soerr == 0) {
			r = 0;
			break;
		}
		errno = soerr ? soerr : EINTR;
		if (soerr)
			break;
	}
	if (r < 0) {
		int e = errno;

		close(fd);
		if (e == ENOENT || e == ECONNREFUSED)
			r = ipperr_set(err, -e,
			               "is ipmipoold running? (the socket is chosen by -s, $%s, "
			               "or defaults to %s)",
			               IPMIPOOL_SOCKET_ENV, IPMIPOOL_SOCKET_DEFAULT);
		else if (e == EACCES || e == EPERM)
			r = ipperr_set(
			    err, -e,
			    "this user may not open the socket (ask for membership of its "
			    "group, usually \"ipmipool\")");
		else
			r = ipperr_set(err, -e, "%s", "");
		goto named;
	}
	r = ipmipool_connect_fd(&p, fd);
	if (r < 0)
		return ipperr_set(err, r, "setting up the connection to %s", path);
	ippjson_strlcpy(p->path, path, sizeof(p->path));
	*ret = p;
	return 0;
named:
	if (err)
		snprintf(err->message, sizeof(err->message), "cannot connect to %.180s: %s", path,
		         ipmipool_strerror(r));
	return r;
}

void
ipmipool_close(struct ipmipool *p)
{
	struct reply_node *n, *next;

	if (!p)
		return;
	for (n = p->head; n; n = next) {
		next = n->next;
		json_object_put(n->r.result);
		free(n);
	}
	if (p->fd >= 0)
		close(p->fd);
	json_tokener_free(p->tok);
	ippframe_clear(&p->in);
	free(p->out);
	free(p->calls);
	free(p);
}

const char *
ipmipool_socket_path(const struct ipmipool *p)
{
	return p ? p->path : "";
}

int
ipmipool_set_timeout(struct ipmipool *p, int timeout_ms)
{
	if (!p || (timeout_ms <= 0 && timeout_ms != IPMIPOOL_TIMEOUT_INFINITE))
		return IPMIPOOL_E_INVALID;
	p->timeout_ms = timeout_ms;
	return 0;
}

int
ipmipool_set_max_response(struct ipmipool *p, size_t bytes)
{
	if (!p || bytes < 1024)
		return IPMIPOOL_E_INVALID;
	p->in.max = bytes;
	return 0;
}

/* ---- event-loop interface ------------------------------------------------ */

int
ipmipool_get_fd(const struct ipmipool *p)
{
	return p ? p->fd : -1;
}

short
ipmipool_get_events(const struct ipmipool *p)
{
	if (!p || p->broken)
		return 0;
	return (short)(POLLIN | (p->out_len > p->out_off ? POLLOUT : 0));
}

int
ipmipool_get_timeout(const struct ipmipool *p)
{
	if (!p)
		return -1;
	if (p->n_ready > 0)
		return 0;
	return conn_wait_ms(p);
}

/* Makes room for len more bytes in the output queue. */
static int
out_reserve(struct ipmipool *p, size_t len)
{
	if (p->out_cap - p->out_len < len) {
		size_t ncap = p->out_cap ? p->out_cap : 4096;
		char *n;

		while (ncap - p->out_len < len)
			ncap *= 2;
		n = realloc(p->out, ncap);
		if (!n)
			return -ENOMEM;
		p->out = n;
		p->out_cap = ncap;
	}
	return 0;
}

static int
calls_append(struct ipmipool *p, uint64_t id, const char *method, int timeout_ms)
{
	struct call *c;

	if (p->calls_len == p->calls_cap && p->calls_start > p->calls_cap / 4)
		calls_compact(p);
	if (p->calls_len == p->calls_cap) {
		size_t ncap = p->calls_cap ? p->calls_cap * 2 : 64;
		struct call *n = realloc(p->calls, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		p->calls = n;
		p->calls_cap = ncap;
	}
	c = &p->calls[p->calls_len++];
	c->id = id;
	c->live = true;
	c->timeout_ms = timeout_ms;
	c->deadline = timeout_ms == IPMIPOOL_TIMEOUT_INFINITE
	                  ? NO_DEADLINE
	                  : now_ns() + (int64_t)timeout_ms * 1000000;
	ippjson_strlcpy(c->method, method, sizeof(c->method));
	p->calls_live++;
	return 0;
}

/* Writes s as a JSON string at out (room for 2 + 6 * strlen(s)); returns its length. */
static size_t
json_quote(char *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	out[n++] = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c < 0x20) {
			memcpy(out + n, "\\u00", 4);
			out[n + 4] = hex[c >> 4];
			out[n + 5] = hex[c & 15];
			n += 6;
		} else {
			out[n++] = (char)c;
		}
	}
	out[n++] = '"';
	return n;
}

static int
request_too_big(const char *method, size_t len, struct ipmipool_error *err)
{
	return ipperr_set(err, IPMIPOOL_E_TOOBIG,
	                  "the request to %.48s is at least %zu bytes; the daemon takes at most %u",
	                  method, len, IPMIPOOL_REQUEST_MAX);
}

/*
 * Appends the request line {"jsonrpc":"2.0","id":ID,"method":M[,"params":P]}
 * to the output queue: the envelope is written here, only params goes
 * through json-c.
 */
static int
out_append_request(struct ipmipool *p, uint64_t id, const char *method, struct json_object *params,
                   struct ipmipool_error *err)
{
	static const char params_key[] = ",\"params\":";
	const char *ps = NULL;
	size_t plen = 0, mlen = strlen(method), start = p->out_len, len;
	char *o;

	if (params) {
		ps = json_object_to_json_string_ext(params, JSON_C_TO_STRING_PLAIN |
		                                                JSON_C_TO_STRING_NOSLASHESCAPE);
		if (!ps)
			return ipperr_set(err, -ENOMEM, "encoding the request");
		plen = strlen(ps);
	}
	if (mlen + plen >= IPMIPOOL_REQUEST_MAX)
		return request_too_big(method, mlen + plen, err);
	/* the envelope with its id, the method quoted at worst, params, "}\n" */
	if (out_reserve(p, 64 + 6 * mlen + sizeof(params_key) + plen) < 0)
		return ipperr_set(err, -ENOMEM, "queueing the request");
	o = p->out + start;
	len = (size_t)sprintf(
	    o, "{\"jsonrpc\":\"2.0\",\"id\":%llu,\"method\":", (unsigned long long)id);
	len += json_quote(o + len, method);
	if (ps) {
		memcpy(o + len, params_key, sizeof(params_key) - 1);
		len += sizeof(params_key) - 1;
		memcpy(o + len, ps, plen);
		len += plen;
	}
	o[len++] = '}';
	if (len + 1 > IPMIPOOL_REQUEST_MAX)
		return request_too_big(method, len + 1, err);
	o[len++] = '\n';
	p->out_len += len;
	return 0;
}

/*
 * Queues one call; err gets the reason on failure.  flush_now: write at
 * once (a blocking call); otherwise the queue is written by
 * ipmipool_process(), or here once OUT_FLUSH_AT bytes wait, so that a burst
 * of calls leaves in one write.
 */
static int
conn_send(struct ipmipool *p, const char *method, struct json_object *params, int timeout_ms,
          bool flush_now, uint64_t *ret_id, struct ipmipool_error *err)
{
	uint64_t id;
	int r;

	if (!p || !method || !*method)
		return ipperr_set(err, IPMIPOOL_E_INVALID, "no method given");
	if (params && !json_object_is_type(params, json_type_object) &&
	    !json_object_is_type(params, json_type_array))
		return ipperr_set(err, IPMIPOOL_E_INVALID, "params must be a JSON object or array");
	if (timeout_ms == IPMIPOOL_TIMEOUT_DEFAULT)
		timeout_ms = p->timeout_ms;
	if (timeout_ms < IPMIPOOL_TIMEOUT_INFINITE)
		return ipperr_set(err, IPMIPOOL_E_INVALID, "invalid timeout %d", timeout_ms);
	if (p->broken) {
		if (err)
			*err = p->broken_err;
		return p->broken;
	}
	id = p->next_id;
	if ((r = calls_append(p, id, method, timeout_ms)) < 0)
		return ipperr_set(err, r, "queueing the request");
	if ((r = out_append_request(p, id, method, params, err)) < 0) {
		call_drop(p, p->calls_len - 1);
		return r;
	}
	p->next_id++;
	if (ret_id)
		*ret_id = id;
	if (!flush_now && p->out_len - p->out_off < OUT_FLUSH_AT)
		return 0;
	r = conn_flush(p);
	if (r < 0) {
		/* The daemon went away: take in what it said before. */
		conn_read(p);
		conn_break(p, IPMIPOOL_E_DISCONNECTED,
		           r == -EPIPE || r == -ECONNRESET ? "ipmipoold closed the connection"
		                                           : "writing to ipmipoold failed");
	}
	return 0;
}

int
ipmipool_send(struct ipmipool *p, const char *method, struct json_object *params, int timeout_ms,
              uint64_t *ret_id)
{
	return conn_send(p, method, params, timeout_ms, false, ret_id, NULL);
}

int
ipmipool_process(struct ipmipool *p)
{
	int r;

	if (!p)
		return IPMIPOOL_E_INVALID;
	if (!p->broken) {
		r = conn_flush(p);
		conn_read(p);
		if (r < 0)
			conn_break(p, IPMIPOOL_E_DISCONNECTED, "ipmipoold closed the connection");
	}
	conn_expire(p);
	if (p->broken)
		return p->broken;
	return p->n_ready > INT_MAX ? INT_MAX : (int)p->n_ready;
}

int
ipmipool_receive(struct ipmipool *p, struct ipmipool_reply *ret)
{
	struct reply_node *n;

	if (!p || !ret)
		return IPMIPOOL_E_INVALID;
	n = p->head;
	if (!n)
		return 0;
	p->head = n->next;
	if (!p->head)
		p->tail = NULL;
	p->n_ready--;
	*ret = n->r;
	free(n);
	return 1;
}

size_t
ipmipool_pending(const struct ipmipool *p)
{
	return p ? p->calls_live + p->n_ready : 0;
}

int
ipmipool_cancel(struct ipmipool *p, uint64_t id)
{
	struct reply_node *n;
	ssize_t i;

	if (!p)
		return IPMIPOOL_E_INVALID;
	i = call_find(p, id);
	if (i >= 0) {
		call_drop(p, (size_t)i);
		return 0;
	}
	n = reply_take(p, id);
	if (!n)
		return -ENOENT;
	json_object_put(n->r.result);
	free(n);
	return 0;
}

/* ---- the blocking call --------------------------------------------------- */

int
ipmipool_call(struct ipmipool *p, const char *method, struct json_object *params, int timeout_ms,
              struct json_object **ret_result, struct ipmipool_error *err)
{
	struct reply_node *n;
	uint64_t id;
	int r;

	ipperr_reset(err);
	r = conn_send(p, method, params, timeout_ms, true, &id, err);
	if (r < 0)
		return r;
	while (!(n = reply_take(p, id))) {
		struct pollfd pfd;

		if (call_find(p, id) < 0) /* dropped when memory ran out */
			return ipperr_set(err, -ENOMEM, "out of memory waiting for %s", method);
		if (!p->broken) {
			pfd.fd = p->fd;
			pfd.events = ipmipool_get_events(p);
			pfd.revents = 0;
			if (poll(&pfd, 1, conn_wait_ms(p)) < 0 && errno != EINTR) {
				r = ipperr_set(err, -errno, "poll: %s", ipperr_errno_str(errno));
				ipmipool_cancel(p, id);
				return r;
			}
		}
		ipmipool_process(p);
	}
	r = n->r.status;
	if (r < 0) {
		if (err)
			*err = n->r.error;
	} else if (ret_result) {
		*ret_result = n->r.result;
		n->r.result = NULL;
	}
	json_object_put(n->r.result);
	free(n);
	return r;
}
