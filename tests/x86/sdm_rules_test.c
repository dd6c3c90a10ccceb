/*
 * tests/x86/sdm_rules_test.c — the permission-matrix oracle
 * (tests/util/sdm_rules.c) on cases worked out by hand from the SDM.  If
 * one of its rules were wrong, the matrix would blame the walker for it.
 */
#include <check.h>

#include "core/x86/bits.h"
#include "tests/util/check_main.h"
#include "tests/util/sdm_rules.h"

#define TABLE_GPA(level) (0x10000ULL + (uint64_t)(level) * 0x1000)
#define PAGE_GPA 0x400000ULL
#define GVA_LOW4 ((3ULL << 39) | (5ULL << 30) | (7ULL << 21) | (9ULL << 12) | 0x123)
#define GVA_PAE ((2ULL << 30) | (7ULL << 21) | (9ULL << 12) | 0x123)
#define GVA_32 ((5ULL << 22) | (9ULL << 12) | 0x123)

#define P_W_U (PT_PRESENT | PT_WRITABLE | PT_USER)
#define P_U (PT_PRESENT | PT_USER)

/* A 4-level path to PAGE_GPA with these flags, root first. */
static struct sdm_case example_4level(uint64_t l4, uint64_t l3, uint64_t l2,
				      uint64_t l1, enum sdm_access_type type,
				      unsigned cpl)
{
	struct sdm_case c = { .paging = SDM_PAGING_4LEVEL, .linear = GVA_LOW4,
			      .type = type, .cpl = cpl };

	c.entry[4] = TABLE_GPA(3) | l4;
	c.entry[3] = TABLE_GPA(2) | l3;
	c.entry[2] = TABLE_GPA(1) | l2;
	c.entry[1] = PAGE_GPA | l1;
	return c;
}

static uint32_t judged_error_code(const struct sdm_case *c)
{
	struct sdm_verdict v;

	sdm_judge(c, &v);
	return v.fault ? v.error_code : 0xdead;
}

static bool judged_ok(const struct sdm_case *c)
{
	struct sdm_verdict v;

	sdm_judge(c, &v);
	return !v.fault;
}

START_TEST(oracle_supervisor_writes_honour_rw_only_with_wp)
{
	struct sdm_case c = example_4level(P_W_U, P_W_U, P_W_U, P_U, SDM_WRITE, 0);
	struct sdm_verdict v;

	/* SDM 4.6.1: "If CR0.WP = 0, data may be written to any user-mode address [...]" */
	sdm_judge(&c, &v);
	ck_assert(!v.fault);
	ck_assert_uint_eq(v.physical, PAGE_GPA | 0x123);
	/* SDM 4.8: A on every entry used, D on the page's */
	ck_assert_uint_eq(v.entry_after[4], TABLE_GPA(3) | P_W_U | PT_ACCESSED);
	ck_assert_uint_eq(v.entry_after[2], TABLE_GPA(1) | P_W_U | PT_ACCESSED);
	ck_assert_uint_eq(v.entry_after[1], PAGE_GPA | P_U | PT_ACCESSED | PT_DIRTY);
	c.cr0_wp = true;
	sdm_judge(&c, &v);
	ck_assert(v.fault);
	ck_assert_uint_eq(v.error_code, PFERR_PRESENT | PFERR_WRITE);
	ck_assert_uint_eq(v.entry_after[1], PAGE_GPA | P_U);
	/* a read sets A but not D */
	c.type = SDM_READ;
	sdm_judge(&c, &v);
	ck_assert_uint_eq(v.entry_after[1], PAGE_GPA | P_U | PT_ACCESSED);
}
END_TEST

START_TEST(oracle_user_mode_needs_us_in_every_entry_but_a_pae_pdpte)
{
	struct sdm_case c = example_4level(P_W_U, PT_PRESENT | PT_WRITABLE, P_W_U, P_W_U,
					   SDM_READ, 3);
	struct sdm_case pae = { .paging = SDM_PAGING_PAE, .linear = GVA_PAE, .cpl = 3 };

	ck_assert_uint_eq(judged_error_code(&c), PFERR_PRESENT | PFERR_USER);
	c.implicit = true;   /* a supervisor-mode access: U/S = 0 in the error code */
	ck_assert(judged_ok(&c));
	pae.entry[3] = TABLE_GPA(2) | PT_PRESENT;
	pae.entry[2] = TABLE_GPA(1) | P_W_U;
	pae.entry[1] = PAGE_GPA | P_W_U;
	ck_assert(judged_ok(&pae));
}
END_TEST

START_TEST(oracle_smap_ignores_ac_for_implicit_accesses)
{
	struct sdm_case c = example_4level(P_W_U, P_W_U, P_W_U, P_W_U, SDM_READ, 0);

	c.cr4_smap = true;
	ck_assert_uint_eq(judged_error_code(&c), PFERR_PRESENT);
	c.eflags_ac = true;
	ck_assert(judged_ok(&c));
	c.implicit = true;
	ck_assert_uint_eq(judged_error_code(&c), PFERR_PRESENT);
	c.cpl = 3;
	c.type = SDM_WRITE;
	ck_assert_uint_eq(judged_error_code(&c), PFERR_PRESENT | PFERR_WRITE);
}
END_TEST

