/*
 * test_wire.c - the bounds-checked cursor and writer (wire.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tutil.h"
#include "wire.h"

static const uint8_t sample[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	                          0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10 };

START_TEST(rd_integers)
{
	struct wire_rd r = wire_rd_make(sample, sizeof(sample));

	ck_assert_uint_eq(wire_rd_left(&r), 16);
	ck_assert_int_eq(wire_peek_u8(&r), 0x01);
	ck_assert_uint_eq(wire_get_u8(&r), 0x01);
	ck_assert_uint_eq(wire_get_le16(&r), 0x0302);
	ck_assert_uint_eq(wire_get_be16(&r), 0x0405);
	ck_assert_uint_eq(wire_get_le24(&r), 0x080706);
	ck_assert_uint_eq(wire_get_le32(&r), 0x0c0b0a09);
	ck_assert_uint_eq(wire_get_be32(&r), 0x0d0e0f10);
	ck_assert(wire_rd_ok(&r));
	ck_assert(wire_rd_done(&r));
	ck_assert_uint_eq(wire_rd_left(&r), 0);
	ck_assert_int_eq(wire_peek_u8(&r), -1);
}
END_TEST

START_TEST(rd_high_bits)
{
	static const uint8_t ff[4] = { 0xff, 0xfe, 0x80, 0x81 };
	struct wire_rd r = wire_rd_make(ff, 4);

	ck_assert_uint_eq(wire_get_le32(&r), 0x8180feffu);
	r = wire_rd_make(ff, 4);
	ck_assert_uint_eq(wire_get_be32(&r), 0xfffe8081u);
	r = wire_rd_make(ff, 4);
	ck_assert_uint_eq(wire_get_le16(&r), 0xfeff);
	ck_assert_uint_eq(wire_get_be16(&r), 0x8081);
	r = wire_rd_make(ff, 4);
	ck_assert_uint_eq(wire_get_le24(&r), 0x80feffu);
	ck_assert_int_eq(wire_peek_u8(&r), 0x81);
}
END_TEST

/* Every getter on every too-short input: zero result and a sticky error. */
START_TEST(rd_short_sticky)
{
	for (size_t len = 0; len < 4; len++) {
		struct wire_rd r = wire_rd_make(sample, len);

		if (len < 4)
			ck_assert_uint_eq(wire_get_le32(&r), 0);
		ck_assert(!wire_rd_ok(&r));
		ck_assert(!wire_rd_done(&r));
		ck_assert_uint_eq(wire_rd_left(&r), 0);
		ck_assert_int_eq(wire_peek_u8(&r), -1);
		/* sticky: even a 0-byte read now fails, and u8 reads give 0 */
		ck_assert_ptr_null(wire_get_ref(&r, 0));
		ck_assert_uint_eq(wire_get_u8(&r), 0);
		ck_assert(!wire_rd_ok(&r));
	}
	for (size_t len = 0; len < 3; len++) {
		struct wire_rd r = wire_rd_make(sample, len);
		ck_assert_uint_eq(wire_get_le24(&r), 0);
		ck_assert(!wire_rd_ok(&r));
	}
	for (size_t len = 0; len < 2; len++) {
		struct wire_rd r = wire_rd_make(sample, len);
		ck_assert_uint_eq(wire_get_le16(&r), 0);
		ck_assert(!wire_rd_ok(&r));
		r = wire_rd_make(sample, len);
		ck_assert_uint_eq(wire_get_be16(&r), 0);
		ck_assert(!wire_rd_ok(&r));
	}
	{
		struct wire_rd r = wire_rd_make(sample, 3);
		ck_assert_uint_eq(wire_get_be32(&r), 0);
		ck_assert(!wire_rd_ok(&r));
		r = wire_rd_make(sample, 0);
		ck_assert_uint_eq(wire_get_u8(&r), 0);
		ck_assert(!wire_rd_ok(&r));
	}
	/* After an error, later reads that would fit still fail. */
	{
		struct wire_rd r = wire_rd_make(sample, 4);
		wire_skip(&r, 5);
		ck_assert(!wire_rd_ok(&r));
		ck_assert_uint_eq(wire_get_u8(&r), 0);
		ck_assert_uint_eq(wire_get_le16(&r), 0);
	}
}
END_TEST

