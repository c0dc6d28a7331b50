/*
 * job.c - request chains (and fans) for the decoded methods.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipmimsg.h"
#include "job.h"
#include "rpc.h"

struct job_req {
	struct job *job;
	job_step_fn next;
	unsigned tag;
};

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
	snprintf(j->bmc_name, sizeof(j->bmc_name), "%s", b->cfg.name);
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

/* Frees the job once it is answered and nothing is in flight. */
static void
job_maybe_free(struct job *j)
{
	if (j->answered && j->pending == 0)
		job_free(j);
}

void
job_finish(struct job *j, json_object *result)
{
	if (j->answered) {
		json_object_put(result);
		return;
	}
	j->answered = true;
	rpc_call_result(j->call, result);
	job_maybe_free(j);
}

void
job_fail(struct job *j, int code, const char *detail, json_object *extra)
{
	if (j->answered) {
		json_object_put(extra);
		return;
	}
	j->answered = true;
	rpc_call_error(j->call, code, j->bmc_name, detail, extra);
	job_maybe_free(j);
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
	struct job_req *jr = arg;
	struct job *j = jr->job;

	/* Still counted as pending while the step runs: it may answer the call. */
	if (!j->answered) {
		if (r->err != 0) {
			if (j->on_fail != NULL)
				j->on_fail(j);
			j->answered = true;
			rpc_call_request_error(j->call, r->bmc, r->err, r->detail);
		} else {
			jr->next(j, r->rsp, r->rsp_len, jr->tag);
		}
	}
	j->pending--;
	free(jr);
	free(r);
	job_maybe_free(j);
}

void
job_send_via(struct job *j, const struct bridge_path *bridge, uint8_t lun, uint8_t netfn,
             uint8_t cmd, const uint8_t *data, size_t len, job_step_fn next, unsigned tag)
{
	struct request *r = calloc(1, sizeof(*r));
	struct job_req *jr = calloc(1, sizeof(*jr));

	if (r == NULL || jr == NULL || len > sizeof(r->data)) {
		free(r);
		free(jr);
		job_fail(j, RPC_INTERNAL_ERROR, "cannot build the request", NULL);
		return;
	}
	jr->job = j;
	jr->next = next;
	jr->tag = tag;
	r->netfn = netfn;
	r->cmd = cmd;
	r->lun = lun & 3;
	if (bridge != NULL)
		r->bridge = *bridge;
	if (len > 0)
		memcpy(r->data, data, len);
	r->data_len = (uint8_t)len;
	r->done = job_request_done;
	r->arg = jr;
	j->pending++;
	pool_submit(j->pool, j->bmc, r);
}

void
job_send(struct job *j, uint8_t netfn, uint8_t cmd, const uint8_t *data, size_t len,
         job_step_fn next, unsigned tag)
{
	job_send_via(j, &j->bridge, 0, netfn, cmd, data, len, next, tag);
}

int
job_waitlist_add(struct job_waitlist *w, struct job *j)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 4;
		struct job **v = realloc(w->jobs, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		w->jobs = v;
		w->cap = cap;
	}
	w->jobs[w->n++] = j;
	return 0;
}

struct job **
job_waitlist_take(struct job_waitlist *w, size_t *n)
{
	struct job **v = w->jobs;

	*n = w->n;
	w->jobs = NULL;
	w->n = w->cap = 0;
	return v;
}
