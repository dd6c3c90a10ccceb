/*
 * core/x86/format.c — the page formats as data.
 *
 * The 4-level description is written out once (PT64_LEVELS_1_TO_4 and the
 * pt64_* functions).  The others are derived from it in plain sight:
 *   5-level = 4-level + a PML5 level on top (root_level 5);
 *   EPT     = the 4/5-level geometry + EPT's own entry encoding (R/W/X
 *             instead of P/W/U/NX, A and D at bits 8 and 9);
 *   PAE     = the lower two 4-level levels + a 4-entry PDPT on top;
 *   32-bit  = 4-byte entries, 10 index bits, and 4 MiB pages only with
 *             CR4.PSE (then PSE-36 supplies address bits above 31).
 * Nothing here depends on a vCPU: reserved bits, NXE and the permission
 * rules live in the walk context (walk.h).
 */
#include <stddef.h>

#include "core/x86/bits.h"
#include "core/x86/format.h"

/* ---- shared by every format ------------------------------------------------ */

/*
 * Level 1 entries always map a page; above that, bit 7 (PS) marks a leaf at
 * levels where the format has pages.  Where it has none (32-bit paging
 * without CR4.PSE, PML4E/PML5E) bit 7 is ignored here: either it means
 * nothing (SDM 4.3) or it is a reserved bit the walk context rejects first.
 */
static bool pt_is_leaf(const struct pt_format *fmt, uint64_t entry, int level)
{
	return level == 1 ||
	       (fmt->level[level].page_size != 0 && (entry & PT_PAGE_SIZE));
}

/* ---- 4-level paging, the model for the rest (SDM 4.5) ------------------------ */

static bool pt64_is_present(uint64_t entry)
{
	return entry & PT_PRESENT;
}

static uint64_t pt64_table_addr(uint64_t entry)
{
	return entry & PT64_ADDR_MASK;
}

/* A 2M/1G leaf's bits 12..(page bits-1) hold PAT and reserved bits, not address. */
static uint64_t pt64_leaf_addr(const struct pt_format *fmt, uint64_t entry, int level)
{
	return entry & PT64_ADDR_MASK & ~(fmt->level[level].page_size - 1);
}

/* NX is execute-disable: its absence grants ACC_EXEC (SDM 4.6.2). */
static unsigned pt64_access(uint64_t entry)
{
	unsigned acc = 0;

	if (entry & PT_WRITABLE)
		acc |= ACC_WRITE;
	if (entry & PT_USER)
		acc |= ACC_USER;
	if (!(entry & PT64_NX))
		acc |= ACC_EXEC;
	return acc;
}

static uint64_t pt64_rights(unsigned acc)
{
	uint64_t bits = PT_PRESENT;

	if (acc & ACC_WRITE)
		bits |= PT_WRITABLE;
	if (acc & ACC_USER)
		bits |= PT_USER;
	if (!(acc & ACC_EXEC))
		bits |= PT64_NX;
	return bits;
}

static uint64_t pt64_make_table(const struct pt_format *fmt, uint64_t table_pa,
				int level, unsigned acc)
{
	(void)fmt;
	(void)level;
	return (table_pa & PT64_ADDR_MASK) | pt64_rights(acc);
}

static uint64_t pt64_make_leaf(const struct pt_format *fmt, uint64_t pa, int level,
			       unsigned acc)
{
	uint64_t leaf = (pa & PT64_ADDR_MASK) | pt64_rights(acc);

	(void)fmt;
	return level > 1 ? leaf | PT_PAGE_SIZE : leaf;
}

/* 9 index bits per level; 2 MiB pages at level 2, 1 GiB pages at level 3. */
#define PT64_LEVELS_1_TO_4                          \
	[1] = { PAGE_SIZE_4K, 12, 9 },              \
	[2] = { PAGE_SIZE_2M, 21, 9 },              \
	[3] = { PAGE_SIZE_1G, 30, 9 },              \
	[4] = { 0, 39, 9 }
/* 5-level paging adds a PML5 on top, indexed by bits 56:48 (SDM 4.5.1). */
#define PT64_LEVEL_5 [5] = { 0, 48, 9 }

/* The entry encoding of PAE and 4/5-level paging, but for make_table. */
#define PT64_ENTRIES                                \
	.entry_bytes = 8,                           \
	.accessed_mask = PT_ACCESSED,               \
	.dirty_mask = PT_DIRTY,                     \
	.is_present = pt64_is_present,              \
	.is_leaf = pt_is_leaf,                      \
	.table_addr = pt64_table_addr,              \
	.leaf_addr = pt64_leaf_addr,                \
	.access = pt64_access,                      \
	.make_leaf = pt64_make_leaf

