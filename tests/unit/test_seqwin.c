/*
 * test_seqwin.c - the inbound replay window and the outbound counter.
 */
#include <stdint.h>

#include <check.h>

#include "ipmierr.h"
#include "seqwin.h"
#include "tutil.h"

/* check + commit, as lanplus_open does after the MAC verified */
static int
accept(struct seqwin *w, uint32_t seq)
{
	int rc = seqwin_check(w, seq);

	if (rc == 0)
		seqwin_commit(w, seq);
	return rc;
}

START_TEST(zero_never_valid)
{
	struct seqwin w;

	seqwin_init(&w);
	ck_assert_uint_eq(w.top, 0);
	ck_assert_uint_eq(w.seen, 0);
	ck_assert_int_eq(seqwin_check(&w, 0), IPMI_E_SEQ_OLD);
	ck_assert_int_eq(accept(&w, 5), 0);
	ck_assert_int_eq(seqwin_check(&w, 0), IPMI_E_SEQ_OLD);
	/* near the top of the range as well (0 is "just after" UINT32_MAX) */
	seqwin_init(&w);
	ck_assert_int_eq(accept(&w, UINT32_MAX), 0);
	ck_assert_int_eq(seqwin_check(&w, 0), IPMI_E_SEQ_OLD);
	ck_assert_int_eq(accept(&w, 1), 0);
	ck_assert_int_eq(seqwin_check(&w, 0), IPMI_E_SEQ_OLD);
}
END_TEST

START_TEST(first_any_nonzero)
{
	static const uint32_t firsts[] = { 1,           2,           3,         0x7fffffffu,
		                           0x80000000u, 0xfffffffeu, UINT32_MAX };

	for (size_t i = 0; i < sizeof(firsts) / sizeof(firsts[0]); i++) {
		struct seqwin w;

		seqwin_init(&w);
		ck_assert_int_eq(seqwin_check(&w, firsts[i]), 0);
		seqwin_commit(&w, firsts[i]);
		ck_assert_uint_eq(w.top, firsts[i]);
		ck_assert_uint_eq(w.seen, 1);
		ck_assert_int_eq(seqwin_check(&w, firsts[i]), IPMI_E_REPLAY);
	}
}
END_TEST

START_TEST(replay_and_reorder)
{
	struct seqwin w;

	seqwin_init(&w);
	ck_assert_int_eq(accept(&w, 10), 0);
	ck_assert_int_eq(accept(&w, 10), IPMI_E_REPLAY);
	ck_assert_int_eq(accept(&w, 12), 0);
	ck_assert_int_eq(w.top, 12);
	/* 11 was skipped: late arrival accepted once, top unchanged */
	ck_assert_int_eq(accept(&w, 11), 0);
	ck_assert_uint_eq(w.top, 12);
	ck_assert_int_eq(accept(&w, 11), IPMI_E_REPLAY);
	ck_assert_int_eq(accept(&w, 12), IPMI_E_REPLAY);
	ck_assert_int_eq(accept(&w, 9), 0);
	ck_assert_int_eq(accept(&w, 9), IPMI_E_REPLAY);
	ck_assert_uint_eq(w.seen, 0xfu); /* 12, 11, 10, 9 */
	/* check alone never records */
	ck_assert_int_eq(seqwin_check(&w, 13), 0);
	ck_assert_int_eq(seqwin_check(&w, 13), 0);
	ck_assert_int_eq(seqwin_check(&w, 8), 0);
	ck_assert_int_eq(seqwin_check(&w, 8), 0);
}
END_TEST

START_TEST(window_edge)
{
	struct seqwin w;

	seqwin_init(&w);
	ck_assert_int_eq(accept(&w, 100), 0);
	ck_assert_int_eq(seqwin_check(&w, 100 - 31), 0);
	ck_assert_int_eq(seqwin_check(&w, 100 - 32), IPMI_E_SEQ_OLD);
	ck_assert_int_eq(seqwin_check(&w, 100 - 33), IPMI_E_SEQ_OLD);
	ck_assert_int_eq(seqwin_check(&w, 1), IPMI_E_SEQ_OLD);
	ck_assert_int_eq(accept(&w, 100 - 31), 0);
	ck_assert_int_eq(accept(&w, 100 - 31), IPMI_E_REPLAY);
	ck_assert_uint_eq(w.seen, 0x80000001u);
}
END_TEST

