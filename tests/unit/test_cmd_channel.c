/*
 * test_cmd_channel.c - Get Channel Authentication Capabilities and Get
 * Channel Cipher Suites (cmd_channel.h).
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "cmd_channel.h"
#include "ipmierr.h"
#include "ipmimsg.h"
#include "lan15.h"
#include "tutil.h"

START_TEST(authcaps_req_bytes)
{
	uint8_t out[2] = { 0, 0 };

	/* 8Eh = bit 7 (get IPMI v2.0 data) | channel 0Eh (this one) */
	ck_assert_int_eq(cmd_channel_authcaps_req(IPMI_PRIV_ADMIN, out), 2);
	ck_assert_uint_eq(out[0], 0x8e);
	ck_assert_uint_eq(out[1], 0x04);
	for (unsigned p = 0; p <= 5; p++) {
		ck_assert_int_eq(cmd_channel_authcaps_req((uint8_t)p, out), 2);
		ck_assert_uint_eq(out[1], p);
	}
	out[0] = out[1] = 0x33;
	ck_assert_int_eq(cmd_channel_authcaps_req(6, out), IPMI_E_ARG);
	ck_assert_int_eq(cmd_channel_authcaps_req(0xff, out), IPMI_E_ARG);
	ck_assert_uint_eq(out[0], 0x33);
}
END_TEST

/* Request data -> IPMI message -> v1.5 packet == ipmitool's bytes. */
START_TEST(authcaps_req_packet)
{
	struct tu_vec *v = malloc(sizeof(*v));
	uint8_t data[2], msg[32], pkt[64];
	struct ipmimsg m = { IPMI_BMC_ADDR,
		             IPMI_NETFN_APP,
		             0,
		             IPMI_REMOTE_SWID,
		             0,
		             0,
		             IPMI_CMD_GET_CHANNEL_AUTH_CAPS,
		             data,
		             0 };
	struct wire_wr w = wire_wr_make(msg, sizeof(msg));
	int n;

	tu_vec_load(tu_vec_suites[_i], v);
	ck_assert_uint_eq(v->pkt[0].kind, TU_V15);
	n = cmd_channel_authcaps_req((uint8_t)v->priv, data);
	ck_assert_int_eq(n, 2);
	m.data_len = (size_t)n;
	n = ipmimsg_encode(&m, &w);
	ck_assert_int_eq(n, 9);
	n = lan15_encode(msg, (size_t)n, pkt, sizeof(pkt));
	ck_assert_int_eq(n, (int)v->pkt[0].len);
	ck_assert_mem_eq(pkt, v->pkt[0].b, v->pkt[0].len);
	free(v);
}
END_TEST

/* The captured responses, decoded through v1.5 and ipmimsg. */
START_TEST(authcaps_captured)
{
	struct tu_vec *v = malloc(sizeof(*v));
	const uint8_t *mp;
	size_t ml;
	struct ipmimsg m;
	struct cmd_channel_authcaps c;

	tu_vec_load(tu_vec_suites[_i], v);
	ck_assert_int_eq(lan15_decode(v->pkt[1].b, v->pkt[1].len, &mp, &ml), 0);
	ck_assert_int_eq(ipmimsg_decode(mp, ml, &m), 0);
	ck_assert_uint_eq(m.netfn, IPMI_NETFN_APP | 1);
	ck_assert_uint_eq(m.cmd, IPMI_CMD_GET_CHANNEL_AUTH_CAPS);
	ck_assert_uint_eq(m.data_len, 9);
	ck_assert_uint_eq(m.data[0], 0x00);
	memset(&c, 0xee, sizeof(c));
	ck_assert_int_eq(cmd_channel_authcaps_decode(m.data + 1, m.data_len - 1, &c), 0);
	ck_assert_uint_eq(c.channel, 1);
	ck_assert(c.ipmi20);
	ck_assert(!c.kg_set);
	ck_assert(c.non_null_users);
	ck_assert(!c.null_users);
	ck_assert(!c.anonymous);
	ck_assert(!c.per_msg_auth_off);
	ck_assert(!c.user_level_auth_off);
	ck_assert_uint_eq(c.oem_id, 0);
	/* both responders announce MD5 (bit 2); ipmi_sim-style ones more */
	ck_assert_uint_eq(c.auth_types & 0x04, 0x04);
	ck_assert_uint_eq(c.auth_types, m.data[2] & 0x3f);
	free(v);
}
END_TEST

