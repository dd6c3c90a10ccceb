/*
 * Tests for core/x86/spte.c: SPTE encodings for EPT (SDM 29.3.2) and NPT
 * (the x86-64 layout, SDM 4.5 / AMD APM 15.25).
 *
 * Every expected value is written from bit positions (B(n)), not from the
 * masks the code uses, so a wrong mask in spte.c shows as a wrong value here.
 */
#include <check.h>
#include <signal.h>

#include "core/x86/role.h"
#include "core/x86/spte.h"
#include "tests/util/check_main.h"

#define B(n) (1ULL << (n))

/* EPT: R W X = 0-2, memtype 3-5, IPAT 6, PS 7, A 8, D 9; SW: 11, 54, 56, 57, 58. */
#define E_R B(0)
#define E_W B(1)
#define E_X B(2)
#define E_WB (6ULL << 3)
#define E_IPAT B(6)
#define E_PS B(7)
#define E_A B(8)
#define E_D B(9)
/* NPT: P 0, W 1, U 2, A 5, D 6, PS 7, NX 63; SW: 9, 10, 11. */
#define N_P B(0)
#define N_W B(1)
#define N_U B(2)
#define N_A B(5)
#define N_D B(6)
#define N_PS B(7)
#define N_NX B(63)
#define MMU_PRESENT B(11)

/* A host address aligned for each level, with high and low address bits set. */
static const uint64_t leaf_hpa[4] = { 0, 0x7654321000ULL, 0x7654200000ULL, 0x7640000000ULL };

static struct spte_format ept(bool ad)
{
	struct spte_format f;

	spte_format_init(&f, SPTE_LAYOUT_EPT, ad, 4, 48);
	return f;
}

static struct spte_format npt(unsigned phys_bits)
{
	struct spte_format f;

	spte_format_init(&f, SPTE_LAYOUT_NPT, false, 4, phys_bits);
	return f;
}

static uint64_t leaf(const struct spte_format *f, int level, unsigned acc, bool hw, bool write,
		     bool prefetch, bool wrprot)
{
	struct spte_leaf_args a = {
		.hpa = leaf_hpa[level], .level = level, .acc = acc, .host_writable = hw,
		.write = write, .prefetch = prefetch, .wrprot = wrprot,
	};

	return spte_make_leaf(f, &a);
}

/* ---- tables ------------------------------------------------------------------ */

START_TEST(table_sptes_grant_everything_and_are_mmu_present)
{
	struct spte_format e_ad = ept(true), e_noad = ept(false), n = npt(48);
	hpa_t child = 0x123456000ULL;

	ck_assert_uint_eq(spte_make_table(&e_ad, child), 0x123456000ULL | E_R | E_W | E_X | E_A | MMU_PRESENT);
	ck_assert_uint_eq(spte_make_table(&e_noad, child), 0x123456000ULL | E_R | E_W | E_X | MMU_PRESENT);
	ck_assert_uint_eq(spte_make_table(&n, child), 0x123456000ULL | N_P | N_W | N_U | N_A | MMU_PRESENT);
	/* A table at levels 2-5 is no leaf, has no reserved bit, and points at the child. */
	for (int level = 2; level <= 5; level++) {
		ck_assert(!spte_is_leaf(&e_ad, spte_make_table(&e_ad, child), level));
		ck_assert(!spte_is_leaf(&n, spte_make_table(&n, child), level));
		ck_assert_uint_eq(spte_rsvd_bits(&e_ad, spte_make_table(&e_ad, child), level), 0);
		ck_assert_uint_eq(spte_rsvd_bits(&e_noad, spte_make_table(&e_noad, child), level), 0);
		ck_assert_uint_eq(spte_rsvd_bits(&n, spte_make_table(&n, child), level), 0);
		ck_assert_uint_eq(spte_addr(&n, spte_make_table(&n, child), level), child);
	}
}
END_TEST

/* ---- leaves -------------------------------------------------------------------- */

