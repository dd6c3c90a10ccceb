/*
 * Tests for platform/user/: host frames (arenas, private pointers, reuse),
 * huge frame ranges, and the reader-scalable rwlock.
 */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/platform.h"
#include "tests/util/check_main.h"

#define NFRAMES 3000  /* about six arenas' worth */

static hpa_t frames[NFRAMES];
static int owners[NFRAMES];

static bool zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

START_TEST(frame_private_round_trips_on_many_frames)
{
	for (unsigned i = 0; i < NFRAMES; i++) {
		frames[i] = plat_frame_alloc();
		ck_assert_uint_ne(frames[i], PLAT_NO_FRAME);
		ck_assert_uint_eq(frames[i] & (PLAT_FRAME_SIZE - 1), 0);
		/* Never frame 0 of a 2 MiB arena: that is the header. */
		ck_assert_uint_ne(frames[i] & ((2u << 20) - 1), 0);
		ck_assert_uint_lt(frames[i], 1ULL << plat_host_phys_bits());
		ck_assert_ptr_null(plat_frame_private(frames[i]));
		ck_assert(zero(plat_frame_map(frames[i]), PLAT_FRAME_SIZE));
	}
	for (unsigned i = 0; i < NFRAMES; i++)
		plat_frame_set_private(frames[i], &owners[i]);
	/* Writing frames does not touch any private pointer (they are elsewhere). */
	for (unsigned i = 0; i < NFRAMES; i++)
		memset(plat_frame_map(frames[i]), 0xa5, PLAT_FRAME_SIZE);
	for (unsigned i = 0; i < NFRAMES; i++)
		ck_assert_ptr_eq(plat_frame_private(frames[i]), &owners[i]);
	/* Freed frames lose their pointer; reused ones start with NULL. */
	for (unsigned i = 0; i < NFRAMES; i += 2)
		plat_frame_free(frames[i]);
	for (unsigned i = 1; i < NFRAMES; i += 2)
		ck_assert_ptr_eq(plat_frame_private(frames[i]), &owners[i]);
	for (unsigned i = 0; i < NFRAMES; i += 2) {
		frames[i] = plat_frame_alloc();
		ck_assert_ptr_null(plat_frame_private(frames[i]));
	}
	for (unsigned i = 0; i < NFRAMES; i++)
		plat_frame_free(frames[i]);
}
END_TEST

START_TEST(reused_frames_are_zeroed_again)
{
	for (unsigned i = 0; i < 600; i++) {
		frames[i] = plat_frame_alloc();
		memset(plat_frame_map(frames[i]), 0xff, PLAT_FRAME_SIZE);
	}
	for (unsigned i = 0; i < 600; i++)
		plat_frame_free(frames[i]);
	for (unsigned i = 0; i < 600; i++) {
		frames[i] = plat_frame_alloc();
		ck_assert(zero(plat_frame_map(frames[i]), PLAT_FRAME_SIZE));
	}
	for (unsigned i = 0; i < 600; i++)
		plat_frame_free(frames[i]);
}
END_TEST

START_TEST(frame_ranges_are_aligned_and_zeroed)
{
	hpa_t two_m = plat_frames_alloc(9);
	hpa_t one_g = plat_frames_alloc(18);
	hpa_t one = plat_frames_alloc(0);

	ck_assert_uint_ne(two_m, PLAT_NO_FRAME);
	ck_assert_uint_eq(two_m & ((1u << 21) - 1), 0);
	ck_assert(zero(plat_frame_map(two_m), 1u << 21));
	memset(plat_frame_map(two_m), 1, 1u << 21);
	plat_frames_free(two_m, 9);
	/* 1 GiB: aligned; touch only a few pages (the OS zeroes lazily). */
	ck_assert_uint_ne(one_g, PLAT_NO_FRAME);
	ck_assert_uint_eq(one_g & ((1u << 30) - 1), 0);
	ck_assert(zero(plat_frame_map(one_g), 4096));
	ck_assert(zero((uint8_t *)plat_frame_map(one_g) + (1u << 30) - 4096, 4096));
	plat_frames_free(one_g, 18);
	ck_assert_uint_ne(one, PLAT_NO_FRAME);
	ck_assert_uint_eq(one & 4095, 0);
	plat_frames_free(one, 0);
}
END_TEST

