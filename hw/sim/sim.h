/*
 * hw/sim/sim.h — the sim executor's internals: a software CPU that plays the
 * hardware under an MMU backend.
 *
 * It has its own walker, written from the Intel SDM vol. 3 ch. 4 (paging)
 * and ch. 29 (EPT) and the AMD APM vol. 2 §15.25 (nested paging), and it
 * shares no code with core/x86's walker, permission, reserved-bit or format
 * code (design.md rule 3): the two check each other.  Only the constants of
 * core/x86/bits.h and the plain structs of core/x86/walk.h are shared.
 *
 * The pieces, one per file:
 *   tdp_walk.c    the second dimension: gpa -> hpa through EPT or NPT tables
 *   guest_walk.c  the first dimension: gva -> gpa through the guest's tables,
 *                 every guest entry fetched through tdp_walk (the 2D walk)
 *   guest_perm.c  the access rights of SDM 4.6 and the #PF error code of 4.7
 *   tlb.c         a per-vCPU TLB of combined (gva -> hpa) translations
 *   access.c      one access: TLB, walk, exits to the MMU, the data
 *   exec.c        the executor table (open, step, costs, close)
 *   threads.c     STEP_THREADS groups, one pthread per vCPU
 *
 * This header is internal to hw/sim and its tests (tests/sim/).
 */
#ifndef MMULAB_HW_SIM_SIM_H
#define MMULAB_HW_SIM_SIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/mmu/mmu.h"
#include "core/platform.h"
#include "core/x86/walk.h"
#include "hw/exec.h"

/* ---- the TDP dimension (tdp_walk.c) ------------------------------------------ */

/* Rights a TDP translation grants, combined over every level used. */
#define SIM_TDP_R 1u  /* data reads (NPT: P and U everywhere) */
#define SIM_TDP_W 2u  /* data writes */
#define SIM_TDP_X 4u  /* instruction fetches */

/* The "EPTP" / nCR3 the CPU was given. */
struct sim_tdp {
	enum spte_layout layout;  /* EPT or NPT entries */
	hpa_t root;               /* host address of the root table */
	uint8_t levels;           /* 4 or 5 */
	bool ad;                  /* the CPU sets A/D (EPTP bit 6; NPT: always) */
	uint8_t phys_bits;        /* host physical-address width: bits above are reserved */
};

enum sim_tdp_outcome {
	SIM_TDP_OK,          /* translated: hpa valid */
	SIM_TDP_VIOLATION,   /* EPT violation / #NPF without RSVD */
	SIM_TDP_MISCONFIG,   /* EPT misconfiguration / #NPF with RSVD */
};

struct sim_tdp_result {
	enum sim_tdp_outcome outcome;
	hpa_t hpa;            /* SIM_TDP_OK: host address of gpa (offset included) */
	int level;            /* level of the leaf, or where the walk stopped */
	unsigned rights;      /* SIM_TDP_* granted by every level (0 if a level was absent) */
	bool present;         /* VIOLATION: a translation existed but lacked the right */
	bool dirty;           /* SIM_TDP_OK: the leaf is dirty (D set, or no A/D at all) */
	unsigned refs;        /* entries read or updated */
};

/*
 * Translate gpa for one access of `kind` through the TDP tables, setting
 * A (and D on the leaf for a write) when the access is allowed and A/D is
 * on.  0 with *r filled, or MMU_EINVAL when the tables keep changing under
 * the cmpxchg (never with a sane backend).
 */
int sim_tdp_translate(const struct sim_tdp *t, uint64_t gpa, enum access_kind kind,
		      struct sim_tdp_result *r);

/* ---- the guest dimension (guest_walk.c, guest_perm.c) ------------------------ */

/* The rights of a guest translation, accumulated over the levels (SDM 4.6). */
struct sim_guest_rights {
	bool paging;    /* CR0.PG was 1: the rest is meaningful */
	bool user;      /* U/S = 1 in every paging-structure entry */
	bool writable;  /* R/W = 1 in every paging-structure entry */
	bool xd;        /* XD = 1 in some entry (counts only with EFER.NXE) */
	uint8_t pkey;   /* the leaf's protection key (IA-32e paging) */
};

