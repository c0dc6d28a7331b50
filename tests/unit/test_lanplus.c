/*
 * test_lanplus.c - RMCP+ session packets (lanplus.h): header parsing, the
 * set-up wrapper, and sealing/opening against the captured ipmitool
 * sessions and in memory for every cipher suite.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "ipmierr.h"
#include "ipmimsg.h"
#include "lanplus.h"
#include "rmcp.h"
#include "tutil.h"

/* ---- a captured session, re-established on both sides ---- */

struct live {
	struct tu_vec v;
	struct rakp_hs con, bmc;
	struct lanplus_sess cs; /* console side */
	struct lanplus_sess bs; /* BMC side */
};

static void
decode_setup(const struct tu_vec *v, uint8_t pt, const uint8_t **pl, size_t *len)
{
	tu_setup_payload(tu_vec_setup(v, pt), pl, len);
}

static struct live *
live_load(int suite)
{
	struct live *l = calloc(1, sizeof(*l));
	const uint8_t *pl;
	size_t len;
	struct rakp_open_req req;
	struct rakp_open_rsp rsp;
	struct rakp_msg1 m1;
	struct rakp_msg2 m2, m2b;
	struct rakp_msg3 m3, m3c;
	struct rakp_msg4 m4;
	struct tu_rng t;
	struct rng r;

	ck_assert_ptr_nonnull(l);
	tu_vec_load(suite, &l->v);
	decode_setup(&l->v, RAKP_PT_OPEN_REQ, &pl, &len);
	ck_assert_int_eq(rakp_decode_open_req(pl, len, &req), 0);
	decode_setup(&l->v, RAKP_PT_OPEN_RSP, &pl, &len);
	ck_assert_int_eq(rakp_decode_open_rsp(pl, len, &rsp), 0);
	decode_setup(&l->v, RAKP_PT_RAKP1, &pl, &len);
	ck_assert_int_eq(rakp_decode_msg1(pl, len, &m1), 0);
	decode_setup(&l->v, RAKP_PT_RAKP2, &pl, &len);
	ck_assert_int_eq(rakp_decode_msg2(pl, len, &m2), 0);
	decode_setup(&l->v, RAKP_PT_RAKP3, &pl, &len);
	ck_assert_int_eq(rakp_decode_msg3(pl, len, &m3), 0);
	decode_setup(&l->v, RAKP_PT_RAKP4, &pl, &len);
	ck_assert_int_eq(rakp_decode_msg4(pl, len, &m4), 0);

	/* console: the real BMC's answers */
	ck_assert_int_eq(rakp_creds_set(&l->con.creds, l->v.user, (const uint8_t *)l->v.pass,
	                                strlen(l->v.pass), NULL, 0),
	                 0);
	ck_assert_int_eq(rakp_client_open(&l->con, &req, &rsp), 0);
	ck_assert_int_eq(rakp_client_rakp2(&l->con, &m1, &m2), 0);
	ck_assert_int_eq(rakp_client_rakp3(&l->con, m3.tag, &m3c), 0);
	ck_assert_int_eq(rakp_client_rakp4(&l->con, &m3c, &m4), 0);

	/* BMC: the real console's messages, Rc from a deterministic rng */
	ck_assert_int_eq(rakp_creds_set(&l->bmc.creds, l->v.user, (const uint8_t *)l->v.pass,
	                                strlen(l->v.pass), NULL, 0),
	                 0);
	l->bmc.cs = csuite_by_algs(req.auth, req.integ, req.conf);
	l->bmc.console_sid = req.console_sid;
	l->bmc.bmc_sid = l->v.bmc_sid;
	t = (struct tu_rng){ .buf = l->v.rc, .len = 16 };
	r = tu_rng_make(&t);
	ck_assert_int_eq(rng_fill(&r, l->bmc.rc, 16), 0);
	memcpy(l->bmc.guid, l->v.guid, 16);
	ck_assert_int_eq(rakp_server_rakp2(&l->bmc, &m1, &m2b), 0);
	ck_assert_int_eq(rakp_server_rakp3(&l->bmc, &m3), 0);

	for (int side = 0; side < 2; side++) {
		const struct rakp_hs *hs = side == 0 ? &l->con : &l->bmc;

		ck_assert_uint_eq(hs->key_len, l->v.key_len);
		ck_assert_mem_eq(hs->sik, l->v.sik, l->v.key_len);
		ck_assert_mem_eq(hs->k1, l->v.k1, l->v.key_len);
		ck_assert_mem_eq(hs->k2, l->v.k2, l->v.key_len);
	}
	ck_assert_int_eq(lanplus_sess_init(&l->cs, &l->con, true), 0);
	ck_assert_int_eq(lanplus_sess_init(&l->bs, &l->bmc, false), 0);
	ck_assert_uint_eq(l->cs.tx_sid, l->v.bmc_sid);
	ck_assert_uint_eq(l->cs.rx_sid, l->v.console_sid);
	ck_assert_uint_eq(l->bs.tx_sid, l->v.console_sid);
	ck_assert_uint_eq(l->bs.rx_sid, l->v.bmc_sid);
	return l;
}

static void
live_free(struct live *l)
{
	lanplus_sess_clear(&l->cs);
	lanplus_sess_clear(&l->bs);
	rakp_hs_clear(&l->con);
	rakp_hs_clear(&l->bmc);
	free(l);
}

/* The session that receives p. */
static struct lanplus_sess *
rx_of(struct live *l, const struct tu_pkt *p)
{
	return p->to_bmc ? &l->bs : &l->cs;
}

static bool
same_win(const struct seqwin *a, const struct seqwin *b)
{
	return a->top == b->top && a->seen == b->seen;
}

/* ---- header parsing ---- */

