/*
 * core/mmu/dirty.c — dirty logging: starting and stopping it on a memslot,
 * collecting D bits, and re-arming pages whose log bits were cleared.
 *
 * Two ways to learn that a page was written (cfg.dirty_mode):
 *   write-protection: every leaf of the slot loses W; the first write
 *     faults, the backend makes the SPTE writable and logs the page;
 *   D bits (as with Intel PML): leaves keep W, the CPU sets D on a write,
 *     and harvesting clears D and logs each page that had it.
 * Either way a logged slot is mapped with 4K pages only, so a page is
 * logged alone.  Huge leaves present when logging starts are split at once
 * with cfg.eager_split (KVM's eager page splitting); otherwise they are
 * write-protected in both modes and split by the first write that hits
 * them — a D bit on a huge leaf would log 512 pages for one write.  In
 * D-bit mode the D bits set before logging started are cleared first, or
 * the first harvest would report writes that happened before it.
 */
#include "core/errors.h"
#include "core/mmu/mmu.h"

static void start_logging(struct mmu_vm *vm, struct mmu_memslot *slot)
{
	uint64_t start = slot->base_gfn, end = slot->base_gfn + slot->npages;
	bool flush = false;

	if (vm->cfg.eager_split && vm->ops->split_huge_pages(vm, start, end, MMU_LEVEL_4K))
		plat_log(PLAT_LOG_WARN, "eager split of memslot %u ran out of memory; "
			 "huge pages will be split on write instead", slot->id);
	plat_write_lock(vm->mmu_lock);
	/*
	 * D bits set before logging started are not writes to log: clear them
	 * before the slot is marked as logging (mmu_mark_page_dirty checks it).
	 */
	if (vm->cfg.dirty_mode == MMU_DIRTY_DBIT)
		flush |= vm->ops->clear_dirty_gfn_range(vm, slot, start, end);
	/* Huge leaves (not split eagerly) must fault on write, to be split. */
	if (vm->cfg.dirty_mode == MMU_DIRTY_WRPROT || !vm->cfg.eager_split)
		flush |= vm->ops->wrprot_gfn_range(vm, start, end);
	slot->flags |= MMU_SLOT_DIRTY_LOG;
	vm->memslot_gen = (vm->memslot_gen + 1) & SPTE_MMIO_GEN_MASK;
	if (flush)
		mmu_flush_remote_tlbs(vm);
	plat_write_unlock(vm->mmu_lock);
}

/* Logging stops: zap the slot so it is mapped with huge pages again (KVM zaps collapsible SPTEs). */
static void stop_logging(struct mmu_vm *vm, struct mmu_memslot *slot)
{
	plat_write_lock(vm->mmu_lock);
	slot->flags &= ~MMU_SLOT_DIRTY_LOG;
	vm->memslot_gen = (vm->memslot_gen + 1) & SPTE_MMIO_GEN_MASK;
	vm->invalidate_seq++;
	if (vm->ops->zap_gfn_range(vm, slot->base_gfn, slot->base_gfn + slot->npages))
		mmu_flush_remote_tlbs(vm);
	plat_write_unlock(vm->mmu_lock);
}

int mmu_memslot_set_flags(struct mmu_vm *vm, uint32_t id, uint32_t flags)
{
	struct mmu_memslot *slot = mmu_memslot_by_id(vm, id);
	uint32_t changed;

	if (!slot)
		return MMU_EINVAL;
	changed = slot->flags ^ flags;
	if (changed & ~MMU_SLOT_DIRTY_LOG)
		return MMU_EINVAL;
	if (!changed)
		return 0;
	if (flags & MMU_SLOT_DIRTY_LOG)
		start_logging(vm, slot);
	else
		stop_logging(vm, slot);
	return 0;
}

static struct mmu_memslot *logged_slot(struct mmu_vm *vm, uint32_t slot_id)
{
	struct mmu_memslot *slot = mmu_memslot_by_id(vm, slot_id);

	return slot && (slot->flags & MMU_SLOT_DIRTY_LOG) ? slot : NULL;
}

int mmu_dirty_log_harvest(struct mmu_vm *vm, uint32_t slot_id)
{
	struct mmu_memslot *slot = logged_slot(vm, slot_id);

	if (!slot)
		return MMU_EINVAL;
	if (vm->cfg.dirty_mode != MMU_DIRTY_DBIT)
		return 0;
	plat_write_lock(vm->mmu_lock);
	if (vm->ops->clear_dirty_gfn_range(vm, slot, slot->base_gfn,
					   slot->base_gfn + slot->npages))
		mmu_flush_remote_tlbs(vm);
	plat_write_unlock(vm->mmu_lock);
	return 0;
}

/* Re-arm pages [gfn, gfn+n): the next write to them is seen again. */
static bool rearm_run(struct mmu_vm *vm, struct mmu_memslot *slot, uint64_t gfn, uint64_t n)
{
	if (vm->cfg.dirty_mode == MMU_DIRTY_DBIT)
		return vm->ops->clear_dirty_gfn_range(vm, slot, gfn, gfn + n);
	return vm->ops->wrprot_gfn_range(vm, gfn, gfn + n);
}

static bool mask_bit(const uint64_t *mask, uint64_t i)
{
	return mask[i / 64] >> (i % 64) & 1;
}

int mmu_dirty_log_rearm(struct mmu_vm *vm, uint32_t slot_id, uint64_t first,
			const uint64_t *mask, uint64_t nbits)
{
	struct mmu_memslot *slot = logged_slot(vm, slot_id);
	bool flush = false;
	uint64_t i = 0;

	if (!slot || first > slot->npages || nbits > slot->npages - first)
		return MMU_EINVAL;
	plat_write_lock(vm->mmu_lock);
	vm->rearming = true;
	while (i < nbits) {
		uint64_t run = 0;

		if (!mask_bit(mask, i)) {
			i++;
			continue;
		}
		while (i + run < nbits && mask_bit(mask, i + run))
			run++;
		flush |= rearm_run(vm, slot, slot->base_gfn + first + i, run);
		i += run;
	}
	vm->rearming = false;
	/* Before the lock drops: a stale writable or dirty TLB entry would skip the log. */
	if (flush)
		mmu_flush_remote_tlbs(vm);
	plat_write_unlock(vm->mmu_lock);
	return 0;
}

void mmu_mark_page_dirty(struct mmu_vm *vm, struct mmu_memslot *slot, uint64_t gfn)
{
	if (!(slot->flags & MMU_SLOT_DIRTY_LOG) || vm->rearming)
		return;
	mmu_vm_stat_add(vm, MMU_STAT_DIRTY_LOGGED, 1);
	vm->host.mark_dirty(vm->host.opaque, gfn);
}
