/*
 * core/x86/spte.h — SPTEs: the entries of the tables the MMU builds and the
 * CPU walks (KVM's spte.h).
 *
 * Two hardware layouts: EPT (Intel; R/W/X at bits 0-2, A/D at 8/9 only when
 * the EPTP enables them) and the legacy x86-64 layout that AMD's NPT and
 * shadow paging use (P/W/U/NX, A/D at 5/6).  One `struct spte_format`
 * describes either as masks, so SPTE code never asks which one it has.
 *
 * Software bits, in bits the hardware ignores:
 *   MMU-present (bit 11)   this SPTE is a mapping the MMU made.  MMIO and
 *                          frozen SPTEs are not MMU-present.
 *   host-writable          the host page may be written (fixed at creation);
 *   MMU-writable           the MMU may make this SPTE writable without the
 *                          lock (cleared when write-protecting a guest page
 *                          table).  Invariant: W implies MMU-writable implies
 *                          host-writable (spte_check_writable_invariant).
 *   access-tracked (EPT without A/D)  R and X saved at bits 54/56 with RWX
 *                          cleared: the hardware sees "not present", the MMU
 *                          still sees its mapping, and the next access faults
 *                          so the MMU learns the page was used.
 *
 * Special values:
 *   SPTE_FROZEN            held by a thread between reading and installing a
 *                          SPTE under the read lock; others must retry.
 *   MMIO SPTEs             cache "this gfn is in no memslot" with the memslot
 *                          generation they were made in; the hardware faults
 *                          on them with a distinguishable reason (EPT
 *                          misconfiguration: W+X without R; NPT: a reserved
 *                          address bit, #NPF with RSVD).
 */
#ifndef MMULAB_CORE_X86_SPTE_H
#define MMULAB_CORE_X86_SPTE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/platform.h"
#include "core/x86/bits.h"
#include "core/x86/format.h"

#define SPTE_ENT_PER_PAGE 512
#define SPTE_MMU_PRESENT      BIT_ULL(11)

/* Legacy / NPT software bits (ignored by hardware in every level's entry). */
#define SPTE_NPT_HOST_WRITABLE BIT_ULL(9)
#define SPTE_NPT_MMU_WRITABLE  BIT_ULL(10)
/* EPT software bits. */
#define SPTE_EPT_SAVED_R      BIT_ULL(54)  /* access-tracked: R was set */
#define SPTE_EPT_SAVED_X      BIT_ULL(56)  /* access-tracked: X was set */
#define SPTE_EPT_HOST_WRITABLE BIT_ULL(57)
#define SPTE_EPT_MMU_WRITABLE  BIT_ULL(58)

/*
 * A frozen SPTE: no R/W/X, no P, no address bits, never MMU-present and
 * never an MMIO value in either layout (KVM's FROZEN_SPTE).
 */
#define SPTE_FROZEN 0x5a0ULL

/* The MMIO generation: 19 bits, as KVM's memslot generation. */
#define SPTE_MMIO_GEN_BITS 19
#define SPTE_MMIO_GEN_MASK ((1u << SPTE_MMIO_GEN_BITS) - 1)

enum spte_layout {
	SPTE_LAYOUT_EPT,  /* Intel EPT */
	SPTE_LAYOUT_NPT,  /* x86-64 paging entries: AMD NPT, shadow paging */
};

/* How one MMU encodes its SPTEs: built once by spte_format_init. */
struct spte_format {
	enum spte_layout layout;
	bool ad_enabled;          /* hardware sets A/D (EPT: EPTP bit 6; NPT: always) */
	uint8_t root_level;       /* 4 or 5: the depth of the tables built */
	uint8_t host_phys_bits;   /* plat_host_phys_bits(): address bits an SPTE may use */
	uint64_t present_mask;    /* what every hardware-present SPTE has (NPT: P; EPT: 0) */
	uint64_t readable_mask;   /* EPT R; NPT: 0 (present implies readable) */
	uint64_t writable_mask;   /* W */
	uint64_t user_mask;       /* NPT U (always set: NPT walks are user accesses); EPT 0 */
	uint64_t x_mask;          /* EPT X; NPT 0 */
	uint64_t nx_mask;         /* NPT NX; EPT 0 */
	uint64_t accessed_mask;   /* A, 0 when !ad_enabled */
	uint64_t dirty_mask;      /* D, 0 when !ad_enabled */
	uint64_t huge_mask;       /* PS / EPT bit 7 */
	uint64_t memtype_bits;    /* EPT leaf memory type and IPAT for RAM (WB, IPAT); NPT 0 */
	uint64_t host_writable;   /* software bit positions for this layout */
	uint64_t mmu_writable;
	uint64_t mmio_value;      /* MMIO SPTEs have (spte & mmio_mask) == mmio_value */
	uint64_t mmio_mask;
	/* Reserved bits of SPTEs this MMU builds: [ps][level-1] (KVM's shadow_zero_check). */
	uint64_t zero_check[2][PT_MAX_LEVEL];
	uint64_t bad_mt_xwr;      /* EPT: bit (spte & 0x3f) set = invalid memtype/XWR combination */
};

/*
 * Fill `f` for a layout.  EPT uses ad_enabled as given; NPT always has A/D.
 * root_level 4 or 5.  host_phys_bits is usually plat_host_phys_bits();
 * tests pass their own.  NPT MMIO SPTEs need host_phys_bits < 52 (a
 * reserved address bit to set); with 52, MMIO caching is off (mmio_mask 0).
 */
