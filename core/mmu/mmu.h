/*
 * core/mmu/mmu.h — the backend-neutral MMU.
 *
 * Three objects (design.md, "Three objects, not one"):
 *   - a page format (core/x86/format.h, spte.h) says how entries are encoded;
 *   - a page-walk context (core/x86/walk.h) walks someone else's tables;
 *   - an MMU (`struct mmu`, here) builds tables: its root, its previous
 *     roots, its root role.  Backends implement what an MMU does through
 *     `struct mmu_backend_ops`.
 *
 * Common code (this folder) owns what every backend shares: the MMU lock,
 * the MMU's view of memslots and their generation, the invalidation
 * sequence, dirty bitmaps, per-vCPU contexts and root caches, memory
 * caches, statistics and trace events.  It calls backends only through the
 * ops table and never asks which backend it has.
 *
 * Locking.  mmu_lock is a reader/writer lock.  Range operations (zap,
 * write-protect, clear-dirty, memslot changes) run with it held for write
 * by common code.  page_fault and split_huge_pages take it themselves,
 * because the backend decides which side it needs (TDP faults run under
 * the read side in parallel; shadow faults need the write side).  Memslots
 * change only while no vCPU runs (the executor guarantees it), and every
 * change bumps memslot_gen and invalidate_seq under the write lock.
 */
#ifndef MMULAB_CORE_MMU_MMU_H
#define MMULAB_CORE_MMU_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cache.h"
#include "core/mmu/stats.h"
#include "core/mmu/trace.h"
#include "core/platform.h"
#include "core/x86/role.h"
#include "core/x86/spte.h"
#include "core/x86/walk.h"

#define MMU_MAX_MEMSLOTS 32
#define MMU_MAX_VCPUS 64
#define MMU_NUM_PREV_ROOTS 3   /* KVM_MMU_NUM_PREV_ROOTS */
#define MMU_INVALID_ROOT ((hpa_t)0)

/* Memslot flags (the scenario's MEMSLOT_* are these). */
#define MMU_SLOT_READONLY  (1u << 0)  /* the guest cannot write it (ROM) */
#define MMU_SLOT_DIRTY_LOG (1u << 1)  /* writes are logged; mapped with 4K pages */

/* Huge-page levels (1 = 4K, 2 = 2M, 3 = 1G). */
#define MMU_LEVEL_4K 1
#define MMU_LEVEL_2M 2
#define MMU_LEVEL_1G 3
#define MMU_MAX_HUGE_LEVEL MMU_LEVEL_1G

/* A memslot as the MMU sees it.  Changed only by memslot.c under the write lock. */
struct mmu_memslot {
	uint32_t id;                 /* the scenario's slot id */
	uint64_t base_gfn;           /* first gfn */
	uint64_t npages;             /* length in 4K pages */
	uint32_t flags;              /* MMU_SLOT_* */
	uint8_t host_level;          /* largest host page backing it: MMU_LEVEL_* */
	/*
	 * lpage_disallow[l - 2][i]: reasons the i-th level-l region of the slot
	 * (counted from the region holding base_gfn) may not be mapped by one
	 * level-l SPTE: the slot does not cover it whole (1 each for a ragged
	 * head and tail), and whatever a backend adds (write-tracked gfns).
	 */
	uint32_t *lpage_disallow[MMU_MAX_HUGE_LEVEL - 1];
};

/* What the MMU needs from the VM that owns it (core/vm implements it). */
struct mmu_host {
	void *opaque;
	/*
	 * Fault a guest page in (KVM's faultin_pfn): the host frame backing
	 * gfn, allocated on first touch.  For a write to a page the host made
	 * read-only, the host first gives it a private copy.  *writable says
	 * whether the host page may be written.  Called without the MMU lock.
	 * 0, MMU_ENOSLOT or MMU_ENOMEM.
	 */
	int (*gfn_to_hpa)(void *opaque, uint64_t gfn, bool write, hpa_t *hpa, bool *writable);
	/* Flush every vCPU's TLB entries derived from this VM's MMU tables. */
	void (*flush_remote_tlbs)(void *opaque);
	/* Set gfn's bit in its memslot's dirty bitmap (the bitmap is the VM's, as in KVM). */
	void (*mark_dirty)(void *opaque, uint64_t gfn);
	/* Guest memory as the hypervisor reads it (for walking guest tables). */
	const struct guest_mem *mem;
};

