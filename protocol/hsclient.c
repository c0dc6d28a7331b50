/*
 * hsclient.c - console-side RMCP+ session establishment (sans I/O).
 *
 * Owns the handshake's secrets (struct rakp_hs) until hsclient_clear().
 * Every reply is matched to the step that is waiting for it; anything else
 * is ignored so that a late duplicate of an earlier reply cannot derail the
 * exchange.  A refusal or a failed verification ends the handshake.
 */
#include <stdio.h>
#include <string.h>

#include "cmd_channel.h"
#include "hsclient.h"
#include "ipmierr.h"
#include "lan15.h"
#include "lanmsg.h"

int
hsclient_init(struct hsclient *h, const struct csuite *cs, const struct rakp_creds *creds,
              uint8_t priv, bool name_only, uint32_t console_sid, bool skip_authcaps)
{
	if (cs == NULL || console_sid == 0 || priv < 1 || priv > 4)
		return IPMI_E_ARG;
	memset(h, 0, sizeof(*h));
	h->hs.creds = *creds;
	h->priv = priv;
	h->skip_authcaps = skip_authcaps;
	h->rq_seq = 1;
	h->open.tag = 0;
	h->open.priv = priv;
	h->open.console_sid = console_sid;
	h->open.auth = cs->auth;
	h->open.integ = cs->integ;
	h->open.conf = cs->conf;
	h->msg1.role = (uint8_t)(priv | (name_only ? RAKP_ROLE_NAME_ONLY : 0));
	h->msg1.user_len = creds->user_len;
	if (creds->user_len > 0)
		memcpy(h->msg1.user, creds->user, creds->user_len);
	return 0;
}

void
hsclient_clear(struct hsclient *h)
{
	lanplus_sess_clear(&h->sess);
	crypto_wipe(h, sizeof(*h));
}

static int
hsclient_keep(struct hsclient *h, const uint8_t *pkt, int n, uint8_t *out, size_t cap,
              size_t *out_len)
{
	if (n < 0)
		return n;
	if ((size_t)n > sizeof(h->last) || (size_t)n > cap)
		return IPMI_E_NOSPACE;
	memcpy(h->last, pkt, (size_t)n);
	h->last_len = (size_t)n;
	if (out != pkt)
		memcpy(out, pkt, (size_t)n);
	if (out_len != NULL)
		*out_len = (size_t)n;
	return HSCLIENT_SEND;
}

static int
hsclient_fail(struct hsclient *h, int err, uint8_t status)
{
	h->err = err;
	h->status = status;
	return err;
}

static struct ipmimsg
hsclient_req(struct hsclient *h, uint8_t netfn, uint8_t cmd, const uint8_t *data, size_t len)
{
	struct ipmimsg m = {
		.dst_addr = IPMI_BMC_ADDR,
		.netfn = netfn,
		.src_addr = IPMI_REMOTE_SWID,
		.seq = h->rq_seq,
		.cmd = cmd,
		.data = data,
		.data_len = len,
	};
	return m;
}

static int
hsclient_send_authcaps(struct hsclient *h, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t data[2], frame[32];
	struct wire_wr w = wire_wr_make(frame, sizeof(frame));
	struct ipmimsg m;
	int n;

	cmd_channel_authcaps_req(h->priv, data);
	m = hsclient_req(h, IPMI_NETFN_APP, IPMI_CMD_GET_CHANNEL_AUTH_CAPS, data, 2);
	if ((n = ipmimsg_encode(&m, &w)) < 0)
		return n;
	h->stage = HSCLIENT_AUTHCAPS;
	n = lan15_encode(frame, (size_t)n, out, cap);
	return hsclient_keep(h, out, n, out, cap, out_len);
}

static int
hsclient_send_open(struct hsclient *h, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t payload[64];
	struct wire_wr w = wire_wr_make(payload, sizeof(payload));
	int n = rakp_encode_open_req(&h->open, &w);

	if (n < 0)
		return n;
	h->stage = HSCLIENT_OPEN;
	n = lanplus_encode_setup(RAKP_PT_OPEN_REQ, payload, (size_t)n, out, cap);
	return hsclient_keep(h, out, n, out, cap, out_len);
}

