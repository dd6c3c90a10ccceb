/*
 * core/vm/vm_slots.c — memslot changes, dirty bitmaps and guest writes.
 *
 * Memslots change only while no vCPU runs (executors run memslot steps
 * between accesses), so vm->slots is read without a lock.  Each change
 * updates the VM and, when one is attached, the MMU: the MMU first when
 * memory goes away (it zaps and flushes, so nothing maps the frames freed
 * next), the VM first when memory appears.
 *
 * The dirty log holds the pages the guest wrote: its data writes and the
 * CPU's A/D updates of its own page tables.  Host-side writes (write-gpa,
 * the VMM's table builder) are not logged, as KVM logs only guest writes
 * and its own writes on the guest's behalf.  A slot's bitmap exists while
 * the slot logs; it is allocated when logging starts and freed when it
 * stops, and bits are set with an atomic or (vCPU threads log at once).
 */
#include "core/errors.h"
#include "core/vm/vm_internal.h"
#include "core/x86/bits.h"

#define BITS_PER_WORD 64

static uint64_t bitmap_words(uint64_t npages)
{
	return (npages + BITS_PER_WORD - 1) / BITS_PER_WORD;
}

struct memslot *vm_memslot_by_id(const struct vm *vm, uint32_t id)
{
	unsigned i;

	for (i = 0; i < vm->nr_slots; i++)
		if (vm->slots[i]->id == id)
			return vm->slots[i];
	return NULL;
}

/* Does [base, base+npages) overlap a slot other than `self`? */
static bool overlaps(const struct vm *vm, const struct memslot *self, uint64_t base,
		     uint64_t npages)
{
	unsigned i;

	for (i = 0; i < vm->nr_slots; i++) {
		const struct memslot *s = vm->slots[i];

		if (s != self && base < s->base_gfn + s->npages && s->base_gfn < base + npages)
			return true;
	}
	return false;
}

/* Keep vm->slots sorted by base_gfn (vm_find_memslot bisects it). */
static void sort_slots(struct vm *vm)
{
	unsigned i, j;

	for (i = 1; i < vm->nr_slots; i++)
		for (j = i; j > 0 && vm->slots[j - 1]->base_gfn > vm->slots[j]->base_gfn; j--) {
			struct memslot *t = vm->slots[j];

			vm->slots[j] = vm->slots[j - 1];
			vm->slots[j - 1] = t;
		}
}

static void unlink_slot(struct vm *vm, const struct memslot *s)
{
	unsigned i;

	for (i = 0; vm->slots[i] != s; i++)
		;
	for (; i + 1 < vm->nr_slots; i++)
		vm->slots[i] = vm->slots[i + 1];
	vm->nr_slots--;
}

/* Is [gpa, gpa+size) a range a slot with this backing can have? */
static int check_range(const struct vm *vm, uint64_t gpa, uint64_t size, int backing)
{
	uint64_t align = PAGE_SIZE_4K << vm_backing_order(backing);

	if ((gpa | size) & (align - 1) || !size)
		return MMU_EINVAL;
	if (gpa + size < gpa || gpa + size > (1ULL << vm->feat.maxphyaddr))
		return MMU_ERANGE;
	return 0;
}

int vm_memslot_create(struct vm *vm, uint32_t id, uint64_t base_gpa, uint64_t size,
		      uint32_t flags, int backing)
{
	struct memslot *slot;
	int ret;

	if (backing < MMU_LEVEL_4K || backing > MMU_LEVEL_1G ||
	    (flags & ~(MEMSLOT_READONLY | MEMSLOT_DIRTY_LOG)))
		return MMU_EINVAL;
	ret = check_range(vm, base_gpa, size, backing);
	if (ret)
		return ret;
	if (vm->nr_slots == VM_MAX_MEMSLOTS)
		return MMU_ENOMEM;
	if (overlaps(vm, NULL, base_gpa >> PAGE_SHIFT, size >> PAGE_SHIFT))
		return MMU_EOVERLAP;
	if (vm_memslot_by_id(vm, id))
		return MMU_EINVAL;
	slot = plat_zalloc(sizeof(*slot));
	if (!slot)
		return MMU_ENOMEM;
	slot->id = id;
	slot->base_gfn = base_gpa >> PAGE_SHIFT;
	slot->npages = size >> PAGE_SHIFT;
	slot->flags = flags;
	slot->backing = (uint8_t)backing;
	frame_map_init(&slot->frames, vm_backing_order(backing));
	if (flags & MEMSLOT_DIRTY_LOG) {
		slot->dirty_bitmap = plat_zalloc(bitmap_words(slot->npages) * sizeof(uint64_t));
		if (!slot->dirty_bitmap) {
			plat_free(slot);
			return MMU_ENOMEM;
		}
	}
	vm->slots[vm->nr_slots++] = slot;
	sort_slots(vm);
	if (vm->mmu) {
		ret = mmu_memslot_create(vm->mmu, id, slot->base_gfn, slot->npages, flags, backing);
		if (ret) {
			unlink_slot(vm, slot);
			vm_slot_free(slot);
			return ret;
		}
	}
	return 0;
}

