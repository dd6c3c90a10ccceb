/* Tests for core/cache.c: memory caches topped up outside the MMU lock. */
#include <check.h>
#include <signal.h>
#include <stdint.h>

#include "core/cache.h"
#include "core/errors.h"
#include "tests/util/check_main.h"

static bool frame_is_zero(hpa_t hpa)
{
	const uint8_t *p = plat_frame_map(hpa);

	for (unsigned i = 0; i < PLAT_FRAME_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

START_TEST(topup_fills_to_min_and_no_further)
{
	struct mmu_cache c;

	mmu_cache_init(&c, MMU_CACHE_FRAMES, 0);
	ck_assert_uint_eq(c.nobjs, 0);
	ck_assert_int_eq(mmu_cache_topup(&c, 5), 0);
	ck_assert_uint_eq(c.nobjs, 5);
	ck_assert_int_eq(mmu_cache_topup(&c, 3), 0);
	ck_assert_uint_eq(c.nobjs, 5);
	ck_assert_int_eq(mmu_cache_topup(&c, MMU_CACHE_CAPACITY), 0);
	ck_assert_uint_eq(c.nobjs, MMU_CACHE_CAPACITY);
	mmu_cache_free(&c);
	ck_assert_uint_eq(c.nobjs, 0);
}
END_TEST

START_TEST(frames_come_out_zeroed_even_when_returned_dirty)
{
	struct mmu_cache c;
	hpa_t a, b;
	int marker;

	mmu_cache_init(&c, MMU_CACHE_FRAMES, 0);
	ck_assert_int_eq(mmu_cache_topup(&c, 2), 0);
	a = mmu_cache_alloc_frame(&c);
	b = mmu_cache_alloc_frame(&c);
	ck_assert_uint_ne(a, b);
	ck_assert_uint_eq(a & (PLAT_FRAME_SIZE - 1), 0);
	ck_assert(frame_is_zero(a) && frame_is_zero(b));
	/* A table filled, then lost a race: it goes back and comes out clean. */
	((uint64_t *)plat_frame_map(a))[17] = 0xdeadbeef;
	plat_frame_set_private(a, &marker);
	mmu_cache_return_frame(&c, a);
	ck_assert_uint_eq(c.nobjs, 1);
	ck_assert_uint_eq(mmu_cache_alloc_frame(&c), a);
	ck_assert(frame_is_zero(a));
	ck_assert_ptr_null(plat_frame_private(a));
	plat_frame_free(a);
	plat_frame_free(b);
	mmu_cache_free(&c);
}
END_TEST

START_TEST(objects_come_out_zeroed)
{
	struct mmu_cache c;
	uint64_t *o;

	mmu_cache_init(&c, MMU_CACHE_OBJECTS, 96);
	ck_assert_uint_eq(c.obj_size, 96);
	ck_assert_int_eq(mmu_cache_topup(&c, 1), 0);
	o = mmu_cache_alloc_obj(&c);
	for (unsigned i = 0; i < 96 / 8; i++)
		ck_assert_uint_eq(o[i], 0);
	o[11] = 42;
	mmu_cache_return_obj(&c, o);
	o = mmu_cache_alloc_obj(&c);
	ck_assert_uint_eq(o[11], 0);
	plat_free(o);
	mmu_cache_free(&c);
}
END_TEST

START_TEST(returning_to_a_full_cache_frees)
{
	struct mmu_cache c;
	void *extra = plat_zalloc(32);

	mmu_cache_init(&c, MMU_CACHE_OBJECTS, 32);
	ck_assert_int_eq(mmu_cache_topup(&c, MMU_CACHE_CAPACITY), 0);
	mmu_cache_return_obj(&c, extra);  /* freed: ASan's leak check would see it otherwise */
	ck_assert_uint_eq(c.nobjs, MMU_CACHE_CAPACITY);
	mmu_cache_free(&c);
}
END_TEST

START_TEST(taking_from_an_empty_cache_stops)
{
	struct mmu_cache c;

	mmu_cache_init(&c, MMU_CACHE_OBJECTS, 32);
	mmu_cache_alloc_obj(&c);
}
END_TEST

START_TEST(taking_a_frame_from_an_object_cache_stops)
{
	struct mmu_cache c;

	mmu_cache_init(&c, MMU_CACHE_OBJECTS, 32);
	ck_assert_int_eq(mmu_cache_topup(&c, 1), 0);
	mmu_cache_alloc_frame(&c);
}
END_TEST

static Suite *cache_suite(void)
{
	Suite *s = suite_create("core/cache");
	TCase *tc = tcase_create("cache");

	tcase_add_test(tc, topup_fills_to_min_and_no_further);
	tcase_add_test(tc, frames_come_out_zeroed_even_when_returned_dirty);
	tcase_add_test(tc, objects_come_out_zeroed);
	tcase_add_test(tc, returning_to_a_full_cache_frees);
	tcase_add_test_raise_signal(tc, taking_from_an_empty_cache_stops, SIGABRT);
	tcase_add_test_raise_signal(tc, taking_a_frame_from_an_object_cache_stops, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(cache_suite)
