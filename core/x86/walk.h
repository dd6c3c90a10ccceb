/*
 * core/x86/walk.h — the page-walk context and the guest walker.
 *
 * A walk context is "how one vCPU configuration walks someone else's
 * tables": a format (format.h) plus everything the vCPU's registers decide —
 * the permission bitmask, the PKRU mask, the reserved-bit masks, the PDPTRs.
 * It is rebuilt whenever CR0/CR3/CR4/EFER/PKRU change (walk_ctx_init).
 *
 * walk_guest() is the hypervisor's software walk of guest tables (KVM's
 * paging_tmpl.h): it reads entries through `struct guest_mem`, accumulates
 * rights across levels, checks reserved bits and permissions, and on
 * success sets A on every entry used and D on a write's leaf, as the CPU
 * does.  The sim executor has a separate walker; the two check each other.
 */
#ifndef MMULAB_CORE_X86_WALK_H
#define MMULAB_CORE_X86_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/x86/format.h"

enum paging_mode {
	PAGING_OFF,     /* CR0.PG=0: linear = physical */
	PAGING_32,      /* 32-bit paging, 4 MiB pages with CR4.PSE */
	PAGING_PAE,     /* PAE paging: PDPTRs loaded at CR3 load */
	PAGING_4LEVEL,  /* IA-32e, CR4.LA57=0 */
	PAGING_5LEVEL,  /* IA-32e, CR4.LA57=1 */
};

/* The registers paging depends on. */
struct x86_paging_regs {
	uint64_t cr0;
	uint64_t cr3;
	uint64_t cr4;
	uint64_t efer;
	uint32_t pkru;
	uint64_t pdptrs[4];  /* PAE only: loaded from CR3 at CR3 load (pae_load_pdptrs) */
};

/* What the (virtual) CPU supports: CPUID facts, fixed for a VM. */
struct x86_cpu_features {
	uint8_t maxphyaddr;  /* physical-address width, 36..52 */
	bool gbpages;        /* 1 GiB pages (CPUID.80000001H:EDX.Page1GB) */
};

/* How guest memory is read and A/D bits written by a walker. */
struct guest_mem {
	void *opaque;
	/* Read a 4- or 8-byte entry at gpa: 0 or a negative MMU_E* code. */
	int (*read)(void *opaque, uint64_t gpa, unsigned bytes, uint64_t *val);
	/*
	 * Replace the entry at gpa by `new` if it still holds `old`.  Returns
	 * 1 if replaced, 0 if it held something else (the walk restarts), or
	 * a negative MMU_E* code.
	 */
	int (*cmpxchg)(void *opaque, uint64_t gpa, unsigned bytes, uint64_t old,
		       uint64_t new);
	/* Write an entry (table builders only; walkers never write blindly). */
	int (*write)(void *opaque, uint64_t gpa, unsigned bytes, uint64_t val);
};

/* The page-walk context of one vCPU configuration. */
struct walk_ctx {
	enum paging_mode mode;
	const struct pt_format *fmt;   /* NULL when mode == PAGING_OFF */
	struct x86_paging_regs regs;   /* the registers this context was built from */
	struct x86_cpu_features feat;
	/*
	 * permissions[pfec >> 1]: bit `acc` set = an access with error-code bits
	 * {W, U, RSVD-as-SMAP-override, F} faults on a page whose accumulated
	 * rights are `acc` (ACC_*).  Precomputed, as KVM does, because the rules
	 * (CR0.WP, SMEP, SMAP, NXE) depend only on registers that rarely change,
	 * and the check is then one load and one shift on every walk.
	 */
	uint8_t permissions[16];
	/*
	 * pkru_mask: 2 bits per (pfec >> 1 with RSVD replaced by the PTE's U bit);
	 * the bits say whether PKRU's AD / WD bits of the page's key apply.
	 * Zero unless CR4.PKE and IA-32e paging.
	 */
	uint32_t pkru_mask;
	/* rsvd[ps][level-1]: bits that must be 0 in an entry at `level` (ps = bit 7). */
	uint64_t rsvd[2][PT_MAX_LEVEL];
	uint64_t pdpte_rsvd;  /* PAE: bits that must be 0 in a present PDPTE */
};

enum access_kind { ACCESS_READ, ACCESS_WRITE, ACCESS_FETCH };

/* One access to translate. */
struct walk_access {
	uint64_t gva;
	enum access_kind kind;
	uint8_t cpl;             /* 0..3; 3 is a user-mode access */
	bool eflags_ac;          /* EFLAGS.AC (SMAP override for explicit accesses) */
	bool implicit;           /* an implicit supervisor access (e.g. a GDT read) */
};

enum walk_outcome {
	WALK_OK,   /* translated: gpa valid */
	WALK_PF,   /* #PF with error_code, CR2 = gva */
	WALK_GP,   /* #GP: a non-canonical address */
};

struct walk_result {
	enum walk_outcome outcome;
	uint64_t gpa;              /* WALK_OK: the guest-physical address */
	uint32_t error_code;       /* WALK_PF: PFERR_* */
	int level;                 /* level of the leaf, or where the walk stopped */
	unsigned access;           /* rights accumulated over the whole walk (ACC_*) */
	uint8_t pkey;              /* protection key of the leaf (0 without PKE) */
	/* The entry read at each level, and its gpa; [level] for levels walked. */
	uint64_t entry[PT_MAX_LEVEL + 1];
	uint64_t entry_gpa[PT_MAX_LEVEL + 1];
};

/* The paging mode CR0/CR4/EFER select, or MMU_EMODE if they are inconsistent. */
int paging_mode_of(const struct x86_paging_regs *regs, enum paging_mode *mode);
const char *paging_mode_name(enum paging_mode mode);

/*
 * Build the context for these registers and CPU features: format, masks,
 * permission bitmask.  Returns 0 or MMU_EMODE / MMU_EINVAL.
 */
int walk_ctx_init(struct walk_ctx *ctx, const struct x86_paging_regs *regs,
		  const struct x86_cpu_features *feat);

/*
 * PAE: load the four PDPTRs from the 32-byte table at CR3, as MOV to CR3
 * does.  Returns 0, 1 if a present PDPTE has a reserved bit set (the MOV
 * raises #GP and the registers are unchanged), or a negative MMU_E* code.
 */
int pae_load_pdptrs(const struct x86_paging_regs *regs,
		    const struct x86_cpu_features *feat,
		    const struct guest_mem *mem, uint64_t pdptrs[4]);

/* Is `gva` canonical for this context's linear-address width? */
bool walk_gva_canonical(const struct walk_ctx *ctx, uint64_t gva);

/*
 * Translate one access.  Returns 0 with *res filled (WALK_OK, WALK_PF or
 * WALK_GP), or a negative MMU_E* code when guest memory could not be read
 * (a table outside every memslot): a host-side error, not a guest fault.
 * A/D bits are set only when the access succeeds.
 */
int walk_guest(const struct walk_ctx *ctx, const struct guest_mem *mem,
	       const struct walk_access *acc, struct walk_result *res);

/*
 * Does the permission bitmask make this access fault on a page with rights
 * `pte_access` and protection key `pkey`?  Returns the PFERR_* bits to add
 * (PFERR_PRESENT | ..., or PFERR_PK), or 0 for no fault.  Exposed so tests
 * and backends use the very same rule as the walker.
 */
uint32_t walk_permission_fault(const struct walk_ctx *ctx,
			       const struct walk_access *acc,
			       unsigned pte_access, uint8_t pkey);

/*
 * The error-code bits an access itself contributes to a #PF: W for a
 * write, U for a user-mode access (CPL 3, not implicit), and I/D for a
 * fetch when CR4.SMEP=1 or NX exists (PAE-format entries with EFER.NXE),
 * SDM 4.7.
 */
uint32_t walk_access_pfec(const struct walk_ctx *ctx, const struct walk_access *acc);

/*
 * The parts of walk_ctx_init, one per file, for tests that check one rule
 * at a time.  Each fills its fields of `ctx` from ctx->mode, ctx->regs and
 * ctx->feat.
 */
void walk_ctx_init_permissions(struct walk_ctx *ctx);  /* permission.c */
void walk_ctx_init_pkru_mask(struct walk_ctx *ctx);    /* permission.c */
void walk_ctx_init_rsvd(struct walk_ctx *ctx);         /* rsvd.c */

/* PAE: bits that must be 0 in a present PDPTE with this MAXPHYADDR (SDM table 4-8). */
uint64_t pae_pdpte_rsvd(uint8_t maxphyaddr);

#endif
