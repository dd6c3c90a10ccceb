/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/guest_code32.S — the access interpreter in 32-bit protected
 * mode, for scenarios in 32-bit and PAE paging: guest_code.S's mailbox
 * protocol in 32-bit code, assembled into the module as data and copied
 * to base + GUEST_CODE32 (the interpreter) and base + GUEST_USER32 (the
 * CPL-3 stub).  Position independent: 32-bit code has no RIP-relative
 * addressing, so the #PF handler finds its resume point with call/pop.
 *
 * In: %edi = the mailbox (its linear address).  CMD_ADDR's low 32 bits are
 * the address (linear addresses are 32 bits wide here).  An 8-byte read
 * or write is two 4-byte accesses, low half first: MMULAB_RUN gives one
 * only when both halves lie in one page, where the second cannot fault
 * after the first did not (one translation, one set of rights), and a
 * fault on the first leaves memory as a single 8-byte access would: the
 * same error code and CR2, nothing written.  The #PF gate (IDT32 vector
 * 14) is a 32-bit interrupt gate: the handler gets EIP, CS, EFLAGS and
 * the error code on the stack (SDM 6.12.1, figure 6-4).  Every load and
 * store of scenario data is an ACCESS (guest_access.h), an 8-byte one two
 * of them, listed in mmulab_guest32_access_sites.
 */
#define HCALL_SECTION .rodata.mmulab_hcall32
#define ACCESS_SECTION .rodata.mmulab_access32
#include "hw/kmod/guest.h"
#include "hw/kmod/guest_access.h"
#include "hw/kmod/guest_hcall.h"

	/* The tables' starts: HYPERCALL and ACCESS append one entry per site. */
	.section HCALL_SECTION, "a"
	.balign 8
	.globl mmulab_guest32_hcall_sites
mmulab_guest32_hcall_sites:

	.section ACCESS_SECTION, "a"
	.balign 8
	.globl mmulab_guest32_access_sites
mmulab_guest32_access_sites:

	.section .rodata, "a"
	.balign 16
	.globl mmulab_guest32_code
mmulab_guest32_code:
	.code32
	/* ecx = count, edx = done, esi = the command; per command ebx = bytes, ebp = address. */
.Lbatch:
	movl	MBOX_COUNT(%edi), %ecx
	leal	MBOX_CMDS(%edi), %esi
	xorl	%edx, %edx
	movl	%edx, MBOX_DONE(%edi)
.Lnext:
	cmpl	%ecx, %edx
	jae	.Ldone
	movl	CMD_OP(%esi), %eax
	movl	CMD_BYTES(%esi), %ebx
	movl	CMD_ADDR(%esi), %ebp
	/* EFLAGS.AC for this access only: set here, cleared in .Lstatus. */
	btrl	$GUEST_OP_AC_BIT, %eax
	jnc	4f
	pushfl
	orl	$GUEST_EFLAGS_AC, (%esp)
	popfl
4:	cmpl	$GUEST_OP_READ, %eax
	je	.Lread
	cmpl	$GUEST_OP_WRITE, %eax
	je	.Lwrite
	movl	$GUEST_ST_BAD_OP, %eax
	jmp	.Lstatus

	/* The value read goes to eax (low) and ebx (high). */
.Lread:
	cmpl	$1, %ebx
	jne	1f
	ACCESS	GUEST_OP_READ, 1, HV_RAX, HV_RBP, 0, movzbl (%ebp), %eax
	jmp	.Lread32
1:	cmpl	$2, %ebx
	jne	2f
	ACCESS	GUEST_OP_READ, 2, HV_RAX, HV_RBP, 0, movzwl (%ebp), %eax
	jmp	.Lread32
2:	cmpl	$4, %ebx
	jne	3f
	ACCESS	GUEST_OP_READ, 4, HV_RAX, HV_RBP, 0, movl (%ebp), %eax
.Lread32:
	xorl	%ebx, %ebx
	jmp	.Lstore
3:	cmpl	$8, %ebx
	jne	.Lbadsize
	ACCESS	GUEST_OP_READ, 4, HV_RAX, HV_RBP, 0, movl (%ebp), %eax
	ACCESS	GUEST_OP_READ, 4, HV_RBX, HV_RBP, 4, movl 4(%ebp), %ebx
.Lstore:
	movl	%eax, CMD_VALUE(%esi)
	movl	%ebx, CMD_VALUE + 4(%esi)
	movl	$GUEST_ST_OK, %eax
	jmp	.Lstatus

.Lwrite:
	movl	CMD_VALUE(%esi), %eax
	cmpl	$1, %ebx
	jne	1f
	ACCESS	GUEST_OP_WRITE, 1, HV_RAX, HV_RBP, 0, movb %al, (%ebp)
	jmp	.Lwok
1:	cmpl	$2, %ebx
	jne	2f
	ACCESS	GUEST_OP_WRITE, 2, HV_RAX, HV_RBP, 0, movw %ax, (%ebp)
	jmp	.Lwok
2:	cmpl	$4, %ebx
	jne	3f
	ACCESS	GUEST_OP_WRITE, 4, HV_RAX, HV_RBP, 0, movl %eax, (%ebp)
	jmp	.Lwok