START_TEST(ept_leaves_with_ad_bits)
{
	struct spte_format f = ept(true);
	int level = _i;
	uint64_t ps = level > 1 ? E_PS : 0;
	uint64_t hw = B(57), mw = B(58);
	uint64_t s;

	/* A write fault on a writable page: RWX, WB+IPAT, A, D, hw, mw. */
	s = leaf(&f, level, ACC_ALL, true, true, false, false);
	ck_assert_uint_eq(s, leaf_hpa[level] | E_R | E_W | E_X | E_WB | E_IPAT | ps | E_A | E_D |
			     MMU_PRESENT | hw | mw);
	ck_assert_uint_eq(spte_rsvd_bits(&f, s, level), 0);
	ck_assert(spte_is_leaf(&f, s, level));
	ck_assert_uint_eq(spte_addr(&f, s, level), leaf_hpa[level]);
	ck_assert_uint_eq(spte_access(&f, s), ACC_ALL);
	ck_assert(spte_is_writable(&f, s) && spte_is_dirty(&f, s) && spte_is_accessed(&f, s));
	/* A read fault: no D; still writable (W iff MMU-writable and not write-protected). */
	s = leaf(&f, level, ACC_ALL, true, false, false, false);
	ck_assert_uint_eq(s, leaf_hpa[level] | E_R | E_W | E_X | E_WB | E_IPAT | ps | E_A |
			     MMU_PRESENT | hw | mw);
	ck_assert(!spte_is_dirty(&f, s));
	/* No exec, read-only slot: R only, host-writable but not MMU-writable. */
	s = leaf(&f, level, ACC_USER, true, false, false, false);
	ck_assert_uint_eq(s, leaf_hpa[level] | E_R | E_WB | E_IPAT | ps | E_A | MMU_PRESENT | hw);
	ck_assert_uint_eq(spte_access(&f, s), ACC_USER);
	/* Host page read-only: none of hw, mw, W even though the guest may write. */
	s = leaf(&f, level, ACC_ALL, false, false, false, false);
	ck_assert_uint_eq(s, leaf_hpa[level] | E_R | E_X | E_WB | E_IPAT | ps | E_A | MMU_PRESENT);
	/* Dirty logging: MMU-writable but W clear. */
	s = leaf(&f, level, ACC_ALL, true, false, false, true);
	ck_assert_uint_eq(s, leaf_hpa[level] | E_R | E_X | E_WB | E_IPAT | ps | E_A | MMU_PRESENT | hw | mw);
	/* Prefetch with A/D: A clear, nothing else changes. */
	s = leaf(&f, level, ACC_ALL, true, false, true, false);
	ck_assert_uint_eq(s, leaf_hpa[level] | E_R | E_W | E_X | E_WB | E_IPAT | ps | MMU_PRESENT | hw | mw);
	ck_assert(!spte_is_accessed(&f, s));
	ck_assert(!spte_is_access_tracked(&f, s));
}
END_TEST

START_TEST(ept_leaves_without_ad_bits)
{
	struct spte_format f = ept(false);
	int level = _i;
	uint64_t ps = level > 1 ? E_PS : 0;
	uint64_t hw = B(57), mw = B(58);
	uint64_t s;

	/* No A/D bits at 8/9 whatever the fault. */
	s = leaf(&f, level, ACC_ALL, true, true, false, false);
	ck_assert_uint_eq(s, leaf_hpa[level] | E_R | E_W | E_X | E_WB | E_IPAT | ps | MMU_PRESENT | hw | mw);
	ck_assert_uint_eq(spte_rsvd_bits(&f, s, level), 0);
	/* Accessed = not access-tracked; dirty = writable. */
	ck_assert(spte_is_accessed(&f, s) && spte_is_dirty(&f, s));
	s = leaf(&f, level, ACC_ALL, true, false, false, true);
	ck_assert(!spte_is_dirty(&f, s));
	/* A prefetch is made access-tracked: RWX gone, R and X saved at 54 and 56. */
	s = leaf(&f, level, ACC_ALL, true, false, true, false);
	ck_assert_uint_eq(s, leaf_hpa[level] | B(54) | B(56) | E_WB | E_IPAT | ps | MMU_PRESENT | hw | mw);
	ck_assert(spte_is_access_tracked(&f, s));
	ck_assert(!spte_is_accessed(&f, s));
	ck_assert(spte_is_mmu_present(s));
	ck_assert_uint_eq(spte_rsvd_bits(&f, s, level), 0);
	ck_assert(spte_writable_invariant_holds(&f, s));
	/* It grants what restoring gives back: R and X, not W. */
	ck_assert_uint_eq(spte_access(&f, s), ACC_USER | ACC_EXEC);
}
END_TEST

