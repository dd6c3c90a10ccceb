// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/svm/svm.c — AMD SVM with nested paging (AMD APM vol. 2, ch. 15),
 * as the hv.h vendor `svm_ops`.
 *
 * One entry (svm_enter):
 *
 *   the guest state into the VMCB when it changed (hv_vcpu_load), then
 *   RAX/RSP/RIP/RFLAGS/CR2; nCR3 = the MMU's root; EVENTINJ = the event
 *   to deliver, if any; TLB_CONTROL = flush when asked; clgi; sti; VMRUN
 *   ... #VMEXIT; cli; stgi; the registers back; the exit code described
 *   as a struct hv_exit, with EXITINTINFO as the event it interrupted:
 *     #NPF (0x400)      EXITINFO1 = a #PF-style error code + bits 32/33,
 *                       EXITINFO2 = the gpa
 *     INTR, NMI         the host took the interrupt at stgi
 *     VMMCALL           RIP advanced past it (NEXT_RIP with NRIPS)
 *     exceptions        EXITINFO1 = error code, EXITINFO2 = CR2 for #PF
 *
 * This file is the hardware side (kernel headers, no core headers: their
 * bit macros clash); hv_run.c decides what an exit means.
 *
 * Deliberately minimal: no VMLOAD/VMSAVE (the guest never loads FS, GS,
 * TR, LDTR or the syscall MSRs, so it runs with the host's, which VMRUN
 * does not touch), no clean bits, no FPU switch (the guest uses no FPU).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": svm: " fmt

#include <linux/cc_platform.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/special_insns.h>

#include "hw/kmod/hv.h"
#include "hw/kmod/svm/svm.h"
#include "hw/kmod/svm/vmcb.h"

/* CPUID facts (APM vol. 3, appendix E). */
#define CPUID_EXT_MAX		0x80000000
#define CPUID_EXT_FEATURES	0x80000001
#define CPUID_ECX_SVM		BIT(2)
#define CPUID_SVM_LEAF		0x8000000a
#define CPUID_SVM_EDX_NP	BIT(0)
#define CPUID_SVM_EDX_NRIPS	BIT(3)
/* VM_CR MSR: SVMDIS, set by firmware that disables SVM. */
#define VM_CR_SVMDIS		BIT(4)

#define SVM_ASID		1
#define IOPM_ORDER		2	/* 12 KiB used */
#define MSRPM_ORDER		1	/* 8 KiB */

/* Guest state VMRUN checks and the module never changes (APM 15.5.1). */
#define GUEST_DR6		0xffff0ff0ULL
#define GUEST_DR7		0x400ULL
#define GUEST_PAT		0x0007040600070406ULL	/* the reset value */
/* Intercepted for diagnostics: the guest's IDT handles only #PF. */
#define SVM_DIAG_EXCEPTIONS	(BIT(6) | BIT(8) | BIT(13))	/* #UD, #DF, #GP */
#define VECTOR_PF		14

/* One vCPU's SVM state (hv_vcpu.hw). */
struct svm_hw {
	void *vmcb;			/* one page */
	struct page *vmcb_page;
	struct page *iopm;		/* 12 KiB used of 16, all ones */
	struct page *msrpm;		/* 8 KiB, all ones */
	bool nrips;			/* next_rip is saved on exits (CPUID 0x8000000A EDX bit 3) */
};

extern void mmulab_svm_vmrun(u64 vmcb_pa, struct hv_regs *regs);

