/*
 * fakebmc_sess.c - the responder's session layer: IPMI v1.5 pre-session
 * messages, RMCP+ Open Session and RAKP 1-4 (through the protocol core's
 * rakp_server_* functions), and in-session messages through
 * lanplus_open/lanplus_seal with each session's own replay window.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakebmc.h"
#include "ipmierr.h"
#include "lan15.h"
#include "rng.h"

static bool
fb_same_peer(const struct fb_sess *s, const struct sockaddr_storage *peer, socklen_t peer_len)
{
	if (s->peer.ss_family != peer->ss_family)
		return false;
	if (peer->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&s->peer;
		const struct sockaddr_in *b = (const struct sockaddr_in *)peer;

		return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
	}
	if (peer->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&s->peer;
		const struct sockaddr_in6 *b = (const struct sockaddr_in6 *)peer;

		return a->sin6_port == b->sin6_port &&
		       memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr)) == 0;
	}
	return s->peer_len == peer_len && memcmp(&s->peer, peer, peer_len) == 0;
}

static void
fb_peer_str(const struct sockaddr_storage *peer, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	if (peer->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)peer;

		inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
		port = ntohs(sin->sin_port);
	} else if (peer->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)peer;

		inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a));
		port = ntohs(sin6->sin6_port);
	}
	snprintf(buf, cap, peer->ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}

static struct fb_sess *
fb_find(struct fb_port *p, uint32_t bmc_sid)
{
	if (bmc_sid == 0)
		return NULL;
	for (unsigned k = 0; k < FB_SLOTS; k++)
		if (p->sess[k] != NULL && p->sess[k]->hs.bmc_sid == bmc_sid)
			return p->sess[k];
	return NULL;
}

/* A new session in a free slot; when full, the oldest handshake gives way. */
static struct fb_sess *
fb_sess_new(struct fakebmc *fb, struct fb_port *p)
{
	struct fb_sess *s, *oldest = NULL;
	unsigned slot = FB_SLOTS;
	uint32_t sid = 0;

	for (unsigned k = 0; k < FB_SLOTS && slot == FB_SLOTS; k++) {
		if (p->sess[k] == NULL)
			slot = k;
		else if (p->sess[k]->state != FB_ACTIVE &&
		         (oldest == NULL || p->sess[k]->last_ms < oldest->last_ms))
			oldest = p->sess[k];
	}
	if (slot == FB_SLOTS) {
		if (oldest == NULL)
			return NULL;
		slot = (unsigned)oldest->handle - 1;
		fb_sess_close(fb, p, oldest, "evicted");
	}
	do {
		uint8_t b[4];

		if (rng_fill(&fb->rng, b, sizeof(b)) < 0)
			return NULL;
		sid = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		      (uint32_t)b[3] << 24;
	} while (sid == 0 || fb_find(p, sid) != NULL);
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	if (rng_fill(&fb->rng, s->hs.rc, RAKP_RAND_LEN) < 0) {
		free(s);
		return NULL;
	}
	s->hs.bmc_sid = sid;
	memcpy(s->hs.guid, p->guid, RAKP_GUID_LEN);
	s->handle = (uint8_t)(slot + 1);
	s->last_ms = fb->now_ms;
	p->sess[slot] = s;
	p->nsess++;
	return s;
}

/* Frames the response to req (rsp = completion code + data) into out. */
static int
fb_frame_response(const struct ipmimsg *req, const uint8_t *rsp, size_t n, uint8_t *out, size_t cap)
{
	struct ipmimsg m = {
		.dst_addr = req->src_addr,
		.netfn = (uint8_t)(req->netfn | 1),
		.dst_lun = req->src_lun,
		.src_addr = req->dst_addr,
		.seq = req->seq,
		.src_lun = req->dst_lun,
		.cmd = req->cmd,
		.data = rsp,
		.data_len = n,
	};
	struct wire_wr w = wire_wr_make(out, cap);

	return ipmimsg_encode(&m, &w);
}