START_TEST(npt_leaves)
{
	struct spte_format f = npt(48);
	int level = _i;
	uint64_t ps = level > 1 ? N_PS : 0;
	uint64_t hw = B(9), mw = B(10);
	uint64_t s;

	ck_assert(f.ad_enabled);
	s = leaf(&f, level, ACC_ALL, true, true, false, false);
	ck_assert_uint_eq(s, leaf_hpa[level] | N_P | N_W | N_U | N_A | N_D | ps | MMU_PRESENT | hw | mw);
	ck_assert_uint_eq(spte_rsvd_bits(&f, s, level), 0);
	ck_assert_uint_eq(spte_addr(&f, s, level), leaf_hpa[level]);
	ck_assert_uint_eq(spte_access(&f, s), ACC_ALL);
	/* No ACC_EXEC: NX (bit 63).  Read-only slot: hw only. */
	s = leaf(&f, level, ACC_USER, true, false, false, false);
	ck_assert_uint_eq(s, leaf_hpa[level] | N_P | N_U | N_A | ps | N_NX | MMU_PRESENT | hw);
	ck_assert_uint_eq(spte_access(&f, s), ACC_USER);
	ck_assert_uint_eq(spte_rsvd_bits(&f, s, level), 0);
	/* Shadow paging's supervisor page (no ACC_USER): no U. */
	s = leaf(&f, level, ACC_WRITE | ACC_EXEC, true, true, false, false);
	ck_assert_uint_eq(s, leaf_hpa[level] | N_P | N_W | N_A | N_D | ps | MMU_PRESENT | hw | mw);
	ck_assert_uint_eq(spte_access(&f, s), ACC_WRITE | ACC_EXEC);
	/* Prefetch: A clear (the hardware sets it on first use). */
	s = leaf(&f, level, ACC_ALL, true, false, true, false);
	ck_assert_uint_eq(s, leaf_hpa[level] | N_P | N_W | N_U | ps | MMU_PRESENT | hw | mw);
	ck_assert(!spte_is_accessed(&f, s) && !spte_is_access_tracked(&f, s));
	/* Write-protected for dirty logging. */
	s = leaf(&f, level, ACC_ALL, true, false, false, true);
	ck_assert_uint_eq(s, leaf_hpa[level] | N_P | N_U | N_A | ps | MMU_PRESENT | hw | mw);
}
END_TEST

START_TEST(a_4k_npt_leaf_never_has_bit_7)
{
	struct spte_format f = npt(48);

	/* Bit 7 of a PTE is PAT, not PS (SDM 4.5, table 4-20). */
	ck_assert_uint_eq(leaf(&f, 1, ACC_ALL, true, true, false, false) & B(7), 0);
	ck_assert_uint_eq(leaf(&f, 1, ACC_ALL, true, true, true, true) & B(7), 0);
}
END_TEST

/* ---- changing SPTEs ---------------------------------------------------------------- */

START_TEST(write_protect_make_writable_and_clear_dirty)
{
	struct spte_format n = npt(48), e = ept(true), e0 = ept(false);
	uint64_t s, w;

	s = leaf(&n, 1, ACC_ALL, true, true, false, false);
	w = spte_write_protect(&n, s, false);
	ck_assert_uint_eq(w, s & ~N_W);
	ck_assert(spte_is_mmu_writable(&n, w) && spte_writable_invariant_holds(&n, w));
	ck_assert_uint_eq(spte_write_protect(&n, s, true), s & ~N_W & ~B(10));
	/* Making it writable again sets W and D (and A). */
	ck_assert_uint_eq(spte_make_writable(&n, spte_clear_dirty(&n, w)), s);
	ck_assert_uint_eq(spte_clear_dirty(&n, s), s & ~N_D);

	s = leaf(&e, 2, ACC_ALL, true, true, false, false);
	ck_assert_uint_eq(spte_write_protect(&e, s, true), s & ~E_W & ~B(58));
	ck_assert_uint_eq(spte_clear_dirty(&e, s), s & ~E_D);
	ck_assert_uint_eq(spte_make_writable(&e, spte_write_protect(&e, spte_clear_dirty(&e, s), false)), s);

	/* Without A/D, clear_dirty has no bit to clear. */
	s = leaf(&e0, 1, ACC_ALL, true, true, false, false);
	ck_assert_uint_eq(spte_clear_dirty(&e0, s), s);
	ck_assert_uint_eq(spte_make_writable(&e0, spte_write_protect(&e0, s, false)), s);
}
END_TEST

