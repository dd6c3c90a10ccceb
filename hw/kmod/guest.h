/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/guest.h — the tiny guest the module runs on SVM or VMX: an
 * access interpreter that reads a batch of commands from a mailbox in
 * guest memory, performs them and makes a hypercall (VMMCALL on SVM,
 * VMCALL on VMX: guest_place writes the vendor's instruction at every
 * hypercall site of guest_code.S and guest_code32.S).  It comes in two
 * widths with the same mailbox: 64-bit code (guest_code.S) for paging off
 * and 4- and 5-level paging, 32-bit protected-mode code (guest_code32.S)
 * for 32-bit and PAE paging.
 *
 * The reserved region.  The guest's code, stack, IDTs, GDT, mailbox and
 * tables live in GUEST_SIZE bytes of guest-physical memory at a base the
 * caller chooses (4 KiB aligned, below 4 GiB: 32-bit entries point into
 * it; /dev/mmulab uses VM_RSV_GPA, the self-test 1 MiB), and are seen at
 * the linear addresses VM_RSV_VA64 + offset (64-bit) or VM_RSV_VA32 +
 * offset (32-bit): core/vm/reserved.h has the ranges, which no scenario
 * may use.  Offsets from the base:
 *
 *   0x0000  PDPT    [0] -> PD           4/5-level: the region, as 4 KiB
 *   0x1000  PD      [0] -> PT           pages (P|W, supervisor, never NX)
 *   0x2000  PT      [0..GUEST_PAGES) -> base + i * 4 KiB
 *   0x3000  PML4    the guest's own root, for paging-off scenarios and the
 *                   self-test: [0] -> the identity PDPT, [510] -> PDPT
 *   0x4000  PDPT    identity: gva == gpa for the first 4 GiB, through
 *   0x5000  4 PDs   (to 0x8fff) of 2 MiB pages, P|W, supervisor
 *   0x9000  GDT     null, code64 0x08, data 0x10, user data 0x1b, user
 *                   code64 0x23, code32 0x28, user code32 0x33
 *   0x9100  IDT     32 16-byte gates: only #PF (14) is present
 *   0x9300  IDT32   32 8-byte gates: only #PF, a 32-bit interrupt gate
 *   0xa000  code    the 64-bit interpreter (guest_code.S)
 *   0xb000  stack, 8 KiB, grows down from 0xd000
 *   0xd000  mailbox, 8 KiB (to 0xefff): header, then commands
 *   0xf000  the CPL-3 stubs: 64-bit at 0xf000, 32-bit at 0xf800; the
 *           region's one user page
 *  0x10000  PML4    for 5-level roots: [510] -> PDPT; PML5E 511 of the
 *                   vCPU's root points here
 *  0x11000  code32  the 32-bit interpreter (guest_code32.S)
 *  0x12000  PT32    32-bit paging, 4-byte entries: [512 + i] -> base +
 *                   i * 4 KiB; PDE 1023 of the vCPU's root points here,
 *                   so the region is at 0xffe00000 as in PAE paging
 *  0x13000  PT      PAE, 8-byte entries: [i] -> base + i * 4 KiB; PDE
 *                   511 under PDPTE 3 points here
 *  0x14000  PD      PAE, for a vCPU whose PDPTE 3 is not present: only
 *                   [511] -> the PAE PT
 *  0x15000  PDPT    PAE: the vCPU's four PDPTRs (PDPTE 3 -> the PD above
 *                   when not present), the CR3 of PAE runs
 *  0x16000  a copy of the vCPU's table that gets the hook, when that
 *           table is in ROM (vmctl_rsv.c)
 *
 * The region's upper entries have U=1 and its PTEs U=0 but for the stubs'
 * page, so only the stubs run at CPL 3 (and SMEP/SMAP see the rest as
 * supervisor pages).  A CPL-3 access is one entry of its own: the host
 * enters the stub at CPL 3 with the access in registers (64-bit: R8 =
 * bytes, R9 = address, R10 = GUEST_OP_*, RAX = value; 32-bit: EBX = bytes,
 * ECX = address, EDX = GUEST_OP_*, ESI:EAX = value), intercepts #PF (the
 * exit gives the error code and the address), and the stub ends in the
 * hypercall with the value read in RAX (32-bit: EDX:EAX).  No ring
 * transition happens in the guest, so it needs no TSS.
 *
 * An implicit supervisor-mode read is one entry too: each stub page and
 * each code page has an INT GUEST_IMPLICIT_VECTOR, which the host enters
 * with IDTR pointing at the address to read (vmctl_run.c).
 *
 * The vCPU's tables get the region only for the length of a run
 * (vmctl_rsv.c hooks one entry and puts back what was there).  Everything
 * above is shared with the assembly, so it must stay plain #defines.
 */
