/*
 * job.c - request chains for the decoded methods.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipmimsg.h"
#include "job.h"
#include "rpc.h"

struct job *
job_new(struct rpc_call *call, struct bmc *b, const struct bridge_path *bridge)
{
	struct job *j = calloc(1, sizeof(*j));

	if (j == NULL) {
		rpc_call_error(call, RPC_INTERNAL_ERROR, b->cfg.name, "out of memory", NULL);
		return NULL;
	}
	j->call = call;
	j->pool = rpc_call_pool(call);
	j->bmc = b;
	if (bridge != NULL)
		j->bridge = *bridge;
	return j;
}

static void
job_free(struct job *j)
{
	if (j->state != NULL) {
		if (j->free_state != NULL)
			j->free_state(j->state);
		else
			free(j->state);
	}
	free(j);
}

void
job_finish(struct job *j, json_object *result)
{
	rpc_call_result(j->call, result);
	job_free(j);
}

void
job_fail(struct job *j, int code, const char *detail, json_object *extra)
{
	rpc_call_error(j->call, code, j->bmc->cfg.name, detail, extra);
	job_free(j);
}

void
job_fail_cc(struct job *j, uint8_t cc, const char *what)
{
	json_object *extra = json_object_new_object();
	const char *text = ipmimsg_cc_str(cc);
	char detail[160];

	snprintf(detail, sizeof(detail), "%s: completion code 0x%02x (%s)", what, cc,
	         text != NULL ? text : "unknown");
	json_object_object_add(extra, "completion_code", json_object_new_int(cc));
	json_object_object_add(extra, "text",
	                       json_object_new_string(text != NULL ? text : "unknown"));
	job_fail(j, RPC_COMPLETION_CODE, detail, extra);
}

static void
job_request_done(struct request *r, void *arg)
{
	struct job *j = arg;
	job_step_fn next = j->next;

	if (r->err != 0) {
		rpc_call_request_error(j->call, j->bmc, r->err, r->detail);
		free(r);
		job_free(j);
		return;
	}
	j->next = NULL;
	next(j, r->rsp, r->rsp_len);
	free(r);
}

void
job_send(struct job *j, uint8_t netfn, uint8_t cmd, const uint8_t *data, size_t len,
         job_step_fn next)
{
	struct request *r = calloc(1, sizeof(*r));

	if (r == NULL || len > sizeof(r->data)) {
		free(r);
		job_fail(j, RPC_INTERNAL_ERROR, "cannot build the request", NULL);
		return;
	}
	r->netfn = netfn;
	r->cmd = cmd;
	r->bridge = j->bridge;
	if (len > 0)
		memcpy(r->data, data, len);
	r->data_len = (uint8_t)len;
	r->done = job_request_done;
	r->arg = j;
	j->next = next;
	pool_submit(j->pool, j->bmc, r);
}