START_TEST(parse_header_captured)
{
	struct tu_vec *v = malloc(sizeof(*v));
	const struct csuite *cs;

	tu_vec_load(tu_vec_suites[_i], v);
	cs = csuite_by_id(v->suite);
	for (size_t i = 0; i < v->npkt; i++) {
		const struct tu_pkt *p = &v->pkt[i];
		struct lanplus_hdr h;
		int rc = lanplus_parse_header(p->b, p->len, &h);

		if (p->kind == TU_V15) {
			ck_assert_int_eq(rc, IPMI_E_PAYLOAD);
			continue;
		}
		ck_assert_int_eq(rc, 0);
		if (p->kind == TU_SETUP) {
			ck_assert_uint_eq(h.payload_type, p->setup_pt);
			ck_assert(!h.encrypted && !h.authenticated);
			ck_assert_uint_eq(h.session_id, 0);
			ck_assert_uint_eq(h.seq, 0);
			ck_assert_uint_eq(h.payload_len, p->len - LANPLUS_HDR_LEN);
			continue;
		}
		ck_assert_uint_eq(h.payload_type, LANPLUS_PT_IPMI);
		ck_assert(h.encrypted == (cs->conf != CSUITE_CONF_NONE));
		ck_assert(h.authenticated == (cs->integ != CSUITE_INTEG_NONE));
		ck_assert_uint_eq(h.session_id, p->to_bmc ? v->bmc_sid : v->console_sid);
		ck_assert_uint_eq(h.seq, p->seq);
		if (h.encrypted) {
			/* IV + ciphertext of message + pad + pad length */
			ck_assert_uint_eq(h.payload_len, 16 + (p->msg_len / 16 + 1) * 16);
			ck_assert_mem_eq(p->b + LANPLUS_HDR_LEN, p->iv, 16);
		} else {
			ck_assert_uint_eq(h.payload_len, p->msg_len);
			ck_assert_mem_eq(p->b + LANPLUS_HDR_LEN, p->msg, p->msg_len);
		}
		if (h.authenticated)
			ck_assert_uint_eq(p->len, LANPLUS_HDR_LEN + h.payload_len + p->pad_len + 2 +
			                              csuite_integ_len(cs->integ));
		else
			ck_assert_uint_eq(p->len, LANPLUS_HDR_LEN + h.payload_len);
	}
	free(v);
}
END_TEST

START_TEST(parse_header_other)
{
	uint8_t pkt[64];
	struct lanplus_hdr h;
	int n = asf_encode_ping(1, pkt, sizeof(pkt));

	ck_assert_int_eq(lanplus_parse_header(pkt, (size_t)n, &h), IPMI_E_PAYLOAD);
	n = lanplus_encode_setup(RAKP_PT_OPEN_REQ, (const uint8_t *)"0123", 4, pkt, sizeof(pkt));
	ck_assert_int_eq(lanplus_parse_header(pkt, (size_t)n, &h), 0);
	/* OEM explicit payloads (type 02h) are not spoken */
	pkt[5] = 0x02;
	ck_assert_int_eq(lanplus_parse_header(pkt, (size_t)n, &h), IPMI_E_PAYLOAD);
	pkt[5] = 0xc2;
	ck_assert_int_eq(lanplus_parse_header(pkt, (size_t)n, &h), IPMI_E_PAYLOAD);
	/* flags and type come apart */
	pkt[5] = 0xc1;
	ck_assert_int_eq(lanplus_parse_header(pkt, (size_t)n, &h), 0);
	ck_assert_uint_eq(h.payload_type, LANPLUS_PT_SOL);
	ck_assert(h.encrypted && h.authenticated);
	/* auth types other than 06h are not RMCP+ */
	for (unsigned at = 0; at < 256; at++) {
		pkt[4] = (uint8_t)at;
		ck_assert_int_eq(lanplus_parse_header(pkt, (size_t)n, &h),
		                 at == 6 ? 0 : IPMI_E_PAYLOAD);
	}
	/* a payload length beyond the datagram */
	pkt[4] = LANPLUS_AUTHTYPE;
	pkt[14] = 5;
	ck_assert_int_eq(lanplus_parse_header(pkt, (size_t)n, &h), IPMI_E_TRUNCATED);
	pkt[14] = 0xff;
	pkt[15] = 0xff;
	ck_assert_int_eq(lanplus_parse_header(pkt, (size_t)n, &h), IPMI_E_TRUNCATED);
}
END_TEST

/* ---- set-up wrapper ---- */

START_TEST(setup_codec)
{
	uint8_t pl[64], pkt[LANPLUS_MAX_PKT], pt;
	const uint8_t *got;
	size_t got_len;

	for (size_t i = 0; i < sizeof(pl); i++)
		pl[i] = (uint8_t)(i * 3);
	for (uint8_t t = RAKP_PT_OPEN_REQ; t <= RAKP_PT_RAKP4; t++) {
		int n = lanplus_encode_setup(t, pl, 40, pkt, sizeof(pkt));

		ck_assert_int_eq(n, 56);
		ck_assert_mem_eq(pkt, "\x06\x00\xff\x07\x06", 5);
		ck_assert_uint_eq(pkt[5], t);
		ck_assert_mem_eq(pkt + 6, "\0\0\0\0\0\0\0\0\x28\x00", 10);
		ck_assert_int_eq(lanplus_decode_setup(pkt, 56, &pt, &got, &got_len), 0);
		ck_assert_uint_eq(pt, t);
		ck_assert_ptr_eq(got, pkt + 16);
		ck_assert_uint_eq(got_len, 40);
		/* one trailing byte */
		ck_assert_int_eq(lanplus_decode_setup(pkt, 57, &pt, &got, &got_len),
		                 IPMI_E_MALFORMED);
	}
	/* the flag bits are not part of the type */
	ck_assert_int_eq(lanplus_encode_setup(0xc0 | RAKP_PT_RAKP1, pl, 4, pkt, sizeof(pkt)), 20);
	ck_assert_uint_eq(pkt[5], RAKP_PT_RAKP1);
	/* not set-up payloads: IPMI, SOL, 16h+, flags, a session id */
	for (unsigned t = 0; t < 0x40; t++) {
		lanplus_encode_setup(RAKP_PT_RAKP1, pl, 4, pkt, sizeof(pkt));
		pkt[5] = (uint8_t)t;
		ck_assert_int_eq(lanplus_decode_setup(pkt, 20, &pt, &got, &got_len),
		                 t >= 0x10 && t <= 0x15 ? 0 : IPMI_E_PAYLOAD);
	}
	lanplus_encode_setup(RAKP_PT_RAKP1, pl, 4, pkt, sizeof(pkt));
	pkt[5] |= LANPLUS_PT_AUTH;
	ck_assert_int_eq(lanplus_decode_setup(pkt, 20, &pt, &got, &got_len), IPMI_E_PAYLOAD);
	pkt[5] = RAKP_PT_RAKP1 | LANPLUS_PT_ENCRYPTED;
	ck_assert_int_eq(lanplus_decode_setup(pkt, 20, &pt, &got, &got_len), IPMI_E_PAYLOAD);
	pkt[5] = RAKP_PT_RAKP1;
	pkt[9] = 0x01;
	ck_assert_int_eq(lanplus_decode_setup(pkt, 20, &pt, &got, &got_len), IPMI_E_PAYLOAD);
	/* encoder limits */
	ck_assert_int_eq(lanplus_encode_setup(RAKP_PT_RAKP1, NULL, 0, pkt, sizeof(pkt)), 16);
	for (size_t cap = 0; cap < 20; cap++) {
		uint8_t *o = malloc(cap + 1);
		ck_assert_int_eq(lanplus_encode_setup(RAKP_PT_RAKP1, pl, 4, o, cap),
		                 IPMI_E_NOSPACE);
		free(o);
	}
	ck_assert_int_eq(lanplus_encode_setup(RAKP_PT_RAKP1, pl, 65536, pkt, sizeof(pkt)),
	                 IPMI_E_ARG);
}
END_TEST

