// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/guest.c — placing the access-interpreter guest (guest.h has
 * the memory layout, guest_code.S the code), the state it starts with,
 * and talking to it through its mailbox.  Everything is written with
 * vm_write_gpa, the host's view of guest memory, so it needs no mapping
 * in the MMU.
 */
#include "core/errors.h"
#include "core/vm/vm.h"
#include "hw/kmod/guest.h"

extern const u8 mmulab_guest_code[];
extern const u8 mmulab_guest_code_end[];
extern const u8 mmulab_guest_pf[];
extern const u8 mmulab_guest_user[];
extern const u8 mmulab_guest_user_end[];
extern const u8 *const mmulab_guest_hcall_sites[];
extern const u8 *const mmulab_guest_hcall_sites_end[];

#define PTE_P		0x1ULL
#define PTE_W		0x2ULL
#define PTE_U		0x4ULL
#define PTE_PS		0x80ULL
#define GUEST_4K		0x1000ULL

/* A 64-bit interrupt gate (type 0xe, present, DPL 0, IST 0): low and high quadwords. */
static void idt_gate(u64 handler, u16 sel, u64 gate[2])
{
	gate[0] = (handler & 0xffff) | (u64)sel << 16 | 0x8e00ULL << 32 |
		  ((handler >> 16) & 0xffff) << 48;
	gate[1] = handler >> 32;
}

/* Long-mode descriptors: 64-bit code (L=1, P, S, type 0xb), flat data. */
#define GDT_CODE64	0x00af9b000000ffffULL
#define GDT_DATA	0x00cf93000000ffffULL
#define GDT_UCODE64	0x00affb000000ffffULL
#define GDT_UDATA	0x00cff3000000ffffULL

/* gpa of the region's page `off` and its linear address. */
#define RSV_GPA(g, off)	((g)->base + (off))
#define RSV_VA(off)	(GUEST_RSV_VA + (off))

u64 guest_rsv_pml4e(const struct guest_region *g)
{
	return (g->base + GUEST_RPDPT) | PTE_P | PTE_W | PTE_U;
}

u64 guest_rsv_pml5e(const struct guest_region *g)
{
	return (g->base + GUEST_RPML4) | PTE_P | PTE_W | PTE_U;
}

/* Each hypercall site gets the vendor's instruction, at its offset in the region. */
static int guest_patch_hypercalls(struct vm *vm, u64 base, const u8 hypercall[3])
{
	const u8 *const *site;
	int ret = 0;

	for (site = mmulab_guest_hcall_sites; site < mmulab_guest_hcall_sites_end && !ret; site++) {
		u64 off;

		if (*site >= mmulab_guest_code && *site < mmulab_guest_code_end)
			off = GUEST_CODE + (*site - mmulab_guest_code);
		else if (*site >= mmulab_guest_user && *site < mmulab_guest_user_end)
			off = GUEST_USER + (*site - mmulab_guest_user);
		else
			return MMU_EINVAL;
		ret = vm_write_gpa(vm, base + off, hypercall, 3);
	}
	return ret;
}

