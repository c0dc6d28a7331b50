/*
 * csuite.h - RMCP+ cipher suites and their algorithms (IPMI v2.0 table 22-20).
 *
 * Algorithm enum values are the numbers used on the wire in Open Session.
 * Pure data; no state.
 */
#ifndef IPMIPOOL_CSUITE_H
#define IPMIPOOL_CSUITE_H

#include <stddef.h>
#include <stdint.h>

enum csuite_auth {
	CSUITE_AUTH_NONE = 0,
	CSUITE_AUTH_HMAC_SHA1 = 1,
	CSUITE_AUTH_HMAC_MD5 = 2,
	CSUITE_AUTH_HMAC_SHA256 = 3,
};

enum csuite_integ {
	CSUITE_INTEG_NONE = 0,
	CSUITE_INTEG_HMAC_SHA1_96 = 1,
	CSUITE_INTEG_HMAC_MD5_128 = 2,
	CSUITE_INTEG_MD5_128 = 3,
	CSUITE_INTEG_HMAC_SHA256_128 = 4,
};

enum csuite_conf {
	CSUITE_CONF_NONE = 0,
	CSUITE_CONF_AES_CBC_128 = 1,
};

struct csuite {
	uint8_t id;
	uint8_t auth;  /* enum csuite_auth */
	uint8_t integ; /* enum csuite_integ */
	uint8_t conf;  /* enum csuite_conf */
};

/* The suite with this id, or NULL if it is not one we speak. */
const struct csuite *csuite_by_id(int id);

/* The suite with these three algorithms, or NULL. */
const struct csuite *csuite_by_algs(uint8_t auth, uint8_t integ, uint8_t conf);

/* Every suite we speak, in id order; *n receives the count. */
const struct csuite *csuite_all(size_t *n);

/* Full HMAC length of the authentication algorithm (0, 20, 16 or 32). */
size_t csuite_auth_len(uint8_t auth);

/* Length of the RAKP4 integrity check value (0, 12, 16 or 16). */
size_t csuite_rakp4_len(uint8_t auth);

/* Length of the per-packet AuthCode (0, 12, 16, 16 or 16). */
size_t csuite_integ_len(uint8_t integ);

/* Names for logs and JSON ("hmac-sha256", "aes-cbc-128", ...). */
const char *csuite_auth_name(uint8_t auth);
const char *csuite_integ_name(uint8_t integ);
const char *csuite_conf_name(uint8_t conf);

#endif
