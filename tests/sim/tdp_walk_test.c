/*
 * tests/sim/tdp_walk_test.c — the sim's second dimension: EPT (SDM 29.3)
 * and NPT (APM 15.25.5) entries decoded by the CPU, A/D in TDP entries,
 * and the exits a 2D walk raises (violation, misconfiguration / RSVD,
 * guest-table flag, access kind).
 */
#include "tests/sim/sim_helpers.h"
#include "tests/util/check_main.h"

#define GVA 0x123456789000ULL
#define GPA 0x5000ULL

static struct tmach tm;

static void setup_ept(void)
{
	tm_init(&tm, SPTE_LAYOUT_EPT, true);
}

static struct sim_tdp_result xlate(uint64_t gpa, enum access_kind kind)
{
	struct sim_tdp_result r;

	ck_assert_int_eq(sim_tdp_translate(&tm.tdp, gpa, kind, &r), 0);
	return r;
}

START_TEST(ept_translates_and_sets_accessed_then_dirty)
{
	hpa_t f = tm_map(&tm, GPA);
	struct sim_tdp_result r = xlate(GPA + 0x123, ACCESS_READ);
	int l;

	ck_assert_int_eq(r.outcome, SIM_TDP_OK);
	ck_assert_uint_eq(r.hpa, f + 0x123);
	ck_assert_int_eq(r.level, 1);
	ck_assert_uint_eq(r.rights, SIM_TDP_R | SIM_TDP_W | SIM_TDP_X);
	/* SDM 29.3.5: A in every entry used; D only for a write. */
	for (l = 4; l >= 1; l--)
		ck_assert(*tm_tdp_entry(&tm, GPA, l) & EPT_ACCESSED);
	ck_assert(!(*tm_tdp_entry(&tm, GPA, 1) & EPT_DIRTY));
	ck_assert(!r.dirty);
	r = xlate(GPA, ACCESS_WRITE);
	ck_assert(r.dirty);
	ck_assert(*tm_tdp_entry(&tm, GPA, 1) & EPT_DIRTY);
	ck_assert(!(*tm_tdp_entry(&tm, GPA, 2) & EPT_DIRTY));
}
END_TEST

START_TEST(ept_without_ad_leaves_entries_alone)
{
	uint64_t before;

	tm.tdp.ad = false;
	tm_map(&tm, GPA);
	before = *tm_tdp_entry(&tm, GPA, 1);
	ck_assert_int_eq(xlate(GPA, ACCESS_WRITE).outcome, SIM_TDP_OK);
	ck_assert_uint_eq(*tm_tdp_entry(&tm, GPA, 1), before);
	ck_assert_uint_eq(*tm_tdp_entry(&tm, GPA, 4) & EPT_ACCESSED, 0);
}
END_TEST

START_TEST(ept_violation_not_present_and_lacking_right)
{
	struct sim_tdp_result r;

	tm_map(&tm, GPA);
	r = xlate(GPA + 0x1000, ACCESS_READ); /* PTE not present */
	ck_assert_int_eq(r.outcome, SIM_TDP_VIOLATION);
	ck_assert(!r.present);
	*tm_tdp_entry(&tm, GPA, 1) &= ~(EPT_WRITE | EPT_EXEC);
	r = xlate(GPA, ACCESS_WRITE);
	ck_assert_int_eq(r.outcome, SIM_TDP_VIOLATION);
	ck_assert(r.present);
	ck_assert_int_eq(xlate(GPA, ACCESS_FETCH).outcome, SIM_TDP_VIOLATION);
	ck_assert_int_eq(xlate(GPA, ACCESS_READ).outcome, SIM_TDP_OK);
	/* A violation sets no A bit. */
	*tm_tdp_entry(&tm, GPA, 1) &= ~EPT_ACCESSED;
	xlate(GPA, ACCESS_WRITE);
	ck_assert(!(*tm_tdp_entry(&tm, GPA, 1) & EPT_ACCESSED));
}
END_TEST

/* Rights are the AND over the levels: a read-only PDE makes the page read-only. */
START_TEST(ept_rights_combine_over_levels)
{
	tm_map(&tm, GPA);
	*tm_tdp_entry(&tm, GPA, 2) &= ~EPT_WRITE;
	ck_assert_int_eq(xlate(GPA, ACCESS_WRITE).outcome, SIM_TDP_VIOLATION);
	ck_assert_int_eq(xlate(GPA, ACCESS_READ).outcome, SIM_TDP_OK);
}
END_TEST