/* Moving the top by 1, 31, 32 and more shifts or clears the history. */
START_TEST(jumps)
{
	struct seqwin w;

	seqwin_init(&w);
	accept(&w, 100);
	ck_assert_int_eq(accept(&w, 131), 0);
	ck_assert_int_eq(seqwin_check(&w, 100), IPMI_E_REPLAY); /* behind 31, seen */
	ck_assert_int_eq(seqwin_check(&w, 101), 0);

	seqwin_init(&w);
	accept(&w, 100);
	ck_assert_int_eq(accept(&w, 132), 0);
	ck_assert_int_eq(seqwin_check(&w, 100), IPMI_E_SEQ_OLD);
	ck_assert_int_eq(seqwin_check(&w, 101), 0);
	ck_assert_uint_eq(w.seen, 1);

	seqwin_init(&w);
	accept(&w, 5);
	accept(&w, 6);
	ck_assert_int_eq(accept(&w, 5000), 0);
	ck_assert_uint_eq(w.seen, 1);
	ck_assert_int_eq(seqwin_check(&w, 4999), 0);
	ck_assert_int_eq(seqwin_check(&w, 6), IPMI_E_SEQ_OLD);

	/* newer means forward by less than 2^31 (wrap arithmetic) */
	seqwin_init(&w);
	accept(&w, 10);
	ck_assert_int_eq(seqwin_check(&w, 10 + 0x7fffffffu), 0);
	ck_assert_int_eq(seqwin_check(&w, 10 + 0x80000000u), IPMI_E_SEQ_OLD);
}
END_TEST

/* Top near 0xFFFFFFFF, then 1, 2: the window carries across the wrap. */
START_TEST(wrap_around)
{
	struct seqwin w;

	seqwin_init(&w);
	for (uint32_t s = 0xfffffff0u; s != 0; s++)
		ck_assert_int_eq(accept(&w, s), 0);
	ck_assert_uint_eq(w.top, UINT32_MAX);
	ck_assert_int_eq(accept(&w, 1), 0);
	ck_assert_int_eq(accept(&w, 2), 0);
	ck_assert_uint_eq(w.top, 2);
	ck_assert_int_eq(seqwin_check(&w, 1), IPMI_E_REPLAY);
	ck_assert_int_eq(seqwin_check(&w, 2), IPMI_E_REPLAY);
	ck_assert_int_eq(seqwin_check(&w, UINT32_MAX), IPMI_E_REPLAY);
	ck_assert_int_eq(seqwin_check(&w, 0xfffffff0u), IPMI_E_REPLAY);
	/* 0 takes a slot too: from top 2, 0xFFFFFFE3 is 31 behind, E2h 32 */
	ck_assert_int_eq(seqwin_check(&w, 0xffffffefu), 0); /* never sent */
	ck_assert_int_eq(seqwin_check(&w, 0xffffffe3u), 0);
	ck_assert_int_eq(seqwin_check(&w, 0xffffffe2u), IPMI_E_SEQ_OLD);
	ck_assert_int_eq(seqwin_check(&w, 3), 0);
	ck_assert_int_eq(seqwin_check(&w, 0), IPMI_E_SEQ_OLD);

	/* skipping over 0: the numbers before it are still welcome once */
	seqwin_init(&w);
	ck_assert_int_eq(accept(&w, 0xfffffffeu), 0);
	ck_assert_int_eq(accept(&w, 3), 0);
	ck_assert_int_eq(accept(&w, UINT32_MAX), 0);
	ck_assert_int_eq(accept(&w, 1), 0);
	ck_assert_int_eq(accept(&w, 2), 0);
	ck_assert_int_eq(accept(&w, 1), IPMI_E_REPLAY);
	ck_assert_int_eq(accept(&w, 0xfffffffeu), IPMI_E_REPLAY);
	ck_assert_uint_eq(w.top, 3);
}
END_TEST

