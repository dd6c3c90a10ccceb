/*
 * hw/kmod/user/devtest.c — /dev/mmulab end to end, from user space.
 *
 * Run as root where mmulab.ko is loaded (a QEMU boot of the Debian kernel
 * will do: the module needs no SVM/VMX for most of this).  It goes through
 * hw/kmod_client.c, so it tests the ioctl numbers, the struct layouts and
 * dev.c's user copies, which the module's load-time self-test cannot.
 * Where the CPU has SVM or VMX, it also runs accesses in the module's
 * guest (test_runs): 32-bit and PAE paging, implicit reads, and the
 * vCPU's own entries put back after each run.
 * Prints one line per failed check and then
 * "DEVTEST-STATUS PASS|FAIL (K of N failed)"; exits 0 on PASS.
 * The top-level Makefile does not build it (it needs the device):
 *
 *     gcc -static -O2 -I. -o devtest hw/kmod/user/devtest.c hw/kmod_client.c
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/vm/reserved.h"
#include "hw/kmod_client.h"

#define MIB (1ULL << 20)

static int fails, checks;
/* More than one MMULAB_GPA_IO_MAX: the client splits it into ioctls. */
static unsigned char big[3 * MIB / 2], big_back[3 * MIB / 2];

#define EQ(what, got, want)                                                           \
	do {                                                                          \
		long long g_ = (long long)(got), w_ = (long long)(want);              \
		checks++;                                                             \
		if (g_ != w_) {                                                       \
			fails++;                                                      \
			printf("devtest: FAIL %s: got %lld, want %lld\n", what, g_, w_); \
		}                                                                     \
	} while (0)

/*
 * Accesses to a device range, in the guest on SVM (an NPT VM; paging off,
 * so the gva is the gpa): the module must perform them on the device,
 * whose registers read as all ones until written.  Skipped, and said so,
 * on a CPU without SVM.
 */
static void test_mmio_run(void)
{
	struct kmod_client c;
	struct mmulab_vm_create vm;
	struct mmulab_vcpu_create vc = { .id = 0, .cr0 = 1 };
	struct mmulab_access acc[3] = {
		{ .gva = 0xfee00008, .value = 0x1122334455667788ULL, .kind = MMULAB_ACCESS_WRITE, .size = 8 },
		{ .gva = 0xfee0000c, .kind = MMULAB_ACCESS_READ, .size = 4 },
		{ .gva = 0xfee00010, .kind = MMULAB_ACCESS_READ, .size = 8 },
	};
	struct mmulab_run_stats rs;
	uint32_t done = 0;
	int ret;

	EQ("mmio run: open", kmod_client_open(&c, NULL), 0);
	kmod_client_vm_defaults(&vm);
	vm.layout = MMULAB_LAYOUT_NPT;
	vm.flags = 0;
	EQ("mmio run: create", kmod_client_create_vm(&c, &vm), 0);
	EQ("mmio run: slot", kmod_client_memslot_create(&c, 0, 0, 2 * MIB, 0, MMULAB_LEVEL_4K), 0);
	EQ("mmio run: device", kmod_client_mmio_create(&c, 0xfee00000, 0x100), 0);
	EQ("mmio run: vcpu", kmod_client_create_vcpu(&c, &vc), 0);
	ret = kmod_client_run(&c, 0, acc, 3, &done);
	if (ret == -EOPNOTSUPP) {
		printf("devtest: mmio run skipped: this CPU has no SVM\n");
	} else {
		EQ("mmio run", ret, 0);
		EQ("mmio run: done", done, 3);
		EQ("mmio run: read back the device", acc[1].value, 0x11223344);
		EQ("mmio run: a register never written", acc[2].value, ~0ULL);
		EQ("mmio run: run stats", kmod_client_run_stats(&c, &rs), 0);
		EQ("mmio run: device accesses", rs.mmio, 3);
	}
	kmod_client_close(&c);
}

/* The CPU has this /proc/cpuinfo flag (vmx: MMULAB_RUN walks EPT; svm: NPT). */
static int cpu_flag(const char *flag)
{
	char line[8192], word[64];
	FILE *f = fopen("/proc/cpuinfo", "r");
	int found = 0;

	if (!f)
		return 0;
	snprintf(word, sizeof(word), " %s ", flag);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5) == 0) {
			line[strcspn(line, "\n")] = ' ';
			found = strstr(line, word) != NULL;
			break;
		}
	}
	fclose(f);
	return found;
}

