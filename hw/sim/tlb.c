/*
 * hw/sim/tlb.c — a per-vCPU TLB of combined translations (gva page -> host
 * page), fully associative, LRU.
 *
 * It is flushed only when the architecture says so (SDM 4.10.4): INVLPG,
 * MOV to CR3, the CR0/CR4 changes listed in access.c, and the MMU's remote
 * flushes.  So a backend that changes an SPTE and forgets to flush gets the
 * stale translation used, as on real hardware, and gives a wrong answer.
 *
 * Entries are tagged with the PCID they were filled under and with the TDP
 * root they came from; an entry whose root is not the one the vCPU walks
 * now is never used.  The mutex is per vCPU: lookups and fills come from
 * the vCPU's thread, flushes from any thread (the MMU's remote flushes).
 */
#include <string.h>

#include "core/errors.h"
#include "hw/sim/sim.h"

int sim_tlb_init(struct sim_tlb *tlb)
{
	memset(tlb, 0, sizeof(*tlb));
	return pthread_mutex_init(&tlb->lock, NULL) ? MMU_ENOMEM : 0;
}

void sim_tlb_destroy(struct sim_tlb *tlb)
{
	pthread_mutex_destroy(&tlb->lock);
}

/*
 * May a cached translation serve this access?  Its rights are judged with
 * today's registers; a write needs D already set in both dimensions, or
 * the walk must run to set it (SDM 4.8).
 */
bool sim_translation_allows(const struct x86_paging_regs *regs, const struct walk_access *acc,
			    const struct sim_translation *tr)
{
	unsigned need = acc->kind == ACCESS_WRITE ? SIM_TDP_W :
			acc->kind == ACCESS_FETCH ? SIM_TDP_X : SIM_TDP_R;

	if (sim_guest_perm_fault(regs, acc, &tr->guest))
		return false;
	if (!(tr->tdp_rights & need))
		return false;
	return acc->kind != ACCESS_WRITE || tr->dirty;
}

static bool entry_covers(const struct sim_tlb_entry *e, uint64_t gva)
{
	return e->valid && (gva & ~(e->tr.size - 1)) == e->tr.va;
}

bool sim_tlb_lookup(struct sim_tlb *tlb, uint64_t gva, uint16_t pcid, hpa_t root,
		    struct sim_translation *tr, uint64_t *gen)
{
	bool found = false;
	unsigned i;

	pthread_mutex_lock(&tlb->lock);
	*gen = tlb->flush_gen;
	for (i = 0; i < SIM_TLB_ENTRIES; i++) {
		struct sim_tlb_entry *e = &tlb->e[i];

		if (!entry_covers(e, gva) || e->root != root ||
		    (!e->tr.global && e->pcid != pcid))
			continue;
		e->last_use = ++tlb->clock;
		*tr = e->tr;
		found = true;
		break;
	}
	pthread_mutex_unlock(&tlb->lock);
	return found;
}

void sim_tlb_count(struct sim_tlb *tlb, bool hit)
{
	pthread_mutex_lock(&tlb->lock);
	if (hit)
		tlb->hits++;
	else
		tlb->misses++;
	pthread_mutex_unlock(&tlb->lock);
}

/* Do two entries' ranges overlap? */
static bool ranges_overlap(const struct sim_translation *a, const struct sim_translation *b)
{
	return a->va <= b->va + (b->size - 1) && b->va <= a->va + (a->size - 1);
}

void sim_tlb_fill(struct sim_tlb *tlb, const struct sim_translation *tr, uint16_t pcid,
		  hpa_t root, uint64_t gen)
{
	struct sim_tlb_entry *victim = NULL;
	unsigned i;

	pthread_mutex_lock(&tlb->lock);
	/*
	 * A flush since the walk began may have been for an entry this walk
	 * read: caching it now would outlive the flush (a shootdown the CPU
	 * acknowledged before the fill).
	 */
	if (gen != tlb->flush_gen) {
		pthread_mutex_unlock(&tlb->lock);
		return;
	}
	for (i = 0; i < SIM_TLB_ENTRIES; i++) {
		struct sim_tlb_entry *e = &tlb->e[i];

		/* One entry per address and tag: the new one replaces any overlap. */
		if (e->valid && e->root == root && e->pcid == pcid && ranges_overlap(&e->tr, tr))
			e->valid = false;
		if (!e->valid && !victim)
			victim = e;
	}
	if (!victim) {
		victim = &tlb->e[0];
		for (i = 1; i < SIM_TLB_ENTRIES; i++)
			if (tlb->e[i].last_use < victim->last_use)
				victim = &tlb->e[i];
	}
	*victim = (struct sim_tlb_entry){
		.valid = true, .tr = *tr, .pcid = pcid, .root = root, .last_use = ++tlb->clock,
	};
	pthread_mutex_unlock(&tlb->lock);
}

/* Drop the entries `drop` selects, as one counted flush. */
static void tlb_flush_if(struct sim_tlb *tlb, bool (*drop)(const struct sim_tlb_entry *,
							   uint64_t), uint64_t arg)
{
	unsigned i;

	pthread_mutex_lock(&tlb->lock);
	for (i = 0; i < SIM_TLB_ENTRIES; i++)
		if (tlb->e[i].valid && drop(&tlb->e[i], arg))
			tlb->e[i].valid = false;
	tlb->flush_gen++;
	tlb->flushes++;
	pthread_mutex_unlock(&tlb->lock);
}

static bool drop_all(const struct sim_tlb_entry *e, uint64_t arg)
{
	(void)e;
	(void)arg;
	return true;
}

static bool drop_pcid(const struct sim_tlb_entry *e, uint64_t pcid)
{
	return !e->tr.global && e->pcid == pcid;
}

static bool drop_gva(const struct sim_tlb_entry *e, uint64_t gva)
{
	uint64_t mask = ~(e->tr.guest_size - 1);

	return (gva & mask) == (e->tr.va & mask);
}

void sim_tlb_flush_all(struct sim_tlb *tlb)
{
	tlb_flush_if(tlb, drop_all, 0);
}

void sim_tlb_flush_pcid(struct sim_tlb *tlb, uint16_t pcid)
{
	tlb_flush_if(tlb, drop_pcid, pcid);
}

void sim_tlb_flush_gva(struct sim_tlb *tlb, uint64_t gva)
{
	tlb_flush_if(tlb, drop_gva, gva);
}
