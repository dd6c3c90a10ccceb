// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/hv_run.c — the run loop, the same for SVM and VMX: the TDP root
 * from the MMU, a TLB flush when the MMU asked for one, and the exits the
 * vendor describes (hv.h) turned into what they mean: a fault for
 * mmu_page_fault, an access to emulate (hv_emulate.c), the end of a
 * batch, the result of a single access, or an error.  Core headers only
 * (the vendors have the kernel's).
 */
#include <linux/errno.h>

#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/platform.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/hv_access.h"
#include "hw/kmod/hv_emulate.h"
#include "hw/kmod/hv_maxphyaddr.h"
#include "hw/kmod/hv_run.h"

#define VECTOR_GP	13
#define VECTOR_PF	14
/* An exit handler's answer besides 0 (re-enter) and -errno: the run is over, its result in r. */
#define HV_RUN_OVER	1

/* A #PF for the guest: the result of a run that asked for one, else delivered through its IDT. */
static int hv_deliver_pf(struct hv_vcpu *v, struct hv_run *r, const struct hv_pf *pf)
{
	if (r->pf_ok) {
		r->pf = true;
		r->pf_code = pf->error_code;
		r->pf_cr2 = pf->cr2;
		return HV_RUN_OVER;
	}
	v->event = (struct hv_event){
		.pending = true, .vector = VECTOR_PF,
		.has_error_code = true, .error_code = pf->error_code,
	};
	/* Injection gives the vector and error code only: CR2 is the host's to load (KVM's exception payload). */
	v->regs.cr2 = pf->cr2;
	return 0;
}

/*
 * The MMU found no memory the guest may use this way (MMU_FAULT_MMIO).
 * For the data, the access is emulated.  For the guest's own tables in
 * ROM, the whole access is (KVM's emulator walks them and skips their A/D
 * updates); tables in no memory are an error, as on ref.
 */
static int hv_mmio(struct hv_vcpu *v, struct hv_run *r, const struct hv_exit *e)
{
	bool faulted;
	struct hv_pf pf;
	int ret;

	if (!e->guest_table)
		return hv_emulate_mmio(v, r, e);
	if (!vm_find_memslot(v->vcpu->vm, e->gpa >> PAGE_SHIFT)) {
		plat_log(PLAT_LOG_ERR, "%s: the guest's page tables at gpa %#llx are in no memory",
			 v->ops->name, e->gpa);
		return -ENXIO;
	}
	ret = hv_emulate_walk(v, r, e, &pf, &faulted);
	if (ret)
		return ret;
	if (faulted)
		return hv_deliver_pf(v, r, &pf);
	return r->reached ? HV_RUN_OVER : 0;
}

/* A TDP exit as the MMU's fault: EPT violation / #NPF, or a misconfigured (MMIO) SPTE. */
static int hv_handle_tdp(struct hv_vcpu *v, struct hv_run *r, const struct hv_exit *e)
{
	struct mmu_fault f = {
		.addr = e->gpa,
		.access = e->fetch ? ACCESS_FETCH : e->write ? ACCESS_WRITE : ACCESS_READ,
		.present = e->present,
		.rsvd = e->misconfig,
		.guest_table = e->guest_table,
	};
	int ret;

	ret = mmu_page_fault(v->vcpu->mmu, &f);
	if (ret) {
		plat_log(PLAT_LOG_ERR, "%s: TDP fault at gpa %#llx (exit %#llx): the MMU failed: %s",
			 v->ops->name, e->gpa, e->raw, mmu_strerror(ret));
		return ret == MMU_ENOMEM ? -ENOMEM : -EFAULT;
	}
	return f.outcome == MMU_FAULT_MMIO ? hv_mmio(v, r, e) : 0;
}

/* An EPT violation / #NPF: a #PF of the guest's own, the CPU's one access reached, or the MMU's fault. */
static int hv_tdp_exit(struct hv_vcpu *v, struct hv_run *r, const struct hv_exit *e)
{
	struct hv_pf pf;
	int ret;

	if (e->misconfig)
		r->stats->misconfig++;
	else
		r->stats->tdp++;
	/* No memslot can be there: the guest's own walk has a reserved-bit fault (hv_maxphyaddr.c). */
	if (e->gpa >> r->maxphyaddr) {
		ret = hv_pf_beyond_maxphyaddr(v, r, e, &pf);
		return ret ? ret : hv_deliver_pf(v, r, &pf);
	}
	/*
	 * Nothing but the interpreter's own pages was touched yet, so the
	 * first TDP fault on a final gpa elsewhere is the access.
	 */
	if (r->stop_at_access && !e->guest_table &&
	    (e->gpa < r->own_gpa || e->gpa - r->own_gpa >= r->own_size)) {
		r->reached = true;
		r->access_gpa = e->gpa;
		return HV_RUN_OVER;
	}
	return hv_handle_tdp(v, r, e);
}

/* The TDP tables of v's current root, in the vendor's terms. */
static void hv_tdp_of(const struct hv_vcpu *v, struct hv_tdp *tdp)
{
	const struct mmu_vm *vm = v->vcpu->mmu->vm;

	tdp->root = mmu_current_root(v->vcpu->mmu);
	tdp->levels = vm->spte_fmt.root_level;
	tdp->ept_ad = vm->cfg.ept_ad;
	tdp->gbpages = vm->cfg.gbpages;
}

/*
 * An intercepted exception: #PF when the run asked for it (r->pf_ok) or
 * intercepts it because the guest's MAXPHYADDR is not the CPU's (the #PF
 * the guest takes is then decided in hv_maxphyaddr.c); #GP when the run
 * asked for it (r->gp_ok).  Anything else is an error.
 */
static int hv_exception(struct hv_vcpu *v, const struct hv_exit *e, struct hv_run *r)
{
	struct hv_pf pf;
	int ret;

	if (e->vector == VECTOR_PF && (r->pf_ok || r->maxphyaddr != hv_cpu_maxphyaddr())) {
		ret = hv_pf_check_maxphyaddr(v, r, e, &pf);
		return ret ? ret : hv_deliver_pf(v, r, &pf);
	}
	if (e->vector == VECTOR_GP && r->gp_ok) {
		/* A non-canonical access, run alone: #GP is its result. */
		r->gp = true;
		return HV_RUN_OVER;
	}
	v->ops->dump(v, "guest exception");
	return -EIO;
}

int hv_vcpu_run(struct hv_vcpu *v, struct hv_run *r)
{
	struct mmu_vcpu *mv = v->vcpu->mmu;
	struct hv_exit e;
	struct hv_tdp tdp;
	u64 n, t_entry, t_exit = 0;
	bool flush;
	int ret;

	r->pf = r->gp = r->reached = false;
	/* What the CPU cannot run is refused before the guest runs (-EOPNOTSUPP). */
	hv_tdp_of(v, &tdp);
	if (v->ops->check) {
		ret = v->ops->check(v, &tdp);
		if (ret)
			return ret;
	}
	r->stats->runs++;
	for (n = 0; n < r->max_exits; n++) {
		ret = mmu_load(mv);
		if (ret) {
			plat_log(PLAT_LOG_ERR, "mmu_load: %s", mmu_strerror(ret));
			return -ENOMEM;
		}
		hv_tdp_of(v, &tdp);
		flush = __atomic_exchange_n(&v->flush_pending, false, __ATOMIC_RELAXED);
		r->stats->flushes += flush;

		t_entry = hv_tsc();
		if (n)
			r->stats->tsc_exits += t_entry - t_exit;
		v->ops->enter(v, &tdp, flush, &e);
		t_exit = hv_tsc();
		r->stats->tsc_guest += t_exit - t_entry;
		r->stats->exits++;
		/* Delivering an exception when the exit came: deliver it again (APM 15.7.2, SDM 27.2.4). */
		v->event = e.interrupted;

		switch (e.reason) {
		case HV_EXIT_TDP:
			ret = hv_tdp_exit(v, r, &e);
			break;
		case HV_EXIT_INTR:
			r->stats->intr++;
			ret = 0;
			break;
		case HV_EXIT_HYPERCALL:
			return 0;
		case HV_EXIT_EXCEPTION:
			ret = hv_exception(v, &e, r);
			break;
		case HV_EXIT_SHUTDOWN:
			v->ops->dump(v, "guest shutdown (triple fault)");
			return -EIO;
		case HV_EXIT_INVALID:
			v->ops->dump(v, "the entry failed (invalid guest, host or control state)");
			return -EIO;
		default:
			v->ops->dump(v, "unexpected exit");
			return -EIO;
		}
		if (ret)
			return ret == HV_RUN_OVER ? 0 : ret;
		plat_cond_resched();
	}
	plat_log(PLAT_LOG_ERR, "%s: no hypercall after %llu exits", v->ops->name, r->max_exits);
	v->ops->dump(v, "the last exit");
	return -E2BIG;
}