/*
 * Model check: a random walk of sequence numbers against a plain model that
 * remembers accepted numbers in a list, from several starting points
 * (including just below the wrap and around 2^31).
 */
struct model {
	bool any;
	uint32_t top;
	uint32_t acc[64];
	size_t nacc;
};

static int
model_check(const struct model *m, uint32_t seq)
{
	if (seq == 0)
		return IPMI_E_SEQ_OLD;
	if (!m->any)
		return 0;
	if (seq != m->top && seq - m->top < 0x80000000u)
		return 0;
	if (m->top - seq >= 32)
		return IPMI_E_SEQ_OLD;
	for (size_t i = 0; i < m->nacc; i++)
		if (m->acc[i] == seq)
			return IPMI_E_REPLAY;
	return 0;
}

static void
model_commit(struct model *m, uint32_t seq)
{
	size_t j = 0;

	if (!m->any || (seq != m->top && seq - m->top < 0x80000000u))
		m->top = seq;
	m->any = true;
	m->acc[m->nacc++] = seq;
	for (size_t i = 0; i < m->nacc; i++) /* forget what left the window */
		if (m->top - m->acc[i] < 32)
			m->acc[j++] = m->acc[i];
	m->nacc = j;
}

START_TEST(model_walk)
{
	static const uint32_t starts[] = { 1, 1000, 0xffffff00u, 0x7fffff80u, 0xfffffff0u };
	uint32_t rnd = 12345;

	for (size_t k = 0; k < sizeof(starts) / sizeof(starts[0]); k++) {
		struct seqwin w;
		struct model m = { 0 };
		uint32_t base = starts[k];
		size_t accepted = 0, replays = 0, olds = 0;

		seqwin_init(&w);
		for (int step = 0; step < 20000; step++) {
			uint32_t seq;
			int want, got;

			rnd = rnd * 1103515245u + 12345u;
			/* mostly near the top, sometimes far back */
			seq = (m.any ? m.top : base) + ((rnd >> 16) % 80) - 50;
			if ((rnd >> 8) % 97 == 0)
				seq = (m.any ? m.top : base) - 1000;
			want = model_check(&m, seq);
			got = seqwin_check(&w, seq);
			ck_assert_msg(got == want,
			              "start %08x step %d seq %08x top %08x: got %d want %d", base,
			              step, seq, w.top, got, want);
			if (got == 0) {
				seqwin_commit(&w, seq);
				model_commit(&m, seq);
				ck_assert_uint_eq(w.top, m.top);
				accepted++;
			} else if (got == IPMI_E_REPLAY) {
				replays++;
			} else {
				olds++;
			}
		}
		/* the walk really exercised every outcome */
		ck_assert_uint_gt(accepted, 1000);
		ck_assert_uint_gt(replays, 1000);
		ck_assert_uint_gt(olds, 100);
	}
}
END_TEST

START_TEST(next_out)
{
	uint32_t s = 0xfffffff0u;

	ck_assert_uint_eq(seqwin_next_out(0), 1);
	ck_assert_uint_eq(seqwin_next_out(1), 2);
	ck_assert_uint_eq(seqwin_next_out(0x7fffffffu), 0x80000000u);
	ck_assert_uint_eq(seqwin_next_out(UINT32_MAX - 1), UINT32_MAX);
	ck_assert_uint_eq(seqwin_next_out(UINT32_MAX), 1);
	for (int i = 0; i < 100; i++) {
		uint32_t n = seqwin_next_out(s);

		ck_assert_uint_ne(n, 0);
		ck_assert_uint_eq(n, s == UINT32_MAX ? 1 : s + 1);
		s = n;
	}
	ck_assert_uint_eq(s, 85); /* 15 steps to the top, then 1 .. 85 */
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("seqwin");
	TCase *tc = tu_tcase(s, "seqwin");

	tcase_add_test(tc, zero_never_valid);
	tcase_add_test(tc, first_any_nonzero);
	tcase_add_test(tc, replay_and_reorder);
	tcase_add_test(tc, window_edge);
	tcase_add_test(tc, jumps);
	tcase_add_test(tc, wrap_around);
	tcase_add_test(tc, model_walk);
	tcase_add_test(tc, next_out);
	return tu_run(s);
}
