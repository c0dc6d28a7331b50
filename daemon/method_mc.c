/*
 * method_mc.c - mc.info (Get Device ID, decoded) and the chassis methods:
 * chassis.status, chassis.power, chassis.bootdev.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_chassis.h"
#include "cmd_mc.h"
#include "job.h"
#include "methods.h"
#include "rpc.h"

/* Starts a job for the BMC (and bridge) named in params; NULL if answered. */
static struct job *
method_job(struct rpc_call *call, json_object *params)
{
	struct bridge_path bp;
	struct bmc *b = rpc_call_bmc(call, params);

	if (b == NULL || !method_parse_bridge(call, params, &bp))
		return NULL;
	return job_new(call, b, &bp);
}

/* ---- mc.info ---- */

static void
mc_info_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	(void)tag;
	struct cmd_mc_devid d;
	json_object *o, *names;

	if (rsp[0] != 0) {
		job_fail_cc(j, rsp[0], "Get Device ID");
		return;
	}
	if (cmd_mc_devid_decode(rsp + 1, len - 1, &d) < 0) {
		job_fail(j, RPC_INTERNAL_ERROR, "malformed Get Device ID response", NULL);
		return;
	}
	o = json_object_new_object();
	names = json_object_new_array();
	for (unsigned bit = 0; bit < 8; bit++)
		if (d.support & (1u << bit))
			json_object_array_add(
			    names, json_object_new_string(cmd_mc_support_name(1u << bit)));
	json_object_object_add(o, "device_id", json_object_new_int(d.device_id));
	json_object_object_add(o, "device_revision", json_object_new_int(d.device_revision));
	json_object_object_add(o, "firmware_revision", json_object_new_string(d.firmware));
	json_object_object_add(o, "ipmi_version", json_object_new_string(d.ipmi_version_str));
	json_object_object_add(o, "manufacturer_id", json_object_new_int64(d.manufacturer_id));
	json_object_object_add(o, "product_id", json_object_new_int(d.product_id));
	json_object_object_add(o, "device_available", json_object_new_boolean(d.device_available));
	json_object_object_add(o, "provides_device_sdrs", json_object_new_boolean(d.provides_sdrs));
	json_object_object_add(o, "additional_support", names);
	json_object_object_add(o, "aux_firmware_revision",
	                       d.has_aux ? method_hex(d.aux, sizeof(d.aux)) : NULL);
	job_finish(j, o);
}

void
method_mc_info(struct rpc_call *call, json_object *params)
{
	struct job *j = method_job(call, params);

	if (j != NULL)
		job_send(j, IPMI_NETFN_APP, CMD_MC_GET_DEVICE_ID, NULL, 0, mc_info_rsp, 0);
}

/* ---- chassis.status ---- */

static void
chassis_status_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	(void)tag;
	struct cmd_chassis_status s;
	json_object *o, *ev;

	if (rsp[0] != 0) {
		job_fail_cc(j, rsp[0], "Get Chassis Status");
		return;
	}
	if (cmd_chassis_status_decode(rsp + 1, len - 1, &s) < 0) {
		job_fail(j, RPC_INTERNAL_ERROR, "malformed Get Chassis Status response", NULL);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "power_on", json_object_new_boolean(s.power_on));
	json_object_object_add(o, "power_overload", json_object_new_boolean(s.power_overload));
	json_object_object_add(o, "power_interlock", json_object_new_boolean(s.power_interlock));
	json_object_object_add(o, "power_fault", json_object_new_boolean(s.power_fault));
	json_object_object_add(o, "power_control_fault",
	                       json_object_new_boolean(s.power_control_fault));
	json_object_object_add(o, "power_restore_policy",
	                       json_object_new_string(cmd_chassis_policy_name(s.restore_policy)));
	ev = json_object_new_array();
	for (unsigned bit = 0; bit < 5; bit++)
		if (s.last_event & (1u << bit))
			json_object_array_add(
			    ev, json_object_new_string(cmd_chassis_event_name(1u << bit)));
	json_object_object_add(o, "last_power_event", ev);
	json_object_object_add(o, "intrusion", json_object_new_boolean(s.intrusion));
	json_object_object_add(o, "front_panel_lockout",
	                       json_object_new_boolean(s.front_panel_lockout));
	json_object_object_add(o, "drive_fault", json_object_new_boolean(s.drive_fault));
	json_object_object_add(o, "cooling_fault", json_object_new_boolean(s.cooling_fault));
	json_object_object_add(
	    o, "identify",
	    s.identify_supported
	        ? json_object_new_string(cmd_chassis_identify_name(s.identify_state))
	        : NULL);
	job_finish(j, o);
}

void
method_chassis_status(struct rpc_call *call, json_object *params)
{
	struct job *j = method_job(call, params);

	if (j != NULL)
		job_send(j, IPMI_NETFN_CHASSIS, CMD_CHASSIS_GET_STATUS, NULL, 0, chassis_status_rsp,
		         0);
}

/* ---- chassis.power ---- */

static void
chassis_power_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	(void)tag;
	(void)len;
	if (rsp[0] != 0) {
		job_fail_cc(j, rsp[0], "Chassis Control");
		return;
	}
	job_finish(j, json_object_new_object());
}

