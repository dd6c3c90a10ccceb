/*
 * core/mmu/trace.h — MMU trace events in a ring buffer (KVM's kvmmmu
 * tracepoints), read by `mmulab run --mmu-trace` (and the inspector, later).
 *
 * Writers claim a slot with one atomic add and fill it; a reader copies
 * events by sequence number and skips slots being overwritten.  Off by
 * default, since the shared counter would bounce between vCPU threads.
 */
#ifndef MMULAB_CORE_MMU_TRACE_H
#define MMULAB_CORE_MMU_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#define MMU_TRACE_RING 4096  /* events kept; a power of two */

enum mmu_trace_kind {
	TRACE_FAULT,       /* a fault reached the MMU: gfn, level = outcome */
	TRACE_SPTE_SET,    /* an SPTE changed: old -> new at level */
	TRACE_ZAP,         /* a range zap: gfn = start, new_spte = end */
	TRACE_FLUSH,       /* a remote TLB flush */
	TRACE_ROOT_ALLOC,  /* a root built: new_spte = its hpa, old_spte = role word */
	TRACE_ROOT_FREE,   /* a root freed */
	TRACE_SPLIT,       /* a huge page split: gfn, level of the huge page */
	TRACE_MMIO,        /* an MMIO SPTE made or hit: gfn, new_spte */
	TRACE_MEMSLOT,     /* a memslot changed: gfn = base, new_spte = npages */
	TRACE_NR_KINDS
};

struct mmu_trace_event {
	uint64_t seq;       /* 1, 2, ...; 0 = slot never written */
	uint16_t kind;      /* enum mmu_trace_kind */
	uint8_t level;
	uint32_t vcpu;      /* faulting vCPU, or UINT32_MAX for VM-wide events */
	uint64_t gfn;
	uint64_t old_spte;
	uint64_t new_spte;
};

struct mmu_trace {
	bool enabled;                 /* set before vCPUs run */
	volatile uint64_t next_seq;   /* last sequence number claimed; atomic */
	struct mmu_trace_event ring[MMU_TRACE_RING];
};

const char *mmu_trace_kind_name(enum mmu_trace_kind kind);

void mmu_trace_emit(struct mmu_trace *t, enum mmu_trace_kind kind, uint32_t vcpu,
		    uint64_t gfn, int level, uint64_t old_spte, uint64_t new_spte);

/*
 * Copy up to `max` events with seq > after, oldest first; returns how many.
 * Events overwritten before they were read are skipped (the gap shows in seq).
 */
unsigned mmu_trace_read(const struct mmu_trace *t, uint64_t after,
			struct mmu_trace_event *out, unsigned max);

#endif
