/*
 * tests/sim/tlb_test.c — the sim's TLB: flushed only when the architecture
 * says so (SDM 4.10.4), so a missing flush shows as a stale translation.
 */
#include "tests/sim/sim_helpers.h"
#include "tests/util/check_main.h"

#define GVA 0x123456789000ULL
#define OTHER 0x20000ULL   /* a second data page */

static struct tmach tm;
static struct sim_tlb tlb;

static void setup(void)
{
	tm_init(&tm, SPTE_LAYOUT_EPT, true);
	ck_assert_int_eq(sim_tlb_init(&tlb), 0);
}

static void teardown(void)
{
	sim_tlb_destroy(&tlb);
}

/* Walk and fill, as access.c does on a miss. */
static struct sim_translation walk_fill(const struct x86_paging_regs *r, uint64_t gva,
					enum access_kind kind, uint16_t pcid)
{
	struct sim_walk_out o = tm_walk(&tm, r, gva, kind, 0);
	struct sim_translation tr;
	uint64_t gen;

	ck_assert_int_eq(o.outcome, SIM_OK);
	ck_assert(!sim_tlb_lookup(&tlb, gva, pcid, tm.tdp.root, &tr, &gen));
	sim_tlb_fill(&tlb, &o.tr, pcid, tm.tdp.root, gen);
	return o.tr;
}

static bool lookup(uint64_t gva, uint16_t pcid, struct sim_translation *tr)
{
	uint64_t gen;

	return sim_tlb_lookup(&tlb, gva, pcid, tm.tdp.root, tr, &gen);
}

/*
 * The point of the TLB: the guest remaps a page without INVLPG, and the CPU
 * keeps using the old translation — what a backend that forgets a flush
 * would also cause.  INVLPG makes the new one visible.
 */
START_TEST(stale_entry_is_used_until_invlpg)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_translation tr;

	tm_build_4level(&tm, GVA, P | W, P | W);
	tm_ensure(&tm, OTHER);
	tm_w64(&tm, TM_DATA, 0x1111);
	tm_w64(&tm, OTHER, 0x2222);
	walk_fill(&r, GVA, ACCESS_READ, 0);
	tm_w64(&tm, TM_PT + 8 * tm_ix(GVA, 1), OTHER | P | W);
	ck_assert(lookup(GVA + 8, 0, &tr));
	ck_assert_uint_eq(tr.hpa, tm_frame(&tm, TM_DATA));
	ck_assert_uint_eq(*(uint64_t *)plat_frame_map(tr.hpa), 0x1111); /* the stale value */
	sim_tlb_flush_gva(&tlb, GVA + 0x800);
	ck_assert(!lookup(GVA, 0, &tr));
	tr = walk_fill(&r, GVA, ACCESS_READ, 0);
	ck_assert_uint_eq(*(uint64_t *)plat_frame_map(tr.hpa), 0x2222);
}
END_TEST

/*
 * SDM 4.10.2.3: a TLB may hold a big page as smaller fragments (here a
 * guest 2M page under a 4K EPT), and INVLPG of any address in the page
 * invalidates them all.
 */
START_TEST(invlpg_flushes_every_fragment_of_a_big_page)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	uint64_t base = GVA & ~(PAGE_SIZE_2M - 1);
	struct sim_translation tr;

	tm_build_4level(&tm, GVA, P | W, P | W);
	tm_w64(&tm, TM_PD + 8 * tm_ix(GVA, 2), 0x200000 | PS | P | W);
	tm_ensure(&tm, 0x200000);
	tm_ensure(&tm, 0x3ff000);
	tr = walk_fill(&r, base, ACCESS_READ, 0);
	ck_assert_uint_eq(tr.size, PAGE_SIZE_4K);
	ck_assert_uint_eq(tr.guest_size, PAGE_SIZE_2M);
	walk_fill(&r, base + 0x1ff000, ACCESS_READ, 0);
	sim_tlb_flush_gva(&tlb, base + 0x100000);
	ck_assert(!lookup(base, 0, &tr));
	ck_assert(!lookup(base + 0x1ff000, 0, &tr));
}
END_TEST

START_TEST(global_entries_survive_a_cr3_load)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	uint64_t gva2 = GVA + 0x1000;
	struct sim_translation tr;

	r.cr4 |= CR4_PGE;
	tm_build_4level(&tm, GVA, P | W, P | W | G);
	tm_ensure(&tm, OTHER);
	tm_w64(&tm, TM_PT + 8 * tm_ix(gva2, 1), OTHER | P | W);
	walk_fill(&r, GVA, ACCESS_READ, 0);
	walk_fill(&r, gva2, ACCESS_READ, 0);
	sim_tlb_flush_pcid(&tlb, 0); /* MOV to CR3 without PCIDE */
	ck_assert(lookup(GVA, 0, &tr));
	ck_assert(tr.global);
	ck_assert(!lookup(gva2, 0, &tr));
	/* INVLPG removes global entries too. */
	sim_tlb_flush_gva(&tlb, GVA);
	ck_assert(!lookup(GVA, 0, &tr));
}
END_TEST

START_TEST(pcid_tags_and_no_flush)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_translation tr;

	tm_build_4level(&tm, GVA, P | W, P | W);
	walk_fill(&r, GVA, ACCESS_READ, 1);
	ck_assert(!lookup(GVA, 2, &tr));       /* another address space */
	sim_tlb_flush_pcid(&tlb, 2);           /* MOV to CR3 of PCID 2, flushing */
	ck_assert(lookup(GVA, 1, &tr));        /* PCID 1's entries are kept */
	sim_tlb_flush_pcid(&tlb, 1);
	ck_assert(!lookup(GVA, 1, &tr));
}
END_TEST

