/*
 * hw/compare.c — guest-visible equality of step results.
 *
 * Deliberately not compared: res->gpa and res->walk (diagnostics of how
 * the answer was reached; sim and kmod do not report walks).
 */
#include <string.h>

#include "hw/compare.h"

static bool dirty_logs_agree(const struct step_result *a, const struct step_result *b)
{
	if (!a->dirty || !b->dirty)
		return !a->dirty && !b->dirty;
	return a->dirty_pages == b->dirty_pages &&
	       !memcmp(a->dirty, b->dirty, (a->dirty_pages + 63) / 64 * sizeof(uint64_t));
}

bool step_results_agree(const struct step_result *a, const struct step_result *b)
{
	if (a->outcome != b->outcome || a->has_value != b->has_value)
		return false;
	if (a->has_value && a->value != b->value)
		return false;
	if (a->outcome == OUTCOME_PF && (a->error_code != b->error_code || a->cr2 != b->cr2))
		return false;
	return dirty_logs_agree(a, b);
}
