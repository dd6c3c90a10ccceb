// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/svm/svm.c — AMD SVM with nested paging (AMD APM vol. 2, ch. 15).
 *
 * The flow of one run (svm_vcpu_run):
 *
 *   mmu_load -> nCR3 = mmu_current_root -> TLB_CONTROL (first run, or the
 *   MMU asked for a remote flush) -> clgi; sti; VMRUN ... #VMEXIT; cli;
 *   stgi -> exit code:
 *     #NPF (0x400)      EXITINFO1/2 -> struct mmu_fault -> mmu_page_fault,
 *                       re-enter (the CPU re-executes the access)
 *     INTR/NMI          re-enter (the host took the interrupt at stgi)
 *     VMMCALL           the batch is done: return
 *     anything else     an error, with the VMCB printed
 *
 * This file is the hardware side (kernel headers, no core headers: their
 * bit macros clash); svm_run.c is the MMU side of the loop.
 *
 * Deliberately minimal: no VMLOAD/VMSAVE (the guest never loads FS, GS,
 * TR, LDTR or the syscall MSRs, so it runs with the host's, which VMRUN
 * does not touch), no clean bits, no FPU switch (the guest uses no FPU).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": svm: " fmt

#include <linux/cc_platform.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/special_insns.h>

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

/*
 * Guest entry state (hw-testing.md, pitfall 8; APM 15.5.1 for the checks
 * VMRUN makes).  CR0/CR3/CR4/EFER come from struct svm_guest (the guest's
 * own long mode, or a scenario's); EFER gets SVME here, and must carry
 * LMA itself: VMRUN does not derive it.
 */
#define GUEST_CS_ATTR		0xa9b		/* G L P S, type code exec/read accessed */
#define GUEST_DS_ATTR		0xc93		/* G D/B P S, type data read/write accessed */
#define GUEST_TR_ATTR		0x08b		/* P, busy 64-bit TSS (VMRUN does not load TR) */
#define GUEST_DR6		0xffff0ff0ULL
#define GUEST_DR7		0x400ULL
#define GUEST_RFLAGS		0x2ULL
#define GUEST_PAT		0x0007040600070406ULL	/* the reset value */

extern void mmulab_svm_vmrun(u64 vmcb_pa, struct svm_gprs *gprs);

int svm_probe(struct svm_caps *caps)
{
	u64 vm_cr, efer;
	u32 edx;

	if (cpuid_eax(CPUID_EXT_MAX) < CPUID_SVM_LEAF ||
	    !(cpuid_ecx(CPUID_EXT_FEATURES) & CPUID_ECX_SVM)) {
		pr_info("this CPU has no AMD SVM (AMD-V)\n");
		return -ENODEV;
	}
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
	caps->nr_asids = cpuid_ebx(CPUID_SVM_LEAF);
	caps->nrips = edx & CPUID_SVM_EDX_NRIPS;
	if (caps->nr_asids <= SVM_ASID) {
		pr_err("only %u ASID(s): need ASID %u\n", caps->nr_asids, SVM_ASID);
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

int svm_cpu_enable(struct svm_cpu *c)
{
	u64 efer;

	c->hsave = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!c->hsave)
		return -ENOMEM;
	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		__free_page(c->hsave);
		c->hsave = NULL;
		return -EBUSY;
	}
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(c->hsave));
	return 0;
}

void svm_cpu_disable(struct svm_cpu *c)
{
	u64 efer;

	if (!c->hsave)
		return;
	wrmsrl(MSR_VM_HSAVE_PA, 0);
	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
	__free_page(c->hsave);
	c->hsave = NULL;
}

u8 svm_tdp_maxphyaddr(void)
{
	/*
	 * core/mmu has no "levels" knob: mmu_vm_create builds 5-level TDP
	 * tables when the VM's MAXPHYADDR is above 48, 4-level otherwise.
	 * The nested walk has the host's depth (CR4.LA57 of the host), so
	 * tell the VM 52 bits on a 5-level host and at most 48 on a 4-level
	 * one.  The tiny guest never asks CPUID, so nothing sees the value
	 * except the MMU (and the VM's limit on memslot addresses).
	 */
	if (pgtable_l5_enabled())
		return 52;
	return clamp_t(u8, boot_cpu_data.x86_phys_bits, 36, 48);
}

