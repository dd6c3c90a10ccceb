/*
 * cli/cost_table.h — what each target cost, side by side: the table of
 * `mmulab compare` and its XML form.
 */
#ifndef MMULAB_CLI_COST_TABLE_H
#define MMULAB_CLI_COST_TABLE_H

#include <stdbool.h>

#include "cli/target.h"
#include "hw/run.h"

void print_cost_table(const struct scenario *s, const struct target *targets,
		      const struct run_report *reports, unsigned n);
/* identical: every result agreed and every expectation held. */
void print_cost_xml(const struct scenario *s, const struct target *targets,
		    const struct run_report *reports, unsigned n, bool identical);

#endif
