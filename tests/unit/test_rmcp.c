/*
 * test_rmcp.c - the RMCP header and ASF presence ping/pong (rmcp.h).
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "ipmierr.h"
#include "rmcp.h"
#include "tutil.h"

/* ASF ping (DSP0136 3.2.4.1): RMCP 06 00 FF 06, IANA 4542 (0x000011BE),
 * type 80h, tag, reserved 00, data length 00. */
static const uint8_t ping_a5[] = { 0x06, 0x00, 0xff, 0x06, 0x00, 0x00,
	                           0x11, 0xbe, 0x80, 0xa5, 0x00, 0x00 };

/* ASF pong (3.2.4.2): type 40h, data length 10h, then IANA 4542, OEM 0,
 * supported entities 80h (IPMI), supported interactions 0, 6 reserved. */
static const uint8_t pong_07[] = { 0x06, 0x00, 0xff, 0x06, 0x00, 0x00, 0x11, 0xbe, 0x40, 0x07,
	                           0x00, 0x10, 0x00, 0x00, 0x11, 0xbe, 0x00, 0x00, 0x00, 0x00,
	                           0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };

START_TEST(header_put)
{
	uint8_t buf[8];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));

	rmcp_put_header(&w, RMCP_CLASS_IPMI);
	rmcp_put_header(&w, RMCP_CLASS_ASF);
	ck_assert(wire_wr_ok(&w));
	ck_assert_mem_eq(buf, "\x06\x00\xff\x07\x06\x00\xff\x06", 8);
	rmcp_put_header(&w, RMCP_CLASS_IPMI);
	ck_assert(!wire_wr_ok(&w));
	for (size_t cap = 0; cap < 4; cap++) {
		w = wire_wr_make(buf, cap);
		rmcp_put_header(&w, RMCP_CLASS_IPMI);
		ck_assert(!wire_wr_ok(&w));
	}
}
END_TEST

START_TEST(header_get)
{
	uint8_t h[4] = { 0x06, 0x00, 0xff, 0x07 };
	struct wire_rd r = wire_rd_make(h, 4);

	ck_assert_int_eq(rmcp_get_header(&r), RMCP_CLASS_IPMI);
	ck_assert(wire_rd_done(&r));
	ck_assert_int_eq(rmcp_class(h, 4), RMCP_CLASS_IPMI);
	h[3] = RMCP_CLASS_ASF;
	ck_assert_int_eq(rmcp_class(h, 4), RMCP_CLASS_ASF);
	/* any RMCP sequence number is accepted (ASF uses them for ACKs) */
	h[2] = 0x12;
	ck_assert_int_eq(rmcp_class(h, 4), RMCP_CLASS_ASF);
	/* RMCP ACK messages (bit 7) are not spoken */
	h[3] = 0x80 | RMCP_CLASS_ASF;
	ck_assert_int_eq(rmcp_class(h, 4), IPMI_E_MALFORMED);
	/* version 1.0 (anything but 06h) */
	h[3] = RMCP_CLASS_IPMI;
	for (unsigned v = 0; v < 256; v++) {
		h[0] = (uint8_t)v;
		ck_assert_int_eq(rmcp_class(h, 4), v == 6 ? RMCP_CLASS_IPMI : IPMI_E_MALFORMED);
	}
	h[0] = 6;
	/* prefixes */
	for (size_t n = 0; n < 4; n++)
		ck_assert_int_eq(rmcp_class(h, n), IPMI_E_TRUNCATED);
	ck_assert_int_eq(rmcp_class(NULL, 0), IPMI_E_TRUNCATED);
}
END_TEST

START_TEST(ping_known_bytes)
{
	for (unsigned tag = 0; tag < 256; tag++) {
		uint8_t out[12];
		uint8_t want[12];

		memcpy(want, ping_a5, 12);
		want[9] = (uint8_t)tag;
		ck_assert_int_eq(asf_encode_ping((uint8_t)tag, out, sizeof(out)), 12);
		ck_assert_mem_eq(out, want, 12);
	}
}
END_TEST

START_TEST(pong_known_bytes)
{
	uint8_t out[64];

	ck_assert_int_eq(asf_encode_pong(0x07, out, sizeof(out)), (int)sizeof(pong_07));
	ck_assert_mem_eq(out, pong_07, sizeof(pong_07));
}
END_TEST

START_TEST(encode_nospace)
{
	for (size_t cap = 0; cap < sizeof(ping_a5); cap++) {
		uint8_t *out = malloc(cap + 1);
		ck_assert_int_eq(asf_encode_ping(1, out, cap), IPMI_E_NOSPACE);
		free(out);
	}
	for (size_t cap = 0; cap < sizeof(pong_07); cap++) {
		uint8_t *out = malloc(cap + 1);
		ck_assert_int_eq(asf_encode_pong(1, out, cap), IPMI_E_NOSPACE);
		free(out);
	}
}
END_TEST