enum mmu_dirty_mode {
	MMU_DIRTY_WRPROT,  /* write-protect SPTEs; the first write faults and is logged */
	MMU_DIRTY_DBIT,    /* clear D bits; get-log harvests them (PML-like) */
};

/* Fixed when the VM is created. */
struct mmu_config {
	enum spte_layout layout;   /* TDP tables: EPT or NPT */
	bool ept_ad;               /* EPT: the EPTP enables A/D bits */
	enum mmu_dirty_mode dirty_mode; /* MMU_DIRTY_DBIT needs A/D */
	bool eager_split;          /* split huge pages when dirty logging starts */
	uint8_t maxphyaddr;        /* the guest's: > 48 needs 5-level TDP tables */
	/*
	 * The width the TDP tables map, when it is not the guest's: an
	 * executor whose CPU walks them at a depth of its own (NPT has the
	 * host's paging depth) asks for that; 0 = maxphyaddr.  It sets the
	 * tables' depth (mmu_tdp_bits) and how high memslots may lie.
	 */
	uint8_t tdp_maxphyaddr;
	bool gbpages;              /* 1G TDP leaves allowed */
	bool trace;                /* record trace events */
};

/* The width the TDP tables map: > 48 bits needs 5 levels. */
static inline uint8_t mmu_tdp_bits(const struct mmu_config *cfg)
{
	return cfg->tdp_maxphyaddr ? cfg->tdp_maxphyaddr : cfg->maxphyaddr;
}

struct mmu_vm;
struct mmu_vcpu;

/* One root: a table the CPU can be pointed at. */
struct mmu_root {
	hpa_t hpa;                   /* MMU_INVALID_ROOT when unused */
	uint64_t pgd;                /* guest CR3 it shadows (shadow), 0 (TDP) */
	union mmu_page_role role;
};

/* An MMU: a builder of tables for one context of one vCPU. */
struct mmu {
	union mmu_page_role root_role;                  /* of the root it needs now */
	struct mmu_root root;                           /* the one in use */
	struct mmu_root prev_roots[MMU_NUM_PREV_ROOTS]; /* MRU first */
};

/* A cache line, for padding what vCPU threads write apart from what others read. */
#define MMU_CACHE_LINE 64

/*
 * Per vCPU.  Only the vCPU's own thread touches it while it runs.  The
 * pads keep another vCPU's counters (written on every fault) off the
 * lines of this one's read-mostly fields, wherever the heap puts the two.
 */
struct mmu_vcpu {
	char pad_head[MMU_CACHE_LINE];  /* nobody's: separates us from the previous allocation */
	struct mmu_vm *vm;              /* owner */
	uint32_t id;                    /* the vCPU's id */
	struct mmu root_mmu;            /* L1's tables */
	struct mmu guest_mmu;           /* L2's tables under nested TDP (later) */
	struct mmu *mmu;                /* the MMU whose root the CPU walks now */
	const struct walk_ctx *cpu_walk; /* walks the running guest's tables (owned by the vCPU) */
	struct mmu_cache frame_cache;   /* page-table frames */
	struct mmu_cache page_cache;    /* struct mmu_page headers */
	struct mmu_cache desc_cache;    /* struct rmap_desc */
	uint64_t stats[MMU_NR_STATS];   /* this vCPU's counters; written by its thread only */
	char pad_tail[MMU_CACHE_LINE];  /* nobody's: separates us from the next allocation */
};

