/*
 * tests/sim/guest_walk_test.c — the sim's 2D walk, guest dimension: each
 * paging mode and page size, the #PF error codes of SDM 4.7, and A/D
 * (SDM 4.8), over tables written by hand under an identity-like EPT.
 */
#include "tests/sim/sim_helpers.h"
#include "tests/util/check_main.h"

#define GVA 0x123456789000ULL   /* canonical, 4-level */

static struct tmach tm;

static void setup(void)
{
	tm_init(&tm, SPTE_LAYOUT_EPT, false);
}

START_TEST(four_level_read_translates_and_sets_accessed)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_walk_out o;

	tm_build_4level(&tm, GVA, P | W | U, P | W | U);
	o = tm_walk(&tm, &r, GVA + 0x10, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert_uint_eq(o.tr.gpa, TM_DATA);
	ck_assert_uint_eq(o.tr.size, PAGE_SIZE_4K);
	ck_assert_uint_eq(o.tr.hpa, tm_frame(&tm, TM_DATA));
	ck_assert_uint_eq(o.tr.va, GVA);
	/* SDM 4.8: A in every entry used; D only on a write. */
	ck_assert_uint_eq(tm_r64(&tm, TM_PML4 + 8 * tm_ix(GVA, 4)), TM_PDPT | P | W | U | A);
	ck_assert_uint_eq(tm_r64(&tm, TM_PDPT + 8 * tm_ix(GVA, 3)), TM_PD | P | W | U | A);
	ck_assert_uint_eq(tm_r64(&tm, TM_PD + 8 * tm_ix(GVA, 2)), TM_PT | P | W | U | A);
	ck_assert_uint_eq(tm_r64(&tm, TM_PT + 8 * tm_ix(GVA, 1)), TM_DATA | P | W | U | A);
	ck_assert(!o.tr.dirty);
}
END_TEST

START_TEST(four_level_write_sets_dirty_on_the_leaf_only)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_walk_out o;

	tm_build_4level(&tm, GVA, P | W | U, P | W | U);
	o = tm_walk(&tm, &r, GVA, ACCESS_WRITE, 3);
	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert(o.tr.dirty);
	ck_assert_uint_eq(tm_r64(&tm, TM_PT + 8 * tm_ix(GVA, 1)), TM_DATA | P | W | U | A | D);
	ck_assert_uint_eq(tm_r64(&tm, TM_PD + 8 * tm_ix(GVA, 2)), TM_PT | P | W | U | A);
}
END_TEST

/* The classic count: 4 guest entries, each behind a 4-level TDP walk, then the data's. */
START_TEST(a_2d_walk_makes_24_references)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_walk_out o;

	tm_build_4level(&tm, GVA, P | W | A, P | W | A);
	o = tm_walk(&tm, &r, GVA, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert_uint_eq(o.refs, 4 * (4 + 1) + 4);
}
END_TEST

START_TEST(faults_leave_accessed_clear)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_walk_out o;

	tm_build_4level(&tm, GVA, P | W, P | W); /* supervisor page */
	o = tm_walk(&tm, &r, GVA, ACCESS_READ, 3);
	ck_assert_int_eq(o.outcome, SIM_PF);
	ck_assert_uint_eq(o.error_code, PFERR_PRESENT | PFERR_USER);
	ck_assert_uint_eq(tm_r64(&tm, TM_PML4 + 8 * tm_ix(GVA, 4)), TM_PDPT | P | W);
}
END_TEST

START_TEST(five_level_translates)
{
	struct x86_paging_regs r = tm_regs_64(0x5000, true, false);
	uint64_t gva = 0x00ff123456789000ULL; /* bit 56 clear: canonical with LA57 */
	struct sim_walk_out o;

	tm_build_4level(&tm, gva, P | W, P | W);
	tm_ensure(&tm, 0x5000);
	tm_w64(&tm, 0x5000 + 8 * tm_ix(gva, 5), TM_PML4 | P | W);
	o = tm_walk(&tm, &r, gva, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert_uint_eq(o.tr.gpa, TM_DATA);
	ck_assert_uint_eq(tm_r64(&tm, 0x5000 + 8 * tm_ix(gva, 5)), TM_PML4 | P | W | A);
}
END_TEST

START_TEST(non_canonical_is_gp)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);

	ck_assert_int_eq(tm_walk(&tm, &r, 0x0000800000000000ULL, ACCESS_READ, 0).outcome, SIM_GP);
	ck_assert_int_eq(tm_walk(&tm, &r, 0xffff7fffffffffffULL, ACCESS_READ, 0).outcome, SIM_GP);
}
END_TEST

