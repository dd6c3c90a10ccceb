/*
 * tests/sim/sim_helpers.h — a hand-built machine for the sim's walker tests.
 *
 * Guest memory is host frames reached through a TDP table (EPT or NPT)
 * built here entry by entry from the SDM / APM bit layouts, with no help
 * from core/x86 (no format, no ptbuild, no spte code): a bug shared by the
 * MMU's encoders and the sim's decoder cannot hide.  Guest page tables are
 * written as raw values too.
 */
#ifndef MMULAB_TESTS_SIM_HELPERS_H
#define MMULAB_TESTS_SIM_HELPERS_H

#include <check.h>
#include <string.h>

#include "core/platform.h"
#include "core/x86/bits.h"
#include "hw/sim/sim.h"

/* Guest entry flags. */
#define P  PT_PRESENT
#define W  PT_WRITABLE
#define U  PT_USER
#define A  PT_ACCESSED
#define D  PT_DIRTY
#define PS PT_PAGE_SIZE
#define G  PT_GLOBAL
#define NX PT64_NX

/* A leaf EPT entry for RAM: RWX, write-back (SDM 29.3.7). */
#define EPT_LEAF_RAM (EPT_RWX | ((uint64_t)MTYPE_WB << EPT_MT_SHIFT))

#define TM_MAX_PAGES 64

struct tmach {
	struct sim_tdp tdp;               /* the EPT/NPT the CPU walks */
	uint64_t gfn[TM_MAX_PAGES];       /* guest pages mapped, by gfn */
	hpa_t hpa[TM_MAX_PAGES];          /* their host frames */
	unsigned n;                       /* pages mapped */
	uint8_t maxphyaddr;               /* the guest's MAXPHYADDR */
	bool gbpages;                     /* guest 1G pages exist */
};

static inline void tm_init(struct tmach *tm, enum spte_layout layout, bool ad)
{
	memset(tm, 0, sizeof(*tm));
	tm->tdp.layout = layout;
	tm->tdp.root = plat_frame_alloc();
	tm->tdp.levels = 4;
	tm->tdp.ad = ad || layout == SPTE_LAYOUT_NPT;
	tm->tdp.phys_bits = (uint8_t)plat_host_phys_bits(); /* frames are user pointers */
	tm->maxphyaddr = 46;
	tm->gbpages = true;
	ck_assert(tm->tdp.root != PLAT_NO_FRAME);
}

static inline unsigned tm_ix(uint64_t addr, int level)
{
	return (addr >> (12 + 9 * (level - 1))) & 511;
}

/* The TDP entry for gpa at `level`, making the tables above it. */
static inline volatile uint64_t *tm_tdp_entry(struct tmach *tm, uint64_t gpa, int level)
{
	hpa_t table = tm->tdp.root;
	int l;

	for (l = tm->tdp.levels; ; l--) {
		volatile uint64_t *e = (volatile uint64_t *)plat_frame_map(table) + tm_ix(gpa, l);

		if (l == level)
			return e;
		if (!*e) {
			hpa_t t = plat_frame_alloc();

			ck_assert(t != PLAT_NO_FRAME);
			*e = t | (tm->tdp.layout == SPTE_LAYOUT_EPT ? EPT_RWX : P | W | U);
		}
		table = *e & PT64_ADDR_MASK;
	}
}

/* Map the 4K guest page at gpa to a fresh frame; returns the frame. */
static inline hpa_t tm_map(struct tmach *tm, uint64_t gpa)
{
	hpa_t f = plat_frame_alloc();

	ck_assert(f != PLAT_NO_FRAME && tm->n < TM_MAX_PAGES);
	*tm_tdp_entry(tm, gpa, 1) = f | (tm->tdp.layout == SPTE_LAYOUT_EPT ? EPT_LEAF_RAM : P | W | U);
	tm->gfn[tm->n] = gpa >> 12;
	tm->hpa[tm->n++] = f;
	return f;
}

/* Map gpa's page unless it is mapped already. */
static inline void tm_ensure(struct tmach *tm, uint64_t gpa)
{
	unsigned i;

	for (i = 0; i < tm->n; i++)
		if (tm->gfn[i] == gpa >> 12)
			return;
	tm_map(tm, gpa);
}