/* Why a fault happened, as the hardware reports it (EPT qualification / NPF code). */
struct mmu_fault {
	uint64_t addr;            /* TDP: the faulting gpa */
	enum access_kind access;  /* read, write or fetch */
	bool present;             /* a translation existed but lacked the right */
	bool rsvd;                /* reserved bits / EPT misconfiguration: an MMIO SPTE */
	bool guest_table;         /* the access was to a guest paging-structure entry */
	/* filled by the MMU: */
	enum mmu_fault_outcome {
		MMU_FAULT_FIXED,      /* an SPTE was installed or fixed: re-execute */
		MMU_FAULT_SPURIOUS,   /* nothing to do (another vCPU fixed it): re-execute */
		MMU_FAULT_RETRY,      /* raced with an invalidation: re-execute */
		MMU_FAULT_MMIO,       /* no memslot: emulate the access on the device */
	} outcome;
	bool mmio_fast;           /* MMU_FAULT_MMIO came from a valid MMIO SPTE */
	int level;                /* MMU_FAULT_FIXED: level of the leaf installed */
};

struct mmu_page;

/* Visiting the tables, for the inspector and statistics. */
struct mmu_visitor {
	void *opaque;
	/* A root, its role and how many references hold it. */
	void (*root)(void *opaque, hpa_t root, union mmu_page_role role, uint32_t root_count);
	/* A present, non-frozen SPTE in the table `sp` (mmu_page.h) at index. */
	void (*spte)(void *opaque, const struct mmu_page *sp, unsigned index, uint64_t spte);
};

/*
 * What a backend implements.  Every op is required unless it says
 * "optional" (then common code treats NULL as "nothing to do").
 */
struct mmu_backend_ops {
	const char *name;         /* "tdp" */
	const char *description;  /* one line for --help */
	/* Set vm->backend.  0 or MMU_E*. */
	int (*vm_init)(struct mmu_vm *vm);
	/* Free everything (every root has been put). */
	void (*vm_destroy)(struct mmu_vm *vm);
	/* The role of the root `mmu` of this vCPU needs in its current state. */
	union mmu_page_role (*root_role)(const struct mmu_vcpu *v, const struct mmu *mmu);
	/* A root for (pgd, role): built, or an existing one with a reference taken. */
	int (*get_root)(struct mmu_vcpu *v, uint64_t pgd, union mmu_page_role role, hpa_t *root);
	/* Drop a reference from get_root; the backend frees the root at zero. */
	void (*put_root)(struct mmu_vm *vm, hpa_t root);
	/* Fix a fault (takes the MMU lock itself).  0 with f->outcome set, or MMU_E*. */
	int (*page_fault)(struct mmu_vcpu *v, struct mmu_fault *f);
	/* Optional: the guest flushed its TLB for gva, or all of it (CR3 load). */
	void (*sync)(struct mmu_vcpu *v, uint64_t gva, bool all);
	/* Write lock held.  Clear SPTEs mapping [start, end); true if a TLB flush is needed. */
	bool (*zap_gfn_range)(struct mmu_vm *vm, uint64_t start, uint64_t end);
	/* Write lock held.  Clear W on leaves mapping [start, end); true if flush needed. */
	bool (*wrprot_gfn_range)(struct mmu_vm *vm, uint64_t start, uint64_t end);
	/*
	 * Write lock held.  Clear D on leaves mapping [start, end) of `slot`,
	 * calling mmu_mark_page_dirty for each that had it; true if flush needed.
	 */
	bool (*clear_dirty_gfn_range)(struct mmu_vm *vm, struct mmu_memslot *slot,
				      uint64_t start, uint64_t end);
	/*
	 * Split huge leaves mapping [start, end) down to `target_level` (eager
	 * splitting).  Takes the lock itself and tops up outside it.  0 or MMU_E*.
	 */
	int (*split_huge_pages)(struct mmu_vm *vm, uint64_t start, uint64_t end, int target_level);
	/*
	 * Write lock held.  Count leaves mapping [start, end) that were accessed
	 * since the last aging, clearing that state unless test_only.
	 */
	uint64_t (*age_gfn_range)(struct mmu_vm *vm, uint64_t start, uint64_t end, bool test_only);
	/* Read lock held.  Every root, then every SPTE under it, depth first. */
	void (*visit)(struct mmu_vm *vm, const struct mmu_visitor *vis);
};