START_TEST(authcaps_bits)
{
	/* channel 2, auth types 3Fh + v2.0 ext, all 6 flags, v1.5+v2.0, OEM 0x0002a2 (Dell) */
	const uint8_t all[8] = { 0x02, 0xbf, 0x3f, 0x03, 0xa2, 0x02, 0x00, 0x55 };
	struct cmd_channel_authcaps c;
	uint8_t d[8];

	ck_assert_int_eq(cmd_channel_authcaps_decode(all, 8, &c), 0);
	ck_assert_uint_eq(c.channel, 2);
	ck_assert_uint_eq(c.auth_types, 0x3f);
	ck_assert(c.ipmi20 && c.kg_set && c.per_msg_auth_off && c.user_level_auth_off);
	ck_assert(c.non_null_users && c.null_users && c.anonymous);
	ck_assert_uint_eq(c.oem_id, 0x0002a2);

	/* each flag bit alone */
	static const unsigned bits[] = { 0x20, 0x10, 0x08, 0x04, 0x02, 0x01 };
	for (size_t i = 0; i < 6; i++) {
		memset(d, 0, sizeof(d));
		d[2] = (uint8_t)bits[i];
		ck_assert_int_eq(cmd_channel_authcaps_decode(d, 8, &c), 0);
		ck_assert(c.kg_set == (i == 0));
		ck_assert(c.per_msg_auth_off == (i == 1));
		ck_assert(c.user_level_auth_off == (i == 2));
		ck_assert(c.non_null_users == (i == 3));
		ck_assert(c.null_users == (i == 4));
		ck_assert(c.anonymous == (i == 5));
		ck_assert(!c.ipmi20);
	}
	/* v2.0 needs both the extended-data bit and the v2.0 support bit */
	memset(d, 0, sizeof(d));
	d[3] = 0x02;
	ck_assert_int_eq(cmd_channel_authcaps_decode(d, 8, &c), 0);
	ck_assert(!c.ipmi20);
	d[1] = 0x80;
	d[3] = 0x01; /* v1.5 only */
	ck_assert_int_eq(cmd_channel_authcaps_decode(d, 8, &c), 0);
	ck_assert(!c.ipmi20);
	d[3] = 0x02;
	ck_assert_int_eq(cmd_channel_authcaps_decode(d, 8, &c), 0);
	ck_assert(c.ipmi20);
	ck_assert_uint_eq(c.auth_types, 0);
}
END_TEST

START_TEST(authcaps_lengths)
{
	uint8_t d[9] = { 1, 0x96, 0x04, 0x03, 0, 0, 0, 0, 0 };
	struct cmd_channel_authcaps c;

	for (size_t n = 0; n < 8; n++) {
		uint8_t *p = malloc(n > 0 ? n : 1);

		memcpy(p, d, n);
		ck_assert_int_eq(cmd_channel_authcaps_decode(p, n, &c), IPMI_E_TRUNCATED);
		free(p);
	}
	ck_assert_int_eq(cmd_channel_authcaps_decode(d, 9, &c), IPMI_E_MALFORMED);
	ck_assert_int_eq(cmd_channel_authcaps_decode(d, 8, &c), 0);
}
END_TEST

START_TEST(ciphers_req_bytes)
{
	uint8_t out[3];

	ck_assert_int_eq(cmd_channel_ciphers_req(0, out), 3);
	ck_assert_mem_eq(out, "\x0e\x00\x80", 3);
	ck_assert_int_eq(cmd_channel_ciphers_req(1, out), 3);
	ck_assert_mem_eq(out, "\x0e\x00\x81", 3);
	ck_assert_int_eq(cmd_channel_ciphers_req(0x3f, out), 3);
	ck_assert_mem_eq(out, "\x0e\x00\xbf", 3);
	ck_assert_int_eq(cmd_channel_ciphers_req(0x40, out), IPMI_E_ARG);
	ck_assert_int_eq(cmd_channel_ciphers_req(0xff, out), IPMI_E_ARG);
}
END_TEST

/*
 * A typical list (suites 0, 1, 2, 3, 17 and one OEM record), as a BMC
 * returns it 16 record bytes per response, each after the channel number.
 */
static const uint8_t records[] = {
	0xc0, 0x00, 0x00, 0x40, 0x80,                   /* 0: none/none/none */
	0xc0, 0x01, 0x01, 0x40, 0x80,                   /* 1: sha1/none/none */
	0xc0, 0x02, 0x01, 0x41, 0x80,                   /* 2 */
	0xc0, 0x03, 0x01, 0x41, 0x81,                   /* 3 */
	0xc1, 0x50, 0xa2, 0x02, 0x00, 0x01, 0x41, 0x81, /* OEM 80 (IANA 674) */
	0xc0, 0x11, 0x03, 0x44, 0x81,                   /* 17 */
};

START_TEST(ciphers_gather_and_parse)
{
	uint8_t buf[64], resp[17], ids[8];
	size_t used = 0, off = 0;
	int n;

	while (off < sizeof(records)) {
		size_t chunk = sizeof(records) - off < 16 ? sizeof(records) - off : 16;

		resp[0] = 0x01; /* channel */
		memcpy(resp + 1, records + off, chunk);
		n = cmd_channel_ciphers_chunk(resp, chunk + 1, buf, sizeof(buf), &used);
		ck_assert_int_eq(n, (int)chunk);
		off += chunk;
	}
	ck_assert_uint_eq(used, sizeof(records));
	ck_assert_mem_eq(buf, records, sizeof(records));
	/* an empty final chunk (channel byte only) adds nothing */
	ck_assert_int_eq(cmd_channel_ciphers_chunk(resp, 1, buf, sizeof(buf), &used), 0);
	ck_assert_uint_eq(used, sizeof(records));

	n = cmd_channel_ciphers_parse(buf, used, ids, sizeof(ids));
	ck_assert_int_eq(n, 6);
	ck_assert_mem_eq(ids, "\x00\x01\x02\x03\x50\x11", 6);
	/* fewer slots than records: the count is capped, no overrun */
	memset(ids, 0xee, sizeof(ids));
	ck_assert_int_eq(cmd_channel_ciphers_parse(buf, used, ids, 2), 2);
	ck_assert_mem_eq(ids, "\x00\x01\xee", 3);
	ck_assert_int_eq(cmd_channel_ciphers_parse(buf, used, NULL, 0), 0);
	/* nothing at all */
	ck_assert_int_eq(cmd_channel_ciphers_parse(buf, 0, ids, sizeof(ids)), 0);
}
END_TEST

