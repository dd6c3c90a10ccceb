/*
 * cli/bench.h — the measurements behind `mmulab bench`.
 *
 * Each one builds a fresh VM with one memslot at gpa 0 and an MMU from the
 * target, drives the MMU's fault entry directly (as an executor does on an
 * EPT violation / #NPF, without a CPU model in the way), and reports
 * figures.  Guest data pages are allocated before the timed part and
 * reported separately: they are the host's cost, not the MMU's.
 */
#ifndef MMULAB_CLI_BENCH_H
#define MMULAB_CLI_BENCH_H

#include <stdint.h>

#include "cli/target.h"

struct populate_result {
	uint64_t faults;            /* faults taken (one per leaf mapped) */
	uint64_t median_ns;         /* median over batches of the mean ns per fault */
	uint64_t total_ns;          /* all faults */
	uint64_t alloc_ns_per_page; /* guest data page allocation, untimed part */
	uint64_t mapped_4k;         /* guest memory mapped, in 4K pages */
	uint64_t mmu_bytes;         /* MMU metadata allocated at the end */
	int failed;                 /* MMU_E* if something failed, else 0 */
};

/* Populate `bytes` of guest memory backed by `backing`-level host pages. */
struct populate_result bench_populate(const struct target *t, uint64_t bytes, int backing);

/* Populate `bytes` at 4K with `threads` vCPU threads on disjoint parts: best wall ns of several runs. */
uint64_t bench_populate_threads(const struct target *t, uint64_t bytes, unsigned threads,
				int *failed);

struct dirty_result {
	uint64_t enable_ns;  /* starting dirty logging on a 2M-mapped slot */
	uint64_t dirty_ns;   /* then the first write to every 4K page */
	uint64_t splits;     /* huge pages split in all */
	int failed;
};

/* Dirty logging on `bytes` mapped with 2M pages, with or without eager splitting. */
struct dirty_result bench_dirty_log(const struct target *t, uint64_t bytes, bool eager);

/* Zap every SPTE of a 4K-populated slot of `bytes` (tables freed, one flush): ns. */
uint64_t bench_zap(const struct target *t, uint64_t bytes, int *failed);

#endif
