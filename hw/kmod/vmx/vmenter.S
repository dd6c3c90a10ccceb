/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/vmx/vmenter.S — the world switch, and handing a VM exit's NMI
 * to the host.
 *
 * A VM entry loads the guest's RSP, RIP and RFLAGS from the VMCS and a VM
 * exit loads the host's RSP and RIP from it (HOST_RSP, HOST_RIP =
 * mmulab_vmx_vmexit); every other general-purpose register, and CR2, is
 * switched by neither (SDM vol. 3C, 27.3.2 and 28.3, 28.5).  So this loads
 * the guest's RAX..R15 and CR2 from `struct hv_regs` just before
 * VMLAUNCH/VMRESUME and stores them back at the exit, keeping the host's
 * callee-saved registers on the stack.  No C code runs in between: the
 * registers are the guest's.
 *
 * Called by vmx_enter with interrupts disabled; after the exit RFLAGS is
 * 0x2 (28.5.3), so they stay disabled.
 *
 * int mmulab_vmx_vmenter(struct hv_regs *regs, bool launched)
 *   returns 0 after a VM exit, or enum vmx_status (insn.h) when the
 *   instruction failed: 1 VMfailInvalid (CF), 2 VMfailValid (ZF).
 */
#include <linux/linkage.h>
#include <asm/linkage.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>

#include "hw/kmod/hv_regs.h"
#include "hw/kmod/vmx/vmcs.h"

#define VMFAIL_INVALID	1
#define VMFAIL_VALID	2

	.text
SYM_FUNC_START(mmulab_vmx_vmenter)
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	/* The regs pointer, found again at 0(%rsp) after the exit. */
	push	%rdi

	/* The exit comes back with this RSP. */
	mov	$HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jbe	.Lvmfail

	/* VM entries do not load CR2 and exits do not save it. */
	mov	HV_CR2(%rdi), %rax
	mov	%rax, %cr2

	/* Launched or not, tested now: the MOVs below leave RFLAGS alone. */
	test	%sil, %sil
	/*
	 * A successful VMLAUNCH/VMRESUME continues at mmulab_vmx_vmexit
	 * (HOST_RIP), with this stack: objtool is told to carry the unwind
	 * state over.
	 */
	UNWIND_HINT_SAVE
	HV_LOAD_GUEST_GPRS %rdi
	mov	HV_RAX(%rdi), %rax
	mov	HV_RSI(%rdi), %rsi
	mov	HV_RDI(%rdi), %rdi

	jnz	.Lresume
	vmlaunch
	jmp	.Lvmfail
.Lresume:
	vmresume
	/* Falling through is VMfail: RFLAGS says which, the guest's registers are still loaded. */
	jmp	.Lvmfail

SYM_INNER_LABEL(mmulab_vmx_vmexit, SYM_L_GLOBAL)
	/* VM exit: RSP is HOST_RSP again; the general registers are the guest's. */
	UNWIND_HINT_RESTORE
	push	%rdi
	mov	8(%rsp), %rdi
	HV_STORE_GUEST_GPRS %rdi
	mov	%rax, HV_RAX(%rdi)
	mov	%rsi, HV_RSI(%rdi)
	popq	HV_RDI(%rdi)
	mov	%cr2, %rax
	mov	%rax, HV_CR2(%rdi)
	xor	%eax, %eax
	jmp	.Lout

.Lvmfail:
	mov	$VMFAIL_INVALID, %eax
	jc	.Lout
	mov	$VMFAIL_VALID, %eax
.Lout:
	add	$8, %rsp		/* the regs pointer */
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	RET
SYM_FUNC_END(mmulab_vmx_vmenter)

/*
 * void mmulab_vmx_host_nmi(void)
 *
 * With NMI exiting on, an NMI in the guest is a VM exit and is not
 * delivered (SDM vol. 3C, 26.2): the host must run its handler itself.
 * Linux exports the NMI entry for exactly this (asm_exc_nmi_noist: the
 * NMI entry without the IST stack switch); it ends in IRETQ, so it is
 * called with the frame the CPU would have pushed: SS, RSP, RFLAGS, CS
 * and (by the call) RIP, on a 16-byte aligned stack (SDM vol. 3A, 6.14.2).
 */
SYM_FUNC_START(mmulab_vmx_host_nmi)
	push	%rbp
	mov	%rsp, %rbp
	and	$-16, %rsp
	push	$__KERNEL_DS
	push	%rbp
	pushf
	push	$__KERNEL_CS
	call	asm_exc_nmi_noist
	leave
	RET
SYM_FUNC_END(mmulab_vmx_host_nmi)
