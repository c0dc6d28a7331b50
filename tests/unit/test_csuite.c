/*
 * test_csuite.c - the cipher suite table (IPMI v2.0 table 22-20).
 */
#include <string.h>

#include <check.h>

#include "csuite.h"
#include "tutil.h"

/* Table 22-20, restated by hand: id, auth, integrity, confidentiality. */
static const struct csuite spec[] = {
	{ 0, CSUITE_AUTH_NONE, CSUITE_INTEG_NONE, CSUITE_CONF_NONE },
	{ 1, CSUITE_AUTH_HMAC_SHA1, CSUITE_INTEG_NONE, CSUITE_CONF_NONE },
	{ 2, CSUITE_AUTH_HMAC_SHA1, CSUITE_INTEG_HMAC_SHA1_96, CSUITE_CONF_NONE },
	{ 3, CSUITE_AUTH_HMAC_SHA1, CSUITE_INTEG_HMAC_SHA1_96, CSUITE_CONF_AES_CBC_128 },
	{ 6, CSUITE_AUTH_HMAC_MD5, CSUITE_INTEG_NONE, CSUITE_CONF_NONE },
	{ 7, CSUITE_AUTH_HMAC_MD5, CSUITE_INTEG_HMAC_MD5_128, CSUITE_CONF_NONE },
	{ 8, CSUITE_AUTH_HMAC_MD5, CSUITE_INTEG_HMAC_MD5_128, CSUITE_CONF_AES_CBC_128 },
	{ 11, CSUITE_AUTH_HMAC_MD5, CSUITE_INTEG_MD5_128, CSUITE_CONF_NONE },
	{ 12, CSUITE_AUTH_HMAC_MD5, CSUITE_INTEG_MD5_128, CSUITE_CONF_AES_CBC_128 },
	{ 15, CSUITE_AUTH_HMAC_SHA256, CSUITE_INTEG_NONE, CSUITE_CONF_NONE },
	{ 16, CSUITE_AUTH_HMAC_SHA256, CSUITE_INTEG_HMAC_SHA256_128, CSUITE_CONF_NONE },
	{ 17, CSUITE_AUTH_HMAC_SHA256, CSUITE_INTEG_HMAC_SHA256_128, CSUITE_CONF_AES_CBC_128 },
};
#define NSPEC (sizeof(spec) / sizeof(spec[0]))

START_TEST(table_matches_spec)
{
	size_t n = 0;
	const struct csuite *all = csuite_all(&n);

	ck_assert_ptr_nonnull(all);
	ck_assert_uint_eq(n, NSPEC);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(all[i].id, spec[i].id);
		ck_assert_uint_eq(all[i].auth, spec[i].auth);
		ck_assert_uint_eq(all[i].integ, spec[i].integ);
		ck_assert_uint_eq(all[i].conf, spec[i].conf);
		if (i > 0)
			ck_assert_uint_gt(all[i].id, all[i - 1].id);
	}
}
END_TEST

START_TEST(lookup_by_id_and_algs)
{
	size_t n = 0;
	const struct csuite *all = csuite_all(&n);

	for (size_t i = 0; i < n; i++) {
		ck_assert_ptr_eq(csuite_by_id(all[i].id), &all[i]);
		ck_assert_ptr_eq(csuite_by_algs(all[i].auth, all[i].integ, all[i].conf), &all[i]);
	}
}
END_TEST

