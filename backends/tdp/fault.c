/*
 * backends/tdp/fault.c — the TDP page fault (KVM's kvm_tdp_mmu_page_fault
 * and kvm_tdp_mmu_map), run by many vCPU threads at once.
 *
 *   1. a reserved-bit fault: the hardware hit an MMIO SPTE (mmio.c);
 *   2. no memslot: cache "MMIO" in an SPTE; a write to ROM: emulate;
 *   3. look the host page up WITHOUT the lock, then take the read lock and
 *      retry if an invalidation ran in between (the host page may be gone);
 *   4. walk down from the root to the goal level, linking missing tables
 *      and splitting a huge leaf above the goal;
 *   5. install or fix the leaf.
 *
 * Faults run under the read lock; every SPTE change on this path is a
 * cmpxchg against the value read, so two vCPUs never both install a table
 * at one place and nobody overwrites what someone else just wrote.  A
 * thread that must change an SPTE in several steps freezes it first
 * (SPTE_FROZEN); any other fault that meets a frozen SPTE retries.
 */
#include "backends/tdp/iter.h"
#include "backends/tdp/tdp.h"
#include "core/errors.h"
#include "core/x86/bits.h"

/* One fault, as the walk needs it. */
struct tdp_fault {
	struct mmu_vcpu *v;          /* the faulting vCPU */
	struct mmu_memslot *slot;    /* the memslot holding gfn */
	uint64_t gfn;                /* the faulting gfn */
	uint64_t base_gfn;           /* gfn rounded down to the goal level: what hpa backs */
	hpa_t hpa;                   /* host page of base_gfn, contiguous over the goal level */
	int goal;                    /* the largest leaf level allowed (mmu_max_mapping_level) */
	enum access_kind access;     /* read, write or fetch */
	bool host_writable;          /* the host page may be written */
};

/* What the step at one entry decided. */
enum tdp_step {
	STEP_NEXT,   /* go on down the walk */
	STEP_AGAIN,  /* the entry changed under us: decide again */
	STEP_DONE,   /* the fault is answered */
};

struct mmu_page *tdp_vcpu_root(const struct mmu_vcpu *v)
{
	hpa_t hpa = mmu_current_root(v);
	struct mmu_page *root = hpa == MMU_INVALID_ROOT ? NULL : mmu_page_of(hpa);

	MMU_ASSERT(root, "vCPU %u faulted with no TDP root loaded (hpa 0x%llx)", v->id,
		   (unsigned long long)hpa);
	return root;
}

bool tdp_link_table(struct mmu_vcpu *v, struct tdp_iter *it)
{
	struct mmu_vm *vm = v->vm;
	struct mmu_page *parent = tdp_iter_sp(it);
	union mmu_page_role role = role_child(parent->role, ACC_ALL, true);
	struct mmu_page *sp = tdp_page_alloc(&v->frame_cache, &v->page_cache, role, it->gfn,
					     it->sptep);
	uint64_t old = it->old_spte;
	uint64_t spte = spte_make_table(&vm->spte_fmt, sp->hpa);

	SPTE_ASSERT_VALID(&vm->spte_fmt, spte, it->level, parent->role.word);
	if (!tdp_iter_set(it, spte)) {
		tdp_page_unalloc(&v->frame_cache, &v->page_cache, sp);
		return false;
	}
	mmu_account_page(vm, role.level, true);
	mmu_vcpu_stat_add(v, MMU_STAT_SPTES_WRITTEN, 1);
	mmu_trace(vm, TRACE_SPTE_SET, v->id, it->gfn, it->level, old, spte);
	return true;
}

/*
 * A huge leaf above the goal (dirty logging started after it was mapped,
 * without eager splitting): freeze it so no other fault touches it, flush
 * the translations made from it, then link a table of 512 smaller leaves
 * with the same rights in its place.
 */
static enum tdp_step split_above_goal(struct tdp_fault *tf, struct tdp_iter *it)
{
	struct mmu_vcpu *v = tf->v;
	struct mmu_vm *vm = v->vm;
	struct mmu_page *parent = tdp_iter_sp(it);
	uint64_t huge = it->old_spte;
	struct mmu_page *sp;
	uint64_t table;

