// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmctl_selftest.c — the load-time test of what /dev/mmulab does.
 *
 * No guest CPU runs yet, and the boot harness cannot open the device
 * before the module is loaded, so this drives the functions the ioctls
 * call (vmctl.h) with kernel buffers: a VM on the TDP backend, a memslot
 * backed by 2M pages, guest memory written and read back, faults injected
 * through the MMU, statistics, trace events, a dirty log, memslot changes,
 * and the errors bad requests must get.  Expected values are worked out
 * from the rules (docs/architecture.md), not from running the code.
 *
 * Like vmctl.c, it includes no kernel header but <linux/errno.h>.
 */
#include <linux/errno.h>

#include "core/mmu/stats.h"
#include "core/platform.h"
#include "core/vm/reserved.h"
#include "core/x86/bits.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/uapi/mmulab.h"
#include "hw/kmod/vmctl.h"
#include "hw/kmod/vmctl_selftest.h"

#define MIB (1ULL << 20)

struct selftest {
	struct vmctl_vm *vm; /* the VM under test */
	unsigned int checks; /* checks made */
	unsigned int failed; /* checks that failed (each logged) */
};

static void check(struct selftest *t, bool ok, const char *what, long long got,
		  long long want)
{
	t->checks++;
	if (ok)
		return;
	t->failed++;
	plat_log(PLAT_LOG_ERR, "device self-test: %s: got %lld, want %lld", what, got, want);
}

#define CHECK_EQ(t, what, got, want)                                                   \
	do {                                                                           \
		long long __g = (long long)(got), __w = (long long)(want);             \
		check((t), __g == __w, (what), __g, __w);                              \
	} while (0)

static const struct mmulab_vm_create good_vm = {
	.api_version = MMULAB_API_VERSION,
	.flags = MMULAB_VM_GBPAGES | MMULAB_VM_EPT_AD | MMULAB_VM_TRACE,
	.maxphyaddr = 46,
	.layout = MMULAB_LAYOUT_EPT,
	.dirty_mode = MMULAB_DIRTY_WRPROT,
	.backend = "tdp",
};

/* Requests that must be refused before any VM exists. */
static void test_bad_vms(struct selftest *t)
{
	struct mmulab_vm_create req;
	struct vmctl_vm *vm = NULL;
	unsigned int i;

	req = good_vm;
	req.api_version = MMULAB_API_VERSION + 1;
	CHECK_EQ(t, "create: wrong api_version", vmctl_vm_create(&req, &vm), -EPROTO);
	req = good_vm;
	req.backend[0] = 'x';
	CHECK_EQ(t, "create: unknown backend", vmctl_vm_create(&req, &vm), -ENOENT);
	req = good_vm;
	for (i = 0; i < MMULAB_BACKEND_NAME_MAX; i++)
		req.backend[i] = 't';
	CHECK_EQ(t, "create: unterminated backend", vmctl_vm_create(&req, &vm), -EINVAL);
	req = good_vm;
	req.maxphyaddr = 53;
	CHECK_EQ(t, "create: maxphyaddr 53", vmctl_vm_create(&req, &vm), -EINVAL);
	req = good_vm;
	req.flags &= ~MMULAB_VM_EPT_AD;
	req.dirty_mode = MMULAB_DIRTY_DBIT;
	CHECK_EQ(t, "create: D-bit logging on EPT without A/D", vmctl_vm_create(&req, &vm),
		 -EINVAL);
	req = good_vm;
	req.reserved[3] = 1;
	CHECK_EQ(t, "create: reserved field set", vmctl_vm_create(&req, &vm), -EINVAL);
	req = good_vm;
	req.flags |= 1u << 31;
	CHECK_EQ(t, "create: unknown flag", vmctl_vm_create(&req, &vm), -EINVAL);
	CHECK_EQ(t, "create: nothing made by a refused request", vm == NULL, 1);
}