/* A successful combined translation: what a TLB entry caches. */
struct sim_translation {
	uint64_t va;          /* linear address of the page (aligned to size) */
	uint64_t size;        /* smaller of the guest and TDP page sizes */
	uint64_t guest_size;  /* the guest page it is part of (INVLPG flushes all of it) */
	uint64_t gpa;         /* guest-physical address of the page */
	hpa_t hpa;            /* host address of the page */
	struct sim_guest_rights guest;  /* raw guest rights, checked again on every hit */
	unsigned tdp_rights;  /* SIM_TDP_* */
	bool dirty;           /* D set in the guest leaf (or paging off) and in the TDP leaf */
	bool global;          /* G in the leaf with CR4.PGE */
};

enum sim_outcome {
	SIM_OK,    /* translated: tr valid */
	SIM_PF,    /* #PF to the guest: error_code (CR2 = the gva) */
	SIM_GP,    /* #GP: a non-canonical address */
	SIM_EXIT,  /* an exit to the MMU: exit valid */
};

/* One access the CPU performs, with the state it depends on. */
struct sim_walk_in {
	const struct x86_paging_regs *regs;  /* CR0/CR3/CR4/EFER/PKRU and the PDPTRs */
	uint8_t maxphyaddr;                  /* the guest's physical-address width */
	bool gbpages;                        /* 1 GiB guest pages exist */
	struct walk_access acc;              /* gva, kind, CPL, AC, implicit */
	const struct sim_tdp *tdp;           /* the second dimension */
	/*
	 * Guest entries in a read-only memslot whose write access (an A/D
	 * update, or on NPT and EPT with A/D any walk access) the hypervisor
	 * emulated: the walk reads them, as the emulation does, and leaves
	 * their A/D alone.
	 */
	const uint64_t *ad_skip;
	unsigned nr_ad_skip;
};

struct sim_walk_out {
	enum sim_outcome outcome;
	uint32_t error_code;      /* SIM_PF: PFERR_* */
	struct mmu_fault exit;    /* SIM_EXIT: addr, access, present, rsvd, guest_table */
	struct sim_translation tr; /* SIM_OK */
	uint64_t refs;            /* memory references of both dimensions */
};

/*
 * The 2D walk of one access (no TLB): guest tables, each entry fetched
 * through the TDP tables.  A/D bits are set (in both dimensions) only when
 * the access succeeds.  0 with *out filled, or a negative MMU_E* code.
 */
int sim_translate(const struct sim_walk_in *in, struct sim_walk_out *out);

/* The paging mode the registers select (SDM 4.1.1); MMU_EMODE if none. */
int sim_paging_mode(const struct x86_paging_regs *regs, enum paging_mode *mode);

/*
 * SDM 4.6: does this access fault on a page with these rights?  Returns
 * the #PF error code (with P set) or 0.  Used by the walker and on every
 * TLB hit, with the registers current at the access.
 */
uint32_t sim_guest_perm_fault(const struct x86_paging_regs *regs,
			      const struct walk_access *acc,
			      const struct sim_guest_rights *rights);

/* SDM 4.7: the error-code bits the access itself contributes (W, U/S, I/D). */
uint32_t sim_access_pfec(const struct x86_paging_regs *regs, const struct walk_access *acc);

/* ---- the TLB (tlb.c) ------------------------------------------------------------ */

#define SIM_TLB_ENTRIES 64

struct sim_tlb_entry {
	bool valid;              /* holds a translation */
	struct sim_translation tr; /* the combined translation */
	uint16_t pcid;           /* CR3's PCID at fill (0 without CR4.PCIDE) */
	hpa_t root;              /* TDP root the translation came from */
	uint64_t last_use;       /* LRU stamp */
};