static int svm_probe(void)
{
	u64 vm_cr, efer;
	u32 edx, nr_asids;

	if (cpuid_eax(CPUID_EXT_MAX) < CPUID_SVM_LEAF ||
	    !(cpuid_ecx(CPUID_EXT_FEATURES) & CPUID_ECX_SVM))
		return -ENODEV;		/* quietly: hv_find tries the next vendor */
	rdmsrl(MSR_VM_CR, vm_cr);
	if (vm_cr & VM_CR_SVMDIS) {
		pr_err("SVM is disabled by the firmware: enable SVM/AMD-V in the BIOS setup\n");
		return -ENODEV;
	}
	edx = cpuid_edx(CPUID_SVM_LEAF);
	if (!(edx & CPUID_SVM_EDX_NP)) {
		pr_info("SVM without nested paging (NPT): not supported\n");
		return -EOPNOTSUPP;
	}
	nr_asids = cpuid_ebx(CPUID_SVM_LEAF);
	if (nr_asids <= SVM_ASID) {
		pr_err("only %u ASID(s): need ASID %u\n", nr_asids, SVM_ASID);
		return -EOPNOTSUPP;
	}
	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		pr_err("EFER.SVME is already set: another hypervisor owns SVM on CPU %d. Unload it (rmmod kvm_amd; on newer kernels KVM enables SVM at load unless kvm.enable_virt_at_load=0) and load mmulab again\n",
		       raw_smp_processor_id());
		return -EBUSY;
	}
	if (cc_platform_has(CC_ATTR_HOST_MEM_ENCRYPT)) {
		pr_err("SME/SEV host memory encryption is active: VMCB and nested table addresses would need the C-bit, which mmulab does not set; boot with mem_encrypt=off\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* *cpu is the host save area's page. */
static int svm_cpu_enable(void **cpu)
{
	struct page *hsave = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u64 efer;

	if (!hsave)
		return -ENOMEM;
	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		__free_page(hsave);
		return -EBUSY;
	}
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(hsave));
	*cpu = hsave;
	return 0;
}

static void svm_cpu_disable(void *cpu)
{
	u64 efer;

	wrmsrl(MSR_VM_HSAVE_PA, 0);
	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
	__free_page(cpu);
}

/*
 * Nested walks have the host's depth (CR4.LA57 of the host), and core/mmu
 * builds 5-level tables above 48 bits: so 52 bits on a 5-level host and at
 * most 48 on a 4-level one.
 */
static u8 svm_tdp_maxphyaddr(u8 want)
{
	if (pgtable_l5_enabled())
		return 52;
	return min_t(u8, want, 48);
}

static void svm_vcpu_destroy(struct hv_vcpu *v)
{
	struct svm_hw *h = v->hw;

	if (!h)
		return;
	if (h->vmcb_page)
		__free_page(h->vmcb_page);
	if (h->iopm)
		__free_pages(h->iopm, IOPM_ORDER);
	if (h->msrpm)
		__free_pages(h->msrpm, MSRPM_ORDER);
	kfree(h);
	v->hw = NULL;
}

static int svm_vcpu_init(struct hv_vcpu *v)
{
	struct svm_hw *h = kzalloc(sizeof(*h), GFP_KERNEL);

	if (!h)
		return -ENOMEM;
	v->hw = h;
	h->vmcb_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	h->iopm = alloc_pages(GFP_KERNEL, IOPM_ORDER);
	h->msrpm = alloc_pages(GFP_KERNEL, MSRPM_ORDER);
	if (!h->vmcb_page || !h->iopm || !h->msrpm) {
		svm_vcpu_destroy(v);
		return -ENOMEM;
	}
	h->vmcb = page_address(h->vmcb_page);
	h->nrips = cpuid_edx(CPUID_SVM_LEAF) & CPUID_SVM_EDX_NRIPS;
	/* Every port and every MSR intercepted: the guest touches no hardware. */
	memset(page_address(h->iopm), 0xff, PAGE_SIZE << IOPM_ORDER);
	memset(page_address(h->msrpm), 0xff, PAGE_SIZE << MSRPM_ORDER);
	return 0;
}

static void vmcb_seg(void *vmcb, unsigned int off, const struct hv_seg *s)
{
	vmcb_set_seg(vmcb, off, s->sel, s->attr, s->limit, s->base);
}

