/*
 * fuzz_server - the BMC-side parsers on a datagram from a console:
 * asf_decode (presence ping), lan15_decode + ipmimsg_decode (pre-session
 * request), and through lanplus_decode_setup rakp_decode_open_req,
 * rakp_decode_msg1 (then rakp_server_rakp2) and rakp_decode_msg3 (then
 * rakp_server_rakp3 / rakp_server_rakp4) in the BMC state of each captured
 * session.
 *
 * Input: one UDP payload, from the RMCP header on.
 */
#include <string.h>

#include "fuzz.h"
#include "ipmierr.h"
#include "ipmimsg.h"
#include "lan15.h"
#include "rmcp.h"

static void
open_req(const uint8_t *p, size_t len)
{
	struct rakp_open_req req;
	struct rakp_open_rsp rsp;
	uint8_t buf[64];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));
	const struct csuite *cs;

	if (rakp_decode_open_req(p, len, &req) < 0)
		return;
	FUZZ_ASSERT(len == 32 && req.priv <= 0x0f);
	cs = csuite_by_algs(req.auth, req.integ, req.conf);
	rsp = (struct rakp_open_rsp){
		.tag = req.tag,
		.status = cs != NULL ? RAKP_ST_OK : RAKP_ST_INVALID_AUTH,
		.priv = req.priv,
		.console_sid = req.console_sid,
		.bmc_sid = 0x0202,
		.auth = req.auth,
		.integ = req.integ,
		.conf = req.conf,
	};
	FUZZ_ASSERT(rakp_encode_open_rsp(&rsp, &w) > 0);
}

static void
rakp1(const uint8_t *p, size_t len)
{
	struct rakp_msg1 m1;
	struct rakp_msg2 m2;
	uint8_t buf[128];

	if (rakp_decode_msg1(p, len, &m1) < 0)
		return;
	FUZZ_ASSERT(m1.user_len <= RAKP_USER_MAX && len == 28u + m1.user_len);
	for (unsigned i = 0; i < FUZZ_NVEC; i++) {
		struct rakp_hs hs = fuzz_hs_get(i)->s_open;
		struct wire_wr w = wire_wr_make(buf, sizeof(buf));

		/* A BMC looks the name up; this one knows only its own user. */
		if (m1.user_len == hs.creds.user_len &&
		    memcmp(m1.user, hs.creds.user, m1.user_len) == 0 &&
		    rakp_server_rakp2(&hs, &m1, &m2) == 0)
			FUZZ_ASSERT(rakp_encode_msg2(&m2, &w) > 0);
		rakp_hs_clear(&hs);
	}
}

static void
rakp3(const uint8_t *p, size_t len)
{
	struct rakp_msg3 m3;
	struct rakp_msg4 m4;
	uint8_t buf[64];

	if (rakp_decode_msg3(p, len, &m3) < 0)
		return;
	FUZZ_ASSERT(m3.code_len <= RAKP_CODE_MAX);
	for (unsigned i = 0; i < FUZZ_NVEC; i++) {
		struct rakp_hs hs = fuzz_hs_get(i)->s_rakp2;
		struct wire_wr w = wire_wr_make(buf, sizeof(buf));

		if (rakp_server_rakp3(&hs, &m3) == 0) {
			FUZZ_ASSERT(rakp_server_rakp4(&hs, m3.tag, &m4) == 0);
			FUZZ_ASSERT(rakp_encode_msg4(&m4, &w) > 0);
		}
		rakp_hs_clear(&hs);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asf_msg asf;
	const uint8_t *p;
	size_t plen;
	uint8_t type;
	struct ipmimsg m;

	switch (rmcp_class(data, size)) {
	case RMCP_CLASS_ASF:
		if (asf_decode(data, size, &asf) == 0) {
			uint8_t pong[64];
			FUZZ_ASSERT(asf.type == ASF_TYPE_PING || asf.type == ASF_TYPE_PONG);
			FUZZ_ASSERT(asf_encode_pong(asf.tag, pong, sizeof(pong)) > 0);
		}
		break;
	case RMCP_CLASS_IPMI:
		if (lan15_decode(data, size, &p, &plen) == 0) {
			if (ipmimsg_decode(p, plen, &m) == 0)
				(void)ipmimsg_is_response(&m);
			break;
		}
		if (lanplus_decode_setup(data, size, &type, &p, &plen) < 0)
			break;
		FUZZ_ASSERT(p == data + LANPLUS_HDR_LEN && plen == size - LANPLUS_HDR_LEN);
		if (type == RAKP_PT_OPEN_REQ)
			open_req(p, plen);
		else if (type == RAKP_PT_RAKP1)
			rakp1(p, plen);
		else if (type == RAKP_PT_RAKP3)
			rakp3(p, plen);
		break;
	default:
		/* Whatever it is, ASF must not take it. */
		FUZZ_ASSERT(asf_decode(data, size, &asf) < 0);
		break;
	}
	return 0;
}
