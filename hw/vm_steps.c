/*
 * hw/vm_steps.c — the steps that are the same on every executor (vm_steps.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "core/errors.h"
#include "core/x86/bits.h"
#include "hw/vm_steps.h"

int vm_step_error(struct exec_error *err, int line, int code, const char *fmt, ...)
{
	char what[sizeof(err->what) - 40];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	err->line = line;
	snprintf(err->what, sizeof(err->what), "%s: %s", what, mmu_strerror(code));
	return code ? code : MMU_EINVAL;
}

static int step_gpa(struct vm *vm, const struct scn_step *st, struct step_result *res,
		    struct exec_error *err)
{
	unsigned long long gpa = st->u.mem.gpa;
	int ret;

	if (st->kind == STEP_WRITE_GPA) {
		ret = vm_write_value(vm, st->u.mem.gpa, st->u.mem.size, st->u.mem.value);
		return ret ? vm_step_error(err, st->line, ret, "write-gpa at 0x%llx", gpa) : 0;
	}
	ret = vm_read_value(vm, st->u.mem.gpa, st->u.mem.size, &res->value);
	if (ret)
		return vm_step_error(err, st->line, ret, "check-gpa at 0x%llx", gpa);
	res->outcome = OUTCOME_OK;
	res->has_value = true;
	return 0;
}

static int step_vcpu(struct vm *vm, const struct scn_step *st, struct step_result *res,
		     struct exec_error *err)
{
	struct vcpu *vcpu = vm_vcpu(vm, st->vcpu);
	bool gp;
	int ret;

	if (!vcpu)
		return vm_step_error(err, st->line, MMU_ENOVCPU, "%s on vcpu %u",
				     st->kind == STEP_SET_REG ? "register load" : "invlpg", st->vcpu);
	if (st->kind == STEP_INVLPG) {
		/* Shadow paging syncs the gva's shadow entries here (KVM's kvm_mmu_invlpg). */
		if (vcpu->mmu)
			mmu_invlpg(vcpu->mmu, st->u.invlpg.gva);
		return 0;
	}
	ret = vcpu_set_reg(vcpu, st->u.set.reg, st->u.set.value, &gp);
	if (ret)
		return vm_step_error(err, st->line, ret, "register load on vcpu %u", st->vcpu);
	if (gp)
		res->outcome = OUTCOME_GP;
	return 0;
}

static int step_memslot(struct vm *vm, const struct scn_step *st, struct exec_error *err)
{
	uint32_t id = st->u.slot.id;
	const char *what = "?";
	int ret = MMU_EINVAL;

	switch (st->kind) {
	case STEP_MEMSLOT_CREATE:
		what = "memslot-create";
		ret = vm_memslot_create(vm, id, st->u.slot.base_gpa, st->u.slot.size,
					st->u.slot.flags, st->u.slot.backing);
		break;
	case STEP_MEMSLOT_DELETE:
		what = "memslot-delete";
		ret = vm_memslot_delete(vm, id);
		break;
	case STEP_MEMSLOT_MOVE:
		what = "memslot-move";
		ret = vm_memslot_move(vm, id, st->u.slot.base_gpa);
		break;
	case STEP_MEMSLOT_FLAGS:
		what = "memslot-flags";
		ret = vm_memslot_set_flags(vm, id, st->u.slot.flags);
		break;
	default:
		break;
	}
	return ret ? vm_step_error(err, st->line, ret, "%s of memslot %u", what, id) : 0;
}

static int step_dirty(struct vm *vm, const struct scn_step *st, struct step_result *res,
		      struct exec_error *err)
{
	uint32_t id = st->u.dirty.slot;
	int ret;

	if (st->kind == STEP_DIRTY_LOG_CLEAR) {
		ret = vm_dirty_log_clear(vm, id, st->u.dirty.first, st->u.dirty.count);
		return ret ? vm_step_error(err, st->line, ret, "clear-dirty-log of memslot %u", id) : 0;
	}
	ret = vm_dirty_log_get(vm, id, &res->dirty, &res->dirty_pages);
	if (ret)
		return vm_step_error(err, st->line, ret, "get-dirty-log of memslot %u", id);
	res->outcome = OUTCOME_OK;
	return 0;
}

static int step_host(struct vm *vm, const struct scn_step *st, struct exec_error *err)
{
	static const char *const changes[] = {
		[HOST_RECLAIM] = "reclaim", [HOST_REMAP] = "remap", [HOST_READONLY] = "readonly",
	};
	int ret;

	if (st->kind == STEP_HOST_AGE) {
		/* The young count is a cost, not a result: it depends on the backend. */
		vm_host_age(vm, st->u.host.gpa, st->u.host.size, st->u.host.test_only);
		return 0;
	}
	ret = vm_host_change(vm, st->u.host.gpa, st->u.host.size, st->u.host.change);
	return ret ? vm_step_error(err, st->line, ret, "host-change %s of [0x%llx, 0x%llx)",
				   changes[st->u.host.change], (unsigned long long)st->u.host.gpa,
				   (unsigned long long)(st->u.host.gpa + st->u.host.size)) : 0;
}

int vm_step(struct vm *vm, const struct scn_step *st, struct step_result *res,
	    struct exec_error *err)
{
	*res = (struct step_result){ .outcome = OUTCOME_DONE };
	switch (st->kind) {
	case STEP_WRITE_GPA:
	case STEP_CHECK_GPA:
		return step_gpa(vm, st, res, err);
	case STEP_SET_REG:
	case STEP_INVLPG:
		return step_vcpu(vm, st, res, err);
	case STEP_MEMSLOT_CREATE:
	case STEP_MEMSLOT_DELETE:
	case STEP_MEMSLOT_MOVE:
	case STEP_MEMSLOT_FLAGS:
		return step_memslot(vm, st, err);
	case STEP_DIRTY_LOG_GET:
	case STEP_DIRTY_LOG_CLEAR:
		return step_dirty(vm, st, res, err);
	case STEP_HOST_INVALIDATE:
	case STEP_HOST_AGE:
		return step_host(vm, st, err);
	case STEP_ACCESS:
	case STEP_THREADS:
		break;
	}
	return vm_step_error(err, st->line, MMU_EINVAL,
			     "internal error: vm_step got an access or a threads group");
}