int svm_vcpu_init(struct svm_vcpu *sv, const struct svm_caps *caps)
{
	memset(sv, 0, sizeof(*sv));
	sv->caps = *caps;
	sv->vmcb_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	sv->iopm = alloc_pages(GFP_KERNEL, IOPM_ORDER);
	sv->msrpm = alloc_pages(GFP_KERNEL, MSRPM_ORDER);
	if (!sv->vmcb_page || !sv->iopm || !sv->msrpm) {
		svm_vcpu_destroy(sv);
		return -ENOMEM;
	}
	sv->vmcb = page_address(sv->vmcb_page);
	/* Every port and every MSR intercepted: the guest touches no hardware. */
	memset(page_address(sv->iopm), 0xff, PAGE_SIZE << IOPM_ORDER);
	memset(page_address(sv->msrpm), 0xff, PAGE_SIZE << MSRPM_ORDER);
	return 0;
}

void svm_vcpu_destroy(struct svm_vcpu *sv)
{
	if (sv->vmcb_page)
		__free_page(sv->vmcb_page);
	if (sv->iopm)
		__free_pages(sv->iopm, IOPM_ORDER);
	if (sv->msrpm)
		__free_pages(sv->msrpm, MSRPM_ORDER);
	sv->vmcb_page = sv->iopm = sv->msrpm = NULL;
	sv->vmcb = NULL;
}

void svm_vcpu_reset(struct svm_vcpu *sv, struct vcpu *vcpu, const struct svm_guest *g)
{
	void *vmcb = sv->vmcb;

	sv->vcpu = vcpu;
	/* The whole page: after VMEXIT_INVALID QEMU has rewritten the save area. */
	memset(vmcb, 0, PAGE_SIZE);

	/* Control area.  VMRUN must be intercepted or VMRUN fails (VMEXIT_INVALID). */
	vmcb_w32(vmcb, VMCB_INTERCEPT_MISC1,
		 VMCB_MISC1_INTR | VMCB_MISC1_NMI | VMCB_MISC1_HLT |
		 VMCB_MISC1_IOIO_PROT | VMCB_MISC1_MSR_PROT | VMCB_MISC1_SHUTDOWN);
	vmcb_w32(vmcb, VMCB_INTERCEPT_MISC2, VMCB_MISC2_VMRUN | VMCB_MISC2_VMMCALL);
	/*
	 * Diagnostics: the guest's IDT handles only #PF, so #UD, #DF and #GP
	 * would end in a triple fault; intercepted, they are reported with
	 * their error code instead.  #PF is the guest's own (guest_code.S).
	 */
	vmcb_w32(vmcb, VMCB_INTERCEPT_EXC, BIT(6) | BIT(8) | BIT(13));
	vmcb_w64(vmcb, VMCB_IOPM_BASE_PA, page_to_phys(sv->iopm));
	vmcb_w64(vmcb, VMCB_MSRPM_BASE_PA, page_to_phys(sv->msrpm));
	vmcb_w32(vmcb, VMCB_ASID, SVM_ASID);
	/* Physical interrupts follow the host's RFLAGS.IF, not the guest's. */
	vmcb_w64(vmcb, VMCB_VINTR, VMCB_V_INTR_MASKING);
	vmcb_w64(vmcb, VMCB_NP_CTL, VMCB_NP_ENABLE);

	/* Guest state: 64-bit mode, CPL 0, flat segments (guest.h). */
	vmcb_set_seg(vmcb, VMCB_CS, SVM_GUEST_CS, GUEST_CS_ATTR, 0xffffffff, 0);
	vmcb_set_seg(vmcb, VMCB_DS, SVM_GUEST_DS, GUEST_DS_ATTR, 0xffffffff, 0);
	vmcb_set_seg(vmcb, VMCB_ES, SVM_GUEST_DS, GUEST_DS_ATTR, 0xffffffff, 0);
	vmcb_set_seg(vmcb, VMCB_SS, SVM_GUEST_DS, GUEST_DS_ATTR, 0xffffffff, 0);
	vmcb_set_seg(vmcb, VMCB_FS, SVM_GUEST_DS, GUEST_DS_ATTR, 0xffffffff, 0);
	vmcb_set_seg(vmcb, VMCB_GS, SVM_GUEST_DS, GUEST_DS_ATTR, 0xffffffff, 0);
	vmcb_set_seg(vmcb, VMCB_GDTR, 0, 0, g->gdt_limit, g->gdt);
	vmcb_set_seg(vmcb, VMCB_IDTR, 0, 0, g->idt_limit, g->idt);
	vmcb_set_seg(vmcb, VMCB_LDTR, 0, 0, 0, 0);
	vmcb_set_seg(vmcb, VMCB_TR, 0, GUEST_TR_ATTR, 0x67, 0);
	vmcb_w8(vmcb, VMCB_CPL, 0);
	vmcb_w64(vmcb, VMCB_EFER, g->efer | EFER_SVME);
	vmcb_w64(vmcb, VMCB_CR0, g->cr0);
	vmcb_w64(vmcb, VMCB_CR3, g->cr3);
	vmcb_w64(vmcb, VMCB_CR4, g->cr4);
	vmcb_w64(vmcb, VMCB_DR6, GUEST_DR6);
	vmcb_w64(vmcb, VMCB_DR7, GUEST_DR7);
	vmcb_w64(vmcb, VMCB_RFLAGS, GUEST_RFLAGS);
	vmcb_w64(vmcb, VMCB_RIP, g->rip);
	vmcb_w64(vmcb, VMCB_RSP, g->rsp);
	vmcb_w64(vmcb, VMCB_RAX, 0);
	vmcb_w64(vmcb, VMCB_G_PAT, GUEST_PAT);

	memset(&sv->gprs, 0, sizeof(sv->gprs));
	sv->gprs.rdi = g->mbox;
	sv->first_run = true;
	sv->flush_pending = false;
	sv->user = false;
	sv->pf = false;
	sv->fetch = false;
	sv->fetched = false;
	sv->pkru_switch = false;
	sv->gp_ok = false;
	sv->gp = false;
}

