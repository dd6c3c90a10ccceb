/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/svm/svm_regs.h — the guest registers VMRUN does not switch,
 * shared by svm.h (struct svm_gprs) and vmrun.S (the offsets).
 */
#ifndef MMULAB_HW_KMOD_SVM_SVM_REGS_H
#define MMULAB_HW_KMOD_SVM_SVM_REGS_H

#define GPR_RBX	0x00
#define GPR_RCX	0x08
#define GPR_RDX	0x10
#define GPR_RSI	0x18
#define GPR_RDI	0x20
#define GPR_RBP	0x28
#define GPR_R8	0x30
#define GPR_R9	0x38
#define GPR_R10	0x40
#define GPR_R11	0x48
#define GPR_R12	0x50
#define GPR_R13	0x58
#define GPR_R14	0x60
#define GPR_R15	0x68

#ifndef __ASSEMBLY__
#include <linux/types.h>

/* In GPR_* order; RAX and RSP live in the VMCB. */
struct svm_gprs {
	u64 rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
};
#endif

#endif
