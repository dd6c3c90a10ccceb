/*
 * Tests for core/vm/host.c: host pages allocated on touch (4K and huge),
 * vm_gfn_to_hpa, the host changes (contents kept, the old page poisoned
 * and kept, an MMU invalidation around each), copy on write, and lookups
 * from two threads at once.
 */
#include <check.h>
#include <pthread.h>
#include <string.h>

#include "core/errors.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "tests/util/check_main.h"
#include "tests/util/fake_backend.h"

#define POISON 0xdbdbdbdbdbdbdbdbULL

static const struct x86_cpu_features feat = { .maxphyaddr = 46, .gbpages = true };

static uint64_t at(hpa_t hpa, unsigned off)
{
	uint64_t v;

	memcpy(&v, (uint8_t *)plat_frame_map(hpa) + off, sizeof(v));
	return v;
}

static hpa_t hpa_of(struct vm *vm, uint64_t gfn, bool write, bool *writable)
{
	bool w = false;
	hpa_t hpa = 0;

	ck_assert_int_eq(vm_gfn_to_hpa(vm, gfn, write, &hpa, &w), 0);
	if (writable)
		*writable = w;
	return hpa;
}

static unsigned quarantined(const struct vm *vm)
{
	const struct vm_quarantined *q;
	unsigned n = 0;

	for (q = vm->quarantine; q; q = q->next)
		n++;
	return n;
}

START_TEST(gfn_to_hpa_allocates_on_touch_and_stays_put)
{
	struct vm *vm = vm_create(&feat);
	bool w = false;
	hpa_t a;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0x100000, 0x10000, 0, MMU_LEVEL_4K), 0);
	ck_assert_uint_eq(vm_frames_in_use(vm), 0);
	a = hpa_of(vm, 0x105, false, &w);
	ck_assert(w);
	ck_assert_uint_eq(vm_frames_in_use(vm), 1);
	ck_assert_uint_eq(hpa_of(vm, 0x105, true, NULL), a);
	ck_assert_int_eq(vm_write_value(vm, 0x105010, 8, 0x77), 0);
	ck_assert_uint_eq(at(a, 0x10), 0x77);
	ck_assert_int_eq(vm_gfn_to_hpa(vm, 0x200, false, &a, &w), MMU_ENOSLOT);
	vm_destroy(vm);
}
END_TEST

/* In a 2M-backed slot, page k of a host page is at that page's base + k * 4K. */
START_TEST(huge_backed_pages_are_contiguous)
{
	struct vm *vm = vm_create(&feat);
	hpa_t a, b;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0x400000, 0x400000, 0, MMU_LEVEL_2M), 0);
	a = hpa_of(vm, 0x400 + 3, false, NULL);
	b = hpa_of(vm, 0x400 + 511, false, NULL);
	ck_assert_uint_eq(b - a, 508 * PLAT_FRAME_SIZE);
	ck_assert_uint_eq((a - 3 * PLAT_FRAME_SIZE) & (PAGE_SIZE_2M - 1), 0);
	ck_assert_uint_eq(vm_frames_in_use(vm), 512);
	/* The next host page is another allocation. */
	hpa_of(vm, 0x600, false, NULL);
	ck_assert_uint_eq(vm_frames_in_use(vm), 1024);
	vm_destroy(vm);
}
END_TEST

START_TEST(remap_moves_contents_and_poisons_the_old_page)
{
	struct vm *vm = vm_create(&feat);
	hpa_t old, new;
	uint64_t v;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0, 0x10000, 0, MMU_LEVEL_4K), 0);
	ck_assert_int_eq(vm_write_value(vm, 0x3008, 8, 0x1234), 0);
	old = hpa_of(vm, 3, false, NULL);
	ck_assert_int_eq(vm_host_change(vm, 0x3000, 0x1000, HOST_REMAP), 0);
	new = hpa_of(vm, 3, false, NULL);
	ck_assert_uint_ne(new, old);
	ck_assert_uint_eq(at(new, 8), 0x1234);
	/* The old frame is still allocated, full of poison. */
	ck_assert_uint_eq(at(old, 8), POISON);
	ck_assert_uint_eq(at(old, 0xff8), POISON);
	ck_assert_uint_eq(quarantined(vm), 1);
	ck_assert_int_eq(vm_read_value(vm, 0x3008, 8, &v), 0);
	ck_assert_uint_eq(v, 0x1234);
	vm_destroy(vm);
}
END_TEST