/*
 * A session-less IPMI request (v1.5 wrapper or RMCP+ with session id 0):
 * returns the framed response length, or -1 for no reply.
 */
static int
fb_presession(struct fakebmc *fb, struct fb_port *p, const uint8_t *msg, size_t len, uint8_t *out,
              size_t cap)
{
	struct fb_ctx c = { .fb = fb, .port = p, .sess = NULL, .close_self = false };
	uint8_t rsp[IPMIMSG_MAX_DATA];
	struct ipmimsg req;
	int n;

	if (ipmimsg_decode(msg, len, &req) < 0 || ipmimsg_is_response(&req))
		return -1;
	n = fb_command(&c, &req, rsp, sizeof(rsp));
	if (n < 0)
		return -1;
	return fb_frame_response(&req, rsp, (size_t)n, out, cap);
}

void
fb_lan15(struct fakebmc *fb, struct fb_port *p, const uint8_t *pkt, size_t len,
         const struct sockaddr_storage *peer, socklen_t peer_len)
{
	uint8_t msg[IPMIMSG_MAX_LEN], out[FB_BUF];
	const uint8_t *in;
	size_t in_len;
	int n;

	/* Only the unauthenticated pre-session form: auth type none, id 0. */
	if (lan15_decode(pkt, len, &in, &in_len) < 0 || pkt[4] != LAN15_AUTH_NONE ||
	    (pkt[9] | pkt[10] | pkt[11] | pkt[12]) != 0)
		return;
	n = fb_presession(fb, p, in, in_len, msg, sizeof(msg));
	if (n < 0)
		return;
	n = lan15_encode(msg, (size_t)n, out, sizeof(out));
	if (n > 0)
		fb_send(fb, p, peer, peer_len, out, (size_t)n);
}

/* ---- session set-up ---- */

static void
fb_send_setup(struct fakebmc *fb, struct fb_port *p, const struct sockaddr_storage *peer,
              socklen_t peer_len, uint8_t type, const uint8_t *payload, size_t len)
{
	uint8_t out[FB_BUF];
	int n;

	len = fb_evil_setup_len(fb, p, type, len);
	n = lanplus_encode_setup(type, payload, len, out, sizeof(out));
	if (n > 0)
		fb_send(fb, p, peer, peer_len, out, (size_t)n);
}

/*
 * The status for a proposal: the first algorithm that no accepted suite
 * (with the algorithms before it) speaks is the one reported invalid.
 */
static uint8_t
fb_check_algs(const struct fakebmc *fb, const struct rakp_open_req *rq)
{
	bool auth = false, integ = false, conf = false;

	for (size_t i = 0; i < fb->nsuites; i++) {
		const struct csuite *cs = csuite_by_id(fb->suites[i]);

		if (cs == NULL || cs->auth != rq->auth)
			continue;
		auth = true;
		if (cs->integ != rq->integ)
			continue;
		integ = true;
		if (cs->conf == rq->conf)
			conf = true;
	}
	if (!auth)
		return FB_ST_INVALID_AUTH;
	if (!integ)
		return FB_ST_INVALID_INTEG;
	return conf ? FB_ST_OK : FB_ST_INVALID_CONF;
}

