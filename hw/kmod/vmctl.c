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
#include "core/vm/reserved.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/kmod/kmod_backends.h"
#include "hw/kmod/guest.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/vmctl.h"
#include "hw/kmod/vmctl_vm.h"

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
_Static_assert(sizeof(struct mmulab_run_stats) == 88, "ABI");
_Static_assert(sizeof(struct mmulab_trace_event) == 40, "ABI");
_Static_assert(sizeof(struct mmulab_trace) == 32, "ABI");
_Static_assert(sizeof(struct mmulab_dirty_log) == 32, "ABI");
_Static_assert(sizeof(struct mmulab_dirty_clear) == 24, "ABI");
_Static_assert(sizeof(struct mmulab_mmio) == 16, "ABI");

#define BITS_PER_WORD 64
/* Trace events converted per round: stays well inside the 2 KiB frame limit. */
#define TRACE_CHUNK 16

int vmctl_errno(int err)
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
	/* Each vCPU that has run flushes its TLB on its next entry. */
	for (i = 0; i < MMULAB_MAX_VCPUS; i++)
		if (v->hv[i])
			hv_flush_remote(v->hv[i]);
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
	 * The TDP tables must be as deep as the CPU walks them, and core/mmu
	 * chooses the depth from their width (> 48 bits: 5 levels), so the
	 * vendor may ask for another width than the guest's MAXPHYADDR (NPT
	 * walks have the host's depth: svm/README.md).  The VM keeps the
	 * guest's, which decides the reserved bits of its paging entries and
	 * PDPTEs; the run makes up for a CPU whose own differs
	 * (hv_maxphyaddr.c).
	 */
	cfg.tdp_maxphyaddr = hv_tdp_maxphyaddr(req->layout == MMULAB_LAYOUT_EPT, cfg.maxphyaddr);
	feat = (struct x86_cpu_features){ .maxphyaddr = cfg.maxphyaddr, .gbpages = cfg.gbpages };
	v->vm = vm_create(&feat);
	if (!v->vm) {
		plat_free(v);
		return -ENOMEM;
	}
	v->backend = ops;
	v->ept = req->layout == MMULAB_LAYOUT_EPT;
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
	vm_destroy(v->vm);	/* the MMU first: its zaps may flush the vCPUs */
	for (i = 0; i < MMULAB_MAX_VCPUS; i++) {
		if (!v->hv[i])
			continue;
		hv_vcpu_destroy(v->hv[i]);
		plat_free(v->hv[i]);
	}
	plat_free(v->cmds);
	plat_free(v);
}

uint64_t vmctl_gpa_end(const struct vmctl_vm *v)
{
	uint8_t guest = v->vm->feat.maxphyaddr, tdp = mmu_tdp_bits(&v->vm->mmu->cfg);

	return 1ULL << (guest < tdp ? guest : tdp);
}

int vmctl_mem_check(const struct vmctl_vm *v)
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
	if (gpa + size < gpa || gpa + size > 1ULL << v->vm->feat.maxphyaddr)
		return -ERANGE;
	/*
	 * Inside the guest's MAXPHYADDR but beyond what the TDP tables reach
	 * (NPT on a 4-level host maps 48 bits): this CPU cannot run it.
	 */
	if (gpa + size > vmctl_gpa_end(v))
		return -EOPNOTSUPP;
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
	/* The interpreter's slot id and range (core/vm/reserved.h). */
	if (req->id == MMULAB_RSV_SLOT || vm_rsv_gpa_meets(req->base_gpa, req->size))
		return -EINVAL;
	if (vm_memslot_by_id(v->vm, req->id) || vmctl_mmio_overlap(v, req->base_gpa, req->size))
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

	if (!ret && req->id == MMULAB_RSV_SLOT)
		return -EINVAL;
	return ret ? ret : vmctl_errno(vm_memslot_delete(v->vm, req->id));
}

int vmctl_memslot_move(struct vmctl_vm *v, const struct mmulab_memslot_move *req)
{
	struct memslot *slot;
	int ret = vmctl_slot_lookup(v, req->id, req->pad, &slot);

	if (ret)
		return ret;
	if (req->id == MMULAB_RSV_SLOT ||
	    vm_rsv_gpa_meets(req->base_gpa, slot->npages << PAGE_SHIFT))
		return -EINVAL;
	ret = vmctl_slot_range(v, req->base_gpa, slot->npages << PAGE_SHIFT, slot->backing);
	if (!ret && vmctl_mmio_overlap(v, req->base_gpa, slot->npages << PAGE_SHIFT))
		ret = -EEXIST;
	return ret ? ret : vmctl_errno(vm_memslot_move(v->vm, req->id, req->base_gpa));
}

int vmctl_memslot_flags(struct vmctl_vm *v, const struct mmulab_memslot_flags *req)
{
	struct memslot *slot;
	int ret = vmctl_slot_lookup(v, req->id, 0, &slot);

	if (ret)
		return ret;
	if (req->id == MMULAB_RSV_SLOT)
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
	if (req->gpa + req->len > vmctl_gpa_end(v))
		return -ERANGE;
	return vmctl_mem_check(v);
}

int vmctl_write_gpa(struct vmctl_vm *v, const struct mmulab_gpa_io *req, const void *buf)
{
	int ret = vmctl_gpa_io_check(v, req);

	/* The interpreter's own memory is the module's alone. */
	if (!ret && vm_rsv_gpa_meets(req->gpa, req->len))
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

int vmctl_vcpu_lookup(const struct vmctl_vm *v, uint32_t id, struct vcpu **vcpu)
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
	if (req->gpa + req->size > vmctl_gpa_end(v))
		return -ERANGE;
	/* The interpreter's pages are not the host's to change. */
	if (vm_rsv_gpa_meets(req->gpa, req->size))
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
	if (req->gpa >= vmctl_gpa_end(v))
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

int vmctl_run_stats(struct vmctl_vm *v, struct mmulab_run_stats *req)
{
	const struct hv_run_stats *s = &v->run_stats;

	if (req->reserved)
		return -EINVAL;
	*req = (struct mmulab_run_stats){
		.runs = s->runs,
		.entries = s->exits,
		.tdp_violations = s->tdp,
		.tdp_misconfigs = s->misconfig,
		.intr_exits = s->intr,
		.flushes = s->flushes,
		.tsc_guest = s->tsc_guest,
		.tsc_exits = s->tsc_exits,
		.tsc_khz = hv_tsc_khz(),
		.mmio = s->mmio,
	};
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
