/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/guest.h — the tiny 64-bit guest the module runs on SVM or VMX:
 * an access interpreter that reads a batch of commands from a mailbox in
 * guest memory, performs them and makes a hypercall (VMMCALL on SVM,
 * VMCALL on VMX: guest_place writes the vendor's instruction at every
 * hypercall site of guest_code.S).
 *
 * The reserved region.  The guest's own code, stack, IDT, GDT, mailbox and
 * tables live in GUEST_SIZE bytes of guest-physical memory at a base
 * the caller chooses (4 KiB aligned; /dev/mmulab uses GUEST_RSV_GPA, the
 * self-test 1 MiB), and are seen at the linear addresses
 * GUEST_RSV_VA + offset: the top-level slot GUEST_RSV_PML4_INDEX (510, the
 * 512 GiB from 0xffffff0000000000) points at the region's PDPT.  Offsets
 * from the base (== offsets from GUEST_RSV_VA):
 *
 *   0x0000  PDPT    [0] -> PD           the region, as 16 4 KiB pages
 *   0x1000  PD      [0] -> PT           (P|W, supervisor, never NX)
 *   0x2000  PT      [0..15] -> base + i * 4 KiB
 *   0x3000  PML4    the guest's own root, for paging-off scenarios and the
 *                   self-test: [0] -> the identity PDPT, [510] -> PDPT
 *   0x4000  PDPT    identity: gva == gpa for the first 4 GiB, through
 *   0x5000  4 PDs   (to 0x8fff) of 2 MiB pages, P|W, supervisor
 *   0x9000  GDT (null, code 0x08, data 0x10)
 *   0x9100  IDT, 32 gates: only #PF (14) is present
 *   0xa000  code (guest_code.S)
 *   0xb000  stack, 8 KiB, grows down from 0xd000
 *   0xd000  mailbox, 8 KiB (to 0xefff): header, then commands
 *   0xf000  the CPL-3 stub (guest_code.S), the region's one user page
 *  0x10000  PML4    for 5-level roots: [510] -> PDPT; PML5[511] of the
 *                   scenario's root points here
 *
 * The region's PML4, PDPT and PD entries have U=1 and its PTEs U=0 but
 * for the stub's, so only the stub is a user page (and SMEP/SMAP see the
 * rest as supervisor pages).  A CPL-3 access is one entry of its own:
 * the host enters the stub at CPL 3 with the access in registers (R8 =
 * bytes, R9 = address, R10 = GUEST_OP_*, RAX = value), intercepts #PF
 * (the exit gives the error code and the address), and the stub ends in
 * the hypercall with the value read in RAX.  No ring transition happens in
 * the guest, so it needs no TSS.
 *
 * A 4-level scenario runs on its own CR3: before each run the module
 * writes PML4[510] of that root (-EINVAL if the scenario uses it), so the
 * interpreter is mapped there too; a 5-level one gets PML5[511] (the same
 * linear range: 0xffffff0000000000 is PML5 511, PML4 510).  Everything above is shared with
 * guest_code.S, so it must stay plain #defines.
 */
#ifndef MMULAB_HW_KMOD_GUEST_H
#define MMULAB_HW_KMOD_GUEST_H

/* The reserved linear range: one top-level (PML4) slot. */
#define GUEST_RSV_PML4_INDEX	510
#define GUEST_RSV_PML5_INDEX	511
#define GUEST_RSV_VA		0xffffff0000000000ULL
#define GUEST_RSV_VA_SIZE	0x8000000000ULL		/* 512 GiB */
/*
 * The reserved guest-physical range of /dev/mmulab's VMs: the last MiB
 * below 64 GiB (every MAXPHYADDR the ABI allows reaches it), backed by a
 * memslot the module adds (id GUEST_RSV_SLOT) at the first MMULAB_RUN.
 */
#define GUEST_RSV_GPA		0xffff00000ULL
#define GUEST_RSV_GPA_SIZE	0x100000ULL
#define GUEST_RSV_SLOT		31

#define GUEST_RPDPT		0x0000
#define GUEST_RPD		0x1000
#define GUEST_RPT		0x2000
#define GUEST_PML4		0x3000
#define GUEST_PDPT		0x4000
#define GUEST_PD		0x5000
#define GUEST_NR_PD		4
#define GUEST_GDT		0x9000
#define GUEST_IDT		0x9100
#define GUEST_IDT_GATES		32
#define GUEST_CODE		0xa000
#define GUEST_CODE_MAX		0x1000
#define GUEST_STACK_TOP		0xd000
#define GUEST_MBOX		0xd000
#define GUEST_MBOX_SIZE		0x2000
#define GUEST_USER		0xf000
#define GUEST_USER_MAX		0x1000
#define GUEST_RPML4		0x10000
#define GUEST_SIZE		0x11000	/* reserved, rounded up */
#define GUEST_PAGES		(GUEST_SIZE / 0x1000)

