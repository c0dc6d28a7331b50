/*
 * stats.c - counters and the latency histogram.
 *
 * Buckets are quarter-octaves of microseconds (bucket i covers
 * [2^(i/4), 2^((i+1)/4)) us), so percentiles are within ~19 %.
 */
#include <math.h>

#include "ipmierr.h"
#include "stats.h"

void
stats_latency(struct stats *s, double usec)
{
	int b = usec < 1 ? 0 : (int)(log2(usec) * 4);

	if (b >= STATS_BUCKETS)
		b = STATS_BUCKETS - 1;
	s->latency[b]++;
}

double
stats_percentile(const struct stats *s, double pct)
{
	uint64_t total = 0, seen = 0, want;

	for (int i = 0; i < STATS_BUCKETS; i++)
		total += s->latency[i];
	if (total == 0)
		return 0;
	want = (uint64_t)ceil((double)total * pct / 100.0);
	for (int i = 0; i < STATS_BUCKETS; i++) {
		seen += s->latency[i];
		if (seen >= want && seen > 0)
			return round(pow(2, (i + 0.5) / 4.0)); /* bucket midpoint */
	}
	return 0;
}

void
stats_reject(struct stats *s, int err)
{
	switch (err) {
	case IPMI_E_BAD_MAC:
	case IPMI_E_PAD:
		s->rejected_bad_mac++;
		break;
	case IPMI_E_REPLAY:
	case IPMI_E_SEQ_OLD:
		s->rejected_replay++;
		break;
	case IPMI_E_SESSION:
		s->rejected_unknown_session++;
		break;
	default:
		s->rejected_malformed++;
		break;
	}
}
