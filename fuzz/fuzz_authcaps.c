/*
 * fuzz_authcaps - the pre-session exchange: lan15_decode, ipmimsg_decode
 * and cmd_channel_authcaps_decode on a whole IPMI v1.5 datagram; the same
 * response data as a Get Channel Cipher Suites chunk; and, independently,
 * the whole input as a run of cipher suite responses (channel + up to 16
 * record bytes each, 17-byte pieces) through cmd_channel_ciphers_chunk and
 * cmd_channel_ciphers_parse.
 */
#include <string.h>

#include "cmd_channel.h"
#include "fuzz.h"
#include "ipmierr.h"
#include "ipmimsg.h"
#include "lan15.h"

static void
ciphers(const uint8_t *recs, size_t len, size_t max)
{
	uint8_t ids[64];
	int n = cmd_channel_ciphers_parse(recs, len, ids, max);

	FUZZ_ASSERT(n < 0 || (size_t)n <= max);
}

static void
datagram(const uint8_t *data, size_t size)
{
	struct cmd_channel_authcaps caps;
	struct ipmimsg m;
	const uint8_t *msg;
	size_t mlen, used = 0;
	uint8_t recs[16];
	int n;

	if (lan15_decode(data, size, &msg, &mlen) < 0)
		return;
	FUZZ_ASSERT(msg >= data && msg + mlen <= data + size);
	if (ipmimsg_decode(msg, mlen, &m) < 0 || !ipmimsg_is_response(&m))
		return;
	(void)ipmimsg_cc_str(m.data[0]);
	(void)cmd_channel_authcaps_decode(m.data + 1, m.data_len - 1, &caps);
	n = cmd_channel_ciphers_chunk(m.data + 1, m.data_len - 1, recs, sizeof(recs), &used);
	FUZZ_ASSERT(used <= sizeof(recs) && (n < 0 || (size_t)n == used));
	if (n >= 0)
		ciphers(recs, used, 64);
}

static void
chunks(const uint8_t *data, size_t size, size_t cap)
{
	uint8_t recs[64 * 16];
	size_t used = 0;

	FUZZ_ASSERT(cap <= sizeof(recs));
	while (size > 0) {
		size_t piece = size < 17 ? size : 17;
		int n = cmd_channel_ciphers_chunk(data, piece, recs, cap, &used);

		FUZZ_ASSERT(used <= cap);
		data += piece;
		size -= piece;
		if (n < 16)
			break;
	}
	ciphers(recs, used, 64);
	ciphers(recs, used, 2);
	ciphers(recs, used, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cmd_channel_authcaps caps;

	datagram(data, size);
	chunks(data, size, 64 * 16);
	chunks(data, size, 21); /* not a multiple of 16: the NOSPACE check */
	(void)cmd_channel_authcaps_decode(data, size, &caps);
	return 0;
}