/* Per vCPU.  Its own thread fills and looks up; any thread may flush. */
struct sim_tlb {
	pthread_mutex_t lock;    /* protects every field below */
	struct sim_tlb_entry e[SIM_TLB_ENTRIES];
	uint64_t clock;          /* LRU time, bumped on every use */
	uint64_t flush_gen;      /* bumped by every flush: a walk that raced one may not fill */
	uint64_t hits;           /* lookups that were used */
	uint64_t misses;         /* lookups that walked */
	uint64_t flushes;        /* flushes of any kind */
};

int sim_tlb_init(struct sim_tlb *tlb);
void sim_tlb_destroy(struct sim_tlb *tlb);

/*
 * The entry for gva usable under (pcid, root), copied to *tr.  A hit is
 * only a candidate: the caller checks its rights and counts it.  false if
 * none.  *gen gets the flush generation to hand to sim_tlb_fill.
 */
bool sim_tlb_lookup(struct sim_tlb *tlb, uint64_t gva, uint16_t pcid, hpa_t root,
		    struct sim_translation *tr, uint64_t *gen);
void sim_tlb_count(struct sim_tlb *tlb, bool hit);
/*
 * May a cached translation serve this access, with the registers of now?
 * Not if the guest rights or the TDP rights forbid it, nor for a write
 * before D is set in both dimensions (the walk must set it, SDM 4.8).
 */
bool sim_translation_allows(const struct x86_paging_regs *regs, const struct walk_access *acc,
			    const struct sim_translation *tr);
/* Cache tr, unless a flush happened since generation `gen` was read. */
void sim_tlb_fill(struct sim_tlb *tlb, const struct sim_translation *tr, uint16_t pcid,
		  hpa_t root, uint64_t gen);

void sim_tlb_flush_all(struct sim_tlb *tlb);
/* MOV to CR3: entries of `pcid` that are not global (SDM 4.10.4.1). */
void sim_tlb_flush_pcid(struct sim_tlb *tlb, uint16_t pcid);
/*
 * INVLPG: every entry for the guest page holding gva (a TLB entry may be
 * a fragment of a bigger guest page, SDM 4.10.2.3), global or not, of any
 * PCID.
 */
void sim_tlb_flush_gva(struct sim_tlb *tlb, uint64_t gva);

/* ---- the executor (exec.c, access.c, threads.c) ----------------------------------- */

struct sim;

struct sim_vcpu {
	struct sim *sim;          /* owner */
	struct vcpu *vcpu;        /* the VM's vCPU: registers, CPL, AC, MMU context */
	struct sim_tlb tlb;       /* its TLB */
	/* Costs, written by the vCPU's own thread only (read after it joins). */
	uint64_t exits[EXEC_NR_EXITS];
	uint64_t walk_refs;       /* references of its 2D walks */
};

struct sim {
	const struct scenario *s;            /* what runs (for messages) */
	struct vm *vm;                       /* the VM, with its MMU attached */
	struct sim_vcpu *vcpus[MMU_MAX_VCPUS]; /* by vCPU id; NULL = none */
};

/* One STEP_ACCESS on its vCPU.  0 with *res filled, or nonzero with *err. */
int sim_access(struct sim *sim, const struct scn_step *st, struct step_result *res,
	       struct exec_error *err);
/* Any other step: the VM's part (vm_step) plus what the CPU adds (TLB flushes). */
int sim_step(void *state, const struct scn_step *st, struct step_result *res,
	     struct exec_error *err);
int sim_run_threads(void *state, const struct scn_step *steps, unsigned n,
		    struct step_result *res, struct exec_error *err);
/* The TDP the vCPU's CPU walks now (mmu_current_root and the MMU's format). */
void sim_vcpu_tdp(const struct sim_vcpu *sv, struct sim_tdp *t);
/* Fill *err with the step's line and a message (and code in words unless 0); returns code or MMU_EINVAL. */
int sim_error(struct exec_error *err, int line, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
