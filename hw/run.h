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
	/*
	 * The target's walks write guest page tables ("npt", "ept with A/D";
	 * exec_walks_write_tables), so its dirty logs may add pages of T; NULL
	 * when they must be exact.
	 */
	const char *walks;
	struct exec_costs costs;         /* what the run cost (ex->costs before close); zero if none */
	struct mmu_trace_event *trace;   /* the MMU's trace events when cfg.mmu.trace, else NULL */
	unsigned nr_trace;               /* events in trace */
	uint64_t elapsed_ns;             /* wall time of open + steps + close */
};

/*
 * Run every step; a STEP_THREADS group goes to ex->run_threads as one call
 * (its header and each of its steps count as run).  Returns 0 when the run completed (whatever its
 * mismatches), nonzero when it stopped on an executor error (report->failed).
 * Free the report with run_report_free in both cases.
 */
int run_scenario(const struct executor_ops *ex, const struct exec_config *cfg,
		 const struct scenario *s, struct run_report *report);
void run_report_free(struct run_report *report);

/* Does the step carry an expectation (check-gpa always does)? */
bool step_has_expectation(const struct scn_step *st);
/*
 * Did `res` meet the expectation of step st of scenario s?  True when
 * there is none.  A get-dirty-log with expect= must report the pages
 * listed, and may add guest page-table pages of s only when `walks` (a
 * run_report's) says the target's walks write them (hw/dirty_tables.h).
 */
bool step_expectation_met(const struct scenario *s, const struct scn_step *st,
			  const struct step_result *res, const char *walks);

/*
 * The pages of a dirty bitmap as a compact list, "0 3-5 7" ("" when none),
 * truncated with "..." to fit `size`.
 */
void describe_dirty_bitmap(const uint64_t *bitmap, uint64_t npages, char *buf, size_t size);
/* The same for pages whose bits word(ctx, w) gives, 64 pages per word w. */
void describe_page_bits(uint64_t (*word)(const void *ctx, uint64_t w), const void *ctx,
			uint64_t npages, char *buf, size_t size);
/* The same for a sorted page list (a get-dirty-log's expect=). */
void describe_page_list(const uint64_t *pages, unsigned n, char *buf, size_t size);

#endif
