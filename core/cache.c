/*
 * core/cache.c — memory caches topped up outside the MMU lock (KVM's
 * kvm_mmu_memory_cache).
 *
 * Everything in a cache is zeroed: fresh frames and heap objects come
 * zeroed from the platform, and an object given back is zeroed on the way
 * in (it may be a table that was filled and then lost a race), so taking
 * one under the lock never costs a memset.
 */
#include "core/cache.h"

#include "core/errors.h"

static const char *const mmu_cache_kind_names[] = {
	[MMU_CACHE_FRAMES] = "frames",
	[MMU_CACHE_OBJECTS] = "objects",
};

void mmu_cache_init(struct mmu_cache *c, enum mmu_cache_kind kind, size_t obj_size)
{
	MMU_ASSERT(kind == MMU_CACHE_FRAMES || obj_size > 0, "object cache of 0-byte objects");
	plat_memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->obj_size = kind == MMU_CACHE_FRAMES ? PLAT_FRAME_SIZE : obj_size;
}

int mmu_cache_topup(struct mmu_cache *c, unsigned min)
{
	MMU_ASSERT(min <= MMU_CACHE_CAPACITY, "topup to %u of %u", min, MMU_CACHE_CAPACITY);
	/* Only to `min`: cached objects count as metadata in the bench, and stay idle. */
	while (c->nobjs < min) {
		if (c->kind == MMU_CACHE_FRAMES) {
			hpa_t hpa = plat_frame_alloc();

			if (hpa == PLAT_NO_FRAME)
				return MMU_ENOMEM;
			c->objs[c->nobjs++] = hpa;
		} else {
			void *obj = plat_zalloc(c->obj_size);

			if (!obj)
				return MMU_ENOMEM;
			c->objs[c->nobjs++] = (uintptr_t)obj;
		}
	}
	return 0;
}

static uint64_t mmu_cache_take(struct mmu_cache *c, enum mmu_cache_kind kind)
{
	MMU_ASSERT(c->kind == kind, "taking %s from a cache of %s",
		   mmu_cache_kind_names[kind], mmu_cache_kind_names[c->kind]);
	MMU_ASSERT(c->nobjs > 0, "empty cache of %s (%zu bytes each): not topped up",
		   mmu_cache_kind_names[c->kind], c->obj_size);
	return c->objs[--c->nobjs];
}

void *mmu_cache_alloc_obj(struct mmu_cache *c)
{
	return (void *)(uintptr_t)mmu_cache_take(c, MMU_CACHE_OBJECTS);
}

hpa_t mmu_cache_alloc_frame(struct mmu_cache *c)
{
	return mmu_cache_take(c, MMU_CACHE_FRAMES);
}

void mmu_cache_return_obj(struct mmu_cache *c, void *obj)
{
	MMU_ASSERT(c->kind == MMU_CACHE_OBJECTS, "object returned to a cache of frames");
	if (c->nobjs == MMU_CACHE_CAPACITY) {
		plat_free(obj);
		return;
	}
	plat_memset(obj, 0, c->obj_size);
	c->objs[c->nobjs++] = (uintptr_t)obj;
}

void mmu_cache_return_frame(struct mmu_cache *c, hpa_t hpa)
{
	MMU_ASSERT(c->kind == MMU_CACHE_FRAMES, "frame returned to a cache of objects");
	if (c->nobjs == MMU_CACHE_CAPACITY) {
		plat_frame_free(hpa);
		return;
	}
	plat_memset(plat_frame_map(hpa), 0, PLAT_FRAME_SIZE);
	plat_frame_set_private(hpa, NULL);
	c->objs[c->nobjs++] = hpa;
}

void mmu_cache_free(struct mmu_cache *c)
{
	while (c->nobjs) {
		uint64_t obj = c->objs[--c->nobjs];

		if (c->kind == MMU_CACHE_FRAMES)
			plat_frame_free(obj);
		else
			plat_free((void *)(uintptr_t)obj);
	}
}
