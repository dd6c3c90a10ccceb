/*
 * core/x86/permission.c — the access-rights rules of SDM 4.6, turned into
 * two small tables per walk context, and the check the walker makes.
 *
 * Why precompute: the rules depend on CR0.WP, CR4.SMEP/SMAP/PKE and
 * EFER.NXE, which change rarely, while the check runs on every walk (and,
 * in a backend, on every fault).  Folding the rules into
 * permissions[access kind][page rights] once per register change makes
 * the check one load and one shift, with no branch per rule — KVM's
 * update_permission_bitmask idea (notes/kvm-mmu.md §3.4, §3.5).
 *
 * The index of permissions[] is the #PF error code shifted right by one:
 *   bit 0 = W (a write), bit 1 = U (a user-mode access),
 *   bit 2 = RSVD, reused to mean "SMAP is overridden" (EFLAGS.AC=1 and an
 *           explicit access), since a real RSVD fault never gets here,
 *   bit 3 = F (an instruction fetch).
 * Each byte has one bit per combination of ACC_EXEC/WRITE/USER: set means
 * an access of that kind to a page with those rights faults.
 */
#include "core/x86/bits.h"
#include "core/x86/walk.h"

/* Index bits of permissions[] and pkru_mask (error-code bits >> 1). */
#define PERM_WRITE (PFERR_WRITE >> 1)
#define PERM_USER  (PFERR_USER >> 1)
#define PERM_SMAP_OVERRIDE (PFERR_RSVD >> 1)
#define PERM_PTE_USER (PFERR_RSVD >> 1)  /* pkru_mask's meaning of the same bit */
#define PERM_FETCH (PFERR_FETCH >> 1)
#define PERM_NR_INDEX 16
#define PERM_NR_ACC 8

/* SDM 4.6.2: execute-disable exists only in PAE-format entries, with EFER.NXE. */
static bool nx_enabled(const struct walk_ctx *ctx)
{
	return (ctx->regs.efer & EFER_NXE) &&
	       (ctx->mode == PAGING_PAE || ctx->mode == PAGING_4LEVEL ||
		ctx->mode == PAGING_5LEVEL);
}

/* Does an access of kind `index` fault on a page whose rights are `acc`? */
static bool access_faults(const struct walk_ctx *ctx, unsigned index, unsigned acc)
{
	bool write = index & PERM_WRITE;
	bool user = index & PERM_USER;
	bool fetch = index & PERM_FETCH;
	bool smap_override = index & PERM_SMAP_OVERRIDE;
	bool page_user = acc & ACC_USER;
	bool wp = ctx->regs.cr0 & CR0_WP;

	/* SDM 4.6.1: user-mode accesses need U/S=1 in every entry. */
	if (user && !page_user)
		return true;
	/* Writes need R/W=1, except supervisor writes while CR0.WP=0. */
	if (write && !(acc & ACC_WRITE) && (user || wp))
		return true;
	/* Fetches need XD=0, when XD exists at all. */
	if (fetch && !(acc & ACC_EXEC) && nx_enabled(ctx))
		return true;
	if (user || !page_user)
		return false;
	/* SDM 4.6.1: SMEP forbids supervisor fetches from user-mode pages. */
	if (fetch)
		return ctx->regs.cr4 & CR4_SMEP;
	/*
	 * SMAP forbids supervisor data accesses to user-mode pages unless
	 * EFLAGS.AC=1 and the access is explicit.  This holds for writes with
	 * CR0.WP=0 too: WP=0 waives only the R/W check above, never SMAP.
	 */
	return (ctx->regs.cr4 & CR4_SMAP) && !smap_override;
}

void walk_ctx_init_permissions(struct walk_ctx *ctx)
{
	unsigned index, acc;

	for (index = 0; index < PERM_NR_INDEX; index++) {
		uint8_t faults = 0;

		for (acc = 0; acc < PERM_NR_ACC; acc++)
			if (access_faults(ctx, index, acc))
				faults |= (uint8_t)(1u << acc);
		ctx->permissions[index] = faults;
	}
}

/*
 * SDM 4.6.2: with CR4.PKE=1 in IA-32e paging, data accesses to user-mode
 * pages are checked against PKRU: AD forbids every data access, WD forbids
 * user-mode writes, and supervisor writes only when CR0.WP=1.  Fetches and
 * supervisor-mode pages are never checked.  pkru_mask holds, per index, the
 * two PKRU bits (AD, WD) that apply; the index's bit 2 is the page's U/S.
 */
void walk_ctx_init_pkru_mask(struct walk_ctx *ctx)
{
	bool wp = ctx->regs.cr0 & CR0_WP;
	unsigned index;

	ctx->pkru_mask = 0;
	if (!(ctx->regs.cr4 & CR4_PKE) ||
	    (ctx->mode != PAGING_4LEVEL && ctx->mode != PAGING_5LEVEL))
		return;
	for (index = 0; index < PERM_NR_INDEX; index++) {
		bool check_ad = !(index & PERM_FETCH) && (index & PERM_PTE_USER);
		bool check_wd = check_ad && (index & PERM_WRITE) &&
				((index & PERM_USER) || wp);
		uint32_t bits = (check_ad ? PKRU_AD(0) : 0) | (check_wd ? PKRU_WD(0) : 0);

		ctx->pkru_mask |= bits << (2 * index);
	}
}

uint32_t walk_access_pfec(const struct walk_ctx *ctx, const struct walk_access *acc)
{
	uint32_t pfec = 0;

	if (acc->kind == ACCESS_WRITE)
		pfec |= PFERR_WRITE;
	/* SDM 4.6: implicit supervisor accesses are supervisor-mode even at CPL 3. */
	if (acc->cpl == 3 && !acc->implicit)
		pfec |= PFERR_USER;
	/* SDM 4.7: I/D is reported only with CR4.SMEP, or PAE-format entries and NXE. */
	if (acc->kind == ACCESS_FETCH &&
	    ((ctx->regs.cr4 & CR4_SMEP) || nx_enabled(ctx)))
		pfec |= PFERR_FETCH;
	return pfec;
}

/*
 * 0, PFERR_PRESENT (the rights forbid the access), or PFERR_PRESENT |
 * PFERR_PK (PKRU forbids it, whether or not the rights do too: SDM 4.7
 * sets PK whenever the key's conditions hold).  The access's own W, U and
 * I/D bits come from walk_access_pfec.
 */
uint32_t walk_permission_fault(const struct walk_ctx *ctx,
			       const struct walk_access *acc,
			       unsigned pte_access, uint8_t pkey)
{
	unsigned index = 0;
	bool fault;
	uint32_t pkru_bits = 0;

	if (acc->kind == ACCESS_WRITE)
		index |= PERM_WRITE;
	if (acc->cpl == 3 && !acc->implicit)
		index |= PERM_USER;
	if (acc->kind == ACCESS_FETCH)
		index |= PERM_FETCH;
	if (acc->eflags_ac && !acc->implicit)
		index |= PERM_SMAP_OVERRIDE;
	fault = (ctx->permissions[index] >> (pte_access & ACC_ALL)) & 1;

	if (ctx->pkru_mask && (pte_access & ACC_USER)) {
		index = (index & ~PERM_SMAP_OVERRIDE) | PERM_PTE_USER;
		pkru_bits = (ctx->regs.pkru >> (2 * (pkey & 15))) & (PKRU_AD(0) | PKRU_WD(0));
		pkru_bits &= ctx->pkru_mask >> (2 * index);
	}
	if (!fault && !pkru_bits)
		return 0;
	return PFERR_PRESENT | (pkru_bits ? PFERR_PK : 0);
}
