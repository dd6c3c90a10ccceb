/*
 * hw/exec.h — executors: what runs a scenario's steps.
 *
 * ref answers architecturally (no virtualization: core/x86's walker over
 * guest memory).  Later executors (sim: a software CPU running a backend's
 * tables; kmod: real SVM/VMX) implement the same table, and the runner
 * (run.h) compares their guest-visible results.
 */
#ifndef MMULAB_HW_EXEC_H
#define MMULAB_HW_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mmu/mmu.h"
#include "core/vm/scenario.h"
#include "core/x86/walk.h"

/* What one step produced.  Everything but `walk` is guest-visible. */
enum step_outcome {
	OUTCOME_DONE,  /* a step with nothing to report (write-gpa, invlpg, a register load) */
	OUTCOME_OK,    /* an access or check-gpa that completed; value valid */
	OUTCOME_PF,    /* #PF delivered: error_code and cr2 valid */
	OUTCOME_GP,    /* #GP delivered */
};

struct step_result {
	enum step_outcome outcome;
	bool has_value;           /* value is meaningful (reads, fetches, check-gpa) */
	uint64_t value;
	uint32_t error_code;      /* OUTCOME_PF */
	uint64_t cr2;             /* OUTCOME_PF */
	uint64_t gpa;             /* OUTCOME_OK accesses: where it went (diagnostic) */
	/*
	 * DIRTY_LOG_GET: the log, one bit per page of the slot, owned by the
	 * result (run_report_free frees it); NULL otherwise.
	 */
	uint64_t *dirty;
	uint64_t dirty_pages;     /* bits in dirty */
	bool has_walk;            /* walk holds the translation's walk (ref only) */
	struct walk_result walk;  /* for --trace */
};

/*
 * A run-time failure that is not a guest-visible result: said with context.
 * Two kinds stop a run.  An error: the executor cannot do this, or
 * something went wrong (mmulab's limitation or bug).  A skip: the CPU the
 * executor runs on cannot run this step at all (kmod: an EPT VM on an AMD
 * CPU, a 5-level guest without LA57), so no result is owed; `what` says
 * which feature it lacks.
 */
struct exec_error {
	int line;         /* scenario line it concerns, 0 if none */
	bool skipped;     /* a skip, not an error: this CPU cannot run it */
	char what[240];   /* what went wrong (or what the CPU lacks), in words */
};

/* How to run: which MMU backend and with what settings (ignored by ref). */
struct exec_config {
	const struct mmu_backend_ops *backend;  /* NULL: none (ref) */
	struct mmu_config mmu;                  /* maxphyaddr and gbpages come from the scenario */
};

/* Exits from the guest to the hypervisor, by kind (costs, not results). */
#define EXEC_EXITS(X)                                                       \
	X(TDP_VIOLATION, "tdp_violation", "EPT violations / #NPF on a missing or lacking SPTE") \
	X(TDP_MISCONFIG, "tdp_misconfig", "EPT misconfigurations / #NPF with RSVD (MMIO SPTEs)") \
	X(MMIO, "mmio", "accesses emulated on a device")

enum exec_exit {
#define EXEC_EXIT_ENUM(e, name, what) EXEC_EXIT_##e,
	EXEC_EXITS(EXEC_EXIT_ENUM)
#undef EXEC_EXIT_ENUM
	EXEC_NR_EXITS
};

/* What a run cost.  Filled by executors that have an MMU (or a CPU model). */
struct exec_costs {
	bool has_mmu;                 /* mmu is meaningful */
	struct mmu_stats mmu;         /* the MMU's counters */
	uint64_t exits[EXEC_NR_EXITS];
	uint64_t walk_refs;           /* memory references made by hardware page walks */
	uint64_t tlb_hits;
	uint64_t tlb_misses;
	uint64_t tlb_flushes;         /* TLB flushes the CPU performed (all kinds) */
	/* Executors on a real (or emulated) CPU (kmod); 0 elsewhere. */
	uint64_t vm_entries;          /* VM entries, each ending in one exit */
	uint64_t tsc_guest;           /* host TSC ticks from the entries to their exits */
	uint64_t tsc_exits;           /* host TSC ticks handling exits before re-entering */
	uint64_t tsc_khz;             /* the TSC's frequency, 0 if unknown */
};

struct executor_ops {
	const char *name;         /* as given to --hw */
	const char *description;  /* one line for --help */
	bool needs_backend;       /* runs an MMU backend (sim, kmod) */
	/* Build the VM.  0, or nonzero with *err filled. */
	int (*open)(const struct scenario *s, const struct exec_config *cfg, void **state,
		    struct exec_error *err);
	/* Run one step (never STEP_THREADS).  0 with *res filled, or nonzero with *err filled. */
	int (*step)(void *state, const struct scn_step *step, struct step_result *res,
		    struct exec_error *err);
	/*
	 * Run the n steps of a STEP_THREADS group, each on its vCPU, the vCPUs
	 * concurrently where the executor can.  res[i] is steps[i]'s result.
	 */
	int (*run_threads)(void *state, const struct scn_step *steps, unsigned n,
			   struct step_result *res, struct exec_error *err);
	/* Optional: what the run cost so far. */
	void (*costs)(void *state, struct exec_costs *out);
	/*
	 * Optional: copy up to max of the MMU's trace events (cfg.mmu.trace),
	 * oldest first; returns how many.
	 */
	unsigned (*trace)(void *state, struct mmu_trace_event *out, unsigned max);
	void (*close)(void *state);
};

const char *exec_exit_name(enum exec_exit e);

extern const struct executor_ops ref_executor;
extern const struct executor_ops sim_executor;
extern const struct executor_ops kmod_executor;  /* hw/kmod_exec.c: /dev/mmulab */

/* The executor called `name`, or NULL. */
const struct executor_ops *executor_by_name(const char *name);
/* All executors, NULL-terminated, for --help. */
extern const struct executor_ops *const executors[];

#endif