static void
fb_open_session(struct fakebmc *fb, struct fb_port *p, const uint8_t *pl, size_t len,
                const struct sockaddr_storage *peer, socklen_t peer_len)
{
	struct rakp_open_req rq;
	struct rakp_open_rsp rs;
	struct fb_sess *s = NULL;
	uint8_t buf[64];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));

	memset(&rs, 0, sizeof(rs));
	if (rakp_decode_open_req(pl, len, &rq) < 0) {
		if (len < 8)
			return;
		memset(&rq, 0, sizeof(rq));
		rq.tag = pl[0];
		rq.console_sid = (uint32_t)pl[4] | (uint32_t)pl[5] << 8 | (uint32_t)pl[6] << 16 |
		                 (uint32_t)pl[7] << 24;
		rs.status = FB_ST_ILLEGAL_PARAM;
	} else if (rq.priv > IPMI_PRIV_ADMIN) {
		rs.status = FB_ST_INVALID_ROLE;
	} else if (rq.console_sid == 0) {
		rs.status = FB_ST_ILLEGAL_PARAM;
	} else {
		rs.status = fb_check_algs(fb, &rq);
	}
	if (rs.status == FB_ST_OK) {
		s = fb_sess_new(fb, p);
		if (s == NULL)
			rs.status = FB_ST_NO_RESOURCES;
	}
	rs.tag = rq.tag;
	rs.priv = rq.priv != 0 ? rq.priv : IPMI_PRIV_ADMIN;
	rs.console_sid = rq.console_sid;
	if (s != NULL) {
		s->hs.cs = csuite_by_algs(rq.auth, rq.integ, rq.conf);
		s->hs.console_sid = rq.console_sid;
		s->open_priv = rq.priv;
		s->peer = *peer;
		s->peer_len = peer_len;
		s->state = FB_OPENED;
		rs.bmc_sid = s->hs.bmc_sid;
		rs.auth = rq.auth;
		rs.integ = rq.integ;
		rs.conf = rq.conf;
	} else if (!fb->quiet) {
		char who[80];

		fb_peer_str(peer, who, sizeof(who));
		fb_log(fb, p, "open session from %s refused: status 0x%02x", who, rs.status);
	}
	fb_evil_open(fb, p, &rs);
	if (rakp_encode_open_rsp(&rs, &w) > 0)
		fb_send_setup(fb, p, peer, peer_len, RAKP_PT_OPEN_RSP, buf, w.len);
}

static const struct fb_user *
fb_user_by_name(const struct fakebmc *fb, const uint8_t *name, size_t len)
{
	for (size_t i = 0; i < fb->nusers; i++)
		if (fb->users[i].name_len == len && memcmp(fb->users[i].name, name, len) == 0)
			return &fb->users[i];
	return NULL;
}

static void
fb_rakp1(struct fakebmc *fb, struct fb_port *p, const uint8_t *pl, size_t len,
         const struct sockaddr_storage *peer, socklen_t peer_len)
{
	struct rakp_msg1 m;
	struct rakp_msg2 r2;
	struct fb_sess *s;
	const struct fb_user *u = NULL;
	uint8_t buf[128], role, want = 0;
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));

	if (rakp_decode_msg1(pl, len, &m) < 0)
		return;
	s = fb_find(p, m.bmc_sid);
	if (s == NULL || s->state == FB_ACTIVE || !fb_same_peer(s, peer, peer_len))
		return;
	s->last_ms = fb->now_ms;
	memset(&r2, 0, sizeof(r2));
	r2.tag = m.tag;
	r2.console_sid = s->hs.console_sid;
	role = m.role & 0x0f;
	/*
	 * Name-only lookup (bit 4 set) finds the user by name; role lookup
	 * by name and privilege.  User names are unique and there are no
	 * null users, so both refuse the same requests: an unknown name, or
	 * a role above the user's maximum (0Dh, as a real BMC's search comes
	 * back empty).  Role 0 (reserved) is taken as the user's maximum.
	 */
	if (m.user_len > 0)
		u = fb_user_by_name(fb, m.user, m.user_len);
	if (u == NULL) {
		r2.status = FB_ST_UNAUTH_NAME;
	} else if (role > IPMI_PRIV_ADMIN || (m.role & 0xe0) != 0) {
		r2.status = FB_ST_INVALID_ROLE;
	} else {
		want = role != 0 ? role : u->priv;
		if (want > u->priv)
			r2.status = FB_ST_UNAUTH_NAME;
	}
	if (r2.status == FB_ST_OK &&
	    (rakp_creds_set(&s->hs.creds, u->name, u->pass, u->pass_len,
	                    fb->kg_len > 0 ? fb->kg : NULL, fb->kg_len) < 0 ||
	     rakp_server_rakp2(&s->hs, &m, &r2) < 0))
		r2.status = FB_ST_NO_RESOURCES;
	fb_evil_rakp2(fb, p, &r2);
	if (r2.status != FB_ST_OK) {
		uint8_t st = r2.status;

		if (!fb->quiet) {
			char who[80];

			fb_peer_str(peer, who, sizeof(who));
			fb_log(fb, p, "RAKP1 from %s refused: status 0x%02x (user '%.*s', role %s)",
			       who, st, (int)m.user_len, (const char *)m.user, fb_priv_name(role));
		}
		memset(&r2, 0, sizeof(r2));
		r2.tag = m.tag;
		r2.status = st;
		r2.console_sid = s->hs.console_sid;
		fb_sess_close(fb, p, s, "RAKP1 refused");
	} else {
		s->user = u;
		s->max_priv = want;
		s->state = FB_RAKP2;
	}
	if (rakp_encode_msg2(&r2, &w) > 0)
		fb_send_setup(fb, p, peer, peer_len, RAKP_PT_RAKP2, buf, w.len);
	crypto_wipe(&r2, sizeof(r2));
}