#define GUEST_USER_CS_ATTR	0xafb	/* as GUEST_CS_ATTR, DPL 3 */
#define GUEST_USER_DS_ATTR	0xcf3	/* as GUEST_DS_ATTR, DPL 3 */
#define RFLAGS_AC		BIT(18)

static void svm_vcpu_cpl3(void *vmcb)
{
	vmcb_set_seg(vmcb, VMCB_CS, SVM_GUEST_USER_CS, GUEST_USER_CS_ATTR, 0xffffffff, 0);
	vmcb_set_seg(vmcb, VMCB_DS, SVM_GUEST_USER_DS, GUEST_USER_DS_ATTR, 0xffffffff, 0);
	vmcb_set_seg(vmcb, VMCB_ES, SVM_GUEST_USER_DS, GUEST_USER_DS_ATTR, 0xffffffff, 0);
	vmcb_set_seg(vmcb, VMCB_SS, SVM_GUEST_USER_DS, GUEST_USER_DS_ATTR, 0xffffffff, 0);
	vmcb_w8(vmcb, VMCB_CPL, 3);
}

void svm_vcpu_set_fetch(struct svm_vcpu *sv, u8 cpl, u64 addr, bool ac)
{
	void *vmcb = sv->vmcb;

	if (cpl == 3)
		svm_vcpu_cpl3(vmcb);
	vmcb_w64(vmcb, VMCB_RIP, addr);
	vmcb_w64(vmcb, VMCB_RFLAGS, GUEST_RFLAGS | (ac ? RFLAGS_AC : 0));
	vmcb_w32(vmcb, VMCB_INTERCEPT_EXC, vmcb_r32(vmcb, VMCB_INTERCEPT_EXC) | BIT(14));
	sv->user = false;
	sv->fetch = true;
	sv->fetched = false;
	sv->pf = false;
}

