/*
 * rakp.c - Open Session and RAKP 1-4 codecs and the key exchange.
 *
 * Byte layouts follow IPMI v2.0 tables 13-16 .. 13-13; every computation is
 * HMAC with the suite's authentication hash.  Secrets are copied only into
 * struct rakp_creds / rakp_hs and stack temporaries, which are wiped.
 */
#include <string.h>

#include "crypto.h"
#include "ipmierr.h"
#include "rakp.h"

static const uint8_t rakp_const1[20] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
};
static const uint8_t rakp_const2[20] = {
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
};

static int
rakp_hash(uint8_t auth, enum crypto_hash *h)
{
	switch (auth) {
	case CSUITE_AUTH_HMAC_SHA1:
		*h = CRYPTO_SHA1;
		return 0;
	case CSUITE_AUTH_HMAC_MD5:
		*h = CRYPTO_MD5;
		return 0;
	case CSUITE_AUTH_HMAC_SHA256:
		*h = CRYPTO_SHA256;
		return 0;
	default:
		return IPMI_E_UNSUPPORTED;
	}
}

int
rakp_creds_set(struct rakp_creds *c, const char *user, const uint8_t *pass, size_t pass_len,
               const uint8_t *kg, size_t kg_len)
{
	size_t ulen = user != NULL ? strlen(user) : 0;

	if (ulen > RAKP_USER_MAX || pass_len > RAKP_PASS_MAX || kg_len > RAKP_KG_MAX ||
	    (pass_len > 0 && pass == NULL))
		return IPMI_E_ARG;
	memset(c, 0, sizeof(*c));
	if (ulen > 0)
		memcpy(c->user, user, ulen);
	c->user_len = (uint8_t)ulen;
	if (pass_len > 0)
		memcpy(c->kuid, pass, pass_len);
	c->kuid_len = (uint8_t)pass_len;
	if (kg != NULL && kg_len > 0) {
		memcpy(c->kg, kg, kg_len);
		c->has_kg = true;
	} else {
		memcpy(c->kg, c->kuid, sizeof(c->kg));
	}
	return 0;
}

void
rakp_creds_clear(struct rakp_creds *c)
{
	crypto_wipe(c, sizeof(*c));
}

void
rakp_hs_clear(struct rakp_hs *hs)
{
	crypto_wipe(hs, sizeof(*hs));
}

/* ---- codecs ---- */

static void
rakp_put_alg(struct wire_wr *w, uint8_t type, uint8_t alg)
{
	wire_put_u8(w, type);
	wire_put_le16(w, 0);
	wire_put_u8(w, 8);
	wire_put_u8(w, alg);
	wire_put_fill(w, 0, 3);
}

/* Reads one algorithm payload record of the given type. */
static uint8_t
rakp_get_alg(struct wire_rd *r, uint8_t type)
{
	uint8_t t = wire_get_u8(r), alg;

	wire_skip(r, 2);
	if (wire_get_u8(r) != 8 || t != type)
		r->err = true;
	alg = wire_get_u8(r) & 0x3f;
	wire_skip(r, 3);
	return alg;
}

static int
rakp_wr_result(const struct wire_wr *w, size_t start)
{
	return wire_wr_ok(w) ? (int)(w->len - start) : IPMI_E_NOSPACE;
}

int
rakp_encode_open_req(const struct rakp_open_req *m, struct wire_wr *w)
{
	size_t start = w->len;

	wire_put_u8(w, m->tag);
	wire_put_u8(w, m->priv);
	wire_put_le16(w, 0);
	wire_put_le32(w, m->console_sid);
	rakp_put_alg(w, 0, m->auth);
	rakp_put_alg(w, 1, m->integ);
	rakp_put_alg(w, 2, m->conf);
	return rakp_wr_result(w, start);
}

int
rakp_decode_open_req(const uint8_t *p, size_t len, struct rakp_open_req *out)
{
	struct wire_rd r = wire_rd_make(p, len);
	struct rakp_open_req m;

	m.tag = wire_get_u8(&r);
	m.priv = wire_get_u8(&r) & 0x0f;
	wire_skip(&r, 2);
	m.console_sid = wire_get_le32(&r);
	m.auth = rakp_get_alg(&r, 0);
	m.integ = rakp_get_alg(&r, 1);
	m.conf = rakp_get_alg(&r, 2);
	if (!wire_rd_done(&r))
		return wire_rd_ok(&r) ? IPMI_E_MALFORMED : IPMI_E_TRUNCATED;
	*out = m;
	return 0;
}

