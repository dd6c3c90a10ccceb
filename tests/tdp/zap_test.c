/*
 * Tests for backends/tdp/zap.c: zapping a gfn range clears its leaves,
 * frees the tables wholly inside it, and says whether a flush is needed.
 */
#include "tests/tdp/tdp_test.h"
#include "tests/util/check_main.h"

static bool zap(struct t_vm *t, uint64_t start, uint64_t end)
{
	bool flush;

	plat_write_lock(t->vm->mmu_lock);
	flush = t->vm->ops->zap_gfn_range(t->vm, start, end);
	plat_write_unlock(t->vm->mmu_lock);
	return flush;
}

START_TEST(zapping_a_range_clears_its_leaves_only)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	int level;

	t_slot(t, 0, 0x100, 0x300, 0, MMU_LEVEL_4K, 0, 10);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_int_eq(t_fault(t, 0x101000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_int_eq(t_fault(t, 0x300000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 3);

	ck_assert(zap(t, 0x100, 0x101));
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), 0);
	ck_assert_int_eq(level, 1);   /* the PT stays: it is not wholly in the range */
	ck_assert_uint_eq(t_leaf(t, 0x101, &level) & T_ADDR_MASK, t_hpa(t, 0x101));
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 2);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_ZAPS), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_SPTES_ZAPPED), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_FREED), 0);

	/* Nothing mapped there: no flush needed. */
	ck_assert(!zap(t, 0x102, 0x200));
	ck_assert_uint_eq(t_stat(t, MMU_STAT_ZAPS), 2);
	/* The fault maps it again. */
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_FIXED);
	t_vm_destroy(t);
}
END_TEST

/* Zap everything: the tables under the root go too (PDPT, PD, two PTs). */
START_TEST(zapping_everything_frees_the_tables)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_NPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	uint64_t flushes;
	int level;

	t_slot(t, 0, 0x100, 0x300, 0, MMU_LEVEL_4K, 0, 10);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_int_eq(t_fault(t, 0x300000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L1), 2);
	flushes = t->host.flushes;
	mmu_zap_all(t->vm);
	ck_assert_uint_eq(t->host.flushes, flushes + 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_FREED), 4);
	/* PML4E + PDPTE + 2 PDEs + 2 PTEs */
	ck_assert_uint_eq(t_stat(t, MMU_STAT_SPTES_ZAPPED), 6);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MEM_LIVE), 4096 + 64);  /* the root alone */
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), 0);
	ck_assert_int_eq(level, 4);
	t_vm_destroy(t);
}
END_TEST

/* A huge leaf only partly in the range is zapped whole. */
START_TEST(a_partly_covered_huge_leaf_is_zapped_whole)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	int level;

	t_slot(t, 0, 0x200, 0x200, 0, MMU_LEVEL_2M, 0x200, 9);
	ck_assert_int_eq(t_fault(t, 0x200000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_2M), 1);
	ck_assert(zap(t, 0x210, 0x211));
	ck_assert_uint_eq(t_leaf(t, 0x3ff, &level), 0);
	ck_assert_int_eq(level, 2);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_2M), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_SPTES_ZAPPED), 1);
	t_vm_destroy(t);
}
END_TEST

/* Deleting a memslot zaps it and flushes (memslot.c calls the zap). */
START_TEST(deleting_a_memslot_unmaps_it)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	uint64_t flushes;
	int level;

	t_slot(t, 0, 0x200, 0x200, 0, MMU_LEVEL_4K, 0x200, 9);
	ck_assert_int_eq(t_fault(t, 0x234000, ACCESS_WRITE), MMU_FAULT_FIXED);
	flushes = t->host.flushes;
	ck_assert_int_eq(mmu_memslot_delete(t->vm, 0), 0);
	ck_assert_uint_eq(t->host.flushes, flushes + 1);
	/* The PT covered 0x200-0x3ff, wholly the slot: freed. */
	ck_assert_uint_eq(t_leaf(t, 0x234, &level), 0);
	ck_assert_int_eq(level, 2);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_FREED), 1);
	/* The gfn is MMIO now. */
	ck_assert_int_eq(t_fault(t, 0x234000, ACCESS_READ), MMU_FAULT_MMIO);
	t_vm_destroy(t);
}
END_TEST

static Suite *tdp_zap_suite(void)
{
	Suite *s = suite_create("tdp_zap");
	TCase *tc = tcase_create("zap");

	tcase_add_test(tc, zapping_a_range_clears_its_leaves_only);
	tcase_add_test(tc, zapping_everything_frees_the_tables);
	tcase_add_test(tc, a_partly_covered_huge_leaf_is_zapped_whole);
	tcase_add_test(tc, deleting_a_memslot_unmaps_it);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(tdp_zap_suite)
