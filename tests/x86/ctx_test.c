/*
 * Tests for core/x86/mode.c and permission.c: which paging mode CR0, CR4
 * and EFER select (SDM 4.1.1), and the precomputed permission bitmask and
 * PKRU mask of a walk context (SDM 4.6), as literal bytes.
 */
#include <check.h>

#include "core/errors.h"
#include "tests/util/check_main.h"
#include "tests/x86/x86_helpers.h"

#define PG (CR0_PE | CR0_PG)
#define LM (EFER_LME | EFER_LMA)
#define EMODE (-100)  /* in the table below: paging_mode_of refuses the registers */

static const struct {
	const char *rule;
	uint64_t cr0, cr4, efer;
	int mode;
} modes[] = {
	{ "CR0.PG=0 disables paging", CR0_PE, CR4_PAE, 0, PAGING_OFF },
	{ "LME without PG is not long mode yet", CR0_PE, CR4_PAE, EFER_LME, PAGING_OFF },
	{ "PG with PAE=0 is 32-bit paging", PG, CR4_PSE, 0, PAGING_32 },
	{ "PG with PAE=1 and LME=0 is PAE paging", PG, CR4_PAE, EFER_NXE, PAGING_PAE },
	{ "LA57 means nothing outside IA-32e mode", PG, CR4_PAE | CR4_LA57, 0, PAGING_PAE },
	{ "PG, PAE and LMA is 4-level paging", PG, CR4_PAE, LM, PAGING_4LEVEL },
	{ "... and 5-level with LA57", PG, CR4_PAE | CR4_LA57, LM, PAGING_5LEVEL },
	{ "PG without PE raises #GP", CR0_PG, 0, 0, EMODE },
	{ "LME with PG but no PAE raises #GP", PG, 0, LM, EMODE },
	{ "LME with PG always sets LMA", PG, CR4_PAE, EFER_LME, EMODE },
	{ "LMA without LME is impossible", PG, CR4_PAE, EFER_LMA, EMODE },
	{ "LMA without PG is impossible", CR0_PE, CR4_PAE, LM, EMODE },
};

START_TEST(the_paging_mode_follows_cr0_cr4_and_efer)
{
	struct x86_paging_regs regs = { .cr0 = modes[_i].cr0, .cr4 = modes[_i].cr4,
					.efer = modes[_i].efer };
	struct x86_cpu_features feat = feat_of(46, true);
	enum paging_mode mode = PAGING_OFF;
	struct walk_ctx ctx;
	int ret = paging_mode_of(&regs, &mode);

	if (modes[_i].mode == EMODE) {
		ck_assert_msg(ret == MMU_EMODE, "%s: returned %d", modes[_i].rule, ret);
		ck_assert_int_eq(walk_ctx_init(&ctx, &regs, &feat), MMU_EMODE);
		return;
	}
	ck_assert_msg(ret == 0 && (int)mode == modes[_i].mode, "%s: got %d/%s", modes[_i].rule,
		      ret, paging_mode_name(mode));
}
END_TEST

START_TEST(each_mode_walks_its_own_format)
{
	struct x86_cpu_features feat = feat_of(46, true);
	struct x86_paging_regs regs = { .cr0 = CR0_PE };
	struct walk_ctx ctx;

	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_ptr_null(ctx.fmt);
	regs = regs_32(0, false);
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_ptr_eq(ctx.fmt, &pt_format_32);
	regs = regs_32(0, true);
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_ptr_eq(ctx.fmt, &pt_format_32_pse);
	regs = regs_pae(0, true);
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_ptr_eq(ctx.fmt, &pt_format_pae);
	regs = regs_64(0, false, true);
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_ptr_eq(ctx.fmt, &pt_format_4level);
	ck_assert_int_eq(ctx.mode, PAGING_4LEVEL);
	regs = regs_64(0, true, true);
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_ptr_eq(ctx.fmt, &pt_format_5level);
}
END_TEST

