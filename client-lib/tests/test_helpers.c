/*
 * test_helpers.c - the typed helpers (helpers.c) against a scripted daemon
 * that checks each request's method and params and answers with canned
 * results: raw (plain, bridged, double-bridged, LUN), power, chassis
 * status, device id, sensor list, and results they cannot decode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <json.h>

#include "ipmipool.h"
#include "peer.h"

struct step {
	const char *method;
	const char *params; /* JSON the request's params must equal */
	const char *answer; /* "\"result\":..." or "\"error\":..." */
};

/* Checks each request against the next step; a mismatch is answered
 * with an invalid-params error naming what came. */
static void
script_peer(int fd, void *arg)
{
	const struct step *st = arg;
	static char line[70000], out[140000];

	for (; st->method; st++) {
		struct json_object *req, *want, *m = NULL, *pa = NULL;
		long long id;
		bool ok;

		if (peer_read_line(fd, line, sizeof(line)) < 0)
			_exit(10);
		req = json_tokener_parse(line);
		want = json_tokener_parse(st->params);
		id = peer_request_id(line);
		ok = req && want && json_object_object_get_ex(req, "method", &m) &&
		     !strcmp(json_object_get_string(m), st->method) &&
		     json_object_object_get_ex(req, "params", &pa) && json_object_equal(pa, want);
		if (ok)
			snprintf(out, sizeof(out), "{\"jsonrpc\":\"2.0\",\"id\":%lld,%s}\n", id,
			         st->answer);
		else {
			struct json_object *s = json_object_new_string(line);

			snprintf(out, sizeof(out),
			         "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":-32602,"
			         "\"message\":\"unexpected request\",\"data\":{\"detail\":%s}}}\n",
			         id, json_object_to_json_string(s));
			json_object_put(s);
		}
		json_object_put(req);
		json_object_put(want);
		peer_writes(fd, out);
	}
	peer_drain(fd);
}

/* Fails the test with the daemon's complaint when r is not want. */
#define CHECK_RC(r, want, err)                                                                     \
	ck_assert_msg((r) == (want), "got %d, want %d: %s / %s", (r), (want), (err).message,       \
	              (err).detail)

START_TEST(raw_plain)
{
	static const struct step steps[] = {
		{ "ipmi.raw", "{\"bmc\":\"n1\",\"netfn\":6,\"cmd\":1,\"data\":\"\"}",
		  "\"result\":{\"completion_code\":0,\"data\":\"20 01 01 23\"}" },
		{ "ipmi.raw", "{\"bmc\":\"n1\",\"netfn\":6,\"cmd\":1,\"data\":\"\"}",
		  "\"result\":{\"completion_code\":0,\"data\":[1,2,255]}" },
		{ "ipmi.raw", "{\"bmc\":\"n1\",\"netfn\":6,\"cmd\":1,\"data\":\"\"}",
		  "\"result\":{\"completion_code\":0}" },
		{ NULL, NULL, NULL },
	};
	struct ipmipool_raw_response rsp;
	struct ipmipool_error err;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, script_peer, (void *)(uintptr_t)steps);
	int r;

	r = ipmipool_raw(p, "n1", NULL, 6, 1, 0, NULL, 0, &rsp, &err);
	CHECK_RC(r, 0, err);
	ck_assert_uint_eq(rsp.completion_code, 0);
	ck_assert_uint_eq(rsp.len, 4);
	ck_assert(memcmp(rsp.data, "\x20\x01\x01\x23", 4) == 0);
	r = ipmipool_raw(p, "n1", NULL, 6, 1, 0, NULL, 0, &rsp, &err);
	CHECK_RC(r, 0, err);
	ck_assert_uint_eq(rsp.len, 3);
	ck_assert_uint_eq(rsp.data[2], 255);
	r = ipmipool_raw(p, "n1", NULL, 6, 1, 0, NULL, 0, &rsp, &err);
	CHECK_RC(r, 0, err);
	ck_assert_uint_eq(rsp.len, 0);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

