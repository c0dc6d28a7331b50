/*
 * tutil.c - shared helpers for the protocol core's unit tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ipmierr.h"
#include "ipmimsg.h"
#include "lanplus.h"
#include "tutil.h"

/* ---- hex ---- */

static int
tu_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
tu_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (const char *p = hex; *p != '\0'; p++) {
		int v;

		if (*p == ' ')
			continue;
		v = tu_nibble(*p);
		ck_assert_msg(v >= 0, "bad hex digit in \"%s\"", hex);
		if (hi < 0) {
			hi = v;
			continue;
		}
		ck_assert_msg(n < cap, "hex string too long");
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	ck_assert_msg(hi < 0, "odd hex string");
	return n;
}

/* ---- rngs ---- */

static int
tu_rng_fill(void *arg, uint8_t *buf, size_t n)
{
	struct tu_rng *t = arg;

	t->calls++;
	if (t->fail != 0)
		return t->fail;
	for (size_t i = 0; i < n; i++) {
		buf[i] = t->buf[t->pos];
		t->pos = (t->pos + 1) % t->len;
	}
	t->bytes += n;
	return 0;
}

struct rng
tu_rng_make(struct tu_rng *t)
{
	struct rng r = { tu_rng_fill, t };
	return r;
}

static int
tu_ctr_fill(void *arg, uint8_t *buf, size_t n)
{
	struct tu_ctr *c = arg;

	for (size_t i = 0; i < n; i++, c->i++)
		buf[i] = (uint8_t)((c->seed + c->i) * 37u);
	return 0;
}

struct rng
tu_ctr_make(struct tu_ctr *c, uint32_t seed)
{
	struct rng r = { tu_ctr_fill, c };

	c->seed = seed;
	c->i = 0;
	return r;
}

/* ---- vectors ---- */

const int tu_vec_suites[] = { 1, 2, 3, 17 };
const size_t tu_vec_nsuites = sizeof(tu_vec_suites) / sizeof(tu_vec_suites[0]);

static json_object *
tu_get(json_object *o, const char *key)
{
	json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(o, key, &v) && v != NULL, "missing JSON field %s",
	              key);
	return v;
}

static const char *
tu_get_str(json_object *o, const char *key)
{
	json_object *v = tu_get(o, key);

	ck_assert_msg(json_object_is_type(v, json_type_string), "%s is not a string", key);
	return json_object_get_string(v);
}

static uint32_t
tu_get_hexnum(json_object *o, const char *key)
{
	const char *s = tu_get_str(o, key);
	char *end;
	unsigned long v = strtoul(s, &end, 16);

	ck_assert_msg(*s != '\0' && *end == '\0' && v <= UINT32_MAX, "bad number %s", s);
	return (uint32_t)v;
}

static void
tu_get_fixed(json_object *o, const char *key, uint8_t *out, size_t want)
{
	uint8_t buf[64];
	size_t n = tu_hex(tu_get_str(o, key), buf, sizeof(buf));

	ck_assert_uint_eq(n, want);
	memcpy(out, buf, n);
}

static const struct {
	const char *name;
	uint8_t pt;
} tu_setup_names[] = {
	{ "Open Session Request", RAKP_PT_OPEN_REQ }, { "Open Session Response", RAKP_PT_OPEN_RSP },
	{ "RAKP Message 1", RAKP_PT_RAKP1 },          { "RAKP Message 2", RAKP_PT_RAKP2 },
	{ "RAKP Message 3", RAKP_PT_RAKP3 },          { "RAKP Message 4", RAKP_PT_RAKP4 },
};

static void
tu_vec_decoded(json_object *d, struct tu_pkt *p)
{
	json_object *v;
	const char *pt;

	if (!json_object_object_get_ex(d, "payload_type", &v)) {
		ck_assert_ptr_nonnull(strstr(tu_get_str(d, "format"), "v1.5"));
		p->kind = TU_V15;
		return;
	}
	pt = json_object_get_string(v);
	if (strcmp(pt, "IPMI message") == 0) {
		p->kind = TU_SESSION;
		p->seq = (uint32_t)json_object_get_int64(tu_get(d, "session_seq"));
		p->msg_len = tu_hex(tu_get_str(d, "ipmi_message"), p->msg, sizeof(p->msg));
		p->pad_len = -1;
		if (json_object_object_get_ex(d, "integrity_pad_len", &v))
			p->pad_len = json_object_get_int(v);
		if (json_object_object_get_ex(d, "aes_iv", &v)) {
			p->has_iv = true;
			tu_get_fixed(d, "aes_iv", p->iv, 16);
		}
		return;
	}
	for (size_t i = 0; i < sizeof(tu_setup_names) / sizeof(tu_setup_names[0]); i++) {
		if (strcmp(pt, tu_setup_names[i].name) == 0) {
			p->kind = TU_SETUP;
			p->setup_pt = tu_setup_names[i].pt;
			return;
		}
	}
	ck_abort_msg("unknown payload type %s", pt);
}

