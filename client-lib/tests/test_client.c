/*
 * test_client.c - the connection (client.c) against a scripted daemon:
 * framing (responses split byte by byte, several per write, batches, CRLF,
 * blank lines), matching by id out of order, pipelining past the socket
 * buffer, a daemon that dies mid-response or before reading (no hang, no
 * SIGPIPE), oversize lines, malformed lines, error objects, timeouts, late
 * answers, cancel, and connecting to a missing socket.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <check.h>
#include <json.h>

#include "ipmipool.h"
#include "peer.h"

#define RESULT_FMT "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":{\"n\":%lld}}\n"

static int64_t
result_n(struct json_object *res)
{
	struct json_object *n = NULL;

	ck_assert_ptr_nonnull(res);
	ck_assert(json_object_object_get_ex(res, "n", &n));
	return json_object_get_int64(n);
}

/* Answers every request with {"n": id}, in order, one write each. */
static void
echo_peer(int fd, void *arg)
{
	char line[70000], out[128];
	long long id;

	while (peer_read_line(fd, line, sizeof(line)) >= 0) {
		id = peer_request_id(line);
		snprintf(out, sizeof(out), RESULT_FMT, id, id);
		peer_writes(fd, out);
	}
}

/* Waits for and collects n replies (asserting success) into seen[id]. */
static void
collect(struct ipmipool *p, size_t n, unsigned char *seen, size_t nseen)
{
	struct ipmipool_reply r;
	size_t got = 0;

	while (got < n) {
		struct pollfd pfd = { .fd = ipmipool_get_fd(p), .events = ipmipool_get_events(p) };

		ck_assert_int_ne(pfd.events, 0);
		ck_assert_int_ge(poll(&pfd, 1, 5000), 0);
		ck_assert_int_ge(ipmipool_process(p), 0);
		while (ipmipool_receive(p, &r) > 0) {
			ck_assert_int_eq(r.status, 0);
			ck_assert_uint_lt(r.id, nseen);
			ck_assert_int_eq(result_n(r.result), (int64_t)r.id);
			ck_assert_int_eq(seen[r.id], 0);
			seen[r.id] = 1;
			json_object_put(r.result);
			got++;
		}
	}
}

START_TEST(call_roundtrip)
{
	struct ipmipool_error err;
	struct json_object *res = NULL, *params = json_object_new_object();
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, echo_peer, NULL);

	json_object_object_add(params, "bmc", json_object_new_string("node01"));
	ck_assert_int_eq(ipmipool_call(p, "mc.info", params, 2000, &res, &err), 0);
	ck_assert_int_eq(err.code, 0);
	ck_assert_int_eq(result_n(res), 1);
	json_object_put(res);
	ck_assert_int_eq(ipmipool_call(p, "mc.info", NULL, 2000, &res, &err), 0);
	ck_assert_int_eq(result_n(res), 2);
	json_object_put(res);
	ck_assert_uint_eq(ipmipool_pending(p), 0);
	ipmipool_close(p);
	json_object_put(params);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

