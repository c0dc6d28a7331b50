/*
 * ipmierr.h - the protocol core's error codes and their texts.
 *
 * Functions return 0 or a length on success and a negative value on failure:
 * -errno for system-level failures, IPMI_E_* (<= -1000) for protocol ones.
 */
#ifndef IPMIPOOL_IPMIERR_H
#define IPMIPOOL_IPMIERR_H

enum ipmierr {
	IPMI_E_TRUNCATED = -1000,   /* input shorter than its fields say */
	IPMI_E_MALFORMED = -1001,   /* a field holds an impossible value */
	IPMI_E_CHECKSUM = -1002,    /* IPMI message checksum wrong */
	IPMI_E_BAD_MAC = -1003,     /* integrity check failed */
	IPMI_E_REPLAY = -1004,      /* sequence number already seen */
	IPMI_E_SEQ_OLD = -1005,     /* sequence number outside the window */
	IPMI_E_SESSION = -1006,     /* wrong or unknown session id */
	IPMI_E_PAD = -1007,         /* bad confidentiality or integrity pad */
	IPMI_E_RAKP2 = -1008,       /* RAKP2 key exchange code mismatch */
	IPMI_E_RAKP3 = -1009,       /* RAKP3 key exchange code mismatch */
	IPMI_E_RAKP4 = -1010,       /* RAKP4 integrity check value mismatch */
	IPMI_E_STATUS = -1011,      /* peer returned a non-zero RMCP+ status */
	IPMI_E_DOWNGRADE = -1012,   /* peer chose algorithms we did not offer */
	IPMI_E_UNSUPPORTED = -1013, /* unknown cipher suite or algorithm */
	IPMI_E_NOSPACE = -1014,     /* output buffer too small */
	IPMI_E_CRYPTO = -1015,      /* OpenSSL failed */
	IPMI_E_TAG = -1016,         /* message tag does not match */
	IPMI_E_PAYLOAD = -1017,     /* unexpected payload type or flags */
	IPMI_E_ARG = -1018,         /* invalid argument (e.g. user name too long) */
	IPMI_E_MISMATCH = -1019,    /* response does not answer the request */
	IPMI_E_LAST = -1020,
};

/* A short English text for any return code (0, -errno or IPMI_E_*). */
const char *ipmierr_str(int err);

#endif
