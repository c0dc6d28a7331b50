/*
 * fakebmc_cmds.c - the IPMI commands the responder answers, scripted
 * replies (--script), and the user table (--users).
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd_channel.h"
#include "fakebmc.h"

#define CC_OK             0x00
#define CC_INVALID_CMD    0xc1
#define CC_LEN_INVALID    0xc7
#define CC_INVALID_FIELD  0xcc
#define CC_INSUFF_PRIV    0xd4
#define CC_PRIV_NOT_AVAIL 0x80 /* Set Session Privilege Level */
#define CC_PRIV_EXCEEDS   0x81
#define CC_BAD_SESSION_ID 0x87 /* Close Session */
#define CC_BAD_HANDLE     0x88

#define CMD_GET_SESSION_INFO   0x3d
#define CMD_GET_CHANNEL_ACCESS 0x41
#define CMD_GET_CHANNEL_INFO   0x42
#define CMD_CHASSIS_STATUS     0x01
#define CMD_CHASSIS_CONTROL    0x02

/* Get Device ID, exactly as the ipmi_sim fixture (tests/bmcsim) answers. */
static const uint8_t fb_device_id[] = { 0x20, 0x01, 0x01, 0x23, 0x02, 0x9f, 0xd9, 0x7e,
	                                0x00, 0x53, 0x42, 0x00, 0x00, 0x00, 0x00 };

typedef int (*fb_handler)(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp);

static int
fb_cc(uint8_t *rsp, uint8_t cc)
{
	rsp[0] = cc;
	return 1;
}

static bool
fb_channel_ok(uint8_t ch)
{
	ch &= 0x0f;
	return ch == CMD_CHANNEL_CURRENT || ch == FB_CHANNEL;
}

static int
fb_get_device_id(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp)
{
	rsp[0] = CC_OK;
	memcpy(rsp + 1, fb_device_id, sizeof(fb_device_id));
	return 1 + (int)sizeof(fb_device_id);
}

static int
fb_get_guid(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp)
{
	rsp[0] = CC_OK;
	memcpy(rsp + 1, c->port->guid, RAKP_GUID_LEN);
	return 1 + RAKP_GUID_LEN;
}

static int
fb_get_auth_caps(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp)
{
	bool v2;
	uint8_t priv;

	if (n < 2)
		return fb_cc(rsp, CC_LEN_INVALID);
	v2 = (d[0] & 0x80) != 0;
	priv = d[1] & 0x0f;
	if (!fb_channel_ok(d[0]) || priv == 0 || priv > FB_PRIV_OEM)
		return fb_cc(rsp, CC_INVALID_FIELD);
	rsp[0] = CC_OK;
	rsp[1] = FB_CHANNEL;
	/* No IPMI v1.5 session authentication: RMCP+ only. */
	rsp[2] = v2 ? 0x80 : 0x00;
	/* K_g status, non-null user names enabled. */
	rsp[3] = (uint8_t)((c->fb->kg_len > 0 ? 0x20 : 0) | 0x04);
	rsp[4] = v2 ? 0x02 : 0x00; /* IPMI v2.0 connections supported */
	memset(rsp + 5, 0, 4);     /* OEM id, OEM auxiliary data */
	return 9;
}

/* The Get Channel Cipher Suites record stream (IPMI v2.0 22.15). */
static size_t
fb_cipher_records(const struct fakebmc *fb, bool by_suite, uint8_t *out, size_t cap)
{
	size_t len = 0;

	if (by_suite) {
		for (size_t i = 0; i < fb->nsuites && len + 5 <= cap; i++) {
			const struct csuite *cs = csuite_by_id(fb->suites[i]);

			out[len++] = 0xc0;
			out[len++] = cs->id;
			out[len++] = cs->auth;
			out[len++] = (uint8_t)(0x40 | cs->integ);
			out[len++] = (uint8_t)(0x80 | cs->conf);
		}
		return len;
	}
	/* Every supported algorithm once: authentication, integrity, confidentiality. */
	for (unsigned tag = 0; tag < 3; tag++) {
		for (uint8_t alg = 0; alg < 8; alg++) {
			bool used = false;

			for (size_t i = 0; i < fb->nsuites && !used; i++) {
				const struct csuite *cs = csuite_by_id(fb->suites[i]);
				uint8_t a = tag == 0 ? cs->auth : tag == 1 ? cs->integ : cs->conf;

				used = a == alg;
			}
			if (used && len < cap)
				out[len++] = (uint8_t)(tag << 6 | alg);
		}
	}
	return len;
}

