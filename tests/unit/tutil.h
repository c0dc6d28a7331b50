/*
 * tutil.h - shared helpers for the protocol core's unit tests: hex, a
 * deterministic struct rng, the captured RMCP+ vectors (tests/vectors, found
 * through $IPMIPOOL_VECTORS), an in-memory console<->BMC handshake and an
 * independent reference implementation of the RMCP+ session packet (OpenSSL
 * directly, not protocol/) for crafting packets the core would never build.
 */
#ifndef IPMIPOOL_TUTIL_H
#define IPMIPOOL_TUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include "csuite.h"
#include "rakp.h"
#include "rng.h"

/* ---- hex ---- */

/* Decodes hex (spaces allowed) into out; returns the byte count (asserts). */
size_t tu_hex(const char *hex, uint8_t *out, size_t cap);

/* ---- deterministic rng ---- */

/* Hands out buf[0..len) again and again (len > 0); counts calls and bytes. */
struct tu_rng {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	size_t calls;
	size_t bytes;
	int fail; /* when non-zero, fill returns it */
};

struct rng tu_rng_make(struct tu_rng *t);

/* A counter rng: byte i of the stream is (seed + i) * 37 (mod 256). */
struct tu_ctr {
	uint32_t seed;
	uint32_t i;
};

struct rng tu_ctr_make(struct tu_ctr *c, uint32_t seed);

/* ---- captured vectors ---- */

enum tu_kind {
	TU_V15,     /* IPMI v1.5 pre-session packet */
	TU_SETUP,   /* Open Session / RAKP (session id 0) */
	TU_SESSION, /* in-session IPMI message */
};

#define TU_MAX_PKTS 32
#define TU_MAX_PKT  256

struct tu_pkt {
	bool to_bmc; /* console->bmc */
	enum tu_kind kind;
	uint8_t setup_pt; /* TU_SETUP: RAKP_PT_* */
	uint8_t b[TU_MAX_PKT];
	size_t len;
	/* TU_SESSION only: */
	uint32_t seq;
	bool has_iv;
	uint8_t iv[16];
	int pad_len;             /* integrity pad length, -1 when no trailer */
	uint8_t msg[TU_MAX_PKT]; /* the decoded IPMI message */
	size_t msg_len;
};

struct tu_vec {
	int suite;
	char user[RAKP_USER_MAX + 1];
	char pass[RAKP_PASS_MAX + 1];
	int priv;
	struct tu_pkt pkt[TU_MAX_PKTS];
	size_t npkt;
	uint32_t console_sid, bmc_sid;
	uint8_t rm[16], rc[16], guid[16];
	uint8_t role;
	uint8_t sik[32], k1[32], k2[32];
	size_t key_len;
	uint8_t out[64]; /* client_stdout */
	size_t out_len;
};

/* The suites with a captured vector, for loop tests. */
extern const int tu_vec_suites[];
extern const size_t tu_vec_nsuites;

/* Loads tests/vectors/suite<N>-admin.json (asserts on any problem). */
void tu_vec_load(int suite, struct tu_vec *v);

/* The (only) set-up packet of the given RAKP_PT_* type. */
const struct tu_pkt *tu_vec_setup(const struct tu_vec *v, uint8_t pt);

/* Its payload (after the 16-byte RMCP+ header), via lanplus_decode_setup. */
void tu_setup_payload(const struct tu_pkt *p, const uint8_t **pl, size_t *len);

/* ---- in-memory handshake ---- */

/*
 * Runs Open Session and RAKP 1-4 between a console and a BMC hs through the
 * encoders and decoders, asserting every step; kg_con / kg_bmc may be NULL.
 */
/*
 * Returns 0, or the first error of a check function (rakp_client_open,
 * rakp_client_rakp2, rakp_server_rakp3, rakp_client_rakp4).
 */
int tu_handshake(int suite, const char *user, const char *pass, const char *kg_con,
                 const char *kg_bmc, struct rakp_hs *con, struct rakp_hs *bmc);

/* Field-by-field equality asserts (struct padding is unspecified). */
void tu_eq_open_req(const struct rakp_open_req *a, const struct rakp_open_req *b);
void tu_eq_open_rsp(const struct rakp_open_rsp *a, const struct rakp_open_rsp *b);
void tu_eq_msg1(const struct rakp_msg1 *a, const struct rakp_msg1 *b);
void tu_eq_msg2(const struct rakp_msg2 *a, const struct rakp_msg2 *b);
void tu_eq_msg3(const struct rakp_msg3 *a, const struct rakp_msg3 *b);
void tu_eq_msg4(const struct rakp_msg4 *a, const struct rakp_msg4 *b);

/* ---- reference session packet ---- */

struct tu_ref {
	const struct csuite *cs;
	const uint8_t *k1; /* key_len bytes */
	size_t key_len;
	const uint8_t *k2;   /* 16 bytes used */
	const uint8_t *kuid; /* 20 bytes (MD5-128) */
	uint32_t sid;
	uint32_t seq;
	uint8_t type;      /* payload type (flag bits added per suite) */
	const uint8_t *iv; /* 16 bytes when encrypting */
	/* Deliberate damage, applied before the AuthCode is computed: */
	int conf_pad_bad;   /* XOR into the first confidentiality pad byte */
	int conf_padlen;    /* -1: minimal; else forced pad length byte value */
	int integ_pad_byte; /* -1: FFh; else the byte used for the integrity pad */
	int next_header;    /* -1: 07h */
	int integ_pad_len;  /* -1: minimal; else forced integrity pad length */
};

/* A tu_ref for hs's suite and keys, as the given side would send. */
struct tu_ref tu_ref_from_hs(const struct rakp_hs *hs, bool console);

/* Builds a packet independently of lanplus.c; returns its length. */
size_t tu_ref_seal(const struct tu_ref *r, const uint8_t *payload, size_t len, uint8_t *out,
                   size_t cap);

/* Appends a Check test case with a longer timeout (crypto loops, ASan). */
TCase *tu_tcase(Suite *s, const char *name);

/* Runs the suite (CK_ENV); returns the process exit status. */
int tu_run(Suite *s);

#endif
