/*
 * lanplus.h - the RMCP+ (IPMI v2.0) session wrapper (section 13.6): session
 * header, confidentiality (AES-CBC-128 with its pad), integrity trailer
 * (pad, pad length, next header, AuthCode), and per-direction sequence
 * numbers.
 *
 * A struct lanplus_sess holds one established session's keyed crypto
 * contexts and counters; it is the same object on the console and the BMC
 * side (only which id goes out and which comes in differs).  Pure: the
 * IV comes from the caller's struct rng.
 */
#ifndef IPMIPOOL_LANPLUS_H
#define IPMIPOOL_LANPLUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "csuite.h"
#include "rakp.h"
#include "rng.h"
#include "seqwin.h"

#define LANPLUS_AUTHTYPE     0x06
#define LANPLUS_PT_IPMI      0x00
#define LANPLUS_PT_SOL       0x01
#define LANPLUS_PT_ENCRYPTED 0x80
#define LANPLUS_PT_AUTH      0x40
#define LANPLUS_HDR_LEN      (4 + 12) /* RMCP header + session header */
#define LANPLUS_NEXT_HEADER  0x07
/* Room for header, IV, a full payload, pads and the largest AuthCode. */
#define LANPLUS_MAX_PKT (LANPLUS_HDR_LEN + 16 + 512 + 32 + 3 + 16)

/* What the session header says, before anything is verified. */
struct lanplus_hdr {
	uint8_t payload_type; /* without the flag bits */
	bool encrypted;
	bool authenticated;
	uint32_t session_id;
	uint32_t seq;
	uint16_t payload_len;
};

struct lanplus_sess {
	const struct csuite *cs;
	uint32_t tx_sid; /* the peer's id: goes into packets we send */
	uint32_t rx_sid; /* our id: expected in packets we receive */
	uint32_t tx_seq; /* last sequence number sent */
	struct seqwin rx_win;
	struct crypto_mac *integ;    /* keyed with K1 (HMAC integrity), or NULL */
	struct crypto_aes *aes;      /* keyed with K2[0..15], or NULL */
	uint8_t kuid[RAKP_PASS_MAX]; /* MD5-128 integrity only */
};

/*
 * Parses the RMCP and session headers of any IPMI v2.0 datagram.  Returns
 * 0, or IPMI_E_PAYLOAD when it is not an RMCP+ packet (e.g. IPMI v1.5 or
 * ASF), or a truncation/malformation error.
 */
int lanplus_parse_header(const uint8_t *pkt, size_t len, struct lanplus_hdr *out);

/* Session set-up packets (session id 0, sequence 0, no security). */
int lanplus_encode_setup(uint8_t payload_type, const uint8_t *payload, size_t len, uint8_t *out,
                         size_t cap);
int lanplus_decode_setup(const uint8_t *pkt, size_t len, uint8_t *payload_type,
                         const uint8_t **payload, size_t *payload_len);

/*
 * Builds the session from a completed handshake.  console is true on the
 * console side (we send with the BMC's id).  Keys are copied into OpenSSL
 * contexts; hs may be wiped afterwards.  lanplus_sess_clear() frees and
 * wipes; it is safe on a zeroed or half-built session.
 */
int lanplus_sess_init(struct lanplus_sess *s, const struct rakp_hs *hs, bool console);
void lanplus_sess_clear(struct lanplus_sess *s);

/*
 * Wraps payload in a session packet with the next outbound sequence number:
 * encrypted and authenticated as the suite requires.  Returns the packet
 * length.  *seq_out (if not NULL) receives the sequence number used.
 */
int lanplus_seal(struct lanplus_sess *s, uint8_t payload_type, const uint8_t *payload, size_t len,
                 const struct rng *rng, uint8_t *out, size_t cap, uint32_t *seq_out);

/*
 * Verifies and unwraps a session packet: session id, AuthCode (constant
 * time), sequence window, decryption and pads; the window is updated only
 * when everything holds.  The payload is written to out (cap bytes);
 * returns its length.
 */
int lanplus_open(struct lanplus_sess *s, const uint8_t *pkt, size_t len, uint8_t *payload_type,
                 uint8_t *out, size_t cap);

#endif