void
tu_vec_load(int suite, struct tu_vec *v)
{
	const char *dir = getenv("IPMIPOOL_VECTORS");
	char path[4096];
	json_object *root, *pkts, *dec, *der;
	const char *s;

	ck_assert_msg(dir != NULL, "IPMIPOOL_VECTORS is not set (run through meson test)");
	snprintf(path, sizeof(path), "%s/suite%d-admin.json", dir, suite);
	root = json_object_from_file(path);
	ck_assert_msg(root != NULL, "cannot read %s", path);
	memset(v, 0, sizeof(*v));
	v->suite = (int)json_object_get_int(tu_get(root, "cipher_suite"));
	ck_assert_int_eq(v->suite, suite);
	s = tu_get_str(root, "username");
	ck_assert_uint_le(strlen(s), RAKP_USER_MAX);
	memcpy(v->user, s, strlen(s) + 1);
	s = tu_get_str(root, "password");
	ck_assert_uint_le(strlen(s), RAKP_PASS_MAX);
	memcpy(v->pass, s, strlen(s) + 1);
	v->priv = json_object_get_int(tu_get(root, "privilege_level_requested"));
	{
		json_object *kg = NULL;

		/* a JSON null comes back as a NULL object */
		ck_assert(json_object_object_get_ex(root, "bmc_key_kg", &kg));
		ck_assert_msg(kg == NULL, "vectors with a BMC key are not handled");
	}
	v->out_len = tu_hex(tu_get_str(root, "client_stdout"), v->out, sizeof(v->out));

	pkts = tu_get(root, "packets");
	dec = tu_get(root, "decoded");
	v->npkt = json_object_array_length(pkts);
	ck_assert_uint_le(v->npkt, TU_MAX_PKTS);
	ck_assert_uint_eq(json_object_array_length(dec), v->npkt);
	for (size_t i = 0; i < v->npkt; i++) {
		json_object *p = json_object_array_get_idx(pkts, i);
		json_object *d = json_object_array_get_idx(dec, i);
		const char *dir_s = tu_get_str(p, "dir");

		v->pkt[i].to_bmc = strcmp(dir_s, "console->bmc") == 0;
		ck_assert_str_eq(tu_get_str(d, "dir"), dir_s);
		ck_assert_int_eq(json_object_get_int(tu_get(d, "index")), (int)i);
		v->pkt[i].len = tu_hex(tu_get_str(p, "hex"), v->pkt[i].b, sizeof(v->pkt[i].b));
		tu_vec_decoded(d, &v->pkt[i]);
	}

	der = tu_get(root, "derived");
	v->console_sid = tu_get_hexnum(der, "console_session_id");
	v->bmc_sid = tu_get_hexnum(der, "bmc_session_id");
	v->role = (uint8_t)tu_get_hexnum(der, "rakp1_role_byte");
	tu_get_fixed(der, "rm_console_random", v->rm, 16);
	tu_get_fixed(der, "rc_bmc_random", v->rc, 16);
	tu_get_fixed(der, "bmc_guid", v->guid, 16);
	v->key_len = tu_hex(tu_get_str(der, "sik"), v->sik, sizeof(v->sik));
	tu_get_fixed(der, "k1", v->k1, v->key_len);
	tu_get_fixed(der, "k2", v->k2, v->key_len);
	json_object_put(root);
}

const struct tu_pkt *
tu_vec_setup(const struct tu_vec *v, uint8_t pt)
{
	const struct tu_pkt *found = NULL;

	for (size_t i = 0; i < v->npkt; i++) {
		if (v->pkt[i].kind == TU_SETUP && v->pkt[i].setup_pt == pt) {
			ck_assert_msg(found == NULL, "two set-up packets of type %02x", pt);
			found = &v->pkt[i];
		}
	}
	ck_assert_msg(found != NULL, "no set-up packet of type %02x", pt);
	return found;
}

