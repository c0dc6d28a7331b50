/*
 * fakepeer.h - an in-memory BMC for the state machine tests (test_bmc.c).
 *
 * The BMC side of the protocol core (rakp_server_*, lanplus_sess_init with
 * console=false, lanmsg_open/lanmsg_seal, lan15) answering the datagrams a
 * console sends: Get Channel Authentication Capabilities and Get Channel
 * Cipher Suites before any session, Open Session and RAKP 1-4, then IPMI
 * requests in the session.  No I/O and no clock: fp_input() takes one
 * datagram and returns the answers; the caller moves them.  Knobs make it
 * misbehave (silence per step, refusals, downgrade, wrong password, ...);
 * everything it saw is logged for the tests to inspect.
 */
#ifndef IPMIPOOL_FAKEPEER_H
#define IPMIPOOL_FAKEPEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipmimsg.h"
#include "lanplus.h"
#include "rakp.h"
#include "rng.h"

/* Steps the peer can be told to ignore (bit mask for fp.silent_steps). */
#define FP_AUTHCAPS (1u << 0) /* pre-session Get Channel Auth Caps */
#define FP_CIPHERS  (1u << 1) /* pre-session Get Channel Cipher Suites */
#define FP_OPEN     (1u << 2)
#define FP_RAKP1    (1u << 3)
#define FP_RAKP3    (1u << 4)
#define FP_PRIV     (1u << 5) /* Set Session Privilege Level (in session) */
#define FP_SESSION  (1u << 6) /* every other in-session request */
#define FP_ALL      0xffffffffu

#define FP_MAX_OUT  4
#define FP_LOG_MAX  2048
#define FP_OPEN_MAX 64

enum fp_bridge_mode {
	FP_BRIDGE_EMBEDDED, /* target answer inside the Send Message response */
	FP_BRIDGE_SEPARATE, /* empty Send Message response, then the answer (ipmi_sim) */
};

struct fp_pkt {
	uint8_t b[LANPLUS_MAX_PKT];
	size_t len;
};

/* One in-session IPMI request the peer accepted (retransmissions included). */
struct fp_req {
	uint32_t sess_seq; /* session sequence number of the packet */
	uint32_t sid;      /* session id it was addressed to (the BMC's) */
	uint8_t netfn, cmd, seq, lun;
	uint8_t data[IPMIMSG_MAX_DATA];
	size_t data_len;
	bool bridged; /* Send Message: target fields below */
	uint8_t t_addr, t_channel, t_netfn, t_cmd;
	bool answered;
};

struct fakepeer {
	/* ---- knobs ---- */
	char user[RAKP_USER_MAX + 1];
	uint8_t pass[RAKP_PASS_MAX]; /* the password the BMC computes RAKP2 with */
	size_t pass_len;
	uint32_t accept;      /* bit per suite id (< 32) the BMC accepts */
	uint8_t open_refuse;  /* status for a suite not accepted; 0: ignore it */
	int downgrade_to;     /* >= 0: answer Open Session with this suite's algorithms */
	uint8_t rakp2_status; /* non-zero: refuse RAKP1 with this status */
	int grant_priv;       /* -1: grant what is asked; else this level */
	uint8_t listed[64];   /* Get Channel Cipher Suites list */
	size_t n_listed;
	uint8_t list_cc;            /* non-zero: refuse the listing with this code */
	uint32_t silent_steps;      /* FP_* steps to ignore */
	unsigned drop_priv_answers; /* process Set Session Priv, lose this many answers */
	bool hold;                  /* in-session requests wait for fp_release() */
	int drop_cmd;               /* >= 0: leave requests with this cmd unanswered ... */
	int drop_times;             /* ... this many times (-1: always) */
	enum fp_bridge_mode bridge_mode;
	double delay; /* transport: answers arrive this much later (used by the world) */

	/* ---- state ---- */
	struct rng rng;
	uint64_t rng_state;
	bool in_hs;
	struct rakp_hs hs;
	struct lanplus_sess sess;
	bool have_sess;
	uint32_t next_sid;

	/* ---- what it saw ---- */
	unsigned n_authcaps, n_ciphers, n_open, n_rakp1, n_rakp3, n_priv, n_close;
	unsigned n_keepalive;             /* Get Channel Auth Caps inside a session */
	unsigned n_rejected;              /* session packets lanmsg_open refused */
	unsigned n_unknown_sid;           /* session packets for no (or a forgotten) session */
	uint8_t cipher_idx[64];           /* list indexes asked, in order */
	uint8_t open_suites[FP_OPEN_MAX]; /* suites proposed in Open Session, in order */
	uint8_t open_priv;                /* privilege in the last Open Session Request */
	uint8_t priv_asked;               /* data of the last Set Session Privilege Level */
	uint32_t close_sid;               /* data of the last Close Session */
	uint32_t last_sid;                /* BMC session id of the last session set up */
	struct fp_req log[FP_LOG_MAX];
	size_t n_log;
};

/* A peer with user admin / password adminpass accepting suites 0-3, 17. */
struct fakepeer *fp_new(uint64_t seed);
void fp_free(struct fakepeer *p);
/* Sets the password the BMC side uses. */
void fp_set_pass(struct fakepeer *p, const char *pass);
/* Sets the cipher suite list (and accepts exactly those suites). */
void fp_set_suites(struct fakepeer *p, const uint8_t *ids, size_t n);

/* One datagram from the console; answers go to out (up to FP_MAX_OUT). */
size_t fp_input(struct fakepeer *p, const uint8_t *pkt, size_t len, struct fp_pkt *out);

/* The answer to logged request i (as fp_input would have sent it); count. */
size_t fp_release(struct fakepeer *p, size_t i, struct fp_pkt *out);

/* A BMC restart: the session is forgotten (its packets go unanswered). */
void fp_restart(struct fakepeer *p);

/* Index of the n-th (0-based) logged request with this cmd, or -1. */
long fp_find(const struct fakepeer *p, uint8_t cmd, unsigned n);
/* How many logged requests have this cmd. */
unsigned fp_count(const struct fakepeer *p, uint8_t cmd);

/* The generic answer data for a request (cc 0, A5h, cmd, then the request data). */
size_t fp_generic_answer(uint8_t cmd, const uint8_t *data, size_t len, uint8_t *out);

#endif
