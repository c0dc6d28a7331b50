/*
 * bmc.c - one BMC's session state machine and request queue (sans I/O).
 *
 * Owns: the BMC's copy of its configuration (with secrets), the handshake
 * (struct hsclient) while connecting, the established session, and the
 * queue of requests it has been handed.  Must not: call libevent, touch a
 * socket or read the clock; everything arrives as arguments.
 *
 * Session loss (BMC restart, session dropped at the BMC) shows as silence:
 * when an attempt times out and nothing valid has come from the BMC for two
 * request timeouts, the session is declared lost, in-flight requests go back
 * to the head of the queue and the BMC reconnects (re-resolving its name);
 * the requests then run on the new session if their deadline allows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmc.h"
#include "cmd_channel.h"
#include "crypto.h"
#include "ipmierr.h"
#include "lan15.h"
#include "lanmsg.h"
#include "log.h"

#define BMC_BACKOFF_MIN      1.0
#define BMC_BACKOFF_MAX      60.0
#define BMC_AUTH_BACKOFF_MIN 60.0
#define BMC_AUTH_BACKOFF_MAX 600.0
#define BMC_PROBE_MAX        (64 * 16)
#define BMC_SCRATCH          (IPMIMSG_MAX_LEN + 64)

static void bmc_pump(struct bmc *b, double now);
static void bmc_connect(struct bmc *b, double now);
static void bmc_lose_session(struct bmc *b, const char *why, double now);

const char *
bmc_state_name(enum bmc_state s)
{
	static const char *const names[] = { "resolving", "connecting", "active",
		                             "backoff",   "failed",     "closed" };
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

const char *
bmc_privilege_name(uint8_t priv)
{
	static const char *const names[] = { "none", "callback", "user", "operator",
		                             "administrator" };
	return priv < 5 ? names[priv] : "unknown";
}

static const struct config_daemon *
bmc_dcfg(const struct bmc *b)
{
	return b->env->dcfg;
}

/* A random factor in [lo, hi) from the environment's source. */
static double
bmc_jitter(const struct bmc *b, double lo, double hi)
{
	uint8_t r[2] = { 0, 0 };

	rng_fill(b->env->rng, r, sizeof(r));
	return lo + (hi - lo) * ((r[0] << 8 | r[1]) / 65536.0);
}

static void
bmc_set_state(struct bmc *b, enum bmc_state st, double now)
{
	enum bmc_state old = b->state;

	if (old == st)
		return;
	b->state = st;
	b->since = now;
	if (st == BMC_BACKOFF || st == BMC_FAILED)
		log_warnx("%s: %s -> %s: %s", b->cfg.name, bmc_state_name(old), bmc_state_name(st),
		          b->last_error);
	else
		log_info("%s: %s -> %s", b->cfg.name, bmc_state_name(old), bmc_state_name(st));
	if (b->env->ops->state_changed != NULL)
		b->env->ops->state_changed(b->env->ops_arg, b, old);
}

static int
bmc_send(struct bmc *b, const uint8_t *pkt, size_t len, double now)
{
	b->last_tx = now;
	return b->env->ops->send(b->env->ops_arg, b, pkt, len);
}

/* ---- requests ---- */

static void
bmc_inflight_remove(struct bmc *b, struct request *r)
{
	TAILQ_REMOVE(&b->inflight, r, link);
	b->n_inflight--;
	b->seq_busy &= ~(1ull << r->rq_seq);
}

static void
bmc_finish(struct bmc *b, struct request *r, int err, const char *detail)
{
	r->err = err;
	if (err != 0) {
		snprintf(r->detail, sizeof(r->detail), "%s", detail);
		if (!r->internal)
			b->n_errors++;
	}
	r->done(r, r->arg);
}

static void
bmc_fail_queue(struct bmc *b, int err, const char *detail)
{
	struct request *r;

	while ((r = TAILQ_FIRST(&b->queue)) != NULL) {
		TAILQ_REMOVE(&b->queue, r, link);
		b->n_queued--;
		bmc_finish(b, r, err, detail);
	}
}

static void
bmc_fail_inflight(struct bmc *b, int err, const char *detail)
{
	struct request *r;

	while ((r = TAILQ_FIRST(&b->inflight)) != NULL) {
		bmc_inflight_remove(b, r);
		bmc_finish(b, r, err, detail);
	}
}

/* In-flight requests go back to the head of the queue, in order. */
static void
bmc_requeue_inflight(struct bmc *b)
{
	struct request *r;

	while ((r = TAILQ_LAST(&b->inflight, request_list)) != NULL) {
		bmc_inflight_remove(b, r);
		r->attempts = 0;
		if (r->internal) {
			bmc_finish(b, r, BMC_ERR_LOST, "session lost");
			continue;
		}
		TAILQ_INSERT_HEAD(&b->queue, r, link);
		b->n_queued++;
	}
}