3:	cmpl	$8, %ebx
	jne	.Lbadsize
	movl	CMD_VALUE + 4(%esi), %ebx
	ACCESS	GUEST_OP_WRITE, 4, HV_RAX, HV_RBP, 0, movl %eax, (%ebp)
	ACCESS	GUEST_OP_WRITE, 4, HV_RBX, HV_RBP, 4, movl %ebx, 4(%ebp)
.Lwok:
	movl	$GUEST_ST_OK, %eax
	jmp	.Lstatus
.Lbadsize:
	movl	$GUEST_ST_BAD_SIZE, %eax

	/* eax = the command's status. */
.Lstatus:
	pushfl
	andl	$~GUEST_EFLAGS_AC, (%esp)
	popfl
	movl	%eax, CMD_STATUS(%esi)
	addl	$CMD_SIZEOF, %esi
	incl	%edx
	movl	%edx, MBOX_DONE(%edi)
	jmp	.Lnext

.Ldone:
	HYPERCALL
	jmp	.Lbatch

	/* The faulting access's command is at %esi. */
.Lpf_resume:
	movl	$GUEST_ST_PF, %eax
	jmp	.Lstatus

	.balign 16
	.globl mmulab_guest32_pf
mmulab_guest32_pf:
	popl	%eax			/* the error code */
	movl	%eax, CMD_PFEC(%esi)
	movl	%cr2, %eax
	movl	%eax, CMD_VALUE(%esi)
	movl	$0, CMD_VALUE + 4(%esi)
	call	1f
1:	popl	%eax
	addl	$(.Lpf_resume - 1b), %eax
	movl	%eax, (%esp)		/* return to .Lpf_resume, not to the access */
	iretl

	/* An implicit supervisor-mode read at CPL 0: the gate read is the access. */
	.globl mmulab_guest32_implicit
mmulab_guest32_implicit:
	int	$GUEST_IMPLICIT_VECTOR
	ud2
	.globl mmulab_guest32_code_end
mmulab_guest32_code_end:

	/*
	 * The CPL-3 stub, copied to base + GUEST_USER32 (the user page).
	 * In: ebx = bytes, ecx = address, edx = GUEST_OP_READ/WRITE, esi:eax =
	 * the value to write.  Out: edx:eax = the value read.  A #PF is
	 * intercepted by the host; a bad op or size is ud2 (intercepted too).
	 */
	.balign 16
	.globl mmulab_guest32_user
mmulab_guest32_user:
	cmpl	$GUEST_OP_WRITE, %edx
	je	5f
	cmpl	$GUEST_OP_READ, %edx
	jne	9f
	xorl	%edx, %edx
	cmpl	$1, %ebx
	jne	1f
	ACCESS	GUEST_OP_READ, 1, HV_RAX, HV_RCX, 0, movzbl (%ecx), %eax
	jmp	8f
1:	cmpl	$2, %ebx
	jne	2f
	ACCESS	GUEST_OP_READ, 2, HV_RAX, HV_RCX, 0, movzwl (%ecx), %eax
	jmp	8f
2:	cmpl	$4, %ebx
	jne	3f
	ACCESS	GUEST_OP_READ, 4, HV_RAX, HV_RCX, 0, movl (%ecx), %eax
	jmp	8f
3:	cmpl	$8, %ebx
	jne	9f
	ACCESS	GUEST_OP_READ, 4, HV_RAX, HV_RCX, 0, movl (%ecx), %eax
	ACCESS	GUEST_OP_READ, 4, HV_RDX, HV_RCX, 4, movl 4(%ecx), %edx
	jmp	8f
5:	cmpl	$1, %ebx
	jne	1f
	ACCESS	GUEST_OP_WRITE, 1, HV_RAX, HV_RCX, 0, movb %al, (%ecx)
	jmp	8f
1:	cmpl	$2, %ebx
	jne	2f
	ACCESS	GUEST_OP_WRITE, 2, HV_RAX, HV_RCX, 0, movw %ax, (%ecx)
	jmp	8f
2:	cmpl	$4, %ebx
	jne	3f
	ACCESS	GUEST_OP_WRITE, 4, HV_RAX, HV_RCX, 0, movl %eax, (%ecx)
	jmp	8f
3:	cmpl	$8, %ebx
	jne	9f
	ACCESS	GUEST_OP_WRITE, 4, HV_RAX, HV_RCX, 0, movl %eax, (%ecx)
	ACCESS	GUEST_OP_WRITE, 4, HV_RSI, HV_RCX, 4, movl %esi, 4(%ecx)
8:	HYPERCALL
9:	ud2

	/* An implicit supervisor-mode read at CPL 3 (still supervisor-mode, SDM 4.6). */
	.globl mmulab_guest32_user_implicit
mmulab_guest32_user_implicit:
	int	$GUEST_IMPLICIT_VECTOR
	ud2
	.globl mmulab_guest32_user_end
mmulab_guest32_user_end:

	.section HCALL_SECTION, "a"
	.globl mmulab_guest32_hcall_sites_end
mmulab_guest32_hcall_sites_end:

	.section ACCESS_SECTION, "a"
	.globl mmulab_guest32_access_sites_end
mmulab_guest32_access_sites_end:
