#include "core/vm/frames.h"

/* Fibonacci hashing spreads consecutive page indexes over the table. */
static uint32_t slot_of(uint64_t key, uint32_t capacity)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & (capacity - 1);
}

hpa_t frame_map_lookup(const struct frame_map *map, uint64_t index)
{
	uint64_t key = index + 1;
	uint32_t i;

	if (!map->capacity)
		return PLAT_NO_FRAME;
	for (i = slot_of(key, map->capacity); map->keys[i]; i = (i + 1) & (map->capacity - 1))
		if (map->keys[i] == key)
			return map->frames[i];
	return PLAT_NO_FRAME;
}

static void insert(struct frame_map *map, uint64_t key, hpa_t frame)
{
	uint32_t i = slot_of(key, map->capacity);

	while (map->keys[i])
		i = (i + 1) & (map->capacity - 1);
	map->keys[i] = key;
	map->frames[i] = frame;
	map->count++;
}

static int grow(struct frame_map *map)
{
	struct frame_map bigger = { 0 };
	uint32_t i;

	bigger.capacity = map->capacity ? map->capacity * 2 : 16;
	bigger.keys = plat_zalloc(sizeof(uint64_t) * bigger.capacity);
	bigger.frames = plat_zalloc(sizeof(hpa_t) * bigger.capacity);
	if (!bigger.keys || !bigger.frames) {
		plat_free(bigger.keys);
		plat_free(bigger.frames);
		return -1;
	}
	for (i = 0; i < map->capacity; i++)
		if (map->keys[i])
			insert(&bigger, map->keys[i], map->frames[i]);
	plat_free(map->keys);
	plat_free(map->frames);
	*map = bigger;
	return 0;
}

hpa_t frame_map_get(struct frame_map *map, uint64_t index)
{
	hpa_t frame = frame_map_lookup(map, index);

	if (frame != PLAT_NO_FRAME)
		return frame;
	if ((uint64_t)(map->count + 1) * 4 > (uint64_t)map->capacity * 3 && grow(map))
		return PLAT_NO_FRAME;
	frame = plat_frame_alloc();
	if (frame != PLAT_NO_FRAME)
		insert(map, index + 1, frame);
	return frame;
}

void frame_map_destroy(struct frame_map *map)
{
	uint32_t i;

	for (i = 0; i < map->capacity; i++)
		if (map->keys[i])
			plat_frame_free(map->frames[i]);
	plat_free(map->keys);
	plat_free(map->frames);
	map->keys = NULL;
	map->frames = NULL;
	map->capacity = map->count = 0;
}
