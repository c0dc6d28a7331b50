/*
 * test_ipmierr.c - error codes and their texts (ipmierr.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "ipmierr.h"
#include "tutil.h"

START_TEST(codes_are_dense)
{
	/* the codes are consecutive from -1000 down to IPMI_E_LAST (exclusive) */
	ck_assert_int_eq(IPMI_E_TRUNCATED, -1000);
	ck_assert_int_eq(IPMI_E_MISMATCH, -1019);
	ck_assert_int_eq(IPMI_E_LAST, IPMI_E_MISMATCH - 1);
}
END_TEST

/* Every protocol code has its own, non-empty text. */
START_TEST(every_code_has_text)
{
	for (int e = IPMI_E_TRUNCATED; e > IPMI_E_LAST; e--) {
		const char *t = ipmierr_str(e);

		ck_assert_ptr_nonnull(t);
		ck_assert_uint_gt(strlen(t), 5);
		ck_assert_str_ne(t, "unknown error");
		ck_assert_str_ne(t, "success");
		for (int f = e + 1; f <= IPMI_E_TRUNCATED; f++)
			ck_assert_str_ne(t, ipmierr_str(f));
	}
}
END_TEST

START_TEST(known_texts)
{
	ck_assert_str_eq(ipmierr_str(IPMI_E_TRUNCATED), "truncated packet");
	ck_assert_str_eq(ipmierr_str(IPMI_E_REPLAY), "replayed sequence number");
	ck_assert_str_eq(ipmierr_str(IPMI_E_MISMATCH), "response does not match the request");
	ck_assert_ptr_nonnull(strstr(ipmierr_str(IPMI_E_RAKP2), "wrong password"));
	ck_assert_ptr_nonnull(strstr(ipmierr_str(IPMI_E_DOWNGRADE), "not proposed"));
}
END_TEST

START_TEST(success_and_errno)
{
	ck_assert_str_eq(ipmierr_str(0), "success");
	ck_assert_str_eq(ipmierr_str(5), "success");
	ck_assert_str_eq(ipmierr_str(INT_MAX), "success");
	/*
	 * -errno goes through strerror(), whose text for unknown numbers lives
	 * in a buffer that the next call may free: copy before comparing.
	 */
	static const int errs[] = { EINVAL, ENOMEM, 1, EAGAIN, 999 };
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		char got[256];

		snprintf(got, sizeof(got), "%s", ipmierr_str(-errs[i]));
		ck_assert_str_eq(got, strerror(errs[i]));
	}
}
END_TEST

START_TEST(out_of_range)
{
	ck_assert_str_eq(ipmierr_str(IPMI_E_LAST), "unknown error");
	ck_assert_str_eq(ipmierr_str(IPMI_E_LAST - 1), "unknown error");
	ck_assert_str_eq(ipmierr_str(-5000), "unknown error");
	ck_assert_str_eq(ipmierr_str(INT_MIN), "unknown error");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipmierr");
	TCase *tc = tu_tcase(s, "ipmierr");

	tcase_add_test(tc, codes_are_dense);
	tcase_add_test(tc, every_code_has_text);
	tcase_add_test(tc, known_texts);
	tcase_add_test(tc, success_and_errno);
	tcase_add_test(tc, out_of_range);
	return tu_run(s);
}
