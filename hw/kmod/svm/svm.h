/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/svm/svm.h — AMD SVM with nested paging: detection, per-CPU
 * enable, a VMCB per vCPU and the run loop that hands #NPF exits to the
 * MMU (core/mmu) and re-enters the guest.
 *
 * Everything that touches EFER.SVME, VM_HSAVE_PA or runs VMRUN happens on
 * one CPU: callers run it there with work_on_cpu() (svm_selftest does).
 */
#ifndef MMULAB_HW_KMOD_SVM_SVM_H
#define MMULAB_HW_KMOD_SVM_SVM_H

#include <linux/types.h>

#include "hw/kmod/svm/guest.h"
#include "hw/kmod/svm/svm_regs.h"

struct vcpu;
struct page;

/* What the CPU offers (svm_probe). */
struct svm_caps {
	u32 nr_asids;	/* CPUID 0x8000000A EBX */
	bool nrips;	/* next_rip is saved on exits (EDX bit 3) */
};

/*
 * 0 if SVM with NPT can be used here; else -ENODEV (no SVM, or disabled
 * by the firmware), -EOPNOTSUPP (no NPT, too few ASIDs, or SME active),
 * -EBUSY (another hypervisor, e.g. kvm_amd, has EFER.SVME set), with a
 * message saying what to do.  Checks the CPU it runs on.
 */
int svm_probe(struct svm_caps *caps);

/* The per-CPU state: the host save area.  Enable and disable on that CPU. */
struct svm_cpu {
	struct page *hsave;
};
int svm_cpu_enable(struct svm_cpu *c);
void svm_cpu_disable(struct svm_cpu *c);

/* One vCPU on SVM: its VMCB, permission maps and the registers VMRUN leaves alone. */
struct svm_vcpu {
	struct vcpu *vcpu;		/* core/vm's vCPU: its MMU context is vcpu->mmu */
	struct svm_caps caps;
	void *vmcb;			/* one page */
	struct page *vmcb_page;
	struct page *iopm;		/* 12 KiB used of 16, all ones */
	struct page *msrpm;		/* 8 KiB, all ones */
	struct svm_gprs gprs;
	bool first_run;			/* TLB_CONTROL = flush on the next VMRUN */
	bool flush_pending;		/* the MMU asked for a remote flush */
	bool user;			/* running the CPL-3 stub: #PF intercepted */
	bool pf;			/* user: the access took #PF */
	u32 pf_code;			/* its error code (EXITINFO1) */
	u64 pf_cr2;			/* its address (EXITINFO2) */
	bool gp_ok;			/* a #GP is the result (a non-canonical access), not an error */
	bool gp;			/* gp_ok: the guest took #GP */
	bool pkru_switch;		/* load pkru around VMRUN (guest CR4.PKE; VMRUN does not) */
	u32 pkru;			/* the guest's PKRU */
	bool fetch;			/* entered at a fetch's address: stop at its #NPF */
	bool fetched;			/* fetch: the guest's walk passed, the fetch reached the gpa */
	u64 fetch_gpa;			/* fetch: EXITINFO2 of that #NPF */
};

/* Exit counters of svm_vcpu_run (and of the VM's life, if the caller keeps adding). */
struct svm_run_stats {
	u64 exits;
	u64 npf;
	u64 intr;
	u64 flushes;	/* VMRUNs with TLB_CONTROL = flush */
};

int svm_vcpu_init(struct svm_vcpu *sv, const struct svm_caps *caps);
void svm_vcpu_destroy(struct svm_vcpu *sv);
/* Set the VMCB's guest state to the guest's entry state (guest.h). */
void svm_vcpu_reset(struct svm_vcpu *sv, struct vcpu *vcpu, const struct svm_guest *g);
/*
 * After svm_vcpu_reset: enter the CPL-3 stub instead (guest.h) for one
 * access, #PF intercepted.  After the run, sv->pf says whether it
 * faulted; else svm_vcpu_rax() is the value read.
 */
void svm_vcpu_set_user(struct svm_vcpu *sv, const struct svm_guest *g, u32 op, u32 bytes,
		       u64 addr, u64 value, bool ac);
u64 svm_vcpu_rax(const struct svm_vcpu *sv);
/*
 * After svm_vcpu_reset: enter at `addr` itself at CPL 0 or 3, #PF
 * intercepted, for a fetch (svm/README.md, "Fetches").  The caller has
 * zapped the nested tables, so the fetch's first #NPF outside the
 * guest's tables stops the run before anything executes: sv->fetched and
 * sv->fetch_gpa, or sv->pf if the guest's walk refused it.
 */
void svm_vcpu_set_fetch(struct svm_vcpu *sv, u8 cpl, u64 addr, bool ac);
/* The MMU's flush_remote_tlbs (vm_attach_mmu's `flush`); opaque = the svm_vcpu. */
void svm_flush_remote(void *opaque);
/*
 * Run until the guest's VMMCALL (0), handling #NPF through the MMU; at
 * most max_exits exits (-E2BIG).  -EIO on VMEXIT_INVALID, SHUTDOWN or an
 * unexpected exit (the VMCB is printed; call svm_vcpu_reset before
 * another run), -EFAULT on a fault the MMU cannot fix.
 */
int svm_vcpu_run(struct svm_vcpu *sv, u64 max_exits, struct svm_run_stats *st);

/*
 * The MAXPHYADDR to give a VM so that core/mmu builds nested tables as
 * deep as the host's paging (NPT walks with the host's depth): 52 on a
 * 5-level host (> 48 makes mmu_vm_create choose 5 levels), else at most 48.
 */
u8 svm_tdp_maxphyaddr(void);
/* The host has CR4.PKE, so svm_enter can switch PKRU for a guest with CR4.PKE. */
bool svm_host_pku(void);
/* The CPU has LA57, so a guest may run 5-level paging (whatever the host runs). */
bool svm_cpu_la57(void);

/* The hardware side of one run, for svm_run.c: VMRUN with GIF=0 around it. */
void svm_enter(struct svm_vcpu *sv);
/* Print the VMCB's exit information and guest state, prefixed by why. */
void svm_dump(const struct svm_vcpu *sv, const char *why);
/* cond_resched(), for svm_run.c (which includes no kernel header). */
void svm_resched(void);

/*
 * The self-test's VM and batches (selftest.c), on this CPU with SVM
 * enabled: 0, or nonzero with why[] saying what failed.  On success why[]
 * has the counters.
 */
int svm_selftest_run(struct svm_vcpu *sv, bool gbpages, char *why, unsigned int len);

/*
 * Run fn on one CPU (the first online one, through work_on_cpu) with SVM
 * probed and enabled there for the call, and disabled after.  fn's
 * result, or svm_probe's / svm_cpu_enable's error.  May sleep.
 */
int svm_on_cpu(int (*fn)(const struct svm_caps *caps, void *arg), void *arg);

/* The module-load self-test: prints "svm selftest PASS|FAIL ...|SKIP ...". */
void svm_selftest(void);

#endif
