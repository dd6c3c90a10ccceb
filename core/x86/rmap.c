/*
 * core/x86/rmap.c — reverse maps (KVM's pte_list_add / pte_list_remove).
 *
 * Invariants kept by every function here:
 *   - an inline head holds exactly one SPTE; a chain holds two or more
 *     (removing down to one entry goes back to inline, freeing the last
 *     descriptor: a mapping that stops being shared costs nothing again);
 *   - only the first descriptor may be partly full, every later one holds
 *     RMAP_DESC_SPTES, and each descriptor's tail_count is the number of
 *     entries after it, so the count is first->count + first->tail_count.
 */
#include "core/x86/rmap.h"

#include "core/cache.h"
#include "core/platform.h"

#define RMAP_DESC_TAG 1u

static bool rmap_is_desc(const struct rmap_head *head)
{
	return head->val & RMAP_DESC_TAG;
}

static struct rmap_desc *rmap_desc_of(const struct rmap_head *head)
{
	return (struct rmap_desc *)(head->val & ~(uintptr_t)RMAP_DESC_TAG);
}

static void rmap_set_desc(struct rmap_head *head, struct rmap_desc *desc)
{
	head->val = (uintptr_t)desc | RMAP_DESC_TAG;
}

static struct rmap_desc *rmap_desc_new(struct mmu_cache *descs)
{
	MMU_ASSERT(descs->kind == MMU_CACHE_OBJECTS && descs->obj_size >= sizeof(struct rmap_desc),
		   "rmap descriptor cache has kind %d, objects of %zu bytes",
		   (int)descs->kind, descs->obj_size);
	/* Zeroed by the cache: count, tail_count and next start at 0. */
	return mmu_cache_alloc_obj(descs);
}

void rmap_add(struct rmap_head *head, volatile uint64_t *sptep, struct mmu_cache *descs)
{
	struct rmap_desc *desc;

	MMU_ASSERT(sptep && !((uintptr_t)sptep & RMAP_DESC_TAG), "sptep %p", (void *)sptep);
	if (!head->val) {
		head->val = (uintptr_t)sptep;
		return;
	}
	if (!rmap_is_desc(head)) {
		desc = rmap_desc_new(descs);
		desc->sptes[0] = (volatile uint64_t *)head->val;
		desc->sptes[1] = sptep;
		desc->count = 2;
		rmap_set_desc(head, desc);
		return;
	}
	desc = rmap_desc_of(head);
	if (desc->count == RMAP_DESC_SPTES) {
		/* Prepend: the old first descriptor becomes a full tail. */
		struct rmap_desc *first = rmap_desc_new(descs);

		first->next = desc;
		first->tail_count = desc->count + desc->tail_count;
		rmap_set_desc(head, first);
		desc = first;
	}
	desc->sptes[desc->count++] = sptep;
}

void rmap_remove(struct rmap_head *head, volatile uint64_t *sptep)
{
	struct rmap_desc *first, *desc;
	unsigned i;

	MMU_ASSERT(head->val, "sptep %p is not in an empty rmap", (void *)sptep);
	if (!rmap_is_desc(head)) {
		MMU_ASSERT(head->val == (uintptr_t)sptep, "sptep %p is not in an rmap of 1 (holds %p)",
			   (void *)sptep, (void *)head->val);
		head->val = 0;
		return;
	}
	first = rmap_desc_of(head);
	for (desc = first; desc; desc = desc->next) {
		for (i = 0; i < desc->count; i++)
			if (desc->sptes[i] == sptep)
				goto found;
	}
	MMU_ASSERT(false, "sptep %p is not in this rmap of %u", (void *)sptep, rmap_count(head));
	return;
found:
	/* Fill the hole from the first descriptor, so the tails stay full. */
	desc->sptes[i] = first->sptes[first->count - 1];
	first->sptes[--first->count] = NULL;
	if (first->count == 0) {
		if (first->next)
			rmap_set_desc(head, first->next);
		else
			head->val = 0;
		plat_free(first);
	} else if (first->count == 1 && !first->next) {
		head->val = (uintptr_t)first->sptes[0];
		plat_free(first);
	}
}

unsigned rmap_count(const struct rmap_head *head)
{
	const struct rmap_desc *desc;

	if (!head->val)
		return 0;
	if (!rmap_is_desc(head))
		return 1;
	desc = rmap_desc_of(head);
	return desc->count + desc->tail_count;
}

void rmap_clear(struct rmap_head *head)
{
	struct rmap_desc *desc, *next;

	if (rmap_is_desc(head)) {
		for (desc = rmap_desc_of(head); desc; desc = next) {
			next = desc->next;
			plat_free(desc);
		}
	}
	head->val = 0;
}

volatile uint64_t *rmap_first(const struct rmap_head *head, struct rmap_iter *it)
{
	it->desc = NULL;
	it->pos = 0;
	it->done = true;
	if (!head->val)
		return NULL;
	if (!rmap_is_desc(head))
		return (volatile uint64_t *)head->val;
	it->desc = rmap_desc_of(head);
	it->done = false;
	return it->desc->sptes[0];
}

volatile uint64_t *rmap_next(struct rmap_iter *it)
{
	if (!it->desc)
		return NULL;
	if (++it->pos < it->desc->count)
		return it->desc->sptes[it->pos];
	/* Descriptors after the first are full, never empty. */
	it->desc = it->desc->next;
	it->pos = 0;
	if (!it->desc) {
		it->done = true;
		return NULL;
	}
	return it->desc->sptes[0];
}

unsigned rmap_histogram_bucket(unsigned count)
{
	unsigned bucket;

	if (!count)
		return 0;
	bucket = 1 + (31 - (unsigned)__builtin_clz(count));
	return bucket < RMAP_HISTOGRAM_BUCKETS ? bucket : RMAP_HISTOGRAM_BUCKETS - 1;
}