/* Slot 0: [0, 4M) backed by 2M host pages, so TDP may map it with 2M leaves. */
static void test_memslots(struct selftest *t)
{
	struct mmulab_memslot slot = {
		.id = 0, .base_gpa = 0, .size = 4 * MIB, .backing = MMULAB_LEVEL_2M,
	};
	struct mmulab_memslot bad;
	struct mmulab_memslot_id none = { .id = 7 };

	CHECK_EQ(t, "memslot 0 create", vmctl_memslot_create(t->vm, &slot), 0);
	CHECK_EQ(t, "memslot 0 again", vmctl_memslot_create(t->vm, &slot), -EEXIST);
	bad = slot;
	bad.id = 1;
	bad.base_gpa = 2 * MIB;
	CHECK_EQ(t, "memslot overlapping 0", vmctl_memslot_create(t->vm, &bad), -EEXIST);
	bad.base_gpa = 64 * MIB + 4096;
	CHECK_EQ(t, "memslot not 2M-aligned", vmctl_memslot_create(t->vm, &bad), -EINVAL);
	bad.base_gpa = 1ULL << 46;
	CHECK_EQ(t, "memslot beyond MAXPHYADDR", vmctl_memslot_create(t->vm, &bad), -ERANGE);
	/* 2M-aligned, 4M long: only the reserved range is wrong with it. */
	bad.base_gpa = (1ULL << 32) - 4 * MIB;
	CHECK_EQ(t, "memslot over the reserved gpa range", vmctl_memslot_create(t->vm, &bad),
		 -EINVAL);
	bad.base_gpa = 64 * MIB;
	bad.id = MMULAB_RSV_SLOT;
	CHECK_EQ(t, "memslot with the module's id", vmctl_memslot_create(t->vm, &bad), -EINVAL);
	bad.id = MMULAB_MAX_MEMSLOTS;
	CHECK_EQ(t, "memslot id out of range", vmctl_memslot_create(t->vm, &bad), -EINVAL);
	bad.id = 1;
	bad.size = 0;
	CHECK_EQ(t, "memslot of size 0", vmctl_memslot_create(t->vm, &bad), -EINVAL);
	CHECK_EQ(t, "delete a slot that does not exist", vmctl_memslot_delete(t->vm, &none),
		 -ENOENT);
}

/* The device at 0xfee00000, next to slot 0's [0, 4M); room for no more than MMULAB_MAX_MMIO ranges. */
#define ST_MMIO 0xfee00000ULL

static void test_mmio(struct selftest *t)
{
	struct mmulab_mmio dev = { .base = ST_MMIO, .size = 0x100 }, bad;
	struct mmulab_memslot onto = {
		.id = 2, .base_gpa = ST_MMIO, .size = 4096, .backing = MMULAB_LEVEL_4K,
	};
	unsigned int i;
	int ret = 0;

	CHECK_EQ(t, "mmio create", vmctl_mmio_create(t->vm, &dev), 0);
	CHECK_EQ(t, "mmio create again", vmctl_mmio_create(t->vm, &dev), -EEXIST);
	bad = (struct mmulab_mmio){ .base = ST_MMIO + 0xf8, .size = 16 };
	CHECK_EQ(t, "mmio overlapping the first", vmctl_mmio_create(t->vm, &bad), -EEXIST);
	bad = (struct mmulab_mmio){ .base = 4 * MIB - 8, .size = 16 };
	CHECK_EQ(t, "mmio overlapping memslot 0", vmctl_mmio_create(t->vm, &bad), -EEXIST);
	bad = (struct mmulab_mmio){ .base = ST_MMIO + 0x1004, .size = 8 };
	CHECK_EQ(t, "mmio base not 8-byte aligned", vmctl_mmio_create(t->vm, &bad), -EINVAL);
	bad = (struct mmulab_mmio){ .base = ST_MMIO + 0x1000, .size = 12 };
	CHECK_EQ(t, "mmio size not a multiple of 8", vmctl_mmio_create(t->vm, &bad), -EINVAL);
	bad.size = 0;
	CHECK_EQ(t, "mmio of size 0", vmctl_mmio_create(t->vm, &bad), -EINVAL);
	bad = (struct mmulab_mmio){ .base = (1ULL << 46) - 8, .size = 16 };
	CHECK_EQ(t, "mmio beyond MAXPHYADDR", vmctl_mmio_create(t->vm, &bad), -ERANGE);
	bad = (struct mmulab_mmio){ .base = VM_RSV_GPA, .size = 8 };
	CHECK_EQ(t, "mmio in the module's range", vmctl_mmio_create(t->vm, &bad), -EINVAL);
	CHECK_EQ(t, "memslot onto the device", vmctl_memslot_create(t->vm, &onto), -EEXIST);
	for (i = 1; i < MMULAB_MAX_MMIO && !ret; i++) {
		bad = (struct mmulab_mmio){ .base = ST_MMIO + i * 0x1000, .size = 8 };
		ret = vmctl_mmio_create(t->vm, &bad);
	}
	CHECK_EQ(t, "mmio ranges up to the maximum", ret, 0);
	bad.base += 0x1000;
	CHECK_EQ(t, "mmio range over the maximum", vmctl_mmio_create(t->vm, &bad), -ENOSPC);
}

