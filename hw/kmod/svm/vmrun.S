/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/svm/vmrun.S — the world switch.
 *
 * VMRUN saves and restores only RAX, RSP and RIP of the host (in the host
 * save area) and loads RAX, RSP, RIP of the guest from the VMCB; every
 * other general-purpose register is whatever was in it.  So this loads the
 * guest's RBX..R15 from `struct svm_gprs` before VMRUN and stores them back
 * after #VMEXIT, and keeps the host's callee-saved registers on the stack.
 *
 * Called with GIF=0 (clgi) by svm_vcpu_run; no C code runs between the
 * guest's registers being loaded and saved.
 *
 * void mmulab_svm_vmrun(u64 vmcb_pa, struct svm_gprs *gprs)
 */
#include <linux/linkage.h>
#include <asm/linkage.h>

#include "hw/kmod/svm/svm_regs.h"

	.text
SYM_FUNC_START(mmulab_svm_vmrun)
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	/* The gprs pointer, found again at 0(%rsp) after the exit. */
	push	%rsi

	mov	%rdi, %rax		/* VMRUN takes the VMCB's physical address in RAX */
	mov	GPR_RBX(%rsi), %rbx
	mov	GPR_RCX(%rsi), %rcx
	mov	GPR_RDX(%rsi), %rdx
	mov	GPR_RDI(%rsi), %rdi
	mov	GPR_RBP(%rsi), %rbp
	mov	GPR_R8(%rsi), %r8
	mov	GPR_R9(%rsi), %r9
	mov	GPR_R10(%rsi), %r10
	mov	GPR_R11(%rsi), %r11
	mov	GPR_R12(%rsi), %r12
	mov	GPR_R13(%rsi), %r13
	mov	GPR_R14(%rsi), %r14
	mov	GPR_R15(%rsi), %r15
	mov	GPR_RSI(%rsi), %rsi

	vmrun	%rax

	/* #VMEXIT: RAX, RSP, RIP are the host's again; the rest the guest's. */
	push	%rsi
	mov	8(%rsp), %rsi
	mov	%rbx, GPR_RBX(%rsi)
	mov	%rcx, GPR_RCX(%rsi)
	mov	%rdx, GPR_RDX(%rsi)
	mov	%rdi, GPR_RDI(%rsi)
	mov	%rbp, GPR_RBP(%rsi)
	mov	%r8, GPR_R8(%rsi)
	mov	%r9, GPR_R9(%rsi)
	mov	%r10, GPR_R10(%rsi)
	mov	%r11, GPR_R11(%rsi)
	mov	%r12, GPR_R12(%rsi)
	mov	%r13, GPR_R13(%rsi)
	mov	%r14, GPR_R14(%rsi)
	mov	%r15, GPR_R15(%rsi)
	popq	GPR_RSI(%rsi)
	pop	%rsi

	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	RET
SYM_FUNC_END(mmulab_svm_vmrun)
