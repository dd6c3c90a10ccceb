/*
 * core/vm/host.c — the host pages behind guest memory, and what the host
 * does to them under the guest (KVM's MMU-notifier events).
 *
 * A memslot's host pages (4K, or whole 2M/1G pages for huge-backed slots)
 * are allocated on first touch.  The host may then change them:
 *   reclaim:   the contents go to a heap copy ("swap") and the page is
 *              dropped; the next touch gets a new page with the contents;
 *   remap:     the contents move to a new page now (migration, compaction);
 *   readonly:  the contents move to a new page now that the host shares
 *              read-only (KSM merging it); the next write copies it into a
 *              private page, as a copy-on-write fault does.
 * Each change that replaces a page happens inside mmu_invalidate_begin /
 * _end when an MMU is attached: begin zaps every SPTE of the range and
 * flushes TLBs, so no CPU can still reach the old page.  The old page is
 * then filled with POISON_BYTE and kept in vm->quarantine until the VM is
 * destroyed instead of being freed: a backend that forgot to zap or flush
 * reads 0xdb bytes — a wrong, visible answer — never freed memory.  The
 * one exception is the shared page a copy-on-write leaves behind: another
 * vCPU thread may be reading it at that moment through a valid mapping,
 * so it keeps its (still correct) contents and is only quarantined.
 *
 * Locking: lookups of resident pages are lock-free (frames.h); allocation,
 * restore and every change take vm->mem_lock.  The MMU lock is never
 * taken with mem_lock held (backends read guest memory under the MMU
 * lock), so invalidations are begun before mem_lock is taken.
 */
#include "core/errors.h"
#include "core/vm/vm_internal.h"
#include "core/x86/bits.h"

#define POISON_BYTE 0xdb
#define ORDER_1G 18

/* The contents of one reclaimed host page: a heap copy of each 4K frame that held data. */
struct vm_swapped {
	uint64_t hpn;              /* host page number in its memslot */
	uint8_t **chunks;          /* 2^order frames' bytes; NULL for an all-zero frame */
	struct vm_swapped *next;
};

static uint64_t frames_per_page(const struct memslot *s)
{
	return 1ULL << s->frames.order;
}

static bool frame_is_zero(const uint8_t *p)
{
	const uint64_t *w = (const uint64_t *)p;
	unsigned i;

	for (i = 0; i < PLAT_FRAME_SIZE / sizeof(*w); i++)
		if (w[i])
			return false;
	return true;
}

/*
 * Copy a host page into a fresh (zeroed) one.  All-zero frames are
 * skipped, so copying a mostly untouched 1G page costs what was touched.
 */
static void copy_page(const struct memslot *s, hpa_t dst, hpa_t src)
{
	uint64_t i;

	for (i = 0; i < frames_per_page(s); i++) {
		const uint8_t *from = vm_frame_bytes(src + i * PLAT_FRAME_SIZE);

		if (!frame_is_zero(from))
			plat_memcpy(vm_frame_bytes(dst + i * PLAT_FRAME_SIZE), from, PLAT_FRAME_SIZE);
		plat_cond_resched();
	}
}

/*
 * Poison a page the guest must not reach any more.  A 1G page is poisoned
 * only where it held data: filling all of it would make the host commit
 * 1 GiB for a guest that touched a few frames.
 */
static void poison_page(const struct memslot *s, hpa_t hpa)
{
	uint64_t i;

	for (i = 0; i < frames_per_page(s); i++) {
		uint8_t *p = vm_frame_bytes(hpa + i * PLAT_FRAME_SIZE);

		if (s->frames.order < ORDER_1G || !frame_is_zero(p))
			plat_memset(p, POISON_BYTE, PLAT_FRAME_SIZE);
		plat_cond_resched();
	}
}