/* ---- session set-up ---- */

static void
bmc_drop_handshake(struct bmc *b)
{
	if (b->hs != NULL) {
		hsclient_clear(b->hs);
		free(b->hs);
		b->hs = NULL;
	}
	free(b->probe);
	b->probe = NULL;
	b->probe_len = 0;
	if (b->waiting_slot) {
		TAILQ_REMOVE(&b->env->waiters, b, wait_link);
		b->waiting_slot = false;
	}
	if (b->has_slot) {
		b->has_slot = false;
		b->env->handshakes--;
		if (b->env->ops->slot_released != NULL)
			b->env->ops->slot_released(b->env->ops_arg);
	}
}

static void
bmc_drop_session(struct bmc *b)
{
	if (b->have_sess) {
		lanplus_sess_clear(&b->sess);
		b->have_sess = false;
	}
}

/* A failed set-up: back off (or, for credentials, retry slowly). */
static void
bmc_setup_failed(struct bmc *b, bool auth, const char *why, double now)
{
	double lo = auth ? BMC_AUTH_BACKOFF_MIN : BMC_BACKOFF_MIN;
	double hi = auth ? BMC_AUTH_BACKOFF_MAX : BMC_BACKOFF_MAX;

	bmc_drop_handshake(b);
	bmc_drop_session(b);
	snprintf(b->last_error, sizeof(b->last_error), "%s", why);
	b->last_error_auth = auth;
	b->env->stats->handshake_failures++;
	/* Each kind of failure has its own range (an auth backoff never stretches a timeout's). */
	b->backoff = fmin(fmax(b->backoff, lo), hi);
	b->retry_at = now + b->backoff * bmc_jitter(b, 0.8, 1.2);
	b->backoff = fmin(b->backoff * 2, hi);
	bmc_set_state(b, auth ? BMC_FAILED : BMC_BACKOFF, now);
	bmc_fail_queue(b, auth ? BMC_ERR_AUTH : BMC_ERR_UNREACHABLE, why);
}

static void
bmc_step_sent(struct bmc *b, double now)
{
	b->step_deadline = now + bmc_dcfg(b)->request_timeout;
}

static void
bmc_start_hsclient(struct bmc *b, int suite, bool skip_authcaps, double now)
{
	struct rakp_creds creds;
	uint8_t pkt[HSCLIENT_PKT_MAX];
	uint32_t sid = 0;
	int n;

	if (b->hs != NULL)
		hsclient_clear(b->hs); /* a restart: the keys of the last attempt go */
	else if ((b->hs = calloc(1, sizeof(*b->hs))) == NULL) {
		bmc_setup_failed(b, false, "out of memory", now);
		return;
	}
	while (sid == 0)
		rng_fill(b->env->rng, (uint8_t *)&sid, sizeof(sid));
	n = rakp_creds_set(&creds, b->cfg.username, b->cfg.password, b->cfg.password_len,
	                   b->cfg.kg_len > 0 ? b->cfg.kg : NULL, b->cfg.kg_len);
	if (n == 0)
		n = hsclient_init(b->hs, csuite_by_id(suite), &creds, b->cfg.privilege, true, sid,
		                  skip_authcaps);
	rakp_creds_clear(&creds);
	if (n < 0) {
		bmc_setup_failed(b, false, "invalid credentials or cipher suite", now);
		return;
	}
	b->suite = suite;
	b->rakp3_attempts = 0;
	n = hsclient_start(b->hs, b->env->rng, pkt, sizeof(pkt));
	if (n < 0) {
		bmc_setup_failed(b, false, ipmierr_str(n), now);
		return;
	}
	b->step_attempts = 1;
	bmc_send(b, pkt, (size_t)n, now);
	bmc_step_sent(b, now);
}

/* Get Channel Cipher Suites, pre-session, list index idx. */
static void
bmc_send_probe(struct bmc *b, double now)
{
	uint8_t data[3], frame[32], pkt[64];
	struct wire_wr w = wire_wr_make(frame, sizeof(frame));
	struct ipmimsg m = {
		.dst_addr = IPMI_BMC_ADDR,
		.netfn = IPMI_NETFN_APP,
		.src_addr = IPMI_REMOTE_SWID,
		.seq = b->pre_seq,
		.cmd = IPMI_CMD_GET_CHANNEL_CIPHERS,
		.data = data,
		.data_len = 3,
	};
	int n;

	cmd_channel_ciphers_req(b->probe_idx, data);
	if ((n = ipmimsg_encode(&m, &w)) < 0 ||
	    (n = lan15_encode(frame, (size_t)n, pkt, sizeof(pkt))) < 0)
		return;
	bmc_send(b, pkt, (size_t)n, now);
	bmc_step_sent(b, now);
}

