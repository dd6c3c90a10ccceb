/*
 * Tests for hw/run.c: how a get-dirty-log's expect= is judged (exactly,
 * except for the guest page-table pages a target's walks may write:
 * hw/dirty_tables.h), and dirty logs told as page lists.
 */
#include <check.h>

#include "hw/run.h"
#include "tests/util/check_main.h"
#include "tests/util/dirty_scenario.h"

static bool met(uint64_t log, const char *walks)
{
	struct step_result res = { .outcome = OUTCOME_OK, .dirty = &log, .dirty_pages = 64 };

	return step_expectation_met(&dirty_scn, &dirty_get_expect4, &res, walks);
}

START_TEST(expect_holds_exactly_where_walks_do_not_write_tables)
{
	ck_assert(met(1u << 4, NULL));
	ck_assert(!met((1u << 4) | (1u << 1), NULL));  /* the root's page */
	ck_assert(!met(0, NULL));
}
END_TEST

START_TEST(expect_allows_table_pages_where_walks_write_them)
{
	ck_assert(met(1u << 4, "npt"));
	ck_assert(met(0xf << 1, "npt"));                /* 1-3 tables, 4 data */
	ck_assert(!met(0x7 << 1, "npt"));               /* tables, but not page 4 */
	ck_assert(!met((1u << 4) | (1u << 5), "npt"));  /* data page 5 */
	ck_assert(!met((1u << 4) | (1u << 0), "npt"));  /* page 0 is below the root */
}
END_TEST

/* Without expect= anything goes; a log that never came is no log. */
START_TEST(no_expectation_or_no_log)
{
	struct scn_step any = dirty_get_expect4;
	struct step_result res = { .outcome = OUTCOME_OK };

	any.expect.kind = EXPECT_NONE;
	ck_assert(step_expectation_met(&dirty_scn, &any, &res, NULL));
	ck_assert(!step_expectation_met(&dirty_scn, &dirty_get_expect4, &res, "npt"));
}
END_TEST

START_TEST(dirty_bitmaps_are_told_as_runs_across_words)
{
	uint64_t log[3] = { (1ULL << 0) | (0x7ULL << 3) | (0x3ULL << 62), 0x3, 1ULL << 63 };
	char buf[64];

	describe_dirty_bitmap(log, 192, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0 3-5 62-65 191");
	describe_dirty_bitmap(log, 64, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0 3-5 62-63");
	log[0] = 0;
	log[1] = ~0ULL;
	describe_dirty_bitmap(log, 130, buf, sizeof(buf));
	ck_assert_str_eq(buf, "64-127");
	describe_dirty_bitmap(NULL, 64, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

static Suite *run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("dirty");

	tcase_add_test(tc, expect_holds_exactly_where_walks_do_not_write_tables);
	tcase_add_test(tc, expect_allows_table_pages_where_walks_write_them);
	tcase_add_test(tc, no_expectation_or_no_log);
	tcase_add_test(tc, dirty_bitmaps_are_told_as_runs_across_words);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(run_suite)
