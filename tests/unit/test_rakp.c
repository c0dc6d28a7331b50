/*
 * test_rakp.c - Open Session and RAKP 1-4: codecs, key exchange, both sides
 * (rakp.h), against the captured ipmitool sessions and in memory.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ipmierr.h"
#include "ipmimsg.h"
#include "lanplus.h"
#include "rakp.h"
#include "tutil.h"

/* ---- the captured set-up messages, decoded ---- */

struct cap {
	struct tu_vec v;
	const struct tu_pkt *pkt[6]; /* open req, open rsp, rakp1 .. rakp4 */
	const uint8_t *pl[6];
	size_t pl_len[6];
	struct rakp_open_req req;
	struct rakp_open_rsp rsp;
	struct rakp_msg1 m1;
	struct rakp_msg2 m2;
	struct rakp_msg3 m3;
	struct rakp_msg4 m4;
};

static struct cap *
cap_load(int suite)
{
	struct cap *c = calloc(1, sizeof(*c));

	ck_assert_ptr_nonnull(c);
	tu_vec_load(suite, &c->v);
	for (int i = 0; i < 6; i++) {
		c->pkt[i] = tu_vec_setup(&c->v, (uint8_t)(RAKP_PT_OPEN_REQ + i));
		tu_setup_payload(c->pkt[i], &c->pl[i], &c->pl_len[i]);
	}
	ck_assert_int_eq(rakp_decode_open_req(c->pl[0], c->pl_len[0], &c->req), 0);
	ck_assert_int_eq(rakp_decode_open_rsp(c->pl[1], c->pl_len[1], &c->rsp), 0);
	ck_assert_int_eq(rakp_decode_msg1(c->pl[2], c->pl_len[2], &c->m1), 0);
	ck_assert_int_eq(rakp_decode_msg2(c->pl[3], c->pl_len[3], &c->m2), 0);
	ck_assert_int_eq(rakp_decode_msg3(c->pl[4], c->pl_len[4], &c->m3), 0);
	ck_assert_int_eq(rakp_decode_msg4(c->pl[5], c->pl_len[5], &c->m4), 0);
	return c;
}

static void
set_creds(struct rakp_creds *cr, const char *user, const char *pass, const char *kg)
{
	ck_assert_int_eq(rakp_creds_set(cr, user, (const uint8_t *)pass, strlen(pass),
	                                (const uint8_t *)kg, kg != NULL ? strlen(kg) : 0),
	                 0);
}

/* Console side up to RAKP2 with the given password; returns rakp2's result. */
static int
client_to_rakp2(const struct cap *c, const char *pass, const char *kg, struct rakp_hs *hs)
{
	memset(hs, 0, sizeof(*hs));
	set_creds(&hs->creds, c->v.user, pass, kg);
	ck_assert_int_eq(rakp_client_open(hs, &c->req, &c->rsp), 0);
	return rakp_client_rakp2(hs, &c->m1, &c->m2);
}

/* BMC side as the responder had it after Open Session; Rc from a fixed rng. */
static void
server_hs(const struct cap *c, const char *pass, struct rakp_hs *hs)
{
	struct tu_rng t = { .buf = c->v.rc, .len = 16 };
	struct rng r = tu_rng_make(&t);

	memset(hs, 0, sizeof(*hs));
	set_creds(&hs->creds, c->v.user, pass, NULL);
	hs->cs = csuite_by_algs(c->req.auth, c->req.integ, c->req.conf);
	ck_assert_ptr_eq(hs->cs, csuite_by_id(c->v.suite));
	hs->console_sid = c->req.console_sid;
	hs->bmc_sid = c->v.bmc_sid;
	ck_assert_int_eq(rng_fill(&r, hs->rc, RAKP_RAND_LEN), 0);
	ck_assert_uint_eq(t.calls, 1);
	memcpy(hs->guid, c->v.guid, RAKP_GUID_LEN);
}

/* Encodes with enc into a set-up packet and compares with the capture. */
#define ASSERT_ENCODES_TO(enc, msg, c, idx)                                                        \
	do {                                                                                       \
		uint8_t b_[LANPLUS_MAX_PKT], p_[LANPLUS_MAX_PKT];                                  \
		struct wire_wr w_ = wire_wr_make(b_, sizeof(b_));                                  \
		int n_ = enc(msg, &w_);                                                            \
		ck_assert_int_eq(n_, (int)(c)->pl_len[idx]);                                       \
		ck_assert_mem_eq(b_, (c)->pl[idx], (c)->pl_len[idx]);                              \
		n_ = lanplus_encode_setup((uint8_t)(RAKP_PT_OPEN_REQ + (idx)), b_, (size_t)n_, p_, \
		                          sizeof(p_));                                             \
		ck_assert_int_eq(n_, (int)(c)->pkt[idx]->len);                                     \
		ck_assert_mem_eq(p_, (c)->pkt[idx]->b, (c)->pkt[idx]->len);                        \
	} while (0)

/* ---- known bytes ---- */

/* Open Session Request (13.17), written out field by field. */
START_TEST(open_req_known)
{
	static const char want_hex[] = "00 00 0000 a4a3a2a0"
	                               " 00 0000 08 03 000000" /* auth: type 0, len 8, alg */
	                               " 01 0000 08 04 000000" /* integrity */
	                               " 02 0000 08 01 000000";
	uint8_t want[64], out[64];
	size_t wl = tu_hex(want_hex, want, sizeof(want));
	struct rakp_open_req m = { 0, 0, 0xa0a2a3a4u, 3, 4, 1 }, d;
	struct wire_wr w = wire_wr_make(out, sizeof(out));

	ck_assert_int_eq(rakp_encode_open_req(&m, &w), 32);
	ck_assert_mem_eq(out, want, wl);
	ck_assert_int_eq(rakp_decode_open_req(want, wl, &d), 0);
	tu_eq_open_req(&d, &m);
}
END_TEST

