/*
 * Tests for core/x86/walk.c: translation in every paging mode and page
 * size, and canonical addresses.  Error codes are in fault_test.c, A/D
 * bits in ad_test.c, PDPTRs in pdptr_test.c, reserved bits in rsvd_test.c.
 */
#include <check.h>

#include "core/errors.h"
#include "core/x86/selftest.h"
#include "tests/util/check_main.h"
#include "tests/x86/x86_helpers.h"

#define MEM_LIMIT (1ULL << 46)

/* ---- paging off and 32-bit paging (SDM 4.3) ------------------------------------ */

START_TEST(with_paging_off_linear_addresses_are_physical)
{
	struct x86_paging_regs regs = { .cr0 = CR0_PE };
	struct x86_cpu_features feat = feat_of(36, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x12345678, ACCESS_WRITE, 3);
	assert_translates(res, 0x12345678);
	ck_assert_uint_eq(fm.reads, 0);
	fake_mem_destroy(&fm);
}
END_TEST

/* va 0x00405678: PDE 1 at 0x1004 -> PT 0x2000, PTE 5 at 0x2014. */
static void build_32bit_4k(struct fake_mem *fm, uint64_t pde_flags)
{
	fake_mem_write(fm, 0x1004, 4, 0x2000 | pde_flags);
	fake_mem_write(fm, 0x2014, 4, 0x12345000 | P | W | U);
}

START_TEST(a_32bit_walk_uses_4_byte_entries_and_10_index_bits)
{
	struct x86_paging_regs regs = regs_32(0x1000, false);
	struct x86_cpu_features feat = feat_of(36, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	build_32bit_4k(&fm, P | W | U);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x00405678, ACCESS_READ, 3);
	assert_translates(res, 0x12345678);
	ck_assert_int_eq(res.level, 1);
	ck_assert_uint_eq(res.entry_gpa[2], 0x1004);
	ck_assert_uint_eq(res.entry_gpa[1], 0x2014);
	ck_assert_uint_eq(res.entry[1] & ~(uint64_t)(A), 0x12345000 | P | W | U);
	ck_assert_uint_eq(res.access, ACC_ALL);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(without_cr4_pse_pde_bit_7_is_ignored)
{
	struct x86_paging_regs regs = regs_32(0x1000, false);
	struct x86_cpu_features feat = feat_of(36, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	build_32bit_4k(&fm, P | W | U | PS);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x00405678, ACCESS_READ, 3);
	assert_translates(res, 0x12345678);
	ck_assert_int_eq(res.level, 1);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(with_cr4_pse_the_same_pde_maps_a_4mib_page_with_pse36)
{
	struct x86_paging_regs regs = regs_32(0x1000, true);
	struct x86_cpu_features feat = feat_of(36, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	/* PDE 0x2000|PS: bits 31:22 = 0, bit 13 = PA bit 32 */
	build_32bit_4k(&fm, P | W | U | PS);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x00405678, ACCESS_READ, 3);
	assert_translates(res, 0x100005678ULL);
	ck_assert_int_eq(res.level, 2);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_4mib_pde_bits_20_13_are_physical_address_bits_39_32)
{
	struct x86_paging_regs regs = regs_32(0x1000, true);
	struct x86_cpu_features feat = feat_of(40, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	fake_mem_write(&fm, 0x100c, 4, 0x00800000 | (0xABULL << 13) | P | W | U | PS);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x00C12345, ACCESS_WRITE, 3);
	assert_translates(res, 0xAB00812345ULL);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_32bit_mode_refuses_a_linear_address_wider_than_32_bits)
{
	struct x86_paging_regs regs = regs_32(0x1000, true);
	struct x86_cpu_features feat = feat_of(36, false);
	struct walk_access acc = { .gva = 0x100000000ULL, .kind = ACCESS_READ };
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_int_eq(walk_guest(&ctx, &fm.ops, &acc, &res), MMU_ERANGE);
	fake_mem_destroy(&fm);
}
END_TEST

/* ---- PAE paging (SDM 4.4) ------------------------------------------------------ */

/*
 * PDPT at 0x1000: PDPTE 3 -> PD 0x2000.  va 0xC0201234 uses PDE 1 -> PT
 * 0x3000, PTE 1; va 0xC0412345 uses PDE 2, a 2 MiB page above 4 GiB.
 */
static void pae_setup(struct fake_mem *fm, struct walk_ctx *ctx)
{
	struct x86_paging_regs regs = regs_pae(0x1000, true);
	struct x86_cpu_features feat = feat_of(36, false);

	fake_mem_write(fm, 0x1018, 8, 0x2000 | P);
	fake_mem_write(fm, 0x2008, 8, 0x3000 | P | W | U);
	fake_mem_write(fm, 0x3008, 8, 0xABCDE000 | P | W | U);
	fake_mem_write(fm, 0x2010, 8, 0xFFFE00000ULL | P | W | U | PS);
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm->ops, regs.pdptrs), 0);
	ctx_init_ok(ctx, &regs, &feat);
}

