/*
 * tests/x86/x86_helpers.h — register sets and a one-line walk for the
 * core/x86 tests.  Tables are written by hand with fake_mem_write (not
 * with ptbuild) unless a test is about ptbuild, so a bug shared by the
 * creator and the walker cannot hide.
 */
#ifndef MMULAB_TESTS_X86_HELPERS_H
#define MMULAB_TESTS_X86_HELPERS_H

#include <check.h>

#include "core/x86/bits.h"
#include "core/x86/walk.h"
#include "tests/util/fake_mem.h"

/* Entry flags used everywhere in the tests. */
#define P  PT_PRESENT
#define W  PT_WRITABLE
#define U  PT_USER
#define PS PT_PAGE_SIZE
#define A  PT_ACCESSED
#define D  PT_DIRTY
#define NX PT64_NX

/* Registers of each paging mode, CR3 = `cr3`, with CR0.WP=1. */
static inline struct x86_paging_regs regs_32(uint64_t cr3, bool pse)
{
	return (struct x86_paging_regs){
		.cr0 = CR0_PE | CR0_PG | CR0_WP, .cr3 = cr3, .cr4 = pse ? CR4_PSE : 0,
	};
}

static inline struct x86_paging_regs regs_pae(uint64_t cr3, bool nxe)
{
	return (struct x86_paging_regs){
		.cr0 = CR0_PE | CR0_PG | CR0_WP, .cr3 = cr3, .cr4 = CR4_PAE,
		.efer = nxe ? EFER_NXE : 0,
	};
}

static inline struct x86_paging_regs regs_64(uint64_t cr3, bool la57, bool nxe)
{
	return (struct x86_paging_regs){
		.cr0 = CR0_PE | CR0_PG | CR0_WP, .cr3 = cr3,
		.cr4 = CR4_PAE | (la57 ? CR4_LA57 : 0),
		.efer = EFER_LME | EFER_LMA | (nxe ? EFER_NXE : 0),
	};
}

static inline struct x86_cpu_features feat_of(uint8_t maxphyaddr, bool gbpages)
{
	return (struct x86_cpu_features){ .maxphyaddr = maxphyaddr, .gbpages = gbpages };
}

static inline void ctx_init_ok(struct walk_ctx *ctx, const struct x86_paging_regs *regs,
			       const struct x86_cpu_features *feat)
{
	ck_assert_int_eq(walk_ctx_init(ctx, regs, feat), 0);
}

/* Walk one access; the walk itself must not fail on the host side. */
static inline struct walk_result walk_one(const struct walk_ctx *ctx, struct fake_mem *fm,
					  uint64_t gva, enum access_kind kind, uint8_t cpl)
{
	struct walk_access acc = { .gva = gva, .kind = kind, .cpl = cpl };
	struct walk_result res;

	ck_assert_int_eq(walk_guest(ctx, &fm->ops, &acc, &res), 0);
	return res;
}

static inline struct walk_result walk_acc(const struct walk_ctx *ctx, struct fake_mem *fm,
					  const struct walk_access *acc)
{
	struct walk_result res;

	ck_assert_int_eq(walk_guest(ctx, &fm->ops, acc, &res), 0);
	return res;
}

/* Where the tests put 4-level tables: CR3 = T_PML4. */
#define T_PML4 0x1000ULL
#define T_PDPT 0x2000ULL
#define T_PD   0x3000ULL
#define T_PT   0x4000ULL

/* gpa of va's 8-byte entry at `level` of `table` (9 index bits per level, SDM 4.5). */
static inline uint64_t slot64(uint64_t table, uint64_t va, int level)
{
	return table + ((va >> (12 + 9 * (level - 1))) & 511) * 8;
}

/*
 * Link va's path PML4E -> PDPT -> PD -> PT with `flags` in each table
 * entry, down to the table that holds the leaf at `leaf_level`.
 */
static inline void link_4level(struct fake_mem *fm, uint64_t va, int leaf_level,
			       uint64_t flags)
{
	fake_mem_write(fm, slot64(T_PML4, va, 4), 8, T_PDPT | flags);
	if (leaf_level <= 2)
		fake_mem_write(fm, slot64(T_PDPT, va, 3), 8, T_PD | flags);
	if (leaf_level <= 1)
		fake_mem_write(fm, slot64(T_PD, va, 2), 8, T_PT | flags);
}

/* The table at `level` of the link_4level layout. */
static inline uint64_t table_4level(int level)
{
	return level == 4 ? T_PML4 : level == 3 ? T_PDPT : level == 2 ? T_PD : T_PT;
}

#define assert_translates(res, want_gpa)                               \
	do {                                                           \
		ck_assert_int_eq((res).outcome, WALK_OK);              \
		ck_assert_uint_eq((res).gpa, (want_gpa));              \
	} while (0)

#define assert_page_fault(res, want_ec)                                \
	do {                                                           \
		ck_assert_int_eq((res).outcome, WALK_PF);              \
		ck_assert_uint_eq((res).error_code, (want_ec));        \
	} while (0)

#endif
