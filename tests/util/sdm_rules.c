/*
 * tests/util/sdm_rules.c — the SDM's paging rules, one sentence at a time.
 * See sdm_rules.h for what this is and why it shares nothing with core/x86.
 * Quoted sentences are from the Intel SDM vol. 3, chapter 4.
 */
#include "core/x86/bits.h"
#include "tests/util/sdm_rules.h"

/* What paging knows of a translation once the walk found the page. */
struct translation {
	bool user_address;  /* U/S = 1 in every entry controlling the translation */
	bool all_writable;  /* R/W = 1 in every entry controlling the translation */
	bool some_xd;       /* XD = 1 in some entry controlling the translation */
	unsigned pkey;      /* protection key: bits 62:59 of the entry mapping the page */
};

int sdm_root_level(enum sdm_paging paging)
{
	switch (paging) {
	case SDM_PAGING_32:
		return 2;
	case SDM_PAGING_PAE:
		return 3;
	case SDM_PAGING_4LEVEL:
		return 4;
	case SDM_PAGING_5LEVEL:
		return 5;
	}
	return 0;
}

/* "IA-32e paging": 4-level or 5-level (SDM 4.1.1). */
static bool ia32e(enum sdm_paging paging)
{
	return paging == SDM_PAGING_4LEVEL || paging == SDM_PAGING_5LEVEL;
}

/*
 * SDM 4.4.1: the PDPTE registers have no A flag (bits 8:5 are reserved) and
 * do not take part in access rights (4.6, footnote: "With PAE paging, the
 * PDPTEs do not determine access rights").
 */
static bool is_pae_pdpte(enum sdm_paging paging, int level)
{
	return paging == SDM_PAGING_PAE && level == 3;
}

bool sdm_has_accessed_flag(enum sdm_paging paging, int level)
{
	return !is_pae_pdpte(paging, level);
}

/*
 * Does the present entry at `level` map a page, rather than reference the
 * next paging structure?
 */
static bool maps_page(const struct sdm_case *c, int level, uint64_t e)
{
	/* A PTE always maps a 4-KByte page (4.3, 4.4.2, 4.5.4). */
	if (level == 1)
		return true;
	/* 4.4.2: a PDPTE always references a page directory with PAE. */
	if (is_pae_pdpte(c->paging, level))
		return false;
	/*
	 * 4.3: "If CR4.PSE = 1 and the PDE's PS flag is 1, the PDE maps a
	 * 4-MByte page"; with CR4.PSE = 0 the PS flag is ignored.
	 */
	if (c->paging == SDM_PAGING_32)
		return c->cr4_pse && (e & PT_PAGE_SIZE);
	/* 4.4.2, 4.5.4: PS = 1 in a PDE (2 MByte) or PDPTE (1 GByte) maps a page. */
	return (level == 2 || level == 3) && (e & PT_PAGE_SIZE);
}

/*
 * 4.4.2 tables 4-8..4-11 and 4.5.4: "If IA32_EFER.NXE = 0 and the P flag of
 * a paging-structure entry is 1, the XD flag (bit 63) is reserved."  32-bit
 * entries have no bit 63.
 */
static bool has_reserved_bit(const struct sdm_case *c, uint64_t e)
{
	if (c->paging == SDM_PAGING_32)
		return false;
	return !c->efer_nxe && (e & PT64_NX);
}

/* The physical address of the access, from the entry that maps the page. */
static uint64_t physical_address(const struct sdm_case *c, int level, uint64_t e)
{
	if (c->paging == SDM_PAGING_32) {
		if (level == 1)   /* 4.3 table 4-6: bits 31:12 */
			return (e & GENMASK_ULL(31, 12)) | (c->linear & GENMASK_ULL(11, 0));
		/* 4.3 table 4-4: PDE bits 31:22 are PA 31:22, bits 20:13 are PA 39:32 */
		return (e & GENMASK_ULL(31, 22)) |
		       (((e & PT32_PSE36_MASK) >> PT32_PSE36_SHIFT) << 32) |
		       (c->linear & GENMASK_ULL(21, 0));
	}
	/* 4.4.2 and 4.5.4: address bits M-1:(12, 21 or 30) of the entry */
	if (level == 1)
		return (e & GENMASK_ULL(51, 12)) | (c->linear & GENMASK_ULL(11, 0));
	if (level == 2)
		return (e & GENMASK_ULL(51, 21)) | (c->linear & GENMASK_ULL(20, 0));
	return (e & GENMASK_ULL(51, 30)) | (c->linear & GENMASK_ULL(29, 0));
}