/* Per VM. */
struct mmu_vm {
	const struct mmu_backend_ops *ops; /* fixed */
	void *backend;                     /* the backend's private state */
	struct mmu_config cfg;             /* fixed */
	struct spte_format spte_fmt;       /* format of the TDP tables built; fixed */
	struct mmu_host host;              /* fixed */
	struct plat_rwlock *mmu_lock;
	struct mmu_memslot *slots[MMU_MAX_MEMSLOTS]; /* sorted by base_gfn; write lock */
	unsigned nr_slots;
	uint32_t memslot_gen;              /* bumped on every memslot change; MMIO SPTEs carry it */
	volatile uint64_t invalidate_seq;  /* bumped by every invalidation (faults retry on change) */
	volatile uint64_t invalidate_in_progress; /* > 0 between invalidate begin and end */
	/*
	 * Set under the write lock while dirty logging is re-armed: clearing D
	 * bits then must not log the pages again (their dirtiness was just
	 * collected or deliberately forgotten).
	 */
	bool rearming;
	struct mmu_vcpu *vcpus[MMU_MAX_VCPUS]; /* by id */
	uint64_t stats[MMU_NR_STATS];      /* VM-wide counters; atomic */
	struct mmu_trace *trace;           /* NULL unless cfg.trace */
};

/* ---- lifetime (mmu.c) ------------------------------------------------------------- */

/* 0 with *out, or MMU_EINVAL (a config the backend cannot do) / MMU_ENOMEM. */
int mmu_vm_create(const struct mmu_backend_ops *ops, const struct mmu_config *cfg,
		  const struct mmu_host *host, struct mmu_vm **out);
void mmu_vm_destroy(struct mmu_vm *vm);
int mmu_vcpu_create(struct mmu_vm *vm, uint32_t id, const struct walk_ctx *cpu_walk,
		    struct mmu_vcpu **out);

/* ---- roots and contexts (roots.c) ---------------------------------------------------- */

/*
 * Make sure the current MMU of the vCPU has a root for its current state
 * (KVM's kvm_mmu_load): reuse the current one, or a previous one (fast
 * switch), or get a new one from the backend.  0 or MMU_ENOMEM.
 */
int mmu_load(struct mmu_vcpu *v);
/* The root the CPU walks now (after mmu_load), or MMU_INVALID_ROOT. */
hpa_t mmu_current_root(const struct mmu_vcpu *v);
/* The guest changed CR0/CR4/EFER (the root role may change): reload. */
int mmu_reset_context(struct mmu_vcpu *v);
/*
 * The guest loaded CR3 (already in the vCPU's walk context, which is where
 * the new pgd is read from); `flush` false for a PCID no-flush load.
 */
int mmu_new_pgd(struct mmu_vcpu *v, bool flush);
/* The guest executed INVLPG gva. */
void mmu_invlpg(struct mmu_vcpu *v, uint64_t gva);
/* Put every root of every vCPU (before zapping all, or at teardown). */
void mmu_free_all_roots(struct mmu_vm *vm);

/* ---- faults (fault.c) --------------------------------------------------------------- */

/* Tops up the vCPU's caches, counts, and calls the backend.  0 or MMU_E*. */
int mmu_page_fault(struct mmu_vcpu *v, struct mmu_fault *f);
/* Fill the vCPU's caches for one fault, whatever it needs (outside the lock). */
int mmu_topup_caches(struct mmu_vcpu *v);

/* ---- memslots (memslot.c) ------------------------------------------------------------- */

int mmu_memslot_create(struct mmu_vm *vm, uint32_t id, uint64_t base_gfn, uint64_t npages,
		       uint32_t flags, int host_level);