START_TEST(msg1_known)
{
	static const char want_hex[] = "2a 000000 02030405 000102030405060708090a0b0c0d0e0f"
	                               " 14 0000 05 61646d696e";
	uint8_t want[64], out[64];
	size_t wl = tu_hex(want_hex, want, sizeof(want));
	struct rakp_msg1 m = { .tag = 0x2a, .bmc_sid = 0x05040302, .role = 0x14, .user_len = 5 }, d;
	struct wire_wr w = wire_wr_make(out, sizeof(out));

	for (int i = 0; i < 16; i++)
		m.rm[i] = (uint8_t)i;
	memcpy(m.user, "admin", 5);
	ck_assert_int_eq(rakp_encode_msg1(&m, &w), (int)wl);
	ck_assert_mem_eq(out, want, wl);
	ck_assert_int_eq(rakp_decode_msg1(want, wl, &d), 0);
	tu_eq_msg1(&d, &m);
}
END_TEST

/* Error responses stop after the session id (13.18, 13.21, 13.23). */
START_TEST(error_short_forms)
{
	uint8_t out[64];
	struct wire_wr w;
	struct rakp_open_rsp rsp = { .tag = 7,
		                     .status = RAKP_ST_NO_RESOURCES,
		                     .priv = 4,
		                     .console_sid = 0x11223344,
		                     .bmc_sid = 9,
		                     .auth = 1 },
	                     rd;
	struct rakp_msg2 m2 = { .tag = 8, .status = RAKP_ST_UNAUTH_NAME, .console_sid = 0x55 }, m2d;
	struct rakp_msg4 m4 = { .tag = 9,
		                .status = RAKP_ST_INVALID_ICV,
		                .console_sid = 0x66,
		                .icv_len = 12 },
	                 m4d;
	struct rakp_open_req req = { .tag = 7, .console_sid = 0x11223344 };
	struct rakp_hs hs;

	w = wire_wr_make(out, sizeof(out));
	ck_assert_int_eq(rakp_encode_open_rsp(&rsp, &w), 8);
	ck_assert_mem_eq(out, "\x07\x01\x04\x00\x44\x33\x22\x11", 8);
	ck_assert_int_eq(rakp_decode_open_rsp(out, 8, &rd), 0);
	ck_assert_uint_eq(rd.status, RAKP_ST_NO_RESOURCES);
	ck_assert_uint_eq(rd.console_sid, 0x11223344);
	ck_assert_uint_eq(rd.bmc_sid, 0);
	memset(&hs, 0, sizeof(hs));
	ck_assert_int_eq(rakp_client_open(&hs, &req, &rd), IPMI_E_STATUS);

	w = wire_wr_make(out, sizeof(out));
	ck_assert_int_eq(rakp_encode_msg2(&m2, &w), 8);
	ck_assert_mem_eq(out, "\x08\x0d\x00\x00\x55\x00\x00\x00", 8);
	ck_assert_int_eq(rakp_decode_msg2(out, 8, &m2d), 0);
	ck_assert_uint_eq(m2d.status, RAKP_ST_UNAUTH_NAME);
	ck_assert_uint_eq(m2d.code_len, 0);

	w = wire_wr_make(out, sizeof(out));
	ck_assert_int_eq(rakp_encode_msg4(&m4, &w), 8);
	ck_assert_int_eq(rakp_decode_msg4(out, 8, &m4d), 0);
	ck_assert_uint_eq(m4d.status, RAKP_ST_INVALID_ICV);
	ck_assert_uint_eq(m4d.icv_len, 0);
}
END_TEST

/* Every encoder, every capacity short of its message: NOSPACE. */
START_TEST(encoders_nospace)
{
	struct rakp_open_req req = { 1, 4, 2, 1, 1, 1 };
	struct rakp_open_rsp rsp = { 1, 0, 4, 2, 3, 1, 1, 1 };
	struct rakp_msg1 m1 = { .tag = 1, .user_len = 16 };
	struct rakp_msg2 m2 = { .tag = 1, .code_len = 32 };
	struct rakp_msg3 m3 = { .tag = 1, .code_len = 32 };
	struct rakp_msg4 m4 = { .tag = 1, .icv_len = 16 };
	const size_t full[6] = { 32, 36, 44, 72, 40, 24 };

	for (int k = 0; k < 6; k++) {
		for (size_t cap = 0; cap <= full[k]; cap++) {
			uint8_t *out = malloc(cap + 1);
			struct wire_wr w = wire_wr_make(out, cap);
			int rc = 0;

			switch (k) {
			case 0:
				rc = rakp_encode_open_req(&req, &w);
				break;
			case 1:
				rc = rakp_encode_open_rsp(&rsp, &w);
				break;
			case 2:
				rc = rakp_encode_msg1(&m1, &w);
				break;
			case 3:
				rc = rakp_encode_msg2(&m2, &w);
				break;
			case 4:
				rc = rakp_encode_msg3(&m3, &w);
				break;
			default:
				rc = rakp_encode_msg4(&m4, &w);
				break;
			}
			ck_assert_int_eq(rc, cap < full[k] ? IPMI_E_NOSPACE : (int)full[k]);
			free(out);
		}
	}
}
END_TEST

