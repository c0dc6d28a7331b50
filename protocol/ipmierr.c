/*
 * ipmierr.c - texts for the protocol core's error codes.
 */
#include <string.h>

#include "ipmierr.h"

static const char *const ipmierr_texts[] = {
	[-(IPMI_E_TRUNCATED + 1000)] = "truncated packet",
	[-(IPMI_E_MALFORMED + 1000)] = "malformed packet",
	[-(IPMI_E_CHECKSUM + 1000)] = "IPMI message checksum mismatch",
	[-(IPMI_E_BAD_MAC + 1000)] = "integrity check failed",
	[-(IPMI_E_REPLAY + 1000)] = "replayed sequence number",
	[-(IPMI_E_SEQ_OLD + 1000)] = "sequence number outside the window",
	[-(IPMI_E_SESSION + 1000)] = "unknown session id",
	[-(IPMI_E_PAD + 1000)] = "bad padding",
	[-(IPMI_E_RAKP2 + 1000)] = "RAKP2 key exchange code mismatch (wrong password or K_g)",
	[-(IPMI_E_RAKP3 + 1000)] = "RAKP3 key exchange code mismatch",
	[-(IPMI_E_RAKP4 + 1000)] = "RAKP4 integrity check value mismatch",
	[-(IPMI_E_STATUS + 1000)] = "peer refused (RMCP+ status code)",
	[-(IPMI_E_DOWNGRADE + 1000)] = "peer chose algorithms that were not proposed",
	[-(IPMI_E_UNSUPPORTED + 1000)] = "unsupported cipher suite or algorithm",
	[-(IPMI_E_NOSPACE + 1000)] = "output buffer too small",
	[-(IPMI_E_CRYPTO + 1000)] = "cryptographic library failure",
	[-(IPMI_E_TAG + 1000)] = "message tag mismatch",
	[-(IPMI_E_PAYLOAD + 1000)] = "unexpected payload type",
	[-(IPMI_E_ARG + 1000)] = "invalid argument",
	[-(IPMI_E_MISMATCH + 1000)] = "response does not match the request",
};

const char *
ipmierr_str(int err)
{
	if (err >= 0)
		return "success";
	if (err <= IPMI_E_TRUNCATED && err > IPMI_E_LAST)
		return ipmierr_texts[-(err + 1000)];
	if (err > -1000)
		return strerror(-err);
	return "unknown error";
}
