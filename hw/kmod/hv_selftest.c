// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/hv_selftest.c — the world switch's self-test, run at module
 * load on whichever vendor the CPU has (SVM or VMX).
 *
 * A VM with one 8 MiB memslot at gpa 0, the TDP backend in the vendor's
 * layout (NPT or EPT) as deep as the CPU walks it, the access-interpreter
 * guest at gpa 1 MiB.  The host writes known values with vm_write_gpa;
 * two batches read them back through the guest (one read crosses a page)
 * and write others; the test checks the values the guest stored in its
 * mailbox, guest memory afterwards, and that TDP faults (#NPF, EPT
 * violations) reached the MMU (PF_TAKEN > 0).  Two
 * accesses of batch 2 miss the guest's own tables: its #PF handler must
 * report CR2 and the error code and go on with the next command.  Between
 * the batches every SPTE is zapped: the MMU's flush request must become
 * a TLB flush on the next entry, and batch 2 must fault again.  Batch 1
 * also reads and writes a device range (MMIO, no memslot): the run must
 * emulate those accesses on core/vm's device, whose registers read as
 * all ones until written, which memory never does.  Batch 2 also reads
 * and writes through a page table in ROM (a read-only memslot): the CPU
 * cannot walk it (no A/D updates there; under NPT not even a read), so
 * the run must walk it in software and leave it unchanged.
 *
 * Batches 1 and 2 give the guest the CPU's MAXPHYADDR.  Batch 3 gives it
 * a smaller one and a PDE with an address bit between the two: the CPU
 * walks on to a gpa beyond the guest's MAXPHYADDR, and the guest's
 * handler must get the reserved-bit #PF of its own walk, which the CPU
 * never raised; its other #PFs, now intercepted, must reach it as they
 * came.  On a CPU with fewer than 52 address bits, batch 4 gives the
 * guest more: it runs while no entry sets a bit only the CPU reserves,
 * and the run fails with -EOPNOTSUPP on one that does.
 *
 * hv_selftest() (hv.c) runs it on one CPU and prints one line:
 * "<vendor> selftest PASS ...", "FAIL ..." or "SKIP (...)"; its result
 * never makes the module fail to load.  This file is the core side (core
 * headers only).
 */
#include <linux/errno.h>

#include "backends/tdp/tdp_backend.h"
#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/vm/vm.h"
#include "hw/kmod/guest.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/hv_run.h"
#include "hw/kmod/hv_selftest.h"

#define ST_SLOT_SIZE	0x800000ULL	/* 8 MiB */
#define ST_GUEST_BASE	0x100000ULL	/* 1 MiB */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ST_MAX_EXITS	100000
/* What the self-test's VM asks for: 4-level tables, unless the vendor needs 5. */
#define ST_MAXPHYADDR	46
/* The device range: below 4 GiB, where the guest's own tables map gva == gpa, and outside the memslot. */
#define ST_MMIO		0xfee00000ULL
#define ST_MMIO_SIZE	0x100
/*
 * Batch 3's guest MAXPHYADDR, and the address bit its PDE of ST_RSVD_VA
 * gets (a gpa the CPU can walk to on any host, below 2^48).
 */
#define ST_SMALL_MAXPHYADDR	36
/* Batch 4's guest MAXPHYADDR: the largest there is. */
#define ST_LARGE_MAXPHYADDR	52
/* 2 MiB pages of the guest's own identity map whose PDEs batches 2 to 4 change (3 GiB: unused). */
#define ST_RSVD_VA	0xc0000000ULL
#define ST_RSVD_VA2	(ST_RSVD_VA + 0x200000ULL)
#define ST_ROM_VA	(ST_RSVD_VA + 0x400000ULL)
/* The page table for ST_ROM_VA, in a read-only memslot of its own, and the RAM page its entry 0 maps. */
#define ST_ROM_PT	ST_SLOT_SIZE
#define ST_ROM_SLOT	1
#define ST_ROM_DATA	0x300000ULL
#define ST_ROM_PTE	(ST_ROM_DATA | PT_PRESENT | PT_WRITABLE)	/* A and D clear: the CPU would set them */

struct st_check {
	struct guest_cmd cmd;
	u64 expect;	/* reads: the value; faults: CR2; writes: ignored */
	u32 status;	/* GUEST_ST_OK, or GUEST_ST_PF with pfec */
	u32 pfec;
};