/* Ids outside the table: OEM, reserved and the ones we do not speak. */
START_TEST(unknown_ids)
{
	static const int bad[] = { -1, 4, 5, 9, 10, 13, 14, 18, 19, 0x30, 0xff, 0x100, 256 + 3 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_ptr_null(csuite_by_id(bad[i]));
}
END_TEST

/* Every algorithm triple that is not in the table is refused. */
START_TEST(unknown_triples)
{
	size_t hits = 0;

	for (unsigned a = 0; a < 6; a++) {
		for (unsigned i = 0; i < 7; i++) {
			for (unsigned c = 0; c < 4; c++) {
				const struct csuite *cs =
				    csuite_by_algs((uint8_t)a, (uint8_t)i, (uint8_t)c);
				bool in_spec = false;

				for (size_t k = 0; k < NSPEC; k++)
					in_spec |= spec[k].auth == a && spec[k].integ == i &&
					           spec[k].conf == c;
				if (!in_spec) {
					ck_assert_ptr_null(cs);
					continue;
				}
				hits++;
				ck_assert_ptr_nonnull(cs);
				ck_assert_uint_eq(cs->auth, a);
				ck_assert_uint_eq(cs->integ, i);
				ck_assert_uint_eq(cs->conf, c);
			}
		}
	}
	ck_assert_uint_eq(hits, NSPEC);
}
END_TEST

START_TEST(lengths)
{
	ck_assert_uint_eq(csuite_auth_len(CSUITE_AUTH_NONE), 0);
	ck_assert_uint_eq(csuite_auth_len(CSUITE_AUTH_HMAC_SHA1), 20);
	ck_assert_uint_eq(csuite_auth_len(CSUITE_AUTH_HMAC_MD5), 16);
	ck_assert_uint_eq(csuite_auth_len(CSUITE_AUTH_HMAC_SHA256), 32);
	ck_assert_uint_eq(csuite_auth_len(4), 0);
	ck_assert_uint_eq(csuite_auth_len(0xff), 0);

	ck_assert_uint_eq(csuite_rakp4_len(CSUITE_AUTH_NONE), 0);
	ck_assert_uint_eq(csuite_rakp4_len(CSUITE_AUTH_HMAC_SHA1), 12);
	ck_assert_uint_eq(csuite_rakp4_len(CSUITE_AUTH_HMAC_MD5), 16);
	ck_assert_uint_eq(csuite_rakp4_len(CSUITE_AUTH_HMAC_SHA256), 16);
	ck_assert_uint_eq(csuite_rakp4_len(7), 0);

	ck_assert_uint_eq(csuite_integ_len(CSUITE_INTEG_NONE), 0);
	ck_assert_uint_eq(csuite_integ_len(CSUITE_INTEG_HMAC_SHA1_96), 12);
	ck_assert_uint_eq(csuite_integ_len(CSUITE_INTEG_HMAC_MD5_128), 16);
	ck_assert_uint_eq(csuite_integ_len(CSUITE_INTEG_MD5_128), 16);
	ck_assert_uint_eq(csuite_integ_len(CSUITE_INTEG_HMAC_SHA256_128), 16);
	ck_assert_uint_eq(csuite_integ_len(5), 0);
	ck_assert_uint_eq(csuite_integ_len(0xc0), 0);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(csuite_auth_name(CSUITE_AUTH_NONE), "none");
	ck_assert_str_eq(csuite_auth_name(CSUITE_AUTH_HMAC_SHA1), "hmac-sha1");
	ck_assert_str_eq(csuite_auth_name(CSUITE_AUTH_HMAC_MD5), "hmac-md5");
	ck_assert_str_eq(csuite_auth_name(CSUITE_AUTH_HMAC_SHA256), "hmac-sha256");
	ck_assert_str_eq(csuite_auth_name(4), "unknown");
	ck_assert_str_eq(csuite_auth_name(0xff), "unknown");

	ck_assert_str_eq(csuite_integ_name(CSUITE_INTEG_NONE), "none");
	ck_assert_str_eq(csuite_integ_name(CSUITE_INTEG_HMAC_SHA1_96), "hmac-sha1-96");
	ck_assert_str_eq(csuite_integ_name(CSUITE_INTEG_HMAC_MD5_128), "hmac-md5-128");
	ck_assert_str_eq(csuite_integ_name(CSUITE_INTEG_MD5_128), "md5-128");
	ck_assert_str_eq(csuite_integ_name(CSUITE_INTEG_HMAC_SHA256_128), "hmac-sha256-128");
	ck_assert_str_eq(csuite_integ_name(5), "unknown");
	ck_assert_str_eq(csuite_integ_name(0xff), "unknown");

	ck_assert_str_eq(csuite_conf_name(CSUITE_CONF_NONE), "none");
	ck_assert_str_eq(csuite_conf_name(CSUITE_CONF_AES_CBC_128), "aes-cbc-128");
	ck_assert_str_eq(csuite_conf_name(2), "unknown");
	ck_assert_str_eq(csuite_conf_name(0xff), "unknown");
}
END_TEST

/* Derived invariants the session layer relies on. */
START_TEST(invariants)
{
	size_t n = 0;
	const struct csuite *all = csuite_all(&n);

	for (size_t i = 0; i < n; i++) {
		const struct csuite *c = &all[i];

		/* integrity needs keys, so it needs an authentication algorithm */
		if (c->integ != CSUITE_INTEG_NONE)
			ck_assert_uint_ne(c->auth, CSUITE_AUTH_NONE);
		/* never encryption without integrity */
		if (c->conf != CSUITE_CONF_NONE)
			ck_assert_uint_ne(c->integ, CSUITE_INTEG_NONE);
		/* AES-128 takes its key from K2, which must be >= 16 bytes */
		if (c->conf == CSUITE_CONF_AES_CBC_128)
			ck_assert_uint_ge(csuite_auth_len(c->auth), 16);
		/* the RAKP4 ICV is a truncation of the auth HMAC */
		ck_assert_uint_le(csuite_rakp4_len(c->auth), csuite_auth_len(c->auth));
		ck_assert_str_ne(csuite_auth_name(c->auth), "unknown");
		ck_assert_str_ne(csuite_integ_name(c->integ), "unknown");
		ck_assert_str_ne(csuite_conf_name(c->conf), "unknown");
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("csuite");
	TCase *tc = tu_tcase(s, "csuite");

	tcase_add_test(tc, table_matches_spec);
	tcase_add_test(tc, lookup_by_id_and_algs);
	tcase_add_test(tc, unknown_ids);
	tcase_add_test(tc, unknown_triples);
	tcase_add_test(tc, lengths);
	tcase_add_test(tc, names);
	tcase_add_test(tc, invariants);
	return tu_run(s);
}