int
rakp_encode_open_rsp(const struct rakp_open_rsp *m, struct wire_wr *w)
{
	size_t start = w->len;

	wire_put_u8(w, m->tag);
	wire_put_u8(w, m->status);
	wire_put_u8(w, m->priv);
	wire_put_u8(w, 0);
	wire_put_le32(w, m->console_sid);
	if (m->status == RAKP_ST_OK) {
		wire_put_le32(w, m->bmc_sid);
		rakp_put_alg(w, 0, m->auth);
		rakp_put_alg(w, 1, m->integ);
		rakp_put_alg(w, 2, m->conf);
	}
	return rakp_wr_result(w, start);
}

int
rakp_decode_open_rsp(const uint8_t *p, size_t len, struct rakp_open_rsp *out)
{
	struct wire_rd r = wire_rd_make(p, len);
	struct rakp_open_rsp m = { 0 };

	m.tag = wire_get_u8(&r);
	m.status = wire_get_u8(&r);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	/* Some BMCs (ipmi_sim) send just tag and status when refusing. */
	if (m.status != RAKP_ST_OK && wire_rd_left(&r) == 0) {
		*out = m;
		return 0;
	}
	m.priv = wire_get_u8(&r) & 0x0f;
	wire_skip(&r, 1);
	m.console_sid = wire_get_le32(&r);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	/* An error response may stop after the console session id. */
	if (m.status == RAKP_ST_OK || wire_rd_left(&r) > 0) {
		m.bmc_sid = wire_get_le32(&r);
		m.auth = rakp_get_alg(&r, 0);
		m.integ = rakp_get_alg(&r, 1);
		m.conf = rakp_get_alg(&r, 2);
		if (!wire_rd_done(&r) && m.status == RAKP_ST_OK)
			return wire_rd_ok(&r) ? IPMI_E_MALFORMED : IPMI_E_TRUNCATED;
	}
	*out = m;
	return 0;
}

int
rakp_encode_msg1(const struct rakp_msg1 *m, struct wire_wr *w)
{
	size_t start = w->len;

	if (m->user_len > RAKP_USER_MAX)
		return IPMI_E_ARG;
	wire_put_u8(w, m->tag);
	wire_put_fill(w, 0, 3);
	wire_put_le32(w, m->bmc_sid);
	wire_put_bytes(w, m->rm, RAKP_RAND_LEN);
	wire_put_u8(w, m->role);
	wire_put_le16(w, 0);
	wire_put_u8(w, m->user_len);
	wire_put_bytes(w, m->user, m->user_len);
	return rakp_wr_result(w, start);
}

int
rakp_decode_msg1(const uint8_t *p, size_t len, struct rakp_msg1 *out)
{
	struct wire_rd r = wire_rd_make(p, len);
	struct rakp_msg1 m = { 0 };

	m.tag = wire_get_u8(&r);
	wire_skip(&r, 3);
	m.bmc_sid = wire_get_le32(&r);
	wire_get_bytes(&r, m.rm, RAKP_RAND_LEN);
	m.role = wire_get_u8(&r);
	wire_skip(&r, 2);
	m.user_len = wire_get_u8(&r);
	if (m.user_len > RAKP_USER_MAX)
		return IPMI_E_MALFORMED;
	wire_get_bytes(&r, m.user, m.user_len);
	if (!wire_rd_done(&r))
		return wire_rd_ok(&r) ? IPMI_E_MALFORMED : IPMI_E_TRUNCATED;
	*out = m;
	return 0;
}

/* Common head of RAKP 2-4: tag, status, 2 reserved, session id. */
static void
rakp_put_head(struct wire_wr *w, uint8_t tag, uint8_t status, uint32_t sid)
{
	wire_put_u8(w, tag);
	wire_put_u8(w, status);
	wire_put_le16(w, 0);
	wire_put_le32(w, sid);
}

/*
 * Reads the common head.  A refusal may stop after tag and status (the
 * session id then reads as 0); anything else must be complete.
 */