/* The request is one line of JSON-RPC 2.0 with our method and params. */
static void
check_request_peer(int fd, void *arg)
{
	char line[4096];
	struct json_object *req, *v;
	int ok;

	if (peer_read_line(fd, line, sizeof(line)) < 0)
		_exit(10);
	req = json_tokener_parse(line);
	ok = req && json_object_object_get_ex(req, "jsonrpc", &v) &&
	     !strcmp(json_object_get_string(v), "2.0") &&
	     json_object_object_get_ex(req, "method", &v) &&
	     !strcmp(json_object_get_string(v), "bmc.status") &&
	     json_object_object_get_ex(req, "params", &v) &&
	     json_object_object_get_ex(v, "bmc", &v) && !strcmp(json_object_get_string(v), "n1") &&
	     json_object_object_get_ex(req, "id", &v) && json_object_get_int64(v) == 1 &&
	     !strchr(line, '\n');
	json_object_put(req);
	peer_writes(fd, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n");
	_exit(ok ? 0 : 11);
}

START_TEST(request_format)
{
	struct json_object *params = json_tokener_parse("{\"bmc\":\"n1\"}");
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, check_request_peer, NULL);

	ck_assert_int_eq(ipmipool_call(p, "bmc.status", params, 2000, NULL, NULL), 0);
	ipmipool_close(p);
	json_object_put(params);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

/* The method must come back exactly, from one line of valid JSON. */
#define ODD_METHOD "q\"uo\\te\nline\x01tab\t\xc3\xa9nd"

static void
check_method_peer(int fd, void *arg)
{
	char line[4096];
	struct json_object *req, *v;
	int ok;

	(void)arg;
	if (peer_read_line(fd, line, sizeof(line)) < 0)
		_exit(10);
	req = json_tokener_parse(line);
	ok = req && json_object_object_get_ex(req, "method", &v) &&
	     json_object_is_type(v, json_type_string) &&
	     !strcmp(json_object_get_string(v), ODD_METHOD) &&
	     !json_object_object_get_ex(req, "params", NULL);
	json_object_put(req);
	peer_writes(fd, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n");
	_exit(ok ? 0 : 11);
}

START_TEST(method_quoted)
{
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, check_method_peer, NULL);

	ck_assert_int_eq(ipmipool_call(p, ODD_METHOD, NULL, 2000, NULL, NULL), 0);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

/*
 * ipmipool_send() queues: a burst leaves in one write from
 * ipmipool_process(), and ipmipool_get_events() asks for POLLOUT meanwhile.
 */
START_TEST(send_queues_until_process)
{
	static unsigned char seen[41];
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, echo_peer, NULL);

	for (int i = 0; i < 40; i++) {
		ck_assert_int_eq(ipmipool_send(p, "x", NULL, 5000, NULL), 0);
		ck_assert(ipmipool_get_events(p) & POLLOUT);
	}
	collect(p, 40, seen, sizeof(seen));
	ck_assert(!(ipmipool_get_events(p) & POLLOUT));
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

static void
bytewise_peer(int fd, void *arg)
{
	char line[4096];

	if (peer_read_line(fd, line, sizeof(line)) < 0)
		_exit(10);
	peer_write_slowly(
	    fd, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {\"n\": 1, \"s\": \"é\"}}\n", 300);
	peer_drain(fd);
}

START_TEST(split_byte_by_byte)
{
	struct json_object *res = NULL;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, bytewise_peer, NULL);

	ck_assert_int_eq(ipmipool_call(p, "x", NULL, 5000, &res, NULL), 0);
	ck_assert_int_eq(result_n(res), 1);
	json_object_put(res);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

/* Three answers in one write, out of order, with CRLF, blank lines, a
 * notification and an answer to an id never sent mixed in. */
static void
one_write_peer(int fd, void *arg)
{
	char line[4096];

	for (int i = 0; i < 3; i++) {
		if (peer_read_line(fd, line, sizeof(line)) < 0)
			_exit(10);
	}
	peer_writes(fd, "\n{\"jsonrpc\":\"2.0\",\"method\":\"note\",\"params\":{}}\r\n"
	                "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"n\":3}}\r\n"
	                "{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":{\"n\":999}}\n"
	                "   \n"
	                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"n\":1}}\n"
	                "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"n\":2}}\n");
	peer_drain(fd);
}

START_TEST(several_in_one_write)
{
	unsigned char seen[4] = { 0 };
	uint64_t id;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, one_write_peer, NULL);

	for (uint64_t i = 1; i <= 3; i++) {
		ck_assert_int_eq(ipmipool_send(p, "x", NULL, 5000, &id), 0);
		ck_assert_uint_eq(id, i);
	}
	ck_assert_uint_eq(ipmipool_pending(p), 3);
	collect(p, 3, seen, sizeof(seen));
	ck_assert(seen[1] && seen[2] && seen[3]);
	ck_assert_uint_eq(ipmipool_pending(p), 0);
	ck_assert_int_eq(ipmipool_get_timeout(p), -1);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

/* A batch: one line holding an array of responses. */
static void
batch_peer(int fd, void *arg)
{
	char line[4096];

	for (int i = 0; i < 2; i++) {
		if (peer_read_line(fd, line, sizeof(line)) < 0)
			_exit(10);
	}
	peer_writes(fd, "[{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"n\":2}},"
	                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"n\":1}}]\n");
	peer_drain(fd);
}

START_TEST(batch_response)
{
	unsigned char seen[3] = { 0 };
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, batch_peer, NULL);

	ck_assert_int_eq(ipmipool_send(p, "x", NULL, 5000, NULL), 0);
	ck_assert_int_eq(ipmipool_send(p, "x", NULL, 5000, NULL), 0);
	collect(p, 2, seen, sizeof(seen));
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

#define NPIPE 1000

/* Reads all NPIPE requests, then answers them last first, in one go. */
static void
reverse_peer(int fd, void *arg)
{
	static char line[8192];
	static long long ids[NPIPE];
	size_t len = 0, cap = (size_t)NPIPE * 64;
	char *out = malloc(cap);

	for (int i = 0; i < NPIPE; i++) {
		if (peer_read_line(fd, line, sizeof(line)) < 0)
			_exit(10);
		ids[i] = peer_request_id(line);
	}
	for (int i = NPIPE - 1; i >= 0; i--)
		len += (size_t)snprintf(out + len, cap - len, RESULT_FMT, ids[i], ids[i]);
	peer_write(fd, out, len);
	free(out);
	peer_drain(fd);
}

/* NPIPE calls of ~1 KiB each (more than a socket buffer holds) in flight
 * at once, answered in reverse order. */
START_TEST(pipeline_out_of_order)
{
	static unsigned char seen[NPIPE + 1];
	char pad[1024];
	struct json_object *params = json_object_new_object();
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, reverse_peer, NULL);

	memset(pad, 'p', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	json_object_object_add(params, "pad", json_object_new_string(pad));
	for (int i = 0; i < NPIPE; i++)
		ck_assert_int_eq(ipmipool_send(p, "x", params, 10000, NULL), 0);
	ck_assert_uint_eq(ipmipool_pending(p), NPIPE);
	collect(p, NPIPE, seen, sizeof(seen));
	for (int i = 1; i <= NPIPE; i++)
		ck_assert_int_eq(seen[i], 1);
	ck_assert_uint_eq(ipmipool_pending(p), 0);
	json_object_put(params);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

/* Answers 2, 3, 1 to three requests. */
static void
mixed_peer(int fd, void *arg)
{
	char line[4096];

	for (int i = 0; i < 3; i++) {
		if (peer_read_line(fd, line, sizeof(line)) < 0)
			_exit(10);
	}
	peer_writes(fd, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"n\":2}}\n"
	                "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"n\":3}}\n"
	                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"n\":1}}\n");
	peer_drain(fd);
}

/* A blocking call among async ones keeps their replies for receive. */
START_TEST(blocking_call_keeps_other_replies)
{
	struct json_object *res = NULL;
	struct ipmipool_reply r;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, mixed_peer, NULL);

	ck_assert_int_eq(ipmipool_send(p, "a", NULL, 5000, NULL), 0);
	ck_assert_int_eq(ipmipool_send(p, "b", NULL, 5000, NULL), 0);
	ck_assert_int_eq(ipmipool_call(p, "c", NULL, 5000, &res, NULL), 0);
	ck_assert_int_eq(result_n(res), 3);
	json_object_put(res);
	/* 2 came before 3; 1 may or may not have been read yet */
	while (ipmipool_pending(p) > 0 && ipmipool_get_timeout(p) != 0) {
		struct pollfd pfd = { .fd = ipmipool_get_fd(p), .events = POLLIN };

		poll(&pfd, 1, 2000);
		ipmipool_process(p);
	}
	ck_assert_int_eq(ipmipool_receive(p, &r), 1);
	ck_assert_uint_eq(r.id, 2);
	json_object_put(r.result);
	while (ipmipool_pending(p) > 0 && ipmipool_get_timeout(p) != 0) {
		struct pollfd pfd = { .fd = ipmipool_get_fd(p), .events = POLLIN };

		poll(&pfd, 1, 2000);
		ipmipool_process(p);
	}
	ck_assert_int_eq(ipmipool_receive(p, &r), 1);
	ck_assert_uint_eq(r.id, 1);
	json_object_put(r.result);
	ck_assert_int_eq(ipmipool_receive(p, &r), 0);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

static void
die_mid_response_peer(int fd, void *arg)
{
	char line[4096];

	if (peer_read_line(fd, line, sizeof(line)) < 0)
		_exit(10);
	peer_writes(fd, "{\"jsonrpc\":\"2.0\",\"id\":1,\"resu");
	/* and dies: close */
}

START_TEST(peer_dies_mid_response)
{
	struct ipmipool_error err;
	struct json_object *res = NULL;
	pid_t pid;
	struct ipmipool *p;

	signal(SIGPIPE, SIG_DFL);
	p = peer_start(&pid, die_mid_response_peer, NULL);
	ck_assert_int_eq(ipmipool_call(p, "x", NULL, IPMIPOOL_TIMEOUT_INFINITE, &res, &err),
	                 IPMIPOOL_E_DISCONNECTED);
	ck_assert_ptr_null(res);
	ck_assert_int_eq(err.code, IPMIPOOL_E_DISCONNECTED);
	ck_assert_ptr_nonnull(strstr(err.detail, "middle of a response"));
	ck_assert_int_eq(ipmipool_get_events(p), 0);
	/* the handle stays broken: further calls fail at once */
	ck_assert_int_eq(ipmipool_call(p, "x", NULL, IPMIPOOL_TIMEOUT_INFINITE, &res, &err),
	                 IPMIPOOL_E_DISCONNECTED);
	ck_assert_int_eq(ipmipool_send(p, "x", NULL, 0, NULL), IPMIPOOL_E_DISCONNECTED);
	ck_assert_int_lt(ipmipool_process(p), 0);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

static void
close_at_once_peer(int fd, void *arg)
{
}

/* The daemon is gone before we write: EPIPE must not raise SIGPIPE. */
START_TEST(peer_gone_no_sigpipe)
{
	struct ipmipool_error err;
	struct json_object *params = json_object_new_object();
	char big[60000];
	pid_t pid;
	struct ipmipool *p;

	signal(SIGPIPE, SIG_DFL);
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	json_object_object_add(params, "big", json_object_new_string(big));
	p = peer_start(&pid, close_at_once_peer, NULL);
	ck_assert_int_eq(peer_wait(pid), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(
		    ipmipool_call(p, "x", params, IPMIPOOL_TIMEOUT_INFINITE, NULL, &err),
		    IPMIPOOL_E_DISCONNECTED);
	json_object_put(params);
	ipmipool_close(p);
}
END_TEST

/* Async calls in flight all fail when the daemon dies; none hangs. */
static void
answer_one_then_die_peer(int fd, void *arg)
{
	char line[4096];

	for (int i = 0; i < 3; i++) {
		if (peer_read_line(fd, line, sizeof(line)) < 0)
			_exit(10);
	}
	peer_writes(fd, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"n\":2}}\n");
}

START_TEST(peer_dies_with_calls_in_flight)
{
	struct ipmipool_reply r;
	int ok = 0, lost = 0;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, answer_one_then_die_peer, NULL);

	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(ipmipool_send(p, "x", NULL, IPMIPOOL_TIMEOUT_INFINITE, NULL), 0);
	while (ipmipool_pending(p) > 0) {
		struct pollfd pfd = { .fd = ipmipool_get_fd(p), .events = ipmipool_get_events(p) };

		if (pfd.events)
			ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
		ipmipool_process(p);
		while (ipmipool_receive(p, &r) > 0) {
			if (r.status == 0) {
				ck_assert_uint_eq(r.id, 2);
				ok++;
			} else {
				ck_assert_int_eq(r.status, IPMIPOOL_E_DISCONNECTED);
				ck_assert_int_eq(r.error.code, IPMIPOOL_E_DISCONNECTED);
				ck_assert_ptr_null(r.result);
				lost++;
			}
			json_object_put(r.result);
		}
	}
	ck_assert_int_eq(ok, 1);
	ck_assert_int_eq(lost, 2);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

struct flood {
	size_t bytes;
	bool newline;
};

static void
flood_peer(int fd, void *arg)
{
	const struct flood *f = arg;
	char line[4096], chunk[65536];
	size_t left = f->bytes;

	if (peer_read_line(fd, line, sizeof(line)) < 0)
		_exit(10);
	memset(chunk, 'a', sizeof(chunk));
	while (left > 0) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);

		if (write(fd, chunk, n) <= 0)
			_exit(0); /* the client hung up: expected */
		left -= n;
	}
	if (f->newline)
		peer_writes(fd, "\n");
	peer_drain(fd);
}

START_TEST(oversize_line_small_limit)
{
	struct flood f = { 5000, true };
	struct ipmipool_error err;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, flood_peer, &f);

	ck_assert_int_eq(ipmipool_set_max_response(p, 10), IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_set_max_response(p, 4096), 0);
	ck_assert_int_eq(ipmipool_call(p, "x", NULL, 5000, NULL, &err), IPMIPOOL_E_TOOBIG);
	ck_assert_ptr_nonnull(strstr(err.detail, "4096"));
	ipmipool_close(p);
	peer_wait(pid);
}
END_TEST

/* The default cap (16 MiB) holds against a daemon that never ends a line. */
START_TEST(oversize_line_default_limit)
{
	struct flood f = { IPMIPOOL_RESPONSE_MAX_DEFAULT + 65536, false };
	struct ipmipool_error err;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, flood_peer, &f);

	ck_assert_int_eq(ipmipool_call(p, "x", NULL, 20000, NULL, &err), IPMIPOOL_E_TOOBIG);
	ipmipool_close(p);
	peer_wait(pid);
}
END_TEST

/* A line of exactly the limit is fine. */
static void
exact_limit_peer(int fd, void *arg)
{
	char line[4096], *out;
	size_t max = *(size_t *)arg, head;

	if (peer_read_line(fd, line, sizeof(line)) < 0)
		_exit(10);
	out = malloc(max + 2);
	head = (size_t)snprintf(out, max, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"s\":\"");
	memset(out + head, 'x', max - head - 3);
	memcpy(out + max - 3, "\"}}\n", 4);
	peer_write(fd, out, max + 1);
	free(out);
	peer_drain(fd);
}

START_TEST(line_at_limit)
{
	size_t max = 4096;
	struct json_object *res = NULL, *s = NULL;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, exact_limit_peer, &max);

	ck_assert_int_eq(ipmipool_set_max_response(p, max), 0);
	ck_assert_int_eq(ipmipool_call(p, "x", NULL, 5000, &res, NULL), 0);
	ck_assert(json_object_object_get_ex(res, "s", &s));
	json_object_put(res);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

static void
garbage_peer(int fd, void *arg)
{
	char line[4096];

	if (peer_read_line(fd, line, sizeof(line)) < 0)
		_exit(10);
	peer_writes(fd, (const char *)arg);
	peer_drain(fd);
}

START_TEST(malformed_lines)
{
	static const char *const bad[] = {
		"this is not json\n",
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}} trailing\n",
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\n",
		"42\n",
		"\"a string\"\n",
	};
	struct ipmipool_error err;
	pid_t pid;
	struct ipmipool *p;

	p = peer_start(&pid, garbage_peer, (void *)(uintptr_t)bad[_i]);
	ck_assert_int_eq(ipmipool_call(p, "x", NULL, 5000, NULL, &err), IPMIPOOL_E_PROTOCOL);
	ck_assert_int_eq(err.code, IPMIPOOL_E_PROTOCOL);
	ipmipool_close(p);
	peer_wait(pid);
}
END_TEST

START_TEST(response_without_result)
{
	struct ipmipool_error err;
	pid_t pid;
	struct ipmipool *p =
	    peer_start(&pid, garbage_peer, (void *)(uintptr_t) "{\"jsonrpc\":\"2.0\",\"id\":1}\n");

	ck_assert_int_eq(ipmipool_call(p, "x", NULL, 5000, NULL, &err), IPMIPOOL_E_PROTOCOL);
	ipmipool_close(p);
	peer_wait(pid);
}
END_TEST

START_TEST(null_result_is_a_result)
{
	struct json_object *res = (struct json_object *)&res;
	pid_t pid;
	struct ipmipool *p =
	    peer_start(&pid, garbage_peer,
	               (void *)(uintptr_t) "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}\n");

	ck_assert_int_eq(ipmipool_call(p, "x", NULL, 5000, &res, NULL), 0);
	ck_assert_ptr_null(res);
	ipmipool_close(p);
	peer_wait(pid);
}
END_TEST

START_TEST(error_object_decoded)
{
	struct ipmipool_error err;
	struct json_object *res = NULL;
	char buf[512];
	pid_t pid;
	struct ipmipool *p = peer_start(
	    &pid, garbage_peer,
	    (void *)(uintptr_t) "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32004,"
	                        "\"message\":\"IPMI completion code not zero\",\"data\":{"
	                        "\"bmc\":\"node01\",\"detail\":\"Get Device ID failed\","
	                        "\"completion_code\":193,\"text\":\"Invalid command\"}}}\n");

	ck_assert_int_eq(ipmipool_call(p, "mc.info", NULL, 5000, &res, &err),
	                 IPMIPOOL_RPC_COMPLETION_CODE);
	ck_assert_ptr_null(res);
	ck_assert_int_eq(err.code, -32004);
	ck_assert_int_eq(err.completion_code, 0xc1);
	ck_assert_str_eq(err.message, "IPMI completion code not zero");
	ck_assert_str_eq(err.bmc, "node01");
	ck_assert_str_eq(err.detail, "Get Device ID failed");
	ck_assert_str_eq(err.text, "Invalid command");
	ck_assert_str_eq(ipmipool_error_format(&err, buf, sizeof(buf)),
	                 "node01: IPMI completion code not zero: Get Device ID failed "
	                 "(completion code 0xc1: Invalid command)");
	/* an error answer leaves the connection usable */
	ck_assert_int_eq(ipmipool_get_events(p), POLLIN);
	ipmipool_close(p);
	peer_wait(pid);
}
END_TEST

START_TEST(error_object_without_data)
{
	struct ipmipool_error err;
	pid_t pid;
	struct ipmipool *p = peer_start(
	    &pid, garbage_peer,
	    (void *)(uintptr_t) "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,"
	                        "\"message\":\"Method not found\"}}\n");

	ck_assert_int_eq(ipmipool_call(p, "nope", NULL, 5000, NULL, &err),
	                 IPMIPOOL_RPC_METHOD_NOT_FOUND);
	ck_assert_int_eq(err.completion_code, -1);
	ck_assert_str_eq(err.bmc, "");
	ck_assert_str_eq(err.detail, "");
	ipmipool_close(p);
	peer_wait(pid);
}
END_TEST

static void
silent_peer(int fd, void *arg)
{
	peer_drain(fd);
}

START_TEST(timeout_honoured)
{
	struct ipmipool_error err;
	struct json_object *res = NULL;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, silent_peer, NULL);

	ck_assert_int_eq(ipmipool_call(p, "sel.list", NULL, 100, &res, &err), IPMIPOOL_E_TIMEOUT);
	ck_assert_ptr_null(res);
	ck_assert_int_eq(err.code, IPMIPOOL_E_TIMEOUT);
	ck_assert_ptr_nonnull(strstr(err.detail, "sel.list"));
	ck_assert_uint_eq(ipmipool_pending(p), 0);
	/* the default timeout applies with IPMIPOOL_TIMEOUT_DEFAULT */
	ck_assert_int_eq(ipmipool_set_timeout(p, 0), IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_set_timeout(p, 50), 0);
	ck_assert_int_eq(ipmipool_call(p, "x", NULL, IPMIPOOL_TIMEOUT_DEFAULT, NULL, &err),
	                 IPMIPOOL_E_TIMEOUT);
	ipmipool_close(p);
	peer_wait(pid);
}
END_TEST

