// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmx/dump.c — hv_ops.dump: the last exit (or the VMX instruction
 * that failed instead) and the guest state, read back from the current
 * VMCS.  When a VM entry fails on the guest state, Bochs' log names the
 * exact check (hw/kmod/README.md, "Testing under emulators"); hardware
 * says only "invalid guest state".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": vmx: " fmt

#include <linux/kernel.h>
#include <linux/printk.h>

#include "hw/kmod/vmx/exits.h"
#include "hw/kmod/vmx/vmcs.h"
#include "hw/kmod/vmx/vmx_hw.h"

/* The exits the module's guest can cause (appendix C). */
static const char *vmx_exit_name(u32 basic)
{
	switch (basic) {
	case EXIT_REASON_EXCEPTION_NMI:		return "exception or NMI";
	case EXIT_REASON_EXTERNAL_INTERRUPT:	return "external interrupt";
	case EXIT_REASON_TRIPLE_FAULT:		return "triple fault";
	case EXIT_REASON_CPUID:			return "CPUID";
	case EXIT_REASON_HLT:			return "HLT";
	case EXIT_REASON_VMCALL:		return "VMCALL";
	case EXIT_REASON_CR_ACCESS:		return "control-register access";
	case EXIT_REASON_IO_INSTRUCTION:	return "I/O instruction";
	case EXIT_REASON_MSR_READ:		return "RDMSR";
	case EXIT_REASON_MSR_WRITE:		return "WRMSR";
	case EXIT_REASON_INVALID_STATE:		return "VM entry failure: invalid guest state";
	case EXIT_REASON_MSR_LOAD_FAIL:		return "VM entry failure: MSR loading";
	case EXIT_REASON_MCE_DURING_VMENTRY:	return "VM entry failure: machine-check event";
	case EXIT_REASON_EPT_VIOLATION:		return "EPT violation";
	case EXIT_REASON_EPT_MISCONFIG:		return "EPT misconfiguration";
	case EXIT_REASON_XSETBV:		return "XSETBV";
	}
	return "see the SDM, appendix C";
}

/* VM-instruction error numbers the module's instructions can meet (31.4). */
static const char *vmx_insn_error_name(u32 err)
{
	switch (err) {
	case 4:		return "VMLAUNCH with non-clear VMCS";
	case 5:		return "VMRESUME with non-launched VMCS";
	case 7:		return "VM entry with invalid control field(s)";
	case 8:		return "VM entry with invalid host-state field(s)";
	case 9:		return "VMPTRLD with invalid physical address";
	case 11:	return "VMPTRLD with incorrect VMCS revision identifier";
	case 12:	return "VMREAD/VMWRITE from/to unsupported VMCS component";
	case 13:	return "VMWRITE to read-only VMCS component";
	case 26:	return "VM entry with events blocked by MOV SS";
	case 28:	return "invalid operand to INVEPT/INVVPID";
	}
	return "see the SDM, 31.4";
}

void vmx_dump(const struct hv_vcpu *v, const char *why)
{
	const struct vmx_hw *h = v->hw;
	u32 reason;
	unsigned int i;

	if (h->fail != VMX_OK) {
		pr_err("%s: %s failed: %s\n", why, h->fail_what,
		       h->fail == VMX_FAIL_INVALID ? "VMfailInvalid (no current VMCS, or a bad pointer)" :
		       "VMfailValid");
		if (h->fail == VMX_FAIL_VALID)
			pr_err("  VM-instruction error %u: %s\n", h->fail_error,
			       vmx_insn_error_name(h->fail_error));
		if (h->fail_has_field)
			pr_err("  the VMWRITE's field: %#x\n", h->fail_field);
		if (h->fail == VMX_FAIL_INVALID)
			return;
	} else {
		reason = vmcs_read(VM_EXIT_REASON);
		pr_err("%s: exit reason %#x (%s%s) qualification=%#llx\n", why, reason,
		       reason & VMX_EXIT_REASON_FAILED_VMENTRY ? "failed entry: " : "",
		       vmx_exit_name(reason & VMX_EXIT_REASON_BASIC), vmcs_read(EXIT_QUALIFICATION));
		pr_err("  intr_info=%#llx error_code=%#llx insn_len=%llu idt_vectoring=%#llx/%#llx\n",
		       vmcs_read(VM_EXIT_INTR_INFO), vmcs_read(VM_EXIT_INTR_ERROR_CODE),
		       vmcs_read(VM_EXIT_INSTRUCTION_LEN), vmcs_read(IDT_VECTORING_INFO_FIELD),
		       vmcs_read(IDT_VECTORING_ERROR_CODE));
		pr_err("  gpa=%#llx gla=%#llx\n", vmcs_read(GUEST_PHYSICAL_ADDRESS),
		       vmcs_read(GUEST_LINEAR_ADDRESS));
	}
	pr_err("  rip=%#llx rsp=%#llx rflags=%#llx rax=%#llx cr2=%#llx\n",
	       vmcs_read(GUEST_RIP), vmcs_read(GUEST_RSP), vmcs_read(GUEST_RFLAGS),
	       v->regs.rax, v->regs.cr2);
	pr_err("  cr0=%#llx (shadow %#llx) cr3=%#llx cr4=%#llx (shadow %#llx) efer=%#llx\n",
	       vmcs_read(GUEST_CR0), vmcs_read(CR0_READ_SHADOW), vmcs_read(GUEST_CR3),
	       vmcs_read(GUEST_CR4), vmcs_read(CR4_READ_SHADOW), vmcs_read(GUEST_IA32_EFER));
	for (i = 0; i < VMX_NR_SEGS; i++) {
		const struct vmx_seg_fields *s = &vmx_guest_segs[i];

		pr_err("  %-4s sel=%#06llx ar=%#07llx limit=%#llx base=%#llx\n", s->name,
		       vmcs_read(s->sel), vmcs_read(s->ar), vmcs_read(s->limit), vmcs_read(s->base));
	}
	pr_err("  gdtr=%#llx/%#llx idtr=%#llx/%#llx\n", vmcs_read(GUEST_GDTR_BASE),
	       vmcs_read(GUEST_GDTR_LIMIT), vmcs_read(GUEST_IDTR_BASE), vmcs_read(GUEST_IDTR_LIMIT));
	pr_err("  eptp=%#llx pin=%#llx proc=%#llx proc2=%#llx entry=%#llx exit=%#llx exceptions=%#llx\n",
	       vmcs_read(EPT_POINTER), vmcs_read(PIN_BASED_VM_EXEC_CONTROL),
	       vmcs_read(CPU_BASED_VM_EXEC_CONTROL), vmcs_read(SECONDARY_VM_EXEC_CONTROL),
	       vmcs_read(VM_ENTRY_CONTROLS), vmcs_read(VM_EXIT_CONTROLS), vmcs_read(EXCEPTION_BITMAP));
}