static int
fb_get_ciphers(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp)
{
	uint8_t recs[FB_MAX_SUITES * 5];
	size_t total = 0, off, chunk;

	if (n < 3)
		return fb_cc(rsp, CC_LEN_INVALID);
	if (!fb_channel_ok(d[0]))
		return fb_cc(rsp, CC_INVALID_FIELD);
	/* IPMI and SOL payloads use the session's suites; nothing else is spoken. */
	if ((d[1] & 0x3f) <= 1)
		total = fb_cipher_records(c->fb, (d[2] & 0x80) != 0, recs, sizeof(recs));
	off = (size_t)(d[2] & 0x3f) * 16;
	chunk = off < total ? total - off : 0;
	if (chunk > 16)
		chunk = 16;
	rsp[0] = CC_OK;
	rsp[1] = FB_CHANNEL;
	if (chunk > 0)
		memcpy(rsp + 2, recs + off, chunk);
	return 2 + (int)chunk;
}

static unsigned
fb_active_count(const struct fb_port *p)
{
	unsigned n = 0;

	for (unsigned k = 0; k < FB_SLOTS; k++)
		if (p->sess[k] != NULL && p->sess[k]->state == FB_ACTIVE)
			n++;
	return n;
}

static int
fb_set_priv(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp)
{
	struct fb_sess *s = c->sess;
	uint8_t lvl;

	if (n < 1)
		return fb_cc(rsp, CC_LEN_INVALID);
	lvl = d[0] & 0x0f;
	if (lvl > FB_PRIV_OEM)
		return fb_cc(rsp, CC_INVALID_FIELD);
	if (lvl == FB_PRIV_OEM || (lvl > s->max_priv && lvl > s->user->priv))
		return fb_cc(rsp, CC_PRIV_EXCEEDS); /* above the channel or user limit */
	if (lvl > s->max_priv)
		return fb_cc(rsp, CC_PRIV_NOT_AVAIL); /* above what this session asked for */
	if (lvl != 0)
		s->priv = fb_evil_priv(c, lvl);
	rsp[0] = CC_OK;
	rsp[1] = s->priv;
	return 2;
}

static struct fb_sess *
fb_sess_by_handle(struct fb_port *p, uint8_t handle)
{
	if (handle == 0 || handle > FB_SLOTS)
		return NULL;
	return p->sess[handle - 1];
}

static struct fb_sess *
fb_sess_by_id(struct fb_port *p, uint32_t sid)
{
	for (unsigned k = 0; k < FB_SLOTS; k++)
		if (p->sess[k] != NULL && p->sess[k]->hs.bmc_sid == sid)
			return p->sess[k];
	return NULL;
}

static uint32_t
fb_le32(const uint8_t *d)
{
	return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}

static int
fb_close_session(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp)
{
	struct fb_sess *t;
	uint32_t sid;

	if (n < 4)
		return fb_cc(rsp, CC_LEN_INVALID);
	sid = fb_le32(d);
	if (sid == 0) {
		if (n < 5)
			return fb_cc(rsp, CC_LEN_INVALID);
		t = fb_sess_by_handle(c->port, d[4]);
		if (t == NULL)
			return fb_cc(rsp, CC_BAD_HANDLE);
	} else {
		t = fb_sess_by_id(c->port, sid);
		if (t == NULL)
			return fb_cc(rsp, CC_BAD_SESSION_ID);
	}
	if (t == c->sess) {
		c->close_self = true; /* after the reply is sealed */
	} else {
		/* Closing another session takes ADMINISTRATOR. */
		if (c->sess->priv < IPMI_PRIV_ADMIN)
			return fb_cc(rsp, CC_INSUFF_PRIV);
		fb_sess_close(c->fb, c->port, t, "closed by another session");
	}
	return fb_cc(rsp, CC_OK);
}