/* The whole VMCB from v->state: control area, then the save area. */
static void svm_load_state(struct svm_hw *h, const struct hv_state *st)
{
	void *vmcb = h->vmcb;

	/* The whole page: after VMEXIT_INVALID QEMU has rewritten the save area. */
	memset(vmcb, 0, PAGE_SIZE);

	/* VMRUN must be intercepted, or VMRUN fails (VMEXIT_INVALID). */
	vmcb_w32(vmcb, VMCB_INTERCEPT_MISC1,
		 VMCB_MISC1_INTR | VMCB_MISC1_NMI | VMCB_MISC1_HLT |
		 VMCB_MISC1_IOIO_PROT | VMCB_MISC1_MSR_PROT | VMCB_MISC1_SHUTDOWN);
	vmcb_w32(vmcb, VMCB_INTERCEPT_MISC2, VMCB_MISC2_VMRUN | VMCB_MISC2_VMMCALL);
	vmcb_w32(vmcb, VMCB_INTERCEPT_EXC,
		 SVM_DIAG_EXCEPTIONS | (st->intercept_pf ? BIT(VECTOR_PF) : 0));
	vmcb_w64(vmcb, VMCB_IOPM_BASE_PA, page_to_phys(h->iopm));
	vmcb_w64(vmcb, VMCB_MSRPM_BASE_PA, page_to_phys(h->msrpm));
	vmcb_w32(vmcb, VMCB_ASID, SVM_ASID);
	/* Physical interrupts follow the host's RFLAGS.IF, not the guest's. */
	vmcb_w64(vmcb, VMCB_VINTR, VMCB_V_INTR_MASKING);
	vmcb_w64(vmcb, VMCB_NP_CTL, VMCB_NP_ENABLE);

	vmcb_seg(vmcb, VMCB_CS, &st->cs);
	vmcb_seg(vmcb, VMCB_SS, &st->ss);
	vmcb_seg(vmcb, VMCB_DS, &st->ds);
	vmcb_seg(vmcb, VMCB_ES, &st->es);
	vmcb_seg(vmcb, VMCB_FS, &st->fs);
	vmcb_seg(vmcb, VMCB_GS, &st->gs);
	vmcb_seg(vmcb, VMCB_TR, &st->tr);
	vmcb_seg(vmcb, VMCB_LDTR, &st->ldtr);
	vmcb_seg(vmcb, VMCB_GDTR, &st->gdtr);
	vmcb_seg(vmcb, VMCB_IDTR, &st->idtr);
	vmcb_w8(vmcb, VMCB_CPL, st->cpl);
	/* VMRUN does not derive LMA: the state carries it. */
	vmcb_w64(vmcb, VMCB_EFER, st->efer | EFER_SVME);
	vmcb_w64(vmcb, VMCB_CR0, st->cr0);
	vmcb_w64(vmcb, VMCB_CR3, st->cr3);
	vmcb_w64(vmcb, VMCB_CR4, st->cr4);
	vmcb_w64(vmcb, VMCB_DR6, GUEST_DR6);
	vmcb_w64(vmcb, VMCB_DR7, GUEST_DR7);
	vmcb_w64(vmcb, VMCB_G_PAT, GUEST_PAT);
}

/* EVENTINJ for an exception (APM 15.20), or 0: nothing to inject. */
static u64 svm_eventinj(const struct hv_event *ev)
{
	if (!ev->pending)
		return 0;
	return SVM_EVT_VALID | SVM_EVT_TYPE_EXCEPTION | ev->vector |
	       (ev->has_error_code ? SVM_EVT_EV | (u64)ev->error_code << SVM_EVT_ERROR_SHIFT : 0);
}

/*
 * EXITINTINFO as the exception whose delivery the exit interrupted (hv.h:
 * a software interrupt is run again, not injected); false for an external
 * interrupt or NMI.
 */
static bool svm_interrupted(u64 info, struct hv_event *ev)
{
	if (!(info & SVM_EVT_VALID) || (info & SVM_EVT_TYPE_MASK) == SVM_EVT_TYPE_SOFT_INT)
		return true;
	if ((info & SVM_EVT_TYPE_MASK) != SVM_EVT_TYPE_EXCEPTION)
		return false;
	*ev = (struct hv_event){
		.pending = true,
		.vector = info & SVM_EVT_VECTOR_MASK,
		.has_error_code = info & SVM_EVT_EV,
		.error_code = info >> SVM_EVT_ERROR_SHIFT,
	};
	return true;
}