/* Under mem_lock: keep `hpa` (poisoned or not) until vm_destroy; `node` preallocated. */
static void quarantine(struct vm *vm, const struct memslot *s, hpa_t hpa,
		       struct vm_quarantined *node)
{
	node->hpa = hpa;
	node->order = s->frames.order;
	node->next = vm->quarantine;
	vm->quarantine = node;
}

static void swapped_free(struct vm_swapped *sw, uint64_t nr)
{
	uint64_t i;

	for (i = 0; i < nr; i++)
		plat_free(sw->chunks[i]);
	plat_free(sw->chunks);
	plat_free(sw);
}

/* A heap copy of host page `hpa`, or NULL (out of memory). */
static struct vm_swapped *swap_out(const struct memslot *s, uint64_t hpn, hpa_t hpa)
{
	struct vm_swapped *sw = plat_zalloc(sizeof(*sw));
	uint64_t i, n = frames_per_page(s);

	if (!sw)
		return NULL;
	sw->hpn = hpn;
	sw->chunks = plat_zalloc(n * sizeof(*sw->chunks));
	if (!sw->chunks) {
		plat_free(sw);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		const uint8_t *from = vm_frame_bytes(hpa + i * PLAT_FRAME_SIZE);

		plat_cond_resched();
		if (frame_is_zero(from))
			continue;
		sw->chunks[i] = plat_zalloc(PLAT_FRAME_SIZE);
		if (!sw->chunks[i]) {
			swapped_free(sw, n);
			return NULL;
		}
		plat_memcpy(sw->chunks[i], from, PLAT_FRAME_SIZE);
	}
	return sw;
}

/* Under mem_lock: take the reclaimed contents of host page hpn, if any, off the list. */
static struct vm_swapped *swap_take(struct memslot *s, uint64_t hpn)
{
	struct vm_swapped **pp, *sw;

	for (pp = &s->swapped; (sw = *pp); pp = &sw->next) {
		if (sw->hpn == hpn) {
			*pp = sw->next;
			return sw;
		}
	}
	return NULL;
}

/*
 * Under mem_lock: give host page hpn a frame (zeroed, or its reclaimed
 * contents).  The contents go in before the frame is published: a
 * lock-free reader must never see the page half restored.
 */
static int fault_in(struct memslot *s, uint64_t hpn)
{
	struct vm_swapped *sw;
	hpa_t page;
	uint64_t i;

	if (frame_map_entry(&s->frames, hpn) != PLAT_NO_FRAME)
		return 0;
	page = frame_map_alloc_page(&s->frames);
	if (page == PLAT_NO_FRAME)
		return MMU_ENOMEM;
	sw = swap_take(s, hpn);
	for (i = 0; sw && i < frames_per_page(s); i++)
		if (sw->chunks[i])
			plat_memcpy(vm_frame_bytes(page + i * PLAT_FRAME_SIZE), sw->chunks[i],
				    PLAT_FRAME_SIZE);
	if (frame_map_set(&s->frames, hpn, page)) {
		frame_map_free_page(&s->frames, page);
		if (sw) {
			sw->next = s->swapped;
			s->swapped = sw;
		}
		return MMU_ENOMEM;
	}
	if (sw)
		swapped_free(sw, frames_per_page(s));
	return 0;
}

/* The gfn range [*start, *end) of host page hpn of s. */
static void page_gfns(const struct memslot *s, uint64_t hpn, uint64_t *start, uint64_t *end)
{
	*start = s->base_gfn + (hpn << s->frames.order);
	*end = *start + frames_per_page(s);
}

/*
 * A write to a host-read-only page: copy it into a private page.  The
 * invalidation around the switch makes every CPU drop its read-only view
 * of the shared page before the private one is used.
 */
