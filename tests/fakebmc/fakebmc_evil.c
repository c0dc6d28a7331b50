/*
 * fakebmc_evil.c - hostile BMC behaviours (--evil), one mode per port, for
 * the fault tests (tests/faults/test_hostile_bmc.py).
 *
 * Every mode lets the protocol core build the correct packet first and then
 * spoils it in one way: a flipped byte of the RAKP2 code or the RAKP4 ICV, a
 * wrong status or console session id, algorithms the console did not
 * propose, a lowered privilege, another source port, cut or padded
 * datagrams, and in session replays, garbage and bad AuthCodes.  The hooks
 * below are called from fakebmc.c, fakebmc_sess.c and fakebmc_cmds.c; each
 * does nothing unless its port runs the matching mode.  Every misbehaviour
 * is logged (never a key or password).
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakebmc.h"
#include "rng.h"

#define FB_EVIL_JUNK        3000 /* bytes appended by oversized modes */
#define FB_EVIL_CLAIMED     2000 /* payload length session_oversized claims */
#define FB_EVIL_CUT         7    /* bytes session_truncated removes */
#define FB_EVIL_GARBAGE_MAX 200  /* random bytes after session_garbage's header */

struct fb_evil_mode {
	const char *name;
	const char *what;
};

static const struct fb_evil_mode fb_evil_modes[FB_EVIL_COUNT] = {
	[FB_EVIL_NORMAL] = { "normal", "nothing: a well-behaved BMC" },
	[FB_EVIL_RAKP2_BAD_CODE] = { "rakp2_bad_code",
	                             "RAKP2 key exchange code, one byte flipped" },
	[FB_EVIL_RAKP2_STATUS_0D] = { "rakp2_status_0d", "RAKP2 status 0Dh (unauthorized name)" },
	[FB_EVIL_RAKP4_BAD_ICV] = { "rakp4_bad_icv",
	                            "RAKP4 integrity check value, one byte flipped" },
	[FB_EVIL_OPEN_WRONG_SID] = { "open_wrong_sid", "Open Session Response, wrong console sid" },
	[FB_EVIL_RAKP2_WRONG_SID] = { "rakp2_wrong_sid", "RAKP2 for a wrong console session id" },
	[FB_EVIL_RAKP4_WRONG_SID] = { "rakp4_wrong_sid", "RAKP4 for a wrong console session id" },
	[FB_EVIL_OPEN_BAD_INTEG] = { "open_bad_integ",
	                             "Open Session picks integrity none (or SHA1-96)" },
	[FB_EVIL_OPEN_BAD_AUTH] = { "open_bad_auth", "Open Session picks RAKP-HMAC-MD5 (or SHA1)" },
	[FB_EVIL_OPEN_BAD_CONF] = { "open_bad_conf",
	                            "Open Session picks AES when not offered, or none" },
	[FB_EVIL_PRIV_LOWERED] = { "priv_lowered", "Set Session Privilege Level grants only USER" },
	[FB_EVIL_OTHER_PORT] = { "other_port", "every answer comes from another source port" },
	[FB_EVIL_TRUNCATED] = { "truncated", "Open Session Response, RAKP2, RAKP4 cut in half" },
	[FB_EVIL_OVERSIZED] = { "oversized", "every answer plus 3000 bytes of junk, one datagram" },
	[FB_EVIL_SESSION_WRONG_SID] = { "session_wrong_sid",
	                                "in session: wrong console session id" },
	[FB_EVIL_SESSION_REPLAY] = { "session_replay", "in session: the first answer replayed" },
	[FB_EVIL_SESSION_TRUNCATED] = { "session_truncated", "in session: answers lose 7 bytes" },
	[FB_EVIL_SESSION_OVERSIZED] = { "session_oversized",
	                                "in session: 2000-byte payload claimed, 3000 bytes sent" },
	[FB_EVIL_SESSION_GARBAGE] = { "session_garbage",
	                              "in session: random bytes, valid-looking header" },
	[FB_EVIL_SESSION_BAD_MAC] = { "session_bad_mac",
	                              "in session: answers with a wrong AuthCode" },
};

const char *
fb_evil_name(enum fb_evil e)
{
	return (unsigned)e < FB_EVIL_COUNT ? fb_evil_modes[e].name : "?";
}

void
fb_evil_list(FILE *f)
{
	fputs("--evil modes (one per port; in session = after Set Session Privilege Level):\n", f);
	for (unsigned i = 0; i < FB_EVIL_COUNT; i++)
		fprintf(f, "  %-18s %s\n", fb_evil_modes[i].name, fb_evil_modes[i].what);
}

