/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/hv_run.h — running a vCPU until its hypercall (hv_run.c).
 */
#ifndef MMULAB_HW_KMOD_HV_RUN_H
#define MMULAB_HW_KMOD_HV_RUN_H

#include <linux/types.h>

#include "core/x86/walk.h"

struct hv_vcpu;

/* Exit counters (of one run, or of a VM's life if the caller keeps adding). */
struct hv_run_stats {
	u64 runs;	/* hv_vcpu_run calls */
	u64 exits;	/* one per entry */
	u64 tdp;	/* #NPF / EPT violations (a missing or lacking SPTE) */
	u64 misconfig;	/* #NPF with RSVD / EPT misconfigurations (MMIO SPTEs) */
	u64 mmio;	/* accesses performed on the device in the guest's place */
	u64 intr;	/* external interrupts and NMIs */
	u64 flushes;	/* entries that flushed the guest's TLB */
	u64 tsc_guest;	/* TSC ticks from just before each entry to just after its exit */
	u64 tsc_exits;	/* TSC ticks from an exit to the next entry of the same run */
};

/* One run: what ends it besides the hypercall, and what it found. */
struct hv_run {
	u64 max_exits;			/* -E2BIG after this many exits */
	struct hv_run_stats *stats;	/* added to */
	bool pf_ok;			/* an intercepted #PF is the result (state.intercept_pf) */
	bool gp_ok;			/* an intercepted #GP is the result (a non-canonical access) */
	/*
	 * The CPU makes the run's one access itself (a fetch, the gate read
	 * of an implicit access), and nothing may run after it: stop at its
	 * TDP fault, the first on a final gpa (not on the guest's own tables)
	 * outside [own_gpa, own_gpa + own_size), the interpreter's pages,
	 * which the CPU may need first (the INT's fetch).
	 */
	bool stop_at_access;
	u64 own_gpa, own_size;
	/*
	 * stop_at_access: that access, for the host's own walks of it
	 * (hv_maxphyaddr.c): its linear address, kind, CPL and EFLAGS.AC.
	 */
	struct walk_access access;
	/*
	 * The guest's MAXPHYADDR (hv_maxphyaddr.c): a TDP fault at or above
	 * 2^maxphyaddr is a reserved-bit #PF of the guest's; when it is not
	 * the CPU's, the state must intercept #PF (hv_state.intercept_pf),
	 * and each #PF is checked and delivered by the run.
	 */
	u8 maxphyaddr;
	/* out */
	bool pf;			/* pf_ok: the guest took #PF */
	u32 pf_code;			/* its error code */
	u64 pf_cr2;			/* its address */
	bool gp;			/* gp_ok: the guest took #GP */
	bool reached;			/* stop_at_access: the guest's walk passed, the access */
	u64 access_gpa;			/* reached this gpa */
};

/*
 * Run v until the guest's hypercall (0), handling TDP faults through the
 * MMU on the way.  Also 0 when r asked for it and the guest took #PF or
 * #GP, or its one access reached its gpa.  A #PF the CPU could not raise
 * itself (r->maxphyaddr) is injected, or is the result when r asked for
 * #PF; an access to MMIO or ROM is performed in the guest's place
 * (hv_emulate.h).  -EOPNOTSUPP when the CPU's MAXPHYADDR is too small for
 * the guest's tables (hv_maxphyaddr.h); -E2BIG after r->max_exits exits;
 * -EIO on a failed entry, a triple fault or an unexpected exit (dumped:
 * load the state again before another run); -EFAULT on a fault the MMU
 * cannot fix; hv_emulate.h's errors; -ENXIO when the guest's own tables
 * are in no memory; -EOPNOTSUPP when the vendor cannot run the state or
 * the tables on this CPU (hv_ops.check).
 */
int hv_vcpu_run(struct hv_vcpu *v, struct hv_run *r);

#endif
