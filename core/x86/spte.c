/*
 * core/x86/spte.c — making, reading, changing and checking SPTEs in the
 * two hardware layouts (KVM's spte.c).
 *
 * Everything here is a pure function of a `struct spte_format` and a
 * value: installing an SPTE (plain store, xchg or cmpxchg) is the caller's
 * business, so the same code serves the shadow, TDP and nested backends.
 * The format is masks, not a switch on the layout, except where the two
 * layouts differ in kind (EPT's R bit and memory type; NPT's NX bit).
 */
#include "core/x86/spte.h"

#include "core/x86/role.h"

/* Bits 5:0 of an EPT entry: memory type (5:3) and X/W/R (2:0), SDM 29.3.3.1. */
#define EPT_MT_XWR_MASK GENMASK_ULL(5, 0)
/* The marker of an EPT MMIO SPTE: W and X without R (misconfiguration). */
#define EPT_MMIO_VALUE (EPT_WRITE | EPT_EXEC)
/*
 * The marker of an NPT MMIO SPTE: P plus address bit 51, reserved whenever
 * the host has fewer than 52 physical-address bits (APM 15.25.5: a reserved
 * bit in a nested page table entry gives #NPF with the RSVD error bit).
 */
#define NPT_MMIO_RSVD_BIT 51

/*
 * MMIO generation layout (KVM's): generation bits 7:0 in SPTE bits 10:3,
 * generation bits 18:8 in SPTE bits 62:52.  Both ranges are ignored or
 * don't-care in an SPTE that the hardware already rejects, and neither
 * touches bit 11 (MMU-present) or the address.
 */
#define MMIO_GEN_LOW_SHIFT   3
#define MMIO_GEN_LOW_BITS    8
#define MMIO_GEN_HIGH_SHIFT  52
#define MMIO_GEN_LOW_MASK    GENMASK_ULL(10, 3)
#define MMIO_GEN_HIGH_MASK   GENMASK_ULL(62, 52)

static uint64_t level_size(int level)
{
	return 1ULL << (PAGE_SHIFT + 9 * (level - 1));
}

/* Address bits [51:host_phys_bits]: reserved in every entry the MMU builds. */
static uint64_t high_rsvd(unsigned host_phys_bits)
{
	return host_phys_bits >= PT64_MAX_PHYS_BITS ? 0 : GENMASK_ULL(51, host_phys_bits);
}

/*
 * Intel SDM 29.3.2 (EPT paging-structure entries) and 29.3.3.1 (EPT
 * misconfigurations).  Execute-only translations are not modelled, so XWR
 * 100 is as invalid as 010 and 110.
 */
static void zero_check_init_ept(struct spte_format *f)
{
	uint64_t hi = high_rsvd(f->host_phys_bits);
	unsigned mt, xwr;

	/* PML5E, PML4E: bits 7:3 reserved (bit 7 is no page size there). */
	f->zero_check[0][4] = f->zero_check[1][4] = hi | GENMASK_ULL(7, 3);
	f->zero_check[0][3] = f->zero_check[1][3] = hi | GENMASK_ULL(7, 3);
	/* PDPTE, PDE referencing a table: bits 7:3 reserved. */
	f->zero_check[0][2] = hi | GENMASK_ULL(7, 3);
	f->zero_check[0][1] = hi | GENMASK_ULL(7, 3);
	/* 1 GiB and 2 MiB pages: the address bits below the page size. */
	f->zero_check[1][2] = hi | GENMASK_ULL(29, 12);
	f->zero_check[1][1] = hi | GENMASK_ULL(20, 12);
	/* PTE: bits 6:3 are memory type and IPAT, bit 7 is ignored. */
	f->zero_check[0][0] = f->zero_check[1][0] = hi;

	f->bad_mt_xwr = 0;
	for (mt = 0; mt < 8; mt++) {
		/* SDM 29.3.7: memory types 2, 3 and 7 are reserved. */
		if (mt == 2 || mt == 3 || mt == 7)
			f->bad_mt_xwr |= 0xffULL << (mt * 8);
		for (xwr = 0; xwr < 8; xwr++) {
			bool w_without_r = (xwr & EPT_WRITE) && !(xwr & EPT_READ);
			bool x_only = xwr == EPT_EXEC;

			if (w_without_r || x_only)
				f->bad_mt_xwr |= 1ULL << (mt * 8 + xwr);
		}
	}
}

