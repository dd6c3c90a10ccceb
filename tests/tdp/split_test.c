/*
 * Tests for backends/tdp/split.c: a huge leaf becomes a table of 512
 * smaller leaves with the same translation and the same rights, eagerly
 * when dirty logging starts or on the first write that needs 4K.
 */
#include "tests/tdp/tdp_test.h"
#include "tests/util/check_main.h"

START_TEST(eager_splitting_turns_a_2m_leaf_into_512_4k_leaves)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t;
	struct mmu_fault f;
	unsigned i;
	int level;

	cfg.eager_split = true;
	t = t_vm_create(&cfg, 1);
	t_slot(t, 0, 0x200, 0x200, 0, MMU_LEVEL_2M, 0x200, 9);
	ck_assert_int_eq(t_fault(t, 0x200000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_2M), 1);
	ck_assert_int_eq(mmu_memslot_set_flags(t->vm, 0, MMU_SLOT_DIRTY_LOG), 0);
	for (i = 0; i < 512; i++) {
		/* Same page, same A/D, no PS; write-protected by logging after the split. */
		ck_assert_uint_eq(t_leaf(t, 0x200 + i, &level),
				  t_ept_leaf(t_hpa(t, 0x200) + i * 4096ULL, 1, false, true, true));
		ck_assert_int_eq(level, 1);
	}
	ck_assert_uint_eq(t_stat(t, MMU_STAT_SPLITS), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_2M), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 512);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L1), 1);
	/* Idle split-cache pages are given back: only the 4 tables are live. */
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MEM_LIVE), 4 * (4096 + 64));

	ck_assert_int_eq(t_fault_full(t, 0, 0x345000, ACCESS_WRITE, false, &f), MMU_FAULT_FIXED);
	ck_assert_int_eq(f.level, 1);
	ck_assert_uint_eq(t->host.ndirty, 1);
	ck_assert_uint_eq(t->host.dirty[0], 0x345);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_SPLITS), 1);
	t_vm_destroy(t);
}
END_TEST

/* 1G -> 512 x 2M -> 512 x 512 x 4K: 513 tables, more than the split cache holds at once. */
START_TEST(eager_splitting_a_1g_leaf_refills_its_cache)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_NPT, true);
	struct t_vm *t;
	unsigned i;
	int level;

	cfg.eager_split = true;
	cfg.gbpages = true;
	t = t_vm_create(&cfg, 1);
	t_slot(t, 0, 0x40000, 0x40000, 0, MMU_LEVEL_1G, 0x40000, 18);
	ck_assert_int_eq(t_fault(t, 0x40000000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_1G), 1);
	ck_assert_int_eq(mmu_memslot_set_flags(t->vm, 0, MMU_SLOT_DIRTY_LOG), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_SPLITS), 513);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_1G), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_2M), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 512 * 512);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L2), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L1), 512);
	for (i = 0; i < 512 * 512; i += 4093)
		ck_assert_uint_eq(t_leaf(t, 0x40000 + i, &level),
				  t_npt_leaf(t_hpa(t, 0x40000) + i * 4096ULL, 1, false, false));
	t_vm_destroy(t);
}
END_TEST

/* Without eager splitting the first write splits: freeze, flush, table, then W. */
START_TEST(a_write_splits_a_huge_leaf_in_a_logged_slot)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	struct mmu_fault f;
	uint64_t flushes;
	int level;

	t_slot(t, 0, 0x200, 0x200, 0, MMU_LEVEL_2M, 0x200, 9);
	ck_assert_int_eq(t_fault(t, 0x200000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_int_eq(mmu_memslot_set_flags(t->vm, 0, MMU_SLOT_DIRTY_LOG), 0);
	/* Still one 2M leaf, write-protected. */
	ck_assert_uint_eq(t_leaf(t, 0x345, &level),
			  t_ept_leaf(t_hpa(t, 0x200), 2, false, true, false));
	flushes = t->host.flushes;
	ck_assert_int_eq(t_fault_full(t, 0, 0x345000, ACCESS_WRITE, false, &f), MMU_FAULT_FIXED);
	ck_assert_int_eq(f.level, 1);
	ck_assert_uint_eq(t->host.flushes, flushes + 1);
	ck_assert_uint_eq(t_leaf(t, 0x345, &level),
			  t_ept_leaf(t_hpa(t, 0x345), 1, true, true, true));
	ck_assert_uint_eq(t_leaf(t, 0x344, &level),
			  t_ept_leaf(t_hpa(t, 0x344), 1, false, true, false));
	ck_assert_uint_eq(t_stat(t, MMU_STAT_SPLITS), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 512);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_WRPROT), 1);
	ck_assert_uint_eq(t->host.ndirty, 1);
	ck_assert_uint_eq(t->host.dirty[0], 0x345);
	t_vm_destroy(t);
}
END_TEST

static Suite *tdp_split_suite(void)
{
	Suite *s = suite_create("tdp_split");
	TCase *tc = tcase_create("split");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, eager_splitting_turns_a_2m_leaf_into_512_4k_leaves);
	tcase_add_test(tc, eager_splitting_a_1g_leaf_refills_its_cache);
	tcase_add_test(tc, a_write_splits_a_huge_leaf_in_a_logged_slot);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(tdp_split_suite)
