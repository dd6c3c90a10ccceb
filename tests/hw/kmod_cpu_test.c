/*
 * Tests for hw/kmod_cpu.c: the CPU's features read from /proc/cpuinfo text,
 * and the feature a refused request needs that the CPU lacks, which is
 * what turns the module's -EOPNOTSUPP into a skip rather than an error.
 */
#include <check.h>
#include <string.h>

#include "core/x86/bits.h"
#include "hw/kmod_cpu.h"
#include "tests/util/check_main.h"

/* Two processors of QEMU TCG -cpu max,la57=off (shortened): AMD SVM with NPT. */
static const char qemu_max[] =
	"processor\t: 0\n"
	"vendor_id\t: AuthenticAMD\n"
	"flags\t\t: fpu pae nx pdpe1gb lm svm npt smep smap pku ospke\n"
	"address sizes\t: 52 bits physical, 48 bits virtual\n"
	"\n"
	"processor\t: 1\n"
	"flags\t\t: fpu pae nx pdpe1gb lm svm npt smep smap pku ospke la57\n"
	"\n";

/* Bochs' corei7_haswell_4770 (shortened): VMX with EPT, no LA57, SMAP or PKU. */
static const char bochs_haswell[] =
	"processor\t: 0\n"
	"flags\t\t: fpu pae nx pdpe1gb lm vmx smep\n"
	"vmx flags\t: vnmi invvpid ept_x_only ept_ad ept_1gb ept vpid unrestricted_guest\n"
	"address sizes\t: 40 bits physical, 48 bits virtual\n"
	"\n";

START_TEST(flags_come_from_the_first_processor_only)
{
	struct kmod_cpu cpu;

	kmod_cpu_parse(&cpu, qemu_max);
	ck_assert(cpu.known);
	ck_assert(cpu.svm && cpu.npt && cpu.smep && cpu.smap && cpu.pku && cpu.nx && cpu.gbpages);
	ck_assert(!cpu.vmx && !cpu.ept && !cpu.ept_ad);
	ck_assert_uint_eq(cpu.phys_bits, 52);
	/* la57 is on processor 1's line only. */
	ck_assert(!cpu.la57);
}
END_TEST

START_TEST(ept_features_come_from_the_vmx_flags_line)
{
	struct kmod_cpu cpu;

	kmod_cpu_parse(&cpu, bochs_haswell);
	ck_assert(cpu.known && cpu.vmx && cpu.ept && cpu.ept_ad && cpu.ept_1gb && cpu.smep);
	ck_assert(!cpu.ept_5level && !cpu.svm && !cpu.npt && !cpu.smap && !cpu.pku && !cpu.la57);
	ck_assert_uint_eq(cpu.phys_bits, 40);
	/* "ept_x_only" and "ept_1gb" are words of their own, not "ept". */
	kmod_cpu_parse(&cpu, "flags\t: vmx\nvmx flags\t: ept_x_only ept_1gb\n");
	ck_assert(cpu.vmx && !cpu.ept && !cpu.ept_ad && cpu.ept_1gb);
}
END_TEST

START_TEST(a_vm_lacks_the_vendor_and_depth_of_its_tables)
{
	struct kmod_cpu amd, intel;
	char why[160];

	kmod_cpu_parse(&amd, qemu_max);
	kmod_cpu_parse(&intel, bochs_haswell);
	ck_assert(!kmod_cpu_lacks_vm(&amd, true, false, true, 46, why, sizeof(why)));
	ck_assert(kmod_cpu_lacks_vm(&amd, false, true, false, 46, why, sizeof(why)));
	ck_assert_str_eq(why, "Intel VMX with EPT");
	ck_assert(!kmod_cpu_lacks_vm(&intel, false, true, true, 46, why, sizeof(why)));
	ck_assert(kmod_cpu_lacks_vm(&intel, true, false, false, 46, why, sizeof(why)));
	ck_assert_str_eq(why, "AMD SVM with nested paging (NPT)");
	/* Above 48 bits: 5-level tables, the host's paging for NPT, the CPU's EPT depth. */
	ck_assert(kmod_cpu_lacks_vm(&amd, true, false, false, 52, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "LA57"));
	amd.la57 = true;
	ck_assert(!kmod_cpu_lacks_vm(&amd, true, false, false, 52, why, sizeof(why)));
	ck_assert(kmod_cpu_lacks_vm(&intel, false, false, false, 52, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "ept_5level"));
	intel.ept_ad = false;
	ck_assert(kmod_cpu_lacks_vm(&intel, false, true, false, 46, why, sizeof(why)));
	ck_assert_str_eq(why, "EPT accessed and dirty bits (ept_ad)");
	ck_assert(!kmod_cpu_lacks_vm(&intel, false, false, false, 46, why, sizeof(why)));
	intel.ept_1gb = false;
	ck_assert(kmod_cpu_lacks_vm(&intel, false, false, true, 46, why, sizeof(why)));
	ck_assert_str_eq(why, "1 GiB EPT pages (ept_1gb)");
	amd.gbpages = false;
	ck_assert(kmod_cpu_lacks_vm(&amd, true, false, true, 46, why, sizeof(why)));
	ck_assert_str_eq(why, "1 GiB pages (pdpe1gb)");
}
END_TEST

