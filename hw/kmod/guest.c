// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/guest.c — placing the access-interpreter guest (guest.h has
 * the memory layout, guest_code.S and guest_code32.S the code of its two
 * widths), the state it starts with, and talking to it through its
 * mailbox.  Everything is written with vm_write_gpa, the host's view of
 * guest memory, so it needs no mapping in the MMU.
 */
#include "core/errors.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/kmod/guest.h"

/* The code blobs and their hypercall sites (guest_code.S, guest_code32.S). */
extern const u8 mmulab_guest_code[], mmulab_guest_code_end[];
extern const u8 mmulab_guest_pf[], mmulab_guest_implicit[];
extern const u8 mmulab_guest_user[], mmulab_guest_user_end[], mmulab_guest_user_implicit[];
extern const u8 *const mmulab_guest_hcall_sites[];
extern const u8 *const mmulab_guest_hcall_sites_end[];
extern const u8 mmulab_guest32_code[], mmulab_guest32_code_end[];
extern const u8 mmulab_guest32_pf[], mmulab_guest32_implicit[];
extern const u8 mmulab_guest32_user[], mmulab_guest32_user_end[], mmulab_guest32_user_implicit[];
extern const u8 *const mmulab_guest32_hcall_sites[];
extern const u8 *const mmulab_guest32_hcall_sites_end[];

/* One entry of a table of access sites, as ACCESS (guest_access.h) lays it out. */
struct guest_site_entry {
	const u8 *insn;
	u8 op, bytes, len, data_reg, addr_reg, disp;
	u8 pad[2];
};
_Static_assert(sizeof(struct guest_site_entry) == 16, "ACCESS in guest_access.h");

extern const struct guest_site_entry mmulab_guest_access_sites[];
extern const struct guest_site_entry mmulab_guest_access_sites_end[];
extern const struct guest_site_entry mmulab_guest32_access_sites[];
extern const struct guest_site_entry mmulab_guest32_access_sites_end[];

/* A blob of guest code and where in the region it goes. */
struct guest_blob {
	const u8 *start, *end;
	u64 off;
	u64 max;	/* bytes it may take */
};

static const struct guest_blob guest_blobs[] = {
	{ mmulab_guest_code, mmulab_guest_code_end, GUEST_CODE, GUEST_CODE_MAX },
	{ mmulab_guest_user, mmulab_guest_user_end, GUEST_USER, GUEST_USER_MAX },
	{ mmulab_guest32_code, mmulab_guest32_code_end, GUEST_CODE32, GUEST_CODE_MAX },
	{ mmulab_guest32_user, mmulab_guest32_user_end, GUEST_USER32, GUEST_USER_MAX },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define GUEST_4K	0x1000ULL
#define ENTRIES_4K	512		/* 8-byte entries in a 4 KiB table */
#define DESC_BYTES	8		/* a segment descriptor (SDM 3.4.5) */
#define VECTOR_PF	14
/* The region at VM_RSV_VA32 is PT32 entry 512 on: PDE 1023 maps from 0xffc00000. */
#define RPT32_FIRST	((VM_RSV_VA32 - VM_RSV_VA_32BIT) / GUEST_4K)

/* A 64-bit interrupt gate (type 0xe, present, DPL 0, IST 0): low and high quadwords. */
static void idt_gate(u64 handler, u16 sel, u64 gate[2])
{
	gate[0] = (handler & 0xffff) | (u64)sel << 16 | 0x8e00ULL << 32 |
		  ((handler >> 16) & 0xffff) << 48;
	gate[1] = handler >> 32;
}

/* A 32-bit interrupt gate: the same type 0xe (D=1: 32-bit), P, DPL 0, in 8 bytes. */
static u64 idt_gate32(u32 handler, u16 sel)
{
	return (handler & 0xffff) | (u64)sel << 16 | 0x8e00ULL << 32 |
	       (u64)(handler >> 16) << 48;
}

/*
 * Descriptors: 64-bit code (L=1, P, S, type 0xb), flat data, and 32-bit
 * code (D=1, G, P, S, type 0xb); the U ones with DPL 3.  Every type has
 * its accessed bit set, so loading one (the #PF handler's IRET) writes
 * nothing.
 */
#define GDT_CODE64	0x00af9b000000ffffULL
#define GDT_DATA	0x00cf93000000ffffULL
#define GDT_UCODE64	0x00affb000000ffffULL
#define GDT_UDATA	0x00cff3000000ffffULL
#define GDT_CODE32	0x00cf9b000000ffffULL
#define GDT_UCODE32	0x00cffb000000ffffULL

/* The linear address of the region's page `off`, for the 64-bit and the 32-bit interpreter. */
#define RSV_VA(off)	(VM_RSV_VA64 + (off))
#define RSV_VA32(off)	(VM_RSV_VA32 + (off))

u64 guest_rsv_pml4e(const struct guest_region *g)
{
	return (g->base + GUEST_RPDPT) | PT_PRESENT | PT_WRITABLE | PT_USER | PT_ACCESSED;
}

u64 guest_rsv_pml5e(const struct guest_region *g)
{
	return (g->base + GUEST_RPML4) | PT_PRESENT | PT_WRITABLE | PT_USER | PT_ACCESSED;
}

u64 guest_rsv_pde32(const struct guest_region *g)
{
	return (g->base + GUEST_RPT32) | PT_PRESENT | PT_WRITABLE | PT_USER | PT_ACCESSED;
}

u64 guest_rsv_pde_pae(const struct guest_region *g)
{
	return (g->base + GUEST_RPT_PAE) | PT_PRESENT | PT_WRITABLE | PT_USER | PT_ACCESSED;
}

u64 guest_rsv_pdpte_pae(const struct guest_region *g)
{
	return (g->base + GUEST_RPD_PAE) | PT_PRESENT;
}

/* Where an instruction of a code blob lands in the region: true and *off, or false. */
static bool guest_blob_offset(const u8 *insn, u64 *off)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(guest_blobs); i++) {
		if (insn >= guest_blobs[i].start && insn < guest_blobs[i].end) {
			*off = guest_blobs[i].off + (insn - guest_blobs[i].start);
			return true;
		}
	}
	return false;
}

