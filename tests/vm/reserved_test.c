/*
 * Tests for core/vm/reserved.c: the linear range each paging mode
 * reserves is exactly what the one hooked entry maps, and the
 * guest-physical range is the last MiB below 4 GiB.
 */
#include <check.h>

#include "core/vm/reserved.h"
#include "tests/util/check_main.h"

/* The first and last byte inside, and the bytes just outside. */
START_TEST(each_mode_reserves_what_its_entry_maps)
{
	static const struct {
		enum paging_mode mode;
		uint64_t first, last;
	} r[] = {
		{ PAGING_32, 0xffc00000ULL, 0xffffffffULL },			/* PDE 1023 */
		{ PAGING_PAE, 0xffe00000ULL, 0xffffffffULL },			/* PDPTE 3, PDE 511 */
		{ PAGING_4LEVEL, 0xffffff0000000000ULL, 0xffffff7fffffffffULL },	/* PML4E 510 */
		{ PAGING_5LEVEL, 0xffff000000000000ULL, ~0ULL },		/* PML5E 511 */
	};
	uint64_t first, last;
	unsigned i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		ck_assert(vm_rsv_va(r[i].mode, &first, &last));
		ck_assert_uint_eq(first, r[i].first);
		ck_assert_uint_eq(last, r[i].last);
		ck_assert(vm_rsv_va_meets(r[i].mode, r[i].first, 1));
		ck_assert(vm_rsv_va_meets(r[i].mode, r[i].last, 1));
		ck_assert(!vm_rsv_va_meets(r[i].mode, r[i].first - 8, 8));
		/* An access that ends in the range meets it. */
		ck_assert(vm_rsv_va_meets(r[i].mode, r[i].first - 4, 8));
	}
	ck_assert(!vm_rsv_va_meets(PAGING_4LEVEL, 0xffffff8000000000ULL, 8));
	ck_assert(!vm_rsv_va_meets(PAGING_32, 0x100000000ULL, 8));
	/* Each mode has its own range: 4-level's is no business of 32-bit paging. */
	ck_assert(!vm_rsv_va_meets(PAGING_32, 0xffffff0000000000ULL, 8));
	ck_assert(!vm_rsv_va_meets(PAGING_4LEVEL, 0xffc00000ULL, 8));
	ck_assert(!vm_rsv_va_meets(PAGING_4LEVEL, 0xffff800000000000ULL, 8));
}
END_TEST

START_TEST(paging_off_reserves_no_linear_range)
{
	uint64_t first = 1, last = 2;

	ck_assert(!vm_rsv_va(PAGING_OFF, &first, &last));
	ck_assert(!vm_rsv_va_meets(PAGING_OFF, 0xfff00000ULL, 8));
}
END_TEST

START_TEST(the_gpa_range_is_the_last_mib_below_4g)
{
	ck_assert(vm_rsv_gpa_meets(0xfff00000ULL, 1));
	ck_assert(vm_rsv_gpa_meets(0xffffffffULL, 1));
	ck_assert(!vm_rsv_gpa_meets(0xffeff000ULL, 0x1000));
	ck_assert(vm_rsv_gpa_meets(0xffeff000ULL, 0x1001));
	ck_assert(!vm_rsv_gpa_meets(0x100000000ULL, 0x1000));
	/* A memslot of all 4 GiB covers it. */
	ck_assert(vm_rsv_gpa_meets(0, 0x100000000ULL));
	ck_assert(!vm_rsv_gpa_meets(0xfff00000ULL, 0));
}
END_TEST

static Suite *reserved_suite(void)
{
	Suite *s = suite_create("vm/reserved");
	TCase *tc = tcase_create("ranges");

	tcase_add_test(tc, each_mode_reserves_what_its_entry_maps);
	tcase_add_test(tc, paging_off_reserves_no_linear_range);
	tcase_add_test(tc, the_gpa_range_is_the_last_mib_below_4g);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(reserved_suite)