START_TEST(reclaim_drops_the_frame_and_brings_contents_back)
{
	struct vm *vm = vm_create(&feat);
	hpa_t old;
	uint64_t v;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0, 0x10000, 0, MMU_LEVEL_4K), 0);
	ck_assert_int_eq(vm_write_value(vm, 0x2ff0, 8, 0xabcd), 0);
	old = hpa_of(vm, 2, false, NULL);
	ck_assert_uint_eq(vm_frames_in_use(vm), 1);
	/* A range with never-touched pages: they have nothing to reclaim. */
	ck_assert_int_eq(vm_host_change(vm, 0, 0x10000, HOST_RECLAIM), 0);
	ck_assert_uint_eq(vm_frames_in_use(vm), 0);
	ck_assert_uint_eq(at(old, 0xff0), POISON);
	ck_assert_int_eq(vm_read_value(vm, 0x2ff0, 8, &v), 0);
	ck_assert_uint_eq(v, 0xabcd);
	ck_assert_uint_eq(vm_frames_in_use(vm), 1);
	vm_destroy(vm);
}
END_TEST

/*
 * Read-only: the contents move to a shared read-only page (the original is
 * poisoned); reads keep it, the first write copies it into a private page
 * and leaves the shared one intact (another vCPU may be reading it).
 */
START_TEST(readonly_pages_are_copied_on_write)
{
	struct vm *vm = vm_create(&feat);
	hpa_t orig, shared, priv;
	bool w = true;
	uint64_t v;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0, 0x10000, 0, MMU_LEVEL_4K), 0);
	ck_assert_int_eq(vm_write_value(vm, 0x1000, 8, 0x55), 0);
	orig = hpa_of(vm, 1, false, NULL);
	ck_assert_int_eq(vm_host_change(vm, 0x1000, 0x1000, HOST_READONLY), 0);
	shared = hpa_of(vm, 1, false, &w);
	ck_assert(!w);
	ck_assert_uint_ne(shared, orig);
	ck_assert_uint_eq(at(orig, 0), POISON);
	ck_assert_uint_eq(at(shared, 0), 0x55);
	priv = hpa_of(vm, 1, true, &w);
	ck_assert(w);
	ck_assert_uint_ne(priv, shared);
	ck_assert_uint_eq(at(priv, 0), 0x55);
	ck_assert_uint_eq(at(shared, 0), 0x55);
	ck_assert_uint_eq(quarantined(vm), 2);
	/* A guest write to a read-only page goes through the same copy. */
	ck_assert_int_eq(vm_host_change(vm, 0x1000, 0x1000, HOST_READONLY), 0);
	ck_assert_int_eq(vm_guest_write(vm, 0x1008, 8, 0x66), 0);
	ck_assert(hpa_of(vm, 1, false, &w) && w);
	ck_assert_int_eq(vm_read_value(vm, 0x1000, 8, &v), 0);
	ck_assert_uint_eq(v, 0x55);
	vm_destroy(vm);
}
END_TEST

/* Huge host pages change whole: a range that splits one is refused. */
START_TEST(huge_pages_change_whole)
{
	struct vm *vm = vm_create(&feat);
	hpa_t old, new;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0x200000, 0x400000, 0, MMU_LEVEL_2M), 0);
	ck_assert_int_eq(vm_write_value(vm, 0x3ff000, 8, 0x99), 0);
	old = hpa_of(vm, 0x3ff, false, NULL);
	ck_assert_int_eq(vm_host_change(vm, 0x201000, 0x1000, HOST_REMAP), MMU_EINVAL);
	ck_assert_int_eq(vm_host_change(vm, 0x200000, 0x201000, HOST_REMAP), MMU_EINVAL);
	ck_assert_int_eq(vm_host_change(vm, 0x100000, 0x200000, HOST_REMAP), MMU_ENOSLOT);
	ck_assert_uint_eq(hpa_of(vm, 0x3ff, false, NULL), old);
	ck_assert_int_eq(vm_host_change(vm, 0x200000, 0x200000, HOST_REMAP), 0);
	new = hpa_of(vm, 0x3ff, false, NULL);
	ck_assert_uint_ne(new, old);
	ck_assert_uint_eq(at(new, 0), 0x99);
	ck_assert_uint_eq(hpa_of(vm, 0x200, false, NULL), new - 511 * PLAT_FRAME_SIZE);
	ck_assert_uint_eq(at(old, 0), POISON);
	ck_assert_uint_eq(at(old - 511 * PLAT_FRAME_SIZE, 0), POISON);
	vm_destroy(vm);
}
END_TEST

static void count_flush(void *opaque)
{
	++*(unsigned *)opaque;
}