void
tu_setup_payload(const struct tu_pkt *p, const uint8_t **pl, size_t *len)
{
	uint8_t pt = 0xff;

	ck_assert_int_eq(lanplus_decode_setup(p->b, p->len, &pt, pl, len), 0);
	ck_assert_uint_eq(pt, p->setup_pt);
}

/* ---- message equality ---- */

void
tu_eq_open_req(const struct rakp_open_req *a, const struct rakp_open_req *b)
{
	ck_assert_uint_eq(a->tag, b->tag);
	ck_assert_uint_eq(a->priv, b->priv);
	ck_assert_uint_eq(a->console_sid, b->console_sid);
	ck_assert_uint_eq(a->auth, b->auth);
	ck_assert_uint_eq(a->integ, b->integ);
	ck_assert_uint_eq(a->conf, b->conf);
}

void
tu_eq_open_rsp(const struct rakp_open_rsp *a, const struct rakp_open_rsp *b)
{
	ck_assert_uint_eq(a->tag, b->tag);
	ck_assert_uint_eq(a->status, b->status);
	ck_assert_uint_eq(a->priv, b->priv);
	ck_assert_uint_eq(a->console_sid, b->console_sid);
	ck_assert_uint_eq(a->bmc_sid, b->bmc_sid);
	ck_assert_uint_eq(a->auth, b->auth);
	ck_assert_uint_eq(a->integ, b->integ);
	ck_assert_uint_eq(a->conf, b->conf);
}

void
tu_eq_msg1(const struct rakp_msg1 *a, const struct rakp_msg1 *b)
{
	ck_assert_uint_eq(a->tag, b->tag);
	ck_assert_uint_eq(a->bmc_sid, b->bmc_sid);
	ck_assert_mem_eq(a->rm, b->rm, RAKP_RAND_LEN);
	ck_assert_uint_eq(a->role, b->role);
	ck_assert_uint_eq(a->user_len, b->user_len);
	ck_assert_mem_eq(a->user, b->user, a->user_len);
}

void
tu_eq_msg2(const struct rakp_msg2 *a, const struct rakp_msg2 *b)
{
	ck_assert_uint_eq(a->tag, b->tag);
	ck_assert_uint_eq(a->status, b->status);
	ck_assert_uint_eq(a->console_sid, b->console_sid);
	ck_assert_mem_eq(a->rc, b->rc, RAKP_RAND_LEN);
	ck_assert_mem_eq(a->guid, b->guid, RAKP_GUID_LEN);
	ck_assert_uint_eq(a->code_len, b->code_len);
	ck_assert_mem_eq(a->code, b->code, a->code_len);
}

void
tu_eq_msg3(const struct rakp_msg3 *a, const struct rakp_msg3 *b)
{
	ck_assert_uint_eq(a->tag, b->tag);
	ck_assert_uint_eq(a->status, b->status);
	ck_assert_uint_eq(a->bmc_sid, b->bmc_sid);
	ck_assert_uint_eq(a->code_len, b->code_len);
	ck_assert_mem_eq(a->code, b->code, a->code_len);
}

void
tu_eq_msg4(const struct rakp_msg4 *a, const struct rakp_msg4 *b)
{
	ck_assert_uint_eq(a->tag, b->tag);
	ck_assert_uint_eq(a->status, b->status);
	ck_assert_uint_eq(a->console_sid, b->console_sid);
	ck_assert_uint_eq(a->icv_len, b->icv_len);
	ck_assert_mem_eq(a->icv, b->icv, a->icv_len);
}

/* ---- handshake ---- */

/* Wraps a set-up payload in a packet, "sends" it and unwraps it again. */
static void
tu_xfer(uint8_t pt, const uint8_t *pl, size_t len, uint8_t *pkt, const uint8_t **got,
        size_t *got_len)
{
	uint8_t gpt = 0;
	int n = lanplus_encode_setup(pt, pl, len, pkt, LANPLUS_MAX_PKT);

	ck_assert_int_eq(n, (int)(LANPLUS_HDR_LEN + len));
	ck_assert_int_eq(lanplus_decode_setup(pkt, (size_t)n, &gpt, got, got_len), 0);
	ck_assert_uint_eq(gpt, pt);
	ck_assert_uint_eq(*got_len, len);
	ck_assert_mem_eq(*got, pl, len);
}

static void
tu_creds(struct rakp_creds *c, const char *user, const char *pass, const char *kg)
{
	ck_assert_int_eq(rakp_creds_set(c, user, (const uint8_t *)pass, strlen(pass),
	                                (const uint8_t *)kg, kg != NULL ? strlen(kg) : 0),
	                 0);
}

