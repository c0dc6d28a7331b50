/*
 * test_ipmimsg.c - IPMI message framing and checksums (ipmimsg.h).
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "ipmierr.h"
#include "ipmimsg.h"
#include "tutil.h"

/* Hand-checked messages (they also appear in the captured sessions). */
struct known {
	const char *hex;
	struct ipmimsg m;
	const char *data;
};

static const struct known known[] = {
	/* Get Channel Authentication Capabilities, v2.0 data, ADMINISTRATOR:
	 * chk1 = -(20h + 18h) = C8h, chk2 = -(81h + 00h + 38h + 8Eh + 04h) = B5h */
	{ "2018c88100388e04b5", { 0x20, 0x06, 0, 0x81, 0, 0, 0x38, NULL, 2 }, "8e04" },
	/* Get Device ID, seq 3: chk2 = -(81h + 0Ch + 01h) = 72h */
	{ "2018c8810c0172", { 0x20, 0x06, 0, 0x81, 3, 0, 0x01, NULL, 0 }, "" },
	/* Set Session Privilege Level (ADMINISTRATOR), seq 1 */
	{ "2018c881043b043c", { 0x20, 0x06, 0, 0x81, 1, 0, 0x3b, NULL, 1 }, "04" },
	/* its response, completion code 00h, new privilege 04h */
	{ "811c6320043b00049d", { 0x81, 0x07, 0, 0x20, 1, 0, 0x3b, NULL, 2 }, "0004" },
	/* Get Device ID response (seq 3), what ipmitool printed after the CC */
	{ "811c63200c010020010123029fd97e0053420000000001",
	  { 0x81, 0x07, 0, 0x20, 3, 0, 0x01, NULL, 16 },
	  "0020010123029fd97e00534200000000" },
	/* Get HPM.1 Target Upgrade Capabilities (NetFn 2Ch group extension) */
	{ "20b03081083e000237", { 0x20, 0x2c, 0, 0x81, 2, 0, 0x3e, NULL, 2 }, "0002" },
	/* its response: C1h invalid command */
	{ "81b4cb20083ec1d9", { 0x81, 0x2d, 0, 0x20, 2, 0, 0x3e, NULL, 1 }, "c1" },
	/* Close Session */
	{ "2018c8811c3c0200000025", { 0x20, 0x06, 0, 0x81, 7, 0, 0x3c, NULL, 4 }, "02000000" },
};
#define NKNOWN (sizeof(known) / sizeof(known[0]))

/* An independent statement of what ipmimsg_decode must accept. */
static bool
ref_valid(const uint8_t *b, size_t len)
{
	unsigned s1 = 0, s2 = 0;

	if (len < 7)
		return false;
	for (size_t i = 0; i < 3; i++)
		s1 += b[i];
	for (size_t i = 3; i < len; i++)
		s2 += b[i];
	if (s1 % 256 != 0 || s2 % 256 != 0)
		return false;
	return !((b[1] >> 2) & 1) || len >= 8; /* responses carry a completion code */
}

START_TEST(checksum_known)
{
	static const uint8_t a[] = { 0x20, 0x18 }, b[] = { 0x81, 0x0c, 0x01 }, z[] = { 0, 0, 0 };
	static const uint8_t ff[] = { 0xff }, wrap[] = { 0x80, 0x80 };

	ck_assert_uint_eq(ipmimsg_checksum(a, 2), 0xc8);
	ck_assert_uint_eq(ipmimsg_checksum(b, 3), 0x72);
	ck_assert_uint_eq(ipmimsg_checksum(z, 3), 0x00);
	ck_assert_uint_eq(ipmimsg_checksum(z, 0), 0x00);
	ck_assert_uint_eq(ipmimsg_checksum(NULL, 0), 0x00);
	ck_assert_uint_eq(ipmimsg_checksum(ff, 1), 0x01);
	ck_assert_uint_eq(ipmimsg_checksum(wrap, 2), 0x00);
	/* the defining property: bytes + checksum == 0 mod 256 */
	for (unsigned v = 0; v < 256; v++) {
		uint8_t buf[3] = { (uint8_t)v, (uint8_t)(v * 7), 0 };
		buf[2] = ipmimsg_checksum(buf, 2);
		ck_assert_uint_eq((buf[0] + buf[1] + buf[2]) % 256, 0);
	}
}
END_TEST