void
method_chassis_power(struct rpc_call *call, json_object *params)
{
	const char *action = rpc_param_str(call, params, "action", true);
	enum cmd_chassis_action a;
	uint8_t data[1];
	struct job *j;

	if (action == NULL)
		return;
	if (cmd_chassis_action_parse(action, &a) < 0) {
		rpc_call_bad_param(call, "action", "must be on, off, cycle, reset, soft or diag");
		return;
	}
	cmd_chassis_control_req(a, data);
	if ((j = method_job(call, params)) != NULL)
		job_send(j, IPMI_NETFN_CHASSIS, CMD_CHASSIS_CONTROL, data, 1, chassis_power_rsp, 0);
}

/* ---- chassis.bootdev: ipmitool's sequence ---- */

struct bootdev_state {
	uint8_t flags[6];
	bool progress; /* the BMC accepted set-in-progress */
	int rc;        /* completion code of the boot flags write */
};

static void bootdev_ack_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag);
static void bootdev_flags_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag);
static void bootdev_done_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag);
static void bootdev_commit_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag);

static void
bootdev_send_param(struct job *j, const uint8_t *data, size_t len, job_step_fn next)
{
	job_send(j, IPMI_NETFN_CHASSIS, CMD_CHASSIS_SET_BOOT_OPTION, data, len, next, 0);
}

static void
bootdev_progress_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	(void)tag;
	struct bootdev_state *st = j->state;
	uint8_t ack[3];

	(void)len;
	st->progress = rsp[0] == 0; /* optional: some BMCs refuse it */
	cmd_chassis_bootopt_ack_req(ack);
	bootdev_send_param(j, ack, sizeof(ack), bootdev_ack_rsp);
}

static void
bootdev_ack_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	(void)tag;
	struct bootdev_state *st = j->state;

	(void)rsp;
	(void)len;
	/* The acknowledge parameter is optional too (ipmitool ignores it). */
	bootdev_send_param(j, st->flags, sizeof(st->flags), bootdev_flags_rsp);
}

static void
bootdev_flags_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	struct bootdev_state *st = j->state;
	uint8_t msg[2];

	(void)len;
	(void)tag;
	st->rc = rsp[0];
	if (!st->progress) {
		bootdev_done_rsp(j, rsp, 1, 0);
		return;
	}
	/* As ipmitool: commit-write after a successful write, then set-complete. */
	if (st->rc == 0) {
		cmd_chassis_bootopt_progress_req(CMD_CHASSIS_SET_COMMIT_WRITE, msg);
		bootdev_send_param(j, msg, sizeof(msg), bootdev_commit_rsp);
		return;
	}
	bootdev_commit_rsp(j, rsp, 1, 0);
}

static void
bootdev_commit_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	uint8_t msg[2];

	(void)rsp;
	(void)len;
	(void)tag;
	cmd_chassis_bootopt_progress_req(CMD_CHASSIS_SET_COMPLETE, msg);
	bootdev_send_param(j, msg, sizeof(msg), bootdev_done_rsp);
}

static void
bootdev_done_rsp(struct job *j, const uint8_t *rsp, size_t len, unsigned tag)
{
	(void)tag;
	struct bootdev_state *st = j->state;

	(void)rsp;
	(void)len;
	if (st->rc != 0) {
		job_fail_cc(j, (uint8_t)st->rc, "Set System Boot Options (boot flags)");
		return;
	}
	job_finish(j, json_object_new_object());
}

void
method_chassis_bootdev(struct rpc_call *call, json_object *params)
{
	const char *device = rpc_param_str(call, params, "device", true);
	enum cmd_chassis_bootdev dev;
	json_object *v;
	bool persistent = false, efi = false;
	struct bootdev_state *st;
	uint8_t progress[2];
	struct job *j;

	if (device == NULL)
		return;
	if (cmd_chassis_bootdev_parse(device, &dev) < 0) {
		rpc_call_bad_param(call, "device",
		                   "must be none, pxe, disk, safe, diag, cdrom, bios or floppy");
		return;
	}
	if (json_object_object_get_ex(params, "persistent", &v)) {
		if (!json_object_is_type(v, json_type_boolean)) {
			rpc_call_bad_param(call, "persistent", "must be a boolean");
			return;
		}
		persistent = json_object_get_boolean(v);
	}
	if (json_object_object_get_ex(params, "efi", &v)) {
		if (!json_object_is_type(v, json_type_boolean)) {
			rpc_call_bad_param(call, "efi", "must be a boolean");
			return;
		}
		efi = json_object_get_boolean(v);
	}
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		rpc_call_error(call, RPC_INTERNAL_ERROR, NULL, "out of memory", NULL);
		return;
	}
	cmd_chassis_bootopt_flags_req(dev, persistent, efi, st->flags);
	if ((j = method_job(call, params)) == NULL) {
		free(st);
		return;
	}
	j->state = st;
	cmd_chassis_bootopt_progress_req(CMD_CHASSIS_SET_IN_PROGRESS, progress);
	bootdev_send_param(j, progress, sizeof(progress), bootdev_progress_rsp);
}