START_TEST(codec_limits)
{
	uint8_t buf[128] = { 0 };
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));
	struct rakp_msg1 m1 = { .user_len = 17 };
	struct rakp_msg2 m2;
	struct rakp_msg3 m3;
	struct rakp_msg4 m4;

	ck_assert_int_eq(rakp_encode_msg1(&m1, &w), IPMI_E_ARG);
	/* RAKP1 claiming a 17-byte name */
	buf[27] = 17;
	ck_assert_int_eq(rakp_decode_msg1(buf, 28 + 17, &m1), IPMI_E_MALFORMED);
	/* a name longer than declared: trailing garbage */
	buf[27] = 2;
	ck_assert_int_eq(rakp_decode_msg1(buf, 28 + 3, &m1), IPMI_E_MALFORMED);
	ck_assert_int_eq(rakp_decode_msg1(buf, 28 + 2, &m1), 0);
	/* codes longer than any hash */
	ck_assert_int_eq(rakp_decode_msg2(buf, 40 + 33, &m2), IPMI_E_MALFORMED);
	ck_assert_int_eq(rakp_decode_msg2(buf, 40 + 32, &m2), 0);
	ck_assert_int_eq(rakp_decode_msg3(buf, 8 + 33, &m3), IPMI_E_MALFORMED);
	ck_assert_int_eq(rakp_decode_msg3(buf, 8 + 32, &m3), 0);
	ck_assert_int_eq(rakp_decode_msg4(buf, 8 + 33, &m4), IPMI_E_MALFORMED);
	ck_assert_int_eq(rakp_decode_msg4(buf, 8 + 32, &m4), 0);
	/* trailing bytes after a successful Open Session message */
	{
		struct rakp_open_req req = { 1, 4, 2, 1, 1, 1 };
		struct rakp_open_rsp rsp = { 1, 0, 4, 2, 3, 1, 1, 1 };

		w = wire_wr_make(buf, sizeof(buf));
		rakp_encode_open_req(&req, &w);
		ck_assert_int_eq(rakp_decode_open_req(buf, 33, &req), IPMI_E_MALFORMED);
		w = wire_wr_make(buf, sizeof(buf));
		rakp_encode_open_rsp(&rsp, &w);
		ck_assert_int_eq(rakp_decode_open_rsp(buf, 37, &rsp), IPMI_E_MALFORMED);
	}
}
END_TEST

/* Algorithm records with a wrong type byte or length byte are refused. */
START_TEST(open_alg_records)
{
	struct rakp_open_req req = { 1, 4, 2, 1, 1, 1 }, d;
	uint8_t buf[64];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));

	ck_assert_int_eq(rakp_encode_open_req(&req, &w), 32);
	for (size_t rec = 0; rec < 3; rec++) {
		size_t off = 8 + rec * 8;

		buf[off] ^= 0x03; /* type */
		ck_assert_int_lt(rakp_decode_open_req(buf, 32, &d), 0);
		buf[off] ^= 0x03;
		buf[off + 3] = 0x0c; /* record length */
		ck_assert_int_lt(rakp_decode_open_req(buf, 32, &d), 0);
		buf[off + 3] = 0x08;
	}
	ck_assert_int_eq(rakp_decode_open_req(buf, 32, &d), 0);
	/* the upper two bits of the algorithm byte are reserved */
	buf[12] |= 0xc0;
	ck_assert_int_eq(rakp_decode_open_req(buf, 32, &d), 0);
	ck_assert_uint_eq(d.auth, 1);
}
END_TEST

/* ---- credentials ---- */

