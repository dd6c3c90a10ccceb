/*
 * core/mmu/memslot.c — the MMU's view of memslots, and which page sizes
 * each gfn of a memslot may be mapped with.
 *
 * Memslots change only while no vCPU runs (the executor's guarantee, where
 * KVM uses SRCU), so lookups on the fault path take no lock.  Every change
 * still happens under the write lock and bumps memslot_gen (which makes
 * every MMIO SPTE stale: the gfn may now be memory) and invalidate_seq
 * (which makes a fault that raced with it retry).
 */
#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/mmu/mmu_internal.h"
#include "core/x86/bits.h"

/* log2 of the pages a leaf at `level` maps: 0, 9, 18. */
static unsigned level_shift(int level)
{
	return 9u * (unsigned)(level - 1);
}

/*
 * lpage_disallow for a slot at [base, base+npages): one counter per huge
 * region touched; the ragged first and last regions are not wholly in the
 * slot, so one leaf cannot map them (KVM's disallow_lpage at slot edges).
 */
static int lpage_alloc(struct mmu_memslot *slot)
{
	int level;

	for (level = MMU_LEVEL_2M; level <= MMU_MAX_HUGE_LEVEL; level++) {
		unsigned shift = level_shift(level);
		uint64_t size = 1ULL << shift;
		uint64_t first = slot->base_gfn >> shift;
		uint64_t last = (slot->base_gfn + slot->npages - 1) >> shift;
		uint64_t n = last - first + 1;
		uint32_t *a = plat_zalloc(n * sizeof(*a));

		if (!a)
			return MMU_ENOMEM;
		if (slot->base_gfn & (size - 1))
			a[0]++;
		if ((slot->base_gfn + slot->npages) & (size - 1))
			a[n - 1]++;
		slot->lpage_disallow[level - MMU_LEVEL_2M] = a;
	}
	return 0;
}

static void lpage_free(struct mmu_memslot *slot)
{
	unsigned i;

	for (i = 0; i < MMU_MAX_HUGE_LEVEL - 1; i++) {
		plat_free(slot->lpage_disallow[i]);
		slot->lpage_disallow[i] = NULL;
	}
}

void mmu_memslot_free(struct mmu_memslot *slot)
{
	lpage_free(slot);
	plat_free(slot);
}

struct mmu_memslot *mmu_find_memslot(const struct mmu_vm *vm, uint64_t gfn)
{
	unsigned lo = 0, hi = vm->nr_slots;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		struct mmu_memslot *s = vm->slots[mid];

		if (gfn < s->base_gfn)
			hi = mid;
		else if (gfn >= s->base_gfn + s->npages)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

struct mmu_memslot *mmu_memslot_by_id(const struct mmu_vm *vm, uint32_t id)
{
	unsigned i;

