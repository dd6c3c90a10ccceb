/*
 * Tests for backends/tdp/mmio.c: a gfn in no memslot is cached in an MMIO
 * SPTE that the hardware rejects distinguishably (EPT: W+X without R, a
 * misconfiguration, SDM 29.3.3.1; NPT: reserved address bit 51, #NPF with
 * RSVD, APM 15.25.5), valid only for the memslot generation it was made in.
 */
#include <signal.h>

#include "tests/tdp/tdp_test.h"
#include "tests/util/check_main.h"

/* The generation bits KVM uses: gen 7:0 in SPTE 10:3, gen 18:8 in SPTE 62:52. */
static uint32_t t_mmio_gen(uint64_t e)
{
	return (uint32_t)((e >> 3) & 0xff) | (uint32_t)(((e >> 52) & 0x7ff) << 8);
}

START_TEST(a_gfn_in_no_slot_gets_an_mmio_spte_then_the_fast_path)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	struct mmu_fault f;
	int level;
	uint64_t e;

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault_full(t, 0, 0x5000123, ACCESS_WRITE, false, &f), MMU_FAULT_MMIO);
	ck_assert(!f.mmio_fast);
	e = t_leaf(t, 0x5000, &level);
	ck_assert_int_eq(level, 1);
	ck_assert_uint_eq(e & 7, T_EPT_W | T_EPT_X);     /* W+X without R */
	ck_assert_uint_eq(e & T_MMU_PRESENT, 0);
	ck_assert_uint_eq((e & 0x000ffffffffff000ULL) >> 12, 0x5000);
	ck_assert_uint_eq(t_mmio_gen(e), t->vm->memslot_gen);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_MMIO_SPTE_CREATED), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_MMIO), 1);

	/* The hardware now reports a misconfiguration: answered from the SPTE. */
	ck_assert_int_eq(t_fault_full(t, 0, 0x5000123, ACCESS_READ, true, &f), MMU_FAULT_MMIO);
	ck_assert(f.mmio_fast);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_MMIO_FAST), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_MMIO_SPTE_CREATED), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_MMIO), 1);
	/* No mapping was counted for it. */
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 0);
	t_vm_destroy(t);
}
END_TEST

START_TEST(an_npt_mmio_spte_sets_reserved_bit_51)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_NPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	struct mmu_fault f;
	int level;
	uint64_t e;

	ck_assert_int_eq(t_fault(t, 0x7000000, ACCESS_READ), MMU_FAULT_MMIO);
	e = t_leaf(t, 0x7000, &level);
	ck_assert_uint_eq(e & (T_NPT_P | (1ULL << 51)), T_NPT_P | (1ULL << 51));
	ck_assert_uint_eq(e & T_MMU_PRESENT, 0);
	ck_assert_uint_eq((e & 0x0007fffffffff000ULL) >> 12, 0x7000);
	ck_assert_int_eq(t_fault_full(t, 0, 0x7000000, ACCESS_READ, true, &f), MMU_FAULT_MMIO);
	ck_assert(f.mmio_fast);
	t_vm_destroy(t);
}
END_TEST

/* Any memslot change bumps the generation: the old MMIO SPTE no longer answers. */
START_TEST(an_mmio_spte_is_stale_after_a_memslot_change)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	uint32_t gen0 = t->vm->memslot_gen;
	struct mmu_fault f;
	int level;
	uint64_t e;

	ck_assert_int_eq(t_fault(t, 0x5000000, ACCESS_READ), MMU_FAULT_MMIO);
	/* A slot elsewhere: gfn 0x5000 is still MMIO, but the SPTE is from gen0. */
	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_uint_ne(t->vm->memslot_gen, gen0);
	ck_assert_int_eq(t_fault_full(t, 0, 0x5000000, ACCESS_READ, true, &f), MMU_FAULT_MMIO);
	ck_assert(!f.mmio_fast);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_MMIO_STALE), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_MMIO_SPTE_CREATED), 2);
	e = t_leaf(t, 0x5000, &level);
	ck_assert_uint_eq(t_mmio_gen(e), t->vm->memslot_gen);
	t_vm_destroy(t);
}
END_TEST

/*
 * A slot created over cached MMIO gfns: the stale SPTE is replaced by a
 * leaf.  The PT that held it is still there although the slot allows 2M,
 * so the gfn is mapped with a 4K leaf under it rather than the table
 * freed under the read lock.
 */
START_TEST(a_new_slot_replaces_a_stale_mmio_spte)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	struct mmu_fault f;
	int level;

	ck_assert_int_eq(t_fault(t, 0x250000, ACCESS_READ), MMU_FAULT_MMIO);
	t_slot(t, 0, 0x200, 0x200, 0, MMU_LEVEL_2M, 0x200, 9);
	ck_assert_int_eq(t_fault_full(t, 0, 0x250000, ACCESS_READ, true, &f), MMU_FAULT_FIXED);
	ck_assert_int_eq(f.level, 1);
	ck_assert_uint_eq(t_leaf(t, 0x250, &level),
			  t_ept_leaf(t_hpa(t, 0x250), 1, true, true, false));
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PF_MMIO_STALE), 1);
	/* Another gfn of that 2M region: 4K too, at its own host page. */
	ck_assert_int_eq(t_fault(t, 0x3ff000, ACCESS_READ), MMU_FAULT_FIXED);
	ck_assert_uint_eq(t_leaf(t, 0x3ff, &level),
			  t_ept_leaf(t_hpa(t, 0x3ff), 1, true, true, false));
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 2);
	t_vm_destroy(t);
}
END_TEST

/* Reserved bits in an SPTE the MMU built is a backend bug: stop, with the SPTE printed. */
START_TEST(a_reserved_bit_fault_on_a_non_mmio_spte_asserts)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 1);
	volatile uint64_t *p;
	int level;

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_READ), MMU_FAULT_FIXED);
	t_entry(t, 0, 0x100, 1, &level, &p);
	/* Memory type 2 is reserved (SDM 29.3.7): an EPT misconfiguration. */
	*p = (*p & ~(7ULL << 3)) | (2ULL << 3);
	t_fault_full(t, 0, 0x100000, ACCESS_READ, true, NULL);
}
END_TEST

static Suite *tdp_mmio_suite(void)
{
	Suite *s = suite_create("tdp_mmio");
	TCase *tc = tcase_create("mmio");

	tcase_add_test(tc, a_gfn_in_no_slot_gets_an_mmio_spte_then_the_fast_path);
	tcase_add_test(tc, an_npt_mmio_spte_sets_reserved_bit_51);
	tcase_add_test(tc, an_mmio_spte_is_stale_after_a_memslot_change);
	tcase_add_test(tc, a_new_slot_replaces_a_stale_mmio_spte);
	tcase_add_test_raise_signal(tc, a_reserved_bit_fault_on_a_non_mmio_spte_asserts, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(tdp_mmio_suite)