int
tu_handshake(int suite, const char *user, const char *pass, const char *kg_con, const char *kg_bmc,
             struct rakp_hs *con, struct rakp_hs *bmc)
{
	const struct csuite *cs = csuite_by_id(suite);
	uint8_t buf[LANPLUS_MAX_PKT], pkt[LANPLUS_MAX_PKT];
	const uint8_t *pl;
	size_t pl_len;
	struct wire_wr w;
	struct tu_ctr cc, bc;
	struct rng crng = tu_ctr_make(&cc, (uint32_t)suite * 7u + 1u);
	struct rng brng = tu_ctr_make(&bc, (uint32_t)suite * 11u + 5u);
	struct rakp_open_req req = { 0 }, req_got;
	struct rakp_open_rsp rsp = { 0 }, rsp_got;
	struct rakp_msg1 m1 = { 0 }, m1_got;
	struct rakp_msg2 m2, m2_got;
	struct rakp_msg3 m3, m3_got;
	struct rakp_msg4 m4, m4_got;
	int rc;

	ck_assert_ptr_nonnull(cs);
	memset(con, 0, sizeof(*con));
	memset(bmc, 0, sizeof(*bmc));
	tu_creds(&con->creds, user, pass, kg_con);
	tu_creds(&bmc->creds, user, pass, kg_bmc);

	/* Open Session Request: console -> BMC */
	req.tag = (uint8_t)(0x40 + suite);
	req.priv = IPMI_PRIV_ADMIN;
	req.console_sid = 0xc0de0000u + (uint32_t)suite;
	req.auth = cs->auth;
	req.integ = cs->integ;
	req.conf = cs->conf;
	w = wire_wr_make(buf, sizeof(buf));
	ck_assert_int_eq(rakp_encode_open_req(&req, &w), 32);
	tu_xfer(RAKP_PT_OPEN_REQ, buf, w.len, pkt, &pl, &pl_len);
	ck_assert_int_eq(rakp_decode_open_req(pl, pl_len, &req_got), 0);
	tu_eq_open_req(&req_got, &req);

	/* BMC picks its session id and accepts the proposal. */
	bmc->cs = csuite_by_algs(req_got.auth, req_got.integ, req_got.conf);
	ck_assert_ptr_eq(bmc->cs, cs);
	bmc->console_sid = req_got.console_sid;
	bmc->bmc_sid = 0x5e550000u + (uint32_t)suite;
	rsp.tag = req_got.tag;
	rsp.status = RAKP_ST_OK;
	rsp.priv = req_got.priv;
	rsp.console_sid = bmc->console_sid;
	rsp.bmc_sid = bmc->bmc_sid;
	rsp.auth = cs->auth;
	rsp.integ = cs->integ;
	rsp.conf = cs->conf;
	w = wire_wr_make(buf, sizeof(buf));
	ck_assert_int_eq(rakp_encode_open_rsp(&rsp, &w), 36);
	tu_xfer(RAKP_PT_OPEN_RSP, buf, w.len, pkt, &pl, &pl_len);
	ck_assert_int_eq(rakp_decode_open_rsp(pl, pl_len, &rsp_got), 0);
	tu_eq_open_rsp(&rsp_got, &rsp);
	if ((rc = rakp_client_open(con, &req, &rsp_got)) < 0)
		return rc;
	ck_assert_ptr_eq(con->cs, cs);

	/* RAKP1 */
	m1.tag = (uint8_t)(req.tag + 1);
	m1.bmc_sid = con->bmc_sid;
	ck_assert_int_eq(rng_fill(&crng, m1.rm, RAKP_RAND_LEN), 0);
	m1.role = IPMI_PRIV_ADMIN | RAKP_ROLE_NAME_ONLY;
	m1.user_len = (uint8_t)strlen(user);
	memcpy(m1.user, user, m1.user_len);
	w = wire_wr_make(buf, sizeof(buf));
	ck_assert_int_eq(rakp_encode_msg1(&m1, &w), 28 + (int)m1.user_len);
	tu_xfer(RAKP_PT_RAKP1, buf, w.len, pkt, &pl, &pl_len);
	ck_assert_int_eq(rakp_decode_msg1(pl, pl_len, &m1_got), 0);
	tu_eq_msg1(&m1_got, &m1);
	ck_assert_uint_eq(m1_got.bmc_sid, bmc->bmc_sid);