static int
fb_get_session_info(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp)
{
	struct fb_port *p = c->port;
	struct fb_sess *t = NULL;
	int len;

	if (n < 1)
		return fb_cc(rsp, CC_LEN_INVALID);
	if (d[0] == 0x00) {
		t = c->sess;
	} else if (d[0] == 0xfe) {
		if (n < 2)
			return fb_cc(rsp, CC_LEN_INVALID);
		t = fb_sess_by_handle(p, d[1]);
	} else if (d[0] == 0xff) {
		if (n < 5)
			return fb_cc(rsp, CC_LEN_INVALID);
		t = fb_sess_by_id(p, fb_le32(d + 1));
	} else if (d[0] <= FB_SLOTS) {
		unsigned want = d[0];

		for (unsigned k = 0; k < FB_SLOTS && t == NULL; k++)
			if (p->sess[k] != NULL && p->sess[k]->state == FB_ACTIVE && --want == 0)
				t = p->sess[k];
	} else {
		return fb_cc(rsp, CC_INVALID_FIELD);
	}
	if (t != NULL && t->state != FB_ACTIVE)
		t = NULL;
	rsp[0] = CC_OK;
	rsp[1] = t != NULL ? t->handle : 0;
	rsp[2] = FB_SLOTS;
	rsp[3] = (uint8_t)fb_active_count(p);
	if (t == NULL)
		return 4;
	rsp[4] = t->user->uid & 0x3f;
	rsp[5] = t->priv;
	rsp[6] = 0x10 | FB_CHANNEL; /* IPMI v2.0/RMCP+ on channel 1 */
	len = 7;
	memset(rsp + len, 0, 12);
	if (t->peer.ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&t->peer;

		memcpy(rsp + len, &sin->sin_addr, 4); /* network order */
		memcpy(rsp + len + 10, &sin->sin_port, 2);
	} else if (t->peer.ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&t->peer;

		memcpy(rsp + len + 10, &sin6->sin6_port, 2);
	}
	return len + 12;
}

static int
fb_get_channel_info(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp)
{
	if (n < 1)
		return fb_cc(rsp, CC_LEN_INVALID);
	if (!fb_channel_ok(d[0]))
		return fb_cc(rsp, CC_INVALID_FIELD);
	rsp[0] = CC_OK;
	rsp[1] = FB_CHANNEL;
	rsp[2] = 0x04;                                                /* 802.3 LAN */
	rsp[3] = 0x01;                                                /* IPMB-1.0 protocol */
	rsp[4] = (uint8_t)(0x80 | (fb_active_count(c->port) & 0x3f)); /* multi-session */
	rsp[5] = 0xf2; /* IPMI IANA 7154, LS byte first */
	rsp[6] = 0x1b;
	rsp[7] = 0x00;
	rsp[8] = 0x00;
	rsp[9] = 0x00;
	return 10;
}

static int
fb_get_channel_access(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp)
{
	uint8_t which;

	if (n < 2)
		return fb_cc(rsp, CC_LEN_INVALID);
	which = d[1] >> 6;
	if (!fb_channel_ok(d[0]) || which == 0 || which == 3)
		return fb_cc(rsp, CC_INVALID_FIELD);
	rsp[0] = CC_OK;
	rsp[1] = 0x22;            /* alerting disabled, always available */
	rsp[2] = IPMI_PRIV_ADMIN; /* channel privilege limit */
	return 3;
}

static int
fb_chassis_status(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp)
{
	rsp[0] = CC_OK;
	rsp[1] = (uint8_t)(0x20 | (c->port->power_on ? 0x01 : 0x00)); /* restore: previous */
	rsp[2] = 0x00;                                                /* last power event */
	rsp[3] = 0x00;                                                /* misc chassis state */
	return 4;
}

static int
fb_chassis_control(struct fb_ctx *c, const uint8_t *d, size_t n, uint8_t *rsp)
{
	static const char *const names[] = { "power down", "power up",       "power cycle",
		                             "hard reset", "diag interrupt", "soft shutdown" };
	uint8_t ctl;

	if (n < 1)
		return fb_cc(rsp, CC_LEN_INVALID);
	ctl = d[0] & 0x0f;
	switch (ctl) {
	case 0:
	case 5:
		c->port->power_on = false;
		break;
	case 1:
	case 2:
		c->port->power_on = true;
		break;
	case 3:
	case 4:
		break;
	default:
		return fb_cc(rsp, CC_INVALID_FIELD);
	}
	fb_log(c->fb, c->port, "session 0x%08x: chassis control: %s", (unsigned)c->sess->hs.bmc_sid,
	       names[ctl]);
	return fb_cc(rsp, CC_OK);
}

struct fb_cmd {
	uint8_t netfn, cmd;
	uint8_t priv;    /* minimum operating privilege in a session */
	bool presession; /* also answered outside a session */
	fb_handler fn;
};

static const struct fb_cmd fb_cmds[] = {
	{ IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, IPMI_PRIV_USER, false, fb_get_device_id },
	{ IPMI_NETFN_APP, IPMI_CMD_GET_SYSTEM_GUID, IPMI_PRIV_USER, true, fb_get_guid },
	{ IPMI_NETFN_APP, IPMI_CMD_GET_CHANNEL_AUTH_CAPS, 0, true, fb_get_auth_caps },
	{ IPMI_NETFN_APP, IPMI_CMD_SET_SESSION_PRIV, IPMI_PRIV_CALLBACK, false, fb_set_priv },
	{ IPMI_NETFN_APP, IPMI_CMD_CLOSE_SESSION, IPMI_PRIV_CALLBACK, false, fb_close_session },
	{ IPMI_NETFN_APP, CMD_GET_SESSION_INFO, IPMI_PRIV_USER, false, fb_get_session_info },
	{ IPMI_NETFN_APP, CMD_GET_CHANNEL_ACCESS, IPMI_PRIV_USER, false, fb_get_channel_access },
	{ IPMI_NETFN_APP, CMD_GET_CHANNEL_INFO, IPMI_PRIV_USER, false, fb_get_channel_info },
	{ IPMI_NETFN_APP, IPMI_CMD_GET_CHANNEL_CIPHERS, 0, true, fb_get_ciphers },
	{ IPMI_NETFN_CHASSIS, CMD_CHASSIS_STATUS, IPMI_PRIV_USER, false, fb_chassis_status },
	{ IPMI_NETFN_CHASSIS, CMD_CHASSIS_CONTROL, IPMI_PRIV_OPERATOR, false, fb_chassis_control },
};

int
fb_command(struct fb_ctx *c, const struct ipmimsg *req, uint8_t *rsp, size_t cap)
{
	const struct fakebmc *fb = c->fb;
	const struct fb_cmd *e = NULL;

	if (cap < IPMIMSG_MAX_DATA)
		return -1;
	for (size_t i = 0; i < sizeof(fb_cmds) / sizeof(fb_cmds[0]) && e == NULL; i++)
		if (fb_cmds[i].netfn == req->netfn && fb_cmds[i].cmd == req->cmd)
			e = &fb_cmds[i];
	/* Outside a session a real BMC ignores what it does not answer there. */
	if (c->sess == NULL && (e == NULL || !e->presession))
		return -1;
	/* Scripted replies win over everything, privilege checks included. */
	for (size_t i = 0; i < fb->novr; i++) {
		const struct fb_override *o = &fb->ovr[i];

		if (o->netfn == req->netfn && o->cmd == req->cmd) {
			if (o->drop)
				return -1;
			memcpy(rsp, o->data, o->len);
			return o->len;
		}
	}
	if (e == NULL)
		return fb_cc(rsp, CC_INVALID_CMD);
	if (c->sess != NULL && c->sess->priv < e->priv)
		return fb_cc(rsp, CC_INSUFF_PRIV);
	return e->fn(c, req->data, req->data_len, rsp);
}

/* ---- configuration files ---- */

int
fb_parse_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s != '\0'; s++) {
		int v;

		if (*s == '-' || *s == ':' || *s == ' ')
			continue;
		if (!isxdigit((unsigned char)*s))
			return -1;
		v = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == max)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

static int
fb_add_user(struct fakebmc *fb, const char *name, const char *pass, uint8_t priv)
{
	struct fb_user *u;
	size_t nl = strlen(name), pl = strlen(pass);

	if (fb->nusers == FB_MAX_USERS || nl == 0 || nl > RAKP_USER_MAX || pl > RAKP_PASS_MAX ||
	    priv < IPMI_PRIV_CALLBACK || priv > IPMI_PRIV_ADMIN)
		return -1;
	for (size_t i = 0; i < fb->nusers; i++)
		if (strcmp(fb->users[i].name, name) == 0)
			return -1;
	u = &fb->users[fb->nusers];
	memset(u, 0, sizeof(*u));
	memcpy(u->name, name, nl);
	u->name_len = (uint8_t)nl;
	memcpy(u->pass, pass, pl);
	u->pass_len = (uint8_t)pl;
	u->priv = priv;
	u->uid = (uint8_t)(fb->nusers + 2); /* user 1 is the (absent) null user */
	fb->nusers++;
	return 0;
}

