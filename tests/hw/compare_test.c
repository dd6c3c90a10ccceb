/*
 * Tests for hw/compare.c: which differences between two results of a step
 * the guest could see (values, #PF error code and CR2, #GP, dirty logs)
 * and which it could not (the gpa and walk diagnostics), and the one
 * latitude the architecture gives dirty logs: guest page-table pages
 * written by walks on NPT and EPT with A/D (APM 15.25.5, SDM 29.3.5).
 */
#include <check.h>

#include "hw/backends.h"
#include "hw/compare.h"
#include "hw/dirty_tables.h"
#include "tests/util/check_main.h"
#include "tests/util/dirty_scenario.h"

static const struct scn_step get = { .kind = STEP_DIRTY_LOG_GET };
static const struct scn_step read_step = { .kind = STEP_ACCESS };

/* What a target of this TDP format may add to ref's logs (walks, or NULL). */
static const char *walks_on(enum spte_layout layout, bool ept_ad)
{
	struct exec_config cfg = {
		.backend = mmu_backends[0], .mmu = { .layout = layout, .ept_ad = ept_ad },
	};

	return exec_walks_write_tables(&cfg);
}

static bool agree(const struct step_result *a, const struct step_result *b)
{
	return step_results_agree(&dirty_scn, &read_step, a, b, NULL);
}

static struct step_result ok_value(uint64_t v)
{
	return (struct step_result){ .outcome = OUTCOME_OK, .has_value = true, .value = v,
				     .gpa = 0x1000 };
}

START_TEST(values_outcomes_and_fault_details_are_guest_visible)
{
	struct step_result a = ok_value(5), b = ok_value(5);
	struct step_result pf1 = { .outcome = OUTCOME_PF, .error_code = 0x7, .cr2 = 0x400000 };
	struct step_result pf2 = pf1;

	ck_assert(agree(&a, &b));
	b.value = 6;
	ck_assert(!agree(&a, &b));
	b = ok_value(5);
	b.has_value = false;
	ck_assert(!agree(&a, &b));
	ck_assert(!agree(&a, &pf1));
	ck_assert(agree(&pf1, &pf2));
	pf2.error_code = 0x5;
	ck_assert(!agree(&pf1, &pf2));
	pf2 = pf1;
	pf2.cr2 = 0x401000;
	ck_assert(!agree(&pf1, &pf2));
}
END_TEST

START_TEST(diagnostics_are_not_compared)
{
	struct step_result a = ok_value(5), b = ok_value(5);

	b.gpa = 0x2000;
	b.has_walk = true;
	b.walk.level = 3;
	ck_assert(agree(&a, &b));
}
END_TEST

/* Where walks do not write guest tables (ref, EPT without A/D): exactly ref's log. */
START_TEST(dirty_logs_must_match_bit_for_bit)
{
	uint64_t log1[2] = { 0x5, 0x1 }, log2[2] = { 0x5, 0x1 };
	struct step_result a = { .outcome = OUTCOME_OK, .dirty = log1, .dirty_pages = 65 };
	struct step_result b = { .outcome = OUTCOME_OK, .dirty = log2, .dirty_pages = 65 };
	const char *noad = walks_on(SPTE_LAYOUT_EPT, false);

	ck_assert(step_results_agree(&dirty_scn, &get, &a, &b, noad));
	log2[1] = 0;
	ck_assert(!step_results_agree(&dirty_scn, &get, &a, &b, noad));
	log2[1] = 1;
	log2[0] = 0x7; /* page 1, the root's: still a difference without A/D */
	ck_assert(!step_results_agree(&dirty_scn, &get, &a, &b, noad));
	log2[0] = 0x5;
	b.dirty_pages = 64;
	ck_assert(!step_results_agree(&dirty_scn, &get, &a, &b, noad));
	b.dirty = NULL;
	ck_assert(!step_results_agree(&dirty_scn, &get, &a, &b, noad));
}
END_TEST

static struct step_result dirty_result(uint64_t *log)
{
	return (struct step_result){ .outcome = OUTCOME_OK, .dirty = log, .dirty_pages = 64 };
}

/* ref logged page 4 (the guest wrote it); the target also logged the tables, 1-3. */
START_TEST(npt_and_ept_ad_may_add_guest_table_pages)
{
	uint64_t strict = 1u << 4, log = 0xf << 1;
	struct step_result a = dirty_result(&strict), b = dirty_result(&log);

	ck_assert(step_results_agree(&dirty_scn, &get, &a, &b, walks_on(SPTE_LAYOUT_NPT, false)));
	ck_assert(step_results_agree(&dirty_scn, &get, &a, &b, walks_on(SPTE_LAYOUT_EPT, true)));
	ck_assert(!step_results_agree(&dirty_scn, &get, &a, &b, walks_on(SPTE_LAYOUT_EPT, false)));
	ck_assert(!step_results_agree(&dirty_scn, &get, &a, &b, NULL));
}
END_TEST

/* Only pages of T: an extra data page, or a missing page, is a difference on NPT too. */
START_TEST(npt_may_not_add_data_pages_or_drop_any)
{
	const char *npt = walks_on(SPTE_LAYOUT_NPT, false);
	uint64_t strict = 1u << 4, log = (1u << 4) | (1u << 5);
	struct step_result a = dirty_result(&strict), b = dirty_result(&log);

	ck_assert(!step_results_agree(&dirty_scn, &get, &a, &b, npt));
	log = 0x7 << 1; /* the tables, but not page 4 */
	ck_assert(!step_results_agree(&dirty_scn, &get, &a, &b, npt));
	log = 1u << 0;  /* page 0: below the root, not a table */
	strict = 0;
	ck_assert(!step_results_agree(&dirty_scn, &get, &a, &b, npt));
}
END_TEST

/* T is in gpas: which pages of a log it covers depends on where the slot is. */
START_TEST(guest_table_pages_follow_the_slot_base)
{
	const char *npt = walks_on(SPTE_LAYOUT_NPT, false);
	struct scn_step moved = { .kind = STEP_DIRTY_LOG_GET, .u.dirty.slot_base = 0x1000 };
	uint64_t strict = 0, log = 1u << 0; /* gpa 0x1000, the root */
	struct step_result a = dirty_result(&strict), b = dirty_result(&log);

	ck_assert(step_results_agree(&dirty_scn, &moved, &a, &b, npt));
	log = 1u << 3; /* gpa 0x4000, past the pool */
	ck_assert(!step_results_agree(&dirty_scn, &moved, &a, &b, npt));
}
END_TEST

static Suite *compare_suite(void)
{
	Suite *s = suite_create("compare");
	TCase *tc = tcase_create("agree");

	tcase_add_test(tc, values_outcomes_and_fault_details_are_guest_visible);
	tcase_add_test(tc, diagnostics_are_not_compared);
	tcase_add_test(tc, dirty_logs_must_match_bit_for_bit);
	tcase_add_test(tc, npt_and_ept_ad_may_add_guest_table_pages);
	tcase_add_test(tc, npt_may_not_add_data_pages_or_drop_any);
	tcase_add_test(tc, guest_table_pages_follow_the_slot_base);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(compare_suite)
