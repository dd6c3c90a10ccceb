/* Tests for core/vm/mmio.c: the trivial device behind <mmio> ranges. */
#include <check.h>

#include "core/errors.h"
#include "core/vm/vm.h"
#include "tests/util/check_main.h"

static const struct x86_cpu_features feat = { .maxphyaddr = 46, .gbpages = true };
static const struct scn_mmio ranges[] = {
	{ .line = 1, .base = 0xfee00000, .size = 0x100 },
	{ .line = 2, .base = 0x300000, .size = 8 },
};

static struct vm *vm_with_mmio(void)
{
	struct vm *vm = vm_create(&feat);

	vm->mmio = ranges;
	vm->nr_mmio = 2;
	return vm;
}

static uint64_t rd(struct vm *vm, uint64_t gpa, unsigned bytes)
{
	uint64_t v = 0;

	ck_assert_int_eq(vm_mmio_read(vm, gpa, bytes, &v), 0);
	return v;
}

START_TEST(ranges_are_device_addresses)
{
	struct vm *vm = vm_with_mmio();

	ck_assert(vm_gpa_is_mmio(vm, 0xfee00000));
	ck_assert(vm_gpa_is_mmio(vm, 0xfee000ff));
	ck_assert(!vm_gpa_is_mmio(vm, 0xfee00100));
	ck_assert(vm_gpa_is_mmio(vm, 0x300007));
	ck_assert(!vm_gpa_is_mmio(vm, 0x300008));
	ck_assert(!vm_gpa_is_mmio(vm, 0));
	vm_destroy(vm);
}
END_TEST

START_TEST(registers_read_all_ones_until_written)
{
	struct vm *vm = vm_with_mmio();

	ck_assert_uint_eq(rd(vm, 0xfee00000, 8), ~0ULL);
	ck_assert_uint_eq(rd(vm, 0xfee00013, 1), 0xff);
	ck_assert_uint_eq(rd(vm, 0x300004, 4), 0xffffffff);
	vm_destroy(vm);
}
END_TEST

/* A write replaces exactly its bytes of one register; a read returns bytes. */
START_TEST(writes_replace_their_bytes)
{
	struct vm *vm = vm_with_mmio();

	ck_assert_int_eq(vm_mmio_write(vm, 0xfee00010, 4, 0x12345678), 0);
	ck_assert_uint_eq(rd(vm, 0xfee00010, 8), 0xffffffff12345678ULL);
	ck_assert_int_eq(vm_mmio_write(vm, 0xfee00016, 2, 0xabcd), 0);
	ck_assert_uint_eq(rd(vm, 0xfee00010, 8), 0xabcdffff12345678ULL);
	ck_assert_uint_eq(rd(vm, 0xfee00011, 1), 0x56);
	ck_assert_uint_eq(rd(vm, 0xfee00014, 4), 0xabcdffff);
	/* Only the wanted bytes of the value count. */
	ck_assert_int_eq(vm_mmio_write(vm, 0xfee00010, 1, 0x1ff), 0);
	ck_assert_uint_eq(rd(vm, 0xfee00010, 2), 0x56ff);
	ck_assert_int_eq(vm_mmio_write(vm, 0xfee00018, 8, 0), 0);
	ck_assert_uint_eq(rd(vm, 0xfee00018, 8), 0);
	/* Its neighbours are untouched. */
	ck_assert_uint_eq(rd(vm, 0xfee00008, 8), ~0ULL);
	ck_assert_uint_eq(rd(vm, 0xfee00020, 8), ~0ULL);
	vm_destroy(vm);
}
END_TEST

START_TEST(bad_accesses_are_errors)
{
	struct vm *vm = vm_with_mmio();
	uint64_t v;

	ck_assert_int_eq(vm_mmio_read(vm, 0xfee00006, 4, &v), MMU_EINVAL);
	ck_assert_int_eq(vm_mmio_write(vm, 0xfee00004, 8, 0), MMU_EINVAL);
	ck_assert_int_eq(vm_mmio_read(vm, 0xfee00000, 3, &v), MMU_EINVAL);
	ck_assert_int_eq(vm_mmio_read(vm, 0x1000, 8, &v), MMU_ENOSLOT);
	ck_assert_int_eq(vm_mmio_write(vm, 0xfee00100, 1, 0), MMU_ENOSLOT);
	ck_assert_uint_eq(rd(vm, 0xfee00000, 8), ~0ULL);
	vm_destroy(vm);
}
END_TEST

static Suite *mmio_suite(void)
{
	Suite *s = suite_create("vm/mmio");
	TCase *tc = tcase_create("device");

	tcase_add_test(tc, ranges_are_device_addresses);
	tcase_add_test(tc, registers_read_all_ones_until_written);
	tcase_add_test(tc, writes_replace_their_bytes);
	tcase_add_test(tc, bad_accesses_are_errors);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(mmio_suite)
