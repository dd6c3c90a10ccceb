/*
 * Tests for cli/describe.c: a judged dirty log in words.  Accepted guest
 * page-table pages are shown apart from what the guest wrote; a log
 * outside the rules says what is missing and which extra pages are or
 * are not guest page tables.
 */
#include <check.h>

#include "cli/describe.h"
#include "tests/util/check_main.h"
#include "tests/util/dirty_scenario.h"

static const char *told(uint64_t log, const struct step_result *ref, const char *walks)
{
	static char buf[256];
	struct step_result res = { .outcome = OUTCOME_OK, .dirty = &log, .dirty_pages = 64 };

	describe_result_judged(&dirty_scn, &dirty_get_expect4, &res, ref, walks, buf, sizeof(buf));
	return buf;
}

START_TEST(accepted_table_pages_are_shown_apart)
{
	ck_assert_str_eq(told(0x1e, NULL, "npt"),
			 "dirty 4 (+1-3: guest page tables, written by walks on npt)");
	ck_assert_str_eq(told(0x10, NULL, "npt"), "dirty 4");
}
END_TEST

START_TEST(a_log_outside_the_rules_says_what_is_wrong)
{
	ck_assert_str_eq(told(0x1e, NULL, NULL),
			 "dirty 1-4 (extra 1-3: guest page tables, which walks here do not write)");
	ck_assert_str_eq(told(0x2e, NULL, "npt"),
			 "dirty 1-3 5 (missing 4; extra 1-3: guest page tables, written by walks "
			 "on npt; extra 5: not guest page tables)");
	ck_assert_str_eq(told(0, NULL, "npt"), "dirty none (missing 4)");
}
END_TEST

/* Against ref's log (compare), not against expect=. */
START_TEST(against_refs_log)
{
	uint64_t strict = 0x2;
	struct step_result ref = { .outcome = OUTCOME_OK, .dirty = &strict, .dirty_pages = 64 };

	ck_assert_str_eq(told(0x6, &ref, "ept with A/D"),
			 "dirty 1 (+2: guest page tables, written by walks on ept with A/D)");
	ref.dirty_pages = 65; /* different slots: no page-by-page story */
	ck_assert_str_eq(told(0x6, &ref, "npt"), "dirty 1-2");
}
END_TEST

static Suite *describe_suite(void)
{
	Suite *s = suite_create("describe");
	TCase *tc = tcase_create("dirty");

	tcase_add_test(tc, accepted_table_pages_are_shown_apart);
	tcase_add_test(tc, a_log_outside_the_rules_says_what_is_wrong);
	tcase_add_test(tc, against_refs_log);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(describe_suite)
