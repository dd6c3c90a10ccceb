/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/svm/vmrun.S — the world switch.
 *
 * VMRUN saves and restores only RAX, RSP and RIP of the host (in the host
 * save area) and loads RAX, RSP, RIP of the guest from the VMCB; every
 * other general-purpose register is whatever was in it.  So this loads the
 * guest's RBX..R15 from `struct hv_regs` before VMRUN and stores them back
 * after #VMEXIT, and keeps the host's callee-saved registers on the stack.
 *
 * Called with GIF=0 (clgi) by svm_enter; no C code runs between the
 * guest's registers being loaded and saved.
 *
 * void mmulab_svm_vmrun(u64 vmcb_pa, struct hv_regs *regs)
 */
#include <linux/linkage.h>
#include <asm/linkage.h>

#include "hw/kmod/hv_regs.h"

	.text
SYM_FUNC_START(mmulab_svm_vmrun)
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	/* The regs pointer, found again at 0(%rsp) after the exit. */
	push	%rsi

	mov	%rdi, %rax		/* VMRUN takes the VMCB's physical address in RAX */
	mov	HV_RBX(%rsi), %rbx
	mov	HV_RCX(%rsi), %rcx
	mov	HV_RDX(%rsi), %rdx
	mov	HV_RDI(%rsi), %rdi
	mov	HV_RBP(%rsi), %rbp
	mov	HV_R8(%rsi), %r8
	mov	HV_R9(%rsi), %r9
	mov	HV_R10(%rsi), %r10
	mov	HV_R11(%rsi), %r11
	mov	HV_R12(%rsi), %r12
	mov	HV_R13(%rsi), %r13
	mov	HV_R14(%rsi), %r14
	mov	HV_R15(%rsi), %r15
	mov	HV_RSI(%rsi), %rsi

	vmrun	%rax

	/* #VMEXIT: RAX, RSP, RIP are the host's again; the rest the guest's. */
	push	%rsi
	mov	8(%rsp), %rsi
	mov	%rbx, HV_RBX(%rsi)
	mov	%rcx, HV_RCX(%rsi)
	mov	%rdx, HV_RDX(%rsi)
	mov	%rdi, HV_RDI(%rsi)
	mov	%rbp, HV_RBP(%rsi)
	mov	%r8, HV_R8(%rsi)
	mov	%r9, HV_R9(%rsi)
	mov	%r10, HV_R10(%rsi)
	mov	%r11, HV_R11(%rsi)
	mov	%r12, HV_R12(%rsi)
	mov	%r13, HV_R13(%rsi)
	mov	%r14, HV_R14(%rsi)
	mov	%r15, HV_R15(%rsi)
	popq	HV_RSI(%rsi)
	pop	%rsi

	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	RET
SYM_FUNC_END(mmulab_svm_vmrun)