int vm_memslot_delete(struct vm *vm, uint32_t id)
{
	struct memslot *slot = vm_memslot_by_id(vm, id);
	int ret;

	if (!slot)
		return MMU_EINVAL;
	if (vm->mmu) {
		ret = mmu_memslot_delete(vm->mmu, id);
		if (ret)
			return ret;
	}
	unlink_slot(vm, slot);
	vm_slot_retire(vm, slot);
	return 0;
}

/* The frames are indexed by page within the slot, so contents move with it for free. */
int vm_memslot_move(struct vm *vm, uint32_t id, uint64_t new_base_gpa)
{
	struct memslot *slot = vm_memslot_by_id(vm, id);
	int ret;

	if (!slot)
		return MMU_EINVAL;
	ret = check_range(vm, new_base_gpa, slot->npages << PAGE_SHIFT, slot->backing);
	if (ret)
		return ret;
	if (overlaps(vm, slot, new_base_gpa >> PAGE_SHIFT, slot->npages))
		return MMU_EOVERLAP;
	if (vm->mmu) {
		ret = mmu_memslot_move(vm->mmu, id, new_base_gpa >> PAGE_SHIFT);
		if (ret)
			return ret;
	}
	slot->base_gfn = new_base_gpa >> PAGE_SHIFT;
	sort_slots(vm);
	return 0;
}

/* As KVM_SET_USER_MEMORY_REGION on an existing slot: only dirty logging may change. */
int vm_memslot_set_flags(struct vm *vm, uint32_t id, uint32_t flags)
{
	struct memslot *slot = vm_memslot_by_id(vm, id);
	uint64_t *bitmap = NULL;
	uint32_t changed;
	int ret = 0;

	if (!slot)
		return MMU_EINVAL;
	changed = slot->flags ^ flags;
	if (changed & ~MEMSLOT_DIRTY_LOG)
		return MMU_EINVAL;
	if (!changed)
		return 0;
	if (flags & MEMSLOT_DIRTY_LOG) {
		/* The bitmap exists before the MMU may log into it. */
		bitmap = plat_zalloc(bitmap_words(slot->npages) * sizeof(uint64_t));
		if (!bitmap)
			return MMU_ENOMEM;
		slot->dirty_bitmap = bitmap;
		slot->flags = flags;
		if (vm->mmu)
			ret = mmu_memslot_set_flags(vm->mmu, id, flags);
		if (ret) {
			slot->flags ^= changed;
			slot->dirty_bitmap = NULL;
			plat_free(bitmap);
		}
		return ret;
	}
	if (vm->mmu) {
		ret = mmu_memslot_set_flags(vm->mmu, id, flags);
		if (ret)
			return ret;
	}
	slot->flags = flags;
	plat_free(slot->dirty_bitmap);
	slot->dirty_bitmap = NULL;
	return 0;
}

/* ---- dirty logging -------------------------------------------------------------------- */

void vm_mark_dirty(struct vm *vm, uint64_t gfn)
{
	struct memslot *s = vm_find_memslot(vm, gfn);
	volatile uint64_t *word;
	uint64_t bit, old;

	if (!s || !(s->flags & MEMSLOT_DIRTY_LOG) || !s->dirty_bitmap)
		return;
	word = &s->dirty_bitmap[(gfn - s->base_gfn) / BITS_PER_WORD];
	bit = 1ULL << ((gfn - s->base_gfn) % BITS_PER_WORD);
	old = plat_atomic_read64(word);
	while (!(old & bit)) {
		uint64_t seen = plat_cmpxchg64(word, old, old | bit);

		if (seen == old)
			break;
		old = seen;
	}
}

