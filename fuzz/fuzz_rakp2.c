/*
 * fuzz_rakp2 - the console's view of RAKP Message 2: rakp_decode_msg2, then
 * rakp_client_rakp2 (key exchange code check, SIK/K1/K2) in the state of
 * each captured session after its RAKP1.
 *
 * Input: the payload (after the 16-byte session header).
 */
#include <string.h>

#include "fuzz.h"
#include "ipmierr.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rakp_msg2 m2;
	uint8_t buf[128];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));
	int n;

	if (rakp_decode_msg2(data, size, &m2) < 0)
		return 0;
	FUZZ_ASSERT(m2.code_len <= RAKP_CODE_MAX);
	n = rakp_encode_msg2(&m2, &w);
	FUZZ_ASSERT(n > 0);
	if (m2.status == RAKP_ST_OK)
		FUZZ_ASSERT((size_t)n == size && memcmp(buf, data, 2) == 0 &&
		            memcmp(buf + 4, data + 4, size - 4) == 0); /* 2 reserved */

	for (unsigned i = 0; i < FUZZ_NVEC; i++) {
		const struct fuzz_hs *f = fuzz_hs_get(i);
		struct rakp_hs hs = f->c_open;
		int rc = rakp_client_rakp2(&hs, &f->msg1, &m2);

		if (rc == 0) {
			/* Only the captured BMC's answer can pass. */
			FUZZ_ASSERT(hs.key_len == f->c_rakp2.key_len &&
			            memcmp(hs.sik, f->c_rakp2.sik, hs.key_len) == 0);
		}
		rakp_hs_clear(&hs);
	}
	return 0;
}