	if (!tdp_iter_set(it, SPTE_FROZEN))
		return STEP_AGAIN;
	mmu_flush_remote_tlbs(vm);
	sp = tdp_page_alloc(&v->frame_cache, &v->page_cache,
			    role_child(parent->role, ACC_ALL, true), it->gfn, it->sptep);
	table = tdp_split_fill(vm, sp, huge, it->level);
	SPTE_ASSERT_VALID(&vm->spte_fmt, table, it->level, parent->role.word);
	/* Frozen: nobody else may write it, so a plain atomic store ends the window. */
	plat_atomic_write64(it->sptep, table);
	it->old_spte = table;
	mmu_account_page(vm, sp->role.level, true);
	mmu_vcpu_stat_add(v, MMU_STAT_SPTES_WRITTEN, 1);
	tdp_split_account(vm, v->id, it->gfn, it->level);
	mmu_trace(vm, TRACE_SPTE_SET, v->id, it->gfn, it->level, huge, table);
	return STEP_NEXT;
}

/* The host page of the entry at it->gfn (inside the goal-level region). */
static hpa_t entry_hpa(const struct tdp_fault *tf, const struct tdp_iter *it)
{
	return tf->hpa + ((it->gfn - tf->base_gfn) << PAGE_SHIFT);
}

static uint64_t make_leaf(const struct tdp_fault *tf, const struct tdp_iter *it)
{
	const struct mmu_vm *vm = tf->v->vm;
	bool write = tf->access == ACCESS_WRITE;
	struct spte_leaf_args a = {
		.hpa = entry_hpa(tf, it),
		.level = it->level,
		.acc = (tf->slot->flags & MMU_SLOT_READONLY) ? ACC_ALL & ~ACC_WRITE : ACC_ALL,
		.host_writable = tf->host_writable,
		.write = write,
		/* Write-protection logging: a read maps read-only so the first write is seen. */
		.wrprot = (tf->slot->flags & MMU_SLOT_DIRTY_LOG) &&
			  vm->cfg.dirty_mode == MMU_DIRTY_WRPROT && !write,
	};

	return spte_make_leaf(&vm->spte_fmt, &a);
}

/* The bookkeeping of a leaf installed or fixed by this fault. */
static enum tdp_step leaf_done(struct tdp_fault *tf, struct tdp_iter *it, struct mmu_fault *f,
			       uint64_t old)
{
	struct mmu_vcpu *v = tf->v;

	mmu_vcpu_stat_add(v, MMU_STAT_PF_FIXED, 1);
	mmu_vcpu_stat_add(v, MMU_STAT_SPTES_WRITTEN, 1);
	mmu_trace(v->vm, TRACE_SPTE_SET, v->id, it->gfn, it->level, old, it->old_spte);
	if (tf->access == ACCESS_WRITE)
		mmu_mark_page_dirty(v->vm, tf->slot, tf->gfn);
	f->outcome = MMU_FAULT_FIXED;
	f->level = it->level;
	return STEP_DONE;
}

/* A non-present entry (or a stale MMIO SPTE) at or below the goal: map it. */
static enum tdp_step install_leaf(struct tdp_fault *tf, struct tdp_iter *it,
				  struct mmu_fault *f)
{
	struct mmu_vm *vm = tf->v->vm;
	uint64_t old = it->old_spte;
	uint64_t leaf = make_leaf(tf, it);

	SPTE_ASSERT_VALID(&vm->spte_fmt, leaf, it->level, tdp_iter_sp(it)->role.word);
	if (!tdp_iter_set(it, leaf))
		return STEP_AGAIN;
	/*
	 * Counted in the faulting vCPU, not the VM: a shared counter would
	 * bounce between vCPU threads on every fault.  Zaps subtract in the
	 * VM's copy; mmu_stats_read adds both (modulo 2^64, so it stays exact).
	 */
	mmu_vcpu_stat_add(tf->v, tdp_mapped_stat(it->level), 1);
	return leaf_done(tf, it, f, old);
}

