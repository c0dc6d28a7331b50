/*
 * fuzz_session_open - opening in-session packets: lanplus_parse_header,
 * lanplus_decode_setup, lanplus_open and lanmsg_open on an established
 * session (the captured suite 3 / 17 sessions, rebuilt in memory).
 *
 * Input: one mode byte, then the rest.
 *   mode bit 0: 0 = suite 3, 1 = suite 17
 *   mode bit 1: 0 = the console opens (bmc->console packets), 1 = the BMC
 *   mode bit 2: 0 = the rest is one datagram, opened by each function with
 *               a fresh copy of the session;
 *               1 = the rest is records, each turned into a packet that
 *               carries a valid AuthCode and opened in turn by one session
 *               (sequence window, decryption and pads behind the MAC):
 *                 flags | type | seq (4, LE) | len | payload (len)
 *               flags bit 0: 0 = lanplus_seal by the peer (type & 3fh is
 *                 the payload type), 1 = built here: type is the raw
 *                 payload type byte; bit 7 encrypts (AES-CBC of the payload
 *                 zero-extended to a multiple of 16, no pad added: the
 *                 payload supplies it), bit 6 adds the integrity trailer
 *               flags bit 1: open with lanmsg_open instead of lanplus_open
 *               flags bit 2: wrong session id
 *               flags bit 3: integrity pad bytes FEh instead of FFh
 *               flags bit 4: integrity pad length from bits 5-6, not computed
 *               flags bit 7: next header 08h instead of 07h
 *   mode bits 3-7: output capacity in 16-byte units (0 = full size)
 * Output buffers are heap-allocated at exactly the capacity passed.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ipmierr.h"
#include "lanmsg.h"
#include "rmcp.h"

#define REC_HDR 7

static size_t
out_cap(uint8_t mode)
{
	size_t units = mode >> 3;

	return units == 0 ? LANPLUS_MAX_PKT : units * 16;
}

static void
open_one(const struct lanplus_sess *tmpl, const uint8_t *pkt, size_t len, size_t cap)
{
	struct lanplus_sess s;
	struct lanplus_hdr h;
	struct ipmimsg m;
	const uint8_t *payload;
	size_t plen;
	uint8_t type;
	uint8_t *out = malloc(cap);
	int n;

	if (out == NULL)
		abort();
	if (lanplus_parse_header(pkt, len, &h) == 0)
		FUZZ_ASSERT((size_t)LANPLUS_HDR_LEN + h.payload_len <= len);
	if (lanplus_decode_setup(pkt, len, &type, &payload, &plen) == 0)
		FUZZ_ASSERT(payload + plen == pkt + len);
	(void)rmcp_class(pkt, len);

	s = *tmpl;
	n = lanplus_open(&s, pkt, len, &type, out, cap);
	FUZZ_ASSERT(n < 0 || (size_t)n <= cap);
	if (n >= 0) {
		/* Accepted once: the same packet again is a replay. */
		FUZZ_ASSERT(lanplus_open(&s, pkt, len, &type, out, cap) == IPMI_E_REPLAY);
	}

	s = *tmpl;
	if (lanmsg_open(&s, pkt, len, out, cap, &m) == 0) {
		FUZZ_ASSERT(m.data_len <= IPMIMSG_MAX_LEN && m.data >= out &&
		            m.data + m.data_len <= out + cap);
		(void)ipmimsg_cc_str(m.data_len > 0 ? m.data[0] : 0);
	}
	free(out);
}

