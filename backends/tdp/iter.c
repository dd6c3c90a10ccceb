/*
 * backends/tdp/iter.c — the pre-order walk behind for_each_tdp_spte.
 *
 * Three moves, tried in this order after each entry: down into the table
 * the entry points at, sideways to the next entry of the same table, or
 * up to the parent (then sideways there).  The walk ends when it would
 * step past the range's end or above the root.
 */
#include "backends/tdp/iter.h"

#include "backends/tdp/tdp.h"

static unsigned gfn_index(uint64_t gfn, int level)
{
	return (unsigned)(gfn >> (9 * (level - 1))) & (SPTE_ENT_PER_PAGE - 1);
}

/* Point at the entry of the current level's table that maps gfn, and read it. */
static void iter_load(struct tdp_iter *it, uint64_t gfn)
{
	it->gfn = tdp_round_gfn(gfn, it->level);
	it->sptep = &tdp_iter_sp(it)->spt[gfn_index(it->gfn, it->level)];
	it->old_spte = plat_atomic_read64(it->sptep);
}

void tdp_iter_start(struct tdp_iter *it, const struct spte_format *fmt,
		    struct mmu_page *root, int min_level, uint64_t start, uint64_t end)
{
	int root_level = root->role.level;
	/* A root maps gfns below 512^root_level (2^36 or 2^45 of them). */
	uint64_t limit = tdp_level_pages(root_level) << 9;

	MMU_ASSERT(min_level >= 1 && min_level <= root_level, "min_level %d, root level %d",
		   min_level, root_level);
	it->fmt = fmt;
	it->root_level = (uint8_t)root_level;
	it->min_level = (uint8_t)min_level;
	it->level = (uint8_t)root_level;
	it->pt_path[root_level - 1] = root;
	it->end = end < limit ? end : limit;
	it->next_gfn = start;
	it->valid = start < it->end;
	if (it->valid)
		iter_load(it, start);
}

static bool try_step_down(struct tdp_iter *it)
{
	struct mmu_page *child;

	if (it->level == it->min_level || !tdp_iter_is_table(it))
		return false;
	child = mmu_page_of(spte_addr(it->fmt, it->old_spte, it->level));
	MMU_ASSERT(child, "table SPTE 0x%llx at level %d points at no mmu_page",
		   (unsigned long long)it->old_spte, it->level);
	it->level--;
	it->pt_path[it->level - 1] = child;
	/* next_gfn lies in the entry just left: land on the entry holding it. */
	iter_load(it, it->next_gfn);
	return true;
}

static bool try_step_side(struct tdp_iter *it)
{
	if (gfn_index(it->gfn, it->level) == SPTE_ENT_PER_PAGE - 1)
		return false;
	it->gfn += tdp_level_pages(it->level);
	it->next_gfn = it->gfn;
	it->sptep++;
	it->old_spte = plat_atomic_read64(it->sptep);
	return true;
}

static bool try_step_up(struct tdp_iter *it)
{
	if (it->level == it->root_level)
		return false;
	it->level++;
	it->gfn = tdp_round_gfn(it->gfn, it->level);
	it->sptep = &tdp_iter_sp(it)->spt[gfn_index(it->gfn, it->level)];
	/* Not re-read: the next move is sideways from here, never down. */
	return true;
}

void tdp_iter_next(struct tdp_iter *it)
{
	if (try_step_down(it))
		return;
	for (;;) {
		if (try_step_side(it)) {
			if (it->gfn >= it->end)
				it->valid = false;
			return;
		}
		if (!try_step_up(it)) {
			it->valid = false;
			return;
		}
	}
}
