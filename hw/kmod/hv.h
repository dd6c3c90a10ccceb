/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/hv.h — one hardware virtualization extension (AMD SVM or Intel
 * VMX) behind one table, so that the run loop (hv_run.c), MMULAB_RUN
 * (vmctl_run.c) and the load-time self-test (hv_selftest.c) never ask
 * which vendor they drive.
 *
 * A vendor does the world switch and nothing else: it loads the guest
 * state the caller describes (struct hv_state, in one neutral form), enters
 * the guest with the TDP root the MMU built, and describes the exit in
 * neutral terms (struct hv_exit).  What an exit means — a fault for the
 * MMU, a finished batch, an error — is decided in hv_run.c.
 *
 * Included by both sides of the module: the kernel side (svm/svm.c,
 * vmx/, hv.c) and the core side (hv_run.c, vmctl_run.c), so it uses only
 * <linux/types.h>.
 */
#ifndef MMULAB_HW_KMOD_HV_H
#define MMULAB_HW_KMOD_HV_H

#include <linux/types.h>

#include "hw/kmod/hv_regs.h"

struct vcpu;
struct hv_vcpu;

/*
 * A segment register as the guest sees it.  attr is in the VMCB's
 * 12-bit form (AMD APM vol. 2, 15.5.1): type 3:0, S 4, DPL 6:5, P 7,
 * AVL 8, L 9, D/B 10, G 11; VMX shifts bits 11:8 up to 15:12.  attr 0
 * is an unusable (null) segment.
 */
struct hv_seg {
	u16 sel;
	u16 attr;
	u32 limit;
	u64 base;
};

/* Everything the guest starts with at the next entry (hv_vcpu_load). */
struct hv_state {
	u64 cr0, cr3, cr4;
	u64 efer;		/* LME/LMA as the guest runs; SVM adds SVME itself */
	u8 cpl;
	struct hv_seg cs, ss, ds, es, fs, gs, tr, ldtr;
	struct hv_seg gdtr, idtr;	/* base and limit only */
	/*
	 * PAE paging: the PDPTEs a MOV to CR3 would have loaded.  VMX with
	 * EPT takes them from the VMCS at entry (SDM 27.3.2.4); SVM reads
	 * them from guest memory on each walk and ignores these, so
	 * MMULAB_RUN points cr3 at a copy of them (vmctl_rsv.c).
	 */
	u64 pdpte[4];
	bool intercept_pf;	/* #PF exits to the host instead of the guest's IDT */
	bool pkru_switch;	/* load pkru around the entry (guest CR4.PKE: no vendor switches it) */
	u32 pkru;		/* the guest's PKRU */
};

/*
 * An exception for the guest's IDT: one the host injects with the next
 * entry (a #PF the hardware did not raise: hv_maxphyaddr.c), or one whose
 * delivery an exit interrupted, to be injected again (APM 15.7.2, SDM
 * 27.2.4; KVM's kvm_requeue_exception).  Only exceptions: the guest runs
 * with interrupts off and NMIs are intercepted.
 */
struct hv_event {
	bool pending;
	u8 vector;
	bool has_error_code;	/* the exception pushes error_code (#PF, #GP, ...) */
	u32 error_code;
};

/* The TDP tables the CPU walks for the guest, as the MMU built them. */
struct hv_tdp {
	u64 root;		/* hpa of the top-level table */
	u8 levels;		/* 4 or 5 */
	bool ept_ad;		/* EPT with accessed/dirty flags (EPTP bit 6) */
	bool gbpages;		/* the MMU may install 1 GiB leaves */
};

enum hv_exit_reason {
	HV_EXIT_HYPERCALL,	/* VMMCALL / VMCALL; regs.rip is already past it */
	HV_EXIT_TDP,		/* #NPF, EPT violation or EPT misconfiguration: the tdp fields */
	HV_EXIT_EXCEPTION,	/* an intercepted exception: vector, error_code, cr2 */
	HV_EXIT_INTR,		/* an external interrupt or NMI: the host took it; re-enter */
	HV_EXIT_SHUTDOWN,	/* triple fault */
	HV_EXIT_INVALID,	/* the entry failed: invalid guest or control state */
	HV_EXIT_OTHER,		/* anything else (raw says which) */
};