#define RD(sz, a, v)	{ { GUEST_OP_READ, sz, a, 0, 0, 0 }, v, GUEST_ST_OK, 0 }
#define WR(sz, a, v)	{ { GUEST_OP_WRITE, sz, a, v, 0, 0 }, 0, GUEST_ST_OK, 0 }
/* An access the guest's own tables do not map: its #PF handler reports it. */
#define PF(op, sz, a, ec) { { op, sz, a, 0, 0, 0 }, a, GUEST_ST_PF, ec }

static const struct st_check batch1[] = {
	RD(1, 0x400000, 0x11),
	RD(2, 0x400002, 0x4433),
	RD(4, 0x400004, 0x88776655),
	RD(8, 0x400000, 0x8877665544332211ULL),
	RD(4, 0x401ffe, 0xa1b2c3d4),		/* crosses into the next page */
	RD(2, 0x600000, 0xbeef),
	WR(8, 0x500000, 0x0123456789abcdefULL),
	WR(1, 0x500008, 0x5a),
	WR(2, 0x50000a, 0x1234),
	WR(4, 0x50000c, 0xcafef00d),
	WR(4, 0x7ffffc, 0x55aa55aa),		/* the slot's last bytes */
	RD(8, 0x500000, 0x0123456789abcdefULL),	/* read after write */
	/* The device: all ones until written; a write replaces only its bytes. */
	RD(4, ST_MMIO + 0x10, 0xffffffff),
	WR(8, ST_MMIO + 0x8, 0x1122334455667788ULL),
	RD(2, ST_MMIO + 0xa, 0x5566),
	WR(1, ST_MMIO + 0x11, 0),
	RD(8, ST_MMIO + 0x10, 0xffffffffffff00ffULL),
};

/* Accesses of batch 1 at ST_MMIO: each must have been emulated. */
#define ST_MMIO_ACCESSES 5

static const struct st_check batch2[] = {
	RD(8, 0x500008, 0xcafef00d1234005aULL),
	PF(GUEST_OP_READ, 8, 0x100000000ULL, 0),		/* above the 4 GiB the guest maps */
	RD(4, 0x7ffffc, 0x55aa55aa),
	PF(GUEST_OP_WRITE, 4, 0x7fff00001000ULL, PFERR_WRITE),
	WR(8, 0x300000, 0x1122334455667788ULL),
	/* Through the page table in ROM (ST_ROM_VA maps ST_ROM_DATA). */
	RD(8, ST_ROM_VA, 0x1122334455667788ULL),
	WR(4, ST_ROM_VA + 0x10, 0xabcd),
};

static const struct st_check batch3[] = {
	RD(8, 0x500000, 0x0123456789abcdefULL),
	PF(GUEST_OP_READ, 8, ST_RSVD_VA + 0x10, PFERR_PRESENT | PFERR_RSVD),
	PF(GUEST_OP_WRITE, 4, ST_RSVD_VA + 0x20, PFERR_PRESENT | PFERR_WRITE | PFERR_RSVD),
	PF(GUEST_OP_READ, 8, 0x100000000ULL, 0),
	RD(4, 0x7ffffc, 0x55aa55aa),
};

static const struct st_check batch4[] = {
	RD(8, 0x500000, 0x0123456789abcdefULL),
	PF(GUEST_OP_WRITE, 4, 0x7fff00001000ULL, PFERR_WRITE),
};

/* Host-side checks of guest memory after both batches: gpa, bytes, value. */
static const struct { u64 gpa; unsigned int bytes; u64 val; } memcheck[] = {
	{ 0x500000, 8, 0x0123456789abcdefULL },
	{ 0x500008, 8, 0xcafef00d1234005aULL },
	{ 0x7ffffc, 4, 0x55aa55aa },
	{ 0x300000, 8, 0x1122334455667788ULL },
	{ ST_ROM_DATA + 0x10, 4, 0xabcd },
	{ ST_ROM_PT, 8, ST_ROM_PTE },		/* ROM: no A, no D */
};

struct st_ctx {
	const struct hv_ops *ops;
	struct hv_vcpu hv;
	struct vm *vm;
	struct guest_region g;
	struct hv_state state;
	struct hv_run_stats stats;
	bool gbpages;
	uint8_t maxphyaddr;	/* the VM's: as deep as the vendor's TDP tables must be */
	uint8_t guest_maxphyaddr;	/* the guest's in the batch (hv_run.maxphyaddr) */
	char *why;
	unsigned int len;
};

#define st_fail(c, ...) (plat_snprintf((c)->why, (c)->len, __VA_ARGS__), -EINVAL)

