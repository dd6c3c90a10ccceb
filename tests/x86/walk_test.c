/*
 * Tests for core/x86/walk.c: translation in every paging mode and page
 * size, canonical addresses, and the #PF error code of each kind of fault.
 * (The exhaustive permission space is tests/x86/permission_matrix_test.c.)
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

/* ---- error codes (SDM 4.7) -------------------------------------------------------- */

#define VA 0x400000ULL  /* PML4 0, PDPT 0, PD 2, PT 0 */

/* 4-level paging with `cr0`/`cr4` extras, va VA mapped 4K by `leaf`, tables `upper`. */
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

START_TEST(the_kernel_module_selftest_passes)
{
	ck_assert_int_eq(x86_selftest(), 0);
}
END_TEST

static Suite *walk_suite(void)
{
	Suite *s = suite_create("x86/walk");
	TCase *modes = tcase_create("modes");
	TCase *errors = tcase_create("error codes");

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

	tcase_add_test(errors, a_non_present_entry_faults_without_p_and_stops_the_walk);
	tcase_add_test(errors, user_accesses_to_supervisor_pages_fault_with_p_and_u);
	tcase_add_test(errors, supervisor_writes_to_read_only_pages_fault_only_if_cr0_wp);
	tcase_add_test(errors, rights_are_the_and_of_every_level_with_xd_inverted);
	tcase_add_test(errors, fetches_fault_on_xd_pages_only_with_efer_nxe);
	tcase_add_test(errors, the_i_d_flag_is_reported_only_with_smep_or_pae_format_nxe);
	tcase_add_test(errors, smep_forbids_supervisor_fetches_from_user_pages);
	tcase_add_test(errors, smap_forbids_supervisor_data_accesses_to_user_pages_unless_ac);
	tcase_add_test(errors, smap_applies_to_supervisor_writes_even_with_cr0_wp_clear);
	tcase_add_test(errors, pkru_ad_forbids_data_accesses_to_user_pages_of_the_key);
	tcase_add_test(errors, pkru_wd_forbids_user_writes_and_supervisor_writes_only_with_cr0_wp);
	tcase_add_test(errors, pk_is_reported_alongside_an_ordinary_protection_fault);
	tcase_add_test(errors, protection_keys_need_cr4_pke_and_ia32e_paging);
	tcase_add_test(errors, a_reserved_bit_faults_with_rsvd_and_p_before_any_permission_check);
	suite_add_tcase(s, errors);
	return s;
}

TEST_MAIN(walk_suite)
