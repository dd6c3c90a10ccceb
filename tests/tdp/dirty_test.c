/*
 * Tests for backends/tdp/dirty.c and the dirty-logging branches of the
 * fault path: logging by write-protection (the first write faults and is
 * logged) and by D bits (harvested; SDM 29.3.5 sets D on a write).
 */
#include "tests/tdp/tdp_test.h"
#include "tests/util/check_main.h"

static bool t_dirty_has(const struct t_vm *t, uint64_t gfn)
{
	uint64_t i;

	for (i = 0; i < t->host.ndirty; i++)
		if (t->host.dirty[i] == gfn)
			return true;
	return false;
}

START_TEST(write_protection_logging_logs_the_first_write)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	uint64_t mask = 1, flushes;
	int level;

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_int_eq(t_fault(t, 0x101000, ACCESS_READ), MMU_FAULT_FIXED);
	flushes = t->host.flushes;
	ck_assert_int_eq(mmu_memslot_set_flags(t->vm, 0, MMU_SLOT_DIRTY_LOG), 0);
	ck_assert_uint_eq(t->host.flushes, flushes + 1);
	/* W gone, MMU-writable kept (the fault may give W back), D untouched. */
	ck_assert_uint_eq(t_leaf(t, 0x100, &level),
			  t_ept_leaf(t_hpa(t, 0x100), 1, false, true, true));
	ck_assert_uint_eq(t_leaf(t, 0x101, &level),
			  t_ept_leaf(t_hpa(t, 0x101), 1, false, true, false));
	ck_assert_uint_eq(t->host.ndirty, 0);

	ck_assert_int_eq(t_fault(t, 0x101000, ACCESS_READ), MMU_FAULT_SPURIOUS);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level),
			  t_ept_leaf(t_hpa(t, 0x100), 1, true, true, true));
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_WRPROT), 1);
	ck_assert_uint_eq(t->host.ndirty, 1);
	ck_assert_uint_eq(t->host.dirty[0], 0x100);

	/* A first write to an unmapped page: writable at once, and logged. */
	ck_assert_int_eq(t_fault(t, 0x102000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t->host.ndirty, 2);
	ck_assert_uint_eq(t->host.dirty[1], 0x102);
	/* A read maps read-only, so the write that follows is seen. */
	ck_assert_int_eq(t_fault(t, 0x103000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_leaf(t, 0x103, &level),
			  t_ept_leaf(t_hpa(t, 0x103), 1, false, true, false));

	/* Re-arming gfn 0x100: read-only again, nothing logged by re-arming itself. */
	ck_assert_int_eq(mmu_dirty_log_rearm(t->vm, 0, 0, &mask, 1), 0);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level) & T_EPT_W, 0);
	ck_assert_uint_eq(t_leaf(t, 0x102, &level) & T_EPT_W, T_EPT_W);
	ck_assert_uint_eq(t->host.ndirty, 2);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t->host.ndirty, 3);
	ck_assert_uint_eq(t->host.dirty[2], 0x100);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_WRPROT), 2);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_DIRTY_LOGGED), 3);
	t_vm_destroy(t);
}
END_TEST

START_TEST(d_bit_logging_harvests_d_bits)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_NPT, true);
	struct t_vm *t;
	volatile uint64_t *p;
	uint64_t mask = 2, flushes;
	int level;

	cfg.dirty_mode = MMU_DIRTY_DBIT;
	cfg.eager_split = true;
	t = t_vm_create(&cfg, 1);
	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_int_eq(t_fault(t, 0x101000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_int_eq(mmu_memslot_set_flags(t->vm, 0, MMU_SLOT_DIRTY_LOG), 0);
	/* D bits from before logging are forgotten, W stays: writes go through. */
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), t_npt_leaf(t_hpa(t, 0x100), 1, true, false));
	ck_assert_uint_eq(t->host.ndirty, 0);

	/* The CPU writes 0x101 and sets D (SDM 4.8). */
	t_entry(t, 0, 0x101, 1, &level, &p);
	*p |= T_NPT_D;
	flushes = t->host.flushes;
	ck_assert_int_eq(mmu_dirty_log_harvest(t->vm, 0), 0);
	ck_assert_uint_eq(t->host.flushes, flushes + 1);
	ck_assert_uint_eq(t->host.ndirty, 1);
	ck_assert_uint_eq(t->host.dirty[0], 0x101);
	ck_assert_uint_eq(*p & T_NPT_D, 0);

	/* A write fault in a logged slot logs the page at once, and sets D. */
	ck_assert_int_eq(t_fault(t, 0x102000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t->host.ndirty, 2);
	ck_assert_uint_eq(t->host.dirty[1], 0x102);
	ck_assert_uint_eq(t_leaf(t, 0x102, &level), t_npt_leaf(t_hpa(t, 0x102), 1, true, true));
	ck_assert_int_eq(mmu_dirty_log_harvest(t->vm, 0), 0);
	ck_assert_uint_eq(t->host.ndirty, 3);
	ck_assert_uint_eq(t->host.dirty[2], 0x102);
	/* Nothing dirty any more: harvesting again logs nothing. */
	ck_assert_int_eq(mmu_dirty_log_harvest(t->vm, 0), 0);
	ck_assert_uint_eq(t->host.ndirty, 3);

	/* Re-arming clears D without logging it. */
	*p |= T_NPT_D;
	ck_assert_int_eq(mmu_dirty_log_rearm(t->vm, 0, 0, &mask, 2), 0);
	ck_assert_uint_eq(*p & T_NPT_D, 0);
	ck_assert_uint_eq(t->host.ndirty, 3);
	ck_assert(t_dirty_has(t, 0x101));
	t_vm_destroy(t);
}
END_TEST

static Suite *tdp_dirty_suite(void)
{
	Suite *s = suite_create("tdp_dirty");
	TCase *tc = tcase_create("dirty");

	tcase_add_test(tc, write_protection_logging_logs_the_first_write);
	tcase_add_test(tc, d_bit_logging_harvests_d_bits);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(tdp_dirty_suite)
