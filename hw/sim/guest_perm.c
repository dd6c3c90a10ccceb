/*
 * hw/sim/guest_perm.c — the guest's access rights (SDM 4.6) and the #PF
 * error code (SDM 4.7), as plain rules over the registers of the moment.
 *
 * They run on every walk and on every TLB hit: the TLB keeps a page's raw
 * rights (U, R/W, XD, key) and the decision is taken again with the CR0,
 * CR4, EFER, PKRU, CPL and AC current at the access.
 */
#include "core/errors.h"
#include "core/x86/bits.h"
#include "hw/sim/sim.h"

/* SDM 4.1.1, table 4-1: CR0.PG, CR4.PAE, EFER.LME/LMA and CR4.LA57. */
int sim_paging_mode(const struct x86_paging_regs *regs, enum paging_mode *mode)
{
	bool lma = regs->efer & EFER_LMA;

	if (!(regs->cr0 & CR0_PG)) {
		*mode = PAGING_OFF;
		return 0;
	}
	if (!(regs->cr4 & CR4_PAE)) {
		*mode = PAGING_32;
		return lma ? MMU_EMODE : 0;
	}
	if (!lma) {
		*mode = PAGING_PAE;
		return 0;
	}
	*mode = (regs->cr4 & CR4_LA57) ? PAGING_5LEVEL : PAGING_4LEVEL;
	return 0;
}

/* A user-mode access: CPL 3 and not an implicit supervisor access (SDM 4.6). */
static bool user_mode_access(const struct walk_access *acc)
{
	return acc->cpl == 3 && !acc->implicit;
}

/*
 * SDM 4.7: W/R for a write, U/S for a user-mode access, and I/D for a
 * fetch only when CR4.SMEP=1 or (CR4.PAE=1 and EFER.NXE=1).
 */
uint32_t sim_access_pfec(const struct x86_paging_regs *regs, const struct walk_access *acc)
{
	uint32_t pfec = 0;

	if (acc->kind == ACCESS_WRITE)
		pfec |= PFERR_WRITE;
	if (user_mode_access(acc))
		pfec |= PFERR_USER;
	if (acc->kind == ACCESS_FETCH &&
	    ((regs->cr4 & CR4_SMEP) || ((regs->cr4 & CR4_PAE) && (regs->efer & EFER_NXE))))
		pfec |= PFERR_FETCH;
	return pfec;
}

/* SDM 4.6.1: may a supervisor-mode access touch this page? */
static bool supervisor_allowed(const struct x86_paging_regs *regs,
			       const struct walk_access *acc,
			       const struct sim_guest_rights *r, bool nx)
{
	bool smap_blocks = (regs->cr4 & CR4_SMAP) && r->user &&
			   (acc->implicit || !acc->eflags_ac);

	switch (acc->kind) {
	case ACCESS_READ:
		/* SMAP: explicit reads of user pages need EFLAGS.AC=1; implicit ones never. */
		return !smap_blocks;
	case ACCESS_WRITE:
		/* CR0.WP=0 lets supervisor writes ignore R/W; SMAP as for reads. */
		if (smap_blocks)
			return false;
		return r->writable || !(regs->cr0 & CR0_WP);
	case ACCESS_FETCH:
		/* SMEP: no supervisor fetch from a user page, whatever XD says. */
		if ((regs->cr4 & CR4_SMEP) && r->user)
			return false;
		return !nx;
	}
	return false;
}

/* SDM 4.6.1: may a user-mode access touch this page? */
static bool user_allowed(const struct walk_access *acc, const struct sim_guest_rights *r,
			 bool nx)
{
	if (!r->user)
		return false;
	if (acc->kind == ACCESS_WRITE)
		return r->writable; /* CR0.WP does not matter at CPL 3 */
	if (acc->kind == ACCESS_FETCH)
		return !nx;
	return true;
}

/*
 * SDM 4.6.2: with CR4.PKE=1 in IA-32e mode, a data access to a user-mode
 * page with key i faults if PKRU.ADi=1, or if WDi=1 and it is a write and
 * (it is a user-mode access or CR0.WP=1).  Supervisor accesses to user
 * pages are checked too; fetches never.
 */
static bool pkey_blocks(const struct x86_paging_regs *regs, const struct walk_access *acc,
			const struct sim_guest_rights *r)
{
	if (!(regs->cr4 & CR4_PKE) || !(regs->efer & EFER_LMA) || !r->user ||
	    acc->kind == ACCESS_FETCH)
		return false;
	if (regs->pkru & PKRU_AD(r->pkey))
		return true;
	return (regs->pkru & PKRU_WD(r->pkey)) && acc->kind == ACCESS_WRITE &&
	       (user_mode_access(acc) || (regs->cr0 & CR0_WP));
}

uint32_t sim_guest_perm_fault(const struct x86_paging_regs *regs,
			      const struct walk_access *acc,
			      const struct sim_guest_rights *rights)
{
	/* XD counts only with EFER.NXE=1 (without it the bit is reserved). */
	bool nx = rights->xd && (regs->efer & EFER_NXE);
	bool ok, pk;

	if (!rights->paging)
		return 0;
	ok = user_mode_access(acc) ? user_allowed(acc, rights, nx) :
				     supervisor_allowed(regs, acc, rights, nx);
	pk = pkey_blocks(regs, acc, rights);
	if (ok && !pk)
		return 0;
	/* SDM 4.7: PK is reported whenever the key denies the access. */
	return PFERR_PRESENT | sim_access_pfec(regs, acc) | (pk ? PFERR_PK : 0);
}
