/*
 * lanplus.c - RMCP+ session packet sealing and opening.
 *
 * Layout: RMCP(4) | 06h | type | session id | seq | len | payload |
 *         [FFh pad | pad len | 07h | AuthCode]
 * The AuthCode covers the bytes from 06h through the next-header byte; the
 * pad makes that span a multiple of 4.  Encrypted payloads are
 * IV | AES-CBC(plaintext | 01h 02h .. n | n).
 */
#include <string.h>

#include "ipmierr.h"
#include "lanplus.h"
#include "rmcp.h"

int
lanplus_parse_header(const uint8_t *pkt, size_t len, struct lanplus_hdr *out)
{
	struct wire_rd r = wire_rd_make(pkt, len);
	struct lanplus_hdr h;
	uint8_t b;
	int cls = rmcp_get_header(&r);

	if (cls < 0)
		return cls;
	if (cls != RMCP_CLASS_IPMI)
		return IPMI_E_PAYLOAD;
	b = wire_get_u8(&r);
	if (wire_rd_ok(&r) && b != LANPLUS_AUTHTYPE)
		return IPMI_E_PAYLOAD;
	b = wire_get_u8(&r);
	h.payload_type = b & 0x3f;
	h.encrypted = (b & LANPLUS_PT_ENCRYPTED) != 0;
	h.authenticated = (b & LANPLUS_PT_AUTH) != 0;
	if (h.payload_type == 0x02) /* OEM explicit: not spoken */
		return IPMI_E_PAYLOAD;
	h.session_id = wire_get_le32(&r);
	h.seq = wire_get_le32(&r);
	h.payload_len = wire_get_le16(&r);
	if (!wire_rd_ok(&r) || h.payload_len > wire_rd_left(&r))
		return IPMI_E_TRUNCATED;
	*out = h;
	return 0;
}

static int
lanplus_put_header(struct wire_wr *w, uint8_t type, uint32_t sid, uint32_t seq, size_t plen)
{
	if (plen > UINT16_MAX)
		return IPMI_E_ARG;
	rmcp_put_header(w, RMCP_CLASS_IPMI);
	wire_put_u8(w, LANPLUS_AUTHTYPE);
	wire_put_u8(w, type);
	wire_put_le32(w, sid);
	wire_put_le32(w, seq);
	wire_put_le16(w, (uint16_t)plen);
	return wire_wr_ok(w) ? 0 : IPMI_E_NOSPACE;
}

int
lanplus_encode_setup(uint8_t payload_type, const uint8_t *payload, size_t len, uint8_t *out,
                     size_t cap)
{
	struct wire_wr w = wire_wr_make(out, cap);
	int rc = lanplus_put_header(&w, payload_type & 0x3f, 0, 0, len);

	if (rc < 0)
		return rc;
	wire_put_bytes(&w, payload, len);
	return wire_wr_ok(&w) ? (int)w.len : IPMI_E_NOSPACE;
}

int
lanplus_decode_setup(const uint8_t *pkt, size_t len, uint8_t *payload_type, const uint8_t **payload,
                     size_t *payload_len)
{
	struct lanplus_hdr h;
	int rc = lanplus_parse_header(pkt, len, &h);

	if (rc < 0)
		return rc;
	if (h.encrypted || h.authenticated || h.session_id != 0 || h.payload_type < 0x10 ||
	    h.payload_type > 0x15)
		return IPMI_E_PAYLOAD;
	if ((size_t)LANPLUS_HDR_LEN + h.payload_len != len)
		return IPMI_E_MALFORMED;
	*payload_type = h.payload_type;
	*payload = pkt + LANPLUS_HDR_LEN;
	*payload_len = h.payload_len;
	return 0;
}

static enum crypto_hash
lanplus_integ_hash(uint8_t integ)
{
	switch (integ) {
	case CSUITE_INTEG_HMAC_MD5_128:
		return CRYPTO_MD5;
	case CSUITE_INTEG_HMAC_SHA256_128:
		return CRYPTO_SHA256;
	default:
		return CRYPTO_SHA1;
	}
}