void svm_vcpu_set_user(struct svm_vcpu *sv, const struct svm_guest *g, u32 op, u32 bytes,
		       u64 addr, u64 value, bool ac)
{
	void *vmcb = sv->vmcb;

	svm_vcpu_cpl3(vmcb);
	vmcb_w64(vmcb, VMCB_RIP, g->user_rip);
	vmcb_w64(vmcb, VMCB_RAX, value);
	vmcb_w64(vmcb, VMCB_RFLAGS, GUEST_RFLAGS | (ac ? RFLAGS_AC : 0));
	/* #PF too: the stub's faults come to the host, never to the guest's IDT. */
	vmcb_w32(vmcb, VMCB_INTERCEPT_EXC, vmcb_r32(vmcb, VMCB_INTERCEPT_EXC) | BIT(14));
	sv->gprs.r8 = bytes;
	sv->gprs.r9 = addr;
	sv->gprs.r10 = op;
	sv->user = true;
	sv->pf = false;
}

u64 svm_vcpu_rax(const struct svm_vcpu *sv)
{
	return vmcb_r64(sv->vmcb, VMCB_RAX);
}

void svm_flush_remote(void *opaque)
{
	struct svm_vcpu *sv = opaque;

	/* Taken by the next VMRUN: TLB_CONTROL flushes before the guest runs. */
	WRITE_ONCE(sv->flush_pending, true);
}

void svm_dump(const struct svm_vcpu *sv, const char *why)
{
	const void *v = sv->vmcb;

	pr_err("%s: exitcode=%#llx exitinfo1=%#llx exitinfo2=%#llx exitintinfo=%#llx\n", why,
	       vmcb_r64(v, VMCB_EXITCODE), vmcb_r64(v, VMCB_EXITINFO1),
	       vmcb_r64(v, VMCB_EXITINFO2), vmcb_r64(v, VMCB_EXITINTINFO));
	pr_err("  rip=%#llx rsp=%#llx rax=%#llx rflags=%#llx cr2=%#llx\n",
	       vmcb_r64(v, VMCB_RIP), vmcb_r64(v, VMCB_RSP), vmcb_r64(v, VMCB_RAX),
	       vmcb_r64(v, VMCB_RFLAGS), vmcb_r64(v, VMCB_CR2));
	pr_err("  cr0=%#llx cr3=%#llx cr4=%#llx efer=%#llx cs=%#x/%#x ss=%#x/%#x\n",
	       vmcb_r64(v, VMCB_CR0), vmcb_r64(v, VMCB_CR3), vmcb_r64(v, VMCB_CR4),
	       vmcb_r64(v, VMCB_EFER), vmcb_r16(v, VMCB_CS + VMCB_SEG_SEL),
	       vmcb_r16(v, VMCB_CS + VMCB_SEG_ATTRIB), vmcb_r16(v, VMCB_SS + VMCB_SEG_SEL),
	       vmcb_r16(v, VMCB_SS + VMCB_SEG_ATTRIB));
	pr_err("  ncr3=%#llx np_ctl=%#llx asid=%u intercepts=%#x/%#x/%#x\n",
	       vmcb_r64(v, VMCB_NCR3), vmcb_r64(v, VMCB_NP_CTL), vmcb_r32(v, VMCB_ASID),
	       vmcb_r32(v, VMCB_INTERCEPT_EXC), vmcb_r32(v, VMCB_INTERCEPT_MISC1),
	       vmcb_r32(v, VMCB_INTERCEPT_MISC2));
}

/*
 * One VMRUN.  GIF=0 from clgi to stgi holds off interrupts and NMIs; sti
 * before VMRUN makes the host's RFLAGS.IF 1, so with V_INTR_MASKING a
 * physical interrupt in the guest is an INTR exit, and the host takes it
 * at stgi + local_irq_enable.
 */