/* ---- the captured sessions ---- */

/* Console side opens everything the BMC sent; checks the decoded messages. */
START_TEST(captured_console_open)
{
	struct live *l = live_load(tu_vec_suites[_i]);
	const uint8_t *last_devid = NULL;
	size_t last_len = 0, opened = 0;
	uint8_t keep[LANPLUS_MAX_PKT];

	for (size_t i = 0; i < l->v.npkt; i++) {
		const struct tu_pkt *p = &l->v.pkt[i];
		uint8_t out[LANPLUS_MAX_PKT], pt = 0xff;
		struct ipmimsg m;
		int n;

		if (p->kind != TU_SESSION || p->to_bmc)
			continue;
		n = lanplus_open(&l->cs, p->b, p->len, &pt, out, sizeof(out));
		ck_assert_msg(n >= 0, "packet %zu: %s", i, ipmierr_str(n));
		ck_assert_uint_eq(pt, LANPLUS_PT_IPMI);
		ck_assert_uint_eq((size_t)n, p->msg_len);
		ck_assert_mem_eq(out, p->msg, p->msg_len);
		ck_assert_uint_eq(l->cs.rx_win.top, p->seq);
		ck_assert_int_eq(ipmimsg_decode(out, (size_t)n, &m), 0);
		ck_assert(ipmimsg_is_response(&m));
		if (m.netfn == (IPMI_NETFN_APP | 1) && m.cmd == IPMI_CMD_GET_DEVICE_ID) {
			ck_assert_uint_eq(m.data[0], 0x00);
			memcpy(keep, m.data, m.data_len);
			last_devid = keep;
			last_len = m.data_len;
		}
		opened++;
	}
	ck_assert_uint_eq(opened, 7);
	/* what ipmitool printed is the last Get Device ID response's data */
	ck_assert_ptr_nonnull(last_devid);
	ck_assert_uint_eq(last_len - 1, l->v.out_len);
	ck_assert_mem_eq(last_devid + 1, l->v.out, l->v.out_len);
	live_free(l);
}
END_TEST

/* BMC side opens everything the console sent. */
START_TEST(captured_bmc_open)
{
	struct live *l = live_load(tu_vec_suites[_i]);
	size_t opened = 0;

	for (size_t i = 0; i < l->v.npkt; i++) {
		const struct tu_pkt *p = &l->v.pkt[i];
		uint8_t out[LANPLUS_MAX_PKT], pt = 0xff;
		struct ipmimsg m;
		int n;

		if (p->kind != TU_SESSION || !p->to_bmc)
			continue;
		n = lanplus_open(&l->bs, p->b, p->len, &pt, out, sizeof(out));
		ck_assert_msg(n >= 0, "packet %zu: %s", i, ipmierr_str(n));
		ck_assert_uint_eq(pt, LANPLUS_PT_IPMI);
		ck_assert_uint_eq((size_t)n, p->msg_len);
		ck_assert_mem_eq(out, p->msg, p->msg_len);
		ck_assert_int_eq(ipmimsg_decode(out, (size_t)n, &m), 0);
		ck_assert(!ipmimsg_is_response(&m));
		opened++;
	}
	ck_assert_uint_eq(opened, 7);
	ck_assert_uint_eq(l->bs.rx_win.top, 9); /* ipmitool started at 3 */
	live_free(l);
}
END_TEST

/*
 * Sealing every captured message again, with the captured sequence number
 * and (AES suites) a deterministic rng handing out the captured IV,
 * reproduces every captured packet byte for byte, in both directions.
 */
START_TEST(captured_seal_exact)
{
	struct live *l = live_load(tu_vec_suites[_i]);
	size_t sealed = 0;

	for (size_t i = 0; i < l->v.npkt; i++) {
		const struct tu_pkt *p = &l->v.pkt[i];
		struct lanplus_sess *tx = p->to_bmc ? &l->cs : &l->bs;
		uint8_t out[LANPLUS_MAX_PKT];
		static const uint8_t none[1] = { 0 };
		struct tu_rng t = { .buf = p->has_iv ? p->iv : none, .len = p->has_iv ? 16 : 1 };
		struct rng r = tu_rng_make(&t);
		uint32_t seq = 0;
		int n;

		if (p->kind != TU_SESSION)
			continue;
		ck_assert(p->has_iv == (tx->aes != NULL));
		tx->tx_seq = p->seq - 1;
		n = lanplus_seal(tx, LANPLUS_PT_IPMI, p->msg, p->msg_len, &r, out, sizeof(out),
		                 &seq);
		ck_assert_int_eq(n, (int)p->len);
		ck_assert_uint_eq(seq, p->seq);
		ck_assert_uint_eq(tx->tx_seq, p->seq);
		ck_assert_mem_eq(out, p->b, p->len);
		ck_assert_uint_eq(t.bytes, p->has_iv ? 16 : 0);
		sealed++;
	}
	ck_assert_uint_eq(sealed, 14);
	live_free(l);
}
END_TEST

/* The independent reference sealer agrees with the captures too. */
START_TEST(captured_ref_seal)
{
	struct live *l = live_load(tu_vec_suites[_i]);

	for (size_t i = 0; i < l->v.npkt; i++) {
		const struct tu_pkt *p = &l->v.pkt[i];
		struct tu_ref r = tu_ref_from_hs(p->to_bmc ? &l->con : &l->bmc, p->to_bmc);
		uint8_t out[LANPLUS_MAX_PKT];

		if (p->kind != TU_SESSION)
			continue;
		r.seq = p->seq;
		r.iv = p->has_iv ? p->iv : NULL;
		ck_assert_uint_eq(tu_ref_seal(&r, p->msg, p->msg_len, out, sizeof(out)), p->len);
		ck_assert_mem_eq(out, p->b, p->len);
	}
	live_free(l);
}
END_TEST