START_TEST(ept_execute_only_is_valid)
{
	struct sim_tdp_result r;

	tm_map(&tm, GPA);
	*tm_tdp_entry(&tm, GPA, 1) &= ~(EPT_READ | EPT_WRITE);
	ck_assert_int_eq(xlate(GPA, ACCESS_FETCH).outcome, SIM_TDP_OK);
	r = xlate(GPA, ACCESS_READ);
	ck_assert_int_eq(r.outcome, SIM_TDP_VIOLATION);
	ck_assert(r.present);
}
END_TEST

/* SDM 29.3.3.1: the EPT misconfigurations. */
START_TEST(ept_misconfigurations)
{
	volatile uint64_t *pte, *pml4e;
	uint64_t good;

	tm_map(&tm, GPA);
	pte = tm_tdp_entry(&tm, GPA, 1);
	pml4e = tm_tdp_entry(&tm, GPA, 4);
	good = *pte;
	*pte = (good & ~EPT_RWX) | EPT_WRITE | EPT_EXEC; /* W+X without R: KVM's MMIO SPTE */
	ck_assert_int_eq(xlate(GPA, ACCESS_READ).outcome, SIM_TDP_MISCONFIG);
	*pte = (good & ~EPT_RWX) | EPT_WRITE;             /* write-only */
	ck_assert_int_eq(xlate(GPA, ACCESS_FETCH).outcome, SIM_TDP_MISCONFIG);
	*pte = (good & ~EPT_MT_MASK) | (2ULL << EPT_MT_SHIFT); /* memory type 2 */
	ck_assert_int_eq(xlate(GPA, ACCESS_READ).outcome, SIM_TDP_MISCONFIG);
	*pte = good | BIT_ULL(51);                        /* beyond the host's width */
	ck_assert_int_eq(xlate(GPA, ACCESS_READ).outcome, SIM_TDP_MISCONFIG);
	*pte = good;
	*pml4e |= EPT_PAGE_SIZE;                          /* bit 7 of a PML4E */
	ck_assert_int_eq(xlate(GPA, ACCESS_READ).outcome, SIM_TDP_MISCONFIG);
	*pml4e &= ~EPT_PAGE_SIZE;
	ck_assert_int_eq(xlate(GPA, ACCESS_READ).outcome, SIM_TDP_OK);
}
END_TEST

START_TEST(ept_2m_leaf)
{
	hpa_t huge = plat_frames_alloc(9);
	volatile uint64_t *pde;
	struct sim_tdp_result r;

	ck_assert(huge != PLAT_NO_FRAME);
	pde = tm_tdp_entry(&tm, 0x200000, 2);
	*pde = huge | EPT_LEAF_RAM | EPT_PAGE_SIZE;
	r = xlate(0x2f1234, ACCESS_READ);
	ck_assert_int_eq(r.outcome, SIM_TDP_OK);
	ck_assert_int_eq(r.level, 2);
	ck_assert_uint_eq(r.hpa, huge + 0xf1234);
	/* Bits 20:12 of a 2M EPT leaf are reserved. */
	*pde |= BIT_ULL(12);
	ck_assert_int_eq(xlate(0x2f1234, ACCESS_READ).outcome, SIM_TDP_MISCONFIG);
}
END_TEST

START_TEST(npt_translates_and_always_sets_ad)
{
	hpa_t f;
	struct sim_tdp_result r;

	tm_init(&tm, SPTE_LAYOUT_NPT, false);
	f = tm_map(&tm, GPA);
	r = xlate(GPA + 8, ACCESS_WRITE);
	ck_assert_int_eq(r.outcome, SIM_TDP_OK);
	ck_assert_uint_eq(r.hpa, f + 8);
	ck_assert(*tm_tdp_entry(&tm, GPA, 4) & PT_ACCESSED);
	ck_assert_uint_eq(*tm_tdp_entry(&tm, GPA, 1), f | P | W | U | A | D);
}
END_TEST

