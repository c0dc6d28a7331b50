/*
 * fakebmc.c - ipmipool-fakebmc: a single-threaded RMCP+ BMC responder.
 *
 * Options, sockets and the epoll loop.  See README.md beside this file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "fakebmc.h"
#include "rmcp.h"
#include "rng.h"

static volatile sig_atomic_t fb_stop;

static void
fb_on_signal(int sig)
{
	fb_stop = sig;
}

static uint64_t
fb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void
fb_log(const struct fakebmc *fb, const struct fb_port *p, const char *fmt, ...)
{
	va_list ap;

	if (fb->quiet)
		return;
	if (p != NULL && fb->hosts)
		fprintf(stderr, "fakebmc[%u.%u.%u.%u]: ", (unsigned)(p->addr4 >> 24),
		        (unsigned)(p->addr4 >> 16) & 255, (unsigned)(p->addr4 >> 8) & 255,
		        (unsigned)p->addr4 & 255);
	else if (p != NULL)
		fprintf(stderr, "fakebmc[%u]: ", (unsigned)p->port);
	else
		fputs("fakebmc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *
fb_priv_name(uint8_t priv)
{
	static const char *const names[] = { "NONE",     "CALLBACK",      "USER",
		                             "OPERATOR", "ADMINISTRATOR", "OEM" };
	return priv < 6 ? names[priv] : "?";
}

bool
fb_suite_ok(const struct fakebmc *fb, uint8_t id)
{
	for (size_t i = 0; i < fb->nsuites; i++)
		if (fb->suites[i] == id)
			return true;
	return false;
}

void
fb_sess_close(struct fakebmc *fb, struct fb_port *p, struct fb_sess *s, const char *why)
{
	unsigned slot = (unsigned)s->handle - 1;

	if (s->state == FB_ACTIVE)
		fb_log(fb, p, "session 0x%08x closed (%s)", (unsigned)s->hs.bmc_sid, why);
	lanplus_sess_clear(&s->lp);
	rakp_hs_clear(&s->hs);
	free(s->replay);
	crypto_wipe(s, sizeof(*s));
	free(s);
	p->sess[slot] = NULL;
	p->nsess--;
}

#define FB_BATCH         64  /* datagrams per recvmmsg() / sendmmsg() */
#define FB_EVENTS        256 /* ready ports per epoll_pwait() */
#define FB_HOSTS_BATCHES 8   /* --hosts: batches read per wake-up */

/* IP_PKTINFO: with --hosts, which address a datagram came to or leaves from. */
union fb_cmsg {
	char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	size_t align; /* as struct cmsghdr */
};

/* One socket's datagrams: read with one recvmmsg(), answered with one sendmmsg(). */
struct fb_batch {
	struct mmsghdr msgs[FB_BATCH];
	struct iovec iov[FB_BATCH];
	struct sockaddr_storage peer[FB_BATCH];
	union fb_cmsg ctl[FB_BATCH];
	uint8_t pkt[FB_BATCH][FB_BUF];
};

struct fb_io {
	struct fb_batch in, out;
	int out_fd;
	unsigned n_out;
};

/* Sends the queued answers; UDP: a failed send is a lost datagram, as on a real network. */
static void
fb_flush_out(struct fakebmc *fb)
{
	struct fb_io *io = fb->io;
	unsigned sent = 0;

	while (sent < io->n_out) {
		int rc = sendmmsg(io->out_fd, io->out.msgs + sent, io->n_out - sent, MSG_DONTWAIT);
		if (rc < 0 && errno == EINTR)
			continue;
		sent += rc > 0 ? (unsigned)rc : 1;
	}
	io->n_out = 0;
}

