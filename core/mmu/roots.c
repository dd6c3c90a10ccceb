/*
 * core/mmu/roots.c — roots and contexts: which table a vCPU's CPU walks,
 * and the previous-roots cache that makes switching back cheap.
 *
 * A root is identified by (pgd, role): the guest CR3 it shadows (0 for a
 * direct/TDP root) and the role of the table.  On every load the current
 * root is kept if it still matches; otherwise the previous roots are
 * searched (most recently used first) before the backend builds or finds a
 * new one — KVM's fast_pgd_switch, whose LRU cache made a shadow-paging
 * guest's CR3 switches between a few address spaces free of rebuilds.
 */
#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/x86/bits.h"

static bool root_matches(const struct mmu_root *r, uint64_t pgd, union mmu_page_role role)
{
	return r->hpa != MMU_INVALID_ROOT && r->pgd == pgd && r->role.word == role.word;
}

/* The guest-table root this context shadows: CR3's address bits, 0 for direct roots. */
static uint64_t context_pgd(const struct mmu_vcpu *v, union mmu_page_role role)
{
	if (role.direct || !v->cpu_walk)
		return 0;
	return v->cpu_walk->regs.cr3 & PT64_ADDR_MASK;
}

/*
 * Make prev_roots[i] current and the current one prev_roots[0], shifting
 * the entries in between down: the cache stays in MRU order.
 */
static void swap_with_prev(struct mmu *mmu, unsigned i)
{
	struct mmu_root hit = mmu->prev_roots[i];

	for (; i > 0; i--)
		mmu->prev_roots[i] = mmu->prev_roots[i - 1];
	mmu->prev_roots[0] = mmu->root;
	mmu->root = hit;
}

/* Push the current root into the cache, dropping (putting) the LRU entry. */
static void retire_current(struct mmu_vm *vm, struct mmu *mmu)
{
	struct mmu_root *lru = &mmu->prev_roots[MMU_NUM_PREV_ROOTS - 1];
	unsigned i;

	if (lru->hpa != MMU_INVALID_ROOT)
		vm->ops->put_root(vm, lru->hpa);
	for (i = MMU_NUM_PREV_ROOTS - 1; i > 0; i--)
		mmu->prev_roots[i] = mmu->prev_roots[i - 1];
	mmu->prev_roots[0] = mmu->root;
	mmu->root.hpa = MMU_INVALID_ROOT;
}

int mmu_load(struct mmu_vcpu *v)
{
	struct mmu_vm *vm = v->vm;
	struct mmu *mmu = v->mmu;
	union mmu_page_role role = vm->ops->root_role(v, mmu);
	uint64_t pgd = context_pgd(v, role);
	struct mmu_root fresh = { .pgd = pgd, .role = role };
	unsigned i;
	int ret;

	mmu->root_role = role;
	if (root_matches(&mmu->root, pgd, role))
		return 0;
	for (i = 0; i < MMU_NUM_PREV_ROOTS; i++) {
		if (root_matches(&mmu->prev_roots[i], pgd, role)) {
			swap_with_prev(mmu, i);
			mmu_vcpu_stat_add(v, MMU_STAT_ROOTS_REUSED, 1);
			return 0;
		}
	}
	ret = mmu_topup_caches(v);
	if (ret)
		return ret;
	ret = vm->ops->get_root(v, pgd, role, &fresh.hpa);
	if (ret)
		return ret;
	if (mmu->root.hpa != MMU_INVALID_ROOT)
		retire_current(vm, mmu);
	mmu->root = fresh;
	return 0;
}

hpa_t mmu_current_root(const struct mmu_vcpu *v)
{
	return v->mmu->root.hpa;
}

int mmu_reset_context(struct mmu_vcpu *v)
{
	return mmu_load(v);
}

int mmu_new_pgd(struct mmu_vcpu *v, bool flush)
{
	int ret = mmu_load(v);

	if (!ret && flush && v->vm->ops->sync)
		v->vm->ops->sync(v, 0, true);
	return ret;
}

void mmu_invlpg(struct mmu_vcpu *v, uint64_t gva)
{
	if (v->vm->ops->sync)
		v->vm->ops->sync(v, gva, false);
}

static void put_mmu_roots(struct mmu_vm *vm, struct mmu *mmu)
{
	unsigned i;

	if (mmu->root.hpa != MMU_INVALID_ROOT)
		vm->ops->put_root(vm, mmu->root.hpa);
	mmu->root.hpa = MMU_INVALID_ROOT;
	for (i = 0; i < MMU_NUM_PREV_ROOTS; i++) {
		if (mmu->prev_roots[i].hpa != MMU_INVALID_ROOT)
			vm->ops->put_root(vm, mmu->prev_roots[i].hpa);
		mmu->prev_roots[i].hpa = MMU_INVALID_ROOT;
	}
}

void mmu_free_all_roots(struct mmu_vm *vm)
{
	unsigned i;

	for (i = 0; i < MMU_MAX_VCPUS; i++) {
		struct mmu_vcpu *v = vm->vcpus[i];

		if (!v)
			continue;
		put_mmu_roots(vm, &v->root_mmu);
		put_mmu_roots(vm, &v->guest_mmu);
	}
}