/* APM 15.25.5: nested walks are user accesses; W for writes; NX for fetches. */
START_TEST(npt_violations)
{
	volatile uint64_t *pte;
	struct sim_tdp_result r;

	tm_init(&tm, SPTE_LAYOUT_NPT, false);
	tm_map(&tm, GPA);
	pte = tm_tdp_entry(&tm, GPA, 1);
	*pte &= ~U;
	r = xlate(GPA, ACCESS_READ);
	ck_assert_int_eq(r.outcome, SIM_TDP_VIOLATION);
	ck_assert(r.present);
	*pte |= U;
	*pte &= ~W;
	ck_assert_int_eq(xlate(GPA, ACCESS_WRITE).outcome, SIM_TDP_VIOLATION);
	ck_assert_int_eq(xlate(GPA, ACCESS_READ).outcome, SIM_TDP_OK);
	*pte |= W | NX;
	ck_assert_int_eq(xlate(GPA, ACCESS_FETCH).outcome, SIM_TDP_VIOLATION);
	*pte &= ~P;
	r = xlate(GPA, ACCESS_READ);
	ck_assert_int_eq(r.outcome, SIM_TDP_VIOLATION);
	ck_assert(!r.present);
}
END_TEST

START_TEST(npt_reserved_high_bit_is_rsvd)
{
	struct sim_tdp_result r;

	tm_init(&tm, SPTE_LAYOUT_NPT, false);
	tm_map(&tm, GPA);
	ck_assert_uint_lt(tm.tdp.phys_bits, 52);
	*tm_tdp_entry(&tm, GPA, 1) |= BIT_ULL(51);
	r = xlate(GPA, ACCESS_READ);
	ck_assert_int_eq(r.outcome, SIM_TDP_MISCONFIG);
	ck_assert(r.present);
}
END_TEST

/* Guest tables at 0x1000..0x4000, data at 0x10000, all mapped; A/D preset or not. */
static void build_guest(uint64_t flags)
{
	tm_build_4level(&tm, GVA, P | W | flags, P | W | flags);
}

static struct sim_walk_out walk(enum access_kind kind)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);

	return tm_walk(&tm, &r, GVA, kind, 0);
}

START_TEST(exit_on_the_data_page)
{
	struct sim_walk_out o;

	build_guest(0);
	*tm_tdp_entry(&tm, TM_DATA, 1) &= ~EPT_WRITE;
	o = walk(ACCESS_WRITE);
	ck_assert_int_eq(o.outcome, SIM_EXIT);
	ck_assert_uint_eq(o.exit.addr, TM_DATA);
	ck_assert_int_eq(o.exit.access, ACCESS_WRITE);
	ck_assert(!o.exit.guest_table);
	ck_assert(o.exit.present);
	/* The guest's A/D were set before the data access (the access succeeds in the guest). */
	ck_assert(tm_r64(&tm, TM_PT + 8 * tm_ix(GVA, 1)) & D);
}
END_TEST

/*
 * Without EPT A/D a guest-table access is a read unless the walk writes
 * A/D into it: a read-only guest page-table page exits (as a write) only
 * when A is clear.
 */
START_TEST(without_ept_ad_only_an_ad_update_writes_a_table)
{
	struct sim_walk_out o;

	tm.tdp.ad = false;
	build_guest(0);
	*tm_tdp_entry(&tm, TM_PD, 1) &= ~EPT_WRITE;
	o = walk(ACCESS_READ);
	ck_assert_int_eq(o.outcome, SIM_EXIT);
	ck_assert_uint_eq(o.exit.addr, TM_PD + 8 * tm_ix(GVA, 2));
	ck_assert_int_eq(o.exit.access, ACCESS_WRITE);
	ck_assert(o.exit.guest_table);
	ck_assert(o.exit.present);
	/* With A already set the same walk only reads the PD: no exit. */
	tm_w64(&tm, TM_PD + 8 * tm_ix(GVA, 2), TM_PT | P | W | A);
	ck_assert_int_eq(walk(ACCESS_READ).outcome, SIM_OK);
}
END_TEST

START_TEST(misconfig_exit_on_data)
{
	struct sim_walk_out o;

	build_guest(A | D);
	*tm_tdp_entry(&tm, TM_DATA, 1) = EPT_WRITE | EPT_EXEC; /* an MMIO SPTE */
	o = walk(ACCESS_READ);
	ck_assert_int_eq(o.outcome, SIM_EXIT);
	ck_assert(o.exit.rsvd);
	ck_assert_uint_eq(o.exit.addr, TM_DATA);
}
END_TEST

