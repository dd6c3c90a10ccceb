/*
 * Tests for the huge-page level choice of backends/tdp/fault.c: a leaf as
 * large as the memslot's alignment and coverage, the host backing and
 * gbpages allow (kvm-mmu notes §5.5).
 */
#include "tests/tdp/tdp_test.h"
#include "tests/util/check_main.h"

/* 2M-backed, 2M-aligned: one 2M leaf (PS, address 2M-aligned: SDM table 29-4). */
START_TEST(an_aligned_2m_backed_slot_gets_a_2m_leaf)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	struct mmu_fault f;
	int level;

	t_slot(t, 0, 0x200, 0x400, 0, MMU_LEVEL_2M, 0x200, 10);
	ck_assert_int_eq(t_fault_full(t, 0, 0x345678, ACCESS_READ, false, &f), MMU_FAULT_FIXED);
	ck_assert_int_eq(f.level, 2);
	ck_assert_uint_eq(t_leaf(t, 0x345, &level),
			  t_ept_leaf(t_hpa(t, 0x200), 2, true, true, false));
	ck_assert_int_eq(level, 2);
	/* Every gfn of the 2M page is mapped by it: a fault on another is spurious. */
	ck_assert_int_eq(t_fault(t, 0x3ff000, ACCESS_READ), MMU_FAULT_SPURIOUS);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_2M), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L1), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L2), 1);
	t_vm_destroy(t);
}
END_TEST

/* A slot starting at gfn 0x201: the 2M region it starts in is not wholly in it. */
START_TEST(a_misaligned_slot_edge_gets_4k_leaves)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_NPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	int level;
	uint64_t e;

	t_slot(t, 0, 0x201, 0x5ff, 0, MMU_LEVEL_2M, 0x200, 11);
	ck_assert_int_eq(t_fault(t, 0x250000, ACCESS_READ), MMU_FAULT_FIXED);
	e = t_leaf(t, 0x250, &level);
	ck_assert_int_eq(level, 1);
	ck_assert_uint_eq(e, t_npt_leaf(t_hpa(t, 0x250), 1, true, false));
	/* The region 0x400-0x5ff is wholly inside: 2M. */
	ck_assert_int_eq(t_fault(t, 0x450000, ACCESS_READ), MMU_FAULT_FIXED);
	e = t_leaf(t, 0x450, &level);
	ck_assert_int_eq(level, 2);
	ck_assert_uint_eq(e, t_npt_leaf(t_hpa(t, 0x400), 2, true, false));
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_2M), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 1);
	t_vm_destroy(t);
}
END_TEST

/* 4K host backing: 4K leaves whatever the alignment. */
START_TEST(a_4k_backed_slot_gets_4k_leaves)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	int level;

	t_slot(t, 0, 0x200, 0x200, 0, MMU_LEVEL_4K, 0x200, 9);
	ck_assert_int_eq(t_fault(t, 0x200000, ACCESS_READ), MMU_FAULT_FIXED);
	t_leaf(t, 0x200, &level);
	ck_assert_int_eq(level, 1);
	t_vm_destroy(t);
}
END_TEST

static void one_g(bool gbpages)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t;
	struct mmu_fault f;
	int level;

	cfg.gbpages = gbpages;
	t = t_vm_create(&cfg, 1);
	t_slot(t, 0, 0x40000, 0x40000, 0, MMU_LEVEL_1G, 0x40000, 18);
	ck_assert_int_eq(t_fault_full(t, 0, 0x40000ULL * 4096 + 0x12345678, ACCESS_WRITE, false,
				      &f), MMU_FAULT_FIXED);
	if (gbpages) {
		ck_assert_int_eq(f.level, 3);
		ck_assert_uint_eq(t_leaf(t, 0x40000 + 0x12345, &level),
				  t_ept_leaf(t_hpa(t, 0x40000), 3, true, true, true));
		ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_1G), 1);
		ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L2), 0);
	} else {
		/* Without 1G pages the largest is 2M: the one holding gfn 0x52345. */
		ck_assert_int_eq(f.level, 2);
		ck_assert_uint_eq(t_leaf(t, 0x40000 + 0x12345, &level),
				  t_ept_leaf(t_hpa(t, 0x52200), 2, true, true, true));
		ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_2M), 1);
	}
	t_vm_destroy(t);
}

START_TEST(a_1g_backed_slot_gets_a_1g_leaf_with_gbpages)
{
	one_g(true);
}
END_TEST

START_TEST(a_1g_backed_slot_gets_2m_leaves_without_gbpages)
{
	one_g(false);
}
END_TEST

/* Logging maps 4K; stopping it zaps the slot, so huge pages come back (KVM zaps collapsible SPTEs). */
START_TEST(stopping_dirty_logging_brings_huge_pages_back)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	int level;

	t_slot(t, 0, 0x200, 0x200, MMU_SLOT_DIRTY_LOG, MMU_LEVEL_2M, 0x200, 9);
	ck_assert_int_eq(t_fault(t, 0x200000, ACCESS_READ), MMU_FAULT_FIXED);
	t_leaf(t, 0x200, &level);
	ck_assert_int_eq(level, 1);
	ck_assert_int_eq(mmu_memslot_set_flags(t->vm, 0, 0), 0);  /* logging off: zaps the slot */
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 0);
	/* The zap freed the PT (wholly in the slot), so the next fault gets 2M. */
	ck_assert_int_eq(t_fault(t, 0x201000, ACCESS_READ), MMU_FAULT_FIXED);
	t_leaf(t, 0x201, &level);
	ck_assert_int_eq(level, 2);
	t_vm_destroy(t);
}
END_TEST

static Suite *tdp_huge_suite(void)
{
	Suite *s = suite_create("tdp_huge");
	TCase *tc = tcase_create("huge");

	tcase_add_test(tc, an_aligned_2m_backed_slot_gets_a_2m_leaf);
	tcase_add_test(tc, a_misaligned_slot_edge_gets_4k_leaves);
	tcase_add_test(tc, a_4k_backed_slot_gets_4k_leaves);
	tcase_add_test(tc, a_1g_backed_slot_gets_a_1g_leaf_with_gbpages);
	tcase_add_test(tc, a_1g_backed_slot_gets_2m_leaves_without_gbpages);
	tcase_add_test(tc, stopping_dirty_logging_brings_huge_pages_back);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(tdp_huge_suite)
