/*
 * test_ippframe.c - newline framing (ippframe.c): lines split anywhere,
 * several per chunk, CRLF, empty lines, the length cap at and past its
 * boundary, and buffer reuse over many lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "ipmipool.h"
#include "ippframe.h"

static void
feed(struct ippframe *f, const char *s, size_t len)
{
	size_t avail;
	char *space = ippframe_space(f, len ? len : 1, &avail);

	ck_assert_ptr_nonnull(space);
	ck_assert_uint_ge(avail, len);
	memcpy(space, s, len);
	ippframe_commit(f, len);
}

static void
expect_line(struct ippframe *f, const char *want)
{
	const char *line;
	size_t len;

	ck_assert_int_eq(ippframe_next(f, &line, &len), 1);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert(memcmp(line, want, len) == 0);
}

static void
expect_none(struct ippframe *f)
{
	const char *line;
	size_t len;

	ck_assert_int_eq(ippframe_next(f, &line, &len), 0);
}

START_TEST(byte_by_byte)
{
	const char *msg = "{\"id\":1}\n{\"id\":2}\n";
	struct ippframe f;

	ippframe_init(&f, 100);
	for (size_t i = 0; i < 8; i++) {
		feed(&f, msg + i, 1);
		expect_none(&f);
		ck_assert_uint_eq(ippframe_partial(&f), i + 1);
	}
	feed(&f, msg + 8, 1);
	expect_line(&f, "{\"id\":1}");
	expect_none(&f);
	ck_assert_uint_eq(ippframe_partial(&f), 0);
	for (size_t i = 9; i < strlen(msg); i++)
		feed(&f, msg + i, 1);
	expect_line(&f, "{\"id\":2}");
	expect_none(&f);
	ippframe_clear(&f);
}
END_TEST

START_TEST(several_per_chunk)
{
	const char *msg = "a\nbb\r\n\nccc\ndd";
	struct ippframe f;

	ippframe_init(&f, 100);
	feed(&f, msg, strlen(msg));
	expect_line(&f, "a");
	expect_line(&f, "bb");
	expect_line(&f, "");
	expect_line(&f, "ccc");
	expect_none(&f);
	ck_assert_uint_eq(ippframe_partial(&f), 2);
	feed(&f, "\n", 1);
	expect_line(&f, "dd");
	ippframe_clear(&f);
}
END_TEST

START_TEST(cap_boundary)
{
	char line[66];
	const char *out;
	size_t len;
	struct ippframe f;

	memset(line, 'x', sizeof(line));
	/* exactly the cap: fine, complete or not */
	ippframe_init(&f, 64);
	feed(&f, line, 64);
	expect_none(&f);
	feed(&f, "\n", 1);
	ck_assert_int_eq(ippframe_next(&f, &out, &len), 1);
	ck_assert_uint_eq(len, 64);
	ippframe_clear(&f);
	/* one past the cap, incomplete: refused before the newline comes */
	ippframe_init(&f, 64);
	feed(&f, line, 65);
	ck_assert_int_eq(ippframe_next(&f, &out, &len), IPMIPOOL_E_TOOBIG);
	ippframe_clear(&f);
	/* one past the cap, complete in one chunk */
	ippframe_init(&f, 64);
	line[65] = '\n';
	feed(&f, line, 66);
	ck_assert_int_eq(ippframe_next(&f, &out, &len), IPMIPOOL_E_TOOBIG);
	ippframe_clear(&f);
	/* the cap is per line: many lines under it add up to more */
	ippframe_init(&f, 64);
	line[40] = '\n';
	for (int i = 0; i < 10; i++)
		feed(&f, line, 41);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(ippframe_next(&f, &out, &len), 1);
	ippframe_clear(&f);
}
END_TEST

/* Many lines through a small buffer: space is reused, nothing is lost. */
START_TEST(many_lines_reuse)
{
	struct ippframe f;
	char buf[32];

	ippframe_init(&f, 1024);
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(buf, sizeof(buf), "line %d\n", i);

		feed(&f, buf, (size_t)n);
		buf[n - 1] = '\0';
		expect_line(&f, buf);
	}
	ck_assert_uint_le(f.cap, 4096);
	ippframe_clear(&f);
	ippframe_clear(&f); /* twice is fine */
}
END_TEST

static Suite *
frame_suite(void)
{
	Suite *s = suite_create("ippframe");
	TCase *t = tcase_create("core");

	tcase_add_test(t, byte_by_byte);
	tcase_add_test(t, several_per_chunk);
	tcase_add_test(t, cap_boundary);
	tcase_add_test(t, many_lines_reuse);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(frame_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
