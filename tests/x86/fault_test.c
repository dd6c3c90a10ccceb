/*
 * Tests for the #PF error code of each kind of fault (SDM 4.7) as the guest
 * walker reports it: not present, user/supervisor, read-only with and
 * without CR0.WP, XD, SMEP, SMAP, protection keys, reserved bits.
 * (The exhaustive permission space is tests/x86/permission_matrix_test.c.)
 */
#include <check.h>

#include "core/errors.h"
#include "tests/util/check_main.h"
#include "tests/x86/x86_helpers.h"

#define MEM_LIMIT (1ULL << 46)

#define VA 0x400000ULL  /* PML4 0, PDPT 0, PD 2, PT 0 */

/*
 * 4-level paging with CR0 bits `cr0_clear` cleared and CR4 bits `cr4_set`
 * set; VA mapped 4K to gpa 0x9000 by `leaf`, under tables with `upper`.
 */
static void ec_setup(struct fake_mem *fm, struct walk_ctx *ctx, uint64_t cr0_clear,
		     uint64_t cr4_set, bool nxe, uint64_t upper, uint64_t leaf)
{
	struct x86_paging_regs regs = regs_64(T_PML4, false, nxe);
	struct x86_cpu_features feat = feat_of(46, true);

	regs.cr0 &= ~cr0_clear;
	regs.cr4 |= cr4_set;
	fake_mem_init(fm, MEM_LIMIT);
	link_4level(fm, VA, 1, upper);
	fake_mem_write(fm, slot64(T_PT, VA, 1), 8, 0x9000 | leaf);
	ctx_init_ok(ctx, &regs, &feat);
}

START_TEST(a_non_present_entry_faults_without_p_and_stops_the_walk)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	ec_setup(&fm, &ctx, 0, 0, true, P | W | U, 0);
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 3);
	assert_page_fault(res, PFERR_WRITE | PFERR_USER);
	ck_assert_int_eq(res.level, 1);
	res = walk_one(&ctx, &fm, VA, ACCESS_FETCH, 3);
	assert_page_fault(res, PFERR_USER | PFERR_FETCH);
	/* not present at the PML4E: nothing below is read */
	fake_mem_write(&fm, T_PML4, 8, 0);
	fm.reads = 0;
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 0);
	assert_page_fault(res, 0);
	ck_assert_int_eq(res.level, 4);
	ck_assert_uint_eq(fm.reads, 1);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(user_accesses_to_supervisor_pages_fault_with_p_and_u)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	ec_setup(&fm, &ctx, 0, 0, true, P | W | U, P | W);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 3);
	assert_page_fault(res, PFERR_PRESENT | PFERR_USER);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 0);
	assert_translates(res, 0x9000);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(supervisor_writes_to_read_only_pages_fault_only_if_cr0_wp)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	ec_setup(&fm, &ctx, 0, 0, true, P | W | U, P | U);
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 0);
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE);
	fake_mem_destroy(&fm);

	ec_setup(&fm, &ctx, CR0_WP, 0, true, P | W | U, P | U);
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 0);
	assert_translates(res, 0x9000);
	/* CR0.WP=0 never lets user-mode writes through */
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 3);
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE | PFERR_USER);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(rights_are_the_and_of_every_level_with_xd_inverted)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	/* read-only, execute-disabled tables over a RWX user page */
	ec_setup(&fm, &ctx, 0, 0, true, P | U | NX, P | W | U);
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 3);
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE | PFERR_USER);
	ck_assert_uint_eq(res.access, ACC_USER);
	res = walk_one(&ctx, &fm, VA, ACCESS_FETCH, 3);
	assert_page_fault(res, PFERR_PRESENT | PFERR_USER | PFERR_FETCH);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 3);
	assert_translates(res, 0x9000);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(fetches_fault_on_xd_pages_only_with_efer_nxe)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	ec_setup(&fm, &ctx, 0, 0, true, P | W | U, P | W | NX);
	res = walk_one(&ctx, &fm, VA, ACCESS_FETCH, 0);
	assert_page_fault(res, PFERR_PRESENT | PFERR_FETCH);
	fake_mem_destroy(&fm);

	/* without NXE, bit 63 is reserved: the fault is RSVD, and I/D stays 0 */
	ec_setup(&fm, &ctx, 0, 0, false, P | W | U, P | W | NX);
	res = walk_one(&ctx, &fm, VA, ACCESS_FETCH, 0);
	assert_page_fault(res, PFERR_PRESENT | PFERR_RSVD);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(the_i_d_flag_is_reported_only_with_smep_or_pae_format_nxe)
{
	struct x86_paging_regs regs = regs_32(0x1000, false);
	struct x86_cpu_features feat = feat_of(36, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	/* 4-level, NXE=0, SMEP=0: a fetch from a missing page reports no I/D */
	ec_setup(&fm, &ctx, 0, 0, false, P | W | U, 0);
	res = walk_one(&ctx, &fm, VA, ACCESS_FETCH, 0);
	assert_page_fault(res, 0);
	fake_mem_destroy(&fm);
	/* SMEP=1 alone is enough */
	ec_setup(&fm, &ctx, 0, CR4_SMEP, false, P | W | U, 0);
	res = walk_one(&ctx, &fm, VA, ACCESS_FETCH, 0);
	assert_page_fault(res, PFERR_FETCH);
	fake_mem_destroy(&fm);
	/* 32-bit paging has no XD: EFER.NXE=1 does not report I/D */
	fake_mem_init(&fm, MEM_LIMIT);
	regs.efer = EFER_NXE;
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x400000, ACCESS_FETCH, 3);
	assert_page_fault(res, PFERR_USER);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(smep_forbids_supervisor_fetches_from_user_pages)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	ec_setup(&fm, &ctx, 0, CR4_SMEP, true, P | W | U, P | W | U);
	res = walk_one(&ctx, &fm, VA, ACCESS_FETCH, 0);
	assert_page_fault(res, PFERR_PRESENT | PFERR_FETCH);
	res = walk_one(&ctx, &fm, VA, ACCESS_FETCH, 3);
	assert_translates(res, 0x9000);
	/* SMEP does not restrict data accesses */
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 0);
	assert_translates(res, 0x9000);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(smap_forbids_supervisor_data_accesses_to_user_pages_unless_ac)
{
	struct walk_access acc = { .gva = VA, .kind = ACCESS_READ, .cpl = 0 };
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	ec_setup(&fm, &ctx, 0, CR4_SMAP, true, P | W | U, P | W | U);
	res = walk_acc(&ctx, &fm, &acc);
	assert_page_fault(res, PFERR_PRESENT);
	acc.eflags_ac = true;
	res = walk_acc(&ctx, &fm, &acc);
	assert_translates(res, 0x9000);
	/* implicit supervisor accesses are checked whatever EFLAGS.AC says */
	acc.implicit = true;
	res = walk_acc(&ctx, &fm, &acc);
	assert_page_fault(res, PFERR_PRESENT);
	/* ... even at CPL 3, where they are still supervisor accesses (no U) */
	acc.cpl = 3;
	acc.kind = ACCESS_WRITE;
	res = walk_acc(&ctx, &fm, &acc);
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE);
	/* SMAP does not restrict fetches */
	res = walk_one(&ctx, &fm, VA, ACCESS_FETCH, 0);
	assert_translates(res, 0x9000);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(smap_applies_to_supervisor_writes_even_with_cr0_wp_clear)
{
	struct walk_access acc = { .gva = VA, .kind = ACCESS_WRITE, .cpl = 0 };
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	/* a read-only user page, CR0.WP=0, CR4.SMAP=1 */
	ec_setup(&fm, &ctx, CR0_WP, CR4_SMAP, true, P | W | U, P | U);
	res = walk_acc(&ctx, &fm, &acc);
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE);
	acc.eflags_ac = true;
	res = walk_acc(&ctx, &fm, &acc);
	assert_translates(res, 0x9000);
	fake_mem_destroy(&fm);
	/* with CR0.WP=1 the read-only page stops the write even with AC */
	ec_setup(&fm, &ctx, 0, CR4_SMAP, true, P | W | U, P | U);
	res = walk_acc(&ctx, &fm, &acc);
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE);
	fake_mem_destroy(&fm);
}
END_TEST