void svm_enter(struct svm_vcpu *sv)
{
	bool pk = sv->pkru_switch && svm_host_pku();
	unsigned long dr7;
	u32 host_pkru = 0;

	get_debugreg(dr7, 7);
	local_irq_disable();
	asm volatile("clgi" ::: "memory");
	/* VMRUN leaves PKRU alone: the guest runs with what is loaded. */
	if (pk) {
		host_pkru = rdpkru();
		wrpkru(sv->pkru);
	}
	asm volatile("sti" ::: "memory");
	mmulab_svm_vmrun(page_to_phys(sv->vmcb_page), &sv->gprs);
	asm volatile("cli" ::: "memory");
	if (pk) {
		sv->pkru = rdpkru();
		wrpkru(host_pkru);
	}
	asm volatile("stgi" ::: "memory");
	/* #VMEXIT leaves the host's breakpoints disabled (DR7). */
	if (dr7 & ~GUEST_DR7)
		set_debugreg(dr7, 7);
	local_irq_enable();
}

bool svm_host_pku(void)
{
	return cpu_feature_enabled(X86_FEATURE_OSPKE);
}

bool svm_cpu_la57(void)
{
	return boot_cpu_has(X86_FEATURE_LA57);
}

void svm_resched(void)
{
	cond_resched();
}

struct svm_on_cpu_work {
	int (*fn)(const struct svm_caps *caps, void *arg);
	void *arg;
};

static long svm_on_cpu_fn(void *p)
{
	struct svm_on_cpu_work *w = p;
	struct svm_caps caps;
	struct svm_cpu cpu = { NULL };
	int ret;

	ret = svm_probe(&caps);
	if (ret)
		return ret;
	ret = svm_cpu_enable(&cpu);
	if (ret)
		return ret;
	ret = w->fn(&caps, w->arg);
	svm_cpu_disable(&cpu);
	return ret;
}

int svm_on_cpu(int (*fn)(const struct svm_caps *caps, void *arg), void *arg)
{
	struct svm_on_cpu_work w = { .fn = fn, .arg = arg };

	return (int)work_on_cpu(cpumask_first(cpu_online_mask), svm_on_cpu_fn, &w);
}

/* ---- the module-load self-test ---------------------------------------------- */

#define ST_LINE KBUILD_MODNAME ": svm selftest "

struct st_work {
	struct svm_caps caps;
	struct svm_cpu cpu;
	struct svm_vcpu sv;
	char why[200];
};

/* Runs on one CPU (work_on_cpu): SVME and the host save area are per CPU. */
static long st_work(void *arg)
{
	struct st_work *w = arg;
	int ret;

	ret = svm_probe(&w->caps);
	if (ret == -ENODEV) {
		printk(KERN_INFO ST_LINE "SKIP (no SVM)\n");
		return 0;
	}
	if (ret == -EBUSY) {
		printk(KERN_INFO ST_LINE "SKIP (SVM held by another hypervisor, see above)\n");
		return 0;
	}
	if (ret) {
		printk(KERN_INFO ST_LINE "SKIP (SVM not usable here: %d, see above)\n", ret);
		return 0;
	}
	ret = svm_vcpu_init(&w->sv, &w->caps);
	if (ret) {
		printk(KERN_ERR ST_LINE "FAIL (allocating the VMCB: %d)\n", ret);
		return 0;
	}
	ret = svm_cpu_enable(&w->cpu);
	if (ret) {
		svm_vcpu_destroy(&w->sv);
		printk(KERN_ERR ST_LINE "FAIL (enabling SVM: %d)\n", ret);
		return 0;
	}
	ret = svm_selftest_run(&w->sv, boot_cpu_has(X86_FEATURE_GBPAGES), w->why,
			       sizeof(w->why));
	svm_cpu_disable(&w->cpu);
	svm_vcpu_destroy(&w->sv);
	if (ret)
		printk(KERN_ERR ST_LINE "FAIL %s\n", w->why);
	else
		printk(KERN_INFO ST_LINE "PASS %s\n", w->why);
	return 0;
}

void svm_selftest(void)
{
	struct st_work *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w) {
		printk(KERN_ERR ST_LINE "FAIL (out of memory)\n");
		return;
	}
	work_on_cpu(cpumask_first(cpu_online_mask), st_work, w);
	kfree(w);
}
