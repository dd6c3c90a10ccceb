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
	HV_LOAD_GUEST_GPRS %rsi
	mov	HV_RDI(%rsi), %rdi
	mov	HV_RSI(%rsi), %rsi

	vmrun	%rax

	/* #VMEXIT: RAX, RSP, RIP are the host's again; the rest the guest's. */
	push	%rsi
	mov	8(%rsp), %rsi
	HV_STORE_GUEST_GPRS %rsi
	mov	%rdi, HV_RDI(%rsi)
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