struct hv_exit {
	enum hv_exit_reason reason;
	u64 raw;		/* the vendor's exit code, for messages */
	/* HV_EXIT_TDP */
	u64 gpa;
	bool write;		/* the access was a write (guest-table accesses count as writes where the CPU says so) */
	bool fetch;		/* an instruction fetch */
	bool present;		/* the TDP entry was present but lacked the right */
	bool misconfig;		/* reserved bits in a TDP entry (an MMIO SPTE) */
	bool guest_table;	/* while the CPU walked the guest's own tables */
	/* HV_EXIT_EXCEPTION */
	u8 vector;
	u32 error_code;
	u64 cr2;		/* #PF: the faulting linear address */
	/*
	 * Any exit: the exception the CPU was delivering when the exit came
	 * (SVM EXITINTINFO, VMX IDT-vectoring information).  A software
	 * interrupt there (the INT n of an implicit read, vmctl_run.c) is
	 * left out: its RIP is still the INT's, which the next entry runs
	 * again, as KVM retries INT n without NRIPS.  An external interrupt
	 * or NMI there cannot happen to this guest: the vendor reports the
	 * exit as HV_EXIT_OTHER.
	 */
	struct hv_event interrupted;
};

/* What a vendor offers on this CPU, and the vendor's entry points. */
struct hv_ops {
	const char *name;	/* "svm", "vmx": in messages and the self-test line */
	bool ept;		/* walks EPT (VMX); else NPT (SVM) */
	/*
	 * The guest's hypercall instruction (VMMCALL 0f 01 d9 / VMCALL 0f 01
	 * c1): guest_place writes it at every hypercall site of the guest.
	 */
	u8 hypercall[3];
	/*
	 * On this CPU: 0 if the extension can run the module's guests here;
	 * else -ENODEV (absent or disabled by the firmware), -EOPNOTSUPP
	 * (lacks what the module needs) or -EBUSY (another hypervisor holds
	 * it), after a message saying what to do.
	 */
	int (*probe)(void);
	/* Turn the extension on and off on this CPU (host save area, VMXON). */
	int (*cpu_enable)(void **cpu);
	void (*cpu_disable)(void *cpu);
	/* The vendor's per-vCPU state (VMCB, VMCS): v->hw.  May sleep. */
	int (*vcpu_init)(struct hv_vcpu *v);
	void (*vcpu_destroy)(struct hv_vcpu *v);
	/*
	 * Whether this CPU can run v->state on tables like tdp (its root
	 * aside): 0, or -EOPNOTSUPP after a message (VMX: a guest CR0/CR4
	 * bit the CPU does not allow in VMX operation, EPT A/D, 5-level EPT
	 * or 1 GiB EPT leaves it lacks).  Called by hv_vcpu_run before its
	 * first entry.  NULL: the vendor runs whatever it is given.
	 */
	int (*check)(const struct hv_vcpu *v, const struct hv_tdp *tdp);
	/*
	 * One entry and exit, with interrupts handled: loads v->state first if
	 * v->state_dirty, then v->regs; delivers v->event with the entry when
	 * it is pending (SVM EVENTINJ, VMX VM-entry interruption information)
	 * and clears it; after the exit v->regs holds the guest's registers
	 * and *exit what happened.  flush: flush the guest's TLB entries
	 * (guest-physical and combined) before it runs.
	 */
	void (*enter)(struct hv_vcpu *v, const struct hv_tdp *tdp, bool flush,
		      struct hv_exit *exit);
	/* The run on this CPU is over (VMX: VMCLEAR before VMXOFF). */
	void (*vcpu_put)(struct hv_vcpu *v);
	/* Print the exit and the guest state, prefixed by why. */
	void (*dump)(const struct hv_vcpu *v, const char *why);
	/*
	 * The width of the TDP tables of a VM whose guest has MAXPHYADDR
	 * `want` (mmu_config.tdp_maxphyaddr), so that core/mmu builds them as
	 * deep as this vendor walks them (core chooses 5 levels above 48
	 * bits); the guest keeps its own.  NPT walks have the host's depth, so SVM may
	 * change it; VMX returns it unchanged and refuses at run time a depth
	 * the CPU cannot walk.
	 */
	u8 (*tdp_maxphyaddr)(u8 want);
};