void
fb_default_users(struct fakebmc *fb)
{
	/* The ipmi_sim fixture's users (tests/bmcsim/lan.conf.in). */
	fb->nusers = 0;
	(void)fb_add_user(fb, "admin", "adminpass", IPMI_PRIV_ADMIN);
	(void)fb_add_user(fb, "oper", "operpass", IPMI_PRIV_OPERATOR);
	(void)fb_add_user(fb, "ro", "ropass", IPMI_PRIV_USER);
}

static int
fb_priv_parse(const char *s)
{
	static const char *const names[][2] = {
		{ "callback", "1" },
		{ "user", "2" },
		{ "operator", "3" },
		{ "administrator", "4" },
	};

	if (strcasecmp(s, "admin") == 0)
		return IPMI_PRIV_ADMIN;
	for (int i = 0; i < 4; i++)
		if (strcasecmp(s, names[i][0]) == 0 || strcmp(s, names[i][1]) == 0)
			return i + 1;
	return -1;
}

/* Reads FILE line by line; fn gets each line without comment and newline. */
static int
fb_read_lines(struct fakebmc *fb, const char *path, int (*fn)(struct fakebmc *, char *))
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned no = 0;
	int rc = 0;

	if (f == NULL) {
		fprintf(stderr, "fakebmc: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		char *p = strchr(line, '#'), *q;

		no++;
		if (p != NULL)
			*p = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		for (q = line; isspace((unsigned char)*q); q++)
			;
		if (*q == '\0')
			continue;
		if (fn(fb, q) < 0) {
			fprintf(stderr, "fakebmc: %s:%u: invalid line\n", path, no);
			rc = -1;
		}
	}
	memset(line, 0, sizeof(line));
	fclose(f);
	return rc;
}

static int
fb_user_line(struct fakebmc *fb, char *line)
{
	char *save = NULL, *name, *pass, *priv, *extra;
	int pv;

	name = strtok_r(line, " \t", &save);
	pass = strtok_r(NULL, " \t", &save);
	priv = strtok_r(NULL, " \t", &save);
	extra = strtok_r(NULL, " \t", &save);
	if (name == NULL || pass == NULL || priv == NULL || extra != NULL)
		return -1;
	pv = fb_priv_parse(priv);
	if (pv < 0)
		return -1;
	/* A lone "-" is the empty password. */
	return fb_add_user(fb, name, strcmp(pass, "-") == 0 ? "" : pass, (uint8_t)pv);
}

int
fb_load_users(struct fakebmc *fb, const char *path)
{
	fb->nusers = 0;
	if (fb_read_lines(fb, path, fb_user_line) < 0)
		return -1;
	if (fb->nusers == 0) {
		fprintf(stderr, "fakebmc: %s: no users\n", path);
		return -1;
	}
	return 0;
}

static int
fb_byte(const char *s, uint8_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 16);
	if (errno != 0 || end == s || *end != '\0' || v > 0xff || *s == '-' || *s == '+')
		return -1;
	*out = (uint8_t)v;
	return 0;
}

/* "netfn cmd -> cc [data ...]" or "netfn cmd -> drop"; numbers in hex. */
static int
fb_script_line(struct fakebmc *fb, char *line)
{
	struct fb_override o, *grown;
	char *save = NULL, *tok;

	memset(&o, 0, sizeof(o));
	tok = strtok_r(line, " \t", &save);
	if (tok == NULL || fb_byte(tok, &o.netfn) < 0 || o.netfn > 0x3f)
		return -1;
	tok = strtok_r(NULL, " \t", &save);
	if (tok == NULL || fb_byte(tok, &o.cmd) < 0)
		return -1;
	tok = strtok_r(NULL, " \t", &save);
	if (tok == NULL || strcmp(tok, "->") != 0)
		return -1;
	tok = strtok_r(NULL, " \t", &save);
	if (tok == NULL)
		return -1;
	if (strcmp(tok, "drop") == 0) {
		o.drop = true;
		if (strtok_r(NULL, " \t", &save) != NULL)
			return -1;
	} else {
		for (; tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
			int n = fb_parse_hex(tok, o.data + o.len, sizeof(o.data) - o.len);

			if (n <= 0)
				return -1;
			o.len = (uint8_t)(o.len + n);
		}
	}
	o.netfn &= 0x3e; /* a request netfn */
	grown = realloc(fb->ovr, (fb->novr + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	fb->ovr = grown;
	fb->ovr[fb->novr++] = o;
	return 0;
}

int
fb_load_script(struct fakebmc *fb, const char *path)
{
	return fb_read_lines(fb, path, fb_script_line);
}
