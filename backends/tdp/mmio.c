/*
 * backends/tdp/mmio.c — MMIO SPTEs: "this gfn is in no memslot", cached in
 * the table so the next access exits straight to emulation (KVM's
 * handle_mmio_page_fault and the MMIO branch of make_spte).
 *
 * The hardware cannot be told "exit, this is MMIO"; it is given an SPTE
 * it rejects in a way distinguishable from "not present": EPT W+X without
 * R (an EPT misconfiguration), NPT a reserved address bit (#NPF with
 * RSVD).  The SPTE carries the memslot generation it was made in; any
 * memslot change bumps vm->memslot_gen, so an MMIO SPTE from before the
 * change no longer answers (the gfn may be memory now) without anybody
 * having to find and zap it.
 */
#include "backends/tdp/iter.h"
#include "backends/tdp/tdp.h"
#include "core/x86/bits.h"

/* An SPTE on the path that the hardware rejected and that is no MMIO SPTE: our bug. */
static void assert_no_rsvd(const struct mmu_vm *vm, const struct tdp_iter *it)
{
	const struct spte_format *f = &vm->spte_fmt;
	uint64_t rsvd = spte_rsvd_bits(f, it->old_spte, it->level);
	uint32_t role = tdp_iter_sp(it)->role.word;
	char spte_text[160], role_text[160];

	if (!rsvd)
		return;
	spte_describe(f, it->old_spte, it->level, spte_text, sizeof(spte_text));
	role_describe(tdp_iter_sp(it)->role, role_text, sizeof(role_text));
	MMU_ASSERT(false, "reserved-bit fault on gfn 0x%llx hit SPTE 0x%016llx (%s) at level %d "
		   "with reserved bits 0x%llx, role 0x%08x (%s): no MMIO SPTE",
		   (unsigned long long)it->gfn, (unsigned long long)it->old_spte, spte_text,
		   it->level, (unsigned long long)rsvd, role, role_text);
}

bool tdp_mmio_fault(struct mmu_vcpu *v, struct mmu_fault *f, uint64_t gfn)
{
	struct mmu_vm *vm = v->vm;
	struct tdp_iter it;
	uint64_t last = 0;
	bool fast = false;

	/* Under the read lock: a zap may not free a table while this walks it. */
	plat_read_lock(vm->mmu_lock);
	for_each_tdp_spte(&it, vm, tdp_vcpu_root(v), MMU_LEVEL_4K, gfn, gfn + 1) {
		if (spte_is_mmu_present(it.old_spte))
			assert_no_rsvd(vm, &it);
		last = it.old_spte;
	}
	if (spte_is_mmio(&vm->spte_fmt, last)) {
		fast = spte_mmio_gen(&vm->spte_fmt, last) == vm->memslot_gen;
		mmu_vcpu_stat_add(v, fast ? MMU_STAT_PF_MMIO_FAST : MMU_STAT_PF_MMIO_STALE, 1);
	}
	plat_read_unlock(vm->mmu_lock);
	/*
	 * Not an MMIO SPTE of this generation: a stale one, or another vCPU
	 * replaced it already.  The normal fault path sorts it out.
	 */
	if (!fast)
		return false;
	mmu_trace(vm, TRACE_MMIO, v->id, gfn, MMU_LEVEL_4K, 0, last);
	f->outcome = MMU_FAULT_MMIO;
	f->mmio_fast = true;
	return true;
}

/* Read lock held: walk to level 1, linking tables, and install `mmio` there. */
static void install_mmio(struct mmu_vcpu *v, uint64_t gfn, uint64_t mmio)
{
	struct mmu_vm *vm = v->vm;
	const struct spte_format *f = &vm->spte_fmt;
	struct tdp_iter it;

	for_each_tdp_spte(&it, vm, tdp_vcpu_root(v), MMU_LEVEL_4K, gfn, gfn + 1) {
retry:
		/* Frozen, or a leaf for a gfn that has no slot: leave it, just emulate. */
		if (spte_is_frozen(it.old_spte) || tdp_iter_is_leaf(&it))
			return;
		if (tdp_iter_is_table(&it))
			continue;
		if (it.level > MMU_LEVEL_4K) {
			if (!tdp_link_table(v, &it))
				goto retry;
			continue;
		}
		if (it.old_spte == mmio)
			return; /* another vCPU cached it first */
		if (!tdp_iter_set(&it, mmio))
			goto retry;
		SPTE_ASSERT_VALID(f, mmio, it.level, tdp_iter_sp(&it)->role.word);
		mmu_vcpu_stat_add(v, MMU_STAT_PF_MMIO_SPTE_CREATED, 1);
		mmu_vcpu_stat_add(v, MMU_STAT_SPTES_WRITTEN, 1);
		mmu_trace(vm, TRACE_MMIO, v->id, gfn, MMU_LEVEL_4K, 0, mmio);
		return;
	}
}

void tdp_map_mmio(struct mmu_vcpu *v, struct mmu_fault *f, uint64_t gfn)
{
	struct mmu_vm *vm = v->vm;
	const struct spte_format *fmt = &vm->spte_fmt;

	mmu_vcpu_stat_add(v, MMU_STAT_PF_MMIO, 1);
	f->outcome = MMU_FAULT_MMIO;
	/*
	 * No MMIO marker in this format (NPT on a host with 52 address bits),
	 * or a gfn that would overlap the marker bit: emulate without caching.
	 */
	if (!fmt->mmio_mask || ((gfn << PAGE_SHIFT) & fmt->mmio_mask))
		return;
	plat_read_lock(vm->mmu_lock);
	/* memslot_gen changes only under the write lock: this is the current one. */
	install_mmio(v, gfn, spte_make_mmio(fmt, gfn, ACC_ALL, vm->memslot_gen));
	plat_read_unlock(vm->mmu_lock);
}