START_TEST(timeout_async)
{
	struct ipmipool_reply r;
	int t;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, silent_peer, NULL);

	ck_assert_int_eq(ipmipool_get_timeout(p), -1);
	ck_assert_int_eq(ipmipool_send(p, "x", NULL, 80, NULL), 0);
	ck_assert_int_eq(ipmipool_send(p, "y", NULL, IPMIPOOL_TIMEOUT_INFINITE, NULL), 0);
	t = ipmipool_get_timeout(p);
	ck_assert_int_gt(t, 0);
	ck_assert_int_le(t, 80);
	while (ipmipool_process(p) == 0) {
		struct pollfd pfd = { .fd = ipmipool_get_fd(p), .events = ipmipool_get_events(p) };

		poll(&pfd, 1, ipmipool_get_timeout(p));
	}
	ck_assert_int_eq(ipmipool_get_timeout(p), 0);
	ck_assert_int_eq(ipmipool_receive(p, &r), 1);
	ck_assert_uint_eq(r.id, 1);
	ck_assert_int_eq(r.status, IPMIPOOL_E_TIMEOUT);
	/* the other one waits for ever */
	ck_assert_uint_eq(ipmipool_pending(p), 1);
	ck_assert_int_eq(ipmipool_get_timeout(p), -1);
	ck_assert_int_eq(ipmipool_cancel(p, 2), 0);
	ck_assert_uint_eq(ipmipool_pending(p), 0);
	ipmipool_close(p);
	peer_wait(pid);
}
END_TEST