/* Zap what maps it, flush, forget it.  0 or MMU_EINVAL (no such slot). */
int mmu_memslot_delete(struct mmu_vm *vm, uint32_t id);
/* Zap the old range, flush, move.  MMU_EOVERLAP if the new range overlaps another slot. */
int mmu_memslot_move(struct mmu_vm *vm, uint32_t id, uint64_t new_base_gfn);
/* Only MMU_SLOT_DIRTY_LOG may change (as in KVM); MMU_EINVAL otherwise. */
int mmu_memslot_set_flags(struct mmu_vm *vm, uint32_t id, uint32_t flags);
/* The slot holding gfn, or NULL.  Lock-free: memslots change only while no vCPU runs. */
struct mmu_memslot *mmu_find_memslot(const struct mmu_vm *vm, uint64_t gfn);
struct mmu_memslot *mmu_memslot_by_id(const struct mmu_vm *vm, uint32_t id);
/*
 * The largest level (1..3) a leaf mapping gfn may have: memslot coverage
 * and alignment, lpage_disallow, host backing, dirty logging, gbpages.
 */
int mmu_max_mapping_level(const struct mmu_vm *vm, const struct mmu_memslot *slot,
			  uint64_t gfn);

/* ---- host invalidation (notifier.c) ------------------------------------------------- */

/* The host is about to change the pages backing [start, end): zap and flush. */
void mmu_invalidate_begin(struct mmu_vm *vm, uint64_t start, uint64_t end);
void mmu_invalidate_end(struct mmu_vm *vm);
/* Aging (access tracking): young leaves in [start, end), cleared unless test_only. */
uint64_t mmu_age_gfn_range(struct mmu_vm *vm, uint64_t start, uint64_t end, bool test_only);
/* Zap every SPTE of the VM (roots stay, emptied) and flush. */
void mmu_zap_all(struct mmu_vm *vm);

/* ---- dirty logging (dirty.c) ----------------------------------------------------- */

/*
 * The dirty bitmap is the VM's (core/vm, as in KVM's generic memslots);
 * the MMU feeds it through host.mark_dirty and re-arms logging.  Logging
 * starts with mmu_memslot_set_flags(MMU_SLOT_DIRTY_LOG): every leaf of the
 * slot is write-protected (or its D bit cleared), huge pages are split
 * (eagerly with cfg.eager_split, else on the first write), and from then
 * on the slot is mapped with 4K pages.
 *
 * A get-dirty-log is: mmu_dirty_log_harvest (D-bit mode: move D bits into
 * the bitmap), the VM copies and clears its bitmap, then
 * mmu_dirty_log_rearm for exactly the pages it cleared.
 */
int mmu_dirty_log_harvest(struct mmu_vm *vm, uint32_t slot_id);
/* Re-protect pages first + i of the slot for every bit i set in mask[0..nbits). */
int mmu_dirty_log_rearm(struct mmu_vm *vm, uint32_t slot_id, uint64_t first,
			const uint64_t *mask, uint64_t nbits);
/* Backends call this when a write to a logged slot is let through. */
void mmu_mark_page_dirty(struct mmu_vm *vm, struct mmu_memslot *slot, uint64_t gfn);

/* ---- TLB, stats, trace (mmu.c) --------------------------------------------------- */

void mmu_flush_remote_tlbs(struct mmu_vm *vm);
/* VM-wide counter (atomic add). */
void mmu_vm_stat_add(struct mmu_vm *vm, enum mmu_stat s, uint64_t n);
/* This vCPU's counter (its thread only). */
static inline void mmu_vcpu_stat_add(struct mmu_vcpu *v, enum mmu_stat s, uint64_t n)
{
	mmu_stat_local_add(&v->stats[s], n);
}
/* Table pages: count an allocation at `level` / a free, and their bytes. */
void mmu_account_page(struct mmu_vm *vm, int level, bool alloc);
/* Other metadata bytes (rmap descriptors, bitmaps): + or -. */
void mmu_account_bytes(struct mmu_vm *vm, int64_t delta);
/* The sum over the VM and its vCPUs. */
void mmu_stats_read(const struct mmu_vm *vm, struct mmu_stats *out);

static inline void mmu_trace(struct mmu_vm *vm, enum mmu_trace_kind kind, uint32_t vcpu,
			     uint64_t gfn, int level, uint64_t old_spte, uint64_t new_spte)
{
	if (vm->trace)
		mmu_trace_emit(vm->trace, kind, vcpu, gfn, level, old_spte, new_spte);
}

#endif