START_TEST(paging_off_is_identity)
{
	struct x86_paging_regs r = { .cr0 = CR0_PE };
	struct sim_walk_out o;

	tm_ensure(&tm, TM_DATA);
	o = tm_walk(&tm, &r, TM_DATA + 0x18, ACCESS_WRITE, 3);
	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert_uint_eq(o.tr.gpa, TM_DATA);
	ck_assert(!o.tr.guest.paging);
}
END_TEST

/* PAE: PDPTE registers, a 9-bit PD and PT (SDM 4.4). */
START_TEST(pae_translates_through_the_pdpte_registers)
{
	struct x86_paging_regs r = { .cr0 = CR0_PE | CR0_PG | CR0_WP, .cr3 = 0x1000, .cr4 = CR4_PAE };
	uint64_t gva = 0x40203000; /* PDPTE 1, PDE 1, PTE 3 */
	struct sim_walk_out o;

	r.pdptrs[1] = 0x3000 | P;
	tm_ensure(&tm, 0x3000);
	tm_ensure(&tm, 0x4000);
	tm_ensure(&tm, TM_DATA);
	tm_w64(&tm, 0x3000 + 8 * 1, 0x4000 | P | W | U);
	tm_w64(&tm, 0x4000 + 8 * 3, TM_DATA | P | W | U);
	o = tm_walk(&tm, &r, gva + 5, ACCESS_READ, 3);
	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert_uint_eq(o.tr.gpa, TM_DATA);
	ck_assert_uint_eq(tm_r64(&tm, 0x3008), 0x4000 | P | W | U | A);
	/* PDPTE 2 is not present: #PF, a supervisor read without NXE/SMEP: code 0. */
	o = tm_walk(&tm, &r, 0x80000000, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_PF);
	ck_assert_uint_eq(o.error_code, 0);
}
END_TEST

START_TEST(pae_reserved_bits_above_maxphyaddr)
{
	struct x86_paging_regs r = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x1000, .cr4 = CR4_PAE };
	struct sim_walk_out o;

	r.pdptrs[0] = 0x3000 | P;
	tm_ensure(&tm, 0x3000);
	tm_ensure(&tm, 0x4000);
	/* PAE: bits 62:M are reserved, here bit 50 with M = 46. */
	tm_w64(&tm, 0x3000, 0x4000 | P | W | BIT_ULL(50));
	o = tm_walk(&tm, &r, 0x1000, ACCESS_WRITE, 0);
	ck_assert_int_eq(o.outcome, SIM_PF);
	ck_assert_uint_eq(o.error_code, PFERR_PRESENT | PFERR_RSVD | PFERR_WRITE);
}
END_TEST

/* 32-bit paging: 4-byte entries, 10-bit indices (SDM 4.3). */
START_TEST(thirty_two_bit_translates_4k)
{
	struct x86_paging_regs r = tm_regs_32(0x1000, false);
	uint64_t gva = 0x00403000; /* PDE 1, PTE 3 */
	struct sim_walk_out o;

	tm_ensure(&tm, 0x1000);
	tm_ensure(&tm, 0x4000);
	tm_ensure(&tm, TM_DATA);
	tm_w32(&tm, 0x1000 + 4 * 1, 0x4000 | P | W | U);
	tm_w32(&tm, 0x4000 + 4 * 3, TM_DATA | P | W | U);
	o = tm_walk(&tm, &r, gva, ACCESS_WRITE, 3);
	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert_uint_eq(o.tr.gpa, TM_DATA);
	ck_assert_uint_eq(tm_r32(&tm, 0x1004), 0x4000 | P | W | U | A);
	ck_assert_uint_eq(tm_r32(&tm, 0x400c), TM_DATA | P | W | U | A | D);
	/* No NX in 32-bit paging and no SMEP: a fetch's #PF has no I/D bit. */
	o = tm_walk(&tm, &r, 0x00800000, ACCESS_FETCH, 0);
	ck_assert_int_eq(o.outcome, SIM_PF);
	ck_assert_uint_eq(o.error_code, 0);
}
END_TEST