/*
 * x86-64 paging entries as NPT uses them (SDM tables 4-15 to 4-20; AMD APM
 * 5.3.3): PS is reserved in PML5Es and PML4Es, and AMD also reserves bit 8
 * there (KVM's shadow_zero_check sets it for AMD).  NX is always allowed:
 * NPT honours it whatever the guest's EFER.NXE.
 */
static void zero_check_init_npt(struct spte_format *f)
{
	uint64_t hi = high_rsvd(f->host_phys_bits);
	uint64_t upper = hi | PT_PAGE_SIZE | PT_GLOBAL;  /* bit 7, and AMD's bit 8 */

	f->zero_check[0][4] = f->zero_check[1][4] = upper;
	f->zero_check[0][3] = f->zero_check[1][3] = upper;
	f->zero_check[0][2] = hi;
	f->zero_check[1][2] = hi | GENMASK_ULL(29, 13);  /* bit 12 is PAT */
	f->zero_check[0][1] = hi;
	f->zero_check[1][1] = hi | GENMASK_ULL(20, 13);
	/* Bit 7 of a PTE is PAT, so "PS set" at level 1 is still a PTE. */
	f->zero_check[0][0] = f->zero_check[1][0] = hi;
	f->bad_mt_xwr = 0;
}

void spte_format_init(struct spte_format *f, enum spte_layout layout, bool ad_enabled,
		      int root_level, unsigned host_phys_bits)
{
	MMU_ASSERT(root_level == 4 || root_level == 5, "root_level %d", root_level);
	MMU_ASSERT(host_phys_bits >= MAXPHYADDR_MIN && host_phys_bits <= PT64_MAX_PHYS_BITS,
		   "host_phys_bits %u", host_phys_bits);
	plat_memset(f, 0, sizeof(*f));
	f->layout = layout;
	f->root_level = (uint8_t)root_level;
	f->host_phys_bits = (uint8_t)host_phys_bits;

	if (layout == SPTE_LAYOUT_EPT) {
		f->ad_enabled = ad_enabled;
		f->present_mask = 0;
		f->readable_mask = EPT_READ;
		f->writable_mask = EPT_WRITE;
		f->x_mask = EPT_EXEC;
		f->accessed_mask = ad_enabled ? EPT_ACCESSED : 0;
		f->dirty_mask = ad_enabled ? EPT_DIRTY : 0;
		f->huge_mask = EPT_PAGE_SIZE;
		/* RAM is write-back whatever the guest's PAT says (SDM 29.3.7.2). */
		f->memtype_bits = ((uint64_t)MTYPE_WB << EPT_MT_SHIFT) | EPT_IGNORE_PAT;
		f->host_writable = SPTE_EPT_HOST_WRITABLE;
		f->mmu_writable = SPTE_EPT_MMU_WRITABLE;
		/* SDM 29.3.3.1: W without R is a misconfiguration, an exit of its own. */
		f->mmio_value = EPT_MMIO_VALUE;
		f->mmio_mask = EPT_RWX;
		zero_check_init_ept(f);
	} else {
		f->ad_enabled = true;
		f->present_mask = PT_PRESENT;
		f->writable_mask = PT_WRITABLE;
		f->user_mask = PT_USER;
		f->nx_mask = PT64_NX;
		f->accessed_mask = PT_ACCESSED;
		f->dirty_mask = PT_DIRTY;
		f->huge_mask = PT_PAGE_SIZE;
		f->host_writable = SPTE_NPT_HOST_WRITABLE;
		f->mmu_writable = SPTE_NPT_MMU_WRITABLE;
		if (host_phys_bits < PT64_MAX_PHYS_BITS) {
			f->mmio_value = PT_PRESENT | BIT_ULL(NPT_MMIO_RSVD_BIT);
			f->mmio_mask = f->mmio_value;
		}
		/* else no reserved address bit exists: MMIO caching is off (KVM too). */
		zero_check_init_npt(f);
	}
}