START_TEST(creds)
{
	struct rakp_creds c;
	static const uint8_t zero[RAKP_PASS_MAX] = { 0 };
	static const uint8_t kg[20] = { 1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
		                        11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
	uint8_t pw21[21];

	memset(pw21, 'p', sizeof(pw21));
	ck_assert_int_eq(rakp_creds_set(&c, "admin", (const uint8_t *)"adminpass", 9, NULL, 0), 0);
	ck_assert_uint_eq(c.user_len, 5);
	ck_assert_mem_eq(c.user, "admin", 5);
	ck_assert_uint_eq(c.kuid_len, 9);
	ck_assert_mem_eq(c.kuid, "adminpass", 9);
	ck_assert_mem_eq(c.kuid + 9, zero, RAKP_PASS_MAX - 9);
	ck_assert(!c.has_kg);
	ck_assert_mem_eq(c.kg, c.kuid, RAKP_KG_MAX); /* Kg = Kuid without a BMC key */

	ck_assert_int_eq(rakp_creds_set(&c, "admin", (const uint8_t *)"x", 1, kg, 20), 0);
	ck_assert(c.has_kg);
	ck_assert_mem_eq(c.kg, kg, 20);
	ck_assert_int_eq(rakp_creds_set(&c, "admin", (const uint8_t *)"x", 1, kg, 3), 0);
	ck_assert_mem_eq(c.kg, kg, 3);
	ck_assert_mem_eq(c.kg + 3, zero, 17);

	/* limits: 16-byte name, 20-byte password and key */
	ck_assert_int_eq(rakp_creds_set(&c, "0123456789abcdef", pw21, 20, kg, 20), 0);
	ck_assert_uint_eq(c.user_len, 16);
	ck_assert_int_eq(rakp_creds_set(&c, "0123456789abcdefg", pw21, 20, NULL, 0), IPMI_E_ARG);
	ck_assert_int_eq(rakp_creds_set(&c, "u", pw21, 21, NULL, 0), IPMI_E_ARG);
	ck_assert_int_eq(rakp_creds_set(&c, "u", pw21, 1, pw21, 21), IPMI_E_ARG);
	ck_assert_int_eq(rakp_creds_set(&c, "u", NULL, 1, NULL, 0), IPMI_E_ARG);
	/* anonymous: empty name (as a string or NULL), empty password */
	ck_assert_int_eq(rakp_creds_set(&c, "", NULL, 0, NULL, 0), 0);
	ck_assert_uint_eq(c.user_len, 0);
	ck_assert_uint_eq(c.kuid_len, 0);
	ck_assert_int_eq(rakp_creds_set(&c, NULL, NULL, 0, NULL, 0), 0);
	ck_assert_uint_eq(c.user_len, 0);

	rakp_creds_set(&c, "admin", (const uint8_t *)"adminpass", 9, kg, 20);
	rakp_creds_clear(&c);
	{
		static const struct rakp_creds z;
		ck_assert_mem_eq(&c, &z, sizeof(c));
	}
}
END_TEST

/* ---- the captured handshakes ---- */

START_TEST(captured_decode)
{
	struct cap *c = cap_load(tu_vec_suites[_i]);
	const struct csuite *cs = csuite_by_id(c->v.suite);

	ck_assert_ptr_nonnull(cs);
	ck_assert_uint_eq(c->req.console_sid, c->v.console_sid);
	ck_assert_uint_eq(c->req.auth, cs->auth);
	ck_assert_uint_eq(c->req.integ, cs->integ);
	ck_assert_uint_eq(c->req.conf, cs->conf);
	ck_assert_uint_eq(c->rsp.status, RAKP_ST_OK);
	ck_assert_uint_eq(c->rsp.tag, c->req.tag);
	ck_assert_uint_eq(c->rsp.console_sid, c->v.console_sid);
	ck_assert_uint_eq(c->rsp.bmc_sid, c->v.bmc_sid);
	ck_assert_uint_eq(c->m1.bmc_sid, c->v.bmc_sid);
	ck_assert_mem_eq(c->m1.rm, c->v.rm, 16);
	ck_assert_uint_eq(c->m1.role, c->v.role);
	ck_assert_uint_eq(c->m1.role & 0x0f, c->v.priv);
	ck_assert(c->m1.role & RAKP_ROLE_NAME_ONLY);
	ck_assert_uint_eq(c->m1.user_len, strlen(c->v.user));
	ck_assert_mem_eq(c->m1.user, c->v.user, c->m1.user_len);
	ck_assert_uint_eq(c->m2.status, RAKP_ST_OK);
	ck_assert_uint_eq(c->m2.console_sid, c->v.console_sid);
	ck_assert_mem_eq(c->m2.rc, c->v.rc, 16);
	ck_assert_mem_eq(c->m2.guid, c->v.guid, 16);
	ck_assert_uint_eq(c->m2.code_len, csuite_auth_len(cs->auth));
	ck_assert_uint_eq(c->m3.bmc_sid, c->v.bmc_sid);
	ck_assert_uint_eq(c->m3.code_len, csuite_auth_len(cs->auth));
	ck_assert_uint_eq(c->m4.console_sid, c->v.console_sid);
	ck_assert_uint_eq(c->m4.icv_len, csuite_rakp4_len(cs->auth));

	/* and every one re-encodes to exactly the captured packet */
	ASSERT_ENCODES_TO(rakp_encode_open_req, &c->req, c, 0);
	ASSERT_ENCODES_TO(rakp_encode_open_rsp, &c->rsp, c, 1);
	ASSERT_ENCODES_TO(rakp_encode_msg1, &c->m1, c, 2);
	ASSERT_ENCODES_TO(rakp_encode_msg2, &c->m2, c, 3);
	ASSERT_ENCODES_TO(rakp_encode_msg3, &c->m3, c, 4);
	ASSERT_ENCODES_TO(rakp_encode_msg4, &c->m4, c, 5);
	free(c);
}
END_TEST

/* Console side against the real BMC's messages. */
START_TEST(captured_client)
{
	struct cap *c = cap_load(tu_vec_suites[_i]);
	struct rakp_hs hs;
	struct rakp_msg3 m3;

	ck_assert_int_eq(client_to_rakp2(c, c->v.pass, NULL, &hs), 0);
	ck_assert_ptr_eq(hs.cs, csuite_by_id(c->v.suite));
	ck_assert_uint_eq(hs.console_sid, c->v.console_sid);
	ck_assert_uint_eq(hs.bmc_sid, c->v.bmc_sid);
	ck_assert_mem_eq(hs.rm, c->v.rm, 16);
	ck_assert_mem_eq(hs.rc, c->v.rc, 16);
	ck_assert_mem_eq(hs.guid, c->v.guid, 16);
	ck_assert_uint_eq(hs.role, c->v.role);
	ck_assert_uint_eq(hs.key_len, c->v.key_len);
	ck_assert_mem_eq(hs.sik, c->v.sik, c->v.key_len);
	ck_assert_mem_eq(hs.k1, c->v.k1, c->v.key_len);
	ck_assert_mem_eq(hs.k2, c->v.k2, c->v.key_len);

	/* our RAKP3 is ipmitool's, byte for byte */
	ck_assert_int_eq(rakp_client_rakp3(&hs, c->m3.tag, &m3), 0);
	ASSERT_ENCODES_TO(rakp_encode_msg3, &m3, c, 4);

	ck_assert_int_eq(rakp_client_rakp4(&hs, &m3, &c->m4), 0);
	rakp_hs_clear(&hs);
	free(c);
}
END_TEST

/* BMC side: Rc from a deterministic rng reproduces RAKP2 and RAKP4 exactly. */
START_TEST(captured_server)
{
	struct cap *c = cap_load(tu_vec_suites[_i]);
	struct rakp_hs hs;
	struct rakp_msg2 m2;
	struct rakp_msg4 m4;

	server_hs(c, c->v.pass, &hs);
	ck_assert_int_eq(rakp_server_rakp2(&hs, &c->m1, &m2), 0);
	ASSERT_ENCODES_TO(rakp_encode_msg2, &m2, c, 3);
	ck_assert_uint_eq(hs.key_len, c->v.key_len);
	ck_assert_mem_eq(hs.sik, c->v.sik, c->v.key_len);
	ck_assert_mem_eq(hs.k1, c->v.k1, c->v.key_len);
	ck_assert_mem_eq(hs.k2, c->v.k2, c->v.key_len);
	ck_assert_int_eq(rakp_server_rakp3(&hs, &c->m3), 0);
	ck_assert_int_eq(rakp_server_rakp4(&hs, c->m3.tag, &m4), 0);
	ASSERT_ENCODES_TO(rakp_encode_msg4, &m4, c, 5);
	rakp_hs_clear(&hs);
	free(c);
}
END_TEST

START_TEST(captured_wrong_password)
{
	static const char *const wrong[] = { "adminpasS", "adminpas", "adminpass ", "", "x" };
	struct cap *c = cap_load(tu_vec_suites[_i]);
	struct rakp_hs hs;

	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		ck_assert_int_eq(client_to_rakp2(c, wrong[i], NULL, &hs), IPMI_E_RAKP2);
		/* the BMC side refuses the real console's RAKP3 likewise */
		server_hs(c, wrong[i], &hs);
		ck_assert_int_eq(rakp_server_rakp3(&hs, &c->m3), IPMI_E_RAKP3);
	}
	free(c);
}
END_TEST

