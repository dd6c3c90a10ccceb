/*
 * backends/tdp/roots.c — TDP roots: one per role, shared by every vCPU
 * whose root role is equal, counted, freed with their tree at the last
 * reference (KVM's kvm_tdp_mmu_get_vcpu_root_hpa / kvm_tdp_mmu_put_root).
 *
 * All TDP roots of a VM normally have the same role, so a VM usually has
 * one root however many vCPUs it has: a page a vCPU faults in is mapped
 * for all of them.
 */
#include "backends/tdp/tdp.h"
#include "core/errors.h"
#include "core/x86/bits.h"

union mmu_page_role tdp_root_role(const struct mmu_vcpu *v, const struct mmu *mmu)
{
	const struct spte_format *f = &v->vm->spte_fmt;
	union mmu_page_role role = { .word = 0 };

	(void)mmu; /* no nested TDP here: L2 contexts belong to the nested backend */
	role.level = f->root_level;
	role.direct = 1;
	role.access = ACC_ALL;
	/* The guest's CR0.WP and EFER.NX do not matter to EPT/NPT tables (KVM sets both). */
	role.cr0_wp = 1;
	role.efer_nx = 1;
	role.ad_disabled = !f->ad_enabled;
	return role;
}

/* roots_lock held: a live root with this role, or NULL. */
static struct mmu_page *find_root(struct tdp_vm *tdp, union mmu_page_role role)
{
	struct list_node *pos;

	list_for_each(pos, &tdp->roots) {
		struct mmu_page *sp = list_entry(pos, struct mmu_page, link);

		if (sp->role.word == role.word && !sp->role.invalid)
			return sp;
	}
	return NULL;
}

int tdp_get_root(struct mmu_vcpu *v, uint64_t pgd, union mmu_page_role role, hpa_t *root)
{
	struct mmu_vm *vm = v->vm;
	struct tdp_vm *tdp = tdp_of(vm);
	struct mmu_page *sp;

	(void)pgd; /* direct roots shadow no guest table */
	if (!role.direct || role.level != vm->spte_fmt.root_level)
		return MMU_EINVAL;
	plat_lock(tdp->roots_lock);
	sp = find_root(tdp, role);
	if (sp) {
		/* Under roots_lock, so never from 0: a root at 0 is off the list. */
		sp->root_count++;
		plat_unlock(tdp->roots_lock);
		mmu_vcpu_stat_add(v, MMU_STAT_ROOTS_REUSED, 1);
		*root = sp->hpa;
		return 0;
	}
	/* The vCPU's caches were topped up by mmu_load: this cannot fail. */
	sp = tdp_page_alloc(&v->frame_cache, &v->page_cache, role, 0, NULL);
	sp->root_count = 1;
	list_add(&sp->link, &tdp->roots);
	plat_unlock(tdp->roots_lock);
	mmu_account_page(vm, role.level, true);
	mmu_vcpu_stat_add(v, MMU_STAT_ROOTS_ALLOC, 1);
	mmu_trace(vm, TRACE_ROOT_ALLOC, v->id, 0, role.level, role.word, sp->hpa);
	*root = sp->hpa;
	return 0;
}

void tdp_put_root(struct mmu_vm *vm, hpa_t root)
{
	struct tdp_vm *tdp = tdp_of(vm);
	struct mmu_page *sp = mmu_page_of(root);
	struct tdp_zap_counts c = { { 0 }, 0 };
	bool dead, flush;
	int level;

	MMU_ASSERT(sp && sp->parent_sptep == NULL, "put_root of 0x%llx, not a TDP root",
		   (unsigned long long)root);
	plat_lock(tdp->roots_lock);
	MMU_ASSERT(sp->root_count > 0, "root 0x%llx (role 0x%08x) put with no reference",
		   (unsigned long long)root, sp->role.word);
	dead = --sp->root_count == 0;
	/* Off the list at once, so get_root never hands out a dying root. */
	if (dead)
		list_del(&sp->link);
	plat_unlock(tdp->roots_lock);
	if (!dead)
		return;
	plat_write_lock(vm->mmu_lock);
	flush = tdp_zap_root_range(vm, sp, 0, UINT64_MAX, &c);
	tdp_zap_counts_commit(vm, &c);
	/*
	 * No vCPU uses the root any more, but a TLB tagged by something other
	 * than the root may still hold its translations, and its frames are
	 * about to be reused: flush if it mapped anything.
	 */
	if (flush)
		mmu_flush_remote_tlbs(vm);
	level = sp->role.level;
	tdp_page_free(vm, sp);
	plat_write_unlock(vm->mmu_lock);
	mmu_trace(vm, TRACE_ROOT_FREE, UINT32_MAX, 0, level, 0, root);
}
