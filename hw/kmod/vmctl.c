// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmctl.c — the /dev/mmulab ioctls on kernel memory: validate a
 * request field by field, then do it with core/vm (which passes every
 * change on to the VM's MMU).
 *
 * This file includes core headers and no kernel header but <linux/errno.h>
 * (core's bits.h and the kernel both define PAGE_SHIFT and BIT_ULL); the
 * user copies are dev.c's.  Callers serialize calls on one VM (vmctl.h).
 *
 * Core reports MMU_E* codes; user space gets errnos.  Where core's code
 * is too coarse (it says MMU_EINVAL for a slot id in use and for one that
 * does not exist), the check is made here first so the errno says which.
 */
#include <linux/errno.h>

#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/platform.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/kmod/kmod_backends.h"
#include "hw/kmod/svm/guest.h"
#include "hw/kmod/svm/svm.h"
#include "hw/kmod/vmctl.h"

/* The uapi's values are core's, so requests pass through unconverted. */
_Static_assert(MMULAB_SLOT_READONLY == MEMSLOT_READONLY, "slot flag");
_Static_assert(MMULAB_SLOT_DIRTY_LOG == MEMSLOT_DIRTY_LOG, "slot flag");
_Static_assert(MMULAB_LEVEL_4K == MMU_LEVEL_4K && MMULAB_LEVEL_2M == MMU_LEVEL_2M &&
	       MMULAB_LEVEL_1G == MMU_LEVEL_1G, "levels");
_Static_assert(MMULAB_ACCESS_READ == ACCESS_READ && MMULAB_ACCESS_WRITE == ACCESS_WRITE &&
	       MMULAB_ACCESS_FETCH == ACCESS_FETCH, "access kinds");
_Static_assert(MMULAB_FAULT_FIXED == MMU_FAULT_FIXED &&
	       MMULAB_FAULT_SPURIOUS == MMU_FAULT_SPURIOUS &&
	       MMULAB_FAULT_RETRY == MMU_FAULT_RETRY && MMULAB_FAULT_MMIO == MMU_FAULT_MMIO,
	       "fault outcomes");
_Static_assert(MMULAB_REG_CR0 == REG_CR0 && MMULAB_REG_CR3 == REG_CR3 &&
	       MMULAB_REG_CR4 == REG_CR4 && MMULAB_REG_EFER == REG_EFER &&
	       MMULAB_REG_PKRU == REG_PKRU && MMULAB_REG_CPL == REG_CPL &&
	       MMULAB_REG_EFLAGS_AC == REG_EFLAGS_AC, "registers");
_Static_assert(sizeof(struct mmulab_set_reg) == 24, "ABI");
_Static_assert(sizeof(struct mmulab_host) == 32, "ABI");
_Static_assert(MMULAB_HOST_RECLAIM == HOST_RECLAIM && MMULAB_HOST_REMAP == HOST_REMAP &&
	       MMULAB_HOST_READONLY == HOST_READONLY, "host changes");
_Static_assert(MMULAB_MAX_MEMSLOTS == VM_MAX_MEMSLOTS, "memslots");
_Static_assert(MMULAB_MAX_VCPUS == VM_MAX_VCPUS, "vCPUs");
_Static_assert(MMULAB_TRACE_MAX <= MMU_TRACE_RING, "trace ring");
/* The ABI: no implicit padding anywhere (checked where the sizes are summed by hand). */
_Static_assert(sizeof(struct mmulab_vm_create) == 72, "ABI");
_Static_assert(sizeof(struct mmulab_memslot) == 32, "ABI");
_Static_assert(sizeof(struct mmulab_vcpu_create) == 48, "ABI");
_Static_assert(sizeof(struct mmulab_access) == 48, "ABI");
_Static_assert(sizeof(struct mmulab_run) == 32, "ABI");
_Static_assert(sizeof(struct mmulab_fault) == 32, "ABI");
_Static_assert(sizeof(struct mmulab_stats) == 24, "ABI");
_Static_assert(sizeof(struct mmulab_trace_event) == 40, "ABI");
_Static_assert(sizeof(struct mmulab_trace) == 32, "ABI");
_Static_assert(sizeof(struct mmulab_dirty_log) == 32, "ABI");
_Static_assert(sizeof(struct mmulab_dirty_clear) == 24, "ABI");

#define BITS_PER_WORD 64
/* A 4-level nested table maps 48 bits of guest-physical space (core/mmu/mmu.c). */
#define VMCTL_NPT_4LEVEL_BITS 48
/* Exits one batch may take before the run is given up (-E2BIG). */
#define VMCTL_RUN_MAX_EXITS 100000
/* Trace events converted per round: stays well inside the 2 KiB frame limit. */
#define TRACE_CHUNK 16

struct vmctl_vm {
	struct vm *vm;                         /* core/vm's VM; vm->mmu is never NULL */
	const struct mmu_backend_ops *backend; /* from the module's list; fixed */
	/*
	 * Remote TLB flushes the MMU asked for; atomic (the MMU asks under its
	 * lock, from any vCPU).  No guest CPU runs yet, so a flush has nothing
	 * to do; the world switch will compare it with what each vCPU last saw
	 * and flush (TLB_CONTROL / INVEPT) on its next entry.
	 */
	volatile uint64_t tlb_flush_reqs;
	bool npt;                              /* MMULAB_LAYOUT_NPT: runs on SVM */
	/* The SVM side, made at the first MMULAB_RUN (svm/guest.h: the reserved region). */
	bool guest_placed;                     /* slot SVM_RSV_SLOT exists, guest written */
	struct svm_guest guest;
	struct svm_cmd_buf *cmds;              /* one mailbox of commands */
	struct svm_vcpu *sv[MMULAB_MAX_VCPUS]; /* by vCPU id, NULL until it first runs */
	struct svm_run_stats svm_stats;        /* exits over the VM's life */
};

struct svm_cmd_buf {
	struct svm_guest_cmd c[SVM_MBOX_MAX_CMDS];
};

/* MMU_E* to errno.  Unknown codes are the module's bug, said as -EIO. */
static int vmctl_errno(int err)
{
	switch (err) {
	case MMU_OK:
		return 0;
	case MMU_ENOMEM:
		return -ENOMEM;
	case MMU_EINVAL:
	case MMU_EMODE:
		return -EINVAL;
	case MMU_ENOSLOT:
		return -ENXIO;     /* a gpa no memslot covers */
	case MMU_ERANGE:
		return -ERANGE;    /* beyond the guest's MAXPHYADDR */
	case MMU_EOVERLAP:
	case MMU_ECONFLICT:
		return -EEXIST;
	case MMU_EREADONLY:
		return -EPERM;
	case MMU_ENOVCPU:
		return -ENOENT;
	case MMU_EUNSUPPORTED:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

/* Called under the MMU lock: must not sleep. */
static void vmctl_flush(void *opaque)
{
	struct vmctl_vm *v = opaque;
	unsigned int i;

	plat_atomic_add64(&v->tlb_flush_reqs, 1);
	/* Each SVM vCPU flushes its TLB (TLB_CONTROL) on its next VMRUN. */
	for (i = 0; i < MMULAB_MAX_VCPUS; i++)
		if (v->sv[i])
			svm_flush_remote(v->sv[i]);
}

__u64 vmctl_tlb_flush_reqs(struct vmctl_vm *v)
{
	return plat_atomic_read64(&v->tlb_flush_reqs);
}

/* ---- the VM ----------------------------------------------------------------------------- */

static bool zeroed(const __u64 *w, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (w[i])
			return false;
	return true;
}

/* The backend named in a fixed array: NUL-terminated inside it, and known. */
static int vmctl_backend(const char *name, const struct mmu_backend_ops **ops)
{
	unsigned int i;

	for (i = 0; i < MMULAB_BACKEND_NAME_MAX && name[i]; i++)
		;
	if (i == 0 || i == MMULAB_BACKEND_NAME_MAX)
		return -EINVAL;
	*ops = kmod_backend_by_name(name);
	return *ops ? 0 : -ENOENT;
}

static int vmctl_vm_config(const struct mmulab_vm_create *req, struct mmu_config *cfg)
{
	if (req->api_version != MMULAB_API_VERSION)
		return -EPROTO;
	if ((req->flags & ~MMULAB_VM_FLAGS) || req->pad ||
	    !zeroed(req->reserved, sizeof(req->reserved) / sizeof(req->reserved[0])))
		return -EINVAL;
	if (req->maxphyaddr < MAXPHYADDR_MIN || req->maxphyaddr > PT64_MAX_PHYS_BITS)
		return -EINVAL;
	if (req->layout != MMULAB_LAYOUT_EPT && req->layout != MMULAB_LAYOUT_NPT)
		return -EINVAL;
	if (req->dirty_mode != MMULAB_DIRTY_WRPROT && req->dirty_mode != MMULAB_DIRTY_DBIT)
		return -EINVAL;
	/* EPTP A/D is an EPT setting; D-bit logging needs D bits to read. */
	if ((req->flags & MMULAB_VM_EPT_AD) && req->layout != MMULAB_LAYOUT_EPT)
		return -EINVAL;
	if (req->dirty_mode == MMULAB_DIRTY_DBIT && req->layout == MMULAB_LAYOUT_EPT &&
	    !(req->flags & MMULAB_VM_EPT_AD))
		return -EINVAL;
	*cfg = (struct mmu_config){
		.layout = req->layout == MMULAB_LAYOUT_EPT ? SPTE_LAYOUT_EPT : SPTE_LAYOUT_NPT,
		.ept_ad = req->flags & MMULAB_VM_EPT_AD,
		.dirty_mode = req->dirty_mode == MMULAB_DIRTY_DBIT ? MMU_DIRTY_DBIT
								    : MMU_DIRTY_WRPROT,
		.eager_split = req->flags & MMULAB_VM_EAGER_SPLIT,
		.maxphyaddr = (uint8_t)req->maxphyaddr,
		.gbpages = req->flags & MMULAB_VM_GBPAGES,
		.trace = req->flags & MMULAB_VM_TRACE,
	};
	return 0;
}

int vmctl_vm_create(const struct mmulab_vm_create *req, struct vmctl_vm **out)
{
	struct x86_cpu_features feat;
	const struct mmu_backend_ops *ops;
	struct mmu_config cfg;
	struct vmctl_vm *v;
	int ret;

	ret = vmctl_vm_config(req, &cfg);
	if (ret)
		return ret;
	ret = vmctl_backend(req->backend, &ops);
	if (ret)
		return ret;
	v = plat_zalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	/*
	 * NPT walks have the host's depth (svm/README.md), and core/mmu
	 * chooses its depth from the width (> 48 bits: 5 levels).  The VM and
	 * its MMU must agree on the width (with 46 bits in the VM and 52 in
	 * the MMU, #NPF on the guest's tables was never fixed), so an NPT VM
	 * gets 52 bits on a 5-level host and at most 48 on a 4-level one.
	 */
	if (req->layout == MMULAB_LAYOUT_NPT)
		cfg.maxphyaddr = svm_tdp_maxphyaddr() > VMCTL_NPT_4LEVEL_BITS ?
			PT64_MAX_PHYS_BITS :
			(cfg.maxphyaddr > VMCTL_NPT_4LEVEL_BITS ? VMCTL_NPT_4LEVEL_BITS :
								   cfg.maxphyaddr);
	feat = (struct x86_cpu_features){ .maxphyaddr = cfg.maxphyaddr, .gbpages = cfg.gbpages };
	v->vm = vm_create(&feat);
	if (!v->vm) {
		plat_free(v);
		return -ENOMEM;
	}
	v->backend = ops;
	v->npt = req->layout == MMULAB_LAYOUT_NPT;
	/* Attached before any slot or vCPU exists: each is registered as it comes. */
	ret = vm_attach_mmu(v->vm, ops, &cfg, vmctl_flush, v);
	if (ret) {
		vm_destroy(v->vm);
		plat_free(v);
		return vmctl_errno(ret);
	}
	*out = v;
	return 0;
}

void vmctl_vm_destroy(struct vmctl_vm *v)
{
	unsigned int i;

	if (!v)
		return;
	vm_destroy(v->vm);	/* the MMU first: its zaps may flush the SVM vCPUs */
	for (i = 0; i < MMULAB_MAX_VCPUS; i++) {
		if (!v->sv[i])
			continue;
		svm_vcpu_destroy(v->sv[i]);
		plat_free(v->sv[i]);
	}
	plat_free(v->cmds);
	plat_free(v);
}

/* [gpa, gpa + size) meets the reserved guest-physical range (svm/guest.h). */
static bool vmctl_rsv_gpa(uint64_t gpa, uint64_t size)
{
	return gpa < SVM_RSV_GPA + SVM_RSV_GPA_SIZE && gpa + size > SVM_RSV_GPA;
}

/*
 * Host frames the VM holds, deleted slots included (core keeps their
 * frames until the VM goes), against MMULAB_GUEST_MEM_MAX.  Checked
 * before anything that may allocate guest memory; one call can overshoot
 * by what it touches (at most MMULAB_GPA_IO_MAX plus two huge pages).
 */
static int vmctl_mem_check(const struct vmctl_vm *v)
{
	const struct memslot *s;
	uint64_t frames = vm_frames_in_use(v->vm);

	for (s = v->vm->retired; s; s = s->retired_next)
		frames += s->frames.resident << s->frames.order;
	return frames >= MMULAB_GUEST_MEM_MAX / PAGE_SIZE_4K ? -ENOMEM : 0;
}

/* ---- memslots ---------------------------------------------------------------------------- */

static uint64_t backing_size(uint32_t backing)
{
	switch (backing) {
	case MMULAB_LEVEL_2M:
		return PAGE_SIZE_2M;
	case MMULAB_LEVEL_1G:
		return PAGE_SIZE_1G;
	default:
		return PAGE_SIZE_4K;
	}
}

/* Base and size a slot with this backing may have in this guest. */
static int vmctl_slot_range(const struct vmctl_vm *v, uint64_t gpa, uint64_t size,
			    uint32_t backing)
{
	uint64_t align = backing_size(backing);

	if (!size || size > MMULAB_SLOT_SIZE_MAX || ((gpa | size) & (align - 1)))
		return -EINVAL;
	if (gpa + size < gpa || gpa + size > (1ULL << v->vm->feat.maxphyaddr))
		return -ERANGE;
	return 0;
}

int vmctl_memslot_create(struct vmctl_vm *v, const struct mmulab_memslot *req)
{
	int ret;

	if (req->id >= MMULAB_MAX_MEMSLOTS || req->pad ||
	    (req->flags & ~(MMULAB_SLOT_READONLY | MMULAB_SLOT_DIRTY_LOG)) ||
	    req->backing < MMULAB_LEVEL_4K || req->backing > MMULAB_LEVEL_1G)
		return -EINVAL;
	ret = vmctl_slot_range(v, req->base_gpa, req->size, req->backing);
	if (ret)
		return ret;
	/* The interpreter's slot id and range (svm/guest.h). */
	if (req->id == SVM_RSV_SLOT || vmctl_rsv_gpa(req->base_gpa, req->size))
		return -EINVAL;
	if (vm_memslot_by_id(v->vm, req->id))
		return -EEXIST;
	if (v->vm->nr_slots == VM_MAX_MEMSLOTS)
		return -ENOSPC;
	return vmctl_errno(vm_memslot_create(v->vm, req->id, req->base_gpa, req->size,
					     req->flags, (int)req->backing));
}

static int vmctl_slot_lookup(const struct vmctl_vm *v, uint32_t id, uint32_t pad,
			     struct memslot **slot)
{
	if (id >= MMULAB_MAX_MEMSLOTS || pad)
		return -EINVAL;
	*slot = vm_memslot_by_id(v->vm, id);
	return *slot ? 0 : -ENOENT;
}

int vmctl_memslot_delete(struct vmctl_vm *v, const struct mmulab_memslot_id *req)
{
	struct memslot *slot;
	int ret = vmctl_slot_lookup(v, req->id, req->pad, &slot);

	if (!ret && req->id == SVM_RSV_SLOT)
		return -EINVAL;
	return ret ? ret : vmctl_errno(vm_memslot_delete(v->vm, req->id));
}

int vmctl_memslot_move(struct vmctl_vm *v, const struct mmulab_memslot_move *req)
{
	struct memslot *slot;
	int ret = vmctl_slot_lookup(v, req->id, req->pad, &slot);

	if (ret)
		return ret;
	if (req->id == SVM_RSV_SLOT || vmctl_rsv_gpa(req->base_gpa, slot->npages << PAGE_SHIFT))
		return -EINVAL;
	ret = vmctl_slot_range(v, req->base_gpa, slot->npages << PAGE_SHIFT, slot->backing);
	return ret ? ret : vmctl_errno(vm_memslot_move(v->vm, req->id, req->base_gpa));
}

int vmctl_memslot_flags(struct vmctl_vm *v, const struct mmulab_memslot_flags *req)
{
	struct memslot *slot;
	int ret = vmctl_slot_lookup(v, req->id, 0, &slot);

	if (ret)
		return ret;
	if (req->id == SVM_RSV_SLOT)
		return -EINVAL;
	/* As KVM: an existing slot may only start or stop dirty logging. */
	if ((req->flags ^ slot->flags) & ~MMULAB_SLOT_DIRTY_LOG)
		return -EINVAL;
	return vmctl_errno(vm_memslot_set_flags(v->vm, req->id, req->flags));
}

/* ---- guest memory ----------------------------------------------------------------------- */

int vmctl_gpa_io_check(struct vmctl_vm *v, const struct mmulab_gpa_io *req)
{
	if (!req->len || req->len > MMULAB_GPA_IO_MAX || req->gpa + req->len < req->gpa)
		return -EINVAL;
	if (req->gpa + req->len > (1ULL << v->vm->feat.maxphyaddr))
		return -ERANGE;
	return vmctl_mem_check(v);
}

int vmctl_write_gpa(struct vmctl_vm *v, const struct mmulab_gpa_io *req, const void *buf)
{
	int ret = vmctl_gpa_io_check(v, req);

	/* The interpreter's own memory is the module's alone. */
	if (!ret && vmctl_rsv_gpa(req->gpa, req->len))
		ret = -EINVAL;
	return ret ? ret : vmctl_errno(vm_write_gpa(v->vm, req->gpa, buf, req->len));
}

int vmctl_read_gpa(struct vmctl_vm *v, const struct mmulab_gpa_io *req, void *buf)
{
	int ret = vmctl_gpa_io_check(v, req);

	return ret ? ret : vmctl_errno(vm_read_gpa(v->vm, req->gpa, buf, req->len));
}

/* ---- vCPUs ---------------------------------------------------------------------------------- */

int vmctl_vcpu_create(struct vmctl_vm *v, const struct mmulab_vcpu_create *req)
{
	struct x86_paging_regs regs = {
		.cr0 = req->cr0, .cr3 = req->cr3, .cr4 = req->cr4, .efer = req->efer,
		.pkru = req->pkru,
	};

	if (req->id >= MMULAB_MAX_VCPUS || req->cpl > 3 || (req->flags & ~MMULAB_VCPU_EFLAGS_AC))
		return -EINVAL;
	if (vm_vcpu(v->vm, req->id))
		return -EEXIST;
	/* A PAE CR3 reads its PDPTEs from guest memory (which may allocate). */
	if (vmctl_mem_check(v))
		return -ENOMEM;
	return vmctl_errno(vcpu_create(v->vm, req->id, &regs, (uint8_t)req->cpl,
				       req->flags & MMULAB_VCPU_EFLAGS_AC));
}

static int vmctl_vcpu_lookup(const struct vmctl_vm *v, uint32_t id, struct vcpu **vcpu)
{
	if (id >= MMULAB_MAX_VCPUS)
		return -EINVAL;
	*vcpu = vm_vcpu(v->vm, id);
	return *vcpu ? 0 : -ENOENT;
}

int vmctl_set_reg(struct vmctl_vm *v, struct mmulab_set_reg *req)
{
	struct vcpu *vcpu;
	bool gp = false;
	int ret;

	ret = vmctl_vcpu_lookup(v, req->vcpu, &vcpu);
	if (ret)
		return ret;
	if (req->pad || req->reg > MMULAB_REG_EFLAGS_AC)
		return -EINVAL;
	/* A PAE CR3 reads its PDPTEs from guest memory (which may allocate). */
	if (vmctl_mem_check(v))
		return -ENOMEM;
	ret = vcpu_set_reg(vcpu, (enum scn_reg)req->reg, req->value, &gp);
	if (ret)
		return vmctl_errno(ret);
	req->gp = gp;
	return 0;
}

int vmctl_host(struct vmctl_vm *v, struct mmulab_host *req)
{
	if (req->pad || req->op > MMULAB_HOST_AGE_TEST || !req->size ||
	    ((req->gpa | req->size) & (PAGE_SIZE_4K - 1)) || req->gpa + req->size < req->gpa)
		return -EINVAL;
	if (req->gpa + req->size > (1ULL << v->vm->feat.maxphyaddr))
		return -ERANGE;
	/* The interpreter's pages are not the host's to change. */
	if (vmctl_rsv_gpa(req->gpa, req->size))
		return -EINVAL;
	req->young = 0;
	if (req->op == MMULAB_HOST_AGE || req->op == MMULAB_HOST_AGE_TEST) {
		req->young = vm_host_age(v->vm, req->gpa, req->size, req->op == MMULAB_HOST_AGE_TEST);
		return 0;
	}
	if (vmctl_mem_check(v))
		return -ENOMEM;
	return vmctl_errno(vm_host_change(v->vm, req->gpa, req->size,
					  (enum scn_host_change)req->op));
}

/* ---- running ------------------------------------------------------------------------------ */

/*
 * MMULAB_RUN on SVM (svm/README.md, "MMULAB_RUN"): the batch goes into the
 * interpreter's mailbox in chunks of SVM_MBOX_MAX_CMDS, each chunk one
 * entry of the guest from its start (svm_vcpu_reset) with the vCPU's
 * paging registers, until its VMMCALL; #NPF exits go to mmu_page_fault on
 * the way (svm_run.c).
 */
int vmctl_run_check(struct vmctl_vm *v, const struct mmulab_run *req)
{
	struct vcpu *vcpu;

	if (req->pad || !req->count || req->count > MMULAB_RUN_MAX ||
	    req->len != (uint64_t)req->count * sizeof(struct mmulab_access))
		return -EINVAL;
	return vmctl_vcpu_lookup(v, req->vcpu, &vcpu);
}

/* What the interpreter can run: paging off, or 4-level paging without PKE (no PKRU switch). */
static int vmctl_run_mode(const struct vcpu *vcpu, bool *paging)
{
	const struct x86_paging_regs *r = &vcpu->regs;

	*paging = r->cr0 & CR0_PG;
	if (!*paging)
		return 0;
	if (!(r->efer & EFER_LMA) || !(r->cr4 & CR4_PAE))
		return -EOPNOTSUPP;
	if ((r->cr4 & CR4_LA57) && !svm_cpu_la57())
		return -EOPNOTSUPP;
	/* PKRU is loaded by the host around VMRUN: it needs CR4.PKE itself. */
	if ((r->cr4 & CR4_PKE) && !svm_host_pku())
		return -EOPNOTSUPP;
	return 0;
}

static bool vmctl_canonical(uint64_t va, bool la57)
{
	unsigned int shift = la57 ? 7 : 16;

	return ((int64_t)(va << shift) >> shift) == (int64_t)va;
}

/* One access: 0, -EINVAL (malformed, or in the reserved range), -EOPNOTSUPP. */
static int vmctl_access_check(const struct mmulab_access *a, bool paging, bool la57)
{
	if (a->pad || (a->flags & ~MMULAB_ACCESS_EFLAGS_AC) || a->cpl > 3 ||
	    a->kind > MMULAB_ACCESS_FETCH ||
	    (a->size != 1 && a->size != 2 && a->size != 4 && a->size != 8))
		return -EINVAL;
	/*
	 * Loads and stores at CPL 0 (the interpreter) and CPL 3 (the stub);
	 * with paging off the CPL changes nothing, so those run at CPL 0.
	 */
	if (!paging)
		return a->gva + a->size <= (1ULL << 32) ? 0 : -EINVAL;
	if (a->cpl == 1 || a->cpl == 2)
		return -EOPNOTSUPP;
	/* A non-canonical address is a #GP: run alone, its #GP exit is the result (not fetches). */
	if (!vmctl_canonical(a->gva, la57) || !vmctl_canonical(a->gva + a->size - 1, la57))
		return a->kind == MMULAB_ACCESS_FETCH ? -EOPNOTSUPP : 0;
	if (a->gva >= SVM_RSV_VA && a->gva < SVM_RSV_VA + SVM_RSV_VA_SIZE)
		return -EINVAL;
	if (a->gva + a->size - 1 >= SVM_RSV_VA && a->gva + a->size - 1 < SVM_RSV_VA + SVM_RSV_VA_SIZE)
		return -EINVAL;
	return 0;
}

/* The reserved slot and the interpreter in it, once per VM. */
static int vmctl_guest_place(struct vmctl_vm *v)
{
	unsigned int i;
	int ret;

	if (v->guest_placed)
		return 0;
	if (vm_memslot_by_id(v->vm, SVM_RSV_SLOT))
		return -EINVAL;
	for (i = 0; i < v->vm->nr_slots; i++) {
		const struct memslot *s = v->vm->slots[i];

		if (vmctl_rsv_gpa(s->base_gfn << PAGE_SHIFT, s->npages << PAGE_SHIFT))
			return -EINVAL;
	}
	if (!v->cmds) {
		v->cmds = plat_zalloc(sizeof(*v->cmds));
		if (!v->cmds)
			return -ENOMEM;
	}
	ret = vm_memslot_create(v->vm, SVM_RSV_SLOT, SVM_RSV_GPA, SVM_GUEST_SIZE, 0, MMU_LEVEL_4K);
	if (ret)
		return ret == MMU_EOVERLAP ? -EINVAL : vmctl_errno(ret);
	ret = svm_guest_place(v->vm, SVM_RSV_GPA, &v->guest);
	if (ret)
		return vmctl_errno(ret);
	v->guest_placed = true;
	return 0;
}

/* A 4-level root gets the PML4 entry of the reserved range, a 5-level one the PML5 entry; -EINVAL if it uses it. */
static int vmctl_map_rsv(struct vmctl_vm *v, uint64_t cr3, bool la57)
{
	uint64_t gpa = (cr3 & 0x000ffffffffff000ULL) +
		       (la57 ? SVM_RSV_PML5_INDEX : SVM_RSV_PML4_INDEX) * 8;
	uint64_t ours = la57 ? svm_guest_rsv_pml5e(&v->guest) : svm_guest_rsv_pml4e(&v->guest), e;
	int ret;

	if (vmctl_rsv_gpa(gpa, 8))
		return -EINVAL;
	ret = vm_read_value(v->vm, gpa, 8, &e);
	if (ret)
		return vmctl_errno(ret);
	if ((e & ~(PT_ACCESSED | PT_DIRTY)) == ours)
		return 0;
	if (e)
		return -EINVAL;
	return vmctl_errno(vm_write_value(v->vm, gpa, 8, ours));
}

struct vmctl_run_ctx {
	struct vmctl_vm *v;
	struct vcpu *vcpu;
	struct svm_guest g;	/* v->guest with the vCPU's registers */
	struct mmulab_run *req;
	struct mmulab_access *acc;
	bool paging;		/* CR0.PG: CPL 3 means the stub */
	bool la57;		/* CR4.LA57: 57-bit canonical addresses */
	bool gp_alone;		/* this entry runs one non-canonical access: #GP is its result */
};

/* acc[i] took #GP (gp_alone runs only). */
static int vmctl_gp(struct vmctl_run_ctx *c, uint32_t i)
{
	struct mmulab_access *a = &c->acc[i];

	a->outcome = MMULAB_OUTCOME_GP;
	a->error_code = 0;
	a->cr2 = 0;
	a->gpa = 0;
	c->req->done++;
	return 0;
}

/* The guest's entry state, and its PKRU when it has CR4.PKE (svm_enter loads it). */
static void vmctl_reset(struct vmctl_run_ctx *c, struct svm_vcpu *sv)
{
	svm_vcpu_reset(sv, c->vcpu, &c->g);
	sv->pkru_switch = c->paging && (c->vcpu->regs.cr4 & CR4_PKE);
	sv->pkru = (u32)c->vcpu->regs.pkru;
}

/* One chunk: acc[first, first + n) through the mailbox. */
static int vmctl_run_chunk(struct vmctl_run_ctx *c, struct svm_vcpu *sv, uint32_t first,
			   unsigned int n)
{
	struct svm_guest_cmd *cmd = c->v->cmds->c;
	unsigned int i, done;
	int ret;

	for (i = 0; i < n; i++) {
		const struct mmulab_access *a = &c->acc[first + i];

		cmd[i] = (struct svm_guest_cmd){
			.op = (a->kind == MMULAB_ACCESS_WRITE ? SVM_OP_WRITE : SVM_OP_READ) |
			      ((a->flags & MMULAB_ACCESS_EFLAGS_AC) ? SVM_OP_AC : 0),
			.bytes = a->size,
			.addr = a->gva,
			.value = a->value,
		};
	}
	ret = svm_guest_load_batch(c->v->vm, &c->g, cmd, n);
	if (ret)
		return vmctl_errno(ret);
	vmctl_reset(c, sv);
	sv->gp_ok = c->gp_alone;
	ret = svm_vcpu_run(sv, VMCTL_RUN_MAX_EXITS, &c->v->svm_stats);
	if (ret)
		return ret;
	if (sv->gp)
		return vmctl_gp(c, first);
	ret = svm_guest_read_batch(c->v->vm, &c->g, cmd, n, &done);
	if (ret)
		return vmctl_errno(ret);
	for (i = 0; i < n && i < done; i++) {
		struct mmulab_access *a = &c->acc[first + i];

		a->outcome = MMULAB_OUTCOME_OK;
		a->error_code = 0;
		a->cr2 = 0;
		a->gpa = 0;	/* the interpreter does not know it */
		if (cmd[i].status == SVM_ST_OK) {
			if (a->kind == MMULAB_ACCESS_READ)
				a->value = cmd[i].value;
		} else if (cmd[i].status == SVM_ST_PF) {
			a->outcome = MMULAB_OUTCOME_PF;
			a->error_code = cmd[i].pfec;
			a->cr2 = cmd[i].value;
		} else {
			plat_log(PLAT_LOG_ERR, "access %u: interpreter status %u", first + i,
				 cmd[i].status);
			return -EIO;
		}
		c->req->done++;
	}
	return done == n ? 0 : -EIO;
}

/* One CPL-3 access acc[i]: the stub, entered on its own (svm/guest.h). */
static int vmctl_run_user(struct vmctl_run_ctx *c, struct svm_vcpu *sv, uint32_t i)
{
	struct mmulab_access *a = &c->acc[i];
	int ret;

	vmctl_reset(c, sv);
	svm_vcpu_set_user(sv, &c->g, a->kind == MMULAB_ACCESS_WRITE ? SVM_OP_WRITE : SVM_OP_READ,
			  a->size, a->gva, a->value, a->flags & MMULAB_ACCESS_EFLAGS_AC);
	sv->gp_ok = c->gp_alone;
	ret = svm_vcpu_run(sv, VMCTL_RUN_MAX_EXITS, &c->v->svm_stats);
	if (ret)
		return ret;
	if (sv->gp)
		return vmctl_gp(c, i);
	a->error_code = 0;
	a->cr2 = 0;
	a->gpa = 0;
	if (sv->pf) {
		a->outcome = MMULAB_OUTCOME_PF;
		a->error_code = sv->pf_code;
		a->cr2 = sv->pf_cr2;
	} else {
		a->outcome = MMULAB_OUTCOME_OK;
		if (a->kind == MMULAB_ACCESS_READ)
			a->value = svm_vcpu_rax(sv);
	}
	c->req->done++;
	return 0;
}

/*
 * One fetch acc[i] (svm/README.md, "Fetches"): every SPTE zapped, the
 * guest entered at the address itself, stopped at the fetch's #NPF
 * before the instruction runs; the value is read at that gpa.
 */
static int vmctl_run_fetch(struct vmctl_run_ctx *c, struct svm_vcpu *sv, uint32_t i)
{
	struct mmulab_access *a = &c->acc[i];
	uint64_t gpa, val;
	int ret;

	mmu_zap_all(c->v->vm->mmu);
	vmctl_reset(c, sv);
	svm_vcpu_set_fetch(sv, c->paging ? a->cpl : 0, a->gva, a->flags & MMULAB_ACCESS_EFLAGS_AC);
	ret = svm_vcpu_run(sv, VMCTL_RUN_MAX_EXITS, &c->v->svm_stats);
	if (ret)
		return ret;
	a->error_code = 0;
	a->cr2 = 0;
	a->gpa = 0;
	if (sv->pf) {
		a->outcome = MMULAB_OUTCOME_PF;
		a->error_code = sv->pf_code;
		a->cr2 = sv->pf_cr2;
	} else if (sv->fetched) {
		gpa = (sv->fetch_gpa & ~0xfffULL) | (a->gva & 0xfff);
		ret = vm_read_value(c->v->vm, gpa, a->size, &val);
		if (ret)
			return vmctl_errno(ret);
		a->outcome = MMULAB_OUTCOME_OK;
		a->value = val;
		a->gpa = gpa;
	} else {
		return -EIO;
	}
	c->req->done++;
	return 0;
}

/* On the CPU with SVM enabled (svm_on_cpu). */
static int vmctl_run_on_cpu(const struct svm_caps *caps, void *arg)
{
	struct vmctl_run_ctx *c = arg;
	struct svm_vcpu **svp = &c->v->sv[c->vcpu->id];
	uint32_t first;
	int ret;

	if (!*svp) {
		struct svm_vcpu *sv = plat_zalloc(sizeof(*sv));

		if (!sv)
			return -ENOMEM;
		ret = svm_vcpu_init(sv, caps);
		if (ret) {
			plat_free(sv);
			return ret;
		}
		*svp = sv;
	}
	/* Runs of CPL-0 accesses through the mailbox; CPL-3 ones one by one. */
	for (first = 0; first < c->req->count;) {
		const struct mmulab_access *a = &c->acc[first];
		unsigned int n = 0;

		c->gp_alone = c->paging && (!vmctl_canonical(a->gva, c->la57) ||
					    !vmctl_canonical(a->gva + a->size - 1, c->la57));
		if (c->gp_alone && !(a->cpl == 3)) {
			ret = vmctl_run_chunk(c, *svp, first, 1);
			if (ret)
				return ret;
			first++;
			continue;
		}

		if (c->acc[first].kind == MMULAB_ACCESS_FETCH) {
			ret = vmctl_run_fetch(c, *svp, first);
			if (ret)
				return ret;
			first++;
			continue;
		}
		if (c->paging && c->acc[first].cpl == 3) {
			ret = vmctl_run_user(c, *svp, first);
			if (ret)
				return ret;
			first++;
			continue;
		}
		while (first + n < c->req->count && n < SVM_MBOX_MAX_CMDS &&
		       c->acc[first + n].kind != MMULAB_ACCESS_FETCH &&
		       !(c->paging && !vmctl_canonical(c->acc[first + n].gva, c->la57)) &&
		       !(c->paging && !vmctl_canonical(c->acc[first + n].gva + c->acc[first + n].size - 1,
						       c->la57)) &&
		       !(c->paging && c->acc[first + n].cpl == 3))
			n++;
		ret = vmctl_run_chunk(c, *svp, first, n);
		if (ret)
			return ret;
		first += n;
	}
	return 0;
}

int vmctl_run(struct vmctl_vm *v, struct mmulab_run *req, struct mmulab_access *acc)
{
	struct vmctl_run_ctx c = { .v = v, .req = req, .acc = acc };
	bool paging;
	uint32_t i;
	int ret;

	req->done = 0;
	ret = vmctl_run_check(v, req);
	if (ret)
		return ret;
	if (!v->npt)
		return -EOPNOTSUPP;	/* SVM walks NPT; EPT needs VMX, not here yet */
	c.vcpu = vm_vcpu(v->vm, req->vcpu);
	ret = vmctl_run_mode(c.vcpu, &paging);
	if (ret)
		return ret;
	for (i = 0; i < req->count; i++) {
		ret = vmctl_access_check(&acc[i], paging, c.vcpu->regs.cr4 & CR4_LA57);
		if (ret)
			return ret;
	}
	ret = vmctl_mem_check(v);
	if (!ret)
		ret = vmctl_guest_place(v);
	if (ret)
		return ret;
	c.g = v->guest;
	c.paging = paging;
	c.la57 = paging && (c.vcpu->regs.cr4 & CR4_LA57);
	if (paging) {
		const struct x86_paging_regs *r = &c.vcpu->regs;

		ret = vmctl_map_rsv(v, r->cr3, r->cr4 & CR4_LA57);
		if (ret)
			return ret;
		c.g.cr0 = r->cr0;
		c.g.cr3 = r->cr3;
		c.g.cr4 = r->cr4;
		c.g.efer = r->efer;
	}
	return svm_on_cpu(vmctl_run_on_cpu, &c);
}

/* ---- faults --------------------------------------------------------------------------------- */

int vmctl_fault(struct vmctl_vm *v, struct mmulab_fault *req)
{
	struct mmu_fault f;
	struct vcpu *vcpu;
	int ret;

	ret = vmctl_vcpu_lookup(v, req->vcpu, &vcpu);
	if (ret)
		return ret;
	if (req->access > MMULAB_ACCESS_FETCH || (req->flags & ~MMULAB_FAULT_FLAGS))
		return -EINVAL;
	if (req->gpa >= (1ULL << v->vm->feat.maxphyaddr))
		return -ERANGE;
	ret = vmctl_mem_check(v);
	if (ret)
		return ret;
	/* As an executor does before each entry: the root for the vCPU's state now. */
	ret = mmu_load(vcpu->mmu);
	if (ret)
		return vmctl_errno(ret);
	f = (struct mmu_fault){
		.addr = req->gpa,
		.access = (enum access_kind)req->access,
		.present = req->flags & MMULAB_FAULT_PRESENT,
		.rsvd = req->flags & MMULAB_FAULT_RSVD,
		.guest_table = req->flags & MMULAB_FAULT_GUEST_TABLE,
	};
	ret = mmu_page_fault(vcpu->mmu, &f);
	if (ret)
		return vmctl_errno(ret);
	req->outcome = f.outcome;
	req->level = f.outcome == MMU_FAULT_FIXED ? (uint32_t)f.level : 0;
	req->out_flags = f.mmio_fast ? MMULAB_FAULT_MMIO_FAST : 0;
	return 0;
}

/* ---- statistics and trace events ---------------------------------------------------------- */

_Static_assert(MMU_NR_STATS <= VMCTL_STATS_MAX, "VMCTL_STATS_MAX");

int vmctl_stats(struct vmctl_vm *v, struct mmulab_stats *req, __u64 *out)
{
	struct mmu_stats st;
	uint64_t want = req->len / sizeof(__u64);
	unsigned int i, n = want < MMU_NR_STATS ? (unsigned int)want : MMU_NR_STATS;

	if (req->len % sizeof(__u64))
		return -EINVAL;
	mmu_stats_read(v->vm->mmu, &st);
	for (i = 0; i < n; i++)
		out[i] = st.v[i];
	req->count = n;
	req->total = MMU_NR_STATS;
	return 0;
}

int vmctl_trace_check(struct vmctl_vm *v, const struct mmulab_trace *req, __u32 *max)
{
	uint64_t size = sizeof(struct mmulab_trace_event);

	if (req->pad || !req->len || req->len % size || req->len / size > MMULAB_TRACE_MAX)
		return -EINVAL;
	/* Tracing is chosen at creation (MMULAB_VM_TRACE): no ring, no events. */
	if (!v->vm->mmu->trace)
		return -ENODATA;
	*max = (__u32)(req->len / size);
	return 0;
}

void vmctl_trace(struct vmctl_vm *v, struct mmulab_trace *req, struct mmulab_trace_event *out,
		 __u32 max)
{
	struct mmu_trace_event ev[TRACE_CHUNK];
	uint64_t after = req->after;
	__u32 done = 0;

	while (done < max) {
		unsigned int i, n, want = max - done < TRACE_CHUNK ? max - done : TRACE_CHUNK;

		n = mmu_trace_read(v->vm->mmu->trace, after, ev, want);
		for (i = 0; i < n; i++) {
			out[done + i] = (struct mmulab_trace_event){
				.seq = ev[i].seq, .gfn = ev[i].gfn, .old_spte = ev[i].old_spte,
				.new_spte = ev[i].new_spte, .vcpu = ev[i].vcpu,
				.kind = ev[i].kind, .level = ev[i].level,
			};
		}
		done += n;
		if (n < want)
			break;
		after = ev[n - 1].seq;
	}
	req->count = done;
}

/* ---- dirty logs ------------------------------------------------------------------------------ */

static int vmctl_logged_slot(const struct vmctl_vm *v, uint32_t id, uint32_t pad,
			     struct memslot **slot)
{
	int ret = vmctl_slot_lookup(v, id, pad, slot);

	if (ret)
		return ret;
	return ((*slot)->flags & MEMSLOT_DIRTY_LOG) ? 0 : -EINVAL;
}

int vmctl_dirty_log_get(struct vmctl_vm *v, struct mmulab_dirty_log *req, __u64 **bitmap)
{
	struct memslot *slot;
	uint64_t *bits, npages;
	int ret = vmctl_logged_slot(v, req->slot, req->pad, &slot);

	if (ret)
		return ret;
	req->npages = slot->npages;
	/* Checked before fetching: a fetch clears the log. */
	if (req->len / sizeof(uint64_t) < (slot->npages + BITS_PER_WORD - 1) / BITS_PER_WORD)
		return -ENOSPC;
	ret = vm_dirty_log_get(v->vm, req->slot, &bits, &npages);
	if (ret)
		return vmctl_errno(ret);
	/* Both are u64 in the kernel; the cast is for user-space test builds (long vs long long). */
	*bitmap = (__u64 *)bits;
	return 0;
}

void vmctl_free_bitmap(__u64 *bitmap)
{
	plat_free(bitmap);
}

int vmctl_dirty_log_clear(struct vmctl_vm *v, const struct mmulab_dirty_clear *req)
{
	struct memslot *slot;
	int ret = vmctl_logged_slot(v, req->slot, req->pad, &slot);

	if (ret)
		return ret;
	if (req->first > slot->npages || req->count > slot->npages - req->first)
		return -EINVAL;
	return vmctl_errno(vm_dirty_log_clear(v->vm, req->slot, req->first, req->count));
}