/* ---- making SPTEs ----------------------------------------------------------- */

uint64_t spte_make_table(const struct spte_format *f, hpa_t child)
{
	uint64_t spte = SPTE_MMU_PRESENT | f->present_mask | child;

	MMU_ASSERT(!(child & ~PT64_ADDR_MASK) && !(child & high_rsvd(f->host_phys_bits)),
		   "table hpa 0x%llx", (unsigned long long)child);
	/*
	 * A table grants everything; the leaves decide.  A is set up front so
	 * the hardware never has to (a locked update) on the way down.
	 */
	spte |= f->readable_mask | f->writable_mask | f->user_mask | f->x_mask;
	spte |= f->accessed_mask;
	return spte;
}

uint64_t spte_make_leaf(const struct spte_format *f, const struct spte_leaf_args *a)
{
	uint64_t spte;

	MMU_ASSERT(a->level >= 1 && a->level <= 3, "leaf level %d", a->level);
	MMU_ASSERT(!(a->hpa & (level_size(a->level) - 1)) &&
		   !(a->hpa & ~PT64_ADDR_MASK) && !(a->hpa & high_rsvd(f->host_phys_bits)),
		   "hpa 0x%llx not aligned to level %d or beyond %u bits",
		   (unsigned long long)a->hpa, a->level, f->host_phys_bits);

	spte = SPTE_MMU_PRESENT | f->present_mask | a->hpa;
	if (a->level > 1)
		spte |= f->huge_mask;
	/* Execute-only is not modelled: every EPT leaf is readable. */
	spte |= f->readable_mask;
	/*
	 * U follows ACC_USER.  TDP always grants it, and must: NPT walks are
	 * user accesses (APM 15.25.5).  Shadow paging uses this layout too, and
	 * there a supervisor-only guest page must stay supervisor-only.
	 */
	if (a->acc & ACC_USER)
		spte |= f->user_mask;
	if (a->acc & ACC_EXEC)
		spte |= f->x_mask;
	else
		spte |= f->nx_mask;
	spte |= f->memtype_bits;

	/* The writable invariant (spte.h): W => MMU-writable => host-writable. */
	if (a->host_writable) {
		spte |= f->host_writable;
		if (a->acc & ACC_WRITE) {
			spte |= f->mmu_writable;
			if (!a->wrprot)
				spte |= f->writable_mask;
		}
	}
	if (a->write)
		spte |= f->dirty_mask;
	if (!a->prefetch)
		spte |= f->accessed_mask;
	else if (!f->ad_enabled)
		spte = spte_mark_access_tracked(f, spte);
	return spte;
}

static uint64_t mmio_gfn_mask(const struct spte_format *f)
{
	/* The address field, less the NPT marker bit. */
	return PT64_ADDR_MASK & ~f->mmio_mask;
}

uint64_t spte_make_mmio(const struct spte_format *f, uint64_t gfn, unsigned acc,
			uint32_t gen)
{
	uint64_t spte;

	if (!f->mmio_mask)
		return 0;
	MMU_ASSERT(!((gfn << PAGE_SHIFT) & ~mmio_gfn_mask(f)) &&
		   (gfn >> (PT64_MAX_PHYS_BITS - PAGE_SHIFT)) == 0,
		   "MMIO gfn 0x%llx does not fit below the marker",
		   (unsigned long long)gfn);
	MMU_ASSERT(gen <= SPTE_MMIO_GEN_MASK, "MMIO generation 0x%x", gen);

	spte = f->mmio_value | (gfn << PAGE_SHIFT);
	spte |= ((uint64_t)gen << MMIO_GEN_LOW_SHIFT) & MMIO_GEN_LOW_MASK;
	spte |= ((uint64_t)(gen >> MMIO_GEN_LOW_BITS) << MMIO_GEN_HIGH_SHIFT) & MMIO_GEN_HIGH_MASK;
	/*
	 * NPT keeps W and U so a shadow-paging MMIO fault can be checked
	 * against the guest's rights; EPT's low bits are the marker itself and
	 * TDP grants ACC_ALL anyway (KVM's shadow_mmio_access_mask).
	 */
	if (f->layout == SPTE_LAYOUT_NPT) {
		if (acc & ACC_WRITE)
			spte |= f->writable_mask;
		if (acc & ACC_USER)
			spte |= f->user_mask;
	}
	return spte;
}

