// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmx/vmx.c — Intel VMX with EPT (Intel SDM vol. 3C, chapters
 * 24-29), as the hv.h vendor `vmx_ops`: the vCPU's VMCS, and one entry.
 *
 * One entry (vmx_enter):
 *
 *   VMCLEAR + VMPTRLD the first time on this CPU, then the controls and
 *   host state; the guest state when it changed (hv_vcpu_load); EPTP =
 *   the MMU's root; INVEPT when asked; interrupts off; RSP/RIP/RFLAGS and
 *   the per-entry host state; [PKRU]; VMLAUNCH or VMRESUME ... VM exit;
 *   [PKRU]; the GDTR/IDTR limits, TSS limit, DR7 and DEBUGCTL the exit
 *   clobbered; the host's NMI handler if an NMI caused the exit;
 *   interrupts on (a pending external interrupt is taken here); the exit
 *   decoded (exit.c).
 *
 * The other files: caps.c (what the CPU offers), cpu.c (VMXON/VMXOFF),
 * vmcs.c (the VMCS fields), vmenter.S (the switch), exit.c, dump.c.
 * This is the hardware side (kernel headers, no core headers: their bit
 * macros clash); hv_run.c decides what an exit means.
 *
 * Deliberately minimal: no VPID (every entry and exit then invalidates
 * the guest's linear and combined mappings, 29.4.3.1), no MSR or I/O
 * bitmaps (every access exits), no FPU switch (the guest uses none), no
 * event re-injection (only faults of the guest's own accesses are ever
 * in delivery at an exit, and re-executing the access raises them again).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": vmx: " fmt

#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/special_insns.h>

#include "hw/kmod/hv.h"
#include "hw/kmod/vmx/controls.h"
#include "hw/kmod/vmx/exits.h"
#include "hw/kmod/vmx/vmcs.h"
#include "hw/kmod/vmx/vmx.h"
#include "hw/kmod/vmx/vmx_hw.h"

/* mmulab_vmx_vmenter's failures are enum vmx_status values (vmenter.S). */
static_assert(VMX_FAIL_INVALID == 1 && VMX_FAIL_VALID == 2);

static void vmx_vcpu_destroy(struct hv_vcpu *v)
{
	struct vmx_hw *h = v->hw;

	if (!h)
		return;
	if (h->vmcs_page)
		__free_page(h->vmcs_page);
	kfree(h);
	v->hw = NULL;
}

static int vmx_vcpu_init(struct hv_vcpu *v)
{
	struct vmx_hw *h = kzalloc(sizeof(*h), GFP_KERNEL);
	const char *missing;
	int ret;

	if (!h)
		return -ENOMEM;
	v->hw = h;
	ret = vmx_caps_read(&h->caps, &missing);
	if (ret) {
		vmx_vcpu_destroy(v);
		return ret;
	}
	h->vmcs_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!h->vmcs_page) {
		vmx_vcpu_destroy(v);
		return -ENOMEM;
	}
	/* 25.2: the VMCS region starts with the revision identifier (bit 31 0: not a shadow VMCS). */
	*(u32 *)page_address(h->vmcs_page) = h->caps.revision;
	h->vmcs_pa = page_to_phys(h->vmcs_page);
	return 0;
}

void vmx_failed(struct vmx_hw *h, const char *what, enum vmx_status st)
{
	h->fail = st;
	h->fail_what = what;
	h->fail_error = st == VMX_FAIL_VALID ? vmcs_read(VM_INSTRUCTION_ERROR) : 0;
	h->fail_has_field = false;
}

/*
 * Make the VMCS current on this CPU, with its controls and host state.
 * VMCLEAR first: it initializes a VMCS never used (launch state "clear",
 * 25.11.3), and vcpu_put left it clear anyway.
 */
static bool vmx_vmcs_make_current(struct vmx_hw *h)
{
	enum vmx_status st = vmcs_clear(h->vmcs_pa);

	if (st == VMX_OK)
		st = vmcs_load(h->vmcs_pa);
	if (st != VMX_OK) {
		vmx_failed(h, "VMCLEAR/VMPTRLD", st);
		return false;
	}
	h->loaded = true;
	h->launched = false;
	vmx_vmcs_setup(h);
	return true;
}

/*
 * Invalidate the guest-physical and combined mappings of the EPTP the
 * guest runs on next (29.4.3): single-context where the CPU has it.
 * That suffices because hv_vcpu_load asks for a flush whenever a guest
 * starts afresh, so the first entry on any root flushes that root, and
 * within one run the MMU changes the root only after an invalidation,
 * which asks for a flush too.  (Linear mappings need none: without VPID
 * every entry and exit drops them.)
 */