/* The suite to try first: fixed, remembered, or the first preference. */
static void
bmc_begin_setup(struct bmc *b, double now)
{
	b->step_attempts = 1;
	if (b->cfg.cipher_suite >= 0) {
		bmc_start_hsclient(b, b->cfg.cipher_suite, false, now);
		return;
	}
	if (b->suite >= 0) { /* auto, chosen before: remembered for reconnects */
		bmc_start_hsclient(b, b->suite, false, now);
		return;
	}
	b->probe = malloc(BMC_PROBE_MAX);
	if (b->probe == NULL) {
		bmc_setup_failed(b, false, "out of memory", now);
		return;
	}
	b->probe_len = 0;
	b->probe_idx = 0;
	b->pre_seq = 1;
	bmc_send_probe(b, now);
}

void
bmc_slot_granted(struct bmc *b, double now)
{
	if (b->state != BMC_CONNECTING || b->has_slot)
		return;
	if (b->waiting_slot) {
		TAILQ_REMOVE(&b->env->waiters, b, wait_link);
		b->waiting_slot = false;
	}
	b->has_slot = true;
	b->env->handshakes++;
	b->env->stats->handshakes++;
	bmc_begin_setup(b, now);
}

static void
bmc_connect(struct bmc *b, double now)
{
	bmc_set_state(b, BMC_CONNECTING, now);
	if (b->env->handshakes < bmc_dcfg(b)->max_handshakes) {
		bmc_slot_granted(b, now);
	} else if (!b->waiting_slot) {
		TAILQ_INSERT_TAIL(&b->env->waiters, b, wait_link);
		b->waiting_slot = true;
	}
}

/* Auto selection without a usable list: next preference, or give up. */
static void
bmc_try_next_pref(struct bmc *b, const char *why, double now)
{
	free(b->probe);
	b->probe = NULL;
	for (;;) {
		size_t i = (size_t)b->suite_pref_idx++;
		const struct csuite *cs;

		if (i >= b->cfg.n_cipher_suites) {
			b->suite_pref_idx = 0;
			bmc_setup_failed(b, false, why, now);
			return;
		}
		cs = csuite_by_id(b->cfg.cipher_suites[i]);
		if (cs != NULL) {
			bmc_start_hsclient(b, cs->id, false, now);
			return;
		}
	}
}

static void
bmc_probe_done(struct bmc *b, double now)
{
	uint8_t ids[64];
	int n = cmd_channel_ciphers_parse(b->probe, b->probe_len, ids, sizeof(ids));

	free(b->probe);
	b->probe = NULL;
	for (size_t p = 0; n > 0 && p < b->cfg.n_cipher_suites; p++)
		for (int i = 0; i < n; i++)
			if (ids[i] == b->cfg.cipher_suites[p] && csuite_by_id(ids[i]) != NULL) {
				log_debug("%s: BMC lists %d cipher suites; using %u", b->cfg.name,
				          n, ids[i]);
				/* Listing can lie (ipmi_sim): if refused, fall back. */
				b->suite_pref_idx = (int)p + 1;
				bmc_start_hsclient(b, ids[i], false, now);
				return;
			}
	b->suite_pref_idx = 0;
	bmc_try_next_pref(b, "no preferred cipher suite accepted", now);
}

/* Returns 0 when the datagram answered the probe, else negative. */
static int
bmc_on_probe(struct bmc *b, const uint8_t *pkt, size_t len, double now)
{
	const uint8_t *msg;
	size_t mlen;
	struct ipmimsg rsp;
	int n;

	if (lan15_decode(pkt, len, &msg, &mlen) < 0 || ipmimsg_decode(msg, mlen, &rsp) < 0 ||
	    rsp.netfn != (IPMI_NETFN_APP | 1) || rsp.cmd != IPMI_CMD_GET_CHANNEL_CIPHERS ||
	    rsp.seq != b->pre_seq)
		return IPMI_E_MISMATCH;
	b->last_rx = now;
	if (rsp.data[0] != 0) {
		b->suite_pref_idx = 0;
		bmc_try_next_pref(b, "cipher suite listing refused", now);
		return 0;
	}
	n = cmd_channel_ciphers_chunk(rsp.data + 1, rsp.data_len - 1, b->probe, BMC_PROBE_MAX,
	                              &b->probe_len);
	if (n < 0) {
		b->suite_pref_idx = 0;
		bmc_try_next_pref(b, "bad cipher suite listing", now);
		return 0;
	}
	b->pre_seq = (uint8_t)((b->pre_seq + 1) & 0x3f);
	if (n < 16 || b->probe_idx >= 63) {
		bmc_probe_done(b, now);
		return 0;
	}
	b->probe_idx++;
	b->step_attempts = 1;
	bmc_send_probe(b, now);
	return 0;
}