#define PKEY1 (1ULL << PT64_PKEY_SHIFT)

static void pk_setup(struct fake_mem *fm, struct walk_ctx *ctx, uint64_t cr0_clear,
		     uint32_t pkru, uint64_t leaf)
{
	struct x86_paging_regs regs = regs_64(T_PML4, false, true);
	struct x86_cpu_features feat = feat_of(46, true);

	regs.cr0 &= ~cr0_clear;
	regs.cr4 |= CR4_PKE;
	regs.pkru = pkru;
	fake_mem_init(fm, MEM_LIMIT);
	link_4level(fm, VA, 1, P | W | U);
	fake_mem_write(fm, slot64(T_PT, VA, 1), 8, 0x9000 | leaf);
	ctx_init_ok(ctx, &regs, &feat);
}

START_TEST(pkru_ad_forbids_data_accesses_to_user_pages_of_the_key)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	pk_setup(&fm, &ctx, 0, PKRU_AD(1), P | W | U | PKEY1);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 3);
	assert_page_fault(res, PFERR_PRESENT | PFERR_USER | PFERR_PK);
	ck_assert_uint_eq(res.pkey, 1);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 0);
	assert_page_fault(res, PFERR_PRESENT | PFERR_PK);
	/* instruction fetches are never checked against PKRU */
	res = walk_one(&ctx, &fm, VA, ACCESS_FETCH, 3);
	assert_translates(res, 0x9000);
	fake_mem_destroy(&fm);
	/* nor are supervisor-mode pages */
	pk_setup(&fm, &ctx, 0, PKRU_AD(1), P | W | PKEY1);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 0);
	assert_translates(res, 0x9000);
	fake_mem_destroy(&fm);
	/* another key's AD bit does not matter */
	pk_setup(&fm, &ctx, 0, PKRU_AD(2), P | W | U | PKEY1);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 3);
	assert_translates(res, 0x9000);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(pkru_wd_forbids_user_writes_and_supervisor_writes_only_with_cr0_wp)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	pk_setup(&fm, &ctx, 0, PKRU_WD(1), P | W | U | PKEY1);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 3);
	assert_translates(res, 0x9000);
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 3);
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE | PFERR_USER | PFERR_PK);
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 0);
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE | PFERR_PK);
	fake_mem_destroy(&fm);
	pk_setup(&fm, &ctx, CR0_WP, PKRU_WD(1), P | W | U | PKEY1);
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 0);
	assert_translates(res, 0x9000);
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 3);
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE | PFERR_USER | PFERR_PK);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(pk_is_reported_alongside_an_ordinary_protection_fault)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	/* a read-only user page with WD set: both rules forbid the user write */
	pk_setup(&fm, &ctx, 0, PKRU_WD(1), P | U | PKEY1);
	res = walk_one(&ctx, &fm, VA, ACCESS_WRITE, 3);
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE | PFERR_USER | PFERR_PK);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(protection_keys_need_cr4_pke_and_ia32e_paging)
{
	struct x86_paging_regs regs = regs_64(T_PML4, false, true);
	struct x86_cpu_features feat = feat_of(46, true);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	/* CR4.PKE=0: bits 62:59 are ignored, PKRU is not consulted */
	fake_mem_init(&fm, MEM_LIMIT);
	link_4level(&fm, VA, 1, P | W | U);
	fake_mem_write(&fm, slot64(T_PT, VA, 1), 8, 0x9000 | P | W | U | PKEY1);
	regs.pkru = PKRU_AD(1);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 3);
	assert_translates(res, 0x9000);
	ck_assert_uint_eq(res.pkey, 0);
	fake_mem_destroy(&fm);

	/* PAE paging with CR4.PKE=1: key 0 with AD set still does nothing */
	fake_mem_init(&fm, MEM_LIMIT);
	regs = regs_pae(0x1000, true);
	regs.cr4 |= CR4_PKE;
	regs.pkru = PKRU_AD(0);
	fake_mem_write(&fm, 0x1000, 8, 0x2000 | P);
	fake_mem_write(&fm, 0x2010, 8, 0x3000 | P | W | U);
	fake_mem_write(&fm, 0x3000, 8, 0x9000 | P | W | U);
	feat = feat_of(36, false);
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, regs.pdptrs), 0);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 3);
	assert_translates(res, 0x9000);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_reserved_bit_faults_with_rsvd_and_p_before_any_permission_check)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	/* a supervisor PDE with bit 51 set (MAXPHYADDR 46) */
	ec_setup(&fm, &ctx, 0, 0, true, P | W | U, P | W | U);
	fake_mem_write(&fm, slot64(T_PD, VA, 2), 8, T_PT | P | W | BIT_ULL(51));
	fm.reads = 0;
	res = walk_one(&ctx, &fm, VA, ACCESS_READ, 3);
	assert_page_fault(res, PFERR_RSVD | PFERR_PRESENT | PFERR_USER);
	ck_assert_int_eq(res.level, 2);
	ck_assert_uint_eq(fm.reads, 3);
	fake_mem_destroy(&fm);
}
END_TEST