static int st_batch(struct st_ctx *c, const struct st_check *chk, unsigned int n, int nr)
{
	struct guest_cmd cmds[ARRAY_SIZE(batch1)];
	unsigned int i, done;
	int ret;

	for (i = 0; i < n; i++)
		cmds[i] = chk[i].cmd;
	struct hv_run run = { .max_exits = ST_MAX_EXITS, .stats = &c->stats,
			      .maxphyaddr = c->guest_maxphyaddr };

	ret = guest_load_batch(c->vm, &c->g, cmds, n);
	if (ret)
		return st_fail(c, "batch %d: mailbox: %s", nr, mmu_strerror(ret));
	/* Each batch from the interpreter's start, as MMULAB_RUN's chunks. */
	c->state.intercept_pf = c->guest_maxphyaddr != hv_cpu_maxphyaddr();
	hv_vcpu_load(&c->hv, &c->state, c->g.e64.rip, c->g.e64.rsp);
	c->hv.regs.rdi = c->g.e64.mbox;
	ret = hv_vcpu_run(&c->hv, &run);
	/* -EOPNOTSUPP: this CPU cannot run the test's VM at all (a SKIP, said by hv.c). */
	if (ret == -EOPNOTSUPP)
		return ret;
	if (ret)
		return st_fail(c, "batch %d: run: %d (see above)", nr, ret);
	ret = guest_read_batch(c->vm, &c->g, cmds, n, &done);
	if (ret)
		return st_fail(c, "batch %d: mailbox: %s", nr, mmu_strerror(ret));
	if (done != n)
		return st_fail(c, "batch %d: guest did %u of %u commands", nr, done, n);
	for (i = 0; i < n; i++) {
		if (cmds[i].status != chk[i].status)
			return st_fail(c, "batch %d cmd %u: status %u (cr2/value %#llx, error code %#x), expected %u",
				       nr, i, cmds[i].status, cmds[i].value, cmds[i].pfec, chk[i].status);
		if (chk[i].status == GUEST_ST_PF && (cmds[i].value != chk[i].expect ||
						   cmds[i].pfec != chk[i].pfec))
			return st_fail(c, "batch %d cmd %u: #PF cr2 %#llx error code %#x, expected %#llx %#x",
				       nr, i, cmds[i].value, cmds[i].pfec, chk[i].expect, chk[i].pfec);
		if (chk[i].cmd.op == GUEST_OP_READ && chk[i].status == GUEST_ST_OK &&
		    cmds[i].value != chk[i].expect)
			return st_fail(c, "batch %d cmd %u: read %#llx at %#llx, expected %#llx", nr,
				       i, cmds[i].value, chk[i].cmd.addr, chk[i].expect);
	}
	return 0;
}

/* The gpa of the PDE of the guest's 2 MiB page at gva (< 4 GiB: its identity map, a PD page per GiB). */
static u64 st_pde(const struct st_ctx *c, u64 gva)
{
	return c->g.base + GUEST_PD + gva / PAGE_SIZE_1G * PAGE_SIZE_4K +
	       gva % PAGE_SIZE_1G / PAGE_SIZE_2M * sizeof(u64);
}

/* Give the guest's 2 MiB page at gva address bit `bit` too. */
static int st_pde_bit(struct st_ctx *c, u64 gva, unsigned int bit)
{
	u64 val;
	int ret = vm_read_value(c->vm, st_pde(c, gva), 8, &val);

	return ret ? ret : vm_write_value(c->vm, st_pde(c, gva), 8, val | BIT_ULL(bit));
}

/* ST_ROM_VA through a page table in a read-only memslot, written by the host. */
static int st_rom_table(struct st_ctx *c)
{
	int ret = vm_memslot_create(c->vm, ST_ROM_SLOT, ST_ROM_PT, PAGE_SIZE_4K, MEMSLOT_READONLY,
				    MMU_LEVEL_4K);

	if (!ret)
		ret = vm_write_value(c->vm, ST_ROM_PT, 8, ST_ROM_PTE);
	if (!ret)
		ret = vm_write_value(c->vm, st_pde(c, ST_ROM_VA), 8, ST_ROM_PT | PT_PRESENT | PT_WRITABLE);
	return ret;
}

/*
 * Batches 3 and 4 (the comment at the top): a guest MAXPHYADDR below,
 * then above the CPU's, where the CPU has room for it.  *smaller and
 * *larger say what was tested, for the PASS line.
 */
