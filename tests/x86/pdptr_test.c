/*
 * Tests for PAE PDPTRs (SDM 4.4.1): the four PDPTEs are loaded into
 * registers when CR3 is loaded, checked for reserved bits then (#GP), and
 * used from the registers by every later walk.
 */
#include <check.h>

#include "core/errors.h"
#include "tests/util/check_main.h"
#include "tests/x86/x86_helpers.h"

#define MEM_LIMIT (1ULL << 32)
#define PDPT 0x1020ULL  /* 32-byte aligned, not page aligned */

/* PDPTE 0 -> PD 0x2000 -> PT 0x3000 -> page 0x5000 for va 0. */
static void build(struct fake_mem *fm)
{
	fake_mem_init(fm, MEM_LIMIT);
	fake_mem_write(fm, PDPT, 8, 0x2000 | P);
	fake_mem_write(fm, 0x2000, 8, 0x3000 | P | W | U);
	fake_mem_write(fm, 0x3000, 8, 0x5000 | P | W | U);
}

START_TEST(the_pdpt_is_at_cr3_bits_31_5)
{
	/* PWT and PCD (bits 3, 4) and bits above 31 are not part of the address */
	struct x86_paging_regs regs = regs_pae(BIT_ULL(32) | PDPT | 0x18, true);
	struct x86_cpu_features feat = feat_of(36, false);
	uint64_t pdptrs[4] = { 0 };
	struct fake_mem fm;

	build(&fm);
	fake_mem_write(&fm, PDPT + 8, 8, 0x7000 | P);
	fake_mem_write(&fm, PDPT + 24, 8, 0x8000 | P);
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, pdptrs), 0);
	ck_assert_uint_eq(pdptrs[0], 0x2000 | P);
	ck_assert_uint_eq(pdptrs[1], 0x7000 | P);
	ck_assert_uint_eq(pdptrs[2], 0);
	ck_assert_uint_eq(pdptrs[3], 0x8000 | P);
	ck_assert_uint_eq(fm.reads, 4);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(later_stores_to_the_pdpt_are_not_seen_until_cr3_is_loaded_again)
{
	struct x86_paging_regs regs = regs_pae(PDPT, true);
	struct x86_cpu_features feat = feat_of(36, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	build(&fm);
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, regs.pdptrs), 0);
	ctx_init_ok(&ctx, &regs, &feat);
	fake_mem_write(&fm, PDPT, 8, 0);
	res = walk_one(&ctx, &fm, 0x123, ACCESS_READ, 3);
	assert_translates(res, 0x5123);
	ck_assert_uint_eq(res.entry[3], 0x2000 | P);
	/* MOV to CR3 reloads them */
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, regs.pdptrs), 0);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x123, ACCESS_READ, 3);
	assert_page_fault(res, PFERR_USER);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_non_present_pdptr_faults_without_p)
{
	struct x86_paging_regs regs = regs_pae(PDPT, true);
	struct x86_cpu_features feat = feat_of(36, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	build(&fm);
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, regs.pdptrs), 0);
	ctx_init_ok(&ctx, &regs, &feat);
	fm.reads = 0;
	/* va bits 31:30 = 2 select PDPTE 2, which is not present */
	res = walk_one(&ctx, &fm, 0x80000000, ACCESS_WRITE, 0);
	assert_page_fault(res, PFERR_WRITE);
	ck_assert_int_eq(res.level, 3);
	ck_assert_uint_eq(res.entry_gpa[3], PDPT + 16);
	/* the PDPTR is a register: the walk read no memory */
	ck_assert_uint_eq(fm.reads, 0);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_pdpte_restricts_no_rights)
{
	struct x86_paging_regs regs = regs_pae(PDPT, true);
	struct x86_cpu_features feat = feat_of(36, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	/* the PDPTE has neither R/W nor U/S (both reserved), yet user writes work */
	build(&fm);
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, regs.pdptrs), 0);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x10, ACCESS_WRITE, 3);
	assert_translates(res, 0x5010);
	ck_assert_uint_eq(res.access, ACC_ALL);
	fake_mem_destroy(&fm);
}
END_TEST