/* With --hosts, makes h leave from the answering BMC's address (fb->src4). */
static void
fb_set_source(const struct fakebmc *fb, struct msghdr *h, union fb_cmsg *ctl)
{
	struct cmsghdr *c;
	struct in_pktinfo pi;

	if (!fb->hosts)
		return;
	memset(ctl, 0, sizeof(*ctl));
	memset(&pi, 0, sizeof(pi));
	pi.ipi_spec_dst.s_addr = htonl(fb->src4);
	h->msg_control = ctl->buf;
	h->msg_controllen = sizeof(ctl->buf);
	c = CMSG_FIRSTHDR(h);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
}

static void
fb_sendto(struct fakebmc *fb, int fd, const struct sockaddr_storage *peer, socklen_t peer_len,
          const uint8_t *pkt, size_t len)
{
	struct fb_io *io = fb->io;
	struct mmsghdr *m;

	if (io != NULL && io->n_out > 0 && (io->out_fd != fd || io->n_out == FB_BATCH))
		fb_flush_out(fb);
	if (io == NULL || len > FB_BUF) { /* outside the loop; --evil's oversized answers */
		(void)sendto(fd, pkt, len, MSG_DONTWAIT, (const struct sockaddr *)peer, peer_len);
		return; /* (never with --hosts: it excludes --evil, and answers only in the loop) */
	}
	io->out_fd = fd;
	m = &io->out.msgs[io->n_out];
	memcpy(io->out.pkt[io->n_out], pkt, len);
	io->out.peer[io->n_out] = *peer;
	io->out.iov[io->n_out] = (struct iovec){ io->out.pkt[io->n_out], len };
	memset(m, 0, sizeof(*m));
	m->msg_hdr.msg_name = &io->out.peer[io->n_out];
	m->msg_hdr.msg_namelen = peer_len;
	m->msg_hdr.msg_iov = &io->out.iov[io->n_out];
	m->msg_hdr.msg_iovlen = 1;
	fb_set_source(fb, &m->msg_hdr, &io->out.ctl[io->n_out]);
	io->n_out++;
}

/* Sends from socket fd now, or after --delay-ms. */
void
fb_send_fd(struct fakebmc *fb, int fd, const struct sockaddr_storage *peer, socklen_t peer_len,
           const uint8_t *pkt, size_t len)
{
	struct fb_delayed *d;

	if (fb->delay_ms == 0) {
		fb_sendto(fb, fd, peer, peer_len, pkt, len);
		return;
	}
	d = malloc(sizeof(*d) + len);
	if (d == NULL)
		return;
	d->next = NULL;
	d->due_ms = fb_now_ms() + fb->delay_ms;
	d->fd = fd;
	d->src4 = fb->src4;
	d->peer = *peer;
	d->peer_len = peer_len;
	d->len = len;
	memcpy(d->pkt, pkt, len);
	*fb->delayed_tail = d;
	fb->delayed_tail = &d->next;
}

void
fb_send(struct fakebmc *fb, struct fb_port *p, const struct sockaddr_storage *peer,
        socklen_t peer_len, const uint8_t *pkt, size_t len)
{
	if (p->evil != FB_EVIL_NORMAL && fb_evil_send(fb, p, peer, peer_len, pkt, len))
		return;
	fb_send_fd(fb, p->fd, peer, peer_len, pkt, len);
}

/* Sends the delayed replies that are due (the queue is in due order). */
static void
fb_flush_delayed(struct fakebmc *fb, bool all)
{
	struct fb_delayed *d;

	while ((d = fb->delayed) != NULL && (all || d->due_ms <= fb->now_ms)) {
		if (!all) {
			fb->src4 = d->src4;
			fb_sendto(fb, d->fd, &d->peer, d->peer_len, d->pkt, d->len);
		}
		fb->delayed = d->next;
		free(d);
	}
	if (fb->delayed == NULL)
		fb->delayed_tail = &fb->delayed;
}

static bool
fb_drop_this(struct fakebmc *fb)
{
	uint64_t x = fb->xs;

	if (fb->drop_rate <= 0.0)
		return false;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	fb->xs = x;
	return (double)(x >> 11) * (1.0 / 9007199254740992.0) < fb->drop_rate;
}