/*
 * 4.6.1: "accesses made while CPL < 3 are supervisor-mode accesses, while
 * accesses made while CPL = 3 are user-mode accesses", and implicit
 * accesses to system structures "are supervisor-mode accesses regardless of
 * CPL".
 */
static bool user_mode_access(const struct sdm_case *c)
{
	return c->cpl == 3 && !c->implicit;
}

/* 4.6.2: the protection-key machinery is used at all. */
static bool pkeys_in_use(const struct sdm_case *c)
{
	/*
	 * "If CR4.PKE = 0, or if IA-32e paging is not active, the processor
	 * does not associate linear addresses with protection keys"; then "a
	 * reference in Section 4.6.1 to a user-mode address with a protection
	 * key should be considered a reference to any user-mode address".
	 */
	return ia32e(c->paging) && c->cr4_pke;
}

static bool pkru_ad(const struct sdm_case *c, unsigned key)
{
	return c->pkru & PKRU_AD(key);
}

static bool pkru_wd(const struct sdm_case *c, unsigned key)
{
	return c->pkru & PKRU_WD(key);
}

/* 4.6.2: may this user-mode address be read, as far as its key goes? */
static bool pkey_permits_read(const struct sdm_case *c, const struct translation *t)
{
	if (!pkeys_in_use(c))
		return true;
	/* "If AD_i = 1, the processor prevents any data accesses" (read or write) */
	return !pkru_ad(c, t->pkey);
}

/* 4.6.2: may this user-mode address be written, as far as its key goes? */
static bool pkey_permits_write(const struct sdm_case *c, const struct translation *t)
{
	if (!pkeys_in_use(c))
		return true;
	if (pkru_ad(c, t->pkey))
		return false;
	/*
	 * WD_i = 1 prevents user-mode writes; "If CR0.WP = 0, WD_i does not
	 * affect supervisor-mode write accesses to user-mode addresses".
	 */
	if (pkru_wd(c, t->pkey) && (user_mode_access(c) || c->cr0_wp))
		return false;
	return true;
}

/*
 * 4.6.1 fetches: "For 32-bit paging or if IA32_EFER.NXE = 0, instructions
 * may be fetched from any [...] address"; otherwise only from one "with a
 * translation for which the XD flag is 0 in every paging-structure entry".
 */
static bool xd_forbids_fetch(const struct sdm_case *c, const struct translation *t)
{
	if (c->paging == SDM_PAGING_32 || !c->efer_nxe)
		return false;
	return t->some_xd;
}

/* 4.6.1, "For supervisor-mode accesses", data reads. */
static bool supervisor_may_read(const struct sdm_case *c, const struct translation *t)
{
	/* "Data may be read (implicitly or explicitly) from any supervisor-mode address." */
	if (!t->user_address)
		return true;
	/* "If CR4.SMAP = 0, data may be read from any user-mode address with
	 * a protection key for which read access is permitted." */
	if (!c->cr4_smap)
		return pkey_permits_read(c, t);
	/* SMAP = 1: "If EFLAGS.AC = 1 and the access is explicit", as above;
	 * "If EFLAGS.AC = 0 or the access is implicit, data may not be read
	 * from any user-mode address." */
	if (c->eflags_ac && !c->implicit)
		return pkey_permits_read(c, t);
	return false;
}

