/*
 * backends/tdp/page.c — TDP table pages: taken from memory caches that
 * were filled outside the lock, linked from their frame's private pointer
 * so an SPTE leads to its child's header, and freed.
 */
#include "backends/tdp/tdp.h"

struct mmu_page *tdp_page_alloc(struct mmu_cache *frames, struct mmu_cache *pages,
				union mmu_page_role role, uint64_t gfn,
				volatile uint64_t *parent_sptep)
{
	struct mmu_page *sp = mmu_cache_alloc_obj(pages);

	sp->hpa = mmu_cache_alloc_frame(frames);
	sp->spt = plat_frame_map(sp->hpa);
	sp->gfn = gfn;
	sp->role = role;
	sp->parent_sptep = parent_sptep;
	list_init(&sp->link);
	plat_frame_set_private(sp->hpa, sp);
	return sp;
}

void tdp_page_unalloc(struct mmu_cache *frames, struct mmu_cache *pages,
		      struct mmu_page *sp)
{
	/* Both caches zero what they take back (and drop the private pointer). */
	mmu_cache_return_frame(frames, sp->hpa);
	mmu_cache_return_obj(pages, sp);
}

void tdp_page_free(struct mmu_vm *vm, struct mmu_page *sp)
{
	mmu_account_page(vm, sp->role.level, false);
	plat_frame_set_private(sp->hpa, NULL);
	plat_frame_free(sp->hpa);
	plat_free(sp);
}
