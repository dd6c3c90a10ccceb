/*
 * hw/ref/ref.c — the ref executor: the architectural answer.
 *
 * No virtualization at all: each access is translated by core/x86's guest
 * walker over guest memory (which sets A/D bits, logging the table pages
 * it changes), then the value is read or written at the guest-physical
 * address (memory or the MMIO device).  Every other step is vm_step's.
 * Every backend is compared with it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/errors.h"
#include "core/vm/setup.h"
#include "core/x86/bits.h"
#include "hw/exec.h"
#include "hw/vm_steps.h"

static int ref_open(const struct scenario *s, const struct exec_config *cfg, void **state,
		    struct exec_error *err)
{
	struct vm_setup_error serr;
	struct vm *vm;
	int ret = vm_setup(s, &vm, &serr);

	(void)cfg; /* no MMU: nothing to configure */
	if (ret) {
		err->line = serr.line;
		snprintf(err->what, sizeof(err->what), "%s", serr.what);
		return ret;
	}
	*state = vm;
	return 0;
}

static void ref_close(void *state)
{
	vm_destroy(state);
}

/*
 * Where a translated access lands: the MMIO device for a gpa in an <mmio>
 * range, else guest memory, where a write is the guest's (logged dirty,
 * dropped in a read-only memslot).
 */
static int ref_data(struct vm *vm, const struct scn_step *st, struct step_result *res)
{
	unsigned size = st->u.access.size;

	if (vm_gpa_is_mmio(vm, res->gpa)) {
		if (st->u.access.kind == ACCESS_WRITE)
			return vm_mmio_write(vm, res->gpa, size, st->u.access.value);
		res->has_value = true;
		return vm_mmio_read(vm, res->gpa, size, &res->value);
	}
	if (st->u.access.kind == ACCESS_WRITE)
		return vm_guest_write(vm, res->gpa, size, st->u.access.value);
	res->has_value = true;
	return vm_read_value(vm, res->gpa, size, &res->value);
}

/* Translate, then read or write the data at the resulting gpa. */
static int ref_access(struct vm *vm, const struct scn_step *st, struct step_result *res,
		      struct exec_error *err)
{
	struct vcpu *vcpu = vm_vcpu(vm, st->vcpu);
	struct walk_access acc;
	int ret;

	*res = (struct step_result){ .outcome = OUTCOME_DONE };
	if (!vcpu)
		return vm_step_error(err, st->line, MMU_ENOVCPU, "access on vcpu %u", st->vcpu);
	acc.gva = st->u.access.gva;
	acc.kind = st->u.access.kind;
	acc.cpl = st->u.access.cpl >= 0 ? (uint8_t)st->u.access.cpl : vcpu->cpl;
	acc.eflags_ac = st->u.access.eflags_ac >= 0 ? st->u.access.eflags_ac : vcpu->eflags_ac;
	acc.implicit = st->u.access.implicit > 0;
	ret = walk_guest(&vcpu->walk, &vm->mem, &acc, &res->walk);
	if (ret)
		return vm_step_error(err, st->line, ret, "walking the guest page tables for va 0x%llx",
				     (unsigned long long)acc.gva);
	res->has_walk = true;
	switch (res->walk.outcome) {
	case WALK_PF:
		res->outcome = OUTCOME_PF;
		res->error_code = res->walk.error_code;
		res->cr2 = acc.gva;
		return 0;
	case WALK_GP:
		res->outcome = OUTCOME_GP;
		return 0;
	case WALK_OK:
		break;
	}
	res->outcome = OUTCOME_OK;
	res->gpa = res->walk.gpa;
	ret = ref_data(vm, st, res);
	if (ret)
		return vm_step_error(err, st->line, ret, "va 0x%llx translates to gpa 0x%llx",
				     (unsigned long long)acc.gva, (unsigned long long)res->gpa);
	return 0;
}

static int ref_step(void *state, const struct scn_step *st, struct step_result *res,
		    struct exec_error *err)
{
	if (st->kind == STEP_ACCESS)
		return ref_access(state, st, res, err);
	/* Everything else, including INVLPG (no TLB here: the walker reads guest memory). */
	return vm_step(state, st, res, err);
}

/*
 * A threads group runs one step after the other: a scenario's threads may
 * not depend on their interleaving (docs/scenario-format.md), so any order
 * gives the architectural answer, and this one is reproducible.
 */
static int ref_run_threads(void *state, const struct scn_step *steps, unsigned n,
			   struct step_result *res, struct exec_error *err)
{
	unsigned i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = ref_step(state, &steps[i], &res[i], err);
		if (ret)
			return ret;
	}
	return 0;
}

const struct executor_ops ref_executor = {
	.name = "ref",
	.description = "no virtualization: the architectural answer (core/x86 walker)",
	.open = ref_open,
	.step = ref_step,
	.run_threads = ref_run_threads,
	.close = ref_close,
};
