/*
 * hw/sim/exec.c — the sim executor: a software CPU running an MMU backend's
 * tables (design.md, "Executors").
 *
 * open builds the VM (vm_setup), gives it an MMU with the run's backend,
 * and a simulated CPU (a TLB, costs) per vCPU.  Accesses run on the CPU
 * (access.c); every other step is the VM's (vm_step) plus what the CPU
 * itself does on it: TLB flushes on INVLPG, on MOV to CR3 and on the
 * CR0/CR4/EFER changes that invalidate translations.
 */
#include <stdio.h>

#include "core/errors.h"
#include "core/vm/setup.h"
#include "core/x86/bits.h"
#include "hw/sim/sim.h"
#include "hw/vm_steps.h"

/*
 * Changing these flushes every TLB entry (SDM 4.10.4.1 lists PG, PGE,
 * PCIDE, PAE, SMEP; the others change how cached rights or formats are
 * read, and flushing is the conservative reading).
 */
#define CR0_FLUSH_BITS (CR0_PG | CR0_WP | CR0_PE)
#define CR4_FLUSH_BITS (CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCIDE | CR4_SMEP | CR4_SMAP | \
			CR4_PKE | CR4_LA57)
#define EFER_FLUSH_BITS (EFER_NXE | EFER_LME | EFER_LMA)

/* The MMU's remote flush: every vCPU's TLB (any thread may call it). */
static void sim_flush_remote(void *opaque)
{
	struct sim *sim = opaque;
	unsigned i;

	for (i = 0; i < MMU_MAX_VCPUS; i++)
		if (sim->vcpus[i])
			sim_tlb_flush_all(&sim->vcpus[i]->tlb);
}

static void sim_close(void *state)
{
	struct sim *sim = state;
	unsigned i;

	if (!sim)
		return;
	vm_destroy(sim->vm); /* the MMU first: it may flush the TLBs as it goes */
	for (i = 0; i < MMU_MAX_VCPUS; i++) {
		if (!sim->vcpus[i])
			continue;
		sim_tlb_destroy(&sim->vcpus[i]->tlb);
		plat_free(sim->vcpus[i]);
	}
	plat_free(sim);
}

/* A simulated CPU for each vCPU, its MMU loaded. */
static int sim_add_vcpus(struct sim *sim, struct exec_error *err)
{
	unsigned i;
	int ret;

	for (i = 0; i < MMU_MAX_VCPUS; i++) {
		struct vcpu *vcpu = vm_vcpu(sim->vm, i);
		struct sim_vcpu *sv;

		if (!vcpu)
			continue;
		sv = plat_zalloc(sizeof(*sv));
		if (!sv)
			return sim_error(err, 0, MMU_ENOMEM, "the sim CPU of vCPU %u", i);
		sv->sim = sim;
		sv->vcpu = vcpu;
		ret = sim_tlb_init(&sv->tlb);
		if (ret) {
			plat_free(sv);
			return sim_error(err, 0, ret, "the TLB of vCPU %u", i);
		}
		sim->vcpus[i] = sv;
		ret = mmu_load(vcpu->mmu);
		if (ret)
			return sim_error(err, 0, ret, "loading the MMU of vCPU %u", i);
	}
	return 0;
}

static int sim_open(const struct scenario *s, const struct exec_config *cfg, void **state,
		    struct exec_error *err)
{
	struct mmu_config mcfg = cfg->mmu;
	struct vm_setup_error serr;
	struct sim *sim;
	int ret;

	if (!cfg->backend)
		return sim_error(err, 0, MMU_EINVAL, "the sim executor needs an MMU backend");
	sim = plat_zalloc(sizeof(*sim));
	if (!sim)
		return sim_error(err, 0, MMU_ENOMEM, "the sim executor");
	sim->s = s;
	ret = vm_setup(s, &sim->vm, &serr);
	if (ret) {
		err->line = serr.line;
		snprintf(err->what, sizeof(err->what), "%s", serr.what);
		plat_free(sim);
		return ret;
	}
	mcfg.maxphyaddr = s->feat.maxphyaddr;
	mcfg.gbpages = s->feat.gbpages;
	ret = vm_attach_mmu(sim->vm, cfg->backend, &mcfg, sim_flush_remote, sim);
	if (ret)
		ret = sim_error(err, 0, ret, "giving the VM a %s MMU", cfg->backend->name);
	else
		ret = sim_add_vcpus(sim, err);
	if (ret) {
		sim_close(sim);
		return ret;
	}
	*state = sim;
	return 0;
}