START_TEST(make_writable_refuses_a_non_mmu_writable_spte)
{
	struct spte_format n = npt(48);
	uint64_t s = leaf(&n, 1, ACC_ALL, true, true, false, false);

	spte_make_writable(&n, spte_write_protect(&n, s, true));
}
END_TEST

START_TEST(access_tracking_round_trip)
{
	struct spte_format e = ept(true), e0 = ept(false), n = npt(48);
	uint64_t s, t;

	/* With A/D (EPT or NPT): aging clears A only. */
	s = leaf(&e, 1, ACC_ALL, true, true, false, false);
	ck_assert_uint_eq(spte_mark_access_tracked(&e, s), s & ~E_A);
	ck_assert_uint_eq(spte_restore_access_tracked(&e, s & ~E_A), s & ~E_A);
	s = leaf(&n, 2, ACC_ALL, true, true, false, false);
	ck_assert_uint_eq(spte_mark_access_tracked(&n, s), s & ~N_A);

	/* Without A/D: R and X saved, RWX cleared (W too), restore brings R/X back only. */
	s = leaf(&e0, 1, ACC_ALL, true, true, false, false);
	t = spte_mark_access_tracked(&e0, s);
	ck_assert_uint_eq(t, (s & ~(E_R | E_W | E_X)) | B(54) | B(56));
	ck_assert(spte_is_access_tracked(&e0, t) && !spte_is_accessed(&e0, t));
	ck_assert_uint_eq(spte_mark_access_tracked(&e0, t), t);  /* idempotent */
	ck_assert_uint_eq(spte_restore_access_tracked(&e0, t), s & ~E_W);
	ck_assert_uint_eq(spte_make_writable(&e0, t), s);  /* a write fault restores all */
	/* A read-only, no-exec leaf saves R only. */
	s = leaf(&e0, 1, ACC_USER, true, false, false, false);
	t = spte_mark_access_tracked(&e0, s);
	ck_assert_uint_eq(t, (s & ~E_R) | B(54));
	ck_assert_uint_eq(spte_restore_access_tracked(&e0, t), s);
}
END_TEST

START_TEST(split_children_of_huge_pages)
{
	static const unsigned idx[3] = { 0, 1, 511 };

	for (int i = 0; i < 3; i++) {
		struct spte_format fmt = i < 2 ? ept(i == 0) : npt(48);
		const struct spte_format *f = &fmt;
		uint64_t ps = B(7);
		uint64_t huge2m = leaf(f, 2, ACC_ALL, true, true, false, false);
		uint64_t huge1g = leaf(f, 3, ACC_USER | ACC_WRITE, true, false, false, true);

		for (int j = 0; j < 3; j++) {
			uint64_t c = spte_split_child(f, huge2m, 2, idx[j]);

			/* Same rights, 4K page at hpa + i*4K, no PS. */
			ck_assert_uint_eq(c, (huge2m & ~ps & ~0x000ffffffffff000ULL) |
					     (leaf_hpa[2] + idx[j] * 0x1000ULL));
			ck_assert_uint_eq(spte_addr(f, c, 1), leaf_hpa[2] + idx[j] * 0x1000ULL);
			ck_assert_uint_eq(spte_rsvd_bits(f, c, 1), 0);
			ck_assert_uint_eq(spte_access(f, c), ACC_ALL);

			c = spte_split_child(f, huge1g, 3, idx[j]);
			/* 2M leaves keep PS. */
			ck_assert_uint_eq(c, (huge1g & ~0x000ffffffffff000ULL) |
					     (leaf_hpa[3] + idx[j] * 0x200000ULL));
			ck_assert(c & ps);
			ck_assert(spte_is_leaf(f, c, 2));
			ck_assert_uint_eq(spte_addr(f, c, 2), leaf_hpa[3] + idx[j] * 0x200000ULL);
			ck_assert_uint_eq(spte_rsvd_bits(f, c, 2), 0);
			/* Write-protected (dirty log): the child is too. */
			ck_assert_uint_eq(spte_access(f, c), ACC_USER);
			ck_assert(spte_is_mmu_writable(f, c) && !spte_is_writable(f, c));
		}
	}
}
END_TEST

