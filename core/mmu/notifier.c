/*
 * core/mmu/notifier.c — the host changes memory under the guest (KVM's MMU
 * notifiers): a page reclaimed, migrated, or made read-only.
 *
 * Begin zaps every SPTE mapping the range and flushes before the host
 * touches its pages, and raises invalidate_in_progress; a fault that
 * looked the page up before or during the change sees invalidate_seq move
 * (or the in-progress count) and retries instead of installing a stale
 * frame.  End lowers the count.
 */
#include "core/mmu/mmu.h"

void mmu_invalidate_begin(struct mmu_vm *vm, uint64_t start, uint64_t end)
{
	plat_write_lock(vm->mmu_lock);
	vm->invalidate_in_progress++;
	vm->invalidate_seq++;
	if (vm->ops->zap_gfn_range(vm, start, end))
		mmu_flush_remote_tlbs(vm);
	plat_write_unlock(vm->mmu_lock);
}

void mmu_invalidate_end(struct mmu_vm *vm)
{
	plat_write_lock(vm->mmu_lock);
	vm->invalidate_seq++;
	MMU_ASSERT(vm->invalidate_in_progress > 0, "invalidate end without begin");
	vm->invalidate_in_progress--;
	plat_write_unlock(vm->mmu_lock);
}

uint64_t mmu_age_gfn_range(struct mmu_vm *vm, uint64_t start, uint64_t end, bool test_only)
{
	uint64_t young;

	plat_write_lock(vm->mmu_lock);
	young = vm->ops->age_gfn_range(vm, start, end, test_only);
	plat_write_unlock(vm->mmu_lock);
	return young;
}

void mmu_zap_all(struct mmu_vm *vm)
{
	plat_write_lock(vm->mmu_lock);
	vm->invalidate_seq++;
	if (vm->ops->zap_gfn_range(vm, 0, UINT64_MAX))
		mmu_flush_remote_tlbs(vm);
	plat_write_unlock(vm->mmu_lock);
}