START_TEST(rd_ref_bytes_skip)
{
	struct wire_rd r = wire_rd_make(sample, sizeof(sample));
	uint8_t buf[8];
	const uint8_t *q;

	ck_assert_ptr_eq(wire_get_ref(&r, 0), sample);
	q = wire_get_ref(&r, 3);
	ck_assert_ptr_eq(q, sample);
	wire_skip(&r, 2);
	wire_get_bytes(&r, buf, 4);
	ck_assert_mem_eq(buf, sample + 5, 4);
	ck_assert_uint_eq(wire_rd_left(&r), 7);
	/* too long: NULL, destination zeroed, error */
	memset(buf, 0xaa, sizeof(buf));
	wire_get_bytes(&r, buf, 8);
	for (size_t i = 0; i < 8; i++)
		ck_assert_uint_eq(buf[i], 0);
	ck_assert(!wire_rd_ok(&r));
	/* a zero-length copy after an error touches nothing */
	wire_get_bytes(&r, NULL, 0);
}
END_TEST

/* Huge lengths must not wrap around the bounds check. */
START_TEST(rd_huge_lengths)
{
	struct wire_rd r = wire_rd_make(sample, sizeof(sample));

	wire_skip(&r, 1);
	ck_assert_ptr_null(wire_get_ref(&r, SIZE_MAX));
	ck_assert(!wire_rd_ok(&r));
	r = wire_rd_make(sample, sizeof(sample));
	wire_skip(&r, 8);
	ck_assert_ptr_null(wire_get_ref(&r, SIZE_MAX - 7));
	ck_assert(!wire_rd_ok(&r));
	r = wire_rd_make(sample, sizeof(sample));
	{
		struct wire_rd s = wire_get_sub(&r, SIZE_MAX);
		ck_assert(!wire_rd_ok(&s));
		ck_assert(!wire_rd_ok(&r));
		ck_assert_uint_eq(wire_rd_left(&s), 0);
	}
}
END_TEST

START_TEST(rd_null_input)
{
	struct wire_rd r = wire_rd_make(NULL, 100);

	ck_assert_uint_eq(r.len, 0);
	ck_assert(wire_rd_done(&r));
	ck_assert_uint_eq(wire_get_u8(&r), 0);
	ck_assert(!wire_rd_ok(&r));
}
END_TEST

START_TEST(rd_sub)
{
	struct wire_rd r = wire_rd_make(sample, sizeof(sample));
	struct wire_rd s;

	wire_skip(&r, 2);
	s = wire_get_sub(&r, 4);
	ck_assert(wire_rd_ok(&s));
	ck_assert_uint_eq(wire_rd_left(&s), 4);
	ck_assert_uint_eq(wire_rd_left(&r), 10);
	ck_assert_uint_eq(wire_get_be32(&s), 0x03040506);
	ck_assert(wire_rd_done(&s));
	/* reading past the sub-reader's end fails it, not the parent */
	ck_assert_uint_eq(wire_get_u8(&s), 0);
	ck_assert(!wire_rd_ok(&s));
	ck_assert(wire_rd_ok(&r));
	ck_assert_uint_eq(wire_get_u8(&r), 0x07);
	/* a sub-reader longer than what is left fails both */
	s = wire_get_sub(&r, 10);
	ck_assert(!wire_rd_ok(&s));
	ck_assert(!wire_rd_ok(&r));
	/* an empty sub-reader is fine */
	r = wire_rd_make(sample, 1);
	s = wire_get_sub(&r, 0);
	ck_assert(wire_rd_ok(&s));
	ck_assert(wire_rd_done(&s));
	ck_assert_uint_eq(wire_rd_left(&r), 1);
}
END_TEST

