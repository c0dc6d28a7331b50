/*
 * fakepeer.c - the in-memory BMC of test_bmc.c (see fakepeer.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_channel.h"
#include "fakepeer.h"
#include "ipmierr.h"
#include "lan15.h"
#include "lanmsg.h"

/* splitmix64: deterministic, independent of the console's source. */
static int
fp_rng_fill(void *arg, uint8_t *buf, size_t n)
{
	uint64_t *s = arg;

	for (size_t i = 0; i < n; i++) {
		uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		buf[i] = (uint8_t)(z ^ (z >> 31));
	}
	return 0;
}

struct fakepeer *
fp_new(uint64_t seed)
{
	static const uint8_t suites[] = { 0, 1, 2, 3, 17 };
	struct fakepeer *p = calloc(1, sizeof(*p));

	if (p == NULL)
		abort();
	strcpy(p->user, "admin");
	fp_set_pass(p, "adminpass");
	fp_set_suites(p, suites, sizeof(suites));
	p->downgrade_to = -1;
	p->grant_priv = -1;
	p->drop_cmd = -1;
	p->bridge_mode = FP_BRIDGE_EMBEDDED;
	p->rng_state = seed;
	p->rng.fill = fp_rng_fill;
	p->rng.arg = &p->rng_state;
	p->next_sid = 0x0b0c0001u + (uint32_t)(seed << 8);
	return p;
}

void
fp_free(struct fakepeer *p)
{
	if (p == NULL)
		return;
	rakp_hs_clear(&p->hs);
	lanplus_sess_clear(&p->sess);
	free(p);
}

void
fp_set_pass(struct fakepeer *p, const char *pass)
{
	p->pass_len = strlen(pass);
	memcpy(p->pass, pass, p->pass_len);
}

void
fp_set_suites(struct fakepeer *p, const uint8_t *ids, size_t n)
{
	p->accept = 0;
	p->n_listed = n;
	for (size_t i = 0; i < n; i++) {
		p->listed[i] = ids[i];
		if (ids[i] < 32)
			p->accept |= 1u << ids[i];
	}
}

void
fp_restart(struct fakepeer *p)
{
	rakp_hs_clear(&p->hs);
	p->in_hs = false;
	lanplus_sess_clear(&p->sess);
	p->have_sess = false;
}

long
fp_find(const struct fakepeer *p, uint8_t cmd, unsigned n)
{
	for (size_t i = 0; i < p->n_log; i++)
		if (p->log[i].cmd == cmd && n-- == 0)
			return (long)i;
	return -1;
}

unsigned
fp_count(const struct fakepeer *p, uint8_t cmd)
{
	unsigned c = 0;

	for (size_t i = 0; i < p->n_log; i++)
		c += p->log[i].cmd == cmd;
	return c;
}

size_t
fp_generic_answer(uint8_t cmd, const uint8_t *data, size_t len, uint8_t *out)
{
	size_t n = len > IPMIMSG_MAX_DATA - 3 ? IPMIMSG_MAX_DATA - 3 : len;

	out[0] = 0x00;
	out[1] = 0xa5;
	out[2] = cmd;
	if (n > 0)
		memcpy(out + 3, data, n);
	return n + 3;
}

static struct ipmimsg
fp_rsp_to(const struct ipmimsg *req, const uint8_t *data, size_t len)
{
	struct ipmimsg m = {
		.dst_addr = req->src_addr,
		.netfn = (uint8_t)(req->netfn | 1),
		.dst_lun = req->src_lun,
		.src_addr = req->dst_addr,
		.seq = req->seq,
		.src_lun = req->dst_lun,
		.cmd = req->cmd,
		.data = data,
		.data_len = len,
	};
	return m;
}

/* Get Channel Authentication Capabilities answer: v2.0 supported. */
static size_t
fp_authcaps_data(uint8_t *d)
{
	static const uint8_t caps[] = { 0x00, 0x01, 0x84, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00 };

	memcpy(d, caps, sizeof(caps));
	return sizeof(caps);
}

