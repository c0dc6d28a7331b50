/*
 * fuzz_hsclient - the console handshake state machine end to end: an
 * hsclient (user admin / adminpass, console session id and Rm of the
 * captured sessions) is started and fed datagrams until the input ends;
 * once established, further datagrams go to lanmsg_open on its session.
 *
 * Input: flags, initial rqSeq, then datagrams as length byte + bytes.
 *   flags bit 0: suite 3 / 17
 *   flags bit 1: skip Get Channel Authentication Capabilities
 *   flags bit 2: no name-only lookup bit in RAKP1
 *   flags bits 3-4: privilege 4 - n (ADMINISTRATOR down to CALLBACK)
 * The captured sessions drive it to HSCLIENT_DONE when the tags of RAKP2
 * and RAKP4 are 1 and 2 (hsclient's) and the rqSeq byte makes Set Session
 * Privilege Level use rqSeq 1 (ipmitool's): 0 with bit 1 set, 63 without.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "hsclient.h"
#include "ipmierr.h"
#include "lanmsg.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fuzz_vec *v;
	struct rakp_creds creds;
	struct hsclient h;
	struct lanplus_sess sess;
	struct fuzz_rng state;
	struct rng rng;
	uint8_t out[LANPLUS_MAX_PKT], buf[IPMIMSG_MAX_LEN + 32];
	char reason[160];
	bool done = false;
	uint8_t flags;
	int rc;

	if (size < 2)
		return 0;
	flags = data[0];
	v = fuzz_vec_get(flags & 1);
	fuzz_vec_creds(v, &creds);
	rc = hsclient_init(&h, csuite_by_id(v->suite), &creds, (uint8_t)(4 - ((flags >> 3) & 3)),
	                   !(flags & 4), v->console_sid, flags & 2);
	FUZZ_ASSERT(rc == 0);
	h.rq_seq = data[1] & 0x3f;
	data += 2;
	size -= 2;
	rng = fuzz_rng_make(&state, v->rm, sizeof(v->rm), 3);
	memset(&sess, 0, sizeof(sess));

	rc = hsclient_start(&h, &rng, out, sizeof(out));
	FUZZ_ASSERT(rc > 0 && (size_t)rc <= HSCLIENT_PKT_MAX);

	while (size > 0) {
		size_t len = data[0], out_len = 0;
		const uint8_t *pkt = data + 1;
		struct ipmimsg m;

		if (len > size - 1)
			len = size - 1;
		data += 1 + len;
		size -= 1 + len;
		if (done) {
			(void)lanmsg_open(&sess, pkt, len, buf, sizeof(buf), &m);
			continue;
		}
		rc = hsclient_input(&h, pkt, len, &rng, out, sizeof(out), &out_len);
		switch (rc) {
		case HSCLIENT_IGNORED:
			break;
		case HSCLIENT_SEND:
			FUZZ_ASSERT(out_len > 0 && out_len == h.last_len &&
			            memcmp(out, h.last, out_len) == 0);
			break;
		case HSCLIENT_DONE:
			FUZZ_ASSERT(h.stage == HSCLIENT_ESTABLISHED && h.err == 0);
			hsclient_take_session(&h, &sess);
			done = true;
			break;
		default:
			FUZZ_ASSERT(rc < 0 && rc == h.err);
			(void)hsclient_reason(&h, reason, sizeof(reason));
			(void)hsclient_is_auth_failure(&h);
			/* A failure is final. */
			FUZZ_ASSERT(
			    hsclient_input(&h, pkt, len, &rng, out, sizeof(out), &out_len) == rc);
			break;
		}
	}
	(void)hsclient_reason(&h, reason, sizeof(reason));
	hsclient_clear(&h);
	lanplus_sess_clear(&sess);
	rakp_creds_clear(&creds);
	return 0;
}
