/*
 * Tests for core/vm/vm_slots.c: memslot create/delete/move/flags, dirty
 * bitmaps (what is logged and what is not), guest writes, and the calls
 * the VM makes into an attached MMU (the fake backend records them).
 */
#include <check.h>

#include "core/errors.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "tests/util/check_main.h"
#include "tests/util/fake_backend.h"

static const struct x86_cpu_features feat = { .maxphyaddr = 46, .gbpages = true };

static bool bit(const uint64_t *bitmap, uint64_t i)
{
	return bitmap[i / 64] >> (i % 64) & 1;
}

START_TEST(create_refuses_overlaps_ids_and_misaligned_backing)
{
	struct vm *vm = vm_create(&feat);

	ck_assert_int_eq(vm_memslot_create(vm, 1, 0x200000, 0x400000, 0, MMU_LEVEL_2M), 0);
	ck_assert_int_eq(vm_memslot_create(vm, 2, 0x5ff000, 0x2000, 0, MMU_LEVEL_4K), MMU_EOVERLAP);
	ck_assert_int_eq(vm_memslot_create(vm, 1, 0x800000, 0x1000, 0, MMU_LEVEL_4K), MMU_EINVAL);
	/* 2M backing needs a 2M-aligned base and size. */
	ck_assert_int_eq(vm_memslot_create(vm, 3, 0x900000, 0x200000, 0, MMU_LEVEL_2M), MMU_EINVAL);
	ck_assert_int_eq(vm_memslot_create(vm, 3, 0xa00000, 0x100000, 0, MMU_LEVEL_2M), MMU_EINVAL);
	ck_assert_int_eq(vm_memslot_create(vm, 3, 1ULL << 46, 0x1000, 0, MMU_LEVEL_4K), MMU_ERANGE);
	ck_assert_int_eq(vm_memslot_create(vm, 3, 0x800000, 0x1000, 0, 4), MMU_EINVAL);
	ck_assert_ptr_nonnull(vm_memslot_by_id(vm, 1));
	ck_assert_uint_eq(vm_memslot_by_id(vm, 1)->backing, MMU_LEVEL_2M);
	ck_assert_ptr_null(vm_memslot_by_id(vm, 3));
	vm_destroy(vm);
}
END_TEST

/* A deleted slot's frames stay allocated, poisoned, until the VM goes: a stale TLB entry reads 0xdb. */
START_TEST(a_deleted_slot_is_poisoned_not_freed)
{
	struct vm *vm = vm_create(&feat);
	hpa_t hpa;
	bool writable;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0x100000, 0x10000, 0, MMU_LEVEL_4K), 0);
	ck_assert_int_eq(vm_write_value(vm, 0x100010, 8, 0x1234), 0);
	ck_assert_int_eq(vm_gfn_to_hpa(vm, 0x100, false, &hpa, &writable), 0);
	ck_assert_uint_eq(*(uint64_t *)((char *)plat_frame_map(hpa) + 0x10), 0x1234);
	ck_assert_int_eq(vm_memslot_delete(vm, 0), 0);
	ck_assert_uint_eq(*(uint64_t *)((char *)plat_frame_map(hpa) + 0x10), 0xdbdbdbdbdbdbdbdbULL);
	vm_destroy(vm);
}
END_TEST