static void
fb_packet(struct fakebmc *fb, struct fb_port *p, const uint8_t *pkt, size_t len,
          const struct sockaddr_storage *peer, socklen_t peer_len)
{
	int cls = rmcp_class(pkt, len);

	if (fb_drop_this(fb))
		return;
	if (cls == RMCP_CLASS_ASF) {
		struct asf_msg m;
		uint8_t out[64];
		int n;

		if (asf_decode(pkt, len, &m) == 0 && m.type == ASF_TYPE_PING &&
		    (n = asf_encode_pong(m.tag, out, sizeof(out))) > 0)
			fb_send(fb, p, peer, peer_len, out, (size_t)n);
		return;
	}
	if (cls != RMCP_CLASS_IPMI || len < RMCP_HDR_LEN + 1)
		return;
	if (pkt[RMCP_HDR_LEN] == LANPLUS_AUTHTYPE)
		fb_rmcpplus(fb, p, pkt, len, peer, peer_len);
	else
		fb_lan15(fb, p, pkt, len, peer, peer_len);
}

/* Closes sessions idle for FB_IDLE_MS (handshakes included). */
static void
fb_sweep(struct fakebmc *fb)
{
	for (unsigned i = 0; i < fb->count; i++) {
		struct fb_port *p = &fb->ports[i];

		for (unsigned k = 0; k < FB_SLOTS && p->nsess > 0; k++) {
			struct fb_sess *s = p->sess[k];

			if (s != NULL && fb->now_ms - s->last_ms >= FB_IDLE_MS)
				fb_sess_close(fb, p, s, "idle timeout");
		}
	}
}

/* ---- options ---- */

static void
fb_usage(FILE *f)
{
	fputs("usage: ipmipool-fakebmc --port P [options]\n"
	      "  --port P         first UDP port (required)\n"
	      "  --count N        serve N consecutive ports P..P+N-1 (default 1)\n"
	      "  --addr A         IPv4 or IPv6 address to bind (default 127.0.0.1)\n"
	      "  --hosts          the --count BMCs are at consecutive loopback addresses\n"
	      "                   from --addr (IPv4), all on port P, behind one socket\n"
	      "  --suites LIST    accepted cipher suites (default 0,1,2,3,6,7,8,11,12,15,16,17)\n"
	      "  --guid HEX       system GUID, 32 hex digits (default per port)\n"
	      "  --users FILE     users: 'name password priv' lines (default admin/adminpass\n"
	      "                   ADMINISTRATOR, oper/operpass OPERATOR, ro/ropass USER)\n"
	      "  --kg HEX         BMC key K_g (up to 20 bytes)\n"
	      "  --pidfile F      write the pid to F once the sockets are bound\n"
	      "  --script FILE    scripted replies: 'netfn cmd -> cc data..' or '-> drop'\n"
	      "  --drop-rate R    drop incoming datagrams with probability R (0..1)\n"
	      "  --delay-ms D     delay every reply by D milliseconds\n"
	      "  --evil MODES     hostile behaviours, one per port (P+i gets the i-th; the\n"
	      "                   rest are normal); --list-evil or --evil help lists them\n"
	      "  --fast           benchmark mode: no logging, no per-packet extras\n"
	      "  --quiet          no session log on stderr\n",
	      f);
}

static bool
fb_parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0' || *s == '-')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return false;
	*out = v;
	return true;
}

int
fb_parse_list(struct fakebmc *fb, const char *opt, const char *list,
              int (*add)(struct fakebmc *fb, const char *item))
{
	char *copy = strdup(list), *save = NULL, *tok;
	int rc = 0, n = 0;

	if (copy == NULL)
		return -1;
	for (tok = strtok_r(copy, ", ", &save); tok != NULL && rc == 0;
	     tok = strtok_r(NULL, ", ", &save), n++)
		rc = add(fb, tok);
	free(copy);
	if (rc == 0 && n == 0) {
		fprintf(stderr, "fakebmc: --%s is empty\n", opt);
		rc = -1;
	}
	return rc;
}