static bool
bmc_is_suite_refusal(const struct hsclient *h)
{
	if (h->stage != HSCLIENT_OPEN)
		return false;
	if (h->err == IPMI_E_DOWNGRADE)
		return false; /* never accept, never retry elsewhere silently */
	return h->err == IPMI_E_STATUS &&
	       (h->status == 0x04 || (h->status >= 0x11 && h->status <= 0x13) || h->status == 0x10);
}

static void
bmc_activate(struct bmc *b, double now)
{
	hsclient_take_session(b->hs, &b->sess);
	b->have_sess = true;
	b->next_seq = b->hs->rq_seq;
	bmc_drop_handshake(b);
	b->backoff = 0;
	b->last_rx = now;
	b->keepalive_at = now + bmc_dcfg(b)->keepalive_interval * bmc_jitter(b, 0.75, 1.0);
	b->refresh_at = b->resolved_at + bmc_dcfg(b)->dns_refresh;
	b->last_error[0] = '\0';
	b->last_error_auth = false;
	log_info("%s: session up (cipher suite %d, %s)", b->cfg.name, b->suite,
	         bmc_privilege_name(b->cfg.privilege));
	bmc_set_state(b, BMC_ACTIVE, now);
	bmc_pump(b, now);
}

/* Returns 0 when the datagram belonged to the handshake, else negative. */
static int
bmc_on_handshake(struct bmc *b, const uint8_t *pkt, size_t len, double now)
{
	uint8_t out[HSCLIENT_PKT_MAX];
	size_t out_len = 0;
	char why[160];
	int rc = hsclient_input(b->hs, pkt, len, b->env->rng, out, sizeof(out), &out_len);

	if (rc == HSCLIENT_IGNORED)
		return IPMI_E_MISMATCH;
	b->last_rx = now;
	if (rc == HSCLIENT_SEND) {
		b->step_attempts = 1;
		if (b->hs->stage == HSCLIENT_RAKP3 && b->rakp3_attempts > 0) {
			b->step_attempts = b->rakp3_attempts;
			b->rakp3_attempts = 0;
		}
		bmc_send(b, out, out_len, now);
		bmc_step_sent(b, now);
		return 0;
	}
	if (rc == HSCLIENT_DONE) {
		bmc_activate(b, now);
		return 0;
	}
	hsclient_reason(b->hs, why, sizeof(why));
	if (b->cfg.cipher_suite < 0 && bmc_is_suite_refusal(b->hs)) {
		log_debug("%s: suite %d refused, trying the next preference", b->cfg.name,
		          b->suite);
		b->suite = -1;
		bmc_try_next_pref(b, why, now);
		return 0;
	}
	bmc_setup_failed(b, hsclient_is_auth_failure(b->hs), why, now);
	return 0;
}

/* A set-up step got no answer in time: retransmit or give up. */
static void
bmc_setup_timeout(struct bmc *b, double now)
{
	if (b->step_attempts < bmc_dcfg(b)->retries) {
		b->step_attempts++;
		if (b->probe != NULL) {
			bmc_send_probe(b, now);
		} else if (b->hs != NULL && b->hs->stage == HSCLIENT_RAKP3) {
			/*
			 * ipmi_sim ignores a repeated RAKP3 (its session is either
			 * active already or waits for the first one): start over
			 * with Open Session rather than wait out the retries.
			 */
			uint8_t attempt = b->step_attempts; /* this one, counted above */
			bmc_start_hsclient(b, b->suite, true, now);
			b->rakp3_attempts = attempt;
		} else if (b->hs != NULL) {
			uint8_t pkt[HSCLIENT_PKT_MAX];
			int n = hsclient_retransmit(b->hs, b->env->rng, pkt, sizeof(pkt));
			if (n > 0)
				bmc_send(b, pkt, (size_t)n, now);
			bmc_step_sent(b, now);
		}
		return;
	}
	if (b->probe != NULL) {
		/* Cannot list suites: try the preferences with Open Session. */
		b->suite_pref_idx = 0;
		bmc_try_next_pref(b, "no answer to Get Channel Cipher Suites", now);
		return;
	}
	if (b->hs != NULL) {
		char why[200];
		snprintf(why, sizeof(why), "no answer to %s after %u attempts",
		         b->hs->stage == HSCLIENT_AUTHCAPS
		             ? "Get Channel Authentication Capabilities"
		         : b->hs->stage == HSCLIENT_OPEN  ? "Open Session"
		         : b->hs->stage == HSCLIENT_RAKP1 ? "RAKP1"
		         : b->hs->stage == HSCLIENT_RAKP3 ? "RAKP3"
		                                          : "Set Session Privilege Level",
		         b->step_attempts);
		if (b->cfg.cipher_suite < 0 && b->hs->stage == HSCLIENT_OPEN &&
		    b->suite_pref_idx < (int)b->cfg.n_cipher_suites) {
			/* Some BMCs ignore Open Session for suites they lack. */
			b->suite = -1;
			bmc_try_next_pref(b, why, now);
			return;
		}
		bmc_setup_failed(b, false, why, now);
	}
}

