/*
 * fuzz_rakp4 - the console's view of RAKP Message 4: rakp_decode_msg4, then
 * rakp_client_rakp4 (integrity check value) in the state of each captured
 * session after its RAKP3.
 *
 * Input: the payload (after the 16-byte session header).
 */
#include <string.h>

#include "fuzz.h"
#include "ipmierr.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rakp_msg4 m4;
	uint8_t buf[64];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));
	int n;

	if (rakp_decode_msg4(data, size, &m4) < 0)
		return 0;
	FUZZ_ASSERT(m4.icv_len <= RAKP_CODE_MAX);
	n = rakp_encode_msg4(&m4, &w);
	FUZZ_ASSERT(n > 0);
	if (m4.status == RAKP_ST_OK)
		FUZZ_ASSERT((size_t)n == size && memcmp(buf, data, 2) == 0 &&
		            memcmp(buf + 4, data + 4, size - 4) == 0); /* 2 reserved */

	for (unsigned i = 0; i < FUZZ_NVEC; i++) {
		const struct fuzz_hs *f = fuzz_hs_get(i);

		(void)rakp_client_rakp4(&f->c_rakp2, &f->msg3, &m4);
	}
	return 0;
}
