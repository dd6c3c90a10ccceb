/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/guest_code.S — the guest's code, assembled into the module as
 * data (it runs only in the guest, copied to base + GUEST_CODE).
 * Position independent: it uses no absolute address of its own.
 *
 * In: %rdi = the mailbox (gva).  For each command: read or write 1, 2, 4
 * or 8 bytes at CMD_ADDR, store the value read in CMD_VALUE, set
 * CMD_STATUS, bump MBOX_DONE.  A #PF on the access goes to the guest's own
 * handler (mmulab_guest_pf, IDT vector 14), which records CR2 and the
 * error code in the command and resumes with the next command.  GUEST_OP_AC
 * in CMD_OP sets EFLAGS.AC around the one access (SMAP).  Then the
 * hypercall (guest_hcall.h: the sites are listed in
 * mmulab_guest_hcall_sites); when the host resumes it (after the
 * hypercall) the next batch starts from the top.
 *
 * mmulab_guest_implicit, on this supervisor page, and
 * mmulab_guest_user_implicit, on the user page, are an INT whose gate the
 * host places at the address of an implicit read (guest.h).
 *
 * Every load and store of scenario data is an ACCESS (guest_access.h),
 * listed in mmulab_guest_access_sites, so that the host can perform it in
 * the guest's place when the hardware cannot.
 *
 * guest_code32.S is the same interpreter in 32-bit protected mode.
 */
#define HCALL_SECTION .rodata.mmulab_hcall
#define ACCESS_SECTION .rodata.mmulab_access
#include "hw/kmod/guest.h"
#include "hw/kmod/guest_access.h"
#include "hw/kmod/guest_hcall.h"

	/* The tables' starts: HYPERCALL and ACCESS append one entry per site. */
	.section HCALL_SECTION, "a"
	.balign 8
	.globl mmulab_guest_hcall_sites
mmulab_guest_hcall_sites:

	.section ACCESS_SECTION, "a"
	.balign 8
	.globl mmulab_guest_access_sites
mmulab_guest_access_sites:

	.section .rodata, "a"
	.balign 16
	.globl mmulab_guest_code
mmulab_guest_code:
	.code64
.Lbatch:
	movl	MBOX_COUNT(%rdi), %ecx
	leaq	MBOX_CMDS(%rdi), %rsi
	xorl	%edx, %edx
	movl	%edx, MBOX_DONE(%rdi)
.Lnext:
	cmpl	%ecx, %edx
	jae	.Ldone
	movl	CMD_OP(%rsi), %eax
	movl	CMD_BYTES(%rsi), %r8d
	movq	CMD_ADDR(%rsi), %r9
	/* EFLAGS.AC for this access only: set here, cleared in .Lstatus. */
	btrl	$GUEST_OP_AC_BIT, %eax
	jnc	4f
	pushfq
	orl	$GUEST_EFLAGS_AC, (%rsp)
	popfq
4:	cmpl	$GUEST_OP_READ, %eax
	je	.Lread
	cmpl	$GUEST_OP_WRITE, %eax
	je	.Lwrite
	movl	$GUEST_ST_BAD_OP, %r10d
	jmp	.Lstatus

.Lread:
	cmpl	$1, %r8d
	jne	1f
	ACCESS	GUEST_OP_READ, 1, HV_RAX, HV_R9, 0, movzbl (%r9), %eax
	jmp	.Lstore
1:	cmpl	$2, %r8d
	jne	2f
	ACCESS	GUEST_OP_READ, 2, HV_RAX, HV_R9, 0, movzwl (%r9), %eax
	jmp	.Lstore
2:	cmpl	$4, %r8d
	jne	3f
	ACCESS	GUEST_OP_READ, 4, HV_RAX, HV_R9, 0, movl (%r9), %eax
	jmp	.Lstore
3:	cmpl	$8, %r8d
	jne	.Lbadsize
	ACCESS	GUEST_OP_READ, 8, HV_RAX, HV_R9, 0, movq (%r9), %rax
.Lstore:
	movq	%rax, CMD_VALUE(%rsi)
	movl	$GUEST_ST_OK, %r10d
	jmp	.Lstatus

.Lwrite:
	movq	CMD_VALUE(%rsi), %rax
	cmpl	$1, %r8d
	jne	1f
	ACCESS	GUEST_OP_WRITE, 1, HV_RAX, HV_R9, 0, movb %al, (%r9)
	jmp	.Lwok
1:	cmpl	$2, %r8d
	jne	2f
	ACCESS	GUEST_OP_WRITE, 2, HV_RAX, HV_R9, 0, movw %ax, (%r9)
	jmp	.Lwok
