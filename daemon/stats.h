/*
 * stats.h - daemon-wide counters and a request latency histogram.
 * Core module: plain data, no I/O.
 */
#ifndef IPMIPOOL_STATS_H
#define IPMIPOOL_STATS_H

#include <stdint.h>

#define STATS_BUCKETS 64

struct stats {
	uint64_t requests;
	uint64_t responses;
	uint64_t retries;
	uint64_t timeouts;
	uint64_t handshakes;
	uint64_t handshake_failures;
	uint64_t reconnects;
	uint64_t keepalives;
	uint64_t dns_lookups;
	uint64_t rejected_bad_mac;
	uint64_t rejected_replay;
	uint64_t rejected_unknown_session;
	uint64_t rejected_malformed;
	uint64_t late_responses;
	uint64_t latency[STATS_BUCKETS]; /* log2-spaced buckets of microseconds */
};

/* Records one request latency in microseconds. */
void stats_latency(struct stats *s, double usec);
/* The given percentile (0..100) of recorded latencies, in microseconds. */
double stats_percentile(const struct stats *s, double pct);
/* Counts a rejected packet by protocol error code. */
void stats_reject(struct stats *s, int err);

#endif