/* ---- MMIO ---------------------------------------------------------------------- */

START_TEST(ept_mmio_sptes)
{
	struct spte_format f = ept(true);
	uint64_t s;

	/* gfn 0x12345, gen 0x7ffff: bits 10:3 = 0xff, bits 62:52 = 0x7ff, XWR = 110. */
	s = spte_make_mmio(&f, 0x12345, ACC_ALL, 0x7ffff);
	ck_assert_uint_eq(s, 0x7ff00000123457feULL);
	ck_assert(spte_is_mmio(&f, s));
	ck_assert(!spte_is_mmu_present(s));
	ck_assert_uint_eq(spte_mmio_gfn(&f, s), 0x12345);
	ck_assert_uint_eq(spte_mmio_gen(&f, s), 0x7ffff);
	/* W+X without R: an EPT misconfiguration (SDM 29.3.3.1) at every level. */
	for (int level = 1; level <= 4; level++)
		ck_assert_uint_ne(spte_rsvd_bits(&f, s, level) & 0x3f, 0);
	ck_assert(f.bad_mt_xwr & B(s & 0x3f));
	/* gen 0x100: only bit 52; gen 0xff: only bits 10:3. */
	ck_assert_uint_eq(spte_make_mmio(&f, 1, 0, 0x100), 0x0010000000001006ULL);
	ck_assert_uint_eq(spte_make_mmio(&f, 1, 0, 0xff), 0x00000000000017feULL);
	/* Widest gfn (40 bits) round-trips. */
	s = spte_make_mmio(&f, 0xffffffffffULL, 0, 0x2a5a5);
	ck_assert_uint_eq(spte_mmio_gfn(&f, s), 0xffffffffffULL);
	ck_assert_uint_eq(spte_mmio_gen(&f, s), 0x2a5a5);
	ck_assert(spte_is_mmio(&f, s));
	/* Ordinary SPTEs are not MMIO. */
	ck_assert(!spte_is_mmio(&f, leaf(&f, 1, ACC_ALL, true, true, false, false)));
	ck_assert(!spte_is_mmio(&f, 0));
}
END_TEST

START_TEST(npt_mmio_sptes)
{
	struct spte_format f = npt(48);
	uint64_t s;

	/* P | bit 51 | gfn 1 | gen 0x100 at bit 52 | W | U. */
	s = spte_make_mmio(&f, 1, ACC_WRITE | ACC_USER, 0x100);
	ck_assert_uint_eq(s, 0x0018000000001007ULL);
	ck_assert(spte_is_mmio(&f, s) && !spte_is_mmu_present(s));
	ck_assert_uint_eq(spte_mmio_access(&f, s), ACC_WRITE | ACC_USER);
	/* Bit 51 is reserved with 48 host bits: #NPF with RSVD. */
	ck_assert_uint_ne(spte_rsvd_bits(&f, s, 1) & B(51), 0);
	ck_assert_uint_ne(spte_rsvd_bits(&f, s, 4) & B(51), 0);
	for (uint32_t gen = 0; gen <= SPTE_MMIO_GEN_MASK; gen += 0x1111) {
		s = spte_make_mmio(&f, 0x7ffffffff0ULL - gen, ACC_USER, gen);
		ck_assert(spte_is_mmio(&f, s));
		ck_assert_uint_eq(spte_mmio_gfn(&f, s), 0x7ffffffff0ULL - gen);
		ck_assert_uint_eq(spte_mmio_gen(&f, s), gen);
		ck_assert_uint_eq(spte_mmio_access(&f, s), ACC_USER);
	}
	s = spte_make_mmio(&f, 0, 0, 0x7ffff);
	ck_assert_uint_eq(spte_mmio_gen(&f, s), 0x7ffff);
	ck_assert_uint_eq(s, 0x7ff8000000000000ULL | 0x7f8 | N_P);
	ck_assert(!spte_is_mmio(&f, leaf(&f, 1, ACC_ALL, true, true, false, false)));
}
END_TEST