/* A K_g the BMC does not have: RAKP2 still verifies (Kuid), RAKP4 does not. */
START_TEST(captured_wrong_kg)
{
	struct cap *c = cap_load(tu_vec_suites[_i]);
	struct rakp_hs hs;
	struct rakp_msg3 m3;

	ck_assert_int_eq(client_to_rakp2(c, c->v.pass, "not-the-bmc-key", &hs), 0);
	ck_assert(memcmp(hs.sik, c->v.sik, c->v.key_len) != 0);
	ck_assert_int_eq(rakp_client_rakp3(&hs, c->m3.tag, &m3), 0);
	ASSERT_ENCODES_TO(rakp_encode_msg3, &m3, c, 4); /* RAKP3 does not involve K_g */
	ck_assert_int_eq(rakp_client_rakp4(&hs, &m3, &c->m4), IPMI_E_RAKP4);
	free(c);
}
END_TEST

/*
 * Every single-bit change of the captured RAKP2, RAKP3 and RAKP4 payloads
 * is refused by the check that consumes it.  Bytes 2-3 of each are
 * reserved and ignored on receipt (IPMI convention), so they are skipped;
 * so is RAKP3's tag, which the console picks freely and the BMC only echoes
 * in RAKP4 (there the console checks it).
 */
START_TEST(captured_bit_flips)
{
	struct cap *c = cap_load(tu_vec_suites[_i]);
	struct rakp_hs base, hs, srv;
	struct rakp_msg3 m3;
	uint8_t buf[LANPLUS_MAX_PKT];
	size_t flips = 0;

	ck_assert_int_eq(client_to_rakp2(c, c->v.pass, NULL, &base), 0);
	ck_assert_int_eq(rakp_client_rakp3(&base, c->m3.tag, &m3), 0);
	server_hs(c, c->v.pass, &srv);
	{
		struct rakp_msg2 m2;
		ck_assert_int_eq(rakp_server_rakp2(&srv, &c->m1, &m2), 0);
	}
	for (int k = 3; k <= 5; k++) {
		for (size_t bit = 0; bit < c->pl_len[k] * 8; bit++) {
			size_t byte = bit / 8;
			int rc;

			if (byte == 2 || byte == 3 || (k == 4 && byte == 0))
				continue;
			memcpy(buf, c->pl[k], c->pl_len[k]);
			buf[byte] ^= (uint8_t)(1u << (bit % 8));
			if (k == 3) {
				struct rakp_msg2 m;

				rc = rakp_decode_msg2(buf, c->pl_len[k], &m);
				if (rc == 0) {
					memset(&hs, 0, sizeof(hs));
					set_creds(&hs.creds, c->v.user, c->v.pass, NULL);
					ck_assert_int_eq(rakp_client_open(&hs, &c->req, &c->rsp),
					                 0);
					rc = rakp_client_rakp2(&hs, &c->m1, &m);
				}
			} else if (k == 4) {
				struct rakp_msg3 m;

				rc = rakp_decode_msg3(buf, c->pl_len[k], &m);
				if (rc == 0)
					rc = rakp_server_rakp3(&srv, &m);
			} else {
				struct rakp_msg4 m;

				rc = rakp_decode_msg4(buf, c->pl_len[k], &m);
				if (rc == 0)
					rc = rakp_client_rakp4(&base, &m3, &m);
			}
			ck_assert_msg(rc < 0, "RAKP%d byte %zu bit %zu accepted", k - 1, byte,
			              bit % 8);
			flips++;
		}
	}
	ck_assert_uint_eq(flips, 8 * (c->pl_len[3] + c->pl_len[4] + c->pl_len[5] - 7));
	free(c);
}
END_TEST

/*
 * Every prefix of every captured set-up packet is refused by
 * lanplus_decode_setup (the header's length must match).  At the payload
 * level, Open Session Request/Response and RAKP1 refuse every prefix.
 * RAKP2/3/4 end in a code whose length depends on the cipher suite, which
 * the codec does not know: a prefix that cuts only into that code decodes
 * (a legitimately shorter message) and is then refused by the key exchange
 * check (IPMI_E_RAKP2 / _RAKP3 / _RAKP4).  Every prefix sits in its own
 * exact-size heap block so that ASan proves there is no over-read.
 */
START_TEST(captured_truncations)
{
	struct cap *c = cap_load(tu_vec_suites[_i]);
	struct rakp_hs hs, srv, base;
	struct rakp_msg3 m3;
	const size_t fixed[6] = { 0, 0, 0, 40, 8, 8 };

	ck_assert_int_eq(client_to_rakp2(c, c->v.pass, NULL, &base), 0);
	ck_assert_int_eq(rakp_client_rakp3(&base, c->m3.tag, &m3), 0);
	server_hs(c, c->v.pass, &srv);
	{
		struct rakp_msg2 m2;
		ck_assert_int_eq(rakp_server_rakp2(&srv, &c->m1, &m2), 0);
	}
	for (int k = 0; k < 6; k++) {
		for (size_t n = 0; n < c->pkt[k]->len; n++) {
			uint8_t *p = malloc(n > 0 ? n : 1), pt;
			const uint8_t *pl;
			size_t pl_len;

			memcpy(p, c->pkt[k]->b, n);
			ck_assert_int_lt(lanplus_decode_setup(p, n, &pt, &pl, &pl_len), 0);
			free(p);
		}
		for (size_t n = 0; n < c->pl_len[k]; n++) {
			uint8_t *p = malloc(n > 0 ? n : 1);
			int rc = 0;

			memcpy(p, c->pl[k], n);
			switch (k) {
			case 0: {
				struct rakp_open_req m;
				ck_assert_int_lt(rakp_decode_open_req(p, n, &m), 0);
				break;
			}
			case 1: {
				struct rakp_open_rsp m;
				ck_assert_int_lt(rakp_decode_open_rsp(p, n, &m), 0);
				break;
			}
			case 2: {
				struct rakp_msg1 m;
				ck_assert_int_lt(rakp_decode_msg1(p, n, &m), 0);
				break;
			}
			case 3: {
				struct rakp_msg2 m;
				rc = rakp_decode_msg2(p, n, &m);
				if (n >= fixed[k]) {
					ck_assert_int_eq(rc, 0);
					ck_assert_uint_eq(m.code_len, n - fixed[k]);
					memset(&hs, 0, sizeof(hs));
					set_creds(&hs.creds, c->v.user, c->v.pass, NULL);
					ck_assert_int_eq(rakp_client_open(&hs, &c->req, &c->rsp),
					                 0);
					rc = rakp_client_rakp2(&hs, &c->m1, &m);
					ck_assert_int_eq(rc, IPMI_E_RAKP2);
				}
				break;
			}
			case 4: {
				struct rakp_msg3 m;
				rc = rakp_decode_msg3(p, n, &m);
				if (n >= fixed[k]) {
					ck_assert_int_eq(rc, 0);
					ck_assert_int_eq(rakp_server_rakp3(&srv, &m), IPMI_E_RAKP3);
					rc = -1;
				}
				break;
			}
			default: {
				struct rakp_msg4 m;
				rc = rakp_decode_msg4(p, n, &m);
				if (n >= fixed[k]) {
					ck_assert_int_eq(rc, 0);
					ck_assert_int_eq(rakp_client_rakp4(&base, &m3, &m),
					                 IPMI_E_RAKP4);
					rc = -1;
				}
				break;
			}
			}
			if (k >= 3 && n < fixed[k])
				ck_assert_int_eq(rc, IPMI_E_TRUNCATED);
			free(p);
		}
	}
	free(c);
}
END_TEST