START_TEST(raw_bridged)
{
	static const struct step steps[] = {
		{ "ipmi.raw",
		  "{\"bmc\":\"n1\",\"netfn\":48,\"cmd\":2,\"data\":\"0102ff\",\"lun\":1,"
		  "\"bridge\":{\"channel\":7,\"address\":130}}",
		  "\"result\":{\"completion_code\":193,\"data\":\"\"}" },
		{ "ipmi.raw",
		  "{\"bmc\":\"n1\",\"netfn\":48,\"cmd\":2,\"data\":\"\",\"bridge\":{\"channel\":7,"
		  "\"address\":130,\"transit_channel\":0,\"transit_address\":32}}",
		  "\"result\":{\"completion_code\":0,\"data\":\"aa\"}" },
		{ NULL, NULL, NULL },
	};
	struct ipmipool_bridge b = { .channel = 7, .address = 0x82 };
	struct ipmipool_raw_response rsp;
	struct ipmipool_error err;
	const uint8_t data[] = { 1, 2, 0xff };
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, script_peer, (void *)(uintptr_t)steps);
	int r;

	r = ipmipool_raw(p, "n1", &b, 0x30, 2, 1, data, sizeof(data), &rsp, &err);
	CHECK_RC(r, 0, err);
	ck_assert_uint_eq(rsp.completion_code, 0xc1); /* a result, not an error */
	b.transit = true;
	b.transit_channel = 0;
	b.transit_address = 0x20;
	r = ipmipool_raw(p, "n1", &b, 0x30, 2, 0, NULL, 0, &rsp, &err);
	CHECK_RC(r, 0, err);
	ck_assert_uint_eq(rsp.data[0], 0xaa);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