/*
 * Flipping any single bit of an authenticated packet makes lanplus_open
 * fail and leaves the window alone; the untouched packet then opens.
 *
 * Exception: the 4-byte RMCP header is outside the AuthCode (IPMI v2.0
 * 13.28.4: it covers AuthType through Next Header).  The core rejects a
 * changed version byte or the ACK bit, but, as RMCP/IPMI say for reserved
 * fields and the RMCP sequence number, ignores byte 1 (reserved), byte 2
 * (RMCP sequence number) and bits 5-6 of the class byte (reserved).  For
 * those bits the test asserts the weaker property that still matters: the
 * packet is either refused or yields exactly the untouched payload.
 * Suite 1 has no integrity algorithm, so it has nothing to detect flips.
 */
START_TEST(captured_bit_flips)
{
	struct live *l = live_load(tu_vec_suites[_i]);
	size_t refused = 0, ignored = 0;

	if (l->cs.cs->integ == CSUITE_INTEG_NONE) {
		live_free(l);
		return;
	}
	for (size_t i = 0; i < l->v.npkt; i++) {
		const struct tu_pkt *p = &l->v.pkt[i];
		struct lanplus_sess *s;
		struct seqwin before;
		uint8_t buf[TU_MAX_PKT], out[LANPLUS_MAX_PKT], pt;

		if (p->kind != TU_SESSION)
			continue;
		s = rx_of(l, p);
		before = s->rx_win;
		for (size_t bit = 0; bit < p->len * 8; bit++) {
			size_t byte = bit / 8;
			struct lanplus_sess tmp = *s; /* shares the keyed contexts */
			int n;

			memcpy(buf, p->b, p->len);
			buf[byte] ^= (uint8_t)(1u << (bit % 8));
			n = lanplus_open(&tmp, buf, p->len, &pt, out, sizeof(out));
			if (n < 0) {
				ck_assert(same_win(&tmp.rx_win, &before));
				refused++;
				continue;
			}
			ck_assert_msg(
			    byte == 1 || byte == 2 || (byte == 3 && (bit % 8 == 5 || bit % 8 == 6)),
			    "packet %zu: flipped byte %zu bit %zu accepted", i, byte, bit % 8);
			ck_assert_uint_eq((size_t)n, p->msg_len);
			ck_assert_mem_eq(out, p->msg, p->msg_len);
			ignored++;
		}
		ck_assert(same_win(&s->rx_win, &before));
		ck_assert_int_eq(lanplus_open(s, p->b, p->len, &pt, out, sizeof(out)),
		                 (int)p->msg_len);
	}
	ck_assert_uint_eq(ignored, 14 * 18);
	ck_assert_uint_gt(refused, 14 * 8 * 24);
	live_free(l);
}
END_TEST

/* Opening a captured packet twice: the second time is a replay. */
START_TEST(captured_replay)
{
	struct live *l = live_load(tu_vec_suites[_i]);

	for (size_t i = 0; i < l->v.npkt; i++) {
		const struct tu_pkt *p = &l->v.pkt[i];
		struct lanplus_sess *s = rx_of(l, p);
		uint8_t out[LANPLUS_MAX_PKT], pt;
		struct seqwin before;

		if (p->kind != TU_SESSION)
			continue;
		ck_assert_int_eq(lanplus_open(s, p->b, p->len, &pt, out, sizeof(out)),
		                 (int)p->msg_len);
		before = s->rx_win;
		ck_assert_int_eq(lanplus_open(s, p->b, p->len, &pt, out, sizeof(out)),
		                 IPMI_E_REPLAY);
		ck_assert(same_win(&s->rx_win, &before));
	}
	/* all of them once more, in reverse order: still replays */
	for (size_t i = l->v.npkt; i-- > 0;) {
		const struct tu_pkt *p = &l->v.pkt[i];
		uint8_t out[LANPLUS_MAX_PKT], pt;

		if (p->kind == TU_SESSION)
			ck_assert_int_eq(
			    lanplus_open(rx_of(l, p), p->b, p->len, &pt, out, sizeof(out)),
			    IPMI_E_REPLAY);
	}
	live_free(l);
}
END_TEST

/*
 * Every prefix of every captured in-session packet is refused by
 * lanplus_open, without moving the window.  lanplus_parse_header refuses
 * every prefix that cuts into the header or the payload; it does not look
 * at the integrity trailer, so prefixes cutting only the trailer parse
 * (lanplus_open then refuses them).  Exact-size heap copies for ASan.
 */
START_TEST(captured_truncations)
{
	struct live *l = live_load(tu_vec_suites[_i]);

	for (size_t i = 0; i < l->v.npkt; i++) {
		const struct tu_pkt *p = &l->v.pkt[i];
		struct lanplus_sess *s = rx_of(l, p);
		struct seqwin before = s->rx_win;
		struct lanplus_hdr full;
		uint8_t out[LANPLUS_MAX_PKT], pt;

		if (p->kind != TU_SESSION)
			continue;
		ck_assert_int_eq(lanplus_parse_header(p->b, p->len, &full), 0);
		for (size_t n = 0; n < p->len; n++) {
			uint8_t *c = malloc(n > 0 ? n : 1);
			struct lanplus_hdr h;

			memcpy(c, p->b, n);
			ck_assert_int_lt(lanplus_open(s, c, n, &pt, out, sizeof(out)), 0);
			ck_assert(same_win(&s->rx_win, &before));
			if (n < LANPLUS_HDR_LEN + (size_t)full.payload_len)
				ck_assert_int_eq(lanplus_parse_header(c, n, &h), IPMI_E_TRUNCATED);
			else
				ck_assert_int_eq(lanplus_parse_header(c, n, &h), 0);
			free(c);
		}
		ck_assert_int_eq(lanplus_open(s, p->b, p->len, &pt, out, sizeof(out)),
		                 (int)p->msg_len);
	}
	live_free(l);
}
END_TEST

