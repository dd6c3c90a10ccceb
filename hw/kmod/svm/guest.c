// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/svm/guest.c — placing the access-interpreter guest (guest.h has
 * the memory layout, guest_code.S the code) and talking to it through
 * its mailbox.  Everything is written with vm_write_gpa, the host's view
 * of guest memory, so it needs no mapping in the MMU.
 */
#include "core/errors.h"
#include "core/vm/vm.h"
#include "hw/kmod/svm/guest.h"

extern const u8 mmulab_svm_guest_code[];
extern const u8 mmulab_svm_guest_code_end[];
extern const u8 mmulab_svm_guest_pf[];
extern const u8 mmulab_svm_guest_user[];
extern const u8 mmulab_svm_guest_user_end[];

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
#define RSV_VA(off)	(SVM_RSV_VA + (off))

u64 svm_guest_rsv_pml4e(const struct svm_guest *g)
{
	return (g->base + SVM_GUEST_RPDPT) | PTE_P | PTE_W | PTE_U;
}

u64 svm_guest_rsv_pml5e(const struct svm_guest *g)
{
	return (g->base + SVM_GUEST_RPML4) | PTE_P | PTE_W | PTE_U;
}

int svm_guest_place(struct vm *vm, u64 base, struct svm_guest *g)
{
	size_t code_len = mmulab_svm_guest_code_end - mmulab_svm_guest_code;
	size_t user_len = mmulab_svm_guest_user_end - mmulab_svm_guest_user;
	static const u64 gdt[5] = { 0, GDT_CODE64, GDT_DATA, GDT_UDATA, GDT_UCODE64 };
	u64 gate[2];
	unsigned int i, j;
	int ret;

	if ((base & (GUEST_4K - 1)) || code_len > SVM_GUEST_CODE_MAX ||
	    user_len > SVM_GUEST_USER_MAX)
		return MMU_EINVAL;
	g->base = base;

	/* The region at SVM_RSV_VA: PDPT[0] -> PD[0] -> PT[0..15] -> its own pages. */
	ret = vm_write_value(vm, base + SVM_GUEST_RPDPT, 8, (base + SVM_GUEST_RPD) | PTE_P | PTE_W | PTE_U);
	if (!ret)
		ret = vm_write_value(vm, base + SVM_GUEST_RPD, 8, (base + SVM_GUEST_RPT) | PTE_P | PTE_W | PTE_U);
	for (i = 0; i < SVM_GUEST_PAGES && !ret; i++)
		ret = vm_write_value(vm, base + SVM_GUEST_RPT + i * 8, 8,
				     (base + i * GUEST_4K) | PTE_P | PTE_W |
				     (i * GUEST_4K == SVM_GUEST_USER ? PTE_U : 0));

	if (!ret)
		ret = vm_write_value(vm, base + SVM_GUEST_RPML4 + SVM_RSV_PML4_INDEX * 8, 8,
				     svm_guest_rsv_pml4e(g));
	/* The guest's own root: gva == gpa over the first 4 GiB, and the region. */
	if (!ret)
		ret = vm_write_value(vm, base + SVM_GUEST_PML4, 8, (base + SVM_GUEST_PDPT) | PTE_P | PTE_W);
	if (!ret)
		ret = vm_write_value(vm, base + SVM_GUEST_PML4 + SVM_RSV_PML4_INDEX * 8, 8,
				     svm_guest_rsv_pml4e(g));
	for (i = 0; i < SVM_GUEST_NR_PD && !ret; i++) {
		u64 pd = base + SVM_GUEST_PD + i * GUEST_4K;

		ret = vm_write_value(vm, base + SVM_GUEST_PDPT + i * 8, 8, pd | PTE_P | PTE_W);
		for (j = 0; j < 512 && !ret; j++)
			ret = vm_write_value(vm, pd + j * 8, 8,
					     ((u64)i << 30 | (u64)j << 21) | PTE_P | PTE_W | PTE_PS);
	}
	if (!ret)
		ret = vm_write_gpa(vm, base + SVM_GUEST_GDT, gdt, sizeof(gdt));
	if (!ret)
		ret = vm_write_gpa(vm, base + SVM_GUEST_CODE, mmulab_svm_guest_code, code_len);
	if (!ret)
		ret = vm_write_gpa(vm, base + SVM_GUEST_USER, mmulab_svm_guest_user, user_len);
	/* The IDT: not-present gates but for #PF (another exception ends in a triple fault). */
	for (i = 0; i < SVM_GUEST_IDT_GATES && !ret; i++) {
		gate[0] = gate[1] = 0;
		if (i == 14)
			idt_gate(RSV_VA(SVM_GUEST_CODE) +
				 (mmulab_svm_guest_pf - mmulab_svm_guest_code), SVM_GUEST_CS, gate);
		ret = vm_write_gpa(vm, base + SVM_GUEST_IDT + i * 16, gate, sizeof(gate));
	}
	if (!ret)
		ret = vm_write_value(vm, base + SVM_GUEST_MBOX + MBOX_MAGIC, 4, SVM_MBOX_MAGIC);
	if (ret)
		return ret;

	g->cr0 = 0x80010033ULL;		/* PG WP NE ET MP PE */
	g->cr3 = base + SVM_GUEST_PML4;
	g->cr4 = 0x20ULL;		/* PAE */
	g->efer = 0x500ULL;		/* LMA LME */
	g->rip = RSV_VA(SVM_GUEST_CODE);
	g->rsp = RSV_VA(SVM_GUEST_STACK_TOP);
	g->user_rip = RSV_VA(SVM_GUEST_USER);
	g->mbox = RSV_VA(SVM_GUEST_MBOX);
	g->mbox_gpa = base + SVM_GUEST_MBOX;
	g->gdt = RSV_VA(SVM_GUEST_GDT);
	g->gdt_limit = sizeof(gdt) - 1;
	g->idt = RSV_VA(SVM_GUEST_IDT);
	g->idt_limit = SVM_GUEST_IDT_GATES * 16 - 1;
	return 0;
}

int svm_guest_load_batch(struct vm *vm, const struct svm_guest *g,
			 const struct svm_guest_cmd *cmds, unsigned int n)
{
	u64 mbox = g->mbox_gpa;
	unsigned int i;
	int ret = 0;

	if (n > SVM_MBOX_MAX_CMDS)
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
			ret = vm_write_value(vm, c + CMD_STATUS, 4, SVM_ST_NONE);
		if (!ret)
			ret = vm_write_value(vm, c + CMD_PFEC, 4, 0);
	}
	if (!ret)
		ret = vm_write_value(vm, mbox + MBOX_DONE, 4, 0);
	if (!ret)
		ret = vm_write_value(vm, mbox + MBOX_COUNT, 4, n);
	return ret;
}

int svm_guest_read_batch(struct vm *vm, const struct svm_guest *g,
			 struct svm_guest_cmd *cmds, unsigned int n, unsigned int *done)
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
