/*
 * rakp.h - RMCP+ session establishment: Open Session and RAKP messages 1-4
 * (IPMI v2.0 sections 13.17-13.33), for both the console and the BMC side.
 *
 * Encoders and decoders for the six payloads, plus the key-exchange
 * computations: RAKP2 and RAKP3 codes, SIK, K1/K2 and the RAKP4 integrity
 * check value.  Credentials and derived keys live in fixed arrays and are
 * wiped by rakp_hs_clear().  Pure: no I/O, randomness comes from the caller.
 */
#ifndef IPMIPOOL_RAKP_H
#define IPMIPOOL_RAKP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csuite.h"
#include "wire.h"

#define RAKP_USER_MAX       16
#define RAKP_PASS_MAX       20
#define RAKP_KG_MAX         20
#define RAKP_RAND_LEN       16
#define RAKP_GUID_LEN       16
#define RAKP_CODE_MAX       32
#define RAKP_KEY_MAX        32
#define RAKP_ROLE_NAME_ONLY 0x10 /* name-only lookup bit in RAKP1's role byte */

/* Payload types of the session set-up messages. */
#define RAKP_PT_OPEN_REQ 0x10
#define RAKP_PT_OPEN_RSP 0x11
#define RAKP_PT_RAKP1    0x12
#define RAKP_PT_RAKP2    0x13
#define RAKP_PT_RAKP3    0x14
#define RAKP_PT_RAKP4    0x15

/* RMCP+ status codes (IPMI v2.0 table 13-15). */
#define RAKP_ST_OK                0x00
#define RAKP_ST_NO_RESOURCES      0x01
#define RAKP_ST_INVALID_SID       0x02
#define RAKP_ST_INVALID_PAYLOAD   0x03
#define RAKP_ST_INVALID_AUTH      0x04
#define RAKP_ST_INVALID_INTEG     0x05
#define RAKP_ST_NO_MATCH_AUTH     0x06
#define RAKP_ST_NO_MATCH_INTEG    0x07
#define RAKP_ST_INACTIVE_SID      0x08
#define RAKP_ST_INVALID_ROLE      0x09
#define RAKP_ST_UNAUTH_ROLE       0x0a
#define RAKP_ST_NO_RESOURCES_ROLE 0x0b
#define RAKP_ST_INVALID_NAME_LEN  0x0c
#define RAKP_ST_UNAUTH_NAME       0x0d
#define RAKP_ST_UNAUTH_GUID       0x0e
#define RAKP_ST_INVALID_ICV       0x0f
#define RAKP_ST_INVALID_CONF      0x10
#define RAKP_ST_NO_CIPHER_SUITE   0x11
#define RAKP_ST_ILLEGAL_PARAM     0x12

/* True for the statuses that refuse the proposed algorithms. */
#define RAKP_ST_IS_SUITE_REFUSAL(st)                                                               \
	((st) == RAKP_ST_INVALID_AUTH || (st) == RAKP_ST_INVALID_INTEG ||                          \
	 (st) == RAKP_ST_NO_MATCH_AUTH || (st) == RAKP_ST_NO_MATCH_INTEG ||                        \
	 (st) == RAKP_ST_INVALID_CONF || (st) == RAKP_ST_NO_CIPHER_SUITE)

struct rakp_creds {
	uint8_t user[RAKP_USER_MAX];
	uint8_t user_len;
	uint8_t kuid[RAKP_PASS_MAX]; /* password, zero padded */
	uint8_t kuid_len;            /* the password's own length */
	uint8_t kg[RAKP_KG_MAX];     /* BMC key; equals kuid when none set */
	bool has_kg;
};

struct rakp_open_req {
	uint8_t tag;
	uint8_t priv; /* requested maximum privilege, 0 = highest available */
	uint32_t console_sid;
	uint8_t auth, integ, conf;
};

struct rakp_open_rsp {
	uint8_t tag;
	uint8_t status;
	uint8_t priv;
	uint32_t console_sid;
	uint32_t bmc_sid;
	uint8_t auth, integ, conf;
};

struct rakp_msg1 {
	uint8_t tag;
	uint32_t bmc_sid;
	uint8_t rm[RAKP_RAND_LEN];
	uint8_t role; /* privilege level plus RAKP_ROLE_NAME_ONLY */
	uint8_t user_len;
	uint8_t user[RAKP_USER_MAX];
};

/* RAKP2, 3 and 4 share one shape: tag, status, session id, then fields. */
struct rakp_msg2 {
	uint8_t tag;
	uint8_t status;
	uint32_t console_sid;
	uint8_t rc[RAKP_RAND_LEN];
	uint8_t guid[RAKP_GUID_LEN];
	uint8_t code[RAKP_CODE_MAX];
	uint8_t code_len;
};