/* A captured packet opened by the wrong side: wrong session id. */
START_TEST(captured_wrong_side)
{
	struct live *l = live_load(tu_vec_suites[_i]);

	for (size_t i = 0; i < l->v.npkt; i++) {
		const struct tu_pkt *p = &l->v.pkt[i];
		struct lanplus_sess *wrong = p->to_bmc ? &l->cs : &l->bs;
		uint8_t out[LANPLUS_MAX_PKT], pt;

		if (p->kind == TU_SESSION)
			ck_assert_int_eq(lanplus_open(wrong, p->b, p->len, &pt, out, sizeof(out)),
			                 IPMI_E_SESSION);
	}
	live_free(l);
}
END_TEST

/* ---- in memory, every suite ---- */

struct pair {
	struct rakp_hs con_hs, bmc_hs;
	struct lanplus_sess con, bmc;
};

static int
suite_id(int i)
{
	size_t n;
	const struct csuite *all = csuite_all(&n);

	ck_assert_uint_lt((size_t)i, n);
	return all[i].id;
}

static void
pair_init(struct pair *p, int id)
{
	memset(p, 0, sizeof(*p));
	ck_assert_int_eq(tu_handshake(id, "admin", "adminpass", NULL, NULL, &p->con_hs, &p->bmc_hs),
	                 0);
	ck_assert_int_eq(lanplus_sess_init(&p->con, &p->con_hs, true), 0);
	ck_assert_int_eq(lanplus_sess_init(&p->bmc, &p->bmc_hs, false), 0);
	ck_assert_ptr_eq(p->con.cs, csuite_by_id(id));
	ck_assert(p->con.aes == NULL || p->con.cs->conf == CSUITE_CONF_AES_CBC_128);
}

static void
pair_clear(struct pair *p)
{
	lanplus_sess_clear(&p->con);
	lanplus_sess_clear(&p->bmc);
	rakp_hs_clear(&p->con_hs);
	rakp_hs_clear(&p->bmc_hs);
}

/*
 * Seals len bytes on tx, checks the packet against the reference sealer,
 * opens it on rx, checks the payload, and checks that a second open is a
 * replay.  Returns the sequence number used.
 */
static uint32_t
send_one(struct lanplus_sess *tx, const struct rakp_hs *tx_hs, bool console,
         struct lanplus_sess *rx, uint8_t type, const uint8_t *payload, size_t len, struct rng *rng)
{
	uint8_t pkt[LANPLUS_MAX_PKT], ref[LANPLUS_MAX_PKT], out[LANPLUS_MAX_PKT], pt = 0xff;
	struct tu_ref r = tu_ref_from_hs(tx_hs, console);
	uint32_t seq = 0, prev = tx->tx_seq;
	struct seqwin before;
	int n, m;

	n = lanplus_seal(tx, type, payload, len, rng, pkt, sizeof(pkt), &seq);
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(seq, seqwin_next_out(prev));
	ck_assert_uint_ne(seq, 0);
	r.seq = seq;
	r.type = type;
	r.iv = pkt + LANPLUS_HDR_LEN;
	ck_assert_uint_eq(tu_ref_seal(&r, payload, len, ref, sizeof(ref)), (size_t)n);
	ck_assert_mem_eq(pkt, ref, (size_t)n);
	m = lanplus_open(rx, pkt, (size_t)n, &pt, out, sizeof(out));
	ck_assert_int_eq(m, (int)len);
	ck_assert_uint_eq(pt, type);
	ck_assert_mem_eq(out, payload, len);
	before = rx->rx_win;
	ck_assert_int_eq(lanplus_open(rx, pkt, (size_t)n, &pt, out, sizeof(out)), IPMI_E_REPLAY);
	ck_assert(same_win(&rx->rx_win, &before));
	return seq;
}

START_TEST(round_trip)
{
	int id = suite_id(_i);
	struct pair p;
	struct tu_ctr c1, c2;
	struct rng r1 = tu_ctr_make(&c1, 1), r2 = tu_ctr_make(&c2, 2);
	uint8_t payload[64];
	uint32_t want = 1;

	pair_init(&p, id);
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(0xa0 ^ i);
	for (size_t len = 0; len <= 40; len++, want++) {
		ck_assert_uint_eq(
		    send_one(&p.con, &p.con_hs, true, &p.bmc, LANPLUS_PT_IPMI, payload, len, &r1),
		    want);
		ck_assert_uint_eq(send_one(&p.bmc, &p.bmc_hs, false, &p.con, LANPLUS_PT_IPMI,
		                           payload + 3, len, &r2),
		                  want);
	}
	/* SOL payloads travel the same way */
	send_one(&p.con, &p.con_hs, true, &p.bmc, LANPLUS_PT_SOL, payload, 17, &r1);
	send_one(&p.bmc, &p.bmc_hs, false, &p.con, LANPLUS_PT_SOL, payload, 0, &r2);
	/* up to the largest payload seal accepts */
	{
		uint8_t big[255 + 32];

		for (size_t i = 0; i < sizeof(big); i++)
			big[i] = (uint8_t)i;
		send_one(&p.con, &p.con_hs, true, &p.bmc, LANPLUS_PT_IPMI, big, 255, &r1);
		send_one(&p.bmc, &p.bmc_hs, false, &p.con, LANPLUS_PT_IPMI, big, sizeof(big), &r2);
	}
	pair_clear(&p);
}
END_TEST

/* A zero-length payload given as NULL. */
START_TEST(null_payload)
{
	struct pair p;
	struct tu_ctr c;
	struct rng r = tu_ctr_make(&c, 3);
	uint8_t pkt[LANPLUS_MAX_PKT], out[16], pt;
	int n;

	pair_init(&p, suite_id(_i));
	n = lanplus_seal(&p.con, LANPLUS_PT_IPMI, NULL, 0, &r, pkt, sizeof(pkt), NULL);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(lanplus_open(&p.bmc, pkt, (size_t)n, &pt, out, sizeof(out)), 0);
	pair_clear(&p);
}
END_TEST

