/*
 * Tests for the accessed and dirty flags the guest walker sets (SDM 4.8):
 * A in every entry a successful translation used, D in the leaf of a
 * write, nothing at all when the access faults, and a fresh walk when an
 * entry changed between the walker's read and its cmpxchg.
 */
#include <check.h>

#include "core/errors.h"
#include "tests/util/check_main.h"
#include "tests/x86/x86_helpers.h"

#define MEM_LIMIT (1ULL << 32)  /* below MAXPHYADDR 40, so gpas past it are not reserved */
#define VA4K 0x400000ULL    /* PML4 0, PDPT 0, PD 2, PT 0 */
#define VA2M 0x40200000ULL  /* PML4 0, PDPT 1, PD 1: a 2 MiB leaf */

static void setup_4level(struct fake_mem *fm, struct walk_ctx *ctx, uint64_t leaf_flags)
{
	struct x86_paging_regs regs = regs_64(T_PML4, false, true);
	struct x86_cpu_features feat = feat_of(40, true);

	fake_mem_init(fm, MEM_LIMIT);
	link_4level(fm, VA4K, 1, P | W | U);
	fake_mem_write(fm, slot64(T_PT, VA4K, 1), 8, 0x9000 | leaf_flags);
	ctx_init_ok(ctx, &regs, &feat);
}

static uint64_t ad_at(struct fake_mem *fm, uint64_t va, int level)
{
	return fake_mem_read(fm, slot64(table_4level(level), va, level), 8) & (A | D);
}