#ifndef MMULAB_HW_KMOD_GUEST_H
#define MMULAB_HW_KMOD_GUEST_H

#include "core/vm/reserved.h"

#define GUEST_RPDPT		0x0000
#define GUEST_RPD		0x1000
#define GUEST_RPT		0x2000
#define GUEST_PML4		0x3000
#define GUEST_PDPT		0x4000
#define GUEST_PD		0x5000
#define GUEST_NR_PD		4
#define GUEST_GDT		0x9000
#define GUEST_IDT		0x9100
#define GUEST_IDT32		0x9300
#define GUEST_IDT_GATES		32
#define GUEST_CODE		0xa000
#define GUEST_CODE_MAX		0x1000
#define GUEST_STACK_TOP		0xd000
#define GUEST_MBOX		0xd000
#define GUEST_MBOX_SIZE		0x2000
#define GUEST_USER		0xf000
#define GUEST_USER32		0xf800
#define GUEST_USER_MAX		0x800
#define GUEST_RPML4		0x10000
#define GUEST_CODE32		0x11000
#define GUEST_RPT32		0x12000
#define GUEST_RPT_PAE		0x13000
#define GUEST_RPD_PAE		0x14000
#define GUEST_PDPT_PAE		0x15000
#define GUEST_HOOK_COPY		0x16000
#define GUEST_SIZE		0x17000	/* reserved, rounded up */
#define GUEST_PAGES		(GUEST_SIZE / 0x1000)

/* What the region's tables, its IDTs and the run's hooks are written in. */
#define ENTRY32_BYTES		4	/* a 32-bit paging entry (SDM 4.3) */
#define ENTRY64_BYTES		8	/* PAE, 4- and 5-level (SDM 4.4, 4.5) */
#define GATE32_BYTES		8	/* a protected-mode IDT gate (SDM 6.11) */
#define GATE64_BYTES		16	/* an IA-32e IDT gate (SDM 6.14.1) */

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
#define GUEST_EFLAGS_AC		0x40000	/* EFLAGS.AC, bit 18 (SDM 3.4.3) */

#define GUEST_ST_NONE		0	/* not performed */
#define GUEST_ST_OK		1
#define GUEST_ST_BAD_OP		2
#define GUEST_ST_BAD_SIZE	3
#define GUEST_ST_PF		4	/* the access faulted: CMD_VALUE = CR2, CMD_PFEC = error code */

/* Guest selectors (GDT entries 1, 2 and 5; 3, 4 and 6 for CPL 3, RPL 3). */
#define GUEST_CS		0x08
#define GUEST_DS		0x10
#define GUEST_USER_DS		0x1b
#define GUEST_USER_CS		0x23
#define GUEST_CS32		0x28
#define GUEST_USER_CS32		0x33
#define GUEST_GDT_ENTRIES	7

/*
 * The vector of the INT that makes an implicit read: its gate is the
 * first of the IDT, so IDTR.base is the address read (vmctl_run.c).
 */
#define GUEST_IMPLICIT_VECTOR	0

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

/* One width of the interpreter: its entry points, as linear addresses. */
struct guest_entry {
	bool code32;		/* 32-bit protected mode (32-bit and PAE paging) */
	u64 rip;		/* the interpreter; rdi (edi) = mbox */
	u64 rsp;
	u64 mbox;		/* the mailbox, passed in rdi (edi) */
	u64 user_rip;		/* the CPL-3 stub */
	u64 implicit_rip;	/* INT GUEST_IMPLICIT_VECTOR, on a supervisor page */
	u64 user_implicit_rip;	/* the same on the stubs' user page */
	u64 gdt;
	u16 gdt_limit;
	u64 idt;		/* with the #PF gate of this width */
	u16 idt_limit;
};

