/*
 * hw/run.h — run a scenario on one executor and judge its expectations.
 */
#ifndef MMULAB_HW_RUN_H
#define MMULAB_HW_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/exec.h"

struct run_report {
	const struct scenario *s;        /* what ran */
	const struct executor_ops *ex;   /* where it ran */
	struct step_result *results;     /* one per step; [0, nr_run) are valid */
	bool *mismatch;                  /* per step: an expectation did not hold */
	unsigned nr_run;                 /* steps that ran to completion */
	unsigned nr_checked;             /* steps that carried an expectation */
	unsigned nr_mismatches;
	bool failed;                     /* an executor error stopped the run; see error */
	struct exec_error error;
	uint64_t elapsed_ns;             /* wall time of open + steps + close */
};

/*
 * Run every step.  Returns 0 when the run completed (whatever its
 * mismatches), nonzero when it stopped on an executor error (report->failed).
 * Free the report with run_report_free in both cases.
 */
int run_scenario(const struct executor_ops *ex, const struct exec_config *cfg,
		 const struct scenario *s, struct run_report *report);
void run_report_free(struct run_report *report);

/* Does the step carry an expectation (check-gpa always does)? */
bool step_has_expectation(const struct scn_step *st);
/* Did `res` meet the step's expectation?  True when there is none. */
bool step_expectation_met(const struct scn_step *st, const struct step_result *res);

#endif
