/*
 * Tests for core/x86/ptbuild.c: the generic creator builds exactly the
 * entries each format encodes, takes tables from the pool in order, and
 * refuses conflicting, misplaced or impossible mappings without writing.
 */
#include <check.h>

#include "core/errors.h"
#include "core/x86/ptbuild.h"
#include "tests/util/check_main.h"
#include "tests/x86/x86_helpers.h"

#define MEM_LIMIT (1ULL << 33)
#define ROOT 0x1000ULL
#define POOL 0x10000ULL
#define POOL_END 0x20000ULL
#define RW_USER (ACC_WRITE | ACC_USER)

static void builder_4level(struct pt_builder *b, struct fake_mem *fm)
{
	fake_mem_init(fm, MEM_LIMIT);
	ck_assert_int_eq(ptbuild_init(b, &pt_format_4level, &fm->ops, ROOT, POOL, POOL_END), 0);
}

START_TEST(a_4k_mapping_links_new_tables_from_the_pool_in_order)
{
	struct x86_paging_regs regs = regs_64(ROOT, false, true);
	struct x86_cpu_features feat = feat_of(46, true);
	struct pt_builder b;
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	builder_4level(&b, &fm);
	ck_assert_int_eq(ptbuild_map(&b, 0x400000, 0x9000, 1, RW_USER, 0, ACC_ALL), 0);
	ck_assert_uint_eq(fake_mem_read(&fm, ROOT, 8), 0x10000 | P | W | U);
	ck_assert_uint_eq(fake_mem_read(&fm, 0x10000, 8), 0x11000 | P | W | U);
	ck_assert_uint_eq(fake_mem_read(&fm, 0x11000 + 2 * 8, 8), 0x12000 | P | W | U);
	/* no ACC_EXEC: the leaf is execute-disabled */
	ck_assert_uint_eq(fake_mem_read(&fm, 0x12000, 8), 0x9000 | P | W | U | NX);
	ck_assert_uint_eq(b.pool_next, 0x13000);

	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x400abc, ACCESS_WRITE, 3);
	assert_translates(res, 0x9abc);
	res = walk_one(&ctx, &fm, 0x400abc, ACCESS_FETCH, 3);
	assert_page_fault(res, PFERR_PRESENT | PFERR_USER | PFERR_FETCH);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(mappings_under_the_same_tables_share_them)
{
	struct pt_builder b;
	struct fake_mem fm;

	builder_4level(&b, &fm);
	ck_assert_int_eq(ptbuild_map(&b, 0x400000, 0x9000, 1, ACC_ALL, 0, ACC_ALL), 0);
	ck_assert_int_eq(ptbuild_map(&b, 0x401000, 0xa000, 1, ACC_ALL, 0, ACC_ALL), 0);
	ck_assert_int_eq(ptbuild_map(&b, 0x600000, 0x200000, 2, ACC_ALL, 0, ACC_ALL), 0);
	ck_assert_uint_eq(b.pool_next, 0x13000);
	ck_assert_uint_eq(fake_mem_read(&fm, 0x12008, 8), 0xa000 | P | W | U);
	ck_assert_uint_eq(fake_mem_read(&fm, 0x11000 + 3 * 8, 8), 0x200000 | P | W | U | PS);
	fake_mem_destroy(&fm);
}
END_TEST

static void build_some(struct fake_mem *fm, struct pt_builder *b)
{
	static const struct { uint64_t va, pa; int level; } maps[] = {
		{ 0x7fff00000000ULL, 0x40000000, 3 }, { 0x400000, 0x9000, 1 },
		{ 0xffff800000200000ULL, 0x600000, 2 }, { 0x1000, 0x2000, 1 },
		{ 0x401000, 0xa000, 1 },
	};
	size_t i;

	builder_4level(b, fm);
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		ck_assert_int_eq(ptbuild_map(b, maps[i].va, maps[i].pa, maps[i].level,
					     ACC_ALL, 0, ACC_ALL), 0);
}

START_TEST(the_same_mappings_always_build_the_same_tables)
{
	struct pt_builder b1, b2;
	struct fake_mem fm1, fm2;
	uint64_t gpa;

	build_some(&fm1, &b1);
	build_some(&fm2, &b2);
	ck_assert_uint_eq(b1.pool_next, b2.pool_next);
	/* 1 + 3 + 2 + 1 new tables, in the order the mappings needed them */
	ck_assert_uint_eq(b1.pool_next, POOL + 7 * 0x1000);
	for (gpa = ROOT; gpa < ROOT + 0x1000; gpa += 8)
		ck_assert_uint_eq(fake_mem_read(&fm1, gpa, 8), fake_mem_read(&fm2, gpa, 8));
	for (gpa = POOL; gpa < b1.pool_next; gpa += 8)
		ck_assert_uint_eq(fake_mem_read(&fm1, gpa, 8), fake_mem_read(&fm2, gpa, 8));
	fake_mem_destroy(&fm1);
	fake_mem_destroy(&fm2);
}
END_TEST

