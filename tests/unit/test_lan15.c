/*
 * test_lan15.c - the IPMI v1.5 pre-session wrapper (lan15.h).
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "ipmierr.h"
#include "lan15.h"
#include "tutil.h"

/* Get Channel Authentication Capabilities as ipmitool sent it in every
 * capture: RMCP 06 00 FF 07, auth type 00, seq 0, session id 0, length 9. */
static const char gcac_req_pkt[] = "0600ff07 00 00000000 00000000 09 2018c88100388e04b5";
static const char gcac_req_msg[] = "2018c88100388e04b5";

START_TEST(encode_known)
{
	uint8_t msg[16], want[64], out[64];
	size_t mlen = tu_hex(gcac_req_msg, msg, sizeof(msg));
	size_t wlen = tu_hex(gcac_req_pkt, want, sizeof(want));

	ck_assert_int_eq(lan15_encode(msg, mlen, out, sizeof(out)), (int)wlen);
	ck_assert_mem_eq(out, want, wlen);
}
END_TEST

START_TEST(encode_limits)
{
	uint8_t msg[256] = { 0 }, out[300];

	ck_assert_int_eq(lan15_encode(msg, 255, out, sizeof(out)), 14 + 255);
	ck_assert_uint_eq(out[13], 255);
	ck_assert_int_eq(lan15_encode(msg, 256, out, sizeof(out)), IPMI_E_ARG);
	ck_assert_int_eq(lan15_encode(NULL, 0, out, sizeof(out)), 14);
	ck_assert_uint_eq(out[13], 0);
	for (size_t cap = 0; cap < 14 + 9; cap++) {
		uint8_t *o = malloc(cap + 1);
		ck_assert_int_eq(lan15_encode(msg, 9, o, cap), IPMI_E_NOSPACE);
		free(o);
	}
}
END_TEST

START_TEST(round_trip)
{
	uint8_t msg[255], out[300];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i ^ 0x5a);
	for (size_t len = 0; len <= 255; len++) {
		const uint8_t *m = NULL;
		size_t ml = 999;
		int n = lan15_encode(msg, len, out, sizeof(out));

		ck_assert_int_eq(n, (int)(14 + len));
		ck_assert_int_eq(lan15_decode(out, (size_t)n, &m, &ml), 0);
		ck_assert_uint_eq(ml, len);
		ck_assert_ptr_eq(m, out + 14);
		ck_assert_mem_eq(m, msg, len);
	}
}
END_TEST

/* The captured pre-session request and response unwrap to their messages. */
START_TEST(captured)
{
	struct tu_vec *v = malloc(sizeof(*v));
	size_t n15 = 0;

	tu_vec_load(tu_vec_suites[_i], v);
	for (size_t i = 0; i < v->npkt; i++) {
		const struct tu_pkt *p = &v->pkt[i];
		const uint8_t *m;
		size_t ml;
		int rc = lan15_decode(p->b, p->len, &m, &ml);

		if (p->kind != TU_V15) {
			/* RMCP+ packets are told apart, not misparsed */
			ck_assert_int_eq(rc, IPMI_E_PAYLOAD);
			continue;
		}
		n15++;
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(ml, p->len - 14);
		ck_assert_ptr_eq(m, p->b + 14);
		if (p->to_bmc) {
			uint8_t want[64];
			size_t wl = tu_hex(gcac_req_pkt, want, sizeof(want));

			ck_assert_uint_eq(p->len, wl);
			ck_assert_mem_eq(p->b, want, wl);
		} else {
			/* response to Get Channel Auth Caps: rsSA 81h, NetFn 07h, cmd 38h, CC 0 */
			ck_assert_uint_eq(m[0], 0x81);
			ck_assert_uint_eq(m[1] >> 2, 0x07);
			ck_assert_uint_eq(m[5], 0x38);
			ck_assert_uint_eq(m[6], 0x00);
		}
	}
	ck_assert_uint_eq(n15, 2);
	free(v);
}
END_TEST