static size_t
fp_out_lan15(const struct ipmimsg *m, struct fp_pkt *out)
{
	uint8_t frame[IPMIMSG_MAX_LEN];
	struct wire_wr w = wire_wr_make(frame, sizeof(frame));
	int n = ipmimsg_encode(m, &w);

	if (n < 0 || (n = lan15_encode(frame, (size_t)n, out->b, sizeof(out->b))) < 0)
		return 0;
	out->len = (size_t)n;
	return 1;
}

static size_t
fp_presession(struct fakepeer *p, const uint8_t *pkt, size_t len, struct fp_pkt *out)
{
	const uint8_t *msg;
	size_t mlen;
	struct ipmimsg req, rsp;
	uint8_t d[64], recs[64 * 5];
	size_t n = 0, dn;

	if (lan15_decode(pkt, len, &msg, &mlen) < 0 || ipmimsg_decode(msg, mlen, &req) < 0 ||
	    req.netfn != IPMI_NETFN_APP)
		return 0;
	switch (req.cmd) {
	case IPMI_CMD_GET_CHANNEL_AUTH_CAPS:
		p->n_authcaps++;
		if (p->silent_steps & FP_AUTHCAPS)
			return 0;
		rsp = fp_rsp_to(&req, d, fp_authcaps_data(d));
		return fp_out_lan15(&rsp, out);
	case IPMI_CMD_GET_CHANNEL_CIPHERS: {
		uint8_t idx = req.data_len >= 3 ? req.data[2] & 0x3f : 0;
		p->cipher_idx[p->n_ciphers++ % 64] = idx;
		if (p->silent_steps & FP_CIPHERS)
			return 0;
		if (p->list_cc != 0) {
			d[0] = p->list_cc;
			rsp = fp_rsp_to(&req, d, 1);
			return fp_out_lan15(&rsp, out);
		}
		for (size_t i = 0; i < p->n_listed; i++) {
			const struct csuite *cs = csuite_by_id(p->listed[i]);
			recs[n++] = 0xc0;
			recs[n++] = p->listed[i];
			recs[n++] = (uint8_t)(0x00 | (cs != NULL ? cs->auth : 0));
			recs[n++] = (uint8_t)(0x40 | (cs != NULL ? cs->integ : 0));
			recs[n++] = (uint8_t)(0x80 | (cs != NULL ? cs->conf : 0));
		}
		d[0] = 0x00;
		d[1] = 0x01;
		dn = 2;
		for (size_t i = (size_t)idx * 16; i < n && i < (size_t)idx * 16 + 16; i++)
			d[dn++] = recs[i];
		rsp = fp_rsp_to(&req, d, dn);
		return fp_out_lan15(&rsp, out);
	}
	default:
		return 0;
	}
}

static size_t
fp_out_setup(uint8_t type, const uint8_t *payload, int n, struct fp_pkt *out)
{
	if (n < 0 ||
	    (n = lanplus_encode_setup(type, payload, (size_t)n, out->b, sizeof(out->b))) < 0)
		return 0;
	out->len = (size_t)n;
	return 1;
}