	/* RAKP2 */
	ck_assert_int_eq(rng_fill(&brng, bmc->rc, RAKP_RAND_LEN), 0);
	memcpy(bmc->guid, "ipmipool-testbmc", RAKP_GUID_LEN);
	ck_assert_int_eq(rakp_server_rakp2(bmc, &m1_got, &m2), 0);
	ck_assert_uint_eq(m2.code_len, csuite_auth_len(cs->auth));
	w = wire_wr_make(buf, sizeof(buf));
	ck_assert_int_eq(rakp_encode_msg2(&m2, &w), 40 + (int)m2.code_len);
	tu_xfer(RAKP_PT_RAKP2, buf, w.len, pkt, &pl, &pl_len);
	ck_assert_int_eq(rakp_decode_msg2(pl, pl_len, &m2_got), 0);
	tu_eq_msg2(&m2_got, &m2);
	if ((rc = rakp_client_rakp2(con, &m1, &m2_got)) < 0)
		return rc;

	/* RAKP3 */
	ck_assert_int_eq(rakp_client_rakp3(con, (uint8_t)(req.tag + 2), &m3), 0);
	ck_assert_uint_eq(m3.code_len, csuite_auth_len(cs->auth));
	w = wire_wr_make(buf, sizeof(buf));
	ck_assert_int_eq(rakp_encode_msg3(&m3, &w), 8 + (int)m3.code_len);
	tu_xfer(RAKP_PT_RAKP3, buf, w.len, pkt, &pl, &pl_len);
	ck_assert_int_eq(rakp_decode_msg3(pl, pl_len, &m3_got), 0);
	tu_eq_msg3(&m3_got, &m3);
	if ((rc = rakp_server_rakp3(bmc, &m3_got)) < 0)
		return rc;

	/* RAKP4 */
	ck_assert_int_eq(rakp_server_rakp4(bmc, m3_got.tag, &m4), 0);
	ck_assert_uint_eq(m4.icv_len, csuite_rakp4_len(cs->auth));
	w = wire_wr_make(buf, sizeof(buf));
	ck_assert_int_eq(rakp_encode_msg4(&m4, &w), 8 + (int)m4.icv_len);
	tu_xfer(RAKP_PT_RAKP4, buf, w.len, pkt, &pl, &pl_len);
	ck_assert_int_eq(rakp_decode_msg4(pl, pl_len, &m4_got), 0);
	tu_eq_msg4(&m4_got, &m4);
	if ((rc = rakp_client_rakp4(con, &m3, &m4_got)) < 0)
		return rc;

	/* Both sides agree on everything. */
	ck_assert_uint_eq(con->key_len, csuite_auth_len(cs->auth));
	ck_assert_uint_eq(bmc->key_len, con->key_len);
	ck_assert_mem_eq(con->sik, bmc->sik, con->key_len);
	ck_assert_mem_eq(con->k1, bmc->k1, con->key_len);
	ck_assert_mem_eq(con->k2, bmc->k2, con->key_len);
	ck_assert_mem_eq(con->rm, bmc->rm, RAKP_RAND_LEN);
	ck_assert_mem_eq(con->rc, bmc->rc, RAKP_RAND_LEN);
	ck_assert_mem_eq(con->guid, bmc->guid, RAKP_GUID_LEN);
	ck_assert_uint_eq(con->console_sid, bmc->console_sid);
	ck_assert_uint_eq(con->bmc_sid, bmc->bmc_sid);
	ck_assert_uint_eq(con->role, bmc->role);
	return 0;
}

/* ---- reference session packet ---- */

struct tu_ref
tu_ref_from_hs(const struct rakp_hs *hs, bool console)
{
	struct tu_ref r = {
		.cs = hs->cs,
		.k1 = hs->k1,
		.key_len = hs->key_len,
		.k2 = hs->k2,
		.kuid = hs->creds.kuid,
		.sid = console ? hs->bmc_sid : hs->console_sid,
		.seq = 1,
		.type = 0,
		.iv = NULL,
		.conf_pad_bad = 0,
		.conf_padlen = -1,
		.integ_pad_byte = -1,
		.next_header = -1,
		.integ_pad_len = -1,
	};
	return r;
}

