/*
 * Tests for hw/compare.c: which differences between two results of a step
 * the guest could see (values, #PF error code and CR2, #GP, dirty logs)
 * and which it could not (the gpa and walk diagnostics).
 */
#include <check.h>

#include "hw/compare.h"
#include "tests/util/check_main.h"

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

	ck_assert(step_results_agree(&a, &b));
	b.value = 6;
	ck_assert(!step_results_agree(&a, &b));
	b = ok_value(5);
	b.has_value = false;
	ck_assert(!step_results_agree(&a, &b));
	ck_assert(!step_results_agree(&a, &pf1));
	ck_assert(step_results_agree(&pf1, &pf2));
	pf2.error_code = 0x5;
	ck_assert(!step_results_agree(&pf1, &pf2));
	pf2 = pf1;
	pf2.cr2 = 0x401000;
	ck_assert(!step_results_agree(&pf1, &pf2));
}
END_TEST

START_TEST(diagnostics_are_not_compared)
{
	struct step_result a = ok_value(5), b = ok_value(5);

	b.gpa = 0x2000;
	b.has_walk = true;
	b.walk.level = 3;
	ck_assert(step_results_agree(&a, &b));
}
END_TEST

START_TEST(dirty_logs_must_match_bit_for_bit)
{
	uint64_t log1[2] = { 0x5, 0x1 }, log2[2] = { 0x5, 0x1 };
	struct step_result a = { .outcome = OUTCOME_OK, .dirty = log1, .dirty_pages = 65 };
	struct step_result b = { .outcome = OUTCOME_OK, .dirty = log2, .dirty_pages = 65 };

	ck_assert(step_results_agree(&a, &b));
	log2[1] = 0;
	ck_assert(!step_results_agree(&a, &b));
	log2[1] = 1;
	b.dirty_pages = 64;
	ck_assert(!step_results_agree(&a, &b));
	b.dirty = NULL;
	ck_assert(!step_results_agree(&a, &b));
}
END_TEST

static Suite *compare_suite(void)
{
	Suite *s = suite_create("compare");
	TCase *tc = tcase_create("agree");

	tcase_add_test(tc, values_outcomes_and_fault_details_are_guest_visible);
	tcase_add_test(tc, diagnostics_are_not_compared);
	tcase_add_test(tc, dirty_logs_must_match_bit_for_bit);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(compare_suite)
