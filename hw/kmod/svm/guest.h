/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/svm/guest.h — the tiny 64-bit guest run on SVM: an access
 * interpreter that reads a batch of commands from a mailbox in guest
 * memory, performs them and calls VMMCALL.
 *
 * The guest owns SVM_GUEST_SIZE bytes of guest-physical memory at a base
 * the caller chooses (4 KiB aligned, below 4 GiB).  Offsets from the base:
 *
 *   0x0000  PML4                    guest page tables: gva == gpa for
 *   0x1000  PDPT                    the first 4 GiB, 2 MiB pages,
 *   0x2000  4 PDs (to 0x5fff)        P|W, supervisor
 *   0x6000  GDT (null, code 0x08, data 0x10)
 *   0x6100  IDT, 32 gates: only #PF (14) is present
 *   0x7000  code (guest.S)
 *   0x8000  stack, 8 KiB, grows down from 0xa000
 *   0xa000  mailbox, 8 KiB (to 0xbfff): header, then commands
 *
 * The guest's accesses use guest virtual addresses, which are the guest
 * physical addresses below 4 GiB.  Everything above is shared with
 * guest.S, so it must stay plain #defines.
 */
#ifndef MMULAB_HW_KMOD_SVM_GUEST_H
#define MMULAB_HW_KMOD_SVM_GUEST_H

#define SVM_GUEST_PML4		0x0000
#define SVM_GUEST_PDPT		0x1000
#define SVM_GUEST_PD		0x2000
#define SVM_GUEST_NR_PD		4
#define SVM_GUEST_GDT		0x6000
#define SVM_GUEST_IDT		0x6100
#define SVM_GUEST_IDT_GATES	32
#define SVM_GUEST_CODE		0x7000
#define SVM_GUEST_CODE_MAX	0x1000
#define SVM_GUEST_STACK_TOP	0xa000
#define SVM_GUEST_MBOX		0xa000
#define SVM_GUEST_MBOX_SIZE	0x2000
#define SVM_GUEST_SIZE		0x10000	/* reserved, rounded up */

/* Mailbox header */
#define MBOX_MAGIC		0	/* u32: SVM_MBOX_MAGIC, written by the host */
#define MBOX_COUNT		4	/* u32: commands in this batch (host) */
#define MBOX_DONE		8	/* u32: commands performed (guest) */
#define MBOX_CMDS		16	/* first command */
/* One command, 32 bytes */
#define CMD_OP			0	/* u32: SVM_OP_* */
#define CMD_BYTES		4	/* u32: 1, 2, 4 or 8 */
#define CMD_ADDR		8	/* u64: guest virtual address */
#define CMD_VALUE		16	/* u64: value to write / value read (guest) */
#define CMD_STATUS		24	/* u32: SVM_ST_* (guest) */
#define CMD_PFEC		28	/* u32: SVM_ST_PF: the #PF error code (guest) */
#define CMD_SIZEOF		32

#define SVM_MBOX_MAGIC		0x786f626d	/* "mbox" */
#define SVM_MBOX_MAX_CMDS	((SVM_GUEST_MBOX_SIZE - MBOX_CMDS) / CMD_SIZEOF)

#define SVM_OP_READ		1
#define SVM_OP_WRITE		2

#define SVM_ST_NONE		0	/* not performed */
#define SVM_ST_OK		1
#define SVM_ST_BAD_OP		2
#define SVM_ST_BAD_SIZE		3
#define SVM_ST_PF		4	/* the access faulted: CMD_VALUE = CR2, CMD_PFEC = error code */

/* Guest selectors (GDT entries 1 and 2). */
#define SVM_GUEST_CS		0x08
#define SVM_GUEST_DS		0x10

#ifndef __ASSEMBLY__

#include <linux/types.h>

struct vm;

/* One access, as the host sees it (the guest's layout is the CMD_* offsets). */
struct svm_guest_cmd {
	u32 op;		/* SVM_OP_* */
	u32 bytes;	/* 1, 2, 4, 8 */
	u64 addr;	/* gva (== gpa below 4 GiB) */
	u64 value;	/* in for writes, out for reads */
	u32 status;	/* out: SVM_ST_* */
	u32 pfec;	/* out: the #PF error code when status is SVM_ST_PF */
};

/* Where the guest was placed and the registers it starts with. */
struct svm_guest {
	u64 base;	/* gpa of the region */
	u64 cr3;	/* gpa of the PML4 */
	u64 rip;	/* entry point */
	u64 rsp;
	u64 mbox;	/* gva == gpa of the mailbox, passed in rdi */
	u64 gdt;
	u16 gdt_limit;
	u64 idt;
	u16 idt_limit;
};

/* Write page tables, GDT and code at `base`.  0 or a negative MMU_E* code. */
int svm_guest_place(struct vm *vm, u64 base, struct svm_guest *g);
/* Write a batch of n commands (n <= SVM_MBOX_MAX_CMDS) into the mailbox. */
int svm_guest_load_batch(struct vm *vm, const struct svm_guest *g,
			 const struct svm_guest_cmd *cmds, unsigned int n);
/* Read the batch back: values and statuses; *done = commands performed. */
int svm_guest_read_batch(struct vm *vm, const struct svm_guest *g,
			 struct svm_guest_cmd *cmds, unsigned int n, unsigned int *done);

#endif /* __ASSEMBLY__ */
#endif
