/* Tests for core/vm/vm.c: memslots and guest-physical memory. */
#include <check.h>

#include "core/errors.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "tests/util/check_main.h"

static const struct x86_cpu_features feat = { .maxphyaddr = 46, .gbpages = true };

START_TEST(overlapping_memslots_are_refused)
{
	struct vm *vm = vm_create(&feat);

	ck_assert_int_eq(vm_add_memslot(vm, 0, 0x100000, 0x100000, 0), 0);
	ck_assert_int_eq(vm_add_memslot(vm, 1, 0x1ff000, 0x2000, 0), MMU_EOVERLAP);
	ck_assert_int_eq(vm_add_memslot(vm, 2, 0x0ff000, 0x2000, 0), MMU_EOVERLAP);
	ck_assert_int_eq(vm_add_memslot(vm, 3, 0x200000, 0x1000, 0), 0);
	ck_assert_int_eq(vm_add_memslot(vm, 4, 0x0ff000, 0x1000, 0), 0);
	ck_assert_uint_eq(vm->nr_slots, 3);
	/* kept sorted by base */
	ck_assert_uint_eq(vm->slots[0]->base_gfn, 0xff);
	ck_assert_uint_eq(vm->slots[2]->base_gfn, 0x200);
	vm_destroy(vm);
}
END_TEST

START_TEST(memslots_beyond_maxphyaddr_or_misaligned_are_refused)
{
	struct vm *vm = vm_create(&feat);

	ck_assert_int_eq(vm_add_memslot(vm, 0, (1ULL << 46) - 0x1000, 0x2000, 0), MMU_ERANGE);
	ck_assert_int_eq(vm_add_memslot(vm, 0, (1ULL << 46) - 0x1000, 0x1000, 0), 0);
	ck_assert_int_eq(vm_add_memslot(vm, 1, 0x800, 0x1000, 0), MMU_EINVAL);
	ck_assert_int_eq(vm_add_memslot(vm, 1, 0x1000, 0, 0), MMU_EINVAL);
	vm_destroy(vm);
}
END_TEST

START_TEST(reads_and_writes_cross_pages_and_memslots)
{
	struct vm *vm = vm_create(&feat);
	uint64_t v;

	ck_assert_int_eq(vm_add_memslot(vm, 0, 0x0, 0x2000, 0), 0);
	ck_assert_int_eq(vm_add_memslot(vm, 1, 0x2000, 0x1000, 0), 0);
	/* 8 bytes straddling the two memslots */
	ck_assert_int_eq(vm_write_value(vm, 0x1ffc, 8, 0x1122334455667788ULL), 0);
	ck_assert_int_eq(vm_read_value(vm, 0x1ffc, 8, &v), 0);
	ck_assert_uint_eq(v, 0x1122334455667788ULL);
	ck_assert_int_eq(vm_read_value(vm, 0x2000, 4, &v), 0);
	ck_assert_uint_eq(v, 0x11223344);
	ck_assert_int_eq(vm_read_value(vm, 0x1ffc, 2, &v), 0);
	ck_assert_uint_eq(v, 0x7788);
	vm_destroy(vm);
}
END_TEST

START_TEST(an_access_partly_outside_memory_changes_nothing)
{
	struct vm *vm = vm_create(&feat);
	uint64_t v = 0;

	ck_assert_int_eq(vm_add_memslot(vm, 0, 0x0, 0x1000, 0), 0);
	ck_assert_int_eq(vm_write_value(vm, 0xffc, 8, ~0ULL), MMU_ENOSLOT);
	ck_assert_int_eq(vm_read_value(vm, 0xff8, 8, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(vm_read_value(vm, 0x5000, 1, &v), MMU_ENOSLOT);
	vm_destroy(vm);
}
END_TEST

/* A 1 TiB guest that touches one page costs one frame. */
START_TEST(a_huge_guest_costs_what_it_touches)
{
	struct vm *vm = vm_create(&feat);
	uint64_t v;

	ck_assert_int_eq(vm_add_memslot(vm, 0, 0, 1ULL << 40, 0), 0);
	ck_assert_uint_eq(vm_frames_in_use(vm), 0);
	ck_assert_int_eq(vm_write_value(vm, (1ULL << 40) - 8, 8, 42), 0);
	ck_assert_int_eq(vm_read_value(vm, (1ULL << 40) - 8, 8, &v), 0);
	ck_assert_uint_eq(v, 42);
	ck_assert_uint_eq(vm_frames_in_use(vm), 1);
	vm_destroy(vm);
}
END_TEST

/* Walkers set A/D through cmpxchg; in a read-only memslot the entry is left
 * alone but the update reports success (ROM: A/D never change). */
START_TEST(walker_cmpxchg_respects_read_only_memslots)
{
	struct vm *vm = vm_create(&feat);
	uint64_t v;

	ck_assert_int_eq(vm_add_memslot(vm, 0, 0x0, 0x1000, 0), 0);
	ck_assert_int_eq(vm_add_memslot(vm, 1, 0x1000, 0x1000, MEMSLOT_READONLY), 0);
	ck_assert_int_eq(vm_write_value(vm, 0x8, 8, PT_PRESENT), 0);
	ck_assert_int_eq(vm_write_value(vm, 0x1008, 8, PT_PRESENT), 0);
	ck_assert_int_eq(vm->mem.cmpxchg(vm, 0x8, 8, PT_PRESENT, PT_PRESENT | PT_ACCESSED), 1);
	ck_assert_int_eq(vm->mem.cmpxchg(vm, 0x8, 8, PT_PRESENT, 0), 0);
	ck_assert_int_eq(vm->mem.cmpxchg(vm, 0x1008, 8, PT_PRESENT, PT_PRESENT | PT_ACCESSED), 1);
	ck_assert_int_eq(vm_read_value(vm, 0x8, 8, &v), 0);
	ck_assert_uint_eq(v, PT_PRESENT | PT_ACCESSED);
	ck_assert_int_eq(vm_read_value(vm, 0x1008, 8, &v), 0);
	ck_assert_uint_eq(v, PT_PRESENT);
	ck_assert(!vm_gpa_guest_writable(vm, 0xff8, 16));
	ck_assert(vm_gpa_guest_writable(vm, 0xff0, 16));
	vm_destroy(vm);
}
END_TEST

static Suite *memslot_suite(void)
{
	Suite *s = suite_create("vm/memslot");
	TCase *tc = tcase_create("memslots");

	tcase_add_test(tc, overlapping_memslots_are_refused);
	tcase_add_test(tc, memslots_beyond_maxphyaddr_or_misaligned_are_refused);
	tcase_add_test(tc, reads_and_writes_cross_pages_and_memslots);
	tcase_add_test(tc, an_access_partly_outside_memory_changes_nothing);
	tcase_add_test(tc, a_huge_guest_costs_what_it_touches);
	tcase_add_test(tc, walker_cmpxchg_respects_read_only_memslots);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(memslot_suite)
