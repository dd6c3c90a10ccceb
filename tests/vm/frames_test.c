/*
 * Tests for core/vm/frames.c: the sparse host-page map of a memslot, its
 * huge host pages, and lookups that take no lock while another thread
 * inserts and grows the table.
 */
#include <check.h>
#include <pthread.h>

#include "core/platform.h"
#include "core/vm/frames.h"
#include "tests/util/check_main.h"

START_TEST(untouched_pages_have_no_frame)
{
	struct frame_map map;

	frame_map_init(&map, 0);
	ck_assert_uint_eq(frame_map_lookup(&map, 0), PLAT_NO_FRAME);
	ck_assert_uint_eq(frame_map_lookup(&map, 1ULL << 40), PLAT_NO_FRAME);
	frame_map_destroy(&map);
}
END_TEST

START_TEST(a_touched_page_is_zeroed_and_stays_the_same_frame)
{
	struct frame_map map;
	hpa_t a;
	const uint8_t *bytes;
	unsigned i;

	frame_map_init(&map, 0);
	a = frame_map_get(&map, 12345);
	bytes = plat_frame_map(a);
	ck_assert_uint_ne(a, PLAT_NO_FRAME);
	ck_assert_uint_eq(a & (PLAT_FRAME_SIZE - 1), 0);
	for (i = 0; i < PLAT_FRAME_SIZE; i++)
		ck_assert_uint_eq(bytes[i], 0);
	ck_assert_uint_eq(frame_map_get(&map, 12345), a);
	ck_assert_uint_eq(frame_map_lookup(&map, 12345), a);
	ck_assert_uint_eq(map.count, 1);
	ck_assert_uint_eq(map.resident, 1);
	frame_map_destroy(&map);
}
END_TEST

/* Growth rehashes every key: after many inserts each index still maps to
 * its own frame, and distinct indexes never share one. */
START_TEST(growth_keeps_every_mapping)
{
	struct frame_map map;
	static hpa_t frames[3000];
	uint64_t i;

	frame_map_init(&map, 0);
	for (i = 0; i < 3000; i++) {
		frames[i] = frame_map_get(&map, i * 7919);
		ck_assert_uint_ne(frames[i], PLAT_NO_FRAME);
		*(uint64_t *)plat_frame_map(frames[i]) = i;
	}
	ck_assert_uint_eq(map.count, 3000);
	for (i = 0; i < 3000; i++) {
		hpa_t f = frame_map_lookup(&map, i * 7919);

		ck_assert_uint_eq(f, frames[i]);
		ck_assert_uint_eq(*(uint64_t *)plat_frame_map(f), i);
	}
	ck_assert_uint_eq(frame_map_lookup(&map, 1), PLAT_NO_FRAME);
	frame_map_destroy(&map);
	ck_assert_uint_eq(map.count, 0);
}
END_TEST

/*
 * A 2M host page: touching page 3 allocates the whole aligned 2M page, and
 * every 4K page of it is found inside it without another allocation.
 */
START_TEST(a_2m_host_page_backs_512_pages)
{
	struct frame_map map;
	hpa_t base, f;

	frame_map_init(&map, 9);
	f = frame_map_get(&map, 512 + 3);
	ck_assert_uint_ne(f, PLAT_NO_FRAME);
	base = f - 3 * PLAT_FRAME_SIZE;
	ck_assert_uint_eq(base & ((2u << 20) - 1), 0);
	ck_assert_uint_eq(frame_map_lookup(&map, 512), base);
	ck_assert_uint_eq(frame_map_lookup(&map, 1023), base + 511 * PLAT_FRAME_SIZE);
	ck_assert_uint_eq(frame_map_lookup(&map, 511), PLAT_NO_FRAME);
	ck_assert_uint_eq(frame_map_lookup(&map, 1024), PLAT_NO_FRAME);
	ck_assert_uint_eq(map.resident, 1);
	frame_map_destroy(&map);
}
END_TEST

/* A value keeps its flag bits, and a reclaimed key (PLAT_NO_FRAME) is not resident. */
START_TEST(values_carry_flags_and_can_lose_their_frame)
{
	struct frame_map map;
	hpa_t f;

	frame_map_init(&map, 0);
	f = frame_map_get(&map, 7);
	ck_assert_int_eq(frame_map_set(&map, 7, f | FRAME_HOST_RO), 0);
	ck_assert_uint_eq(frame_map_entry(&map, 7), f | FRAME_HOST_RO);
	ck_assert_uint_eq(frame_map_lookup(&map, 7), f);
	ck_assert_int_eq(frame_map_set(&map, 7, PLAT_NO_FRAME), 0);
	ck_assert_uint_eq(frame_map_lookup(&map, 7), PLAT_NO_FRAME);
	ck_assert_uint_eq(map.resident, 0);
	ck_assert_uint_eq(map.count, 1);
	plat_frame_free(f);
	frame_map_destroy(&map);
}
END_TEST

/* ---- lock-free readers --------------------------------------------------------- */

#define RACE_PAGES 20000

struct race {
	struct frame_map map;
	hpa_t frames[RACE_PAGES];  /* written by the writer before it publishes */
	volatile uint64_t done;    /* pages inserted so far (the writer's progress) */
	uint64_t bad;              /* lookups that returned a wrong frame (reader) */
};

/* The writer: insert page after page, growing the table many times. */
static void *race_writer(void *arg)
{
	struct race *r = arg;
	uint64_t i;

	for (i = 0; i < RACE_PAGES; i++) {
		r->frames[i] = frame_map_get(&r->map, i * 31);
		plat_atomic_write64(&r->done, i + 1);
	}
	return NULL;
}

/*
 * The reader, without the lock: every page the writer has finished must
 * be found with its own frame, whatever table generation the reader is in.
 */
static void *race_reader(void *arg)
{
	struct race *r = arg;
	uint64_t done, i, round;

	for (round = 0; round < 200; round++) {
		done = plat_atomic_read64(&r->done);
		for (i = 0; i < done; i += 7)
			if (frame_map_lookup(&r->map, i * 31) != r->frames[i])
				r->bad++;
		if (done == RACE_PAGES)
			break;
	}
	return NULL;
}

START_TEST(lookups_need_no_lock_while_the_table_grows)
{
	static struct race r;
	pthread_t w, rd;

	frame_map_init(&r.map, 0);
	ck_assert_int_eq(pthread_create(&rd, NULL, race_reader, &r), 0);
	ck_assert_int_eq(pthread_create(&w, NULL, race_writer, &r), 0);
	pthread_join(w, NULL);
	pthread_join(rd, NULL);
	ck_assert_uint_eq(r.bad, 0);
	ck_assert_uint_eq(r.map.count, RACE_PAGES);
	frame_map_destroy(&r.map);
}
END_TEST

static Suite *frames_suite(void)
{
	Suite *s = suite_create("vm/frames");
	TCase *tc = tcase_create("frame_map");

	tcase_add_test(tc, untouched_pages_have_no_frame);
	tcase_add_test(tc, a_touched_page_is_zeroed_and_stays_the_same_frame);
	tcase_add_test(tc, growth_keeps_every_mapping);
	tcase_add_test(tc, a_2m_host_page_backs_512_pages);
	tcase_add_test(tc, values_carry_flags_and_can_lose_their_frame);
	tcase_add_test(tc, lookups_need_no_lock_while_the_table_grows);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(frames_suite)