START_TEST(rd_rest)
{
	struct wire_rd r = wire_rd_make(sample, sizeof(sample));
	const uint8_t *q;
	size_t n = 99;

	wire_skip(&r, 10);
	q = wire_get_rest(&r, &n);
	ck_assert_ptr_eq(q, sample + 10);
	ck_assert_uint_eq(n, 6);
	ck_assert(wire_rd_done(&r));
	q = wire_get_rest(&r, &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(q);
	ck_assert(wire_rd_ok(&r));
	/* after an error the rest is empty and the error stays */
	wire_skip(&r, 1);
	q = wire_get_rest(&r, &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(q);
	ck_assert(!wire_rd_ok(&r));
}
END_TEST

START_TEST(rd_done_needs_all)
{
	struct wire_rd r = wire_rd_make(sample, 3);

	ck_assert(!wire_rd_done(&r));
	wire_skip(&r, 2);
	ck_assert(!wire_rd_done(&r));
	wire_skip(&r, 1);
	ck_assert(wire_rd_done(&r));
}
END_TEST

START_TEST(wr_known_bytes)
{
	static const uint8_t want[] = { 0xab, 0x34, 0x12, 0x12, 0x34, 0x78, 0x56, 0x34,
		                        0x12, 0xee, 0xee, 0xee, 'h',  'i',  0x00, 0x00 };
	uint8_t buf[sizeof(want)];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));

	wire_put_u8(&w, 0xab);
	wire_put_le16(&w, 0x1234);
	wire_put_be16(&w, 0x1234);
	wire_put_le32(&w, 0x12345678);
	wire_put_fill(&w, 0xee, 3);
	wire_put_bytes(&w, "hi", 2);
	wire_put_fill(&w, 0, 2);
	ck_assert(wire_wr_ok(&w));
	ck_assert_uint_eq(w.len, sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
	/* full: one more byte fails and the error is sticky */
	wire_put_u8(&w, 1);
	ck_assert(!wire_wr_ok(&w));
	ck_assert_uint_eq(w.len, sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
}
END_TEST

/* Each put on a writer with one byte too few: error, nothing written. */
START_TEST(wr_overflow_each)
{
	uint8_t buf[8];

	for (int kind = 0; kind < 6; kind++) {
		static const size_t need[] = { 1, 2, 2, 4, 3, 5 };
		struct wire_wr w;

		memset(buf, 0x5a, sizeof(buf));
		w = wire_wr_make(buf, need[kind] - 1);
		switch (kind) {
		case 0:
			wire_put_u8(&w, 1);
			break;
		case 1:
			wire_put_le16(&w, 1);
			break;
		case 2:
			wire_put_be16(&w, 1);
			break;
		case 3:
			wire_put_le32(&w, 1);
			break;
		case 4:
			wire_put_fill(&w, 1, 3);
			break;
		default:
			wire_put_bytes(&w, "12345", 5);
			break;
		}
		ck_assert(!wire_wr_ok(&w));
		ck_assert_uint_eq(w.len, 0);
		for (size_t i = 0; i < sizeof(buf); i++)
			ck_assert_uint_eq(buf[i], 0x5a);
		/* sticky: even a fitting write now fails */
		w.cap = sizeof(buf);
		wire_put_u8(&w, 1);
		ck_assert(!wire_wr_ok(&w));
		ck_assert_uint_eq(buf[0], 0x5a);
	}
}
END_TEST

START_TEST(wr_reserve_and_patch)
{
	uint8_t buf[6] = { 0 };
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));
	uint8_t *q;

	wire_put_u8(&w, 0x11);
	q = wire_put_reserve(&w, 2);
	ck_assert_ptr_eq(q, buf + 1);
	wire_put_u8(&w, 0x44);
	wire_patch_le16(&w, 1, 0xbeef);
	ck_assert(wire_wr_ok(&w));
	ck_assert_uint_eq(buf[1], 0xef);
	ck_assert_uint_eq(buf[2], 0xbe);
	ck_assert_uint_eq(w.len, 4);
	/* patching beyond what was written is an error */
	wire_patch_le16(&w, 3, 0x1234);
	ck_assert(!wire_wr_ok(&w));
	ck_assert_uint_eq(buf[3], 0x44);
	ck_assert_uint_eq(buf[4], 0x00);
	/* reserve too much */
	w = wire_wr_make(buf, sizeof(buf));
	ck_assert_ptr_null(wire_put_reserve(&w, 7));
	ck_assert(!wire_wr_ok(&w));
	w = wire_wr_make(buf, sizeof(buf));
	wire_put_u8(&w, 0);
	ck_assert_ptr_null(wire_put_reserve(&w, SIZE_MAX));
	ck_assert(!wire_wr_ok(&w));
	/* patch at a huge offset does not wrap */
	w = wire_wr_make(buf, sizeof(buf));
	wire_put_fill(&w, 0, 4);
	wire_patch_le16(&w, SIZE_MAX - 1, 1);
	ck_assert(!wire_wr_ok(&w));
}
END_TEST

