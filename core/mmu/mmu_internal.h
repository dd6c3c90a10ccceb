/*
 * core/mmu/mmu_internal.h — shared between the files of core/mmu only.
 */
#ifndef MMULAB_CORE_MMU_MMU_INTERNAL_H
#define MMULAB_CORE_MMU_MMU_INTERNAL_H

#include "core/mmu/mmu.h"

/* Free a memslot the VM no longer lists. */
void mmu_memslot_free(struct mmu_memslot *slot);

#endif