/* Authenticated v1.5 packets: the 16-byte AuthCode is skipped (not checked). */
START_TEST(auth_types)
{
	uint8_t pkt[64];
	const uint8_t *m;
	size_t ml;

	for (unsigned at = 0; at < 256; at++) {
		size_t n = 0;
		int rc;

		memcpy(pkt, "\x06\x00\xff\x07", 4);
		n = 4;
		pkt[n++] = (uint8_t)at;
		memset(pkt + n, 0x11, 8); /* seq, session id */
		n += 8;
		if (at != 0) {
			memset(pkt + n, 0xac, 16);
			n += 16;
		}
		pkt[n++] = 3;
		memcpy(pkt + n, "abc", 3);
		n += 3;
		rc = lan15_decode(pkt, n, &m, &ml);
		if (at <= 5) {
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(ml, 3);
			ck_assert_mem_eq(m, "abc", 3);
		} else if (at == 6) {
			ck_assert_int_eq(rc, IPMI_E_PAYLOAD); /* RMCP+ */
		} else {
			ck_assert_int_eq(rc, IPMI_E_MALFORMED);
		}
	}
}
END_TEST

START_TEST(trailing_bytes)
{
	uint8_t pkt[64];
	size_t n = tu_hex(gcac_req_pkt, pkt, sizeof(pkt));
	const uint8_t *m;
	size_t ml;

	/* one legacy pad byte is tolerated */
	pkt[n] = 0x00;
	ck_assert_int_eq(lan15_decode(pkt, n + 1, &m, &ml), 0);
	ck_assert_uint_eq(ml, 9);
	/* two are not */
	pkt[n + 1] = 0x00;
	ck_assert_int_eq(lan15_decode(pkt, n + 2, &m, &ml), IPMI_E_MALFORMED);
}
END_TEST

START_TEST(wrong_class)
{
	uint8_t pkt[64];
	size_t n = tu_hex(gcac_req_pkt, pkt, sizeof(pkt));
	const uint8_t *m;
	size_t ml;

	pkt[3] = 0x06; /* ASF */
	ck_assert_int_eq(lan15_decode(pkt, n, &m, &ml), IPMI_E_PAYLOAD);
	pkt[3] = 0x87; /* ACK */
	ck_assert_int_eq(lan15_decode(pkt, n, &m, &ml), IPMI_E_MALFORMED);
	pkt[3] = 0x07;
	pkt[0] = 0x05;
	ck_assert_int_eq(lan15_decode(pkt, n, &m, &ml), IPMI_E_MALFORMED);
}
END_TEST

/* Every prefix of every captured v1.5 packet, and of an authenticated one. */
START_TEST(truncations)
{
	struct tu_vec *v = malloc(sizeof(*v));
	uint8_t authed[64];
	size_t alen;

	tu_vec_load(tu_vec_suites[_i], v);
	/* the request again with auth type MD5 (02h) and its 16-byte AuthCode */
	memcpy(authed, v->pkt[0].b, 13);
	authed[4] = 0x02;
	memset(authed + 13, 0x77, 16);
	memcpy(authed + 29, v->pkt[0].b + 13, v->pkt[0].len - 13);
	alen = v->pkt[0].len + 16;
	for (size_t i = 0; i <= v->npkt; i++) {
		const uint8_t *b = i < v->npkt ? v->pkt[i].b : authed;
		size_t len = i < v->npkt ? v->pkt[i].len : alen;

		if (i < v->npkt && v->pkt[i].kind != TU_V15)
			continue;
		for (size_t n = 0; n < len; n++) {
			uint8_t *p = malloc(n > 0 ? n : 1);
			const uint8_t *m;
			size_t ml;

			memcpy(p, b, n);
			ck_assert_int_eq(lan15_decode(p, n, &m, &ml), IPMI_E_TRUNCATED);
			free(p);
		}
	}
	free(v);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("lan15");
	TCase *tc = tu_tcase(s, "lan15");

	tcase_add_test(tc, encode_known);
	tcase_add_test(tc, encode_limits);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, auth_types);
	tcase_add_test(tc, trailing_bytes);
	tcase_add_test(tc, wrong_class);
	tcase_add_loop_test(tc, captured, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, truncations, 0, (int)tu_vec_nsuites);
	return tu_run(s);
}
