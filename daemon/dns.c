/*
 * dns.c - evdns wrapper: literals, hosts file reloads, cancellation.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <event2/dns.h>
#include <event2/util.h>

#include "dns.h"
#include "log.h"

struct dns {
	struct evdns_base *base;
	char hosts[256];
	struct timespec hosts_mtime;
};

struct dns_req {
	struct evdns_getaddrinfo_request *req;
	dns_done_fn done;
	void *arg;
	uint16_t port;
	int cancelled;
};

static void
dns_reload_hosts(struct dns *d)
{
	struct stat st;

	if (d->hosts[0] == '\0' || stat(d->hosts, &st) < 0)
		return;
	if (st.st_mtim.tv_sec == d->hosts_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == d->hosts_mtime.tv_nsec)
		return;
	d->hosts_mtime = st.st_mtim;
	evdns_base_clear_host_addresses(d->base);
	if (evdns_base_load_hosts(d->base, d->hosts) != 0)
		log_warnx("dns: cannot read %s", d->hosts);
}

struct dns *
dns_new(struct event_base *base, const char *resolv_conf, const char *hosts)
{
	struct dns *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->base = evdns_base_new(base, 0);
	if (d->base == NULL) {
		free(d);
		return NULL;
	}
	/* Name servers and options only; the hosts file is ours to reload. */
	if (evdns_base_resolv_conf_parse(d->base, DNS_OPTION_NAMESERVERS | DNS_OPTION_MISC,
	                                 resolv_conf) != 0)
		log_warnx("dns: cannot use %s; only literals and the hosts file will resolve",
		          resolv_conf);
	snprintf(d->hosts, sizeof(d->hosts), "%s", hosts != NULL ? hosts : "");
	dns_reload_hosts(d);
	return d;
}

void
dns_free(struct dns *d)
{
	if (d == NULL)
		return;
	evdns_base_free(d->base, 0);
	free(d);
}

static void
dns_answer(int result, struct evutil_addrinfo *res, void *arg)
{
	struct dns_req *r = arg;

	if (!r->cancelled) {
		if (result != 0 || res == NULL) {
			r->done(r->arg, NULL, 0, evutil_gai_strerror(result));
		} else {
			struct sockaddr_storage ss;
			socklen_t len = (socklen_t)res->ai_addrlen;

			memcpy(&ss, res->ai_addr, len);
			if (ss.ss_family == AF_INET)
				((struct sockaddr_in *)&ss)->sin_port = htons(r->port);
			else
				((struct sockaddr_in6 *)&ss)->sin6_port = htons(r->port);
			r->done(r->arg, (struct sockaddr *)&ss, len, NULL);
		}
	}
	if (res != NULL)
		evutil_freeaddrinfo(res);
	free(r);
}

static int
dns_literal(const char *host, uint16_t port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char buf[64];
	size_t n = strlen(host);

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		*len = sizeof(*in);
		return 0;
	}
	/* "::1" or "[::1]" */
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof(buf)) {
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		host = buf;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
		return 0;
	}
	return -1;
}

struct dns_req *
dns_resolve(struct dns *d, const char *host, uint16_t port, dns_done_fn done, void *arg)
{
	struct evutil_addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM };
	struct evdns_getaddrinfo_request *req;
	struct sockaddr_storage ss;
	socklen_t len;
	struct dns_req *r;

	if (dns_literal(host, port, &ss, &len) == 0) {
		done(arg, (struct sockaddr *)&ss, len, NULL);
		return NULL;
	}
	dns_reload_hosts(d);
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		done(arg, NULL, 0, "out of memory");
		return NULL;
	}
	r->done = done;
	r->arg = arg;
	r->port = port;
	/*
	 * The answer may come before this returns (hosts file hit); r is then
	 * already freed and NULL comes back.
	 */
	req = evdns_getaddrinfo(d->base, host, NULL, &hints, dns_answer, r);
	if (req == NULL)
		return NULL;
	r->req = req;
	return r;
}

void
dns_cancel(struct dns_req *r)
{
	if (r == NULL)
		return;
	r->cancelled = 1;
	evdns_getaddrinfo_cancel(r->req);
}
