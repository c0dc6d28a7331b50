/*
 * udp.h - the daemon's UDP sockets and the demultiplexer that hands each
 * datagram to the BMC(s) at its source address.
 *
 * One socket per address family serves every BMC (10,000 BMCs need no
 * 10,000 descriptors).  A datagram from an address no BMC has is dropped
 * and counted.  Shell module: libevent and sockets live here.
 */
#ifndef IPMIPOOL_UDP_H
#define IPMIPOOL_UDP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct event_base;
struct udp;
struct bmc;

/* Called for each datagram with the BMCs registered at its source. */
typedef void (*udp_input_fn)(void *arg, struct bmc *const *bmcs, size_t n, const uint8_t *pkt,
                             size_t len);

struct udp *udp_new(struct event_base *base, udp_input_fn input, void *arg);
void udp_free(struct udp *u);

/*
 * Registers b at its current address (b->addr); *token identifies the
 * registration for udp_unregister().  The caller registers a BMC once.
 */
int udp_register(struct udp *u, struct bmc *b, uint32_t *token);
void udp_unregister(struct udp *u, struct bmc *b, uint32_t token);

int udp_send(struct udp *u, const struct sockaddr *sa, socklen_t len, const uint8_t *pkt, size_t n);

/* Datagrams dropped because no BMC was registered at their source. */
uint64_t udp_unknown_source(const struct udp *u);

#endif