/* SDM 4.3: PS is ignored without CR4.PSE: the PDE references a page table. */
START_TEST(thirty_two_bit_ps_ignored_without_pse)
{
	struct x86_paging_regs r = tm_regs_32(0x1000, false);
	struct sim_walk_out o;

	tm_ensure(&tm, 0x1000);
	tm_ensure(&tm, 0x4000);
	tm_ensure(&tm, TM_DATA);
	tm_w32(&tm, 0x1000, 0x4000 | PS | P | W);
	tm_w32(&tm, 0x4000 + 4 * 2, TM_DATA | P | W);
	o = tm_walk(&tm, &r, 0x2000, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert_uint_eq(o.tr.gpa, TM_DATA);
}
END_TEST

/* PSE-36: a 4 MiB PDE's bits 20:13 are physical-address bits 39:32. */
START_TEST(thirty_two_bit_4m_page_with_pse36)
{
	struct x86_paging_regs r = tm_regs_32(0x1000, true);
	uint64_t gva = 0x00c12345; /* PDE 3, offset 0x12345 */
	uint64_t gpa = 0x300c12345ULL;
	struct sim_walk_out o;

	tm_ensure(&tm, 0x1000);
	tm_ensure(&tm, gpa & ~0xfffULL);
	tm_w32(&tm, 0x1000 + 4 * 3, 0x00c00000 | (3u << 13) | PS | P | W);
	o = tm_walk(&tm, &r, gva, ACCESS_WRITE, 0);
	ck_assert_int_eq(o.outcome, SIM_OK);
	/* The TDP maps 4K: the combined page is 4K. */
	ck_assert_uint_eq(o.tr.gpa, gpa & ~0xfffULL);
	ck_assert_uint_eq(o.tr.size, PAGE_SIZE_4K);
	ck_assert_uint_eq(tm_r32(&tm, 0x100c), 0x00c00000 | (3u << 13) | PS | P | W | A | D);
	/* With MAXPHYADDR 36, bits 21:17 are reserved: bit 17 is PA bit 36. */
	tm.maxphyaddr = 36;
	tm_w32(&tm, 0x1000 + 4 * 3, 0x00c00000 | (1u << 17) | PS | P | W);
	o = tm_walk(&tm, &r, gva, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_PF);
	ck_assert_uint_eq(o.error_code, PFERR_PRESENT | PFERR_RSVD);
	/* Bit 21 is always reserved in a 4 MiB PDE. */
	tm.maxphyaddr = 46;
	tm_w32(&tm, 0x1000 + 4 * 3, 0x00c00000 | (1u << 21) | PS | P | W);
	ck_assert_int_eq(tm_walk(&tm, &r, gva, ACCESS_READ, 0).outcome, SIM_PF);
}
END_TEST

START_TEST(two_mb_page)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_walk_out o;

	tm_build_4level(&tm, GVA, P | W, P | W);
	tm_w64(&tm, TM_PD + 8 * tm_ix(GVA, 2), 0x200000 | PS | P | W);
	tm_ensure(&tm, 0x200000 + (GVA & 0x1ff000));
	o = tm_walk(&tm, &r, GVA + 8, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert_uint_eq(o.tr.gpa, 0x200000 + (GVA & 0x1ff000));
	/* Bits 20:13 of a 2M PDE are reserved. */
	tm_w64(&tm, TM_PD + 8 * tm_ix(GVA, 2), 0x200000 | BIT_ULL(13) | PS | P | W);
	o = tm_walk(&tm, &r, GVA, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_PF);
	ck_assert_uint_eq(o.error_code, PFERR_PRESENT | PFERR_RSVD);
}
END_TEST

START_TEST(one_gb_page_needs_gbpages)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_walk_out o;

	tm_build_4level(&tm, GVA, P | W, P | W);
	tm_w64(&tm, TM_PDPT + 8 * tm_ix(GVA, 3), 0x40000000 | PS | P | W);
	tm_ensure(&tm, 0x40000000 + (GVA & 0x3ffff000));
	o = tm_walk(&tm, &r, GVA, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert_uint_eq(o.tr.gpa, 0x40000000 + (GVA & 0x3ffff000));
	tm.gbpages = false;
	o = tm_walk(&tm, &r, GVA, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_PF);
	ck_assert_uint_eq(o.error_code, PFERR_PRESENT | PFERR_RSVD);
}
END_TEST

/* One row: the leaf's flags, the registers' extra bits, the access, the result. */
struct pf_case {
	const char *what;     /* the SDM sentence it checks */
	uint64_t leaf;        /* PTE flags (tables are P|W|U) */
	uint64_t cr0_clear;   /* CR0 bits to clear (WP) */
	uint64_t cr4;         /* CR4 bits to add */
	bool nxe;             /* EFER.NXE */
	uint32_t pkru;
	enum access_kind kind;
	unsigned cpl;
	bool ac, implicit;
	bool ok;              /* no fault */
	uint32_t code;        /* the error code otherwise */
};

static const struct pf_case pf_cases[] = {
	{ "not present, supervisor read", 0, 0, 0, false, 0, ACCESS_READ, 0, 0, 0, false, 0 },
	{ "not present, user write: W|U", 0, 0, 0, false, 0, ACCESS_WRITE, 3, 0, 0, false, 6 },
	{ "not present fetch, NXE: I/D", 0, 0, 0, true, 0, ACCESS_FETCH, 0, 0, 0, false, 0x10 },
	{ "not present fetch, no NXE/SMEP: no I/D", 0, 0, 0, false, 0, ACCESS_FETCH, 0, 0, 0, false, 0 },
	{ "read-only, supervisor write, WP=1", P | U, 0, 0, false, 0, ACCESS_WRITE, 0, 0, 0, false, 3 },
	{ "read-only, supervisor write, WP=0", P | U, CR0_WP, 0, false, 0, ACCESS_WRITE, 0, 0, 0, true, 0 },
	{ "read-only, user write, WP=0", P | U, CR0_WP, 0, false, 0, ACCESS_WRITE, 3, 0, 0, false, 7 },
	{ "supervisor page, user read", P | W, 0, 0, false, 0, ACCESS_READ, 3, 0, 0, false, 5 },
	{ "supervisor page, implicit access at CPL 3", P | W, 0, 0, false, 0, ACCESS_READ, 3, 0, 1, true, 0 },
	{ "NX page, fetch with NXE", P | W | U | NX, 0, 0, true, 0, ACCESS_FETCH, 3, 0, 0, false, 0x15 },
	{ "NX page, read with NXE", P | W | U | NX, 0, 0, true, 0, ACCESS_READ, 3, 0, 0, true, 0 },
	{ "XD without NXE is reserved", P | W | U | NX, 0, 0, false, 0, ACCESS_READ, 0, 0, 0, false, 9 },
	{ "SMEP: supervisor fetch from a user page", P | W | U, 0, CR4_SMEP, false, 0, ACCESS_FETCH, 0, 0, 0, false, 0x11 },
	{ "SMEP: user fetch is fine", P | W | U, 0, CR4_SMEP, false, 0, ACCESS_FETCH, 3, 0, 0, true, 0 },
	{ "SMAP: supervisor read of a user page, AC=0", P | W | U, 0, CR4_SMAP, false, 0, ACCESS_READ, 0, 0, 0, false, 1 },
	{ "SMAP: explicit with AC=1 is allowed", P | W | U, 0, CR4_SMAP, false, 0, ACCESS_READ, 0, 1, 0, true, 0 },
	{ "SMAP: implicit ignores AC", P | W | U, 0, CR4_SMAP, false, 0, ACCESS_READ, 0, 1, 1, false, 1 },
	{ "SMAP: supervisor write, AC=0", P | W | U, 0, CR4_SMAP, false, 0, ACCESS_WRITE, 0, 0, 0, false, 3 },
	{ "SMAP: user access unaffected", P | W | U, 0, CR4_SMAP, false, 0, ACCESS_WRITE, 3, 0, 0, true, 0 },
	{ "PKRU.AD: user read", P | W | U | (1ULL << 59), 0, CR4_PKE, false, PKRU_AD(1), ACCESS_READ, 3, 0, 0, false, 0x25 },
	{ "PKRU.AD: supervisor read of a user page", P | W | U | (1ULL << 59), 0, CR4_PKE, false, PKRU_AD(1), ACCESS_READ, 0, 0, 0, false, 0x21 },
	{ "PKRU.AD: fetches are not checked", P | W | U | (1ULL << 59), 0, CR4_PKE, false, PKRU_AD(1), ACCESS_FETCH, 3, 0, 0, true, 0 },
	{ "PKRU.AD of another key", P | W | U | (1ULL << 59), 0, CR4_PKE, false, PKRU_AD(2), ACCESS_READ, 3, 0, 0, true, 0 },
	{ "PKRU.WD: user write", P | W | U | (1ULL << 59), 0, CR4_PKE, false, PKRU_WD(1), ACCESS_WRITE, 3, 0, 0, false, 0x27 },
	{ "PKRU.WD: supervisor write, WP=1", P | W | U | (1ULL << 59), 0, CR4_PKE, false, PKRU_WD(1), ACCESS_WRITE, 0, 0, 0, false, 0x23 },
	{ "PKRU.WD: supervisor write, WP=0", P | W | U | (1ULL << 59), CR0_WP, CR4_PKE, false, PKRU_WD(1), ACCESS_WRITE, 0, 0, 0, true, 0 },
	{ "PKRU.WD: reads are fine", P | W | U | (1ULL << 59), 0, CR4_PKE, false, PKRU_WD(1), ACCESS_READ, 3, 0, 0, true, 0 },
	{ "PK and R/W both deny: both reported", P | U | (1ULL << 59), 0, CR4_PKE, false, PKRU_WD(1), ACCESS_WRITE, 3, 0, 0, false, 0x27 },
	{ "keys without CR4.PKE do nothing", P | W | U | (1ULL << 59), 0, 0, false, PKRU_AD(1), ACCESS_READ, 3, 0, 0, true, 0 },
	{ "keys ignore supervisor pages", P | W | (1ULL << 59), 0, CR4_PKE, false, PKRU_AD(1), ACCESS_READ, 0, 0, 0, true, 0 },
	{ "bit 51 above MAXPHYADDR 46", P | W | U | BIT_ULL(51), 0, 0, false, 0, ACCESS_READ, 0, 0, 0, false, 9 },
	{ "reserved, user write: P|W|U|RSVD", P | W | U | BIT_ULL(47), 0, 0, false, 0, ACCESS_WRITE, 3, 0, 0, false, 0xf },
};

START_TEST(error_codes)
{
	const struct pf_case *c = &pf_cases[_i];
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, c->nxe);
	struct sim_walk_out o;

	r.cr0 &= ~c->cr0_clear;
	r.cr4 |= c->cr4;
	r.pkru = c->pkru;
	tm_build_4level(&tm, GVA, P | W | U, c->leaf);
	o = tm_walk_as(&tm, &r, GVA, c->kind, c->cpl, c->ac, c->implicit);
	if (c->ok) {
		ck_assert_msg(o.outcome == SIM_OK, "%s: got outcome %d code 0x%x (exit gpa 0x%llx rsvd %d)", c->what,
			      o.outcome, o.error_code, (unsigned long long)o.exit.addr, o.exit.rsvd);
	} else {
		ck_assert_msg(o.outcome == SIM_PF && o.error_code == c->code,
			      "%s: got outcome %d code 0x%x, want #PF 0x%x", c->what, o.outcome,
			      o.error_code, c->code);
	}
}
END_TEST

