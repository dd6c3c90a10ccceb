/*
 * core/x86/rsvd.c — which bits must be 0 in each entry a walk uses, for
 * one mode, MAXPHYADDR (M), EFER.NXE and 1-GiB-page support.
 *
 * A set reserved bit in a present entry ends the walk with #PF, error code
 * RSVD|P (SDM 4.7).  The masks follow SDM tables 4-4 to 4-20; KVM keeps the
 * same shape (rsvd_bits_mask[bit 7][level-1], notes/kvm-mmu.md §2.9).
 *
 * Intel's rules only: AMD also reserves bit 8 of PML4Es/PML5Es (APM vol. 2
 * 5.3.3), which is not modelled — a guest that sets it sees Intel's answer.
 */
#include "core/platform.h"
#include "core/x86/bits.h"
#include "core/x86/walk.h"

/* Bits hi..lo, or none when lo > hi (e.g. M = 52 leaves no high bits). */
static uint64_t bits_between(unsigned hi, unsigned lo)
{
	return lo > hi ? 0 : GENMASK_ULL(hi, lo);
}

/* SDM table 4-8: bits 63:M, 8:5 and 2:1 of a PAE PDPTE are reserved. */
uint64_t pae_pdpte_rsvd(uint8_t maxphyaddr)
{
	return bits_between(63, maxphyaddr) | GENMASK_ULL(8, 5) | GENMASK_ULL(2, 1);
}

/*
 * 32-bit paging (SDM tables 4-4 to 4-6): nothing is reserved in a PTE or
 * in a PDE that references a page table.  A 4 MiB PDE (CR4.PSE=1) holds
 * address bits (M-1):32 in bits (M-20):13, with M = min(MAXPHYADDR, 40);
 * bits 21:(M-19) are reserved.  Without CR4.PSE bit 7 is ignored, so
 * rsvd[1] stays 0.
 */
static void rsvd_init_32(struct walk_ctx *ctx)
{
	unsigned m = ctx->feat.maxphyaddr;

	if (!(ctx->regs.cr4 & CR4_PSE))
		return;
	if (m > PT32_PSE36_MAX_PHYS_BITS)
		m = PT32_PSE36_MAX_PHYS_BITS;
	ctx->rsvd[1][1] = GENMASK_ULL(21, m - 19);
}

/*
 * PAE paging (SDM tables 4-8 to 4-11): bits 62:M of PDEs and PTEs, bit 63
 * without EFER.NXE, bits 20:13 of a 2 MiB PDE; the PDPT level uses the
 * PDPTE rule (checked at CR3 load, and again by the walker).
 */
static void rsvd_init_pae(struct walk_ctx *ctx, uint64_t nx)
{
	uint64_t common = nx | bits_between(62, ctx->feat.maxphyaddr);
	uint64_t pdpte = pae_pdpte_rsvd(ctx->feat.maxphyaddr);

	ctx->pdpte_rsvd = pdpte;
	ctx->rsvd[0][0] = common;
	ctx->rsvd[1][0] = common;  /* bit 7 of a PTE is PAT */
	ctx->rsvd[0][1] = common;
	ctx->rsvd[1][1] = common | GENMASK_ULL(20, 13);
	ctx->rsvd[0][2] = pdpte;
	ctx->rsvd[1][2] = pdpte;
}

/*
 * 4- and 5-level paging (SDM tables 4-14 to 4-20): bits 51:M everywhere,
 * bit 63 without EFER.NXE; bit 7 of a PML5E/PML4E; a 1 GiB PDPTE's bits
 * 29:13, and its bit 7 altogether without 1-GiB-page support; a 2 MiB
 * PDE's bits 20:13.  Bits 62:52 are ignored (62:59 are the protection key).
 */
static void rsvd_init_64(struct walk_ctx *ctx, uint64_t nx)
{
	uint64_t common = nx | bits_between(51, ctx->feat.maxphyaddr);
	uint64_t no_gbpages = ctx->feat.gbpages ? 0 : PT_PAGE_SIZE;
	int level;

	ctx->rsvd[0][0] = common;
	ctx->rsvd[1][0] = common;  /* bit 7 of a PTE is PAT */
	ctx->rsvd[0][1] = common;
	ctx->rsvd[1][1] = common | GENMASK_ULL(20, 13);
	ctx->rsvd[0][2] = common;
	ctx->rsvd[1][2] = common | no_gbpages | GENMASK_ULL(29, 13);
	for (level = 4; level <= ctx->fmt->root_level; level++) {
		ctx->rsvd[0][level - 1] = common | PT_PAGE_SIZE;
		ctx->rsvd[1][level - 1] = common | PT_PAGE_SIZE;
	}
}

void walk_ctx_init_rsvd(struct walk_ctx *ctx)
{
	/* Without EFER.NXE, bit 63 (XD) of a PAE-format entry is reserved. */
	uint64_t nx = (ctx->regs.efer & EFER_NXE) ? 0 : PT64_NX;

	plat_memset(ctx->rsvd, 0, sizeof(ctx->rsvd));
	ctx->pdpte_rsvd = 0;
	switch (ctx->mode) {
	case PAGING_OFF:
		return;
	case PAGING_32:
		rsvd_init_32(ctx);
		return;
	case PAGING_PAE:
		rsvd_init_pae(ctx, nx);
		return;
	case PAGING_4LEVEL:
	case PAGING_5LEVEL:
		rsvd_init_64(ctx, nx);
		return;
	}
}