static int break_cow(struct vm *vm, struct memslot *s, uint64_t hpn)
{
	struct vm_quarantined *node = plat_zalloc(sizeof(*node));
	uint64_t start, end, v;
	int ret = 0;
	hpa_t page;

	if (!node)
		return MMU_ENOMEM;
	page_gfns(s, hpn, &start, &end);
	if (vm->mmu)
		mmu_invalidate_begin(vm->mmu, start, end);
	plat_mutex_lock(vm->mem_lock);
	v = frame_map_entry(&s->frames, hpn);
	if (v == PLAT_NO_FRAME || !(v & FRAME_HOST_RO)) {
		plat_free(node); /* another thread copied it first */
		goto out;
	}
	page = frame_map_alloc_page(&s->frames);
	if (page == PLAT_NO_FRAME) {
		plat_free(node);
		ret = MMU_ENOMEM;
		goto out;
	}
	copy_page(s, page, v & ~FRAME_FLAGS);
	if (frame_map_set(&s->frames, hpn, page)) {
		frame_map_free_page(&s->frames, page);
		plat_free(node);
		ret = MMU_ENOMEM;
		goto out;
	}
	quarantine(vm, s, v & ~FRAME_FLAGS, node);
out:
	plat_mutex_unlock(vm->mem_lock);
	if (vm->mmu)
		mmu_invalidate_end(vm->mmu);
	return ret;
}

int vm_page_frame(struct vm *vm, struct memslot *s, uint64_t gfn, bool write, hpa_t *hpa,
		  bool *host_ro)
{
	uint64_t index = gfn - s->base_gfn, hpn = index >> s->frames.order, v;
	int ret;

	for (;;) {
		v = frame_map_entry(&s->frames, hpn);
		if (v != PLAT_NO_FRAME && !(write && (v & FRAME_HOST_RO)))
			break;
		if (v != PLAT_NO_FRAME) {
			ret = break_cow(vm, s, hpn);
		} else {
			plat_mutex_lock(vm->mem_lock);
			ret = fault_in(s, hpn);
			plat_mutex_unlock(vm->mem_lock);
		}
		if (ret)
			return ret;
	}
	*hpa = (v & ~FRAME_FLAGS) + ((index & (frames_per_page(s) - 1)) << PAGE_SHIFT);
	if (host_ro)
		*host_ro = v & FRAME_HOST_RO;
	return 0;
}

int vm_gfn_to_hpa(struct vm *vm, uint64_t gfn, bool write, hpa_t *hpa, bool *writable)
{
	struct memslot *s = vm_find_memslot(vm, gfn);
	bool ro = false;
	int ret;

	if (!s)
		return MMU_ENOSLOT;
	ret = vm_page_frame(vm, s, gfn, write, hpa, &ro);
	if (!ret)
		*writable = !ro;
	return ret;
}

/* ---- host changes ------------------------------------------------------------------- */

/* Under mem_lock: one host page changes; it is resident (value v). */
static int change_page(struct vm *vm, struct memslot *s, uint64_t hpn, uint64_t v,
		       enum scn_host_change change)
{
	struct vm_quarantined *node = plat_zalloc(sizeof(*node));
	hpa_t old = v & ~FRAME_FLAGS, page = PLAT_NO_FRAME;
	struct vm_swapped *sw = NULL;
	uint64_t value;

	if (!node)
		return MMU_ENOMEM;
	if (change == HOST_RECLAIM) {
		sw = swap_out(s, hpn, old);
		value = PLAT_NO_FRAME;
	} else {
		page = frame_map_alloc_page(&s->frames);
		if (page != PLAT_NO_FRAME)
			copy_page(s, page, old);
		/* Migration keeps a shared page shared; readonly makes it so. */
		value = page | (change == HOST_READONLY ? FRAME_HOST_RO : v & FRAME_HOST_RO);
	}
	if ((change == HOST_RECLAIM && !sw) || (change != HOST_RECLAIM && page == PLAT_NO_FRAME) ||
	    frame_map_set(&s->frames, hpn, value)) {
		if (sw)
			swapped_free(sw, frames_per_page(s));
		if (page != PLAT_NO_FRAME)
			frame_map_free_page(&s->frames, page);
		plat_free(node);
		return MMU_ENOMEM;
	}
	if (sw) {
		sw->next = s->swapped;
		s->swapped = sw;
	}
	poison_page(s, old);
	quarantine(vm, s, old, node);
	return 0;
}

