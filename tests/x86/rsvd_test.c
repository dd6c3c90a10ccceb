/*
 * Tests for core/x86/rsvd.c: the bits that must be 0 in each paging-
 * structure entry (SDM tables 4-4 to 4-20), per mode, MAXPHYADDR, EFER.NXE
 * and 1-GiB-page support, and what a walk does when one is set.
 */
#include <check.h>

#include "core/errors.h"
#include "tests/util/check_main.h"
#include "tests/x86/x86_helpers.h"

enum mode { M32, M32_PSE, MPAE, M4, M5 };

/* Each mask is written out from the SDM tables, not computed. */
static const struct {
	const char *rule;
	enum mode mode;
	uint8_t maxphyaddr;
	bool nxe, gbpages;
	int level, ps;
	uint64_t mask;
} masks[] = {
	{ "4-level PTE: bits 51:36", M4, 36, true, true, 1, 0, 0x000FFFF000000000ULL },
	{ "4-level PTE: bit 63 without NXE", M4, 36, false, true, 1, 0, 0x800FFFF000000000ULL },
	{ "4-level PTE, bit 7 is PAT", M4, 36, true, true, 1, 1, 0x000FFFF000000000ULL },
	{ "4-level PTE: bits 51:46", M4, 46, true, true, 1, 0, 0x000FC00000000000ULL },
	{ "4-level PTE: nothing at MAXPHYADDR 52", M4, 52, true, true, 1, 0, 0 },
	{ "4-level PTE: only bit 63 at 52 without NXE", M4, 52, false, true, 1, 0,
	  0x8000000000000000ULL },
	{ "4-level PDE to a table", M4, 46, true, true, 2, 0, 0x000FC00000000000ULL },
	{ "4-level 2 MiB PDE: bits 20:13", M4, 46, true, true, 2, 1, 0x000FC000001FE000ULL },
	{ "4-level PDPTE to a table", M4, 46, true, true, 3, 0, 0x000FC00000000000ULL },
	{ "4-level 1 GiB PDPTE: bits 29:13", M4, 46, true, true, 3, 1, 0x000FC0003FFFE000ULL },
	{ "4-level PDPTE: PS without 1 GiB pages", M4, 46, true, false, 3, 1,
	  0x000FC0003FFFE080ULL },
	{ "4-level PML4E: bit 7", M4, 46, true, true, 4, 0, 0x000FC00000000080ULL },
	{ "4-level PML4E with bit 7 set", M4, 46, true, true, 4, 1, 0x000FC00000000080ULL },
	{ "5-level PML5E: bit 7", M5, 46, true, true, 5, 0, 0x000FC00000000080ULL },
	{ "5-level PML4E: bit 7", M5, 40, false, true, 4, 1, 0x800FFF0000000080ULL },
	{ "PAE PTE: bits 62:36", MPAE, 36, true, false, 1, 0, 0x7FFFFFF000000000ULL },
	{ "PAE PTE: bit 63 without NXE", MPAE, 36, false, false, 1, 0, 0xFFFFFFF000000000ULL },
	{ "PAE 2 MiB PDE: bits 20:13", MPAE, 36, true, false, 2, 1, 0x7FFFFFF0001FE000ULL },
	{ "PAE PTE: bits 62:52 at MAXPHYADDR 52", MPAE, 52, true, false, 1, 0,
	  0x7FF0000000000000ULL },
	{ "PAE PDPTE: 63:36, 8:5, 2:1", MPAE, 36, true, false, 3, 0, 0xFFFFFFF0000001E6ULL },
	{ "32-bit 4 MiB PDE: bits 21:17 at 36", M32_PSE, 36, false, false, 2, 1, 0x3E0000 },
	{ "32-bit 4 MiB PDE: bits 21:20 at 39", M32_PSE, 39, false, false, 2, 1, 0x300000 },
	{ "32-bit 4 MiB PDE: bit 21 at 40", M32_PSE, 40, false, false, 2, 1, 0x200000 },
	{ "32-bit 4 MiB PDE: PSE-36 stops at 40 bits", M32_PSE, 52, false, false, 2, 1, 0x200000 },
	{ "32-bit PDE to a table: none", M32_PSE, 36, false, false, 2, 0, 0 },
	{ "32-bit PTE: none", M32_PSE, 36, false, false, 1, 0, 0 },
	{ "32-bit PDE, bit 7 ignored without PSE", M32, 36, false, false, 2, 1, 0 },
};

static struct x86_paging_regs regs_of(enum mode mode, bool nxe)
{
	switch (mode) {
	case M32:
		return regs_32(0x1000, false);
	case M32_PSE:
		return regs_32(0x1000, true);
	case MPAE:
		return regs_pae(0x1000, nxe);
	case M4:
		return regs_64(0x1000, false, nxe);
	case M5:
		return regs_64(0x1000, true, nxe);
	}
	ck_abort_msg("bad mode");
	return regs_32(0, false);
}