static int st_maxphyaddr(struct st_ctx *c, const char **smaller, const char **larger)
{
	struct guest_cmd cmd = batch4[0].cmd;
	struct hv_run run = { .max_exits = ST_MAX_EXITS, .stats = &c->stats,
			      .maxphyaddr = ST_LARGE_MAXPHYADDR };
	u8 cpu = hv_cpu_maxphyaddr();
	int ret;

	*smaller = *larger = "skip";
	if (cpu > ST_SMALL_MAXPHYADDR) {
		ret = st_pde_bit(c, ST_RSVD_VA, ST_SMALL_MAXPHYADDR);
		if (ret)
			return st_fail(c, "batch 3: the PDE: %s", mmu_strerror(ret));
		c->guest_maxphyaddr = ST_SMALL_MAXPHYADDR;
		ret = st_batch(c, batch3, ARRAY_SIZE(batch3), 3);
		if (ret)
			return ret;
		*smaller = "pf";
	}
	if (cpu == ST_LARGE_MAXPHYADDR)
		return 0;

	c->guest_maxphyaddr = ST_LARGE_MAXPHYADDR;
	ret = st_batch(c, batch4, ARRAY_SIZE(batch4), 4);
	if (ret)
		return ret;
	/* A read through a PDE with address bit `cpu`: reserved to the CPU, not to the guest. */
	cmd.addr = ST_RSVD_VA2;
	ret = st_pde_bit(c, ST_RSVD_VA2, cpu);
	if (!ret)
		ret = guest_load_batch(c->vm, &c->g, &cmd, 1);
	if (ret)
		return st_fail(c, "batch 4: %s", mmu_strerror(ret));
	c->state.intercept_pf = true;
	hv_vcpu_load(&c->hv, &c->state, c->g.e64.rip, c->g.e64.rsp);
	c->hv.regs.rdi = c->g.e64.mbox;
	ret = hv_vcpu_run(&c->hv, &run);
	if (ret != -EOPNOTSUPP)
		return st_fail(c, "batch 4: address bit %u, which the CPU reserves: run %d, expected %d",
			       cpu, ret, -EOPNOTSUPP);
	*larger = "refused";
	return 0;
}

