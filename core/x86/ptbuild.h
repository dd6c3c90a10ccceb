/*
 * core/x86/ptbuild.h — the generic creator: builds page tables of any
 * format into guest memory, one mapping at a time.
 *
 * Used to turn a scenario's <map> list into real guest tables (and, later,
 * by labs).  Tables are taken from a pool of guest-physical pages in order,
 * so the layout is deterministic: the same scenario always puts the same
 * table at the same gpa.
 */
#ifndef MMULAB_CORE_X86_PTBUILD_H
#define MMULAB_CORE_X86_PTBUILD_H

#include <stdint.h>

#include "core/x86/format.h"
#include "core/x86/walk.h"

struct pt_builder {
	const struct pt_format *fmt;  /* format of the tables built */
	const struct guest_mem *mem;  /* where they are written */
	uint64_t root;                /* gpa of the root table (CR3 / EPTP address) */
	uint64_t pool_next;           /* gpa of the next free table page */
	uint64_t pool_end;            /* first gpa past the pool */
};

/*
 * Start a builder: zero the root table at `root` (4 KiB, or 32 bytes for a
 * PAE PDPT) and take further tables from [pool_start, pool_end), 4 KiB each.
 */
int ptbuild_init(struct pt_builder *b, const struct pt_format *fmt,
		 const struct guest_mem *mem, uint64_t root, uint64_t pool_start,
		 uint64_t pool_end);

/*
 * Map the page at `va` (aligned to the level's page size) to `pa` with a
 * leaf at `level`: fmt->make_leaf(pa, level, acc) | leaf_extra.  Missing
 * tables on the way are created with fmt->make_table(.., table_acc).
 * Returns 0; MMU_ECONFLICT if `va` is already mapped, a huge leaf covers the
 * path, or an existing table entry grants other rights than `table_acc`;
 * MMU_EINVAL for a level the format cannot map or a misaligned va/pa;
 * MMU_ENOMEM when the pool is exhausted.  On error nothing was written
 * except tables that are now empty but linked (harmless to the guest).
 */
int ptbuild_map(struct pt_builder *b, uint64_t va, uint64_t pa, int level,
		unsigned acc, uint64_t leaf_extra, unsigned table_acc);

#endif