/* Answers the first call late (after its timeout) and the second at once. */
static void
late_peer(int fd, void *arg)
{
	char line[4096];

	if (peer_read_line(fd, line, sizeof(line)) < 0 ||
	    peer_read_line(fd, line, sizeof(line)) < 0)
		_exit(10);
	peer_writes(fd, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"n\":1}}\n"
	                "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"n\":2}}\n");
	peer_drain(fd);
}

START_TEST(late_answer_dropped)
{
	struct json_object *res = NULL;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, late_peer, NULL);

	ck_assert_int_eq(ipmipool_call(p, "x", NULL, 50, &res, NULL), IPMIPOOL_E_TIMEOUT);
	ck_assert_int_eq(ipmipool_call(p, "y", NULL, 5000, &res, NULL), 0);
	ck_assert_int_eq(result_n(res), 2);
	json_object_put(res);
	ck_assert_uint_eq(ipmipool_pending(p), 0);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

START_TEST(cancel_drops_reply)
{
	unsigned char seen[3] = { 0 };
	uint64_t a, b;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, echo_peer, NULL);

	ck_assert_int_eq(ipmipool_send(p, "x", NULL, 5000, &a), 0);
	ck_assert_int_eq(ipmipool_send(p, "x", NULL, 5000, &b), 0);
	ck_assert_int_eq(ipmipool_cancel(p, a), 0);
	ck_assert_int_eq(ipmipool_cancel(p, a), -ENOENT);
	ck_assert_int_eq(ipmipool_cancel(p, 77), -ENOENT);
	collect(p, 1, seen, sizeof(seen));
	ck_assert(!seen[a] && seen[b]);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