START_TEST(reserved_ps_in_pml4e)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_walk_out o;

	tm_build_4level(&tm, GVA, P | W, P | W);
	tm_w64(&tm, TM_PML4 + 8 * tm_ix(GVA, 4), TM_PDPT | PS | P | W);
	o = tm_walk(&tm, &r, GVA, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_PF);
	ck_assert_uint_eq(o.error_code, PFERR_PRESENT | PFERR_RSVD);
}
END_TEST

START_TEST(global_needs_pge)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);

	tm_build_4level(&tm, GVA, P | W, P | W | G);
	ck_assert(!tm_walk(&tm, &r, GVA, ACCESS_READ, 0).tr.global);
	r.cr4 |= CR4_PGE;
	ck_assert(tm_walk(&tm, &r, GVA, ACCESS_READ, 0).tr.global);
}
END_TEST

static Suite *guest_walk_suite(void)
{
	Suite *s = suite_create("sim_guest_walk");
	TCase *tc = tcase_create("walk");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, four_level_read_translates_and_sets_accessed);
	tcase_add_test(tc, four_level_write_sets_dirty_on_the_leaf_only);
	tcase_add_test(tc, a_2d_walk_makes_24_references);
	tcase_add_test(tc, faults_leave_accessed_clear);
	tcase_add_test(tc, five_level_translates);
	tcase_add_test(tc, non_canonical_is_gp);
	tcase_add_test(tc, paging_off_is_identity);
	tcase_add_test(tc, pae_translates_through_the_pdpte_registers);
	tcase_add_test(tc, pae_reserved_bits_above_maxphyaddr);
	tcase_add_test(tc, thirty_two_bit_translates_4k);
	tcase_add_test(tc, thirty_two_bit_ps_ignored_without_pse);
	tcase_add_test(tc, thirty_two_bit_4m_page_with_pse36);
	tcase_add_test(tc, two_mb_page);
	tcase_add_test(tc, one_gb_page_needs_gbpages);
	tcase_add_loop_test(tc, error_codes, 0, sizeof(pf_cases) / sizeof(pf_cases[0]));
	tcase_add_test(tc, reserved_ps_in_pml4e);
	tcase_add_test(tc, global_needs_pge);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(guest_walk_suite)