/* An ioctl made by hand (a bad number or address), as 0 or -errno. */
static int raw_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* ---- accesses in the module's guest ------------------------------------------- */

/* Bits of paging entries and control registers (SDM 4.3-4.5, 2.5). */
#define P	0x1ULL
#define W	0x2ULL
#define U	0x4ULL
#define CR0_PE_PG_WP	0x80010001ULL
#define CR4_PAE		0x20ULL
#define CR4_SMAP	0x200000ULL
#define EFER_LME_LMA	0x500ULL
#define DATA		0x300000ULL	/* the user page every vCPU maps at va 0x400000 */
#define DATA_RO		0x301000ULL	/* the supervisor read-only page at va 0x401000 */
#define VAL		0x1122334455667788ULL
/* Not-present entries the module's hook must leave as they were. */
#define OWN_PDE1023	0x12345000ULL
#define OWN_PML4E510	0x777000ULL
#define PF_P		0x1
#define PF_W		0x2
#define PF_U		0x4

static void wr(struct kmod_client *c, uint64_t gpa, uint64_t val, unsigned int bytes)
{
	EQ("writing the test's tables", kmod_client_write_gpa(c, gpa, &val, bytes), 0);
}

static uint64_t rd(struct kmod_client *c, uint64_t gpa, unsigned int bytes)
{
	uint64_t val = 0;

	EQ("reading guest memory", kmod_client_read_gpa(c, gpa, &val, bytes), 0);
	return val;
}

/* One access: its errno, with *a holding the outcome. */
static int run1(struct kmod_client *c, uint32_t vcpu, struct mmulab_access *a)
{
	uint32_t done = 0;

	return kmod_client_run(c, vcpu, a, 1, &done);
}

static struct mmulab_access acc(uint8_t kind, uint64_t gva, uint8_t size, uint8_t cpl,
				uint8_t flags, uint64_t value)
{
	return (struct mmulab_access){ .gva = gva, .kind = kind, .size = size, .cpl = cpl,
				       .flags = flags, .value = value };
}

/* An access that must complete with this outcome (and, for reads, value; for #PF, error code). */
static void expect(struct kmod_client *c, const char *what, uint32_t vcpu, struct mmulab_access a,
		   uint32_t outcome, uint64_t value_or_ec)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s: run", what);
	EQ(buf, run1(c, vcpu, &a), 0);
	snprintf(buf, sizeof(buf), "%s: outcome", what);
	EQ(buf, a.outcome, outcome);
	snprintf(buf, sizeof(buf), "%s: %s", what,
		 outcome == MMULAB_OUTCOME_PF ? "error code" : "value");
	if (outcome == MMULAB_OUTCOME_PF) {
		EQ(buf, a.error_code, value_or_ec);
		snprintf(buf, sizeof(buf), "%s: cr2", what);
		EQ(buf, a.cr2, a.gva);
	} else if (a.kind == MMULAB_ACCESS_READ) {
		EQ(buf, a.value, value_or_ec);
	}
}

/*
 * vCPU 1, 32-bit paging: PD 0x1000, PDE 1 -> PT 0x2000 (va 0x400000).
 * vCPU 2, PAE paging: PDPT 0x5000, PDPTE 0 -> PD 0x6000, PDE 2 -> PT
 * 0x7000; PDPTE 3 not present.  vCPU 3, 4-level with SMAP: PML4 0x10000
 * -> 0x11000 -> 0x12000, PDE 2 -> PT 0x13000.  Each maps va 0x400000 to
 * DATA (user, writable) and va 0x401000 to DATA_RO (supervisor, read-only).
 */