int
hsclient_start(struct hsclient *h, const struct rng *rng, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int rc;

	(void)rng;
	if (h->skip_authcaps)
		rc = hsclient_send_open(h, out, cap, &n);
	else
		rc = hsclient_send_authcaps(h, out, cap, &n);
	return rc < 0 ? rc : (int)n;
}

static int hsclient_send_priv(struct hsclient *h, const struct rng *rng, uint8_t *out, size_t cap,
                              size_t *out_len);

int
hsclient_retransmit(struct hsclient *h, const struct rng *rng, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int rc;

	if (h->stage == HSCLIENT_PRIV) {
		rc = hsclient_send_priv(h, rng, out, cap, &n);
		return rc < 0 ? rc : (int)n;
	}
	if (h->last_len > cap)
		return IPMI_E_NOSPACE;
	memcpy(out, h->last, h->last_len);
	return (int)h->last_len;
}

void
hsclient_take_session(struct hsclient *h, struct lanplus_sess *dst)
{
	*dst = h->sess;
	memset(&h->sess, 0, sizeof(h->sess));
}

static int
hsclient_on_authcaps(struct hsclient *h, const uint8_t *pkt, size_t len, uint8_t *out, size_t cap,
                     size_t *out_len)
{
	struct cmd_channel_authcaps caps;
	struct ipmimsg req, rsp;
	const uint8_t *msg;
	size_t mlen;
	uint8_t data[2];

	if (lan15_decode(pkt, len, &msg, &mlen) < 0 || ipmimsg_decode(msg, mlen, &rsp) < 0)
		return HSCLIENT_IGNORED;
	cmd_channel_authcaps_req(h->priv, data);
	req = hsclient_req(h, IPMI_NETFN_APP, IPMI_CMD_GET_CHANNEL_AUTH_CAPS, data, 2);
	if (!ipmimsg_matches(&req, &rsp))
		return HSCLIENT_IGNORED;
	if (rsp.data[0] != 0)
		return hsclient_fail(h, IPMI_E_STATUS, rsp.data[0]);
	if (cmd_channel_authcaps_decode(rsp.data + 1, rsp.data_len - 1, &caps) < 0)
		return hsclient_fail(h, IPMI_E_MALFORMED, 0);
	if (!caps.ipmi20)
		return hsclient_fail(h, IPMI_E_UNSUPPORTED, 0);
	h->rq_seq = (uint8_t)((h->rq_seq + 1) & 0x3f);
	return hsclient_send_open(h, out, cap, out_len);
}

static int
hsclient_on_open(struct hsclient *h, const uint8_t *p, size_t len, const struct rng *rng,
                 uint8_t *out, size_t cap, size_t *out_len)
{
	struct rakp_open_rsp rsp;
	uint8_t payload[64];
	struct wire_wr w = wire_wr_make(payload, sizeof(payload));
	int rc;

	if (rakp_decode_open_rsp(p, len, &rsp) < 0 || rsp.tag != h->open.tag ||
	    (rsp.console_sid != h->open.console_sid && rsp.status == RAKP_ST_OK))
		return HSCLIENT_IGNORED;
	if ((rc = rakp_client_open(&h->hs, &h->open, &rsp)) < 0)
		return hsclient_fail(h, rc, rsp.status);
	h->msg1.tag = 1;
	h->msg1.bmc_sid = h->hs.bmc_sid;
	if ((rc = rng_fill(rng, h->msg1.rm, RAKP_RAND_LEN)) < 0)
		return rc;
	if ((rc = rakp_encode_msg1(&h->msg1, &w)) < 0)
		return rc;
	h->stage = HSCLIENT_RAKP1;
	rc = lanplus_encode_setup(RAKP_PT_RAKP1, payload, (size_t)rc, out, cap);
	return hsclient_keep(h, out, rc, out, cap, out_len);
}