static size_t
fp_open(struct fakepeer *p, const uint8_t *pl, size_t len, struct fp_pkt *out)
{
	struct rakp_open_req req;
	struct rakp_open_rsp rsp = { 0 };
	const struct csuite *cs, *algs;
	uint8_t buf[64];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));

	if (rakp_decode_open_req(pl, len, &req) < 0)
		return 0;
	cs = csuite_by_algs(req.auth, req.integ, req.conf);
	p->open_suites[p->n_open++ % FP_OPEN_MAX] = cs != NULL ? cs->id : 0xff;
	p->open_priv = req.priv;
	if (p->silent_steps & FP_OPEN)
		return 0;
	rsp.tag = req.tag;
	rsp.console_sid = req.console_sid;
	if (cs == NULL || cs->id >= 32 || !(p->accept & (1u << cs->id))) {
		if (p->open_refuse == 0)
			return 0; /* some BMCs ignore suites they lack */
		rsp.status = p->open_refuse;
		return fp_out_setup(RAKP_PT_OPEN_RSP, buf, rakp_encode_open_rsp(&rsp, &w), out);
	}
	rakp_hs_clear(&p->hs);
	if (rakp_creds_set(&p->hs.creds, p->user, p->pass, p->pass_len, NULL, 0) < 0)
		return 0;
	p->hs.cs = cs;
	p->hs.console_sid = req.console_sid;
	p->hs.bmc_sid = p->next_sid++;
	p->in_hs = true;
	algs = p->downgrade_to >= 0 ? csuite_by_id(p->downgrade_to) : cs;
	rsp.status = RAKP_ST_OK;
	rsp.priv = req.priv;
	rsp.bmc_sid = p->hs.bmc_sid;
	rsp.auth = algs->auth;
	rsp.integ = algs->integ;
	rsp.conf = algs->conf;
	return fp_out_setup(RAKP_PT_OPEN_RSP, buf, rakp_encode_open_rsp(&rsp, &w), out);
}

static size_t
fp_rakp1(struct fakepeer *p, const uint8_t *pl, size_t len, struct fp_pkt *out)
{
	struct rakp_msg1 m1;
	struct rakp_msg2 m2 = { 0 };
	uint8_t buf[128];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));
	size_t n;

	if (rakp_decode_msg1(pl, len, &m1) < 0)
		return 0;
	p->n_rakp1++;
	if ((p->silent_steps & FP_RAKP1) || !p->in_hs || m1.bmc_sid != p->hs.bmc_sid)
		return 0;
	if (p->rakp2_status != 0 || m1.user_len != strlen(p->user) ||
	    memcmp(m1.user, p->user, m1.user_len) != 0) {
		m2.tag = m1.tag;
		m2.status = p->rakp2_status != 0 ? p->rakp2_status : RAKP_ST_UNAUTH_NAME;
		m2.console_sid = p->hs.console_sid;
		p->in_hs = false;
		return fp_out_setup(RAKP_PT_RAKP2, buf, rakp_encode_msg2(&m2, &w), out);
	}
	rng_fill(&p->rng, p->hs.rc, RAKP_RAND_LEN);
	memcpy(p->hs.guid, "fakepeer-bmc-gd", RAKP_GUID_LEN);
	if (rakp_server_rakp2(&p->hs, &m1, &m2) < 0)
		return 0;
	n = fp_out_setup(RAKP_PT_RAKP2, buf, rakp_encode_msg2(&m2, &w), out);
	crypto_wipe(&m2, sizeof(m2));
	return n;
}

static size_t
fp_rakp3(struct fakepeer *p, const uint8_t *pl, size_t len, struct fp_pkt *out)
{
	struct rakp_msg3 m3;
	struct rakp_msg4 m4 = { 0 };
	uint8_t buf[128];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));
	size_t n;

	if (rakp_decode_msg3(pl, len, &m3) < 0)
		return 0;
	p->n_rakp3++;
	if ((p->silent_steps & FP_RAKP3) || !p->in_hs)
		return 0;
	if (rakp_server_rakp3(&p->hs, &m3) < 0) {
		m4.tag = m3.tag;
		m4.status = RAKP_ST_INVALID_ICV;
		m4.console_sid = p->hs.console_sid;
		p->in_hs = false;
		return fp_out_setup(RAKP_PT_RAKP4, buf, rakp_encode_msg4(&m4, &w), out);
	}
	if (rakp_server_rakp4(&p->hs, m3.tag, &m4) < 0)
		return 0;
	n = fp_out_setup(RAKP_PT_RAKP4, buf, rakp_encode_msg4(&m4, &w), out);
	lanplus_sess_clear(&p->sess);
	if (lanplus_sess_init(&p->sess, &p->hs, false) < 0)
		return 0;
	p->have_sess = true;
	p->last_sid = p->hs.bmc_sid;
	rakp_hs_clear(&p->hs);
	p->in_hs = false;
	return n;
}

