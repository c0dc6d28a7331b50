/*
 * test_errors.c - names and error structs (errors.c): every code has a
 * text, completion codes as ipmitool names them, error objects decoded
 * from JSON (with and without data, odd codes), and the one-line format.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json.h>

#include "ipmipool.h"

START_TEST(strerror_covers_codes)
{
	static const int codes[] = {
		IPMIPOOL_E_TIMEOUT,
		IPMIPOOL_E_DISCONNECTED,
		IPMIPOOL_E_PROTOCOL,
		IPMIPOOL_E_TOOBIG,
		IPMIPOOL_E_INVALID,
		IPMIPOOL_E_RPC,
		IPMIPOOL_E_RESULT,
		IPMIPOOL_RPC_PARSE_ERROR,
		IPMIPOOL_RPC_INVALID_REQUEST,
		IPMIPOOL_RPC_METHOD_NOT_FOUND,
		IPMIPOOL_RPC_INVALID_PARAMS,
		IPMIPOOL_RPC_INTERNAL,
		IPMIPOOL_RPC_UNKNOWN_BMC,
		IPMIPOOL_RPC_UNREACHABLE,
		IPMIPOOL_RPC_AUTH,
		IPMIPOOL_RPC_COMPLETION_CODE,
		IPMIPOOL_RPC_SESSION_LOST,
		IPMIPOOL_RPC_BUSY,
		IPMIPOOL_RPC_PERMISSION,
	};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const char *t = ipmipool_strerror(codes[i]);

		ck_assert_ptr_nonnull(t);
		ck_assert_str_ne(t, "unknown error");
		ck_assert_str_ne(t, "server error");
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(t, ipmipool_strerror(codes[j]));
	}
	ck_assert_str_eq(ipmipool_strerror(0), "success");
	ck_assert_str_eq(ipmipool_strerror(-ENOENT), strerror(ENOENT));
	ck_assert_str_eq(ipmipool_strerror(-32099), "server error");
	ck_assert_str_eq(ipmipool_strerror(-5000), "unknown error");
}
END_TEST

START_TEST(completion_code_names)
{
	ck_assert_str_eq(ipmipool_completion_code_str(0x00), "Command completed normally");
	ck_assert_str_eq(ipmipool_completion_code_str(0xc1), "Invalid command");
	ck_assert_str_eq(ipmipool_completion_code_str(0xcc), "Invalid data field in request");
	ck_assert_str_eq(ipmipool_completion_code_str(0xd4), "Insufficient privilege level");
	ck_assert_str_eq(ipmipool_completion_code_str(0xff), "Unspecified error");
	ck_assert_str_eq(ipmipool_completion_code_str(0x42), "Unknown (0x42)");
	ck_assert_str_eq(ipmipool_completion_code_str(0xab), "Unknown (0xAB)");
	ck_assert_str_eq(ipmipool_completion_code_str(0x01), "Unknown (0x01)");
	for (unsigned cc = 0; cc < 256; cc++)
		ck_assert_uint_gt(strlen(ipmipool_completion_code_str((uint8_t)cc)), 4);
}
END_TEST

static int
decode(const char *json, struct ipmipool_error *err)
{
	struct json_object *o = json_tokener_parse(json);
	int r = ipmipool_error_from_json(o, err);

	json_object_put(o);
	return r;
}

START_TEST(error_from_json)
{
	struct ipmipool_error e;

	ck_assert_int_eq(decode("{\"code\":-32002,\"message\":\"BMC unreachable\",\"data\":{"
	                        "\"bmc\":\"n1\",\"detail\":\"no answer\"}}",
	                        &e),
	                 -32002);
	ck_assert_int_eq(e.code, -32002);
	ck_assert_str_eq(e.message, "BMC unreachable");
	ck_assert_str_eq(e.bmc, "n1");
	ck_assert_str_eq(e.detail, "no answer");
	ck_assert_int_eq(e.completion_code, -1);
	/* data as a plain string */
	ck_assert_int_eq(decode("{\"code\":-32603,\"message\":\"x\",\"data\":\"why\"}", &e),
	                 -32603);
	ck_assert_str_eq(e.detail, "why");
	/* no message: our text */
	ck_assert_int_eq(decode("{\"code\":-32006}", &e), IPMIPOOL_RPC_BUSY);
	ck_assert_str_eq(e.message, "busy");
	/* codes outside the JSON-RPC range are folded into IPMIPOOL_E_RPC */
	ck_assert_int_eq(decode("{\"code\":7,\"message\":\"odd\"}", &e), IPMIPOOL_E_RPC);
	ck_assert_ptr_nonnull(strstr(e.message, "odd"));
	ck_assert_ptr_nonnull(strstr(e.message, "7"));
	/* completion code out of range is ignored */
	ck_assert_int_eq(decode("{\"code\":-32004,\"data\":{\"completion_code\":300}}", &e),
	                 -32004);
	ck_assert_int_eq(e.completion_code, -1);
	ck_assert_int_eq(decode("{\"code\":-32004,\"data\":{\"completion_code\":\"0xd4\"}}", &e),
	                 -32004);
	ck_assert_int_eq(e.completion_code, 0xd4);
	/* not an error object */
	ck_assert_int_eq(decode("{\"message\":\"no code\"}", &e), IPMIPOOL_E_PROTOCOL);
	ck_assert_int_eq(decode("[1]", &e), IPMIPOOL_E_PROTOCOL);
	ck_assert_int_eq(ipmipool_error_from_json(NULL, &e), IPMIPOOL_E_PROTOCOL);
	ck_assert_int_eq(ipmipool_error_from_json(NULL, NULL), IPMIPOOL_E_PROTOCOL);
}
END_TEST