const struct pt_format pt_format_4level = {
	.name = "4-level",
	.root_level = 4,
	.level = { PT64_LEVELS_1_TO_4 },
	.va_sign_extended = true,
	PT64_ENTRIES,
	.make_table = pt64_make_table,
};

/* 4-level plus a PML5. */
const struct pt_format pt_format_5level = {
	.name = "5-level",
	.root_level = 5,
	.level = { PT64_LEVELS_1_TO_4, PT64_LEVEL_5 },
	.va_sign_extended = true,
	PT64_ENTRIES,
	.make_table = pt64_make_table,
};

/* ---- EPT: the 4/5-level geometry, EPT's entry encoding (SDM 29.3.2) ----------- */

/* An EPT entry is present if it grants any of read, write or execute. */
static bool ept_is_present(uint64_t entry)
{
	return entry & EPT_RWX;
}

/*
 * EPT has no user/supervisor distinction, so every entry reports ACC_USER:
 * the ACC_* machinery (accumulation by AND, the permission bitmask) stays
 * the same for all formats.  Read permission has no ACC_* bit; an EPT walk
 * context must check EPT_READ itself.
 */
static unsigned ept_access(uint64_t entry)
{
	unsigned acc = ACC_USER;

	if (entry & EPT_WRITE)
		acc |= ACC_WRITE;
	if (entry & EPT_EXEC)
		acc |= ACC_EXEC;
	return acc;
}

/* Readable always (write-only and write+execute encodings are misconfigurations). */
static uint64_t ept_rights(unsigned acc)
{
	uint64_t bits = EPT_READ;

	if (acc & ACC_WRITE)
		bits |= EPT_WRITE;
	if (acc & ACC_EXEC)
		bits |= EPT_EXEC;
	return bits;
}

static uint64_t ept_make_table(const struct pt_format *fmt, uint64_t table_pa,
			       int level, unsigned acc)
{
	(void)fmt;
	(void)level;
	return (table_pa & PT64_ADDR_MASK) | ept_rights(acc);
}

/*
 * Memory type 0 (UC) and IPAT clear: the memory-type field is left for the
 * caller's leaf_extra to fill (ptbuild ORs it in), so any type can be built.
 */
static uint64_t ept_make_leaf(const struct pt_format *fmt, uint64_t pa, int level,
			      unsigned acc)
{
	uint64_t leaf = (pa & PT64_ADDR_MASK) | ept_rights(acc);

	(void)fmt;
	return level > 1 ? leaf | EPT_PAGE_SIZE : leaf;
}

/* What EPT overrides in the x86-64 description; geometry and addresses are shared. */
#define EPT_ENCODING                                \
	.entry_bytes = 8,                           \
	.accessed_mask = EPT_ACCESSED,              \
	.dirty_mask = EPT_DIRTY,                    \
	.is_present = ept_is_present,               \
	.is_leaf = pt_is_leaf,                      \
	.table_addr = pt64_table_addr,              \
	.leaf_addr = pt64_leaf_addr,                \
	.access = ept_access,                       \
	.make_table = ept_make_table,               \
	.make_leaf = ept_make_leaf

/* EPT translates guest-physical addresses: zero-extended, no sign extension. */
const struct pt_format pt_format_ept4 = {
	.name = "ept4",
	.root_level = 4,
	.level = { PT64_LEVELS_1_TO_4 },
	.va_sign_extended = false,
	EPT_ENCODING,
};

const struct pt_format pt_format_ept5 = {
	.name = "ept5",
	.root_level = 5,
	.level = { PT64_LEVELS_1_TO_4, PT64_LEVEL_5 },
	.va_sign_extended = false,
	EPT_ENCODING,
};

/* ---- PAE: 4-level's PDs and PTs under a 4-entry PDPT (SDM 4.4) ---------------- */

/* SDM 4.4.1: a PDPTE has P, PWT, PCD and an address; no R/W, U/S, XD or A. */
static uint64_t pae_make_table(const struct pt_format *fmt, uint64_t table_pa,
			       int level, unsigned acc)
{
	if (level == PAE_PDPT_LEVEL)
		return (table_pa & PT64_ADDR_MASK) | PT_PRESENT;
	return pt64_make_table(fmt, table_pa, level, acc);
}

