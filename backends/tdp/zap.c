/*
 * backends/tdp/zap.c — zapping: clearing the SPTEs that map a gfn range
 * (KVM's tdp_mmu_zap_leafs plus handle_removed_pt).
 *
 * Leaves in the range are cleared; a huge leaf only partly in the range
 * is cleared whole (the pages outside it simply fault back in).  A table
 * whose whole range is inside is unlinked and freed with everything below
 * it; a table that only overlaps is entered and kept.
 *
 * Freeing right away is safe here although KVM defers it with RCU: the
 * write lock keeps every fault (the only software walker) out, the
 * executor runs no vCPU while a range operation runs (so no hardware walk
 * is under way), and the caller flushes every TLB before any vCPU runs
 * again (so no paging-structure cache still points at a freed table).
 */
#include "backends/tdp/iter.h"
#include "backends/tdp/tdp.h"

void tdp_zap_counts_commit(struct mmu_vm *vm, const struct tdp_zap_counts *c)
{
	int level;

	for (level = MMU_LEVEL_4K; level <= MMU_MAX_HUGE_LEVEL; level++)
		if (c->mapped[level - 1])
			mmu_vm_stat_add(vm, tdp_mapped_stat(level), -c->mapped[level - 1]);
	if (c->zapped)
		mmu_vm_stat_add(vm, MMU_STAT_SPTES_ZAPPED, c->zapped);
}

/* Count a present SPTE at `level` that is gone. */
static void count_zapped(const struct spte_format *f, uint64_t spte, int level,
			 struct tdp_zap_counts *c)
{
	c->zapped++;
	if (spte_is_leaf(f, spte, level))
		c->mapped[level - 1]++;
}

/*
 * A dirty leaf going away takes its D bit with it.  With D-bit logging
 * (start_logging cleared every D bit, so each one set since is a logged
 * write) the bits are harvested late (PML would have logged the write when it
 * happened), so log the leaf's pages now or a zap between the write and
 * the next get-dirty-log would lose them.  mmu_mark_page_dirty ignores
 * slots that do not log.
 */
static void log_if_dirty(struct mmu_vm *vm, uint64_t gfn, int level, uint64_t spte)
{
	const struct spte_format *f = &vm->spte_fmt;
	struct mmu_memslot *slot;

	/* With write protection every logged write was logged by its fault. */
	if (vm->cfg.dirty_mode != MMU_DIRTY_DBIT || !spte_is_leaf(f, spte, level) ||
	    !spte_is_dirty(f, spte))
		return;
	slot = mmu_find_memslot(vm, gfn);
	if (slot)
		tdp_log_leaf(vm, slot, gfn, level);
}

/*
 * Free an unlinked table and everything below it.  Nothing else can reach
 * it any more (see the top of the file), so plain reads suffice.
 */
static void free_subtree(struct mmu_vm *vm, struct mmu_page *sp, struct tdp_zap_counts *c)
{
	const struct spte_format *f = &vm->spte_fmt;
	int level = sp->role.level;
	unsigned i;

	for (i = 0; i < SPTE_ENT_PER_PAGE; i++) {
		uint64_t spte = sp->spt[i];

		if (!spte_is_mmu_present(spte))
			continue;
		log_if_dirty(vm, sp->gfn + i * tdp_level_pages(level), level, spte);
		count_zapped(f, spte, level, c);
		if (!spte_is_leaf(f, spte, level))
			free_subtree(vm, mmu_page_of(spte_addr(f, spte, level)), c);
	}
	tdp_page_free(vm, sp);
}

bool tdp_zap_root_range(struct mmu_vm *vm, struct mmu_page *root, uint64_t start,
			uint64_t end, struct tdp_zap_counts *c)
{
	const struct spte_format *f = &vm->spte_fmt;
	struct tdp_iter it;
	bool cleared = false;

	for_each_tdp_spte(&it, vm, root, MMU_LEVEL_4K, start, end) {
		uint64_t old;
		bool whole;
retry:
		old = it.old_spte;
		if (!spte_is_mmu_present(old))
			continue;
		whole = it.gfn >= start && it.gfn + tdp_level_pages(it.level) <= end;
		/* A table that only overlaps the range: step into it. */
		if (tdp_iter_is_table(&it) && !whole)
			continue;
		if (!tdp_iter_set(&it, 0))
			goto retry;
		mmu_trace(vm, TRACE_SPTE_SET, UINT32_MAX, it.gfn, it.level, old, 0);
		log_if_dirty(vm, it.gfn, it.level, old);
		count_zapped(f, old, it.level, c);
		if (!spte_is_leaf(f, old, it.level))
			free_subtree(vm, mmu_page_of(spte_addr(f, old, it.level)), c);
		cleared = true;
	}
	return cleared;
}

bool tdp_zap_gfn_range(struct mmu_vm *vm, uint64_t start, uint64_t end)
{
	struct tdp_vm *tdp = tdp_of(vm);
	struct tdp_zap_counts c = { { 0 }, 0 };
	struct list_node *pos;
	bool flush = false;

	plat_lock(tdp->roots_lock);
	list_for_each(pos, &tdp->roots)
		flush |= tdp_zap_root_range(vm, list_entry(pos, struct mmu_page, link),
					    start, end, &c);
	plat_unlock(tdp->roots_lock);
	tdp_zap_counts_commit(vm, &c);
	mmu_vm_stat_add(vm, MMU_STAT_ZAPS, 1);
	mmu_trace(vm, TRACE_ZAP, UINT32_MAX, start, 0, 0, end);
	return flush;
}
