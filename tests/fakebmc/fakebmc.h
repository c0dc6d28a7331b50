/*
 * fakebmc.h - ipmipool's own RMCP+ BMC responder for interoperability tests
 * and benchmarks (tests only, never installed).
 *
 * One process serves one or more UDP ports (one simulated BMC per port), or
 * with --hosts one port on many loopback addresses (one BMC per address,
 * one socket), from a single epoll loop.  The wire work is done by the protocol core's
 * server side (rakp_server_*, lanplus_open/lanplus_seal); this program only
 * keeps the session tables and answers a handful of IPMI commands, and with
 * --evil spoils chosen answers on purpose (fakebmc_evil.c).
 */
#ifndef IPMIPOOL_FAKEBMC_H
#define IPMIPOOL_FAKEBMC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "ipmimsg.h"
#include "lanplus.h"
#include "rakp.h"

#define FB_SLOTS      63 /* sessions per port, like ipmi_sim's LAN channel */
#define FB_IDLE_MS    60000
#define FB_CHANNEL    1 /* our LAN channel number */
#define FB_MAX_SUITES 32
#define FB_MAX_USERS  16
#define FB_MAX_PORTS  4096  /* one socket each */
#define FB_MAX_HOSTS  65536 /* --hosts: one socket for all */
#define FB_BUF        2048
#define FB_PRIV_OEM   5

/* RMCP+ status codes (IPMI v2.0 table 13-15) used by the responder. */
#define FB_ST_OK            0x00
#define FB_ST_NO_RESOURCES  0x01
#define FB_ST_INVALID_AUTH  0x04
#define FB_ST_INVALID_INTEG 0x05
#define FB_ST_INVALID_ROLE  0x09
#define FB_ST_UNAUTH_NAME   0x0d
#define FB_ST_INVALID_ICV   0x0f
#define FB_ST_INVALID_CONF  0x10
#define FB_ST_NO_SUITE      0x11
#define FB_ST_ILLEGAL_PARAM 0x12

struct fb_user {
	char name[RAKP_USER_MAX + 1];
	uint8_t name_len;
	uint8_t pass[RAKP_PASS_MAX];
	uint8_t pass_len;
	uint8_t priv; /* maximum privilege level */
	uint8_t uid;  /* user id reported by Get Session Info */
};

/* One scripted reply: "netfn cmd -> cc data..." or "netfn cmd -> drop". */
struct fb_override {
	uint8_t netfn, cmd;
	bool drop;
	uint8_t len; /* completion code + data */
	uint8_t data[IPMIMSG_MAX_DATA];
};

/* Hostile behaviours (--evil, fakebmc_evil.c), one per port. */
enum fb_evil {
	FB_EVIL_NORMAL,
	FB_EVIL_RAKP2_BAD_CODE,
	FB_EVIL_RAKP2_STATUS_0D,
	FB_EVIL_RAKP4_BAD_ICV,
	FB_EVIL_OPEN_WRONG_SID,
	FB_EVIL_RAKP2_WRONG_SID,
	FB_EVIL_RAKP4_WRONG_SID,
	FB_EVIL_OPEN_BAD_INTEG,
	FB_EVIL_OPEN_BAD_AUTH,
	FB_EVIL_OPEN_BAD_CONF,
	FB_EVIL_PRIV_LOWERED,
	FB_EVIL_OTHER_PORT,
	FB_EVIL_TRUNCATED,
	FB_EVIL_OVERSIZED,
	FB_EVIL_SESSION_WRONG_SID, /* the session_* modes stay last */
	FB_EVIL_SESSION_REPLAY,
	FB_EVIL_SESSION_TRUNCATED,
	FB_EVIL_SESSION_OVERSIZED,
	FB_EVIL_SESSION_GARBAGE,
	FB_EVIL_SESSION_BAD_MAC,
	FB_EVIL_COUNT
};

enum fb_state {
	FB_OPENED, /* Open Session answered, waiting for RAKP1 */
	FB_RAKP2,  /* RAKP2 sent, waiting for RAKP3 */
	FB_ACTIVE, /* RAKP4 sent: in-session messages accepted */
};

struct fb_sess {
	enum fb_state state;
	uint8_t handle; /* slot + 1 */
	struct sockaddr_storage peer;
	socklen_t peer_len;
	const struct fb_user *user;
	uint8_t open_priv; /* requested in Open Session (0 = highest) */
	uint8_t max_priv;  /* granted in RAKP1 */
	uint8_t priv;      /* current operating privilege */
	uint64_t last_ms;
	struct rakp_hs hs; /* kept for retransmitted RAKP3; wiped on close */
	struct lanplus_sess lp;
	uint8_t *replay; /* --evil session_replay: the first answer sent */
	size_t replay_len;
};

struct fb_port {
	int fd; /* with --hosts, the one socket all BMCs share */
	uint16_t port;
	uint32_t addr4; /* with --hosts, this BMC's IPv4 address (host order) */
	unsigned index;
	uint8_t guid[RAKP_GUID_LEN];
	bool power_on;
	enum fb_evil evil;
	int alt_fd;        /* --evil other_port: answers leave from here, else -1 */
	uint16_t alt_port; /* its port number */
	unsigned nsess;
	struct fb_sess *sess[FB_SLOTS];
};