int
lanplus_sess_init(struct lanplus_sess *s, const struct rakp_hs *hs, bool console)
{
	memset(s, 0, sizeof(*s));
	s->cs = hs->cs;
	s->tx_sid = console ? hs->bmc_sid : hs->console_sid;
	s->rx_sid = console ? hs->console_sid : hs->bmc_sid;
	seqwin_init(&s->rx_win);
	switch (s->cs->integ) {
	case CSUITE_INTEG_NONE:
		break;
	case CSUITE_INTEG_MD5_128:
		memcpy(s->kuid, hs->creds.kuid, sizeof(s->kuid));
		break;
	default:
		if (hs->key_len == 0)
			return IPMI_E_ARG;
		s->integ = crypto_mac_new(lanplus_integ_hash(s->cs->integ), hs->k1, hs->key_len);
		if (s->integ == NULL)
			return IPMI_E_CRYPTO;
	}
	if (s->cs->conf == CSUITE_CONF_AES_CBC_128) {
		if (hs->key_len < 16)
			return IPMI_E_ARG;
		s->aes = crypto_aes_new(hs->k2);
		if (s->aes == NULL) {
			lanplus_sess_clear(s);
			return IPMI_E_CRYPTO;
		}
	}
	return 0;
}

void
lanplus_sess_clear(struct lanplus_sess *s)
{
	crypto_mac_free(s->integ);
	crypto_aes_free(s->aes);
	crypto_wipe(s, sizeof(*s));
}

/* AuthCode over span (06h .. next header) into code; returns its length. */
static int
lanplus_authcode(struct lanplus_sess *s, const uint8_t *span, size_t len, uint8_t *code)
{
	uint8_t full[CRYPTO_MAX_MD];
	size_t want = csuite_integ_len(s->cs->integ);
	int n;

	if (s->cs->integ == CSUITE_INTEG_MD5_128) {
		struct crypto_iov iov[3] = { { s->kuid, RAKP_PASS_MAX },
			                     { span, len },
			                     { s->kuid, RAKP_PASS_MAX } };
		n = crypto_md5(iov, 3, full);
	} else {
		struct crypto_iov iov = { span, len };
		n = crypto_mac_sum(s->integ, &iov, 1, full);
	}
	if (n < 0)
		return n;
	memcpy(code, full, want);
	crypto_wipe(full, sizeof(full));
	return (int)want;
}

static int
lanplus_put_payload(struct lanplus_sess *s, const uint8_t *payload, size_t len,
                    const struct rng *rng, struct wire_wr *w)
{
	uint8_t *iv, *ct;
	size_t n = 15 - len % 16, total;
	int rc;

	if (s->aes == NULL) {
		wire_put_bytes(w, payload, len);
		return wire_wr_ok(w) ? 0 : IPMI_E_NOSPACE;
	}
	/* plaintext | 1 2 .. n | n, a multiple of 16 */
	total = len + n + 1;
	iv = wire_put_reserve(w, 16);
	ct = wire_put_reserve(w, total);
	if (iv == NULL || ct == NULL)
		return IPMI_E_NOSPACE;
	if ((rc = rng_fill(rng, iv, 16)) < 0)
		return rc;
	if (len > 0)
		memcpy(ct, payload, len);
	for (size_t i = 0; i < n; i++)
		ct[len + i] = (uint8_t)(i + 1);
	ct[len + n] = (uint8_t)n;
	rc = crypto_aes_encrypt(s->aes, iv, ct, total, ct);
	return rc < 0 ? rc : 0;
}

int
lanplus_seal(struct lanplus_sess *s, uint8_t payload_type, const uint8_t *payload, size_t len,
             const struct rng *rng, uint8_t *out, size_t cap, uint32_t *seq_out)
{
	struct wire_wr w = wire_wr_make(out, cap);
	bool auth = s->cs->integ != CSUITE_INTEG_NONE;
	bool enc = s->aes != NULL;
	uint8_t type = (uint8_t)((payload_type & 0x3f) | (auth ? LANPLUS_PT_AUTH : 0) |
	                         (enc ? LANPLUS_PT_ENCRYPTED : 0));
	uint32_t seq = seqwin_next_out(s->tx_seq);
	size_t plen_off, body_start;
	int rc;

	if (len > 255 + 32)
		return IPMI_E_ARG;
	if ((rc = lanplus_put_header(&w, type, s->tx_sid, seq, 0)) < 0)
		return rc;
	plen_off = w.len - 2;
	body_start = w.len;
	if ((rc = lanplus_put_payload(s, payload, len, rng, &w)) < 0)
		return rc;
	wire_patch_le16(&w, plen_off, (uint16_t)(w.len - body_start));
	if (auth) {
		size_t span = w.len - RMCP_HDR_LEN + 2; /* + pad length + next header */
		size_t pad = (4 - span % 4) % 4;
		uint8_t *code;

		wire_put_fill(&w, 0xff, pad);
		wire_put_u8(&w, (uint8_t)pad);
		wire_put_u8(&w, LANPLUS_NEXT_HEADER);
		code = wire_put_reserve(&w, csuite_integ_len(s->cs->integ));
		if (code == NULL)
			return IPMI_E_NOSPACE;
		rc = lanplus_authcode(s, out + RMCP_HDR_LEN, (size_t)(code - out) - RMCP_HDR_LEN,
		                      code);
		if (rc < 0)
			return rc;
	}
	if (!wire_wr_ok(&w))
		return IPMI_E_NOSPACE;
	s->tx_seq = seq;
	if (seq_out != NULL)
		*seq_out = seq;
	return (int)w.len;
}