/* 40 packets; opened newest first, then the window's edges. */
START_TEST(seq_old)
{
	struct pair p;
	struct tu_ctr c;
	struct rng r = tu_ctr_make(&c, 4);
	static uint8_t pkts[40][LANPLUS_MAX_PKT];
	int len[40];
	uint8_t out[LANPLUS_MAX_PKT], pt;

	pair_init(&p, suite_id(_i));
	for (int i = 0; i < 40; i++) {
		uint8_t msg = (uint8_t)i;
		len[i] = lanplus_seal(&p.con, LANPLUS_PT_IPMI, &msg, 1, &r, pkts[i],
		                      sizeof(pkts[i]), NULL);
		ck_assert_int_gt(len[i], 0);
	}
	/* seq 40 */
	ck_assert_int_eq(lanplus_open(&p.bmc, pkts[39], (size_t)len[39], &pt, out, sizeof(out)), 1);
	/* seq 8 is 32 behind: too old; seq 9 is 31 behind: fine, once */
	ck_assert_int_eq(lanplus_open(&p.bmc, pkts[7], (size_t)len[7], &pt, out, sizeof(out)),
	                 IPMI_E_SEQ_OLD);
	ck_assert_int_eq(lanplus_open(&p.bmc, pkts[0], (size_t)len[0], &pt, out, sizeof(out)),
	                 IPMI_E_SEQ_OLD);
	ck_assert_int_eq(lanplus_open(&p.bmc, pkts[8], (size_t)len[8], &pt, out, sizeof(out)), 1);
	ck_assert_uint_eq(out[0], 8);
	ck_assert_int_eq(lanplus_open(&p.bmc, pkts[8], (size_t)len[8], &pt, out, sizeof(out)),
	                 IPMI_E_REPLAY);
	/* everything in between, once */
	for (int i = 9; i < 39; i++)
		ck_assert_int_eq(
		    lanplus_open(&p.bmc, pkts[i], (size_t)len[i], &pt, out, sizeof(out)), 1);
	for (int i = 0; i < 40; i++)
		ck_assert_int_lt(
		    lanplus_open(&p.bmc, pkts[i], (size_t)len[i], &pt, out, sizeof(out)), 0);
	pair_clear(&p);
}
END_TEST

/* Sequence number 0, correctly authenticated, is still refused. */
START_TEST(seq_zero)
{
	struct pair p;
	struct tu_ref r;
	uint8_t pkt[LANPLUS_MAX_PKT], out[64], pt;
	static const uint8_t iv[16] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6 };
	size_t n;

	pair_init(&p, suite_id(_i));
	r = tu_ref_from_hs(&p.con_hs, true);
	r.iv = iv;
	r.seq = 0;
	n = tu_ref_seal(&r, (const uint8_t *)"hello", 5, pkt, sizeof(pkt));
	ck_assert_int_eq(lanplus_open(&p.bmc, pkt, n, &pt, out, sizeof(out)), IPMI_E_SEQ_OLD);
	ck_assert_uint_eq(p.bmc.rx_win.top, 0);
	/* the same packet with seq 1 is fine: the reference sealer is right */
	r.seq = 1;
	n = tu_ref_seal(&r, (const uint8_t *)"hello", 5, pkt, sizeof(pkt));
	ck_assert_int_eq(lanplus_open(&p.bmc, pkt, n, &pt, out, sizeof(out)), 5);
	ck_assert_mem_eq(out, "hello", 5);
	pair_clear(&p);
}
END_TEST

/* Outbound numbers wrap from 0xFFFFFFFF to 1, never 0; inbound follows. */
START_TEST(seq_wrap)
{
	struct pair p;
	struct tu_ctr c;
	struct rng r = tu_ctr_make(&c, 5);
	static const uint32_t want[] = { 0xfffffffeu, 0xffffffffu, 1, 2, 3 };
	static uint8_t pkts[5][LANPLUS_MAX_PKT];
	int len[5];
	uint8_t out[64], pt;

	pair_init(&p, suite_id(_i));
	p.con.tx_seq = 0xfffffffdu;
	for (int i = 0; i < 5; i++) {
		uint32_t seq = 0;
		struct lanplus_hdr h;

		len[i] = lanplus_seal(&p.con, LANPLUS_PT_IPMI, (const uint8_t *)"x", 1, &r, pkts[i],
		                      sizeof(pkts[i]), &seq);
		ck_assert_int_gt(len[i], 0);
		ck_assert_uint_eq(seq, want[i]);
		ck_assert_int_eq(lanplus_parse_header(pkts[i], (size_t)len[i], &h), 0);
		ck_assert_uint_eq(h.seq, want[i]);
	}
	/* in order */
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(
		    lanplus_open(&p.bmc, pkts[i], (size_t)len[i], &pt, out, sizeof(out)), 1);
	ck_assert_uint_eq(p.bmc.rx_win.top, 3);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(
		    lanplus_open(&p.bmc, pkts[i], (size_t)len[i], &pt, out, sizeof(out)),
		    IPMI_E_REPLAY);
	/* reversed, on a fresh receiver */
	lanplus_sess_clear(&p.bmc);
	ck_assert_int_eq(lanplus_sess_init(&p.bmc, &p.bmc_hs, false), 0);
	for (int i = 4; i >= 0; i--)
		ck_assert_int_eq(
		    lanplus_open(&p.bmc, pkts[i], (size_t)len[i], &pt, out, sizeof(out)), 1);
	ck_assert_uint_eq(p.bmc.rx_win.top, 3);
	pair_clear(&p);
}
END_TEST

/* Session ids: the peer's, not ours, not 0. */
START_TEST(session_ids)
{
	struct pair p;
	struct tu_ctr c;
	struct rng r = tu_ctr_make(&c, 6);
	uint8_t pkt[LANPLUS_MAX_PKT], out[64], pt;
	struct tu_ref ref;
	static const uint8_t iv[16] = { 0 };
	int n;

	pair_init(&p, suite_id(_i));
	n = lanplus_seal(&p.con, LANPLUS_PT_IPMI, (const uint8_t *)"abc", 3, &r, pkt, sizeof(pkt),
	                 NULL);
	/* the sender itself does not accept it */
	ck_assert_int_eq(lanplus_open(&p.con, pkt, (size_t)n, &pt, out, sizeof(out)),
	                 IPMI_E_SESSION);
	/* session id 0 and a stranger's id, correctly authenticated */
	ref = tu_ref_from_hs(&p.con_hs, true);
	ref.iv = iv;
	ref.sid = 0;
	n = (int)tu_ref_seal(&ref, (const uint8_t *)"abc", 3, pkt, sizeof(pkt));
	ck_assert_int_eq(lanplus_open(&p.bmc, pkt, (size_t)n, &pt, out, sizeof(out)),
	                 IPMI_E_SESSION);
	ref.sid = p.bmc.rx_sid + 1;
	n = (int)tu_ref_seal(&ref, (const uint8_t *)"abc", 3, pkt, sizeof(pkt));
	ck_assert_int_eq(lanplus_open(&p.bmc, pkt, (size_t)n, &pt, out, sizeof(out)),
	                 IPMI_E_SESSION);
	ck_assert_uint_eq(p.bmc.rx_win.top, 0);
	pair_clear(&p);
}
END_TEST