START_TEST(encode_known)
{
	for (size_t i = 0; i < NKNOWN; i++) {
		uint8_t want[64], data[32], out[64];
		size_t wlen = tu_hex(known[i].hex, want, sizeof(want));
		struct ipmimsg m = known[i].m;
		struct wire_wr w = wire_wr_make(out, sizeof(out));

		ck_assert_uint_eq(tu_hex(known[i].data, data, sizeof(data)), m.data_len);
		m.data = m.data_len > 0 ? data : NULL;
		ck_assert_int_eq(ipmimsg_encode(&m, &w), (int)wlen);
		ck_assert_uint_eq(w.len, wlen);
		ck_assert_mem_eq(out, want, wlen);
		/* appending after existing bytes: length counts only the message */
		w = wire_wr_make(out, sizeof(out));
		wire_put_u8(&w, 0xaa);
		ck_assert_int_eq(ipmimsg_encode(&m, &w), (int)wlen);
		ck_assert_uint_eq(out[0], 0xaa);
		ck_assert_mem_eq(out + 1, want, wlen);
	}
}
END_TEST

START_TEST(decode_known)
{
	for (size_t i = 0; i < NKNOWN; i++) {
		uint8_t buf[64], data[32];
		size_t len = tu_hex(known[i].hex, buf, sizeof(buf));
		const struct ipmimsg *k = &known[i].m;
		struct ipmimsg m;

		tu_hex(known[i].data, data, sizeof(data));
		ck_assert_int_eq(ipmimsg_decode(buf, len, &m), 0);
		ck_assert_uint_eq(m.dst_addr, k->dst_addr);
		ck_assert_uint_eq(m.netfn, k->netfn);
		ck_assert_uint_eq(m.dst_lun, k->dst_lun);
		ck_assert_uint_eq(m.src_addr, k->src_addr);
		ck_assert_uint_eq(m.seq, k->seq);
		ck_assert_uint_eq(m.src_lun, k->src_lun);
		ck_assert_uint_eq(m.cmd, k->cmd);
		ck_assert_uint_eq(m.data_len, k->data_len);
		ck_assert_ptr_eq(m.data, buf + 6); /* borrowed, not copied */
		ck_assert_mem_eq(m.data, data, m.data_len);
		ck_assert(ipmimsg_is_response(&m) == ((k->netfn & 1) != 0));
	}
}
END_TEST

/* Every field at its extremes: encode, decode, compare. */
START_TEST(round_trip)
{
	uint8_t data[IPMIMSG_MAX_DATA], out[IPMIMSG_MAX_LEN + 4];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 5);
	for (unsigned v = 0; v < 64; v++) {
		struct ipmimsg m = {
			.dst_addr = (uint8_t)(v * 4 + 3),
			.netfn = (uint8_t)v,
			.dst_lun = (uint8_t)(v & 3),
			.src_addr = (uint8_t)(255 - v),
			.seq = (uint8_t)(63 - v),
			.src_lun = (uint8_t)((v >> 2) & 3),
			.cmd = (uint8_t)(v * 5),
			.data = data,
			.data_len = (v & 1) ? (v * 4) % 256 + 1 : v * 4, /* responses: >= 1 */
		}, d;
		struct wire_wr w = wire_wr_make(out, sizeof(out));
		int n;

		if (v == 63)
			m.data_len = IPMIMSG_MAX_DATA;
		n = ipmimsg_encode(&m, &w);
		ck_assert_int_eq(n, (int)(IPMIMSG_MIN_LEN + m.data_len));
		ck_assert_int_eq(ipmimsg_decode(out, (size_t)n, &d), 0);
		ck_assert_uint_eq(d.dst_addr, m.dst_addr);
		ck_assert_uint_eq(d.netfn, m.netfn);
		ck_assert_uint_eq(d.dst_lun, m.dst_lun);
		ck_assert_uint_eq(d.src_addr, m.src_addr);
		ck_assert_uint_eq(d.seq, m.seq);
		ck_assert_uint_eq(d.src_lun, m.src_lun);
		ck_assert_uint_eq(d.cmd, m.cmd);
		ck_assert_uint_eq(d.data_len, m.data_len);
		ck_assert_mem_eq(d.data, data, m.data_len);
	}
}
END_TEST

