// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/svm/svm_run.c — the MMU side of the SVM run loop: nCR3 from the
 * MMU's root, TLB_CONTROL from its flush requests, #NPF exits turned into
 * struct mmu_fault for mmu_page_fault.  Core headers only (the hardware
 * side, svm.c, has the kernel's).
 */
#include <linux/errno.h>

#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/platform.h"
#include "core/vm/vm.h"
#include "hw/kmod/svm/svm.h"
#include "hw/kmod/svm/vmcb.h"

/* #NPF: EXITINFO1 is a #PF-style error code plus bits 32/33, EXITINFO2 the gpa. */
static int svm_handle_npf(struct svm_vcpu *sv)
{
	u64 info1 = vmcb_r64(sv->vmcb, VMCB_EXITINFO1);
	struct mmu_fault f = {
		.addr = vmcb_r64(sv->vmcb, VMCB_EXITINFO2),
		.access = (info1 & SVM_NPF_ID) ? ACCESS_FETCH :
			  (info1 & SVM_NPF_W) ? ACCESS_WRITE : ACCESS_READ,
		.present = info1 & SVM_NPF_P,
		.rsvd = info1 & SVM_NPF_RSVD,
		.guest_table = info1 & SVM_NPF_GUEST_TABLE,
	};
	int ret;

	ret = mmu_page_fault(sv->vcpu->mmu, &f);
	if (ret) {
		plat_log(PLAT_LOG_ERR, "#NPF at gpa %#llx (exitinfo1 %#llx): the MMU failed: %s",
		       f.addr, info1, mmu_strerror(ret));
		return ret == MMU_ENOMEM ? -ENOMEM : -EFAULT;
	}
	if (f.outcome == MMU_FAULT_MMIO) {
		/* No device emulation here yet: the guest would fault forever. */
		plat_log(PLAT_LOG_ERR, "#NPF at gpa %#llx (exitinfo1 %#llx) is MMIO (no memslot); not emulated",
		       f.addr, info1);
		return -EFAULT;
	}
	return 0;
}

int svm_vcpu_run(struct svm_vcpu *sv, u64 max_exits, struct svm_run_stats *st)
{
	struct mmu_vcpu *mv = sv->vcpu->mmu;
	u64 n, code;
	bool flush;
	int ret;

	for (n = 0; n < max_exits; n++) {
		ret = mmu_load(mv);
		if (ret) {
			plat_log(PLAT_LOG_ERR, "mmu_load: %s", mmu_strerror(ret));
			return -ENOMEM;
		}
		vmcb_w64(sv->vmcb, VMCB_NCR3, mmu_current_root(mv));
		flush = sv->first_run || __atomic_exchange_n(&sv->flush_pending, false, __ATOMIC_RELAXED);
		vmcb_w8(sv->vmcb, VMCB_TLB_CONTROL, flush ? VMCB_TLB_FLUSH_ALL : VMCB_TLB_NOTHING);
		sv->first_run = false;
		st->flushes += flush;
		vmcb_w32(sv->vmcb, VMCB_CLEAN, 0);

		svm_enter(sv);
		st->exits++;

		code = vmcb_r64(sv->vmcb, VMCB_EXITCODE);
		if ((u32)code == SVM_EXIT_INVALID_LOW) {
			svm_dump(sv, "VMRUN failed (VMEXIT_INVALID): invalid guest state");
			return -EIO;
		}
		switch (code) {
		case SVM_EXIT_NPF:
			st->npf++;
			/*
			 * A fetch run: nothing ran yet, so the first #NPF that is
			 * not on the guest's own tables is the fetch itself.
			 */
			if (sv->fetch && !(vmcb_r64(sv->vmcb, VMCB_EXITINFO1) & SVM_NPF_GUEST_TABLE)) {
				sv->fetched = true;
				sv->fetch_gpa = vmcb_r64(sv->vmcb, VMCB_EXITINFO2);
				return 0;
			}
			ret = svm_handle_npf(sv);
			if (ret)
				return ret;
			break;
		case SVM_EXIT_INTR:
		case SVM_EXIT_NMI:
			st->intr++;
			break;
		case SVM_EXIT_VMMCALL:
			/* Resume after the VMMCALL next time (QEMU has no NRIPS). */
			vmcb_w64(sv->vmcb, VMCB_RIP, sv->caps.nrips && vmcb_r64(sv->vmcb, VMCB_NEXT_RIP) ?
				 vmcb_r64(sv->vmcb, VMCB_NEXT_RIP) :
				 vmcb_r64(sv->vmcb, VMCB_RIP) + SVM_VMMCALL_LEN);
			return 0;
		case SVM_EXIT_EXCP_BASE + 13:
			if (!sv->gp_ok) {
				svm_dump(sv, "guest exception");
				return -EIO;
			}
			/* A non-canonical access, run alone: #GP is its result. */
			sv->gp = true;
			return 0;
		case SVM_EXIT_EXCP_BASE + 14:
			if (!sv->user && !sv->fetch) {
				svm_dump(sv, "#PF intercepted outside the CPL-3 stub");
				return -EIO;
			}
			/* The stub's access faulted: that is its result. */
			sv->pf = true;
			sv->pf_code = (u32)vmcb_r64(sv->vmcb, VMCB_EXITINFO1);
			sv->pf_cr2 = vmcb_r64(sv->vmcb, VMCB_EXITINFO2);
			return 0;
		case SVM_EXIT_SHUTDOWN:
			svm_dump(sv, "guest shutdown (triple fault)");
			return -EIO;
		default:
			if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32)
				svm_dump(sv, "guest exception");
			else
				svm_dump(sv, "unexpected exit");
			return -EIO;
		}
		svm_resched();
	}
	plat_log(PLAT_LOG_ERR, "no VMMCALL after %llu exits", max_exits);
	svm_dump(sv, "the last exit");
	return -E2BIG;
}