static void
fb_rakp3(struct fakebmc *fb, struct fb_port *p, const uint8_t *pl, size_t len,
         const struct sockaddr_storage *peer, socklen_t peer_len)
{
	struct rakp_msg3 m;
	struct rakp_msg4 r4;
	struct fb_sess *s;
	uint8_t buf[128];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));
	int rc;

	if (rakp_decode_msg3(pl, len, &m) < 0)
		return;
	s = fb_find(p, m.bmc_sid);
	if (s == NULL || s->state == FB_OPENED || !fb_same_peer(s, peer, peer_len))
		return;
	rc = rakp_server_rakp3(&s->hs, &m);
	if (s->state == FB_ACTIVE) {
		/* A retransmitted RAKP3 (our RAKP4 was lost): answer it again. */
		if (rc == 0 && rakp_server_rakp4(&s->hs, m.tag, &r4) == 0) {
			fb_evil_rakp4(fb, p, &r4);
			if (rakp_encode_msg4(&r4, &w) > 0)
				fb_send_setup(fb, p, peer, peer_len, RAKP_PT_RAKP4, buf, w.len);
		}
		return;
	}
	s->last_ms = fb->now_ms;
	if (rc == IPMI_E_STATUS) {
		/* The console gave up (e.g. our RAKP2 code did not verify). */
		fb_log(fb, p, "session 0x%08x: console aborted in RAKP3 (status 0x%02x)",
		       (unsigned)s->hs.bmc_sid, m.status);
		fb_sess_close(fb, p, s, "RAKP3 abort");
		return;
	}
	if (rc == 0 && (rc = rakp_server_rakp4(&s->hs, m.tag, &r4)) == 0)
		rc = lanplus_sess_init(&s->lp, &s->hs, false);
	if (rc < 0) {
		memset(&r4, 0, sizeof(r4));
		r4.tag = m.tag;
		r4.status = FB_ST_INVALID_ICV;
		r4.console_sid = s->hs.console_sid;
		fb_log(fb, p, "session 0x%08x: RAKP3 rejected for user '%s' (%s)",
		       (unsigned)s->hs.bmc_sid, s->user->name, ipmierr_str(rc));
		fb_sess_close(fb, p, s, "RAKP3 rejected");
	} else {
		s->state = FB_ACTIVE;
		s->priv = s->max_priv < IPMI_PRIV_USER ? s->max_priv : IPMI_PRIV_USER;
		if (!fb->quiet) {
			char who[80];

			fb_peer_str(peer, who, sizeof(who));
			fb_log(fb, p, "session 0x%08x open: user '%s' max %s, suite %u, from %s",
			       (unsigned)s->hs.bmc_sid, s->user->name, fb_priv_name(s->max_priv),
			       (unsigned)s->hs.cs->id, who);
		}
	}
	fb_evil_rakp4(fb, p, &r4);
	if (rakp_encode_msg4(&r4, &w) > 0)
		fb_send_setup(fb, p, peer, peer_len, RAKP_PT_RAKP4, buf, w.len);
	crypto_wipe(&r4, sizeof(r4));
}