/* 4.6.1, "For supervisor-mode accesses", data writes. */
static bool supervisor_may_write(const struct sdm_case *c, const struct translation *t)
{
	if (!t->user_address) {
		/* "If CR0.WP = 0, data may be written to any supervisor-mode address." */
		if (!c->cr0_wp)
			return true;
		/* "If CR0.WP = 1, data may be written to any supervisor-mode
		 * address with a translation for which the R/W flag is 1 in
		 * every paging-structure entry controlling the translation" */
		return t->all_writable;
	}
	/* User-mode addresses, SMAP = 1: "If EFLAGS.AC = 0 or the access is
	 * implicit, data may not be written to any user-mode address." */
	if (c->cr4_smap && (!c->eflags_ac || c->implicit))
		return false;
	/* "If CR0.WP = 0, [...] data may be written to any user-mode address
	 * with a protection key for which write access is permitted." */
	if (!c->cr0_wp)
		return pkey_permits_write(c, t);
	/* "If CR0.WP = 1, [...] with a translation for which the R/W flag is 1
	 * in every paging-structure entry controlling the translation and
	 * with a protection key for which write access is permitted" */
	return t->all_writable && pkey_permits_write(c, t);
}

/* 4.6.1, "For supervisor-mode accesses", instruction fetches. */
static bool supervisor_may_fetch(const struct sdm_case *c, const struct translation *t)
{
	if (!t->user_address)
		return !xd_forbids_fetch(c, t);
	/* "If CR4.SMEP = 1, instructions may not be fetched from any
	 * user-mode address." */
	if (c->cr4_smep)
		return false;
	/* "If CR4.SMEP = 0", the XD rule as for supervisor-mode addresses. */
	return !xd_forbids_fetch(c, t);
}

/* 4.6.1, "For user-mode accesses". */
static bool user_may_access(const struct sdm_case *c, const struct translation *t)
{
	/* "Data may not be read from any supervisor-mode address", "Data may
	 * not be written to any supervisor-mode address", "Instructions may
	 * not be fetched from any supervisor-mode address." */
	if (!t->user_address)
		return false;
	switch (c->type) {
	case SDM_READ:
		/* "Data may be read from any user-mode address with a protection
		 * key for which read access is permitted." */
		return pkey_permits_read(c, t);
	case SDM_WRITE:
		/* "Data may be written to any user-mode address with a
		 * translation for which the R/W flag is 1 in every
		 * paging-structure entry controlling the translation and with a
		 * protection key for which write access is permitted." */
		return t->all_writable && pkey_permits_write(c, t);
	case SDM_FETCH:
		return !xd_forbids_fetch(c, t);
	}
	return false;
}

static bool access_permitted(const struct sdm_case *c, const struct translation *t)
{
	if (user_mode_access(c))
		return user_may_access(c, t);
	switch (c->type) {
	case SDM_READ:
		return supervisor_may_read(c, t);
	case SDM_WRITE:
		return supervisor_may_write(c, t);
	case SDM_FETCH:
		return supervisor_may_fetch(c, t);
	}
	return false;
}

/*
 * 4.7, PK flag: "(1) IA32_EFER.LMA = CR4.PKE = 1; (2) the access causing
 * the page-fault exception was a data access; (3) the linear address was a
 * user-mode address with protection key i; and (4) the PKRU register is
 * such that either (a) AD_i = 1; or (b) the following all hold: (i) WD_i =
 * 1; (ii) the access is a write access; and (iii) either CR0.WP = 1 or the
 * access causing the page-fault exception was a user-mode access."
 * It does not ask that the keys be the only reason for the fault.
 */
static bool pk_flag(const struct sdm_case *c, const struct translation *t)
{
	if (!pkeys_in_use(c) || c->type == SDM_FETCH || !t->user_address)
		return false;
	if (pkru_ad(c, t->pkey))
		return true;
	return pkru_wd(c, t->pkey) && c->type == SDM_WRITE &&
	       (c->cr0_wp || user_mode_access(c));
}