START_TEST(request_too_big)
{
	struct ipmipool_error err;
	struct json_object *params = json_object_new_object();
	static char big[IPMIPOOL_REQUEST_MAX];
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, echo_peer, NULL);

	memset(big, 'b', sizeof(big) - 1);
	json_object_object_add(params, "big", json_object_new_string(big));
	ck_assert_int_eq(ipmipool_call(p, "x", params, 5000, NULL, &err), IPMIPOOL_E_TOOBIG);
	ck_assert_int_eq(ipmipool_send(p, "x", params, 5000, NULL), IPMIPOOL_E_TOOBIG);
	ck_assert_uint_eq(ipmipool_pending(p), 0);
	json_object_put(params);
	/* the connection is still good */
	ck_assert_int_eq(ipmipool_call(p, "x", NULL, 5000, NULL, &err), 0);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

START_TEST(invalid_arguments)
{
	struct ipmipool_error err;
	struct json_object *s = json_object_new_string("not an object");
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, echo_peer, NULL);

	ck_assert_int_eq(ipmipool_call(p, NULL, NULL, 0, NULL, &err), IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_call(p, "", NULL, 0, NULL, &err), IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_call(p, "x", s, 0, NULL, &err), IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_call(p, "x", NULL, -5, NULL, &err), IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_call(NULL, "x", NULL, 0, NULL, &err), IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_receive(p, NULL), IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_connect_fd(NULL, -1), IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_get_fd(NULL), -1);
	ck_assert_uint_eq(ipmipool_pending(NULL), 0);
	ipmipool_close(NULL);
	json_object_put(s);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