START_TEST(pae_translates_4k_pages_through_the_pdptr_of_va_bits_31_30)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	pae_setup(&fm, &ctx);
	res = walk_one(&ctx, &fm, 0xC0201234, ACCESS_READ, 3);
	assert_translates(res, 0xABCDE234);
	ck_assert_int_eq(res.level, 1);
	ck_assert_uint_eq(res.entry[3], 0x2000 | P);
	ck_assert_uint_eq(res.entry_gpa[3], 0x1018);
	ck_assert_uint_eq(res.entry_gpa[2], 0x2008);
	ck_assert_uint_eq(res.entry_gpa[1], 0x3008);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(pae_maps_2mib_pages_above_4gib)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	pae_setup(&fm, &ctx);
	res = walk_one(&ctx, &fm, 0xC0412345, ACCESS_WRITE, 3);
	assert_translates(res, 0xFFFE12345ULL);
	ck_assert_int_eq(res.level, 2);
	fake_mem_destroy(&fm);
}
END_TEST

/* ---- 4-level and 5-level paging (SDM 4.5) ---------------------------------------- */

START_TEST(four_level_paging_maps_4k_2m_and_1g_pages)
{
	struct x86_paging_regs regs = regs_64(T_PML4, false, true);
	struct x86_cpu_features feat = feat_of(46, true);
	const uint64_t va4k = 0x0000123456789ABCULL, va2m = 0x0000004000212345ULL,
		       va1g = 0x0000008041234567ULL;
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	ctx_init_ok(&ctx, &regs, &feat);
	link_4level(&fm, va4k, 1, P | W | U);
	fake_mem_write(&fm, slot64(T_PT, va4k, 1), 8, 0xABCDEF000ULL | P | W | U);
	res = walk_one(&ctx, &fm, va4k, ACCESS_READ, 3);
	assert_translates(res, 0xABCDEFABCULL);
	ck_assert_int_eq(res.level, 1);

	link_4level(&fm, va2m, 2, P | W | U);
	fake_mem_write(&fm, slot64(T_PD, va2m, 2), 8, 0x40000000 | P | W | U | PS);
	res = walk_one(&ctx, &fm, va2m, ACCESS_READ, 3);
	assert_translates(res, 0x40012345);
	ck_assert_int_eq(res.level, 2);

	link_4level(&fm, va1g, 3, P | W | U);
	fake_mem_write(&fm, slot64(T_PDPT, va1g, 3), 8, 0xC0000000 | P | W | U | PS);
	res = walk_one(&ctx, &fm, va1g, ACCESS_READ, 3);
	assert_translates(res, 0xC1234567);
	ck_assert_int_eq(res.level, 3);
	ck_assert_uint_eq(res.entry_gpa[4], slot64(T_PML4, va1g, 4));
	ck_assert_uint_eq(res.entry_gpa[3], slot64(T_PDPT, va1g, 3));
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(five_level_paging_indexes_the_pml5_with_va_bits_56_48)
{
	struct x86_paging_regs regs5 = regs_64(0x5000, true, true);
	struct x86_paging_regs regs4 = regs_64(T_PML4, false, true);
	struct x86_cpu_features feat = feat_of(46, true);
	const uint64_t va = 0x0001000000001234ULL;  /* PML5 index 1 */
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	fake_mem_write(&fm, 0x5008, 8, T_PML4 | P | W | U);
	link_4level(&fm, va, 1, P | W | U);
	fake_mem_write(&fm, slot64(T_PT, va, 1), 8, 0x7000 | P | W | U);
	ctx_init_ok(&ctx, &regs5, &feat);
	res = walk_one(&ctx, &fm, va, ACCESS_READ, 3);
	assert_translates(res, 0x7234);
	ck_assert_uint_eq(res.entry_gpa[5], 0x5008);
	/* the same address is not canonical with 4-level paging */
	ctx_init_ok(&ctx, &regs4, &feat);
	res = walk_one(&ctx, &fm, va, ACCESS_READ, 3);
	ck_assert_int_eq(res.outcome, WALK_GP);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_non_canonical_address_raises_gp_without_reading_tables)
{
	struct x86_paging_regs regs = regs_64(T_PML4, false, true);
	struct x86_cpu_features feat = feat_of(46, true);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x0000800000000000ULL, ACCESS_READ, 0);
	ck_assert_int_eq(res.outcome, WALK_GP);
	res = walk_one(&ctx, &fm, 0xFFFF7FFFFFFFF000ULL, ACCESS_READ, 0);
	ck_assert_int_eq(res.outcome, WALK_GP);
	ck_assert_uint_eq(fm.reads, 0);
	/* canonical ones are walked: an empty PML4 gives a not-present #PF */
	res = walk_one(&ctx, &fm, 0xFFFF800000000000ULL, ACCESS_READ, 0);
	assert_page_fault(res, 0);
	ck_assert_int_eq(res.level, 4);
	ck_assert_uint_eq(res.entry_gpa[4], T_PML4 + 256 * 8);
	res = walk_one(&ctx, &fm, 0x00007FFFFFFFF000ULL, ACCESS_READ, 0);
	assert_page_fault(res, 0);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(canonical_means_bits_63_to_47_or_63_to_56_are_equal)
{
	struct x86_cpu_features feat = feat_of(46, true);
	struct x86_paging_regs regs4 = regs_64(T_PML4, false, true);
	struct x86_paging_regs regs5 = regs_64(T_PML4, true, true);
	struct x86_paging_regs regs32 = regs_32(0x1000, false);
	struct walk_ctx ctx;

	ctx_init_ok(&ctx, &regs4, &feat);
	ck_assert(walk_gva_canonical(&ctx, 0x00007FFFFFFFFFFFULL));
	ck_assert(walk_gva_canonical(&ctx, 0xFFFF800000000000ULL));
	ck_assert(!walk_gva_canonical(&ctx, 0x00FFFFFFFFFFF000ULL));
	ck_assert(!walk_gva_canonical(&ctx, 0x8000000000000000ULL));
	ctx_init_ok(&ctx, &regs5, &feat);
	ck_assert(walk_gva_canonical(&ctx, 0x00FFFFFFFFFFF000ULL));
	ck_assert(walk_gva_canonical(&ctx, 0xFF00000000000000ULL));
	ck_assert(!walk_gva_canonical(&ctx, 0x0100000000000000ULL));
	ck_assert(!walk_gva_canonical(&ctx, 0xFE00000000000000ULL));
	ctx_init_ok(&ctx, &regs32, &feat);
	ck_assert(walk_gva_canonical(&ctx, 0xFFFFFFFFULL));
	ck_assert(!walk_gva_canonical(&ctx, 0x100000000ULL));
}
END_TEST

START_TEST(the_kernel_module_selftest_passes)
{
	ck_assert_int_eq(x86_selftest(), 0);
}
END_TEST

static Suite *walk_suite(void)
{
	Suite *s = suite_create("x86/walk");
	TCase *modes = tcase_create("modes");

	tcase_add_test(modes, with_paging_off_linear_addresses_are_physical);
	tcase_add_test(modes, a_32bit_walk_uses_4_byte_entries_and_10_index_bits);
	tcase_add_test(modes, without_cr4_pse_pde_bit_7_is_ignored);
	tcase_add_test(modes, with_cr4_pse_the_same_pde_maps_a_4mib_page_with_pse36);
	tcase_add_test(modes, a_4mib_pde_bits_20_13_are_physical_address_bits_39_32);
	tcase_add_test(modes, a_32bit_mode_refuses_a_linear_address_wider_than_32_bits);
	tcase_add_test(modes, pae_translates_4k_pages_through_the_pdptr_of_va_bits_31_30);
	tcase_add_test(modes, pae_maps_2mib_pages_above_4gib);
	tcase_add_test(modes, four_level_paging_maps_4k_2m_and_1g_pages);
	tcase_add_test(modes, five_level_paging_indexes_the_pml5_with_va_bits_56_48);
	tcase_add_test(modes, a_non_canonical_address_raises_gp_without_reading_tables);
	tcase_add_test(modes, canonical_means_bits_63_to_47_or_63_to_56_are_equal);
	tcase_add_test(modes, the_kernel_module_selftest_passes);
	suite_add_tcase(s, modes);
	return s;
}

TEST_MAIN(walk_suite)