START_TEST(host_phys_bits_is_48)
{
	ck_assert_uint_eq(plat_host_phys_bits(), 48);
}
END_TEST

/* ---- rwlock ------------------------------------------------------------------ */

struct rw_test {
	struct plat_rwlock *lock;  /* under test */
	uint64_t a, b;             /* written only under the write lock: a == b outside it */
	unsigned bad;              /* readers that saw a != b; atomic */
	unsigned rounds;           /* iterations per thread */
	pthread_barrier_t both_in; /* two readers inside the read lock at once */
};

/* Widen the window between the two accesses, so a broken lock shows. */
static void dawdle(void)
{
	for (volatile int i = 0; i < 200; i++)
		;
}

static void *writer_thread(void *arg)
{
	struct rw_test *t = arg;

	for (unsigned i = 0; i < t->rounds; i++) {
		plat_write_lock(t->lock);
		/* Plain accesses on purpose: only the lock keeps them apart. */
		t->a++;
		dawdle();
		t->b++;
		plat_write_unlock(t->lock);
	}
	return NULL;
}

static void *reader_thread(void *arg)
{
	struct rw_test *t = arg;

	for (unsigned i = 0; i < t->rounds; i++) {
		uint64_t a, b;

		plat_read_lock(t->lock);
		a = t->a;
		dawdle();
		b = t->b;
		plat_read_unlock(t->lock);
		if (a != b)
			__atomic_add_fetch(&t->bad, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

START_TEST(writers_exclude_readers_and_each_other)
{
	struct rw_test t = { .lock = plat_rwlock_new(), .rounds = 20000 };
	pthread_t th[4];

	ck_assert_ptr_nonnull(t.lock);
	pthread_create(&th[0], NULL, writer_thread, &t);
	pthread_create(&th[1], NULL, reader_thread, &t);
	pthread_create(&th[2], NULL, writer_thread, &t);
	pthread_create(&th[3], NULL, reader_thread, &t);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	ck_assert_uint_eq(t.bad, 0);
	/* Two writers, no lost update. */
	ck_assert_uint_eq(t.a, 2 * 20000);
	ck_assert_uint_eq(t.b, 2 * 20000);
	plat_rwlock_free(t.lock);
}
END_TEST

static void *reader_meets_reader(void *arg)
{
	struct rw_test *t = arg;

	plat_read_lock(t->lock);
	/* Both threads get here only if the read side is shared. */
	pthread_barrier_wait(&t->both_in);
	plat_read_unlock(t->lock);
	return NULL;
}

START_TEST(readers_share_the_lock)
{
	struct rw_test t = { .lock = plat_rwlock_new() };
	pthread_t th[2];

	pthread_barrier_init(&t.both_in, NULL, 2);
	pthread_create(&th[0], NULL, reader_meets_reader, &t);
	pthread_create(&th[1], NULL, reader_meets_reader, &t);
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	pthread_barrier_destroy(&t.both_in);
	/* And the writer gets it afterwards: every reader count went back to 0. */
	plat_write_lock(t.lock);
	plat_write_unlock(t.lock);
	plat_rwlock_free(t.lock);
}
END_TEST

static Suite *platform_suite(void)
{
	Suite *s = suite_create("platform/user");
	TCase *tf = tcase_create("frames");
	TCase *tl = tcase_create("rwlock");

	tcase_add_test(tf, frame_private_round_trips_on_many_frames);
	tcase_add_test(tf, reused_frames_are_zeroed_again);
	tcase_add_test(tf, frame_ranges_are_aligned_and_zeroed);
	tcase_add_test(tf, host_phys_bits_is_48);
	suite_add_tcase(s, tf);
	tcase_set_timeout(tl, 30);
	tcase_add_test(tl, writers_exclude_readers_and_each_other);
	tcase_add_test(tl, readers_share_the_lock);
	suite_add_tcase(s, tl);
	return s;
}

TEST_MAIN(platform_suite)
