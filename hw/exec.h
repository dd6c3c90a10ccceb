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
	bool has_walk;            /* walk holds the translation's walk (ref only) */
	struct walk_result walk;  /* for --trace */
};

/* A run-time failure that is not a guest-visible result: said with context. */
struct exec_error {
	int line;         /* scenario line it concerns, 0 if none */
	char what[240];   /* what went wrong, in words */
};

struct executor_ops {
	const char *name;         /* as given to --hw */
	const char *description;  /* one line for --help */
	/* Build the VM.  0, or nonzero with *err filled. */
	int (*open)(const struct scenario *s, void **state, struct exec_error *err);
	/* Run one step.  0 with *res filled, or nonzero with *err filled. */
	int (*step)(void *state, const struct scn_step *step, struct step_result *res,
		    struct exec_error *err);
	void (*close)(void *state);
};

extern const struct executor_ops ref_executor;

/* The executor called `name`, or NULL. */
const struct executor_ops *executor_by_name(const char *name);
/* All executors, NULL-terminated, for --help. */
extern const struct executor_ops *const executors[];

#endif