START_TEST(delete_drops_and_move_keeps_contents)
{
	struct vm *vm = vm_create(&feat);
	uint64_t v = 1;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0x100000, 0x10000, 0, MMU_LEVEL_4K), 0);
	ck_assert_int_eq(vm_memslot_create(vm, 1, 0x200000, 0x10000, 0, MMU_LEVEL_4K), 0);
	ck_assert_int_eq(vm_write_value(vm, 0x203008, 8, 0xfeed), 0);
	ck_assert_int_eq(vm_write_value(vm, 0x100000, 8, 0xbeef), 0);
	ck_assert_uint_eq(vm_frames_in_use(vm), 2);
	/* Onto slot 0: refused, nothing moves. */
	ck_assert_int_eq(vm_memslot_move(vm, 1, 0x108000), MMU_EOVERLAP);
	ck_assert_int_eq(vm_memslot_move(vm, 1, 0x700000), 0);
	ck_assert_int_eq(vm_read_value(vm, 0x703008, 8, &v), 0);
	ck_assert_uint_eq(v, 0xfeed);
	ck_assert_int_eq(vm_read_value(vm, 0x203008, 8, &v), MMU_ENOSLOT);
	ck_assert_ptr_eq(vm_find_memslot(vm, 0x703), vm_memslot_by_id(vm, 1));
	/* Moving a slot below another keeps the table sorted for lookups. */
	ck_assert_int_eq(vm_memslot_move(vm, 1, 0x0), 0);
	ck_assert_ptr_eq(vm->slots[0], vm_memslot_by_id(vm, 1));
	ck_assert_ptr_eq(vm_find_memslot(vm, 0x100), vm_memslot_by_id(vm, 0));
	ck_assert_int_eq(vm_memslot_delete(vm, 1), 0);
	ck_assert_uint_eq(vm_frames_in_use(vm), 1);
	ck_assert_int_eq(vm_memslot_delete(vm, 1), MMU_EINVAL);
	ck_assert_int_eq(vm_read_value(vm, 0x100000, 8, &v), 0);
	ck_assert_uint_eq(v, 0xbeef);
	vm_destroy(vm);
}
END_TEST

/* As KVM: an existing slot may start or stop logging, nothing else. */
START_TEST(only_dirty_logging_may_change)
{
	struct vm *vm = vm_create(&feat);
	struct memslot *s;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0, 0x100000, 0, MMU_LEVEL_4K), 0);
	s = vm_memslot_by_id(vm, 0);
	ck_assert_ptr_null(s->dirty_bitmap);
	ck_assert_int_eq(vm_memslot_set_flags(vm, 0, MEMSLOT_READONLY), MMU_EINVAL);
	ck_assert_int_eq(vm_memslot_set_flags(vm, 0, MEMSLOT_DIRTY_LOG), 0);
	ck_assert_ptr_nonnull(s->dirty_bitmap);
	ck_assert_int_eq(vm_memslot_set_flags(vm, 0, MEMSLOT_DIRTY_LOG | MEMSLOT_READONLY),
			 MMU_EINVAL);
	ck_assert_int_eq(vm_memslot_set_flags(vm, 0, 0), 0);
	ck_assert_ptr_null(s->dirty_bitmap);
	ck_assert_int_eq(vm_memslot_set_flags(vm, 9, 0), MMU_EINVAL);
	vm_destroy(vm);
}
END_TEST

/*
 * The log holds guest writes: data (vm_guest_write) and A/D updates that
 * change an entry.  Host writes, dropped ROM writes and A/D updates that
 * change nothing are not in it.
 */