/* Security never less than the suite says: no stripped MAC or encryption. */
START_TEST(no_downgrade)
{
	struct pair p, q;
	struct tu_ctr c;
	struct rng r = tu_ctr_make(&c, 7);
	uint8_t pkt[LANPLUS_MAX_PKT], out[64], pt;
	const struct csuite *cs;
	size_t nall;
	const struct csuite *all = csuite_all(&nall);
	int n;

	pair_init(&p, suite_id(_i));
	cs = p.con.cs;
	/*
	 * A packet sealed under every other suite (same session ids): other
	 * security flags are refused as such; the same flags under other
	 * algorithms or keys fail the trailer or MAC checks (except between
	 * suites without integrity, where nothing can tell them apart).
	 */
	for (size_t k = 0; k < nall; k++) {
		bool same_flags =
		    (all[k].integ != CSUITE_INTEG_NONE) == (cs->integ != CSUITE_INTEG_NONE) &&
		    all[k].conf == cs->conf;

		if (all[k].id == cs->id || (same_flags && cs->integ == CSUITE_INTEG_NONE))
			continue;
		pair_init(&q, all[k].id);
		q.con.tx_sid = p.con.tx_sid;
		n = lanplus_seal(&q.con, LANPLUS_PT_IPMI, (const uint8_t *)"abc", 3, &r, pkt,
		                 sizeof(pkt), NULL);
		ck_assert_int_gt(n, 0);
		if (same_flags)
			ck_assert_int_lt(
			    lanplus_open(&p.bmc, pkt, (size_t)n, &pt, out, sizeof(out)), 0);
		else
			ck_assert_int_eq(
			    lanplus_open(&p.bmc, pkt, (size_t)n, &pt, out, sizeof(out)),
			    IPMI_E_PAYLOAD);
		pair_clear(&q);
	}
	ck_assert_uint_eq(p.bmc.rx_win.top, 0);
	pair_clear(&p);
}
END_TEST

/*
 * Damaged pads under a valid AuthCode (built with the reference sealer):
 * refused with IPMI_E_PAD, window untouched.
 */