/* The exit code as hv.h describes exits; VMMCALL's RIP advanced past it. */
static void svm_decode_exit(struct hv_vcpu *v, struct hv_exit *e)
{
	struct svm_hw *h = v->hw;
	const void *vmcb = h->vmcb;
	u64 code = vmcb_r64(vmcb, VMCB_EXITCODE);
	u64 info1 = vmcb_r64(vmcb, VMCB_EXITINFO1);

	memset(e, 0, sizeof(*e));
	e->raw = code;
	if ((u32)code == SVM_EXIT_INVALID_LOW) {
		e->reason = HV_EXIT_INVALID;
		return;
	}
	if (!svm_interrupted(vmcb_r64(vmcb, VMCB_EXITINTINFO), &e->interrupted)) {
		e->reason = HV_EXIT_OTHER;	/* an interrupt or NMI in delivery: the guest takes none */
		return;
	}
	switch (code) {
	case SVM_EXIT_NPF:
		e->reason = HV_EXIT_TDP;
		e->gpa = vmcb_r64(vmcb, VMCB_EXITINFO2);
		e->write = info1 & SVM_NPF_W;
		e->fetch = info1 & SVM_NPF_ID;
		e->present = info1 & SVM_NPF_P;
		e->misconfig = info1 & SVM_NPF_RSVD;
		e->guest_table = info1 & SVM_NPF_GUEST_TABLE;
		return;
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
		e->reason = HV_EXIT_INTR;
		return;
	case SVM_EXIT_VMMCALL:
		/* Resume after the VMMCALL next time (QEMU has no NRIPS). */
		v->regs.rip = h->nrips && vmcb_r64(vmcb, VMCB_NEXT_RIP) ?
			vmcb_r64(vmcb, VMCB_NEXT_RIP) : v->regs.rip + SVM_VMMCALL_LEN;
		e->reason = HV_EXIT_HYPERCALL;
		return;
	case SVM_EXIT_SHUTDOWN:
		e->reason = HV_EXIT_SHUTDOWN;
		return;
	}
	if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32) {
		e->reason = HV_EXIT_EXCEPTION;
		e->vector = code - SVM_EXIT_EXCP_BASE;
		e->error_code = (u32)info1;
		e->cr2 = vmcb_r64(vmcb, VMCB_EXITINFO2);
		return;
	}
	e->reason = HV_EXIT_OTHER;
}

/*
 * One VMRUN.  GIF=0 from clgi to stgi holds off interrupts and NMIs; sti
 * before VMRUN makes the host's RFLAGS.IF 1, so with V_INTR_MASKING a
 * physical interrupt in the guest is an INTR exit, and the host takes it
 * at stgi + local_irq_enable.
 */
static void svm_enter(struct hv_vcpu *v, const struct hv_tdp *tdp, bool flush,
		      struct hv_exit *e)
{
	struct svm_hw *h = v->hw;
	void *vmcb = h->vmcb;
	bool pk = v->state.pkru_switch && hv_host_pku();
	unsigned long dr7;
	u32 host_pkru = 0;

	if (v->state_dirty) {
		svm_load_state(h, &v->state);
		v->state_dirty = false;
	}
	vmcb_w64(vmcb, VMCB_NCR3, tdp->root);
	vmcb_w64(vmcb, VMCB_EVENTINJ, svm_eventinj(&v->event));
	v->event.pending = false;
	vmcb_w8(vmcb, VMCB_TLB_CONTROL, flush ? VMCB_TLB_FLUSH_ALL : VMCB_TLB_NOTHING);
	vmcb_w32(vmcb, VMCB_CLEAN, 0);
	vmcb_w64(vmcb, VMCB_RAX, v->regs.rax);
	vmcb_w64(vmcb, VMCB_RSP, v->regs.rsp);
	vmcb_w64(vmcb, VMCB_RIP, v->regs.rip);
	vmcb_w64(vmcb, VMCB_RFLAGS, v->regs.rflags);
	vmcb_w64(vmcb, VMCB_CR2, v->regs.cr2);

