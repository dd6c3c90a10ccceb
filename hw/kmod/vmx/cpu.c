// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmx/cpu.c — VMX operation on this CPU: VMXON and VMXOFF
 * (hv_ops.cpu_enable / cpu_disable; Intel SDM vol. 3C, 24.7 and 25.11.5).
 *
 * VMXON needs CR4.VMXE set, CR0 and CR4 within the fixed bits (24.8),
 * and a 4 KiB-aligned VMXON region whose first dword is the VMCS revision
 * identifier.  The region belongs to the CPU until VMXOFF.  Every VMCS
 * used in between must be VMCLEARed before VMXOFF (vcpu_put does it).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": vmx: " fmt

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "hw/kmod/vmx/vmx_hw.h"

/* *cpu is the VMXON region's page. */
int vmx_cpu_enable(void **cpu)
{
	struct vmx_caps caps;
	const char *missing;
	struct page *vmxon;
	u64 cr0;
	enum vmx_status st;
	int ret;

	ret = vmx_caps_read(&caps, &missing);
	if (ret)
		return ret;
	cr0 = read_cr0();
	if ((cr0 & caps.cr0_fixed0) != caps.cr0_fixed0 || (cr0 & ~caps.cr0_fixed1)) {
		pr_err("the host's CR0 %#llx is not allowed in VMX operation (fixed bits %#llx/%#llx)\n",
		       cr0, caps.cr0_fixed0, caps.cr0_fixed1);
		return -EOPNOTSUPP;
	}
	vmxon = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!vmxon)
		return -ENOMEM;
	*(u32 *)page_address(vmxon) = caps.revision;
	if (__read_cr4() & X86_CR4_VMXE) {
		__free_page(vmxon);
		return -EBUSY;
	}
	/* Through the kernel's CR4 shadow, so that a context switch keeps the bit. */
	cr4_set_bits(X86_CR4_VMXE);
	st = vmx_on(page_to_phys(vmxon));
	if (st != VMX_OK) {
		cr4_clear_bits(X86_CR4_VMXE);
		__free_page(vmxon);
		pr_err("VMXON failed (%s)\n", st == VMX_FAULT ? "#GP: IA32_FEATURE_CONTROL or CR4" :
		       "VMfail: the VMXON region's revision or address");
		return -EIO;
	}
	*cpu = vmxon;
	return 0;
}

void vmx_cpu_disable(void *cpu)
{
	vmx_off();
	cr4_clear_bits(X86_CR4_VMXE);
	__free_page(cpu);
}