/* Each hypercall site of a table gets the vendor's instruction, at its offset in the region. */
static int guest_patch_hypercalls(struct vm *vm, u64 base, const u8 *const *site,
				  const u8 *const *end, const u8 hypercall[3])
{
	u64 off;
	int ret = 0;

	for (; site < end && !ret; site++) {
		if (!guest_blob_offset(*site, &off))
			return MMU_EINVAL;
		ret = vm_write_gpa(vm, base + off, hypercall, 3);
	}
	return ret;
}

/* The site at rip in one width's table, whose region is seen from linear address va. */
static bool guest_site_in(const struct guest_site_entry *e, const struct guest_site_entry *end,
			  u64 va, u64 rip, struct guest_site *site)
{
	u64 off;

	for (; e < end; e++) {
		if (!guest_blob_offset(e->insn, &off) || va + off != rip)
			continue;
		*site = (struct guest_site){
			.rip = rip, .op = e->op, .bytes = e->bytes, .len = e->len,
			.data_reg = e->data_reg, .addr_reg = e->addr_reg, .disp = e->disp,
			.addr32 = va == VM_RSV_VA32,
		};
		return true;
	}
	return false;
}

bool guest_site_at(u64 rip, struct guest_site *site)
{
	return guest_site_in(mmulab_guest_access_sites, mmulab_guest_access_sites_end,
			     VM_RSV_VA64, rip, site) ||
	       guest_site_in(mmulab_guest32_access_sites, mmulab_guest32_access_sites_end,
			     VM_RSV_VA32, rip, site);
}

/* The code blobs, with the vendor's hypercalls. */
static int guest_place_code(struct vm *vm, u64 base, const u8 hypercall[3])
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(guest_blobs) && !ret; i++) {
		const struct guest_blob *b = &guest_blobs[i];

		if ((u64)(b->end - b->start) > b->max)
			return MMU_EINVAL;
		ret = vm_write_gpa(vm, base + b->off, b->start, b->end - b->start);
	}
	if (!ret)
		ret = guest_patch_hypercalls(vm, base, mmulab_guest_hcall_sites,
					     mmulab_guest_hcall_sites_end, hypercall);
	if (!ret)
		ret = guest_patch_hypercalls(vm, base, mmulab_guest32_hcall_sites,
					     mmulab_guest32_hcall_sites_end, hypercall);
	return ret;
}

/* A page of the region as 4 KiB pages: P|W, U only for the stubs' page. */
static u64 guest_page_pte(u64 base, unsigned int i)
{
	return (base + i * GUEST_4K) | PT_PRESENT | PT_WRITABLE |
	       (i * GUEST_4K == GUEST_USER ? PT_USER : 0);
}

/*
 * The region's own tables: 4/5-level (PDPT[0] -> PD[0] -> PT, and the
 * PML4 of 5-level roots), 32-bit (PT32) and PAE (PT, the PD for a vCPU
 * without PDPTE 3).
 */
