/*
 * Tests for backends/tdp/fault.c: what one TDP fault installs, checked
 * entry by entry against the SDM's EPT (29.3.2) and x86-64 paging (4.5)
 * layouts.
 */
#include "tests/tdp/tdp_test.h"
#include "tests/util/check_main.h"

/* Bits every TDP table entry must have: all rights, so the leaves decide. */
static void check_table(const struct t_vm *t, uint64_t e)
{
	if (t_is_ept(t))
		ck_assert_uint_eq(e & (T_EPT_R | T_EPT_W | T_EPT_X | T_EPT_PS),
				  T_EPT_R | T_EPT_W | T_EPT_X);
	else
		ck_assert_uint_eq(e & (T_NPT_P | T_NPT_W | T_NPT_U | T_NPT_PS | T_NPT_NX),
				  T_NPT_P | T_NPT_W | T_NPT_U);
	ck_assert(t_present(e));
}

/* A read of gfn 0x105 builds PML4 -> PDPT -> PD -> PT -> 4K leaf. */
static void four_levels(enum spte_layout layout)
{
	struct mmu_config cfg = t_cfg(layout, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	struct mmu_fault f;
	int level;

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault_full(t, 0, 0x105abc, ACCESS_READ, false, &f), MMU_FAULT_FIXED);
	ck_assert_int_eq(f.level, 1);
	for (level = 4; level >= 2; level--) {
		int at;

		check_table(t, t_entry(t, 0, 0x105, level, &at, NULL));
		ck_assert_int_eq(at, level);
	}
	/* A read fault maps the page writable (the slot allows it) but not dirty. */
	if (layout == SPTE_LAYOUT_EPT)
		ck_assert_uint_eq(t_leaf(t, 0x105, &level),
				  t_ept_leaf(t_hpa(t, 0x105), 1, true, true, false));
	else
		ck_assert_uint_eq(t_leaf(t, 0x105, &level),
				  t_npt_leaf(t_hpa(t, 0x105), 1, true, false));
	ck_assert_int_eq(level, 1);
	/* The neighbours are holes. */
	ck_assert_uint_eq(t_leaf(t, 0x104, &level), 0);
	ck_assert_uint_eq(t_leaf(t, 0x106, &level), 0);

	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_TAKEN), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_FIXED), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L4), 1);  /* the root */
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L3), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L2), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L1), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L5), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_SPTES_WRITTEN), 4);   /* 3 tables + the leaf */
	ck_assert_uint_eq(t_stat(t, MMU_STAT_ROOTS_ALLOC), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MEM_LIVE), 4 * (4096 + 64)); /* frame + 64-byte header */
	t_vm_destroy(t);
}

START_TEST(a_4k_read_fault_installs_four_ept_levels)
{
	four_levels(SPTE_LAYOUT_EPT);
}
END_TEST

START_TEST(a_4k_read_fault_installs_four_npt_levels)
{
	four_levels(SPTE_LAYOUT_NPT);
}
END_TEST

/* MAXPHYADDR 52 needs 5-level EPT (SDM 29.3.1): the root is a PML5. */
START_TEST(maxphyaddr_above_48_builds_five_levels)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t;
	int level;

	cfg.maxphyaddr = 52;
	t = t_vm_create(&cfg, 1);
	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level) & T_ADDR_MASK, t_hpa(t, 0x100));
	ck_assert_int_eq(level, 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L5), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L4), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L1), 1);
	t_vm_destroy(t);
}
END_TEST

/* A write fault maps the page writable and dirty (D set: SDM 29.3.5). */
START_TEST(a_write_fault_maps_writable_and_dirty)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	int level;

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x106000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_leaf(t, 0x106, &level),
			  t_ept_leaf(t_hpa(t, 0x106), 1, true, true, true));
	/* Nobody logs this slot: nothing reported dirty. */
	ck_assert_uint_eq(t->host.ndirty, 0);
	t_vm_destroy(t);
}
END_TEST

