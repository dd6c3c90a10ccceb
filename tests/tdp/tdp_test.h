/*
 * tests/tdp/tdp_test.h — what the TDP backend tests share: a small fake
 * host (guest memory in a few contiguous host extents, a flush counter, a
 * dirty-log recorder), a VM on the TDP backend with vCPUs, and a walker of
 * the tables that decodes entries by their SDM bit positions — never
 * through core/x86/spte.c, which is part of what is tested.
 */
#ifndef MMULAB_TESTS_TDP_TDP_TEST_H
#define MMULAB_TESTS_TDP_TDP_TEST_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "backends/tdp/tdp_backend.h"
#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/x86/bits.h"
#include "core/x86/mmu_page.h"
#include "core/x86/walk.h"

/* ---- SDM bit positions, spelled out independently of core/ ---------------- */

/* EPT entries (SDM 29.3.2). */
#define T_EPT_R       (1ULL << 0)
#define T_EPT_W       (1ULL << 1)
#define T_EPT_X       (1ULL << 2)
#define T_EPT_MT_WB   (6ULL << 3)     /* memory type 6 = WB, bits 5:3 */
#define T_EPT_IPAT    (1ULL << 6)
#define T_EPT_PS      (1ULL << 7)
#define T_EPT_A       (1ULL << 8)
#define T_EPT_D       (1ULL << 9)
/* NPT = x86-64 paging entries (SDM 4.5, APM 15.25). */
#define T_NPT_P       (1ULL << 0)
#define T_NPT_W       (1ULL << 1)
#define T_NPT_U       (1ULL << 2)
#define T_NPT_A       (1ULL << 5)
#define T_NPT_D       (1ULL << 6)
#define T_NPT_PS      (1ULL << 7)
#define T_NPT_NX      (1ULL << 63)
/* The software bits KVM uses, hence mmulab (kvm-mmu notes §2.1-2.3). */
#define T_MMU_PRESENT (1ULL << 11)
#define T_NPT_HW      (1ULL << 9)     /* host-writable */
#define T_NPT_MW      (1ULL << 10)    /* MMU-writable */
#define T_EPT_SAVED_R (1ULL << 54)
#define T_EPT_SAVED_X (1ULL << 56)
#define T_EPT_HW      (1ULL << 57)
#define T_EPT_MW      (1ULL << 58)
#define T_ADDR_MASK   0x000ffffffffff000ULL  /* bits 51:12 */

/* ---- the fake host ----------------------------------------------------------- */

#define T_MAX_REGIONS 8
#define T_MAX_DIRTY 8192

/* Guest pages [base_gfn, base_gfn + npages) live at hpa, contiguously. */
struct t_region {
	uint64_t base_gfn;
	uint64_t npages;
	hpa_t hpa;
	unsigned order;   /* plat_frames_alloc order */
};

struct t_host {
	struct t_region r[T_MAX_REGIONS];
	unsigned nr;
	volatile uint64_t lookups;   /* gfn_to_hpa calls */
	volatile uint64_t flushes;   /* flush_remote_tlbs calls */
	uint64_t dirty[T_MAX_DIRTY]; /* gfns marked dirty, in order */
	volatile uint64_t ndirty;
	bool host_readonly;          /* gfn_to_hpa says "not writable" */
};

static inline int t_gfn_to_hpa(void *opaque, uint64_t gfn, bool write, hpa_t *hpa, bool *writable)
{
	struct t_host *h = opaque;
	unsigned i;

	(void)write;
	__atomic_add_fetch(&h->lookups, 1, __ATOMIC_RELAXED);
	for (i = 0; i < h->nr; i++) {
		if (gfn >= h->r[i].base_gfn && gfn < h->r[i].base_gfn + h->r[i].npages) {
			*hpa = h->r[i].hpa + ((gfn - h->r[i].base_gfn) << 12);
			*writable = !h->host_readonly;
			return 0;
		}
	}
	return MMU_ENOSLOT;
}

static inline void t_flush(void *opaque)
{
	struct t_host *h = opaque;

	__atomic_add_fetch(&h->flushes, 1, __ATOMIC_RELAXED);
}

