/*
 * fuzz-common.c - the captured handshakes (tests/vectors/suite{3,17}-admin.json,
 * "derived" fields) replayed in memory, and the scripted rng.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ipmierr.h"
#include "ipmimsg.h"

static const struct fuzz_vec fuzz_vecs[FUZZ_NVEC] = {
	{
	    .suite = 3,
	    .console_sid = 0xa0a2a3a4,
	    .bmc_sid = 0x00000202,
	    .rm = { 0x3e, 0xa7, 0x6d, 0xba, 0xa8, 0x14, 0x97, 0xae, 0x82, 0x89, 0x74, 0x7c, 0x81,
	            0x6b, 0x7f, 0x5e },
	    .rc = { 0xec, 0x22, 0xdf, 0xda, 0xc1, 0xcf, 0xa8, 0x57, 0x45, 0xcd, 0x5b, 0x08, 0xad,
	            0x09, 0x73, 0x33 },
	    .guid = { 0x42, 0x4d, 0x43, 0x53, 0x49, 0x4d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	              0x00, 0x00, 0x00 },
	    .role = 0x14,
	    .user = "admin",
	    .pass = "adminpass",
	},
	{
	    .suite = 17,
	    .console_sid = 0xa0a2a3a4,
	    .bmc_sid = 0x5a000002,
	    .rm = { 0xb7, 0x5e, 0xd1, 0xb0, 0xb9, 0x62, 0x33, 0x98, 0x08, 0x4a, 0xc1, 0xd6, 0xd5,
	            0x31, 0xca, 0x13 },
	    .rc = { 0xc8, 0xbe, 0x69, 0x56, 0x23, 0x46, 0xfc, 0xbd, 0x45, 0x73, 0x86, 0x64, 0xe2,
	            0x06, 0x91, 0x2c },
	    .guid = { 0x42, 0x4d, 0x43, 0x53, 0x49, 0x4d, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00,
	              0x11, 0x00, 0x00 },
	    .role = 0x14,
	    .user = "admin",
	    .pass = "adminpass",
	},
};

void
fuzz_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, expr);
	abort();
}

const struct fuzz_vec *
fuzz_vec_get(unsigned idx)
{
	return &fuzz_vecs[idx % FUZZ_NVEC];
}

void
fuzz_vec_creds(const struct fuzz_vec *v, struct rakp_creds *c)
{
	int rc = rakp_creds_set(c, v->user, (const uint8_t *)v->pass, strlen(v->pass), NULL, 0);

	FUZZ_ASSERT(rc == 0);
}

static int
fuzz_rng_fill(void *arg, uint8_t *buf, size_t n)
{
	struct fuzz_rng *f = arg;

	for (size_t i = 0; i < n; i++) {
		if (f->pos < f->len)
			buf[i] = f->script[f->pos++];
		else
			buf[i] = (uint8_t)(f->ctr++ * 31u);
	}
	return 0;
}

struct rng
fuzz_rng_make(struct fuzz_rng *f, const uint8_t *script, size_t len, uint32_t seed)
{
	struct rng r = { fuzz_rng_fill, f };

	f->script = script;
	f->len = script != NULL ? len : 0;
	f->pos = 0;
	f->ctr = seed;
	return r;
}

static void
fuzz_hs_check(int rc, const char *step, uint8_t suite)
{
	if (rc < 0) {
		fprintf(stderr, "fuzz: in-memory handshake (suite %u) failed at %s: %s\n", suite,
		        step, ipmierr_str(rc));
		abort();
	}
}

/* Runs console and BMC against each other, every message through its codec. */
static void
fuzz_hs_build(struct fuzz_hs *f, const struct fuzz_vec *v)
{
	const struct csuite *cs = csuite_by_id(v->suite);
	struct rakp_creds creds;
	struct rakp_hs c, s;
	struct rakp_open_req oreq;
	struct rakp_open_rsp orsp, orsp_got;
	struct rakp_msg1 m1;
	struct rakp_msg2 m2, m2_got;
	struct rakp_msg3 m3;
	struct rakp_msg4 m4, m4_got;
	struct fuzz_rng cstate, sstate;
	struct rng crng = fuzz_rng_make(&cstate, v->rm, sizeof(v->rm), 1);
	struct rng srng = fuzz_rng_make(&sstate, v->rc, sizeof(v->rc), 2);
	uint8_t buf[128];
	struct wire_wr w;
	int n;

	FUZZ_ASSERT(cs != NULL);
	memset(f, 0, sizeof(*f));
	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	f->v = v;
	fuzz_vec_creds(v, &creds);
	c.creds = creds;
	s.creds = creds;

	/* Open Session */
	f->open_req = (struct rakp_open_req){
		.console_sid = v->console_sid,
		.auth = cs->auth,
		.integ = cs->integ,
		.conf = cs->conf,
	};
	w = wire_wr_make(buf, sizeof(buf));
	fuzz_hs_check(n = rakp_encode_open_req(&f->open_req, &w), "encode open req", v->suite);
	fuzz_hs_check(rakp_decode_open_req(buf, (size_t)n, &oreq), "decode open req", v->suite);
	s.cs = csuite_by_algs(oreq.auth, oreq.integ, oreq.conf);
	FUZZ_ASSERT(s.cs == cs);
	s.console_sid = oreq.console_sid;
	s.bmc_sid = v->bmc_sid;
	fuzz_hs_check(rng_fill(&srng, s.rc, RAKP_RAND_LEN), "rng", v->suite);
	memcpy(s.guid, v->guid, RAKP_GUID_LEN);
	orsp = (struct rakp_open_rsp){
		.tag = oreq.tag,
		.status = RAKP_ST_OK,
		.priv = IPMI_PRIV_ADMIN,
		.console_sid = s.console_sid,
		.bmc_sid = s.bmc_sid,
		.auth = cs->auth,
		.integ = cs->integ,
		.conf = cs->conf,
	};
	w = wire_wr_make(buf, sizeof(buf));
	fuzz_hs_check(n = rakp_encode_open_rsp(&orsp, &w), "encode open rsp", v->suite);
	fuzz_hs_check(rakp_decode_open_rsp(buf, (size_t)n, &orsp_got), "decode open rsp", v->suite);
	fuzz_hs_check(rakp_client_open(&c, &f->open_req, &orsp_got), "client open", v->suite);
	f->c_open = c;
	f->s_open = s;

	/* RAKP 1 and 2 */
	f->msg1 = (struct rakp_msg1){
		.bmc_sid = c.bmc_sid,
		.role = v->role,
		.user_len = creds.user_len,
	};
	memcpy(f->msg1.user, creds.user, creds.user_len);
	fuzz_hs_check(rng_fill(&crng, f->msg1.rm, RAKP_RAND_LEN), "rng", v->suite);
	w = wire_wr_make(buf, sizeof(buf));
	fuzz_hs_check(n = rakp_encode_msg1(&f->msg1, &w), "encode rakp1", v->suite);
	fuzz_hs_check(rakp_decode_msg1(buf, (size_t)n, &m1), "decode rakp1", v->suite);
	fuzz_hs_check(rakp_server_rakp2(&s, &m1, &m2), "server rakp2", v->suite);
	f->s_rakp2 = s;
	w = wire_wr_make(buf, sizeof(buf));
	fuzz_hs_check(n = rakp_encode_msg2(&m2, &w), "encode rakp2", v->suite);
	fuzz_hs_check(rakp_decode_msg2(buf, (size_t)n, &m2_got), "decode rakp2", v->suite);
	fuzz_hs_check(rakp_client_rakp2(&c, &f->msg1, &m2_got), "client rakp2", v->suite);
	f->c_rakp2 = c;

	/* RAKP 3 and 4 */
	fuzz_hs_check(rakp_client_rakp3(&c, 0, &f->msg3), "client rakp3", v->suite);
	w = wire_wr_make(buf, sizeof(buf));
	fuzz_hs_check(n = rakp_encode_msg3(&f->msg3, &w), "encode rakp3", v->suite);
	fuzz_hs_check(rakp_decode_msg3(buf, (size_t)n, &m3), "decode rakp3", v->suite);
	fuzz_hs_check(rakp_server_rakp3(&s, &m3), "server rakp3", v->suite);
	fuzz_hs_check(rakp_server_rakp4(&s, m3.tag, &m4), "server rakp4", v->suite);
	w = wire_wr_make(buf, sizeof(buf));
	fuzz_hs_check(n = rakp_encode_msg4(&m4, &w), "encode rakp4", v->suite);
	fuzz_hs_check(rakp_decode_msg4(buf, (size_t)n, &m4_got), "decode rakp4", v->suite);
	fuzz_hs_check(rakp_client_rakp4(&c, &f->msg3, &m4_got), "client rakp4", v->suite);

	fuzz_hs_check(lanplus_sess_init(&f->console, &c, true), "console session", v->suite);
	fuzz_hs_check(lanplus_sess_init(&f->bmc, &s, false), "bmc session", v->suite);
	rakp_hs_clear(&c);
	rakp_hs_clear(&s);
	rakp_creds_clear(&creds);
}

const struct fuzz_hs *
fuzz_hs_get(unsigned idx)
{
	/* Built once, never freed: reachable until exit (no leak reports). */
	static struct fuzz_hs *hs[FUZZ_NVEC];
	unsigned i = idx % FUZZ_NVEC;

	if (hs[i] == NULL) {
		struct fuzz_hs *f = malloc(sizeof(*f));

		if (f == NULL)
			abort();
		fuzz_hs_build(f, fuzz_vec_get(i));
		hs[i] = f;
	}
	return hs[i];
}
