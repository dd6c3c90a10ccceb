/*
 * Tests for hw/dirty_tables.c: which targets' walks write guest page
 * tables (APM 15.25.5: NPT always; SDM 29.3.5: EPT with A/D), which pages
 * are T (the roots' pages and pools of a scenario's <page-tables>), and a
 * dirty log split page by page against the strict one.
 */
#include <check.h>

#include "hw/backends.h"
#include "hw/dirty_tables.h"
#include "tests/util/check_main.h"

START_TEST(walks_write_tables_on_npt_and_ept_with_ad_only)
{
	struct exec_config ref = { 0 };
	struct exec_config t = { .backend = mmu_backends[0] };

	ck_assert_ptr_null(exec_walks_write_tables(&ref));
	t.mmu.layout = SPTE_LAYOUT_EPT;
	t.mmu.ept_ad = false;
	ck_assert_ptr_null(exec_walks_write_tables(&t));
	t.mmu.ept_ad = true;
	ck_assert_str_eq(exec_walks_write_tables(&t), "ept with A/D");
	/* NPT has no A/D switch: its walks are user-mode writes regardless. */
	t.mmu.layout = SPTE_LAYOUT_NPT;
	t.mmu.ept_ad = false;
	ck_assert_str_eq(exec_walks_write_tables(&t), "npt");
}
END_TEST

/* Two sets of tables: a PAE root (a 32-byte PDPT) with no pool, and a 4-level one. */
static struct scn_page_tables two[] = {
	{ .root = 0x5020 },
	{ .root = 0x10000, .pool_start = 0x20000, .pool_end = 0x22000 },
};
static const struct scenario scn = { .page_tables = two, .nr_page_tables = 2 };

START_TEST(t_is_every_root_page_and_pool_page)
{
	ck_assert(scenario_holds_tables(&scn, 0x5000));   /* the PAE root's page, whole */
	ck_assert(scenario_holds_tables(&scn, 0x5ff8));
	ck_assert(!scenario_holds_tables(&scn, 0x6000));
	ck_assert(scenario_holds_tables(&scn, 0x10000));
	ck_assert(!scenario_holds_tables(&scn, 0x11000)); /* between root and pool */
	ck_assert(scenario_holds_tables(&scn, 0x20000));
	ck_assert(scenario_holds_tables(&scn, 0x21fff));
	ck_assert(!scenario_holds_tables(&scn, 0x22000)); /* the pool's end is past it */
	ck_assert(!scenario_holds_tables(&scn, 0x1f000));
}
END_TEST

/*
 * A 130-page slot at gpa 0x1f000: page 1 is 0x20000 and page 2 0x21000,
 * the pool.  The guest wrote pages 3, 64 and 129 (expect=); the log has
 * 1, 2 (tables), 3, 64, 70 (data) and lacks 129.
 */
static uint64_t expect_pages[] = { 3, 64, 129 };
static const struct scn_step get = {
	.kind = STEP_DIRTY_LOG_GET,
	.u.dirty = { .pages = expect_pages, .nr_pages = 3, .slot_base = 0x1f000 },
	.expect = { .kind = EXPECT_OK },
};
static uint64_t log_bits[3] = { 0xe, (1u << 0) | (1u << 6), 0 };

static struct dirty_diff diff(void)
{
	return (struct dirty_diff){ .s = &scn, .st = &get, .log = log_bits, .npages = 130 };
}

START_TEST(a_log_splits_into_strict_missing_tables_and_other)
{
	struct dirty_diff d = diff();

	ck_assert_uint_eq(dirty_diff_word(&d, 0, DIRTY_LOGGED), 0xe);
	ck_assert_uint_eq(dirty_diff_word(&d, 0, DIRTY_STRICT), 1u << 3);
	ck_assert_uint_eq(dirty_diff_word(&d, 0, DIRTY_TABLES), 0x6);
	ck_assert_uint_eq(dirty_diff_word(&d, 0, DIRTY_OTHER), 0);
	ck_assert_uint_eq(dirty_diff_word(&d, 1, DIRTY_STRICT), 1u << 0);
	ck_assert_uint_eq(dirty_diff_word(&d, 1, DIRTY_OTHER), 1u << 6);
	ck_assert_uint_eq(dirty_diff_word(&d, 2, DIRTY_MISSING), 1u << 1);
	ck_assert(!dirty_diff_allowed(&d, "npt"));
	log_bits[1] = 1u << 0;
	log_bits[2] = 1u << 1;
	ck_assert(dirty_diff_allowed(&d, "npt"));
	ck_assert(!dirty_diff_allowed(&d, NULL));
	log_bits[0] = 1u << 3;
	ck_assert(dirty_diff_allowed(&d, NULL));
}
END_TEST

/* Bits past the slot's last page are not pages: never dirty, never missing. */
START_TEST(bits_past_the_last_page_are_ignored)
{
	struct dirty_diff d = diff();

	log_bits[2] = ~0ULL;
	ck_assert_uint_eq(dirty_diff_word(&d, 2, DIRTY_LOGGED), 0x3);
	ck_assert_uint_eq(dirty_diff_word(&d, 2, DIRTY_OTHER), 0x1);
}
END_TEST

START_TEST(each_kind_is_described_as_page_runs)
{
	struct dirty_diff d = diff();
	char buf[64];

	describe_dirty_kind(&d, DIRTY_LOGGED, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1-3 64 70");
	describe_dirty_kind(&d, DIRTY_TABLES, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1-2");
	describe_dirty_kind(&d, DIRTY_MISSING, buf, sizeof(buf));
	ck_assert_str_eq(buf, "129");
	describe_dirty_kind(&d, DIRTY_OTHER, buf, sizeof(buf));
	ck_assert_str_eq(buf, "70");
}
END_TEST

static Suite *dirty_tables_suite(void)
{
	Suite *s = suite_create("dirty_tables");
	TCase *tc = tcase_create("tables");

	tcase_add_test(tc, walks_write_tables_on_npt_and_ept_with_ad_only);
	tcase_add_test(tc, t_is_every_root_page_and_pool_page);
	tcase_add_test(tc, a_log_splits_into_strict_missing_tables_and_other);
	tcase_add_test(tc, bits_past_the_last_page_are_ignored);
	tcase_add_test(tc, each_kind_is_described_as_page_runs);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(dirty_tables_suite)