static int
hsclient_on_rakp2(struct hsclient *h, const uint8_t *p, size_t len, uint8_t *out, size_t cap,
                  size_t *out_len)
{
	struct rakp_msg2 m2;
	uint8_t payload[64], status;
	struct wire_wr w = wire_wr_make(payload, sizeof(payload));
	int rc;

	if (rakp_decode_msg2(p, len, &m2) < 0 || m2.tag != h->msg1.tag ||
	    (m2.console_sid != h->hs.console_sid && m2.status == RAKP_ST_OK))
		return HSCLIENT_IGNORED;
	rc = rakp_client_rakp2(&h->hs, &h->msg1, &m2);
	status = m2.status;
	crypto_wipe(&m2, sizeof(m2));
	if (rc < 0)
		return hsclient_fail(h, rc, status);
	if ((rc = rakp_client_rakp3(&h->hs, 2, &h->msg3)) < 0)
		return rc;
	if ((rc = rakp_encode_msg3(&h->msg3, &w)) < 0)
		return rc;
	h->stage = HSCLIENT_RAKP3;
	rc = lanplus_encode_setup(RAKP_PT_RAKP3, payload, (size_t)rc, out, cap);
	crypto_wipe(payload, sizeof(payload));
	return hsclient_keep(h, out, rc, out, cap, out_len);
}

static int
hsclient_send_priv(struct hsclient *h, const struct rng *rng, uint8_t *out, size_t cap,
                   size_t *out_len)
{
	uint8_t data[1] = { h->priv };
	struct ipmimsg m = hsclient_req(h, IPMI_NETFN_APP, IPMI_CMD_SET_SESSION_PRIV, data, 1);
	int n = lanmsg_seal(&h->sess, &m, rng, out, cap, NULL);

	h->stage = HSCLIENT_PRIV;
	return hsclient_keep(h, out, n, out, cap, out_len);
}

static int
hsclient_on_rakp4(struct hsclient *h, const uint8_t *p, size_t len, const struct rng *rng,
                  uint8_t *out, size_t cap, size_t *out_len)
{
	struct rakp_msg4 m4;
	int rc;

	if (rakp_decode_msg4(p, len, &m4) < 0 || m4.tag != h->msg3.tag ||
	    (m4.console_sid != h->hs.console_sid && m4.status == RAKP_ST_OK))
		return HSCLIENT_IGNORED;
	if ((rc = rakp_client_rakp4(&h->hs, &h->msg3, &m4)) < 0)
		return hsclient_fail(h, rc, m4.status);
	if ((rc = lanplus_sess_init(&h->sess, &h->hs, true)) < 0)
		return hsclient_fail(h, rc, 0);
	/* The keys now live in the session's OpenSSL contexts. */
	rakp_hs_clear(&h->hs);
	h->rq_seq = (uint8_t)((h->rq_seq + 1) & 0x3f);
	if (h->priv == IPMI_PRIV_USER) {
		h->stage = HSCLIENT_ESTABLISHED;
		return HSCLIENT_DONE;
	}
	return hsclient_send_priv(h, rng, out, cap, out_len);
}

static int
hsclient_on_priv(struct hsclient *h, const uint8_t *pkt, size_t len)
{
	uint8_t buf[IPMIMSG_MAX_LEN + 32], data[1] = { h->priv };
	struct ipmimsg req = hsclient_req(h, IPMI_NETFN_APP, IPMI_CMD_SET_SESSION_PRIV, data, 1);
	struct ipmimsg rsp;

	if (lanmsg_open(&h->sess, pkt, len, buf, sizeof(buf), &rsp) < 0 ||
	    !ipmimsg_matches(&req, &rsp))
		return HSCLIENT_IGNORED;
	if (rsp.data[0] != 0)
		return hsclient_fail(h, IPMI_E_STATUS, rsp.data[0]);
	/* Never accept a silently lowered privilege. */
	if (rsp.data_len < 2 || (rsp.data[1] & 0x0f) != h->priv)
		return hsclient_fail(h, IPMI_E_MISMATCH, rsp.data_len < 2 ? 0 : rsp.data[1]);
	h->rq_seq = (uint8_t)((h->rq_seq + 1) & 0x3f);
	h->stage = HSCLIENT_ESTABLISHED;
	return HSCLIENT_DONE;
}

