/*
 * core/vm/frames.h — the sparse host backing of one memslot: page index ->
 * host frame, allocated on first touch.
 *
 * An open-addressing hash keyed by page index, so a 1 TiB memslot of which
 * the guest touches one page costs that page plus a small table, not a
 * radix tree's worth of interior nodes.  Not thread-safe: the VM's memory
 * lock serializes callers.
 */
#ifndef MMULAB_CORE_VM_FRAMES_H
#define MMULAB_CORE_VM_FRAMES_H

#include <stdint.h>

#include "core/platform.h"

struct frame_map {
	uint64_t *keys;     /* page index + 1; 0 marks an empty slot */
	hpa_t *frames;      /* host frame of the key at the same position */
	uint32_t capacity;  /* power of two, or 0 before the first insert */
	uint32_t count;     /* keys in use; kept under 3/4 of capacity */
};

/* The frame backing page `index`, or PLAT_NO_FRAME if never touched. */
hpa_t frame_map_lookup(const struct frame_map *map, uint64_t index);
/* The frame backing page `index`, allocated (zeroed) if needed; PLAT_NO_FRAME on OOM. */
hpa_t frame_map_get(struct frame_map *map, uint64_t index);
/* Free every frame and the table. */
void frame_map_destroy(struct frame_map *map);

#endif