/* ---- console-side checks, one field at a time ---- */

START_TEST(client_open_checks)
{
	struct cap *c = cap_load(tu_vec_suites[_i]);
	struct rakp_hs hs;
	struct rakp_open_rsp r;
	struct rakp_open_req q;

	memset(&hs, 0, sizeof(hs));
	ck_assert_int_eq(rakp_client_open(&hs, &c->req, &c->rsp), 0);
	/* the BMC answering with any other algorithm is a downgrade */
	for (unsigned v = 0; v < 0x40; v++) {
		for (int which = 0; which < 3; which++) {
			uint8_t *f;

			r = c->rsp;
			f = which == 0 ? &r.auth : which == 1 ? &r.integ : &r.conf;
			if (*f == v)
				continue;
			*f = (uint8_t)v;
			memset(&hs, 0, sizeof(hs));
			ck_assert_int_eq(rakp_client_open(&hs, &c->req, &r), IPMI_E_DOWNGRADE);
			ck_assert_ptr_null(hs.cs);
		}
	}
	/* the classic: integrity and confidentiality stripped */
	r = c->rsp;
	r.integ = CSUITE_INTEG_NONE;
	r.conf = CSUITE_CONF_NONE;
	if (c->req.integ != CSUITE_INTEG_NONE)
		ck_assert_int_eq(rakp_client_open(&hs, &c->req, &r), IPMI_E_DOWNGRADE);
	r = c->rsp;
	r.tag ^= 1;
	ck_assert_int_eq(rakp_client_open(&hs, &c->req, &r), IPMI_E_TAG);
	r = c->rsp;
	r.status = RAKP_ST_INVALID_ROLE;
	ck_assert_int_eq(rakp_client_open(&hs, &c->req, &r), IPMI_E_STATUS);
	r = c->rsp;
	r.console_sid ^= 0x100;
	ck_assert_int_eq(rakp_client_open(&hs, &c->req, &r), IPMI_E_SESSION);
	r = c->rsp;
	r.bmc_sid = 0;
	ck_assert_int_eq(rakp_client_open(&hs, &c->req, &r), IPMI_E_MALFORMED);
	/* proposing (and being granted) a triple that is no suite */
	q = c->req;
	r = c->rsp;
	q.conf = r.conf = 0x30;
	ck_assert_int_eq(rakp_client_open(&hs, &q, &r), IPMI_E_UNSUPPORTED);
	free(c);
}
END_TEST

START_TEST(client_rakp2_checks)
{
	struct cap *c = cap_load(tu_vec_suites[_i]);
	struct rakp_hs hs;
	struct rakp_msg2 m;

	memset(&hs, 0, sizeof(hs));
	set_creds(&hs.creds, c->v.user, c->v.pass, NULL);
	ck_assert_int_eq(rakp_client_open(&hs, &c->req, &c->rsp), 0);
	m = c->m2;
	m.tag ^= 1;
	ck_assert_int_eq(rakp_client_rakp2(&hs, &c->m1, &m), IPMI_E_TAG);
	m = c->m2;
	m.status = RAKP_ST_UNAUTH_NAME;
	ck_assert_int_eq(rakp_client_rakp2(&hs, &c->m1, &m), IPMI_E_STATUS);
	m = c->m2;
	m.console_sid++;
	ck_assert_int_eq(rakp_client_rakp2(&hs, &c->m1, &m), IPMI_E_SESSION);
	for (uint8_t len = 0; len <= RAKP_CODE_MAX; len++) {
		m = c->m2;
		if (len == m.code_len)
			continue;
		m.code_len = len; /* prefix of the right code, or right code + zeros */
		ck_assert_int_eq(rakp_client_rakp2(&hs, &c->m1, &m), IPMI_E_RAKP2);
	}
	/* the console's own RAKP1 fields are part of the code */
	{
		struct rakp_msg1 m1 = c->m1;

		m1.role ^= RAKP_ROLE_NAME_ONLY;
		ck_assert_int_eq(rakp_client_rakp2(&hs, &m1, &c->m2), IPMI_E_RAKP2);
		m1 = c->m1;
		m1.rm[15] ^= 0x80;
		ck_assert_int_eq(rakp_client_rakp2(&hs, &m1, &c->m2), IPMI_E_RAKP2);
	}
	ck_assert_int_eq(rakp_client_rakp2(&hs, &c->m1, &c->m2), 0);
	free(c);
}
END_TEST

