/*
 * backends/tdp/age.c — access tracking: which pages did the guest use
 * since the last look (KVM's kvm_tdp_mmu_age_gfn_range / test_age_gfn,
 * behind the host's clear_young / test_young notifiers).
 *
 * With A/D bits the CPU sets A and aging clears it.  EPT without A/D has
 * no A: aging takes R/W/X away (saving R and X in software bits) so the
 * next access faults, and the fault path gives them back
 * (spte_restore_access_tracked) — the page was used.  A writable leaf
 * loses W that way too, so its page is logged dirty first if its slot
 * logs writes (the write may not have been harvested yet).
 *
 * No flush, as KVM's clear_young: a stale TLB entry only makes a page look
 * idle when it was not, which aging tolerates.
 */
#include "backends/tdp/iter.h"
#include "backends/tdp/tdp.h"

/* Write lock held.  Age the leaves of one root; returns the young ones. */
static uint64_t age_root(struct mmu_vm *vm, struct mmu_page *root, uint64_t start,
			 uint64_t end, bool test_only)
{
	const struct spte_format *f = &vm->spte_fmt;
	struct tdp_iter it;
	uint64_t young = 0;

	for_each_tdp_spte(&it, vm, root, MMU_LEVEL_4K, start, end) {
		uint64_t old, new;
		struct mmu_memslot *slot;
retry:
		old = it.old_spte;
		if (!tdp_iter_is_leaf(&it) || !spte_is_accessed(f, old))
			continue;
		if (test_only) {
			young++;
			continue;
		}
		new = spte_mark_access_tracked(f, old);
		SPTE_ASSERT_VALID(f, new, it.level, tdp_iter_sp(&it)->role.word);
		if (!tdp_iter_set(&it, new))
			goto retry;
		young++;
		mmu_trace(vm, TRACE_SPTE_SET, UINT32_MAX, it.gfn, it.level, old, new);
		if (f->ad_enabled || !spte_is_writable(f, old))
			continue;
		slot = mmu_find_memslot(vm, it.gfn);
		if (slot)
			mmu_mark_page_dirty(vm, slot, it.gfn);
	}
	return young;
}

uint64_t tdp_age_gfn_range(struct mmu_vm *vm, uint64_t start, uint64_t end, bool test_only)
{
	struct tdp_vm *tdp = tdp_of(vm);
	struct list_node *pos;
	uint64_t young = 0;

	plat_lock(tdp->roots_lock);
	list_for_each(pos, &tdp->roots)
		young += age_root(vm, list_entry(pos, struct mmu_page, link), start, end,
				  test_only);
	plat_unlock(tdp->roots_lock);
	if (young)
		mmu_vm_stat_add(vm, MMU_STAT_AGED, young);
	return young;
}