/* ---- active session ---- */

static bool
bmc_seq_free(const struct bmc *b, uint8_t seq, double now)
{
	uint64_t bit = 1ull << seq;

	if ((b->quarantine_mask & bit) != 0 && now < b->quarantine_until)
		return false;
	return (b->seq_busy & bit) == 0;
}

/* The next usable rqSeq, or -1 if all 64 are busy or quarantined. */
static int
bmc_alloc_seq(struct bmc *b, double now)
{
	if (b->quarantine_mask != 0 && now >= b->quarantine_until)
		b->quarantine_mask = 0;
	for (int i = 0; i < 64; i++) {
		uint8_t seq = (uint8_t)((b->next_seq + i) & 0x3f);
		if (bmc_seq_free(b, seq, now)) {
			b->next_seq = (uint8_t)((seq + 1) & 0x3f);
			return seq;
		}
	}
	return -1;
}

static void
bmc_quarantine(struct bmc *b, uint8_t seq, double now)
{
	double q = fmax(2 * bmc_dcfg(b)->request_timeout, 5.0);

	b->quarantine_mask |= 1ull << seq;
	b->quarantine_until = now + q;
}

static struct ipmimsg
bmc_request_msg(const struct request *r)
{
	struct ipmimsg m = {
		.dst_addr = IPMI_BMC_ADDR,
		.netfn = r->netfn,
		.dst_lun = r->lun,
		.src_addr = IPMI_REMOTE_SWID,
		.seq = r->rq_seq,
		.cmd = r->cmd,
		.data = r->data,
		.data_len = r->data_len,
	};
	return m;
}

static int
bmc_transmit(struct bmc *b, struct request *r, double now)
{
	uint8_t pkt[LANPLUS_MAX_PKT], bbuf[BRIDGE_BUFLEN];
	struct ipmimsg m = bmc_request_msg(r), outer = m;
	int n;

	if (r->bridge.depth > 0 &&
	    (n = bridge_wrap(&r->bridge, &m, bbuf, sizeof(bbuf), &outer)) < 0)
		return n;
	n = lanmsg_seal(&b->sess, &outer, b->env->rng, pkt, sizeof(pkt), NULL);
	if (n < 0)
		return n;
	r->attempts++;
	r->attempt_deadline = now + bmc_dcfg(b)->request_timeout;
	bmc_send(b, pkt, (size_t)n, now);
	return 0;
}

static void
bmc_pump(struct bmc *b, double now)
{
	struct request *r;
	int seq, rc;

	while (b->state == BMC_ACTIVE && b->n_inflight < b->cfg.max_inflight &&
	       (r = TAILQ_FIRST(&b->queue)) != NULL) {
		if ((seq = bmc_alloc_seq(b, now)) < 0)
			return; /* all rqSeqs busy: wait for one to free up */
		TAILQ_REMOVE(&b->queue, r, link);
		b->n_queued--;
		r->rq_seq = (uint8_t)seq;
		if ((rc = bmc_transmit(b, r, now)) < 0) {
			bmc_finish(b, r, BMC_ERR_UNREACHABLE, ipmierr_str(rc));
			continue;
		}
		TAILQ_INSERT_TAIL(&b->inflight, r, link);
		b->n_inflight++;
		b->seq_busy |= 1ull << r->rq_seq;
	}
}

static void
bmc_complete(struct bmc *b, struct request *r, const struct ipmimsg *rsp, double now)
{
	bmc_inflight_remove(b, r);
	memcpy(r->rsp, rsp->data, rsp->data_len);
	r->rsp_len = (uint8_t)rsp->data_len;
	if (!r->internal) {
		b->env->stats->responses++;
		stats_latency(b->env->stats, (now - r->submitted) * 1e6);
	}
	bmc_finish(b, r, 0, NULL);
}

static void
bmc_on_session(struct bmc *b, const uint8_t *pkt, size_t len, double now, int *err)
{
	uint8_t buf[BMC_SCRATCH];
	struct ipmimsg rsp, inner;
	struct request *r;
	int rc = lanmsg_open(&b->sess, pkt, len, buf, sizeof(buf), &rsp);

	if (rc < 0) {
		*err = rc;
		return;
	}
	*err = 0;
	b->last_rx = now;
	TAILQ_FOREACH (r, &b->inflight, link) {
		if (r->bridge.depth == 0) {
			struct ipmimsg m = bmc_request_msg(r);
			if (ipmimsg_matches(&m, &rsp)) {
				bmc_complete(b, r, &rsp, now);
				bmc_pump(b, now);
				return;
			}
			continue;
		}
		struct ipmimsg m = bmc_request_msg(r);
		if (!bridge_matches(&m, &rsp))
			continue;
		rc = bridge_unwrap(&r->bridge, &m, &rsp, &inner);
		if (rc == BRIDGE_PENDING)
			return; /* the answer follows in its own message */
		if (rc == BRIDGE_FINAL) {
			bmc_complete(b, r, &inner, now);
			bmc_pump(b, now);
			return;
		}
	}
	b->env->stats->late_responses++;
}

