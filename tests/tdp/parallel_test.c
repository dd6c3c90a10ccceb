/*
 * Tests for the parallel fault path of backends/tdp/fault.c: two vCPU
 * threads fault interleaved gfns under the read lock at the same time, so
 * they race to link the same tables.  Every SPTE must come out right and
 * no table may be linked twice (the counts of table pages are exact).
 */
#include <pthread.h>

#include "tests/tdp/tdp_test.h"
#include "tests/util/check_main.h"

#define P_BASE 0x1000ULL
#define P_PAGES 4096ULL   /* 8 PTs under one PD */
#define P_ROUNDS 20

struct p_arg {
	struct t_vm *t;
	unsigned vcpu;
	pthread_barrier_t *start;
	unsigned bad;         /* faults that did not come back FIXED */
};

static void *p_fault_half(void *opaque)
{
	struct p_arg *a = opaque;
	uint64_t i;

	pthread_barrier_wait(a->start);
	for (i = a->vcpu; i < P_PAGES; i += 2) {
		struct mmu_fault f = {
			.addr = (P_BASE + i) << 12,
			.access = (i & 4) ? ACCESS_WRITE : ACCESS_READ,
		};

		if (mmu_page_fault(a->t->v[a->vcpu], &f) || f.outcome != MMU_FAULT_FIXED)
			a->bad++;
	}
	return NULL;
}

START_TEST(two_vcpus_faulting_at_once_build_one_correct_tree)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 2);
	unsigned round;

	t_slot(t, 0, P_BASE, P_PAGES, 0, MMU_LEVEL_4K, P_BASE, 12);
	for (round = 1; round <= P_ROUNDS; round++) {
		pthread_barrier_t start;
		struct p_arg a[2] = { { t, 0, &start, 0 }, { t, 1, &start, 0 } };
		pthread_t th[2];
		uint64_t i;
		int level;

		pthread_barrier_init(&start, NULL, 2);
		ck_assert_int_eq(pthread_create(&th[0], NULL, p_fault_half, &a[0]), 0);
		ck_assert_int_eq(pthread_create(&th[1], NULL, p_fault_half, &a[1]), 0);
		pthread_join(th[0], NULL);
		pthread_join(th[1], NULL);
		pthread_barrier_destroy(&start);
		ck_assert_uint_eq(a[0].bad + a[1].bad, 0);

		for (i = 0; i < P_PAGES; i++) {
			bool w = (i & 4) != 0;  /* written: D set; a read maps W too */

			ck_assert_uint_eq(t_leaf(t, P_BASE + i, &level),
					  t_ept_leaf(t_hpa(t, P_BASE + i), 1, true, true, w));
		}
		ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), P_PAGES);
		ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_FIXED), round * P_PAGES);
		/* Per round exactly one PDPT, one PD and 8 PTs, whoever won each race. */
		ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L3), round);
		ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L2), round);
		ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L1), 8 * round);
		ck_assert_uint_eq(t_stat(t, MMU_STAT_SPTES_WRITTEN), round * (P_PAGES + 10));
		ck_assert_uint_eq(t_stat(t, MMU_STAT_MEM_LIVE), 11 * (4096 + 64));
		mmu_zap_all(t->vm);
		ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 0);
		ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_FREED), 10 * round);
	}
	t_vm_destroy(t);
}
END_TEST

static Suite *tdp_parallel_suite(void)
{
	Suite *s = suite_create("tdp_parallel");
	TCase *tc = tcase_create("parallel");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, two_vcpus_faulting_at_once_build_one_correct_tree);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(tdp_parallel_suite)
