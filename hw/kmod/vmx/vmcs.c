// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmx/vmcs.c — the current VMCS, written from the module's
 * neutral state (hv.h): the control fields and the host state after each
 * VMPTRLD, the guest state when the caller loaded a new one, and the
 * registers and EPT pointer before every entry.  Intel SDM vol. 3C:
 * chapter 25 says what each field means, 27.2 and 27.3 what VM entry
 * checks in them.
 *
 * A VMWRITE that fails (an unsupported field, a value out of range) is the
 * module's bug: the first one is recorded in the vCPU (vmx_failed), and
 * vmx_enter does not enter.
 */
#include <linux/kernel.h>
#include <linux/smp.h>
#include <asm/cpu_entry_area.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/trapnr.h>

#include "hw/kmod/vmx/controls.h"
#include "hw/kmod/vmx/exits.h"
#include "hw/kmod/vmx/vmcs.h"
#include "hw/kmod/vmx/vmx_hw.h"

/*
 * hv_seg.attr is the VMCB's 12-bit form: type, S, DPL, P in bits 7:0,
 * AVL, L, D/B, G in bits 11:8.  The VMCS keeps the descriptor's layout,
 * with the upper four in bits 15:12 (25.4.1), and bit 16 "unusable".
 */
#define HV_SEG_ATTR_LOW		GENMASK(7, 0)
#define HV_SEG_ATTR_HIGH	GENMASK(11, 8)
#define VMX_AR_HIGH_SHIFT	4

/* Intercepted for diagnostics: the guest's IDT handles only #PF. */
#define VMX_DIAG_EXCEPTIONS	(BIT(X86_TRAP_UD) | BIT(X86_TRAP_DF) | BIT(X86_TRAP_GP))

/* Activity state "active" (25.4.2). */
#define VMX_GUEST_ACTIVE	0

const struct vmx_seg_fields vmx_guest_segs[VMX_NR_SEGS] = {
	{ "es", GUEST_ES_SELECTOR, GUEST_ES_LIMIT, GUEST_ES_AR_BYTES, GUEST_ES_BASE },
	{ "cs", GUEST_CS_SELECTOR, GUEST_CS_LIMIT, GUEST_CS_AR_BYTES, GUEST_CS_BASE },
	{ "ss", GUEST_SS_SELECTOR, GUEST_SS_LIMIT, GUEST_SS_AR_BYTES, GUEST_SS_BASE },
	{ "ds", GUEST_DS_SELECTOR, GUEST_DS_LIMIT, GUEST_DS_AR_BYTES, GUEST_DS_BASE },
	{ "fs", GUEST_FS_SELECTOR, GUEST_FS_LIMIT, GUEST_FS_AR_BYTES, GUEST_FS_BASE },
	{ "gs", GUEST_GS_SELECTOR, GUEST_GS_LIMIT, GUEST_GS_AR_BYTES, GUEST_GS_BASE },
	{ "ldtr", GUEST_LDTR_SELECTOR, GUEST_LDTR_LIMIT, GUEST_LDTR_AR_BYTES, GUEST_LDTR_BASE },
	{ "tr", GUEST_TR_SELECTOR, GUEST_TR_LIMIT, GUEST_TR_AR_BYTES, GUEST_TR_BASE },
};

static void vmw(struct vmx_hw *h, u32 field, u64 value)
{
	enum vmx_status st = vmcs_write(field, value);

	if (st == VMX_OK || h->fail != VMX_OK)
		return;
	vmx_failed(h, "VMWRITE", st);
	h->fail_has_field = true;
	h->fail_field = field;
}