START_TEST(the_log_holds_guest_writes_only)
{
	struct vm *vm = vm_create(&feat);
	uint64_t *bm = NULL, n = 0, v;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0, 0x10000, MEMSLOT_DIRTY_LOG, MMU_LEVEL_4K), 0);
	ck_assert_int_eq(vm_memslot_create(vm, 1, 0x10000, 0x10000,
					   MEMSLOT_DIRTY_LOG | MEMSLOT_READONLY, MMU_LEVEL_4K), 0);
	ck_assert_int_eq(vm_write_value(vm, 0x1000, 8, PT_PRESENT), 0);     /* host: page 1 */
	ck_assert_int_eq(vm_guest_write(vm, 0x3008, 8, 7), 0);              /* guest: page 3 */
	ck_assert_int_eq(vm->mem.cmpxchg(vm, 0x1000, 8, PT_PRESENT, PT_PRESENT | PT_ACCESSED), 1);
	ck_assert_int_eq(vm_guest_write(vm, 0x12000, 4, 9), 0);             /* ROM: dropped */
	ck_assert_int_eq(vm_read_value(vm, 0x12000, 4, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(vm_dirty_log_get(vm, 0, &bm, &n), 0);
	ck_assert_uint_eq(n, 16);
	ck_assert_uint_eq(bm[0], (1u << 1) | (1u << 3));
	plat_free(bm);
	ck_assert_int_eq(vm_dirty_log_get(vm, 1, &bm, &n), 0);
	ck_assert_uint_eq(bm[0], 0);
	plat_free(bm);
	/* The get cleared the log; a cmpxchg that changes nothing logs nothing. */
	ck_assert_int_eq(vm->mem.cmpxchg(vm, 0x1000, 8, PT_PRESENT | PT_ACCESSED,
					 PT_PRESENT | PT_ACCESSED), 1);
	ck_assert_int_eq(vm_dirty_log_get(vm, 0, &bm, &n), 0);
	ck_assert_uint_eq(bm[0], 0);
	plat_free(bm);
	ck_assert_int_eq(vm_guest_write(vm, 0x20000, 8, 1), MMU_ENOSLOT);
	ck_assert_int_eq(vm_guest_write(vm, 0x3ffc, 8, 1), MMU_EINVAL);
	vm_destroy(vm);
}
END_TEST

START_TEST(clear_forgets_a_range_and_get_needs_logging)
{
	struct vm *vm = vm_create(&feat);
	uint64_t *bm = NULL, n = 0, i;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0, 0x100000, 0, MMU_LEVEL_4K), 0);
	ck_assert_int_eq(vm_dirty_log_get(vm, 0, &bm, &n), MMU_EINVAL);
	ck_assert_int_eq(vm_memslot_set_flags(vm, 0, MEMSLOT_DIRTY_LOG), 0);
	for (i = 60; i < 70; i++)
		ck_assert_int_eq(vm_guest_write(vm, i << PAGE_SHIFT, 1, 1), 0);
	ck_assert_int_eq(vm_dirty_log_clear(vm, 0, 62, 5), 0);   /* 62..66 */
	ck_assert_int_eq(vm_dirty_log_clear(vm, 0, 250, 7), MMU_EINVAL);
	ck_assert_int_eq(vm_dirty_log_get(vm, 0, &bm, &n), 0);
	ck_assert_uint_eq(n, 256);
	for (i = 0; i < n; i++)
		ck_assert_msg(bit(bm, i) == ((i >= 60 && i < 62) || (i >= 67 && i < 70)),
			      "page %llu", (unsigned long long)i);
	plat_free(bm);
	vm_destroy(vm);
}
END_TEST

/* ---- with an MMU attached (the fake backend records the calls) ------------------ */

static void count_flush(void *opaque)
{
	++*(unsigned *)opaque;
}

static struct vm *vm_with_fake(struct fake_backend *fb, unsigned *flushes,
			       enum mmu_dirty_mode mode)
{
	struct mmu_config cfg = { .layout = SPTE_LAYOUT_NPT, .dirty_mode = mode };
	struct vm *vm = vm_create(&feat);

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0, 0x100000, 0, MMU_LEVEL_4K), 0);
	ck_assert_int_eq(vm_attach_mmu(vm, &fake_backend_ops, &cfg, count_flush, flushes), 0);
	vm->mmu->backend = fb;
	fb->range_needs_flush = true;
	return vm;
}

START_TEST(memslot_changes_reach_the_mmu)
{
	struct fake_backend fb = { 0 };
	unsigned flushes = 0;
	struct vm *vm = vm_with_fake(&fb, &flushes, MMU_DIRTY_WRPROT);

	/* Slots that existed at attach time are registered, with their backing. */
	ck_assert_ptr_nonnull(mmu_memslot_by_id(vm->mmu, 0));
	ck_assert_int_eq(vm_memslot_create(vm, 1, 0x400000, 0x400000, 0, MMU_LEVEL_2M), 0);
	ck_assert_uint_eq(mmu_memslot_by_id(vm->mmu, 1)->host_level, MMU_LEVEL_2M);
	ck_assert_int_eq(vm_memslot_move(vm, 1, 0x800000), 0);
	ck_assert_uint_eq(mmu_memslot_by_id(vm->mmu, 1)->base_gfn, 0x800);
	/* The move zapped the old range and flushed. */
	ck_assert_uint_eq(fb.calls[0].op, 'z');
	ck_assert_uint_eq(fb.calls[0].start, 0x400);
	ck_assert_uint_eq(fb.calls[0].end, 0x800);
	ck_assert_uint_eq(flushes, 1);
	ck_assert_int_eq(vm_memslot_delete(vm, 1), 0);
	ck_assert_ptr_null(mmu_memslot_by_id(vm->mmu, 1));
	ck_assert_uint_eq(fb.calls[1].op, 'z');
	ck_assert_uint_eq(fb.calls[1].start, 0x800);
	vm_destroy(vm);
}
END_TEST