START_TEST(client_rakp4_checks)
{
	struct cap *c = cap_load(tu_vec_suites[_i]);
	struct rakp_hs hs;
	struct rakp_msg3 m3;
	struct rakp_msg4 m;

	ck_assert_int_eq(client_to_rakp2(c, c->v.pass, NULL, &hs), 0);
	ck_assert_int_eq(rakp_client_rakp3(&hs, c->m3.tag, &m3), 0);
	m = c->m4;
	m.tag ^= 0x10;
	ck_assert_int_eq(rakp_client_rakp4(&hs, &m3, &m), IPMI_E_TAG);
	m = c->m4;
	m.status = RAKP_ST_INVALID_ICV;
	ck_assert_int_eq(rakp_client_rakp4(&hs, &m3, &m), IPMI_E_STATUS);
	m = c->m4;
	m.console_sid = 0;
	ck_assert_int_eq(rakp_client_rakp4(&hs, &m3, &m), IPMI_E_SESSION);
	m = c->m4;
	m.icv_len = (uint8_t)(m.icv_len + 4); /* full HMAC is not the truncated ICV */
	ck_assert_int_eq(rakp_client_rakp4(&hs, &m3, &m), IPMI_E_RAKP4);
	ck_assert_int_eq(rakp_client_rakp4(&hs, &m3, &c->m4), 0);
	free(c);
}
END_TEST

START_TEST(server_rakp3_checks)
{
	struct cap *c = cap_load(tu_vec_suites[_i]);
	struct rakp_hs hs;
	struct rakp_msg2 m2;
	struct rakp_msg3 m;

	server_hs(c, c->v.pass, &hs);
	ck_assert_int_eq(rakp_server_rakp2(&hs, &c->m1, &m2), 0);
	m = c->m3;
	m.bmc_sid ^= 1;
	ck_assert_int_eq(rakp_server_rakp3(&hs, &m), IPMI_E_SESSION);
	m = c->m3;
	m.status = RAKP_ST_INVALID_AUTH;
	ck_assert_int_eq(rakp_server_rakp3(&hs, &m), IPMI_E_STATUS);
	m = c->m3;
	m.code_len--;
	ck_assert_int_eq(rakp_server_rakp3(&hs, &m), IPMI_E_RAKP3);
	ck_assert_int_eq(rakp_server_rakp3(&hs, &c->m3), 0);
	free(c);
}
END_TEST

/* ---- in memory, every suite ---- */

static const EVP_MD *
ref_md(uint8_t auth)
{
	switch (auth) {
	case CSUITE_AUTH_HMAC_SHA1:
		return EVP_sha1();
	case CSUITE_AUTH_HMAC_MD5:
		return EVP_md5();
	default:
		return EVP_sha256();
	}
}

static size_t
ref_hmac(uint8_t auth, const void *key, size_t klen, const uint8_t *d, size_t dlen, uint8_t *out)
{
	unsigned int n = 0;

	ck_assert_ptr_nonnull(HMAC(ref_md(auth), key, (int)klen, d, dlen, out, &n));
	return n;
}

static size_t
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return 4;
}

/*
 * Recomputes the whole key exchange from the README's formulas with
 * OpenSSL directly (password and K_g unpadded, as the peer would hold them).
 */
static void
ref_check(const struct rakp_hs *hs, const char *user, const char *pass, const char *kg)
{
	uint8_t d[128], out[64], sik[64], code[RAKP_CODE_MAX];
	const uint8_t c1[20] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	const uint8_t c2[20] = { 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2 };
	uint8_t auth = hs->cs->auth;
	size_t n = 0, ul = strlen(user), hl;

	if (auth == CSUITE_AUTH_NONE) {
		ck_assert_int_eq(rakp_rakp2_code(hs, code), 0);
		ck_assert_int_eq(rakp_rakp3_code(hs, code), 0);
		ck_assert_int_eq(rakp_rakp4_icv(hs, code), 0);
		ck_assert_uint_eq(hs->key_len, 0);
		return;
	}
	/* RAKP2: SIDm | SIDc | Rm | Rc | GUIDc | ROLEm | ULENGTHm | UNAMEm */
	n += put32(d + n, hs->console_sid);
	n += put32(d + n, hs->bmc_sid);
	memcpy(d + n, hs->rm, 16), n += 16;
	memcpy(d + n, hs->rc, 16), n += 16;
	memcpy(d + n, hs->guid, 16), n += 16;
	d[n++] = hs->role;
	d[n++] = (uint8_t)ul;
	memcpy(d + n, user, ul), n += ul;
	hl = ref_hmac(auth, pass, strlen(pass), d, n, out);
	ck_assert_int_eq(rakp_rakp2_code(hs, code), (int)hl);
	ck_assert_mem_eq(code, out, hl);
	/* SIK: Rm | Rc | ROLEm | ULENGTHm | UNAMEm, keyed with K_g (or Kuid) */
	n = 0;
	memcpy(d + n, hs->rm, 16), n += 16;
	memcpy(d + n, hs->rc, 16), n += 16;
	d[n++] = hs->role;
	d[n++] = (uint8_t)ul;
	memcpy(d + n, user, ul), n += ul;
	ck_assert_uint_eq(
	    ref_hmac(auth, kg != NULL ? kg : pass, strlen(kg != NULL ? kg : pass), d, n, sik), hl);
	ck_assert_uint_eq(hs->key_len, hl);
	ck_assert_mem_eq(hs->sik, sik, hl);
	ref_hmac(auth, sik, hl, c1, 20, out);
	ck_assert_mem_eq(hs->k1, out, hl);
	ref_hmac(auth, sik, hl, c2, 20, out);
	ck_assert_mem_eq(hs->k2, out, hl);
	/* RAKP3: Rc | SIDm | ROLEm | ULENGTHm | UNAMEm */
	n = 0;
	memcpy(d + n, hs->rc, 16), n += 16;
	n += put32(d + n, hs->console_sid);
	d[n++] = hs->role;
	d[n++] = (uint8_t)ul;
	memcpy(d + n, user, ul), n += ul;
	ref_hmac(auth, pass, strlen(pass), d, n, out);
	ck_assert_int_eq(rakp_rakp3_code(hs, code), (int)hl);
	ck_assert_mem_eq(code, out, hl);
	/* RAKP4 ICV: Rm | SIDc | GUIDc under SIK, truncated */
	n = 0;
	memcpy(d + n, hs->rm, 16), n += 16;
	n += put32(d + n, hs->bmc_sid);
	memcpy(d + n, hs->guid, 16), n += 16;
	ref_hmac(auth, sik, hl, d, n, out);
	ck_assert_int_eq(rakp_rakp4_icv(hs, code), (int)csuite_rakp4_len(auth));
	ck_assert_mem_eq(code, out, csuite_rakp4_len(auth));
}

