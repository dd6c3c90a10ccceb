/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/vmx/vmx_hw.h — what the files of the VMX vendor share: the
 * CPU's VMX capabilities, one vCPU's VMX state, and the functions one
 * file offers the others.  Kernel headers only (never core's).
 */
#ifndef MMULAB_HW_KMOD_VMX_VMX_HW_H
#define MMULAB_HW_KMOD_VMX_VMX_HW_H

#include <linux/types.h>

#include "hw/kmod/hv.h"
#include "hw/kmod/vmx/insn.h"

struct page;

/*
 * What this CPU's VMX offers and requires, from its capability MSRs
 * (SDM vol. 3C, appendix A), with the control fields already adjusted to
 * them.  Read by vmx_caps_read; the same on every CPU of the machine.
 */
struct vmx_caps {
	u32 revision;		/* VMCS revision identifier: first dword of the VMXON region and VMCS */
	u32 pin;		/* pin-based controls, adjusted */
	u32 proc;		/* primary processor-based controls, adjusted */
	u32 proc2;		/* secondary processor-based controls, adjusted */
	u32 exit;		/* VM-exit controls, adjusted */
	u32 entry;		/* VM-entry controls, adjusted, without VM_ENTRY_IA32E_MODE */
	u64 cr0_fixed0;		/* CR0 bits that must be 1 in VMX operation (A.7) */
	u64 cr0_fixed1;		/* CR0 bits that may be 1 */
	u64 cr4_fixed0;		/* the same for CR4 (A.8) */
	u64 cr4_fixed1;
	u64 ept_vpid;		/* IA32_VMX_EPT_VPID_CAP (A.10) */
};

/* One vCPU's VMX state (hv_vcpu.hw); only the CPU running it touches it. */
struct vmx_hw {
	struct page *vmcs_page;	/* the VMCS region */
	u64 vmcs_pa;
	struct vmx_caps caps;	/* read at vcpu_init */
	bool loaded;		/* current on this CPU (VMPTRLD); false after vcpu_put's VMCLEAR */
	bool launched;		/* launch state "launched": the next entry is VMRESUME */
	/* The last entry, for the exit's decoding and the dump. */
	enum vmx_status fail;	/* how VMPTRLD, INVEPT or VMLAUNCH/VMRESUME failed, or VMX_OK */
	const char *fail_what;	/* which instruction failed */
	u32 fail_error;		/* VM_INSTRUCTION_ERROR after a VMfailValid */
	bool fail_has_field;	/* a VMWRITE failed: */
	u32 fail_field;		/* its field encoding */
	u64 eptp;		/* the EPT pointer of the last entry */
};

/* The VMCS fields of one guest segment register, and its name (vmcs.c). */
struct vmx_seg_fields {
	const char *name;
	u32 sel, limit, ar, base;
};
/* ES, CS, SS, DS, FS, GS, LDTR, TR: the order of their encodings (appendix B). */
#define VMX_NR_SEGS	8
extern const struct vmx_seg_fields vmx_guest_segs[VMX_NR_SEGS];

/* caps.c: the capability MSRs; 0 or -EOPNOTSUPP with *missing naming what lacks. */
int vmx_caps_read(struct vmx_caps *c, const char **missing);
/* caps.c: hv_ops.probe and hv_ops.check. */
int vmx_probe(void);
int vmx_check(const struct hv_vcpu *v, const struct hv_tdp *tdp);

/* cpu.c: VMXON and VMXOFF on this CPU (hv_ops.cpu_enable / cpu_disable). */
int vmx_cpu_enable(void **cpu);
void vmx_cpu_disable(void *cpu);

/* vmx.c: an instruction failed; recorded for vmx_decode_exit (HV_EXIT_INVALID) and the dump. */
void vmx_failed(struct vmx_hw *h, const char *what, enum vmx_status st);

/* vmcs.c: the current VMCS. */
void vmx_vmcs_setup(struct vmx_hw *h);				/* controls and host state */
void vmx_vmcs_load_state(struct vmx_hw *h, const struct hv_state *st);	/* guest state */
void vmx_vmcs_load_event(struct vmx_hw *h, const struct hv_event *ev);	/* VM-entry event injection */
void vmx_vmcs_load_regs(struct vmx_hw *h, const struct hv_regs *r);	/* RSP, RIP, RFLAGS, EPTP, per-entry host state */
void vmx_vmcs_save_regs(struct hv_regs *r);			/* RSP, RIP, RFLAGS after the exit */
u64 vmx_eptp(const struct hv_tdp *tdp);				/* root, WB, depth, A/D */

/* exit.c: the exit as hv.h describes it; VMCALL's RIP advanced past it. */
void vmx_decode_exit(struct hv_vcpu *v, struct hv_exit *e);
/* exit.c: the last exit was an NMI, which the host must be given (vmenter.S). */
bool vmx_exit_is_nmi(void);

/* dump.c: hv_ops.dump. */
void vmx_dump(const struct hv_vcpu *v, const char *why);

/*
 * vmenter.S: one VMLAUNCH (launched = false) or VMRESUME with the guest's
 * general registers and CR2 from regs, stored back there after the exit.
 * 0 after a VM exit; 1 if the instruction failed (VMfail: CF or ZF), the
 * guest registers then untouched.
 */
int mmulab_vmx_vmenter(struct hv_regs *regs, bool launched);
/* vmenter.S: HOST_RIP, where VM exits land. */
extern const u8 mmulab_vmx_vmexit[];
/* vmenter.S: call the host's NMI handler as if the NMI had arrived here. */
void mmulab_vmx_host_nmi(void);

#endif