static inline void t_mark_dirty(void *opaque, uint64_t gfn)
{
	struct t_host *h = opaque;
	uint64_t i = __atomic_fetch_add(&h->ndirty, 1, __ATOMIC_RELAXED);

	ck_assert_uint_lt(i, T_MAX_DIRTY);
	h->dirty[i] = gfn;
}

/* ---- a VM on the TDP backend ------------------------------------------------- */

struct t_vm {
	struct t_host host;
	struct mmu_vm *vm;
	struct mmu_vcpu *v[2];
	struct walk_ctx walk;   /* 4-level paging: TDP does not care, roots.c may look */
};

static inline struct mmu_config t_cfg(enum spte_layout layout, bool ept_ad)
{
	struct mmu_config cfg = {
		.layout = layout,
		.ept_ad = ept_ad,
		.dirty_mode = MMU_DIRTY_WRPROT,
		.eager_split = false,
		.maxphyaddr = 46,
		.gbpages = false,
		.trace = false,
	};
	return cfg;
}

static inline struct t_vm *t_vm_create(const struct mmu_config *cfg, unsigned nvcpus)
{
	struct t_vm *t = calloc(1, sizeof(*t));
	struct mmu_host host = {
		.gfn_to_hpa = t_gfn_to_hpa,
		.flush_remote_tlbs = t_flush,
		.mark_dirty = t_mark_dirty,
	};
	struct x86_paging_regs regs = {
		.cr0 = CR0_PE | CR0_PG | CR0_WP,
		.cr4 = CR4_PAE,
		.efer = EFER_LME | EFER_LMA | EFER_NXE,
	};
	struct x86_cpu_features feat = { .maxphyaddr = cfg->maxphyaddr, .gbpages = cfg->gbpages };
	unsigned i;

	ck_assert_ptr_nonnull(t);
	host.opaque = &t->host;
	ck_assert_int_eq(walk_ctx_init(&t->walk, &regs, &feat), 0);
	ck_assert_int_eq(mmu_vm_create(&tdp_backend, cfg, &host, &t->vm), 0);
	for (i = 0; i < nvcpus; i++) {
		ck_assert_int_eq(mmu_vcpu_create(t->vm, i, &t->walk, &t->v[i]), 0);
		ck_assert_int_eq(mmu_load(t->v[i]), 0);
	}
	return t;
}

/*
 * A memslot, backed by a host extent of 2^order frames aligned to its
 * size that starts at host_base_gfn (<= base_gfn, aligned to 2^order), so
 * gfns aligned to a huge page land on host pages aligned the same way.
 */
static inline void t_slot(struct t_vm *t, uint32_t id, uint64_t base_gfn, uint64_t npages,
		   uint32_t flags, int host_level, uint64_t host_base_gfn, unsigned order)
{
	struct t_region *r = &t->host.r[t->host.nr++];

	ck_assert_uint_le(t->host.nr, T_MAX_REGIONS);
	ck_assert_uint_le(base_gfn + npages, host_base_gfn + (1ULL << order));
	r->base_gfn = host_base_gfn;
	r->npages = 1ULL << order;
	r->order = order;
	r->hpa = plat_frames_alloc(order);
	ck_assert_uint_ne(r->hpa, PLAT_NO_FRAME);
	ck_assert_int_eq(mmu_memslot_create(t->vm, id, base_gfn, npages, flags, host_level), 0);
}

/* The host page behind gfn. */
static inline hpa_t t_hpa(const struct t_vm *t, uint64_t gfn)
{
	hpa_t hpa = 0;
	bool w;

	ck_assert_int_eq(t_gfn_to_hpa((void *)&t->host, gfn, false, &hpa, &w), 0);
	return hpa;
}

static inline void t_vm_destroy(struct t_vm *t)
{
	unsigned i;

	mmu_vm_destroy(t->vm);
	for (i = 0; i < t->host.nr; i++)
		plat_frames_free(t->host.r[i].hpa, t->host.r[i].order);
	free(t);
}