static void vmx_flush(struct vmx_hw *h)
{
	bool single = h->caps.ept_vpid & VMX_EPT_INVEPT_SINGLE_CONTEXT;
	enum vmx_status st;

	st = vmx_invept(single ? VMX_INVEPT_SINGLE_CONTEXT : VMX_INVEPT_GLOBAL, h->eptp);
	if (st != VMX_OK)
		vmx_failed(h, "INVEPT", st);
}

/* After the exit, with interrupts still off: what the VM exit set to its own fixed values (28.5). */
static void vmx_restore_host(const struct desc_ptr *gdt, const struct desc_ptr *idt,
			     unsigned long dr7, unsigned long debugctl)
{
	/* 28.5.2: the GDTR and IDTR limits are 0xffff after an exit, TR's 0x67. */
	native_load_gdt(gdt);
	native_load_idt(idt);
	invalidate_tss_limit();
	/* 28.5.1: DR7 is 0x400 and IA32_DEBUGCTL 0 after an exit. */
	if (dr7 != VMX_GUEST_DR7)
		set_debugreg(dr7, 7);
	if (debugctl)
		update_debugctlmsr(debugctl);
}

static void vmx_enter(struct hv_vcpu *v, const struct hv_tdp *tdp, bool flush,
		      struct hv_exit *e)
{
	struct vmx_hw *h = v->hw;
	bool pk = v->state.pkru_switch && hv_host_pku();
	unsigned long dr7, debugctl;
	struct desc_ptr gdt, idt;
	u32 host_pkru = 0;
	int ret;

	h->fail = VMX_OK;
	if (!h->loaded && !vmx_vmcs_make_current(h))
		goto out;
	if (v->state_dirty) {
		vmx_vmcs_load_state(h, &v->state);
		v->state_dirty = false;
	}
	h->eptp = vmx_eptp(tdp);
	vmx_vmcs_load_event(h, &v->event);
	v->event.pending = false;
	if (flush)
		vmx_flush(h);
	if (h->fail != VMX_OK)
		goto out;

	get_debugreg(dr7, 7);
	debugctl = get_debugctlmsr();
	/*
	 * Interrupts stay off until the host state is whole again; an
	 * interrupt that arrives in the guest is an exit (pin-based
	 * external-interrupt exiting, not acknowledged on exit), taken by
	 * the host at local_irq_enable.
	 */
	local_irq_disable();
	vmx_vmcs_load_regs(h, &v->regs);
	if (h->fail != VMX_OK) {
		local_irq_enable();
		goto out;
	}
	native_store_gdt(&gdt);
	store_idt(&idt);
	/* VM entry leaves PKRU alone: the guest runs with what is loaded. */
	if (pk) {
		host_pkru = rdpkru();
		wrpkru(v->state.pkru);
	}
	ret = mmulab_vmx_vmenter(&v->regs, h->launched);
	if (pk) {
		v->state.pkru = rdpkru();
		wrpkru(host_pkru);
	}
	vmx_restore_host(&gdt, &idt, dr7, debugctl);
	if (ret) {
		vmx_failed(h, h->launched ? "VMRESUME" : "VMLAUNCH", ret);
	} else {
		/* A failed entry (reason bit 31) leaves the launch state alone (27.8). */
		if (!(vmcs_read(VM_EXIT_REASON) & VMX_EXIT_REASON_FAILED_VMENTRY))
			h->launched = true;
		if (vmx_exit_is_nmi())
			mmulab_vmx_host_nmi();
	}
	local_irq_enable();
	if (!ret)
		vmx_vmcs_save_regs(&v->regs);
out:
	vmx_decode_exit(v, e);
}

/* VMXOFF must not leave a VMCS active (25.11.1): VMCLEAR it; the next entry loads and launches it again. */
static void vmx_vcpu_put(struct hv_vcpu *v)
{
	struct vmx_hw *h = v->hw;

	if (!h->loaded)
		return;
	vmcs_clear(h->vmcs_pa);
	h->loaded = false;
	h->launched = false;
}

/* The EPT depth follows the VM's width; vmx_check refuses 5 levels the CPU cannot walk. */
static u8 vmx_tdp_maxphyaddr(u8 want)
{
	return want;
}

const struct hv_ops vmx_ops = {
	.name = "vmx",
	.ept = true,
	.hypercall = { 0x0f, 0x01, 0xc1 },	/* VMCALL */
	.probe = vmx_probe,
	.cpu_enable = vmx_cpu_enable,
	.cpu_disable = vmx_cpu_disable,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_destroy = vmx_vcpu_destroy,
	.check = vmx_check,
	.enter = vmx_enter,
	.vcpu_put = vmx_vcpu_put,
	.dump = vmx_dump,
	.tdp_maxphyaddr = vmx_tdp_maxphyaddr,
};