START_TEST(oracle_xd_forbids_fetches_or_is_reserved)
{
	struct sdm_case c = example_4level(P_W_U, P_W_U, P_W_U | PT64_NX, P_W_U, SDM_FETCH, 0);

	c.efer_nxe = true;
	ck_assert_uint_eq(judged_error_code(&c), PFERR_PRESENT | PFERR_FETCH);
	/* NXE = 0: bit 63 is reserved; I/D needs NXE or SMEP */
	c.efer_nxe = false;
	ck_assert_uint_eq(judged_error_code(&c), PFERR_PRESENT | PFERR_RSVD);
	c.cr4_smep = true;
	ck_assert_uint_eq(judged_error_code(&c), PFERR_PRESENT | PFERR_RSVD | PFERR_FETCH);
	/* reserved bits are not checked in an entry whose P flag is 0 */
	c = example_4level(P_W_U, P_W_U, P_W_U, PT_USER | PT64_NX, SDM_READ, 3);
	ck_assert_uint_eq(judged_error_code(&c), PFERR_USER);
	/* SMEP: no supervisor fetch from a user-mode address */
	c = example_4level(P_W_U, P_W_U, P_W_U, P_W_U, SDM_FETCH, 0);
	ck_assert(judged_ok(&c));
	c.cr4_smep = true;
	ck_assert_uint_eq(judged_error_code(&c), PFERR_PRESENT | PFERR_FETCH);
}
END_TEST

START_TEST(oracle_protection_keys_guard_user_data_only)
{
	uint64_t key1 = 1ULL << PT64_PKEY_SHIFT;
	struct sdm_case c = example_4level(P_W_U, P_W_U, P_W_U, P_W_U | key1, SDM_READ, 3);

	c.cr4_pke = true;
	c.pkru = PKRU_AD(1);
	ck_assert_uint_eq(judged_error_code(&c), PFERR_PRESENT | PFERR_USER | PFERR_PK);
	c.pkru = PKRU_AD(0) | PKRU_WD(0);   /* another key's bits do not matter */
	ck_assert(judged_ok(&c));
	c.pkru = PKRU_AD(1);
	c.type = SDM_FETCH;   /* "protection keys do not apply to instruction fetches" */
	ck_assert(judged_ok(&c));
	c.pkru = PKRU_WD(1);
	c.type = SDM_WRITE;
	ck_assert_uint_eq(judged_error_code(&c),
			  PFERR_PRESENT | PFERR_WRITE | PFERR_USER | PFERR_PK);
	c.cpl = 0;            /* WD binds supervisor writes only with CR0.WP = 1 */
	ck_assert(judged_ok(&c));
	c.cr0_wp = true;
	ck_assert_uint_eq(judged_error_code(&c), PFERR_PRESENT | PFERR_WRITE | PFERR_PK);
	/* PK is set even when R/W alone would have faulted */
	c = example_4level(P_W_U, P_W_U, P_W_U, P_U | key1, SDM_WRITE, 3);
	c.cr4_pke = true;
	c.pkru = PKRU_WD(1);
	ck_assert_uint_eq(judged_error_code(&c),
			  PFERR_PRESENT | PFERR_WRITE | PFERR_USER | PFERR_PK);
}
END_TEST

START_TEST(oracle_32bit_paging_has_no_xd_and_pse36)
{
	struct sdm_case c = { .paging = SDM_PAGING_32, .linear = GVA_32, .cpl = 3,
			      .type = SDM_FETCH, .cr4_pse = true };
	struct sdm_verdict v;

	c.entry[2] = 0;   /* not present */
	c.efer_nxe = true;   /* I/D needs CR4.PAE with NXE */
	ck_assert_uint_eq(judged_error_code(&c), PFERR_USER);
	c.cr4_smep = true;
	ck_assert_uint_eq(judged_error_code(&c), PFERR_USER | PFERR_FETCH);
	/* SDM 4.3: a 4-MByte page; PDE bits 20:13 are physical bits 39:32 */
	c.entry[2] = 0x00c00000 | (1ULL << PT32_PSE36_SHIFT) | P_W_U | PT_PAGE_SIZE;
	c.type = SDM_READ;
	sdm_judge(&c, &v);
	ck_assert(!v.fault);
	ck_assert_uint_eq(v.physical, 0x100c09123ULL);
	ck_assert_uint_eq(v.leaf_level, 2);
}
END_TEST

static Suite *sdm_rules_suite(void)
{
	Suite *s = suite_create("sdm_rules");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, oracle_supervisor_writes_honour_rw_only_with_wp);
	tcase_add_test(tc, oracle_user_mode_needs_us_in_every_entry_but_a_pae_pdpte);
	tcase_add_test(tc, oracle_smap_ignores_ac_for_implicit_accesses);
	tcase_add_test(tc, oracle_xd_forbids_fetches_or_is_reserved);
	tcase_add_test(tc, oracle_protection_keys_guard_user_data_only);
	tcase_add_test(tc, oracle_32bit_paging_has_no_xd_and_pse36);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(sdm_rules_suite)