/* Mailbox header */
#define MBOX_MAGIC		0	/* u32: GUEST_MBOX_MAGIC, written by the host */
#define MBOX_COUNT		4	/* u32: commands in this batch (host) */
#define MBOX_DONE		8	/* u32: commands performed (guest) */
#define MBOX_CMDS		16	/* first command */
/* One command, 32 bytes */
#define CMD_OP			0	/* u32: GUEST_OP_* */
#define CMD_BYTES		4	/* u32: 1, 2, 4 or 8 */
#define CMD_ADDR		8	/* u64: guest virtual address */
#define CMD_VALUE		16	/* u64: value to write / value read (guest) */
#define CMD_STATUS		24	/* u32: GUEST_ST_* (guest) */
#define CMD_PFEC		28	/* u32: GUEST_ST_PF: the #PF error code (guest) */
#define CMD_SIZEOF		32

#define GUEST_MBOX_MAGIC	0x786f626d	/* "mbox" */
#define GUEST_MBOX_MAX_CMDS	((GUEST_MBOX_SIZE - MBOX_CMDS) / CMD_SIZEOF)

#define GUEST_OP_READ		1
#define GUEST_OP_WRITE		2
#define GUEST_OP_AC		0x100	/* or'ed in: the access runs with EFLAGS.AC=1 */
#define GUEST_OP_AC_BIT		8

#define GUEST_ST_NONE		0	/* not performed */
#define GUEST_ST_OK		1
#define GUEST_ST_BAD_OP		2
#define GUEST_ST_BAD_SIZE	3
#define GUEST_ST_PF		4	/* the access faulted: CMD_VALUE = CR2, CMD_PFEC = error code */

/* Guest selectors (GDT entries 1 and 2; 3 and 4 for CPL 3, RPL 3). */
#define GUEST_CS		0x08
#define GUEST_DS		0x10
#define GUEST_USER_DS		0x1b
#define GUEST_USER_CS		0x23

#ifndef __ASSEMBLY__

#include <linux/types.h>

#include "hw/kmod/hv.h"

struct vm;

/* One access, as the host sees it (the guest's layout is the CMD_* offsets). */
struct guest_cmd {
	u32 op;		/* GUEST_OP_* */
	u32 bytes;	/* 1, 2, 4, 8 */
	u64 addr;	/* gva */
	u64 value;	/* in for writes, out for reads */
	u32 status;	/* out: GUEST_ST_* */
	u32 pfec;	/* out: the #PF error code when status is GUEST_ST_PF */
};

/* Where the guest was placed, and its entry points (linear addresses). */
struct guest_region {
	u64 base;	/* gpa of the region */
	u64 root;	/* gpa of its own PML4: gva == gpa below 4 GiB, and the region */
	u64 rip;	/* the interpreter's entry point; rdi = mbox */
	u64 rsp;
	u64 user_rip;	/* the CPL-3 stub */
	u64 mbox;	/* gva of the mailbox, passed in rdi */
	u64 mbox_gpa;
	u64 gdt;
	u16 gdt_limit;
	u64 idt;
	u16 idt_limit;
};

/*
 * Write page tables, GDT, IDT and code at `base`, with `hypercall` (the
 * vendor's 3-byte instruction, hv_ops) at every hypercall site.  0 or a
 * negative MMU_E* code.
 */
int guest_place(struct vm *vm, u64 base, const u8 hypercall[3], struct guest_region *g);
/*
 * The entry state of the interpreter: 64-bit mode, CPL 0, flat segments,
 * on the region's own tables (st->cr3 = g->root, paging registers of
 * long mode); callers running a scenario put its CR0/CR3/CR4/EFER in.
 */
void guest_state(const struct guest_region *g, struct hv_state *st);
/* The same at CPL 3 (DPL-3 code and data segments), for the stub and fetches. */
void guest_state_cpl3(struct hv_state *st);
/* The PML4 entry that maps the region into a 4-level root (bits A and D aside). */
u64 guest_rsv_pml4e(const struct guest_region *g);
/* The PML5 entry that maps it into a 5-level root. */
u64 guest_rsv_pml5e(const struct guest_region *g);
/* Write a batch of n commands (n <= GUEST_MBOX_MAX_CMDS) into the mailbox. */
int guest_load_batch(struct vm *vm, const struct guest_region *g,
		     const struct guest_cmd *cmds, unsigned int n);
/* Read the batch back: values and statuses; *done = commands performed. */
int guest_read_batch(struct vm *vm, const struct guest_region *g,
		     struct guest_cmd *cmds, unsigned int n, unsigned int *done);

#endif /* __ASSEMBLY__ */
#endif
