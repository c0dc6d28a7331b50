/*
 * rng.c - the system random source (OpenSSL RAND_bytes), direct or through
 * a caller-owned buffer.
 */
#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
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

static int
rng_buffer_fill(void *arg, uint8_t *out, size_t n)
{
	struct rng_buffer *buf = arg;
	uint8_t *from;

	if (n > sizeof(buf->bytes) / 4)
		return rng_system_fill(NULL, out, n);
	if (buf->left < n) {
		if (RAND_bytes(buf->bytes, (int)sizeof(buf->bytes)) != 1)
			return IPMI_E_CRYPTO;
		buf->left = sizeof(buf->bytes);
	}
	from = buf->bytes + sizeof(buf->bytes) - buf->left;
	memcpy(out, from, n);
	OPENSSL_cleanse(from, n);
	buf->left -= n;
	return 0;
}

struct rng
rng_buffered(struct rng_buffer *buf)
{
	return (struct rng){ rng_buffer_fill, buf };
}

void
rng_buffer_wipe(struct rng_buffer *buf)
{
	OPENSSL_cleanse(buf->bytes, sizeof(buf->bytes));
	buf->left = 0;
}