START_TEST(reserved_bits_follow_the_sdm_tables)
{
	struct x86_paging_regs regs = regs_of(masks[_i].mode, masks[_i].nxe);
	struct x86_cpu_features feat = feat_of(masks[_i].maxphyaddr, masks[_i].gbpages);
	struct walk_ctx ctx;

	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_msg(ctx.rsvd[masks[_i].ps][masks[_i].level - 1] == masks[_i].mask,
		      "%s: mask 0x%llx, expected 0x%llx", masks[_i].rule,
		      (unsigned long long)ctx.rsvd[masks[_i].ps][masks[_i].level - 1],
		      (unsigned long long)masks[_i].mask);
}
END_TEST

START_TEST(the_pae_pdpte_mask_is_kept_for_cr3_loads)
{
	struct x86_paging_regs regs = regs_pae(0x1000, true);
	struct x86_cpu_features feat = feat_of(40, false);
	struct walk_ctx ctx;

	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_uint_eq(ctx.pdpte_rsvd, 0xFFFFFF00000001E6ULL);
	ck_assert_uint_eq(pae_pdpte_rsvd(40), 0xFFFFFF00000001E6ULL);
}
END_TEST

START_TEST(maxphyaddr_outside_36_to_52_is_refused)
{
	struct x86_paging_regs regs = regs_64(0x1000, false, true);
	struct x86_cpu_features feat = feat_of(35, true);
	struct walk_ctx ctx;

	ck_assert_int_eq(walk_ctx_init(&ctx, &regs, &feat), MMU_EINVAL);
	feat.maxphyaddr = 53;
	ck_assert_int_eq(walk_ctx_init(&ctx, &regs, &feat), MMU_EINVAL);
}
END_TEST

/* ---- what a walk does with a reserved bit ------------------------------------- */

#define VA 0x40000000ULL  /* PML4 0, PDPT 1, PD 0, PT 0 */

static void setup(struct fake_mem *fm, struct walk_ctx *ctx, bool gbpages)
{
	struct x86_paging_regs regs = regs_64(T_PML4, false, true);
	struct x86_cpu_features feat = feat_of(40, gbpages);

	fake_mem_init(fm, 1ULL << 32);
	link_4level(fm, VA, 1, P | W | U);
	fake_mem_write(fm, slot64(T_PT, VA, 1), 8, 0x9000 | P | W | U);
	ctx_init_ok(ctx, &regs, &feat);
}

