/*
 * csuite.c - the cipher suite table and algorithm properties.
 */
#include "csuite.h"

static const struct csuite csuite_table[] = {
	{ 0, CSUITE_AUTH_NONE, CSUITE_INTEG_NONE, CSUITE_CONF_NONE },
	{ 1, CSUITE_AUTH_HMAC_SHA1, CSUITE_INTEG_NONE, CSUITE_CONF_NONE },
	{ 2, CSUITE_AUTH_HMAC_SHA1, CSUITE_INTEG_HMAC_SHA1_96, CSUITE_CONF_NONE },
	{ 3, CSUITE_AUTH_HMAC_SHA1, CSUITE_INTEG_HMAC_SHA1_96, CSUITE_CONF_AES_CBC_128 },
	{ 6, CSUITE_AUTH_HMAC_MD5, CSUITE_INTEG_NONE, CSUITE_CONF_NONE },
	{ 7, CSUITE_AUTH_HMAC_MD5, CSUITE_INTEG_HMAC_MD5_128, CSUITE_CONF_NONE },
	{ 8, CSUITE_AUTH_HMAC_MD5, CSUITE_INTEG_HMAC_MD5_128, CSUITE_CONF_AES_CBC_128 },
	{ 11, CSUITE_AUTH_HMAC_MD5, CSUITE_INTEG_MD5_128, CSUITE_CONF_NONE },
	{ 12, CSUITE_AUTH_HMAC_MD5, CSUITE_INTEG_MD5_128, CSUITE_CONF_AES_CBC_128 },
	{ 15, CSUITE_AUTH_HMAC_SHA256, CSUITE_INTEG_NONE, CSUITE_CONF_NONE },
	{ 16, CSUITE_AUTH_HMAC_SHA256, CSUITE_INTEG_HMAC_SHA256_128, CSUITE_CONF_NONE },
	{ 17, CSUITE_AUTH_HMAC_SHA256, CSUITE_INTEG_HMAC_SHA256_128, CSUITE_CONF_AES_CBC_128 },
};

#define CSUITE_COUNT (sizeof(csuite_table) / sizeof(csuite_table[0]))

const struct csuite *
csuite_by_id(int id)
{
	for (size_t i = 0; i < CSUITE_COUNT; i++)
		if (csuite_table[i].id == id)
			return &csuite_table[i];
	return NULL;
}

const struct csuite *
csuite_by_algs(uint8_t auth, uint8_t integ, uint8_t conf)
{
	for (size_t i = 0; i < CSUITE_COUNT; i++) {
		const struct csuite *c = &csuite_table[i];
		if (c->auth == auth && c->integ == integ && c->conf == conf)
			return c;
	}
	return NULL;
}

const struct csuite *
csuite_all(size_t *n)
{
	*n = CSUITE_COUNT;
	return csuite_table;
}

size_t
csuite_auth_len(uint8_t auth)
{
	switch (auth) {
	case CSUITE_AUTH_HMAC_SHA1:
		return 20;
	case CSUITE_AUTH_HMAC_MD5:
		return 16;
	case CSUITE_AUTH_HMAC_SHA256:
		return 32;
	default:
		return 0;
	}
}

size_t
csuite_rakp4_len(uint8_t auth)
{
	switch (auth) {
	case CSUITE_AUTH_HMAC_SHA1:
		return 12;
	case CSUITE_AUTH_HMAC_MD5:
	case CSUITE_AUTH_HMAC_SHA256:
		return 16;
	default:
		return 0;
	}
}

size_t
csuite_integ_len(uint8_t integ)
{
	switch (integ) {
	case CSUITE_INTEG_HMAC_SHA1_96:
		return 12;
	case CSUITE_INTEG_HMAC_MD5_128:
	case CSUITE_INTEG_MD5_128:
	case CSUITE_INTEG_HMAC_SHA256_128:
		return 16;
	default:
		return 0;
	}
}

const char *
csuite_auth_name(uint8_t auth)
{
	static const char *const names[] = { "none", "hmac-sha1", "hmac-md5", "hmac-sha256" };
	return auth < 4 ? names[auth] : "unknown";
}

const char *
csuite_integ_name(uint8_t integ)
{
	static const char *const names[] = { "none", "hmac-sha1-96", "hmac-md5-128", "md5-128",
		                             "hmac-sha256-128" };
	return integ < 5 ? names[integ] : "unknown";
}

const char *
csuite_conf_name(uint8_t conf)
{
	static const char *const names[] = { "none", "aes-cbc-128" };
	return conf < 2 ? names[conf] : "unknown";
}
