/*
 * Tests for core/mmu/roots.c: the current root and the previous-roots
 * cache (KVM's fast_pgd_switch), checked through the calls a backend sees.
 */
#include <check.h>
#include <stdlib.h>

#include "core/mmu/mmu.h"
#include "core/x86/bits.h"
#include "tests/util/check_main.h"
#include "tests/util/fake_backend.h"

static const struct mmu_config cfg = { .layout = SPTE_LAYOUT_NPT, .maxphyaddr = 46 };

struct fixture {
	struct fake_backend fb;
	struct mmu_vm *vm;
	struct mmu_vcpu *v;
	struct walk_ctx walk;  /* only regs.cr3 is read: the pgd of indirect roots */
};

/* On the heap: a walk context is too big for a test's stack frame. */
static struct fixture *setup(bool direct)
{
	struct fixture *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	f->fb.role_level = 4;
	f->fb.role_direct = direct;
	f->vm = fake_vm(&f->fb, &cfg);
	ck_assert_int_eq(mmu_vcpu_create(f->vm, 0, &f->walk, &f->v), 0);
	return f;
}

/* The guest loads CR3 = cr3; returns the root the CPU would walk. */
static hpa_t load_cr3(struct fixture *f, uint64_t cr3)
{
	f->walk.regs.cr3 = cr3;
	ck_assert_int_eq(mmu_new_pgd(f->v, true), 0);
	return mmu_current_root(f->v);
}

START_TEST(a_direct_root_survives_cr3_loads)
{
	struct fixture *f;
	hpa_t root;

	f = setup(true);
	ck_assert_int_eq(mmu_load(f->v), 0);
	root = mmu_current_root(f->v);
	ck_assert_uint_ne(root, MMU_INVALID_ROOT);
	/* TDP roots do not depend on the guest's CR3: the pgd of a direct root is 0. */
	ck_assert_uint_eq(load_cr3(f, 0x5000), root);
	ck_assert_uint_eq(load_cr3(f, 0x9000), root);
	ck_assert_uint_eq(f->fb.roots_got, 1);
	mmu_vm_destroy(f->vm);
	ck_assert_uint_eq(f->fb.roots_put, 1);
	free(f);
}
END_TEST

START_TEST(switching_back_reuses_a_previous_root)
{
	struct fixture *f;
	struct mmu_stats st;
	hpa_t a, b;

	f = setup(false);
	a = load_cr3(f, 0x1000);
	b = load_cr3(f, 0x2000);
	ck_assert_uint_ne(a, b);
	ck_assert_uint_eq(load_cr3(f, 0x1000), a);
	ck_assert_uint_eq(load_cr3(f, 0x2000), b);
	ck_assert_uint_eq(f->fb.roots_got, 2);
	ck_assert_uint_eq(f->fb.roots_put, 0);
	mmu_stats_read(f->vm, &st);
	ck_assert_uint_eq(st.v[MMU_STAT_ROOTS_REUSED], 2);
	mmu_vm_destroy(f->vm);
	ck_assert_uint_eq(f->fb.roots_put, 2);
	free(f);
}
END_TEST

/* Current + 3 previous roots fit; a fifth address space evicts the least recently used. */
START_TEST(the_lru_root_is_put_when_the_cache_is_full)
{
	struct fixture *f;
	hpa_t r1, r2;

	f = setup(false);
	r1 = load_cr3(f, 0x1000);
	r2 = load_cr3(f, 0x2000);
	load_cr3(f, 0x3000);
	load_cr3(f, 0x4000);
	ck_assert_uint_eq(f->fb.roots_put, 0);
	/* Touch 0x1000 again: it becomes the most recent, 0x2000 the least. */
	ck_assert_uint_eq(load_cr3(f, 0x1000), r1);
	load_cr3(f, 0x5000);
	ck_assert_uint_eq(f->fb.roots_put, 1);
	ck_assert_uint_eq(f->fb.last_put, r2);
	/* 0x2000 is gone: loading it builds a new root. */
	ck_assert_uint_ne(load_cr3(f, 0x2000), r2);
	ck_assert_uint_eq(f->fb.roots_got, 6);
	mmu_vm_destroy(f->vm);
	ck_assert_uint_eq(f->fb.roots_put, 6);
	free(f);
}
END_TEST

START_TEST(a_role_change_needs_another_root)
{
	struct fixture *f;
	hpa_t a;

	f = setup(false);
	a = load_cr3(f, 0x1000);
	f->fb.role_level = 5;
	ck_assert_int_eq(mmu_reset_context(f->v), 0);
	ck_assert_uint_ne(mmu_current_root(f->v), a);
	f->fb.role_level = 4;
	ck_assert_int_eq(mmu_reset_context(f->v), 0);
	ck_assert_uint_eq(mmu_current_root(f->v), a);
	ck_assert_uint_eq(f->fb.roots_got, 2);
	mmu_vm_destroy(f->vm);
	free(f);
}
END_TEST

static Suite *roots_suite(void)
{
	Suite *s = suite_create("roots");
	TCase *tc = tcase_create("prev_roots");

	tcase_add_test(tc, a_direct_root_survives_cr3_loads);
	tcase_add_test(tc, switching_back_reuses_a_previous_root);
	tcase_add_test(tc, the_lru_root_is_put_when_the_cache_is_full);
	tcase_add_test(tc, a_role_change_needs_another_root);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(roots_suite)
