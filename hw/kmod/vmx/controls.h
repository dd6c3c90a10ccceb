/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/vmx/controls.h — the bits of the VMCS control fields the module
 * sets (Intel SDM vol. 3C, 25.6-25.8), of the capability MSRs that say
 * which of them a CPU allows (appendix A), and of the EPT pointer (25.6.11).
 *
 * Names follow KVM's (arch/x86/include/asm/vmx.h, never included with
 * this file).  The capability MSRs' own numbers (MSR_IA32_VMX_*) and the
 * VMX_BASIC_* bits the kernel already names come from <asm/msr-index.h>.
 */
#ifndef MMULAB_HW_KMOD_VMX_CONTROLS_H
#define MMULAB_HW_KMOD_VMX_CONTROLS_H

#include <linux/bits.h>

/* Pin-based VM-execution controls (25.6.1). */
#define PIN_BASED_EXT_INTR_MASK			BIT(0)	/* external interrupts exit */
#define PIN_BASED_NMI_EXITING			BIT(3)

/* Primary processor-based VM-execution controls (25.6.2). */
#define CPU_BASED_HLT_EXITING			BIT(7)
#define CPU_BASED_CR8_LOAD_EXITING		BIT(19)
#define CPU_BASED_CR8_STORE_EXITING		BIT(20)
#define CPU_BASED_UNCOND_IO_EXITING		BIT(24)	/* without I/O bitmaps: every IN/OUT exits */
#define CPU_BASED_ACTIVATE_SECONDARY_CONTROLS	BIT(31)

/* Secondary processor-based VM-execution controls (25.6.2). */
#define SECONDARY_EXEC_ENABLE_EPT		BIT(1)

/* VM-exit controls (25.7.1). */
#define VM_EXIT_HOST_ADDR_SPACE_SIZE		BIT(9)	/* the host runs in 64-bit mode after the exit */
#define VM_EXIT_LOAD_IA32_EFER			BIT(21)

/* VM-entry controls (25.8.1). */
#define VM_ENTRY_LOAD_DEBUG_CONTROLS		BIT(2)	/* DR7 and IA32_DEBUGCTL from the guest state */
#define VM_ENTRY_IA32E_MODE			BIT(9)	/* the guest runs in IA-32e mode (EFER.LMA) */
#define VM_ENTRY_LOAD_IA32_EFER			BIT(15)

/* IA32_VMX_BASIC (A.1) beyond what <asm/msr-index.h> names. */
#define VMX_BASIC_REVISION_MASK			GENMASK_ULL(30, 0)
#define VMX_BASIC_VMCS_SIZE_MASK		GENMASK_ULL(12, 0)	/* after VMX_BASIC_VMCS_SIZE_SHIFT */

/* IA32_VMX_EPT_VPID_CAP (A.10). */
#define VMX_EPT_PAGE_WALK_4			BIT_ULL(6)
#define VMX_EPT_PAGE_WALK_5			BIT_ULL(7)
#define VMX_EPT_WB				BIT_ULL(14)
#define VMX_EPT_2MB_PAGE			BIT_ULL(16)
#define VMX_EPT_1GB_PAGE			BIT_ULL(17)
#define VMX_EPT_INVEPT				BIT_ULL(20)
#define VMX_EPT_AD				BIT_ULL(21)
#define VMX_EPT_INVEPT_SINGLE_CONTEXT		BIT_ULL(25)
#define VMX_EPT_INVEPT_GLOBAL			BIT_ULL(26)

/* The EPT pointer (25.6.11). */
#define VMX_EPTP_MT_WB				6ULL	/* bits 2:0: memory type of the EPT tables */
#define VMX_EPTP_PWL_SHIFT			3	/* bits 5:3: page-walk length - 1 */
#define VMX_EPTP_AD_ENABLE			BIT_ULL(6)

/* INVEPT types (31.3, INVEPT). */
#define VMX_INVEPT_SINGLE_CONTEXT		1ULL
#define VMX_INVEPT_GLOBAL			2ULL

/* Segment access rights in the VMCS (25.4.1): as in a descriptor, plus "unusable". */
#define VMX_AR_UNUSABLE				BIT(16)

/* The guest's DR7 at entry: its reset value, no breakpoint enabled. */
#define VMX_GUEST_DR7				0x400ULL
/* The VMCS link pointer when there is no shadow VMCS (27.3.1.5): all ones. */
#define VMX_NO_LINK_POINTER			(~0ULL)

#endif
