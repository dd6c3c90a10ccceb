/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/svm/vmcb.h — the VMCB as byte offsets (AMD APM vol. 2,
 * appendix B: table B-1, the control area; table B-2, the state save
 * area, which starts at 0x400).
 *
 * Offsets rather than a struct: the APM lists fields by offset, a student
 * can check each line against it, and there is no padding to get wrong.
 */
#ifndef MMULAB_HW_KMOD_SVM_VMCB_H
#define MMULAB_HW_KMOD_SVM_VMCB_H

#include <linux/types.h>

/* ---- control area ---------------------------------------------------------- */
#define VMCB_INTERCEPT_CR	0x000	/* u32: CR reads 15:0, CR writes 31:16 */
#define VMCB_INTERCEPT_DR	0x004	/* u32 */
#define VMCB_INTERCEPT_EXC	0x008	/* u32: bit n intercepts exception vector n */
#define VMCB_INTERCEPT_MISC1	0x00c	/* u32: INTR, NMI, ..., HLT, IOIO, MSR, SHUTDOWN */
#define VMCB_INTERCEPT_MISC2	0x010	/* u32: VMRUN, VMMCALL, ... */
#define VMCB_IOPM_BASE_PA	0x040	/* u64 */
#define VMCB_MSRPM_BASE_PA	0x048	/* u64 */
#define VMCB_TSC_OFFSET		0x050	/* u64 */
#define VMCB_ASID		0x058	/* u32 */
#define VMCB_TLB_CONTROL	0x05c	/* u8 */
#define VMCB_VINTR		0x060	/* u64: V_TPR, V_IRQ, ..., V_INTR_MASKING (24) */
#define VMCB_INT_SHADOW		0x068	/* u64 */
#define VMCB_EXITCODE		0x070	/* u64 */
#define VMCB_EXITINFO1		0x078	/* u64 */
#define VMCB_EXITINFO2		0x080	/* u64 */
#define VMCB_EXITINTINFO	0x088	/* u64 */
#define VMCB_NP_CTL		0x090	/* u64: bit 0 NP_ENABLE */
#define VMCB_EVENTINJ		0x0a8	/* u64 */
#define VMCB_NCR3		0x0b0	/* u64: nested page table root */
#define VMCB_VIRT_EXT		0x0b8	/* u64: LBR virtualization, virtual VMLOAD/VMSAVE */
#define VMCB_CLEAN		0x0c0	/* u32: clean bits (always 0 here) */
#define VMCB_NEXT_RIP		0x0c8	/* u64: with NRIPS, the rip after the intercepted insn */

/* INTERCEPT_MISC1 bits */
#define VMCB_MISC1_INTR		(1U << 0)
#define VMCB_MISC1_NMI		(1U << 1)
#define VMCB_MISC1_HLT		(1U << 24)
#define VMCB_MISC1_IOIO_PROT	(1U << 27)
#define VMCB_MISC1_MSR_PROT	(1U << 28)
#define VMCB_MISC1_SHUTDOWN	(1U << 31)
/* INTERCEPT_MISC2 bits */
#define VMCB_MISC2_VMRUN	(1U << 0)
#define VMCB_MISC2_VMMCALL	(1U << 1)

#define VMCB_V_INTR_MASKING	(1ULL << 24)
#define VMCB_NP_ENABLE		(1ULL << 0)

/* TLB_CONTROL values */
#define VMCB_TLB_NOTHING	0	/* do nothing */
#define VMCB_TLB_FLUSH_ALL	1	/* flush the entire TLB, every ASID */

