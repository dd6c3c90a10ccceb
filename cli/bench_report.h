/*
 * cli/bench_report.h — one run of `mmulab bench`: its figures per target,
 * and how they are printed (text table or XML), with the targets the
 * project holds itself to.
 */
#ifndef MMULAB_CLI_BENCH_REPORT_H
#define MMULAB_CLI_BENCH_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/bench.h"

#define BENCH_MAX_THREADS 8
#define BENCH_MAX_TARGETS 8

/* The project's targets (issue 3), printed next to the figures. */
#define TARGET_FAULT_NS 150          /* median ns per 4K fault, at most */
#define TARGET_BYTES_PER_PAGE_X100 825 /* MMU bytes per mapped 4K page, at most 8.25 */
#define TARGET_SPEEDUP_X100 170      /* 2 threads vs 1 on faults, at least 1.7x */

struct bench_figures {
	struct populate_result pop4k;   /* populate at 4K */
	struct populate_result pop2m;   /* populate at 2M */
	uint64_t threads_ns[BENCH_MAX_THREADS + 1]; /* [n]: wall ns with n threads */
	struct dirty_result dirty_lazy; /* logging without eager splitting */
	struct dirty_result dirty_eager;
	uint64_t zap_ns;                /* memslot delete of a 4K-populated slot */
};

struct bench_run {
	uint64_t bytes;                 /* guest memory per measurement */
	unsigned max_threads;           /* scaling measured for 1..max_threads */
	bool xml;                       /* print XML instead of text */
	char machine[256];              /* CPU model, count, kernel */
	uint64_t start_ns;              /* for the progress lines */
	struct target targets[BENCH_MAX_TARGETS];
	unsigned nr_targets;
	struct bench_figures fig[BENCH_MAX_TARGETS];
};

/* "bench [tdp-ept] populate at 4K ... (1.2 s)" on stderr, so stdout stays the report. */
void bench_progress(struct bench_run *run, const char *target, const char *stage);
void bench_print_text(const struct bench_run *run);
void bench_print_xml(const struct bench_run *run);

#endif