START_TEST(npt_mmio_caching_is_off_with_52_host_bits)
{
	struct spte_format f = npt(52);

	ck_assert_uint_eq(f.mmio_mask, 0);
	ck_assert_uint_eq(f.mmio_value, 0);
	ck_assert_uint_eq(spte_make_mmio(&f, 0x1234, ACC_ALL, 5), 0);
	ck_assert(!spte_is_mmio(&f, 0));
	ck_assert(!spte_is_mmio(&f, N_P | B(51)));
	/* With 52 bits no address bit is reserved: bit 51 is an address bit. */
	ck_assert_uint_eq(spte_rsvd_bits(&f, B(51) | N_P, 1), 0);
}
END_TEST

START_TEST(frozen_spte_is_nothing)
{
	ck_assert_uint_eq(SPTE_FROZEN, 0x5a0);
	ck_assert(spte_is_frozen(0x5a0));
	ck_assert(!spte_is_mmu_present(SPTE_FROZEN));
	for (int i = 0; i < 4; i++) {
		struct spte_format f = i < 2 ? ept(i == 0) : npt(i == 2 ? 48 : 52);

		ck_assert(!spte_is_mmio(&f, SPTE_FROZEN));
		ck_assert(!spte_is_access_tracked(&f, SPTE_FROZEN));
	}
	/* Hardware-present: EPT needs one of R/W/X (bits 2:0), NPT needs P (bit 0). */
	ck_assert_uint_eq(SPTE_FROZEN & 0x7, 0);
	ck_assert_uint_eq(SPTE_FROZEN & 0x1, 0);
	/* No address bits. */
	ck_assert_uint_eq(SPTE_FROZEN & 0x000ffffffffff000ULL, 0);
}
END_TEST

/* ---- reserved bits ------------------------------------------------------------------ */

START_TEST(ept_bad_memtype_and_xwr_combinations)
{
	struct spte_format f = ept(true);

	/*
	 * Byte mt of bad_mt_xwr: memtypes 2, 3, 7 are reserved (0xff); else XWR
	 * 010, 100 and 110 are bad (bits 2, 4, 6 = 0x54).
	 */
	ck_assert_uint_eq(f.bad_mt_xwr, 0xff545454ffff5454ULL);
	ck_assert_uint_ne(spte_rsvd_bits(&f, 0x1000 | (2 << 3) | 7, 1), 0);
	ck_assert_uint_ne(spte_rsvd_bits(&f, 0x1000 | (7 << 3) | 7, 1), 0);
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x1000 | (6 << 3) | 7, 1), 0);
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x1000 | (0 << 3) | 1, 1), 0);
	ck_assert_uint_ne(spte_rsvd_bits(&f, 0x1000 | (6 << 3) | 4, 1), 0);  /* execute-only */
	ck_assert_uint_ne(spte_rsvd_bits(&f, 0x1000 | (6 << 3) | 2, 1), 0);  /* write-only */
}
END_TEST

START_TEST(ept_reserved_bits_per_level)
{
	struct spte_format f = ept(true);
	uint64_t table = 0x1000 | 7;

	/* Address bit 48 with 48 host bits, at every level; bit 47 is fine. */
	for (int level = 1; level <= 5; level++) {
		ck_assert_uint_eq(spte_rsvd_bits(&f, table | B(48), level), B(48));
		ck_assert_uint_eq(spte_rsvd_bits(&f, table | B(51), level), B(51));
		ck_assert_uint_eq(spte_rsvd_bits(&f, table | B(47), level), 0);
	}
	/* Non-leaf entries reserve bits 7:3. */
	for (int level = 2; level <= 5; level++)
		ck_assert_uint_eq(spte_rsvd_bits(&f, table | B(3), level), B(3));
	/* Bit 7 at levels 4 and 5. */
	ck_assert_uint_eq(spte_rsvd_bits(&f, table | B(7), 4), B(7));
	ck_assert_uint_eq(spte_rsvd_bits(&f, table | B(7), 5), B(7));
	/* A PTE's bits 6:3 are memtype/IPAT; bit 7 is ignored. */
	ck_assert_uint_eq(spte_rsvd_bits(&f, table | (6 << 3) | B(6) | B(7), 1), 0);
	/* 2M leaf: 20:12 reserved; 1G leaf: 29:12. */
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x200000 | B(7) | (6 << 3) | 7 | B(12), 2), B(12));
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x200000 | B(7) | (6 << 3) | 7 | B(20), 2), B(20));
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x200000 | B(7) | (6 << 3) | 7, 2), 0);
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x40000000 | B(7) | (6 << 3) | 7 | B(29), 3), B(29));
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x40000000 | B(7) | (6 << 3) | 7 | B(21), 3), B(21));
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x40000000 | B(7) | (6 << 3) | 7, 3), 0);
}
END_TEST