START_TEST(bad_pads)
{
	struct pair p;
	uint8_t pkt[LANPLUS_MAX_PKT], out[64], pt;
	static const uint8_t iv[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct tu_ref r;
	size_t n;
	int cases = 0;

	pair_init(&p, suite_id(_i));
	if (p.con.cs->integ == CSUITE_INTEG_NONE) {
		pair_clear(&p);
		return; /* no trailer, and (table) no encryption either */
	}
#define EXPECT_PAD(field, value, len)                                                              \
	do {                                                                                       \
		r = tu_ref_from_hs(&p.con_hs, true);                                               \
		r.iv = iv;                                                                         \
		r.field = (value);                                                                 \
		n = tu_ref_seal(&r, (const uint8_t *)"payload-20-bytes....", (len), pkt,           \
		                sizeof(pkt));                                                      \
		ck_assert_int_eq(lanplus_open(&p.bmc, pkt, n, &pt, out, sizeof(out)), IPMI_E_PAD); \
		ck_assert_uint_eq(p.bmc.rx_win.top, 0);                                            \
		cases++;                                                                           \
	} while (0)
	/* integrity trailer: pad bytes not FFh, pad length off, next header not 07h */
	EXPECT_PAD(integ_pad_byte, 0x00, 5);
	EXPECT_PAD(integ_pad_byte, 0xfe, 7); /* lengths with a non-empty pad */
	EXPECT_PAD(integ_pad_len, 4, 7);
	EXPECT_PAD(next_header, 0x06, 8);
	EXPECT_PAD(next_header, 0x00, 8);
	if (p.con.aes != NULL) {
		/* confidentiality trailer: 01 02 .. n | n */
		EXPECT_PAD(conf_pad_bad, 0x01, 5);
		EXPECT_PAD(conf_pad_bad, 0x80, 14);
		EXPECT_PAD(conf_padlen, 16, 15); /* no pad, its length byte says 16 */
		EXPECT_PAD(conf_padlen, 0xff, 0);
		EXPECT_PAD(conf_padlen, 3, 5); /* claims 3, pad is 10 long: bytes mismatch */
	}
#undef EXPECT_PAD
	ck_assert_int_ge(cases, 5);
	/* the undamaged reference packet opens */
	r = tu_ref_from_hs(&p.con_hs, true);
	r.iv = iv;
	n = tu_ref_seal(&r, (const uint8_t *)"payload-20-bytes....", 20, pkt, sizeof(pkt));
	ck_assert_int_eq(lanplus_open(&p.bmc, pkt, n, &pt, out, sizeof(out)), 20);
	pair_clear(&p);
}
END_TEST

/* Too-small buffers: nothing is committed, nothing overruns. */
START_TEST(buffers)
{
	struct pair p;
	struct tu_ctr c;
	struct rng r = tu_ctr_make(&c, 8);
	uint8_t pkt[LANPLUS_MAX_PKT], out[64], pt, msg[24];
	int n;

	memset(msg, 0x42, sizeof(msg));
	pair_init(&p, suite_id(_i));
	n = lanplus_seal(&p.con, LANPLUS_PT_IPMI, msg, sizeof(msg), &r, pkt, sizeof(pkt), NULL);
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(p.con.tx_seq, 1);
	for (int cap = 0; cap < n; cap++) {
		uint8_t *o = malloc((size_t)cap + 1);
		uint32_t seq = 77;

		ck_assert_int_eq(lanplus_seal(&p.con, LANPLUS_PT_IPMI, msg, sizeof(msg), &r, o,
		                              (size_t)cap, &seq),
		                 IPMI_E_NOSPACE);
		ck_assert_uint_eq(p.con.tx_seq, 1);
		ck_assert_uint_eq(seq, 77);
		free(o);
	}
	ck_assert_int_eq(
	    lanplus_seal(&p.con, LANPLUS_PT_IPMI, msg, 255 + 33, &r, pkt, sizeof(pkt), NULL),
	    IPMI_E_ARG);
	/* open into a buffer that is too small: refused, window untouched */
	for (size_t cap = 0; cap < sizeof(msg); cap++) {
		uint8_t *o = malloc(cap + 1);

		ck_assert_int_eq(lanplus_open(&p.bmc, pkt, (size_t)n, &pt, o, cap), IPMI_E_NOSPACE);
		ck_assert_uint_eq(p.bmc.rx_win.top, 0);
		free(o);
	}
	ck_assert_int_eq(lanplus_open(&p.bmc, pkt, (size_t)n, &pt, out, sizeof(out)),
	                 (int)sizeof(msg));
	pair_clear(&p);
}
END_TEST

/* The IV comes from the caller's rng; a failing rng fails the seal. */
START_TEST(rng_use)
{
	struct pair p;
	static const uint8_t pattern[3] = { 0xde, 0xad, 0x01 };
	struct tu_rng t = { .buf = pattern, .len = 3 };
	struct rng r = tu_rng_make(&t);
	uint8_t pkt[LANPLUS_MAX_PKT];
	int n;

	pair_init(&p, suite_id(_i));
	n = lanplus_seal(&p.con, LANPLUS_PT_IPMI, (const uint8_t *)"abc", 3, &r, pkt, sizeof(pkt),
	                 NULL);
	ck_assert_int_gt(n, 0);
	if (p.con.aes == NULL) {
		ck_assert_uint_eq(t.calls, 0); /* no randomness needed */
	} else {
		ck_assert_uint_eq(t.calls, 1);
		ck_assert_uint_eq(t.bytes, 16);
		for (int i = 0; i < 16; i++)
			ck_assert_uint_eq(pkt[LANPLUS_HDR_LEN + i], pattern[i % 3]);
		t.fail = -5;
		ck_assert_int_eq(lanplus_seal(&p.con, LANPLUS_PT_IPMI, (const uint8_t *)"abc", 3,
		                              &r, pkt, sizeof(pkt), NULL),
		                 -5);
		ck_assert_uint_eq(p.con.tx_seq, 1);
	}
	pair_clear(&p);
}
END_TEST

START_TEST(sess_lifecycle)
{
	struct lanplus_sess s;
	struct rakp_hs hs;
	static const struct lanplus_sess zero;

	memset(&s, 0, sizeof(s));
	lanplus_sess_clear(&s); /* safe on a zeroed session */
	ck_assert_mem_eq(&s, &zero, sizeof(s));
	/* integrity without keys */
	memset(&hs, 0, sizeof(hs));
	hs.cs = csuite_by_id(2);
	ck_assert_int_eq(lanplus_sess_init(&s, &hs, true), IPMI_E_ARG);
	lanplus_sess_clear(&s);
	/* a real one: clear frees (ASan/LSan) and wipes */
	{
		struct rakp_hs con, bmc;

		ck_assert_int_eq(tu_handshake(17, "admin", "adminpass", NULL, NULL, &con, &bmc), 0);
		ck_assert_int_eq(lanplus_sess_init(&s, &con, true), 0);
		ck_assert_ptr_nonnull(s.integ);
		ck_assert_ptr_nonnull(s.aes);
		lanplus_sess_clear(&s);
		ck_assert_mem_eq(&s, &zero, sizeof(s));
		/* MD5-128 keeps the password */
		ck_assert_int_eq(tu_handshake(11, "admin", "adminpass", NULL, NULL, &con, &bmc), 0);
		ck_assert_int_eq(lanplus_sess_init(&s, &con, false), 0);
		ck_assert_ptr_null(s.integ);
		ck_assert_mem_eq(s.kuid, "adminpass", 9);
		lanplus_sess_clear(&s);
	}
}
END_TEST

/* rng_buffered: every draw differs, used bytes are wiped, big draws bypass it. */
START_TEST(rng_buffer_draws)
{
	static struct rng_buffer buf;
	static const uint8_t zero[16];
	struct rng r = rng_buffered(&buf);
	uint8_t a[16], b[16], big[2048];
	size_t drawn = 0;

	ck_assert_int_eq(rng_fill(&r, a, sizeof(a)), 0);
	ck_assert_uint_eq(buf.left, RNG_BUFFER_SIZE - sizeof(a));
	ck_assert_mem_eq(buf.bytes, zero, sizeof(zero));
	/* Through a refill: never two equal IVs in a row. */
	while (drawn < 2 * RNG_BUFFER_SIZE) {
		ck_assert_int_eq(rng_fill(&r, b, sizeof(b)), 0);
		ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
		memcpy(a, b, sizeof(a));
		drawn += sizeof(b);
	}
	drawn = buf.left;
	ck_assert_int_eq(rng_fill(&r, big, sizeof(big)), 0);
	ck_assert_uint_eq(buf.left, drawn);
	rng_buffer_wipe(&buf);
	ck_assert_uint_eq(buf.left, 0);
	for (size_t i = 0; i < sizeof(buf.bytes); i++)
		ck_assert_uint_eq(buf.bytes[i], 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("lanplus");
	TCase *tc = tu_tcase(s, "codec");
	size_t nsuites;

	csuite_all(&nsuites);
	tcase_add_loop_test(tc, parse_header_captured, 0, (int)tu_vec_nsuites);
	tcase_add_test(tc, parse_header_other);
	tcase_add_test(tc, setup_codec);
	tcase_add_test(tc, sess_lifecycle);
	tc = tu_tcase(s, "captured");
	tcase_add_loop_test(tc, captured_console_open, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_bmc_open, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_seal_exact, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_ref_seal, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_bit_flips, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_replay, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_truncations, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_wrong_side, 0, (int)tu_vec_nsuites);
	tc = tu_tcase(s, "memory");
	tcase_add_loop_test(tc, round_trip, 0, (int)nsuites);
	tcase_add_loop_test(tc, null_payload, 0, (int)nsuites);
	tcase_add_loop_test(tc, seq_old, 0, (int)nsuites);
	tcase_add_loop_test(tc, seq_zero, 0, (int)nsuites);
	tcase_add_loop_test(tc, seq_wrap, 0, (int)nsuites);
	tcase_add_loop_test(tc, session_ids, 0, (int)nsuites);
	tcase_add_loop_test(tc, no_downgrade, 0, (int)nsuites);
	tcase_add_loop_test(tc, bad_pads, 0, (int)nsuites);
	tcase_add_loop_test(tc, buffers, 0, (int)nsuites);
	tcase_add_loop_test(tc, rng_use, 0, (int)nsuites);
	tcase_add_test(tc, rng_buffer_draws);
	return tu_run(s);
}