/* ---- state save area (0x400 + table B-2 offset) ------------------------------- */
/* A segment: selector u16, attrib u16, limit u32, base u64. */
#define VMCB_SEG_SEL		0x0
#define VMCB_SEG_ATTRIB		0x2
#define VMCB_SEG_LIMIT		0x4
#define VMCB_SEG_BASE		0x8
#define VMCB_ES			0x400
#define VMCB_CS			0x410
#define VMCB_SS			0x420
#define VMCB_DS			0x430
#define VMCB_FS			0x440
#define VMCB_GS			0x450
#define VMCB_GDTR		0x460
#define VMCB_LDTR		0x470
#define VMCB_IDTR		0x480
#define VMCB_TR			0x490
#define VMCB_CPL		0x4cb	/* u8 */
#define VMCB_EFER		0x4d0
#define VMCB_CR4		0x548
#define VMCB_CR3		0x550
#define VMCB_CR0		0x558
#define VMCB_DR7		0x560
#define VMCB_DR6		0x568
#define VMCB_RFLAGS		0x570
#define VMCB_RIP		0x578
#define VMCB_RSP		0x5d8
#define VMCB_RAX		0x5f8
#define VMCB_CR2		0x640
#define VMCB_G_PAT		0x668

/* Exit codes (appendix C). */
#define SVM_EXIT_EXCP_BASE	0x040	/* + vector */
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_NPF		0x400

#define SVM_VMMCALL_LEN		3	/* 0f 01 d9: how far to advance RIP without NRIPS */

/*
 * EVENTINJ and EXITINTINFO (APM 15.20, 15.7.2): vector 7:0, type 10:8,
 * error code valid 11, valid 31, error code 63:32.
 */
#define SVM_EVT_VECTOR_MASK	0xffULL
#define SVM_EVT_TYPE_MASK	(7ULL << 8)
#define SVM_EVT_TYPE_EXCEPTION	(3ULL << 8)
#define SVM_EVT_TYPE_SOFT_INT	(4ULL << 8)	/* INT n */
#define SVM_EVT_EV		(1ULL << 11)
#define SVM_EVT_VALID		(1ULL << 31)
#define SVM_EVT_ERROR_SHIFT	32

/* VMEXIT_INVALID is -1; QEMU writes it as 0x00000000ffffffff: test the low 32 bits. */
#define SVM_EXIT_INVALID_LOW	0xffffffffu

/* #NPF EXITINFO1: a #PF error code plus where the fault happened. */
#define SVM_NPF_P		(1ULL << 0)
#define SVM_NPF_W		(1ULL << 1)
#define SVM_NPF_U		(1ULL << 2)
#define SVM_NPF_RSVD		(1ULL << 3)
#define SVM_NPF_ID		(1ULL << 4)	/* instruction fetch */
#define SVM_NPF_FINAL		(1ULL << 32)	/* translating the final gpa */
#define SVM_NPF_GUEST_TABLE	(1ULL << 33)	/* reading/updating a guest table entry */

static inline u64 vmcb_r64(const void *vmcb, unsigned int off)
{
	return *(const u64 *)((const u8 *)vmcb + off);
}

static inline void vmcb_w64(void *vmcb, unsigned int off, u64 v)
{
	*(u64 *)((u8 *)vmcb + off) = v;
}

static inline u32 vmcb_r32(const void *vmcb, unsigned int off)
{
	return *(const u32 *)((const u8 *)vmcb + off);
}

static inline void vmcb_w32(void *vmcb, unsigned int off, u32 v)
{
	*(u32 *)((u8 *)vmcb + off) = v;
}

static inline u16 vmcb_r16(const void *vmcb, unsigned int off)
{
	return *(const u16 *)((const u8 *)vmcb + off);
}

static inline void vmcb_w16(void *vmcb, unsigned int off, u16 v)
{
	*(u16 *)((u8 *)vmcb + off) = v;
}

static inline void vmcb_w8(void *vmcb, unsigned int off, u8 v)
{
	*((u8 *)vmcb + off) = v;
}

static inline void vmcb_set_seg(void *vmcb, unsigned int seg, u16 sel, u16 attrib,
				u32 limit, u64 base)
{
	vmcb_w16(vmcb, seg + VMCB_SEG_SEL, sel);
	vmcb_w16(vmcb, seg + VMCB_SEG_ATTRIB, attrib);
	vmcb_w32(vmcb, seg + VMCB_SEG_LIMIT, limit);
	vmcb_w64(vmcb, seg + VMCB_SEG_BASE, base);
}

#endif
