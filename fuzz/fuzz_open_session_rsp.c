/*
 * fuzz_open_session_rsp - the console's view of an RMCP+ Open Session
 * Response: rakp_decode_open_rsp, then rakp_client_open against the
 * requests the captured sessions sent (suites 3 and 17).
 *
 * Input: the payload (after the 16-byte session header).
 */
#include <string.h>

#include "fuzz.h"
#include "ipmierr.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rakp_open_rsp rsp;
	uint8_t buf[64];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));
	int n;

	if (rakp_decode_open_rsp(data, size, &rsp) < 0)
		return 0;
	FUZZ_ASSERT(size >= 2);
	/* A complete success response re-encodes to the same bytes. */
	n = rakp_encode_open_rsp(&rsp, &w);
	FUZZ_ASSERT(n > 0);
	if (rsp.status == RAKP_ST_OK)
		FUZZ_ASSERT((size_t)n == size);

	for (unsigned i = 0; i < FUZZ_NVEC; i++) {
		const struct fuzz_hs *f = fuzz_hs_get(i);
		struct rakp_hs hs;
		int rc;

		memset(&hs, 0, sizeof(hs));
		hs.creds = f->c_open.creds;
		rc = rakp_client_open(&hs, &f->open_req, &rsp);
		if (rc == 0) {
			FUZZ_ASSERT(hs.cs != NULL && hs.bmc_sid != 0);
			FUZZ_ASSERT(hs.cs->auth == f->open_req.auth &&
			            hs.cs->integ == f->open_req.integ &&
			            hs.cs->conf == f->open_req.conf);
		}
		rakp_hs_clear(&hs);
	}
	return 0;
}
