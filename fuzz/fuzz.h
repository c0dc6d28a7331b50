/*
 * fuzz.h - shared pieces of the libFuzzer harnesses: the entry point
 * prototype, a scripted deterministic rng and the state of the captured
 * handshakes in tests/vectors (suites 3 and 17), rebuilt in memory by
 * running the console and the BMC side of the RAKP exchange against each
 * other.  The randoms and session ids are the captured ones, so the keys
 * equal the vectors' and every captured packet verifies: the seed corpus
 * reaches past the AuthCode and the RAKP codes.
 */
#ifndef IPMIPOOL_FUZZ_H
#define IPMIPOOL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "lanplus.h"
#include "rakp.h"
#include "rng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The captured sessions: 0 = suite 3 (SHA-1, AES), 1 = suite 17 (SHA-256, AES). */
#define FUZZ_NVEC 2

struct fuzz_vec {
	uint8_t suite;
	uint32_t console_sid;
	uint32_t bmc_sid;
	uint8_t rm[RAKP_RAND_LEN];
	uint8_t rc[RAKP_RAND_LEN];
	uint8_t guid[RAKP_GUID_LEN];
	uint8_t role; /* RAKP1 role byte: ADMINISTRATOR | name-only */
	const char *user;
	const char *pass;
};

const struct fuzz_vec *fuzz_vec_get(unsigned idx);
void fuzz_vec_creds(const struct fuzz_vec *v, struct rakp_creds *c);

/*
 * Every intermediate state of the in-memory handshake, for harnesses that
 * start in the middle.  Tags are 0 throughout, like ipmitool.  Shallow
 * copies of the sessions share OpenSSL contexts, which are re-initialised
 * per use: copy freely, never clear a copy.
 */
struct fuzz_hs {
	const struct fuzz_vec *v;
	struct rakp_open_req open_req; /* what the console sent */
	struct rakp_hs c_open;         /* console: after rakp_client_open */
	struct rakp_msg1 msg1;         /* console: RAKP1 sent */
	struct rakp_hs c_rakp2;        /* console: RAKP2 verified, keys derived */
	struct rakp_msg3 msg3;         /* console: RAKP3 sent */
	struct rakp_hs s_open;         /* BMC: after Open Session (Rc, GUID set) */
	struct rakp_hs s_rakp2;        /* BMC: RAKP2 sent, keys derived */
	struct lanplus_sess console;   /* established, console side */
	struct lanplus_sess bmc;       /* established, BMC side */
};

/* The handshake for vector idx % FUZZ_NVEC, built on first use; aborts on failure. */
const struct fuzz_hs *fuzz_hs_get(unsigned idx);

/*
 * Scripted rng: hands out script[0..len) once, then a counter stream
 * (byte i = seed + 31 * i), so that Rm/Rc can be the captured values.
 */
struct fuzz_rng {
	const uint8_t *script;
	size_t len;
	size_t pos;
	uint32_t ctr;
};

struct rng fuzz_rng_make(struct fuzz_rng *f, const uint8_t *script, size_t len, uint32_t seed);

/* Little-endian helpers for input parsing. */
static inline uint32_t
fuzz_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Aborts (a crash for the fuzzer) with a message when an invariant fails. */
void fuzz_assert_fail(const char *expr, const char *file, int line);
#define FUZZ_ASSERT(e) ((e) ? (void)0 : fuzz_assert_fail(#e, __FILE__, __LINE__))

#endif