START_TEST(guest_pf_wins_over_tdp_of_the_data)
{
	struct sim_walk_out o;

	build_guest(0);
	*tm_tdp_entry(&tm, TM_DATA, 1) = 0;
	tm_w64(&tm, TM_PT + 8 * tm_ix(GVA, 1), TM_DATA | P); /* read-only guest page */
	o = walk(ACCESS_WRITE);
	ck_assert_int_eq(o.outcome, SIM_PF);
	ck_assert_uint_eq(o.error_code, PFERR_PRESENT | PFERR_WRITE);
}
END_TEST

START_TEST(ept_ad_set_for_guest_tables_and_data)
{
	build_guest(0);
	ck_assert_int_eq(walk(ACCESS_WRITE).outcome, SIM_OK);
	/* The PT page was written (A/D), so its EPT leaf is dirty; so is the data's. */
	ck_assert(*tm_tdp_entry(&tm, TM_PT, 1) & EPT_DIRTY);
	ck_assert(*tm_tdp_entry(&tm, TM_DATA, 1) & EPT_DIRTY);
}
END_TEST

/*
 * How each second stage sees a walk's own accesses to guest tables: on
 * NPT they are user-mode writes (APM 15.25.5), on EPT with A/D writes
 * (SDM 29.3.5), on EPT without A/D reads.
 */
static const struct table_case {
	enum spte_layout layout;  /* EPT or NPT entries */
	bool ad;                  /* the EPTP enables A/D (NPT: always) */
	bool writes;              /* guest-table accesses are TDP writes */
} table_cases[] = {
	{ SPTE_LAYOUT_NPT, true, true },
	{ SPTE_LAYOUT_EPT, true, true },
	{ SPTE_LAYOUT_EPT, false, false },
};

#define NR_TABLE_CASES (int)(sizeof(table_cases) / sizeof(table_cases[0]))

static const struct table_case *table_setup(int i)
{
	tm_init(&tm, table_cases[i].layout, table_cases[i].ad);
	return &table_cases[i];
}

static uint64_t tdp_writable(const struct table_case *c)
{
	return c->layout == SPTE_LAYOUT_EPT ? EPT_WRITE : W;
}

static uint64_t tdp_dirty(const struct table_case *c)
{
	return c->layout == SPTE_LAYOUT_EPT ? EPT_DIRTY : D;
}

/* A table page the TDP does not map: the exit is a write where walks write. */
START_TEST(a_missing_table_page_exits_as_the_tdp_sees_walks)
{
	const struct table_case *c = table_setup(_i);
	struct sim_walk_out o;

	build_guest(0);
	*tm_tdp_entry(&tm, TM_PT, 1) = 0;
	o = walk(ACCESS_READ);
	ck_assert_int_eq(o.outcome, SIM_EXIT);
	ck_assert_uint_eq(o.exit.addr, TM_PT + 8 * tm_ix(GVA, 1));
	ck_assert_int_eq(o.exit.access, c->writes ? ACCESS_WRITE : ACCESS_READ);
	ck_assert(o.exit.guest_table);
	ck_assert(!o.exit.present);
	ck_assert(!o.exit.rsvd);
}
END_TEST

/*
 * Guest entries with A already set: the walk changes none of them, yet
 * where walks write, every table page it read is dirty in its TDP leaf;
 * the data page, only read, is not.
 */
START_TEST(walks_make_guest_table_pages_dirty)
{
	static const uint64_t pages[] = { TM_PML4, TM_PDPT, TM_PD, TM_PT };
	const struct table_case *c = table_setup(_i);
	unsigned k;

	build_guest(A);
	ck_assert_int_eq(walk(ACCESS_READ).outcome, SIM_OK);
	for (k = 0; k < sizeof(pages) / sizeof(pages[0]); k++)
		ck_assert_msg(!(*tm_tdp_entry(&tm, pages[k], 1) & tdp_dirty(c)) == !c->writes,
			      "TDP leaf of table page 0x%llx", (unsigned long long)pages[k]);
	ck_assert(!(*tm_tdp_entry(&tm, TM_DATA, 1) & tdp_dirty(c)));
}
END_TEST

/*
 * A write-protected table page (a hypervisor logging dirty pages by write
 * protection) exits as a write, with the guest-table flag, on a read walk
 * that writes no guest entry, where walks write; without EPT A/D it does
 * not exit at all.
 */