START_TEST(wr_null_buffer)
{
	struct wire_wr w = wire_wr_make(NULL, 64);

	ck_assert_uint_eq(w.cap, 0);
	wire_put_bytes(&w, NULL, 0); /* zero bytes always fit */
	ck_assert(wire_wr_ok(&w));
	wire_put_u8(&w, 1);
	ck_assert(!wire_wr_ok(&w));
}
END_TEST

/* Writer then reader: every width survives a round trip at every offset. */
START_TEST(round_trip)
{
	uint8_t buf[64];

	for (uint32_t v = 1; v != 0; v = v * 3 + (v >> 7) + 1) {
		struct wire_wr w = wire_wr_make(buf, sizeof(buf));
		struct wire_rd r;

		wire_put_u8(&w, (uint8_t)v);
		wire_put_le16(&w, (uint16_t)v);
		wire_put_be16(&w, (uint16_t)(v >> 3));
		wire_put_le32(&w, v);
		wire_put_le32(&w, ~v);
		ck_assert(wire_wr_ok(&w));
		r = wire_rd_make(buf, w.len);
		ck_assert_uint_eq(wire_get_u8(&r), (uint8_t)v);
		ck_assert_uint_eq(wire_get_le16(&r), (uint16_t)v);
		ck_assert_uint_eq(wire_get_be16(&r), (uint16_t)(v >> 3));
		ck_assert_uint_eq(wire_get_le32(&r), v);
		ck_assert_uint_eq(wire_get_le24(&r), ~v & 0xffffff);
		ck_assert_uint_eq(wire_get_u8(&r), (~v >> 24) & 0xff);
		ck_assert(wire_rd_done(&r));
		if (v > 0x40000000u)
			break;
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tu_tcase(s, "reader");

	tcase_add_test(tc, rd_integers);
	tcase_add_test(tc, rd_high_bits);
	tcase_add_test(tc, rd_short_sticky);
	tcase_add_test(tc, rd_ref_bytes_skip);
	tcase_add_test(tc, rd_huge_lengths);
	tcase_add_test(tc, rd_null_input);
	tcase_add_test(tc, rd_sub);
	tcase_add_test(tc, rd_rest);
	tcase_add_test(tc, rd_done_needs_all);
	tc = tu_tcase(s, "writer");
	tcase_add_test(tc, wr_known_bytes);
	tcase_add_test(tc, wr_overflow_each);
	tcase_add_test(tc, wr_reserve_and_patch);
	tcase_add_test(tc, wr_null_buffer);
	tcase_add_test(tc, round_trip);
	return tu_run(s);
}
