/*
 * peer.h - a scripted stand-in for ipmipoold in the client library's unit
 * tests: a forked child on the far end of a socketpair (or of a listening
 * Unix socket) runs a script function, then exits.  The child never
 * returns into Check.
 */
#ifndef IPMIPOOL_TEST_PEER_H
#define IPMIPOOL_TEST_PEER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipmipool.h"

typedef void (*peer_fn)(int fd, void *arg);

/* Forks the peer running fn(fd, arg) and connects a handle to it. */
struct ipmipool *peer_start(pid_t *ret_pid, peer_fn fn, void *arg);

/* Waits for the peer to exit; returns its exit status (or 128+signal). */
int peer_wait(pid_t pid);

/* In the peer: reads one request line (without '\n') into buf; returns
 * its length, or -1 at EOF. */
ssize_t peer_read_line(int fd, char *buf, size_t size);

/* In the peer: the "id" of a request line, or -1. */
long long peer_request_id(const char *line);

/* In the peer: writes everything (dies quietly on error). */
void peer_write(int fd, const char *s, size_t len);
void peer_writes(int fd, const char *s);

/* In the peer: writes s one byte per write(), sleeping us between. */
void peer_write_slowly(int fd, const char *s, unsigned us);

/* In the peer: reads until EOF (a daemon that never answers). */
void peer_drain(int fd);

#endif
