/*
 * hw/sim/guest_walk.c — the two-dimensional walk: the guest's paging
 * structures (SDM 4.3 32-bit, 4.4 PAE, 4.5 4- and 5-level), every entry
 * fetched through the TDP tables (tdp_walk.c), then the data page.
 *
 * How the second stage sees the walk's own accesses to guest entries
 * depends on it (table_access): on NPT and on EPT with A/D they are
 * writes, so every table page a walk reads becomes dirty in the TDP leaf
 * or exits as a write; on EPT without A/D they are reads, and an entry is
 * written through the TDP only when the walk sets its A or D flag.
 *
 * A/D flags are set only once the access is known to succeed, so the final
 * memory is the architectural model's (ref's), which sets them on success.
 */
#include "core/errors.h"
#include "core/x86/bits.h"
#include "hw/sim/sim.h"

/* A guest entry that keeps changing under the cmpxchg means a broken model. */
#define GUEST_AD_RETRIES 64

/* The entries one walk used. */
struct gw_path {
	enum paging_mode mode;
	unsigned bytes;                         /* entry size: 4 (32-bit paging) or 8 */
	int top;                                /* highest level read from memory */
	int leaf;                               /* level of the entry mapping the page */
	uint64_t gpa[PT_MAX_LEVEL + 1];         /* [level]: guest-physical address of the entry */
	hpa_t hpa[PT_MAX_LEVEL + 1];            /* [level]: host address of the entry */
	uint64_t val[PT_MAX_LEVEL + 1];         /* [level]: the entry as read */
};

static uint64_t level_size(enum paging_mode mode, int level)
{
	if (mode == PAGING_32)
		return level == 2 ? PAGE_SIZE_4M : PAGE_SIZE_4K;
	return 1ULL << (PAGE_SHIFT + 9 * (level - 1));
}

