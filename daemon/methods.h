/*
 * methods.h - the JSON-RPC methods (core): each takes a call and its params
 * and finishes the call exactly once, now or when its IPMI requests return.
 */
#ifndef IPMIPOOL_METHODS_H
#define IPMIPOOL_METHODS_H

#include <json-c/json.h>

#include "bmc.h"

struct rpc_call;

/* method_bmc.c */
void method_bmc_list(struct rpc_call *call, json_object *params);
void method_bmc_status(struct rpc_call *call, json_object *params);
void method_bmc_add(struct rpc_call *call, json_object *params);
void method_bmc_remove(struct rpc_call *call, json_object *params);
void method_bmc_reconnect(struct rpc_call *call, json_object *params);
/* BMCSTATE as in the spec. */
json_object *method_bmc_state(const struct bmc *b);

/* method_daemon.c */
void method_daemon_info(struct rpc_call *call, json_object *params);
void method_daemon_stats(struct rpc_call *call, json_object *params);
void method_daemon_reload(struct rpc_call *call, json_object *params);
void method_rpc_discover(struct rpc_call *call, json_object *params);

/* method_mc.c */
void method_mc_info(struct rpc_call *call, json_object *params);
void method_chassis_status(struct rpc_call *call, json_object *params);
void method_chassis_power(struct rpc_call *call, json_object *params);
void method_chassis_bootdev(struct rpc_call *call, json_object *params);

/* method_sdr.c */
void method_sdr_info(struct rpc_call *call, json_object *params);
void method_sdr_list(struct rpc_call *call, json_object *params);
void method_sensor_read(struct rpc_call *call, json_object *params);

/* method_sel.c */
void method_sel_info(struct rpc_call *call, json_object *params);
void method_sel_list(struct rpc_call *call, json_object *params);
void method_sel_clear(struct rpc_call *call, json_object *params);

/* method_fru.c */
void method_fru_info(struct rpc_call *call, json_object *params);
void method_fru_read(struct rpc_call *call, json_object *params);

/* method_ipmi.c */
void method_ipmi_raw(struct rpc_call *call, json_object *params);
/* Parses the optional "bridge" param into p; false after answering an error. */
bool method_parse_bridge(struct rpc_call *call, json_object *params, struct bridge_path *p);
/* Lower-case hex of n bytes into a new json string. */
json_object *method_hex(const uint8_t *p, size_t n);

#endif
