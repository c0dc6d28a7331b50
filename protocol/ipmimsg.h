/*
 * ipmimsg.h - IPMI LAN/IPMB messages: the framed request or response with
 * its two checksums (IPMI v2.0 section 13.8).
 *
 * A message on the wire is
 *   dst addr | netFn<<2 | dst LUN | chk1 | src addr | seq<<2 | src LUN | cmd | data | chk2
 * For a request dst is the responder (rsSA) and src the requester; for a
 * response the other way round, and data starts with the completion code.
 */
#ifndef IPMIPOOL_IPMIMSG_H
#define IPMIPOOL_IPMIMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define IPMI_BMC_ADDR    0x20 /* the BMC's IPMB slave address */
#define IPMI_REMOTE_SWID 0x81 /* remote console software id */
#define IPMIMSG_MIN_LEN  7
#define IPMIMSG_MAX_DATA 255
#define IPMIMSG_MAX_LEN  (IPMIMSG_MIN_LEN + IPMIMSG_MAX_DATA)

/* Network functions (requests; responses are netfn | 1). */
#define IPMI_NETFN_CHASSIS   0x00
#define IPMI_NETFN_SENSOR    0x04
#define IPMI_NETFN_APP       0x06
#define IPMI_NETFN_STORAGE   0x0a
#define IPMI_NETFN_TRANSPORT 0x0c

/* Commands used by the session layer. */
#define IPMI_CMD_GET_DEVICE_ID         0x01
#define IPMI_CMD_GET_SYSTEM_GUID       0x37
#define IPMI_CMD_GET_CHANNEL_AUTH_CAPS 0x38
#define IPMI_CMD_SET_SESSION_PRIV      0x3b
#define IPMI_CMD_CLOSE_SESSION         0x3c
#define IPMI_CMD_SEND_MESSAGE          0x34
#define IPMI_CMD_GET_MESSAGE           0x33
#define IPMI_CMD_GET_CHANNEL_CIPHERS   0x54

/* Privilege levels. */
#define IPMI_PRIV_CALLBACK 1
#define IPMI_PRIV_USER     2
#define IPMI_PRIV_OPERATOR 3
#define IPMI_PRIV_ADMIN    4

struct ipmimsg {
	uint8_t dst_addr;
	uint8_t netfn;
	uint8_t dst_lun;
	uint8_t src_addr;
	uint8_t seq; /* 6 bits */
	uint8_t src_lun;
	uint8_t cmd;
	const uint8_t *data; /* borrowed; for responses data[0] is the completion code */
	size_t data_len;
};

static inline bool
ipmimsg_is_response(const struct ipmimsg *m)
{
	return (m->netfn & 1) != 0;
}

/* Two's-complement checksum: the bytes plus it sum to 0 mod 256. */
uint8_t ipmimsg_checksum(const uint8_t *p, size_t n);

/* Appends the framed message to w; returns its length or a negative error. */
int ipmimsg_encode(const struct ipmimsg *m, struct wire_wr *w);
/* Parses a whole message (both checksums verified); data points into buf. */
int ipmimsg_decode(const uint8_t *buf, size_t len, struct ipmimsg *out);

/* True when rsp answers req: swapped addresses, netfn+1, same seq and cmd. */
bool ipmimsg_matches(const struct ipmimsg *req, const struct ipmimsg *rsp);

/* A short English name for a completion code, or NULL if unknown. */
const char *ipmimsg_cc_str(uint8_t cc);

#endif
