/*
 * rmcp.h - the RMCP header and ASF presence ping/pong (DMTF DSP0136).
 *
 * Every IPMI-over-LAN datagram starts with the 4-byte RMCP header; class
 * 07h carries IPMI, 06h ASF.  Pure encode/decode.
 */
#ifndef IPMIPOOL_RMCP_H
#define IPMIPOOL_RMCP_H

#include <stdbool.h>
#include <stdint.h>

#include "wire.h"

#define RMCP_VERSION    0x06
#define RMCP_SEQ_NOACK  0xff
#define RMCP_CLASS_ASF  0x06
#define RMCP_CLASS_IPMI 0x07
#define RMCP_HDR_LEN    4
#define RMCP_PORT       623

#define ASF_IANA          4542
#define ASF_TYPE_PING     0x80
#define ASF_TYPE_PONG     0x40
#define ASF_PONG_IPMI_BIT 0x80

void rmcp_put_header(struct wire_wr *w, uint8_t msg_class);
/* Reads and checks the header; returns the class or a negative error. */
int rmcp_get_header(struct wire_rd *r);
/* The class of a datagram without consuming it (negative if not RMCP). */
int rmcp_class(const uint8_t *pkt, size_t len);

int asf_encode_ping(uint8_t tag, uint8_t *out, size_t cap);
int asf_encode_pong(uint8_t tag, uint8_t *out, size_t cap);

struct asf_msg {
	uint8_t type; /* ASF_TYPE_PING or ASF_TYPE_PONG */
	uint8_t tag;
	bool ipmi_supported; /* pong only */
};

int asf_decode(const uint8_t *pkt, size_t len, struct asf_msg *out);

#endif