START_TEST(encode_bad_args)
{
	uint8_t data[IPMIMSG_MAX_DATA + 1] = { 0 }, out[512];
	const struct ipmimsg ok = { 0x20, 0x06, 0, 0x81, 0, 0, 0x01, NULL, 0 };
	struct ipmimsg m;
	struct wire_wr w;

#define BAD(field, value)                                                                          \
	do {                                                                                       \
		m = ok;                                                                            \
		m.field = value;                                                                   \
		w = wire_wr_make(out, sizeof(out));                                                \
		ck_assert_int_eq(ipmimsg_encode(&m, &w), IPMI_E_ARG);                              \
		ck_assert_uint_eq(w.len, 0);                                                       \
	} while (0)
	BAD(netfn, 0x40);
	BAD(dst_lun, 4);
	BAD(src_lun, 4);
	BAD(seq, 0x40);
	BAD(data_len, 1); /* data NULL */
#undef BAD
	m = ok;
	m.data = data;
	m.data_len = IPMIMSG_MAX_DATA + 1;
	w = wire_wr_make(out, sizeof(out));
	ck_assert_int_eq(ipmimsg_encode(&m, &w), IPMI_E_ARG);
}
END_TEST

/* Every output capacity short of the message: IPMI_E_NOSPACE, no overrun. */
START_TEST(encode_nospace)
{
	for (size_t i = 0; i < NKNOWN; i++) {
		uint8_t want[64], data[32];
		size_t wlen = tu_hex(known[i].hex, want, sizeof(want));
		struct ipmimsg m = known[i].m;

		tu_hex(known[i].data, data, sizeof(data));
		m.data = data;
		for (size_t cap = 0; cap < wlen; cap++) {
			uint8_t *out = malloc(cap > 0 ? cap : 1); /* exact size for ASan */
			struct wire_wr w = wire_wr_make(out, cap);

			ck_assert_int_eq(ipmimsg_encode(&m, &w), IPMI_E_NOSPACE);
			ck_assert(!wire_wr_ok(&w));
			free(out);
		}
	}
}
END_TEST

