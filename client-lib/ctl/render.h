/*
 * render.h - ipmipoolctl's human-readable output: one function per kind of
 * result, each printing it in the layout ipmitool users know.  Takes json-c
 * values and a FILE; no connection, no RPC.
 */
#ifndef IPMIPOOL_CTL_RENDER_H
#define IPMIPOOL_CTL_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include <json.h>

/* What a renderer needs besides the result. */
struct render_ctx {
	const char *bmc; /* the BMC's name when fanning out, else NULL */
	FILE *err;       /* failures (e.g. a non-zero completion code) go here */
	/* raw */
	unsigned channel, netfn, lun, cmd;
	/* power, bootdev */
	const char *action;
	/* fru */
	unsigned fru_id;
	/* list */
	const char *pattern; /* fnmatch(3) filter, or NULL */
};

/* Prints res to out; returns 0, or 1 after reporting a failure on rc->err. */
typedef int (*render_fn)(FILE *out, struct json_object *res, const struct render_ctx *rc);

int render_json(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_bmc_list(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_bmc_state(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_removed(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_daemon_stats(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_daemon_info(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_reload(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_mc_info(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_power_status(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_power_action(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_chassis_status(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_bootdev(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_sdr_list(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_sensor(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_sdr_info(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_sel_list(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_sel_info(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_sel_clear(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_fru(FILE *out, struct json_object *res, const struct render_ctx *rc);
int render_raw(FILE *out, struct json_object *res, const struct render_ctx *rc);

/* The name of an IPMI sensor type code (IPMI v2.0 table 42-3). */
const char *render_sensor_type(unsigned code);

#endif
