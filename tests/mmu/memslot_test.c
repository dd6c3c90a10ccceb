/*
 * Tests for core/mmu/memslot.c and dirty.c: huge-page levels allowed per
 * gfn, memslot changes (with the zaps, flushes and generations they
 * cause), and dirty logging's calls into the backend.
 */
#include <check.h>

#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "tests/util/check_main.h"
#include "tests/util/fake_backend.h"

#define GFN_2M 512ULL
#define GFN_1G (512ULL * 512)

static struct mmu_config config(bool gbpages, enum mmu_dirty_mode mode, bool eager)
{
	return (struct mmu_config){ .layout = SPTE_LAYOUT_NPT, .maxphyaddr = 46,
				    .gbpages = gbpages, .dirty_mode = mode, .eager_split = eager };
}

START_TEST(huge_levels_follow_alignment_backing_and_edges)
{
	struct fake_backend fb = { 0 };
	struct mmu_config cfg = config(true, MMU_DIRTY_WRPROT, false);
	struct mmu_vm *vm = fake_vm(&fb, &cfg);
	struct mmu_memslot *s;

	/* 1G-backed, starting 4K past a 1G boundary, 2G + 8K long. */
	ck_assert_int_eq(mmu_memslot_create(vm, 1, GFN_1G + 1, 2 * GFN_1G + 1, 0, 3), 0);
	s = mmu_find_memslot(vm, GFN_1G + 1);
	ck_assert_ptr_nonnull(s);
	/* The first 1G region is ragged (starts at +4K): 2M at best, and its first 2M is ragged too. */
	ck_assert_int_eq(mmu_max_mapping_level(vm, s, GFN_1G + 1), 1);
	ck_assert_int_eq(mmu_max_mapping_level(vm, s, GFN_1G + GFN_2M), 2);
	/* The second 1G region is wholly inside. */
	ck_assert_int_eq(mmu_max_mapping_level(vm, s, 2 * GFN_1G + 5), 3);
	/* The last region holds only 2 pages of the slot. */
	ck_assert_int_eq(mmu_max_mapping_level(vm, s, 3 * GFN_1G + 1), 1);
	mmu_vm_destroy(vm);
}
END_TEST

START_TEST(tdp_width_apart_from_the_guests_sets_depth_and_memslot_limit)
{
	struct fake_backend fb = { 0 };
	struct mmu_config cfg = config(false, MMU_DIRTY_WRPROT, false);
	struct mmu_vm *vm;

	/* A 36-bit guest on tables that map 52 bits (NPT on a 5-level host). */
	cfg.maxphyaddr = 36;
	cfg.tdp_maxphyaddr = 52;
	vm = fake_vm(&fb, &cfg);
	ck_assert_int_eq(vm->spte_fmt.root_level, 5);
	ck_assert_int_eq(mmu_memslot_create(vm, 1, 1ULL << (50 - 12), 1, 0, 1), 0);
	mmu_vm_destroy(vm);
	/* A 52-bit guest on tables that map 48 (NPT on a 4-level host): 4 levels, slots below 2^48. */
	cfg.maxphyaddr = 52;
	cfg.tdp_maxphyaddr = 48;
	vm = fake_vm(&fb, &cfg);
	ck_assert_int_eq(vm->spte_fmt.root_level, 4);
	ck_assert_int_eq(mmu_memslot_create(vm, 1, 1ULL << (48 - 12), 1, 0, 1), MMU_ERANGE);
	mmu_vm_destroy(vm);
}
END_TEST

START_TEST(host_backing_and_gbpages_cap_the_level)
{
	struct fake_backend fb = { 0 };
	struct mmu_config cfg = config(false, MMU_DIRTY_WRPROT, false);
	struct mmu_vm *vm = fake_vm(&fb, &cfg);

	ck_assert_int_eq(mmu_memslot_create(vm, 1, 0, 2 * GFN_1G, 0, 3), 0);
	ck_assert_int_eq(mmu_memslot_create(vm, 2, 4 * GFN_1G, GFN_1G, 0, 1), 0);
	/* No GBPAGES: 2M at most, even on 1G host pages. */
	ck_assert_int_eq(mmu_max_mapping_level(vm, mmu_memslot_by_id(vm, 1), GFN_1G), 2);
	/* 4K host pages: 4K leaves only. */
	ck_assert_int_eq(mmu_max_mapping_level(vm, mmu_memslot_by_id(vm, 2), 4 * GFN_1G), 1);
	mmu_vm_destroy(vm);
}
END_TEST