static void
fb_in_session(struct fakebmc *fb, struct fb_port *p, uint32_t sid, const uint8_t *pkt, size_t len,
              const struct sockaddr_storage *peer, socklen_t peer_len)
{
	struct fb_sess *s = fb_find(p, sid);
	struct fb_ctx c = { .fb = fb, .port = p, .sess = s, .close_self = false };
	uint8_t plain[FB_BUF], rsp[IPMIMSG_MAX_DATA], msg[IPMIMSG_MAX_LEN], out[FB_BUF];
	struct ipmimsg req;
	uint8_t pt;
	int n;

	if (s == NULL || s->state != FB_ACTIVE || !fb_same_peer(s, peer, peer_len))
		return;
	n = lanplus_open(&s->lp, pkt, len, &pt, plain, sizeof(plain));
	if (n < 0 || pt != LANPLUS_PT_IPMI)
		return;
	if (ipmimsg_decode(plain, (size_t)n, &req) < 0 || ipmimsg_is_response(&req))
		return;
	s->last_ms = fb->now_ms;
	n = fb_command(&c, &req, rsp, sizeof(rsp));
	if (n >= 0)
		n = fb_frame_response(&req, rsp, (size_t)n, msg, sizeof(msg));
	if (n >= 0 && fb_evil_reply(fb, p, s, &req, msg, (size_t)n, peer, peer_len))
		n = -1; /* sent (or dropped) the hostile way */
	if (n >= 0)
		n = lanplus_seal(&s->lp, LANPLUS_PT_IPMI, msg, (size_t)n, &fb->rng, out,
		                 sizeof(out), NULL);
	if (n > 0)
		fb_send(fb, p, peer, peer_len, out, (size_t)n);
	if (c.close_self)
		fb_sess_close(fb, p, s, "Close Session");
}

void
fb_rmcpplus(struct fakebmc *fb, struct fb_port *p, const uint8_t *pkt, size_t len,
            const struct sockaddr_storage *peer, socklen_t peer_len)
{
	struct lanplus_hdr h;
	const uint8_t *pl;
	size_t pl_len;
	uint8_t type, msg[IPMIMSG_MAX_LEN];
	int n;

	if (lanplus_parse_header(pkt, len, &h) < 0)
		return;
	if (h.session_id != 0) {
		fb_in_session(fb, p, h.session_id, pkt, len, peer, peer_len);
		return;
	}
	if (h.payload_type == LANPLUS_PT_IPMI) {
		/* Session-less IPMI message in the RMCP+ format. */
		if (h.encrypted || h.authenticated ||
		    LANPLUS_HDR_LEN + (size_t)h.payload_len != len)
			return;
		n = fb_presession(fb, p, pkt + LANPLUS_HDR_LEN, h.payload_len, msg, sizeof(msg));
		if (n > 0)
			fb_send_setup(fb, p, peer, peer_len, LANPLUS_PT_IPMI, msg, (size_t)n);
		return;
	}
	if (lanplus_decode_setup(pkt, len, &type, &pl, &pl_len) < 0)
		return;
	switch (type) {
	case RAKP_PT_OPEN_REQ:
		fb_open_session(fb, p, pl, pl_len, peer, peer_len);
		break;
	case RAKP_PT_RAKP1:
		fb_rakp1(fb, p, pl, pl_len, peer, peer_len);
		break;
	case RAKP_PT_RAKP3:
		fb_rakp3(fb, p, pl, pl_len, peer, peer_len);
		break;
	default:
		break;
	}
}
