/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/hv_run.h — running a vCPU until its hypercall (hv_run.c).
 */
#ifndef MMULAB_HW_KMOD_HV_RUN_H
#define MMULAB_HW_KMOD_HV_RUN_H

#include <linux/types.h>

struct hv_vcpu;

/* Exit counters (of one run, or of a VM's life if the caller keeps adding). */
struct hv_run_stats {
	u64 exits;
	u64 tdp;	/* #NPF / EPT violations and misconfigurations */
	u64 intr;	/* external interrupts and NMIs */
	u64 flushes;	/* entries that flushed the guest's TLB */
};

/* One run: what ends it besides the hypercall, and what it found. */
struct hv_run {
	u64 max_exits;			/* -E2BIG after this many exits */
	struct hv_run_stats *stats;	/* added to */
	bool pf_ok;			/* an intercepted #PF is the result (state.intercept_pf) */
	bool gp_ok;			/* an intercepted #GP is the result (a non-canonical access) */
	bool fetch;			/* entered at a fetch's address: stop at its TDP fault */
	/* out */
	bool pf;			/* pf_ok: the guest took #PF */
	u32 pf_code;			/* its error code */
	u64 pf_cr2;			/* its address */
	bool gp;			/* gp_ok: the guest took #GP */
	bool fetched;			/* fetch: the guest's walk passed, the fetch reached fetch_gpa */
	u64 fetch_gpa;
};

/*
 * Run v until the guest's hypercall (0), handling TDP faults through the
 * MMU on the way.  Also 0 when r asked for it and the guest took #PF or
 * #GP, or a fetch reached its gpa.  -E2BIG after r->max_exits exits;
 * -EIO on a failed entry, a triple fault or an unexpected exit (dumped:
 * load the state again before another run); -EFAULT on a fault the MMU
 * cannot fix; -ENOSYS on an access to MMIO (not emulated yet);
 * -EOPNOTSUPP when the vendor cannot run the state or the tables on this
 * CPU (hv_ops.check).
 */
int hv_vcpu_run(struct hv_vcpu *v, struct hv_run *r);

#endif
