/*
 * Tests for core/x86/rmap.c: reverse maps checked against a plain array
 * under random churn, plus the inline/descriptor transitions and the
 * histogram buckets.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>

#include "core/cache.h"
#include "core/x86/rmap.h"
#include "tests/util/check_main.h"

#define NSPTES 200

static uint64_t sptes[NSPTES];  /* the SPTEs the rmap points at (contents unused) */

static void topup(struct mmu_cache *c)
{
	ck_assert_int_eq(mmu_cache_topup(c, RMAP_ADD_MAX_DESCS), 0);
}

/*
 * The rmap holds exactly the `n` pointers in ref[] (in any order).  Plain
 * checks with one ck_abort_msg: Check's per-assert bookkeeping would make
 * 20000 rounds crawl under ASan.
 */
static void check_same_set(const struct rmap_head *h, volatile uint64_t *const *ref, unsigned n)
{
	bool seen[NSPTES] = { false };
	struct rmap_iter it;
	volatile uint64_t *p;
	unsigned count = 0;

	if (rmap_count(h) != n)
		ck_abort_msg("rmap_count %u, expected %u", rmap_count(h), n);
	for (p = rmap_first(h, &it); p; p = rmap_next(&it)) {
		unsigned i = (unsigned)((const uint64_t *)p - sptes);

		if (i >= NSPTES || seen[i])
			ck_abort_msg("iterated %p: foreign or twice", (void *)p);
		seen[i] = true;
		count++;
	}
	if (count != n)
		ck_abort_msg("iterated %u SPTEs, expected %u", count, n);
	for (unsigned j = 0; j < n; j++)
		if (!seen[ref[j] - sptes])
			ck_abort_msg("spte %td not iterated", ref[j] - sptes);
}

START_TEST(empty_rmap)
{
	struct rmap_head h = { 0 };
	struct rmap_iter it;

	ck_assert_uint_eq(rmap_count(&h), 0);
	ck_assert(rmap_first(&h, &it) == NULL);
	rmap_clear(&h);
	ck_assert_uint_eq(h.val, 0);
}
END_TEST

START_TEST(inline_then_descriptors_then_inline)
{
	struct mmu_cache c;
	struct rmap_head h = { 0 };
	struct rmap_desc *d;

	mmu_cache_init(&c, MMU_CACHE_OBJECTS, sizeof(struct rmap_desc));
	/* One SPTE: the head is the pointer itself, nothing allocated. */
	topup(&c);
	rmap_add(&h, &sptes[0], &c);
	ck_assert_uint_eq(h.val, (uintptr_t)&sptes[0]);
	ck_assert_uint_eq(c.nobjs, 1);
	/* Two: one descriptor, tagged with bit 0. */
	rmap_add(&h, &sptes[1], &c);
	ck_assert_uint_eq(h.val & 1, 1);
	ck_assert_uint_eq(c.nobjs, 0);
	d = (struct rmap_desc *)(h.val & ~(uintptr_t)1);
	ck_assert_uint_eq(d->count, 2);
	ck_assert_ptr_null(d->next);
	/* Fill the first descriptor, then one more prepends a new head. */
	for (unsigned i = 2; i < RMAP_DESC_SPTES; i++)
		rmap_add(&h, &sptes[i], &c);
	ck_assert_uint_eq(d->count, RMAP_DESC_SPTES);
	topup(&c);
	rmap_add(&h, &sptes[RMAP_DESC_SPTES], &c);
	ck_assert_ptr_eq(((struct rmap_desc *)(h.val & ~(uintptr_t)1))->next, d);
	ck_assert_uint_eq(((struct rmap_desc *)(h.val & ~(uintptr_t)1))->count, 1);
	ck_assert_uint_eq(((struct rmap_desc *)(h.val & ~(uintptr_t)1))->tail_count, RMAP_DESC_SPTES);
	ck_assert_uint_eq(rmap_count(&h), RMAP_DESC_SPTES + 1);
	/* Removing the head's only entry frees it: d is the head again. */
	rmap_remove(&h, &sptes[RMAP_DESC_SPTES]);
	ck_assert_ptr_eq((void *)(h.val & ~(uintptr_t)1), d);
	/* Removing a middle entry fills the hole from the head's last. */
	rmap_remove(&h, &sptes[3]);
	ck_assert(d->sptes[3] == &sptes[RMAP_DESC_SPTES - 1]);
	ck_assert_uint_eq(d->count, RMAP_DESC_SPTES - 1);
	/* Down to one: back to inline. */
	for (unsigned i = 1; i < RMAP_DESC_SPTES; i++)
		if (i != 3 && i != 7)
			rmap_remove(&h, &sptes[i]);
	ck_assert_uint_eq(rmap_count(&h), 2);
	rmap_remove(&h, &sptes[0]);
	ck_assert_uint_eq(h.val, (uintptr_t)&sptes[7]);
	rmap_remove(&h, &sptes[7]);
	ck_assert_uint_eq(h.val, 0);
	mmu_cache_free(&c);
}
END_TEST

