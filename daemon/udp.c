/*
 * udp.c - UDP sockets (IPv4 and IPv6), batched receive with recvmmsg(),
 * batched send with sendmmsg(), and a hash table from peer address to BMCs.
 *
 * Sending: udp_send() copies the datagram into an outgoing batch and
 * activates a flush event; libevent runs it after the callbacks already
 * active in this pass of the loop, so the datagrams one pass produces (a
 * client's pipelined lines, a batch of answers, timers due together) leave
 * in one sendmmsg() per socket.  A full batch is flushed at once.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "bmc.h"
#include "log.h"
#include "udp.h"

#define UDP_BATCH   32
#define UDP_PKT_MAX 1500

/* A BMC's address: IPv4 or IPv6 only, 100 bytes less than a sockaddr_storage. */
union udp_addr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

struct udp_entry {
	struct udp_entry *next;
	struct bmc *b;
	union udp_addr addr;
	socklen_t len;
	uint32_t hash;
};

struct udp_out {
	int fd;
	socklen_t to_len;
	union udp_addr to;
	size_t len;
	uint8_t pkt[UDP_PKT_MAX];
};

struct udp {
	int fd4, fd6;
	struct event *ev4, *ev6;
	struct event *flush;
	unsigned n_out;
	struct udp_out out[UDP_BATCH]; /* datagrams waiting for the flush */
	udp_input_fn input;
	void *arg;
	struct udp_entry **table;
	size_t n_buckets;
	size_t n_entries;
	uint64_t unknown;
	uint8_t bufs[UDP_BATCH][UDP_PKT_MAX]; /* receive scratch */
};

/* FNV-1a over the address bytes that identify a peer. */
static uint32_t
udp_hash(const struct sockaddr *sa)
{
	const uint8_t *p;
	size_t n;
	uint32_t h = 2166136261u;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		h = (h ^ (in->sin_port & 0xff)) * 16777619u;
		h = (h ^ (in->sin_port >> 8)) * 16777619u;
		p = (const uint8_t *)&in->sin_addr;
		n = 4;
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		h = (h ^ (in6->sin6_port & 0xff)) * 16777619u;
		h = (h ^ (in6->sin6_port >> 8)) * 16777619u;
		p = (const uint8_t *)&in6->sin6_addr;
		n = 16;
	}
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static bool
udp_same(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
	return x->sin6_port == y->sin6_port &&
	       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
}

static int
udp_grow(struct udp *u)
{
	size_t n = u->n_buckets ? u->n_buckets * 2 : 256;
	struct udp_entry **t = calloc(n, sizeof(*t));

	if (t == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < u->n_buckets; i++) {
		struct udp_entry *e, *next;
		for (e = u->table[i]; e != NULL; e = next) {
			next = e->next;
			e->next = t[e->hash & (n - 1)];
			t[e->hash & (n - 1)] = e;
		}
	}
	free(u->table);
	u->table = t;
	u->n_buckets = n;
	return 0;
}

int
udp_register(struct udp *u, struct bmc *b, uint32_t *token)
{
	struct udp_entry *e;
	size_t i;

	if (b->addr_len == 0 || b->addr_len > sizeof(e->addr))
		return -EINVAL;
	if (u->n_entries >= u->n_buckets && udp_grow(u) < 0)
		return -ENOMEM;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return -ENOMEM;
	e->b = b;
	memcpy(&e->addr, &b->addr, b->addr_len);
	e->len = b->addr_len;
	e->hash = udp_hash(&e->addr.sa);
	i = e->hash & (u->n_buckets - 1);
	e->next = u->table[i];
	u->table[i] = e;
	u->n_entries++;
	*token = e->hash;
	return 0;
}

void
udp_unregister(struct udp *u, struct bmc *b, uint32_t token)
{
	struct udp_entry **pp, *e;

	if (u->n_buckets == 0)
		return;
	for (pp = &u->table[token & (u->n_buckets - 1)]; (e = *pp) != NULL; pp = &e->next) {
		if (e->b == b) {
			*pp = e->next;
			free(e);
			u->n_entries--;
			return;
		}
	}
}

static void
udp_deliver(struct udp *u, const struct sockaddr *from, const uint8_t *pkt, size_t len)
{
	struct bmc *found[8];
	size_t n = 0;
	uint32_t h;

	if (u->n_buckets == 0) {
		u->unknown++;
		return;
	}
	h = udp_hash(from);
	for (struct udp_entry *e = u->table[h & (u->n_buckets - 1)]; e != NULL; e = e->next)
		if (e->hash == h && udp_same(&e->addr.sa, from) &&
		    n < sizeof(found) / sizeof(found[0]))
			found[n++] = e->b;
	if (n == 0) {
		u->unknown++;
		return;
	}
	u->input(u->arg, found, n, pkt, len);
}