static int
fb_evil_lookup(const char *name)
{
	for (unsigned i = 0; i < FB_EVIL_COUNT; i++)
		if (strcmp(fb_evil_modes[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* One --evil item: the mode of the next port. */
static int
fb_evil_add(struct fakebmc *fb, const char *item)
{
	int m = fb_evil_lookup(item);
	enum fb_evil *grown;

	if (m < 0 || fb->nevil == FB_MAX_PORTS) {
		fprintf(stderr, "fakebmc: unknown --evil mode '%s' (--list-evil lists them)\n",
		        item);
		return -1;
	}
	grown = realloc(fb->evil, (fb->nevil + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	fb->evil = grown;
	fb->evil[fb->nevil++] = (enum fb_evil)m;
	return 0;
}

int
fb_evil_parse(struct fakebmc *fb, const char *list)
{
	free(fb->evil);
	fb->evil = NULL;
	fb->nevil = 0;
	return fb_parse_list(fb, "evil", list, fb_evil_add);
}

/* ---- session set-up ---- */

static uint32_t
fb_evil_other_sid(uint32_t sid)
{
	return sid + 1 != 0 ? sid + 1 : 1;
}

void
fb_evil_open(struct fakebmc *fb, struct fb_port *p, struct rakp_open_rsp *rs)
{
	if (p->evil == FB_EVIL_NORMAL || rs->status != FB_ST_OK)
		return;
	fb_log(fb, p, "Open Session: console sid 0x%08x, bmc sid 0x%08x, algorithms %u/%u/%u",
	       (unsigned)rs->console_sid, (unsigned)rs->bmc_sid, rs->auth, rs->integ, rs->conf);
	switch (p->evil) {
	case FB_EVIL_OPEN_WRONG_SID:
		rs->console_sid = fb_evil_other_sid(rs->console_sid);
		break;
	case FB_EVIL_OPEN_BAD_AUTH:
		rs->auth =
		    rs->auth != CSUITE_AUTH_HMAC_MD5 ? CSUITE_AUTH_HMAC_MD5 : CSUITE_AUTH_HMAC_SHA1;
		break;
	case FB_EVIL_OPEN_BAD_INTEG:
		rs->integ =
		    rs->integ != CSUITE_INTEG_NONE ? CSUITE_INTEG_NONE : CSUITE_INTEG_HMAC_SHA1_96;
		break;
	case FB_EVIL_OPEN_BAD_CONF:
		rs->conf =
		    rs->conf != CSUITE_CONF_NONE ? CSUITE_CONF_NONE : CSUITE_CONF_AES_CBC_128;
		break;
	default:
		return;
	}
	fb_log(fb, p, "evil %s: Open Session Response for console sid 0x%08x, algorithms %u/%u/%u",
	       fb_evil_name(p->evil), (unsigned)rs->console_sid, rs->auth, rs->integ, rs->conf);
}

void
fb_evil_rakp2(struct fakebmc *fb, struct fb_port *p, struct rakp_msg2 *r2)
{
	if (r2->status != FB_ST_OK)
		return;
	switch (p->evil) {
	case FB_EVIL_RAKP2_BAD_CODE:
		r2->code[0] ^= 0x5a;
		fb_log(fb, p,
		       "evil %s: RAKP2 sent with byte 0 of its %u-byte key exchange code "
		       "flipped",
		       fb_evil_name(p->evil), r2->code_len);
		break;
	case FB_EVIL_RAKP2_STATUS_0D:
		r2->status = FB_ST_UNAUTH_NAME;
		fb_log(fb, p, "evil %s: RAKP2 sent with status 0x0d", fb_evil_name(p->evil));
		break;
	case FB_EVIL_RAKP2_WRONG_SID:
		r2->console_sid = fb_evil_other_sid(r2->console_sid);
		fb_log(fb, p, "evil %s: RAKP2 sent for console sid 0x%08x", fb_evil_name(p->evil),
		       (unsigned)r2->console_sid);
		break;
	default:
		break;
	}
}

void
fb_evil_rakp4(struct fakebmc *fb, struct fb_port *p, struct rakp_msg4 *r4)
{
	if (r4->status != FB_ST_OK)
		return;
	switch (p->evil) {
	case FB_EVIL_RAKP4_BAD_ICV:
		r4->icv[0] ^= 0xa5;
		fb_log(fb, p, "evil %s: RAKP4 sent with byte 0 of its %u-byte ICV flipped",
		       fb_evil_name(p->evil), r4->icv_len);
		break;
	case FB_EVIL_RAKP4_WRONG_SID:
		r4->console_sid = fb_evil_other_sid(r4->console_sid);
		fb_log(fb, p, "evil %s: RAKP4 sent for console sid 0x%08x", fb_evil_name(p->evil),
		       (unsigned)r4->console_sid);
		break;
	default:
		break;
	}
}

size_t
fb_evil_setup_len(struct fakebmc *fb, struct fb_port *p, uint8_t type, size_t len)
{
	size_t cut;

	/* Session-less IPMI answers are left alone: the handshake gets further. */
	if (p->evil != FB_EVIL_TRUNCATED || type == LANPLUS_PT_IPMI || len < 2)
		return len;
	cut = len / 2;
	fb_log(fb, p, "evil %s: payload type 0x%02x cut from %zu to %zu bytes",
	       fb_evil_name(p->evil), type, len, cut);
	return cut;
}

/* The privilege level Set Session Privilege Level grants for want. */
uint8_t
fb_evil_priv(struct fb_ctx *c, uint8_t want)
{
	if (c->port->evil != FB_EVIL_PRIV_LOWERED)
		return want;
	fb_log(c->fb, c->port, "evil %s: Set Session Privilege Level (%u -> %u)",
	       fb_evil_name(c->port->evil), want, IPMI_PRIV_USER);
	return IPMI_PRIV_USER;
}

/* ---- datagrams ---- */

bool
fb_evil_send(struct fakebmc *fb, struct fb_port *p, const struct sockaddr_storage *peer,
             socklen_t peer_len, const uint8_t *pkt, size_t len)
{
	uint8_t big[FB_BUF + FB_EVIL_JUNK];

	if (p->evil == FB_EVIL_OTHER_PORT && p->alt_fd >= 0) {
		fb_send_fd(fb, p->alt_fd, peer, peer_len, pkt, len);
		fb_log(fb, p, "evil %s: %zu-byte answer sent from port %u (not %u)",
		       fb_evil_name(p->evil), len, (unsigned)p->alt_port, (unsigned)p->port);
		return true;
	}
	if (p->evil != FB_EVIL_OVERSIZED || len > FB_BUF)
		return false;
	memcpy(big, pkt, len);
	if (rng_fill(&rng_system, big + len, FB_EVIL_JUNK) < 0)
		memset(big + len, 0xa5, FB_EVIL_JUNK);
	fb_send_fd(fb, p->fd, peer, peer_len, big, len + FB_EVIL_JUNK);
	fb_log(fb, p, "evil %s: %zu-byte answer sent with %u bytes of junk", fb_evil_name(p->evil),
	       len, FB_EVIL_JUNK);
	return true;
}

/* ---- in session ---- */

static bool
fb_evil_in_session(enum fb_evil e)
{
	return e >= FB_EVIL_SESSION_WRONG_SID && e <= FB_EVIL_SESSION_BAD_MAC;
}

/* A random-looking datagram with an RMCP+ session header for the console. */
static int
fb_evil_garbage(const struct fb_sess *s, uint8_t *out, size_t cap)
{
	static const uint8_t rmcp[4] = { 0x06, 0x00, 0xff, 0x07 };
	uint32_t sid = s->lp.tx_sid;
	uint8_t n;

	if (cap < 10 + FB_EVIL_GARBAGE_MAX || rng_fill(&rng_system, &n, 1) < 0)
		return -1;
	memcpy(out, rmcp, sizeof(rmcp));
	out[4] = LANPLUS_AUTHTYPE;
	out[5] = (uint8_t)(LANPLUS_PT_IPMI | (s->lp.integ != NULL ? LANPLUS_PT_AUTH : 0) |
	                   (s->lp.aes != NULL ? LANPLUS_PT_ENCRYPTED : 0));
	out[6] = (uint8_t)sid;
	out[7] = (uint8_t)(sid >> 8);
	out[8] = (uint8_t)(sid >> 16);
	out[9] = (uint8_t)(sid >> 24);
	n %= FB_EVIL_GARBAGE_MAX;
	if (rng_fill(&rng_system, out + 10, n) < 0)
		return -1;
	return 10 + n;
}

static int
fb_evil_seal(struct fb_sess *s, const uint8_t *msg, size_t len, uint8_t *out, size_t cap)
{
	return lanplus_seal(&s->lp, LANPLUS_PT_IPMI, msg, len, &rng_system, out, cap, NULL);
}

/* session_wrong_sid: a correctly sealed answer for another console session. */
static int
fb_evil_seal_other_sid(struct fb_sess *s, const uint8_t *msg, size_t len, uint8_t *out, size_t cap)
{
	uint32_t sid = s->lp.tx_sid;
	int n;

	s->lp.tx_sid = sid ^ 0x00ff0000u;
	n = fb_evil_seal(s, msg, len, out, cap);
	s->lp.tx_sid = sid;
	return n;
}

/* Seals msg and spoils it as the port's session_* mode says. */
static int
fb_evil_spoil(struct fb_port *p, struct fb_sess *s, const uint8_t *msg, size_t len, uint8_t *out,
              size_t cap, const char **how)
{
	int n;

	switch (p->evil) {
	case FB_EVIL_SESSION_WRONG_SID:
		*how = "sealed for console sid ^ 0x00ff0000";
		return fb_evil_seal_other_sid(s, msg, len, out, cap);
	case FB_EVIL_SESSION_REPLAY:
		*how = "answered with an old answer (replay)";
		if (s->replay == NULL || s->replay_len > cap)
			return -1;
		memcpy(out, s->replay, s->replay_len);
		return (int)s->replay_len;
	case FB_EVIL_SESSION_GARBAGE:
		*how = "answered with garbage";
		return fb_evil_garbage(s, out, cap);
	default:
		break;
	}
	n = fb_evil_seal(s, msg, len, out, cap - FB_EVIL_JUNK);
	if (n <= 0)
		return n;
	if (p->evil == FB_EVIL_SESSION_TRUNCATED && n > FB_EVIL_CUT) {
		*how = "answer cut by 7 bytes";
		n -= FB_EVIL_CUT;
	} else if (p->evil == FB_EVIL_SESSION_OVERSIZED) {
		*how = "answer claims a 2000-byte payload, 3000 zero bytes appended";
		out[LANPLUS_HDR_LEN - 2] = (uint8_t)(FB_EVIL_CLAIMED & 0xff);
		out[LANPLUS_HDR_LEN - 1] = (uint8_t)(FB_EVIL_CLAIMED >> 8);
		memset(out + n, 0, FB_EVIL_JUNK);
		n += FB_EVIL_JUNK;
	} else if (p->evil == FB_EVIL_SESSION_BAD_MAC) {
		*how = "answer with its last byte (AuthCode) flipped";
		out[n - 1] ^= 0x01;
	}
	return n;
}

/* Keeps the session's first answer for session_replay. */
static void
fb_evil_keep(struct fb_sess *s, const uint8_t *pkt, size_t len)
{
	if (s->replay != NULL)
		return;
	s->replay = malloc(len);
	if (s->replay == NULL)
		return;
	memcpy(s->replay, pkt, len);
	s->replay_len = len;
}

bool
fb_evil_reply(struct fakebmc *fb, struct fb_port *p, struct fb_sess *s, const struct ipmimsg *req,
              const uint8_t *msg, size_t len, const struct sockaddr_storage *peer,
              socklen_t peer_len)
{
	uint8_t out[FB_BUF + FB_EVIL_JUNK];
	const char *how = "";
	int n;

	if (!fb_evil_in_session(p->evil))
		return false;
	/* The session comes up intact: Set Session Privilege Level is answered. */
	if (req->netfn == IPMI_NETFN_APP && req->cmd == IPMI_CMD_SET_SESSION_PRIV) {
		n = fb_evil_seal(s, msg, len, out, sizeof(out));
		if (n > 0) {
			fb_evil_keep(s, out, (size_t)n);
			fb_send(fb, p, peer, peer_len, out, (size_t)n);
		}
		return true;
	}
	n = fb_evil_spoil(p, s, msg, len, out, sizeof(out), &how);
	if (n <= 0) {
		fb_log(fb, p, "evil %s: netfn 0x%02x cmd 0x%02x: nothing to send, dropped",
		       fb_evil_name(p->evil), req->netfn, req->cmd);
		return true;
	}
	fb_log(fb, p, "evil %s: netfn 0x%02x cmd 0x%02x %s (%d bytes)", fb_evil_name(p->evil),
	       req->netfn, req->cmd, how, n);
	fb_send(fb, p, peer, peer_len, out, (size_t)n);
	return true;
}
