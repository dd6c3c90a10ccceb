/*
 * core/x86/mmu_page.h — an MMU page: one host frame of 512 SPTEs plus what
 * the MMU knows about it (KVM's struct kvm_mmu_page).
 *
 * The header is kept small on purpose: a TDP table maps 512 pages, so every
 * byte here costs 1/512 byte per mapped page (the bench reports it).  What
 * only shadow paging needs (parent lists, unsync bitmaps, the shadowed
 * translations) hangs off `shadow`, NULL for TDP pages.
 *
 * The frame's platform private pointer (plat_frame_private) points back at
 * the header, so an SPTE leads to its child's mmu_page in O(1).
 */
#ifndef MMULAB_CORE_X86_MMU_PAGE_H
#define MMULAB_CORE_X86_MMU_PAGE_H

#include <stdint.h>

#include "core/list.h"
#include "core/platform.h"
#include "core/x86/role.h"

struct mmu_page_shadow;

struct mmu_page {
	uint64_t *spt;              /* the 512 SPTEs: plat_frame_map(hpa); fixed */
	hpa_t hpa;                  /* host frame of spt; fixed */
	uint64_t gfn;               /* direct: first gfn mapped; shadow: the guest table's gfn; fixed */
	union mmu_page_role role;   /* fixed, except role.invalid (set under the write lock) */
	uint32_t root_count;        /* references while used as a root; atomic */
	volatile uint64_t *parent_sptep; /* TDP: the SPTE pointing here, NULL for a root; fixed */
	struct list_node link;      /* on its owner's list (roots, or all pages); owner's lock */
	struct mmu_page_shadow *shadow; /* shadow-paging state, NULL for TDP pages */
};

/* The mmu_page whose frame is `hpa` (from an SPTE), or NULL. */
static inline struct mmu_page *mmu_page_of(hpa_t hpa)
{
	return plat_frame_private(hpa);
}

/* Bytes of host memory one mmu_page costs: the frame plus the header. */
#define MMU_PAGE_BYTES (PLAT_FRAME_SIZE + sizeof(struct mmu_page))

#endif