/* Any single flipped bit breaks one of the two checksums. */
START_TEST(bit_flips)
{
	for (size_t i = 0; i < NKNOWN; i++) {
		uint8_t buf[64];
		size_t len = tu_hex(known[i].hex, buf, sizeof(buf));
		struct ipmimsg m;

		for (size_t bit = 0; bit < len * 8; bit++) {
			buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			ck_assert_int_eq(ipmimsg_decode(buf, len, &m), IPMI_E_CHECKSUM);
			buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
	}
}
END_TEST

/*
 * Every prefix of every known message.  Shorter than 7 bytes is always
 * IPMI_E_TRUNCATED.  A longer prefix can legitimately be a valid shorter
 * message (if its bytes happen to sum to 0), so the result must equal the
 * independent rule in ref_valid(); each prefix sits in its own heap block
 * so that ASan catches any read past it.
 */
START_TEST(truncations)
{
	for (size_t i = 0; i < NKNOWN; i++) {
		uint8_t buf[64];
		size_t len = tu_hex(known[i].hex, buf, sizeof(buf));

		for (size_t n = 0; n < len; n++) {
			uint8_t *p = malloc(n > 0 ? n : 1);
			struct ipmimsg m;
			int rc;

			memcpy(p, buf, n);
			rc = ipmimsg_decode(p, n, &m);
			if (n < IPMIMSG_MIN_LEN)
				ck_assert_int_eq(rc, IPMI_E_TRUNCATED);
			else if (ref_valid(p, n))
				ck_assert_int_eq(rc, 0);
			else
				ck_assert_int_lt(rc, 0);
			free(p);
		}
	}
}
END_TEST

/* A response without its completion code is refused; a request is fine. */
START_TEST(response_needs_cc)
{
	uint8_t req[] = { 0x20, 0x18, 0xc8, 0x81, 0x0c, 0x01, 0x72 };
	uint8_t rsp[] = { 0x81, 0x1c, 0x63, 0x20, 0x0c, 0x01, 0xd3 };
	struct ipmimsg m;

	ck_assert_int_eq(ipmimsg_decode(req, sizeof(req), &m), 0);
	ck_assert_uint_eq(m.data_len, 0);
	ck_assert_int_eq(ipmimsg_decode(rsp, sizeof(rsp), &m), IPMI_E_TRUNCATED);
}
END_TEST

/* Every IPMI message inside the captured sessions decodes and re-encodes. */
START_TEST(captured_messages)
{
	struct tu_vec *v = malloc(sizeof(*v));
	size_t nmsg = 0;

	tu_vec_load(tu_vec_suites[_i], v);
	for (size_t i = 0; i < v->npkt; i++) {
		const struct tu_pkt *p = &v->pkt[i];
		uint8_t out[IPMIMSG_MAX_LEN];
		struct wire_wr w = wire_wr_make(out, sizeof(out));
		struct ipmimsg m;

		if (p->kind != TU_SESSION)
			continue;
		ck_assert_int_eq(ipmimsg_decode(p->msg, p->msg_len, &m), 0);
		ck_assert(ipmimsg_is_response(&m) == !p->to_bmc);
		ck_assert_uint_eq(m.dst_addr, p->to_bmc ? IPMI_BMC_ADDR : IPMI_REMOTE_SWID);
		ck_assert_uint_eq(m.src_addr, p->to_bmc ? IPMI_REMOTE_SWID : IPMI_BMC_ADDR);
		ck_assert_int_eq(ipmimsg_encode(&m, &w), (int)p->msg_len);
		ck_assert_mem_eq(out, p->msg, p->msg_len);
		nmsg++;
	}
	ck_assert_uint_eq(nmsg, 14);
	free(v);
}
END_TEST

/* Request/response pairs in the captures match; a changed field breaks it. */
START_TEST(matches)
{
	uint8_t qb[64], rb[64];
	size_t ql = tu_hex(known[1].hex, qb, sizeof(qb)), rl = tu_hex(known[4].hex, rb, sizeof(rb));
	struct ipmimsg q, r, x;

	ck_assert_int_eq(ipmimsg_decode(qb, ql, &q), 0);
	ck_assert_int_eq(ipmimsg_decode(rb, rl, &r), 0);
	ck_assert(ipmimsg_matches(&q, &r));
	ck_assert(!ipmimsg_matches(&r, &q));
	x = r;
	x.seq ^= 1;
	ck_assert(!ipmimsg_matches(&q, &x));
	x = r;
	x.cmd ^= 1;
	ck_assert(!ipmimsg_matches(&q, &x));
	x = r;
	x.netfn = q.netfn;
	ck_assert(!ipmimsg_matches(&q, &x));
	x = r;
	x.netfn = q.netfn + 3;
	ck_assert(!ipmimsg_matches(&q, &x));
	x = r;
	x.dst_addr ^= 2;
	ck_assert(!ipmimsg_matches(&q, &x));
	x = r;
	x.src_addr ^= 2;
	ck_assert(!ipmimsg_matches(&q, &x));
	x = r;
	x.dst_lun = 2;
	ck_assert(!ipmimsg_matches(&q, &x));
	x = r;
	x.data_len = 0;
	ck_assert(!ipmimsg_matches(&q, &x));
	/* the other captured pairs */
	ck_assert_int_eq(ipmimsg_decode(qb, tu_hex(known[2].hex, qb, sizeof(qb)), &q), 0);
	ck_assert_int_eq(ipmimsg_decode(rb, tu_hex(known[3].hex, rb, sizeof(rb)), &r), 0);
	ck_assert(ipmimsg_matches(&q, &r));
	ck_assert_int_eq(ipmimsg_decode(qb, tu_hex(known[5].hex, qb, sizeof(qb)), &q), 0);
	ck_assert_int_eq(ipmimsg_decode(rb, tu_hex(known[6].hex, rb, sizeof(rb)), &r), 0);
	ck_assert(ipmimsg_matches(&q, &r));
}
END_TEST

START_TEST(cc_names)
{
	ck_assert_str_eq(ipmimsg_cc_str(0x00), "Command completed normally");
	ck_assert_str_eq(ipmimsg_cc_str(0xc1), "Invalid command");
	ck_assert_str_eq(ipmimsg_cc_str(0xd4), "Insufficient privilege level");
	ck_assert_str_eq(ipmimsg_cc_str(0xff), "Unspecified error");
	ck_assert_ptr_null(ipmimsg_cc_str(0x01));
	ck_assert_ptr_null(ipmimsg_cc_str(0x7f));
	ck_assert_ptr_null(ipmimsg_cc_str(0xd7));
	ck_assert_ptr_null(ipmimsg_cc_str(0xfe));
	/* the generic range C0h..D6h is complete */
	for (unsigned cc = 0xc0; cc <= 0xd6; cc++)
		ck_assert_ptr_nonnull(ipmimsg_cc_str((uint8_t)cc));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipmimsg");
	TCase *tc = tu_tcase(s, "codec");

	tcase_add_test(tc, checksum_known);
	tcase_add_test(tc, encode_known);
	tcase_add_test(tc, decode_known);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, encode_bad_args);
	tcase_add_test(tc, encode_nospace);
	tcase_add_test(tc, response_needs_cc);
	tcase_add_test(tc, matches);
	tcase_add_test(tc, cc_names);
	tc = tu_tcase(s, "negative");
	tcase_add_test(tc, bit_flips);
	tcase_add_test(tc, truncations);
	tc = tu_tcase(s, "captured");
	tcase_add_loop_test(tc, captured_messages, 0, (int)tu_vec_nsuites);
	return tu_run(s);
}