void spte_format_init(struct spte_format *f, enum spte_layout layout, bool ad_enabled,
		      int root_level, unsigned host_phys_bits);

/* ---- making SPTEs ----------------------------------------------------------- */

/* A non-leaf SPTE pointing at the table in host frame `child`: all rights. */
uint64_t spte_make_table(const struct spte_format *f, hpa_t child);

/* What a leaf is to grant. */
struct spte_leaf_args {
	hpa_t hpa;           /* host address of the page (aligned to the level's size) */
	int level;           /* 1 = 4K, 2 = 2M, 3 = 1G */
	unsigned acc;        /* ACC_* to grant (TDP: ACC_ALL, less write on read-only slots) */
	bool host_writable;  /* the host page may be written */
	bool write;          /* the fault was a write: make it writable and dirty now */
	bool prefetch;       /* not accessed yet: access-tracked / A clear */
	bool wrprot;         /* keep it read-only although writable (dirty log) */
};
uint64_t spte_make_leaf(const struct spte_format *f, const struct spte_leaf_args *a);

/* An MMIO SPTE for `gfn` with ACC_* `acc` (NPT keeps W/U), made in generation `gen`. */
uint64_t spte_make_mmio(const struct spte_format *f, uint64_t gfn, unsigned acc,
			uint32_t gen);

/* ---- reading SPTEs ---------------------------------------------------------- */

static inline bool spte_is_mmu_present(uint64_t spte)
{
	return spte & SPTE_MMU_PRESENT;
}

static inline bool spte_is_frozen(uint64_t spte)
{
	return spte == SPTE_FROZEN;
}

/* A present SPTE at `level` maps a page (rather than a table). */
bool spte_is_leaf(const struct spte_format *f, uint64_t spte, int level);
/* The host address of the table or page (PS-page low bits excluded for leaves). */
hpa_t spte_addr(const struct spte_format *f, uint64_t spte, int level);
bool spte_is_mmio(const struct spte_format *f, uint64_t spte);
uint64_t spte_mmio_gfn(const struct spte_format *f, uint64_t spte);
uint32_t spte_mmio_gen(const struct spte_format *f, uint64_t spte);
unsigned spte_mmio_access(const struct spte_format *f, uint64_t spte);

bool spte_is_writable(const struct spte_format *f, uint64_t spte);
bool spte_is_mmu_writable(const struct spte_format *f, uint64_t spte);
bool spte_is_host_writable(const struct spte_format *f, uint64_t spte);
/* Accessed: the A bit, or (without A/D) "not access-tracked". */
bool spte_is_accessed(const struct spte_format *f, uint64_t spte);
/* Dirty: the D bit, or (without A/D) writable. */
bool spte_is_dirty(const struct spte_format *f, uint64_t spte);
bool spte_is_access_tracked(const struct spte_format *f, uint64_t spte);
/* ACC_* the leaf grants the guest (EPT R maps to ACC_USER's slot, as KVM does). */
unsigned spte_access(const struct spte_format *f, uint64_t spte);

/* ---- changing SPTEs (pure: the caller installs the result) ------------------ */

/* Clear W (and with mmu_writable_too, MMU-writable: a shadowed guest table). */
uint64_t spte_write_protect(const struct spte_format *f, uint64_t spte, bool mmu_writable_too);
/* Make an MMU-writable SPTE writable again (and dirty). */
uint64_t spte_make_writable(const struct spte_format *f, uint64_t spte);
/* Clear D (dirty logging by D bits); only meaningful with A/D. */
uint64_t spte_clear_dirty(const struct spte_format *f, uint64_t spte);
/*
 * Aging: clear A, or without A/D save R/X and clear RWX.  A writable SPTE
 * loses W too without A/D (its dirtiness was recorded by the caller first).
 */
uint64_t spte_mark_access_tracked(const struct spte_format *f, uint64_t spte);
/* Undo spte_mark_access_tracked (EPT without A/D); identity otherwise. */
uint64_t spte_restore_access_tracked(const struct spte_format *f, uint64_t spte);
/*
 * The SPTE of child `index` (0..511) when splitting huge leaf `huge` at
 * `level` into a table at level-1: same rights, address advanced.
 */
uint64_t spte_split_child(const struct spte_format *f, uint64_t huge, int level,
			  unsigned index);

/* ---- checking ------------------------------------------------------------------ */

/* Reserved bits set in a hardware-present SPTE at `level` (0 = valid). */
uint64_t spte_rsvd_bits(const struct spte_format *f, uint64_t spte, int level);
/*
 * Writable state is one of (host-writable, MMU-writable, W) = 111, 110,
 * 100, 000 (KVM's check_spte_writable_invariants).
 */
bool spte_writable_invariant_holds(const struct spte_format *f, uint64_t spte);

/*
 * Decode an SPTE for people: "R W X A D mt=6 ipat hw mw pfn=0x1234" or
 * "mmio gfn=0x.. gen=..", "frozen", "none".  Returns what snprintf would.
 */
int spte_describe(const struct spte_format *f, uint64_t spte, int level, char *buf,
		  unsigned size);

/*
 * Every SPTE the MMU writes passes this: a present SPTE with reserved bits
 * or a broken writable invariant stops the run with the SPTE, its level and
 * the role (as a number and decoded) printed.
 */
#define SPTE_ASSERT_VALID(f, spte, level, role)                              \
	spte_assert_valid((f), (spte), (level), (role), __FILE__, __LINE__)
void spte_assert_valid(const struct spte_format *f, uint64_t spte, int level,
		       uint32_t role_word, const char *file, int line);

#endif