/* A get re-arms exactly the pages it reports; a clear re-arms its whole range. */
START_TEST(get_and_clear_rearm_through_the_mmu)
{
	struct fake_backend fb = { 0 };
	unsigned flushes = 0;
	struct vm *vm = vm_with_fake(&fb, &flushes, MMU_DIRTY_WRPROT);
	uint64_t *bm = NULL, n = 0;

	ck_assert_int_eq(vm_memslot_set_flags(vm, 0, MEMSLOT_DIRTY_LOG), 0);
	fb.nr_calls = 0;
	ck_assert_int_eq(vm_guest_write(vm, 0x5000, 8, 1), 0);
	ck_assert_int_eq(vm_guest_write(vm, 0x6000, 8, 1), 0);
	ck_assert_int_eq(vm_guest_write(vm, 0x9000, 8, 1), 0);
	ck_assert_int_eq(vm_dirty_log_get(vm, 0, &bm, &n), 0);
	ck_assert_uint_eq(bm[0], 0x260);
	plat_free(bm);
	ck_assert_uint_eq(fb.nr_calls, 2);
	ck_assert_uint_eq(fb.calls[0].op, 'w');
	ck_assert_uint_eq(fb.calls[0].start, 5);
	ck_assert_uint_eq(fb.calls[0].end, 7);
	ck_assert_uint_eq(fb.calls[1].start, 9);
	ck_assert_uint_eq(fb.calls[1].end, 10);
	ck_assert_int_eq(vm_dirty_log_clear(vm, 0, 16, 32), 0);
	ck_assert_uint_eq(fb.nr_calls, 3);
	ck_assert_uint_eq(fb.calls[2].start, 16);
	ck_assert_uint_eq(fb.calls[2].end, 48);
	vm_destroy(vm);
}
END_TEST

/*
 * D-bit logging: the harvest moves what the "CPU" marked dirty (the fake
 * says: every page) into the bitmap before it is copied, and re-arming
 * clears D bits without logging them again.
 */
START_TEST(get_harvests_d_bits_first)
{
	struct fake_backend fb = { 0 };
	unsigned flushes = 0;
	struct vm *vm = vm_with_fake(&fb, &flushes, MMU_DIRTY_DBIT);
	uint64_t *bm = NULL, n = 0, i;

	ck_assert_int_eq(vm_memslot_set_flags(vm, 0, MEMSLOT_DIRTY_LOG), 0);
	ck_assert_int_eq(vm_dirty_log_get(vm, 0, &bm, &n), 0);
	for (i = 0; i < n / 64; i++)
		ck_assert_uint_eq(bm[i], ~0ULL);
	plat_free(bm);
	/* The re-arm's D clearing did not refill the log. */
	ck_assert_uint_eq(vm_memslot_by_id(vm, 0)->dirty_bitmap[0], 0);
	vm_destroy(vm);
}
END_TEST

static Suite *vm_slots_suite(void)
{
	Suite *s = suite_create("vm/vm_slots");
	TCase *tc = tcase_create("memslots");
	TCase *dirty = tcase_create("dirty log");
	TCase *mmu = tcase_create("with an MMU");

	tcase_add_test(tc, create_refuses_overlaps_ids_and_misaligned_backing);
	tcase_add_test(tc, delete_drops_and_move_keeps_contents);
	tcase_add_test(tc, a_deleted_slot_is_poisoned_not_freed);
	tcase_add_test(tc, only_dirty_logging_may_change);
	tcase_add_test(dirty, the_log_holds_guest_writes_only);
	tcase_add_test(dirty, clear_forgets_a_range_and_get_needs_logging);
	tcase_add_test(mmu, memslot_changes_reach_the_mmu);
	tcase_add_test(mmu, get_and_clear_rearm_through_the_mmu);
	tcase_add_test(mmu, get_harvests_d_bits_first);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, dirty);
	suite_add_tcase(s, mmu);
	return s;
}

TEST_MAIN(vm_slots_suite)
