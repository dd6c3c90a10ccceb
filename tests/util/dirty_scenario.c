#include "tests/util/dirty_scenario.h"

static struct scn_page_tables tables = { .root = 0x1000, .pool_start = 0x2000,
					 .pool_end = 0x4000 };
static uint64_t page4[] = { 4 };

const struct scenario dirty_scn = { .page_tables = &tables, .nr_page_tables = 1 };

const struct scn_step dirty_get_expect4 = {
	.kind = STEP_DIRTY_LOG_GET, .u.dirty = { .pages = page4, .nr_pages = 1 },
	.expect = { .kind = EXPECT_OK },
};