/* Every change is inside an invalidation: the MMU zapped the range and flushed before it. */
START_TEST(changes_are_wrapped_in_mmu_invalidations)
{
	struct mmu_config cfg = { .layout = SPTE_LAYOUT_NPT };
	struct fake_backend fb = { .range_needs_flush = true };
	struct vm *vm = vm_create(&feat);
	unsigned flushes = 0;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0x200000, 0x400000, 0, MMU_LEVEL_2M), 0);
	ck_assert_int_eq(vm_attach_mmu(vm, &fake_backend_ops, &cfg, count_flush, &flushes), 0);
	vm->mmu->backend = &fb;
	hpa_of(vm, 0x210, true, NULL);
	ck_assert_int_eq(vm_host_change(vm, 0x200000, 0x400000, HOST_READONLY), 0);
	ck_assert_uint_eq(fb.nr_calls, 1);
	ck_assert_uint_eq(fb.calls[0].op, 'z');
	ck_assert_uint_eq(fb.calls[0].start, 0x200);
	ck_assert_uint_eq(fb.calls[0].end, 0x600);
	ck_assert_uint_eq(flushes, 1);
	ck_assert_uint_eq(vm->mmu->invalidate_in_progress, 0);
	/* The copy on write invalidates the whole host page around the switch. */
	hpa_of(vm, 0x210, true, NULL);
	ck_assert_uint_eq(fb.nr_calls, 2);
	ck_assert_uint_eq(fb.calls[1].start, 0x200);
	ck_assert_uint_eq(fb.calls[1].end, 0x400);
	ck_assert_uint_eq(flushes, 2);
	ck_assert_uint_eq(vm->mmu->invalidate_in_progress, 0);
	ck_assert_uint_eq(vm_host_age(vm, 0x200000, 0x200000, false), 0x200);
	vm_destroy(vm);
}
END_TEST

/* ---- two threads ------------------------------------------------------------ */

#define THREAD_PAGES 4096

struct lookups {
	struct vm *vm;
	uint64_t first;             /* first gfn this thread touches */
	hpa_t hpa[THREAD_PAGES];    /* what it got for gfn first + i */
	int errors;                 /* calls that failed */
};

static void *look_up(void *arg)
{
	struct lookups *l = arg;
	bool w;
	unsigned i, round;

	for (round = 0; round < 2; round++)
		for (i = 0; i < THREAD_PAGES; i++) {
			hpa_t h = 0;

			if (vm_gfn_to_hpa(l->vm, l->first + i, i & 1, &h, &w))
				l->errors++;
			else if (round && h != l->hpa[i])
				l->errors++;
			l->hpa[i] = h;
		}
	return NULL;
}

/*
 * Two vCPU threads fault pages in at once, half of them the same pages:
 * each gfn gets exactly one frame, whoever allocated it, and a thread
 * sees the same frame on every later lookup.
 */
START_TEST(two_threads_look_up_at_once)
{
	static struct lookups a, b;
	struct vm *vm = vm_create(&feat);
	pthread_t ta, tb;
	unsigned i;

	ck_assert_int_eq(vm_memslot_create(vm, 0, 0, 64ULL << 20, 0, MMU_LEVEL_4K), 0);
	a = (struct lookups){ .vm = vm, .first = 0 };
	b = (struct lookups){ .vm = vm, .first = THREAD_PAGES / 2 };
	ck_assert_int_eq(pthread_create(&ta, NULL, look_up, &a), 0);
	ck_assert_int_eq(pthread_create(&tb, NULL, look_up, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	ck_assert_int_eq(a.errors, 0);
	ck_assert_int_eq(b.errors, 0);
	for (i = 0; i < THREAD_PAGES / 2; i++)
		ck_assert_uint_eq(a.hpa[THREAD_PAGES / 2 + i], b.hpa[i]);
	ck_assert_uint_eq(vm_frames_in_use(vm), THREAD_PAGES + THREAD_PAGES / 2);
	vm_destroy(vm);
}
END_TEST

static Suite *host_suite(void)
{
	Suite *s = suite_create("vm/host");
	TCase *tc = tcase_create("host pages");
	TCase *ch = tcase_create("host changes");
	TCase *mt = tcase_create("threads");

	tcase_add_test(tc, gfn_to_hpa_allocates_on_touch_and_stays_put);
	tcase_add_test(tc, huge_backed_pages_are_contiguous);
	tcase_add_test(ch, remap_moves_contents_and_poisons_the_old_page);
	tcase_add_test(ch, reclaim_drops_the_frame_and_brings_contents_back);
	tcase_add_test(ch, readonly_pages_are_copied_on_write);
	tcase_add_test(ch, huge_pages_change_whole);
	tcase_add_test(ch, changes_are_wrapped_in_mmu_invalidations);
	tcase_add_test(mt, two_threads_look_up_at_once);
	tcase_set_timeout(mt, 60);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, ch);
	suite_add_tcase(s, mt);
	return s;
}

TEST_MAIN(host_suite)