static int
rakp_get_head(struct wire_rd *r, uint8_t *tag, uint8_t *status, uint32_t *sid)
{
	*tag = wire_get_u8(r);
	*status = wire_get_u8(r);
	if (!wire_rd_ok(r))
		return IPMI_E_TRUNCATED;
	if (*status != RAKP_ST_OK && wire_rd_left(r) == 0) {
		*sid = 0;
		return 0;
	}
	wire_skip(r, 2);
	*sid = wire_get_le32(r);
	return wire_rd_ok(r) ? 0 : IPMI_E_TRUNCATED;
}

/* Reads a trailing code of at most RAKP_CODE_MAX bytes. */
static int
rakp_get_code(struct wire_rd *r, uint8_t *code, uint8_t *code_len)
{
	size_t n = wire_rd_left(r);

	if (n > RAKP_CODE_MAX)
		return IPMI_E_MALFORMED;
	wire_get_bytes(r, code, n);
	*code_len = (uint8_t)n;
	return 0;
}

int
rakp_encode_msg2(const struct rakp_msg2 *m, struct wire_wr *w)
{
	size_t start = w->len;

	rakp_put_head(w, m->tag, m->status, m->console_sid);
	if (m->status == RAKP_ST_OK) {
		wire_put_bytes(w, m->rc, RAKP_RAND_LEN);
		wire_put_bytes(w, m->guid, RAKP_GUID_LEN);
		wire_put_bytes(w, m->code, m->code_len);
	}
	return rakp_wr_result(w, start);
}

int
rakp_decode_msg2(const uint8_t *p, size_t len, struct rakp_msg2 *out)
{
	struct wire_rd r = wire_rd_make(p, len);
	struct rakp_msg2 m = { 0 };

	if (rakp_get_head(&r, &m.tag, &m.status, &m.console_sid) < 0)
		return IPMI_E_TRUNCATED;
	if (m.status == RAKP_ST_OK) {
		wire_get_bytes(&r, m.rc, RAKP_RAND_LEN);
		wire_get_bytes(&r, m.guid, RAKP_GUID_LEN);
		if (!wire_rd_ok(&r))
			return IPMI_E_TRUNCATED;
		if (rakp_get_code(&r, m.code, &m.code_len) < 0)
			return IPMI_E_MALFORMED;
	}
	*out = m;
	return 0;
}

int
rakp_encode_msg3(const struct rakp_msg3 *m, struct wire_wr *w)
{
	size_t start = w->len;

	rakp_put_head(w, m->tag, m->status, m->bmc_sid);
	wire_put_bytes(w, m->code, m->code_len);
	return rakp_wr_result(w, start);
}

int
rakp_decode_msg3(const uint8_t *p, size_t len, struct rakp_msg3 *out)
{
	struct wire_rd r = wire_rd_make(p, len);
	struct rakp_msg3 m = { 0 };

	if (rakp_get_head(&r, &m.tag, &m.status, &m.bmc_sid) < 0)
		return IPMI_E_TRUNCATED;
	if (rakp_get_code(&r, m.code, &m.code_len) < 0)
		return IPMI_E_MALFORMED;
	*out = m;
	return 0;
}

int
rakp_encode_msg4(const struct rakp_msg4 *m, struct wire_wr *w)
{
	size_t start = w->len;

	rakp_put_head(w, m->tag, m->status, m->console_sid);
	if (m->status == RAKP_ST_OK)
		wire_put_bytes(w, m->icv, m->icv_len);
	return rakp_wr_result(w, start);
}

int
rakp_decode_msg4(const uint8_t *p, size_t len, struct rakp_msg4 *out)
{
	struct wire_rd r = wire_rd_make(p, len);
	struct rakp_msg4 m = { 0 };

	if (rakp_get_head(&r, &m.tag, &m.status, &m.console_sid) < 0)
		return IPMI_E_TRUNCATED;
	if (rakp_get_code(&r, m.icv, &m.icv_len) < 0)
		return IPMI_E_MALFORMED;
	*out = m;
	return 0;
}

/* ---- key exchange ---- */