static void
tu_ref_authcode(const struct tu_ref *r, const uint8_t *data, size_t len, uint8_t *code)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *h = NULL;

	switch (r->cs->integ) {
	case CSUITE_INTEG_HMAC_SHA1_96:
		h = EVP_sha1();
		break;
	case CSUITE_INTEG_HMAC_MD5_128:
		h = EVP_md5();
		break;
	case CSUITE_INTEG_HMAC_SHA256_128:
		h = EVP_sha256();
		break;
	case CSUITE_INTEG_MD5_128: {
		/* MD5(Kuid | data | Kuid), Kuid zero padded to 20 bytes */
		EVP_MD_CTX *c = EVP_MD_CTX_new();

		ck_assert_ptr_nonnull(c);
		ck_assert_int_eq(EVP_DigestInit_ex(c, EVP_md5(), NULL), 1);
		ck_assert_int_eq(EVP_DigestUpdate(c, r->kuid, 20), 1);
		ck_assert_int_eq(EVP_DigestUpdate(c, data, len), 1);
		ck_assert_int_eq(EVP_DigestUpdate(c, r->kuid, 20), 1);
		ck_assert_int_eq(EVP_DigestFinal_ex(c, md, &mdlen), 1);
		EVP_MD_CTX_free(c);
		memcpy(code, md, 16);
		return;
	}
	default:
		ck_abort_msg("no AuthCode for integrity %d", r->cs->integ);
	}
	ck_assert_ptr_nonnull(HMAC(h, r->k1, (int)r->key_len, data, len, md, &mdlen));
	memcpy(code, md, csuite_integ_len(r->cs->integ));
}

size_t
tu_ref_seal(const struct tu_ref *r, const uint8_t *payload, size_t len, uint8_t *out, size_t cap)
{
	bool auth = r->cs->integ != CSUITE_INTEG_NONE;
	bool enc = r->cs->conf == CSUITE_CONF_AES_CBC_128;
	size_t n = 16, plen;
	uint8_t *p;

	ck_assert_uint_ge(cap, LANPLUS_MAX_PKT);
	ck_assert_uint_le(len, 255 + 32);
	memcpy(out, "\x06\x00\xff\x07\x06", 5);
	out[5] = (uint8_t)(r->type | (enc ? 0x80 : 0) | (auth ? 0x40 : 0));
	for (int i = 0; i < 4; i++) {
		out[6 + i] = (uint8_t)(r->sid >> (8 * i));
		out[10 + i] = (uint8_t)(r->seq >> (8 * i));
	}
	p = out + n;
	if (enc) {
		uint8_t pt[512];
		size_t pad = 15 - len % 16, total = len + pad + 1;
		EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
		int l1 = 0, l2 = 0;

		memcpy(pt, payload, len);
		for (size_t i = 0; i < pad; i++)
			pt[len + i] = (uint8_t)(i + 1);
		pt[len + pad] = (uint8_t)pad;
		if (pad > 0)
			pt[len] ^= (uint8_t)r->conf_pad_bad;
		if (r->conf_padlen >= 0)
			pt[len + pad] = (uint8_t)r->conf_padlen;
		ck_assert_ptr_nonnull(r->iv);
		memcpy(p, r->iv, 16);
		ck_assert_ptr_nonnull(c);
		ck_assert_int_eq(EVP_EncryptInit_ex(c, EVP_aes_128_cbc(), NULL, r->k2, r->iv), 1);
		ck_assert_int_eq(EVP_CIPHER_CTX_set_padding(c, 0), 1);
		ck_assert_int_eq(EVP_EncryptUpdate(c, p + 16, &l1, pt, (int)total), 1);
		ck_assert_int_eq(EVP_EncryptFinal_ex(c, p + 16 + l1, &l2), 1);
		ck_assert_uint_eq((size_t)(l1 + l2), total);
		EVP_CIPHER_CTX_free(c);
		plen = 16 + total;
	} else {
		memcpy(p, payload, len);
		plen = len;
	}
	out[14] = (uint8_t)plen;
	out[15] = (uint8_t)(plen >> 8);
	n += plen;
	if (auth) {
		size_t pad = (4 - (n - 4 + 2) % 4) % 4;

		if (r->integ_pad_len >= 0)
			pad = (size_t)r->integ_pad_len;
		memset(out + n, r->integ_pad_byte >= 0 ? r->integ_pad_byte : 0xff, pad);
		n += pad;
		out[n++] = (uint8_t)pad;
		out[n++] = (uint8_t)(r->next_header >= 0 ? r->next_header : 0x07);
		tu_ref_authcode(r, out + 4, n - 4, out + n);
		n += csuite_integ_len(r->cs->integ);
	}
	return n;
}

/* ---- Check ---- */

TCase *
tu_tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
	return tc;
}

int
tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int nf;

	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
