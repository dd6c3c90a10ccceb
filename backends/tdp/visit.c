/*
 * backends/tdp/visit.c — showing the tables to the inspector and to
 * statistics: every root with its role and references, then every
 * MMU-present SPTE under it, depth first (a table entry before the
 * entries of its table), which is exactly the iterator's order.
 */
#include "backends/tdp/iter.h"
#include "backends/tdp/tdp.h"

void tdp_visit(struct mmu_vm *vm, const struct mmu_visitor *vis)
{
	struct tdp_vm *tdp = tdp_of(vm);
	struct list_node *pos;

	plat_lock(tdp->roots_lock);
	list_for_each(pos, &tdp->roots) {
		struct mmu_page *root = list_entry(pos, struct mmu_page, link);
		struct tdp_iter it;

		if (vis->root)
			vis->root(vis->opaque, root->hpa, root->role, root->root_count);
		if (!vis->spte)
			continue;
		for_each_tdp_spte(&it, vm, root, MMU_LEVEL_4K, 0, UINT64_MAX) {
			/* MMIO and frozen SPTEs are not MMU-present: not mappings. */
			if (spte_is_mmu_present(it.old_spte))
				vis->spte(vis->opaque, tdp_iter_sp(&it), tdp_iter_index(&it),
					  it.old_spte);
		}
	}
	plat_unlock(tdp->roots_lock);
}