/* One vCPU on the hardware: the neutral part, and the vendor's behind hw. */
struct hv_vcpu {
	const struct hv_ops *ops;
	struct vcpu *vcpu;	/* core/vm's vCPU: its MMU context is vcpu->mmu */
	void *hw;		/* the vendor's (VMCB, VMCS, ...) */
	struct hv_state state;	/* what hv_vcpu_load set; the vendor reads it */
	bool state_dirty;	/* state changed since the last entry: load it all */
	struct hv_regs regs;	/* general registers, rsp, rip, rflags: in and out of each entry */
	struct hv_event event;	/* delivered with the next entry (enter clears it); a #PF's CR2 is regs.cr2 */
	bool flush_pending;	/* the MMU asked for a flush; the next entry takes it (atomic) */
};

/*
 * The vendor this CPU has (SVM or VMX): 0 with *out, or the probe's
 * error (-ENODEV: neither), with the reason logged.
 */
int hv_find(const struct hv_ops **out);

/* Allocate and free the vendor state of v (v->ops set by the caller). */
int hv_vcpu_init(struct hv_vcpu *v, const struct hv_ops *ops, struct vcpu *vcpu);
void hv_vcpu_destroy(struct hv_vcpu *v);
/* The guest's full state for the next entry; regs are zeroed and set from rip/rsp, no event pending. */
void hv_vcpu_load(struct hv_vcpu *v, const struct hv_state *st, u64 rip, u64 rsp);
/* The MMU's flush_remote_tlbs for this vCPU (vm_attach_mmu's `flush`): opaque = v. */
void hv_flush_remote(void *opaque);

/*
 * Run fn on one CPU (the first online one, through work_on_cpu) with the
 * vendor probed and enabled there for the call, and disabled after:
 * fn's result, or the probe's / enable's error.  May sleep.
 */
int hv_on_cpu(const struct hv_ops *ops, int (*fn)(void *arg), void *arg);

/* The vendor's tdp_maxphyaddr(want) for an EPT or NPT VM; want if no such vendor is built in. */
u8 hv_tdp_maxphyaddr(bool ept, u8 want);

/* What this CPU offers guests, whatever the vendor (hv.c). */
bool hv_cpu_la57(void);		/* 5-level guest paging */
bool hv_host_pku(void);		/* the host has CR4.PKE: PKRU can be switched */
bool hv_cpu_gbpages(void);	/* 1 GiB pages */
u8 hv_cpu_maxphyaddr(void);	/* CPUID 0x80000008 EAX[7:0] */
/* The TSC, ordered against the instructions around it; and its frequency (0: unknown). */
u64 hv_tsc(void);
u64 hv_tsc_khz(void);

/*
 * At load: the CPU's SVM or VMX, then the self-test on it (hv_selftest.c),
 * which prints one line "<vendor> selftest PASS|FAIL ...|SKIP ..." and
 * never stops the load.  0, or the errno of a CPU whose SVM/VMX mmulab
 * cannot use, the reason logged: -ENODEV none (or the firmware disabled
 * it), -EBUSY another hypervisor holds it, -EOPNOTSUPP it lacks what the
 * module needs.  The module does not load then (main.c).
 */
int hv_selftest(void);

#endif
