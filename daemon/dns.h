/*
 * dns.h - asynchronous name resolution with libevent's evdns.
 *
 * Literal IPv4/IPv6 addresses skip DNS.  /etc/hosts is consulted first and
 * re-read when it changes (so a moved BMC in the hosts file is followed),
 * then the name servers of the configured resolv.conf.  Shell module.
 */
#ifndef IPMIPOOL_DNS_H
#define IPMIPOOL_DNS_H

#include <stdint.h>
#include <sys/socket.h>

struct event_base;
struct dns;
struct dns_req;

/* sa is NULL on failure, with a reason in err. */
typedef void (*dns_done_fn)(void *arg, const struct sockaddr *sa, socklen_t len, const char *err);

struct dns *dns_new(struct event_base *base, const char *resolv_conf, const char *hosts);
void dns_free(struct dns *d);

/*
 * Resolves host (port filled in).  For a literal the callback runs before
 * this returns and NULL is returned; otherwise the pending request, which
 * dns_cancel() abandons (its callback then never runs).
 */
struct dns_req *dns_resolve(struct dns *d, const char *host, uint16_t port, dns_done_fn done,
                            void *arg);
void dns_cancel(struct dns_req *r);

#endif
