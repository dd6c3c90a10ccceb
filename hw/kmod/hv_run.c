// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/hv_run.c — the run loop, the same for SVM and VMX: the TDP root
 * from the MMU, a TLB flush when the MMU asked for one, and the exits the
 * vendor describes (hv.h) turned into what they mean: a fault for
 * mmu_page_fault, the end of a batch, the result of a single access, or
 * an error.  Core headers only (the vendors have the kernel's).
 */
#include <linux/errno.h>

#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/platform.h"
#include "core/vm/vm.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/hv_run.h"

#define VECTOR_GP	13
#define VECTOR_PF	14

/* A TDP exit as the MMU's fault: EPT violation / #NPF, or a misconfigured (MMIO) SPTE. */
static int hv_handle_tdp(struct hv_vcpu *v, const struct hv_exit *e)
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
	if (f.outcome == MMU_FAULT_MMIO) {
		/* No device emulation yet: the guest would fault here forever. */
		plat_log(PLAT_LOG_ERR, "%s: gpa %#llx is MMIO (no memslot): not emulated yet",
			 v->ops->name, e->gpa);
		return -ENOSYS;
	}
	return 0;
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

/* An exception the run asked to see (r->pf_ok, r->gp_ok) is the run's result. */
static int hv_exception(struct hv_vcpu *v, const struct hv_exit *e, struct hv_run *r)
{
	if (e->vector == VECTOR_PF && r->pf_ok) {
		r->pf = true;
		r->pf_code = e->error_code;
		r->pf_cr2 = e->cr2;
		return 0;
	}
	if (e->vector == VECTOR_GP && r->gp_ok) {
		/* A non-canonical access, run alone: #GP is its result. */
		r->gp = true;
		return 0;
	}
	v->ops->dump(v, "guest exception");
	return -EIO;
}

int hv_vcpu_run(struct hv_vcpu *v, struct hv_run *r)
{
	struct mmu_vcpu *mv = v->vcpu->mmu;
	struct hv_exit e;
	struct hv_tdp tdp;
	bool flush;
	u64 n;
	int ret;

	r->pf = r->gp = r->fetched = false;
	/* What the CPU cannot run is refused before the guest runs (-EOPNOTSUPP). */
	hv_tdp_of(v, &tdp);
	if (v->ops->check) {
		ret = v->ops->check(v, &tdp);
		if (ret)
			return ret;
	}
	for (n = 0; n < r->max_exits; n++) {
		ret = mmu_load(mv);
		if (ret) {
			plat_log(PLAT_LOG_ERR, "mmu_load: %s", mmu_strerror(ret));
			return -ENOMEM;
		}
		hv_tdp_of(v, &tdp);
		flush = __atomic_exchange_n(&v->flush_pending, false, __ATOMIC_RELAXED);
		r->stats->flushes += flush;

		v->ops->enter(v, &tdp, flush, &e);
		r->stats->exits++;

		switch (e.reason) {
		case HV_EXIT_TDP:
			r->stats->tdp++;
			/*
			 * A fetch run: nothing ran yet, so the first TDP fault that is
			 * not on the guest's own tables is the fetch itself.
			 */
			if (r->fetch && !e.guest_table) {
				r->fetched = true;
				r->fetch_gpa = e.gpa;
				return 0;
			}
			ret = hv_handle_tdp(v, &e);
			if (ret)
				return ret;
			break;
		case HV_EXIT_INTR:
			r->stats->intr++;
			break;
		case HV_EXIT_HYPERCALL:
			return 0;
		case HV_EXIT_EXCEPTION:
			return hv_exception(v, &e, r);
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
		hv_resched();
	}
	plat_log(PLAT_LOG_ERR, "%s: no hypercall after %llu exits", v->ops->name, r->max_exits);
	v->ops->dump(v, "the last exit");
	return -E2BIG;
}
