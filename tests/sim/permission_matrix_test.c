/*
 * tests/sim/permission_matrix_test.c — the sim's walker against the SDM
 * oracle (tests/util/sdm_rules.c), exhaustively.
 *
 * The oracle is written from the SDM alone and shares nothing with either
 * walker; core/x86's walker is checked against it in tests/x86/, the sim's
 * here, so the two walkers are checked against each other through it.
 *
 * Shapes: 4-level with a 4K or 2M leaf, PAE 4K, 32-bit 4K and 4M.  For
 * each: U/S, R/W, XD of one non-leaf entry; U/S, R/W, XD, A, D and key 0/1
 * of the leaf; CR0.WP, CR4.SMEP/SMAP/PKE, EFER.NXE, PKRU.AD/WD of key 1;
 * one access (kind, CPL, AC, implicit) per Check test.  Bits a mode does
 * not have are not set.  Every case goes through the full 2D walk under an
 * identity-like EPT; outcome, error code, gpa and the entries afterwards
 * (A/D) must match the oracle.
 */
#include <stdio.h>

#include "tests/sim/sim_helpers.h"
#include "tests/util/check_main.h"
#include "tests/util/sdm_rules.h"

#define TABLE_GPA(level) (0x10000ULL + (uint64_t)(level) * 0x1000)
#define PAGE_GPA 0x400000ULL   /* 4K, 2M and 4M aligned */
#define LINEAR 0x00c01234ULL   /* below 4G, so every shape can map it */

struct shape {
	const char *name;
	enum sdm_paging paging;
	int leaf;        /* level of the leaf */
	int varied;      /* the non-leaf level whose bits are enumerated */
};

static const struct shape shapes[] = {
	{ "4-level 4K", SDM_PAGING_4LEVEL, 1, 3 },
	{ "4-level 2M", SDM_PAGING_4LEVEL, 2, 4 },
	{ "pae 4K", SDM_PAGING_PAE, 1, 2 },
	{ "32-bit 4K", SDM_PAGING_32, 1, 2 },
	{ "32-bit 4M", SDM_PAGING_32, 2, 0 },
};

struct acc_case {
	enum access_kind kind;
	unsigned cpl;
	bool ac, implicit;
};

static const struct acc_case accs[] = {
	{ ACCESS_READ, 0, 0, 0 }, { ACCESS_READ, 0, 1, 0 }, { ACCESS_READ, 3, 0, 0 },
	{ ACCESS_WRITE, 0, 0, 0 }, { ACCESS_WRITE, 0, 1, 0 }, { ACCESS_WRITE, 3, 0, 0 },
	{ ACCESS_FETCH, 0, 0, 0 }, { ACCESS_FETCH, 3, 0, 0 },
	{ ACCESS_READ, 3, 1, 1 }, { ACCESS_WRITE, 0, 1, 1 },
};

#define NR_SHAPES (sizeof(shapes) / sizeof(shapes[0]))
#define NR_ACCS (sizeof(accs) / sizeof(accs[0]))

static struct tmach tm;

static void setup(void)
{
	int l;

	tm_init(&tm, SPTE_LAYOUT_EPT, true);
	for (l = 1; l <= 5; l++)
		tm_ensure(&tm, TABLE_GPA(l));
	tm_ensure(&tm, PAGE_GPA);
	tm_ensure(&tm, PAGE_GPA + (LINEAR & 0x3ff000));
}

static unsigned index_of(enum sdm_paging paging, int level)
{
	if (paging == SDM_PAGING_32)
		return (LINEAR >> (12 + 10 * (level - 1))) & 1023;
	if (paging == SDM_PAGING_PAE && level == 3)
		return (LINEAR >> 30) & 3;
	return (LINEAR >> (12 + 9 * (level - 1))) & 511;
}

/* The entries of the path: all permissive except what the masks say. */
static void build_entries(const struct shape *sh, unsigned lm, unsigned vm, bool nx_ok,
			  uint64_t e[SDM_MAX_LEVEL + 1])
{
	int root = sdm_root_level(sh->paging), l;
	bool wide = sh->paging != SDM_PAGING_32;

	for (l = root; l >= sh->leaf; l--) {
		bool leaf = l == sh->leaf;
		unsigned m = leaf ? lm : (l == sh->varied ? vm : 0);

		e[l] = (leaf ? PAGE_GPA : TABLE_GPA(l - 1)) | P;
		if (sh->paging == SDM_PAGING_PAE && l == 3)
			continue; /* a PDPTE register: no rights, no A */
		e[l] |= (m & 1) ? 0 : U;
		e[l] |= (m & 2) ? 0 : W;
		if (wide && nx_ok && (m & 4))
			e[l] |= NX;
		if (leaf) {
			e[l] |= (lm & 8) ? A : 0;
			e[l] |= (lm & 16) ? D : 0;
			if (sh->paging == SDM_PAGING_4LEVEL && (lm & 32))
				e[l] |= 1ULL << PT64_PKEY_SHIFT;
			if (l == 2)
				e[l] |= PS;
		}
	}
}

