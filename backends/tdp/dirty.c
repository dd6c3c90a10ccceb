/*
 * backends/tdp/dirty.c — dirty logging on TDP tables, both ways (KVM's
 * kvm_tdp_mmu_wrprot_slot and clear_dirty_slot / clear_dirty_pt_masked).
 *
 * Write-protection: W is cleared (MMU-writable kept), so the next write
 * faults and the fault path makes the leaf writable and logs the page.
 * D bits: the leaves stay writable; the CPU sets D on a write, and
 * harvesting clears D and logs each page that had it.  Either way the TLB
 * must be flushed before the lock is dropped: a cached writable (or
 * already-dirty) translation would let a write through unlogged.
 *
 * Both run under the write lock, but still change SPTEs with cmpxchg: the
 * hardware may set A/D at any time on a real CPU.
 */
#include "backends/tdp/iter.h"
#include "backends/tdp/tdp.h"

/* Log the 4K pages of a leaf at gfn, as far as they lie in the slot. */
void tdp_log_leaf(struct mmu_vm *vm, struct mmu_memslot *slot, uint64_t gfn, int level)
{
	uint64_t end = gfn + tdp_level_pages(level), slot_end = slot->base_gfn + slot->npages;

	if (gfn < slot->base_gfn)
		gfn = slot->base_gfn;
	if (end > slot_end)
		end = slot_end;
	for (; gfn < end; gfn++)
		mmu_mark_page_dirty(vm, slot, gfn);
}

/*
 * The leaf with its dirtiness taken away: D cleared, or where there is no
 * D (EPT without A/D) W cleared, as KVM does for A/D-disabled SPTEs.
 */
static uint64_t clean_spte(const struct spte_format *f, uint64_t spte)
{
	if (f->ad_enabled)
		return spte_clear_dirty(f, spte);
	return spte_write_protect(f, spte, false);
}

/* What re-arming does to a leaf: take W away, or take its dirtiness away and log it. */
enum leaf_change { LEAF_WRPROT, LEAF_CLEAN };

static bool change_leaves(struct mmu_vm *vm, struct mmu_memslot *slot, uint64_t start,
			  uint64_t end, enum leaf_change what)
{
	const struct spte_format *f = &vm->spte_fmt;
	struct tdp_vm *tdp = tdp_of(vm);
	struct list_node *pos;
	bool flush = false;

	plat_lock(tdp->roots_lock);
	list_for_each(pos, &tdp->roots) {
		struct tdp_iter it;

		for_each_tdp_spte(&it, vm, list_entry(pos, struct mmu_page, link),
				  MMU_LEVEL_4K, start, end) {
			uint64_t old, new;
retry:
			old = it.old_spte;
			if (!tdp_iter_is_leaf(&it) ||
			    !(what == LEAF_WRPROT ? spte_is_writable(f, old) : spte_is_dirty(f, old)))
				continue;
			/* Write protection keeps MMU-writable: the fault path gives W back and logs. */
			new = what == LEAF_WRPROT ? spte_write_protect(f, old, false) : clean_spte(f, old);
			SPTE_ASSERT_VALID(f, new, it.level, tdp_iter_sp(&it)->role.word);
			if (!tdp_iter_set(&it, new))
				goto retry;
			mmu_trace(vm, TRACE_SPTE_SET, UINT32_MAX, it.gfn, it.level, old, new);
			/* A dirty huge leaf: any of its pages may have been written. */
			if (what == LEAF_CLEAN)
				tdp_log_leaf(vm, slot, it.gfn, it.level);
			flush = true;
		}
	}
	plat_unlock(tdp->roots_lock);
	return flush;
}

bool tdp_wrprot_gfn_range(struct mmu_vm *vm, uint64_t start, uint64_t end)
{
	return change_leaves(vm, NULL, start, end, LEAF_WRPROT);
}

bool tdp_clear_dirty_gfn_range(struct mmu_vm *vm, struct mmu_memslot *slot,
			       uint64_t start, uint64_t end)
{
	return change_leaves(vm, slot, start, end, LEAF_CLEAN);
}
