/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/vmx/insn.h — the VMX instructions the module executes, as
 * inline functions (Intel SDM vol. 3C, chapter 31).
 *
 * They report failure in RFLAGS (31.2, "Conventions"): CF=1 is VMfailInvalid
 * (no current VMCS, or a bad VMXON/VMCS pointer), ZF=1 is VMfailValid, and
 * then VM_INSTRUCTION_ERROR in the current VMCS says why (31.4).  Those
 * that can fail here return enum vmx_status.
 *
 * AT&T operand order: VMREAD's field encoding is the first operand,
 * VMWRITE's value the first and its encoding the second, INVEPT's
 * descriptor the first and its type the second.
 */
#ifndef MMULAB_HW_KMOD_VMX_INSN_H
#define MMULAB_HW_KMOD_VMX_INSN_H

#include <linux/types.h>
#include <asm/asm.h>

enum vmx_status {
	VMX_OK = 0,
	VMX_FAIL_INVALID,	/* CF: nothing to report the error in */
	VMX_FAIL_VALID,		/* ZF: VM_INSTRUCTION_ERROR says why */
	VMX_FAULT,		/* the instruction faulted (#GP, #UD) */
};

static inline enum vmx_status vmx_status_of(bool cf, bool zf)
{
	return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

/*
 * VMXON takes the VMXON region's physical address in memory.  It faults
 * (#GP) if IA32_FEATURE_CONTROL or the CR0/CR4 fixed bits forbid VMX
 * operation; the exception table turns that into VMX_FAULT.
 */
static inline enum vmx_status vmx_on(u64 pa)
{
	asm goto("1: vmxon %[pa]\n\t"
		 "jc %l[fail_invalid]\n\t"
		 "jz %l[fail_valid]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [pa] "m"(pa) : "cc", "memory" : fail_invalid, fail_valid, fault);
	return VMX_OK;
fail_invalid:
	return VMX_FAIL_INVALID;
fail_valid:
	return VMX_FAIL_VALID;
fault:
	return VMX_FAULT;
}

static inline void vmx_off(void)
{
	asm volatile("vmxoff" : : : "cc", "memory");
}

/* Make the VMCS at pa inactive and clear, its data written back to memory. */
static inline enum vmx_status vmcs_clear(u64 pa)
{
	bool cf, zf;

	asm volatile("vmclear %[pa]" : "=@ccc"(cf), "=@ccz"(zf) : [pa] "m"(pa) : "memory");
	return vmx_status_of(cf, zf);
}

/* Make the VMCS at pa current (and active) on this CPU. */
static inline enum vmx_status vmcs_load(u64 pa)
{
	bool cf, zf;

	asm volatile("vmptrld %[pa]" : "=@ccc"(cf), "=@ccz"(zf) : [pa] "m"(pa) : "memory");
	return vmx_status_of(cf, zf);
}

/* A field of the current VMCS; 0 if the read failed (no current VMCS, unknown field). */
static inline u64 vmcs_read(unsigned long field)
{
	unsigned long value = 0;

	asm volatile("vmread %[field], %[value]" : [value] "+rm"(value) : [field] "r"(field) : "cc");
	return value;
}

static inline enum vmx_status vmcs_write(unsigned long field, u64 value)
{
	bool cf, zf;

	asm volatile("vmwrite %[value], %[field]" : "=@ccc"(cf), "=@ccz"(zf)
		     : [value] "rm"((unsigned long)value), [field] "r"(field));
	return vmx_status_of(cf, zf);
}

/* INVEPT of `type` (VMX_INVEPT_*); a single context is the one of eptp. */
static inline enum vmx_status vmx_invept(u64 type, u64 eptp)
{
	struct { u64 eptp, reserved; } desc = { eptp, 0 };
	bool cf, zf;

	asm volatile("invept %[desc], %[type]" : "=@ccc"(cf), "=@ccz"(zf)
		     : [desc] "m"(desc), [type] "r"(type) : "memory");
	return vmx_status_of(cf, zf);
}

#endif