static Suite *fault_suite(void)
{
	Suite *s = suite_create("x86/fault");
	TCase *tc = tcase_create("error codes");

	tcase_add_test(tc, a_non_present_entry_faults_without_p_and_stops_the_walk);
	tcase_add_test(tc, user_accesses_to_supervisor_pages_fault_with_p_and_u);
	tcase_add_test(tc, supervisor_writes_to_read_only_pages_fault_only_if_cr0_wp);
	tcase_add_test(tc, rights_are_the_and_of_every_level_with_xd_inverted);
	tcase_add_test(tc, fetches_fault_on_xd_pages_only_with_efer_nxe);
	tcase_add_test(tc, the_i_d_flag_is_reported_only_with_smep_or_pae_format_nxe);
	tcase_add_test(tc, smep_forbids_supervisor_fetches_from_user_pages);
	tcase_add_test(tc, smap_forbids_supervisor_data_accesses_to_user_pages_unless_ac);
	tcase_add_test(tc, smap_applies_to_supervisor_writes_even_with_cr0_wp_clear);
	tcase_add_test(tc, pkru_ad_forbids_data_accesses_to_user_pages_of_the_key);
	tcase_add_test(tc, pkru_wd_forbids_user_writes_and_supervisor_writes_only_with_cr0_wp);
	tcase_add_test(tc, pk_is_reported_alongside_an_ordinary_protection_fault);
	tcase_add_test(tc, protection_keys_need_cr4_pke_and_ia32e_paging);
	tcase_add_test(tc, a_reserved_bit_faults_with_rsvd_and_p_before_any_permission_check);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(fault_suite)
