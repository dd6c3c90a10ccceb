/*
 * hw/sim/access.c — one guest access on the simulated CPU: the TLB, on a
 * miss the 2D walk, exits to the MMU, and the data itself.
 *
 * An exit (EPT violation / misconfiguration, #NPF) goes to mmu_page_fault.
 * When the MMU fixed something the whole access starts again, as hardware
 * re-executes the faulting instruction; when it says MMIO, the access is
 * emulated here (the device, or a write to ROM that is dropped).  Exits are
 * bounded: a backend that never makes progress is an error, not a hang.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/sim/sim.h"

/* Exits one access may take before the MMU is declared stuck. */
#define SIM_MAX_EXITS 32

/* Everything one access carries through its restarts. */
struct sim_op {
	struct sim_vcpu *sv;                 /* where it runs */
	const struct scn_step *st;           /* the step (line, size, value) */
	struct walk_access acc;              /* the access as the CPU sees it */
	uint64_t ad_skip[PT_MAX_LEVEL + 1];  /* guest entries in ROM whose write was emulated */
	unsigned nr_ad_skip;
	uint64_t last_gpa;                   /* gpa of the last exit, for the no-progress error */
};

void sim_vcpu_tdp(const struct sim_vcpu *sv, struct sim_tdp *t)
{
	const struct mmu_vm *m = sv->sim->vm->mmu;

	t->layout = m->spte_fmt.layout;
	t->root = mmu_current_root(sv->vcpu->mmu);
	t->levels = m->spte_fmt.root_level;
	t->ad = m->spte_fmt.ad_enabled;
	t->phys_bits = (uint8_t)plat_host_phys_bits();
}

static uint16_t current_pcid(const struct x86_paging_regs *regs)
{
	return (regs->cr4 & CR4_PCIDE) ? (uint16_t)(regs->cr3 & CR3_PCID_MASK) : 0;
}

static void *host_ptr(hpa_t hpa)
{
	return (uint8_t *)plat_frame_map(hpa & ~(PAGE_SIZE_4K - 1)) + (hpa & (PAGE_SIZE_4K - 1));
}

/* The data access at the final host address (never crosses a page). */
static void data_access(const struct sim_op *op, hpa_t hpa, struct step_result *res)
{
	unsigned size = op->st->u.access.size;

	if (op->acc.kind == ACCESS_WRITE) {
		memcpy(host_ptr(hpa), &op->st->u.access.value, size); /* x86 and host: little-endian */
		return;
	}
	res->value = 0;
	memcpy(&res->value, host_ptr(hpa), size);
	res->has_value = true;
}

/* MMU_FAULT_MMIO on the data: the device, a dropped write to ROM, or an error. */
static int emulate_mmio(struct sim_op *op, uint64_t gpa, struct step_result *res,
			struct exec_error *err)
{
	struct vm *vm = op->sv->sim->vm;
	unsigned size = op->st->u.access.size;
	struct memslot *slot;
	int ret;

	res->outcome = OUTCOME_OK;
	res->gpa = gpa;
	if (vm_gpa_is_mmio(vm, gpa)) {
		op->sv->exits[EXEC_EXIT_MMIO]++;
		if (op->acc.kind == ACCESS_WRITE) {
			ret = vm_mmio_write(vm, gpa, size, op->st->u.access.value);
		} else {
			ret = vm_mmio_read(vm, gpa, size, &res->value);
			res->has_value = true;
		}
		return ret ? sim_error(err, op->st->line, ret, "device access at gpa 0x%llx",
				       (unsigned long long)gpa) : 0;
	}
	slot = vm_find_memslot(vm, gpa >> PAGE_SHIFT);
	if (slot && (slot->flags & MEMSLOT_READONLY) && op->acc.kind == ACCESS_WRITE)
		return 0; /* a guest write to ROM is dropped */
	return sim_error(err, op->st->line, MMU_ENOSLOT,
			 "va 0x%llx translates to gpa 0x%llx, which the MMU calls MMIO",
			 (unsigned long long)op->acc.gva, (unsigned long long)gpa);
}

/*
 * Hand an exit to the MMU.  Returns 0 to restart the access, 1 when the
 * access was emulated (res filled), or a negative code (err filled).
 */
static int handle_exit(struct sim_op *op, struct mmu_fault *f, struct step_result *res,
		       struct exec_error *err)
{
	struct vm *vm = op->sv->sim->vm;
	struct memslot *slot;
	int ret;

	op->sv->exits[f->rsvd ? EXEC_EXIT_TDP_MISCONFIG : EXEC_EXIT_TDP_VIOLATION]++;
	op->last_gpa = f->addr;
	ret = mmu_page_fault(op->sv->vcpu->mmu, f);
	if (ret)
		return sim_error(err, op->st->line, ret, "the MMU failed a fault on gpa 0x%llx",
				 (unsigned long long)f->addr);
	if (f->outcome != MMU_FAULT_MMIO)
		return 0;
	if (!f->guest_table) {
		ret = emulate_mmio(op, f->addr, res, err);
		return ret ? ret : 1;
	}
	/*
	 * A write to a guest table in ROM (an A/D update; on NPT and EPT with
	 * A/D any walk access) is emulated: the entry is read and its A/D
	 * update is a no-op (as KVM does).
	 */
	slot = vm_find_memslot(vm, f->addr >> PAGE_SHIFT);
	if (f->access == ACCESS_WRITE && slot && (slot->flags & MEMSLOT_READONLY) &&
	    op->nr_ad_skip < PT_MAX_LEVEL + 1) {
		op->ad_skip[op->nr_ad_skip++] = f->addr;
		return 0;
	}
	return sim_error(err, op->st->line, MMU_ENOSLOT,
			 "the guest page tables for va 0x%llx are at gpa 0x%llx, outside guest memory (MMIO)",
			 (unsigned long long)op->acc.gva, (unsigned long long)f->addr);
}