START_TEST(ciphers_chunk_errors)
{
	uint8_t resp[18] = { 0x01 }, buf[32];
	size_t used;

	used = 0;
	ck_assert_int_eq(cmd_channel_ciphers_chunk(resp, 0, buf, sizeof(buf), &used),
	                 IPMI_E_TRUNCATED);
	ck_assert_int_eq(cmd_channel_ciphers_chunk(resp, 18, buf, sizeof(buf), &used),
	                 IPMI_E_MALFORMED);
	ck_assert_uint_eq(used, 0);
	used = 20;
	ck_assert_int_eq(cmd_channel_ciphers_chunk(resp, 17, buf, sizeof(buf), &used),
	                 IPMI_E_NOSPACE);
	ck_assert_uint_eq(used, 20);
	used = 16;
	ck_assert_int_eq(cmd_channel_ciphers_chunk(resp, 17, buf, sizeof(buf), &used), 16);
	ck_assert_uint_eq(used, 32);
}
END_TEST

START_TEST(ciphers_parse_errors)
{
	static const uint8_t bad_start[] = { 0x12, 0x00, 0x40, 0x80 };
	static const uint8_t rec[] = { 0xc0, 0x01, 0x01, 0x40, 0x80 };
	static const uint8_t oem_short[] = { 0xc1, 0x50, 0xa2, 0x02 };
	uint8_t ids[8];

	/* the list must start with a record start byte (C0h or C1h) */
	ck_assert_int_eq(cmd_channel_ciphers_parse(bad_start, sizeof(bad_start), ids, 8),
	                 IPMI_E_MALFORMED);
	/* a record start byte with nothing after it */
	ck_assert_int_eq(cmd_channel_ciphers_parse(rec, 1, ids, 8), IPMI_E_TRUNCATED);
	ck_assert_int_eq(cmd_channel_ciphers_parse(oem_short, sizeof(oem_short), ids, 8),
	                 IPMI_E_TRUNCATED);
	/* a record of just start + id (no algorithm tags) is accepted */
	ck_assert_int_eq(cmd_channel_ciphers_parse(rec, 2, ids, 8), 1);
	ck_assert_uint_eq(ids[0], 1);
}
END_TEST

/*
 * Every prefix of the record list: cut inside a record's fixed part (start
 * byte, id, OEM IANA) it is refused; cut among the algorithm tags it is a
 * legitimately shorter list (the tags are optional, their count is not
 * encoded), so only the id count is checked.  Exact-size heap blocks let
 * ASan catch any over-read.
 */
START_TEST(ciphers_parse_truncations)
{
	/* record start offsets and their fixed-part lengths */
	static const size_t starts[] = { 0, 5, 10, 15, 20, 28 };
	static const size_t fixed[] = { 2, 2, 2, 2, 5, 2 };

	for (size_t n = 0; n < sizeof(records); n++) {
		uint8_t *p = malloc(n > 0 ? n : 1), ids[8];
		int want = 0, rc;
		bool cut = false;

		memcpy(p, records, n);
		for (size_t k = 0; k < 6; k++) {
			if (n > starts[k] && n < starts[k] + fixed[k])
				cut = true;
			else if (n >= starts[k] + fixed[k])
				want++;
		}
		rc = cmd_channel_ciphers_parse(p, n, ids, sizeof(ids));
		if (cut)
			ck_assert_int_eq(rc, IPMI_E_TRUNCATED);
		else
			ck_assert_int_eq(rc, want);
		free(p);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cmd_channel");
	TCase *tc = tu_tcase(s, "authcaps");

	tcase_add_test(tc, authcaps_req_bytes);
	tcase_add_loop_test(tc, authcaps_req_packet, 0, (int)tu_vec_nsuites);
	tcase_add_loop_test(tc, authcaps_captured, 0, (int)tu_vec_nsuites);
	tcase_add_test(tc, authcaps_bits);
	tcase_add_test(tc, authcaps_lengths);
	tc = tu_tcase(s, "ciphers");
	tcase_add_test(tc, ciphers_req_bytes);
	tcase_add_test(tc, ciphers_gather_and_parse);
	tcase_add_test(tc, ciphers_chunk_errors);
	tcase_add_test(tc, ciphers_parse_errors);
	tcase_add_test(tc, ciphers_parse_truncations);
	return tu_run(s);
}