START_TEST(entries_of_another_tdp_root_are_unusable)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_translation tr;
	uint64_t gen;

	tm_build_4level(&tm, GVA, P | W, P | W);
	walk_fill(&r, GVA, ACCESS_READ, 0);
	ck_assert(!sim_tlb_lookup(&tlb, GVA, 0, tm.tdp.root + 0x1000, &tr, &gen));
	ck_assert(lookup(GVA, 0, &tr));
}
END_TEST

/* SDM 4.8: a write through an entry not yet dirty walks to set D. */
START_TEST(write_hit_needs_dirty_in_both_dimensions)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct walk_access wr = { .gva = GVA, .kind = ACCESS_WRITE };
	struct walk_access rd = { .gva = GVA, .kind = ACCESS_READ };
	struct sim_translation tr;

	tm_build_4level(&tm, GVA, P | W, P | W);
	tr = walk_fill(&r, GVA, ACCESS_READ, 0);
	ck_assert(sim_translation_allows(&r, &rd, &tr));
	ck_assert(!sim_translation_allows(&r, &wr, &tr));
	tr = tm_walk(&tm, &r, GVA, ACCESS_WRITE, 0).tr;
	ck_assert(tr.dirty);
	ck_assert(sim_translation_allows(&r, &wr, &tr));
	/* Guest dirty but the EPT leaf clean (A/D on): still not a write hit. */
	*tm_tdp_entry(&tm, TM_DATA, 1) &= ~EPT_DIRTY;
	tr = tm_walk(&tm, &r, GVA, ACCESS_READ, 0).tr;
	ck_assert(!tr.dirty);
}
END_TEST

/* Rights are judged with the registers of the access, not of the fill. */
START_TEST(hit_rights_use_current_registers)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct walk_access user = { .gva = GVA, .kind = ACCESS_READ, .cpl = 3 };
	struct walk_access sup_wr = { .gva = GVA, .kind = ACCESS_WRITE };
	struct sim_translation tr;

	tm_build_4level(&tm, GVA, P | W | U, P | U | D);
	tr = walk_fill(&r, GVA, ACCESS_READ, 0);
	ck_assert(sim_translation_allows(&r, &user, &tr));
	ck_assert(!sim_translation_allows(&r, &sup_wr, &tr)); /* WP=1, R/W=0 */
	r.cr0 &= ~CR0_WP;
	tr.dirty = true;
	ck_assert(sim_translation_allows(&r, &sup_wr, &tr));
	r.cr4 |= CR4_PKE;
	r.pkru = PKRU_AD(0);
	ck_assert(!sim_translation_allows(&r, &user, &tr));
}
END_TEST

/* A flush between a walk and its fill wins: the fill is dropped. */
START_TEST(fill_after_a_racing_flush_is_dropped)
{
	struct x86_paging_regs r = tm_regs_64(TM_PML4, false, false);
	struct sim_walk_out o;
	struct sim_translation tr;
	uint64_t gen;

	tm_build_4level(&tm, GVA, P | W, P | W);
	ck_assert(!sim_tlb_lookup(&tlb, GVA, 0, tm.tdp.root, &tr, &gen));
	o = tm_walk(&tm, &r, GVA, ACCESS_READ, 0);
	sim_tlb_flush_all(&tlb); /* another vCPU's zap + remote flush */
	sim_tlb_fill(&tlb, &o.tr, 0, tm.tdp.root, gen);
	ck_assert(!lookup(GVA, 0, &tr));
	ck_assert_uint_eq(tlb.flushes, 1);
}
END_TEST

START_TEST(lru_evicts_the_least_recently_used)
{
	struct sim_translation t = { .size = PAGE_SIZE_4K, .guest_size = PAGE_SIZE_4K };
	struct sim_translation got;
	uint64_t gen;
	unsigned i;

	for (i = 0; i < SIM_TLB_ENTRIES; i++) {
		t.va = (uint64_t)i << 12;
		sim_tlb_lookup(&tlb, t.va, 0, 1, &got, &gen);
		sim_tlb_fill(&tlb, &t, 0, 1, gen);
	}
	ck_assert(sim_tlb_lookup(&tlb, 0, 0, 1, &got, &gen)); /* page 0 is now recent */
	t.va = (uint64_t)SIM_TLB_ENTRIES << 12;
	sim_tlb_fill(&tlb, &t, 0, 1, gen);
	ck_assert(sim_tlb_lookup(&tlb, 0, 0, 1, &got, &gen));
	ck_assert(!sim_tlb_lookup(&tlb, 1 << 12, 0, 1, &got, &gen)); /* page 1 was the LRU */
	ck_assert(sim_tlb_lookup(&tlb, t.va, 0, 1, &got, &gen));
}
END_TEST

static Suite *tlb_suite(void)
{
	Suite *s = suite_create("sim_tlb");
	TCase *tc = tcase_create("tlb");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, stale_entry_is_used_until_invlpg);
	tcase_add_test(tc, invlpg_flushes_every_fragment_of_a_big_page);
	tcase_add_test(tc, global_entries_survive_a_cr3_load);
	tcase_add_test(tc, pcid_tags_and_no_flush);
	tcase_add_test(tc, entries_of_another_tdp_root_are_unusable);
	tcase_add_test(tc, write_hit_needs_dirty_in_both_dimensions);
	tcase_add_test(tc, hit_rights_use_current_registers);
	tcase_add_test(tc, fill_after_a_racing_flush_is_dropped);
	tcase_add_test(tc, lru_evicts_the_least_recently_used);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(tlb_suite)
