/*
 * Tests for core/x86/format.c: the geometry and entry encoding of each
 * page format (SDM 4.3-4.5, 29.3.2), and that the derived formats differ
 * from 4-level paging only where the architecture says.
 */
#include <check.h>
#include <string.h>

#include "core/x86/format.h"
#include "tests/util/check_main.h"
#include "tests/x86/x86_helpers.h"

static const struct {
	const struct pt_format *fmt;
	const char *name;
	int root_level, entry_bytes, va_bits;
	uint64_t page_size[PT_MAX_LEVEL + 1];
	int index_bits[PT_MAX_LEVEL + 1];
} geometry[] = {
	{ &pt_format_32, "32-bit", 2, 4, 32, { 0, PAGE_SIZE_4K, 0 }, { 0, 10, 10 } },
	{ &pt_format_32_pse, "32-bit+pse", 2, 4, 32, { 0, PAGE_SIZE_4K, PAGE_SIZE_4M },
	  { 0, 10, 10 } },
	{ &pt_format_pae, "pae", 3, 8, 32, { 0, PAGE_SIZE_4K, PAGE_SIZE_2M, 0 }, { 0, 9, 9, 2 } },
	{ &pt_format_4level, "4-level", 4, 8, 48,
	  { 0, PAGE_SIZE_4K, PAGE_SIZE_2M, PAGE_SIZE_1G, 0 }, { 0, 9, 9, 9, 9 } },
	{ &pt_format_5level, "5-level", 5, 8, 57,
	  { 0, PAGE_SIZE_4K, PAGE_SIZE_2M, PAGE_SIZE_1G, 0, 0 }, { 0, 9, 9, 9, 9, 9 } },
	{ &pt_format_ept4, "ept4", 4, 8, 48,
	  { 0, PAGE_SIZE_4K, PAGE_SIZE_2M, PAGE_SIZE_1G, 0 }, { 0, 9, 9, 9, 9 } },
	{ &pt_format_ept5, "ept5", 5, 8, 57,
	  { 0, PAGE_SIZE_4K, PAGE_SIZE_2M, PAGE_SIZE_1G, 0, 0 }, { 0, 9, 9, 9, 9, 9 } },
};

START_TEST(each_format_has_its_sdm_geometry_and_is_found_by_name)
{
	const struct pt_format *fmt = geometry[_i].fmt;
	int level;

	ck_assert_ptr_eq(pt_format_by_name(geometry[_i].name), fmt);
	ck_assert_str_eq(fmt->name, geometry[_i].name);
	ck_assert_int_eq(fmt->root_level, geometry[_i].root_level);
	ck_assert_int_eq(fmt->entry_bytes, geometry[_i].entry_bytes);
	ck_assert_uint_eq(pt_va_bits(fmt), geometry[_i].va_bits);
	for (level = 1; level <= fmt->root_level; level++) {
		ck_assert_uint_eq(fmt->level[level].page_size, geometry[_i].page_size[level]);
		ck_assert_uint_eq(fmt->level[level].index_bits, geometry[_i].index_bits[level]);
	}
}
END_TEST

START_TEST(unknown_format_names_are_not_found)
{
	ck_assert_ptr_null(pt_format_by_name("ept"));
	ck_assert_ptr_null(pt_format_by_name(""));
	ck_assert_ptr_null(pt_format_by_name("4-level "));
}
END_TEST

START_TEST(each_level_indexes_its_own_address_bits)
{
	ck_assert_uint_eq(pt_index(&pt_format_32, 0xFFC01000, 2), 1023);
	ck_assert_uint_eq(pt_index(&pt_format_32, 0xFFC01000, 1), 1);
	ck_assert_uint_eq(pt_index(&pt_format_pae, 0xC0000000, 3), 3);
	ck_assert_uint_eq(pt_index(&pt_format_pae, 0xC0000000 | 0x3FE00000, 2), 511);
	ck_assert_uint_eq(pt_index(&pt_format_4level, 0xFFFF800000000000ULL, 4), 256);
	ck_assert_uint_eq(pt_index(&pt_format_5level, 0x00FF800000000000ULL, 5), 255);
	ck_assert_uint_eq(pt_index(&pt_format_5level, 0x00FF800000000000ULL, 4), 256);
	ck_assert_uint_eq(pt_index(&pt_format_ept4, 0x40201000, 3), 1);
}
END_TEST

START_TEST(five_level_is_four_level_with_a_pml5_on_top)
{
	const struct pt_format *f4 = &pt_format_4level, *f5 = &pt_format_5level;

	ck_assert_int_eq(memcmp(&f4->level[1], &f5->level[1], 4 * sizeof(f4->level[1])), 0);
	ck_assert_uint_eq(f5->level[5].va_shift, 48);
	ck_assert_ptr_eq(f4->make_leaf, f5->make_leaf);
	ck_assert_ptr_eq(f4->access, f5->access);
	ck_assert(f5->va_sign_extended);
}
END_TEST

START_TEST(ept_shares_the_geometry_but_not_the_encoding)
{
	const struct pt_format *ept = &pt_format_ept4;

	ck_assert_int_eq(memcmp(&ept->level[1], &pt_format_4level.level[1],
				4 * sizeof(ept->level[1])), 0);
	ck_assert_uint_eq(ept->accessed_mask, BIT_ULL(8));
	ck_assert_uint_eq(ept->dirty_mask, BIT_ULL(9));
	ck_assert(!ept->va_sign_extended);
	/* present = any of R, W, X (an execute-only entry is present) */
	ck_assert(ept->is_present(EPT_EXEC));
	ck_assert(ept->is_present(EPT_WRITE));
	ck_assert(!ept->is_present(EPT_MT_MASK | EPT_IGNORE_PAT | EPT_ACCESSED));
	/* no user bit: every entry reports ACC_USER */
	ck_assert_uint_eq(ept->access(EPT_READ), ACC_USER);
	ck_assert_uint_eq(ept->access(EPT_READ | EPT_EXEC), ACC_USER | ACC_EXEC);
	ck_assert_uint_eq(ept->access(EPT_RWX), ACC_ALL);
	ck_assert(ept->is_leaf(ept, EPT_READ | EPT_PAGE_SIZE, 3));
	ck_assert(!ept->is_leaf(ept, EPT_READ | EPT_PAGE_SIZE, 4));
}
END_TEST

