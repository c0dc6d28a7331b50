/*
 * bench_client.c - the timing half of bench/run: libipmipool calls (blocking
 * and pipelined), daemon bring-up waits, process spawns, and loopback UDP
 * round trips, each measured here with CLOCK_MONOTONIC so that no
 * interpreter sits in the timed path.  bench/run drives it and prints the
 * tables; every mode prints one JSON object on stdout:
 *
 *   {"n": samples, "errors": E, "min_us", "p50_us", "p90_us", "p99_us",
 *    "max_us", "mean_us", "wall_s", "rate" (per s), "cpu_user_s",
 *    "cpu_sys_s", ...mode-specific fields}
 *
 * usage: ipmipool-bench-client [-s SOCKET] [-w WARMUP] [-t TIMEOUT_MS] MODE ARGS
 *   raw BMC COUNT             blocking ipmipool_raw() Get Device ID, one at a time
 *   call METHOD PARAMS COUNT  blocking ipmipool_call(); fan-out entries that are
 *                             errors count in "entry_errors"
 *   pipeline PREFIX DIGITS NBMC CONNS WINDOW COUNT
 *                             async interface: CONNS connections in one thread,
 *                             WINDOW calls in flight on each, COUNT ipmi.raw Get
 *                             Device ID in all, round-robin to the BMCs named
 *                             PREFIX + (i % NBMC) in DIGITS digits ("fb 3": fb000..)
 *   addraw NAME HOST PORT PWFILE SUITE COUNT
 *                             bmc.add, then ipmi.raw at once (queued while the
 *                             session comes up) until answered, bmc.remove
 *   untilok BMC SINCE TIMEOUT_S
 *                             ipmi.raw until one succeeds; "elapsed_s" since
 *                             SINCE (CLOCK_MONOTONIC seconds, as Python's
 *                             time.monotonic())
 *   waitactive N SINCE TIMEOUT_S
 *                             polls daemon.info until sessions_active >= N
 *                             (connecting as soon as the socket is there)
 *   spawn COUNT PROG ARGS...  runs PROG COUNT times (stdout, stderr to
 *                             /dev/null); wall time per run; exit != 0 is an error
 *   udprtt COUNT SIZE         UDP ping-pong with a forked child over 127.0.0.1
 *   rmcpping HOST PORT COUNT  ASF presence ping round trips
 *
 * Every loop is bounded by its COUNT and every wait by a timeout.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ipmipool.h>
#include <json.h>

extern char **environ;

static const char *sock_path;
static long warmup;
static int timeout_ms = 30000;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench-client: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static long
num(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		die("bad %s: %s (%ld..%ld)", what, s, min, max);
	return v;
}

/* ---- samples and the JSON line ---- */

struct samples {
	double *v; /* seconds */
	size_t n, cap;
	long errors;
};

static void
sample_add(struct samples *s, double secs)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			die("out of memory");
	}
	s->v[s->n++] = secs;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n). */
