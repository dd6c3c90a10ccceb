/*
 * core/vm/frames.h — the sparse host backing of one memslot: host page
 * number -> host page, allocated on first touch.
 *
 * A memslot is backed by host pages of one size (4K, 2M or 1G: `order` is
 * log2 of the 4K frames in one).  An open-addressing hash keyed by host
 * page number maps each touched host page to its first frame, so a 1 TiB
 * memslot of which the guest touches one page costs that page plus a small
 * table, not a radix tree's worth of interior nodes.
 *
 * Readers are lock-free: faults from several vCPU threads look frames up
 * at once.  Writers (insertions, value changes) are serialized by the
 * caller's lock (the VM's mem_lock).  A writer stores an entry's value
 * before its key, so a reader that finds the key finds a valid value; a
 * grown table is built aside and published with one atomic store, and the
 * tables it replaced stay allocated until frame_map_destroy, so a reader
 * still holding an old table pointer reads valid (if stale) memory.  A
 * reader that misses takes the lock and looks again.
 */
#ifndef MMULAB_CORE_VM_FRAMES_H
#define MMULAB_CORE_VM_FRAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/platform.h"

/*
 * An entry's value: the host page's first frame, with flag bits in the low
 * bits (frames are 4 KiB aligned).  PLAT_NO_FRAME: the key is known but has
 * no frame now (the host reclaimed it).
 */
#define FRAME_HOST_RO 1ULL     /* the host made the page read-only (copy on write) */
#define FRAME_FLAGS   0xfffULL /* the bits of a value that are not the address */

/* One table generation.  Entries are written under the caller's lock, read atomically. */
struct frame_table {
	volatile uint64_t *entries;   /* 2 * capacity: [2i] key (page number + 1, 0 empty), [2i+1] value */
	uint32_t capacity;            /* a power of two */
	struct frame_table *retired;  /* the table this one replaced, kept for late readers */
};

struct frame_map {
	volatile uint64_t table;  /* (uintptr_t) struct frame_table *, 0 before the first insert; atomic */
	uint32_t count;           /* keys in the current table; kept under 3/4 of capacity; lock */
	uint64_t resident;        /* keys whose value is a frame (not PLAT_NO_FRAME); lock */
	uint8_t order;            /* host page = 2^order frames: 0 (4K), 9 (2M) or 18 (1G); fixed */
};

/* An empty map of host pages of 2^order frames. */
void frame_map_init(struct frame_map *map, unsigned order);

/* Lock-free: the value (frame | FRAME_*) of host page `hpn`, or PLAT_NO_FRAME. */
uint64_t frame_map_entry(const struct frame_map *map, uint64_t hpn);

/* Lock-free: the 4K frame backing page `index` of the memslot, or PLAT_NO_FRAME. */
hpa_t frame_map_lookup(const struct frame_map *map, uint64_t index);

/*
 * Caller holds the lock.  Give host page `hpn` this value (a frame with
 * FRAME_* bits, or PLAT_NO_FRAME), inserting the key if it is new.
 * 0 or -1 (out of memory for a bigger table; nothing changed).
 */
int frame_map_set(struct frame_map *map, uint64_t hpn, uint64_t value);

/* A zeroed host page of the map's size, or PLAT_NO_FRAME. */
hpa_t frame_map_alloc_page(const struct frame_map *map);
/* Free a host page of the map's size. */
void frame_map_free_page(const struct frame_map *map, hpa_t hpa);

/*
 * Caller holds the lock.  The 4K frame backing page `index`, its host page
 * allocated (zeroed) if it has none; PLAT_NO_FRAME on OOM.
 */
hpa_t frame_map_get(struct frame_map *map, uint64_t index);

/* Call fn for every key with its value (under the lock or with no readers). */
void frame_map_for_each(const struct frame_map *map,
			void (*fn)(void *opaque, uint64_t hpn, uint64_t value), void *opaque);

/* Free every host page and every table generation (no reader may remain). */
void frame_map_destroy(struct frame_map *map);

#endif