	for (i = 0; i < vm->nr_slots; i++)
		if (vm->slots[i]->id == id)
			return vm->slots[i];
	return NULL;
}

/* Does [base, base+npages) overlap a slot other than `self`? */
static bool overlaps(const struct mmu_vm *vm, const struct mmu_memslot *self,
		     uint64_t base, uint64_t npages)
{
	unsigned i;

	for (i = 0; i < vm->nr_slots; i++) {
		const struct mmu_memslot *s = vm->slots[i];

		if (s != self && base < s->base_gfn + s->npages && s->base_gfn < base + npages)
			return true;
	}
	return false;
}

/* Keep vm->slots sorted by base_gfn after `slot` changed or was appended. */
static void sort_slots(struct mmu_vm *vm)
{
	unsigned i, j;

	for (i = 1; i < vm->nr_slots; i++)
		for (j = i; j > 0 && vm->slots[j - 1]->base_gfn > vm->slots[j]->base_gfn; j--) {
			struct mmu_memslot *t = vm->slots[j];

			vm->slots[j] = vm->slots[j - 1];
			vm->slots[j - 1] = t;
		}
}

/* Under the write lock: the layout changed. */
static void memslots_changed(struct mmu_vm *vm, const struct mmu_memslot *slot)
{
	vm->memslot_gen = (vm->memslot_gen + 1) & SPTE_MMIO_GEN_MASK;
	vm->invalidate_seq++;
	mmu_trace(vm, TRACE_MEMSLOT, UINT32_MAX, slot->base_gfn, 0, slot->flags, slot->npages);
}

static bool range_fits(const struct mmu_vm *vm, uint64_t base, uint64_t npages)
{
	uint64_t limit = 1ULL << (mmu_tdp_bits(&vm->cfg) - PAGE_SHIFT);

	return npages && base < limit && npages <= limit - base;
}

int mmu_memslot_create(struct mmu_vm *vm, uint32_t id, uint64_t base_gfn, uint64_t npages,
		       uint32_t flags, int host_level)
{
	struct mmu_memslot *slot;
	int ret;

	if (vm->nr_slots == MMU_MAX_MEMSLOTS || mmu_memslot_by_id(vm, id) ||
	    host_level < MMU_LEVEL_4K || host_level > MMU_MAX_HUGE_LEVEL)
		return MMU_EINVAL;
	if (!range_fits(vm, base_gfn, npages))
		return MMU_ERANGE;
	if (overlaps(vm, NULL, base_gfn, npages))
		return MMU_EOVERLAP;
	slot = plat_zalloc(sizeof(*slot));
	if (!slot)
		return MMU_ENOMEM;
	slot->id = id;
	slot->base_gfn = base_gfn;
	slot->npages = npages;
	slot->flags = flags;
	slot->host_level = (uint8_t)host_level;
	ret = lpage_alloc(slot);
	if (ret) {
		mmu_memslot_free(slot);
		return ret;
	}
	plat_write_lock(vm->mmu_lock);
	vm->slots[vm->nr_slots++] = slot;
	sort_slots(vm);
	memslots_changed(vm, slot);
	plat_write_unlock(vm->mmu_lock);
	return 0;
}

/* Under the write lock: nothing may map [base, base+npages) any more. */
static void zap_and_flush(struct mmu_vm *vm, uint64_t base, uint64_t npages)
{
	if (vm->ops->zap_gfn_range(vm, base, base + npages))
		mmu_flush_remote_tlbs(vm);
}

int mmu_memslot_delete(struct mmu_vm *vm, uint32_t id)
{
	struct mmu_memslot *slot = mmu_memslot_by_id(vm, id);
	unsigned i;

	if (!slot)
		return MMU_EINVAL;
	plat_write_lock(vm->mmu_lock);
	zap_and_flush(vm, slot->base_gfn, slot->npages);
	for (i = 0; vm->slots[i] != slot; i++)
		;
	for (; i + 1 < vm->nr_slots; i++)
		vm->slots[i] = vm->slots[i + 1];
	vm->nr_slots--;
	memslots_changed(vm, slot);
	plat_write_unlock(vm->mmu_lock);
	mmu_memslot_free(slot);
	return 0;
}

int mmu_memslot_move(struct mmu_vm *vm, uint32_t id, uint64_t new_base_gfn)
{
	struct mmu_memslot *slot = mmu_memslot_by_id(vm, id), moved;
	int ret;

	if (!slot)
		return MMU_EINVAL;
	if (!range_fits(vm, new_base_gfn, slot->npages))
		return MMU_ERANGE;
	if (overlaps(vm, slot, new_base_gfn, slot->npages))
		return MMU_EOVERLAP;
	/* Build the new huge-page counters first: nothing may fail under the lock. */
	moved = *slot;
	moved.base_gfn = new_base_gfn;
	ret = lpage_alloc(&moved);
	if (ret) {
		lpage_free(&moved);
		return ret;
	}
	plat_write_lock(vm->mmu_lock);
	zap_and_flush(vm, slot->base_gfn, slot->npages);
	lpage_free(slot);
	*slot = moved;
	sort_slots(vm);
	memslots_changed(vm, slot);
	plat_write_unlock(vm->mmu_lock);
	return 0;
}

int mmu_max_mapping_level(const struct mmu_vm *vm, const struct mmu_memslot *slot,
			  uint64_t gfn)
{
	int max = vm->cfg.gbpages ? MMU_LEVEL_1G : MMU_LEVEL_2M;
	int level;

	/* A logged slot is mapped 4K so each write is logged per page (KVM). */
	if (slot->flags & MMU_SLOT_DIRTY_LOG)
		return MMU_LEVEL_4K;
	if (slot->host_level < max)
		max = slot->host_level;
	for (level = max; level > MMU_LEVEL_4K; level--) {
		unsigned shift = level_shift(level);
		uint64_t idx = (gfn >> shift) - (slot->base_gfn >> shift);

		if (!slot->lpage_disallow[level - MMU_LEVEL_2M][idx])
			return level;
	}
	return MMU_LEVEL_4K;
}
