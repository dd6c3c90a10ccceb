/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/hv_regs.h — the guest registers that travel in and out of every
 * entry, shared by hv.h (struct hv_regs) and the vendors' world-switch
 * assembly (the offsets).  Neither VMRUN nor VM entry switches most of
 * them: the assembly loads them before the entry and stores them after.
 */
#ifndef MMULAB_HW_KMOD_HV_REGS_H
#define MMULAB_HW_KMOD_HV_REGS_H

#define HV_RAX		0x00
#define HV_RBX		0x08
#define HV_RCX		0x10
#define HV_RDX		0x18
#define HV_RSI		0x20
#define HV_RDI		0x28
#define HV_RBP		0x30
#define HV_R8		0x38
#define HV_R9		0x40
#define HV_R10		0x48
#define HV_R11		0x50
#define HV_R12		0x58
#define HV_R13		0x60
#define HV_R14		0x68
#define HV_R15		0x70
#define HV_RSP		0x78
#define HV_RIP		0x80
#define HV_RFLAGS	0x88
#define HV_CR2		0x90

#ifdef __ASSEMBLY__
/*
 * The general registers both vendors switch the same way, between the
 * registers and the struct hv_regs at \regs: all but RAX, RSI and RDI,
 * which each vendor's assembly handles itself (VMRUN takes the VMCB's
 * address in RAX; one of RSI/RDI holds the pointer to the struct).
 */
.macro HV_LOAD_GUEST_GPRS regs
	mov	HV_RBX(\regs), %rbx
	mov	HV_RCX(\regs), %rcx
	mov	HV_RDX(\regs), %rdx
	mov	HV_RBP(\regs), %rbp
	mov	HV_R8(\regs), %r8
	mov	HV_R9(\regs), %r9
	mov	HV_R10(\regs), %r10
	mov	HV_R11(\regs), %r11
	mov	HV_R12(\regs), %r12
	mov	HV_R13(\regs), %r13
	mov	HV_R14(\regs), %r14
	mov	HV_R15(\regs), %r15
.endm

.macro HV_STORE_GUEST_GPRS regs
	mov	%rbx, HV_RBX(\regs)
	mov	%rcx, HV_RCX(\regs)
	mov	%rdx, HV_RDX(\regs)
	mov	%rbp, HV_RBP(\regs)
	mov	%r8, HV_R8(\regs)
	mov	%r9, HV_R9(\regs)
	mov	%r10, HV_R10(\regs)
	mov	%r11, HV_R11(\regs)
	mov	%r12, HV_R12(\regs)
	mov	%r13, HV_R13(\regs)
	mov	%r14, HV_R14(\regs)
	mov	%r15, HV_R15(\regs)
.endm
#endif

#ifndef __ASSEMBLY__
#include <linux/types.h>

/*
 * In HV_* order.  rsp, rip and rflags live in the VMCB / VMCS during the
 * run (the vendor copies them); cr2 too on SVM, while VMX leaves CR2 to
 * software (SDM 28.3: VM exits do not save it), so its assembly does.
 */
struct hv_regs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rsp, rip, rflags;
	u64 cr2;
};

/* The register at HV_* offset `off` (as the guest's access sites name them: guest.h). */
static inline u64 *hv_reg(struct hv_regs *regs, unsigned int off)
{
	return (u64 *)((u8 *)regs + off);
}
#endif

#endif