/* Overlong strings are cut, never overflowed. */
START_TEST(error_strings_cut)
{
	struct ipmipool_error e;
	char json[20000], big[4000];

	memset(big, 'd', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(json, sizeof(json),
	         "{\"code\":-32001,\"message\":\"%s\",\"data\":{\"bmc\":\"%s\",\"detail\":\"%s\","
	         "\"text\":\"%s\"}}",
	         big, big, big, big);
	ck_assert_int_eq(decode(json, &e), -32001);
	ck_assert_uint_eq(strlen(e.message), sizeof(e.message) - 1);
	ck_assert_uint_eq(strlen(e.bmc), sizeof(e.bmc) - 1);
	ck_assert_uint_eq(strlen(e.detail), sizeof(e.detail) - 1);
	ck_assert_uint_eq(strlen(e.text), sizeof(e.text) - 1);
}
END_TEST

START_TEST(error_format)
{
	struct ipmipool_error e = { .code = -32004, .completion_code = 0xc1 };
	char buf[256], tiny[8];

	strcpy(e.message, "IPMI completion code not zero");
	ck_assert_str_eq(ipmipool_error_format(&e, buf, sizeof(buf)),
	                 "IPMI completion code not zero (completion code 0xc1: Invalid command)");
	strcpy(e.bmc, "n1");
	strcpy(e.detail, "Get Device ID");
	strcpy(e.text, "Bad");
	ck_assert_str_eq(ipmipool_error_format(&e, buf, sizeof(buf)),
	                 "n1: IPMI completion code not zero: Get Device ID (completion code "
	                 "0xc1: Bad)");
	e.completion_code = -1;
	strcpy(e.detail, e.message); /* not repeated */
	ck_assert_str_eq(ipmipool_error_format(&e, buf, sizeof(buf)),
	                 "n1: IPMI completion code not zero");
	ck_assert_str_eq(ipmipool_error_format(&e, tiny, sizeof(tiny)), "n1: IPM");
	ck_assert_str_eq(ipmipool_error_format(NULL, buf, sizeof(buf)), "");
	ck_assert_ptr_null(ipmipool_error_format(&e, NULL, 0));
}
END_TEST

START_TEST(version_string)
{
	ck_assert_uint_gt(strlen(ipmipool_version()), 0);
	ck_assert_str_ne(ipmipool_version(), "unknown");
}
END_TEST

static Suite *
errors_suite(void)
{
	Suite *s = suite_create("errors");
	TCase *t = tcase_create("core");

	tcase_add_test(t, strerror_covers_codes);
	tcase_add_test(t, completion_code_names);
	tcase_add_test(t, error_from_json);
	tcase_add_test(t, error_strings_cut);
	tcase_add_test(t, error_format);
	tcase_add_test(t, version_string);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(errors_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