/*
 * The host now gives a different page for a leaf it had given read-only
 * (a write to a shared page gets a private copy): freeze, flush the old
 * translation, install the new leaf.
 */
static enum tdp_step replace_leaf(struct tdp_fault *tf, struct tdp_iter *it,
				  struct mmu_fault *f)
{
	struct mmu_vm *vm = tf->v->vm;
	uint64_t old = it->old_spte;
	uint64_t leaf = make_leaf(tf, it);

	SPTE_ASSERT_VALID(&vm->spte_fmt, leaf, it->level, tdp_iter_sp(it)->role.word);
	if (!tdp_iter_set(it, SPTE_FROZEN))
		return STEP_AGAIN;
	mmu_flush_remote_tlbs(vm);
	plat_atomic_write64(it->sptep, leaf);
	it->old_spte = leaf;
	return leaf_done(tf, it, f, old);
}

/* Would the hardware let this access through the leaf as it is? */
static bool leaf_allows(const struct spte_format *f, uint64_t spte, enum access_kind access)
{
	if (spte_is_access_tracked(f, spte))
		return false;
	if (access == ACCESS_WRITE)
		return spte_is_writable(f, spte);
	if (access == ACCESS_FETCH)
		return spte_access(f, spte) & ACC_EXEC;
	return true;
}

/*
 * A present leaf at or below the goal.  Nothing to do if it already
 * allows the access (another vCPU fixed it); else give back what was
 * taken away on purpose: R/X of an access-tracked leaf, W of a leaf
 * write-protected for dirty logging.
 */
static enum tdp_step fix_leaf(struct tdp_fault *tf, struct tdp_iter *it, struct mmu_fault *f)
{
	struct mmu_vcpu *v = tf->v;
	const struct spte_format *fmt = &v->vm->spte_fmt;
	uint64_t old = it->old_spte, leaf = old;
	bool write = tf->access == ACCESS_WRITE;
	bool tracked = spte_is_access_tracked(fmt, old);

	if (spte_addr(fmt, old, it->level) != entry_hpa(tf, it)) {
		/* Only a write to a page the host had shared read-only may move it. */
		MMU_ASSERT(write && !spte_is_host_writable(fmt, old),
			   "leaf 0x%llx at level %d (role 0x%08x) maps gfn 0x%llx to hpa 0x%llx, "
			   "the host now says 0x%llx: an invalidation was missed",
			   (unsigned long long)old, it->level, tdp_iter_sp(it)->role.word,
			   (unsigned long long)it->gfn,
			   (unsigned long long)spte_addr(fmt, old, it->level),
			   (unsigned long long)entry_hpa(tf, it));
		return replace_leaf(tf, it, f);
	}
	if (leaf_allows(fmt, old, tf->access)) {
		mmu_vcpu_stat_add(v, MMU_STAT_PF_SPURIOUS, 1);
		f->outcome = MMU_FAULT_SPURIOUS;
		f->level = it->level;
		return STEP_DONE;
	}
	if (tracked)
		leaf = spte_restore_access_tracked(fmt, leaf);
	if (write && !spte_is_writable(fmt, leaf)) {
		/* Not MMU-writable: the host page was read-only then; it is not now. */
		if (!spte_is_mmu_writable(fmt, leaf))
			return replace_leaf(tf, it, f);
		leaf = spte_make_writable(fmt, leaf);
	}
	SPTE_ASSERT_VALID(fmt, leaf, it->level, tdp_iter_sp(it)->role.word);
	if (!tdp_iter_set(it, leaf))
		return STEP_AGAIN;
	if (tracked)
		mmu_vcpu_stat_add(v, MMU_STAT_PF_ACC_TRACK, 1);
	if (spte_is_writable(fmt, leaf) && !spte_is_writable(fmt, old))
		mmu_vcpu_stat_add(v, MMU_STAT_PF_WRPROT, 1);
	return leaf_done(tf, it, f, old);
}