static int
suite_id(int i)
{
	size_t n;
	const struct csuite *all = csuite_all(&n);

	ck_assert_uint_lt((size_t)i, n);
	return all[i].id;
}

START_TEST(memory_handshake)
{
	int id = suite_id(_i);
	struct rakp_hs con, bmc;

	ck_assert_int_eq(tu_handshake(id, "admin", "adminpass", NULL, NULL, &con, &bmc), 0);
	ref_check(&con, "admin", "adminpass", NULL);
	/* odd lengths: 1-byte name, 20-byte password, 16-byte name */
	ck_assert_int_eq(tu_handshake(id, "u", "01234567890123456789", NULL, NULL, &con, &bmc), 0);
	ref_check(&bmc, "u", "01234567890123456789", NULL);
	ck_assert_int_eq(tu_handshake(id, "sixteen-byte-usr", "p", NULL, NULL, &con, &bmc), 0);
	ref_check(&con, "sixteen-byte-usr", "p", NULL);
	/* anonymous, empty password */
	ck_assert_int_eq(tu_handshake(id, "", "", NULL, NULL, &con, &bmc), 0);
	ref_check(&con, "", "", NULL);
	rakp_hs_clear(&con);
	rakp_hs_clear(&bmc);
}
END_TEST

START_TEST(memory_kg)
{
	int id = suite_id(_i);
	struct rakp_hs con, bmc, plain_con, plain_bmc;
	int rc;

	ck_assert_int_eq(tu_handshake(id, "admin", "adminpass", NULL, NULL, &plain_con, &plain_bmc),
	                 0);
	ck_assert_int_eq(tu_handshake(id, "admin", "adminpass", "bmc-key-0123456789ab",
	                              "bmc-key-0123456789ab", &con, &bmc),
	                 0);
	ref_check(&con, "admin", "adminpass", "bmc-key-0123456789ab");
	if (con.key_len > 0)
		ck_assert(memcmp(con.sik, plain_con.sik, con.key_len) != 0);
	/* K_g on one side only: RAKP2/3 pass (Kuid), RAKP4 fails (SIK) */
	rc = tu_handshake(id, "admin", "adminpass", "bmc-key", NULL, &con, &bmc);
	ck_assert_int_eq(rc, csuite_by_id(id)->auth == CSUITE_AUTH_NONE ? 0 : IPMI_E_RAKP4);
	rc = tu_handshake(id, "admin", "adminpass", NULL, "bmc-key", &con, &bmc);
	ck_assert_int_eq(rc, csuite_by_id(id)->auth == CSUITE_AUTH_NONE ? 0 : IPMI_E_RAKP4);
}
END_TEST

/* Different passwords on the two sides: the console refuses RAKP2. */
START_TEST(memory_wrong_password)
{
	int id = suite_id(_i);
	struct rakp_hs con, bmc;
	struct rakp_creds bad;

	if (csuite_by_id(id)->auth == CSUITE_AUTH_NONE)
		return; /* RAKP-none authenticates nothing: nothing to refuse */
	/* tu_handshake uses one password for both; run it, then redo RAKP2
	 * with the console holding another password */
	ck_assert_int_eq(tu_handshake(id, "admin", "adminpass", NULL, NULL, &con, &bmc), 0);
	set_creds(&bad, "admin", "adminpasT", NULL);
	{
		struct rakp_msg1 m1 = { .tag = 5, .bmc_sid = bmc.bmc_sid, .role = bmc.role };
		struct rakp_msg2 m2;
		struct rakp_msg3 m3;

		memcpy(m1.rm, con.rm, 16);
		m1.user_len = 5;
		memcpy(m1.user, "admin", 5);
		ck_assert_int_eq(rakp_server_rakp2(&bmc, &m1, &m2), 0);
		con.creds = bad;
		ck_assert_int_eq(rakp_client_rakp2(&con, &m1, &m2), IPMI_E_RAKP2);
		/* and a console that went on anyway is refused at RAKP3 */
		ck_assert_int_eq(rakp_client_rakp3(&con, 6, &m3), 0);
		ck_assert_int_eq(rakp_server_rakp3(&bmc, &m3), IPMI_E_RAKP3);
	}
}
END_TEST

START_TEST(hs_clear)
{
	struct rakp_hs con, bmc;
	static const struct rakp_hs zero;

	ck_assert_int_eq(tu_handshake(17, "admin", "adminpass", NULL, NULL, &con, &bmc), 0);
	rakp_hs_clear(&con);
	ck_assert_mem_eq(&con, &zero, sizeof(con));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rakp");
	TCase *tc = tu_tcase(s, "codec");
	size_t nsuites;

	csuite_all(&nsuites);
	tcase_add_test(tc, open_req_known);
	tcase_add_test(tc, msg1_known);
	tcase_add_test(tc, error_short_forms);
	tcase_add_test(tc, encoders_nospace);
	tcase_add_test(tc, codec_limits);
	tcase_add_test(tc, open_alg_records);
	tcase_add_test(tc, creds);
	tc = tu_tcase(s, "captured");
	tcase_add_loop_test(tc, captured_decode, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_client, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_server, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_wrong_password, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_wrong_kg, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_bit_flips, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, captured_truncations, 0, (int)tu_vec_nsuites);
	tc = tu_tcase(s, "checks");
	tcase_add_loop_test(tc, client_open_checks, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, client_rakp2_checks, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, client_rakp4_checks, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, server_rakp3_checks, 0, (int)tu_vec_nsuites);
	tc = tu_tcase(s, "memory");
	tcase_add_loop_test(tc, memory_handshake, 0, (int)nsuites);
	tcase_add_loop_test(tc, memory_kg, 0, (int)nsuites);
	tcase_add_loop_test(tc, memory_wrong_password, 0, (int)nsuites);
	tcase_add_test(tc, hs_clear);
	return tu_run(s);
}