const struct pt_format pt_format_pae = {
	.name = "pae",
	.root_level = 3,
	.level = {
		[1] = { PAGE_SIZE_4K, 12, 9 },
		[2] = { PAGE_SIZE_2M, 21, 9 },
		[3] = { 0, 30, 2 },  /* the PDPT: 4 entries, va bits 31:30 */
	},
	.va_sign_extended = false,
	PT64_ENTRIES,
	.make_table = pae_make_table,  /* PDPTEs carry no rights */
};

/* ---- 32-bit paging (SDM 4.3) -------------------------------------------------- */

static uint64_t pt32_table_addr(uint64_t entry)
{
	return entry & PT32_ADDR_MASK;
}

/*
 * A 4 MiB page takes address bits 31:22 from PDE bits 31:22 and, with
 * PSE-36, bits 39:32 from PDE bits 20:13 (SDM table 4-4).  Bits beyond
 * MAXPHYADDR are reserved, so the walk context rejects them before here.
 */
static uint64_t pt32_leaf_addr(const struct pt_format *fmt, uint64_t entry, int level)
{
	(void)fmt;
	if (level == 1)
		return entry & PT32_ADDR_MASK;
	return (entry & PT32_4M_ADDR_MASK) |
	       ((entry & PT32_PSE36_MASK) >> PT32_PSE36_SHIFT) << 32;
}

/* 32-bit entries have no execute-disable bit: everything is executable. */
static unsigned pt32_access(uint64_t entry)
{
	unsigned acc = ACC_EXEC;

	if (entry & PT_WRITABLE)
		acc |= ACC_WRITE;
	if (entry & PT_USER)
		acc |= ACC_USER;
	return acc;
}

static uint64_t pt32_rights(unsigned acc)
{
	uint64_t bits = PT_PRESENT;

	if (acc & ACC_WRITE)
		bits |= PT_WRITABLE;
	if (acc & ACC_USER)
		bits |= PT_USER;
	return bits;
}

static uint64_t pt32_make_table(const struct pt_format *fmt, uint64_t table_pa,
				int level, unsigned acc)
{
	(void)fmt;
	(void)level;
	return (table_pa & PT32_ADDR_MASK) | pt32_rights(acc);
}

static uint64_t pt32_make_leaf(const struct pt_format *fmt, uint64_t pa, int level,
			       unsigned acc)
{
	(void)fmt;
	if (level == 1)
		return (pa & PT32_ADDR_MASK) | pt32_rights(acc);
	return (pa & PT32_4M_ADDR_MASK) |
	       (((pa >> 32) << PT32_PSE36_SHIFT) & PT32_PSE36_MASK) |
	       pt32_rights(acc) | PT_PAGE_SIZE;
}

#define PT32_ENCODING                               \
	.entry_bytes = 4,                           \
	.accessed_mask = PT_ACCESSED,               \
	.dirty_mask = PT_DIRTY,                     \
	.va_sign_extended = false,                  \
	.is_present = pt64_is_present,              \
	.is_leaf = pt_is_leaf,                      \
	.table_addr = pt32_table_addr,              \
	.leaf_addr = pt32_leaf_addr,                \
	.access = pt32_access,                      \
	.make_table = pt32_make_table,              \
	.make_leaf = pt32_make_leaf

/* CR4.PSE=0: PDE bit 7 is ignored, every PDE points to a page table. */
const struct pt_format pt_format_32 = {
	.name = "32-bit",
	.root_level = 2,
	.level = {
		[1] = { PAGE_SIZE_4K, 12, 10 },
		[2] = { 0, 22, 10 },
	},
	PT32_ENCODING,
};

/* CR4.PSE=1: the same, plus 4 MiB pages at level 2. */
const struct pt_format pt_format_32_pse = {
	.name = "32-bit+pse",
	.root_level = 2,
	.level = {
		[1] = { PAGE_SIZE_4K, 12, 10 },
		[2] = { PAGE_SIZE_4M, 22, 10 },
	},
	PT32_ENCODING,
};

/* ---- lookup ------------------------------------------------------------------- */

static const struct pt_format *const pt_formats[] = {
	&pt_format_32, &pt_format_32_pse, &pt_format_pae, &pt_format_4level,
	&pt_format_5level, &pt_format_ept4, &pt_format_ept5,
};

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

const struct pt_format *pt_format_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(pt_formats) / sizeof(pt_formats[0]); i++)
		if (str_eq(pt_formats[i]->name, name))
			return pt_formats[i];
	return NULL;
}