static int make_run_vm(struct kmod_client *c, uint32_t layout)
{
	struct mmulab_vm_create vm;
	struct mmulab_vcpu_create v32 = { .id = 1, .cr0 = CR0_PE_PG_WP, .cr3 = 0x1000 };
	struct mmulab_vcpu_create vpae = { .id = 2, .cr0 = CR0_PE_PG_WP, .cr3 = 0x5000,
					   .cr4 = CR4_PAE };
	struct mmulab_vcpu_create v64 = { .id = 3, .cr0 = CR0_PE_PG_WP, .cr3 = 0x10000,
					  .cr4 = CR4_PAE | CR4_SMAP, .efer = EFER_LME_LMA };
	int ret;

	kmod_client_vm_defaults(&vm);
	vm.flags = 0;
	vm.maxphyaddr = 36;
	vm.layout = layout;
	ret = kmod_client_open(c, NULL);
	if (!ret)
		ret = kmod_client_create_vm(c, &vm);
	if (!ret)
		ret = kmod_client_memslot_create(c, 0, 0, 8 * MIB, 0, MMULAB_LEVEL_4K);
	if (ret)
		return ret;
	wr(c, 0x1000 + 1 * 4, 0x2000 | P | W | U, 4);
	wr(c, 0x1000 + 1023 * 4, OWN_PDE1023, 4);
	wr(c, 0x2000, DATA | P | W | U, 4);
	wr(c, 0x2004, DATA_RO | P, 4);
	wr(c, 0x5000, 0x6000 | P, 8);
	wr(c, 0x6000 + 2 * 8, 0x7000 | P | W | U, 8);
	wr(c, 0x7000, DATA | P | W | U, 8);
	wr(c, 0x7008, DATA_RO | P, 8);
	wr(c, 0x10000, 0x11000 | P | W | U, 8);
	wr(c, 0x10000 + 510 * 8, OWN_PML4E510, 8);
	wr(c, 0x11000, 0x12000 | P | W | U, 8);
	wr(c, 0x12000 + 2 * 8, 0x13000 | P | W | U, 8);
	wr(c, 0x13000, DATA | P | W | U, 8);
	wr(c, 0x13008, DATA_RO | P, 8);
	wr(c, DATA, VAL, 8);
	ret = kmod_client_create_vcpu(c, &v32);
	if (!ret)
		ret = kmod_client_create_vcpu(c, &vpae);
	if (!ret)
		ret = kmod_client_create_vcpu(c, &v64);
	return ret;
}

/* 32-bit paging: the 32-bit interpreter, its stub, 8 bytes as two halves, PDE 1023 put back. */
static void test_runs_32bit(struct kmod_client *c)
{
	struct mmulab_access a;

	expect(c, "32-bit read 8", 1, acc(MMULAB_ACCESS_READ, 0x400000, 8, 0, 0, 0),
	       MMULAB_OUTCOME_OK, VAL);
	expect(c, "32-bit write 4", 1, acc(MMULAB_ACCESS_WRITE, 0x400008, 4, 0, 0, 0xcafe),
	       MMULAB_OUTCOME_OK, 0);
	EQ("32-bit write 4 reached memory", rd(c, DATA + 8, 4), 0xcafe);
	expect(c, "32-bit PDE 2 not present", 1, acc(MMULAB_ACCESS_READ, 0x800000, 4, 0, 0, 0),
	       MMULAB_OUTCOME_PF, 0);
	expect(c, "32-bit CPL-3 read of a supervisor page", 1,
	       acc(MMULAB_ACCESS_READ, 0x401000, 4, 3, 0, 0), MMULAB_OUTCOME_PF, PF_P | PF_U);
	expect(c, "32-bit CPL-3 read 8", 1, acc(MMULAB_ACCESS_READ, 0x400000, 8, 3, 0, 0),
	       MMULAB_OUTCOME_OK, VAL);
	/* WP=1: the first half faults, and nothing of the 8 bytes is written. */
	expect(c, "32-bit write 8 to a read-only page", 1,
	       acc(MMULAB_ACCESS_WRITE, 0x401000, 8, 0, 0, ~0ULL), MMULAB_OUTCOME_PF, PF_P | PF_W);
	EQ("32-bit write 8 that faulted wrote nothing", rd(c, DATA_RO, 8), 0);
	/* Implicit reads are supervisor-mode at CPL 3 (SDM 4.6). */
	expect(c, "32-bit implicit read at CPL 3 of a supervisor page", 1,
	       acc(MMULAB_ACCESS_READ, 0x401000, 4, 3, MMULAB_ACCESS_IMPLICIT, 0),
	       MMULAB_OUTCOME_OK, 0);
	expect(c, "32-bit implicit read 8 at CPL 3", 1,
	       acc(MMULAB_ACCESS_READ, 0x400000, 8, 3, MMULAB_ACCESS_IMPLICIT, 0),
	       MMULAB_OUTCOME_OK, VAL);
	EQ("32-bit PDE 1023 is the vCPU's again", rd(c, 0x1000 + 1023 * 4, 4), OWN_PDE1023);
	a = acc(MMULAB_ACCESS_READ, VM_RSV_VA_32BIT, 4, 0, 0, 0);
	EQ("32-bit run in PDE 1023", run1(c, 1, &a), -EINVAL);
	a = acc(MMULAB_ACCESS_WRITE, 0x400000, 4, 0, MMULAB_ACCESS_IMPLICIT, 0);
	EQ("implicit write", run1(c, 1, &a), -ENOSYS);
	a = acc(MMULAB_ACCESS_READ, 0x400ffc, 8, 0, 0, 0);
	EQ("32-bit read 8 across pages", run1(c, 1, &a), -ENOSYS);
}