static void
rakp_le32(uint8_t b[4], uint32_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

/* HMAC over iov with the suite's hash; 0 bytes for RAKP-none. */
static int
rakp_mac(const struct rakp_hs *hs, const uint8_t *key, size_t keylen, const struct crypto_iov *iov,
         size_t n, uint8_t *out)
{
	enum crypto_hash h;

	if (hs->cs == NULL)
		return IPMI_E_ARG;
	if (hs->cs->auth == CSUITE_AUTH_NONE)
		return 0;
	if (rakp_hash(hs->cs->auth, &h) < 0)
		return IPMI_E_UNSUPPORTED;
	return crypto_hmac(h, key, keylen, iov, n, out);
}

int
rakp_rakp2_code(const struct rakp_hs *hs, uint8_t out[RAKP_CODE_MAX])
{
	uint8_t sidm[4], sidc[4], ulen = hs->creds.user_len;
	struct crypto_iov iov[] = {
		{ sidm, 4 },
		{ sidc, 4 },
		{ hs->rm, RAKP_RAND_LEN },
		{ hs->rc, RAKP_RAND_LEN },
		{ hs->guid, RAKP_GUID_LEN },
		{ &hs->role, 1 },
		{ &ulen, 1 },
		{ hs->creds.user, ulen },
	};

	rakp_le32(sidm, hs->console_sid);
	rakp_le32(sidc, hs->bmc_sid);
	return rakp_mac(hs, hs->creds.kuid, RAKP_PASS_MAX, iov, 8, out);
}

int
rakp_rakp3_code(const struct rakp_hs *hs, uint8_t out[RAKP_CODE_MAX])
{
	uint8_t sidm[4], ulen = hs->creds.user_len;
	struct crypto_iov iov[] = {
		{ hs->rc, RAKP_RAND_LEN }, { sidm, 4 }, { &hs->role, 1 }, { &ulen, 1 },
		{ hs->creds.user, ulen },
	};

	rakp_le32(sidm, hs->console_sid);
	return rakp_mac(hs, hs->creds.kuid, RAKP_PASS_MAX, iov, 5, out);
}

int
rakp_derive_keys(struct rakp_hs *hs)
{
	uint8_t ulen = hs->creds.user_len;
	struct crypto_iov iov[] = {
		{ hs->rm, RAKP_RAND_LEN }, { hs->rc, RAKP_RAND_LEN },
		{ &hs->role, 1 },          { &ulen, 1 },
		{ hs->creds.user, ulen },
	};
	struct crypto_iov c1 = { rakp_const1, sizeof(rakp_const1) };
	struct crypto_iov c2 = { rakp_const2, sizeof(rakp_const2) };
	int n;

	n = rakp_mac(hs, hs->creds.kg, RAKP_KG_MAX, iov, 5, hs->sik);
	if (n <= 0) {
		hs->key_len = 0;
		return n;
	}
	hs->key_len = (uint8_t)n;
	if (rakp_mac(hs, hs->sik, hs->key_len, &c1, 1, hs->k1) != n ||
	    rakp_mac(hs, hs->sik, hs->key_len, &c2, 1, hs->k2) != n)
		return IPMI_E_CRYPTO;
	return n;
}

int
rakp_rakp4_icv(const struct rakp_hs *hs, uint8_t out[RAKP_CODE_MAX])
{
	uint8_t sidc[4], full[RAKP_CODE_MAX];
	struct crypto_iov iov[] = {
		{ hs->rm, RAKP_RAND_LEN },
		{ sidc, 4 },
		{ hs->guid, RAKP_GUID_LEN },
	};
	size_t want = csuite_rakp4_len(hs->cs->auth);
	int n;

	rakp_le32(sidc, hs->bmc_sid);
	n = rakp_mac(hs, hs->sik, hs->key_len, iov, 3, full);
	if (n < 0)
		return n;
	if ((size_t)n < want)
		return IPMI_E_CRYPTO;
	memcpy(out, full, want);
	crypto_wipe(full, sizeof(full));
	return (int)want;
}

/* Constant-time check that got (got_len bytes) equals the expected code. */
static int
rakp_verify(const uint8_t *want, int want_len, const uint8_t *got, size_t got_len, int err)
{
	if (want_len < 0)
		return want_len;
	if ((size_t)want_len != got_len)
		return err;
	return crypto_memcmp(want, got, got_len) == 0 ? 0 : err;
}

int
rakp_client_open(struct rakp_hs *hs, const struct rakp_open_req *sent,
                 const struct rakp_open_rsp *got)
{
	if (got->tag != sent->tag)
		return IPMI_E_TAG;
	if (got->status != RAKP_ST_OK)
		return IPMI_E_STATUS;
	if (got->console_sid != sent->console_sid)
		return IPMI_E_SESSION;
	if (got->auth != sent->auth || got->integ != sent->integ || got->conf != sent->conf)
		return IPMI_E_DOWNGRADE;
	if (got->bmc_sid == 0)
		return IPMI_E_MALFORMED;
	hs->cs = csuite_by_algs(got->auth, got->integ, got->conf);
	if (hs->cs == NULL)
		return IPMI_E_UNSUPPORTED;
	hs->console_sid = sent->console_sid;
	hs->bmc_sid = got->bmc_sid;
	return 0;
}

int
rakp_client_rakp2(struct rakp_hs *hs, const struct rakp_msg1 *sent, const struct rakp_msg2 *got)
{
	uint8_t want[RAKP_CODE_MAX];
	int rc;

	if (got->tag != sent->tag)
		return IPMI_E_TAG;
	if (got->status != RAKP_ST_OK)
		return IPMI_E_STATUS;
	if (got->console_sid != hs->console_sid)
		return IPMI_E_SESSION;
	memcpy(hs->rm, sent->rm, RAKP_RAND_LEN);
	memcpy(hs->rc, got->rc, RAKP_RAND_LEN);
	memcpy(hs->guid, got->guid, RAKP_GUID_LEN);
	hs->role = sent->role;
	rc = rakp_verify(want, rakp_rakp2_code(hs, want), got->code, got->code_len, IPMI_E_RAKP2);
	crypto_wipe(want, sizeof(want));
	if (rc < 0)
		return rc;
	rc = rakp_derive_keys(hs);
	return rc < 0 ? rc : 0;
}

int
rakp_client_rakp3(const struct rakp_hs *hs, uint8_t tag, struct rakp_msg3 *out)
{
	int n;

	memset(out, 0, sizeof(*out));
	out->tag = tag;
	out->status = RAKP_ST_OK;
	out->bmc_sid = hs->bmc_sid;
	n = rakp_rakp3_code(hs, out->code);
	if (n < 0)
		return n;
	out->code_len = (uint8_t)n;
	return 0;
}

int
rakp_client_rakp4(const struct rakp_hs *hs, const struct rakp_msg3 *sent,
                  const struct rakp_msg4 *got)
{
	uint8_t want[RAKP_CODE_MAX];
	int rc;

	if (got->tag != sent->tag)
		return IPMI_E_TAG;
	if (got->status != RAKP_ST_OK)
		return IPMI_E_STATUS;
	if (got->console_sid != hs->console_sid)
		return IPMI_E_SESSION;
	rc = rakp_verify(want, rakp_rakp4_icv(hs, want), got->icv, got->icv_len, IPMI_E_RAKP4);
	crypto_wipe(want, sizeof(want));
	return rc;
}

int
rakp_server_rakp2(struct rakp_hs *hs, const struct rakp_msg1 *got, struct rakp_msg2 *out)
{
	int n;

	memcpy(hs->rm, got->rm, RAKP_RAND_LEN);
	hs->role = got->role;
	memset(out, 0, sizeof(*out));
	out->tag = got->tag;
	out->status = RAKP_ST_OK;
	out->console_sid = hs->console_sid;
	memcpy(out->rc, hs->rc, RAKP_RAND_LEN);
	memcpy(out->guid, hs->guid, RAKP_GUID_LEN);
	n = rakp_rakp2_code(hs, out->code);
	if (n < 0)
		return n;
	out->code_len = (uint8_t)n;
	n = rakp_derive_keys(hs);
	return n < 0 ? n : 0;
}

int
rakp_server_rakp3(struct rakp_hs *hs, const struct rakp_msg3 *got)
{
	uint8_t want[RAKP_CODE_MAX];
	int rc;

	if (got->bmc_sid != hs->bmc_sid)
		return IPMI_E_SESSION;
	if (got->status != RAKP_ST_OK)
		return IPMI_E_STATUS;
	rc = rakp_verify(want, rakp_rakp3_code(hs, want), got->code, got->code_len, IPMI_E_RAKP3);
	crypto_wipe(want, sizeof(want));
	return rc;
}

int
rakp_server_rakp4(const struct rakp_hs *hs, uint8_t tag, struct rakp_msg4 *out)
{
	int n;

	memset(out, 0, sizeof(*out));
	out->tag = tag;
	out->status = RAKP_ST_OK;
	out->console_sid = hs->console_sid;
	n = rakp_rakp4_icv(hs, out->icv);
	if (n < 0)
		return n;
	out->icv_len = (uint8_t)n;
	return 0;
}