/* What MOV to CR0/CR3/CR4 or WRMSR EFER does to the TLB once it took effect. */
static void sim_reg_flush(struct sim_vcpu *sv, const struct scn_step *st,
			  const struct x86_paging_regs *old)
{
	const struct x86_paging_regs *now = &sv->vcpu->regs;
	bool pcide = now->cr4 & CR4_PCIDE;

	switch (st->u.set.reg) {
	case REG_CR3:
		/*
		 * SDM 4.10.4.1: MOV to CR3 invalidates the non-global entries of
		 * the new PCID, unless CR4.PCIDE=1 and bit 63 of the source is 1.
		 */
		if (!(pcide && (st->u.set.value & CR3_PCID_NOFLUSH)))
			sim_tlb_flush_pcid(&sv->tlb, pcide ? now->cr3 & CR3_PCID_MASK : 0);
		break;
	case REG_CR0:
		if ((old->cr0 ^ now->cr0) & CR0_FLUSH_BITS)
			sim_tlb_flush_all(&sv->tlb);
		break;
	case REG_CR4:
		if ((old->cr4 ^ now->cr4) & CR4_FLUSH_BITS)
			sim_tlb_flush_all(&sv->tlb);
		break;
	case REG_EFER:
		if ((old->efer ^ now->efer) & EFER_FLUSH_BITS)
			sim_tlb_flush_all(&sv->tlb);
		break;
	default:
		break; /* PKRU, CPL, AC: rights are judged again on every hit */
	}
}

int sim_step(void *state, const struct scn_step *st, struct step_result *res,
	     struct exec_error *err)
{
	struct sim *sim = state;
	struct sim_vcpu *sv = st->vcpu < MMU_MAX_VCPUS ? sim->vcpus[st->vcpu] : NULL;
	struct x86_paging_regs old;
	int ret;

	if (st->kind == STEP_ACCESS) {
		*res = (struct step_result){ .outcome = OUTCOME_DONE };
		return sim_access(sim, st, res, err);
	}
	if (st->kind == STEP_THREADS)
		return sim_error(err, st->line, MMU_EINVAL, "a threads group is not one step");
	/* INVLPG: the CPU flushes its TLB, then vm_step lets the MMU sync. */
	if (st->kind == STEP_INVLPG && sv)
		sim_tlb_flush_gva(&sv->tlb, st->u.invlpg.gva);
	if (sv)
		old = sv->vcpu->regs;
	ret = vm_step(sim->vm, st, res, err);
	if (!ret && sv && st->kind == STEP_SET_REG && res->outcome != OUTCOME_GP)
		sim_reg_flush(sv, st, &old);
	return ret;
}

static unsigned sim_trace(void *state, struct mmu_trace_event *out, unsigned max)
{
	const struct sim *sim = state;

	return sim->vm->mmu->trace ? mmu_trace_read(sim->vm->mmu->trace, 0, out, max) : 0;
}

static void sim_costs(void *state, struct exec_costs *out)
{
	struct sim *sim = state;
	unsigned i, k;

	*out = (struct exec_costs){ .has_mmu = true };
	for (i = 0; i < MMU_MAX_VCPUS; i++) {
		struct sim_vcpu *sv = sim->vcpus[i];

		if (!sv)
			continue;
		for (k = 0; k < EXEC_NR_EXITS; k++)
			out->exits[k] += sv->exits[k];
		out->walk_refs += sv->walk_refs;
		pthread_mutex_lock(&sv->tlb.lock);
		out->tlb_hits += sv->tlb.hits;
		out->tlb_misses += sv->tlb.misses;
		out->tlb_flushes += sv->tlb.flushes;
		pthread_mutex_unlock(&sv->tlb.lock);
	}
	mmu_stats_read(sim->vm->mmu, &out->mmu);
}

const struct executor_ops sim_executor = {
	.name = "sim",
	.description = "a software CPU: 2D walks, a TLB and exits into an MMU backend",
	.needs_backend = true,
	.open = sim_open,
	.step = sim_step,
	.run_threads = sim_run_threads,
	.costs = sim_costs,
	.trace = sim_trace,
	.close = sim_close,
};
