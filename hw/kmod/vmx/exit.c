// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmx/exit.c — a VM exit in hv.h's neutral terms (struct
 * hv_exit), read from the current VMCS's exit-information fields (Intel
 * SDM vol. 3C, 25.9 and 28.2).  What an exit means is hv_run.c's business.
 *
 *   exception or NMI (0)   VM_EXIT_INTR_INFO: an NMI is HV_EXIT_INTR (the
 *                          host already ran its handler: vmx.c); else the
 *                          vector, the error code if it has one, and for
 *                          #PF the linear address in EXIT_QUALIFICATION
 *                          (CR2 is not loaded by a #PF that exits: 28.1)
 *   external interrupt (1) the host takes it after the exit
 *   triple fault (2)       HV_EXIT_SHUTDOWN
 *   VMCALL (18)            RIP += VM_EXIT_INSTRUCTION_LEN
 *   EPT violation (48)     the qualification's access and permission bits,
 *                          GUEST_PHYSICAL_ADDRESS
 *   EPT misconfig (49)     an entry with reserved bits or an invalid
 *                          combination: the TDP backend's MMIO SPTEs
 *   bit 31 of the reason   the entry failed after checking the guest state (27.8)
 *
 * Any exit may interrupt the delivery of an event: the IDT-vectoring
 * information (28.2.4) says which.  A hardware exception is handed back
 * in e->interrupted to be injected again; a software interrupt or
 * exception is executed again by itself; an interrupt or NMI in delivery
 * cannot happen to this guest (it takes none) and is HV_EXIT_OTHER.
 */
#include <linux/string.h>
#include <asm/trapnr.h>

#include "hw/kmod/vmx/exits.h"
#include "hw/kmod/vmx/vmcs.h"
#include "hw/kmod/vmx/vmx_hw.h"

bool vmx_exit_is_nmi(void)
{
	u32 reason = vmcs_read(VM_EXIT_REASON);
	u32 info;

	if (reason != EXIT_REASON_EXCEPTION_NMI)
		return false;
	info = vmcs_read(VM_EXIT_INTR_INFO);
	return (info & INTR_INFO_VALID_MASK) &&
	       (info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR;
}

static void vmx_decode_exception(struct hv_exit *e)
{
	u32 info = vmcs_read(VM_EXIT_INTR_INFO);

	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR) {
		e->reason = HV_EXIT_INTR;
		return;
	}
	e->reason = HV_EXIT_EXCEPTION;
	e->vector = info & INTR_INFO_VECTOR_MASK;
	if (info & INTR_INFO_DELIVER_CODE_MASK)
		e->error_code = vmcs_read(VM_EXIT_INTR_ERROR_CODE);
	if (e->vector == X86_TRAP_PF)
		e->cr2 = vmcs_read(EXIT_QUALIFICATION);
}

static void vmx_decode_ept_violation(struct hv_exit *e)
{
	u64 q = vmcs_read(EXIT_QUALIFICATION);

	e->reason = HV_EXIT_TDP;
	e->gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS);
	e->write = q & EPT_VIOLATION_ACC_WRITE;
	e->fetch = q & EPT_VIOLATION_ACC_INSTR;
	/* Some EPT entry on the way allowed something: it was present. */
	e->present = q & EPT_VIOLATION_RWX_MASK;
	/*
	 * With a valid linear address, bit 8 tells the access to the final
	 * gpa from an access to the guest's own paging structures.
	 */
	e->guest_table = (q & EPT_VIOLATION_GLA_VALID) && !(q & EPT_VIOLATION_GVA_TRANSLATED);
}

/* The event whose delivery the exit interrupted, as hv.h wants it; false for an interrupt or NMI. */
static bool vmx_interrupted(struct hv_event *ev)
{
	u32 info = vmcs_read(IDT_VECTORING_INFO_FIELD);
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;

	if (!(info & INTR_INFO_VALID_MASK) || type == INTR_TYPE_SOFT_INTR ||
	    type == INTR_TYPE_PRIV_SOFT_EXCEPTION || type == INTR_TYPE_SOFT_EXCEPTION)
		return true;
	if (type != INTR_TYPE_HARD_EXCEPTION)
		return false;
	*ev = (struct hv_event){
		.pending = true,
		.vector = info & INTR_INFO_VECTOR_MASK,
		.has_error_code = info & INTR_INFO_DELIVER_CODE_MASK,
		.error_code = (info & INTR_INFO_DELIVER_CODE_MASK) ?
			      vmcs_read(IDT_VECTORING_ERROR_CODE) : 0,
	};
	return true;
}

void vmx_decode_exit(struct hv_vcpu *v, struct hv_exit *e)
{
	const struct vmx_hw *h = v->hw;
	u32 reason;

	memset(e, 0, sizeof(*e));
	if (h->fail != VMX_OK) {
		/* No VM exit: an instruction failed before the guest ran (dump says which). */
		e->reason = HV_EXIT_INVALID;
		e->raw = h->fail_error;
		return;
	}
	reason = vmcs_read(VM_EXIT_REASON);
	e->raw = reason;
	if (reason & VMX_EXIT_REASON_FAILED_VMENTRY) {
		e->reason = HV_EXIT_INVALID;
		return;
	}
	if (!vmx_interrupted(&e->interrupted)) {
		e->reason = HV_EXIT_OTHER;
		return;
	}
	switch (reason & VMX_EXIT_REASON_BASIC) {
	case EXIT_REASON_EXCEPTION_NMI:
		vmx_decode_exception(e);
		return;
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		e->reason = HV_EXIT_INTR;
		return;
	case EXIT_REASON_TRIPLE_FAULT:
		e->reason = HV_EXIT_SHUTDOWN;
		return;
	case EXIT_REASON_VMCALL:
		/* The exit leaves RIP at the VMCALL: resume after it. */
		v->regs.rip += vmcs_read(VM_EXIT_INSTRUCTION_LEN);
		e->reason = HV_EXIT_HYPERCALL;
		return;
	case EXIT_REASON_EPT_VIOLATION:
		vmx_decode_ept_violation(e);
		return;
	case EXIT_REASON_EPT_MISCONFIG:
		e->reason = HV_EXIT_TDP;
		e->gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS);
		e->misconfig = true;
		return;
	}
	e->reason = HV_EXIT_OTHER;
}
