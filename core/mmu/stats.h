/*
 * core/mmu/stats.h — MMU statistics: KVM's counters, named, per vCPU and
 * per VM.
 *
 * Fault-path counters live in the vCPU that faults (only its thread writes
 * them, so no cache line bounces between vCPU threads); VM-wide events
 * (zaps, flushes, page allocations) in the VM, updated atomically.
 * mmu_stats_read() adds them up.
 */
#ifndef MMULAB_CORE_MMU_STATS_H
#define MMULAB_CORE_MMU_STATS_H

#include <stdint.h>

/* X(ENUM, "name", "what it counts") — the order is the order printed. */
#define MMU_STATS(X)                                                                   \
	X(PF_TAKEN, "pf_taken", "faults that reached the MMU")                         \
	X(PF_FIXED, "pf_fixed", "faults that installed an SPTE")                       \
	X(PF_SPURIOUS, "pf_spurious", "faults already fixed by another vCPU")          \
	X(PF_RETRY, "pf_retry", "faults retried after a race with an invalidation")    \
	X(PF_WRPROT, "pf_wrprot", "write faults on write-protected SPTEs made writable") \
	X(PF_ACC_TRACK, "pf_acc_track", "faults that restored an access-tracked SPTE") \
	X(PF_MMIO, "pf_mmio", "faults on gfns outside every memslot (emulated)")       \
	X(PF_MMIO_FAST, "pf_mmio_fast", "MMIO faults answered from a valid MMIO SPTE") \
	X(PF_MMIO_SPTE_CREATED, "pf_mmio_spte_created", "MMIO SPTEs installed")        \
	X(PF_MMIO_STALE, "pf_mmio_stale", "MMIO SPTEs of an old memslot generation")   \
	X(SPTES_WRITTEN, "sptes_written", "SPTE stores (leaf and non-leaf)")           \
	X(PAGES_ALLOC_L1, "pages_alloc_l1", "table pages allocated at level 1 (PT)")   \
	X(PAGES_ALLOC_L2, "pages_alloc_l2", "table pages allocated at level 2 (PD)")   \
	X(PAGES_ALLOC_L3, "pages_alloc_l3", "table pages allocated at level 3 (PDPT)") \
	X(PAGES_ALLOC_L4, "pages_alloc_l4", "table pages allocated at level 4 (PML4)") \
	X(PAGES_ALLOC_L5, "pages_alloc_l5", "table pages allocated at level 5 (PML5)") \
	X(PAGES_FREED, "pages_freed", "table pages freed")                             \
	X(MAPPED_4K, "mapped_4k", "4K leaf SPTEs now present")                         \
	X(MAPPED_2M, "mapped_2m", "2M leaf SPTEs now present")                         \
	X(MAPPED_1G, "mapped_1g", "1G leaf SPTEs now present")                         \
	X(ZAPS, "zaps", "range zaps")                                                  \
	X(SPTES_ZAPPED, "sptes_zapped", "present SPTEs cleared by zaps")               \
	X(TLB_FLUSHES, "tlb_flushes", "remote TLB flushes requested")                  \
	X(SPLITS, "splits", "huge pages split into smaller ones")                      \
	X(ROOTS_ALLOC, "roots_alloc", "roots built")                                   \
	X(ROOTS_REUSED, "roots_reused", "roots reused (shared or previous-roots hit)")  \
	X(DIRTY_LOGGED, "dirty_logged", "pages marked dirty in a dirty log")           \
	X(AGED, "aged", "young SPTEs found by aging")                                  \
	X(MEM_LIVE, "mem_live_bytes", "MMU metadata now allocated (bytes)")            \
	X(MEM_PEAK, "mem_peak_bytes", "MMU metadata high-water mark (bytes)")

enum mmu_stat {
#define MMU_STAT_ENUM(e, name, what) MMU_STAT_##e,
	MMU_STATS(MMU_STAT_ENUM)
#undef MMU_STAT_ENUM
	MMU_NR_STATS
};

struct mmu_stats {
	uint64_t v[MMU_NR_STATS];
};

/* The stat's name ("pf_taken") and its one-line meaning. */
const char *mmu_stat_name(enum mmu_stat s);
const char *mmu_stat_what(enum mmu_stat s);

/* The single writer's increment: no locked instruction, no data race. */
static inline void mmu_stat_local_add(uint64_t *counter, uint64_t n)
{
	__atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
}

#endif
