/*
 * core/vm/frames.c — a memslot's sparse host backing (frames.h): lock-free
 * lookups, insertions under the caller's lock.
 */
#include "core/vm/frames.h"

#define FIRST_CAPACITY 16

/* Fibonacci hashing spreads consecutive page numbers over the table. */
static uint32_t slot_of(uint64_t key, uint32_t capacity)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & (capacity - 1);
}

static struct frame_table *current(const struct frame_map *map)
{
	return (struct frame_table *)(uintptr_t)plat_atomic_read64(&map->table);
}

void frame_map_init(struct frame_map *map, unsigned order)
{
	map->table = 0;
	map->count = 0;
	map->resident = 0;
	map->order = (uint8_t)order;
}

/* The position of `key` in t, or of the empty slot where it would go. */
static uint32_t probe(const struct frame_table *t, uint64_t key, bool *found)
{
	uint32_t i;
	uint64_t k;

	for (i = slot_of(key, t->capacity);; i = (i + 1) & (t->capacity - 1)) {
		k = plat_atomic_read64(&t->entries[2 * i]);
		if (k == key || !k) {
			*found = k == key;
			return i;
		}
	}
}

uint64_t frame_map_entry(const struct frame_map *map, uint64_t hpn)
{
	const struct frame_table *t = current(map);
	bool found;
	uint32_t i;

	if (!t)
		return PLAT_NO_FRAME;
	i = probe(t, hpn + 1, &found);
	/* The value was stored before the key: it is valid once the key is seen. */
	return found ? plat_atomic_read64(&t->entries[2 * i + 1]) : PLAT_NO_FRAME;
}

hpa_t frame_map_lookup(const struct frame_map *map, uint64_t index)
{
	uint64_t v = frame_map_entry(map, index >> map->order);

	if (v == PLAT_NO_FRAME)
		return PLAT_NO_FRAME;
	return (v & ~FRAME_FLAGS) + ((index & ((1ULL << map->order) - 1)) << 12);
}

static struct frame_table *table_new(uint32_t capacity)
{
	struct frame_table *t = plat_zalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->capacity = capacity;
	t->entries = plat_zalloc(2 * sizeof(uint64_t) * capacity);
	if (!t->entries) {
		plat_free(t);
		return NULL;
	}
	return t;
}

/*
 * Build a table twice as big, copy every entry, publish it.  The old one
 * is retired, not freed: a reader may still be probing it.
 */
static int grow(struct frame_map *map)
{
	struct frame_table *old = current(map), *t;
	bool found;
	uint32_t i;

	t = table_new(old ? old->capacity * 2 : FIRST_CAPACITY);
	if (!t)
		return -1;
	for (i = 0; old && i < old->capacity; i++) {
		uint64_t key = old->entries[2 * i];
		uint32_t j;

		if (!key)
			continue;
		j = probe(t, key, &found);
		t->entries[2 * j] = key;
		t->entries[2 * j + 1] = old->entries[2 * i + 1];
	}
	t->retired = old;
	plat_atomic_write64(&map->table, (uint64_t)(uintptr_t)t);
	return 0;
}

int frame_map_set(struct frame_map *map, uint64_t hpn, uint64_t value)
{
	struct frame_table *t = current(map);
	uint64_t key = hpn + 1, old = PLAT_NO_FRAME;
	bool found = false;
	uint32_t i;

	if (t) {
		i = probe(t, key, &found);
		if (found)
			old = t->entries[2 * i + 1];
	}
	if (!found && (!t || (uint64_t)(map->count + 1) * 4 > (uint64_t)t->capacity * 3)) {
		if (grow(map))
			return -1;
		t = current(map);
	}
	i = probe(t, key, &found);
	plat_atomic_write64(&t->entries[2 * i + 1], value);
	if (!found) {
		plat_atomic_write64(&t->entries[2 * i], key);
		map->count++;
	}
	map->resident += (value != PLAT_NO_FRAME) - (old != PLAT_NO_FRAME);
	return 0;
}

hpa_t frame_map_alloc_page(const struct frame_map *map)
{
	return map->order ? plat_frames_alloc(map->order) : plat_frame_alloc();
}

void frame_map_free_page(const struct frame_map *map, hpa_t hpa)
{
	if (map->order)
		plat_frames_free(hpa, map->order);
	else
		plat_frame_free(hpa);
}

hpa_t frame_map_get(struct frame_map *map, uint64_t index)
{
	hpa_t frame = frame_map_lookup(map, index), page;

	if (frame != PLAT_NO_FRAME)
		return frame;
	page = frame_map_alloc_page(map);
	if (page == PLAT_NO_FRAME)
		return PLAT_NO_FRAME;
	if (frame_map_set(map, index >> map->order, page)) {
		frame_map_free_page(map, page);
		return PLAT_NO_FRAME;
	}
	return frame_map_lookup(map, index);
}

void frame_map_for_each(const struct frame_map *map,
			void (*fn)(void *opaque, uint64_t hpn, uint64_t value), void *opaque)
{
	const struct frame_table *t = current(map);
	uint32_t i;

	for (i = 0; t && i < t->capacity; i++)
		if (t->entries[2 * i])
			fn(opaque, t->entries[2 * i] - 1, t->entries[2 * i + 1]);
}

void frame_map_destroy(struct frame_map *map)
{
	struct frame_table *t = current(map), *next;
	uint32_t i;

	for (i = 0; t && i < t->capacity; i++) {
		uint64_t v = t->entries[2 * i + 1];

		if (t->entries[2 * i] && v != PLAT_NO_FRAME)
			frame_map_free_page(map, v & ~FRAME_FLAGS);
	}
	for (; t; t = next) {
		next = t->retired;
		plat_free((void *)t->entries);
		plat_free(t);
	}
	frame_map_init(map, map->order);
}