/* One --suites item: a cipher suite the protocol core knows, kept once. */
static int
fb_add_suite(struct fakebmc *fb, const char *item)
{
	unsigned long id;

	if (!fb_parse_ulong(item, 255, &id) || csuite_by_id((int)id) == NULL) {
		fprintf(stderr, "fakebmc: unknown cipher suite '%s'\n", item);
		return -1;
	}
	if (fb_suite_ok(fb, (uint8_t)id))
		return 0;
	if (fb->nsuites == FB_MAX_SUITES)
		return -1;
	fb->suites[fb->nsuites++] = (uint8_t)id;
	return 0;
}

/* --hosts: IPv4 loopback addresses only, every one inside 127.0.0.0/8, no --evil. */
static int
fb_hosts_check(struct fakebmc *fb)
{
	struct in_addr a;
	uint32_t first;

	if (inet_pton(AF_INET, fb->addr, &a) != 1 || (ntohl(a.s_addr) >> 24) != 127) {
		fprintf(stderr, "fakebmc: --hosts needs an IPv4 loopback --addr, not '%s'\n",
		        fb->addr);
		return -1;
	}
	first = ntohl(a.s_addr);
	if (((first + fb->count - 1) >> 24) != 127 || first + fb->count - 1 == 0x7fffffffu) {
		fputs("fakebmc: --hosts: --addr + --count leaves 127.0.0.0/8\n", stderr);
		return -1;
	}
	if (fb->nevil > 0) {
		fputs("fakebmc: --hosts excludes --evil\n", stderr);
		return -1;
	}
	fb->src4 = first;
	return 0;
}

enum {
	OPT_PORT = 256,
	OPT_COUNT,
	OPT_ADDR,
	OPT_SUITES,
	OPT_GUID,
	OPT_USERS,
	OPT_KG,
	OPT_PIDFILE,
	OPT_SCRIPT,
	OPT_DROP,
	OPT_DELAY,
	OPT_EVIL,
	OPT_LIST_EVIL,
	OPT_FAST,
	OPT_HOSTS,
	OPT_QUIET,
	OPT_HELP,
};

