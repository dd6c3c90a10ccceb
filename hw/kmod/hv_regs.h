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
#endif

#endif