/* 4.7: the bits of the error code that describe the access, not the fault. */
static uint32_t access_error_bits(const struct sdm_case *c)
{
	uint32_t ec = 0;

	/* W/R: "1 if the access causing the page-fault exception was a write" */
	if (c->type == SDM_WRITE)
		ec |= PFERR_WRITE;
	/* U/S: 1 if "a user-mode access caused the page-fault exception" */
	if (user_mode_access(c))
		ec |= PFERR_USER;
	/* I/D: "(1) [...] an instruction fetch; and (2) either (a) CR4.SMEP =
	 * 1; or (b) both (i) CR4.PAE = 1 [...] and (ii) IA32_EFER.NXE = 1" */
	if (c->type == SDM_FETCH &&
	    (c->cr4_smep || (c->paging != SDM_PAGING_32 && c->efer_nxe)))
		ec |= PFERR_FETCH;
	return ec;
}

/*
 * Walk from the root: stop at the first entry that is not present (P = 0
 * in the error code), has a reserved bit set (RSVD = 1, P = 1: "reserved
 * bits are not checked in a paging-structure entry whose P flag is 0"), or
 * maps the page.  Returns the level of the entry that maps the page, or 0
 * after filling the verdict of a fault.
 */
static int walk_to_page(const struct sdm_case *c, struct sdm_verdict *v,
			struct translation *t)
{
	int level;

	t->user_address = true;
	t->all_writable = true;
	t->some_xd = false;
	for (level = sdm_root_level(c->paging); level >= 1; level--) {
		uint64_t e = c->entry[level];

		if (!(e & PT_PRESENT)) {
			v->fault = true;
			v->error_code = access_error_bits(c);
			return 0;
		}
		if (has_reserved_bit(c, e)) {
			v->fault = true;
			v->error_code = access_error_bits(c) | PFERR_PRESENT | PFERR_RSVD;
			return 0;
		}
		if (!is_pae_pdpte(c->paging, level)) {
			/* 4.6.1: U/S and R/W of every entry controlling the translation */
			t->user_address = t->user_address && (e & PT_USER);
			t->all_writable = t->all_writable && (e & PT_WRITABLE);
			t->some_xd = t->some_xd || (c->paging != SDM_PAGING_32 && (e & PT64_NX));
		}
		if (maps_page(c, level, e)) {
			/* 4.6.2: "bits 62:59 of the paging-structure entry that mapped the page" */
			t->pkey = ia32e(c->paging) ?
				(unsigned)((e & PT64_PKEY_MASK) >> PT64_PKEY_SHIFT) : 0;
			return level;
		}
	}
	return 0;  /* unreachable: level 1 always maps a page */
}

/*
 * 4.8: the processor sets A in every paging-structure entry it uses, and D
 * in the entry mapping the page on a write.  mmulab's walker does so only
 * when the access succeeds (walk.h), and so does this oracle: a fault
 * leaves every entry as it was.
 */
static void set_accessed_dirty(const struct sdm_case *c, struct sdm_verdict *v)
{
	int level;

	for (level = sdm_root_level(c->paging); level >= v->leaf_level; level--)
		if (sdm_has_accessed_flag(c->paging, level))
			v->entry_after[level] |= PT_ACCESSED;
	if (c->type == SDM_WRITE)
		v->entry_after[v->leaf_level] |= PT_DIRTY;
}

void sdm_judge(const struct sdm_case *c, struct sdm_verdict *v)
{
	struct translation t;
	int level;

	*v = (struct sdm_verdict){ 0 };
	for (level = 0; level <= SDM_MAX_LEVEL; level++)
		v->entry_after[level] = c->entry[level];
	level = walk_to_page(c, v, &t);
	if (!level)
		return;
	v->translated = true;
	v->leaf_level = level;
	if (!access_permitted(c, &t)) {
		/* P: "1 if the fault was caused by a page-level protection violation" */
		v->fault = true;
		v->error_code = access_error_bits(c) | PFERR_PRESENT;
		if (pk_flag(c, &t))
			v->error_code |= PFERR_PK;
		return;
	}
	v->physical = physical_address(c, level, c->entry[level]);
	set_accessed_dirty(c, v);
}