static int
fb_options(struct fakebmc *fb, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, OPT_PORT },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "addr", required_argument, NULL, OPT_ADDR },
		{ "suites", required_argument, NULL, OPT_SUITES },
		{ "guid", required_argument, NULL, OPT_GUID },
		{ "users", required_argument, NULL, OPT_USERS },
		{ "kg", required_argument, NULL, OPT_KG },
		{ "pidfile", required_argument, NULL, OPT_PIDFILE },
		{ "script", required_argument, NULL, OPT_SCRIPT },
		{ "drop-rate", required_argument, NULL, OPT_DROP },
		{ "delay-ms", required_argument, NULL, OPT_DELAY },
		{ "evil", required_argument, NULL, OPT_EVIL },
		{ "list-evil", no_argument, NULL, OPT_LIST_EVIL },
		{ "fast", no_argument, NULL, OPT_FAST },
		{ "hosts", no_argument, NULL, OPT_HOSTS },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *users = NULL, *script = NULL;
	unsigned long v;
	bool have_port = false;
	char *end;
	int o, n;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case OPT_PORT:
			if (!fb_parse_ulong(optarg, 65535, &v) || v == 0)
				goto bad;
			fb->base_port = (uint16_t)v;
			have_port = true;
			break;
		case OPT_COUNT:
			if (!fb_parse_ulong(optarg, FB_MAX_HOSTS, &v) || v == 0)
				goto bad;
			fb->count = (unsigned)v;
			break;
		case OPT_ADDR:
			fb->addr = optarg;
			break;
		case OPT_SUITES:
			fb->nsuites = 0;
			if (fb_parse_list(fb, "suites", optarg, fb_add_suite) < 0)
				return -1;
			break;
		case OPT_GUID:
			if (fb_parse_hex(optarg, fb->guid, sizeof(fb->guid)) != RAKP_GUID_LEN)
				goto bad;
			fb->guid_set = true;
			break;
		case OPT_USERS:
			users = optarg;
			break;
		case OPT_KG:
			n = fb_parse_hex(optarg, fb->kg, sizeof(fb->kg));
			if (n <= 0)
				goto bad;
			fb->kg_len = (size_t)n;
			break;
		case OPT_PIDFILE:
			fb->pidfile = optarg;
			break;
		case OPT_SCRIPT:
			script = optarg;
			break;
		case OPT_DROP:
			errno = 0;
			fb->drop_rate = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || !(fb->drop_rate >= 0.0) ||
			    fb->drop_rate > 1.0)
				goto bad;
			break;
		case OPT_DELAY:
			if (!fb_parse_ulong(optarg, 600000, &v))
				goto bad;
			fb->delay_ms = (unsigned)v;
			break;
		case OPT_EVIL:
			if (strcmp(optarg, "help") == 0) {
				fb_evil_list(stdout);
				exit(0);
			}
			if (fb_evil_parse(fb, optarg) < 0)
				return -1;
			break;
		case OPT_LIST_EVIL:
			fb_evil_list(stdout);
			exit(0);
		case OPT_FAST:
			fb->fast = true;
			fb->quiet = true;
			break;
		case OPT_HOSTS:
			fb->hosts = true;
			break;
		case OPT_QUIET:
			fb->quiet = true;
			break;
		case OPT_HELP:
			fb_usage(stdout);
			exit(0);
		default:
			fb_usage(stderr);
			return -1;
		}
	}
	if (optind != argc || !have_port) {
		fb_usage(stderr);
		return -1;
	}
	if (fb->hosts ? fb_hosts_check(fb) < 0 : fb->count > FB_MAX_PORTS) {
		if (!fb->hosts)
			fprintf(stderr, "fakebmc: at most %d ports\n", FB_MAX_PORTS);
		return -1;
	}
	if (!fb->hosts && (unsigned long)fb->base_port + fb->count - 1 > 65535) {
		fputs("fakebmc: --port + --count exceeds 65535\n", stderr);
		return -1;
	}
	if (fb->fast && (fb->drop_rate > 0.0 || fb->delay_ms > 0 || fb->nevil > 0)) {
		fputs("fakebmc: --fast excludes --drop-rate, --delay-ms and --evil\n", stderr);
		return -1;
	}
	if (fb->nevil > fb->count) {
		fprintf(stderr, "fakebmc: --evil names %zu modes for %u ports\n", fb->nevil,
		        fb->count);
		return -1;
	}
	if (users != NULL ? fb_load_users(fb, users) < 0 : (fb_default_users(fb), 0))
		return -1;
	if (script != NULL && fb_load_script(fb, script) < 0)
		return -1;
	return 0;
bad:
	fprintf(stderr, "fakebmc: bad value for --%s: '%s'\n", opts[o - OPT_PORT].name, optarg);
	return -1;
}

/* ---- sockets ---- */

