/*
 * hw/compare.h — do two runs of one scenario agree on what the guest sees?
 *
 * Rule 4 of the design: for a scenario, every guest-visible result (values
 * read, #PF with its error code and CR2, #GP, the dirty log) is the same on
 * ref, on every backend under sim, and on kmod.  Costs may differ.  The one
 * latitude is the architecture's own: on a second stage that sees the
 * CPU's guest-table accesses as writes (NPT, EPT with A/D), a dirty log may
 * add pages holding the guest's page tables (hw/dirty_tables.h).
 */
#ifndef MMULAB_HW_COMPARE_H
#define MMULAB_HW_COMPARE_H

#include <stdbool.h>

#include "hw/exec.h"

/*
 * Do ref's result and a target's result r of step st of scenario s agree
 * on everything guest-visible?  `walks` is the target's
 * exec_walks_write_tables: when NULL its dirty logs must be ref's exactly.
 */
bool step_results_agree(const struct scenario *s, const struct scn_step *st,
			const struct step_result *ref, const struct step_result *r,
			const char *walks);

#endif
