/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/vmx/exits.h — what a VM exit reports: the basic exit reasons
 * (Intel SDM vol. 3C, appendix C), the interruption information of an
 * exit caused by an exception or NMI (25.9.2), and the exit qualification
 * of an EPT violation (28.2.1, table "Exit Qualification for EPT
 * Violations").  Names follow KVM's.
 */
#ifndef MMULAB_HW_KMOD_VMX_EXITS_H
#define MMULAB_HW_KMOD_VMX_EXITS_H

#include <linux/bits.h>

/* VM_EXIT_REASON: bits 15:0 the basic reason; bit 31 the entry failed (27.8). */
#define VMX_EXIT_REASON_BASIC			GENMASK(15, 0)
#define VMX_EXIT_REASON_FAILED_VMENTRY		BIT(31)

#define EXIT_REASON_EXCEPTION_NMI		0
#define EXIT_REASON_EXTERNAL_INTERRUPT		1
#define EXIT_REASON_TRIPLE_FAULT		2
#define EXIT_REASON_CPUID			10
#define EXIT_REASON_HLT				12
#define EXIT_REASON_VMCALL			18
#define EXIT_REASON_CR_ACCESS			28
#define EXIT_REASON_IO_INSTRUCTION		30
#define EXIT_REASON_MSR_READ			31
#define EXIT_REASON_MSR_WRITE			32
#define EXIT_REASON_INVALID_STATE		33	/* entry failed: invalid guest state */
#define EXIT_REASON_MSR_LOAD_FAIL		34	/* entry failed: MSR loading */
#define EXIT_REASON_MCE_DURING_VMENTRY		41
#define EXIT_REASON_EPT_VIOLATION		48
#define EXIT_REASON_EPT_MISCONFIG		49
#define EXIT_REASON_XSETBV			55

/* VM_EXIT_INTR_INFO and IDT_VECTORING_INFO_FIELD (25.9.2, 25.9.3). */
#define INTR_INFO_VECTOR_MASK			GENMASK(7, 0)
#define INTR_INFO_INTR_TYPE_MASK		GENMASK(10, 8)
#define INTR_INFO_DELIVER_CODE_MASK		BIT(11)	/* an error code is in VM_EXIT_INTR_ERROR_CODE */
#define INTR_INFO_VALID_MASK			BIT(31)
#define INTR_TYPE_EXT_INTR			(0 << 8)
#define INTR_TYPE_NMI_INTR			(2 << 8)
#define INTR_TYPE_HARD_EXCEPTION		(3 << 8)
#define INTR_TYPE_SOFT_INTR			(4 << 8)	/* INT n: executed again after the exit */
#define INTR_TYPE_PRIV_SOFT_EXCEPTION		(5 << 8)	/* INT1 */
#define INTR_TYPE_SOFT_EXCEPTION		(6 << 8)	/* INT3, INTO */

/* EPT violation exit qualification (28.2.1). */
#define EPT_VIOLATION_ACC_WRITE			BIT(1)	/* also guest-table accesses with EPT A/D on (29.3.3.2) */
#define EPT_VIOLATION_ACC_INSTR			BIT(2)
#define EPT_VIOLATION_READABLE			BIT(3)	/* what the EPT entries allowed: AND of R over the walk */
#define EPT_VIOLATION_WRITABLE			BIT(4)
#define EPT_VIOLATION_EXECUTABLE		BIT(5)
#define EPT_VIOLATION_RWX_MASK			(EPT_VIOLATION_READABLE | EPT_VIOLATION_WRITABLE | \
						 EPT_VIOLATION_EXECUTABLE)
#define EPT_VIOLATION_GLA_VALID			BIT(7)	/* GUEST_LINEAR_ADDRESS is valid */
#define EPT_VIOLATION_GVA_TRANSLATED		BIT(8)	/* with GLA_VALID: the final gpa, not a guest table entry */

#endif