/* SDM table 4-8: which PDPTE bits are reserved, for MAXPHYADDR 36 and 40. */
static const struct {
	uint8_t maxphyaddr;
	unsigned bit;
	bool reserved;
} pdpte_bits[] = {
	{ 36, 1, true },   { 36, 2, true },   { 36, 3, false },  { 36, 4, false },
	{ 36, 5, true },   { 36, 6, true },   { 36, 7, true },   { 36, 8, true },
	{ 36, 9, false },  { 36, 11, false }, { 36, 35, false }, { 36, 36, true },
	{ 36, 51, true },  { 36, 62, true },  { 36, 63, true },
	{ 40, 36, false }, { 40, 39, false }, { 40, 40, true },  { 40, 63, true },
	{ 52, 51, false }, { 52, 52, true },  { 52, 63, true },
};

START_TEST(a_reserved_bit_in_a_present_pdpte_makes_the_cr3_load_fault)
{
	struct x86_paging_regs regs = regs_pae(PDPT, true);
	struct x86_cpu_features feat = feat_of(pdpte_bits[_i].maxphyaddr, false);
	uint64_t pdptrs[4] = { 1, 2, 3, 4 };
	struct fake_mem fm;

	build(&fm);
	fake_mem_write(&fm, PDPT + 8, 8, 0x7000 | P | BIT_ULL(pdpte_bits[_i].bit));
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, pdptrs),
			 pdpte_bits[_i].reserved ? 1 : 0);
	if (pdpte_bits[_i].reserved) {
		/* the registers keep their old values */
		ck_assert_uint_eq(pdptrs[0], 1);
		ck_assert_uint_eq(pdptrs[1], 2);
	} else {
		ck_assert_uint_eq(pdptrs[1], 0x7000 | P | BIT_ULL(pdpte_bits[_i].bit));
	}
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(reserved_bits_of_a_non_present_pdpte_are_not_checked)
{
	struct x86_paging_regs regs = regs_pae(PDPT, true);
	struct x86_cpu_features feat = feat_of(36, false);
	uint64_t pdptrs[4];
	struct fake_mem fm;

	build(&fm);
	fake_mem_write(&fm, PDPT + 24, 8, 0xFFFFFFFFFFFFFFFEULL);
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, pdptrs), 0);
	ck_assert_uint_eq(pdptrs[3], 0xFFFFFFFFFFFFFFFEULL);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_pdpt_outside_guest_memory_is_a_host_error)
{
	struct x86_paging_regs regs = regs_pae(0xFFFFFFE0, true);
	struct x86_cpu_features feat = feat_of(36, false);
	uint64_t pdptrs[4];
	struct fake_mem fm;

	fake_mem_init(&fm, 0x10000);
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, pdptrs), MMU_ENOSLOT);
	fake_mem_destroy(&fm);
}
END_TEST

static Suite *pdptr_suite(void)
{
	Suite *s = suite_create("x86/pdptr");
	TCase *tc = tcase_create("PDPTRs");

	tcase_add_test(tc, the_pdpt_is_at_cr3_bits_31_5);
	tcase_add_test(tc, later_stores_to_the_pdpt_are_not_seen_until_cr3_is_loaded_again);
	tcase_add_test(tc, a_non_present_pdptr_faults_without_p);
	tcase_add_test(tc, a_pdpte_restricts_no_rights);
	tcase_add_loop_test(tc, a_reserved_bit_in_a_present_pdpte_makes_the_cr3_load_fault, 0,
			    (int)(sizeof(pdpte_bits) / sizeof(pdpte_bits[0])));
	tcase_add_test(tc, reserved_bits_of_a_non_present_pdpte_are_not_checked);
	tcase_add_test(tc, a_pdpt_outside_guest_memory_is_a_host_error);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(pdptr_suite)