/* A UDP socket bound to addr and port (0: any free port); -1 on failure. */
static int
fb_socket(const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, fam;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		fam = AF_INET;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sl = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		fam = AF_INET6;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sl = sizeof(*sin6);
	} else {
		fprintf(stderr, "fakebmc: --addr '%s' is not an IPv4 or IPv6 address\n", addr);
		return -1;
	}
	fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("fakebmc: socket");
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		fprintf(stderr, "fakebmc: bind %s port %u: %s\n", addr, (unsigned)port,
		        strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * --hosts: one socket on port P of every address, bound to the loopback
 * device so that nothing from another interface reaches it; IP_PKTINFO
 * tells which address (which BMC) a datagram was sent to.
 */
static int
fb_hosts_socket(struct fakebmc *fb)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(fb->base_port) };
	int fd, on = 1, rcvbuf = 4 << 20;

	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("fakebmc: socket");
		return -1;
	}
	/* Every BMC's datagrams queue here: as deep a queue as the system allows. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) < 0) {
		perror("fakebmc: --hosts: SO_BINDTODEVICE lo / IP_PKTINFO");
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		fprintf(stderr, "fakebmc: bind port %u on lo: %s\n", (unsigned)fb->base_port,
		        strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* The port's socket, and for --evil other_port the one its answers leave from. */
static int
fb_bind(struct fakebmc *fb, struct fb_port *p)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	p->fd = fb_socket(fb->addr, p->port);
	if (p->fd < 0)
		return -1;
	if (p->evil != FB_EVIL_NORMAL)
		fb_log(fb, p, "evil mode %s", fb_evil_name(p->evil));
	if (p->evil != FB_EVIL_OTHER_PORT)
		return 0;
	p->alt_fd = fb_socket(fb->addr, 0);
	if (p->alt_fd < 0 || getsockname(p->alt_fd, (struct sockaddr *)&ss, &sl) < 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		p->alt_port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	else
		p->alt_port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

static void
fb_raise_nofile(unsigned need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need + 32) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int
fb_setup_ports(struct fakebmc *fb)
{
	fb->ports = calloc(fb->count, sizeof(*fb->ports));
	if (fb->ports == NULL)
		return -1;
	fb_raise_nofile(fb->count);
	for (unsigned i = 0; i < fb->count; i++) {
		struct fb_port *p = &fb->ports[i];

		p->fd = -1;
		p->alt_fd = -1;
		p->evil = i < fb->nevil ? fb->evil[i] : FB_EVIL_NORMAL;
		p->index = i;
		p->port = (uint16_t)(fb->base_port + (fb->hosts ? 0 : i));
		p->addr4 = fb->src4 + (fb->hosts ? i : 0);
		p->power_on = true;
		if (fb->guid_set) {
			memcpy(p->guid, fb->guid, sizeof(p->guid));
		} else {
			/* "FAKEBMC\0", port index, port number */
			memcpy(p->guid, "FAKEBMC", 8);
			p->guid[8] = (uint8_t)(i >> 24);
			p->guid[9] = (uint8_t)(i >> 16);
			p->guid[10] = (uint8_t)(i >> 8);
			p->guid[11] = (uint8_t)i;
			p->guid[14] = (uint8_t)(p->port >> 8);
			p->guid[15] = (uint8_t)p->port;
		}
	}
	if (fb->hosts) {
		if ((fb->shared_fd = fb_hosts_socket(fb)) < 0)
			return -1;
		for (unsigned i = 0; i < fb->count; i++)
			fb->ports[i].fd = fb->shared_fd;
		return 0;
	}
	for (unsigned i = 0; i < fb->count; i++)
		if (fb_bind(fb, &fb->ports[i]) < 0)
			return -1;
	return 0;
}

static int
fb_write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "fakebmc: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0) {
		fprintf(stderr, "fakebmc: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void
fb_cleanup(struct fakebmc *fb)
{
	if (fb->ports != NULL) {
		for (unsigned i = 0; i < fb->count; i++) {
			struct fb_port *p = &fb->ports[i];

			for (unsigned k = 0; k < FB_SLOTS; k++)
				if (p->sess[k] != NULL)
					fb_sess_close(fb, p, p->sess[k], "shutdown");
			if (p->fd >= 0 && !fb->hosts)
				close(p->fd);
			if (p->alt_fd >= 0)
				close(p->alt_fd);
		}
		free(fb->ports);
		fb->ports = NULL;
	}
	if (fb->shared_fd >= 0)
		close(fb->shared_fd);
	fb->shared_fd = -1;
	fb_flush_delayed(fb, true);
	free(fb->ovr);
	fb->ovr = NULL;
	free(fb->evil);
	fb->evil = NULL;
	crypto_wipe(fb->users, sizeof(fb->users));
	crypto_wipe(fb->kg, sizeof(fb->kg));
	rng_buffer_wipe(&fb->random);
}

/* ---- main loop ---- */

/* Points the receive batch at its buffers (once; recvmmsg() changes only lengths). */
static void
fb_batch_init(struct fb_batch *in)
{
	for (unsigned i = 0; i < FB_BATCH; i++) {
		in->iov[i] = (struct iovec){ in->pkt[i], sizeof(in->pkt[i]) };
		in->msgs[i].msg_hdr.msg_name = &in->peer[i];
		in->msgs[i].msg_hdr.msg_iov = &in->iov[i];
		in->msgs[i].msg_hdr.msg_iovlen = 1;
	}
}

/* --hosts: the BMC a datagram was addressed to, from its IP_PKTINFO; NULL if none. */
static struct fb_port *
fb_port_of(struct fakebmc *fb, struct msghdr *h)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
		struct in_pktinfo pi;
		uint32_t i;

		if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO)
			continue;
		memcpy(&pi, CMSG_DATA(c), sizeof(pi));
		i = ntohl(pi.ipi_addr.s_addr) - fb->ports[0].addr4;
		if (i >= fb->count)
			return NULL;
		fb->src4 = fb->ports[i].addr4;
		return &fb->ports[i];
	}
	return NULL;
}