START_TEST(raw_bad_arguments_and_results)
{
	static const struct step steps[] = {
		{ "ipmi.raw", "{\"bmc\":\"n1\",\"netfn\":6,\"cmd\":1,\"data\":\"\"}",
		  "\"result\":{\"data\":\"00\"}" },
		{ "ipmi.raw", "{\"bmc\":\"n1\",\"netfn\":6,\"cmd\":1,\"data\":\"\"}",
		  "\"result\":{\"completion_code\":0,\"data\":\"0g\"}" },
		{ "ipmi.raw", "{\"bmc\":\"n1\",\"netfn\":6,\"cmd\":1,\"data\":\"\"}",
		  "\"error\":{\"code\":-32001,\"message\":\"unknown "
		  "BMC\",\"data\":{\"bmc\":\"n1\"}}" },
		{ NULL, NULL, NULL },
	};
	uint8_t big[256] = { 0 };
	struct ipmipool_raw_response rsp;
	struct ipmipool_error err;
	struct json_object *o;
	pid_t pid;
	struct ipmipool *p;

	ck_assert_ptr_null(ipmipool_raw_params("n1", NULL, 0x40, 1, 0, NULL, 0));
	ck_assert_ptr_null(ipmipool_raw_params("n1", NULL, 6, 1, 4, NULL, 0));
	ck_assert_ptr_null(ipmipool_raw_params("n1", NULL, 6, 1, 0, big, sizeof(big)));
	ck_assert_ptr_null(ipmipool_raw_params("n1", NULL, 6, 1, 0, NULL, 3));
	ck_assert_ptr_null(ipmipool_raw_params(NULL, NULL, 6, 1, 0, NULL, 0));
	ck_assert_ptr_null(ipmipool_raw_params("", NULL, 6, 1, 0, NULL, 0));
	o = ipmipool_raw_params("n1", NULL, 6, 1, 0, big, 255);
	ck_assert_ptr_nonnull(o);
	json_object_put(o);
	ck_assert_int_eq(ipmipool_raw_result(NULL, &rsp), IPMIPOOL_E_RESULT);

	p = peer_start(&pid, script_peer, (void *)(uintptr_t)steps);
	ck_assert_int_eq(ipmipool_raw(p, "n1", NULL, 0x40, 1, 0, NULL, 0, &rsp, &err),
	                 IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_raw(p, "n1", NULL, 6, 1, 0, NULL, 0, NULL, &err),
	                 IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_raw(p, "n1", NULL, 6, 1, 0, NULL, 0, &rsp, &err),
	                 IPMIPOOL_E_RESULT);
	ck_assert_str_eq(err.bmc, "n1");
	ck_assert_int_eq(ipmipool_raw(p, "n1", NULL, 6, 1, 0, NULL, 0, &rsp, &err),
	                 IPMIPOOL_E_RESULT);
	ck_assert_int_eq(ipmipool_raw(p, "n1", NULL, 6, 1, 0, NULL, 0, &rsp, &err),
	                 IPMIPOOL_RPC_UNKNOWN_BMC);
	ck_assert_str_eq(err.bmc, "n1");
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

START_TEST(power_actions)
{
	static const struct step steps[] = {
		{ "chassis.power", "{\"bmc\":\"n1\",\"action\":\"off\"}", "\"result\":{}" },
		{ "chassis.power", "{\"bmc\":\"n1\",\"action\":\"on\"}", "\"result\":{}" },
		{ "chassis.power", "{\"bmc\":\"n1\",\"action\":\"cycle\"}", "\"result\":{}" },
		{ "chassis.power", "{\"bmc\":\"n1\",\"action\":\"reset\"}", "\"result\":{}" },
		{ "chassis.power", "{\"bmc\":\"n1\",\"action\":\"diag\"}", "\"result\":{}" },
		{ "chassis.power", "{\"bmc\":\"n1\",\"action\":\"soft\"}", "\"result\":{}" },
		{ NULL, NULL, NULL },
	};
	struct ipmipool_error err;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, script_peer, (void *)(uintptr_t)steps);

	for (int a = IPMIPOOL_POWER_OFF; a <= IPMIPOOL_POWER_SOFT; a++) {
		int r = ipmipool_power(p, "n1", (enum ipmipool_power_action)a, &err);

		CHECK_RC(r, 0, err);
	}
	ck_assert_int_eq(ipmipool_power(p, "n1", (enum ipmipool_power_action)99, &err),
	                 IPMIPOOL_E_INVALID);
	ck_assert_int_eq(ipmipool_power(p, "", IPMIPOOL_POWER_ON, &err), IPMIPOOL_E_INVALID);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

START_TEST(chassis_status)
{
	static const struct step steps[] = {
		{ "chassis.status", "{\"bmc\":\"n1\"}",
		  "\"result\":{\"power_on\":true,\"power_overload\":false,\"power_interlock\":true,"
		  "\"power_fault\":false,\"power_control_fault\":false,"
		  "\"power_restore_policy\":\"previous\",\"last_power_event\":[\"ac-failed\","
		  "\"overload\"],\"intrusion\":\"active\",\"front_panel_lockout\":false,"
		  "\"drive_fault\":1,\"cooling_fault\":false}" },
		{ "chassis.status", "{\"bmc\":\"n1\"}",
		  "\"result\":{\"power_on\":false,\"last_power_event\":\"command\"}" },
		{ "chassis.status", "{\"bmc\":\"n1\"}", "\"result\":{\"power\":\"on\"}" },
		{ NULL, NULL, NULL },
	};
	struct ipmipool_chassis_status st;
	struct ipmipool_error err;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, script_peer, (void *)(uintptr_t)steps);
	int r;

	r = ipmipool_chassis_status(p, "n1", &st, &err);
	CHECK_RC(r, 0, err);
	ck_assert(st.power_on && !st.power_overload && st.power_interlock && st.intrusion &&
	          st.drive_fault && !st.cooling_fault);
	ck_assert_str_eq(st.power_restore_policy, "previous");
	ck_assert_str_eq(st.last_power_event, "ac-failed overload");
	r = ipmipool_chassis_status(p, "n1", &st, &err);
	CHECK_RC(r, 0, err);
	ck_assert(!st.power_on);
	ck_assert_str_eq(st.last_power_event, "command");
	ck_assert_str_eq(st.power_restore_policy, "");
	memset(&st, 0x5a, sizeof(st));
	ck_assert_int_eq(ipmipool_chassis_status(p, "n1", &st, &err), IPMIPOOL_E_RESULT);
	ck_assert_uint_eq(((unsigned char *)&st)[0], 0x5a); /* untouched on failure */
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

START_TEST(device_id)
{
	static const struct step steps[] = {
		{ "mc.info", "{\"bmc\":\"n1\"}",
		  "\"result\":{\"device_id\":32,\"device_revision\":1,\"firmware_revision\":\"1."
		  "23\","
		  "\"ipmi_version\":\"2.0\",\"manufacturer_id\":4753,\"product_id\":3842,"
		  "\"device_available\":true,\"additional_support\":[\"Sensor Device\","
		  "\"SDR Repository Device\",\"SEL Device\",\"FRU Inventory Device\","
		  "\"IPMB Event Receiver\",\"IPMB Event Generator\",\"Bridge\",\"Chassis Device\"],"
		  "\"aux_firmware_revision\":\"01020304\"}" },
		{ "mc.info", "{\"bmc\":\"n1\"}",
		  "\"result\":{\"device_id\":32,\"manufacturer_id\":\"0x1291\",\"product_id\":1,"
		  "\"additional_support\":[\"sensor device\"]}" },
		{ "mc.info", "{\"bmc\":\"n1\"}", "\"result\":{\"device_id\":32}" },
		{ NULL, NULL, NULL },
	};
	struct ipmipool_device_id d;
	struct ipmipool_error err;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, script_peer, (void *)(uintptr_t)steps);
	int r;

	r = ipmipool_device_id(p, "n1", &d, &err);
	CHECK_RC(r, 0, err);
	ck_assert_uint_eq(d.device_id, 32);
	ck_assert_uint_eq(d.device_revision, 1);
	ck_assert_str_eq(d.firmware_revision, "1.23");
	ck_assert_str_eq(d.ipmi_version, "2.0");
	ck_assert_uint_eq(d.manufacturer_id, 4753);
	ck_assert_uint_eq(d.product_id, 3842);
	ck_assert(d.device_available);
	ck_assert_uint_eq(d.additional_support, 0xff);
	ck_assert_uint_eq(d.aux_len, 4);
	ck_assert_uint_eq(d.aux_firmware_revision[3], 4);
	r = ipmipool_device_id(p, "n1", &d, &err);
	CHECK_RC(r, 0, err);
	ck_assert_uint_eq(d.manufacturer_id, 0x1291);
	ck_assert_uint_eq(d.additional_support, IPMIPOOL_SUPPORT_SENSOR);
	ck_assert_uint_eq(d.aux_len, 0);
	ck_assert_int_eq(ipmipool_device_id(p, "n1", &d, &err), IPMIPOOL_E_RESULT);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

START_TEST(sensor_list)
{
	static const struct step steps[] = {
		{ "sdr.list", "{\"bmc\":\"n1\"}",
		  "\"result\":{\"sensors\":[{\"number\":48,\"lun\":0,\"name\":\"CPU Temp\","
		  "\"type\":\"Temperature\",\"unit\":\"degrees C\",\"value\":38,\"raw\":38,"
		  "\"status\":\"ok\"},{\"number\":49,\"lun\":1,\"name\":\"12V\",\"type\":"
		  "\"Voltage\","
		  "\"unit\":\"Volts\",\"value\":\"12.06\",\"raw\":201,\"status\":\"nc\"},"
		  "{\"number\":64,\"name\":\"PS\",\"type\":\"Power Supply\",\"unit\":null,"
		  "\"value\":null,\"raw\":null,\"status\":{\"presence\":true}}]}" },
		{ "sdr.list", "{\"bmc\":\"n1\"}", "\"result\":{\"sensors\":[]}" },
		{ "sdr.list", "{\"bmc\":\"n1\"}", "\"result\":{\"sensors\":[{\"name\":\"x\"}]}" },
		{ "sdr.list", "{\"bmc\":\"n1\"}", "\"result\":{}" },
		{ NULL, NULL, NULL },
	};
	struct ipmipool_sensor *s = NULL;
	struct ipmipool_error err;
	size_t n = 0;
	pid_t pid;
	struct ipmipool *p = peer_start(&pid, script_peer, (void *)(uintptr_t)steps);
	int r;

	r = ipmipool_sensor_list(p, "n1", &s, &n, &err);
	CHECK_RC(r, 0, err);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(s[0].number, 48);
	ck_assert_str_eq(s[0].name, "CPU Temp");
	ck_assert(s[0].has_value);
	ck_assert(s[0].value == 38.0);
	ck_assert_int_eq(s[0].raw, 38);
	ck_assert_str_eq(s[0].status, "ok");
	ck_assert_uint_eq(s[1].lun, 1);
	ck_assert(s[1].has_value && s[1].value > 12.05 && s[1].value < 12.07);
	ck_assert_str_eq(s[1].unit, "Volts");
	ck_assert(!s[2].has_value);
	ck_assert_int_eq(s[2].raw, -1);
	ck_assert_str_eq(s[2].unit, "");
	ck_assert_str_eq(s[2].status, "{\"presence\":true}");
	ipmipool_sensor_list_free(s);
	r = ipmipool_sensor_list(p, "n1", &s, &n, &err);
	CHECK_RC(r, 0, err);
	ck_assert_uint_eq(n, 0);
	ipmipool_sensor_list_free(s);
	ck_assert_int_eq(ipmipool_sensor_list(p, "n1", &s, &n, &err), IPMIPOOL_E_RESULT);
	ck_assert_int_eq(ipmipool_sensor_list(p, "n1", &s, &n, &err), IPMIPOOL_E_RESULT);
	ipmipool_sensor_list_free(NULL);
	ipmipool_close(p);
	ck_assert_int_eq(peer_wait(pid), 0);
}
END_TEST

static Suite *
helpers_suite(void)
{
	Suite *s = suite_create("helpers");
	TCase *t = tcase_create("core");

	tcase_set_timeout(t, 30);
	tcase_add_test(t, raw_plain);
	tcase_add_test(t, raw_bridged);
	tcase_add_test(t, raw_bad_arguments_and_results);
	tcase_add_test(t, power_actions);
	tcase_add_test(t, chassis_status);
	tcase_add_test(t, device_id);
	tcase_add_test(t, sensor_list);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(helpers_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
