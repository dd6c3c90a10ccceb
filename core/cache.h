/*
 * core/cache.h — memory caches topped up before the MMU lock is taken.
 *
 * The fault path must not allocate while it holds the MMU lock (in the
 * kernel the lock spins and allocation may sleep; everywhere, a failed
 * allocation half-way through an update would leave it half-applied).  So
 * each vCPU keeps small caches of page-table frames, mmu_page headers and
 * rmap descriptors, filled with mmu_cache_topup() outside the lock, and
 * takes from them with mmu_cache_alloc(), which cannot fail (KVM's
 * kvm_mmu_memory_cache).
 */
#ifndef MMULAB_CORE_CACHE_H
#define MMULAB_CORE_CACHE_H

#include <stddef.h>

#include "core/platform.h"

#define MMU_CACHE_CAPACITY 40

enum mmu_cache_kind {
	MMU_CACHE_FRAMES,   /* zeroed host frames (objs hold hpa_t values) */
	MMU_CACHE_OBJECTS,  /* zeroed heap objects of obj_size bytes */
};

struct mmu_cache {
	enum mmu_cache_kind kind;  /* fixed at init */
	size_t obj_size;           /* MMU_CACHE_OBJECTS: bytes per object; fixed */
	unsigned nobjs;            /* objects ready; owner only */
	uint64_t objs[MMU_CACHE_CAPACITY]; /* hpa_t or (uintptr_t) pointers */
};

void mmu_cache_init(struct mmu_cache *c, enum mmu_cache_kind kind, size_t obj_size);
/* Fill up to at least `min` (<= MMU_CACHE_CAPACITY) objects.  0 or MMU_ENOMEM. */
int mmu_cache_topup(struct mmu_cache *c, unsigned min);
/* Take one object; the cache must hold one (asserted). */
void *mmu_cache_alloc_obj(struct mmu_cache *c);
hpa_t mmu_cache_alloc_frame(struct mmu_cache *c);
/* Give an unused object back (e.g. a table that lost a cmpxchg race), or free it if full. */
void mmu_cache_return_obj(struct mmu_cache *c, void *obj);
void mmu_cache_return_frame(struct mmu_cache *c, hpa_t hpa);
/* Free everything cached. */
void mmu_cache_free(struct mmu_cache *c);

#endif
