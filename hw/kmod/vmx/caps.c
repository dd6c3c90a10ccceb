// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmx/caps.c — what this CPU's VMX can do, from CPUID and its
 * capability MSRs (Intel SDM vol. 3C, appendix A): whether the module can
 * use it at all (vmx_probe), the control fields adjusted to what the CPU
 * allows (vmx_caps_read), and whether one run's guest state and EPT
 * tables are within its reach (vmx_check).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": vmx: " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/special_insns.h>

#include "hw/kmod/hv.h"
#include "hw/kmod/vmx/controls.h"
#include "hw/kmod/vmx/vmx_hw.h"

/* CPUID.1:ECX.VMX (SDM vol. 3C, 24.6). */
#define CPUID_1_ECX_VMX		BIT(5)

/*
 * What the module sets in each control field.  Interrupts and NMIs exit
 * (the host takes them: vmx.c); HLT, I/O, CR8 and, with MSR bitmaps left
 * off, every RDMSR/WRMSR exit, so the guest touches no host hardware; EPT.
 * The exit leaves the interrupt pending in the APIC ("acknowledge
 * interrupt on exit" 0), and both directions switch IA32_EFER; the entry
 * loads DR7 and IA32_DEBUGCTL, so no host breakpoint fires in the guest.
 */
#define VMX_PIN_WANT	(PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING)
#define VMX_PROC_WANT	(CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING | \
			 CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING | \
			 CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)
#define VMX_PROC2_WANT	SECONDARY_EXEC_ENABLE_EPT
#define VMX_EXIT_WANT	(VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_LOAD_IA32_EFER)
#define VMX_ENTRY_WANT	(VM_ENTRY_LOAD_DEBUG_CONTROLS | VM_ENTRY_LOAD_IA32_EFER)
/* The EPT the module builds: 4 levels (or 5, checked per run), WB, 2 MiB leaves, INVEPT. */
#define VMX_EPT_NEED	(VMX_EPT_PAGE_WALK_4 | VMX_EPT_WB | VMX_EPT_2MB_PAGE | VMX_EPT_INVEPT)

/*
 * A control field: `want` plus every control the CPU requires, in *out;
 * -EOPNOTSUPP if one of `want` cannot be 1.  A.3.1: bits 31:0 of the
 * capability MSR are the allowed 0-settings (a 1 there: the control must
 * be 1), bits 63:32 the allowed 1-settings (a 0 there: it must be 0).
 */
static int vmx_adjust(u32 msr, u32 want, u32 *out)
{
	u64 cap;

	rdmsrl(msr, cap);
	if (want & ~(u32)(cap >> 32))
		return -EOPNOTSUPP;
	*out = want | (u32)cap;
	return 0;
}

int vmx_caps_read(struct vmx_caps *c, const char **missing)
{
	u64 basic;
	bool true_ctls;

	/* A.1: the VMCS's size and memory type; VMX_BASIC_64 (bit 48) limits its address to 32 bits. */
	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	c->revision = basic & VMX_BASIC_REVISION_MASK;
	if (((basic >> VMX_BASIC_VMCS_SIZE_SHIFT) & VMX_BASIC_VMCS_SIZE_MASK) > PAGE_SIZE ||
	    (basic & VMX_BASIC_64) ||
	    ((basic & VMX_BASIC_MEM_TYPE_MASK) >> VMX_BASIC_MEM_TYPE_SHIFT) != VMX_BASIC_MEM_TYPE_WB) {
		*missing = "a write-back VMCS of at most one page, anywhere in physical memory (IA32_VMX_BASIC)";
		return -EOPNOTSUPP;
	}
	/*
	 * A.2: with bit 55 of IA32_VMX_BASIC, the TRUE_* MSRs say which of the
	 * "default1" controls may be 0 (CR3-load exiting, ...): use them.
	 */
	true_ctls = basic & VMX_BASIC_TRUE_CTLS;
	if (vmx_adjust(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS,
		       VMX_PIN_WANT, &c->pin)) {
		*missing = "external-interrupt and NMI exiting";
		return -EOPNOTSUPP;
	}
	if (vmx_adjust(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS,
		       VMX_PROC_WANT, &c->proc)) {
		*missing = "HLT, I/O and CR8 exiting, or the secondary controls";
		return -EOPNOTSUPP;
	}
	if (vmx_adjust(MSR_IA32_VMX_PROCBASED_CTLS2, VMX_PROC2_WANT, &c->proc2)) {
		*missing = "EPT";
		return -EOPNOTSUPP;
	}
	if (vmx_adjust(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS,
		       VMX_EXIT_WANT, &c->exit) ||
	    vmx_adjust(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS,
		       VMX_ENTRY_WANT | VM_ENTRY_IA32E_MODE, &c->entry)) {
		*missing = "a 64-bit host and guest with IA32_EFER switched by VM entry and exit";
		return -EOPNOTSUPP;
	}
	/* IA-32e mode is per guest state (vmcs.c): allowed, not set here. */
	c->entry &= ~VM_ENTRY_IA32E_MODE;
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, c->cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, c->cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, c->cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, c->cr4_fixed1);
	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, c->ept_vpid);
	if ((c->ept_vpid & VMX_EPT_NEED) != VMX_EPT_NEED ||
	    !(c->ept_vpid & (VMX_EPT_INVEPT_SINGLE_CONTEXT | VMX_EPT_INVEPT_GLOBAL))) {
		*missing = "4-level write-back EPT with 2 MiB pages and INVEPT";
		return -EOPNOTSUPP;
	}
	return 0;
}