START_TEST(modes_have_names)
{
	ck_assert_str_eq(paging_mode_name(PAGING_OFF), "off");
	ck_assert_str_eq(paging_mode_name(PAGING_32), "32-bit");
	ck_assert_str_eq(paging_mode_name(PAGING_PAE), "pae");
	ck_assert_str_eq(paging_mode_name(PAGING_4LEVEL), "4-level");
	ck_assert_str_eq(paging_mode_name(PAGING_5LEVEL), "5-level");
}
END_TEST

/* ---- the permission bitmask ---------------------------------------------------- */

/* permissions[] index = error code >> 1: bit 0 W, 1 U, 2 SMAP override, 3 F. */
enum { SR = 0, SW = 1, UR = 2, UW = 3, SR_AC = 4, SW_AC = 5, SF = 8, UF = 10 };

static const struct {
	const char *rule;
	uint64_t cr0_clear, cr4_set;
	bool nxe;
	bool paging32;  /* 32-bit paging (CR4.PSE) instead of 4-level */
	int index;
	uint8_t faults;  /* bit n: faults on a page with ACC_* rights n */
} perms[] = {
	{ "supervisor reads never fault", 0, 0, true, false, SR, 0x00 },
	{ "supervisor writes need W with CR0.WP=1", 0, 0, true, false, SW, 0x33 },
	{ "supervisor writes ignore W with CR0.WP=0", CR0_WP, 0, true, false, SW, 0x00 },
	{ "user reads need U", 0, 0, true, false, UR, 0x0F },
	{ "user writes need W and U", 0, 0, true, false, UW, 0x3F },
	{ "user writes need W and U even with CR0.WP=0", CR0_WP, 0, true, false, UW, 0x3F },
	{ "supervisor fetches need X with NXE", 0, 0, true, false, SF, 0x55 },
	{ "fetches ignore X without NXE", 0, 0, false, false, SF, 0x00 },
	{ "user fetches need X and U", 0, 0, true, false, UF, 0x5F },
	{ "user fetches need only U without NXE", 0, 0, false, false, UF, 0x0F },
	{ "32-bit paging has no XD even with NXE", 0, 0, true, true, SF, 0x00 },
	{ "SMEP: supervisor fetches fault on user pages", 0, CR4_SMEP, true, false, SF, 0xF5 },
	{ "SMEP leaves user fetches alone", 0, CR4_SMEP, true, false, UF, 0x5F },
	{ "SMAP: supervisor reads fault on user pages", 0, CR4_SMAP, true, false, SR, 0xF0 },
	{ "SMAP is overridden by EFLAGS.AC", 0, CR4_SMAP, true, false, SR_AC, 0x00 },
	{ "SMAP adds user pages to supervisor write faults", 0, CR4_SMAP, true, false, SW, 0xF3 },
	{ "SMAP override leaves the W rule", 0, CR4_SMAP, true, false, SW_AC, 0x33 },
	{ "SMAP with CR0.WP=0 still stops writes to user pages", CR0_WP, CR4_SMAP, true, false,
	  SW, 0xF0 },
	{ "SMAP with CR0.WP=0 and AC allows them", CR0_WP, CR4_SMAP, true, false, SW_AC, 0x00 },
	{ "SMAP leaves supervisor fetches alone", 0, CR4_SMAP, true, false, SF, 0x55 },
	{ "SMAP leaves user reads alone", 0, CR4_SMAP, true, false, UR, 0x0F },
};

START_TEST(the_permission_bitmask_encodes_sdm_4_6)
{
	struct x86_paging_regs regs = perms[_i].paging32 ? regs_32(0, true)
						      : regs_64(0, false, perms[_i].nxe);
	struct x86_cpu_features feat = feat_of(46, true);
	struct walk_ctx ctx;

	if (perms[_i].paging32 && perms[_i].nxe)
		regs.efer |= EFER_NXE;
	regs.cr0 &= ~perms[_i].cr0_clear;
	regs.cr4 |= perms[_i].cr4_set;
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_msg(ctx.permissions[perms[_i].index] == perms[_i].faults,
		      "%s: 0x%02x, expected 0x%02x", perms[_i].rule,
		      ctx.permissions[perms[_i].index], perms[_i].faults);
}
END_TEST