START_TEST(npt_reserved_bits_per_level)
{
	struct spte_format f = npt(48);
	uint64_t e = 0x1000 | N_P | N_W | N_U;

	for (int level = 1; level <= 5; level++) {
		ck_assert_uint_eq(spte_rsvd_bits(&f, e | B(48), level), B(48));
		ck_assert_uint_eq(spte_rsvd_bits(&f, e | B(47), level), 0);
		ck_assert_uint_eq(spte_rsvd_bits(&f, e | N_NX, level), 0);
	}
	/* PS and (AMD) bit 8 reserved in PML4Es and PML5Es. */
	ck_assert_uint_eq(spte_rsvd_bits(&f, e | B(7), 4), B(7));
	ck_assert_uint_eq(spte_rsvd_bits(&f, e | B(8), 4), B(8));
	ck_assert_uint_eq(spte_rsvd_bits(&f, e | B(8), 5), B(8));
	ck_assert_uint_eq(spte_rsvd_bits(&f, e | B(8), 3), 0);
	ck_assert_uint_eq(spte_rsvd_bits(&f, e | B(8), 1), 0);
	/* Bit 7 of a PTE is PAT. */
	ck_assert_uint_eq(spte_rsvd_bits(&f, e | B(7), 1), 0);
	/* 2M page: bits 20:13 reserved, bit 12 is PAT; 1G: 29:13. */
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x200000 | N_P | B(7) | B(13), 2), B(13));
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x200000 | N_P | B(7) | B(20), 2), B(20));
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x200000 | N_P | B(7) | B(12), 2), 0);
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x40000000 | N_P | B(7) | B(29), 3), B(29));
	ck_assert_uint_eq(spte_rsvd_bits(&f, 0x40000000 | N_P | B(7) | B(12), 3), 0);
	/* A PDE pointing at a table: bit 13 is an address bit. */
	ck_assert_uint_eq(spte_rsvd_bits(&f, e | B(13), 2), 0);
	/* Fewer host bits reserve more. */
	f = npt(40);
	ck_assert_uint_eq(spte_rsvd_bits(&f, e | B(40) | B(45), 1), B(40) | B(45));
}
END_TEST

/* ---- invariants and assertions ------------------------------------------------------ */

START_TEST(writable_invariant_states)
{
	struct spte_format f = npt(48);
	uint64_t base = leaf_hpa[1] | N_P | N_U | MMU_PRESENT;
	uint64_t hw = B(9), mw = B(10), w = N_W;

	/* (hw, mw, W): 111, 110, 100, 000 hold; everything else breaks it. */
	ck_assert(spte_writable_invariant_holds(&f, base | hw | mw | w));
	ck_assert(spte_writable_invariant_holds(&f, base | hw | mw));
	ck_assert(spte_writable_invariant_holds(&f, base | hw));
	ck_assert(spte_writable_invariant_holds(&f, base));
	ck_assert(!spte_writable_invariant_holds(&f, base | w));
	ck_assert(!spte_writable_invariant_holds(&f, base | mw));
	ck_assert(!spte_writable_invariant_holds(&f, base | mw | w));
	ck_assert(!spte_writable_invariant_holds(&f, base | hw | w));
}
END_TEST

START_TEST(valid_sptes_pass_assert_valid)
{
	struct spte_format e = ept(false), n = npt(48);

	for (int level = 1; level <= 3; level++) {
		SPTE_ASSERT_VALID(&e, leaf(&e, level, ACC_ALL, true, true, false, false), level, 0x3781);
		SPTE_ASSERT_VALID(&e, leaf(&e, level, ACC_ALL, true, false, true, false), level, 0x3781);
		SPTE_ASSERT_VALID(&n, leaf(&n, level, ACC_USER, false, false, false, false), level, 0x3781);
	}
	SPTE_ASSERT_VALID(&n, spte_make_table(&n, 0x5000), 4, 0x3781);
	/* Not MMU-present: the hardware's to reject, not an MMU bug. */
	SPTE_ASSERT_VALID(&e, spte_make_mmio(&e, 5, 0, 1), 1, 0);
	SPTE_ASSERT_VALID(&n, spte_make_mmio(&n, 5, ACC_ALL, 1), 4, 0);
	SPTE_ASSERT_VALID(&n, SPTE_FROZEN, 1, 0);
	SPTE_ASSERT_VALID(&n, 0, 1, 0);
}
END_TEST

