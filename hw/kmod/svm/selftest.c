// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/svm/selftest.c — the SVM self-test run at module load.
 *
 * A VM with one 8 MiB memslot at gpa 0, the TDP backend in NPT layout as
 * deep as the host's paging, the access-interpreter guest at gpa 1 MiB.
 * The host writes known values with vm_write_gpa; two batches read them
 * back through the guest (one read crosses a page) and write others; the
 * test checks the values the guest stored in its mailbox, guest memory
 * afterwards, and that #NPF exits reached the MMU (PF_TAKEN > 0).  Two
 * accesses of batch 2 miss the guest's own tables: its #PF handler must
 * report CR2 and the error code and go on with the next command.  Between
 * the batches every SPTE is zapped: the MMU's flush request must become
 * a TLB flush on the next VMRUN, and batch 2 must fault again.
 *
 * Prints one line: "svm selftest PASS ...", "FAIL ..." or "SKIP (...)".
 * Never makes the module fail to load.  This file is the core side (core
 * headers only); svm_selftest() in svm.c runs it on one CPU.
 */
#include <linux/errno.h>

#include "backends/tdp/tdp_backend.h"
#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/vm/vm.h"
#include "hw/kmod/svm/guest.h"
#include "hw/kmod/svm/svm.h"

#define ST_SLOT_SIZE	0x800000ULL	/* 8 MiB */
#define ST_GUEST_BASE	0x100000ULL	/* 1 MiB */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ST_MAX_EXITS	100000

#define ST_EFER_LME	BIT_ULL(8)
#define ST_EFER_LMA	BIT_ULL(10)

struct st_check {
	struct svm_guest_cmd cmd;
	u64 expect;	/* reads: the value; faults: CR2; writes: ignored */
	u32 status;	/* SVM_ST_OK, or SVM_ST_PF with pfec */
	u32 pfec;
};

#define RD(sz, a, v)	{ { SVM_OP_READ, sz, a, 0, 0, 0 }, v, SVM_ST_OK, 0 }
#define WR(sz, a, v)	{ { SVM_OP_WRITE, sz, a, v, 0, 0 }, 0, SVM_ST_OK, 0 }
/* An access the guest's own tables do not map: its #PF handler reports it. */
#define PF(op, sz, a, ec) { { op, sz, a, 0, 0, 0 }, a, SVM_ST_PF, ec }
#define PFEC_W		0x2

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
};

static const struct st_check batch2[] = {
	RD(8, 0x500008, 0xcafef00d1234005aULL),
	PF(SVM_OP_READ, 8, 0x100000000ULL, 0),		/* above the 4 GiB the guest maps */
	RD(4, 0x7ffffc, 0x55aa55aa),
	PF(SVM_OP_WRITE, 4, 0x7fff00001000ULL, PFEC_W),
	WR(8, 0x300000, 0x1122334455667788ULL),
};

/* Host-side checks of guest memory after both batches: gpa, bytes, value. */
static const struct { u64 gpa; unsigned int bytes; u64 val; } memcheck[] = {
	{ 0x500000, 8, 0x0123456789abcdefULL },
	{ 0x500008, 8, 0xcafef00d1234005aULL },
	{ 0x7ffffc, 4, 0x55aa55aa },
	{ 0x300000, 8, 0x1122334455667788ULL },
};

struct st_ctx {
	struct svm_vcpu *sv;
	struct vm *vm;
	struct svm_guest g;
	struct svm_run_stats stats;
	bool gbpages;
	uint8_t maxphyaddr;
	char *why;
	unsigned int len;
};

#define st_fail(c, ...) (plat_snprintf((c)->why, (c)->len, __VA_ARGS__), -EINVAL)

static int st_batch(struct st_ctx *c, const struct st_check *chk, unsigned int n, int nr)
{
	struct svm_guest_cmd cmds[ARRAY_SIZE(batch1)];
	unsigned int i, done;
	int ret;

	for (i = 0; i < n; i++)
		cmds[i] = chk[i].cmd;
	ret = svm_guest_load_batch(c->vm, &c->g, cmds, n);
	if (ret)
		return st_fail(c, "batch %d: mailbox: %s", nr, mmu_strerror(ret));
	ret = svm_vcpu_run(c->sv, ST_MAX_EXITS, &c->stats);
	if (ret)
		return st_fail(c, "batch %d: run: %d (see above)", nr, ret);
	ret = svm_guest_read_batch(c->vm, &c->g, cmds, n, &done);
	if (ret)
		return st_fail(c, "batch %d: mailbox: %s", nr, mmu_strerror(ret));
	if (done != n)
		return st_fail(c, "batch %d: guest did %u of %u commands", nr, done, n);
	for (i = 0; i < n; i++) {
		if (cmds[i].status != chk[i].status)
			return st_fail(c, "batch %d cmd %u: status %u (cr2/value %#llx, error code %#x), expected %u",
				       nr, i, cmds[i].status, cmds[i].value, cmds[i].pfec, chk[i].status);
		if (chk[i].status == SVM_ST_PF && (cmds[i].value != chk[i].expect ||
						   cmds[i].pfec != chk[i].pfec))
			return st_fail(c, "batch %d cmd %u: #PF cr2 %#llx error code %#x, expected %#llx %#x",
				       nr, i, cmds[i].value, cmds[i].pfec, chk[i].expect, chk[i].pfec);
		if (chk[i].cmd.op == SVM_OP_READ && chk[i].status == SVM_ST_OK &&
		    cmds[i].value != chk[i].expect)
			return st_fail(c, "batch %d cmd %u: read %#llx at %#llx, expected %#llx", nr,
				       i, cmds[i].value, chk[i].cmd.addr, chk[i].expect);
	}
	return 0;
}