/* Where the guest was placed. */
struct guest_region {
	u64 base;		/* gpa of the region */
	u64 root;		/* gpa of its own PML4: gva == gpa below 4 GiB, and the region */
	u64 mbox_gpa;
	u64 pdpt_pae;		/* gpa of the PDPT of PAE runs (GUEST_PDPT_PAE) */
	u64 hook_copy;		/* gpa of the copy of a hooked table in ROM (GUEST_HOOK_COPY) */
	struct guest_entry e64;	/* at VM_RSV_VA64: paging off, 4- and 5-level paging */
	struct guest_entry e32;	/* at VM_RSV_VA32: 32-bit and PAE paging */
};

/*
 * Write page tables, GDT, IDTs and code at `base` (below 4 GiB), with
 * `hypercall` (the vendor's 3-byte instruction, hv_ops) at every
 * hypercall site.  0 or a negative MMU_E* code.
 */
int guest_place(struct vm *vm, u64 base, const u8 hypercall[3], struct guest_region *g);
/*
 * The entry state of the interpreter: 64-bit mode, CPL 0, flat segments,
 * on the region's own tables (st->cr3 = g->root, paging registers of
 * long mode); callers running a scenario put its CR0/CR3/CR4/EFER in.
 */
void guest_state(const struct guest_region *g, struct hv_state *st);
/*
 * The 32-bit interpreter's: protected mode, CPL 0, flat 32-bit segments,
 * its GDT and IDT at VM_RSV_VA32.  It has no tables of its own: the caller
 * puts the vCPU's CR0/CR3/CR4/EFER in.
 */
void guest_state32(const struct guest_region *g, struct hv_state *st);
/* Either at CPL 3 (DPL-3 code and data segments of its width), for the stub and fetches. */
void guest_state_cpl3(struct hv_state *st);
/*
 * The entries that hook the region into the vCPU's tables (vmctl_rsv.c),
 * with A already set so the CPU's walk writes nothing there: PML4E 510 of
 * a 4-level root, PML5E 511 of a 5-level one, PDE 1023 of a 32-bit root,
 * PDE 511 of the PAE PD under PDPTE 3; and the PDPTE 3 of PAE runs whose
 * vCPU has none (a PDPTE has no A bit).
 */
u64 guest_rsv_pml4e(const struct guest_region *g);
u64 guest_rsv_pml5e(const struct guest_region *g);
u64 guest_rsv_pde32(const struct guest_region *g);
u64 guest_rsv_pde_pae(const struct guest_region *g);
u64 guest_rsv_pdpte_pae(const struct guest_region *g);
/*
 * One of the guest's loads or stores of scenario data (ACCESS in
 * guest_code.S and guest_code32.S), where it runs: what the host needs to
 * perform it in the guest's place and step over it.
 */
struct guest_site {
	u64 rip;	/* its linear address in the guest */
	u32 op;		/* GUEST_OP_READ or GUEST_OP_WRITE */
	u8 bytes;	/* 1, 2, 4 or 8 */
	u8 len;		/* its length: the next instruction is at rip + len */
	u8 data_reg;	/* HV_* offset (hv_regs.h): the value written, or read (zero-extended) */
	u8 addr_reg;	/* HV_* offset: the register the linear address is based on */
	u8 disp;	/* added to it (the high half of the 32-bit interpreter's 8-byte access) */
	bool addr32;	/* 32-bit code: the address is the low 32 bits of the sum */
};
/* The access site at linear address rip (the same wherever the region is placed): true and *site, or false. */
bool guest_site_at(u64 rip, struct guest_site *site);
/* Write a batch of n commands (n <= GUEST_MBOX_MAX_CMDS) into the mailbox. */
int guest_load_batch(struct vm *vm, const struct guest_region *g,
		     const struct guest_cmd *cmds, unsigned int n);
/* Read the batch back: values and statuses; *done = commands performed. */
int guest_read_batch(struct vm *vm, const struct guest_region *g,
		     struct guest_cmd *cmds, unsigned int n, unsigned int *done);

#endif /* __ASSEMBLY__ */
#endif
