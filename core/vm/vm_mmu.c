/*
 * core/vm/vm_mmu.c — giving a VM an MMU (vm_attach_mmu): the VM becomes
 * the MMU's host (struct mmu_host), and every memslot and vCPU the VM has
 * is registered with it.  From then on vm_slots.c, host.c and vcpu.c tell
 * the MMU about every change as it happens.
 */
#include "core/errors.h"
#include "core/vm/vm_internal.h"

static int host_gfn_to_hpa(void *opaque, uint64_t gfn, bool write, hpa_t *hpa, bool *writable)
{
	return vm_gfn_to_hpa(opaque, gfn, write, hpa, writable);
}

static void host_flush(void *opaque)
{
	struct vm *vm = opaque;

	if (vm->flush)
		vm->flush(vm->flush_opaque);
}

static void host_mark_dirty(void *opaque, uint64_t gfn)
{
	vm_mark_dirty(opaque, gfn);
}

/* On failure the VM is left without an MMU (a half-registered one is destroyed). */
int vm_attach_mmu(struct vm *vm, const struct mmu_backend_ops *ops,
		  const struct mmu_config *cfg, void (*flush)(void *opaque),
		  void *flush_opaque)
{
	struct mmu_config c = *cfg;
	struct mmu_host host = {
		.opaque = vm,
		.gfn_to_hpa = host_gfn_to_hpa,
		.flush_remote_tlbs = host_flush,
		.mark_dirty = host_mark_dirty,
		.mem = &vm->mem,
	};
	struct mmu_vm *mmu;
	unsigned i;
	int ret;

	if (vm->mmu)
		return MMU_EINVAL;
	/*
	 * What the guest's CPU is, the VM decides: the MMU must agree with the
	 * walker.  How wide its TDP tables are (cfg->tdp_maxphyaddr) stays the
	 * executor's: that is its CPU's, not the guest's.
	 */
	c.maxphyaddr = vm->feat.maxphyaddr;
	c.gbpages = vm->feat.gbpages;
	vm->flush = flush;
	vm->flush_opaque = flush_opaque;
	ret = mmu_vm_create(ops, &c, &host, &mmu);
	if (ret)
		return ret;
	for (i = 0; i < vm->nr_slots && !ret; i++) {
		const struct memslot *s = vm->slots[i];

		ret = mmu_memslot_create(mmu, s->id, s->base_gfn, s->npages, s->flags, s->backing);
	}
	for (i = 0; i < VM_MAX_VCPUS && !ret; i++)
		if (vm->vcpus[i])
			ret = mmu_vcpu_create(mmu, i, &vm->vcpus[i]->walk, &vm->vcpus[i]->mmu);
	if (ret) {
		for (i = 0; i < VM_MAX_VCPUS; i++)
			if (vm->vcpus[i])
				vm->vcpus[i]->mmu = NULL;
		mmu_vm_destroy(mmu);
		return ret;
	}
	vm->mmu = mmu;
	return 0;
}