static int guest_place_rsv_tables(struct vm *vm, const struct guest_region *g)
{
	u64 base = g->base;
	unsigned int i;
	int ret;

	ret = vm_write_value(vm, base + GUEST_RPDPT, 8,
			     (base + GUEST_RPD) | PT_PRESENT | PT_WRITABLE | PT_USER);
	if (!ret)
		ret = vm_write_value(vm, base + GUEST_RPD, 8,
				     (base + GUEST_RPT) | PT_PRESENT | PT_WRITABLE | PT_USER);
	for (i = 0; i < GUEST_PAGES && !ret; i++)
		ret = vm_write_value(vm, base + GUEST_RPT + i * 8, 8, guest_page_pte(base, i));
	if (!ret)
		ret = vm_write_value(vm, base + GUEST_RPML4 + VM_RSV_PML4_INDEX * 8, 8,
				     guest_rsv_pml4e(g));
	for (i = 0; i < GUEST_PAGES && !ret; i++)
		ret = vm_write_value(vm, base + GUEST_RPT32 + (RPT32_FIRST + i) * ENTRY32_BYTES,
				     ENTRY32_BYTES, guest_page_pte(base, i));
	for (i = 0; i < GUEST_PAGES && !ret; i++)
		ret = vm_write_value(vm, base + GUEST_RPT_PAE + i * 8, 8, guest_page_pte(base, i));
	if (!ret)
		ret = vm_write_value(vm, base + GUEST_RPD_PAE + VM_RSV_PDE_PAE_INDEX * 8, 8,
				     guest_rsv_pde_pae(g));
	return ret;
}

/* The guest's own root: gva == gpa over the first 4 GiB, and the region. */
static int guest_place_own_root(struct vm *vm, const struct guest_region *g)
{
	u64 base = g->base;
	unsigned int i, j;
	int ret;

	ret = vm_write_value(vm, base + GUEST_PML4, 8,
			     (base + GUEST_PDPT) | PT_PRESENT | PT_WRITABLE);
	if (!ret)
		ret = vm_write_value(vm, base + GUEST_PML4 + VM_RSV_PML4_INDEX * 8, 8,
				     guest_rsv_pml4e(g));
	for (i = 0; i < GUEST_NR_PD && !ret; i++) {
		u64 pd = base + GUEST_PD + i * GUEST_4K;

		ret = vm_write_value(vm, base + GUEST_PDPT + i * 8, 8,
				     pd | PT_PRESENT | PT_WRITABLE);
		for (j = 0; j < ENTRIES_4K && !ret; j++)
			ret = vm_write_value(vm, pd + j * 8, 8,
					     ((u64)i << 30 | (u64)j << 21) | PT_PRESENT |
					     PT_WRITABLE | PT_PAGE_SIZE);
	}
	return ret;
}

/*
 * The GDT, and the IDTs of both widths: not-present gates but for #PF
 * (another exception ends in a triple fault).
 */
static int guest_place_tables(struct vm *vm, u64 base)
{
	static const u64 gdt[GUEST_GDT_ENTRIES] = {
		0, GDT_CODE64, GDT_DATA, GDT_UDATA, GDT_UCODE64, GDT_CODE32, GDT_UCODE32,
	};
	u64 gate[2], gate32;
	unsigned int i;
	int ret;

	ret = vm_write_gpa(vm, base + GUEST_GDT, gdt, sizeof(gdt));
	for (i = 0; i < GUEST_IDT_GATES && !ret; i++) {
		gate[0] = gate[1] = 0;
		gate32 = 0;
		if (i == VECTOR_PF) {
			idt_gate(RSV_VA(GUEST_CODE) + (mmulab_guest_pf - mmulab_guest_code),
				 GUEST_CS, gate);
			gate32 = idt_gate32(RSV_VA32(GUEST_CODE32) +
					    (mmulab_guest32_pf - mmulab_guest32_code), GUEST_CS32);
		}
		ret = vm_write_gpa(vm, base + GUEST_IDT + i * GATE64_BYTES, gate, sizeof(gate));
		if (!ret)
			ret = vm_write_value(vm, base + GUEST_IDT32 + i * GATE32_BYTES,
					     GATE32_BYTES, gate32);
	}
	return ret;
}

/* One width's entry points, with the region seen at `va`. */
static void guest_entry_at(struct guest_entry *e, u64 va, bool code32)
{
	const u8 *code = code32 ? mmulab_guest32_code : mmulab_guest_code;
	const u8 *user = code32 ? mmulab_guest32_user : mmulab_guest_user;
	const u8 *implicit = code32 ? mmulab_guest32_implicit : mmulab_guest_implicit;
	const u8 *user_implicit = code32 ? mmulab_guest32_user_implicit :
					   mmulab_guest_user_implicit;
	u64 code_va = va + (code32 ? GUEST_CODE32 : GUEST_CODE);
	u64 user_va = va + (code32 ? GUEST_USER32 : GUEST_USER);

	*e = (struct guest_entry){
		.code32 = code32,
		.rip = code_va,
		.rsp = va + GUEST_STACK_TOP,
		.mbox = va + GUEST_MBOX,
		.user_rip = user_va,
		.implicit_rip = code_va + (implicit - code),
		.user_implicit_rip = user_va + (user_implicit - user),
		.gdt = va + GUEST_GDT,
		.gdt_limit = GUEST_GDT_ENTRIES * DESC_BYTES - 1,
		.idt = va + (code32 ? GUEST_IDT32 : GUEST_IDT),
		.idt_limit = GUEST_IDT_GATES * (code32 ? GATE32_BYTES : GATE64_BYTES) - 1,
	};
}