START_TEST(x86_rights_come_from_r_w_u_s_and_inverted_xd)
{
	const struct pt_format *f = &pt_format_4level;

	ck_assert_uint_eq(f->access(P | W | U), ACC_ALL);
	ck_assert_uint_eq(f->access(P | W | U | NX), ACC_WRITE | ACC_USER);
	ck_assert_uint_eq(f->access(P), ACC_EXEC);
	/* 32-bit entries have no XD bit */
	ck_assert_uint_eq(pt_format_32.access(P | U), ACC_USER | ACC_EXEC);
	ck_assert_uint_eq(f->make_leaf(f, 0x5000, 1, ACC_USER), 0x5000 | P | U | NX);
	ck_assert_uint_eq(f->make_table(f, 0x5000, 3, ACC_ALL), 0x5000 | P | W | U);
	ck_assert_uint_eq(f->accessed_mask, A);
	ck_assert_uint_eq(f->dirty_mask, D);
}
END_TEST

START_TEST(bit_7_marks_a_leaf_only_where_the_level_has_pages)
{
	ck_assert(pt_format_4level.is_leaf(&pt_format_4level, P | PT_PAT_4K, 1));
	ck_assert(pt_format_4level.is_leaf(&pt_format_4level, P, 1));
	ck_assert(pt_format_4level.is_leaf(&pt_format_4level, P | PS, 2));
	ck_assert(!pt_format_4level.is_leaf(&pt_format_4level, P, 2));
	ck_assert(pt_format_4level.is_leaf(&pt_format_4level, P | PS, 3));
	ck_assert(!pt_format_4level.is_leaf(&pt_format_4level, P | PS, 4));
	ck_assert(!pt_format_32.is_leaf(&pt_format_32, P | PS, 2));
	ck_assert(pt_format_32_pse.is_leaf(&pt_format_32_pse, P | PS, 2));
	ck_assert(!pt_format_pae.is_leaf(&pt_format_pae, P | PS, 3));
}
END_TEST

START_TEST(addresses_exclude_flags_pat_and_the_ignored_high_bits)
{
	const struct pt_format *f = &pt_format_4level;

	ck_assert_uint_eq(f->table_addr(0x8FF0000012345FFFULL), 0x12345000);
	/* a 2 MiB leaf: bit 12 is PAT, not address */
	ck_assert_uint_eq(f->leaf_addr(f, 0x40200000 | PT_PAT_LARGE | P | PS, 2), 0x40200000);
	ck_assert_uint_eq(f->leaf_addr(f, 0x1C0000000ULL | PT_PAT_LARGE | P | PS, 3), 0x1C0000000ULL);
	ck_assert_uint_eq(pt_format_32.table_addr(0xFFFFFFFF), 0xFFFFF000);
	/* a 4 MiB PDE: bits 31:22, then PSE-36 bits 20:13 as 39:32, PAT at 12 */
	ck_assert_uint_eq(pt_format_32_pse.leaf_addr(&pt_format_32_pse,
						     0xFFC00000 | (0xABULL << 13) | PT_PAT_LARGE | P | PS,
						     2),
			  0xABFFC00000ULL);
	ck_assert_uint_eq(pt_format_32_pse.make_leaf(&pt_format_32_pse, 0xABFFC00000ULL, 2, ACC_ALL),
			  0xFFC00000 | (0xABULL << 13) | P | W | U | PS);
}
END_TEST

START_TEST(a_pae_pdpte_holds_only_p_and_an_address)
{
	const struct pt_format *f = &pt_format_pae;

	ck_assert_uint_eq(f->make_table(f, 0x7000, 3, ACC_ALL), 0x7000 | P);
	ck_assert_uint_eq(f->make_table(f, 0x7000, 2, ACC_ALL), 0x7000 | P | W | U);
	ck_assert_uint_eq(f->make_leaf(f, 0x200000, 2, ACC_WRITE | ACC_EXEC), 0x200000 | P | W | PS);
}
END_TEST

static Suite *format_suite(void)
{
	Suite *s = suite_create("x86/format");
	TCase *tc = tcase_create("formats");

	tcase_add_loop_test(tc, each_format_has_its_sdm_geometry_and_is_found_by_name, 0,
			    (int)(sizeof(geometry) / sizeof(geometry[0])));
	tcase_add_test(tc, unknown_format_names_are_not_found);
	tcase_add_test(tc, each_level_indexes_its_own_address_bits);
	tcase_add_test(tc, five_level_is_four_level_with_a_pml5_on_top);
	tcase_add_test(tc, ept_shares_the_geometry_but_not_the_encoding);
	tcase_add_test(tc, x86_rights_come_from_r_w_u_s_and_inverted_xd);
	tcase_add_test(tc, bit_7_marks_a_leaf_only_where_the_level_has_pages);
	tcase_add_test(tc, addresses_exclude_flags_pat_and_the_ignored_high_bits);
	tcase_add_test(tc, a_pae_pdpte_holds_only_p_and_an_address);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(format_suite)
