/*
 * crypto.h - the only door to OpenSSL 3: keyed HMAC contexts, MD5 and
 * AES-CBC-128 without padding.
 *
 * A struct crypto_mac is keyed once and reused for every message of a
 * session (EVP_MAC context set-up costs more than the MAC itself).  Inputs
 * are gathered from several pieces without copying them together.
 */
#ifndef IPMIPOOL_CRYPTO_H
#define IPMIPOOL_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

enum crypto_hash {
	CRYPTO_SHA1,
	CRYPTO_MD5,
	CRYPTO_SHA256,
};

#define CRYPTO_MAX_MD 32

struct crypto_iov {
	const void *p;
	size_t len;
};

struct crypto_mac;
struct crypto_aes;

size_t crypto_hash_len(enum crypto_hash h);

/* A reusable HMAC keyed with key; NULL on failure.  Caller frees. */
struct crypto_mac *crypto_mac_new(enum crypto_hash h, const uint8_t *key, size_t keylen);
void crypto_mac_free(struct crypto_mac *m);
/* Full-length HMAC of the concatenated pieces into out (CRYPTO_MAX_MD). */
int crypto_mac_sum(struct crypto_mac *m, const struct crypto_iov *iov, size_t n, uint8_t *out);

/* One-shot HMAC, for the handful of MACs in a handshake. */
int crypto_hmac(enum crypto_hash h, const uint8_t *key, size_t keylen, const struct crypto_iov *iov,
                size_t n, uint8_t *out);

/* Plain MD5 of the concatenated pieces (the MD5-128 integrity algorithm). */
int crypto_md5(const struct crypto_iov *iov, size_t n, uint8_t out[16]);

/* AES-128-CBC, no padding; len must be a multiple of 16.  Caller frees. */
struct crypto_aes *crypto_aes_new(const uint8_t key[16]);
void crypto_aes_free(struct crypto_aes *a);
int crypto_aes_encrypt(struct crypto_aes *a, const uint8_t iv[16], const uint8_t *in, size_t len,
                       uint8_t *out);
int crypto_aes_decrypt(struct crypto_aes *a, const uint8_t iv[16], const uint8_t *in, size_t len,
                       uint8_t *out);

/* Constant-time comparison: 0 when equal. */
int crypto_memcmp(const void *a, const void *b, size_t len);
/* Wipe that the compiler cannot elide. */
void crypto_wipe(void *p, size_t len);

#endif
