/*
 * hw/compare.h — do two runs of one scenario agree on what the guest sees?
 *
 * Rule 4 of the design: for a scenario, every guest-visible result (values
 * read, #PF with its error code and CR2, #GP, the dirty log) is the same on
 * ref, on every backend under sim, and on kmod.  Costs may differ.
 */
#ifndef MMULAB_HW_COMPARE_H
#define MMULAB_HW_COMPARE_H

#include <stdbool.h>

#include "hw/exec.h"

/* Do a and b, two results of one step, agree on everything guest-visible? */
bool step_results_agree(const struct step_result *a, const struct step_result *b);

#endif