int guest_place(struct vm *vm, u64 base, const u8 hypercall[3], struct guest_region *g)
{
	int ret;

	/* 32-bit entries point into the region: it must lie below 4 GiB. */
	if ((base & (GUEST_4K - 1)) || base + GUEST_SIZE > (1ULL << 32))
		return MMU_EINVAL;
	g->base = base;
	ret = guest_place_rsv_tables(vm, g);
	if (!ret)
		ret = guest_place_own_root(vm, g);
	if (!ret)
		ret = guest_place_tables(vm, base);
	if (!ret)
		ret = guest_place_code(vm, base, hypercall);
	if (!ret)
		ret = vm_write_value(vm, base + GUEST_MBOX + MBOX_MAGIC, 4, GUEST_MBOX_MAGIC);
	if (ret)
		return ret;

	g->root = base + GUEST_PML4;
	g->mbox_gpa = base + GUEST_MBOX;
	g->pdpt_pae = base + GUEST_PDPT_PAE;
	g->hook_copy = base + GUEST_HOOK_COPY;
	guest_entry_at(&g->e64, VM_RSV_VA64, false);
	guest_entry_at(&g->e32, VM_RSV_VA32, true);
	return 0;
}

/*
 * Segment attributes in the VMCB's form (hv.h): 64-bit code (L, P, S,
 * type execute/read accessed), 32-bit code (G, D/B, P, S, the same type),
 * flat data (G, D/B, P, S, type read/write accessed), and a busy TSS that
 * nothing ever loads (type 11: busy 64-bit TSS in IA-32e mode, busy 32-bit
 * TSS otherwise, SDM table 3-2): the guest never changes privilege
 * level, so it needs no TSS.
 */
#define ATTR_CODE64		0xa9b
#define ATTR_CODE32		0xc9b
#define ATTR_DATA		0xc93
#define ATTR_TSS_BUSY		0x08b
#define ATTR_DPL3		0x060
#define GUEST_CR0		0x80010033ULL	/* PG WP NE ET MP PE */
#define GUEST_CR4		0x20ULL		/* PAE */
#define GUEST_EFER		0x500ULL	/* LMA LME */
#define FLAT_LIMIT		0xffffffffu
#define TSS_LIMIT		0x67

/* Segments and descriptor tables at CPL 0, for the width of `e` with code segment `cs`. */
static void guest_segments(const struct guest_entry *e, const struct hv_seg *cs,
			   struct hv_state *st)
{
	const struct hv_seg data = { GUEST_DS, ATTR_DATA, FLAT_LIMIT, 0 };

	st->cpl = 0;
	st->cs = *cs;
	st->ss = st->ds = st->es = st->fs = st->gs = data;
	st->tr = (struct hv_seg){ 0, ATTR_TSS_BUSY, TSS_LIMIT, 0 };
	st->gdtr = (struct hv_seg){ 0, 0, e->gdt_limit, e->gdt };
	st->idtr = (struct hv_seg){ 0, 0, e->idt_limit, e->idt };
}

void guest_state(const struct guest_region *g, struct hv_state *st)
{
	const struct hv_seg cs = { GUEST_CS, ATTR_CODE64, FLAT_LIMIT, 0 };

	*st = (struct hv_state){
		.cr0 = GUEST_CR0,
		.cr3 = g->root,
		.cr4 = GUEST_CR4,
		.efer = GUEST_EFER,
	};
	guest_segments(&g->e64, &cs, st);
}

void guest_state32(const struct guest_region *g, struct hv_state *st)
{
	const struct hv_seg cs = { GUEST_CS32, ATTR_CODE32, FLAT_LIMIT, 0 };

	*st = (struct hv_state){ 0 };
	guest_segments(&g->e32, &cs, st);
}

void guest_state_cpl3(struct hv_state *st)
{
	const struct hv_seg data = { GUEST_USER_DS, ATTR_DATA | ATTR_DPL3, FLAT_LIMIT, 0 };
	u16 sel = st->cs.sel == GUEST_CS32 ? GUEST_USER_CS32 : GUEST_USER_CS;

	st->cs = (struct hv_seg){ sel, st->cs.attr | ATTR_DPL3, FLAT_LIMIT, 0 };
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
