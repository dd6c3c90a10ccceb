/*
 * core/mmu/mmu.c — the MMU's lifetime, remote TLB flushes and accounting.
 */
#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/mmu/mmu_internal.h"
#include "core/x86/mmu_page.h"
#include "core/x86/rmap.h"

/* Guest physical addresses above 48 bits need a fifth TDP level (KVM's tdp_root_level). */
#define TDP_4LEVEL_MAX_PHYS_BITS 48

int mmu_vm_create(const struct mmu_backend_ops *ops, const struct mmu_config *cfg,
		  const struct mmu_host *host, struct mmu_vm **out)
{
	bool ad = cfg->layout == SPTE_LAYOUT_NPT || cfg->ept_ad;
	struct mmu_vm *vm;
	int ret;

	/* PML-style logging reads D bits: EPT without A/D has none. */
	if (cfg->dirty_mode == MMU_DIRTY_DBIT && !ad)
		return MMU_EINVAL;
	vm = plat_zalloc(sizeof(*vm));
	if (!vm)
		return MMU_ENOMEM;
	vm->ops = ops;
	vm->cfg = *cfg;
	vm->host = *host;
	spte_format_init(&vm->spte_fmt, cfg->layout, ad,
			 mmu_tdp_bits(cfg) > TDP_4LEVEL_MAX_PHYS_BITS ? 5 : 4,
			 plat_host_phys_bits());
	vm->mmu_lock = plat_rwlock_new();
	if (cfg->trace)
		vm->trace = plat_zalloc(sizeof(*vm->trace));
	if (!vm->mmu_lock || (cfg->trace && !vm->trace)) {
		ret = MMU_ENOMEM;
		goto fail;
	}
	if (vm->trace)
		vm->trace->enabled = true;
	ret = ops->vm_init(vm);
	if (ret)
		goto fail;
	*out = vm;
	return 0;
fail:
	plat_rwlock_free(vm->mmu_lock);
	plat_free(vm->trace);
	plat_free(vm);
	return ret;
}

static void mmu_vcpu_free(struct mmu_vcpu *v)
{
	mmu_cache_free(&v->frame_cache);
	mmu_cache_free(&v->page_cache);
	mmu_cache_free(&v->desc_cache);
	plat_free(v);
}

void mmu_vm_destroy(struct mmu_vm *vm)
{
	unsigned i;

	if (!vm)
		return;
	mmu_free_all_roots(vm);
	vm->ops->vm_destroy(vm);
	for (i = 0; i < MMU_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			mmu_vcpu_free(vm->vcpus[i]);
	for (i = 0; i < vm->nr_slots; i++)
		mmu_memslot_free(vm->slots[i]);
	plat_rwlock_free(vm->mmu_lock);
	plat_free(vm->trace);
	plat_free(vm);
}

static void mmu_init_roots(struct mmu *mmu)
{
	unsigned i;

	mmu->root.hpa = MMU_INVALID_ROOT;
	for (i = 0; i < MMU_NUM_PREV_ROOTS; i++)
		mmu->prev_roots[i].hpa = MMU_INVALID_ROOT;
}

int mmu_vcpu_create(struct mmu_vm *vm, uint32_t id, const struct walk_ctx *cpu_walk,
		    struct mmu_vcpu **out)
{
	struct mmu_vcpu *v;

	if (id >= MMU_MAX_VCPUS || vm->vcpus[id])
		return MMU_ENOVCPU;
	v = plat_zalloc(sizeof(*v));
	if (!v)
		return MMU_ENOMEM;
	v->vm = vm;
	v->id = id;
	v->cpu_walk = cpu_walk;
	mmu_init_roots(&v->root_mmu);
	mmu_init_roots(&v->guest_mmu);
	v->mmu = &v->root_mmu;
	mmu_cache_init(&v->frame_cache, MMU_CACHE_FRAMES, 0);
	mmu_cache_init(&v->page_cache, MMU_CACHE_OBJECTS, sizeof(struct mmu_page));
	mmu_cache_init(&v->desc_cache, MMU_CACHE_OBJECTS, sizeof(struct rmap_desc));
	vm->vcpus[id] = v;
	*out = v;
	return 0;
}

void mmu_flush_remote_tlbs(struct mmu_vm *vm)
{
	mmu_vm_stat_add(vm, MMU_STAT_TLB_FLUSHES, 1);
	mmu_trace(vm, TRACE_FLUSH, UINT32_MAX, 0, 0, 0, 0);
	if (vm->host.flush_remote_tlbs)
		vm->host.flush_remote_tlbs(vm->host.opaque);
}

void mmu_vm_stat_add(struct mmu_vm *vm, enum mmu_stat s, uint64_t n)
{
	plat_atomic_add64(&vm->stats[s], n);
}

void mmu_account_bytes(struct mmu_vm *vm, int64_t delta)
{
	uint64_t live = plat_atomic_add64(&vm->stats[MMU_STAT_MEM_LIVE], (uint64_t)delta);
	uint64_t peak = plat_atomic_read64(&vm->stats[MMU_STAT_MEM_PEAK]);

	/* Raise the high-water mark; a racing raiser may win, then we retry. */
	while (live > peak) {
		uint64_t seen = plat_cmpxchg64(&vm->stats[MMU_STAT_MEM_PEAK], peak, live);

		if (seen == peak)
			break;
		peak = seen;
	}
}

void mmu_account_page(struct mmu_vm *vm, int level, bool alloc)
{
	MMU_ASSERT(level >= 1 && level <= PT_MAX_LEVEL, "table page at level %d", level);
	if (alloc) {
		mmu_vm_stat_add(vm, MMU_STAT_PAGES_ALLOC_L1 + (level - 1), 1);
		mmu_account_bytes(vm, (int64_t)MMU_PAGE_BYTES);
	} else {
		mmu_vm_stat_add(vm, MMU_STAT_PAGES_FREED, 1);
		mmu_account_bytes(vm, -(int64_t)MMU_PAGE_BYTES);
	}
}

void mmu_stats_read(const struct mmu_vm *vm, struct mmu_stats *out)
{
	unsigned i, s;

	for (s = 0; s < MMU_NR_STATS; s++)
		out->v[s] = plat_atomic_read64(&vm->stats[s]);
	for (i = 0; i < MMU_MAX_VCPUS; i++) {
		const struct mmu_vcpu *v = vm->vcpus[i];

		if (!v)
			continue;
		for (s = 0; s < MMU_NR_STATS; s++)
			out->v[s] += __atomic_load_n(&v->stats[s], __ATOMIC_RELAXED);
	}
}