int guest_place(struct vm *vm, u64 base, const u8 hypercall[3], struct guest_region *g)
{
	size_t code_len = mmulab_guest_code_end - mmulab_guest_code;
	size_t user_len = mmulab_guest_user_end - mmulab_guest_user;
	static const u64 gdt[5] = { 0, GDT_CODE64, GDT_DATA, GDT_UDATA, GDT_UCODE64 };
	u64 gate[2];
	unsigned int i, j;
	int ret;

	if ((base & (GUEST_4K - 1)) || code_len > GUEST_CODE_MAX ||
	    user_len > GUEST_USER_MAX)
		return MMU_EINVAL;
	g->base = base;

	/* The region at GUEST_RSV_VA: PDPT[0] -> PD[0] -> PT[0..15] -> its own pages. */
	ret = vm_write_value(vm, base + GUEST_RPDPT, 8, (base + GUEST_RPD) | PTE_P | PTE_W | PTE_U);
	if (!ret)
		ret = vm_write_value(vm, base + GUEST_RPD, 8, (base + GUEST_RPT) | PTE_P | PTE_W | PTE_U);
	for (i = 0; i < GUEST_PAGES && !ret; i++)
		ret = vm_write_value(vm, base + GUEST_RPT + i * 8, 8,
				     (base + i * GUEST_4K) | PTE_P | PTE_W |
				     (i * GUEST_4K == GUEST_USER ? PTE_U : 0));

	if (!ret)
		ret = vm_write_value(vm, base + GUEST_RPML4 + GUEST_RSV_PML4_INDEX * 8, 8,
				     guest_rsv_pml4e(g));
	/* The guest's own root: gva == gpa over the first 4 GiB, and the region. */
	if (!ret)
		ret = vm_write_value(vm, base + GUEST_PML4, 8, (base + GUEST_PDPT) | PTE_P | PTE_W);
	if (!ret)
		ret = vm_write_value(vm, base + GUEST_PML4 + GUEST_RSV_PML4_INDEX * 8, 8,
				     guest_rsv_pml4e(g));
	for (i = 0; i < GUEST_NR_PD && !ret; i++) {
		u64 pd = base + GUEST_PD + i * GUEST_4K;

		ret = vm_write_value(vm, base + GUEST_PDPT + i * 8, 8, pd | PTE_P | PTE_W);
		for (j = 0; j < 512 && !ret; j++)
			ret = vm_write_value(vm, pd + j * 8, 8,
					     ((u64)i << 30 | (u64)j << 21) | PTE_P | PTE_W | PTE_PS);
	}
	if (!ret)
		ret = vm_write_gpa(vm, base + GUEST_GDT, gdt, sizeof(gdt));
	if (!ret)
		ret = vm_write_gpa(vm, base + GUEST_CODE, mmulab_guest_code, code_len);
	if (!ret)
		ret = vm_write_gpa(vm, base + GUEST_USER, mmulab_guest_user, user_len);
	if (!ret)
		ret = guest_patch_hypercalls(vm, base, hypercall);
	/* The IDT: not-present gates but for #PF (another exception ends in a triple fault). */
	for (i = 0; i < GUEST_IDT_GATES && !ret; i++) {
		gate[0] = gate[1] = 0;
		if (i == 14)
			idt_gate(RSV_VA(GUEST_CODE) +
				 (mmulab_guest_pf - mmulab_guest_code), GUEST_CS, gate);
		ret = vm_write_gpa(vm, base + GUEST_IDT + i * 16, gate, sizeof(gate));
	}
	if (!ret)
		ret = vm_write_value(vm, base + GUEST_MBOX + MBOX_MAGIC, 4, GUEST_MBOX_MAGIC);
	if (ret)
		return ret;

	g->root = base + GUEST_PML4;
	g->rip = RSV_VA(GUEST_CODE);
	g->rsp = RSV_VA(GUEST_STACK_TOP);
	g->user_rip = RSV_VA(GUEST_USER);
	g->mbox = RSV_VA(GUEST_MBOX);
	g->mbox_gpa = base + GUEST_MBOX;
	g->gdt = RSV_VA(GUEST_GDT);
	g->gdt_limit = sizeof(gdt) - 1;
	g->idt = RSV_VA(GUEST_IDT);
	g->idt_limit = GUEST_IDT_GATES * 16 - 1;
	return 0;
}

/*
 * Segment attributes in the VMCB's form (hv.h): 64-bit code (L, P, S,
 * type execute/read accessed), flat data (G, D/B, P, S, type read/write
 * accessed), and a busy 64-bit TSS that nothing ever loads: the guest
 * never changes privilege level, so it needs no TSS.
 */