/* Builds a packet the way a peer with the keys could, sloppy or not. */
static size_t
build_raw(const struct lanplus_sess *s, uint8_t flags, uint8_t type, uint32_t seq,
          const uint8_t *payload, size_t len, uint8_t *pkt, size_t cap)
{
	struct wire_wr w = wire_wr_make(pkt, cap);
	size_t plen_off, body;
	uint8_t *p;

	rmcp_put_header(&w, RMCP_CLASS_IPMI);
	wire_put_u8(&w, LANPLUS_AUTHTYPE);
	wire_put_u8(&w, type);
	wire_put_le32(&w, (flags & 0x04) ? s->rx_sid ^ 0x01000000 : s->rx_sid);
	wire_put_le32(&w, seq);
	plen_off = w.len;
	wire_put_le16(&w, 0);
	body = w.len;
	if ((type & LANPLUS_PT_ENCRYPTED) && s->aes != NULL) {
		size_t ctlen = (len + 15) / 16 * 16;
		uint8_t iv[16];

		for (size_t i = 0; i < sizeof(iv); i++)
			iv[i] = (uint8_t)(seq + i * 7);
		wire_put_bytes(&w, iv, sizeof(iv));
		p = wire_put_reserve(&w, ctlen);
		if (p == NULL)
			return 0;
		memset(p, 0, ctlen);
		if (len > 0)
			memcpy(p, payload, len);
		if (crypto_aes_encrypt(s->aes, iv, p, ctlen, p) < 0)
			abort();
	} else {
		wire_put_bytes(&w, payload, len);
	}
	wire_patch_le16(&w, plen_off, (uint16_t)(w.len - body));
	if ((type & LANPLUS_PT_AUTH) && s->integ != NULL) {
		size_t clen = csuite_integ_len(s->cs->integ);
		size_t pad = (4 - (w.len - RMCP_HDR_LEN + 2) % 4) % 4;
		uint8_t full[CRYPTO_MAX_MD];
		struct crypto_iov iov;

		if (flags & 0x10)
			pad = (flags >> 5) & 3;
		wire_put_fill(&w, (flags & 0x08) ? 0xfe : 0xff, pad);
		wire_put_u8(&w, (uint8_t)pad);
		wire_put_u8(&w, (flags & 0x80) ? 0x08 : LANPLUS_NEXT_HEADER);
		if (!wire_wr_ok(&w))
			return 0;
		iov = (struct crypto_iov){ pkt + RMCP_HDR_LEN, w.len - RMCP_HDR_LEN };
		if (crypto_mac_sum(s->integ, &iov, 1, full) < 0)
			abort();
		wire_put_bytes(&w, full, clen);
	}
	return wire_wr_ok(&w) ? w.len : 0;
}

static void
records(const struct lanplus_sess *rx_tmpl, const struct lanplus_sess *tx_tmpl, const uint8_t *data,
        size_t size, size_t cap)
{
	struct lanplus_sess rx = *rx_tmpl, tx = *tx_tmpl;
	struct fuzz_rng state;
	struct rng rng = fuzz_rng_make(&state, NULL, 0, 7);
	uint8_t pkt[LANPLUS_MAX_PKT + 64];
	uint8_t *out = malloc(cap);

	if (out == NULL)
		abort();
	while (size >= REC_HDR) {
		uint8_t flags = data[0], type = data[1];
		uint32_t seq = fuzz_le32(data + 2);
		size_t len = data[6];
		const uint8_t *payload = data + REC_HDR;
		size_t plen;
		struct ipmimsg m;
		uint8_t got_type;
		int n;

		if (len > size - REC_HDR)
			len = size - REC_HDR;
		data += REC_HDR + len;
		size -= REC_HDR + len;
		if (flags & 0x01) {
			plen = build_raw(&rx, flags, type, seq, payload, len, pkt, sizeof(pkt));
		} else {
			tx.tx_seq = seq - 1;
			n = lanplus_seal(&tx, type, payload, len, &rng, pkt, sizeof(pkt), NULL);
			plen = n > 0 ? (size_t)n : 0;
		}
		if (plen == 0)
			continue;
		if (flags & 0x02) {
			n = lanmsg_open(&rx, pkt, plen, out, cap, &m);
		} else {
			n = lanplus_open(&rx, pkt, plen, &got_type, out, cap);
			FUZZ_ASSERT(n < 0 || (size_t)n <= cap);
			/* What lanplus_seal wrapped comes back unchanged. */
			if (n >= 0 && !(flags & 0x01))
				FUZZ_ASSERT((size_t)n == len && got_type == (type & 0x3f) &&
				            (len == 0 || memcmp(out, payload, len) == 0));
		}
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fuzz_hs *hs;
	const struct lanplus_sess *rx, *tx;
	uint8_t mode;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	hs = fuzz_hs_get(mode & 1);
	rx = (mode & 2) ? &hs->bmc : &hs->console;
	tx = (mode & 2) ? &hs->console : &hs->bmc;
	if (mode & 4)
		records(rx, tx, data, size, out_cap(mode));
	else
		open_one(rx, data, size, out_cap(mode));
	return 0;
}