/* ---- reading SPTEs ---------------------------------------------------------- */

bool spte_is_leaf(const struct spte_format *f, uint64_t spte, int level)
{
	return level == 1 || (level <= 3 && (spte & f->huge_mask));
}

hpa_t spte_addr(const struct spte_format *f, uint64_t spte, int level)
{
	uint64_t mask = PT64_ADDR_MASK;

	if (level > 1 && spte_is_leaf(f, spte, level))
		mask &= ~(level_size(level) - 1);
	return spte & mask;
}

bool spte_is_mmio(const struct spte_format *f, uint64_t spte)
{
	return f->mmio_mask && (spte & f->mmio_mask) == f->mmio_value;
}

uint64_t spte_mmio_gfn(const struct spte_format *f, uint64_t spte)
{
	return (spte & mmio_gfn_mask(f)) >> PAGE_SHIFT;
}

uint32_t spte_mmio_gen(const struct spte_format *f, uint64_t spte)
{
	(void)f;
	return (uint32_t)((spte & MMIO_GEN_LOW_MASK) >> MMIO_GEN_LOW_SHIFT) |
	       (uint32_t)(((spte & MMIO_GEN_HIGH_MASK) >> MMIO_GEN_HIGH_SHIFT) << MMIO_GEN_LOW_BITS);
}

unsigned spte_mmio_access(const struct spte_format *f, uint64_t spte)
{
	unsigned acc = 0;

	if (f->layout != SPTE_LAYOUT_NPT)
		return 0;
	if (spte & f->writable_mask)
		acc |= ACC_WRITE;
	if (spte & f->user_mask)
		acc |= ACC_USER;
	return acc;
}

bool spte_is_writable(const struct spte_format *f, uint64_t spte)
{
	return spte & f->writable_mask;
}

bool spte_is_mmu_writable(const struct spte_format *f, uint64_t spte)
{
	return spte & f->mmu_writable;
}

bool spte_is_host_writable(const struct spte_format *f, uint64_t spte)
{
	return spte & f->host_writable;
}

bool spte_is_access_tracked(const struct spte_format *f, uint64_t spte)
{
	/* Only EPT without A/D tracks access by taking R/W/X away. */
	return !f->ad_enabled && spte_is_mmu_present(spte) && !(spte & EPT_RWX);
}

bool spte_is_accessed(const struct spte_format *f, uint64_t spte)
{
	if (f->ad_enabled)
		return spte & f->accessed_mask;
	return !spte_is_access_tracked(f, spte);
}

bool spte_is_dirty(const struct spte_format *f, uint64_t spte)
{
	if (f->ad_enabled)
		return spte & f->dirty_mask;
	/* Without D the only record of a write is that writes were allowed. */
	return spte_is_writable(f, spte);
}

unsigned spte_access(const struct spte_format *f, uint64_t spte)
{
	unsigned acc = 0;

	/* An access-tracked SPTE grants what restoring it gives back. */
	spte = spte_restore_access_tracked(f, spte);
	if (spte & f->writable_mask)
		acc |= ACC_WRITE;
	if (f->layout == SPTE_LAYOUT_EPT) {
		if (spte & EPT_READ)
			acc |= ACC_USER;
		if (spte & EPT_EXEC)
			acc |= ACC_EXEC;
	} else {
		if (spte & f->user_mask)
			acc |= ACC_USER;
		if (!(spte & f->nx_mask))
			acc |= ACC_EXEC;
	}
	return acc;
}