static void test_gpa_io(struct selftest *t)
{
	static const char msg[] = "mmulab";
	char back[sizeof(msg)] = { 0 };
	struct mmulab_gpa_io io = { .gpa = 0x1ffffc, .len = sizeof(msg) };
	unsigned int i, same = 1;

	/* Crosses the 2M host page boundary on purpose. */
	CHECK_EQ(t, "write gpa", vmctl_write_gpa(t->vm, &io, msg), 0);
	CHECK_EQ(t, "read gpa", vmctl_read_gpa(t->vm, &io, back), 0);
	for (i = 0; i < sizeof(msg); i++)
		same &= back[i] == msg[i];
	CHECK_EQ(t, "read back what was written", same, 1);
	io.gpa = 4 * MIB;
	CHECK_EQ(t, "read outside every memslot", vmctl_read_gpa(t->vm, &io, back), -ENXIO);
	io.len = 0;
	CHECK_EQ(t, "read of 0 bytes", vmctl_read_gpa(t->vm, &io, back), -EINVAL);
	io.len = MMULAB_GPA_IO_MAX + 1;
	CHECK_EQ(t, "read over the maximum", vmctl_read_gpa(t->vm, &io, back), -EINVAL);
}

static void test_vcpus(struct selftest *t)
{
	/* Protected mode without paging: TDP faults do not depend on the guest's mode. */
	struct mmulab_vcpu_create vc = { .id = 0, .cr0 = 1 };
	struct mmulab_vcpu_create bad = vc;

	CHECK_EQ(t, "vcpu 0 create", vmctl_vcpu_create(t->vm, &vc), 0);
	CHECK_EQ(t, "vcpu 0 again", vmctl_vcpu_create(t->vm, &vc), -EEXIST);
	bad.id = 1;
	bad.cpl = 4;
	CHECK_EQ(t, "vcpu with CPL 4", vmctl_vcpu_create(t->vm, &bad), -EINVAL);
	bad.cpl = 0;
	bad.cr0 = 1ULL << 31; /* PG without PE */
	CHECK_EQ(t, "vcpu with CR0.PG and no PE", vmctl_vcpu_create(t->vm, &bad), -EINVAL);
	bad.cr0 = 1;
	bad.id = MMULAB_MAX_VCPUS;
	CHECK_EQ(t, "vcpu id out of range", vmctl_vcpu_create(t->vm, &bad), -EINVAL);
}

/* Inject one fault; *level gets the leaf level when fixed. */
static int fault(struct selftest *t, __u64 gpa, __u32 access, __u32 *level)
{
	struct mmulab_fault f = { .vcpu = 0, .access = access, .gpa = gpa };
	int ret = vmctl_fault(t->vm, &f);

	if (level)
		*level = f.level;
	return ret ? ret : (int)f.outcome;
}