/*
 * Reads up to FB_BATCH datagrams from p's socket (p NULL: the --hosts
 * socket) and handles them; answers go out together.  Returns how many.
 */
static int
fb_read_port(struct fakebmc *fb, struct fb_port *p)
{
	struct fb_batch *in = &fb->io->in;
	int fd = p != NULL ? p->fd : fb->shared_fd, n;

	for (unsigned i = 0; i < FB_BATCH; i++) {
		in->msgs[i].msg_hdr.msg_namelen = sizeof(in->peer[i]);
		in->msgs[i].msg_hdr.msg_control = fb->hosts ? in->ctl[i].buf : NULL;
		in->msgs[i].msg_hdr.msg_controllen = fb->hosts ? sizeof(in->ctl[i].buf) : 0;
	}
	n = recvmmsg(fd, in->msgs, FB_BATCH, MSG_DONTWAIT, NULL);
	for (int i = 0; i < n; i++) {
		struct msghdr *h = &in->msgs[i].msg_hdr;
		struct fb_port *to = p != NULL ? p : fb_port_of(fb, h);

		if (to != NULL && !(h->msg_flags & MSG_TRUNC))
			fb_packet(fb, to, in->pkt[i], in->msgs[i].msg_len, &in->peer[i],
			          h->msg_namelen);
	}
	fb_flush_out(fb);
	return n;
}

/* Watches every port's socket; the event carries the port. */
static int
fb_epoll_new(struct fakebmc *fb)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0) {
		perror("fakebmc: epoll_create1");
		return -1;
	}
	for (unsigned i = 0; i < (fb->hosts ? 1 : fb->count); i++) {
		/* data: the port, or NULL for the --hosts socket */
		struct epoll_event ev = { .events = EPOLLIN,
			                  .data.ptr = fb->hosts ? NULL : &fb->ports[i] };

		if (epoll_ctl(ep, EPOLL_CTL_ADD, fb->ports[i].fd, &ev) < 0) {
			perror("fakebmc: epoll_ctl");
			close(ep);
			return -1;
		}
	}
	return ep;
}

/*
 * The loop: epoll (only the ports with datagrams are visited, however many
 * there are), held-back replies, and the once-a-second session sweep.
 */