int vmx_probe(void)
{
	struct vmx_caps caps;
	const char *missing;
	u64 feature_control;

	if (!(cpuid_ecx(1) & CPUID_1_ECX_VMX))
		return -ENODEV;		/* quietly: hv_find tried SVM, or will say neither */
	/*
	 * 24.7: VMXON outside SMX faults unless the firmware (or Linux at
	 * boot) locked IA32_FEATURE_CONTROL with VMX enabled outside SMX.
	 */
	rdmsrl(MSR_IA32_FEAT_CTL, feature_control);
	if (!(feature_control & FEAT_CTL_LOCKED) ||
	    !(feature_control & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("VMX is disabled by the firmware (IA32_FEATURE_CONTROL %#llx): enable VT-x (\"Intel Virtualization Technology\") in the firmware setup\n",
		       feature_control);
		return -ENODEV;
	}
	if (__read_cr4() & X86_CR4_VMXE) {
		pr_err("CR4.VMXE is already set: another hypervisor holds VMX on CPU %d. Unload it (rmmod kvm_intel; on newer kernels KVM enables VMX at load unless kvm.enable_virt_at_load=0) and load mmulab again\n",
		       raw_smp_processor_id());
		return -EBUSY;
	}
	if (vmx_caps_read(&caps, &missing)) {
		pr_info("VMX without %s: not supported\n", missing);
		return -EOPNOTSUPP;
	}
	/* What differs between CPU models, for the real-hardware checklist (docs/hw.md). */
	pr_info_once("VMCS revision %#x, EPT/VPID capabilities %#llx, CR0 fixed0/1 %#llx/%#llx, CR4 fixed0/1 %#llx/%#llx, MAXPHYADDR %u\n",
		     caps.revision, caps.ept_vpid, caps.cr0_fixed0, caps.cr0_fixed1,
		     caps.cr4_fixed0, caps.cr4_fixed1, boot_cpu_data.x86_phys_bits);
	return 0;
}

/*
 * One run's refusal, said once in a while: a scenario can ask for the
 * same thing on every access.
 */
#define vmx_refuse(fmt, ...) (pr_info_ratelimited(fmt, ##__VA_ARGS__), -EOPNOTSUPP)

int vmx_check(const struct hv_vcpu *v, const struct hv_tdp *tdp)
{
	const struct vmx_hw *h = v->hw;
	const struct vmx_caps *c = &h->caps;
	const struct hv_state *st = &v->state;

	/*
	 * 24.8: in VMX operation CR0 and CR4 bits outside FIXED1 must be 0.
	 * (Bits in FIXED0 the guest lacks are set by vmcs.c and hidden
	 * behind the read shadows.)
	 */
	if (st->cr0 & ~c->cr0_fixed1)
		return vmx_refuse("guest CR0 %#llx: bits %#llx cannot be 1 in VMX operation on this CPU\n",
				  st->cr0, st->cr0 & ~c->cr0_fixed1);
	if (st->cr4 & ~c->cr4_fixed1)
		return vmx_refuse("guest CR4 %#llx: bits %#llx cannot be 1 in VMX operation on this CPU (a feature it lacks: SMAP is bit 21, PKE 22, LA57 12)\n",
				  st->cr4, st->cr4 & ~c->cr4_fixed1);
	/* 29.3.2: the walk has 4 levels, or 5 where IA32_VMX_EPT_VPID_CAP says so. */
	if (tdp->levels == 5 && !(c->ept_vpid & VMX_EPT_PAGE_WALK_5))
		return vmx_refuse("5-level EPT (a VM with MAXPHYADDR above 48): this CPU walks 4 levels only\n");
	if (tdp->ept_ad && !(c->ept_vpid & VMX_EPT_AD))
		return vmx_refuse("EPT accessed and dirty flags: not on this CPU\n");
	if (tdp->gbpages && !(c->ept_vpid & VMX_EPT_1GB_PAGE))
		return vmx_refuse("1 GiB EPT pages: not on this CPU\n");
	return 0;
}