/* ---- changing SPTEs ------------------------------------------------------------ */

uint64_t spte_write_protect(const struct spte_format *f, uint64_t spte, bool mmu_writable_too)
{
	spte &= ~f->writable_mask;
	if (mmu_writable_too)
		spte &= ~f->mmu_writable;
	return spte;
}

uint64_t spte_make_writable(const struct spte_format *f, uint64_t spte)
{
	MMU_ASSERT(spte_is_mmu_writable(f, spte), "SPTE 0x%llx is not MMU-writable",
		   (unsigned long long)spte);
	/* A write is an access: an access-tracked SPTE gets R/X back too. */
	spte = spte_restore_access_tracked(f, spte);
	return spte | f->writable_mask | f->accessed_mask | f->dirty_mask;
}

uint64_t spte_clear_dirty(const struct spte_format *f, uint64_t spte)
{
	return spte & ~f->dirty_mask;
}

uint64_t spte_mark_access_tracked(const struct spte_format *f, uint64_t spte)
{
	uint64_t saved = 0;

	if (f->ad_enabled)
		return spte & ~f->accessed_mask;
	if (spte_is_access_tracked(f, spte))
		return spte;
	if (spte & EPT_READ)
		saved |= SPTE_EPT_SAVED_R;
	if (spte & EPT_EXEC)
		saved |= SPTE_EPT_SAVED_X;
	/* W goes too: the next write must fault so the page is logged dirty again. */
	return (spte & ~EPT_RWX) | saved;
}

uint64_t spte_restore_access_tracked(const struct spte_format *f, uint64_t spte)
{
	if (!spte_is_access_tracked(f, spte))
		return spte;
	if (spte & SPTE_EPT_SAVED_R)
		spte |= EPT_READ;
	if (spte & SPTE_EPT_SAVED_X)
		spte |= EPT_EXEC;
	return spte & ~(SPTE_EPT_SAVED_R | SPTE_EPT_SAVED_X);
}

uint64_t spte_split_child(const struct spte_format *f, uint64_t huge, int level,
			  unsigned index)
{
	uint64_t child_size = level_size(level - 1);
	uint64_t base = spte_addr(f, huge, level);
	uint64_t child;

	MMU_ASSERT((level == 2 || level == 3) && spte_is_leaf(f, huge, level) &&
		   spte_is_mmu_present(huge),
		   "SPTE 0x%llx at level %d is not a huge leaf", (unsigned long long)huge, level);
	MMU_ASSERT(index < SPTE_ENT_PER_PAGE, "split index %u", index);

	child = (huge & ~PT64_ADDR_MASK) | (base + index * child_size);
	/*
	 * A 4K child has no PS bit (for NPT bit 7 of a PTE is PAT, and large
	 * pages keep PAT at bit 12, which the MMU never sets); 2M children of a
	 * 1G page stay huge.
	 */
	if (level == 2)
		child &= ~f->huge_mask;
	return child;
}

/* ---- checking ------------------------------------------------------------------ */

uint64_t spte_rsvd_bits(const struct spte_format *f, uint64_t spte, int level)
{
	unsigned ps = (spte >> 7) & 1;
	uint64_t bad;

	MMU_ASSERT(level >= 1 && level <= PT_MAX_LEVEL, "level %d", level);
	bad = spte & f->zero_check[ps][level - 1];
	/*
	 * A bad EPT memory type or XWR combination is no single reserved bit:
	 * it is reported as the bits that form it, bits 5:0 of the SPTE
	 * (never 0, since memtype 0 with XWR 000 is valid).
	 */
	if (f->bad_mt_xwr & (1ULL << (spte & EPT_MT_XWR_MASK)))
		bad |= spte & EPT_MT_XWR_MASK;
	return bad;
}

bool spte_writable_invariant_holds(const struct spte_format *f, uint64_t spte)
{
	if (spte_is_mmu_writable(f, spte))
		return spte_is_host_writable(f, spte);
	return !spte_is_writable(f, spte);
}