/* Fault gpa on vCPU i; returns the outcome (and the leaf level in *level). */
__attribute__((noinline, unused)) static enum mmu_fault_outcome t_fault_full(struct t_vm *t, unsigned i, uint64_t gpa,
					   enum access_kind access, bool rsvd, struct mmu_fault *out)
{
	struct mmu_fault f = { .addr = gpa, .access = access, .rsvd = rsvd };

	ck_assert_int_eq(mmu_page_fault(t->v[i], &f), 0);
	if (out)
		*out = f;
	return f.outcome;
}

static inline enum mmu_fault_outcome t_fault(struct t_vm *t, uint64_t gpa, enum access_kind access)
{
	return t_fault_full(t, 0, gpa, access, false, NULL);
}

/* Not inlined: ASan gives every inlined copy of `st` its own stack slot. */
__attribute__((noinline, unused)) static uint64_t t_stat(const struct t_vm *t, enum mmu_stat s)
{
	struct mmu_stats st;

	mmu_stats_read(t->vm, &st);
	return st.v[s];
}

/* ---- walking the tables by hand --------------------------------------------- */

static inline bool t_is_ept(const struct t_vm *t)
{
	return t->vm->cfg.layout == SPTE_LAYOUT_EPT;
}

/* Present to the MMU: a mapping it made (access-tracked EPT leaves have no RWX). */
static inline bool t_present(uint64_t e)
{
	return e & T_MMU_PRESENT;
}

static inline bool t_huge(const struct t_vm *t, uint64_t e, int level)
{
	return level > 1 && (e & (t_is_ept(t) ? T_EPT_PS : T_NPT_PS));
}

/*
 * The entry mapping gfn at `level` (or the deepest one above it if the
 * walk stops at a leaf or a hole).  *at gets the level where it stopped;
 * *ptr, if asked, where the entry lives.
 */
__attribute__((noinline, unused)) static uint64_t t_entry(const struct t_vm *t, unsigned vcpu, uint64_t gfn, int want_level,
			int *at, volatile uint64_t **ptr)
{
	hpa_t table = mmu_current_root(t->v[vcpu]);
	int level = t->vm->spte_fmt.root_level;

	ck_assert_uint_ne(table, MMU_INVALID_ROOT);
	for (;;) {
		volatile uint64_t *p = (volatile uint64_t *)plat_frame_map(table);
		unsigned idx = (unsigned)(gfn >> (9 * (level - 1))) & 511;
		uint64_t e = p[idx];

		if (level == want_level || !t_present(e) || level == 1 || t_huge(t, e, level)) {
			if (at)
				*at = level;
			if (ptr)
				*ptr = &p[idx];
			return e;
		}
		table = e & T_ADDR_MASK;
		level--;
	}
}

/* The leaf (or hole) for gfn, and its level. */
static inline uint64_t t_leaf(const struct t_vm *t, uint64_t gfn, int *level)
{
	return t_entry(t, 0, gfn, 1, level, NULL);
}

/* What a fresh leaf looks like (SDM bits), for exact comparisons. */
static inline uint64_t t_ept_leaf(hpa_t hpa, int level, bool w, bool a, bool d)
{
	uint64_t e = hpa | T_EPT_R | T_EPT_X | T_EPT_MT_WB | T_EPT_IPAT | T_MMU_PRESENT |
		     T_EPT_HW | T_EPT_MW;

	if (level > 1)
		e |= T_EPT_PS;
	if (w)
		e |= T_EPT_W;
	if (a)
		e |= T_EPT_A;
	if (d)
		e |= T_EPT_D;
	return e;
}

static inline uint64_t t_npt_leaf(hpa_t hpa, int level, bool w, bool d)
{
	uint64_t e = hpa | T_NPT_P | T_NPT_U | T_NPT_A | T_MMU_PRESENT | T_NPT_HW | T_NPT_MW;

	if (level > 1)
		e |= T_NPT_PS;
	if (w)
		e |= T_NPT_W;
	if (d)
		e |= T_NPT_D;
	return e;
}

#endif
