/*
 * core/x86/rmap.h — reverse maps: for one gfn (at one level), every SPTE
 * that maps it (KVM's kvm_rmap_head and pte_list_desc).
 *
 * Most gfns are mapped by one SPTE, so a head holds that SPTE pointer
 * itself (no allocation).  A second SPTE turns the head into a pointer to
 * a chain of descriptors of RMAP_DESC_SPTES entries each, tagged by bit 0.
 * Only the first descriptor may be partly full; removal moves the first
 * descriptor's last entry into the hole, so the count stays O(1) and the
 * tails stay full.
 *
 * Descriptors come from a memory cache topped up before the MMU lock is
 * taken (core/cache.h): rmap_add never allocates and never fails.
 * Callers hold the MMU lock for write (shadow paging's rule).
 */
#ifndef MMULAB_CORE_X86_RMAP_H
#define MMULAB_CORE_X86_RMAP_H

#include <stdbool.h>
#include <stdint.h>

struct mmu_cache;

/* 14 entries + next + two counts = 128 bytes: two cache lines (KVM's PTE_LIST_EXT). */
#define RMAP_DESC_SPTES 14

struct rmap_desc {
	struct rmap_desc *next;      /* following (full) descriptor, or NULL */
	uint32_t count;              /* used entries in this descriptor */
	uint32_t tail_count;         /* entries in every following descriptor */
	volatile uint64_t *sptes[RMAP_DESC_SPTES];
};

/*
 * 0: empty; bit 0 clear: the single SPTE pointer; bit 0 set: a struct
 * rmap_desc * | 1.
 */
struct rmap_head {
	uintptr_t val;
};

/* The most descriptors one rmap_add may take from the cache. */
#define RMAP_ADD_MAX_DESCS 1

void rmap_add(struct rmap_head *head, volatile uint64_t *sptep, struct mmu_cache *descs);
/* Remove sptep, which must be in the rmap (asserted); frees emptied descriptors. */
void rmap_remove(struct rmap_head *head, volatile uint64_t *sptep);
unsigned rmap_count(const struct rmap_head *head);
/* Empty the rmap, freeing descriptors; SPTEs are the caller's. */
void rmap_clear(struct rmap_head *head);

/* Iterate: for (sptep = rmap_first(h, &it); sptep; sptep = rmap_next(&it)). */
struct rmap_iter {
	const struct rmap_desc *desc; /* current descriptor, NULL for the inline entry */
	unsigned pos;                 /* index in desc */
	bool done;                    /* the inline entry was returned */
};
volatile uint64_t *rmap_first(const struct rmap_head *head, struct rmap_iter *it);
volatile uint64_t *rmap_next(struct rmap_iter *it);

/*
 * Histogram bucket of an rmap of `count` SPTEs: 0 for 0, then 1 + floor(log2 count)
 * (1, 2-3, 4-7, ...).  KVM's debugfs uses ffs() here, which files 3 in
 * bucket "1"; mmulab uses the highest bit, which is what the labels say.
 */
unsigned rmap_histogram_bucket(unsigned count);
#define RMAP_HISTOGRAM_BUCKETS 12

#endif