#define ATTR_CODE64		0xa9b
#define ATTR_DATA		0xc93
#define ATTR_TSS64_BUSY		0x08b
#define ATTR_DPL3		0x060
#define GUEST_CR0		0x80010033ULL	/* PG WP NE ET MP PE */
#define GUEST_CR4		0x20ULL		/* PAE */
#define GUEST_EFER		0x500ULL	/* LMA LME */
#define FLAT_LIMIT		0xffffffffu
#define TSS_LIMIT		0x67

void guest_state(const struct guest_region *g, struct hv_state *st)
{
	const struct hv_seg data = { GUEST_DS, ATTR_DATA, FLAT_LIMIT, 0 };

	*st = (struct hv_state){
		.cr0 = GUEST_CR0,
		.cr3 = g->root,
		.cr4 = GUEST_CR4,
		.efer = GUEST_EFER,
		.cpl = 0,
		.cs = { GUEST_CS, ATTR_CODE64, FLAT_LIMIT, 0 },
		.ss = data, .ds = data, .es = data, .fs = data, .gs = data,
		.tr = { 0, ATTR_TSS64_BUSY, TSS_LIMIT, 0 },
		.gdtr = { 0, 0, g->gdt_limit, g->gdt },
		.idtr = { 0, 0, g->idt_limit, g->idt },
	};
}

void guest_state_cpl3(struct hv_state *st)
{
	const struct hv_seg data = { GUEST_USER_DS, ATTR_DATA | ATTR_DPL3, FLAT_LIMIT, 0 };

	st->cs = (struct hv_seg){ GUEST_USER_CS, ATTR_CODE64 | ATTR_DPL3, FLAT_LIMIT, 0 };
	st->ss = st->ds = st->es = st->fs = st->gs = data;
	st->cpl = 3;
}

int guest_load_batch(struct vm *vm, const struct guest_region *g,
			 const struct guest_cmd *cmds, unsigned int n)
{
	u64 mbox = g->mbox_gpa;
	unsigned int i;
	int ret = 0;

	if (n > GUEST_MBOX_MAX_CMDS)
		return MMU_EINVAL;
	for (i = 0; i < n && !ret; i++) {
		u64 c = mbox + MBOX_CMDS + (u64)i * CMD_SIZEOF;

		ret = vm_write_value(vm, c + CMD_OP, 4, cmds[i].op);
		if (!ret)
			ret = vm_write_value(vm, c + CMD_BYTES, 4, cmds[i].bytes);
		if (!ret)
			ret = vm_write_value(vm, c + CMD_ADDR, 8, cmds[i].addr);
		if (!ret)
			ret = vm_write_value(vm, c + CMD_VALUE, 8, cmds[i].value);
		if (!ret)
			ret = vm_write_value(vm, c + CMD_STATUS, 4, GUEST_ST_NONE);
		if (!ret)
			ret = vm_write_value(vm, c + CMD_PFEC, 4, 0);
	}
	if (!ret)
		ret = vm_write_value(vm, mbox + MBOX_DONE, 4, 0);
	if (!ret)
		ret = vm_write_value(vm, mbox + MBOX_COUNT, 4, n);
	return ret;
}

int guest_read_batch(struct vm *vm, const struct guest_region *g,
			 struct guest_cmd *cmds, unsigned int n, unsigned int *done)
{
	u64 mbox = g->mbox_gpa, v;
	unsigned int i;
	int ret;

	ret = vm_read_value(vm, mbox + MBOX_DONE, 4, &v);
	if (ret)
		return ret;
	*done = v;
	for (i = 0; i < n && !ret; i++) {
		u64 c = mbox + MBOX_CMDS + (u64)i * CMD_SIZEOF;

		ret = vm_read_value(vm, c + CMD_VALUE, 8, &v);
		if (ret)
			break;
		cmds[i].value = v;
		ret = vm_read_value(vm, c + CMD_STATUS, 4, &v);
		if (ret)
			break;
		cmds[i].status = v;
		ret = vm_read_value(vm, c + CMD_PFEC, 4, &v);
		cmds[i].pfec = v;
	}
	return ret;
}