START_TEST(connect_missing_socket)
{
	const char *path = "/nonexistent-ipmipool-test/ipmipool.sock";
	struct ipmipool_error err;
	struct ipmipool *p = NULL;

	ck_assert_int_eq(ipmipool_connect(&p, path, &err), -ENOENT);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(err.code, -ENOENT);
	ck_assert_ptr_nonnull(strstr(err.message, path));
	ck_assert_ptr_nonnull(strstr(err.detail, "ipmipoold running"));
	/* NULL path: $IPMIPOOL_SOCKET, else the default */
	setenv(IPMIPOOL_SOCKET_ENV, path, 1);
	ck_assert_str_eq(ipmipool_default_socket(), path);
	ck_assert_int_eq(ipmipool_connect(&p, NULL, &err), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err.message, path));
	setenv(IPMIPOOL_SOCKET_ENV, "", 1);
	ck_assert_str_eq(ipmipool_default_socket(), IPMIPOOL_SOCKET_DEFAULT);
	unsetenv(IPMIPOOL_SOCKET_ENV);
	ck_assert_str_eq(ipmipool_default_socket(), IPMIPOOL_SOCKET_DEFAULT);
}
END_TEST

START_TEST(connect_refused_and_too_long)
{
	char dir[] = "/tmp/ipmipool-test-XXXXXX", path[256], longp[300];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ipmipool_error err;
	struct ipmipool *p = NULL;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	/* a socket file nobody listens on */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	ck_assert_int_eq(ipmipool_connect(&p, path, &err), -ECONNREFUSED);
	ck_assert_ptr_nonnull(strstr(err.message, path));
	unlink(path);
	rmdir(dir);
	memset(longp, 'l', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	ck_assert_int_eq(ipmipool_connect(&p, longp, &err), -ENAMETOOLONG);
	ck_assert_ptr_null(p);
}
END_TEST

/* A real listening socket: connect by path, one call, socket_path(). */
START_TEST(connect_by_path)
{
	char dir[] = "/tmp/ipmipool-test-XXXXXX", path[256];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ipmipool_error err;
	struct ipmipool *p = NULL;
	struct json_object *res = NULL;
	int lfd;
	pid_t pid;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ipmipool.sock", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(lfd, 4), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int c = accept(lfd, NULL, NULL);

		if (c < 0)
			_exit(10);
		echo_peer(c, NULL);
		_exit(0);
	}
	close(lfd);
	ck_assert_int_eq(ipmipool_connect(&p, path, &err), 0);
	ck_assert_str_eq(ipmipool_socket_path(p), path);
	ck_assert_int_ge(ipmipool_get_fd(p), 0);
	ck_assert_int_eq(ipmipool_call(p, "x", NULL, 5000, &res, &err), 0);
	ck_assert_int_eq(result_n(res), 1);
	json_object_put(res);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *
client_suite(void)
{
	Suite *s = suite_create("client");
	TCase *t = tcase_create("framing");

	tcase_set_timeout(t, 30);
	tcase_add_test(t, call_roundtrip);
	tcase_add_test(t, request_format);
	tcase_add_test(t, method_quoted);
	tcase_add_test(t, send_queues_until_process);
	tcase_add_test(t, split_byte_by_byte);
	tcase_add_test(t, several_in_one_write);
	tcase_add_test(t, batch_response);
	tcase_add_test(t, pipeline_out_of_order);
	tcase_add_test(t, blocking_call_keeps_other_replies);
	tcase_add_test(t, line_at_limit);
	tcase_add_test(t, oversize_line_small_limit);
	tcase_add_test(t, oversize_line_default_limit);
	tcase_add_loop_test(t, malformed_lines, 0, 5);
	tcase_add_test(t, response_without_result);
	tcase_add_test(t, null_result_is_a_result);
	suite_add_tcase(s, t);

	t = tcase_create("failures");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, peer_dies_mid_response);
	tcase_add_test(t, peer_gone_no_sigpipe);
	tcase_add_test(t, peer_dies_with_calls_in_flight);
	tcase_add_test(t, error_object_decoded);
	tcase_add_test(t, error_object_without_data);
	tcase_add_test(t, timeout_honoured);
	tcase_add_test(t, timeout_async);
	tcase_add_test(t, late_answer_dropped);
	tcase_add_test(t, cancel_drops_reply);
	tcase_add_test(t, request_too_big);
	tcase_add_test(t, invalid_arguments);
	suite_add_tcase(s, t);

	t = tcase_create("connect");
	tcase_add_test(t, connect_missing_socket);
	tcase_add_test(t, connect_refused_and_too_long);
	tcase_add_test(t, connect_by_path);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(client_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