/* PAE paging: the PDPTRs of the last CR3 load, not memory; no PDPTE 3 of the vCPU's. */
static void test_runs_pae(struct kmod_client *c)
{
	bool gp = true;

	expect(c, "PAE read 8", 2, acc(MMULAB_ACCESS_READ, 0x400000, 8, 0, 0, 0),
	       MMULAB_OUTCOME_OK, VAL);
	expect(c, "PAE under the absent PDPTE 3", 2,
	       acc(MMULAB_ACCESS_READ, 0xc0000000, 8, 0, 0, 0), MMULAB_OUTCOME_PF, 0);
	/* SDM 4.4.1: a store to the PDPT is not seen until CR3 is loaded again. */
	wr(c, 0x5000, 0, 8);
	expect(c, "PAE with PDPTE 0 cleared in memory only", 2,
	       acc(MMULAB_ACCESS_READ, 0x400000, 8, 3, 0, 0), MMULAB_OUTCOME_OK, VAL);
	EQ("PAE PDPT memory untouched", rd(c, 0x5018, 8), 0);
	EQ("PAE CR3 load", kmod_client_set_reg(c, 2, MMULAB_REG_CR3, 0x5000, &gp), 0);
	EQ("PAE CR3 load: no #GP", gp, 0);
	expect(c, "PAE after the CR3 load", 2, acc(MMULAB_ACCESS_READ, 0x400000, 8, 0, 0, 0),
	       MMULAB_OUTCOME_PF, 0);
}

/*
 * 4-level with SMAP: an implicit read ignores EFLAGS.AC (SDM 4.6.1); PML4E
 * 510 put back.  A CPU without SMAP cannot run vCPU 3 (Bochs' Haswell).
 */
static void test_runs_implicit(struct kmod_client *c)
{
	if (!cpu_flag("smap")) {
		printf("devtest: SKIP runs with SMAP: this CPU has no SMAP\n");
		return;
	}
	expect(c, "explicit read of a user page with AC", 3,
	       acc(MMULAB_ACCESS_READ, 0x400000, 8, 0, MMULAB_ACCESS_EFLAGS_AC, 0),
	       MMULAB_OUTCOME_OK, VAL);
	expect(c, "implicit read of a user page with AC", 3,
	       acc(MMULAB_ACCESS_READ, 0x400000, 8, 0,
		   MMULAB_ACCESS_EFLAGS_AC | MMULAB_ACCESS_IMPLICIT, 0), MMULAB_OUTCOME_PF, PF_P);
	expect(c, "implicit read at CPL 3 of a supervisor page", 3,
	       acc(MMULAB_ACCESS_READ, 0x401008, 4, 3, MMULAB_ACCESS_IMPLICIT, 0),
	       MMULAB_OUTCOME_OK, 0);
	expect(c, "implicit read where no page is", 3,
	       acc(MMULAB_ACCESS_READ, 0x402000, 8, 0, MMULAB_ACCESS_IMPLICIT, 0),
	       MMULAB_OUTCOME_PF, 0);
	EQ("4-level PML4E 510 is the vCPU's again", rd(c, 0x10000 + 510 * 8, 8), OWN_PML4E510);
}

/* The runs, on whichever layout this CPU walks (NPT on SVM, EPT on VMX); else one SKIP line. */
static void test_runs(void)
{
	static const uint32_t layouts[] = { MMULAB_LAYOUT_NPT, MMULAB_LAYOUT_EPT };
	struct mmulab_access probe = acc(MMULAB_ACCESS_READ, 0x400000, 8, 0, 0, 0);
	struct kmod_client c;
	unsigned int i;
	int ret = -EOPNOTSUPP;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]) && ret == -EOPNOTSUPP; i++) {
		EQ("a VM for the runs", make_run_vm(&c, layouts[i]), 0);
		ret = run1(&c, 1, &probe);
		if (ret == -EOPNOTSUPP)
			kmod_client_close(&c);
	}
	if (ret == -EOPNOTSUPP) {
		printf("devtest: SKIP runs: this CPU runs neither NPT nor EPT VMs\n");
		return;
	}
	EQ("the first run", ret, 0);
	test_runs_32bit(&c);
	test_runs_pae(&c);
	test_runs_implicit(&c);
	kmod_client_close(&c);
}