/* Checks the integrity trailer after the payload; returns 0 or an error. */
static int
lanplus_check_trailer(struct lanplus_sess *s, const uint8_t *pkt, size_t len, size_t payload_end)
{
	struct wire_rd r = wire_rd_make(pkt + payload_end, len - payload_end);
	size_t clen = csuite_integ_len(s->cs->integ), span;
	uint8_t want[CRYPTO_MAX_MD];
	const uint8_t *pad, *got;
	uint8_t padlen;
	int rc;

	if (len < payload_end + 2 + clen)
		return IPMI_E_TRUNCATED;
	span = len - clen - RMCP_HDR_LEN; /* 06h .. next header */
	if (span % 4 != 0)
		return IPMI_E_PAD;
	padlen = pkt[len - clen - 2];
	if (pkt[len - clen - 1] != LANPLUS_NEXT_HEADER || padlen > 3 ||
	    payload_end + padlen + 2 + clen != len)
		return IPMI_E_PAD;
	pad = wire_get_ref(&r, padlen);
	if (pad == NULL)
		return IPMI_E_TRUNCATED;
	for (size_t i = 0; i < padlen; i++)
		if (pad[i] != 0xff)
			return IPMI_E_PAD;
	wire_skip(&r, 2);
	got = wire_get_ref(&r, clen);
	if (got == NULL || !wire_rd_done(&r))
		return IPMI_E_TRUNCATED;
	rc = lanplus_authcode(s, pkt + RMCP_HDR_LEN, span, want);
	if (rc < 0)
		return rc;
	rc = crypto_memcmp(want, got, clen) == 0 ? 0 : IPMI_E_BAD_MAC;
	crypto_wipe(want, sizeof(want));
	return rc;
}

static int
lanplus_decrypt(struct lanplus_sess *s, const uint8_t *p, size_t len, uint8_t *out, size_t cap)
{
	size_t ctlen, n;
	int rc;

	if (len < 32 || (len - 16) % 16 != 0)
		return IPMI_E_PAD;
	ctlen = len - 16;
	if (ctlen > cap)
		return IPMI_E_NOSPACE;
	rc = crypto_aes_decrypt(s->aes, p, p + 16, ctlen, out);
	if (rc < 0)
		return rc;
	n = out[ctlen - 1];
	if (n > 15 || n + 1 > ctlen)
		return IPMI_E_PAD;
	for (size_t i = 0; i < n; i++)
		if (out[ctlen - 1 - n + i] != i + 1)
			return IPMI_E_PAD;
	return (int)(ctlen - 1 - n);
}

int
lanplus_open(struct lanplus_sess *s, const uint8_t *pkt, size_t len, uint8_t *payload_type,
             uint8_t *out, size_t cap)
{
	struct lanplus_hdr h;
	size_t payload_end;
	const uint8_t *p;
	bool want_auth = s->cs->integ != CSUITE_INTEG_NONE;
	int rc, n;

	if ((rc = lanplus_parse_header(pkt, len, &h)) < 0)
		return rc;
	if (h.session_id == 0 || h.session_id != s->rx_sid)
		return IPMI_E_SESSION;
	/* Security is what the suite says, never less (no stripped MACs). */
	if (h.authenticated != want_auth || h.encrypted != (s->aes != NULL))
		return IPMI_E_PAYLOAD;
	if ((rc = seqwin_check(&s->rx_win, h.seq)) < 0)
		return rc;
	payload_end = LANPLUS_HDR_LEN + (size_t)h.payload_len;
	if (want_auth)
		rc = lanplus_check_trailer(s, pkt, len, payload_end);
	else
		rc = payload_end == len ? 0 : IPMI_E_MALFORMED;
	if (rc < 0)
		return rc;
	p = pkt + LANPLUS_HDR_LEN;
	if (s->aes != NULL) {
		n = lanplus_decrypt(s, p, h.payload_len, out, cap);
	} else if (h.payload_len > cap) {
		n = IPMI_E_NOSPACE;
	} else {
		if (h.payload_len > 0)
			memcpy(out, p, h.payload_len);
		n = h.payload_len;
	}
	if (n < 0)
		return n;
	seqwin_commit(&s->rx_win, h.seq);
	*payload_type = h.payload_type;
	return n;
}