/* Run the 2D walk on a TLB miss.  Same returns as handle_exit, 2 = translated. */
static int access_walk(struct sim_op *op, const struct sim_tdp *tdp, struct step_result *res,
		       struct sim_translation *tr, struct exec_error *err)
{
	struct vm *vm = op->sv->sim->vm;
	struct sim_walk_in in = {
		.regs = &op->sv->vcpu->regs, .maxphyaddr = vm->feat.maxphyaddr,
		.gbpages = vm->feat.gbpages, .acc = op->acc, .tdp = tdp,
		.ad_skip = op->ad_skip, .nr_ad_skip = op->nr_ad_skip,
	};
	struct sim_walk_out out;
	int ret = sim_translate(&in, &out);

	op->sv->walk_refs += out.refs;
	if (ret)
		return sim_error(err, op->st->line, ret, "walking the tables for va 0x%llx",
				 (unsigned long long)op->acc.gva);
	switch (out.outcome) {
	case SIM_PF:
		res->outcome = OUTCOME_PF;
		res->error_code = out.error_code;
		res->cr2 = op->acc.gva;
		return 1;
	case SIM_GP:
		res->outcome = OUTCOME_GP;
		return 1;
	case SIM_EXIT:
		return handle_exit(op, &out.exit, res, err);
	case SIM_OK:
		break;
	}
	*tr = out.tr;
	return 2;
}

static void op_init(struct sim_op *op, struct sim_vcpu *sv, const struct scn_step *st)
{
	memset(op, 0, sizeof(*op));
	op->sv = sv;
	op->st = st;
	op->acc.gva = st->u.access.gva;
	op->acc.kind = st->u.access.kind;
	op->acc.cpl = st->u.access.cpl >= 0 ? (uint8_t)st->u.access.cpl : sv->vcpu->cpl;
	op->acc.eflags_ac = st->u.access.eflags_ac >= 0 ? st->u.access.eflags_ac != 0 :
							   sv->vcpu->eflags_ac;
	op->acc.implicit = st->u.access.implicit > 0;
}

int sim_access(struct sim *sim, const struct scn_step *st, struct step_result *res,
	       struct exec_error *err)
{
	struct sim_vcpu *sv = st->vcpu < MMU_MAX_VCPUS ? sim->vcpus[st->vcpu] : NULL;
	unsigned exits = 0;
	struct sim_op op;

	if (!sv)
		return sim_error(err, st->line, MMU_ENOVCPU, "access on vCPU %u", st->vcpu);
	op_init(&op, sv, st);
	while (exits <= SIM_MAX_EXITS) {
		uint16_t pcid = current_pcid(&sv->vcpu->regs);
		struct sim_translation tr;
		struct sim_tdp tdp;
		uint64_t gen;
		bool hit;
		int ret;

		sim_vcpu_tdp(sv, &tdp);
		if (tdp.root == MMU_INVALID_ROOT) {
			/* As KVM reloads the MMU before entering the guest. */
			ret = mmu_load(sv->vcpu->mmu);
			if (ret)
				return sim_error(err, st->line, ret, "loading vCPU %u's MMU", st->vcpu);
			sim_vcpu_tdp(sv, &tdp);
		}
		hit = sim_tlb_lookup(&sv->tlb, op.acc.gva, pcid, tdp.root, &tr, &gen) &&
		      sim_translation_allows(&sv->vcpu->regs, &op.acc, &tr);
		sim_tlb_count(&sv->tlb, hit);
		if (!hit) {
			ret = access_walk(&op, &tdp, res, &tr, err);
			if (ret == 0) {
				exits++;
				continue;
			}
			if (ret != 2)
				return ret == 1 ? 0 : ret;
			sim_tlb_fill(&sv->tlb, &tr, pcid, tdp.root, gen);
		}
		res->outcome = OUTCOME_OK;
		res->gpa = tr.gpa + (op.acc.gva & (tr.size - 1));
		data_access(&op, tr.hpa + (op.acc.gva & (tr.size - 1)), res);
		return 0;
	}
	return sim_error(err, st->line, 0,
			 "the MMU did not make progress on gpa 0x%llx after %u exits (va 0x%llx)",
			 (unsigned long long)op.last_gpa, SIM_MAX_EXITS,
			 (unsigned long long)op.acc.gva);
}

int sim_error(struct exec_error *err, int line, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	err->line = line;
	va_start(ap, fmt);
	n = vsnprintf(err->what, sizeof(err->what), fmt, ap);
	va_end(ap);
	if (code && n >= 0 && (size_t)n < sizeof(err->what))
		snprintf(err->what + n, sizeof(err->what) - n, ": %s", mmu_strerror(code));
	return code ? code : MMU_EINVAL;
}