START_TEST(a_reserved_bit_at_any_level_stops_the_walk_there_with_rsvd_and_p)
{
	int level = _i;
	uint64_t gpa = slot64(table_4level(level), VA, level);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;
	int l;

	setup(&fm, &ctx, true);
	/* bit 40 is an address bit beyond MAXPHYADDR 40 */
	fake_mem_write(&fm, gpa, 8, fake_mem_read(&fm, gpa, 8) | BIT_ULL(40));
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 3);
	assert_page_fault(res, PFERR_RSVD | PFERR_PRESENT | PFERR_USER);
	ck_assert_int_eq(res.level, level);
	for (l = 4; l >= 1; l--)
		ck_assert_uint_eq(fake_mem_read(&fm, slot64(table_4level(l), VA, l), 8) & A, 0);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(pml4e_bit_7_is_reserved)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	setup(&fm, &ctx, true);
	fake_mem_write(&fm, T_PML4, 8, T_PDPT | P | W | U | PS);
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 0);
	assert_page_fault(res, PFERR_RSVD | PFERR_PRESENT | PFERR_WRITE);
	ck_assert_int_eq(res.level, 4);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_1gib_pdpte_is_reserved_without_1gib_page_support)
{
	uint64_t pdpte = 0xC0000000 | P | W | U | PS;
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	setup(&fm, &ctx, false);
	fake_mem_write(&fm, slot64(T_PDPT, VA, 3), 8, pdpte);
	res = walk_one(&ctx, &fm, VA + 0x1234, ACCESS_READ, 0);
	assert_page_fault(res, PFERR_RSVD | PFERR_PRESENT);
	ck_assert_int_eq(res.level, 3);
	fake_mem_destroy(&fm);

	setup(&fm, &ctx, true);
	fake_mem_write(&fm, slot64(T_PDPT, VA, 3), 8, pdpte);
	res = walk_one(&ctx, &fm, VA + 0x1234, ACCESS_READ, 0);
	assert_translates(res, 0xC0001234);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_2mib_pde_address_bits_20_13_must_be_zero_but_bit_12_is_pat)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	setup(&fm, &ctx, true);
	fake_mem_write(&fm, slot64(T_PD, VA, 2), 8, 0x600000 | P | W | U | PS | PT_PAT_LARGE);
	res = walk_one(&ctx, &fm, VA + 0x1234, ACCESS_READ, 0);
	assert_translates(res, 0x601234);
	fake_mem_write(&fm, slot64(T_PD, VA, 2), 8, 0x600000 | P | W | U | PS | BIT_ULL(13));
	res = walk_one(&ctx, &fm, VA + 0x1234, ACCESS_READ, 0);
	assert_page_fault(res, PFERR_RSVD | PFERR_PRESENT);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(bits_62_52_are_ignored_in_4level_but_reserved_in_pae)
{
	const uint64_t high = BIT_ULL(52) | BIT_ULL(58) | BIT_ULL(62);
	struct x86_paging_regs regs = regs_pae(0x1000, true);
	struct x86_cpu_features feat = feat_of(40, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	setup(&fm, &ctx, true);
	fake_mem_write(&fm, slot64(T_PT, VA, 1), 8, 0x9000 | P | W | U | high);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 3);
	assert_translates(res, 0x9000);
	fake_mem_destroy(&fm);

	fake_mem_init(&fm, 1ULL << 32);
	fake_mem_write(&fm, 0x1000, 8, 0x2000 | P);
	fake_mem_write(&fm, 0x2000, 8, 0x3000 | P | W | U);
	fake_mem_write(&fm, 0x3000, 8, 0x9000 | P | W | U | BIT_ULL(52));
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, regs.pdptrs), 0);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0, ACCESS_READ, 3);
	assert_page_fault(res, PFERR_RSVD | PFERR_PRESENT | PFERR_USER);
	ck_assert_int_eq(res.level, 1);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(pse36_carries_address_bits_up_to_maxphyaddr_and_no_further)
{
	struct x86_paging_regs regs = regs_32(0x1000, true);
	struct x86_cpu_features feat = feat_of(36, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, 1ULL << 32);
	ctx_init_ok(&ctx, &regs, &feat);
	/* PDE bit 16 = PA bit 35: inside MAXPHYADDR 36 */
	fake_mem_write(&fm, 0x1000, 4, 0x00400000 | BIT_ULL(16) | P | W | U | PS);
	res = walk_one(&ctx, &fm, 0x5678, ACCESS_READ, 3);
	assert_translates(res, 0x800405678ULL);
	/* PDE bit 17 = PA bit 36: beyond it, reserved */
	fake_mem_write(&fm, 0x1000, 4, 0x00400000 | BIT_ULL(17) | P | W | U | PS);
	res = walk_one(&ctx, &fm, 0x5678, ACCESS_READ, 3);
	assert_page_fault(res, PFERR_RSVD | PFERR_PRESENT | PFERR_USER);
	/* bit 21 is always reserved */
	feat = feat_of(46, false);
	ctx_init_ok(&ctx, &regs, &feat);
	fake_mem_write(&fm, 0x1000, 4, 0x00400000 | BIT_ULL(21) | P | W | U | PS);
	res = walk_one(&ctx, &fm, 0x5678, ACCESS_READ, 3);
	assert_page_fault(res, PFERR_RSVD | PFERR_PRESENT | PFERR_USER);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(reserved_bits_are_not_checked_in_a_non_present_entry)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	setup(&fm, &ctx, true);
	fake_mem_write(&fm, slot64(T_PT, VA, 1), 8, ~(uint64_t)P);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 3);
	assert_page_fault(res, PFERR_USER);
	fake_mem_destroy(&fm);
}
END_TEST

static Suite *rsvd_suite(void)
{
	Suite *s = suite_create("x86/rsvd");
	TCase *tables = tcase_create("masks");
	TCase *walks = tcase_create("walks");

	tcase_add_loop_test(tables, reserved_bits_follow_the_sdm_tables, 0,
			    (int)(sizeof(masks) / sizeof(masks[0])));
	tcase_add_test(tables, the_pae_pdpte_mask_is_kept_for_cr3_loads);
	tcase_add_test(tables, maxphyaddr_outside_36_to_52_is_refused);
	suite_add_tcase(s, tables);

	tcase_add_loop_test(walks, a_reserved_bit_at_any_level_stops_the_walk_there_with_rsvd_and_p,
			    1, 5);
	tcase_add_test(walks, pml4e_bit_7_is_reserved);
	tcase_add_test(walks, a_1gib_pdpte_is_reserved_without_1gib_page_support);
	tcase_add_test(walks, a_2mib_pde_address_bits_20_13_must_be_zero_but_bit_12_is_pat);
	tcase_add_test(walks, bits_62_52_are_ignored_in_4level_but_reserved_in_pae);
	tcase_add_test(walks, pse36_carries_address_bits_up_to_maxphyaddr_and_no_further);
	tcase_add_test(walks, reserved_bits_are_not_checked_in_a_non_present_entry);
	suite_add_tcase(s, walks);
	return s;
}

TEST_MAIN(rsvd_suite)
