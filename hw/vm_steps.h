/*
 * hw/vm_steps.h — the steps every executor runs the same way, on the
 * struct vm: everything but accesses and STEP_THREADS groups.
 *
 * write-gpa, check-gpa, register loads, INVLPG's bookkeeping (the vCPU
 * exists; with an MMU, mmu_invlpg — an executor with a TLB flushes its own
 * TLB first), memslot changes, dirty-log get and clear, host changes and
 * host aging.  ref and sim both call vm_step, so no executor has its own
 * copy of what these steps mean.
 */
#ifndef MMULAB_HW_VM_STEPS_H
#define MMULAB_HW_VM_STEPS_H

#include "core/vm/vm.h"
#include "hw/exec.h"

/*
 * Run `st` (any kind but STEP_ACCESS and STEP_THREADS) on vm.  0 with *res
 * filled (for STEP_DIRTY_LOG_GET res->dirty is allocated and owned by the
 * result), or a negative MMU_E* code with *err saying what failed, at the
 * step's line.
 */
int vm_step(struct vm *vm, const struct scn_step *st, struct step_result *res,
	    struct exec_error *err);

/* Fill *err: `what` at `line`, with the code in words.  Returns code (MMU_EINVAL if 0). */
int vm_step_error(struct exec_error *err, int line, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
