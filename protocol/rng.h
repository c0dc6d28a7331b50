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

static inline int
rng_fill(const struct rng *r, uint8_t *buf, size_t n)
{
	return r->fill(r->arg, buf, n);
}

#endif
