/*
 * lanmsg.h - an IPMI message inside an established RMCP+ session: framing
 * (ipmimsg) plus sealing/opening (lanplus) in one call each.
 */
#ifndef IPMIPOOL_LANMSG_H
#define IPMIPOOL_LANMSG_H

#include "ipmimsg.h"
#include "lanplus.h"

/* Seals m as an IPMI payload; returns the packet length. */
int lanmsg_seal(struct lanplus_sess *s, const struct ipmimsg *m, const struct rng *rng,
                uint8_t *out, size_t cap, uint32_t *seq_out);

/*
 * Opens a session packet that must carry an IPMI payload and decodes it.
 * buf (cap bytes, at least IPMIMSG_MAX_LEN + 32) receives the plaintext;
 * out->data points into it.
 */
int lanmsg_open(struct lanplus_sess *s, const uint8_t *pkt, size_t len, uint8_t *buf, size_t cap,
                struct ipmimsg *out);

#endif