/* A reply held back by --delay-ms. */
struct fb_delayed {
	struct fb_delayed *next;
	uint64_t due_ms;
	int fd;
	uint32_t src4; /* --hosts: the source address */
	struct sockaddr_storage peer;
	socklen_t peer_len;
	size_t len;
	uint8_t pkt[];
};

struct fb_io;

struct fakebmc {
	/* configuration */
	const char *addr;
	uint16_t base_port;
	unsigned count;
	uint8_t suites[FB_MAX_SUITES];
	size_t nsuites;
	uint8_t guid[RAKP_GUID_LEN];
	bool guid_set;
	struct fb_user users[FB_MAX_USERS];
	size_t nusers;
	uint8_t kg[RAKP_KG_MAX];
	size_t kg_len;
	const char *pidfile;
	bool quiet, fast;
	bool hosts; /* --hosts: BMC i at address addr + i, all on base_port */
	struct fb_override *ovr;
	size_t novr;
	double drop_rate;
	unsigned delay_ms;
	enum fb_evil *evil; /* --evil: modes of the first nevil ports */
	size_t nevil;
	/* state */
	struct fb_port *ports;
	struct fb_delayed *delayed, **delayed_tail;
	struct fb_io *io;         /* datagram batches (fakebmc.c) */
	int shared_fd;            /* --hosts: the socket of every BMC, else -1 */
	uint32_t src4;            /* --hosts: the address answers now leave from */
	struct rng_buffer random; /* behind rng: IVs, session ids, nonces */
	struct rng rng;
	uint64_t now_ms;
	uint64_t xs; /* xorshift state for --drop-rate */
};

/* Request context handed to the command handlers. */
struct fb_ctx {
	struct fakebmc *fb;
	struct fb_port *port;
	struct fb_sess *sess; /* NULL outside a session */
	bool close_self;      /* set by Close Session of the caller's own session */
};

/* fakebmc.c */
void fb_log(const struct fakebmc *fb, const struct fb_port *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *fb_priv_name(uint8_t priv);
bool fb_suite_ok(const struct fakebmc *fb, uint8_t id);
/* Calls add() for each item of a comma or space separated option value;
 * -1 (with a message) at the first refusal or for an empty list. */
int fb_parse_list(struct fakebmc *fb, const char *opt, const char *list,
                  int (*add)(struct fakebmc *fb, const char *item));
void fb_sess_close(struct fakebmc *fb, struct fb_port *p, struct fb_sess *s, const char *why);
void fb_send(struct fakebmc *fb, struct fb_port *p, const struct sockaddr_storage *peer,
             socklen_t peer_len, const uint8_t *pkt, size_t len);
void fb_send_fd(struct fakebmc *fb, int fd, const struct sockaddr_storage *peer, socklen_t peer_len,
                const uint8_t *pkt, size_t len);

/* fakebmc_sess.c: the RMCP+ session layer. */
void fb_rmcpplus(struct fakebmc *fb, struct fb_port *p, const uint8_t *pkt, size_t len,
                 const struct sockaddr_storage *peer, socklen_t peer_len);
void fb_lan15(struct fakebmc *fb, struct fb_port *p, const uint8_t *pkt, size_t len,
              const struct sockaddr_storage *peer, socklen_t peer_len);

/* fakebmc_cmds.c: IPMI commands.  Returns the response length (completion
 * code first) written to rsp, or -1 for no reply. */
int fb_command(struct fb_ctx *c, const struct ipmimsg *req, uint8_t *rsp, size_t cap);
int fb_load_script(struct fakebmc *fb, const char *path);
int fb_load_users(struct fakebmc *fb, const char *path);
void fb_default_users(struct fakebmc *fb);
int fb_parse_hex(const char *s, uint8_t *out, size_t max);

/* fakebmc_evil.c: --evil.  Each hook does nothing unless its port runs the
 * matching mode; fb_evil_send and fb_evil_reply return true when they sent
 * (or deliberately dropped) the answer themselves. */
const char *fb_evil_name(enum fb_evil e);
void fb_evil_list(FILE *f);
int fb_evil_parse(struct fakebmc *fb, const char *list);
void fb_evil_open(struct fakebmc *fb, struct fb_port *p, struct rakp_open_rsp *rs);
void fb_evil_rakp2(struct fakebmc *fb, struct fb_port *p, struct rakp_msg2 *r2);
void fb_evil_rakp4(struct fakebmc *fb, struct fb_port *p, struct rakp_msg4 *r4);
size_t fb_evil_setup_len(struct fakebmc *fb, struct fb_port *p, uint8_t type, size_t len);
uint8_t fb_evil_priv(struct fb_ctx *c, uint8_t want);
bool fb_evil_send(struct fakebmc *fb, struct fb_port *p, const struct sockaddr_storage *peer,
                  socklen_t peer_len, const uint8_t *pkt, size_t len);
bool fb_evil_reply(struct fakebmc *fb, struct fb_port *p, struct fb_sess *s,
                   const struct ipmimsg *req, const uint8_t *msg, size_t len,
                   const struct sockaddr_storage *peer, socklen_t peer_len);

#endif
