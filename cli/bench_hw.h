/*
 * cli/bench_hw.h — `mmulab bench --hw kmod`: exit round trips on a real (or
 * emulated) CPU, next to the simulator's figures for the same workload.
 *
 * Two workloads, built in memory as scenarios and run through the
 * executors (hw/exec.h), each access one step:
 *   populate   paging off, a read of every 4K page of a memslot, twice:
 *              the first touch of each page is a TDP fault (EPT violation
 *              / #NPF, fixed by the MMU, then re-entry), the second is not,
 *              so the difference per page is the fault's round trip;
 *   user #PF   4-level paging at CPL 3: reads of an unmapped address (the
 *              #PF intercepted, one exit) and of a mapped one (the access
 *              completes and the guest makes its hypercall, one exit).
 * The same steps run on the simulator (its fault path and software TLB)
 * and on the kmod executor (the CPU's own walks and world switch).
 */
#ifndef MMULAB_CLI_BENCH_HW_H
#define MMULAB_CLI_BENCH_HW_H

#include <stdint.h>

#include "cli/target.h"
#include "hw/exec.h"

/* One pass of one workload on one executor. */
struct hw_pass {
	uint64_t accesses;
	uint64_t ns;             /* wall time of the pass */
	struct exec_costs delta; /* costs of the pass alone (exits, entries, TSC) */
};

struct hw_figures {
	struct hw_pass touch;    /* populate: first touch of every page */
	struct hw_pass retouch;  /* populate: the same reads again */
	struct hw_pass user_pf;  /* CPL-3 reads that take #PF */
	struct hw_pass user_ok;  /* CPL-3 reads that complete */
};

/*
 * Run both workloads for target t on executor t->ex, with a memslot of
 * `bytes` to populate.  0, or nonzero with *err filled (a wrong result is
 * an error too: the figures of a broken run mean nothing).
 */
int bench_hw_measure(const struct target *t, uint64_t bytes, struct hw_figures *f,
		     struct exec_error *err);

/* The figures of targets[i] on sim (sim[i]) and on the hardware (hw[i]), side by side. */
void bench_hw_print(const char *machine, const struct target *targets, unsigned n,
		    const struct hw_figures *sim, const struct hw_figures *hw);

#endif
