/*
 * backends/tdp/split.c — splitting huge leaves into tables of smaller
 * leaves with the same translation (KVM's eager page splitting, and the
 * fault path's split of a huge leaf above the goal level).
 *
 * When dirty logging starts, every huge leaf of the slot is split to 4K
 * at once, so the vCPUs' first writes do not each pay for a split under
 * the lock.  The new table is filled before it is linked, so nobody can
 * see it half-built and its 512 entries need no atomics; one cmpxchg then
 * swaps the huge leaf for the table.  The translations stay the same, so
 * KVM does not flush here; this backend flushes once at the end of the
 * call anyway, so that no TLB entry outlives the SPTE it was made from —
 * a rule the sim executor can check, for the price of one flush per slot.
 *
 * Pages come from a per-VM cache topped up OUTSIDE the lock (filling may
 * sleep in the kernel); when it runs dry the lock is dropped, the cache
 * refilled, and the walk starts again — the parts already split have no
 * huge leaves left, so a new pass only walks past them.
 */
#include "backends/tdp/iter.h"
#include "backends/tdp/tdp.h"
#include "core/errors.h"
#include "core/x86/bits.h"

/* Pages per pass: a full cache, so a pass splits up to 40 huge leaves. */
#define SPLIT_TOPUP MMU_CACHE_CAPACITY

uint64_t tdp_split_fill(const struct mmu_vm *vm, struct mmu_page *sp, uint64_t huge,
			int level)
{
	const struct spte_format *f = &vm->spte_fmt;
	unsigned i;

	for (i = 0; i < SPTE_ENT_PER_PAGE; i++) {
		uint64_t child = spte_split_child(f, huge, level, i);

		SPTE_ASSERT_VALID(f, child, level - 1, sp->role.word);
		sp->spt[i] = child;
	}
	return spte_make_table(f, sp->hpa);
}

void tdp_split_account(struct mmu_vm *vm, uint32_t vcpu, uint64_t gfn, int level)
{
	mmu_vm_stat_add(vm, tdp_mapped_stat(level), (uint64_t)-1);
	mmu_vm_stat_add(vm, tdp_mapped_stat(level - 1), SPTE_ENT_PER_PAGE);
	mmu_vm_stat_add(vm, MMU_STAT_SPLITS, 1);
	mmu_trace(vm, TRACE_SPLIT, vcpu, gfn, level, 0, 0);
}

/* The outcome of one pass over the range under the lock. */
struct split_pass {
	bool changed;   /* some huge leaf was split */
	bool dry;       /* the cache ran out before the range was done */
};

/* Read lock held: split the current huge leaf with a page from the split cache. */
static bool split_one(struct mmu_vm *vm, struct tdp_iter *it)
{
	struct tdp_vm *tdp = tdp_of(vm);
	struct mmu_page *parent = tdp_iter_sp(it);
	uint64_t huge = it->old_spte;
	struct mmu_page *sp;
	uint64_t table;

	sp = tdp_page_alloc(&tdp->split_frames, &tdp->split_pages,
			    role_child(parent->role, ACC_ALL, true), it->gfn, it->sptep);
	table = tdp_split_fill(vm, sp, huge, it->level);
	SPTE_ASSERT_VALID(&vm->spte_fmt, table, it->level, parent->role.word);
	/* vCPUs may fault (and the hardware set A/D) meanwhile: swap only what was read. */
	if (!tdp_iter_set(it, table)) {
		tdp_page_unalloc(&tdp->split_frames, &tdp->split_pages, sp);
		return false;
	}
	mmu_account_page(vm, sp->role.level, true);
	mmu_vm_stat_add(vm, MMU_STAT_SPTES_WRITTEN, 1);
	tdp_split_account(vm, UINT32_MAX, it->gfn, it->level);
	mmu_trace(vm, TRACE_SPTE_SET, UINT32_MAX, it->gfn, it->level, huge, table);
	return true;
}

/* Read lock and roots_lock held. */
static void split_root(struct mmu_vm *vm, struct mmu_page *root, uint64_t start,
		       uint64_t end, int target_level, struct split_pass *pass)
{
	struct tdp_vm *tdp = tdp_of(vm);
	struct tdp_iter it;

	/* Leaves at target_level are fine; only entries above it need a look. */
	for_each_tdp_spte(&it, vm, root, target_level + 1, start, end) {
retry:
		if (!tdp_iter_is_leaf(&it))
			continue;
		if (!tdp->split_frames.nobjs || !tdp->split_pages.nobjs) {
			pass->dry = true;
			return;
		}
		if (!split_one(vm, &it))
			goto retry;
		/* The iterator steps into the new table: 1G -> 2M -> 4K in one pass. */
		pass->changed = true;
	}
}

static int split_topup(struct tdp_vm *tdp)
{
	int ret = mmu_cache_topup(&tdp->split_frames, SPLIT_TOPUP);

	return ret ? ret : mmu_cache_topup(&tdp->split_pages, SPLIT_TOPUP);
}

int tdp_split_huge_pages(struct mmu_vm *vm, uint64_t start, uint64_t end, int target_level)
{
	struct tdp_vm *tdp = tdp_of(vm);
	struct split_pass pass = { false, true };
	bool changed = false;
	int ret = 0;

	if (target_level < MMU_LEVEL_4K || target_level >= MMU_MAX_HUGE_LEVEL)
		return MMU_EINVAL;
	plat_lock(tdp->split_lock);
	while (pass.dry) {
		struct list_node *pos;

		ret = split_topup(tdp);
		if (ret)
			break;
		pass.dry = false;
		/* The read lock: vCPUs may keep faulting while their slot is split. */
		plat_read_lock(vm->mmu_lock);
		plat_lock(tdp->roots_lock);
		list_for_each(pos, &tdp->roots) {
			split_root(vm, list_entry(pos, struct mmu_page, link), start, end,
				   target_level, &pass);
			if (pass.dry)
				break;
		}
		plat_unlock(tdp->roots_lock);
		plat_read_unlock(vm->mmu_lock);
		changed |= pass.changed;
	}
	/* Idle pages in the cache would count as metadata: give them back. */
	mmu_cache_free(&tdp->split_frames);
	mmu_cache_free(&tdp->split_pages);
	plat_unlock(tdp->split_lock);
	if (changed)
		mmu_flush_remote_tlbs(vm);
	return ret;
}