static size_t
fp_setup(struct fakepeer *p, const uint8_t *pkt, size_t len, struct fp_pkt *out)
{
	uint8_t type;
	const uint8_t *pl;
	size_t plen;

	if (lanplus_decode_setup(pkt, len, &type, &pl, &plen) < 0)
		return 0;
	switch (type) {
	case RAKP_PT_OPEN_REQ:
		return fp_open(p, pl, plen, out);
	case RAKP_PT_RAKP1:
		return fp_rakp1(p, pl, plen, out);
	case RAKP_PT_RAKP3:
		return fp_rakp3(p, pl, plen, out);
	default:
		return 0;
	}
}

static size_t
fp_seal(struct fakepeer *p, const struct ipmimsg *m, struct fp_pkt *out)
{
	int n;

	if (!p->have_sess)
		return 0;
	n = lanmsg_seal(&p->sess, m, &p->rng, out->b, sizeof(out->b), NULL);
	if (n < 0)
		return 0;
	out->len = (size_t)n;
	return 1;
}

/* The request of log entry e as an ipmimsg (data points into e). */
static struct ipmimsg
fp_req_msg(const struct fp_req *e)
{
	struct ipmimsg m = {
		.dst_addr = IPMI_BMC_ADDR,
		.netfn = e->netfn,
		.dst_lun = e->lun,
		.src_addr = IPMI_REMOTE_SWID,
		.seq = e->seq,
		.cmd = e->cmd,
		.data = e->data,
		.data_len = e->data_len,
	};
	return m;
}

static size_t
fp_answer_bridged(struct fakepeer *p, const struct fp_req *e, struct fp_pkt *out)
{
	struct ipmimsg outer = fp_req_msg(e), inner, trsp, orsp;
	uint8_t tdata[IPMIMSG_MAX_DATA], odata[IPMIMSG_MAX_DATA];
	struct wire_wr w = wire_wr_make(odata + 1, sizeof(odata) - 1);
	size_t tn, n;

	if (e->data_len < 2 || ipmimsg_decode(e->data + 1, e->data_len - 1, &inner) < 0)
		return 0;
	tn = fp_generic_answer(inner.cmd, inner.data, inner.data_len > 200 ? 200 : inner.data_len,
	                       tdata);
	trsp = fp_rsp_to(&inner, tdata, tn);
	odata[0] = 0x00;
	if (p->bridge_mode == FP_BRIDGE_EMBEDDED) {
		if (ipmimsg_encode(&trsp, &w) < 0)
			return 0;
		orsp = fp_rsp_to(&outer, odata, 1 + w.len);
		return fp_seal(p, &orsp, out);
	}
	orsp = fp_rsp_to(&outer, odata, 1);
	n = fp_seal(p, &orsp, out);
	/* the target's answer as its own message, with the outer rqSeq */
	trsp.dst_addr = IPMI_REMOTE_SWID;
	trsp.seq = e->seq;
	trsp.dst_lun = 0;
	return n + fp_seal(p, &trsp, out + n);
}

/* The normal answer to log entry e. */
static size_t
fp_answer(struct fakepeer *p, const struct fp_req *e, struct fp_pkt *out)
{
	struct ipmimsg req = fp_req_msg(e), rsp;
	uint8_t d[IPMIMSG_MAX_DATA];
	size_t dn;

	if (e->netfn == IPMI_NETFN_APP && e->cmd == IPMI_CMD_SEND_MESSAGE)
		return fp_answer_bridged(p, e, out);
	if (e->netfn == IPMI_NETFN_APP && e->cmd == IPMI_CMD_GET_CHANNEL_AUTH_CAPS)
		dn = fp_authcaps_data(d);
	else if (e->netfn == IPMI_NETFN_APP && e->cmd == IPMI_CMD_CLOSE_SESSION)
		d[0] = 0x00, dn = 1;
	else
		dn = fp_generic_answer(e->cmd, e->data, e->data_len, d);
	rsp = fp_rsp_to(&req, d, dn);
	return fp_seal(p, &rsp, out);
}

