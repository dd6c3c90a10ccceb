/*
 * backends/tdp/tdp.h — the TDP backend's private state and the helpers its
 * files share (KVM's tdp_mmu.h / tdp_mmu.c internals).
 *
 * One set of EPT/NPT tables per root role, shared by every vCPU whose role
 * matches.  Faults run in parallel under the read side of mmu_lock and
 * change SPTEs only with cmpxchg; range operations (zap, write-protect,
 * clear-dirty, aging) run under the write side.  See docs/tdp.md.
 *
 * Lock order: split_lock, then mmu_lock, then roots_lock.
 */
#ifndef MMULAB_BACKENDS_TDP_TDP_H
#define MMULAB_BACKENDS_TDP_TDP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cache.h"
#include "core/list.h"
#include "core/mmu/mmu.h"
#include "core/x86/mmu_page.h"

/* Per VM: kept small, the bench charges it to the mapped pages. */
struct tdp_vm {
	/*
	 * Protects `roots` and every root's root_count.  get_root and
	 * put_root run without mmu_lock, so mmu_lock cannot protect the list.
	 */
	struct plat_lock *roots_lock;
	struct list_node roots;        /* mmu_page.link of every live root; roots_lock */
	/* Serialises split_huge_pages, which owns the two split caches below. */
	struct plat_lock *split_lock;
	struct mmu_cache split_frames; /* table frames for eager splitting; split_lock */
	struct mmu_cache split_pages;  /* mmu_page headers for eager splitting; split_lock */
};

static inline struct tdp_vm *tdp_of(const struct mmu_vm *vm)
{
	return vm->backend;
}

/* Number of 4K pages one SPTE at `level` maps: 1, 512, 512^2, ... */
static inline uint64_t tdp_level_pages(int level)
{
	return 1ULL << (9 * (level - 1));
}

/* The first gfn of the level-`level` region holding gfn. */
static inline uint64_t tdp_round_gfn(uint64_t gfn, int level)
{
	return gfn & ~(tdp_level_pages(level) - 1);
}

/* The MAPPED_* counter of a leaf at level 1..3. */
static inline enum mmu_stat tdp_mapped_stat(int level)
{
	return (enum mmu_stat)(MMU_STAT_MAPPED_4K + (level - 1));
}

/* ---- table pages (page.c) ----------------------------------------------------- */

/*
 * A table page from `frames`/`pages` (a vCPU's caches or the split
 * caches): header filled, the frame's private pointer set.  Cannot fail:
 * the caches were topped up outside the lock.
 */
struct mmu_page *tdp_page_alloc(struct mmu_cache *frames, struct mmu_cache *pages,
				union mmu_page_role role, uint64_t gfn,
				volatile uint64_t *parent_sptep);
/* Give a page that lost a cmpxchg race back to the caches it came from. */
void tdp_page_unalloc(struct mmu_cache *frames, struct mmu_cache *pages,
		      struct mmu_page *sp);
/* Free a page that was linked (and accounted with mmu_account_page). */
void tdp_page_free(struct mmu_vm *vm, struct mmu_page *sp);

/* ---- the fault path's shared steps (fault.c) -------------------------------------- */

struct tdp_iter;

/* The root the vCPU's CPU walks now (mmu_load made sure it has one). */
struct mmu_page *tdp_vcpu_root(const struct mmu_vcpu *v);
/*
 * Read lock held.  The current entry is not present: link a new, empty
 * table there from the vCPU's caches with one cmpxchg.  False if another
 * thread changed the entry first (the page goes back to the caches and
 * it.old_spte holds what is there now).
 */
bool tdp_link_table(struct mmu_vcpu *v, struct tdp_iter *it);

/* ---- zapping (zap.c) ------------------------------------------------------------ */

/*
 * Counts of one zap, added to the VM's stats once at the end instead of
 * one atomic add per SPTE.
 */
struct tdp_zap_counts {
	uint64_t mapped[MMU_MAX_HUGE_LEVEL]; /* leaves cleared, per level 1..3 */
	uint64_t zapped;                     /* MMU-present SPTEs cleared */
};

/*
 * Write lock held.  Clear every present SPTE of `root` mapping [start,
 * end); tables wholly inside are freed.  True if anything was present.
 */
bool tdp_zap_root_range(struct mmu_vm *vm, struct mmu_page *root, uint64_t start,
			uint64_t end, struct tdp_zap_counts *c);
void tdp_zap_counts_commit(struct mmu_vm *vm, const struct tdp_zap_counts *c);

/* ---- splitting (split.c) -------------------------------------------------------- */

/*
 * Fill the table `sp` (level L-1, not yet linked) with the 512 children
 * of huge leaf `huge` at level L, and return the non-leaf SPTE that links
 * it.  The children keep the leaf's rights, address advanced per entry.
 */
uint64_t tdp_split_fill(const struct mmu_vm *vm, struct mmu_page *sp, uint64_t huge,
			int level);
/* Stats and trace for one huge leaf at `level` replaced by its split table. */
void tdp_split_account(struct mmu_vm *vm, uint32_t vcpu, uint64_t gfn, int level);

/* ---- roots (roots.c) ------------------------------------------------------------ */

union mmu_page_role tdp_root_role(const struct mmu_vcpu *v, const struct mmu *mmu);
int tdp_get_root(struct mmu_vcpu *v, uint64_t pgd, union mmu_page_role role, hpa_t *root);
void tdp_put_root(struct mmu_vm *vm, hpa_t root);

/* ---- the ops (one file each) ----------------------------------------------------- */

int tdp_page_fault(struct mmu_vcpu *v, struct mmu_fault *f);
bool tdp_zap_gfn_range(struct mmu_vm *vm, uint64_t start, uint64_t end);
bool tdp_wrprot_gfn_range(struct mmu_vm *vm, uint64_t start, uint64_t end);
/* Log (mmu_mark_page_dirty) the pages of a leaf at gfn, clipped to the slot. */
void tdp_log_leaf(struct mmu_vm *vm, struct mmu_memslot *slot, uint64_t gfn, int level);
bool tdp_clear_dirty_gfn_range(struct mmu_vm *vm, struct mmu_memslot *slot,
			       uint64_t start, uint64_t end);
int tdp_split_huge_pages(struct mmu_vm *vm, uint64_t start, uint64_t end, int target_level);
uint64_t tdp_age_gfn_range(struct mmu_vm *vm, uint64_t start, uint64_t end, bool test_only);
void tdp_visit(struct mmu_vm *vm, const struct mmu_visitor *vis);

/* ---- MMIO (mmio.c) --------------------------------------------------------------- */

/*
 * A fault with the reserved bit: the hardware hit an MMIO SPTE.  True if
 * it was answered (f->outcome set); false if the fault continues as a
 * normal fault (the MMIO SPTE was stale, or another vCPU already replaced it).
 */
bool tdp_mmio_fault(struct mmu_vcpu *v, struct mmu_fault *f, uint64_t gfn);
/* A gfn in no memslot: cache that in an MMIO SPTE at level 1; f->outcome = MMIO. */
void tdp_map_mmio(struct mmu_vcpu *v, struct mmu_fault *f, uint64_t gfn);

#endif
