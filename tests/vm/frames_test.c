/* Tests for core/vm/frames.c: the sparse page-index -> host-frame map. */
#include <check.h>

#include "core/platform.h"
#include "core/vm/frames.h"
#include "tests/util/check_main.h"

START_TEST(untouched_pages_have_no_frame)
{
	struct frame_map map = { 0 };

	ck_assert_uint_eq(frame_map_lookup(&map, 0), PLAT_NO_FRAME);
	ck_assert_uint_eq(frame_map_lookup(&map, 1ULL << 40), PLAT_NO_FRAME);
	frame_map_destroy(&map);
}
END_TEST

START_TEST(a_touched_page_is_zeroed_and_stays_the_same_frame)
{
	struct frame_map map = { 0 };
	hpa_t a = frame_map_get(&map, 12345);
	const uint8_t *bytes = plat_frame_map(a);
	unsigned i;

	ck_assert_uint_ne(a, PLAT_NO_FRAME);
	ck_assert_uint_eq(a & (PLAT_FRAME_SIZE - 1), 0);
	for (i = 0; i < PLAT_FRAME_SIZE; i++)
		ck_assert_uint_eq(bytes[i], 0);
	ck_assert_uint_eq(frame_map_get(&map, 12345), a);
	ck_assert_uint_eq(frame_map_lookup(&map, 12345), a);
	ck_assert_uint_eq(map.count, 1);
	frame_map_destroy(&map);
}
END_TEST

/* Growth rehashes every key: after many inserts each index still maps to
 * its own frame, and distinct indexes never share one. */
START_TEST(growth_keeps_every_mapping)
{
	struct frame_map map = { 0 };
	static hpa_t frames[3000];
	uint64_t i;

	for (i = 0; i < 3000; i++) {
		frames[i] = frame_map_get(&map, i * 7919);
		ck_assert_uint_ne(frames[i], PLAT_NO_FRAME);
		*(uint64_t *)plat_frame_map(frames[i]) = i;
	}
	ck_assert_uint_eq(map.count, 3000);
	ck_assert_uint_le((uint64_t)map.count * 4, (uint64_t)map.capacity * 3);
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

static Suite *frames_suite(void)
{
	Suite *s = suite_create("vm/frames");
	TCase *tc = tcase_create("frame_map");

	tcase_add_test(tc, untouched_pages_have_no_frame);
	tcase_add_test(tc, a_touched_page_is_zeroed_and_stays_the_same_frame);
	tcase_add_test(tc, growth_keeps_every_mapping);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(frames_suite)
