/*
 * bridge.h - IPMB bridging through Send Message (App 34h) with tracking,
 * single (BMC -> target) and double (BMC -> transit -> target).
 *
 * BMCs return the target's answer either embedded in the Send Message
 * response or as a separate message after an empty Send Message response
 * (ipmi_sim does the latter, with the outer rqSeq); bridge_unwrap() takes
 * both.  The same rqSeq is used at every level, as ipmitool does.
 */
#ifndef IPMIPOOL_BRIDGE_H
#define IPMIPOOL_BRIDGE_H

#include <stdint.h>

#include "ipmimsg.h"

#define BRIDGE_TRACK  0x40
#define BRIDGE_BUFLEN (2 * (IPMIMSG_MIN_LEN + 1) + IPMIMSG_MAX_DATA)

struct bridge_path {
	uint8_t depth; /* 0 = not bridged, 1 = single, 2 = double */
	uint8_t channel;
	uint8_t addr;
	uint8_t transit_channel;
	uint8_t transit_addr;
};

/* Result of bridge_unwrap besides errors. */
enum bridge_result {
	BRIDGE_FINAL = 0,   /* *out is the answer (possibly a Send Message error) */
	BRIDGE_PENDING = 1, /* Send Message accepted; the answer comes separately */
};

/*
 * Builds the LAN request for the BMC that carries req (netfn, dst_lun, cmd,
 * data, seq) to the target.  buf (BRIDGE_BUFLEN) holds the Send Message
 * data that outer->data points at.
 */
int bridge_wrap(const struct bridge_path *p, const struct ipmimsg *req, uint8_t *buf, size_t cap,
                struct ipmimsg *outer);

/*
 * Interprets rsp, a message from the BMC answering the bridged req.  On
 * BRIDGE_FINAL *out is the target's response (or the Send Message response
 * when the BMC could not deliver: completion code != 0).  Data may point
 * into rsp's data.
 */
int bridge_unwrap(const struct bridge_path *p, const struct ipmimsg *req, const struct ipmimsg *rsp,
                  struct ipmimsg *out);

/* True when rsp could belong to the bridged request req sent with seq. */
bool bridge_matches(const struct ipmimsg *req, const struct ipmimsg *rsp);

#endif