/*
 * Thousands of random adds and removes against a reference array; after
 * every operation the count and the iterated set must match it exactly.
 * The set size wanders over 0..NSPTES, crossing every shape.
 */
START_TEST(random_churn_matches_a_reference_array)
{
	struct mmu_cache c;
	struct rmap_head h = { 0 };
	static volatile uint64_t *ref[NSPTES];
	static bool in[NSPTES];
	unsigned n = 0, max_n = 0, empties = 0;
	unsigned seed = 12345;

	mmu_cache_init(&c, MMU_CACHE_OBJECTS, sizeof(struct rmap_desc));
	for (unsigned op = 0; op < 20000; op++) {
		unsigned r = rand_r(&seed);
		/* Bias toward adding in the first half so long chains appear. */
		bool add = n == 0 || (n < NSPTES && (r % 100) < ((op / 2000) % 2 ? 35u : 65u));

		if (add) {
			unsigned i;

			do
				i = (unsigned)rand_r(&seed) % NSPTES;
			while (in[i]);
			if (mmu_cache_topup(&c, RMAP_ADD_MAX_DESCS))
				ck_abort_msg("topup failed");
			rmap_add(&h, &sptes[i], &c);
			in[i] = true;
			ref[n++] = &sptes[i];
		} else {
			unsigned j = (unsigned)rand_r(&seed) % n;

			rmap_remove(&h, ref[j]);
			in[ref[j] - sptes] = false;
			ref[j] = ref[--n];
		}
		check_same_set(&h, ref, n);
		max_n = n > max_n ? n : max_n;
		empties += n == 0;
	}
	/* The walk really crossed the shapes: empty, inline, several descriptors. */
	ck_assert_uint_gt(max_n, 4 * RMAP_DESC_SPTES);
	ck_assert_uint_gt(empties, 1);
	rmap_clear(&h);
	ck_assert_uint_eq(rmap_count(&h), 0);
	mmu_cache_free(&c);
}
END_TEST

START_TEST(clear_frees_a_long_chain)
{
	struct mmu_cache c;
	struct rmap_head h = { 0 };

	mmu_cache_init(&c, MMU_CACHE_OBJECTS, sizeof(struct rmap_desc));
	for (unsigned i = 0; i < NSPTES; i++) {
		topup(&c);
		rmap_add(&h, &sptes[i], &c);
	}
	ck_assert_uint_eq(rmap_count(&h), NSPTES);
	rmap_clear(&h);  /* ASan's leak check sees a descriptor left behind */
	ck_assert_uint_eq(h.val, 0);
	mmu_cache_free(&c);
}
END_TEST

START_TEST(removing_an_absent_spte_stops)
{
	struct mmu_cache c;
	struct rmap_head h = { 0 };

	mmu_cache_init(&c, MMU_CACHE_OBJECTS, sizeof(struct rmap_desc));
	topup(&c);
	rmap_add(&h, &sptes[0], &c);
	rmap_add(&h, &sptes[1], &c);
	rmap_remove(&h, &sptes[2]);
}
END_TEST

START_TEST(removing_from_an_empty_rmap_stops)
{
	struct rmap_head h = { 0 };

	rmap_remove(&h, &sptes[0]);
}
END_TEST

START_TEST(histogram_buckets_are_powers_of_two)
{
	/* 0 | 1 | 2-3 | 4-7 | 8-15 | ... capped at the last bucket. */
	static const unsigned expect[][2] = {
		{ 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 2 }, { 4, 3 }, { 7, 3 }, { 8, 4 },
		{ 15, 4 }, { 16, 5 }, { 1000, 10 }, { 1023, 10 }, { 1024, 11 },
		{ 2048, 11 }, { 1u << 20, 11 }, { ~0u, 11 },
	};

	ck_assert_uint_eq(RMAP_HISTOGRAM_BUCKETS, 12);
	for (unsigned i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		ck_assert_uint_eq(rmap_histogram_bucket(expect[i][0]), expect[i][1]);
}
END_TEST

START_TEST(descriptor_is_two_cache_lines)
{
	ck_assert_uint_eq(sizeof(struct rmap_desc), 128);
}
END_TEST

static Suite *rmap_suite(void)
{
	Suite *s = suite_create("x86/rmap");
	TCase *tc = tcase_create("rmap");

	tcase_add_test(tc, empty_rmap);
	tcase_add_test(tc, inline_then_descriptors_then_inline);
	tcase_add_test(tc, random_churn_matches_a_reference_array);
	tcase_add_test(tc, clear_frees_a_long_chain);
	tcase_add_test_raise_signal(tc, removing_an_absent_spte_stops, SIGABRT);
	tcase_add_test_raise_signal(tc, removing_from_an_empty_rmap_stops, SIGABRT);
	tcase_add_test(tc, histogram_buckets_are_powers_of_two);
	tcase_add_test(tc, descriptor_is_two_cache_lines);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(rmap_suite)