	get_debugreg(dr7, 7);
	local_irq_disable();
	asm volatile("clgi" ::: "memory");
	/* VMRUN leaves PKRU alone: the guest runs with what is loaded. */
	if (pk) {
		host_pkru = rdpkru();
		wrpkru(v->state.pkru);
	}
	asm volatile("sti" ::: "memory");
	mmulab_svm_vmrun(page_to_phys(h->vmcb_page), &v->regs);
	asm volatile("cli" ::: "memory");
	if (pk) {
		v->state.pkru = rdpkru();
		wrpkru(host_pkru);
	}
	asm volatile("stgi" ::: "memory");
	/* #VMEXIT leaves the host's breakpoints disabled (DR7). */
	if (dr7 & ~GUEST_DR7)
		set_debugreg(dr7, 7);
	local_irq_enable();

	v->regs.rax = vmcb_r64(vmcb, VMCB_RAX);
	v->regs.rsp = vmcb_r64(vmcb, VMCB_RSP);
	v->regs.rip = vmcb_r64(vmcb, VMCB_RIP);
	v->regs.rflags = vmcb_r64(vmcb, VMCB_RFLAGS);
	v->regs.cr2 = vmcb_r64(vmcb, VMCB_CR2);
	svm_decode_exit(v, e);
}

/* Nothing stays loaded on the CPU between runs: VMRUN takes the VMCB's address each time. */
static void svm_vcpu_put(struct hv_vcpu *v)
{
}

static void svm_dump(const struct hv_vcpu *v, const char *why)
{
	const struct svm_hw *h = v->hw;
	const void *vmcb = h->vmcb;

	pr_err("%s: exitcode=%#llx exitinfo1=%#llx exitinfo2=%#llx exitintinfo=%#llx\n", why,
	       vmcb_r64(vmcb, VMCB_EXITCODE), vmcb_r64(vmcb, VMCB_EXITINFO1),
	       vmcb_r64(vmcb, VMCB_EXITINFO2), vmcb_r64(vmcb, VMCB_EXITINTINFO));
	pr_err("  rip=%#llx rsp=%#llx rax=%#llx rflags=%#llx cr2=%#llx\n",
	       vmcb_r64(vmcb, VMCB_RIP), vmcb_r64(vmcb, VMCB_RSP), vmcb_r64(vmcb, VMCB_RAX),
	       vmcb_r64(vmcb, VMCB_RFLAGS), vmcb_r64(vmcb, VMCB_CR2));
	pr_err("  cr0=%#llx cr3=%#llx cr4=%#llx efer=%#llx cs=%#x/%#x ss=%#x/%#x\n",
	       vmcb_r64(vmcb, VMCB_CR0), vmcb_r64(vmcb, VMCB_CR3), vmcb_r64(vmcb, VMCB_CR4),
	       vmcb_r64(vmcb, VMCB_EFER), vmcb_r16(vmcb, VMCB_CS + VMCB_SEG_SEL),
	       vmcb_r16(vmcb, VMCB_CS + VMCB_SEG_ATTRIB), vmcb_r16(vmcb, VMCB_SS + VMCB_SEG_SEL),
	       vmcb_r16(vmcb, VMCB_SS + VMCB_SEG_ATTRIB));
	pr_err("  ncr3=%#llx np_ctl=%#llx asid=%u intercepts=%#x/%#x/%#x\n",
	       vmcb_r64(vmcb, VMCB_NCR3), vmcb_r64(vmcb, VMCB_NP_CTL), vmcb_r32(vmcb, VMCB_ASID),
	       vmcb_r32(vmcb, VMCB_INTERCEPT_EXC), vmcb_r32(vmcb, VMCB_INTERCEPT_MISC1),
	       vmcb_r32(vmcb, VMCB_INTERCEPT_MISC2));
}

const struct hv_ops svm_ops = {
	.name = "svm",
	.ept = false,
	.hypercall = { 0x0f, 0x01, 0xd9 },	/* VMMCALL */
	.probe = svm_probe,
	.cpu_enable = svm_cpu_enable,
	.cpu_disable = svm_cpu_disable,
	.vcpu_init = svm_vcpu_init,
	.vcpu_destroy = svm_vcpu_destroy,
	.enter = svm_enter,
	.vcpu_put = svm_vcpu_put,
	.dump = svm_dump,
	.tdp_maxphyaddr = svm_tdp_maxphyaddr,
};