size_t
fp_release(struct fakepeer *p, size_t i, struct fp_pkt *out)
{
	if (i >= p->n_log)
		return 0;
	p->log[i].answered = true;
	return fp_answer(p, &p->log[i], out);
}

static size_t
fp_session(struct fakepeer *p, const struct lanplus_hdr *h, const uint8_t *pkt, size_t len,
           struct fp_pkt *out)
{
	uint8_t buf[IPMIMSG_MAX_LEN + 64], d[4];
	struct ipmimsg req, rsp;
	struct fp_req *e;
	size_t n;

	if (!p->have_sess || h->session_id != p->sess.rx_sid) {
		p->n_unknown_sid++;
		return 0;
	}
	if (lanmsg_open(&p->sess, pkt, len, buf, sizeof(buf), &req) < 0) {
		p->n_rejected++;
		return 0;
	}
	if (p->n_log >= FP_LOG_MAX)
		abort();
	e = &p->log[p->n_log++];
	memset(e, 0, sizeof(*e));
	e->sess_seq = h->seq;
	e->sid = h->session_id;
	e->netfn = req.netfn;
	e->cmd = req.cmd;
	e->seq = req.seq;
	e->lun = req.dst_lun;
	e->data_len = req.data_len;
	memcpy(e->data, req.data, req.data_len);
	if (req.netfn == IPMI_NETFN_APP && req.cmd == IPMI_CMD_SEND_MESSAGE && req.data_len >= 2) {
		struct ipmimsg inner;
		if (ipmimsg_decode(e->data + 1, e->data_len - 1, &inner) == 0) {
			e->bridged = true;
			e->t_channel = e->data[0] & 0x0f;
			e->t_addr = inner.dst_addr;
			e->t_netfn = inner.netfn;
			e->t_cmd = inner.cmd;
		}
	}
	if (req.netfn != IPMI_NETFN_APP)
		goto normal;
	switch (req.cmd) {
	case IPMI_CMD_SET_SESSION_PRIV:
		p->n_priv++;
		p->priv_asked = req.data_len > 0 ? req.data[0] : 0;
		if (p->silent_steps & FP_PRIV)
			return 0;
		if (p->drop_priv_answers > 0) {
			p->drop_priv_answers--;
			return 0;
		}
		d[0] = 0x00;
		d[1] = (uint8_t)(p->grant_priv >= 0 ? p->grant_priv : p->priv_asked);
		rsp = fp_rsp_to(&req, d, 2);
		e->answered = true;
		return fp_seal(p, &rsp, out);
	case IPMI_CMD_CLOSE_SESSION:
		p->n_close++;
		p->close_sid = req.data_len >= 4
		                   ? (uint32_t)req.data[0] | (uint32_t)req.data[1] << 8 |
		                         (uint32_t)req.data[2] << 16 | (uint32_t)req.data[3] << 24
		                   : 0;
		if (p->silent_steps & FP_SESSION)
			return 0;
		e->answered = true;
		n = fp_answer(p, e, out);
		if (p->close_sid == p->sess.rx_sid)
			fp_restart(p);
		return n;
	case IPMI_CMD_GET_CHANNEL_AUTH_CAPS:
		p->n_keepalive++;
		break;
	default:
		break;
	}
normal:
	if (p->silent_steps & FP_SESSION)
		return 0;
	if (p->drop_cmd >= 0 && req.cmd == p->drop_cmd && p->drop_times != 0) {
		if (p->drop_times > 0)
			p->drop_times--;
		return 0;
	}
	if (p->hold)
		return 0;
	e->answered = true;
	return fp_answer(p, e, out);
}

size_t
fp_input(struct fakepeer *p, const uint8_t *pkt, size_t len, struct fp_pkt *out)
{
	struct lanplus_hdr h;
	int rc = lanplus_parse_header(pkt, len, &h);

	if (rc == IPMI_E_PAYLOAD)
		return fp_presession(p, pkt, len, out);
	if (rc < 0)
		return 0;
	if (h.session_id == 0)
		return fp_setup(p, pkt, len, out);
	return fp_session(p, &h, pkt, len, out);
}