START_TEST(a_write_protected_table_page_exits_where_walks_write)
{
	const struct table_case *c = table_setup(_i);
	struct sim_walk_out o;

	build_guest(A);
	*tm_tdp_entry(&tm, TM_PD, 1) &= ~tdp_writable(c);
	o = walk(ACCESS_READ);
	if (!c->writes) {
		ck_assert_int_eq(o.outcome, SIM_OK);
		return;
	}
	ck_assert_int_eq(o.outcome, SIM_EXIT);
	ck_assert_uint_eq(o.exit.addr, TM_PD + 8 * tm_ix(GVA, 2));
	ck_assert_int_eq(o.exit.access, ACCESS_WRITE);
	ck_assert(o.exit.guest_table);
	ck_assert(o.exit.present);
}
END_TEST

/*
 * Where the walk's access to an entry was a write, setting A in it uses
 * that translation; otherwise the entry is translated again as a write.
 * The walk: 4 guest entries, each behind 4 TDP entries, plus 4 A updates
 * and the data's 4 TDP entries: 28 references, and 4 x 4 more for the
 * translations again.  TDP A/D are already set by a first walk.
 */
START_TEST(an_ad_update_reuses_the_walks_write)
{
	const struct table_case *c = table_setup(_i);

	build_guest(0);
	ck_assert_int_eq(walk(ACCESS_READ).outcome, SIM_OK);
	build_guest(0);
	ck_assert_uint_eq(walk(ACCESS_READ).refs, c->writes ? 28 : 28 + 4 * 4);
}
END_TEST

START_TEST(combined_page_size_is_the_smaller)
{
	hpa_t huge = plat_frames_alloc(9);
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_walk_out o;

	build_guest(0);
	tm_w64(&tm, TM_PD + 8 * tm_ix(GVA, 2), 0x200000 | PS | P | W);
	*tm_tdp_entry(&tm, 0x200000, 2) = huge | EPT_LEAF_RAM | EPT_PAGE_SIZE;
	o = tm_walk(&tm, &r, GVA, ACCESS_READ, 0);
	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert_uint_eq(o.tr.size, PAGE_SIZE_2M);
	ck_assert_uint_eq(o.tr.va, GVA & ~(PAGE_SIZE_2M - 1));
	ck_assert_uint_eq(o.tr.hpa, huge);
}
END_TEST

static Suite *tdp_walk_suite(void)
{
	Suite *s = suite_create("sim_tdp_walk");
	TCase *tc = tcase_create("tdp");

	tcase_add_checked_fixture(tc, setup_ept, NULL);
	tcase_add_test(tc, ept_translates_and_sets_accessed_then_dirty);
	tcase_add_test(tc, ept_without_ad_leaves_entries_alone);
	tcase_add_test(tc, ept_violation_not_present_and_lacking_right);
	tcase_add_test(tc, ept_rights_combine_over_levels);
	tcase_add_test(tc, ept_execute_only_is_valid);
	tcase_add_test(tc, ept_misconfigurations);
	tcase_add_test(tc, ept_2m_leaf);
	tcase_add_test(tc, npt_translates_and_always_sets_ad);
	tcase_add_test(tc, npt_violations);
	tcase_add_test(tc, npt_reserved_high_bit_is_rsvd);
	tcase_add_test(tc, exit_on_the_data_page);
	tcase_add_test(tc, without_ept_ad_only_an_ad_update_writes_a_table);
	tcase_add_test(tc, misconfig_exit_on_data);
	tcase_add_test(tc, guest_pf_wins_over_tdp_of_the_data);
	tcase_add_test(tc, ept_ad_set_for_guest_tables_and_data);
	tcase_add_loop_test(tc, a_missing_table_page_exits_as_the_tdp_sees_walks, 0, NR_TABLE_CASES);
	tcase_add_loop_test(tc, walks_make_guest_table_pages_dirty, 0, NR_TABLE_CASES);
	tcase_add_loop_test(tc, a_write_protected_table_page_exits_where_walks_write, 0,
			    NR_TABLE_CASES);
	tcase_add_loop_test(tc, an_ad_update_reuses_the_walks_write, 0, NR_TABLE_CASES);
	tcase_add_test(tc, combined_page_size_is_the_smaller);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(tdp_walk_suite)
