/*
 * core/mmu/trace.c — the MMU trace ring.
 *
 * Writers: one atomic add on next_seq claims sequence number s and slot
 * (s - 1) % MMU_TRACE_RING; the writer marks the slot busy (seq 0), fills
 * it and stores seq = s last, with release order.  Readers: a seqlock-style
 * check — read seq (acquire), copy the fields, re-read seq; the copy is
 * kept only if both reads gave the sequence number expected for that slot.
 * Every field is accessed with __atomic builtins, so there is no data race
 * in the C11 sense and ThreadSanitizer stays quiet.
 *
 * What this does not guarantee, honestly: an event still being written
 * when a reader passes its slot is skipped for that reader (a later read
 * with `after` beyond it never sees it); and if writers lap the ring while
 * one writer is slow (MMU_TRACE_RING events emitted during one fill), two
 * writers may fill one slot at once and a reader may accept a mixed event.
 * Both are acceptable for a teaching and inspection tool; neither can
 * corrupt memory or hang a vCPU.
 */
#include "core/mmu/trace.h"

#include "core/platform.h"

_Static_assert((MMU_TRACE_RING & (MMU_TRACE_RING - 1)) == 0, "the ring is a power of two");

static const char *const mmu_trace_kind_names[TRACE_NR_KINDS] = {
	[TRACE_FAULT] = "fault",
	[TRACE_SPTE_SET] = "spte_set",
	[TRACE_ZAP] = "zap",
	[TRACE_FLUSH] = "flush",
	[TRACE_ROOT_ALLOC] = "root_alloc",
	[TRACE_ROOT_FREE] = "root_free",
	[TRACE_SPLIT] = "split",
	[TRACE_MMIO] = "mmio",
	[TRACE_MEMSLOT] = "memslot",
};

const char *mmu_trace_kind_name(enum mmu_trace_kind kind)
{
	return (unsigned)kind < TRACE_NR_KINDS ? mmu_trace_kind_names[kind] : "?";
}

static struct mmu_trace_event *trace_slot(struct mmu_trace *t, uint64_t seq)
{
	return &t->ring[(seq - 1) & (MMU_TRACE_RING - 1)];
}

void mmu_trace_emit(struct mmu_trace *t, enum mmu_trace_kind kind, uint32_t vcpu,
		    uint64_t gfn, int level, uint64_t old_spte, uint64_t new_spte)
{
	struct mmu_trace_event *e;
	uint64_t seq;

	if (!t || !t->enabled)
		return;
	seq = plat_atomic_add64(&t->next_seq, 1);
	e = trace_slot(t, seq);
	/*
	 * Busy: a reader that sees 0 (or a changed seq) drops its copy.  Each
	 * field store is a release, so the busy mark is visible before any
	 * field changes (a release fence would do, but ThreadSanitizer does
	 * not model fences; on x86 both are plain stores).
	 */
	__atomic_store_n(&e->seq, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&e->kind, (uint16_t)kind, __ATOMIC_RELEASE);
	__atomic_store_n(&e->level, (uint8_t)level, __ATOMIC_RELEASE);
	__atomic_store_n(&e->vcpu, vcpu, __ATOMIC_RELEASE);
	__atomic_store_n(&e->gfn, gfn, __ATOMIC_RELEASE);
	__atomic_store_n(&e->old_spte, old_spte, __ATOMIC_RELEASE);
	__atomic_store_n(&e->new_spte, new_spte, __ATOMIC_RELEASE);
	__atomic_store_n(&e->seq, seq, __ATOMIC_RELEASE);
}

/* Copy the event numbered `seq` into *out; false if it is not (or no longer) there. */
static bool trace_copy(const struct mmu_trace *t, uint64_t seq, struct mmu_trace_event *out)
{
	const struct mmu_trace_event *e = &t->ring[(seq - 1) & (MMU_TRACE_RING - 1)];

	if (__atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) != seq)
		return false;
	/*
	 * Acquire loads: the re-check of seq below cannot move before them
	 * (the seqlock read side, without a fence for the same reason).
	 */
	out->kind = __atomic_load_n(&e->kind, __ATOMIC_ACQUIRE);
	out->level = __atomic_load_n(&e->level, __ATOMIC_ACQUIRE);
	out->vcpu = __atomic_load_n(&e->vcpu, __ATOMIC_ACQUIRE);
	out->gfn = __atomic_load_n(&e->gfn, __ATOMIC_ACQUIRE);
	out->old_spte = __atomic_load_n(&e->old_spte, __ATOMIC_ACQUIRE);
	out->new_spte = __atomic_load_n(&e->new_spte, __ATOMIC_ACQUIRE);
	if (__atomic_load_n(&e->seq, __ATOMIC_RELAXED) != seq)
		return false;
	out->seq = seq;
	return true;
}

unsigned mmu_trace_read(const struct mmu_trace *t, uint64_t after,
			struct mmu_trace_event *out, unsigned max)
{
	uint64_t last = __atomic_load_n(&t->next_seq, __ATOMIC_ACQUIRE);
	uint64_t seq;
	unsigned n = 0;

	/* Only the last MMU_TRACE_RING sequence numbers can still be in the ring. */
	seq = after + 1;
	if (last > MMU_TRACE_RING && seq < last - MMU_TRACE_RING + 1)
		seq = last - MMU_TRACE_RING + 1;
	for (; seq <= last && n < max; seq++)
		if (trace_copy(t, seq, &out[n]))
			n++;
	return n;
}