START_TEST(a_read_sets_a_in_every_entry_used_and_d_nowhere)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;
	int level;

	setup_4level(&fm, &ctx, P | W | U);
	res = walk_one(&ctx, &fm, VA4K, ACCESS_READ, 3);
	assert_translates(res, 0x9000);
	for (level = 4; level >= 1; level--) {
		ck_assert_uint_eq(ad_at(&fm, VA4K, level), A);
		/* the result shows the entries as they are now */
		ck_assert_uint_eq(res.entry[level] & (A | D), A);
	}
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_write_sets_d_only_in_the_leaf)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	setup_4level(&fm, &ctx, P | W | U);
	res = walk_one(&ctx, &fm, VA4K, ACCESS_WRITE, 3);
	assert_translates(res, 0x9000);
	ck_assert_uint_eq(ad_at(&fm, VA4K, 4), A);
	ck_assert_uint_eq(ad_at(&fm, VA4K, 3), A);
	ck_assert_uint_eq(ad_at(&fm, VA4K, 2), A);
	ck_assert_uint_eq(ad_at(&fm, VA4K, 1), A | D);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_write_to_a_2mib_page_sets_d_in_the_pde)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	setup_4level(&fm, &ctx, P | W | U);
	link_4level(&fm, VA2M, 2, P | W | U);
	fake_mem_write(&fm, slot64(T_PD, VA2M, 2), 8, 0x600000 | P | W | U | PS);
	res = walk_one(&ctx, &fm, VA2M + 0x1234, ACCESS_WRITE, 3);
	assert_translates(res, 0x601234);
	ck_assert_uint_eq(ad_at(&fm, VA2M, 3), A);
	ck_assert_uint_eq(ad_at(&fm, VA2M, 2), A | D);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_faulting_access_sets_no_flag_anywhere)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;
	int level;

	/* a read-only leaf: the write faults after a complete walk */
	setup_4level(&fm, &ctx, P | U);
	res = walk_one(&ctx, &fm, VA4K, ACCESS_WRITE, 3);
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE | PFERR_USER);
	for (level = 4; level >= 1; level--)
		ck_assert_uint_eq(ad_at(&fm, VA4K, level), 0);
	ck_assert_uint_eq(fm.cmpxchgs, 0);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(flags_already_set_are_not_written_again)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	setup_4level(&fm, &ctx, P | W | U);
	res = walk_one(&ctx, &fm, VA4K, ACCESS_WRITE, 3);
	assert_translates(res, 0x9000);
	ck_assert_uint_eq(fm.cmpxchgs, 4);
	res = walk_one(&ctx, &fm, VA4K, ACCESS_WRITE, 3);
	res = walk_one(&ctx, &fm, VA4K, ACCESS_READ, 3);
	ck_assert_uint_eq(fm.cmpxchgs, 4);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_32bit_walk_updates_4_byte_entries_only)
{
	struct x86_paging_regs regs = regs_32(0x1000, false);
	struct x86_cpu_features feat = feat_of(36, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	fake_mem_write(&fm, 0x1000, 4, 0x2000 | P | W | U);
	fake_mem_write(&fm, 0x1004, 4, 0xdead0000);  /* the neighbouring PDE */
	fake_mem_write(&fm, 0x2000, 4, 0x5000 | P | W | U);
	fake_mem_write(&fm, 0x2004, 4, 0xbeef0000);  /* the neighbouring PTE */
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x123, ACCESS_WRITE, 0);
	assert_translates(res, 0x5123);
	ck_assert_uint_eq(fake_mem_read(&fm, 0x1000, 8), 0xdead0000ULL << 32 | (0x2000 | P | W | U | A));
	ck_assert_uint_eq(fake_mem_read(&fm, 0x2000, 8),
			  0xbeef0000ULL << 32 | (0x5000 | P | W | U | A | D));
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(pae_pdptes_have_no_accessed_flag)
{
	struct x86_paging_regs regs = regs_pae(0x1000, true);
	struct x86_cpu_features feat = feat_of(36, false);
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	fake_mem_init(&fm, MEM_LIMIT);
	fake_mem_write(&fm, 0x1000, 8, 0x2000 | P);
	fake_mem_write(&fm, 0x2000, 8, 0x3000 | P | W | U);
	fake_mem_write(&fm, 0x3000, 8, 0x5000 | P | W | U);
	ck_assert_int_eq(pae_load_pdptrs(&regs, &feat, &fm.ops, regs.pdptrs), 0);
	ctx_init_ok(&ctx, &regs, &feat);
	res = walk_one(&ctx, &fm, 0x0, ACCESS_WRITE, 3);
	assert_translates(res, 0x5000);
	ck_assert_uint_eq(fake_mem_read(&fm, 0x1000, 8), 0x2000 | P);
	ck_assert_uint_eq(fake_mem_read(&fm, 0x2000, 8), 0x3000 | P | W | U | A);
	ck_assert_uint_eq(fake_mem_read(&fm, 0x3000, 8), 0x5000 | P | W | U | A | D);
	fake_mem_destroy(&fm);
}
END_TEST

/*
 * A guest memory whose first cmpxchg loses a race: just before it, another
 * "CPU" stores `race_value` at `race_gpa`, so the cmpxchg finds something
 * other than what the walker read and returns 0.
 */
struct racy_mem {
	struct guest_mem ops;   /* given to the walker */
	struct fake_mem *fm;    /* the memory underneath */
	uint64_t race_gpa;      /* what the other CPU stores, and where */
	uint64_t race_value;
	int races_left;         /* cmpxchgs still to lose */
	int err;                /* if non-zero, cmpxchg fails with this host error instead */
};

static int racy_read(void *opaque, uint64_t gpa, unsigned bytes, uint64_t *val)
{
	struct racy_mem *rm = opaque;

	return rm->fm->ops.read(rm->fm, gpa, bytes, val);
}

static int racy_cmpxchg(void *opaque, uint64_t gpa, unsigned bytes, uint64_t old,
			uint64_t new)
{
	struct racy_mem *rm = opaque;

	if (rm->err)
		return rm->err;
	if (rm->races_left > 0) {
		rm->races_left--;
		fake_mem_write(rm->fm, rm->race_gpa, 8, rm->race_value);
	}
	return rm->fm->ops.cmpxchg(rm->fm, gpa, bytes, old, new);
}

static void racy_init(struct racy_mem *rm, struct fake_mem *fm, uint64_t gpa,
		      uint64_t value)
{
	*rm = (struct racy_mem){
		.ops = { .opaque = rm, .read = racy_read, .cmpxchg = racy_cmpxchg },
		.fm = fm, .race_gpa = gpa, .race_value = value, .races_left = 1,
	};
}

START_TEST(a_lost_cmpxchg_restarts_the_walk_on_the_new_entry)
{
	struct walk_access acc = { .gva = VA4K, .kind = ACCESS_WRITE, .cpl = 3 };
	struct racy_mem rm;
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	/* the PML4E is made read-only between the walk's read and its A update */
	setup_4level(&fm, &ctx, P | W | U);
	racy_init(&rm, &fm, T_PML4, T_PDPT | P | U);
	ck_assert_int_eq(walk_guest(&ctx, &rm.ops, &acc, &res), 0);
	/* the second walk sees the read-only PML4E: the write now faults */
	assert_page_fault(res, PFERR_PRESENT | PFERR_WRITE | PFERR_USER);
	ck_assert_uint_eq(fm.reads, 8);
	ck_assert_uint_eq(ad_at(&fm, VA4K, 1), 0);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_restarted_walk_completes_when_the_race_was_harmless)
{
	struct walk_access acc = { .gva = VA4K, .kind = ACCESS_WRITE, .cpl = 3 };
	uint64_t pte_gpa = slot64(T_PT, VA4K, 1);
	struct racy_mem rm;
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	/* another CPU sets A in the PTE first */
	setup_4level(&fm, &ctx, P | W | U);
	racy_init(&rm, &fm, pte_gpa, 0x9000 | P | W | U | A);
	ck_assert_int_eq(walk_guest(&ctx, &rm.ops, &acc, &res), 0);
	assert_translates(res, 0x9000);
	ck_assert_uint_eq(fake_mem_read(&fm, pte_gpa, 8), 0x9000 | P | W | U | A | D);
	ck_assert_uint_eq(ad_at(&fm, VA4K, 4), A);
	ck_assert_uint_eq(res.entry[1], 0x9000 | P | W | U | A | D);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_host_error_from_cmpxchg_is_returned)
{
	struct walk_access acc = { .gva = VA4K, .kind = ACCESS_READ, .cpl = 3 };
	struct racy_mem rm;
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_result res;

	setup_4level(&fm, &ctx, P | W | U);
	racy_init(&rm, &fm, 0, 0);
	rm.err = MMU_ENOSLOT;
	ck_assert_int_eq(walk_guest(&ctx, &rm.ops, &acc, &res), MMU_ENOSLOT);
	fake_mem_destroy(&fm);
}
END_TEST

START_TEST(a_table_outside_guest_memory_is_a_host_error_not_a_fault)
{
	struct fake_mem fm;
	struct walk_ctx ctx;
	struct walk_access acc = { .gva = VA4K, .kind = ACCESS_READ, .cpl = 3 };
	struct walk_result res;

	setup_4level(&fm, &ctx, P | W | U);
	fake_mem_write(&fm, slot64(T_PD, VA4K, 2), 8, (MEM_LIMIT + 0x1000) | P | W | U);
	ck_assert_int_eq(walk_guest(&ctx, &fm.ops, &acc, &res), MMU_ENOSLOT);
	fake_mem_destroy(&fm);
}
END_TEST

static Suite *ad_suite(void)
{
	Suite *s = suite_create("x86/accessed-dirty");
	TCase *tc = tcase_create("A/D");

	tcase_add_test(tc, a_read_sets_a_in_every_entry_used_and_d_nowhere);
	tcase_add_test(tc, a_write_sets_d_only_in_the_leaf);
	tcase_add_test(tc, a_write_to_a_2mib_page_sets_d_in_the_pde);
	tcase_add_test(tc, a_faulting_access_sets_no_flag_anywhere);
	tcase_add_test(tc, flags_already_set_are_not_written_again);
	tcase_add_test(tc, a_32bit_walk_updates_4_byte_entries_only);
	tcase_add_test(tc, pae_pdptes_have_no_accessed_flag);
	tcase_add_test(tc, a_lost_cmpxchg_restarts_the_walk_on_the_new_entry);
	tcase_add_test(tc, a_restarted_walk_completes_when_the_race_was_harmless);
	tcase_add_test(tc, a_host_error_from_cmpxchg_is_returned);
	tcase_add_test(tc, a_table_outside_guest_memory_is_a_host_error_not_a_fault);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(ad_suite)