static void
udp_readable(evutil_socket_t fd, short what, void *arg)
{
	struct udp *u = arg;
	struct mmsghdr msgs[UDP_BATCH];
	struct iovec iov[UDP_BATCH];
	struct sockaddr_storage from[UDP_BATCH];
	int n;

	(void)what;
	for (int round = 0; round < 8; round++) {
		memset(msgs, 0, sizeof(msgs));
		for (int i = 0; i < UDP_BATCH; i++) {
			iov[i].iov_base = u->bufs[i];
			iov[i].iov_len = UDP_PKT_MAX;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &from[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		n = recvmmsg(fd, msgs, UDP_BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				log_warn("udp: recvmmsg");
			return;
		}
		for (int i = 0; i < n; i++)
			if (!(msgs[i].msg_hdr.msg_flags & MSG_TRUNC))
				udp_deliver(u, (struct sockaddr *)&from[i], u->bufs[i],
				            msgs[i].msg_len);
		if (n < UDP_BATCH)
			return;
	}
}

/* Sends the batch's datagrams for fd with sendmmsg(); one that fails is dropped. */
static void
udp_flush_fd(struct udp *u, int fd)
{
	struct mmsghdr msgs[UDP_BATCH];
	struct iovec iov[UDP_BATCH];
	unsigned n = 0, sent = 0;
	int rc;

	for (unsigned i = 0; i < u->n_out; i++) {
		struct udp_out *o = &u->out[i];
		if (o->fd != fd)
			continue;
		iov[n].iov_base = o->pkt;
		iov[n].iov_len = o->len;
		memset(&msgs[n], 0, sizeof(msgs[n]));
		msgs[n].msg_hdr.msg_name = &o->to;
		msgs[n].msg_hdr.msg_namelen = o->to_len;
		msgs[n].msg_hdr.msg_iov = &iov[n];
		msgs[n].msg_hdr.msg_iovlen = 1;
		n++;
	}
	/* Bounded: every round sends at least one datagram or drops one. */
	while (sent < n) {
		rc = sendmmsg(fd, msgs + sent, n - sent, MSG_DONTWAIT);
		if (rc > 0) {
			sent += (unsigned)rc;
		} else if (rc < 0 && errno == EINTR) {
			continue;
		} else {
			/* Like a failed sendto(): that datagram is lost; retries cover it. */
			sent++;
		}
	}
}

static void
udp_flush_now(struct udp *u)
{
	if (u->n_out == 0)
		return;
	if (u->fd4 >= 0)
		udp_flush_fd(u, u->fd4);
	if (u->fd6 >= 0)
		udp_flush_fd(u, u->fd6);
	u->n_out = 0;
}

static void
udp_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	udp_flush_now(arg);
}

int
udp_send(struct udp *u, const struct sockaddr *sa, socklen_t len, const uint8_t *pkt, size_t n)
{
	int fd = sa->sa_family == AF_INET6 ? u->fd6 : u->fd4;
	struct udp_out *o;

	if (fd < 0)
		return -EAFNOSUPPORT;
	if (n > UDP_PKT_MAX || len > sizeof(o->to))
		return -EMSGSIZE;
	if (u->n_out == UDP_BATCH)
		udp_flush_now(u);
	if (u->n_out == 0)
		event_active(u->flush, 0, 0);
	o = &u->out[u->n_out++];
	o->fd = fd;
	memcpy(&o->to, sa, len);
	o->to_len = len;
	memcpy(o->pkt, pkt, n);
	o->len = n;
	return 0;
}

static int
udp_open(int family)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int size = 4 << 20;

	if (fd < 0)
		return -errno;
	if (family == AF_INET6) {
		int on = 1;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	}
	/* Bursts from thousands of BMCs: a large receive buffer. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return fd;
}

struct udp *
udp_new(struct event_base *base, udp_input_fn input, void *arg)
{
	struct udp *u = calloc(1, sizeof(*u));

	if (u == NULL)
		return NULL;
	u->input = input;
	u->arg = arg;
	u->fd4 = udp_open(AF_INET);
	u->fd6 = udp_open(AF_INET6);
	if (u->fd4 < 0 && u->fd6 < 0) {
		log_warnx("udp: cannot open any UDP socket");
		udp_free(u);
		return NULL;
	}
	if ((u->flush = event_new(base, -1, 0, udp_flush_cb, u)) == NULL) {
		udp_free(u);
		return NULL;
	}
	if (u->fd4 >= 0) {
		u->ev4 = event_new(base, u->fd4, EV_READ | EV_PERSIST, udp_readable, u);
		event_add(u->ev4, NULL);
	}
	if (u->fd6 >= 0) {
		u->ev6 = event_new(base, u->fd6, EV_READ | EV_PERSIST, udp_readable, u);
		event_add(u->ev6, NULL);
	}
	return u;
}

void
udp_free(struct udp *u)
{
	if (u == NULL)
		return;
	udp_flush_now(u); /* last Close Sessions */
	if (u->flush != NULL)
		event_free(u->flush);
	if (u->ev4 != NULL)
		event_free(u->ev4);
	if (u->ev6 != NULL)
		event_free(u->ev6);
	if (u->fd4 >= 0)
		close(u->fd4);
	if (u->fd6 >= 0)
		close(u->fd6);
	for (size_t i = 0; i < u->n_buckets; i++) {
		struct udp_entry *e, *next;
		for (e = u->table[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(u->table);
	free(u);
}

uint64_t
udp_unknown_source(const struct udp *u)
{
	return u->unknown;
}