static unsigned level_index(enum paging_mode mode, uint64_t gva, int level)
{
	if (mode == PAGING_32)
		return (gva >> (PAGE_SHIFT + 10 * (level - 1))) & 1023;
	return (gva >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

/* SDM 4.3 / 4.4 / 4.5: which entries map a page. */
static bool guest_is_leaf(enum paging_mode mode, const struct x86_paging_regs *regs,
			  uint64_t e, int level)
{
	if (level == 1)
		return true;
	if (!(e & PT_PAGE_SIZE))
		return false;
	if (mode == PAGING_32)
		return level == 2 && (regs->cr4 & CR4_PSE); /* PS is ignored without PSE */
	return level == 2 || level == 3;  /* a PS bit at 4/5 is reserved, not a leaf */
}

/*
 * SDM 4.3 (4 MiB PDEs: bit 21 and bits 20:(M'-19), M' = min(MAXPHYADDR,
 * 40)), table 4-8 ff. (PAE: bits 62:M, XD without NXE, bits 20:13 of a 2M
 * PDE), tables 4-14 ff. (IA-32e: bits 51:M, XD without NXE, PS in a
 * PML5E/PML4E, bits 29:13 of a 1G PDPTE or PS itself without 1G pages,
 * bits 20:13 of a 2M PDE).
 */
static uint64_t guest_rsvd(const struct sim_walk_in *in, enum paging_mode mode,
			   uint64_t e, int level, bool leaf)
{
	unsigned m = in->maxphyaddr;
	uint64_t r = 0;

	if (mode == PAGING_32) {
		unsigned m32 = m < PT32_PSE36_MAX_PHYS_BITS ? m : PT32_PSE36_MAX_PHYS_BITS;

		if (!leaf || level != 2)
			return 0;
		r = BIT_ULL(21) | (m32 - 19 <= 20 ? GENMASK_ULL(20, m32 - 19) : 0);
		return e & r;
	}
	if (!(in->regs->efer & EFER_NXE))
		r |= PT64_NX;
	if (mode == PAGING_PAE)
		r |= GENMASK_ULL(62, m);
	else if (m < PT64_MAX_PHYS_BITS)
		r |= GENMASK_ULL(51, m);
	if (level >= 4)
		r |= PT_PAGE_SIZE;
	if (leaf && level == 3)
		r |= in->gbpages ? GENMASK_ULL(29, 13) : PT_PAGE_SIZE;
	if (leaf && level == 2)
		r |= GENMASK_ULL(20, 13);
	return e & r;
}

/* The physical address a present entry points to (table or page base). */
static uint64_t guest_entry_addr(enum paging_mode mode, uint64_t e, int level, bool leaf)
{
	if (mode != PAGING_32)
		return e & PT64_ADDR_MASK & (leaf ? ~(level_size(mode, level) - 1) : ~0ULL);
	if (!leaf || level == 1)
		return e & PT32_ADDR_MASK;
	/* PSE-36: PDE bits 20:13 are physical-address bits 39:32 (SDM 4.3). */
	return (e & PT32_4M_ADDR_MASK) | (((e & PT32_PSE36_MASK) >> PT32_PSE36_SHIFT) << 32);
}

/* The guest table at the top of the walk, or (PAE) the PDPTE register. */
static uint64_t guest_root(const struct sim_walk_in *in, enum paging_mode mode)
{
	uint64_t cr3 = in->regs->cr3;

	if (mode == PAGING_32)
		return cr3 & PT32_ADDR_MASK;
	if (mode == PAGING_PAE)
		return in->regs->pdptrs[(in->acc.gva >> 30) & 3];
	return cr3 & GENMASK_ULL(in->maxphyaddr - 1, PAGE_SHIFT);
}

static int root_level(enum paging_mode mode)
{
	switch (mode) {
	case PAGING_32:
		return 2;
	case PAGING_PAE:
		return 3;
	case PAGING_5LEVEL:
		return 5;
	default:
		return 4;
	}
}

/*
 * How the second stage sees the CPU's accesses to guest paging structures.
 * NPT: the nested walk treats every one as a user-mode write (APM vol. 2,
 * 15.25.5), so its #NPF reports W (and U).  EPT with A/D (EPTP bit 6):
 * writes too, which set the EPT dirty flag or raise an EPT violation where
 * the entry does not allow writes (SDM vol. 3, 29.3.5).  EPT without A/D:
 * reads.
 */
static enum access_kind table_access(const struct sim_tdp *t)
{
	return t->layout == SPTE_LAYOUT_NPT || t->ad ? ACCESS_WRITE : ACCESS_READ;
}

/* A TDP result that is not a translation becomes the exit to report. */
static void tdp_exit(struct sim_walk_out *out, uint64_t gpa, enum access_kind kind,
		     const struct sim_tdp_result *t, bool guest_table)
{
	out->outcome = SIM_EXIT;
	out->exit = (struct mmu_fault){
		.addr = gpa, .access = kind, .present = t->present,
		.rsvd = t->outcome == SIM_TDP_MISCONFIG, .guest_table = guest_table,
	};
}

static uint64_t host_read_entry(hpa_t hpa, unsigned bytes)
{
	uint8_t *p = (uint8_t *)plat_frame_map(hpa & ~(PAGE_SIZE_4K - 1)) + (hpa & (PAGE_SIZE_4K - 1));

	if (bytes == 8)
		return plat_atomic_read64((volatile uint64_t *)p);
	return __atomic_load_n((volatile uint32_t *)p, __ATOMIC_SEQ_CST);
}

static bool host_cmpxchg_entry(hpa_t hpa, unsigned bytes, uint64_t old, uint64_t new)
{
	uint8_t *p = (uint8_t *)plat_frame_map(hpa & ~(PAGE_SIZE_4K - 1)) + (hpa & (PAGE_SIZE_4K - 1));

	if (bytes == 8)
		return plat_cmpxchg64((volatile uint64_t *)p, old, new) == old;
	return plat_cmpxchg32((volatile uint32_t *)p, (uint32_t)old, (uint32_t)new) ==
	       (uint32_t)old;
}

/* #PF to the guest with these error-code bits (SDM 4.7). */
static void guest_pf(const struct sim_walk_in *in, struct sim_walk_out *out, uint32_t bits)
{
	out->outcome = SIM_PF;
	out->error_code = bits | sim_access_pfec(in->regs, &in->acc);
}

/* Fold one entry's rights into the walk's (SDM 4.6: every level counts). */
static void guest_accumulate(struct sim_guest_rights *r, enum paging_mode mode, uint64_t e,
			     int level)
{
	if (mode == PAGING_PAE && level == PAE_PDPT_LEVEL)
		return; /* PAE PDPTEs carry no R/W, U/S or XD */
	r->user &= (e & PT_USER) != 0;
	r->writable &= (e & PT_WRITABLE) != 0;
	if (mode != PAGING_32)
		r->xd |= (e & PT64_NX) != 0;
}

/*
 * Is this guest entry one whose write access the hypervisor emulated (an
 * entry in a read-only memslot, access.c)?  The walk then reads it, as the
 * emulation does, and leaves its A/D alone.
 */
static bool ad_skipped(const struct sim_walk_in *in, uint64_t gpa)
{
	unsigned i;

	for (i = 0; i < in->nr_ad_skip; i++)
		if (in->ad_skip[i] == gpa)
			return true;
	return false;
}

/*
 * Walk the guest tables down to the leaf.  Returns 0 with out->outcome
 * SIM_OK (p, *rights and out->tr.gpa filled), SIM_PF or SIM_EXIT.
 */
static int guest_walk_tables(const struct sim_walk_in *in, struct gw_path *p,
			     struct sim_guest_rights *rights, struct sim_walk_out *out)
{
	enum paging_mode mode = p->mode;
	uint64_t table = guest_root(in, mode);
	int level = root_level(mode);

	*rights = (struct sim_guest_rights){ .paging = true, .user = true, .writable = true };
	p->top = mode == PAGING_PAE ? 2 : level;
	for (; level >= 1; level--) {
		struct sim_tdp_result t;
		uint64_t e;
		bool leaf;
		int ret;

		if (mode == PAGING_PAE && level == PAE_PDPT_LEVEL) {
			e = table; /* the PDPTE register, loaded at MOV to CR3 (SDM 4.4.1) */
		} else {
			enum access_kind kind;

			p->gpa[level] = table + level_index(mode, in->acc.gva, level) * p->bytes;
			kind = ad_skipped(in, p->gpa[level]) ? ACCESS_READ : table_access(in->tdp);
			ret = sim_tdp_translate(in->tdp, p->gpa[level], kind, &t);
			out->refs += t.refs;
			if (ret)
				return ret;
			if (t.outcome != SIM_TDP_OK) {
				tdp_exit(out, p->gpa[level], kind, &t, true);
				return 0;
			}
			p->hpa[level] = t.hpa;
			e = host_read_entry(t.hpa, p->bytes);
			out->refs++;
		}
		p->val[level] = e;
		if (!(e & PT_PRESENT)) {
			guest_pf(in, out, 0);
			return 0;
		}
		leaf = guest_is_leaf(mode, in->regs, e, level);
		if (!(mode == PAGING_PAE && level == PAE_PDPT_LEVEL) &&
		    guest_rsvd(in, mode, e, level, leaf)) {
			guest_pf(in, out, PFERR_PRESENT | PFERR_RSVD);
			return 0;
		}
		guest_accumulate(rights, mode, e, level);
		table = guest_entry_addr(mode, e, level, leaf);
		if (leaf) {
			p->leaf = level;
			if (mode == PAGING_4LEVEL || mode == PAGING_5LEVEL)
				rights->pkey = (e & PT64_PKEY_MASK) >> PT64_PKEY_SHIFT;
			out->tr.gpa = table | (in->acc.gva & (level_size(mode, level) - 1));
			out->outcome = SIM_OK;
			return 0;
		}
	}
	return MMU_EINVAL; /* level 1 is always a leaf */
}

/*
 * SDM 4.8: set A in every entry used and D in the leaf of a write.  Each
 * update is a write to the guest table through the TDP.  Where the walk's
 * access was a write already (table_access), the update uses the
 * translation it got; otherwise (EPT without A/D) the entry is translated
 * again as a write, which may exit.  Returns 0 with out->outcome SIM_OK or
 * SIM_EXIT, 1 if an entry changed under us (walk again), or a negative
 * code.
 */
static int guest_set_ad(const struct sim_walk_in *in, struct gw_path *p,
			struct sim_walk_out *out)
{
	bool walked_as_write = table_access(in->tdp) == ACCESS_WRITE;
	int level;

	for (level = p->top; level >= p->leaf; level--) {
		uint64_t want = p->val[level] | PT_ACCESSED;
		hpa_t hpa = p->hpa[level];

		if (level == p->leaf && in->acc.kind == ACCESS_WRITE)
			want |= PT_DIRTY;
		if (want == p->val[level] || ad_skipped(in, p->gpa[level]))
			continue;
		if (!walked_as_write) {
			struct sim_tdp_result t;
			int ret = sim_tdp_translate(in->tdp, p->gpa[level], ACCESS_WRITE, &t);

			out->refs += t.refs;
			if (ret)
				return ret;
			if (t.outcome != SIM_TDP_OK) {
				tdp_exit(out, p->gpa[level], ACCESS_WRITE, &t, true);
				return 0;
			}
			hpa = t.hpa;
		}
		out->refs++;
		if (!host_cmpxchg_entry(hpa, p->bytes, p->val[level], want))
			return 1;
		p->val[level] = want;
	}
	return 0;
}

/* SDM 3.3.7.1: IA-32e linear addresses are sign-extended from bit 47 (56). */
static bool gva_canonical(enum paging_mode mode, uint64_t gva)
{
	unsigned width = mode == PAGING_5LEVEL ? 57 : 48;

	if (mode != PAGING_4LEVEL && mode != PAGING_5LEVEL)
		return true;
	return (uint64_t)((int64_t)(gva << (64 - width)) >> (64 - width)) == gva;
}

/* The guest dimension of a successful walk: rights, size, dirty, global. */
static void guest_fill(const struct sim_walk_in *in, const struct gw_path *p,
		       const struct sim_guest_rights *rights, struct sim_translation *tr)
{
	uint64_t leaf = p->val[p->leaf];

	tr->guest = *rights;
	tr->size = level_size(p->mode, p->leaf);
	tr->guest_size = tr->size;
	tr->dirty = (leaf & PT_DIRTY) != 0;
	tr->global = (leaf & PT_GLOBAL) && (in->regs->cr4 & CR4_PGE);
}

/* One attempt: 1 means an entry changed under an A/D update, walk again. */
static int translate_once(const struct sim_walk_in *in, struct sim_walk_out *out)
{
	struct sim_guest_rights rights;
	struct gw_path p = { 0 };
	struct sim_tdp_result t;
	uint32_t pf;
	int ret;

	if (sim_paging_mode(in->regs, &p.mode))
		return MMU_EMODE;
	if (!gva_canonical(p.mode, in->acc.gva)) {
		out->outcome = SIM_GP;
		return 0;
	}
	if (p.mode == PAGING_OFF) {
		/* No guest translation: the linear address is the physical one. */
		out->tr = (struct sim_translation){ .gpa = in->acc.gva, .size = ~0ULL, .dirty = true };
	} else {
		p.bytes = p.mode == PAGING_32 ? 4 : 8;
		ret = guest_walk_tables(in, &p, &rights, out);
		if (ret || out->outcome != SIM_OK)
			return ret;
		pf = sim_guest_perm_fault(in->regs, &in->acc, &rights);
		if (pf) {
			out->outcome = SIM_PF;
			out->error_code = pf;
			return 0;
		}
		ret = guest_set_ad(in, &p, out);
		if (ret || out->outcome != SIM_OK)
			return ret;
		guest_fill(in, &p, &rights, &out->tr);
	}
	ret = sim_tdp_translate(in->tdp, out->tr.gpa, in->acc.kind, &t);
	out->refs += t.refs;
	if (ret)
		return ret;
	if (t.outcome != SIM_TDP_OK) {
		tdp_exit(out, out->tr.gpa, in->acc.kind, &t, false);
		return 0;
	}
	if (!t.dirty)
		out->tr.dirty = false;
	out->tr.tdp_rights = t.rights;
	if (level_size(PAGING_4LEVEL, t.level) < out->tr.size)
		out->tr.size = level_size(PAGING_4LEVEL, t.level);
	if (p.mode == PAGING_OFF)
		out->tr.guest_size = out->tr.size;
	out->tr.va = in->acc.gva & ~(out->tr.size - 1);
	out->tr.hpa = t.hpa & ~(out->tr.size - 1);
	out->tr.gpa &= ~(out->tr.size - 1);
	return 0;
}

int sim_translate(const struct sim_walk_in *in, struct sim_walk_out *out)
{
	unsigned tries;
	uint64_t refs = 0;
	int ret;

	for (tries = 0; tries < GUEST_AD_RETRIES; tries++) {
		*out = (struct sim_walk_out){ .outcome = SIM_OK, .refs = refs };
		ret = translate_once(in, out);
		if (ret <= 0)
			return ret;
		refs = out->refs;
	}
	return MMU_EINVAL;
}
