/*
 * core/x86/format.h — page formats: how the entries of one kind of paging
 * structure are encoded, level by level.
 *
 * A format knows nothing of a vCPU (no CR0.WP, no MAXPHYADDR): that is the
 * page-walk context (walk.h).  One generic walker and one generic creator
 * (ptbuild.h) work on any format.  Formats are data: the 4-level format is
 * written out once, and the 5-level, EPT and NPT formats are derived from
 * it by overriding only what differs (the Jailhouse `struct paging` idea).
 *
 * Levels count up from the leaf: level 1 holds PTEs, level 2 PDEs, 3 PDPTEs,
 * 4 PML4Es, 5 PML5Es.  PAE's level 3 is the 4-entry PDPT.
 */
#ifndef MMULAB_CORE_X86_FORMAT_H
#define MMULAB_CORE_X86_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#define PT_MAX_LEVEL 5

struct pt_format;

/* One level of a format. */
struct pt_level {
	uint64_t page_size;  /* bytes a leaf at this level maps; 0 = no leaf here */
	uint8_t va_shift;    /* lowest address bit this level's index uses */
	uint8_t index_bits;  /* 10 (32-bit), 9, or 2 (PAE PDPT) */
};

struct pt_format {
	const char *name;        /* "32-bit", "32-bit+pse", "pae", "4-level", "5-level", "ept4", "ept5" */
	uint8_t root_level;      /* level of the root table */
	uint8_t entry_bytes;     /* 4 (32-bit paging) or 8 */
	struct pt_level level[PT_MAX_LEVEL + 1];  /* [1..root_level]; [0] unused */
	uint64_t accessed_mask;  /* A bit, 0 when the format has none */
	uint64_t dirty_mask;     /* D bit (leaves only), 0 when none */
	/*
	 * Addresses the root translates are sign-extended from their top bit
	 * (linear addresses of 4/5-level paging, SDM 3.3.7.1), rather than
	 * zero-extended (32-bit linear addresses, EPT guest-physical ones).
	 */
	bool va_sign_extended;

	/* Does the entry reference anything (P, or any of R/W/X for EPT)? */
	bool (*is_present)(uint64_t entry);
	/* Does this present entry map a page (rather than a table)? */
	bool (*is_leaf)(const struct pt_format *fmt, uint64_t entry, int level);
	/* Physical address of the table a present non-leaf entry points to. */
	uint64_t (*table_addr)(uint64_t entry);
	/* Physical base address of the page a leaf maps (PSE-36 included). */
	uint64_t (*leaf_addr)(const struct pt_format *fmt, uint64_t entry, int level);
	/*
	 * ACC_* rights this entry grants on its own.  For x86 formats NX is
	 * reported as the absence of ACC_EXEC whether or not EFER.NXE is set:
	 * the walk context decides whether it counts.
	 */
	unsigned (*access)(uint64_t entry);
	/*
	 * Encode a non-leaf entry at `level` pointing at a table, granting `acc`
	 * rights (where the level can express them: a PAE PDPTE has no W/U/NX).
	 */
	uint64_t (*make_table)(const struct pt_format *fmt, uint64_t table_pa,
			       int level, unsigned acc);
	/* Encode a leaf mapping `pa` at `level` with `acc` rights (A/D clear). */
	uint64_t (*make_leaf)(const struct pt_format *fmt, uint64_t pa, int level,
			      unsigned acc);
};

extern const struct pt_format pt_format_32;      /* CR4.PSE=0: no 4 MiB pages */
extern const struct pt_format pt_format_32_pse;  /* CR4.PSE=1: 4 MiB pages, PSE-36 */
extern const struct pt_format pt_format_pae;
extern const struct pt_format pt_format_4level;
extern const struct pt_format pt_format_5level;
extern const struct pt_format pt_format_ept4;    /* EPT, 4-level walk */
extern const struct pt_format pt_format_ept5;    /* EPT, 5-level walk */

/* Index of `addr` in a table at `level`. */
static inline unsigned pt_index(const struct pt_format *fmt, uint64_t addr,
				int level)
{
	const struct pt_level *l = &fmt->level[level];

	return (unsigned)((addr >> l->va_shift) & ((1ULL << l->index_bits) - 1));
}

/* Address bits the format translates: 32, 48 or 57. */
static inline unsigned pt_va_bits(const struct pt_format *fmt)
{
	const struct pt_level *root = &fmt->level[fmt->root_level];

	return root->va_shift + root->index_bits;
}

/* The format of a name as above, or NULL. */
const struct pt_format *pt_format_by_name(const char *name);

#endif