static void keepalive_done(struct request *r, void *arg);

static void
bmc_keepalive(struct bmc *b, double now)
{
	struct request *r = calloc(1, sizeof(*r));

	b->keepalive_at = now + bmc_dcfg(b)->keepalive_interval * bmc_jitter(b, 0.75, 1.0);
	if (r == NULL)
		return;
	/* Get Channel Authentication Capabilities: cheap, any privilege. */
	r->netfn = IPMI_NETFN_APP;
	r->cmd = IPMI_CMD_GET_CHANNEL_AUTH_CAPS;
	cmd_channel_authcaps_req(b->cfg.privilege, r->data);
	r->data_len = 2;
	r->internal = true;
	r->submitted = now;
	r->deadline = now + bmc_dcfg(b)->request_timeout * bmc_dcfg(b)->retries;
	r->done = keepalive_done;
	r->arg = b;
	b->env->stats->keepalives++;
	TAILQ_INSERT_HEAD(&b->queue, r, link);
	b->n_queued++;
	bmc_pump(b, now);
}

static void
keepalive_done(struct request *r, void *arg)
{
	(void)arg;
	free(r);
}

static void
bmc_attempt_timeout(struct bmc *b, struct request *r, double now)
{
	double silent = now - b->last_rx;

	if (silent >= 2 * bmc_dcfg(b)->request_timeout && r->attempts >= 2) {
		bmc_lose_session(b, "no answer from the BMC (session lost or BMC restarted)", now);
		return;
	}
	if (r->attempts < bmc_dcfg(b)->retries && now < r->deadline) {
		int rc = bmc_transmit(b, r, now);
		if (rc == 0) {
			b->n_retries++;
			b->env->stats->retries++;
			return;
		}
	}
	bmc_inflight_remove(b, r);
	bmc_quarantine(b, r->rq_seq, now);
	if (!r->internal)
		b->env->stats->timeouts++;
	char why[96];
	snprintf(why, sizeof(why), "no response after %u attempts", r->attempts);
	bmc_finish(b, r, BMC_ERR_UNREACHABLE, why);
	bmc_pump(b, now);
}

/* ---- lifecycle ---- */

struct bmc *
bmc_new(struct bmc_env *env, const struct config_bmc *cfg)
{
	struct bmc *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->env = env;
	b->cfg = *cfg;
	b->state = BMC_CLOSED;
	b->suite = -1;
	TAILQ_INIT(&b->queue);
	TAILQ_INIT(&b->inflight);
	return b;
}

void
bmc_free(struct bmc *b, int err, const char *detail)
{
	if (b == NULL)
		return;
	bmc_fail_inflight(b, err, detail);
	bmc_fail_queue(b, err, detail);
	bmc_drop_handshake(b);
	bmc_drop_session(b);
	if (b->env->ops->free_caches != NULL)
		b->env->ops->free_caches(b->env->ops_arg, b);
	crypto_wipe(b, sizeof(*b));
	free(b);
}

static void
bmc_resolve(struct bmc *b, double now)
{
	bmc_set_state(b, BMC_RESOLVING, now);
	b->env->stats->dns_lookups++;
	b->step_deadline = now + 30; /* the resolver times out before this */
	b->env->ops->resolve(b->env->ops_arg, b);
}

void
bmc_start(struct bmc *b, double now)
{
	b->since = now;
	bmc_resolve(b, now);
}

static bool
bmc_same_addr(const struct bmc *b, const struct sockaddr *sa, socklen_t len)
{
	return b->addr_len == len && memcmp(&b->addr, sa, len) == 0;
}

void
bmc_resolved(struct bmc *b, const struct sockaddr *sa, socklen_t len, const char *err, double now)
{
	if (b->state == BMC_ACTIVE) { /* periodic refresh */
		b->refresh_at = now + bmc_dcfg(b)->dns_refresh;
		if (sa == NULL || bmc_same_addr(b, sa, len))
			return;
		log_info("%s: %s moved to a new address; reconnecting", b->cfg.name, b->cfg.host);
		memcpy(&b->addr, sa, len);
		b->addr_len = len;
		b->resolved_at = now;
		bmc_lose_session(b, "address changed", now);
		return;
	}
	if (b->state != BMC_RESOLVING)
		return;
	if (sa == NULL || len > sizeof(b->addr)) {
		char why[160];
		snprintf(why, sizeof(why), "cannot resolve %s: %s", b->cfg.host,
		         err != NULL ? err : "no address");
		bmc_setup_failed(b, false, why, now);
		return;
	}
	memcpy(&b->addr, sa, len);
	b->addr_len = len;
	b->resolved_at = now;
	bmc_connect(b, now);
}

