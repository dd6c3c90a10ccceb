/*
 * Tests for core/mmu/trace.c: the trace ring, its wraparound and reading
 * after a sequence number; plus the stat name tables (core/mmu/stats.c).
 */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/mmu/stats.h"
#include "core/mmu/trace.h"
#include "tests/util/check_main.h"

static struct mmu_trace *trace_new(void)
{
	struct mmu_trace *t = calloc(1, sizeof(*t));

	ck_assert_ptr_nonnull(t);
	t->enabled = true;
	return t;
}

/* Event n carries n in every field, so a mixed-up copy shows. */
static void emit_n(struct mmu_trace *t, uint64_t n)
{
	mmu_trace_emit(t, (enum mmu_trace_kind)(n % TRACE_NR_KINDS), (uint32_t)n, n, (int)(n % 6),
		       n * 3, n * 5);
}

static void check_event(const struct mmu_trace_event *e, uint64_t n)
{
	ck_assert_uint_eq(e->seq, n);
	ck_assert_uint_eq(e->kind, n % TRACE_NR_KINDS);
	ck_assert_uint_eq(e->vcpu, (uint32_t)n);
	ck_assert_uint_eq(e->gfn, n);
	ck_assert_uint_eq(e->level, n % 6);
	ck_assert_uint_eq(e->old_spte, n * 3);
	ck_assert_uint_eq(e->new_spte, n * 5);
}

START_TEST(events_read_back_in_order)
{
	struct mmu_trace *t = trace_new();
	struct mmu_trace_event out[16];

	ck_assert_uint_eq(mmu_trace_read(t, 0, out, 16), 0);
	for (uint64_t n = 1; n <= 10; n++)
		emit_n(t, n);
	ck_assert_uint_eq(mmu_trace_read(t, 0, out, 16), 10);
	for (unsigned i = 0; i < 10; i++)
		check_event(&out[i], i + 1);
	/* After 7: 8, 9, 10.  At most max. */
	ck_assert_uint_eq(mmu_trace_read(t, 7, out, 16), 3);
	check_event(&out[0], 8);
	ck_assert_uint_eq(mmu_trace_read(t, 0, out, 4), 4);
	check_event(&out[3], 4);
	ck_assert_uint_eq(mmu_trace_read(t, 10, out, 16), 0);
	free(t);
}
END_TEST

START_TEST(disabled_trace_records_nothing)
{
	struct mmu_trace *t = trace_new();
	struct mmu_trace_event out[1];

	t->enabled = false;
	emit_n(t, 1);
	ck_assert_uint_eq(t->next_seq, 0);
	ck_assert_uint_eq(mmu_trace_read(t, 0, out, 1), 0);
	mmu_trace_emit(NULL, TRACE_FLUSH, 0, 0, 0, 0, 0);  /* no trace at all: fine */
	free(t);
}
END_TEST

START_TEST(wraparound_keeps_the_newest_ring_of_events)
{
	struct mmu_trace *t = trace_new();
	struct mmu_trace_event *out = calloc(MMU_TRACE_RING, sizeof(*out));
	uint64_t total = 3 * MMU_TRACE_RING + 123;

	for (uint64_t n = 1; n <= total; n++)
		emit_n(t, n);
	/* From the start: only the last MMU_TRACE_RING survive, oldest first. */
	ck_assert_uint_eq(mmu_trace_read(t, 0, out, MMU_TRACE_RING), MMU_TRACE_RING);
	for (unsigned i = 0; i < MMU_TRACE_RING; i++)
		check_event(&out[i], total - MMU_TRACE_RING + 1 + i);
	/* After a sequence number still in the ring. */
	ck_assert_uint_eq(mmu_trace_read(t, total - 5, out, MMU_TRACE_RING), 5);
	check_event(&out[0], total - 4);
	check_event(&out[4], total);
	/* After one overwritten long ago: the gap shows in seq. */
	ck_assert_uint_eq(mmu_trace_read(t, 17, out, 2), 2);
	check_event(&out[0], total - MMU_TRACE_RING + 1);
	free(out);
	free(t);
}
END_TEST

struct emitter {
	struct mmu_trace *t;  /* shared ring */
	unsigned count;       /* events to emit */
};

static void *emit_thread(void *arg)
{
	struct emitter *e = arg;

	for (unsigned i = 0; i < e->count; i++)
		mmu_trace_emit(e->t, TRACE_SPTE_SET, 1, 7, 1, 11, 13);
	return NULL;
}

/* Four writers: every sequence number is claimed exactly once. */
START_TEST(concurrent_writers_claim_distinct_slots)
{
	struct mmu_trace *t = trace_new();
	struct mmu_trace_event *out = calloc(MMU_TRACE_RING, sizeof(*out));
	struct emitter e = { t, 1000 };
	pthread_t th[4];
	unsigned n;

	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, emit_thread, &e);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	ck_assert_uint_eq(t->next_seq, 4000);
	n = mmu_trace_read(t, 0, out, MMU_TRACE_RING);
	ck_assert_uint_eq(n, 4000);
	for (unsigned i = 0; i < n; i++) {
		ck_assert_uint_eq(out[i].seq, i + 1);
		ck_assert_uint_eq(out[i].new_spte, 13);
	}
	free(out);
	free(t);
}
END_TEST

START_TEST(names_come_from_the_tables)
{
	ck_assert_str_eq(mmu_trace_kind_name(TRACE_FAULT), "fault");
	ck_assert_str_eq(mmu_trace_kind_name(TRACE_SPTE_SET), "spte_set");
	ck_assert_str_eq(mmu_trace_kind_name(TRACE_MEMSLOT), "memslot");
	ck_assert_str_eq(mmu_trace_kind_name(TRACE_NR_KINDS), "?");
	for (int k = 0; k < TRACE_NR_KINDS; k++)
		ck_assert_str_ne(mmu_trace_kind_name(k), "?");

	ck_assert_str_eq(mmu_stat_name(MMU_STAT_PF_TAKEN), "pf_taken");
	ck_assert_str_eq(mmu_stat_what(MMU_STAT_PF_TAKEN), "faults that reached the MMU");
	ck_assert_str_eq(mmu_stat_name(MMU_STAT_MEM_PEAK), "mem_peak_bytes");
	ck_assert_str_eq(mmu_stat_name(MMU_STAT_PAGES_ALLOC_L3), "pages_alloc_l3");
	ck_assert_str_eq(mmu_stat_name(MMU_NR_STATS), "?");
	for (int s = 0; s < MMU_NR_STATS; s++) {
		ck_assert_ptr_nonnull(mmu_stat_name(s));
		ck_assert_uint_gt(strlen(mmu_stat_what(s)), 5);
	}
}
END_TEST

static Suite *trace_suite(void)
{
	Suite *s = suite_create("core/trace");
	TCase *tc = tcase_create("trace");

	tcase_add_test(tc, events_read_back_in_order);
	tcase_add_test(tc, disabled_trace_records_nothing);
	tcase_add_test(tc, wraparound_keeps_the_newest_ring_of_events);
	tcase_add_test(tc, concurrent_writers_claim_distinct_slots);
	tcase_add_test(tc, names_come_from_the_tables);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(trace_suite)
