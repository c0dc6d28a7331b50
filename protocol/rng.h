/*
 * rng.h - an injectable source of random bytes.
 *
 * The protocol core never picks randomness itself: callers pass a struct
 * rng.  rng_system draws from OpenSSL's CSPRNG; tests pass a deterministic
 * one so that packets can be compared byte for byte.
 */
#ifndef IPMIPOOL_RNG_H
#define IPMIPOOL_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	/* Fills buf with n bytes; returns 0 or a negative error. */
	int (*fill)(void *arg, uint8_t *buf, size_t n);
	void *arg;
};

extern const struct rng rng_system;

/*
 * A buffer of system randomness for callers that draw a few bytes per packet
 * (AES IVs): one RAND_bytes call per RNG_BUFFER_SIZE bytes instead of one
 * (with its fork check) per draw.  Bytes handed out are wiped from the
 * buffer.  Owned by the caller; rng_buffer_wipe() before freeing it.  Not to
 * be shared across fork().
 */
#define RNG_BUFFER_SIZE 4096

struct rng_buffer {
	uint8_t bytes[RNG_BUFFER_SIZE];
	size_t left; /* unused bytes at the end of bytes[] */
};

/* A struct rng drawing from buf (which must outlive it). */
struct rng rng_buffered(struct rng_buffer *buf);
void rng_buffer_wipe(struct rng_buffer *buf);

static inline int
rng_fill(const struct rng *r, uint8_t *buf, size_t n)
{
	return r->fill(r->arg, buf, n);
}

#endif