static double
pct(const double *v, size_t n, double p)
{
	size_t k;

	if (n == 0)
		return NAN;
	k = (size_t)ceil(p / 100.0 * (double)n);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static void
jnum(const char *key, double v)
{
	if (isnan(v))
		printf(", \"%s\": null", key);
	else
		printf(", \"%s\": %.6g", key, v);
}

/* Prints the stats of s and "extra" (already formatted ", \"k\": v" pairs). */
static void
report(struct samples *s, double wall, const char *extra)
{
	struct rusage ru;
	double sum = 0;

	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	for (size_t i = 0; i < s->n; i++)
		sum += s->v[i];
	getrusage(RUSAGE_SELF, &ru);
	printf("{\"n\": %zu, \"errors\": %ld", s->n, s->errors);
	jnum("min_us", s->n ? s->v[0] * 1e6 : NAN);
	jnum("p50_us", pct(s->v, s->n, 50) * 1e6);
	jnum("p90_us", pct(s->v, s->n, 90) * 1e6);
	jnum("p99_us", pct(s->v, s->n, 99) * 1e6);
	jnum("max_us", s->n ? s->v[s->n - 1] * 1e6 : NAN);
	jnum("mean_us", s->n ? sum / (double)s->n * 1e6 : NAN);
	jnum("wall_s", wall);
	jnum("rate", wall > 0 ? (double)s->n / wall : NAN);
	jnum("cpu_user_s", (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6);
	jnum("cpu_sys_s", (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	printf("%s}\n", extra ? extra : "");
	fflush(stdout);
}

static struct ipmipool *
connect_or_die(void)
{
	struct ipmipool *p;
	struct ipmipool_error err;
	char msg[2048];

	if (ipmipool_connect(&p, sock_path, &err) < 0)
		die("connect: %s", ipmipool_error_format(&err, msg, sizeof(msg)));
	ipmipool_set_timeout(p, timeout_ms);
	return p;
}

static void
first_error(long *shown, const struct ipmipool_error *err)
{
	char msg[2048];

	if ((*shown)++ < 3)
		fprintf(stderr, "bench-client: %s\n", ipmipool_error_format(err, msg, sizeof(msg)));
}

/* ---- raw: blocking Get Device ID ---- */

static int
mode_raw(int argc, char **argv)
{
	struct ipmipool *p;
	struct samples s = { 0 };
	long count, shown = 0;
	double t0;

	if (argc != 2)
		die("usage: raw BMC COUNT");
	count = num(argv[1], 1, 100000000, "COUNT");
	p = connect_or_die();
	for (long i = -warmup; i < count; i++) {
		struct ipmipool_raw_response rsp;
		struct ipmipool_error err;
		double a = now_s();
		int r = ipmipool_raw(p, argv[0], NULL, 0x06, 0x01, 0, NULL, 0, &rsp, &err);
		double b = now_s();

		if (i < 0)
			continue;
		if (r < 0 || rsp.completion_code != 0) {
			s.errors++;
			if (r < 0)
				first_error(&shown, &err);
			continue;
		}
		sample_add(&s, b - a);
	}
	t0 = 0;
	for (size_t i = 0; i < s.n; i++)
		t0 += s.v[i];
	report(&s, t0, NULL);
	ipmipool_close(p);
	return s.errors ? 1 : 0;
}

/* ---- call: blocking ipmipool_call ---- */

static long
fanout_errors(struct json_object *res)
{
	struct json_object *results;
	long bad = 0;

	if (!res || !json_object_object_get_ex(res, "results", &results) ||
	    !json_object_is_type(results, json_type_object))
		return 0;
	json_object_object_foreach (results, name, v) {
		(void)name;
		if (json_object_is_type(v, json_type_object) &&
		    json_object_object_get_ex(v, "error", NULL))
			bad++;
	}
	return bad;
}

static int
mode_call(int argc, char **argv)
{
	struct ipmipool *p;
	struct json_object *params = NULL;
	struct samples s = { 0 };
	long count, shown = 0, entry_errors = 0, entries = 0;
	char extra[128];
	double wall = 0;

	if (argc != 3)
		die("usage: call METHOD PARAMS COUNT");
	if (strcmp(argv[1], "") != 0 && strcmp(argv[1], "null") != 0) {
		params = json_tokener_parse(argv[1]);
		if (!params)
			die("PARAMS is not JSON: %s", argv[1]);
	}
	count = num(argv[2], 1, 100000000, "COUNT");
	p = connect_or_die();
	for (long i = -warmup; i < count; i++) {
		struct json_object *res = NULL, *results;
		struct ipmipool_error err;
		double a = now_s();
		int r = ipmipool_call(p, argv[0], params, IPMIPOOL_TIMEOUT_DEFAULT, &res, &err);
		double b = now_s();

		if (i >= 0) {
			if (r < 0) {
				s.errors++;
				first_error(&shown, &err);
			} else {
				long bad = fanout_errors(res);

				if (json_object_object_get_ex(res, "results", &results))
					entries = json_object_object_length(results);
				entry_errors += bad;
				if (bad && shown++ < 3)
					fprintf(stderr,
					        "bench-client: %s: %ld fan-out entries failed: "
					        "%.300s\n",
					        argv[0], bad, json_object_to_json_string(res));
				sample_add(&s, b - a);
				wall += b - a;
			}
		}
		json_object_put(res);
	}
	snprintf(extra, sizeof(extra), ", \"entry_errors\": %ld, \"entries\": %ld", entry_errors,
	         entries);
	report(&s, wall, extra);
	json_object_put(params);
	ipmipool_close(p);
	return s.errors || entry_errors ? 1 : 0;
}

/* ---- pipeline: the async interface, several connections ---- */

struct conn {
	struct ipmipool *p;
	uint64_t first_id;
	double *sent; /* send time by id - first_id */
	size_t sent_cap;
	long inflight;
	long done;
};

static int
mode_pipeline(int argc, char **argv)
{
	const char *prefix;
	long digits, nbmc, nconn, window, count, sent = 0, finished = 0, shown = 0;
	struct json_object **params;
	struct conn *c;
	struct pollfd *pfd;
	struct samples s = { 0 };
	double t0, wall;
	char extra[160];

	if (argc != 6)
		die("usage: pipeline PREFIX DIGITS NBMC CONNS WINDOW COUNT");
	prefix = argv[0];
	digits = num(argv[1], 1, 9, "DIGITS");
	nbmc = num(argv[2], 1, 1000000, "NBMC");
	nconn = num(argv[3], 1, 1000, "CONNS");
	window = num(argv[4], 1, 100000, "WINDOW");
	count = num(argv[5], 1, 100000000, "COUNT");

	/* The params of every BMC, built once and borrowed by each send. */
	params = calloc((size_t)nbmc, sizeof(*params));
	for (long i = 0; i < nbmc; i++) {
		char name[128];

		snprintf(name, sizeof(name), "%.100s%0*ld", prefix, (int)digits, i);
		params[i] = ipmipool_raw_params(name, NULL, 0x06, 0x01, 0, NULL, 0);
		if (!params[i])
			die("bad BMC name %s", name);
	}
	c = calloc((size_t)nconn, sizeof(*c));
	pfd = calloc((size_t)nconn, sizeof(*pfd));
	if (!params || !c || !pfd)
		die("out of memory");
	for (long k = 0; k < nconn; k++) {
		c[k].p = connect_or_die();
		c[k].first_id = 0;
		c[k].sent_cap = (size_t)(count / nconn + window + 16);
		c[k].sent = calloc(c[k].sent_cap, sizeof(double));
		if (!c[k].sent)
			die("out of memory");
	}
	s.cap = (size_t)count;
	s.v = malloc(s.cap * sizeof(double));
	if (!s.v)
		die("out of memory");

	t0 = now_s();
	while (finished < count) {
		/* Top every connection up to its window. */
		for (long k = 0; k < nconn; k++) {
			while (c[k].inflight < window && sent < count) {
				uint64_t id;
				size_t idx;
				int r = ipmipool_send(c[k].p, "ipmi.raw", params[sent % nbmc],
				                      IPMIPOOL_TIMEOUT_DEFAULT, &id);

				if (r < 0)
					die("send: %s", ipmipool_strerror(r));
				if (!c[k].first_id)
					c[k].first_id = id;
				idx = (size_t)(id - c[k].first_id);
				if (idx >= c[k].sent_cap) {
					c[k].sent_cap = idx * 2 + 16;
					c[k].sent =
					    realloc(c[k].sent, c[k].sent_cap * sizeof(double));
					if (!c[k].sent)
						die("out of memory");
				}
				c[k].sent[idx] = now_s();
				c[k].inflight++;
				sent++;
			}
			pfd[k].fd = ipmipool_get_fd(c[k].p);
			pfd[k].events = ipmipool_get_events(c[k].p);
			pfd[k].revents = 0;
		}
		if (poll(pfd, (nfds_t)nconn, timeout_ms) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		for (long k = 0; k < nconn; k++) {
			struct ipmipool_reply rep;
			int r;

			if (!pfd[k].revents)
				continue;
			r = ipmipool_process(c[k].p);
			if (r < 0 && r != IPMIPOOL_E_TIMEOUT)
				fprintf(stderr, "bench-client: connection %ld: %s\n", k,
				        ipmipool_strerror(r));
			while (ipmipool_receive(c[k].p, &rep) > 0) {
				double t = now_s();
				struct ipmipool_raw_response rsp;

				c[k].inflight--;
				c[k].done++;
				finished++;
				if (rep.status == 0 && ipmipool_raw_result(rep.result, &rsp) == 0 &&
				    rsp.completion_code == 0) {
					size_t idx = (size_t)(rep.id - c[k].first_id);

					if (idx < c[k].sent_cap)
						sample_add(&s, t - c[k].sent[idx]);
				} else {
					s.errors++;
					if (rep.status)
						first_error(&shown, &rep.error);
				}
				json_object_put(rep.result);
			}
			if (r < 0 && ipmipool_get_events(c[k].p) == 0)
				die("connection %ld broken: %s", k, ipmipool_strerror(r));
		}
		if (now_s() - t0 > 600)
			die("pipeline: still running after 600 s (%ld of %ld done)", finished,
			    count);
	}
	wall = now_s() - t0;
	snprintf(extra, sizeof(extra), ", \"conns\": %ld, \"window\": %ld, \"bmcs\": %ld", nconn,
	         window, nbmc);
	/* rate: completed requests (successes) per second of wall time */
	report(&s, wall, extra);
	for (long k = 0; k < nconn; k++) {
		ipmipool_close(c[k].p);
		free(c[k].sent);
	}
	for (long i = 0; i < nbmc; i++)
		json_object_put(params[i]);
	free(params);
	free(c);
	free(pfd);
	return s.errors ? 1 : 0;
}

/* ---- addraw: cold session set-up through bmc.add ---- */

static int
mode_addraw(int argc, char **argv)
{
	struct ipmipool *p;
	struct samples s = { 0 };
	long count, port, suite, shown = 0;
	double wall = 0;

	if (argc != 6)
		die("usage: addraw NAME HOST PORT PWFILE SUITE COUNT");
	port = num(argv[2], 1, 65535, "PORT");
	suite = num(argv[4], -1, 17, "SUITE");
	count = num(argv[5], 1, 1000000, "COUNT");
	p = connect_or_die();
	for (long i = -warmup; i < count; i++) {
		struct json_object *a = json_object_new_object(), *rm = json_object_new_object();
		struct ipmipool_raw_response rsp;
		struct ipmipool_error err;
		double t0, t1;
		int r;

		json_object_object_add(a, "name", json_object_new_string(argv[0]));
		json_object_object_add(a, "host", json_object_new_string(argv[1]));
		json_object_object_add(a, "port", json_object_new_int((int)port));
		json_object_object_add(a, "username", json_object_new_string("admin"));
		json_object_object_add(a, "password_file", json_object_new_string(argv[3]));
		if (suite >= 0)
			json_object_object_add(a, "cipher_suite", json_object_new_int((int)suite));
		json_object_object_add(rm, "bmc", json_object_new_string(argv[0]));
		t0 = now_s();
		r = ipmipool_call(p, "bmc.add", a, IPMIPOOL_TIMEOUT_DEFAULT, NULL, &err);
		if (r == 0)
			r = ipmipool_raw(p, argv[0], NULL, 0x06, 0x01, 0, NULL, 0, &rsp, &err);
		t1 = now_s();
		if (i >= 0) {
			if (r < 0 || rsp.completion_code != 0) {
				s.errors++;
				if (r < 0)
					first_error(&shown, &err);
			} else {
				sample_add(&s, t1 - t0);
				wall += t1 - t0;
			}
		}
		if (ipmipool_call(p, "bmc.remove", rm, IPMIPOOL_TIMEOUT_DEFAULT, NULL, &err) < 0)
			first_error(&shown, &err);
		json_object_put(a);
		json_object_put(rm);
	}
	report(&s, wall, NULL);
	ipmipool_close(p);
	return s.errors ? 1 : 0;
}

/* ---- untilok: time until ipmi.raw works again ---- */

static int
mode_untilok(int argc, char **argv)
{
	struct ipmipool *p;
	struct samples s = { 0 };
	double since, limit, t;
	long attempts = 0, shown = 0;
	char extra[160];
	int ok = 0;

	if (argc != 3)
		die("usage: untilok BMC SINCE TIMEOUT_S");
	since = strtod(argv[1], NULL);
	limit = strtod(argv[2], NULL);
	p = connect_or_die();
	do {
		struct ipmipool_raw_response rsp;
		struct ipmipool_error err;
		int r = ipmipool_raw(p, argv[0], NULL, 0x06, 0x01, 0, NULL, 0, &rsp, &err);

		attempts++;
		t = now_s();
		if (r == 0 && rsp.completion_code == 0) {
			ok = 1;
			break;
		}
		if (r < 0)
			first_error(&shown, &err);
		usleep(1000); /* an error comes back at once while the session is down */
	} while (t - since < limit && attempts < 1000000);
	if (ok)
		sample_add(&s, t - since);
	else
		s.errors = 1;
	snprintf(extra, sizeof(extra), ", \"elapsed_s\": %.6f, \"attempts\": %ld", t - since,
	         attempts);
	report(&s, t - since, extra);
	ipmipool_close(p);
	return ok ? 0 : 1;
}

/* ---- waitactive: all sessions up ---- */

static int
mode_waitactive(int argc, char **argv)
{
	struct ipmipool *p = NULL;
	struct samples s = { 0 };
	double since, limit, t;
	long want, active = -1, polls = 0;
	char extra[160];

	if (argc != 3)
		die("usage: waitactive N SINCE TIMEOUT_S");
	want = num(argv[0], 0, 10000000, "N");
	since = strtod(argv[1], NULL);
	limit = strtod(argv[2], NULL);
	for (;;) {
		t = now_s();
		if (t - since > limit)
			break;
		if (!p) {
			struct ipmipool_error err;

			if (ipmipool_connect(&p, sock_path, &err) < 0) {
				p = NULL;
				usleep(1000);
				continue;
			}
			ipmipool_set_timeout(p, timeout_ms);
		}
		struct json_object *res = NULL, *v;
		struct ipmipool_error err;

		polls++;
		if (ipmipool_call(p, "daemon.info", NULL, IPMIPOOL_TIMEOUT_DEFAULT, &res, &err) ==
		        0 &&
		    json_object_object_get_ex(res, "sessions_active", &v))
			active = json_object_get_int64(v);
		json_object_put(res);
		t = now_s();
		if (active >= want)
			break;
		usleep(want > 1000 ? 10000 : 2000);
	}
	if (active >= want)
		sample_add(&s, t - since);
	else
		s.errors = 1;
	snprintf(extra, sizeof(extra), ", \"elapsed_s\": %.6f, \"active\": %ld, \"polls\": %ld",
	         t - since, active, polls);
	report(&s, t - since, extra);
	ipmipool_close(p);
	return active >= want ? 0 : 1;
}

/* ---- spawn: whole program runs ---- */

static int
mode_spawn(int argc, char **argv)
{
	struct samples s = { 0 };
	posix_spawn_file_actions_t fa;
	long count;
	double wall = 0;

	if (argc < 2)
		die("usage: spawn COUNT PROG ARGS...");
	count = num(argv[0], 1, 1000000, "COUNT");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (long i = -warmup; i < count; i++) {
		pid_t pid;
		int st = 0;
		double a = now_s(), b;
		int r = posix_spawnp(&pid, argv[1], &fa, NULL, argv + 1, environ);

		if (r != 0)
			die("spawn %s: %s", argv[1], strerror(r));
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		b = now_s();
		if (i < 0)
			continue;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			s.errors++;
			continue;
		}
		sample_add(&s, b - a);
		wall += b - a;
	}
	posix_spawn_file_actions_destroy(&fa);
	report(&s, wall, NULL);
	return s.errors ? 1 : 0;
}

/* ---- udprtt: the loopback floor between two processes ---- */

static int
udp_bound(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)sa, sizeof(*sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)sa, &len) < 0)
		die("udp socket: %s", strerror(errno));
	return fd;
}

static int
mode_udprtt(int argc, char **argv)
{
	struct sockaddr_in a, b;
	struct samples s = { 0 };
	struct timeval tv = { .tv_sec = 1 };
	unsigned char buf[2048];
	long count, size;
	int fa, fb, st;
	double wall = 0;
	pid_t pid;

	if (argc != 2)
		die("usage: udprtt COUNT SIZE");
	count = num(argv[0], 1, 100000000, "COUNT");
	size = num(argv[1], 2, 1400, "SIZE");
	fa = udp_bound(&a);
	fb = udp_bound(&b);
	memset(buf, 0x5a, sizeof(buf));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) { /* echo: whatever comes to b goes back to a; "q" ends */
		close(fa);
		setsockopt(fb, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		for (long i = 0; i < count + warmup + 16; i++) {
			ssize_t n = recv(fb, buf, sizeof(buf), 0);

			if (n <= 0 || (n == 1 && buf[0] == 'q'))
				_exit(0);
			sendto(fb, buf, (size_t)n, 0, (struct sockaddr *)&a, sizeof(a));
		}
		_exit(0);
	}
	close(fb);
	setsockopt(fa, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (long i = -warmup; i < count; i++) {
		double t0 = now_s(), t1;
		ssize_t n;

		sendto(fa, buf, (size_t)size, 0, (struct sockaddr *)&b, sizeof(b));
		n = recv(fa, buf, sizeof(buf), 0);
		t1 = now_s();
		if (i < 0)
			continue;
		if (n != size) {
			s.errors++;
			continue;
		}
		sample_add(&s, t1 - t0);
		wall += t1 - t0;
	}
	sendto(fa, "q", 1, 0, (struct sockaddr *)&b, sizeof(b));
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	report(&s, wall, NULL);
	return s.errors ? 1 : 0;
}

/* ---- rmcpping: ASF presence ping to a BMC ---- */

static int
mode_rmcpping(int argc, char **argv)
{
	static const unsigned char ping[12] = { 0x06, 0x00, 0xff, 0x06, 0x00, 0x00,
		                                0x11, 0xbe, 0x80, 0x01, 0x00, 0x00 };
	struct sockaddr_in to, me;
	struct samples s = { 0 };
	struct timeval tv = { .tv_sec = 1 };
	unsigned char buf[512];
	long count;
	int fd;
	double wall = 0;

	if (argc != 3)
		die("usage: rmcpping HOST PORT COUNT");
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	if (inet_pton(AF_INET, argv[0], &to.sin_addr) != 1)
		die("bad IPv4 address %s", argv[0]);
	to.sin_port = htons((uint16_t)num(argv[1], 1, 65535, "PORT"));
	count = num(argv[2], 1, 100000000, "COUNT");
	fd = udp_bound(&me);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (long i = -warmup; i < count; i++) {
		double t0 = now_s(), t1;
		ssize_t n;

		sendto(fd, ping, sizeof(ping), 0, (struct sockaddr *)&to, sizeof(to));
		n = recv(fd, buf, sizeof(buf), 0);
		t1 = now_s();
		if (i < 0)
			continue;
		if (n < 8) {
			s.errors++;
			continue;
		}
		sample_add(&s, t1 - t0);
		wall += t1 - t0;
	}
	close(fd);
	report(&s, wall, NULL);
	return s.errors ? 1 : 0;
}

int
main(int argc, char **argv)
{
	int opt;

	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt(argc, argv, "+s:w:t:")) != -1) {
		switch (opt) {
		case 's':
			sock_path = optarg;
			break;
		case 'w':
			warmup = num(optarg, 0, 1000000, "WARMUP");
			break;
		case 't':
			timeout_ms = (int)num(optarg, 1, 3600000, "TIMEOUT_MS");
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc) {
		fputs("usage: ipmipool-bench-client [-s SOCKET] [-w WARMUP] [-t TIMEOUT_MS] "
		      "raw|call|pipeline|addraw|untilok|waitactive|spawn|udprtt|rmcpping ARGS\n",
		      stderr);
		return 2;
	}
	const char *mode = argv[optind];
	int n = argc - optind - 1;
	char **a = argv + optind + 1;

	if (!strcmp(mode, "raw"))
		return mode_raw(n, a);
	if (!strcmp(mode, "call"))
		return mode_call(n, a);
	if (!strcmp(mode, "pipeline"))
		return mode_pipeline(n, a);
	if (!strcmp(mode, "addraw"))
		return mode_addraw(n, a);
	if (!strcmp(mode, "untilok"))
		return mode_untilok(n, a);
	if (!strcmp(mode, "waitactive"))
		return mode_waitactive(n, a);
	if (!strcmp(mode, "spawn"))
		return mode_spawn(n, a);
	if (!strcmp(mode, "udprtt"))
		return mode_udprtt(n, a);
	if (!strcmp(mode, "rmcpping"))
		return mode_rmcpping(n, a);
	die("unknown mode %s", mode);
	return 2;
}
