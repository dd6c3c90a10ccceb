/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/vmctl_rsv.h — the interpreter hooked into the vCPU's page
 * tables for one MMULAB_RUN (vmctl_rsv.c).  Core headers only.
 */
#ifndef MMULAB_HW_KMOD_VMCTL_RSV_H
#define MMULAB_HW_KMOD_VMCTL_RSV_H

#include <linux/types.h>

struct hv_state;
struct vcpu;
struct vmctl_vm;

/* One entry of the vCPU's tables while it points at the region. */
struct vmctl_rsv_hook {
	u64 gpa;		/* the entry; 0: none (paging off, PAE without PDPTE 3) */
	unsigned int bytes;	/* 4 (32-bit paging) or 8 */
	u64 old;		/* what the vCPU had there, put back by vmctl_rsv_unhook */
	u64 ours;		/* what the hook wrote */
};

/*
 * Hook the region into the tables of `vcpu` (its paging mode, CR3 and
 * PDPTRs as they are now).  st has the vCPU's paging registers; in PAE
 * paging its cr3 and pdpte[] become the region's copy of the PDPTRs.  A
 * table in ROM is copied, and st's cr3 (PAE: pdpte[3]) points at the copy.
 * 0, -EINVAL (the entry lies in the module's own memory), or the errno of
 * a table outside guest memory (-ENXIO).
 */
int vmctl_rsv_hook(struct vmctl_vm *v, const struct vcpu *vcpu, struct hv_state *st,
		   struct vmctl_rsv_hook *h);
/* Put back what the vCPU had, unless the guest wrote the entry meanwhile.  0 or -errno. */
int vmctl_rsv_unhook(struct vmctl_vm *v, const struct vmctl_rsv_hook *h);

#endif
