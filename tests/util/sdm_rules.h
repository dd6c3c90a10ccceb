/*
 * tests/util/sdm_rules.h — the SDM's paging rules, stated on their own.
 *
 * The oracle of the exhaustive permission test (tests/x86/
 * permission_matrix_test.c): given the entries the CPU reads to translate
 * one linear address, the register bits paging depends on, and the access,
 * it answers whether the access faults and with which error code, the
 * physical address if it does not, and what the entries hold afterwards.
 *
 * It is written from the Intel SDM vol. 3 alone — 4.3 (32-bit paging),
 * 4.4 (PAE), 4.5 (4- and 5-level paging), 4.6 (access rights), 4.6.2
 * (protection keys), 4.7 (the page-fault error code), 4.8 (A/D flags) —
 * and shares nothing with core/x86: no ACC_* rights, no permission bitmask,
 * no format tables, not even the walker's enums.  Each rule is a plain
 * if-statement next to the sentence it implements, so a disagreement with
 * the walker is settled by reading the SDM, not by reading either program.
 *
 * Reserved bits: the only one modelled is XD with IA32_EFER.NXE = 0 (the
 * one the permission matrix sets on purpose).  Callers set no other
 * reserved bit, and give PAE PDPTEs as MOV to CR3 would have loaded them.
 */
#ifndef MMULAB_TESTS_SDM_RULES_H
#define MMULAB_TESTS_SDM_RULES_H

#include <stdbool.h>
#include <stdint.h>

/* Levels count up from the PTE (1) to the root (2, 3, 4 or 5). */
#define SDM_MAX_LEVEL 5

enum sdm_paging {
	SDM_PAGING_32,      /* SDM 4.3: 4-byte entries, PD and PT */
	SDM_PAGING_PAE,     /* SDM 4.4: PDPTE registers, PD, PT */
	SDM_PAGING_4LEVEL,  /* SDM 4.5: PML4, PDPT, PD, PT */
	SDM_PAGING_5LEVEL,  /* SDM 4.5: PML5 above the PML4 */
};

enum sdm_access_type { SDM_READ, SDM_WRITE, SDM_FETCH };

/* One access to judge: everything the SDM says the outcome depends on. */
struct sdm_case {
	enum sdm_paging paging;  /* the paging mode in force */
	/*
	 * entry[level] for level = root .. 1: what the walk would read there
	 * (the PDPTE register for PAE level 3).  Levels below the first entry
	 * that maps a page or is not present are never looked at.
	 */
	uint64_t entry[SDM_MAX_LEVEL + 1];
	uint64_t linear;         /* the linear address accessed */
	bool cr0_wp;             /* CR0.WP: supervisor writes honour R/W */
	bool cr4_pse;            /* CR4.PSE: 4-MByte pages in 32-bit paging */
	bool cr4_smep;           /* CR4.SMEP */
	bool cr4_smap;           /* CR4.SMAP */
	bool cr4_pke;            /* CR4.PKE: protection keys for user pages */
	bool efer_nxe;           /* IA32_EFER.NXE: the XD flag is in force */
	uint32_t pkru;           /* PKRU: AD_i = bit 2i, WD_i = bit 2i+1 */
	enum sdm_access_type type;  /* data read, data write, instruction fetch */
	unsigned cpl;            /* current privilege level, 0..3 */
	bool eflags_ac;          /* EFLAGS.AC */
	bool implicit;           /* an implicit supervisor-mode access (GDT, IDT, TSS) */
};

/* What the SDM says happens. */
struct sdm_verdict {
	bool fault;              /* a #PF is delivered */
	uint32_t error_code;     /* fault: the error code pushed (SDM 4.7) */
	uint64_t physical;       /* !fault: the physical address accessed */
	int leaf_level;          /* level of the entry that maps the page; 0 if none */
	/*
	 * The walk produced a translation (no P = 0, no reserved bit), so the
	 * access rights of 4.6 decided the outcome.
	 */
	bool translated;
	/* entry_after[level]: the entries once the access is done (A/D flags). */
	uint64_t entry_after[SDM_MAX_LEVEL + 1];
};

/* Judge one access by the SDM's rules. */
void sdm_judge(const struct sdm_case *c, struct sdm_verdict *v);

/* The root level of a paging mode: 2, 3, 4 or 5. */
int sdm_root_level(enum sdm_paging paging);

/* Does this mode have A flags in the entry at `level`? (No: PAE PDPTEs.) */
bool sdm_has_accessed_flag(enum sdm_paging paging, int level);

#endif
