/*
 * crypto.c - HMAC, MD5 and AES-CBC through OpenSSL 3 EVP interfaces.
 *
 * Owns the OpenSSL objects behind struct crypto_mac and crypto_aes.  No
 * deprecated one-shot APIs; keys live only inside OpenSSL contexts, which
 * wipe them on free.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto.h"
#include "ipmierr.h"

struct crypto_mac {
	EVP_MAC_CTX *ctx;
	size_t len;
};

struct crypto_aes {
	EVP_CIPHER_CTX *enc, *dec; /* AES-128-ECB, keyed once: CBC is chained here */
};

static const char *
crypto_digest_name(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_SHA1:
		return "SHA1";
	case CRYPTO_MD5:
		return "MD5";
	case CRYPTO_SHA256:
		return "SHA256";
	}
	return NULL;
}

size_t
crypto_hash_len(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_SHA1:
		return 20;
	case CRYPTO_MD5:
		return 16;
	case CRYPTO_SHA256:
		return 32;
	}
	return 0;
}

struct crypto_mac *
crypto_mac_new(enum crypto_hash h, const uint8_t *key, size_t keylen)
{
	struct crypto_mac *m;
	EVP_MAC *mac;
	OSSL_PARAM params[2];
	const char *dname = crypto_digest_name(h);
	char name[8]; /* OSSL_PARAM wants a mutable string */

	if (dname == NULL || strlen(dname) >= sizeof(name) || (m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	memcpy(name, dname, strlen(dname) + 1);
	m->len = crypto_hash_len(h);
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (mac != NULL)
		m->ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (m->ctx == NULL || EVP_MAC_init(m->ctx, key, keylen, params) != 1) {
		crypto_mac_free(m);
		return NULL;
	}
	return m;
}

void
crypto_mac_free(struct crypto_mac *m)
{
	if (m == NULL)
		return;
	EVP_MAC_CTX_free(m->ctx);
	free(m);
}

int
crypto_mac_sum(struct crypto_mac *m, const struct crypto_iov *iov, size_t n, uint8_t *out)
{
	size_t outl = 0;

	/* A NULL key re-initialises with the key set in crypto_mac_new(). */
	if (EVP_MAC_init(m->ctx, NULL, 0, NULL) != 1)
		return IPMI_E_CRYPTO;
	for (size_t i = 0; i < n; i++)
		if (iov[i].len > 0 && EVP_MAC_update(m->ctx, iov[i].p, iov[i].len) != 1)
			return IPMI_E_CRYPTO;
	if (EVP_MAC_final(m->ctx, out, &outl, CRYPTO_MAX_MD) != 1 || outl != m->len)
		return IPMI_E_CRYPTO;
	return (int)outl;
}

int
crypto_hmac(enum crypto_hash h, const uint8_t *key, size_t keylen, const struct crypto_iov *iov,
            size_t n, uint8_t *out)
{
	struct crypto_mac *m = crypto_mac_new(h, key, keylen);
	int rc;

	if (m == NULL)
		return IPMI_E_CRYPTO;
	rc = crypto_mac_sum(m, iov, n, out);
	crypto_mac_free(m);
	return rc;
}

int
crypto_md5(const struct crypto_iov *iov, size_t n, uint8_t out[16])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int outl = 0;
	int rc = IPMI_E_CRYPTO;

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (iov[i].len > 0 && EVP_DigestUpdate(ctx, iov[i].p, iov[i].len) != 1)
			goto out;
	if (EVP_DigestFinal_ex(ctx, out, &outl) == 1 && outl == 16)
		rc = 16;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

static EVP_CIPHER_CTX *
crypto_aes_ctx(const uint8_t key[16], int enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (ctx != NULL && (EVP_CipherInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL, enc) != 1 ||
	                    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1)) {
		EVP_CIPHER_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

struct crypto_aes *
crypto_aes_new(const uint8_t key[16])
{
	struct crypto_aes *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->enc = crypto_aes_ctx(key, 1);
	a->dec = crypto_aes_ctx(key, 0);
	if (a->enc == NULL || a->dec == NULL) {
		crypto_aes_free(a);
		return NULL;
	}
	return a;
}

void
crypto_aes_free(struct crypto_aes *a)
{
	if (a == NULL)
		return;
	EVP_CIPHER_CTX_free(a->enc); /* wipes the key schedule */
	EVP_CIPHER_CTX_free(a->dec);
	free(a);
}

static void
crypto_xor16(uint8_t *dst, const uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < 16; i++)
		dst[i] = a[i] ^ b[i];
}

/*
 * CBC over the keyed ECB contexts, one block per EVP call.  Starting a new
 * IV on a CBC context (EVP_CipherInit_ex) goes through OpenSSL 3's provider
 * parameter lookups on every packet and cost more than the cipher itself;
 * the chaining is only an XOR.  in and out may be the same buffer.
 */
int
crypto_aes_encrypt(struct crypto_aes *a, const uint8_t iv[16], const uint8_t *in, size_t len,
                   uint8_t *out)
{
	const uint8_t *prev = iv;
	uint8_t x[16]; /* plaintext block ^ previous: wiped */
	int n, rc = (int)len;

	if (len % 16 != 0 || len > INT_MAX)
		return IPMI_E_ARG;
	for (size_t off = 0; off < len; off += 16) {
		crypto_xor16(x, in + off, prev);
		if (EVP_EncryptUpdate(a->enc, out + off, &n, x, 16) != 1 || n != 16) {
			rc = IPMI_E_CRYPTO;
			break;
		}
		prev = out + off;
	}
	OPENSSL_cleanse(x, sizeof(x));
	return rc;
}

int
crypto_aes_decrypt(struct crypto_aes *a, const uint8_t iv[16], const uint8_t *in, size_t len,
                   uint8_t *out)
{
	uint8_t prev[16], c[16];
	int n;

	if (len % 16 != 0 || len > INT_MAX)
		return IPMI_E_ARG;
	memcpy(prev, iv, 16);
	for (size_t off = 0; off < len; off += 16) {
		memcpy(c, in + off, 16); /* kept: out may overwrite in */
		if (EVP_DecryptUpdate(a->dec, out + off, &n, c, 16) != 1 || n != 16)
			return IPMI_E_CRYPTO;
		crypto_xor16(out + off, out + off, prev);
		memcpy(prev, c, 16);
	}
	return (int)len;
}

int
crypto_memcmp(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len);
}

void
crypto_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}