/* Decide what to do at the current entry of the walk toward tf->gfn. */
static enum tdp_step fault_step(struct tdp_fault *tf, struct tdp_iter *it, struct mmu_fault *f)
{
	if (spte_is_frozen(it->old_spte)) {
		/* Another vCPU is half-way through changing it: come back later. */
		mmu_vcpu_stat_add(tf->v, MMU_STAT_PF_RETRY, 1);
		f->outcome = MMU_FAULT_RETRY;
		return STEP_DONE;
	}
	if (tdp_iter_is_table(it))
		return STEP_NEXT; /* also below the goal: map with smaller pages then */
	if (it->level > tf->goal) {
		if (tdp_iter_is_leaf(it))
			return split_above_goal(tf, it);
		return tdp_link_table(tf->v, it) ? STEP_NEXT : STEP_AGAIN;
	}
	if (tdp_iter_is_leaf(it))
		return fix_leaf(tf, it, f);
	return install_leaf(tf, it, f);
}

/* Read lock held: walk from the root to the goal level and map tf->gfn. */
static void tdp_map(struct tdp_fault *tf, struct mmu_fault *f)
{
	struct tdp_iter it;

	for_each_tdp_spte(&it, tf->v->vm, tdp_vcpu_root(tf->v), MMU_LEVEL_4K, tf->gfn,
			  tf->gfn + 1) {
		enum tdp_step step;

		do
			step = fault_step(tf, &it, f);
		while (step == STEP_AGAIN);
		if (step == STEP_DONE)
			return;
	}
	/* A level-1 entry is never a table, so the walk always ends above. */
	MMU_ASSERT(false, "fault walk for gfn 0x%llx found no level-1 entry",
		   (unsigned long long)tf->gfn);
}

/* The fault cannot be mapped: the executor emulates the access (a write to ROM is dropped). */
static int emulate(struct mmu_vcpu *v, struct mmu_fault *f)
{
	mmu_vcpu_stat_add(v, MMU_STAT_PF_MMIO, 1);
	f->outcome = MMU_FAULT_MMIO;
	return 0;
}

int tdp_page_fault(struct mmu_vcpu *v, struct mmu_fault *f)
{
	struct mmu_vm *vm = v->vm;
	struct tdp_fault tf = { .v = v, .gfn = f->addr >> PAGE_SHIFT, .access = f->access };
	uint64_t seq;
	bool stale;
	int ret;

	f->mmio_fast = false;
	f->level = 0;
	if (f->rsvd && tdp_mmio_fault(v, f, tf.gfn))
		return 0;
	tf.slot = mmu_find_memslot(vm, tf.gfn);
	if (!tf.slot) {
		tdp_map_mmio(v, f, tf.gfn);
		return 0;
	}
	if (tf.access == ACCESS_WRITE && (tf.slot->flags & MMU_SLOT_READONLY))
		return emulate(v, f);
	tf.goal = mmu_max_mapping_level(vm, tf.slot, tf.gfn);
	tf.base_gfn = tdp_round_gfn(tf.gfn, tf.goal);
	/*
	 * The host lookup may sleep (it allocates on first touch), so it runs
	 * outside the lock; an invalidation that runs meanwhile bumps the
	 * sequence and this fault retries rather than map a page now gone.
	 */
	seq = plat_atomic_read64(&vm->invalidate_seq);
	ret = vm->host.gfn_to_hpa(vm->host.opaque, tf.base_gfn, tf.access == ACCESS_WRITE,
				  &tf.hpa, &tf.host_writable);
	if (ret)
		return ret;
	if (tf.access == ACCESS_WRITE && !tf.host_writable)
		return emulate(v, f);
	plat_read_lock(vm->mmu_lock);
	stale = plat_atomic_read64(&vm->invalidate_in_progress) ||
		plat_atomic_read64(&vm->invalidate_seq) != seq;
	if (stale) {
		mmu_vcpu_stat_add(v, MMU_STAT_PF_RETRY, 1);
		f->outcome = MMU_FAULT_RETRY;
	} else {
		tdp_map(&tf, f);
	}
	plat_read_unlock(vm->mmu_lock);
	return 0;
}