int
hsclient_input(struct hsclient *h, const uint8_t *pkt, size_t len, const struct rng *rng,
               uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t type;
	const uint8_t *p;
	size_t plen;

	if (h->err != 0)
		return h->err;
	switch (h->stage) {
	case HSCLIENT_AUTHCAPS:
		return hsclient_on_authcaps(h, pkt, len, out, cap, out_len);
	case HSCLIENT_PRIV:
		return hsclient_on_priv(h, pkt, len);
	case HSCLIENT_ESTABLISHED:
		return HSCLIENT_IGNORED;
	default:
		break;
	}
	if (lanplus_decode_setup(pkt, len, &type, &p, &plen) < 0)
		return HSCLIENT_IGNORED;
	if (h->stage == HSCLIENT_OPEN && type == RAKP_PT_OPEN_RSP)
		return hsclient_on_open(h, p, plen, rng, out, cap, out_len);
	if (h->stage == HSCLIENT_RAKP1 && type == RAKP_PT_RAKP2)
		return hsclient_on_rakp2(h, p, plen, out, cap, out_len);
	if (h->stage == HSCLIENT_RAKP3 && type == RAKP_PT_RAKP4)
		return hsclient_on_rakp4(h, p, plen, rng, out, cap, out_len);
	return HSCLIENT_IGNORED;
}

static const char *
hsclient_status_str(uint8_t st)
{
	switch (st) {
	case RAKP_ST_NO_RESOURCES:
		return "BMC has no free session slot";
	case RAKP_ST_INVALID_SID:
		return "invalid session id";
	case RAKP_ST_INVALID_ROLE:
		return "invalid role";
	case RAKP_ST_UNAUTH_ROLE:
		return "privilege level refused";
	case RAKP_ST_NO_RESOURCES_ROLE:
		return "no resources for the requested role";
	case RAKP_ST_UNAUTH_NAME:
		return "unknown user name";
	case RAKP_ST_INVALID_ICV:
		return "invalid integrity check value";
	case RAKP_ST_INVALID_NAME_LEN:
		return "invalid user name length";
	case RAKP_ST_UNAUTH_GUID:
		return "unauthorized GUID";
	default:
		return RAKP_ST_IS_SUITE_REFUSAL(st) ? "cipher suite refused" : "refused";
	}
}

static const char *const hsclient_stage_names[] = {
	"Get Channel Authentication Capabilities",
	"Open Session",
	"RAKP2",
	"RAKP4",
	"Set Session Privilege Level",
	"established",
};

const char *
hsclient_reason(const struct hsclient *h, char *buf, size_t len)
{
	const char *stage = hsclient_stage_names[h->stage];

	if (h->err == IPMI_E_STATUS && (h->stage == HSCLIENT_AUTHCAPS || h->stage == HSCLIENT_PRIV))
		snprintf(buf, len, "%s failed: completion code 0x%02x%s%s", stage, h->status,
		         h->status == 0xd4 || h->status == 0x81 ? ", privilege refused" : "",
		         h->status == 0x80 ? ", privilege not available" : "");
	else if (h->err == IPMI_E_STATUS)
		snprintf(buf, len, "%s: %s (RMCP+ status 0x%02x)",
		         h->stage == HSCLIENT_RAKP1 ? "RAKP2" : stage,
		         hsclient_status_str(h->status), h->status);
	else if (h->err == IPMI_E_RAKP2)
		snprintf(buf, len, "bad password or K_g: %s", ipmierr_str(h->err));
	else if (h->err == IPMI_E_MISMATCH && h->stage == HSCLIENT_PRIV)
		snprintf(buf, len, "privilege refused: BMC granted level %u instead of %u",
		         h->status & 0x0f, h->priv);
	else
		snprintf(buf, len, "%s: %s", stage, ipmierr_str(h->err));
	return buf;
}

bool
hsclient_is_auth_failure(const struct hsclient *h)
{
	switch (h->err) {
	case IPMI_E_RAKP2:
	case IPMI_E_RAKP4:
		return true;
	case IPMI_E_MISMATCH:
		return h->stage == HSCLIENT_PRIV;
	case IPMI_E_STATUS:
		if (h->stage == HSCLIENT_PRIV)
			return true;
		return h->status == RAKP_ST_UNAUTH_NAME || h->status == RAKP_ST_UNAUTH_ROLE ||
		       h->status == RAKP_ST_INVALID_ROLE || h->status == RAKP_ST_INVALID_ICV;
	default:
		return false;
	}
}
