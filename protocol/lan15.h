/*
 * lan15.h - the IPMI v1.5 session wrapper, as used before any session
 * exists (authentication type none, session id 0): Get Channel
 * Authentication Capabilities travels this way.
 */
#ifndef IPMIPOOL_LAN15_H
#define IPMIPOOL_LAN15_H

#include <stddef.h>
#include <stdint.h>

#define LAN15_AUTH_NONE 0x00

/* Wraps an IPMI message (already framed by ipmimsg) in RMCP + v1.5 header. */
int lan15_encode(const uint8_t *msg, size_t len, uint8_t *out, size_t cap);
/*
 * Unwraps a v1.5 datagram; *msg points into pkt.  Authenticated v1.5
 * packets (auth type != none) are skipped over but not verified: this
 * module only serves the pre-session exchange.
 */
int lan15_decode(const uint8_t *pkt, size_t len, const uint8_t **msg, size_t *msg_len);

#endif