static int st_run(struct st_ctx *c)
{
	static const u64 v64 = 0x8877665544332211ULL;
	static const struct scn_mmio st_mmio = { .base = ST_MMIO, .size = ST_MMIO_SIZE };
	struct x86_cpu_features feat = {
		.maxphyaddr = c->maxphyaddr,
		.gbpages = c->gbpages,
	};
	struct mmu_config cfg = {
		.layout = c->ops->ept ? SPTE_LAYOUT_EPT : SPTE_LAYOUT_NPT,
		/*
		 * EPT with A/D: the CPU's walks of the guest's tables are then
		 * writes (SDM 29.3.5), so the table in ROM must exit; without
		 * A/D, Bochs sets guest A/D bits without asking EPT at all.
		 */
		.ept_ad = c->ops->ept,
		.dirty_mode = MMU_DIRTY_WRPROT,
	};
	struct x86_paging_regs regs = { 0 };
	const char *smaller, *larger;
	struct mmu_stats ms;
	u64 val, tdp, flushes;
	unsigned int i;
	int ret;

	c->vm = vm_create(&feat);
	if (!c->vm)
		return st_fail(c, "vm_create");
	c->vm->mmio = &st_mmio;
	c->vm->nr_mmio = 1;
	ret = vm_memslot_create(c->vm, 0, 0, ST_SLOT_SIZE, 0, MMU_LEVEL_4K);
	if (ret)
		return st_fail(c, "memslot: %s", mmu_strerror(ret));
	ret = guest_place(c->vm, ST_GUEST_BASE, c->ops->hypercall, &c->g);
	if (ret)
		return st_fail(c, "placing the guest: %s", mmu_strerror(ret));
	guest_state(&c->g, &c->state);
	/* The model's registers: the guest's own long mode. */
	regs.cr0 = c->state.cr0;
	regs.cr3 = c->state.cr3;
	regs.cr4 = c->state.cr4;
	regs.efer = c->state.efer;
	ret = vcpu_create(c->vm, 0, &regs, 0, false);
	if (ret)
		return st_fail(c, "vcpu_create: %s", mmu_strerror(ret));
	ret = vm_attach_mmu(c->vm, &tdp_backend, &cfg, hv_flush_remote, &c->hv);
	if (ret)
		return st_fail(c, "vm_attach_mmu: %s", mmu_strerror(ret));
	ret = hv_vcpu_init(&c->hv, c->ops, vm_vcpu(c->vm, 0));
	if (ret)
		return st_fail(c, "allocating the vCPU: %d", ret);

	ret = vm_write_gpa(c->vm, 0x400000, &v64, sizeof(v64));
	if (!ret)
		ret = vm_write_value(c->vm, 0x401ffe, 4, 0xa1b2c3d4);
	if (!ret)
		ret = vm_write_value(c->vm, 0x600000, 2, 0xbeef);
	if (!ret)
		ret = st_rom_table(c);
	if (ret)
		return st_fail(c, "vm_write_gpa: %s", mmu_strerror(ret));

	c->guest_maxphyaddr = hv_cpu_maxphyaddr();
	ret = st_batch(c, batch1, ARRAY_SIZE(batch1), 1);
	if (ret)
		return ret;
	if (c->stats.mmio != ST_MMIO_ACCESSES)
		return st_fail(c, "batch 1: %llu device accesses emulated, expected %u",
			       c->stats.mmio, ST_MMIO_ACCESSES);
	/*
	 * Zap every SPTE: the MMU asks for a remote flush, and batch 2 must
	 * fault its pages in again.  (Every batch starts with a flush anyway,
	 * as the guest starts afresh: hv_vcpu_load.)
	 */
	tdp = c->stats.tdp;
	flushes = c->stats.flushes;
	c->hv.flush_pending = false;
	mmu_zap_all(c->vm->mmu);
	if (!c->hv.flush_pending)
		return st_fail(c, "mmu_zap_all did not request a TLB flush");
	ret = st_batch(c, batch2, ARRAY_SIZE(batch2), 2);
	if (ret)
		return ret;
	if (c->stats.runs != 2 || !c->stats.tsc_guest || c->stats.exits <= c->stats.tdp)
		return st_fail(c, "run stats: runs %llu exits %llu tdp %llu tsc_guest %llu",
			       c->stats.runs, c->stats.exits, c->stats.tdp, c->stats.tsc_guest);
	if (c->stats.flushes != flushes + 1 || c->stats.tdp == tdp)
		return st_fail(c, "after the zap: flushes %llu -> %llu, tdp faults %llu -> %llu",
			       flushes, c->stats.flushes, tdp, c->stats.tdp);

	for (i = 0; i < ARRAY_SIZE(memcheck); i++) {
		ret = vm_read_value(c->vm, memcheck[i].gpa, memcheck[i].bytes, &val);
		if (ret)
			return st_fail(c, "vm_read_gpa: %s", mmu_strerror(ret));
		if (val != memcheck[i].val)
			return st_fail(c, "guest memory at %#llx: %#llx, expected %#llx",
				       memcheck[i].gpa, val, memcheck[i].val);
	}
	ret = st_maxphyaddr(c, &smaller, &larger);
	if (ret)
		return ret;
	mmu_stats_read(c->vm->mmu, &ms);
	if (!ms.v[MMU_STAT_PF_TAKEN] || !c->stats.tdp)
		return st_fail(c, "no TDP fault reached the MMU (pf_taken=%llu tdp=%llu)",
			       ms.v[MMU_STAT_PF_TAKEN], c->stats.tdp);
	plat_snprintf(c->why, c->len,
		 "(%s_levels=%d exits=%llu tdp=%llu mmio=%llu intr=%llu pf_taken=%llu pf_fixed=%llu flushes=%llu maxphyaddr=%u smaller=%s larger=%s)",
		 c->ops->ept ? "ept" : "npt", c->vm->mmu->spte_fmt.root_level, c->stats.exits,
		 c->stats.tdp, c->stats.mmio, c->stats.intr, ms.v[MMU_STAT_PF_TAKEN],
		 ms.v[MMU_STAT_PF_FIXED], c->stats.flushes, hv_cpu_maxphyaddr(), smaller, larger);
	return 0;
}

int hv_selftest_run(const struct hv_ops *ops, bool gbpages, char *why, unsigned int len)
{
	struct st_ctx *c = plat_zalloc(sizeof(*c));
	int ret;

	if (!c) {
		plat_snprintf(why, len, "(out of memory)");
		return -ENOMEM;
	}
	c->ops = ops;
	c->why = why;
	c->len = len;
	c->gbpages = gbpages;
	c->maxphyaddr = ops->tdp_maxphyaddr(ST_MAXPHYADDR);
	ret = st_run(c);
	if (c->hv.hw)
		ops->vcpu_put(&c->hv);
	vm_destroy(c->vm);	/* the MMU first: its zaps may call hv_flush_remote */
	hv_vcpu_destroy(&c->hv);
	plat_free(c);
	return ret;
}