static int
fb_loop(struct fakebmc *fb, const sigset_t *waitmask)
{
	struct epoll_event evs[FB_EVENTS];
	uint64_t next_sweep;
	int ep, rc = 0;

	fb->io = calloc(1, sizeof(*fb->io));
	if (fb->io == NULL || (ep = fb_epoll_new(fb)) < 0) {
		free(fb->io);
		fb->io = NULL;
		return -1;
	}
	fb_batch_init(&fb->io->in);
	fb->now_ms = fb_now_ms();
	next_sweep = fb->now_ms + 1000;
	while (!fb_stop) {
		uint64_t wake = next_sweep;
		int n;

		if (fb->delayed != NULL && fb->delayed->due_ms < wake)
			wake = fb->delayed->due_ms;
		wake = wake > fb->now_ms ? wake - fb->now_ms : 0;
		n = epoll_pwait(ep, evs, FB_EVENTS, (int)(wake > INT_MAX ? INT_MAX : wake),
		                waitmask);
		if (n < 0 && errno != EINTR) {
			perror("fakebmc: epoll_pwait");
			rc = -1;
			break;
		}
		fb->now_ms = fb_now_ms();
		/* One bounded batch per socket keeps hundreds of ports fair; the
		 * --hosts socket, alone, is read while batches come full. */
		for (int i = 0; i < n; i++) {
			struct fb_port *p = evs[i].data.ptr;

			for (int k = 0; k < FB_HOSTS_BATCHES; k++)
				if (fb_read_port(fb, p) < FB_BATCH || p != NULL)
					break;
		}
		if (fb->delayed != NULL) {
			fb_flush_delayed(fb, false);
			fb_flush_out(fb);
		}
		if (fb->now_ms >= next_sweep) {
			fb_sweep(fb);
			fb_flush_out(fb);
			next_sweep = fb->now_ms + 1000;
		}
	}
	close(ep);
	free(fb->io);
	fb->io = NULL;
	return rc;
}

int
main(int argc, char **argv)
{
	struct fakebmc fb;
	struct sigaction sa;
	sigset_t block, waitmask;
	uint8_t seed[8];
	int rc = 1;

	memset(&fb, 0, sizeof(fb));
	fb.addr = "127.0.0.1";
	fb.count = 1;
	fb.delayed_tail = &fb.delayed;
	fb.shared_fd = -1;
	{
		size_t n;
		const struct csuite *all = csuite_all(&n);

		for (size_t i = 0; i < n && i < FB_MAX_SUITES; i++)
			fb.suites[fb.nsuites++] = all[i].id;
	}
	if (fb_options(&fb, argc, argv) < 0) {
		fb_cleanup(&fb);
		return 2;
	}
	if (rng_fill(&rng_system, seed, sizeof(seed)) < 0)
		goto out;
	memcpy(&fb.xs, seed, sizeof(fb.xs));
	fb.xs |= 1;
	fb.rng = rng_buffered(&fb.random);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fb_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	/* Signals are delivered only inside epoll_pwait(): no lost wake-up. */
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);

	if (fb_setup_ports(&fb) < 0)
		goto out;
	if (fb.pidfile != NULL && fb_write_pidfile(fb.pidfile) < 0)
		goto out;
	fb_log(&fb, NULL, "listening on %s ports %u-%u (%zu suites, %zu users)", fb.addr,
	       (unsigned)fb.base_port, (unsigned)(fb.base_port + fb.count - 1), fb.nsuites,
	       fb.nusers);
	rc = fb_loop(&fb, &waitmask) < 0 ? 1 : 0;
	if (fb_stop)
		fb_log(&fb, NULL, "signal %d, exiting", (int)fb_stop);
	if (fb.pidfile != NULL)
		unlink(fb.pidfile);
out:
	fb_cleanup(&fb);
	return rc;
}