static void test_faults(struct selftest *t)
{
	struct mmulab_fault bad = { .vcpu = 1, .gpa = 0 };
	__u32 level = 0;

	CHECK_EQ(t, "fault read 0x1000", fault(t, 0x1000, MMULAB_ACCESS_READ, &level),
		 MMULAB_FAULT_FIXED);
	CHECK_EQ(t, "fault read 0x1000: 2M leaf (slot 2M-backed, 4M long)", level,
		 MMULAB_LEVEL_2M);
	CHECK_EQ(t, "fault read 0x1000 again", fault(t, 0x1000, MMULAB_ACCESS_READ, NULL),
		 MMULAB_FAULT_SPURIOUS);
	CHECK_EQ(t, "fault write 0x200000", fault(t, 0x200000, MMULAB_ACCESS_WRITE, &level),
		 MMULAB_FAULT_FIXED);
	CHECK_EQ(t, "fault write 0x200000: 2M leaf", level, MMULAB_LEVEL_2M);
	CHECK_EQ(t, "fault read outside slots", fault(t, 8 * MIB, MMULAB_ACCESS_READ, NULL),
		 MMULAB_FAULT_MMIO);
	CHECK_EQ(t, "fault on a vCPU that does not exist", vmctl_fault(t->vm, &bad), -ENOENT);
	bad.vcpu = 0;
	bad.gpa = 1ULL << 46;
	CHECK_EQ(t, "fault beyond MAXPHYADDR", vmctl_fault(t->vm, &bad), -ERANGE);
	bad.gpa = 0;
	bad.access = 3;
	CHECK_EQ(t, "fault with access kind 3", vmctl_fault(t->vm, &bad), -EINVAL);
}

static void test_stats_trace_run(struct selftest *t)
{
	__u64 st[VMCTL_STATS_MAX] = { 0 };
	struct mmulab_stats sreq = { .len = sizeof(st) };
	struct mmulab_trace_event ev[4];
	struct mmulab_trace treq = { .len = sizeof(ev) };
	struct mmulab_access acc = { .kind = MMULAB_ACCESS_READ, .size = 8 };
	struct mmulab_run run = { .vcpu = 0, .count = 1, .len = sizeof(acc) };
	const struct hv_ops *ops;
	__u32 max = 0;

	CHECK_EQ(t, "stats", vmctl_stats(t->vm, &sreq, st), 0);
	CHECK_EQ(t, "stats: total", sreq.total, MMU_NR_STATS);
	CHECK_EQ(t, "stats: count", sreq.count, MMU_NR_STATS);
	/* The two faults refused above never reached the MMU. */
	CHECK_EQ(t, "stats: pf_taken", st[MMU_STAT_PF_TAKEN], 4);
	CHECK_EQ(t, "stats: pf_fixed", st[MMU_STAT_PF_FIXED], 2);
	CHECK_EQ(t, "stats: pf_spurious", st[MMU_STAT_PF_SPURIOUS], 1);
	CHECK_EQ(t, "stats: mapped_2m", st[MMU_STAT_MAPPED_2M], 2);
	CHECK_EQ(t, "stats: roots_alloc", st[MMU_STAT_ROOTS_ALLOC], 1);
	sreq.len = 7;
	CHECK_EQ(t, "stats: len not a multiple of 8", vmctl_stats(t->vm, &sreq, st), -EINVAL);

	CHECK_EQ(t, "trace", vmctl_trace_check(t->vm, &treq, &max), 0);
	vmctl_trace(t->vm, &treq, ev, max);
	CHECK_EQ(t, "trace: a full buffer of events", treq.count, 4);
	CHECK_EQ(t, "trace: the first event", ev[0].seq, 1);
	CHECK_EQ(t, "trace: in order", ev[3].seq, 4);
	treq.len = sizeof(ev[0]) + 1;
	CHECK_EQ(t, "trace: len not a multiple of the event", vmctl_trace_check(t->vm, &treq, &max),
		 -EINVAL);

	/* An EPT VM on a CPU without VMX: this CPU cannot run it. */
	if (hv_find(&ops) || !ops->ept)
		CHECK_EQ(t, "run: EPT VM without VMX", vmctl_run(t->vm, &run, &acc), -EOPNOTSUPP);
	run.len = 0;
	CHECK_EQ(t, "run: len does not match count", vmctl_run_check(t->vm, &run), -EINVAL);
}

/* A vCPU of this mode (CR0.PE|PG and the rest), its tables at cr3: zeroed memory of slot 0. */
static int selftest_vcpu(struct selftest *t, __u32 id, __u64 cr4, __u64 efer, __u64 cr3)
{
	struct mmulab_vcpu_create vc = {
		.id = id, .cr0 = CR0_PE | CR0_PG, .cr3 = cr3, .cr4 = cr4, .efer = efer,
	};

	return vmctl_vcpu_create(t->vm, &vc);
}