struct rakp_msg3 {
	uint8_t tag;
	uint8_t status;
	uint32_t bmc_sid;
	uint8_t code[RAKP_CODE_MAX];
	uint8_t code_len;
};

struct rakp_msg4 {
	uint8_t tag;
	uint8_t status;
	uint32_t console_sid;
	uint8_t icv[RAKP_CODE_MAX];
	uint8_t icv_len;
};

/* One handshake's state, the same on both sides.  Wipe with rakp_hs_clear. */
struct rakp_hs {
	const struct csuite *cs;
	struct rakp_creds creds;
	uint32_t console_sid;
	uint32_t bmc_sid;
	uint8_t rm[RAKP_RAND_LEN];
	uint8_t rc[RAKP_RAND_LEN];
	uint8_t guid[RAKP_GUID_LEN];
	uint8_t role;
	uint8_t sik[RAKP_KEY_MAX];
	uint8_t k1[RAKP_KEY_MAX];
	uint8_t k2[RAKP_KEY_MAX];
	uint8_t key_len; /* length of SIK, K1 and K2 (hash length) */
};

/* Fills creds; user <= 16 bytes, password <= 20, kg (raw bytes) <= 20 or NULL. */
int rakp_creds_set(struct rakp_creds *c, const char *user, const uint8_t *pass, size_t pass_len,
                   const uint8_t *kg, size_t kg_len);
void rakp_creds_clear(struct rakp_creds *c);
void rakp_hs_clear(struct rakp_hs *hs);

/* Codecs.  Encoders append the payload to w and return its length. */
int rakp_encode_open_req(const struct rakp_open_req *m, struct wire_wr *w);
int rakp_decode_open_req(const uint8_t *p, size_t len, struct rakp_open_req *out);
int rakp_encode_open_rsp(const struct rakp_open_rsp *m, struct wire_wr *w);
int rakp_decode_open_rsp(const uint8_t *p, size_t len, struct rakp_open_rsp *out);
int rakp_encode_msg1(const struct rakp_msg1 *m, struct wire_wr *w);
int rakp_decode_msg1(const uint8_t *p, size_t len, struct rakp_msg1 *out);
int rakp_encode_msg2(const struct rakp_msg2 *m, struct wire_wr *w);
int rakp_decode_msg2(const uint8_t *p, size_t len, struct rakp_msg2 *out);
int rakp_encode_msg3(const struct rakp_msg3 *m, struct wire_wr *w);
int rakp_decode_msg3(const uint8_t *p, size_t len, struct rakp_msg3 *out);
int rakp_encode_msg4(const struct rakp_msg4 *m, struct wire_wr *w);
int rakp_decode_msg4(const uint8_t *p, size_t len, struct rakp_msg4 *out);

/* Key exchange computations over hs (13.31, 13.32); return lengths. */
int rakp_rakp2_code(const struct rakp_hs *hs, uint8_t out[RAKP_CODE_MAX]);
int rakp_rakp3_code(const struct rakp_hs *hs, uint8_t out[RAKP_CODE_MAX]);
int rakp_derive_keys(struct rakp_hs *hs);
int rakp_rakp4_icv(const struct rakp_hs *hs, uint8_t out[RAKP_CODE_MAX]);

/*
 * Console side.  Each check returns 0 or a negative error and fills hs on
 * success.  The Open Session check refuses algorithms that were not the
 * ones proposed (IPMI_E_DOWNGRADE).  rakp2 verifies the BMC's key exchange
 * code and derives SIK/K1/K2; rakp4 verifies the integrity check value.
 */
int rakp_client_open(struct rakp_hs *hs, const struct rakp_open_req *sent,
                     const struct rakp_open_rsp *got);
int rakp_client_rakp2(struct rakp_hs *hs, const struct rakp_msg1 *sent,
                      const struct rakp_msg2 *got);
int rakp_client_rakp3(const struct rakp_hs *hs, uint8_t tag, struct rakp_msg3 *out);
int rakp_client_rakp4(const struct rakp_hs *hs, const struct rakp_msg3 *sent,
                      const struct rakp_msg4 *got);

/* BMC side (used by the test responder). */
int rakp_server_rakp2(struct rakp_hs *hs, const struct rakp_msg1 *got, struct rakp_msg2 *out);
int rakp_server_rakp3(struct rakp_hs *hs, const struct rakp_msg3 *got);
int rakp_server_rakp4(const struct rakp_hs *hs, uint8_t tag, struct rakp_msg4 *out);

#endif
