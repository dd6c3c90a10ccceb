/*
 * core/mmu/fault.c — the fault entry point every executor calls on an
 * exit (EPT violation, #NPF, an intercepted #PF).
 *
 * Common work first, outside the MMU lock: count the fault and fill the
 * vCPU's memory caches, so the backend never allocates while it holds the
 * lock.  Then the backend fixes the fault and says what the CPU should do.
 */
#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/x86/rmap.h"

/*
 * One fault may need a table at every level below the root (5), and for
 * shadow paging an rmap entry per new SPTE plus a parent entry per level.
 */
#define TOPUP_TABLES (PT_MAX_LEVEL + 1)
#define TOPUP_DESCS (1 + PT_MAX_LEVEL + 8)

int mmu_topup_caches(struct mmu_vcpu *v)
{
	int ret = mmu_cache_topup(&v->frame_cache, TOPUP_TABLES);

	if (!ret)
		ret = mmu_cache_topup(&v->page_cache, TOPUP_TABLES);
	if (!ret)
		ret = mmu_cache_topup(&v->desc_cache, TOPUP_DESCS);
	return ret;
}

int mmu_page_fault(struct mmu_vcpu *v, struct mmu_fault *f)
{
	int ret;

	mmu_vcpu_stat_add(v, MMU_STAT_PF_TAKEN, 1);
	ret = mmu_topup_caches(v);
	if (ret)
		return ret;
	ret = v->vm->ops->page_fault(v, f);
	if (!ret)
		mmu_trace(v->vm, TRACE_FAULT, v->id, f->addr >> 12, f->outcome, 0, 0);
	return ret;
}
