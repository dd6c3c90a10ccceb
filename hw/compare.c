/*
 * hw/compare.c — guest-visible equality of step results.
 *
 * Deliberately not compared: res->gpa and res->walk (diagnostics of how
 * the answer was reached; sim and kmod do not report walks).
 */
#include "hw/compare.h"
#include "hw/dirty_tables.h"

/* Is the target's log ref's, give or take what its walks may add (dirty_tables.h)? */
static bool dirty_logs_agree(const struct scenario *s, const struct scn_step *st,
			     const struct step_result *ref, const struct step_result *r,
			     const char *walks)
{
	struct dirty_diff d = {
		.s = s, .st = st, .log = r->dirty, .strict = ref->dirty, .npages = r->dirty_pages,
	};

	if (!ref->dirty || !r->dirty)
		return !ref->dirty && !r->dirty;
	return ref->dirty_pages == r->dirty_pages && dirty_diff_allowed(&d, walks);
}

bool step_results_agree(const struct scenario *s, const struct scn_step *st,
			const struct step_result *ref, const struct step_result *r,
			const char *walks)
{
	if (ref->outcome != r->outcome || ref->has_value != r->has_value)
		return false;
	if (ref->has_value && ref->value != r->value)
		return false;
	if (ref->outcome == OUTCOME_PF &&
	    (ref->error_code != r->error_code || ref->cr2 != r->cr2))
		return false;
	return dirty_logs_agree(s, st, ref, r, walks);
}