/* Atomically replace a bitmap word by old & ~clear; returns old & clear (the bits cleared). */
static uint64_t clear_word(volatile uint64_t *word, uint64_t clear)
{
	uint64_t old = plat_atomic_read64(word);

	for (;;) {
		uint64_t seen = plat_cmpxchg64(word, old, old & ~clear);

		if (seen == old)
			return old & clear;
		old = seen;
	}
}

static struct memslot *logged_slot(const struct vm *vm, uint32_t id)
{
	struct memslot *s = vm_memslot_by_id(vm, id);

	return s && (s->flags & MEMSLOT_DIRTY_LOG) && s->dirty_bitmap ? s : NULL;
}

int vm_dirty_log_get(struct vm *vm, uint32_t id, uint64_t **bitmap, uint64_t *npages)
{
	struct memslot *s = logged_slot(vm, id);
	uint64_t i, words, *copy;
	int ret;

	if (!s)
		return MMU_EINVAL;
	words = bitmap_words(s->npages);
	copy = plat_zalloc(words * sizeof(uint64_t));
	if (!copy)
		return MMU_ENOMEM;
	if (vm->mmu) {
		/* D-bit logging: what the CPU marked dirty moves into the bitmap first. */
		ret = mmu_dirty_log_harvest(vm->mmu, id);
		if (ret) {
			plat_free(copy);
			return ret;
		}
	}
	for (i = 0; i < words; i++)
		copy[i] = clear_word(&s->dirty_bitmap[i], ~0ULL);
	if (vm->mmu) {
		/* The pages just reported must be seen again on their next write. */
		ret = mmu_dirty_log_rearm(vm->mmu, id, 0, copy, s->npages);
		if (ret) {
			plat_free(copy);
			return ret;
		}
	}
	*bitmap = copy;
	*npages = s->npages;
	return 0;
}

/*
 * Forget pages [first, first+count) and re-arm all of them, not only the
 * ones whose bit was set: with D-bit logging a page written since the last
 * harvest has its D bit set and no bit yet, and must be forgotten too.
 */
int vm_dirty_log_clear(struct vm *vm, uint32_t id, uint64_t first, uint64_t count)
{
	struct memslot *s = logged_slot(vm, id);
	uint64_t i, *mask;
	int ret = 0;

	if (!s || first > s->npages || count > s->npages - first)
		return MMU_EINVAL;
	for (i = first; i < first + count; i++)
		clear_word(&s->dirty_bitmap[i / BITS_PER_WORD], 1ULL << (i % BITS_PER_WORD));
	if (!vm->mmu || !count)
		return 0;
	mask = plat_zalloc(bitmap_words(count) * sizeof(uint64_t));
	if (!mask)
		return MMU_ENOMEM;
	for (i = 0; i < count; i++)
		mask[i / BITS_PER_WORD] |= 1ULL << (i % BITS_PER_WORD);
	ret = mmu_dirty_log_rearm(vm->mmu, id, first, mask, count);
	plat_free(mask);
	return ret;
}

int vm_guest_write(struct vm *vm, uint64_t gpa, unsigned bytes, uint64_t val)
{
	struct memslot *s = vm_find_memslot(vm, gpa >> PAGE_SHIFT);
	uint64_t off = gpa & (PAGE_SIZE_4K - 1);
	hpa_t frame;
	int ret;

	if (!s)
		return MMU_ENOSLOT;
	if (off + bytes > PAGE_SIZE_4K || !bytes || bytes > sizeof(val))
		return MMU_EINVAL;
	/* A guest write to a read-only memslot is dropped, as a write to ROM. */
	if (s->flags & MEMSLOT_READONLY)
		return 0;
	ret = vm_page_frame(vm, s, gpa >> PAGE_SHIFT, true, &frame, NULL);
	if (ret)
		return ret;
	plat_memcpy(vm_frame_bytes(frame) + off, &val, bytes);
	vm_mark_dirty(vm, gpa >> PAGE_SHIFT);
	return 0;
}
