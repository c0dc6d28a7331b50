/*
 * bridge.c - Send Message encapsulation and extraction of bridged answers.
 */
#include "bridge.h"
#include "ipmierr.h"

/* Appends one Send Message data block: channel | IPMB message. */
static int
bridge_put_hop(struct wire_wr *w, uint8_t channel, const struct ipmimsg *m)
{
	if (channel > 0x0f)
		return IPMI_E_ARG;
	wire_put_u8(w, BRIDGE_TRACK | channel);
	return ipmimsg_encode(m, w);
}

int
bridge_wrap(const struct bridge_path *p, const struct ipmimsg *req, uint8_t *buf, size_t cap,
            struct ipmimsg *outer)
{
	uint8_t inner[IPMIMSG_MAX_LEN + 1];
	struct wire_wr wi = wire_wr_make(inner, sizeof(inner));
	struct wire_wr w = wire_wr_make(buf, cap);
	struct ipmimsg target = *req;
	int rc;

	if (p->depth < 1 || p->depth > 2)
		return IPMI_E_ARG;
	target.dst_addr = p->addr;
	target.src_addr = p->depth == 1 ? IPMI_REMOTE_SWID : IPMI_BMC_ADDR;
	target.src_lun = 0;
	if (p->depth == 1) {
		rc = bridge_put_hop(&w, p->channel, &target);
	} else {
		struct ipmimsg transit = {
			.dst_addr = p->transit_addr,
			.netfn = IPMI_NETFN_APP,
			.src_addr = IPMI_REMOTE_SWID,
			.seq = req->seq,
			.cmd = IPMI_CMD_SEND_MESSAGE,
		};
		rc = bridge_put_hop(&wi, p->channel, &target);
		if (rc < 0)
			return rc;
		transit.data = inner;
		transit.data_len = wi.len;
		rc = bridge_put_hop(&w, p->transit_channel, &transit);
	}
	if (rc < 0)
		return rc;
	*outer = (struct ipmimsg){
		.dst_addr = IPMI_BMC_ADDR,
		.netfn = IPMI_NETFN_APP,
		.src_addr = IPMI_REMOTE_SWID,
		.seq = req->seq,
		.cmd = IPMI_CMD_SEND_MESSAGE,
		.data = buf,
		.data_len = w.len,
	};
	return 0;
}

static bool
bridge_is_sendmsg_rsp(const struct ipmimsg *m)
{
	return m->netfn == (IPMI_NETFN_APP | 1) && m->cmd == IPMI_CMD_SEND_MESSAGE;
}

bool
bridge_matches(const struct ipmimsg *req, const struct ipmimsg *rsp)
{
	if (rsp->seq != req->seq || rsp->data_len < 1)
		return false;
	return bridge_is_sendmsg_rsp(rsp) ||
	       (rsp->netfn == (req->netfn | 1) && rsp->cmd == req->cmd);
}

int
bridge_unwrap(const struct bridge_path *p, const struct ipmimsg *req, const struct ipmimsg *rsp,
              struct ipmimsg *out)
{
	struct ipmimsg cur = *rsp, inner;

	/* At most one Send Message layer per hop, then the target's answer. */
	for (int level = 0; level <= p->depth; level++) {
		if (!bridge_is_sendmsg_rsp(&cur) || req->cmd == IPMI_CMD_SEND_MESSAGE) {
			if (cur.netfn != (req->netfn | 1) || cur.cmd != req->cmd ||
			    cur.data_len < 1)
				return IPMI_E_MISMATCH;
			*out = cur;
			return BRIDGE_FINAL;
		}
		if (cur.data[0] != 0) {
			*out = cur; /* the bridge itself failed, e.g. 83h NAK */
			return BRIDGE_FINAL;
		}
		if (cur.data_len == 1)
			return BRIDGE_PENDING;
		if (ipmimsg_decode(cur.data + 1, cur.data_len - 1, &inner) < 0)
			return IPMI_E_MALFORMED;
		cur = inner;
	}
	return IPMI_E_MALFORMED;
}