START_TEST(assert_valid_stops_on_a_reserved_bit)
{
	struct spte_format n = npt(48);

	SPTE_ASSERT_VALID(&n, leaf(&n, 1, ACC_ALL, true, true, false, false) | B(50), 1, 0x3781);
}
END_TEST

START_TEST(assert_valid_stops_on_a_broken_invariant)
{
	struct spte_format e = ept(true);

	/* W without MMU-writable. */
	SPTE_ASSERT_VALID(&e, leaf(&e, 1, ACC_USER | ACC_EXEC, true, false, false, false) | E_W, 1, 0x3781);
}
END_TEST

START_TEST(describe_reads_like_the_header)
{
	struct spte_format e = ept(true), n = npt(48);
	struct spte_leaf_args a = {
		.hpa = 0x1234000, .level = 1, .acc = ACC_ALL, .host_writable = true, .write = true,
	};
	char buf[128];

	spte_describe(&e, spte_make_leaf(&e, &a), 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "R W X A D mt=6 ipat hw mw pfn=0x1234");
	spte_describe(&n, spte_make_leaf(&n, &a), 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "P W U A D hw mw pfn=0x1234");
	spte_describe(&n, spte_make_table(&n, 0x5000), 4, buf, sizeof(buf));
	ck_assert_str_eq(buf, "table P W U A pfn=0x5");
	spte_describe(&n, spte_make_mmio(&n, 0x99, ACC_WRITE, 7), 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "mmio gfn=0x99 gen=7 w");
	spte_describe(&n, SPTE_FROZEN, 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "frozen");
	spte_describe(&n, 0, 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "none");
	/* Truncation still reports the full length, like snprintf. */
	ck_assert_int_eq(spte_describe(&n, 0, 1, buf, 2), 4);
	ck_assert_str_eq(buf, "n");
}
END_TEST

static Suite *spte_suite(void)
{
	Suite *s = suite_create("x86/spte");
	TCase *tc = tcase_create("encode");
	TCase *tr = tcase_create("reserved");
	TCase *ta = tcase_create("assert");

	tcase_add_test(tc, table_sptes_grant_everything_and_are_mmu_present);
	tcase_add_loop_test(tc, ept_leaves_with_ad_bits, 1, 4);
	tcase_add_loop_test(tc, ept_leaves_without_ad_bits, 1, 4);
	tcase_add_loop_test(tc, npt_leaves, 1, 4);
	tcase_add_test(tc, a_4k_npt_leaf_never_has_bit_7);
	tcase_add_test(tc, write_protect_make_writable_and_clear_dirty);
	tcase_add_test_raise_signal(tc, make_writable_refuses_a_non_mmu_writable_spte, SIGABRT);
	tcase_add_test(tc, access_tracking_round_trip);
	tcase_add_test(tc, split_children_of_huge_pages);
	tcase_add_test(tc, ept_mmio_sptes);
	tcase_add_test(tc, npt_mmio_sptes);
	tcase_add_test(tc, npt_mmio_caching_is_off_with_52_host_bits);
	tcase_add_test(tc, frozen_spte_is_nothing);
	tcase_add_test(tc, describe_reads_like_the_header);
	suite_add_tcase(s, tc);

	tcase_add_test(tr, ept_bad_memtype_and_xwr_combinations);
	tcase_add_test(tr, ept_reserved_bits_per_level);
	tcase_add_test(tr, npt_reserved_bits_per_level);
	suite_add_tcase(s, tr);

	tcase_add_test(ta, writable_invariant_states);
	tcase_add_test(ta, valid_sptes_pass_assert_valid);
	tcase_add_test_raise_signal(ta, assert_valid_stops_on_a_reserved_bit, SIGABRT);
	tcase_add_test_raise_signal(ta, assert_valid_stops_on_a_broken_invariant, SIGABRT);
	suite_add_tcase(s, ta);
	return s;
}

TEST_MAIN(spte_suite)
