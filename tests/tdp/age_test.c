/*
 * Tests for backends/tdp/age.c: access tracking with EPT A/D bits (the CPU
 * sets A, aging clears it: SDM 29.3.5) and without them, where aging takes
 * R/W/X away (saving R and X in bits 54/56) and the next access faults.
 */
#include "tests/tdp/tdp_test.h"
#include "tests/util/check_main.h"

START_TEST(aging_with_ad_bits_clears_a)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	uint64_t fresh;
	int level;

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_FIXED);
	fresh = t_ept_leaf(t_hpa(t, 0x100), 1, true, true, false);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), fresh);
	ck_assert_uint_eq(mmu_age_gfn_range(t->vm, 0x100, 0x110, true), 1);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), fresh);   /* test only: unchanged */
	ck_assert_uint_eq(mmu_age_gfn_range(t->vm, 0x100, 0x110, false), 1);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), fresh & ~T_EPT_A);
	ck_assert_uint_eq(mmu_age_gfn_range(t->vm, 0x100, 0x110, false), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_AGED), 2);
	/* Still mapped: the CPU sets A itself on the next access. */
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_SPURIOUS);
	t_vm_destroy(t);
}
END_TEST

START_TEST(aging_without_ad_bits_access_tracks_and_the_fault_restores)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, false);
	struct t_vm *t = t_vm_create(&cfg, 1);
	uint64_t fresh, tracked;
	int level;

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_FIXED);
	/* No A/D in the EPTP: bits 8 and 9 stay clear. */
	fresh = t_ept_leaf(t_hpa(t, 0x100), 1, true, false, false);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), fresh);

	ck_assert_uint_eq(mmu_age_gfn_range(t->vm, 0, ~0ULL, false), 1);
	tracked = (fresh & ~(T_EPT_R | T_EPT_W | T_EPT_X)) | T_EPT_SAVED_R | T_EPT_SAVED_X;
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), tracked);
	/* Not present to the hardware, still the MMU's (bit 11, MMU-writable kept). */
	ck_assert_uint_eq(mmu_age_gfn_range(t->vm, 0, ~0ULL, true), 0);

	/* The read faults (EPT violation on a non-present entry): R and X come back, not W. */
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), fresh & ~T_EPT_W);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_ACC_TRACK), 1);
	ck_assert_uint_eq(mmu_age_gfn_range(t->vm, 0, ~0ULL, true), 1);
	/* The write gets W back: the page is MMU-writable. */
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), fresh);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_WRPROT), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 1);
	t_vm_destroy(t);
}
END_TEST

/* A write fault on an access-tracked leaf restores and makes it writable at once. */
START_TEST(a_write_to_an_access_tracked_leaf_restores_it_writable)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, false);
	struct t_vm *t = t_vm_create(&cfg, 1);
	int level;

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_uint_eq(mmu_age_gfn_range(t->vm, 0x100, 0x101, false), 1);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level),
			  t_ept_leaf(t_hpa(t, 0x100), 1, true, false, false));
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_ACC_TRACK), 1);
	t_vm_destroy(t);
}
END_TEST

/* Without D, losing W would lose a logged write: aging logs the page first. */
START_TEST(aging_a_writable_leaf_of_a_logged_slot_logs_it)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, false);
	struct t_vm *t = t_vm_create(&cfg, 1);

	t_slot(t, 0, 0x100, 16, MMU_SLOT_DIRTY_LOG, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t->host.ndirty, 1);
	ck_assert_uint_eq(mmu_age_gfn_range(t->vm, 0x100, 0x101, false), 1);
	ck_assert_uint_eq(t->host.ndirty, 2);
	ck_assert_uint_eq(t->host.dirty[1], 0x100);
	/* Read-only leaves are not logged by aging. */
	ck_assert_int_eq(t_fault(t, 0x101000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_uint_eq(mmu_age_gfn_range(t->vm, 0x101, 0x102, false), 1);
	ck_assert_uint_eq(t->host.ndirty, 2);
	t_vm_destroy(t);
}
END_TEST

static Suite *tdp_age_suite(void)
{
	Suite *s = suite_create("tdp_age");
	TCase *tc = tcase_create("age");

	tcase_add_test(tc, aging_with_ad_bits_clears_a);
	tcase_add_test(tc, aging_without_ad_bits_access_tracks_and_the_fault_restores);
	tcase_add_test(tc, a_write_to_an_access_tracked_leaf_restores_it_writable);
	tcase_add_test(tc, aging_a_writable_leaf_of_a_logged_slot_logs_it);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(tdp_age_suite)
