/*
 * hw/ref/ref.c — the ref executor: the architectural answer.
 *
 * No virtualization at all: each access is translated by core/x86's guest
 * walker over guest memory (which sets A/D bits), then the value is read or
 * written at the guest-physical address.  Every backend is compared with it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/errors.h"
#include "core/vm/setup.h"
#include "core/x86/bits.h"
#include "hw/exec.h"

static int error_at(struct exec_error *err, int line, const char *what, int code)
{
	err->line = line;
	snprintf(err->what, sizeof(err->what), "%s: %s", what, mmu_strerror(code));
	return code ? code : MMU_EINVAL;
}

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

/* Translate, then read or write the data at the resulting gpa. */
static int ref_access(struct vm *vm, const struct scn_step *st, struct step_result *res,
		      struct exec_error *err)
{
	struct vcpu *vcpu = vm_vcpu(vm, st->vcpu);
	struct walk_access acc;
	char what[120];
	int ret;

	if (!vcpu)
		return error_at(err, st->line, "access on a vCPU that does not exist", MMU_ENOVCPU);
	acc.gva = st->u.access.gva;
	acc.kind = st->u.access.kind;
	acc.cpl = st->u.access.cpl >= 0 ? (uint8_t)st->u.access.cpl : vcpu->cpl;
	acc.eflags_ac = st->u.access.eflags_ac >= 0 ? st->u.access.eflags_ac : vcpu->eflags_ac;
	acc.implicit = st->u.access.implicit > 0;
	ret = walk_guest(&vcpu->walk, &vm->mem, &acc, &res->walk);
	if (ret) {
		snprintf(what, sizeof(what), "walking the guest page tables for va 0x%llx",
			 (unsigned long long)acc.gva);
		return error_at(err, st->line, what, ret);
	}
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
	if (acc.kind == ACCESS_WRITE) {
		/* A guest write to a read-only memslot is dropped, as to ROM. */
		if (!vm_gpa_guest_writable(vm, res->gpa, st->u.access.size) &&
		    vm_find_memslot(vm, res->gpa >> PAGE_SHIFT))
			return 0;
		ret = vm_write_value(vm, res->gpa, st->u.access.size, st->u.access.value);
	} else {
		res->has_value = true;
		ret = vm_read_value(vm, res->gpa, st->u.access.size, &res->value);
	}
	if (ret) {
		snprintf(what, sizeof(what), "va 0x%llx translates to gpa 0x%llx",
			 (unsigned long long)acc.gva, (unsigned long long)res->gpa);
		return error_at(err, st->line, what, ret);
	}
	return 0;
}

static int ref_step(void *state, const struct scn_step *st, struct step_result *res,
		    struct exec_error *err)
{
	struct vm *vm = state;
	struct vcpu *vcpu;
	bool gp;
	int ret;

	*res = (struct step_result){ .outcome = OUTCOME_DONE };
	switch (st->kind) {
	case STEP_ACCESS:
		return ref_access(vm, st, res, err);
	case STEP_WRITE_GPA:
		ret = vm_write_value(vm, st->u.mem.gpa, st->u.mem.size, st->u.mem.value);
		return ret ? error_at(err, st->line, "write-gpa", ret) : 0;
	case STEP_CHECK_GPA:
		ret = vm_read_value(vm, st->u.mem.gpa, st->u.mem.size, &res->value);
		if (ret)
			return error_at(err, st->line, "check-gpa", ret);
		res->outcome = OUTCOME_OK;
		res->has_value = true;
		return 0;
	case STEP_SET_REG:
		vcpu = vm_vcpu(vm, st->vcpu);
		if (!vcpu)
			return error_at(err, st->line, "register load", MMU_ENOVCPU);
		ret = vcpu_set_reg(vcpu, st->u.set.reg, st->u.set.value, &gp);
		if (ret)
			return error_at(err, st->line, "register load", ret);
		if (gp)
			res->outcome = OUTCOME_GP;
		return 0;
	case STEP_INVLPG:
		/* No TLB here: the walker always reads guest memory. */
		return vm_vcpu(vm, st->vcpu) ? 0 :
			error_at(err, st->line, "invlpg", MMU_ENOVCPU);
	default:
		break;
	}
	return error_at(err, st->line, "unknown step kind", MMU_EINVAL);
}

const struct executor_ops ref_executor = {
	.name = "ref",
	.description = "no virtualization: the architectural answer (core/x86 walker)",
	.open = ref_open,
	.step = ref_step,
	.close = ref_close,
};
