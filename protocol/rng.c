/*
 * rng.c - the system random source (OpenSSL RAND_bytes).
 */
#include <limits.h>

#include <openssl/rand.h>

#include "ipmierr.h"
#include "rng.h"

static int
rng_system_fill(void *arg, uint8_t *buf, size_t n)
{
	(void)arg;
	if (n > INT_MAX || RAND_bytes(buf, (int)n) != 1)
		return IPMI_E_CRYPTO;
	return 0;
}

const struct rng rng_system = { rng_system_fill, NULL };
