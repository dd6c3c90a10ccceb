/*
 * backends/tdp/iter.h — the TDP iterator: a pre-order walk of the SPTEs of
 * one root that map a gfn range (KVM's tdp_iter idea, written anew).
 *
 * Every TDP operation is a short loop over it:
 *
 *	struct tdp_iter it;
 *
 *	for_each_tdp_spte(&it, vm, root, min_level, start, end) {
 *		... look at it.level, it.gfn, it.old_spte; change *it.sptep ...
 *	}
 *
 * It yields each entry whose range overlaps [start, end), a table entry
 * before the entries of the table it points at, and it steps into a table
 * only down to min_level.  Stepping down re-reads the SPTE, so a table a
 * racing vCPU just installed is followed; a loop body that changes the
 * current SPTE sets it.old_spte (tdp_iter_set does) so the next step sees
 * the new value (a zapped table is not entered; a table just installed is).
 *
 *   level 4   [e0][e1]...            yields e0, then (e0 is a table)
 *   level 3     [f0][f1]...          f0, (f0 a table) ...
 *   level 2       [g0]...            g0 ... g511, back up to f1, f2 ...
 *
 * No yielding: range operations run under the write lock with vCPUs
 * stopped, and faults walk one path.
 */
#ifndef MMULAB_BACKENDS_TDP_ITER_H
#define MMULAB_BACKENDS_TDP_ITER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/x86/format.h"
#include "core/x86/mmu_page.h"
#include "core/x86/spte.h"

/* Lives on the caller's stack; only the caller touches it. */
struct tdp_iter {
	struct mmu_page *pt_path[PT_MAX_LEVEL]; /* [level - 1]: the table holding this level's entry */
	volatile uint64_t *sptep;     /* the current entry */
	uint64_t old_spte;            /* its value when read (or as last set through the iterator) */
	uint64_t gfn;                 /* first gfn the current entry maps */
	uint64_t next_gfn;            /* where a step down lands: the lowest gfn not yet passed */
	uint64_t end;                 /* first gfn past the range */
	const struct spte_format *fmt; /* how to tell tables from leaves */
	uint8_t root_level;           /* level of the root */
	uint8_t min_level;            /* do not step below this level */
	uint8_t level;                /* level of the current entry */
	bool valid;                   /* false once the walk is over */
};

void tdp_iter_start(struct tdp_iter *it, const struct spte_format *fmt,
		    struct mmu_page *root, int min_level, uint64_t start, uint64_t end);
void tdp_iter_next(struct tdp_iter *it);

/* The table holding the current entry, and the entry's index in it. */
static inline struct mmu_page *tdp_iter_sp(const struct tdp_iter *it)
{
	return it->pt_path[it->level - 1];
}

static inline unsigned tdp_iter_index(const struct tdp_iter *it)
{
	return (unsigned)(it->sptep - tdp_iter_sp(it)->spt);
}

/* The current entry is a present table (the walk will step into it). */
static inline bool tdp_iter_is_table(const struct tdp_iter *it)
{
	return spte_is_mmu_present(it->old_spte) &&
	       !spte_is_leaf(it->fmt, it->old_spte, it->level);
}

/* The current entry is a present leaf. */
static inline bool tdp_iter_is_leaf(const struct tdp_iter *it)
{
	return spte_is_mmu_present(it->old_spte) &&
	       spte_is_leaf(it->fmt, it->old_spte, it->level);
}

/*
 * Replace the current SPTE by `new` if it still holds old_spte: the only
 * way an SPTE changes while other threads may change it too (faults under
 * the read lock, the hardware setting A/D).  True on success; on failure
 * old_spte is refreshed with what is there now, for the caller to decide
 * again.
 */
static inline bool tdp_iter_set(struct tdp_iter *it, uint64_t new_spte)
{
	uint64_t seen = plat_cmpxchg64(it->sptep, it->old_spte, new_spte);

	if (seen != it->old_spte) {
		it->old_spte = seen;
		return false;
	}
	it->old_spte = new_spte;
	return true;
}

#define for_each_tdp_spte(it, vm, root, min_level, start, end)                        \
	for (tdp_iter_start((it), &(vm)->spte_fmt, (root), (min_level), (start), (end)); \
	     (it)->valid; tdp_iter_next(it))

#endif