static void write_entries(const struct shape *sh, const uint64_t e[SDM_MAX_LEVEL + 1])
{
	int l;

	for (l = sdm_root_level(sh->paging); l >= sh->leaf; l--) {
		uint64_t gpa = TABLE_GPA(l) + index_of(sh->paging, l) *
					      (sh->paging == SDM_PAGING_32 ? 4 : 8);

		if (sh->paging == SDM_PAGING_PAE && l == 3)
			continue;
		if (sh->paging == SDM_PAGING_32)
			tm_w32(&tm, gpa, (uint32_t)e[l]);
		else
			tm_w64(&tm, gpa, e[l]);
	}
}

static uint64_t read_entry(const struct shape *sh, int l, const uint64_t e[SDM_MAX_LEVEL + 1])
{
	uint64_t gpa = TABLE_GPA(l) + index_of(sh->paging, l) * (sh->paging == SDM_PAGING_32 ? 4 : 8);

	if (sh->paging == SDM_PAGING_PAE && l == 3)
		return e[l];
	return sh->paging == SDM_PAGING_32 ? tm_r32(&tm, gpa) : tm_r64(&tm, gpa);
}

static struct x86_paging_regs regs_of(const struct shape *sh, unsigned rm,
				      const uint64_t e[SDM_MAX_LEVEL + 1])
{
	struct x86_paging_regs r = { .cr0 = CR0_PE | CR0_PG, .cr3 = TABLE_GPA(sdm_root_level(sh->paging)) };

	r.cr0 |= (rm & 1) ? CR0_WP : 0;
	r.cr4 |= (rm & 2) ? CR4_SMEP : 0;
	r.cr4 |= (rm & 4) ? CR4_SMAP : 0;
	r.efer |= (rm & 8) ? EFER_NXE : 0;
	r.cr4 |= (rm & 16) ? CR4_PKE : 0;
	r.pkru = ((rm & 32) ? PKRU_AD(1) : 0) | ((rm & 64) ? PKRU_WD(1) : 0);
	if (sh->paging == SDM_PAGING_32)
		r.cr4 |= sh->leaf == 2 ? CR4_PSE : 0;
	else
		r.cr4 |= CR4_PAE;
	if (sh->paging == SDM_PAGING_4LEVEL)
		r.efer |= EFER_LME | EFER_LMA;
	if (sh->paging == SDM_PAGING_PAE)
		r.pdptrs[index_of(sh->paging, 3)] = e[3];
	return r;
}

/* One case: the sim and the oracle agree, or the message says how not. */
static void check_case(const struct shape *sh, const struct acc_case *ac, unsigned lm,
		       unsigned vm, unsigned rm)
{
	uint64_t e[SDM_MAX_LEVEL + 1] = { 0 };
	struct x86_paging_regs r;
	struct sdm_case c = { 0 };
	struct sdm_verdict v;
	struct sim_walk_out o;
	int l;

	build_entries(sh, lm, vm, true, e);
	r = regs_of(sh, rm, e);
	write_entries(sh, e);
	c.paging = sh->paging;
	memcpy(c.entry, e, sizeof(e));
	c.linear = LINEAR;
	c.cr0_wp = rm & 1;
	c.cr4_pse = r.cr4 & CR4_PSE;
	c.cr4_smep = rm & 2;
	c.cr4_smap = rm & 4;
	c.efer_nxe = rm & 8;
	c.cr4_pke = rm & 16;
	c.pkru = r.pkru;
	c.type = ac->kind == ACCESS_READ ? SDM_READ : ac->kind == ACCESS_WRITE ? SDM_WRITE : SDM_FETCH;
	c.cpl = ac->cpl;
	c.eflags_ac = ac->ac;
	c.implicit = ac->implicit;
	sdm_judge(&c, &v);
	o = tm_walk_as(&tm, &r, LINEAR, ac->kind, ac->cpl, ac->ac, ac->implicit);
	ck_assert_msg(o.outcome == (v.fault ? SIM_PF : SIM_OK) &&
		      (!v.fault || o.error_code == v.error_code) &&
		      (v.fault || o.tr.gpa + (LINEAR & (o.tr.size - 1)) == v.physical),
		      "%s kind %d cpl %u ac %d impl %d leaf 0x%x var 0x%x regs 0x%x: sim %d/0x%x, "
		      "sdm fault %d/0x%x", sh->name, ac->kind, ac->cpl, ac->ac, ac->implicit, lm, vm,
		      rm, o.outcome, o.error_code, v.fault, v.error_code);
	for (l = sdm_root_level(sh->paging); l >= sh->leaf; l--)
		ck_assert_msg(read_entry(sh, l, e) == v.entry_after[l],
			      "%s leaf 0x%x var 0x%x regs 0x%x: level %d holds 0x%llx, sdm 0x%llx",
			      sh->name, lm, vm, rm, l, (unsigned long long)read_entry(sh, l, e),
			      (unsigned long long)v.entry_after[l]);
}

START_TEST(matches_the_sdm)
{
	const struct shape *sh = &shapes[_i / NR_ACCS];
	const struct acc_case *ac = &accs[_i % NR_ACCS];
	unsigned lm, vm, rm;

	for (lm = 0; lm < 64; lm++)
		for (vm = 0; vm < (sh->varied ? 8u : 1u); vm++)
			for (rm = 0; rm < 128; rm++)
				check_case(sh, ac, lm, vm, rm);
}
END_TEST

static Suite *permission_matrix_suite(void)
{
	Suite *s = suite_create("sim_permission_matrix");
	TCase *tc = tcase_create("matrix");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, matches_the_sdm, 0, NR_SHAPES * NR_ACCS);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(permission_matrix_suite)