/* Sends Close Session for the current session without waiting. */
static void
bmc_send_close(struct bmc *b, double now)
{
	uint8_t data[4], pkt[LANPLUS_MAX_PKT];
	uint32_t sid = b->sess.tx_sid;
	struct ipmimsg m = {
		.dst_addr = IPMI_BMC_ADDR,
		.netfn = IPMI_NETFN_APP,
		.src_addr = IPMI_REMOTE_SWID,
		.cmd = IPMI_CMD_CLOSE_SESSION,
		.data = data,
		.data_len = 4,
	};
	int seq = bmc_alloc_seq(b, now), n;

	if (!b->have_sess)
		return;
	m.seq = (uint8_t)(seq < 0 ? 0 : seq);
	data[0] = (uint8_t)sid;
	data[1] = (uint8_t)(sid >> 8);
	data[2] = (uint8_t)(sid >> 16);
	data[3] = (uint8_t)(sid >> 24);
	n = lanmsg_seal(&b->sess, &m, b->env->rng, pkt, sizeof(pkt), NULL);
	if (n > 0)
		bmc_send(b, pkt, (size_t)n, now);
}

static void
bmc_lose_session(struct bmc *b, const char *why, double now)
{
	log_warnx("%s: %s", b->cfg.name, why);
	snprintf(b->last_error, sizeof(b->last_error), "%s", why);
	bmc_drop_session(b);
	bmc_requeue_inflight(b);
	b->n_reconnects++;
	b->env->stats->reconnects++;
	bmc_resolve(b, now);
}

void
bmc_reconnect(struct bmc *b, double now)
{
	if (b->state == BMC_CLOSED)
		return;
	if (b->state == BMC_ACTIVE)
		bmc_send_close(b, now);
	bmc_drop_handshake(b);
	bmc_drop_session(b);
	bmc_requeue_inflight(b);
	b->backoff = 0;
	b->n_reconnects++;
	b->env->stats->reconnects++;
	bmc_resolve(b, now);
}

static void close_done(struct request *r, void *arg);

void
bmc_close(struct bmc *b, double now)
{
	struct request *r;
	bool active = b->state == BMC_ACTIVE;

	bmc_fail_inflight(b, BMC_ERR_UNKNOWN, "BMC removed or daemon stopping");
	bmc_fail_queue(b, BMC_ERR_UNKNOWN, "BMC removed or daemon stopping");
	bmc_drop_handshake(b);
	if (active && (r = calloc(1, sizeof(*r))) != NULL) {
		uint32_t sid = b->sess.tx_sid;

		r->netfn = IPMI_NETFN_APP;
		r->cmd = IPMI_CMD_CLOSE_SESSION;
		r->data[0] = (uint8_t)sid;
		r->data[1] = (uint8_t)(sid >> 8);
		r->data[2] = (uint8_t)(sid >> 16);
		r->data[3] = (uint8_t)(sid >> 24);
		r->data_len = 4;
		r->internal = true;
		r->submitted = now;
		r->deadline = now + bmc_dcfg(b)->request_timeout * bmc_dcfg(b)->retries;
		r->done = close_done;
		r->arg = b;
		TAILQ_INSERT_TAIL(&b->queue, r, link);
		b->n_queued++;
		bmc_pump(b, now);
	}
	bmc_set_state(b, BMC_CLOSED, now);
	if (b->n_inflight == 0)
		bmc_drop_session(b);
}

static void
close_done(struct request *r, void *arg)
{
	struct bmc *b = arg;

	if (r->err == 0)
		log_debug("%s: session closed at the BMC", b->cfg.name);
	free(r);
}

bool
bmc_closed(const struct bmc *b)
{
	return b->state == BMC_CLOSED && b->n_inflight == 0 && b->n_queued == 0;
}

int
bmc_submit(struct bmc *b, struct request *r, double now)
{
	const struct config_daemon *d = bmc_dcfg(b);

	r->bmc = b;
	r->submitted = now;
	r->attempts = 0;
	/* Room for every attempt plus one reconnect. */
	r->deadline = now + d->request_timeout * d->retries * 2;
	b->n_requests++;
	b->env->stats->requests++;
	switch (b->state) {
	case BMC_FAILED:
		bmc_finish(b, r, BMC_ERR_AUTH, b->last_error);
		return BMC_ERR_AUTH;
	case BMC_BACKOFF: {
		char why[200];
		snprintf(why, sizeof(why), "BMC unreachable: %s; next attempt in %.1f s",
		         b->last_error, fmax(0, b->retry_at - now));
		bmc_finish(b, r, BMC_ERR_UNREACHABLE, why);
		return BMC_ERR_UNREACHABLE;
	}
	case BMC_CLOSED:
		bmc_finish(b, r, BMC_ERR_UNKNOWN, "BMC removed");
		return BMC_ERR_UNKNOWN;
	default:
		break;
	}
	if (b->n_queued >= BMC_QUEUE_MAX) {
		bmc_finish(b, r, BMC_ERR_BUSY, "per-BMC queue full");
		return BMC_ERR_BUSY;
	}
	TAILQ_INSERT_TAIL(&b->queue, r, link);
	b->n_queued++;
	bmc_pump(b, now);
	return 0;
}

