/*
 * backends/tdp/ops.c — the TDP backend's ops table and its per-VM state.
 */
#include "backends/tdp/tdp.h"
#include "backends/tdp/tdp_backend.h"
#include "core/errors.h"

static int tdp_vm_init(struct mmu_vm *vm)
{
	struct tdp_vm *tdp = plat_zalloc(sizeof(*tdp));

	if (!tdp)
		return MMU_ENOMEM;
	tdp->roots_lock = plat_lock_new();
	tdp->split_lock = plat_lock_new();
	if (!tdp->roots_lock || !tdp->split_lock) {
		plat_lock_free(tdp->roots_lock);
		plat_lock_free(tdp->split_lock);
		plat_free(tdp);
		return MMU_ENOMEM;
	}
	list_init(&tdp->roots);
	mmu_cache_init(&tdp->split_frames, MMU_CACHE_FRAMES, 0);
	mmu_cache_init(&tdp->split_pages, MMU_CACHE_OBJECTS, sizeof(struct mmu_page));
	vm->backend = tdp;
	return 0;
}

/* Table pages allocated and not freed: every allocation is accounted in vm->stats. */
static uint64_t live_pages(const struct mmu_vm *vm)
{
	uint64_t alloc = 0;
	int level;

	for (level = 1; level <= PT_MAX_LEVEL; level++)
		alloc += plat_atomic_read64(&vm->stats[MMU_STAT_PAGES_ALLOC_L1 + level - 1]);
	return alloc - plat_atomic_read64(&vm->stats[MMU_STAT_PAGES_FREED]);
}

static void tdp_vm_destroy(struct mmu_vm *vm)
{
	struct tdp_vm *tdp = tdp_of(vm);

	if (!tdp)
		return;
	/* Common code put every root first, and a root's tree goes with it. */
	MMU_ASSERT(list_empty(&tdp->roots), "TDP VM destroyed with roots still referenced");
	MMU_ASSERT(live_pages(vm) == 0, "TDP VM destroyed with %llu table pages leaked",
		   (unsigned long long)live_pages(vm));
	mmu_cache_free(&tdp->split_frames);
	mmu_cache_free(&tdp->split_pages);
	plat_lock_free(tdp->roots_lock);
	plat_lock_free(tdp->split_lock);
	plat_free(tdp);
	vm->backend = NULL;
}

const struct mmu_backend_ops tdp_backend = {
	.name = "tdp",
	.description = "two-dimensional paging (EPT/NPT): per-role shared roots, parallel faults",
	.vm_init = tdp_vm_init,
	.vm_destroy = tdp_vm_destroy,
	.root_role = tdp_root_role,
	.get_root = tdp_get_root,
	.put_root = tdp_put_root,
	.page_fault = tdp_page_fault,
	.sync = NULL, /* TDP tables shadow no guest table: nothing to sync on INVLPG/CR3 */
	.zap_gfn_range = tdp_zap_gfn_range,
	.wrprot_gfn_range = tdp_wrprot_gfn_range,
	.clear_dirty_gfn_range = tdp_clear_dirty_gfn_range,
	.split_huge_pages = tdp_split_huge_pages,
	.age_gfn_range = tdp_age_gfn_range,
	.visit = tdp_visit,
};