START_TEST(a_vcpu_lacks_what_its_cr4_and_efer_enable)
{
	struct x86_paging_regs regs = { .cr0 = CR0_PG | CR0_PE, .cr4 = CR4_PAE,
					.efer = EFER_LME | EFER_LMA };
	struct kmod_cpu cpu;
	char why[160];

	kmod_cpu_parse(&cpu, bochs_haswell);
	ck_assert(!kmod_cpu_lacks_vcpu(&cpu, &regs, why, sizeof(why)));
	regs.cr4 |= CR4_SMEP;
	ck_assert(!kmod_cpu_lacks_vcpu(&cpu, &regs, why, sizeof(why)));
	regs.cr4 |= CR4_SMAP;
	ck_assert(kmod_cpu_lacks_vcpu(&cpu, &regs, why, sizeof(why)));
	ck_assert_str_eq(why, "SMAP");
	regs.cr4 = CR4_PAE | CR4_PKE;
	ck_assert(kmod_cpu_lacks_vcpu(&cpu, &regs, why, sizeof(why)));
	ck_assert_str_eq(why, "protection keys (PKU)");
	regs.cr4 = CR4_PAE | CR4_LA57;
	ck_assert(kmod_cpu_lacks_vcpu(&cpu, &regs, why, sizeof(why)));
	ck_assert_str_eq(why, "5-level paging (LA57)");
	cpu.la57 = true;
	ck_assert(!kmod_cpu_lacks_vcpu(&cpu, &regs, why, sizeof(why)));
	cpu.nx = false;
	regs.efer |= EFER_NXE;
	ck_assert(kmod_cpu_lacks_vcpu(&cpu, &regs, why, sizeof(why)));
	ck_assert_str_eq(why, "NX (execute disable)");
}
END_TEST

START_TEST(a_guest_maxphyaddr_above_the_cpus_is_lacking)
{
	struct kmod_cpu cpu;
	char why[160];

	kmod_cpu_parse(&cpu, bochs_haswell);
	ck_assert(!kmod_cpu_lacks_maxphyaddr(&cpu, 36, why, sizeof(why)));
	ck_assert(!kmod_cpu_lacks_maxphyaddr(&cpu, 40, why, sizeof(why)));
	ck_assert(kmod_cpu_lacks_maxphyaddr(&cpu, 46, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "MAXPHYADDR of 46: it has 40"));
	/* No "address sizes" line: nothing can be said. */
	cpu.phys_bits = 0;
	ck_assert(!kmod_cpu_lacks_maxphyaddr(&cpu, 52, why, sizeof(why)));
}
END_TEST

START_TEST(without_cpuinfo_nothing_is_said_to_be_lacking)
{
	struct x86_paging_regs regs = { .cr4 = CR4_LA57 | CR4_PKE };
	struct kmod_cpu cpu;
	char why[160];

	kmod_cpu_parse(&cpu, "");
	ck_assert(!cpu.known);
	ck_assert(!kmod_cpu_lacks_vm(&cpu, true, false, true, 52, why, sizeof(why)));
	ck_assert(!kmod_cpu_lacks_vcpu(&cpu, &regs, why, sizeof(why)));
	ck_assert(!kmod_cpu_lacks_maxphyaddr(&cpu, 52, why, sizeof(why)));
}
END_TEST

static Suite *kmod_cpu_suite(void)
{
	Suite *s = suite_create("kmod_cpu");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, flags_come_from_the_first_processor_only);
	tcase_add_test(tc, ept_features_come_from_the_vmx_flags_line);
	tcase_add_test(tc, a_vm_lacks_the_vendor_and_depth_of_its_tables);
	tcase_add_test(tc, a_vcpu_lacks_what_its_cr4_and_efer_enable);
	tcase_add_test(tc, a_guest_maxphyaddr_above_the_cpus_is_lacking);
	tcase_add_test(tc, without_cpuinfo_nothing_is_said_to_be_lacking);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(kmod_cpu_suite)