START_TEST(the_pkru_mask_selects_ad_for_data_and_wd_for_checked_writes)
{
	struct x86_paging_regs regs = regs_64(0, false, true);
	struct x86_cpu_features feat = feat_of(46, true);
	struct walk_ctx ctx;

	/* index bit 2 is the page's U/S: only user pages (indexes 4..7) are checked */
	regs.cr4 |= CR4_PKE;
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_uint_eq(ctx.pkru_mask, 0xDD00);
	/* CR0.WP=0: supervisor writes (index 5) check AD only */
	regs.cr0 &= ~CR0_WP;
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_uint_eq(ctx.pkru_mask, 0xD500);
	/* not in PAE paging, and not without CR4.PKE */
	regs = regs_pae(0, true);
	regs.cr4 |= CR4_PKE;
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_uint_eq(ctx.pkru_mask, 0);
	regs = regs_64(0, true, true);
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_uint_eq(ctx.pkru_mask, 0);
}
END_TEST

START_TEST(a_permission_fault_adds_p_and_pk_but_not_the_access_bits)
{
	struct x86_paging_regs regs = regs_64(0, false, true);
	struct x86_cpu_features feat = feat_of(46, true);
	struct walk_access acc = { .kind = ACCESS_WRITE, .cpl = 3 };
	struct walk_ctx ctx;

	regs.cr4 |= CR4_PKE;
	regs.pkru = PKRU_WD(7);
	ctx_init_ok(&ctx, &regs, &feat);
	ck_assert_uint_eq(walk_permission_fault(&ctx, &acc, ACC_USER, 0), PFERR_PRESENT);
	ck_assert_uint_eq(walk_permission_fault(&ctx, &acc, ACC_ALL, 0), 0);
	ck_assert_uint_eq(walk_permission_fault(&ctx, &acc, ACC_ALL, 7), PFERR_PRESENT | PFERR_PK);
	ck_assert_uint_eq(walk_permission_fault(&ctx, &acc, ACC_USER, 7),
			  PFERR_PRESENT | PFERR_PK);
	ck_assert_uint_eq(walk_access_pfec(&ctx, &acc), PFERR_WRITE | PFERR_USER);
	acc.implicit = true;
	ck_assert_uint_eq(walk_access_pfec(&ctx, &acc), PFERR_WRITE);
	acc.kind = ACCESS_FETCH;
	ck_assert_uint_eq(walk_access_pfec(&ctx, &acc), PFERR_FETCH);
}
END_TEST

static Suite *ctx_suite(void)
{
	Suite *s = suite_create("x86/ctx");
	TCase *tc_modes = tcase_create("modes");
	TCase *tc_perm = tcase_create("permissions");

	tcase_add_loop_test(tc_modes, the_paging_mode_follows_cr0_cr4_and_efer, 0,
			    (int)(sizeof(modes) / sizeof(modes[0])));
	tcase_add_test(tc_modes, each_mode_walks_its_own_format);
	tcase_add_test(tc_modes, modes_have_names);
	suite_add_tcase(s, tc_modes);

	tcase_add_loop_test(tc_perm, the_permission_bitmask_encodes_sdm_4_6, 0,
			    (int)(sizeof(perms) / sizeof(perms[0])));
	tcase_add_test(tc_perm, the_pkru_mask_selects_ad_for_data_and_wd_for_checked_writes);
	tcase_add_test(tc_perm, a_permission_fault_adds_p_and_pk_but_not_the_access_bits);
	suite_add_tcase(s, tc_perm);
	return s;
}

TEST_MAIN(ctx_suite)