/* Is [start, end) (gfns) inside memslots, in whole host pages of each? */
static int check_change_range(const struct vm *vm, uint64_t start, uint64_t end)
{
	uint64_t gfn = start;

	while (gfn < end) {
		const struct memslot *s = vm_find_memslot(vm, gfn);
		uint64_t mask;

		if (!s)
			return MMU_ENOSLOT;
		mask = frames_per_page(s) - 1;
		if (((gfn - s->base_gfn) & mask) ||
		    (end < s->base_gfn + s->npages && ((end - s->base_gfn) & mask)))
			return MMU_EINVAL;
		gfn = s->base_gfn + s->npages;
	}
	return 0;
}

int vm_host_change(struct vm *vm, uint64_t gpa, uint64_t size, enum scn_host_change change)
{
	uint64_t start = gpa >> PAGE_SHIFT, end = (gpa + size) >> PAGE_SHIFT, gfn;
	int ret;

	if (((gpa | size) & (PAGE_SIZE_4K - 1)) || !size || gpa + size < gpa)
		return MMU_EINVAL;
	ret = check_change_range(vm, start, end);
	if (ret)
		return ret;
	if (vm->mmu)
		mmu_invalidate_begin(vm->mmu, start, end);
	plat_mutex_lock(vm->mem_lock);
	for (gfn = start; gfn < end && !ret;) {
		struct memslot *s = vm_find_memslot(vm, gfn);
		uint64_t hpn = (gfn - s->base_gfn) >> s->frames.order;
		uint64_t v = frame_map_entry(&s->frames, hpn);

		/* A page never touched (or already reclaimed) has no frame to change. */
		if (v != PLAT_NO_FRAME)
			ret = change_page(vm, s, hpn, v, change);
		gfn = s->base_gfn + ((hpn + 1) << s->frames.order);
	}
	plat_mutex_unlock(vm->mem_lock);
	if (vm->mmu)
		mmu_invalidate_end(vm->mmu);
	return ret;
}

uint64_t vm_host_age(struct vm *vm, uint64_t gpa, uint64_t size, bool test_only)
{
	if (!vm->mmu)
		return 0;
	return mmu_age_gfn_range(vm->mmu, gpa >> PAGE_SHIFT, (gpa + size) >> PAGE_SHIFT, test_only);
}

/* ---- teardown -------------------------------------------------------------------------- */

void vm_slot_free(struct memslot *s)
{
	struct vm_swapped *sw, *next;

	for (sw = s->swapped; sw; sw = next) {
		next = sw->next;
		swapped_free(sw, frames_per_page(s));
	}
	frame_map_destroy(&s->frames);
	plat_free(s->dirty_bitmap);
	plat_free(s);
}

/* frame_map_for_each callback: poison one resident host page of the slot. */
static void poison_resident(void *opaque, uint64_t hpn, uint64_t value)
{
	(void)hpn;
	if (value != PLAT_NO_FRAME)
		poison_page(opaque, value & ~FRAME_FLAGS);
}

void vm_slot_retire(struct vm *vm, struct memslot *s)
{
	frame_map_for_each(&s->frames, poison_resident, s);
	s->retired_next = vm->retired;
	vm->retired = s;
}

void vm_quarantine_free(struct vm *vm)
{
	struct memslot *s, *next_slot;
	struct vm_quarantined *q, *next;

	for (q = vm->quarantine; q; q = next) {
		next = q->next;
		if (q->order)
			plat_frames_free(q->hpa, q->order);
		else
			plat_frame_free(q->hpa);
		plat_free(q);
	}
	vm->quarantine = NULL;
	for (s = vm->retired; s; s = next_slot) {
		next_slot = s->retired_next;
		vm_slot_free(s);
	}
	vm->retired = NULL;
}
