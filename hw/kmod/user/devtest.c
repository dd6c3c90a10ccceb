/*
 * hw/kmod/user/devtest.c — /dev/mmulab end to end, from user space.
 *
 * Run as root where mmulab.ko is loaded (a QEMU boot of the Debian kernel
 * will do: the module needs no SVM/VMX for this).  It goes through
 * hw/kmod_client.c, so it tests the ioctl numbers, the struct layouts and
 * dev.c's user copies, which the module's load-time self-test cannot.
 * Prints one line per failed check and then
 * "DEVTEST-STATUS PASS|FAIL (K of N failed)"; exits 0 on PASS.
 * The top-level Makefile does not build it (it needs the device):
 *
 *     gcc -static -O2 -I. -o devtest hw/kmod/user/devtest.c hw/kmod_client.c
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

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
	EQ("slot 2", kmod_client_memslot_create(&c2, 0, 0, MIB, 0, MMULAB_LEVEL_4K), 0);
	EQ("write 2", kmod_client_write_gpa(&c2, 0, buf, 8), 0);
	kmod_client_close(&c);
	kmod_client_close(&c2);
	printf("DEVTEST-STATUS %s (%d of %d failed)\n", fails ? "FAIL" : "PASS", fails, checks);
	return fails != 0;
}