void vmx_vmcs_setup(struct vmx_hw *h)
{
	const struct vmx_caps *c = &h->caps;
	struct desc_ptr gdt, idt;
	u64 msr;

	vmw(h, PIN_BASED_VM_EXEC_CONTROL, c->pin);
	vmw(h, CPU_BASED_VM_EXEC_CONTROL, c->proc);
	vmw(h, SECONDARY_VM_EXEC_CONTROL, c->proc2);
	vmw(h, VM_EXIT_CONTROLS, c->exit);
	/* Every #PF exits when the exception bitmap has it (25.6.3). */
	vmw(h, PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmw(h, PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmw(h, CR3_TARGET_COUNT, 0);
	vmw(h, VM_EXIT_MSR_STORE_COUNT, 0);
	vmw(h, VM_EXIT_MSR_LOAD_COUNT, 0);
	vmw(h, VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmw(h, VM_ENTRY_INTR_INFO_FIELD, 0);	/* nothing injected */
	vmw(h, VMCS_LINK_POINTER, VMX_NO_LINK_POINTER);

	/*
	 * The host state a VM exit loads (28.5), as Linux 6.1 runs this CPU:
	 * the kernel's CS and SS; DS, ES, FS and GS selectors 0 (27.2.3
	 * wants RPL 0, and 64-bit kernel code does not use them); the TSS
	 * and GDT in the CPU's entry area.  The kworker is bound to this CPU,
	 * so its per-CPU addresses hold until vcpu_put.
	 */
	vmw(h, HOST_CR0, read_cr0());
	vmw(h, HOST_CR4, __read_cr4());
	vmw(h, HOST_CS_SELECTOR, __KERNEL_CS);
	vmw(h, HOST_SS_SELECTOR, __KERNEL_DS);
	vmw(h, HOST_DS_SELECTOR, 0);
	vmw(h, HOST_ES_SELECTOR, 0);
	vmw(h, HOST_FS_SELECTOR, 0);
	vmw(h, HOST_GS_SELECTOR, 0);
	vmw(h, HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	vmw(h, HOST_TR_BASE,
	    (unsigned long)&get_cpu_entry_area(raw_smp_processor_id())->tss.x86_tss);
	native_store_gdt(&gdt);
	vmw(h, HOST_GDTR_BASE, gdt.address);
	store_idt(&idt);
	vmw(h, HOST_IDTR_BASE, idt.address);
	rdmsrl(MSR_IA32_SYSENTER_CS, msr);
	vmw(h, HOST_IA32_SYSENTER_CS, msr);
	rdmsrl(MSR_IA32_SYSENTER_ESP, msr);
	vmw(h, HOST_IA32_SYSENTER_ESP, msr);
	rdmsrl(MSR_IA32_SYSENTER_EIP, msr);
	vmw(h, HOST_IA32_SYSENTER_EIP, msr);
	rdmsrl(MSR_EFER, msr);
	vmw(h, HOST_IA32_EFER, msr);
	vmw(h, HOST_RIP, (unsigned long)mmulab_vmx_vmexit);
}

/* An hv_seg's attributes as VMX access rights; attr 0 is an unusable segment. */
static u32 vmx_ar(u16 attr)
{
	if (!attr)
		return VMX_AR_UNUSABLE;
	return (attr & HV_SEG_ATTR_LOW) | (attr & HV_SEG_ATTR_HIGH) << VMX_AR_HIGH_SHIFT;
}

void vmx_vmcs_load_state(struct vmx_hw *h, const struct hv_state *st)
{
	const struct hv_seg *segs[VMX_NR_SEGS] = {
		&st->es, &st->cs, &st->ss, &st->ds, &st->fs, &st->gs, &st->ldtr, &st->tr,
	};
	const struct vmx_caps *c = &h->caps;
	unsigned int i;

	for (i = 0; i < VMX_NR_SEGS; i++) {
		vmw(h, vmx_guest_segs[i].sel, segs[i]->sel);
		vmw(h, vmx_guest_segs[i].limit, segs[i]->limit);
		vmw(h, vmx_guest_segs[i].ar, vmx_ar(segs[i]->attr));
		vmw(h, vmx_guest_segs[i].base, segs[i]->base);
	}
	vmw(h, GUEST_GDTR_BASE, st->gdtr.base);
	vmw(h, GUEST_GDTR_LIMIT, st->gdtr.limit);
	vmw(h, GUEST_IDTR_BASE, st->idtr.base);
	vmw(h, GUEST_IDTR_LIMIT, st->idtr.limit);

	/*
	 * VMX operation needs the FIXED0 bits of CR0 and CR4 set in the guest
	 * too (27.3.1.1: CR0.NE, CR4.VMXE, ...).  The guest gets them, owned
	 * by the host through the guest/host masks, and sees its own values
	 * in the read shadows (25.6.6); vmx_check refused bits outside FIXED1.
	 * (CR0.PE and PG are FIXED0 too without "unrestricted guest", which
	 * the module does not use: the interpreter always runs with paging.)
	 */
	vmw(h, GUEST_CR0, st->cr0 | c->cr0_fixed0);
	vmw(h, CR0_GUEST_HOST_MASK, c->cr0_fixed0);
	vmw(h, CR0_READ_SHADOW, st->cr0);
	vmw(h, GUEST_CR4, st->cr4 | c->cr4_fixed0);
	vmw(h, CR4_GUEST_HOST_MASK, c->cr4_fixed0);
	vmw(h, CR4_READ_SHADOW, st->cr4);
	vmw(h, GUEST_CR3, st->cr3);
	/* EFER through the load-IA32_EFER entry control; IA-32e mode must match its LMA (27.3.1.1). */
	vmw(h, GUEST_IA32_EFER, st->efer);
	vmw(h, VM_ENTRY_CONTROLS, c->entry | (st->efer & EFER_LMA ? VM_ENTRY_IA32E_MODE : 0));
	/* PAE paging with EPT: the entry loads the PDPTEs from the VMCS (27.3.2.4). */
	if ((st->cr0 & X86_CR0_PG) && (st->cr4 & X86_CR4_PAE) && !(st->efer & EFER_LMA))
		for (i = 0; i < ARRAY_SIZE(st->pdpte); i++)
			vmw(h, GUEST_PDPTR0 + 2 * i, st->pdpte[i]);

	vmw(h, GUEST_DR7, VMX_GUEST_DR7);
	vmw(h, GUEST_IA32_DEBUGCTL, 0);
	vmw(h, GUEST_SYSENTER_CS, 0);
	vmw(h, GUEST_SYSENTER_ESP, 0);
	vmw(h, GUEST_SYSENTER_EIP, 0);
	vmw(h, GUEST_INTERRUPTIBILITY_INFO, 0);		/* no STI/MOV SS/NMI blocking */
	vmw(h, GUEST_ACTIVITY_STATE, VMX_GUEST_ACTIVE);
	vmw(h, GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmw(h, EXCEPTION_BITMAP, VMX_DIAG_EXCEPTIONS | (st->intercept_pf ? BIT(X86_TRAP_PF) : 0));
}

u64 vmx_eptp(const struct hv_tdp *tdp)
{
	return tdp->root | VMX_EPTP_MT_WB | (u64)(tdp->levels - 1) << VMX_EPTP_PWL_SHIFT |
	       (tdp->ept_ad ? VMX_EPTP_AD_ENABLE : 0);
}

void vmx_vmcs_load_regs(struct vmx_hw *h, const struct hv_regs *r)
{
	u64 base;

	vmw(h, GUEST_RSP, r->rsp);
	vmw(h, GUEST_RIP, r->rip);
	vmw(h, GUEST_RFLAGS, r->rflags);
	vmw(h, EPT_POINTER, h->eptp);
	/* What may change between entries on this CPU: the address space and FS/GS bases. */
	vmw(h, HOST_CR3, __read_cr3());
	rdmsrl(MSR_FS_BASE, base);
	vmw(h, HOST_FS_BASE, base);
	rdmsrl(MSR_GS_BASE, base);
	vmw(h, HOST_GS_BASE, base);
}

/*
 * The exception to deliver with the next entry (26.6, event injection),
 * or none.  A #PF's CR2 is the guest's regs.cr2, which vmenter.S loads.
 */
void vmx_vmcs_load_event(struct vmx_hw *h, const struct hv_event *ev)
{
	if (!ev->pending) {
		vmw(h, VM_ENTRY_INTR_INFO_FIELD, 0);
		return;
	}
	vmw(h, VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID_MASK | INTR_TYPE_HARD_EXCEPTION |
	    (ev->has_error_code ? INTR_INFO_DELIVER_CODE_MASK : 0) | ev->vector);
	vmw(h, VM_ENTRY_EXCEPTION_ERROR_CODE, ev->error_code);
}

void vmx_vmcs_save_regs(struct hv_regs *r)
{
	r->rsp = vmcs_read(GUEST_RSP);
	r->rip = vmcs_read(GUEST_RIP);
	r->rflags = vmcs_read(GUEST_RFLAGS);
}