static int st_run(struct st_ctx *c)
{
	static const u64 v64 = 0x8877665544332211ULL;
	struct x86_cpu_features feat = {
		.maxphyaddr = c->maxphyaddr,
		.gbpages = c->gbpages,
	};
	struct mmu_config cfg = {
		.layout = SPTE_LAYOUT_NPT,
		.dirty_mode = MMU_DIRTY_WRPROT,
	};
	struct x86_paging_regs regs = { 0 };
	struct mmu_stats ms;
	u64 val, npf, flushes;
	unsigned int i;
	int ret;

	c->vm = vm_create(&feat);
	if (!c->vm)
		return st_fail(c, "vm_create");
	ret = vm_memslot_create(c->vm, 0, 0, ST_SLOT_SIZE, 0, MMU_LEVEL_4K);
	if (ret)
		return st_fail(c, "memslot: %s", mmu_strerror(ret));
	ret = svm_guest_place(c->vm, ST_GUEST_BASE, &c->g);
	if (ret)
		return st_fail(c, "placing the guest: %s", mmu_strerror(ret));
	/* The model's registers: the same long mode as the VMCB (less SVME). */
	regs.cr0 = 0x80010033;
	regs.cr3 = c->g.cr3;
	regs.cr4 = 0x20;
	regs.efer = ST_EFER_LME | ST_EFER_LMA;
	ret = vcpu_create(c->vm, 0, &regs, 0, false);
	if (ret)
		return st_fail(c, "vcpu_create: %s", mmu_strerror(ret));
	ret = vm_attach_mmu(c->vm, &tdp_backend, &cfg, svm_flush_remote, c->sv);
	if (ret)
		return st_fail(c, "vm_attach_mmu: %s", mmu_strerror(ret));
	svm_vcpu_reset(c->sv, vm_vcpu(c->vm, 0), &c->g);

	ret = vm_write_gpa(c->vm, 0x400000, &v64, sizeof(v64));
	if (!ret)
		ret = vm_write_value(c->vm, 0x401ffe, 4, 0xa1b2c3d4);
	if (!ret)
		ret = vm_write_value(c->vm, 0x600000, 2, 0xbeef);
	if (ret)
		return st_fail(c, "vm_write_gpa: %s", mmu_strerror(ret));

	ret = st_batch(c, batch1, ARRAY_SIZE(batch1), 1);
	if (ret)
		return ret;
	/*
	 * Zap every SPTE: the MMU asks for a remote flush, so the next VMRUN
	 * must flush the TLB, and batch 2 must fault its pages in again.
	 */
	npf = c->stats.npf;
	flushes = c->stats.flushes;
	mmu_zap_all(c->vm->mmu);
	if (!c->sv->flush_pending)
		return st_fail(c, "mmu_zap_all did not request a TLB flush");
	ret = st_batch(c, batch2, ARRAY_SIZE(batch2), 2);
	if (ret)
		return ret;
	if (c->stats.flushes != flushes + 1 || c->stats.npf == npf)
		return st_fail(c, "after the zap: flushes %llu -> %llu, npf %llu -> %llu",
			       flushes, c->stats.flushes, npf, c->stats.npf);

	for (i = 0; i < ARRAY_SIZE(memcheck); i++) {
		ret = vm_read_value(c->vm, memcheck[i].gpa, memcheck[i].bytes, &val);
		if (ret)
			return st_fail(c, "vm_read_gpa: %s", mmu_strerror(ret));
		if (val != memcheck[i].val)
			return st_fail(c, "guest memory at %#llx: %#llx, expected %#llx",
				       memcheck[i].gpa, val, memcheck[i].val);
	}
	mmu_stats_read(c->vm->mmu, &ms);
	if (!ms.v[MMU_STAT_PF_TAKEN] || !c->stats.npf)
		return st_fail(c, "no #NPF reached the MMU (pf_taken=%llu npf=%llu)",
			       ms.v[MMU_STAT_PF_TAKEN], c->stats.npf);
	plat_snprintf(c->why, c->len,
		 "(npt_levels=%d exits=%llu npf=%llu intr=%llu pf_taken=%llu pf_fixed=%llu flushes=%llu)",
		 c->vm->mmu->spte_fmt.root_level, c->stats.exits, c->stats.npf, c->stats.intr,
		 ms.v[MMU_STAT_PF_TAKEN], ms.v[MMU_STAT_PF_FIXED], c->stats.flushes);
	return 0;
}

int svm_selftest_run(struct svm_vcpu *sv, bool gbpages, char *why, unsigned int len)
{
	struct st_ctx *c = plat_zalloc(sizeof(*c));
	int ret;

	if (!c) {
		plat_snprintf(why, len, "(out of memory)");
		return -ENOMEM;
	}
	c->sv = sv;
	c->why = why;
	c->len = len;
	c->gbpages = gbpages;
	c->maxphyaddr = svm_tdp_maxphyaddr();
	ret = st_run(c);
	vm_destroy(c->vm);	/* the MMU first: its zaps may call svm_flush_remote */
	plat_free(c);
	return ret;
}