START_TEST(conflicting_mappings_are_refused_without_writing)
{
	struct pt_builder b;
	struct fake_mem fm;
	unsigned writes;

	builder_4level(&b, &fm);
	ck_assert_int_eq(ptbuild_map(&b, 0x400000, 0x9000, 1, ACC_ALL, 0, ACC_ALL), 0);
	ck_assert_int_eq(ptbuild_map(&b, 0x800000, 0x800000, 2, ACC_ALL, 0, ACC_ALL), 0);
	writes = fm.writes;
	/* the same page again */
	ck_assert_int_eq(ptbuild_map(&b, 0x400000, 0x9000, 1, ACC_ALL, 0, ACC_ALL), MMU_ECONFLICT);
	/* a 4K page inside a 2 MiB one */
	ck_assert_int_eq(ptbuild_map(&b, 0x801000, 0x5000, 1, ACC_ALL, 0, ACC_ALL), MMU_ECONFLICT);
	/* a 2 MiB page over a page table */
	ck_assert_int_eq(ptbuild_map(&b, 0x400000, 0x200000, 2, ACC_ALL, 0, ACC_ALL),
			 MMU_ECONFLICT);
	/* a 1 GiB page over a page directory */
	ck_assert_int_eq(ptbuild_map(&b, 0, 0x40000000, 3, ACC_ALL, 0, ACC_ALL), MMU_ECONFLICT);
	/* existing tables are writable and user: read-only tables conflict */
	ck_assert_int_eq(ptbuild_map(&b, 0x402000, 0x5000, 1, ACC_ALL, 0, ACC_USER | ACC_EXEC),
			 MMU_ECONFLICT);
	ck_assert_uint_eq(fm.writes, writes);
	ck_assert_uint_eq(b.pool_next, POOL + 3 * 0x1000);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(impossible_levels_and_misaligned_addresses_are_invalid)
{
	struct pt_builder b;
	struct fake_mem fm;

	builder_4level(&b, &fm);
	ck_assert_int_eq(ptbuild_map(&b, 0, 0, 0, ACC_ALL, 0, ACC_ALL), MMU_EINVAL);
	ck_assert_int_eq(ptbuild_map(&b, 0, 0, 4, ACC_ALL, 0, ACC_ALL), MMU_EINVAL);
	ck_assert_int_eq(ptbuild_map(&b, 0x201000, 0x200000, 2, ACC_ALL, 0, ACC_ALL), MMU_EINVAL);
	ck_assert_int_eq(ptbuild_map(&b, 0x200000, 0x201000, 2, ACC_ALL, 0, ACC_ALL), MMU_EINVAL);
	ck_assert_int_eq(ptbuild_map(&b, 0x1800, 0x1000, 1, ACC_ALL, 0, ACC_ALL), MMU_EINVAL);
	fake_mem_destroy(&fm);

	/* 32-bit paging without PSE has no 4 MiB pages; PAE has no 1 GiB pages */
	fake_mem_init(&fm, MEM_LIMIT);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_32, &fm.ops, ROOT, POOL, POOL_END), 0);
	ck_assert_int_eq(ptbuild_map(&b, 0x400000, 0x400000, 2, ACC_ALL, 0, ACC_ALL), MMU_EINVAL);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_pae, &fm.ops, ROOT, POOL, POOL_END), 0);
	ck_assert_int_eq(ptbuild_map(&b, 0x40000000, 0x40000000, 3, ACC_ALL, 0, ACC_ALL),
			 MMU_EINVAL);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(addresses_a_format_cannot_express_are_out_of_range)
{
	struct pt_builder b;
	struct fake_mem fm;

	builder_4level(&b, &fm);
	/* linear addresses must be canonical */
	ck_assert_int_eq(ptbuild_map(&b, 0x0000800000000000ULL, 0, 1, ACC_ALL, 0, ACC_ALL),
			 MMU_ERANGE);
	ck_assert_int_eq(ptbuild_map(&b, 0xFFFF800000000000ULL, 0x5000, 1, ACC_ALL, 0, ACC_ALL), 0);
	ck_assert_uint_eq(fake_mem_read(&fm, ROOT + 256 * 8, 8), POOL | P | W | U);
	/* a page beyond 52 address bits */
	ck_assert_int_eq(ptbuild_map(&b, 0x1000, 1ULL << 52, 1, ACC_ALL, 0, ACC_ALL), MMU_ERANGE);
	fake_mem_destroy(&fm);

	/* EPT translates guest-physical addresses: zero-extended, 48 bits */
	fake_mem_init(&fm, MEM_LIMIT);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_ept4, &fm.ops, ROOT, POOL, POOL_END), 0);
	ck_assert_int_eq(ptbuild_map(&b, 0x0000800000000000ULL, 0x5000, 1, ACC_ALL, 0, ACC_ALL), 0);
	ck_assert_int_eq(ptbuild_map(&b, 0xFFFF800000000000ULL, 0x5000, 1, ACC_ALL, 0, ACC_ALL),
			 MMU_ERANGE);
	fake_mem_destroy(&fm);

	/* 32-bit paging: 32-bit linear addresses, 4 KiB pages below 4 GiB */
	fake_mem_init(&fm, MEM_LIMIT);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_32_pse, &fm.ops, ROOT, POOL, POOL_END), 0);
	ck_assert_int_eq(ptbuild_map(&b, 0x100000000ULL, 0, 1, ACC_ALL, 0, ACC_ALL), MMU_ERANGE);
	ck_assert_int_eq(ptbuild_map(&b, 0x1000, 0x100000000ULL, 1, ACC_ALL, 0, ACC_ALL), MMU_ERANGE);
	/* 4 MiB pages reach 40 bits through PSE-36, no further */
	ck_assert_int_eq(ptbuild_map(&b, 0x400000, 1ULL << 40, 2, ACC_ALL, 0, ACC_ALL), MMU_ERANGE);
	ck_assert_int_eq(ptbuild_map(&b, 0x400000, 0xAB00800000ULL, 2, ACC_ALL, 0, ACC_ALL), 0);
	ck_assert_uint_eq(fake_mem_read(&fm, ROOT + 4, 4),
			  0x00800000 | (0xABULL << 13) | P | W | U | PS);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(tables_of_32bit_formats_must_lie_below_4gib)
{
	struct pt_builder b;
	struct fake_mem fm;

	fake_mem_init(&fm, MEM_LIMIT);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_32, &fm.ops, 1ULL << 32, POOL, POOL_END),
			 MMU_ERANGE);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_32, &fm.ops, ROOT, 1ULL << 32,
				      (1ULL << 32) + 0x10000), 0);
	ck_assert_int_eq(ptbuild_map(&b, 0x1000, 0x1000, 1, ACC_ALL, 0, ACC_ALL), MMU_ERANGE);
	ck_assert_uint_eq(fake_mem_read(&fm, ROOT, 4), 0);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(an_exhausted_pool_fails_before_linking_anything)
{
	struct pt_builder b;
	struct fake_mem fm;
	unsigned writes;

	fake_mem_init(&fm, MEM_LIMIT);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_4level, &fm.ops, ROOT, POOL, POOL + 0x2000), 0);
	writes = fm.writes;
	/* a 4K page needs a PDPT, a PD and a PT: three pages, the pool has two */
	ck_assert_int_eq(ptbuild_map(&b, 0x1000, 0x1000, 1, ACC_ALL, 0, ACC_ALL), MMU_ENOMEM);
	ck_assert_uint_eq(fm.writes, writes);
	ck_assert_uint_eq(b.pool_next, POOL);
	/* a 2 MiB page needs two */
	ck_assert_int_eq(ptbuild_map(&b, 0x200000, 0x200000, 2, ACC_ALL, 0, ACC_ALL), 0);
	ck_assert_uint_eq(b.pool_next, POOL + 0x2000);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(the_pae_root_is_a_32_byte_pdpt_of_pdptes_without_rights)
{
	struct x86_paging_regs regs = regs_pae(0x1020, true);
	struct x86_cpu_features feat = feat_of(36, false);
	struct pt_builder b;
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_pae, &fm.ops, 0x1010, POOL, POOL_END),
			 MMU_EINVAL);
	fake_mem_write(&fm, 0x1040, 8, 0x1234);  /* just past the PDPT */
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_pae, &fm.ops, 0x1020, POOL, POOL_END), 0);
	ck_assert_uint_eq(fm.writes, 4);
	ck_assert_uint_eq(fake_mem_read(&fm, 0x1040, 8), 0x1234);
	ck_assert_int_eq(ptbuild_map(&b, 0xC0200000, 0x7FE00000, 2, ACC_ALL, 0, ACC_ALL), 0);
	ck_assert_uint_eq(fake_mem_read(&fm, 0x1020 + 3 * 8, 8), POOL | P);
	ck_assert_uint_eq(fake_mem_read(&fm, POOL + 8, 8), 0x7FE00000 | P | W | U | PS);

	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, regs.pdptrs), 0);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0xC0212345, ACCESS_WRITE, 3);
	assert_translates(res, 0x7FE12345);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_32bit_root_is_1024_four_byte_entries)
{
	struct pt_builder b;
	struct fake_mem fm;

	fake_mem_init(&fm, MEM_LIMIT);
	fake_mem_write(&fm, ROOT + 0xffc, 4, 0xffffffff);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_32, &fm.ops, ROOT, POOL, POOL_END), 0);
	ck_assert_uint_eq(fm.writes, 1024);
	ck_assert_uint_eq(fake_mem_read(&fm, ROOT + 0xffc, 4), 0);
	ck_assert_int_eq(ptbuild_map(&b, 0xFFC01000, 0x5000, 1, ACC_WRITE, 0, ACC_ALL), 0);
	ck_assert_uint_eq(fake_mem_read(&fm, ROOT + 0xffc, 4), POOL | P | W | U);
	ck_assert_uint_eq(fake_mem_read(&fm, POOL + 4, 4), 0x5000 | P | W);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(ept_entries_grant_read_always_and_carry_leaf_extra)
{
	const uint64_t mt_wb = (uint64_t)MTYPE_WB << EPT_MT_SHIFT;
	struct pt_builder b;
	struct fake_mem fm;

	fake_mem_init(&fm, MEM_LIMIT);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_ept4, &fm.ops, ROOT, POOL, POOL_END), 0);
	ck_assert_int_eq(ptbuild_map(&b, 0x200000, 0x400000, 2, ACC_ALL,
				     mt_wb | EPT_IGNORE_PAT, ACC_ALL), 0);
	ck_assert_uint_eq(fake_mem_read(&fm, ROOT, 8), POOL | EPT_RWX);
	ck_assert_uint_eq(fake_mem_read(&fm, POOL + 0x1000 + 8, 8),
			  0x400000 | EPT_RWX | mt_wb | EPT_IGNORE_PAT | EPT_PAGE_SIZE);
	ck_assert_int_eq(ptbuild_map(&b, 0x1000, 0x5000, 1, ACC_USER, 0, ACC_ALL), 0);
	ck_assert_uint_eq(fake_mem_read(&fm, POOL + 0x2000 + 8, 8), 0x5000 | EPT_READ);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(leaf_extra_is_ored_in_unchecked)
{
	const uint64_t extra = A | D | PT_GLOBAL | (5ULL << PT64_PKEY_SHIFT) | BIT_ULL(51);
	struct pt_builder b;
	struct fake_mem fm;

	builder_4level(&b, &fm);
	ck_assert_int_eq(ptbuild_map(&b, 0x1000, 0x5000, 1, ACC_ALL, extra, ACC_ALL), 0);
	ck_assert_uint_eq(fake_mem_read(&fm, POOL + 0x2000 + 8, 8), 0x5000 | P | W | U | extra);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_misplaced_root_or_pool_is_invalid)
{
	struct pt_builder b;
	struct fake_mem fm;

	fake_mem_init(&fm, MEM_LIMIT);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_4level, &fm.ops, 0x1800, POOL, POOL_END),
			 MMU_EINVAL);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_4level, &fm.ops, ROOT, POOL + 8, POOL_END),
			 MMU_EINVAL);
	ck_assert_int_eq(ptbuild_init(&b, &pt_format_4level, &fm.ops, ROOT, POOL_END, POOL),
			 MMU_EINVAL);
	ck_assert_int_eq(ptbuild_init(&b, NULL, &fm.ops, ROOT, POOL, POOL_END), MMU_EINVAL);
	ck_assert_uint_eq(fm.writes, 0);
	fake_mem_destroy(&fm);
}
END_TEST

