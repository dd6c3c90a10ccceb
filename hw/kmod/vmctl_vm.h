/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/vmctl_vm.h — one VM of /dev/mmulab, shared by the files that
 * implement its ioctls (vmctl.c, vmctl_run.c).  Core headers only: the
 * rest of the module sees it as the opaque struct of vmctl.h.
 */
#ifndef MMULAB_HW_KMOD_VMCTL_VM_H
#define MMULAB_HW_KMOD_VMCTL_VM_H

#include "core/vm/vm.h"
#include "hw/kmod/guest.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/hv_run.h"
#include "hw/kmod/uapi/mmulab.h"

/* One mailbox of commands, off the stack. */
struct vmctl_cmd_buf {
	struct guest_cmd c[GUEST_MBOX_MAX_CMDS];
};

struct vmctl_vm {
	struct vm *vm;                         /* core/vm's VM; vm->mmu is never NULL */
	const struct mmu_backend_ops *backend; /* from the module's list; fixed */
	/*
	 * Remote TLB flushes the MMU asked for; atomic (the MMU asks under its
	 * lock, from any vCPU).  Each vCPU that has run also gets its own
	 * request (hv_flush_remote), taken at its next entry.
	 */
	volatile uint64_t tlb_flush_reqs;
	bool ept;                              /* MMULAB_LAYOUT_EPT: runs on VMX; else NPT on SVM */
	/* The device's ranges (MMULAB_MMIO_CREATE); vm->mmio points here, vm->nr_mmio counts them. */
	struct scn_mmio mmio[MMULAB_MAX_MMIO];
	/*
	 * The world switch's side, made at the first MMULAB_RUN (guest.h:
	 * the reserved region).  Changed only by ioctls, which the file's
	 * mutex serializes.
	 */
	bool guest_placed;                     /* slot MMULAB_RSV_SLOT exists, guest written */
	struct guest_region guest;
	struct vmctl_cmd_buf *cmds;            /* one mailbox of commands */
	struct hv_vcpu *hv[MMULAB_MAX_VCPUS];  /* by vCPU id, NULL until it first runs */
	struct hv_run_stats run_stats;         /* exits over the VM's life */
};

/* MMU_E* to errno.  Unknown codes are the module's bug, said as -EIO. */
int vmctl_errno(int err);
/*
 * Host frames the VM holds, deleted slots included (core keeps their
 * frames until the VM goes), against MMULAB_GUEST_MEM_MAX: 0 or -ENOMEM.
 * Checked before anything that may allocate guest memory; one call can
 * overshoot by what it touches (at most MMULAB_GPA_IO_MAX plus two huge
 * pages).
 */
int vmctl_mem_check(const struct vmctl_vm *v);
/*
 * Where guest-physical space ends for requests: 2^MAXPHYADDR of the guest,
 * or of the TDP tables when they map less (NPT on a 4-level host).
 */
uint64_t vmctl_gpa_end(const struct vmctl_vm *v);
/* [gpa, gpa + size) meets one of the device's ranges (vmctl_mmio.c). */
bool vmctl_mmio_overlap(const struct vmctl_vm *v, uint64_t gpa, uint64_t size);
/* The vCPU with this id: 0, or -EINVAL (id out of range) / -ENOENT. */
int vmctl_vcpu_lookup(const struct vmctl_vm *v, uint32_t id, struct vcpu **vcpu);

#endif