/* One access on vCPU `vcpu`, as MMULAB_RUN gets it. */
static int run_one(struct selftest *t, __u32 vcpu, __u64 gva, __u8 size, __u8 flags)
{
	struct mmulab_access acc = { .gva = gva, .kind = MMULAB_ACCESS_READ, .size = size,
				     .flags = flags };
	struct mmulab_run run = { .vcpu = vcpu, .count = 1, .len = sizeof(acc) };

	return vmctl_run(t->vm, &run, &acc);
}

/*
 * What MMULAB_RUN refuses on every CPU, before it looks for SVM or VMX:
 * an access in the linear range its vCPU's paging mode reserves for the
 * module's guest (core/vm/reserved.h), beyond 32-bit linear addresses, or
 * with an unknown flag.  The address next to each range is not refused
 * for that (it may still be -EOPNOTSUPP here, or run).
 */
static void test_run_checks(struct selftest *t)
{
	/* vCPU 0 has paging off; 1: 32-bit, 2: PAE, 3: 4-level, 4: 5-level paging. */
	CHECK_EQ(t, "vcpu in 32-bit paging", selftest_vcpu(t, 1, 0, 0, 0x10000), 0);
	CHECK_EQ(t, "vcpu in PAE paging", selftest_vcpu(t, 2, CR4_PAE, 0, 0x20000), 0);
	CHECK_EQ(t, "vcpu in 4-level paging",
		 selftest_vcpu(t, 3, CR4_PAE, EFER_LME | EFER_LMA, 0x30000), 0);
	CHECK_EQ(t, "vcpu in 5-level paging",
		 selftest_vcpu(t, 4, CR4_PAE | CR4_LA57, EFER_LME | EFER_LMA, 0x40000), 0);
	CHECK_EQ(t, "run: paging off, the reserved gpa range",
		 run_one(t, 0, VM_RSV_GPA + 0x1000, 8, 0), -EINVAL);
	CHECK_EQ(t, "run: 32-bit, PDE 1023", run_one(t, 1, VM_RSV_VA_32BIT, 4, 0), -EINVAL);
	CHECK_EQ(t, "run: 32-bit, below PDE 1023 is the guest's",
		 run_one(t, 1, VM_RSV_VA_32BIT - 8, 8, 0) != -EINVAL, 1);
	CHECK_EQ(t, "run: 32-bit, beyond 4 GiB", run_one(t, 1, 0x100000000ULL, 4, 0), -EINVAL);
	CHECK_EQ(t, "run: PAE, PDE 511 of PDPTE 3", run_one(t, 2, 0xfffff000ULL, 8, 0), -EINVAL);
	CHECK_EQ(t, "run: PAE, below it is the guest's",
		 run_one(t, 2, VM_RSV_VA_PAE - 8, 8, 0) != -EINVAL, 1);
	CHECK_EQ(t, "run: 4-level, PML4E 510", run_one(t, 3, VM_RSV_VA_4LEVEL, 8, 0), -EINVAL);
	CHECK_EQ(t, "run: 4-level, the 32-bit range is the guest's",
		 run_one(t, 3, VM_RSV_VA_32BIT, 8, 0) != -EINVAL, 1);
	CHECK_EQ(t, "run: 5-level, PML5E 511", run_one(t, 4, 0xffff800000000000ULL, 8, 0), -EINVAL);
	CHECK_EQ(t, "run: an unknown access flag",
		 run_one(t, 3, 0x1000, 8, MMULAB_ACCESS_FLAGS + 1), -EINVAL);
}

/*
 * Logging starts on slot 0; a write to page 3 is the first and only one
 * logged (the write to 0x200000 came before logging).
 */