START_TEST(memslot_changes_zap_flush_and_bump_the_generation)
{
	struct fake_backend fb = { .range_needs_flush = true };
	struct mmu_config cfg = config(true, MMU_DIRTY_WRPROT, false);
	struct mmu_vm *vm = fake_vm(&fb, &cfg);
	uint32_t gen;

	ck_assert_int_eq(mmu_memslot_create(vm, 1, 0x100, 0x100, 0, 1), 0);
	ck_assert_int_eq(mmu_memslot_create(vm, 2, 0x180, 0x10, 0, 1), MMU_EOVERLAP);
	ck_assert_int_eq(mmu_memslot_create(vm, 2, 1ULL << 34, 1, 0, 1), MMU_ERANGE);
	ck_assert_int_eq(mmu_memslot_create(vm, 2, 0x300, 0x10, 0, 1), 0);
	ck_assert_int_eq(mmu_memslot_move(vm, 2, 0x1f8), MMU_EOVERLAP);
	gen = vm->memslot_gen;
	ck_assert_int_eq(mmu_memslot_move(vm, 2, 0x400), 0);
	ck_assert_uint_eq(vm->memslot_gen, gen + 1);
	/* The old range was zapped and flushed; the slot now answers at its new place. */
	ck_assert_uint_eq(fb.nr_calls, 1);
	ck_assert_int_eq(fb.calls[0].op, 'z');
	ck_assert_uint_eq(fb.calls[0].start, 0x300);
	ck_assert_uint_eq(fb.calls[0].end, 0x310);
	ck_assert_uint_eq(fb.flushes, 1);
	ck_assert_ptr_null(mmu_find_memslot(vm, 0x300));
	ck_assert_ptr_nonnull(mmu_find_memslot(vm, 0x40f));
	ck_assert_int_eq(mmu_memslot_delete(vm, 1), 0);
	ck_assert_ptr_null(mmu_find_memslot(vm, 0x100));
	ck_assert_uint_eq(fb.flushes, 2);
	ck_assert_int_eq(mmu_memslot_delete(vm, 1), MMU_EINVAL);
	/* Only dirty logging may be toggled. */
	ck_assert_int_eq(mmu_memslot_set_flags(vm, 2, MMU_SLOT_READONLY), MMU_EINVAL);
	mmu_vm_destroy(vm);
}
END_TEST

START_TEST(logging_by_wrprot_protects_the_slot_and_rearms_runs)
{
	struct fake_backend fb = { .range_needs_flush = true };
	struct mmu_config cfg = config(true, MMU_DIRTY_WRPROT, false);
	struct mmu_vm *vm = fake_vm(&fb, &cfg);
	uint64_t mask[1] = { 0x3 | 0x10 };  /* pages 0, 1 and 4 */

	ck_assert_int_eq(mmu_memslot_create(vm, 1, 0x100, 0x40, 0, 2), 0);
	ck_assert_int_eq(mmu_dirty_log_rearm(vm, 1, 0, mask, 8), MMU_EINVAL); /* not logging */
	ck_assert_int_eq(mmu_memslot_set_flags(vm, 1, MMU_SLOT_DIRTY_LOG), 0);
	ck_assert_uint_eq(fb.nr_calls, 1);
	ck_assert_int_eq(fb.calls[0].op, 'w');
	ck_assert_uint_eq(fb.calls[0].start, 0x100);
	ck_assert_uint_eq(fb.calls[0].end, 0x140);
	/* A logged slot maps 4K only. */
	ck_assert_int_eq(mmu_max_mapping_level(vm, mmu_memslot_by_id(vm, 1), 0x100), 1);
	ck_assert_int_eq(mmu_dirty_log_harvest(vm, 1), 0);  /* no D bits to read */
	ck_assert_uint_eq(fb.nr_calls, 1);
	ck_assert_int_eq(mmu_dirty_log_rearm(vm, 1, 8, mask, 8), 0);
	ck_assert_uint_eq(fb.nr_calls, 3);
	ck_assert_uint_eq(fb.calls[1].start, 0x108);
	ck_assert_uint_eq(fb.calls[1].end, 0x10a);
	ck_assert_uint_eq(fb.calls[2].start, 0x10c);
	ck_assert_uint_eq(fb.calls[2].end, 0x10d);
	ck_assert_int_eq(mmu_dirty_log_rearm(vm, 1, 0x3c, mask, 8), MMU_EINVAL); /* past the end */
	mmu_vm_destroy(vm);
}
END_TEST

