/*
 * job.h - a chain of IPMI requests to one BMC that answers one RPC call:
 * the decoded methods (mc.info, chassis.*, sdr.*, sel.*, fru.*) are written
 * as a sequence of steps, each run when the previous request's response
 * arrives.  Core module.
 *
 * Ownership: the job owns itself from job_new() until job_finish() or
 * job_fail(), which answer the call and free it (and its state).  A failed
 * request (timeout, session lost, BMC removed) fails the job with the
 * request's error; a step sees only successful transport, and decides
 * itself what a non-zero completion code means.
 */
#ifndef IPMIPOOL_JOB_H
#define IPMIPOOL_JOB_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "bmc.h"

struct rpc_call;
struct job;

/* rsp[0] is the completion code; len >= 1. */
typedef void (*job_step_fn)(struct job *j, const uint8_t *rsp, size_t len);

struct job {
	struct rpc_call *call;
	struct pool *pool;
	struct bmc *bmc; /* valid while a request is pending or a step runs */
	struct bridge_path bridge;
	job_step_fn next;
	void *state;                /* method-specific, owned */
	void (*free_state)(void *); /* NULL: free() */
};

/* A job for call on b, sent through bridge (NULL: not bridged). */
struct job *job_new(struct rpc_call *call, struct bmc *b, const struct bridge_path *bridge);

/* Sends one command; next runs with its response. */
void job_send(struct job *j, uint8_t netfn, uint8_t cmd, const uint8_t *data, size_t len,
              job_step_fn next);

/* Answers the call with result (owned) and frees the job. */
void job_finish(struct job *j, json_object *result);
/* Answers with an error and frees the job. */
void job_fail(struct job *j, int code, const char *detail, json_object *extra);
/* -32004 for a non-zero completion code of command `what`. */
void job_fail_cc(struct job *j, uint8_t cc, const char *what);

#endif