static void test_dirty_log(struct selftest *t)
{
	struct mmulab_memslot_flags on = { .id = 0, .flags = MMULAB_SLOT_DIRTY_LOG };
	struct mmulab_dirty_log log = { .slot = 0, .len = 8 };
	struct mmulab_dirty_clear clr = { .slot = 0, .first = 0, .count = 1025 };
	__u64 *bitmap = NULL;
	__u32 level = 0;
	int ret;

	CHECK_EQ(t, "dirty log: get before logging", vmctl_dirty_log_get(t->vm, &log, &bitmap),
		 -EINVAL);
	CHECK_EQ(t, "dirty log: start", vmctl_memslot_flags(t->vm, &on), 0);
	CHECK_EQ(t, "dirty log: write 0x3000", fault(t, 0x3000, MMULAB_ACCESS_WRITE, &level),
		 MMULAB_FAULT_FIXED);
	CHECK_EQ(t, "dirty log: logged slots map 4K", level, MMULAB_LEVEL_4K);
	CHECK_EQ(t, "dirty log: buffer too small", vmctl_dirty_log_get(t->vm, &log, &bitmap),
		 -ENOSPC);
	CHECK_EQ(t, "dirty log: npages told", log.npages, 1024);
	log.len = 1024 / 8;
	ret = vmctl_dirty_log_get(t->vm, &log, &bitmap);
	CHECK_EQ(t, "dirty log: get", ret, 0);
	if (!ret) {
		CHECK_EQ(t, "dirty log: page 3 only", bitmap[0], 1ULL << 3);
		CHECK_EQ(t, "dirty log: nothing else", bitmap[15], 0);
		vmctl_free_bitmap(bitmap);
	}
	CHECK_EQ(t, "dirty log: clear past the end", vmctl_dirty_log_clear(t->vm, &clr), -EINVAL);
	clr.count = 1024;
	CHECK_EQ(t, "dirty log: clear", vmctl_dirty_log_clear(t->vm, &clr), 0);
}

static void test_memslot_changes(struct selftest *t)
{
	struct mmulab_memslot_move mv = { .id = 0, .base_gpa = 1ULL << 30 };
	struct mmulab_memslot_id del = { .id = 0 };
	struct mmulab_memslot_flags ro = { .id = 0, .flags = MMULAB_SLOT_READONLY };

	CHECK_EQ(t, "flags: read-only cannot be added", vmctl_memslot_flags(t->vm, &ro), -EINVAL);
	mv.base_gpa = ST_MMIO - 2 * MIB;
	CHECK_EQ(t, "move slot 0 onto the device", vmctl_memslot_move(t->vm, &mv), -EEXIST);
	mv.base_gpa = 1ULL << 30;
	CHECK_EQ(t, "move slot 0 to 1G", vmctl_memslot_move(t->vm, &mv), 0);
	CHECK_EQ(t, "fault at the old place", fault(t, 0x1000, MMULAB_ACCESS_READ, NULL),
		 MMULAB_FAULT_MMIO);
	CHECK_EQ(t, "fault at the new place", fault(t, (1ULL << 30) + 0x3000,
						    MMULAB_ACCESS_READ, NULL),
		 MMULAB_FAULT_FIXED);
	CHECK_EQ(t, "delete slot 0", vmctl_memslot_delete(t->vm, &del), 0);
	CHECK_EQ(t, "delete slot 0 again", vmctl_memslot_delete(t->vm, &del), -ENOENT);
}

int vmctl_selftest(void)
{
	struct selftest t = { 0 };
	int ret;

	test_bad_vms(&t);
	ret = vmctl_vm_create(&good_vm, &t.vm);
	CHECK_EQ(&t, "create a tdp VM", ret, 0);
	if (!ret) {
		test_memslots(&t);
		test_mmio(&t);
		test_gpa_io(&t);
		test_vcpus(&t);
		test_faults(&t);
		test_stats_trace_run(&t);
		test_run_checks(&t);
		test_dirty_log(&t);
		test_memslot_changes(&t);
		CHECK_EQ(&t, "the MMU asked for TLB flushes", vmctl_tlb_flush_reqs(t.vm) > 0, 1);
		vmctl_vm_destroy(t.vm);
	}
	if (t.failed)
		plat_log(PLAT_LOG_ERR, "device self-test: FAIL (%u of %u checks failed)", t.failed,
			 t.checks);
	else
		plat_log(PLAT_LOG_INFO, "device self-test: PASS (%u checks)", t.checks);
	return (int)t.failed;
}