/* The second fault on a mapped page finds nothing to do. */
START_TEST(a_repeated_fault_is_spurious)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_NPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x101000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_int_eq(t_fault(t, 0x101000, ACCESS_READ), MMU_FAULT_SPURIOUS);
	ck_assert_int_eq(t_fault(t, 0x101000, ACCESS_FETCH), MMU_FAULT_SPURIOUS);
	ck_assert_int_eq(t_fault(t, 0x101000, ACCESS_WRITE), MMU_FAULT_SPURIOUS);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_SPURIOUS), 3);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_FIXED), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 1);
	t_vm_destroy(t);
}
END_TEST

/* ROM: readable, never writable; a write is emulated (and dropped) by the executor. */
START_TEST(a_write_to_a_readonly_slot_is_emulated)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	struct mmu_fault f;
	int level;
	uint64_t e;

	t_slot(t, 0, 0x100, 16, MMU_SLOT_READONLY, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault_full(t, 0, 0x102000, ACCESS_WRITE, false, &f), MMU_FAULT_MMIO);
	ck_assert(!f.mmio_fast);
	ck_assert_uint_eq(t_leaf(t, 0x102, &level), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_MMIO), 1);
	ck_assert_int_eq(t_fault(t, 0x102000, ACCESS_READ), MMU_FAULT_FIXED);
	e = t_leaf(t, 0x102, &level);
	/* Readable and executable, not writable, not MMU-writable (nothing may make it so). */
	ck_assert_uint_eq(e & (T_EPT_R | T_EPT_W | T_EPT_X), T_EPT_R | T_EPT_X);
	ck_assert_uint_eq(e & T_EPT_MW, 0);
	ck_assert_uint_eq(e & T_ADDR_MASK, t_hpa(t, 0x102));
	/* Still emulated after the read mapped it. */
	ck_assert_int_eq(t_fault(t, 0x102000, ACCESS_WRITE), MMU_FAULT_MMIO);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_MMIO), 2);
	t_vm_destroy(t);
}
END_TEST

/* An invalidation between the host lookup and the lock: the fault retries. */
START_TEST(a_fault_racing_an_invalidation_retries)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	int level;

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	mmu_invalidate_begin(t->vm, 0x100, 0x110);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_RETRY);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), 0);
	mmu_invalidate_end(t->vm);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_RETRY), 1);
	t_vm_destroy(t);
}
END_TEST

/* Another vCPU is half-way through changing the SPTE: come back later. */
START_TEST(a_frozen_spte_makes_the_fault_retry)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	volatile uint64_t *p;
	uint64_t saved;
	int level;

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_FIXED);
	saved = t_entry(t, 0, 0x100, 1, &level, &p);
	*p = SPTE_FROZEN;
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_RETRY);
	ck_assert_uint_eq(*p, SPTE_FROZEN);
	*p = saved;
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_SPURIOUS);
	t_vm_destroy(t);
}
END_TEST

/* A host page the host shares read-only: mapped read-only, and a write gets a new leaf. */
START_TEST(a_host_readonly_page_is_never_mapped_writable)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_NPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	int level;
	uint64_t e;

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	t->host.host_readonly = true;
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_FIXED);
	e = t_leaf(t, 0x100, &level);
	ck_assert_uint_eq(e & (T_NPT_W | T_NPT_HW | T_NPT_MW), 0);
	/* The host gives a writable page now (a private copy): the leaf is rebuilt. */
	t->host.host_readonly = false;
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_leaf(t, 0x100, &level), t_npt_leaf(t_hpa(t, 0x100), 1, true, true));
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 1);
	t_vm_destroy(t);
}
END_TEST

static Suite *tdp_fault_suite(void)
{
	Suite *s = suite_create("tdp_fault");
	TCase *tc = tcase_create("fault");

	tcase_add_test(tc, a_4k_read_fault_installs_four_ept_levels);
	tcase_add_test(tc, a_4k_read_fault_installs_four_npt_levels);
	tcase_add_test(tc, maxphyaddr_above_48_builds_five_levels);
	tcase_add_test(tc, a_write_fault_maps_writable_and_dirty);
	tcase_add_test(tc, a_repeated_fault_is_spurious);
	tcase_add_test(tc, a_write_to_a_readonly_slot_is_emulated);
	tcase_add_test(tc, a_fault_racing_an_invalidation_retries);
	tcase_add_test(tc, a_frozen_spte_makes_the_fault_retry);
	tcase_add_test(tc, a_host_readonly_page_is_never_mapped_writable);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(tdp_fault_suite)
