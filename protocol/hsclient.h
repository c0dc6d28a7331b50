/*
 * hsclient.h - the console side of RMCP+ session establishment as a
 * sans-I/O state machine:
 *
 *   AUTHCAPS --> OPEN --> RAKP1 --> RAKP3 --> PRIV --> DONE
 *   (Get Channel   (Open    (RAKP2    (RAKP4    (Set Session
 *    Auth Caps)    Session)  verified) verified) Privilege Level)
 *
 * The caller moves the bytes: hsclient_start() yields the first packet,
 * hsclient_input() consumes each datagram from the BMC and yields the next
 * packet, until HSCLIENT_DONE, when the established session is in
 * h->sess.  Retransmission is the caller's: hsclient_retransmit() gives the
 * last packet again.  Any refusal or failed verification is final and
 * recorded in h->err / h->status / h->stage for an exact reason.
 */
#ifndef IPMIPOOL_HSCLIENT_H
#define IPMIPOOL_HSCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lanplus.h"
#include "rakp.h"

enum hsclient_stage {
	HSCLIENT_AUTHCAPS,
	HSCLIENT_OPEN,
	HSCLIENT_RAKP1,
	HSCLIENT_RAKP3,
	HSCLIENT_PRIV,
	HSCLIENT_ESTABLISHED,
};

enum hsclient_result {
	HSCLIENT_IGNORED = 0, /* not for this handshake (stale, foreign): keep waiting */
	HSCLIENT_SEND = 1,    /* send the packet written to out */
	HSCLIENT_DONE = 2,    /* established: h->sess is ready */
};

#define HSCLIENT_PKT_MAX 160

struct hsclient {
	enum hsclient_stage stage;
	struct rakp_hs hs;
	struct rakp_open_req open;
	struct rakp_msg1 msg1;
	struct rakp_msg3 msg3;
	struct lanplus_sess sess;
	uint8_t priv;   /* requested privilege level */
	uint8_t rq_seq; /* IPMI rqSeq used for the two IPMI commands */
	bool skip_authcaps;
	int err;        /* IPMI_E_* of the failure, 0 while fine */
	uint8_t status; /* RMCP+ status or completion code the BMC returned */
	uint8_t last[HSCLIENT_PKT_MAX];
	size_t last_len;
};

/*
 * Prepares a handshake.  creds are copied (wiped by hsclient_clear).
 * console_sid must be non-zero; priv 1..4; name_only sets RAKP1's lookup bit.
 */
int hsclient_init(struct hsclient *h, const struct csuite *cs, const struct rakp_creds *creds,
                  uint8_t priv, bool name_only, uint32_t console_sid, bool skip_authcaps);
/* Wipes everything, including the session unless it was moved out. */
void hsclient_clear(struct hsclient *h);

/* First packet; returns its length. */
int hsclient_start(struct hsclient *h, const struct rng *rng, uint8_t *out, size_t cap);

/* One datagram in; returns enum hsclient_result or a negative error. */
int hsclient_input(struct hsclient *h, const uint8_t *pkt, size_t len, const struct rng *rng,
                   uint8_t *out, size_t cap, size_t *out_len);

/*
 * The packet to send again after a timeout: the last one as it was, except
 * for the in-session Set Session Privilege Level, which is sealed anew with
 * the next session sequence number (a BMC may drop a repeated one).
 * Returns its length.
 */
int hsclient_retransmit(struct hsclient *h, const struct rng *rng, uint8_t *out, size_t cap);

/* Moves the established session out (h no longer owns it). */
void hsclient_take_session(struct hsclient *h, struct lanplus_sess *dst);

/* One-line reason for the failure ("unknown user name (RAKP2 status 0x0d)"). */
const char *hsclient_reason(const struct hsclient *h, char *buf, size_t len);
/* True when the failure is about credentials or privilege (-32003 material). */
bool hsclient_is_auth_failure(const struct hsclient *h);

#endif