int spte_describe(const struct spte_format *f, uint64_t spte, int level, char *buf,
		  unsigned size)
{
	bool ept = f->layout == SPTE_LAYOUT_EPT;
	bool leaf;
	char mt[16] = "";

	if (spte == 0)
		return plat_snprintf(buf, size, "none");
	if (spte_is_frozen(spte))
		return plat_snprintf(buf, size, "frozen");
	if (spte_is_mmio(f, spte))
		return plat_snprintf(buf, size, "mmio gfn=0x%llx gen=%u%s%s",
				     (unsigned long long)spte_mmio_gfn(f, spte),
				     spte_mmio_gen(f, spte),
				     (spte_mmio_access(f, spte) & ACC_WRITE) ? " w" : "",
				     (spte_mmio_access(f, spte) & ACC_USER) ? " u" : "");
	if (!spte_is_mmu_present(spte))
		return plat_snprintf(buf, size, "not-present 0x%llx", (unsigned long long)spte);

	leaf = spte_is_leaf(f, spte, level);
	if (ept && leaf)
		plat_snprintf(mt, sizeof(mt), " mt=%u%s",
			      (unsigned)((spte & EPT_MT_MASK) >> EPT_MT_SHIFT),
			      (spte & EPT_IGNORE_PAT) ? " ipat" : "");
	return plat_snprintf(buf, size, "%s%s%s%s%s%s%s%s%s%s%s%s%s%s pfn=0x%llx",
			     leaf ? "" : "table ",
			     ept ? ((spte & EPT_READ) ? "R" : "-") : ((spte & PT_PRESENT) ? "P" : "-"),
			     (spte & f->writable_mask) ? " W" : " -",
			     ept ? ((spte & EPT_EXEC) ? " X" : " -") : ((spte & PT_USER) ? " U" : " -"),
			     (!ept && (spte & PT64_NX)) ? " NX" : "",
			     (spte & f->accessed_mask) ? " A" : "",
			     (leaf && (spte & f->dirty_mask)) ? " D" : "",
			     (leaf && level > 1 && (spte & f->huge_mask)) ? " PS" : "",
			     mt,
			     spte_is_access_tracked(f, spte) ? " tracked" : "",
			     (spte_is_access_tracked(f, spte) && (spte & SPTE_EPT_SAVED_R)) ? " saved-R" : "",
			     (spte_is_access_tracked(f, spte) && (spte & SPTE_EPT_SAVED_X)) ? " saved-X" : "",
			     (spte & f->host_writable) ? " hw" : "",
			     (spte & f->mmu_writable) ? " mw" : "",
			     (unsigned long long)(spte_addr(f, spte, level) >> PAGE_SHIFT));
}

void spte_assert_valid(const struct spte_format *f, uint64_t spte, int level,
		       uint32_t role_word, const char *file, int line)
{
	union mmu_page_role role = { .word = role_word };
	char spte_text[160];
	char role_text[160];
	uint64_t rsvd;
	bool invariant;

	/* MMIO, frozen and zapped SPTEs are the hardware's to reject. */
	if (!spte_is_mmu_present(spte))
		return;
	rsvd = spte_rsvd_bits(f, spte, level);
	/* A table's W is for its leaves to restrict; the invariant is about leaves. */
	invariant = !spte_is_leaf(f, spte, level) || spte_writable_invariant_holds(f, spte);
	if (!rsvd && invariant)
		return;
	spte_describe(f, spte, level, spte_text, sizeof(spte_text));
	role_describe(role, role_text, sizeof(role_text));
	plat_panic(file, line,
		   "invalid SPTE 0x%016llx at level %d: %sreserved bits 0x%llx (%s) in role 0x%08x (%s)",
		   (unsigned long long)spte, level,
		   invariant ? "" : "writable invariant broken (hw/mw/W); ",
		   (unsigned long long)rsvd, spte_text, role_word, role_text);
}
