/*
 * peer.c - scripted daemon stand-in for the unit tests (see peer.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>
#include <json.h>

#include "peer.h"

struct ipmipool *
peer_start(pid_t *ret_pid, peer_fn fn, void *arg)
{
	struct ipmipool *p = NULL;
	int sv[2];
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		close(sv[0]);
		fn(sv[1], arg);
		close(sv[1]);
		_exit(0);
	}
	close(sv[1]);
	ck_assert_int_eq(ipmipool_connect_fd(&p, sv[0]), 0);
	*ret_pid = pid;
	return p;
}

int
peer_wait(pid_t pid)
{
	int st = 0;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

ssize_t
peer_read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;

	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		if (c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return (ssize_t)n;
}

long long
peer_request_id(const char *line)
{
	struct json_object *o = json_tokener_parse(line), *id = NULL;
	long long r = -1;

	if (o && json_object_object_get_ex(o, "id", &id) && json_object_is_type(id, json_type_int))
		r = (long long)json_object_get_int64(id);
	json_object_put(o);
	return r;
}

void
peer_write(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3);
		s += n;
		len -= (size_t)n;
	}
}

void
peer_writes(int fd, const char *s)
{
	peer_write(fd, s, strlen(s));
}

void
peer_write_slowly(int fd, const char *s, unsigned us)
{
	for (; *s; s++) {
		peer_write(fd, s, 1);
		usleep(us);
	}
}

void
peer_drain(int fd)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0 || (n < 0 && errno == EINTR))
			continue;
		break;
	}
}