START_TEST(logging_by_d_bits_logs_harvests_but_not_rearms)
{
	struct fake_backend fb = { 0 };
	struct mmu_config cfg = config(true, MMU_DIRTY_DBIT, true);
	struct mmu_vm *vm = fake_vm(&fb, &cfg);
	uint64_t all[1] = { ~0ULL };

	ck_assert_int_eq(mmu_memslot_create(vm, 1, 0x100, 0x10, 0, 2), 0);
	/* Eager splitting first, then D bits cleared — and the D bits from before logging are not logged. */
	ck_assert_int_eq(mmu_memslot_set_flags(vm, 1, MMU_SLOT_DIRTY_LOG), 0);
	ck_assert_uint_eq(fb.nr_calls, 2);
	ck_assert_int_eq(fb.calls[0].op, 's');
	ck_assert_int_eq(fb.calls[1].op, 'd');
	ck_assert_uint_eq(fb.dirty[0], 0);
	/* Harvesting logs every page whose D bit the backend cleared (the fake says: all). */
	ck_assert_int_eq(mmu_dirty_log_harvest(vm, 1), 0);
	ck_assert_uint_eq(fb.dirty[0], 0xffff);
	/* Re-arming clears D again without logging anything. */
	fb.dirty[0] = 0;
	ck_assert_int_eq(mmu_dirty_log_rearm(vm, 1, 0, all, 16), 0);
	ck_assert_int_eq(fb.calls[fb.nr_calls - 1].op, 'd');
	ck_assert_uint_eq(fb.dirty[0], 0);
	mmu_vm_destroy(vm);
}
END_TEST

/* Without eager splitting a huge leaf must still fault on write: D cleared, then W. */
START_TEST(lazy_dbit_logging_clears_d_then_write_protects)
{
	struct fake_backend fb = { 0 };
	struct mmu_config cfg = config(true, MMU_DIRTY_DBIT, false);
	struct mmu_vm *vm = fake_vm(&fb, &cfg);

	ck_assert_int_eq(mmu_memslot_create(vm, 1, 0x100, 0x10, 0, 2), 0);
	ck_assert_int_eq(mmu_memslot_set_flags(vm, 1, MMU_SLOT_DIRTY_LOG), 0);
	ck_assert_uint_eq(fb.nr_calls, 2);
	ck_assert_int_eq(fb.calls[0].op, 'd');
	ck_assert_int_eq(fb.calls[1].op, 'w');
	/* The D bits from before logging started are gone, not logged. */
	ck_assert_uint_eq(fb.dirty[0], 0);
	mmu_vm_destroy(vm);
}
END_TEST

START_TEST(dbit_logging_without_ad_bits_is_refused)
{
	struct fake_backend fb = { 0 };
	struct mmu_config cfg = { .layout = SPTE_LAYOUT_EPT, .ept_ad = false,
				  .dirty_mode = MMU_DIRTY_DBIT, .maxphyaddr = 46 };
	struct mmu_host host = { .opaque = &fb };
	struct mmu_vm *vm = NULL;

	ck_assert_int_eq(mmu_vm_create(&fake_backend_ops, &cfg, &host, &vm), MMU_EINVAL);
	ck_assert_ptr_null(vm);
}
END_TEST

static Suite *memslot_suite(void)
{
	Suite *s = suite_create("mmu_memslot");
	TCase *tc = tcase_create("memslots");

	tcase_add_test(tc, huge_levels_follow_alignment_backing_and_edges);
	tcase_add_test(tc, tdp_width_apart_from_the_guests_sets_depth_and_memslot_limit);
	tcase_add_test(tc, host_backing_and_gbpages_cap_the_level);
	tcase_add_test(tc, memslot_changes_zap_flush_and_bump_the_generation);
	tcase_add_test(tc, logging_by_wrprot_protects_the_slot_and_rearms_runs);
	tcase_add_test(tc, logging_by_d_bits_logs_harvests_but_not_rearms);
	tcase_add_test(tc, lazy_dbit_logging_clears_d_then_write_protects);
	tcase_add_test(tc, dbit_logging_without_ad_bits_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(memslot_suite)
