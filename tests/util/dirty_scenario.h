/*
 * tests/util/dirty_scenario.h — a scenario for judging dirty logs that may
 * hold guest page-table pages (hw/dirty_tables.h).  Its page tables are
 * the root at gpa 0x1000 and the pool 0x2000-0x3fff, so in a slot at gpa
 * 0 pages 1-3 are T and page 0 and pages 4 and up hold data.
 */
#ifndef MMULAB_TESTS_DIRTY_SCENARIO_H
#define MMULAB_TESTS_DIRTY_SCENARIO_H

#include "core/vm/scenario.h"

extern const struct scenario dirty_scn;
/* <get-dirty-log expect="4"/> on a slot at gpa 0: the guest wrote page 4. */
extern const struct scn_step dirty_get_expect4;

#endif
