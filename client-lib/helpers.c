/*
 * helpers.c - libipmipool's typed helpers: each builds the params of one
 * method, makes a blocking ipmipool_call() and decodes the result into a
 * plain struct.  Nothing here touches the socket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "ipmipool.h"
#include "ippjson.h"

static int
add(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, key, v) < 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

/* {"bmc": bmc}, or NULL. */
static struct json_object *
bmc_params(const char *bmc)
{
	struct json_object *o = json_object_new_object();

	if (!o || add(o, "bmc", json_object_new_string(bmc)) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* Calls method on bmc with params (consumed; NULL: {"bmc": bmc}). */
static int
call_bmc(struct ipmipool *p, const char *bmc, const char *method, struct json_object *params,
         struct json_object **ret, struct ipmipool_error *err)
{
	int r;

	ipperr_reset(err);
	if (!p || !bmc || !*bmc) {
		json_object_put(params);
		return ipperr_set(err, IPMIPOOL_E_INVALID, "no BMC named");
	}
	if (!params)
		params = bmc_params(bmc);
	if (!params)
		return ipperr_set(err, -ENOMEM, "building params for %s", method);
	r = ipmipool_call(p, method, params, IPMIPOOL_TIMEOUT_DEFAULT, ret, err);
	json_object_put(params);
	return r;
}

static int
bad_result(struct ipmipool_error *err, const char *bmc, const char *method, const char *what)
{
	ipperr_set(err, IPMIPOOL_E_RESULT, "%s returned %s", method, what);
	if (err)
		ippjson_strlcpy(err->bmc, bmc, sizeof(err->bmc));
	return IPMIPOOL_E_RESULT;
}

/* ---- ipmi.raw ------------------------------------------------------------ */

struct json_object *
ipmipool_raw_params(const char *bmc, const struct ipmipool_bridge *bridge, uint8_t netfn,
                    uint8_t cmd, uint8_t lun, const uint8_t *data, size_t len)
{
	struct json_object *o, *b;
	char hex[2 * 255 + 1];

	if (!bmc || !*bmc || netfn > 0x3f || lun > 3 || len > 255 || (len && !data))
		return NULL;
	for (size_t i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", data[i]);
	hex[2 * len] = '\0';
	o = bmc_params(bmc);
	if (!o || add(o, "netfn", json_object_new_int(netfn)) < 0 ||
	    add(o, "cmd", json_object_new_int(cmd)) < 0 ||
	    add(o, "data", json_object_new_string(hex)) < 0 ||
	    (lun && add(o, "lun", json_object_new_int(lun)) < 0))
		goto fail;
	if (bridge) {
		b = json_object_new_object();
		if (add(o, "bridge", b) < 0 ||
		    add(b, "channel", json_object_new_int(bridge->channel)) < 0 ||
		    add(b, "address", json_object_new_int(bridge->address)) < 0 ||
		    (bridge->transit &&
		     (add(b, "transit_channel", json_object_new_int(bridge->transit_channel)) < 0 ||
		      add(b, "transit_address", json_object_new_int(bridge->transit_address)) < 0)))
			goto fail;
	}
	return o;
fail:
	json_object_put(o);
	return NULL;
}

int
ipmipool_raw_result(const struct json_object *result, struct ipmipool_raw_response *ret)
{
	int64_t cc;
	long n;
	struct ipmipool_raw_response tmp;

	if (!ret || ippjson_get_int(result, "completion_code", &cc) < 0 || cc < 0 || cc > 255)
		return IPMIPOOL_E_RESULT;
	tmp.completion_code = (uint8_t)cc;
	n = ippjson_get(result, "data")
	        ? ippjson_bytes(ippjson_get(result, "data"), tmp.data, sizeof(tmp.data))
	        : 0;
	if (n < 0)
		return IPMIPOOL_E_RESULT;
	tmp.len = (size_t)n;
	memcpy(ret, &tmp, sizeof(tmp));
	return 0;
}

int
ipmipool_raw(struct ipmipool *p, const char *bmc, const struct ipmipool_bridge *bridge,
             uint8_t netfn, uint8_t cmd, uint8_t lun, const uint8_t *data, size_t len,
             struct ipmipool_raw_response *ret, struct ipmipool_error *err)
{
	struct json_object *params, *res = NULL;
	int r;

	ipperr_reset(err);
	if (!ret || !bmc || !*bmc)
		return ipperr_set(err, IPMIPOOL_E_INVALID, "no BMC or no place for the response");
	params = ipmipool_raw_params(bmc, bridge, netfn, cmd, lun, data, len);
	if (!params)
		return ipperr_set(err, IPMIPOOL_E_INVALID,
		                  "netfn, lun or data out of range (netfn <= 0x3f, lun <= 3, at "
		                  "most 255 bytes)");
	r = call_bmc(p, bmc, "ipmi.raw", params, &res, err);
	if (r == 0 && ipmipool_raw_result(res, ret) < 0)
		r = bad_result(err, bmc, "ipmi.raw", "no completion_code or bad data");
	json_object_put(res);
	return r;
}

/* ---- chassis ------------------------------------------------------------- */

int
ipmipool_power(struct ipmipool *p, const char *bmc, enum ipmipool_power_action action,
               struct ipmipool_error *err)
{
	static const char *const names[] = {
		[IPMIPOOL_POWER_OFF] = "off",     [IPMIPOOL_POWER_ON] = "on",
		[IPMIPOOL_POWER_CYCLE] = "cycle", [IPMIPOOL_POWER_RESET] = "reset",
		[IPMIPOOL_POWER_DIAG] = "diag",   [IPMIPOOL_POWER_SOFT] = "soft",
	};
	struct json_object *params;

	ipperr_reset(err);
	if ((unsigned)action >= sizeof(names) / sizeof(names[0]) || !bmc || !*bmc)
		return ipperr_set(err, IPMIPOOL_E_INVALID, "unknown power action %d", (int)action);
	params = bmc_params(bmc);
	if (params && add(params, "action", json_object_new_string(names[action])) < 0) {
		json_object_put(params);
		params = NULL;
	}
	if (!params)
		return ipperr_set(err, -ENOMEM, "building params");
	return call_bmc(p, bmc, "chassis.power", params, NULL, err);
}

int
ipmipool_chassis_status(struct ipmipool *p, const char *bmc, struct ipmipool_chassis_status *ret,
                        struct ipmipool_error *err)
{
	struct ipmipool_chassis_status st;
	struct json_object *res = NULL, *ev;
	int r;

	if (!ret)
		return ipperr_set(err, IPMIPOOL_E_INVALID, "no place for the status");
	r = call_bmc(p, bmc, "chassis.status", NULL, &res, err);
	if (r < 0)
		return r;
	memset(&st, 0, sizeof(st));
	if (ippjson_get_bool(res, "power_on", &st.power_on) < 0) {
		json_object_put(res);
		return bad_result(err, bmc, "chassis.status", "no power_on");
	}
	/* The rest is informative: absent reads as false / "". */
	ippjson_get_bool(res, "power_overload", &st.power_overload);
	ippjson_get_bool(res, "power_interlock", &st.power_interlock);
	ippjson_get_bool(res, "power_fault", &st.power_fault);
	ippjson_get_bool(res, "power_control_fault", &st.power_control_fault);
	ippjson_get_bool(res, "intrusion", &st.intrusion);
	ippjson_get_bool(res, "front_panel_lockout", &st.front_panel_lockout);
	ippjson_get_bool(res, "drive_fault", &st.drive_fault);
	ippjson_get_bool(res, "cooling_fault", &st.cooling_fault);
	ippjson_strlcpy(st.power_restore_policy, ippjson_get_str(res, "power_restore_policy"),
	                sizeof(st.power_restore_policy));
	ev = ippjson_get(res, "last_power_event");
	if (ev && json_object_is_type(ev, json_type_array)) {
		size_t off = 0;

		for (size_t i = 0; i < json_object_array_length(ev); i++) {
			struct json_object *e = json_object_array_get_idx(ev, i);
			const char *s = json_object_is_type(e, json_type_string)
			                    ? json_object_get_string(e)
			                    : "";

			if (!*s || off >= sizeof(st.last_power_event))
				continue;
			off += (size_t)snprintf(st.last_power_event + off,
			                        sizeof(st.last_power_event) - off, "%s%s",
			                        off ? " " : "", s);
		}
	} else {
		ippjson_strlcpy(st.last_power_event, ippjson_get_str(res, "last_power_event"),
		                sizeof(st.last_power_event));
	}
	json_object_put(res);
	*ret = st;
	return 0;
}

/* ---- mc.info ------------------------------------------------------------- */

static unsigned
support_bit(const char *name)
{
	static const struct {
		const char *word;
		unsigned bit;
	} words[] = {
		/* most specific first: "SDR Repository Device" before "Sensor" */
		{ "sdr", IPMIPOOL_SUPPORT_SDR_REPOSITORY },
		{ "sel", IPMIPOOL_SUPPORT_SEL },
		{ "fru", IPMIPOOL_SUPPORT_FRU },
		{ "receiver", IPMIPOOL_SUPPORT_EVENT_RECEIVER },
		{ "generator", IPMIPOOL_SUPPORT_EVENT_GENERATOR },
		{ "bridge", IPMIPOOL_SUPPORT_BRIDGE },
		{ "chassis", IPMIPOOL_SUPPORT_CHASSIS },
		{ "sensor", IPMIPOOL_SUPPORT_SENSOR },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcasestr(name, words[i].word))
			return words[i].bit;
	}
	return 0;
}

int
ipmipool_device_id(struct ipmipool *p, const char *bmc, struct ipmipool_device_id *ret,
                   struct ipmipool_error *err)
{
	struct ipmipool_device_id d;
	struct json_object *res = NULL, *sup, *aux;
	int64_t v;
	int r;

	if (!ret)
		return ipperr_set(err, IPMIPOOL_E_INVALID, "no place for the device id");
	r = call_bmc(p, bmc, "mc.info", NULL, &res, err);
	if (r < 0)
		return r;
	memset(&d, 0, sizeof(d));
	if (ippjson_get_int(res, "device_id", &v) < 0 || v < 0 || v > 255)
		goto bad;
	d.device_id = (uint8_t)v;
	if (ippjson_get_int(res, "device_revision", &v) == 0 && v >= 0 && v <= 15)
		d.device_revision = (uint8_t)v;
	ippjson_strlcpy(d.firmware_revision, ippjson_get_str(res, "firmware_revision"),
	                sizeof(d.firmware_revision));
	ippjson_strlcpy(d.ipmi_version, ippjson_get_str(res, "ipmi_version"),
	                sizeof(d.ipmi_version));
	if (ippjson_get_int(res, "manufacturer_id", &v) < 0 || v < 0 || v > 0xfffff)
		goto bad;
	d.manufacturer_id = (uint32_t)v;
	if (ippjson_get_int(res, "product_id", &v) < 0 || v < 0 || v > 0xffff)
		goto bad;
	d.product_id = (uint16_t)v;
	ippjson_get_bool(res, "device_available", &d.device_available);
	sup = ippjson_get(res, "additional_support");
	if (sup && json_object_is_type(sup, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(sup); i++) {
			struct json_object *e = json_object_array_get_idx(sup, i);

			if (json_object_is_type(e, json_type_string))
				d.additional_support |= support_bit(json_object_get_string(e));
		}
	}
	aux = ippjson_get(res, "aux_firmware_revision");
	if (aux) {
		long n =
		    ippjson_bytes(aux, d.aux_firmware_revision, sizeof(d.aux_firmware_revision));

		d.aux_len = n > 0 ? (size_t)n : 0;
	}
	json_object_put(res);
	*ret = d;
	return 0;
bad:
	json_object_put(res);
	return bad_result(err, bmc, "mc.info", "no device_id, manufacturer_id or product_id");
}

/* ---- sdr.list ------------------------------------------------------------ */

static int
sensor_decode(struct json_object *e, struct ipmipool_sensor *s)
{
	struct json_object *v;
	int64_t n;

	memset(s, 0, sizeof(*s));
	if (ippjson_get_int(e, "number", &n) < 0 || n < 0 || n > 255)
		return -1;
	s->number = (uint8_t)n;
	if (ippjson_get_int(e, "lun", &n) == 0 && n >= 0 && n <= 3)
		s->lun = (uint8_t)n;
	ippjson_strlcpy(s->name, ippjson_get_str(e, "name"), sizeof(s->name));
	ippjson_strlcpy(s->type, ippjson_get_str(e, "type"), sizeof(s->type));
	ippjson_strlcpy(s->unit, ippjson_get_str(e, "unit"), sizeof(s->unit));
	s->raw = ippjson_get_int(e, "raw", &n) == 0 && n >= 0 && n <= 255 ? (int)n : -1;
	v = ippjson_get(e, "value");
	if (v &&
	    (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int))) {
		s->has_value = true;
		s->value = json_object_get_double(v);
	} else if (v && json_object_is_type(v, json_type_string)) {
		char *end;
		const char *str = json_object_get_string(v);

		s->value = strtod(str, &end);
		s->has_value = end != str;
	}
	v = ippjson_get(e, "status");
	if (v && json_object_is_type(v, json_type_string))
		ippjson_strlcpy(s->status, json_object_get_string(v), sizeof(s->status));
	else if (v)
		ippjson_strlcpy(s->status,
		                json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
		                sizeof(s->status));
	return 0;
}

int
ipmipool_sensor_list(struct ipmipool *p, const char *bmc, struct ipmipool_sensor **ret,
                     size_t *ret_n, struct ipmipool_error *err)
{
	struct json_object *res = NULL, *arr;
	struct ipmipool_sensor *list;
	size_t n;
	int r;

	if (!ret || !ret_n)
		return ipperr_set(err, IPMIPOOL_E_INVALID, "no place for the list");
	r = call_bmc(p, bmc, "sdr.list", NULL, &res, err);
	if (r < 0)
		return r;
	arr = ippjson_get(res, "sensors");
	if (!arr || !json_object_is_type(arr, json_type_array)) {
		json_object_put(res);
		return bad_result(err, bmc, "sdr.list", "no sensors array");
	}
	n = json_object_array_length(arr);
	list = calloc(n ? n : 1, sizeof(*list));
	if (!list) {
		json_object_put(res);
		return ipperr_set(err, -ENOMEM, "%zu sensors", n);
	}
	for (size_t i = 0; i < n; i++) {
		if (sensor_decode(json_object_array_get_idx(arr, i), &list[i]) < 0) {
			free(list);
			json_object_put(res);
			return bad_result(err, bmc, "sdr.list", "a sensor without a number");
		}
	}
	json_object_put(res);
	*ret = list;
	*ret_n = n;
	return 0;
}

void
ipmipool_sensor_list_free(struct ipmipool_sensor *list)
{
	free(list);
}