int
bmc_input(struct bmc *b, const uint8_t *pkt, size_t len, double now)
{
	int err = IPMI_E_SESSION;

	switch (b->state) {
	case BMC_CONNECTING:
		if (b->probe != NULL)
			return bmc_on_probe(b, pkt, len, now);
		if (b->hs != NULL)
			return bmc_on_handshake(b, pkt, len, now);
		return IPMI_E_SESSION;
	case BMC_ACTIVE:
	case BMC_CLOSED:
		if (b->have_sess)
			bmc_on_session(b, pkt, len, now, &err);
		if (b->state == BMC_CLOSED && b->n_inflight == 0)
			bmc_drop_session(b);
		return err;
	default:
		return IPMI_E_SESSION;
	}
}

/* Queued requests whose deadline passed while no session was usable. */
static void
bmc_expire_queue(struct bmc *b, double now)
{
	struct request *r, *next;

	for (r = TAILQ_FIRST(&b->queue); r != NULL; r = next) {
		next = TAILQ_NEXT(r, link);
		if (now < r->deadline)
			continue;
		TAILQ_REMOVE(&b->queue, r, link);
		b->n_queued--;
		if (!r->internal)
			b->env->stats->timeouts++;
		bmc_finish(b, r, BMC_ERR_LOST,
		           b->last_error[0] != '\0' ? b->last_error
		                                    : "session being established; retry later");
	}
}

void
bmc_tick(struct bmc *b, double now)
{
	struct request *r, *next;

	switch (b->state) {
	case BMC_RESOLVING:
		bmc_expire_queue(b, now);
		break;
	case BMC_CONNECTING:
		bmc_expire_queue(b, now);
		if (!b->waiting_slot && now >= b->step_deadline)
			bmc_setup_timeout(b, now);
		break;
	case BMC_BACKOFF:
	case BMC_FAILED:
		if (now >= b->retry_at)
			bmc_resolve(b, now);
		break;
	case BMC_ACTIVE:
		for (r = TAILQ_FIRST(&b->inflight); r != NULL && b->state == BMC_ACTIVE; r = next) {
			next = TAILQ_NEXT(r, link);
			if (now >= r->attempt_deadline)
				bmc_attempt_timeout(b, r, now);
		}
		if (b->state != BMC_ACTIVE)
			break;
		bmc_expire_queue(b, now);
		if (now >= b->keepalive_at && b->n_inflight == 0 && b->n_queued == 0)
			bmc_keepalive(b, now);
		else if (now >= b->keepalive_at)
			b->keepalive_at = now + bmc_dcfg(b)->keepalive_interval;
		if (now >= b->refresh_at) {
			b->refresh_at = now + bmc_dcfg(b)->dns_refresh;
			b->env->stats->dns_lookups++;
			b->env->ops->resolve(b->env->ops_arg, b);
		}
		break;
	case BMC_CLOSED:
		for (r = TAILQ_FIRST(&b->inflight); r != NULL; r = next) {
			next = TAILQ_NEXT(r, link);
			if (now >= r->attempt_deadline) {
				bmc_inflight_remove(b, r);
				bmc_finish(b, r, BMC_ERR_UNREACHABLE, "no answer to Close Session");
			}
		}
		if (b->n_inflight == 0)
			bmc_drop_session(b);
		break;
	}
}

double
bmc_next_deadline(const struct bmc *b)
{
	const struct request *r;
	double t = INFINITY;

	/* FIFO with a fixed lifetime: the head expires first (requeued ones are older). */
	if ((r = TAILQ_FIRST(&b->queue)) != NULL)
		t = r->deadline;
	switch (b->state) {
	case BMC_RESOLVING:
		break;
	case BMC_CONNECTING:
		if (!b->waiting_slot)
			t = fmin(t, b->step_deadline);
		break;
	case BMC_BACKOFF:
	case BMC_FAILED:
		t = fmin(t, b->retry_at);
		break;
	case BMC_ACTIVE:
		TAILQ_FOREACH (r, &b->inflight, link)
			t = fmin(t, r->attempt_deadline);
		t = fmin(t, fmin(b->keepalive_at, b->refresh_at));
		break;
	case BMC_CLOSED:
		TAILQ_FOREACH (r, &b->inflight, link)
			t = fmin(t, r->attempt_deadline);
		break;
	}
	return t;
}