/* The host frame behind gpa's page. */
static inline hpa_t tm_frame(struct tmach *tm, uint64_t gpa)
{
	unsigned i;

	for (i = 0; i < tm->n; i++)
		if (tm->gfn[i] == gpa >> 12)
			return tm->hpa[i];
	ck_abort_msg("gpa 0x%llx is not mapped", (unsigned long long)gpa);
	return PLAT_NO_FRAME;
}

static inline uint8_t *tm_host(struct tmach *tm, uint64_t gpa)
{
	unsigned i;

	for (i = 0; i < tm->n; i++)
		if (tm->gfn[i] == gpa >> 12)
			return (uint8_t *)plat_frame_map(tm->hpa[i]) + (gpa & 0xfff);
	ck_abort_msg("gpa 0x%llx is not mapped", (unsigned long long)gpa);
	return NULL;
}

static inline void tm_w64(struct tmach *tm, uint64_t gpa, uint64_t v)
{
	memcpy(tm_host(tm, gpa), &v, 8);
}

static inline uint64_t tm_r64(struct tmach *tm, uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, tm_host(tm, gpa), 8);
	return v;
}

static inline void tm_w32(struct tmach *tm, uint64_t gpa, uint32_t v)
{
	memcpy(tm_host(tm, gpa), &v, 4);
}

static inline uint32_t tm_r32(struct tmach *tm, uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, tm_host(tm, gpa), 4);
	return v;
}

/* One access through the 2D walk. */
static inline struct sim_walk_out tm_walk_as(struct tmach *tm, const struct x86_paging_regs *regs,
					     uint64_t gva, enum access_kind kind, unsigned cpl,
					     bool ac, bool implicit)
{
	struct sim_walk_in in = {
		.regs = regs, .maxphyaddr = tm->maxphyaddr, .gbpages = tm->gbpages,
		.acc = { .gva = gva, .kind = kind, .cpl = (uint8_t)cpl, .eflags_ac = ac,
			 .implicit = implicit },
		.tdp = &tm->tdp,
	};
	struct sim_walk_out out;

	ck_assert_int_eq(sim_translate(&in, &out), 0);
	return out;
}

static inline struct sim_walk_out tm_walk(struct tmach *tm, const struct x86_paging_regs *regs,
					  uint64_t gva, enum access_kind kind, unsigned cpl)
{
	return tm_walk_as(tm, regs, gva, kind, cpl, false, false);
}

/* Registers of each mode, with CR0.WP=1. */
static inline struct x86_paging_regs tm_regs_64(uint64_t cr3, bool la57, bool nxe)
{
	return (struct x86_paging_regs){
		.cr0 = CR0_PE | CR0_PG | CR0_WP, .cr3 = cr3,
		.cr4 = CR4_PAE | (la57 ? CR4_LA57 : 0),
		.efer = EFER_LME | EFER_LMA | (nxe ? EFER_NXE : 0),
	};
}

static inline struct x86_paging_regs tm_regs_32(uint64_t cr3, bool pse)
{
	return (struct x86_paging_regs){
		.cr0 = CR0_PE | CR0_PG | CR0_WP, .cr3 = cr3, .cr4 = pse ? CR4_PSE : 0,
	};
}

/*
 * The 4-level tables used by most tests: PML4 at 0x1000, PDPT 0x2000,
 * PD 0x3000, PT 0x4000, mapping `gva` to the 4K page at 0x10000 with
 * `leaf` flags and `table` flags above.  Every page is mapped in the TDP.
 */
#define TM_PML4 0x1000ULL
#define TM_PDPT 0x2000ULL
#define TM_PD   0x3000ULL
#define TM_PT   0x4000ULL
#define TM_DATA 0x10000ULL

static inline void tm_build_4level(struct tmach *tm, uint64_t gva, uint64_t table, uint64_t leaf)
{
	static const uint64_t pages[] = { TM_PML4, TM_PDPT, TM_PD, TM_PT, TM_DATA };
	unsigned i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		tm_ensure(tm, pages[i]);
	tm_w64(tm, TM_PML4 + 8 * tm_ix(gva, 4), TM_PDPT | table);
	tm_w64(tm, TM_PDPT + 8 * tm_ix(gva, 3), TM_PD | table);
	tm_w64(tm, TM_PD + 8 * tm_ix(gva, 2), TM_PT | table);
	tm_w64(tm, TM_PT + 8 * tm_ix(gva, 1), TM_DATA | leaf);
}

#endif
