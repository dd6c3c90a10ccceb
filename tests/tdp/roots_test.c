/*
 * Tests for backends/tdp/roots.c: TDP roots are per role and shared by
 * every vCPU whose root role is equal (kvm-mmu notes §5.1).
 */
#include "tests/tdp/tdp_test.h"
#include "tests/util/check_main.h"

struct seen_roots {
	unsigned n;
	hpa_t hpa[4];
	union mmu_page_role role[4];
	uint32_t count[4];
	unsigned sptes;
};

static void see_root(void *opaque, hpa_t root, union mmu_page_role role, uint32_t count)
{
	struct seen_roots *s = opaque;

	ck_assert_uint_lt(s->n, 4);
	s->hpa[s->n] = root;
	s->role[s->n] = role;
	s->count[s->n++] = count;
}

static void see_spte(void *opaque, const struct mmu_page *sp, unsigned index, uint64_t spte)
{
	struct seen_roots *s = opaque;

	ck_assert_uint_lt(index, 512);
	ck_assert_uint_eq(sp->spt[index], spte);
	s->sptes++;
}

static void visit(struct t_vm *t, struct seen_roots *s)
{
	struct mmu_visitor vis = { .opaque = s, .root = see_root, .spte = see_spte };

	plat_read_lock(t->vm->mmu_lock);
	t->vm->ops->visit(t->vm, &vis);
	plat_read_unlock(t->vm->mmu_lock);
}

/* KVM's TDP root role: direct, all access, CR0.WP and EFER.NX forced on. */
START_TEST(the_root_role_is_kvms_tdp_role)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, false);
	struct t_vm *t = t_vm_create(&cfg, 1);
	union mmu_page_role r = t->v[0]->mmu->root_role;

	ck_assert_uint_eq(r.level, 4);
	ck_assert_uint_eq(r.direct, 1);
	ck_assert_uint_eq(r.access, 7);
	ck_assert_uint_eq(r.cr0_wp, 1);
	ck_assert_uint_eq(r.efer_nx, 1);
	ck_assert_uint_eq(r.ad_disabled, 1);  /* EPT without A/D */
	ck_assert_uint_eq(r.guest_mode, 0);
	ck_assert_uint_eq(r.smm, 0);
	/* bits: level 4 | direct (7) | access 7 (8-10) | efer_nx (12) | cr0_wp (13) | ad_disabled (16) */
	ck_assert_uint_eq(r.word, 4u | 1u << 7 | 7u << 8 | 1u << 12 | 1u << 13 | 1u << 16);
	t_vm_destroy(t);
}
END_TEST

START_TEST(two_vcpus_with_equal_roles_share_one_root)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_NPT, true);
	struct t_vm *t = t_vm_create(&cfg, 2);
	struct seen_roots s = { 0 };
	int level;

	ck_assert_uint_eq(mmu_current_root(t->v[0]), mmu_current_root(t->v[1]));
	ck_assert_uint_eq(t_stat(t, MMU_STAT_ROOTS_ALLOC), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_ROOTS_REUSED), 1);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_ALLOC_L4), 1);

	/* A page vCPU 1 maps is mapped for vCPU 0 too. */
	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault_full(t, 1, 0x103000, ACCESS_READ, false, NULL), MMU_FAULT_FIXED);
	ck_assert_int_eq(t_fault_full(t, 0, 0x103000, ACCESS_READ, false, NULL),
			 MMU_FAULT_SPURIOUS);
	ck_assert_uint_eq(t_entry(t, 0, 0x103, 1, &level, NULL) & T_ADDR_MASK, t_hpa(t, 0x103));

	visit(t, &s);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.hpa[0], mmu_current_root(t->v[0]));
	ck_assert_uint_eq(s.count[0], 2);
	ck_assert_uint_eq(s.role[0].word, t->v[0]->mmu->root_role.word);
	ck_assert_uint_eq(s.sptes, 4);  /* PML4E, PDPTE, PDE, PTE */
	t_vm_destroy(t);
}
END_TEST

/* The last put frees the root and its whole tree; an earlier one frees nothing. */
START_TEST(the_last_reference_frees_the_root_and_its_tree)
{
	struct mmu_config cfg = t_cfg(SPTE_LAYOUT_EPT, true);
	struct t_vm *t = t_vm_create(&cfg, 2);
	hpa_t root = mmu_current_root(t->v[0]);
	struct seen_roots s = { 0 };

	t_slot(t, 0, 0x100, 16, 0, MMU_LEVEL_4K, 0x100, 4);
	ck_assert_int_eq(t_fault(t, 0x100000, ACCESS_WRITE), MMU_FAULT_FIXED);
	ck_assert_int_eq(t_fault(t, 0x101000, ACCESS_WRITE), MMU_FAULT_FIXED);

	t->vm->ops->put_root(t->vm, root);   /* vCPU 1's reference */
	t->v[1]->mmu->root.hpa = MMU_INVALID_ROOT;
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_FREED), 0);
	visit(t, &s);
	ck_assert_uint_eq(s.count[0], 1);

	t->vm->ops->put_root(t->vm, root);   /* vCPU 0's: the last */
	t->v[0]->mmu->root.hpa = MMU_INVALID_ROOT;
	ck_assert_uint_eq(t_stat(t, MMU_STAT_PAGES_FREED), 4);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MAPPED_4K), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_SPTES_ZAPPED), 5);  /* 3 tables + 2 leaves */
	ck_assert_uint_eq(t_stat(t, MMU_STAT_MEM_LIVE), 0);
	s.n = 0;
	visit(t, &s);
	ck_assert_uint_eq(s.n, 0);

	/* Loading again builds a fresh root. */
	ck_assert_int_eq(mmu_load(t->v[0]), 0);
	ck_assert_uint_eq(t_stat(t, MMU_STAT_ROOTS_ALLOC), 2);
	t_vm_destroy(t);
}
END_TEST

static Suite *tdp_roots_suite(void)
{
	Suite *s = suite_create("tdp_roots");
	TCase *tc = tcase_create("roots");

	tcase_add_test(tc, the_root_role_is_kvms_tdp_role);
	tcase_add_test(tc, two_vcpus_with_equal_roles_share_one_root);
	tcase_add_test(tc, the_last_reference_frees_the_root_and_its_tree);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(tdp_roots_suite)