2:	cmpl	$4, %r8d
	jne	3f
	ACCESS	GUEST_OP_WRITE, 4, HV_RAX, HV_R9, 0, movl %eax, (%r9)
	jmp	.Lwok
3:	cmpl	$8, %r8d
	jne	.Lbadsize
	ACCESS	GUEST_OP_WRITE, 8, HV_RAX, HV_R9, 0, movq %rax, (%r9)
.Lwok:
	movl	$GUEST_ST_OK, %r10d
	jmp	.Lstatus
.Lbadsize:
	movl	$GUEST_ST_BAD_SIZE, %r10d

.Lstatus:
	pushfq
	andl	$~GUEST_EFLAGS_AC, (%rsp)
	popfq
	movl	%r10d, CMD_STATUS(%rsi)
	addq	$CMD_SIZEOF, %rsi
	incl	%edx
	movl	%edx, MBOX_DONE(%rdi)
	jmp	.Lnext

.Ldone:
	HYPERCALL
	jmp	.Lbatch

	/* The faulting access's command is at %rsi; the error code is on the stack. */
.Lpf_resume:
	movl	$GUEST_ST_PF, %r10d
	jmp	.Lstatus

	.balign 16
	.globl mmulab_guest_pf
mmulab_guest_pf:
	popq	%r11
	movl	%r11d, CMD_PFEC(%rsi)
	movq	%cr2, %rax
	movq	%rax, CMD_VALUE(%rsi)
	leaq	.Lpf_resume(%rip), %rax
	movq	%rax, (%rsp)		/* return to .Lpf_resume, not to the access */
	iretq

	/* An implicit supervisor-mode read at CPL 0: the gate read is the access. */
	.globl mmulab_guest_implicit
mmulab_guest_implicit:
	int	$GUEST_IMPLICIT_VECTOR
	ud2
	.globl mmulab_guest_code_end
mmulab_guest_code_end:

	/*
	 * The CPL-3 stub, copied to base + GUEST_USER (a user page).
	 * In: r8d = bytes, r9 = address, r10d = GUEST_OP_READ/WRITE, rax =
	 * the value to write.  Out: rax = the value read.  A #PF is
	 * intercepted by the host; a bad op or size is ud2 (intercepted too).
	 */
	.balign 16
	.globl mmulab_guest_user
mmulab_guest_user:
	cmpl	$GUEST_OP_WRITE, %r10d
	je	5f
	cmpl	$GUEST_OP_READ, %r10d
	jne	9f
	cmpl	$1, %r8d
	jne	1f
	ACCESS	GUEST_OP_READ, 1, HV_RAX, HV_R9, 0, movzbl (%r9), %eax
	jmp	8f
1:	cmpl	$2, %r8d
	jne	2f
	ACCESS	GUEST_OP_READ, 2, HV_RAX, HV_R9, 0, movzwl (%r9), %eax
	jmp	8f
2:	cmpl	$4, %r8d
	jne	3f
	ACCESS	GUEST_OP_READ, 4, HV_RAX, HV_R9, 0, movl (%r9), %eax
	jmp	8f
3:	cmpl	$8, %r8d
	jne	9f
	ACCESS	GUEST_OP_READ, 8, HV_RAX, HV_R9, 0, movq (%r9), %rax
	jmp	8f
5:	cmpl	$1, %r8d
	jne	1f
	ACCESS	GUEST_OP_WRITE, 1, HV_RAX, HV_R9, 0, movb %al, (%r9)
	jmp	8f
1:	cmpl	$2, %r8d
	jne	2f
	ACCESS	GUEST_OP_WRITE, 2, HV_RAX, HV_R9, 0, movw %ax, (%r9)
	jmp	8f
2:	cmpl	$4, %r8d
	jne	3f
	ACCESS	GUEST_OP_WRITE, 4, HV_RAX, HV_R9, 0, movl %eax, (%r9)
	jmp	8f
3:	cmpl	$8, %r8d
	jne	9f
	ACCESS	GUEST_OP_WRITE, 8, HV_RAX, HV_R9, 0, movq %rax, (%r9)
8:	HYPERCALL
9:	ud2

	/* An implicit supervisor-mode read at CPL 3 (still supervisor-mode, SDM 4.6). */
	.globl mmulab_guest_user_implicit
mmulab_guest_user_implicit:
	int	$GUEST_IMPLICIT_VECTOR
	ud2
	.globl mmulab_guest_user_end
mmulab_guest_user_end:

	.section HCALL_SECTION, "a"
	.globl mmulab_guest_hcall_sites_end
mmulab_guest_hcall_sites_end:

	.section ACCESS_SECTION, "a"
	.globl mmulab_guest_access_sites_end
mmulab_guest_access_sites_end:
