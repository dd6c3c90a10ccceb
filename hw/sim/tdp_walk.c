/*
 * hw/sim/tdp_walk.c — the second dimension: a guest-physical address
 * through the EPT (SDM 29.3) or NPT (APM 15.25.5) tables the MMU built.
 *
 * Entries are decoded here from the architecture's bit layouts; nothing of
 * core/x86's spte or format code is used, so a backend that writes an entry
 * the hardware reads differently shows up as a wrong answer or an exit.
 */
#include "core/errors.h"
#include "core/x86/bits.h"
#include "hw/sim/sim.h"

/* NPT entries are x86-64 paging entries (APM 15.25.5). */
#define NPT_P  PT_PRESENT
#define NPT_W  PT_WRITABLE
#define NPT_U  PT_USER
#define NPT_A  PT_ACCESSED
#define NPT_D  PT_DIRTY
#define NPT_PS PT_PAGE_SIZE
#define NPT_NX PT64_NX

/* A backend that keeps rewriting an entry under our cmpxchg is broken. */
#define TDP_AD_RETRIES 64

/* EPT memory types 2, 3 and 7 are reserved (SDM 29.3.3.1). */
static bool ept_memtype_bad(uint64_t e)
{
	uint64_t mt = (e & EPT_MT_MASK) >> EPT_MT_SHIFT;

	return mt == 2 || mt == 3 || mt == 7;
}

/* Bits 51:N, beyond the host's physical-address width N, are reserved. */
static uint64_t high_rsvd(unsigned phys_bits)
{
	return phys_bits < PT64_MAX_PHYS_BITS ? GENMASK_ULL(51, phys_bits) : 0;
}

/* Does this present entry map a page?  Bit 7 counts at levels 2 and 3 only. */
static bool tdp_is_leaf(uint64_t e, int level)
{
	return level == 1 || ((level == 2 || level == 3) && (e & PT_PAGE_SIZE));
}

/*
 * SDM 29.3.3.1: an EPT misconfiguration is a present entry that is
 * write-only or write/execute (W without R), has a reserved bit set
 * (bits 7:3 of a PML4E/PML5E and of a non-leaf PDPTE/PDE, bits 29:12 /
 * 20:12 of a 1G / 2M leaf, bits 51:N), or a leaf with memory type 2, 3
 * or 7.  Execute-only entries are supported (the capability mmulab's CPU
 * reports), so R=0 W=0 X=1 is a valid entry.
 */
static bool ept_misconfigured(uint64_t e, int level, bool leaf, unsigned phys_bits)
{
	uint64_t rsvd = high_rsvd(phys_bits);

	if ((e & EPT_WRITE) && !(e & EPT_READ))
		return true;
	if (!leaf)
		rsvd |= GENMASK_ULL(7, 3);
	else if (level == 3)
		rsvd |= GENMASK_ULL(29, 12);
	else if (level == 2)
		rsvd |= GENMASK_ULL(20, 12);
	if (e & rsvd)
		return true;
	return leaf && ept_memtype_bad(e);
}

/*
 * APM 15.25.5: nested entries are long-mode entries checked against the
 * host's width; PS is reserved in a PML4E/PML5E, and a 2M / 1G leaf has
 * bits 20:13 / 29:13 reserved.  NX is usable: the host runs with
 * EFER.NXE=1.  Bit 8 and the AVL bits 11:9 and 62:52 are ignored.
 */
static bool npt_reserved(uint64_t e, int level, bool leaf, unsigned phys_bits)
{
	uint64_t rsvd = high_rsvd(phys_bits);

	if (level >= 4)
		rsvd |= NPT_PS;
	else if (leaf && level == 3)
		rsvd |= GENMASK_ULL(29, 13);
	else if (leaf && level == 2)
		rsvd |= GENMASK_ULL(20, 13);
	return e & rsvd;
}

/*
 * The rights one entry grants, as SIM_TDP_*.  EPT: its R/W/X.  NPT: the
 * nested walk is a user-mode access (APM 15.25.5), so nothing is allowed
 * without U; W allows writes, NX forbids fetches.
 */
static unsigned tdp_entry_rights(const struct sim_tdp *t, uint64_t e)
{
	unsigned r = 0;

	if (t->layout == SPTE_LAYOUT_EPT) {
		r |= (e & EPT_READ) ? SIM_TDP_R : 0;
		r |= (e & EPT_WRITE) ? SIM_TDP_W : 0;
		r |= (e & EPT_EXEC) ? SIM_TDP_X : 0;
		return r;
	}
	if (!(e & NPT_U))
		return 0;
	r = SIM_TDP_R;
	r |= (e & NPT_W) ? SIM_TDP_W : 0;
	r |= (e & NPT_NX) ? 0 : SIM_TDP_X;
	return r;
}

static unsigned kind_right(enum access_kind kind)
{
	return kind == ACCESS_WRITE ? SIM_TDP_W : kind == ACCESS_FETCH ? SIM_TDP_X : SIM_TDP_R;
}

static bool tdp_present(const struct sim_tdp *t, uint64_t e)
{
	return t->layout == SPTE_LAYOUT_EPT ? (e & EPT_RWX) != 0 : (e & NPT_P) != 0;
}

/* One walk: the entries used, from the root down to the leaf. */
struct tdp_path {
	volatile uint64_t *ptr[PT_MAX_LEVEL + 1];  /* [level]: where the entry lives */
	uint64_t val[PT_MAX_LEVEL + 1];            /* [level]: what was read */
	int leaf;                                  /* level of the leaf */
};

/* Walk down to the leaf, or stop at the first entry that makes an exit. */
static void tdp_walk(const struct sim_tdp *t, uint64_t gpa, struct tdp_path *p,
		     struct sim_tdp_result *r)
{
	hpa_t table = t->root;
	int level;

	r->rights = SIM_TDP_R | SIM_TDP_W | SIM_TDP_X;
	for (level = t->levels; level >= 1; level--) {
		unsigned idx = (gpa >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
		volatile uint64_t *ptr = (volatile uint64_t *)plat_frame_map(table) + idx;
		uint64_t e = plat_atomic_read64(ptr);
		bool leaf = tdp_is_leaf(e, level);
		bool bad;

		r->refs++;
		r->level = level;
		p->ptr[level] = ptr;
		p->val[level] = e;
		if (!tdp_present(t, e)) {
			r->outcome = SIM_TDP_VIOLATION;
			r->rights = 0;
			return;
		}
		bad = t->layout == SPTE_LAYOUT_EPT ? ept_misconfigured(e, level, leaf, t->phys_bits) :
						     npt_reserved(e, level, leaf, t->phys_bits);
		if (bad) {
			r->outcome = SIM_TDP_MISCONFIG;
			return;
		}
		r->rights &= tdp_entry_rights(t, e);
		if (leaf) {
			uint64_t size = 1ULL << (PAGE_SHIFT + 9 * (level - 1));

			p->leaf = level;
			r->hpa = (e & PT64_ADDR_MASK & ~(size - 1)) | (gpa & (size - 1));
			r->outcome = SIM_TDP_OK;
			return;
		}
		table = e & PT64_ADDR_MASK;
	}
}

/*
 * SDM 29.3.5 / APM 15.25.5: the CPU sets A in every entry it used and D in
 * the leaf of a write.  Returns false if an entry changed under us (the MMU
 * replaced it): the walk starts over.
 */
static bool tdp_set_ad(const struct sim_tdp *t, struct tdp_path *p, bool write,
		       struct sim_tdp_result *r)
{
	uint64_t a = t->layout == SPTE_LAYOUT_EPT ? EPT_ACCESSED : NPT_A;
	uint64_t d = t->layout == SPTE_LAYOUT_EPT ? EPT_DIRTY : NPT_D;
	int level;

	for (level = t->levels; level >= p->leaf; level--) {
		uint64_t want = p->val[level] | a | (write && level == p->leaf ? d : 0);

		if (want == p->val[level])
			continue;
		r->refs++;
		if (plat_cmpxchg64(p->ptr[level], p->val[level], want) != p->val[level])
			return false;
		p->val[level] = want;
	}
	r->dirty = (p->val[p->leaf] & d) != 0;
	return true;
}

int sim_tdp_translate(const struct sim_tdp *t, uint64_t gpa, enum access_kind kind,
		      struct sim_tdp_result *r)
{
	unsigned tries, refs = 0;
	struct tdp_path p = { .leaf = 1 };

	for (tries = 0; tries < TDP_AD_RETRIES; tries++) {
		*r = (struct sim_tdp_result){ .refs = refs };
		tdp_walk(t, gpa, &p, r);
		if (r->outcome == SIM_TDP_MISCONFIG) {
			r->present = true; /* NPT: P=1 with RSVD; EPT: no such bit */
			return 0;
		}
		if (r->outcome == SIM_TDP_OK && !(r->rights & kind_right(kind))) {
			/*
			 * EPT: as the exit qualification's bits 5:3 (what KVM
			 * turns into PFERR_PRESENT), the rights every level
			 * granted.  NPT: P was set at every level (#NPF P=1).
			 */
			r->outcome = SIM_TDP_VIOLATION;
			r->present = t->layout == SPTE_LAYOUT_NPT || r->rights != 0;
			return 0;
		}
		if (r->outcome == SIM_TDP_VIOLATION)
			return 0; /* a level was not present: present stays false */
		if (!t->ad) {
			r->dirty = true; /* no D bit to set: writable is as dirty as it gets */
			return 0;
		}
		if (tdp_set_ad(t, &p, kind == ACCESS_WRITE, r))
			return 0;
		refs = r->refs;
	}
	return MMU_EINVAL;
}