int main(void)
{
	struct kmod_client c, c2;
	struct mmulab_vm_create vm;
	struct mmulab_vcpu_create vc = { .id = 0, .cr0 = 1 };
	struct mmulab_fault f = { .vcpu = 0, .access = MMULAB_ACCESS_READ, .gpa = 0x1000 };
	char buf[64] = "hello mmulab", back[64];
	uint64_t st[64], bm[16], npages = 0;
	uint32_t count = 0, total = 0, done = 7;
	struct mmulab_trace_event ev[8];
	struct mmulab_access acc = { .kind = MMULAB_ACCESS_READ, .size = 8 };
	struct mmulab_run_stats rs;
	uint32_t ver = 0;

	EQ("open", kmod_client_open(&c, NULL), 0);
	EQ("ioctl before VM", kmod_client_memslot_create(&c, 0, 0, 4 * MIB, 0, MMULAB_LEVEL_2M), -EBADFD);
	EQ("bad ioctl number", raw_ioctl(c.fd, _IO(0x12, 1), NULL), -ENOTTY);
	EQ("version", raw_ioctl(c.fd, MMULAB_GET_API_VERSION, &ver), 0);
	EQ("version value", ver, MMULAB_API_VERSION);
	EQ("create bad ptr", raw_ioctl(c.fd, MMULAB_CREATE_VM, (void *)8), -EFAULT);
	kmod_client_vm_defaults(&vm);
	vm.flags |= MMULAB_VM_TRACE | MMULAB_VM_GBPAGES;
	vm.api_version = 99;
	EQ("create bad version", kmod_client_create_vm(&c, &vm), -EPROTO);
	vm.api_version = MMULAB_API_VERSION;
	EQ("create", kmod_client_create_vm(&c, &vm), 0);
	EQ("create twice", kmod_client_create_vm(&c, &vm), -EEXIST);
	EQ("slot", kmod_client_memslot_create(&c, 0, 0, 4 * MIB, 0, MMULAB_LEVEL_2M), 0);
	EQ("slot again", kmod_client_memslot_create(&c, 0, 0, 4 * MIB, 0, MMULAB_LEVEL_2M), -EEXIST);
	EQ("slot 1G backing unaligned", kmod_client_memslot_create(&c, 1, 1 << 30, 4 * MIB, 0, MMULAB_LEVEL_1G), -EINVAL);
	EQ("mmio", kmod_client_mmio_create(&c, 0xfee00000, 0x100), 0);
	EQ("mmio again", kmod_client_mmio_create(&c, 0xfee00000, 8), -EEXIST);
	EQ("mmio over slot 0", kmod_client_mmio_create(&c, 0x1000, 8), -EEXIST);
	EQ("mmio bad ptr", raw_ioctl(c.fd, MMULAB_MMIO_CREATE, (void *)8), -EFAULT);
	EQ("slot onto mmio", kmod_client_memslot_create(&c, 1, 0xfee00000, MIB, 0, MMULAB_LEVEL_4K), -EEXIST);
	EQ("write", kmod_client_write_gpa(&c, 0x1ffff0, buf, sizeof(buf)), 0);
	memset(back, 0, sizeof(back));
	EQ("read", kmod_client_read_gpa(&c, 0x1ffff0, back, sizeof(back)), 0);
	EQ("read same", memcmp(buf, back, sizeof(buf)), 0);
	EQ("read bad buffer", kmod_client_read_gpa(&c, 0x1000, (void *)8, 16), -EFAULT);
	EQ("write bad buffer", kmod_client_write_gpa(&c, 0x1000, (void *)8, 16), -EFAULT);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 7 + 1);
	EQ("write 1.5 MiB", kmod_client_write_gpa(&c, 0x100000, big, sizeof(big)), 0);
	EQ("read 1.5 MiB", kmod_client_read_gpa(&c, 0x100000, big_back, sizeof(big)), 0);
	EQ("1.5 MiB the same", memcmp(big, big_back, sizeof(big)), 0);
	EQ("read outside", kmod_client_read_gpa(&c, 8 * MIB, back, 8), -ENXIO);
	EQ("vcpu", kmod_client_create_vcpu(&c, &vc), 0);
	EQ("vcpu again", kmod_client_create_vcpu(&c, &vc), -EEXIST);
	EQ("fault", kmod_client_fault(&c, &f), 0);
	EQ("fault outcome", f.outcome, MMULAB_FAULT_FIXED);
	EQ("fault level", f.level, MMULAB_LEVEL_2M);
	f.vcpu = 3;
	EQ("fault no vcpu", kmod_client_fault(&c, &f), -ENOENT);
	EQ("stats", kmod_client_stats(&c, st, 64, &count, &total), 0);
	EQ("stats count", count, total);
	EQ("stats pf_taken (the first counter)", st[0], 1);
	EQ("stats bad buffer", kmod_client_stats(&c, (void *)8, 4, &count, &total), -EFAULT);
	EQ("trace", kmod_client_trace(&c, 0, ev, 8, &count), 0);
	EQ("trace first seq", count ? ev[0].seq : 0, 1);
	/* The VM is EPT: it runs on VMX (paging off: gva == gpa), and nowhere else. */
	acc.gva = 0x100000;
	if (cpu_flag("vmx")) {
		EQ("run: an EPT VM on VMX", kmod_client_run(&c, 0, &acc, 1, &done), 0);
		EQ("run done", done, 1);
		EQ("run outcome", acc.outcome, MMULAB_OUTCOME_OK);
		EQ("run value", memcmp(&acc.value, big, sizeof(acc.value)), 0);
	} else {
		EQ("run: an EPT VM without VMX", kmod_client_run(&c, 0, &acc, 1, &done), -EOPNOTSUPP);
		EQ("run done", done, 0);
	}
	EQ("run bad buffer", kmod_client_run(&c, 0, (void *)8, 1, &done), -EFAULT);
	EQ("run no vcpu", kmod_client_run(&c, 5, &acc, 1, &done), -ENOENT);
	EQ("dirty get not logging", kmod_client_dirty_log_get(&c, 0, bm, 16, &npages), -EINVAL);
	EQ("dirty start", kmod_client_memslot_flags(&c, 0, MMULAB_SLOT_DIRTY_LOG), 0);
	f = (struct mmulab_fault){ .vcpu = 0, .access = MMULAB_ACCESS_WRITE, .gpa = 0x5000 };
	EQ("dirty write", kmod_client_fault(&c, &f), 0);
	EQ("dirty small", kmod_client_dirty_log_get(&c, 0, bm, 1, &npages), -ENOSPC);
	EQ("dirty npages", npages, 1024);
	memset(bm, 0, sizeof(bm));
	EQ("dirty get", kmod_client_dirty_log_get(&c, 0, bm, 16, &npages), 0);
	EQ("dirty bits", bm[0], 1ULL << 5);
	EQ("dirty clear", kmod_client_dirty_log_clear(&c, 0, 0, 1024), 0);
	EQ("move", kmod_client_memslot_move(&c, 0, 1ULL << 30), 0);
	EQ("delete", kmod_client_memslot_delete(&c, 0), 0);
	EQ("delete again", kmod_client_memslot_delete(&c, 0), -ENOENT);
	EQ("open 2", kmod_client_open(&c2, NULL), 0);
	EQ("create 2", kmod_client_create_vm(&c2, &vm), 0);
	EQ("run stats", kmod_client_run_stats(&c2, &rs), 0);
	EQ("run stats: never ran", rs.runs + rs.entries + rs.tsc_guest, 0);
	rs = (struct mmulab_run_stats){ .reserved = 1 };
	EQ("run stats: reserved", raw_ioctl(c2.fd, MMULAB_GET_RUN_STATS, &rs), -EINVAL);
	EQ("run stats: bad pointer", raw_ioctl(c2.fd, MMULAB_GET_RUN_STATS, (void *)8), -EFAULT);
	EQ("slot 2", kmod_client_memslot_create(&c2, 0, 0, MIB, 0, MMULAB_LEVEL_4K), 0);
	EQ("write 2", kmod_client_write_gpa(&c2, 0, buf, 8), 0);
	kmod_client_close(&c);
	kmod_client_close(&c2);
	test_runs();
	test_mmio_run();
	printf("DEVTEST-STATUS %s (%d of %d failed)\n", fails ? "FAIL" : "PASS", fails, checks);
	return fails != 0;
}
