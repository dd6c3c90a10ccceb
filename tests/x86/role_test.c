/*
 * Tests for core/x86/role.c and the layout of union mmu_page_role, which
 * must be KVM's bit for bit (notes/kvm-mmu.md §1.3) so role words can be
 * compared with KVM's traces.
 */
#include <check.h>
#include <signal.h>
#include <string.h>

#include "core/x86/bits.h"
#include "core/x86/role.h"
#include "tests/util/check_main.h"

START_TEST(fields_sit_at_kvms_bit_positions)
{
	union mmu_page_role r;

#define ROLE_BIT(field, value, expected)              \
	do {                                          \
		r.word = 0;                           \
		r.field = (value);                    \
		ck_assert_uint_eq(r.word, (expected)); \
	} while (0)
	ROLE_BIT(level, 0xf, 0xfu);
	ROLE_BIT(level, 4, 0x4u);
	ROLE_BIT(has_4_byte_gpte, 1, 1u << 4);
	ROLE_BIT(quadrant, 3, 3u << 5);
	ROLE_BIT(quadrant, 1, 1u << 5);
	ROLE_BIT(direct, 1, 1u << 7);
	ROLE_BIT(access, 7, 7u << 8);
	ROLE_BIT(access, ACC_WRITE, 2u << 8);
	ROLE_BIT(invalid, 1, 1u << 11);
	ROLE_BIT(efer_nx, 1, 1u << 12);
	ROLE_BIT(cr0_wp, 1, 1u << 13);
	ROLE_BIT(smep_andnot_wp, 1, 1u << 14);
	ROLE_BIT(smap_andnot_wp, 1, 1u << 15);
	ROLE_BIT(ad_disabled, 1, 1u << 16);
	ROLE_BIT(guest_mode, 1, 1u << 17);
	ROLE_BIT(passthrough, 1, 1u << 18);
	ROLE_BIT(smm, 0xff, 0xffu << 24);
	ROLE_BIT(smm, 1, 1u << 24);
#undef ROLE_BIT
}
END_TEST

START_TEST(child_role_goes_down_one_level)
{
	union mmu_page_role parent = { .word = 0 }, child;

	parent.level = 4;
	parent.access = ACC_ALL;
	parent.cr0_wp = 1;
	parent.efer_nx = 1;
	parent.guest_mode = 1;
	parent.ad_disabled = 1;
	parent.smm = 1;
	parent.passthrough = 1;
	parent.quadrant = 2;
	parent.has_4_byte_gpte = 1;

	child = role_child(parent, ACC_USER | ACC_EXEC, true);
	/* level 3, access 101, direct, everything else inherited; no passthrough, quadrant 0. */
	ck_assert_uint_eq(child.word, 3u | (1u << 4) | (1u << 7) | (5u << 8) | (1u << 12) | (1u << 13) |
				      (1u << 16) | (1u << 17) | (1u << 24));
	child = role_child(child, ACC_WRITE, false);
	ck_assert_uint_eq(child.word, 2u | (1u << 4) | (2u << 8) | (1u << 12) | (1u << 13) |
				      (1u << 16) | (1u << 17) | (1u << 24));
}
END_TEST

START_TEST(a_level_1_role_has_no_child)
{
	union mmu_page_role r = { .word = 1 };

	role_child(r, ACC_ALL, true);
}
END_TEST

START_TEST(describe_shows_set_flags_only)
{
	union mmu_page_role r = { .word = 0 };
	char buf[160];

	r.level = 4;
	r.direct = 1;
	r.access = ACC_ALL;
	r.cr0_wp = 1;
	r.efer_nx = 1;
	role_describe(r, buf, sizeof(buf));
	ck_assert_str_eq(buf, "level=4 direct access=wux cr0_wp efer_nx");

	r.word = 0;
	r.level = 1;
	r.access = ACC_USER;
	r.has_4_byte_gpte = 1;
	r.quadrant = 3;
	r.ad_disabled = 1;
	r.guest_mode = 1;
	r.smap_andnot_wp = 1;
	r.smep_andnot_wp = 1;
	r.passthrough = 1;
	r.invalid = 1;
	r.smm = 1;
	role_describe(r, buf, sizeof(buf));
	ck_assert_str_eq(buf, "level=1 gpte32 quadrant=3 access=-u- smep_andnot_wp smap_andnot_wp "
			      "ad_disabled guest_mode passthrough invalid smm=1");
	ck_assert_int_eq(role_describe(r, buf, 4), (int)strlen("level=1 gpte32 quadrant=3 access=-u- "
			      "smep_andnot_wp smap_andnot_wp ad_disabled guest_mode passthrough invalid smm=1"));
	ck_assert_str_eq(buf, "lev");
}
END_TEST

static Suite *role_suite(void)
{
	Suite *s = suite_create("x86/role");
	TCase *tc = tcase_create("role");

	tcase_add_test(tc, fields_sit_at_kvms_bit_positions);
	tcase_add_test(tc, child_role_goes_down_one_level);
	tcase_add_test_raise_signal(tc, a_level_1_role_has_no_child, SIGABRT);
	tcase_add_test(tc, describe_shows_set_flags_only);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(role_suite)