static Suite *ptbuild_suite(void)
{
	Suite *s = suite_create("x86/ptbuild");
	TCase *tc = tcase_create("ptbuild");

	tcase_add_test(tc, a_4k_mapping_links_new_tables_from_the_pool_in_order);
	tcase_add_test(tc, mappings_under_the_same_tables_share_them);
	tcase_add_test(tc, the_same_mappings_always_build_the_same_tables);
	tcase_add_test(tc, conflicting_mappings_are_refused_without_writing);
	tcase_add_test(tc, impossible_levels_and_misaligned_addresses_are_invalid);
	tcase_add_test(tc, addresses_a_format_cannot_express_are_out_of_range);
	tcase_add_test(tc, tables_of_32bit_formats_must_lie_below_4gib);
	tcase_add_test(tc, an_exhausted_pool_fails_before_linking_anything);
	tcase_add_test(tc, the_pae_root_is_a_32_byte_pdpt_of_pdptes_without_rights);
	tcase_add_test(tc, a_32bit_root_is_1024_four_byte_entries);
	tcase_add_test(tc, ept_entries_grant_read_always_and_carry_leaf_extra);
	tcase_add_test(tc, leaf_extra_is_ored_in_unchecked);
	tcase_add_test(tc, a_misplaced_root_or_pool_is_invalid);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(ptbuild_suite)
