/*
 * job.h - the IPMI requests to one BMC that answer one RPC call: the
 * decoded methods (mc.info, chassis.*, sdr.*, sel.*, fru.*) are written as
 * steps, each run when a request's response arrives.  Core module.
 *
 * Ownership: the job owns itself from job_new() until it is answered
 * (job_finish/job_fail) AND no request is in flight; then it frees itself
 * and its state.  A failed request (timeout, session lost, BMC removed)
 * answers the call with the request's error; a step sees only successful
 * transport and decides itself what a non-zero completion code means.
 */
#ifndef IPMIPOOL_JOB_H
#define IPMIPOOL_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "bmc.h"

struct rpc_call;
struct job;

/* rsp[0] is the completion code; len >= 1; tag as given to job_send. */
typedef void (*job_step_fn)(struct job *j, const uint8_t *rsp, size_t len, unsigned tag);

struct job {
	struct rpc_call *call;
	struct pool *pool;
	struct bmc *bmc; /* valid while a request is pending or a step runs */
	char bmc_name[CONFIG_NAME_MAX];
	struct bridge_path bridge;
	unsigned pending; /* requests in flight */
	bool answered;    /* the call got its answer */
	/* Runs (before the call is answered) when a request fails in transport. */
	void (*on_fail)(struct job *j);
	void *state;                /* method-specific, owned */
	void (*free_state)(void *); /* NULL: free() */
};

/* A job for call on b, sent through bridge (NULL: not bridged). */
struct job *job_new(struct rpc_call *call, struct bmc *b, const struct bridge_path *bridge);

/*
 * Sends one command; next runs with its response and tag.  Several may be
 * in flight (e.g. one Get Sensor Reading per sensor).
 */
void job_send(struct job *j, uint8_t netfn, uint8_t cmd, const uint8_t *data, size_t len,
              job_step_fn next, unsigned tag);
/* The same to another LUN / through another bridge (NULL: none), e.g. a satellite MC. */
void job_send_via(struct job *j, const struct bridge_path *bridge, uint8_t lun, uint8_t netfn,
                  uint8_t cmd, const uint8_t *data, size_t len, job_step_fn next, unsigned tag);

/* True once answered: steps of remaining requests should just return. */
static inline bool
job_answered(const struct job *j)
{
	return j->answered;
}

/*
 * Jobs parked while another job fills a shared cache (SDR, SEL).  The
 * filler takes the list when it is done and resumes or fails each job.
 */
struct job_waitlist {
	struct job **jobs;
	size_t n, cap;
};

/* Parks j; 0, or -1 when out of memory (j is not parked). */
int job_waitlist_add(struct job_waitlist *w, struct job *j);
/* Empties w; returns the parked jobs (caller frees the array) and their count. */
struct job **job_waitlist_take(struct job_waitlist *w, size_t *n);

/* Answers the call with result (owned). */
void job_finish(struct job *j, json_object *result);
/* Answers with an error (extra owned, may be NULL). */
void job_fail(struct job *j, int code, const char *detail, json_object *extra);
/* -32004 for a non-zero completion code of command `what`. */
void job_fail_cc(struct job *j, uint8_t cc, const char *what);

#endif