START_TEST(round_trip)
{
	for (unsigned tag = 0; tag < 256; tag++) {
		uint8_t buf[64];
		struct asf_msg m;
		int n = asf_encode_ping((uint8_t)tag, buf, sizeof(buf));

		memset(&m, 0xee, sizeof(m));
		ck_assert_int_eq(asf_decode(buf, (size_t)n, &m), 0);
		ck_assert_uint_eq(m.type, ASF_TYPE_PING);
		ck_assert_uint_eq(m.tag, tag);
		ck_assert(!m.ipmi_supported);
		n = asf_encode_pong((uint8_t)tag, buf, sizeof(buf));
		ck_assert_int_eq(asf_decode(buf, (size_t)n, &m), 0);
		ck_assert_uint_eq(m.type, ASF_TYPE_PONG);
		ck_assert_uint_eq(m.tag, tag);
		ck_assert(m.ipmi_supported);
	}
}
END_TEST

START_TEST(decode_pong_entities)
{
	uint8_t p[sizeof(pong_07)];
	struct asf_msg m;

	memcpy(p, pong_07, sizeof(p));
	p[20] = 0x01; /* ASF 1.0 only, no IPMI */
	ck_assert_int_eq(asf_decode(p, sizeof(p), &m), 0);
	ck_assert(!m.ipmi_supported);
	p[20] = 0x81;
	ck_assert_int_eq(asf_decode(p, sizeof(p), &m), 0);
	ck_assert(m.ipmi_supported);
}
END_TEST

START_TEST(decode_errors)
{
	uint8_t p[sizeof(pong_07) + 4];
	struct asf_msg m;

	/* IPMI class: not ASF */
	memcpy(p, ping_a5, 12);
	p[3] = RMCP_CLASS_IPMI;
	ck_assert_int_eq(asf_decode(p, 12, &m), IPMI_E_PAYLOAD);
	/* wrong IANA, byte by byte */
	for (size_t i = 4; i < 8; i++) {
		memcpy(p, ping_a5, 12);
		p[i] ^= 0x01;
		ck_assert_int_eq(asf_decode(p, 12, &m), IPMI_E_MALFORMED);
	}
	/* message types other than ping and pong */
	for (unsigned t = 0; t < 256; t++) {
		memcpy(p, ping_a5, 12);
		p[8] = (uint8_t)t;
		if (t == ASF_TYPE_PING)
			continue;
		/* a pong with an empty body lacks its entities byte */
		ck_assert_int_eq(asf_decode(p, 12, &m),
		                 t == ASF_TYPE_PONG ? IPMI_E_TRUNCATED : IPMI_E_MALFORMED);
	}
	/* a data length beyond the datagram */
	memcpy(p, ping_a5, 12);
	p[11] = 1;
	ck_assert_int_eq(asf_decode(p, 12, &m), IPMI_E_TRUNCATED);
	/* a pong whose body stops before the entities byte */
	memcpy(p, pong_07, sizeof(pong_07));
	p[11] = 8;
	ck_assert_int_eq(asf_decode(p, 20, &m), IPMI_E_TRUNCATED);
	/* trailing bytes after the declared data are ignored */
	memcpy(p, ping_a5, 12);
	memset(p + 12, 0x55, 4);
	ck_assert_int_eq(asf_decode(p, 16, &m), 0);
	ck_assert_uint_eq(m.tag, 0xa5);
	/* a ping carrying data (declared) is still a ping */
	p[11] = 4;
	ck_assert_int_eq(asf_decode(p, 16, &m), 0);
}
END_TEST

/* Every prefix of a ping and a pong, each in an exact-size heap block. */
START_TEST(truncations)
{
	const uint8_t *pkts[] = { ping_a5, pong_07 };
	const size_t lens[] = { sizeof(ping_a5), sizeof(pong_07) };

	for (size_t k = 0; k < 2; k++) {
		for (size_t n = 0; n < lens[k]; n++) {
			uint8_t *p = malloc(n > 0 ? n : 1);
			struct asf_msg m;

			memcpy(p, pkts[k], n);
			ck_assert_int_lt(asf_decode(p, n, &m), 0);
			free(p);
		}
	}
}
END_TEST

/* The captured sessions' first packet is RMCP class IPMI, not ASF. */
START_TEST(captured_class)
{
	struct tu_vec *v = malloc(sizeof(*v));
	struct asf_msg m;

	tu_vec_load(tu_vec_suites[_i], v);
	for (size_t i = 0; i < v->npkt; i++) {
		ck_assert_int_eq(rmcp_class(v->pkt[i].b, v->pkt[i].len), RMCP_CLASS_IPMI);
		ck_assert_int_eq(asf_decode(v->pkt[i].b, v->pkt[i].len, &m), IPMI_E_PAYLOAD);
	}
	free(v);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rmcp");
	TCase *tc = tu_tcase(s, "rmcp");

	tcase_add_test(tc, header_put);
	tcase_add_test(tc, header_get);
	tcase_add_test(tc, ping_known_bytes);
	tcase_add_test(tc, pong_known_bytes);
	tcase_add_test(tc, encode_nospace);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, decode_pong_entities);
	tcase_add_test(tc, decode_errors);
	tcase_add_test(tc, truncations);
	tcase_add_loop_test(tc, captured_class, 0, (int)tu_vec_nsuites);
	return tu_run(s);
}
