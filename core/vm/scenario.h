/*
 * core/vm/scenario.h — a scenario as data: the VM to build and the steps to
 * run on it.
 *
 * The loader (cli/scenario/, libxml2 + the XSD in scenarios/) fills it from a
 * file and has already checked everything that can be checked before running
 * (see docs/scenario-format.md); executors (hw/) only run it.  Every element
 * keeps its source line so a run-time error or a failed expectation can say
 * FILE:LINE.  The structure is plain data so that it can be handed to the
 * kernel module as well.
 */
#ifndef MMULAB_CORE_VM_SCENARIO_H
#define MMULAB_CORE_VM_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/x86/walk.h"

#define SCN_MAX_MEMSLOTS 32
#define SCN_MAX_VCPUS 64

/* Memslot flags. */
#define MEMSLOT_READONLY  (1u << 0)
#define MEMSLOT_DIRTY_LOG (1u << 1)

struct scn_memslot {
	int line;
	uint32_t id;        /* user-chosen slot id, unique */
	uint64_t base_gpa;  /* 4 KiB aligned */
	uint64_t size;      /* bytes, 4 KiB multiple, > 0 */
	uint32_t flags;     /* MEMSLOT_* */
};

/* One <map>: a leaf in a set of guest page tables. */
struct scn_mapping {
	int line;
	uint64_t va;
	uint64_t gpa;
	int level;           /* 1 = 4K, 2 = 2M (4M in 32-bit paging), 3 = 1G */
	unsigned acc;        /* ACC_* of the leaf */
	uint64_t leaf_extra; /* format-native extra leaf bits: A, D, G, PWT, PCD, PAT, pkey */
	unsigned table_acc;  /* ACC_* of tables created on the way */
};

/* One <page-tables>: a tree of guest tables built before any step runs. */
struct scn_page_tables {
	int line;
	const char *name;          /* referenced by vCPUs and <set cr3> */
	const struct pt_format *fmt;
	uint64_t root;             /* gpa of the root table */
	uint64_t pool_start;       /* tables after the root come from here */
	uint64_t pool_end;
	struct scn_mapping *maps;
	unsigned nr_maps;
};

struct scn_vcpu {
	int line;
	uint32_t id;                   /* 0..SCN_MAX_VCPUS-1, unique */
	struct x86_paging_regs regs;   /* initial CR0/CR3/CR4/EFER/PKRU */
	uint8_t cpl;                   /* initial CPL */
	bool eflags_ac;                /* initial EFLAGS.AC */
};

enum scn_step_kind {
	STEP_ACCESS,     /* a guest access through paging */
	STEP_WRITE_GPA,  /* store a value at a guest-physical address */
	STEP_CHECK_GPA,  /* expect a value at a guest-physical address */
	STEP_SET_REG,    /* load a register of a vCPU */
	STEP_INVLPG,     /* INVLPG va (no effect on ref; flushes TLBs elsewhere) */
};

enum scn_reg { REG_CR0, REG_CR3, REG_CR4, REG_EFER, REG_PKRU, REG_CPL, REG_EFLAGS_AC };

/* What a step is expected to produce; absent = anything. */
enum scn_expect_kind { EXPECT_NONE, EXPECT_OK, EXPECT_PF, EXPECT_GP };

struct scn_expect {
	enum scn_expect_kind kind;
	bool has_value;       /* EXPECT_OK: compare the value read */
	uint64_t value;
	uint32_t error_code;  /* EXPECT_PF: the exact #PF error code */
};

struct scn_step {
	int line;
	enum scn_step_kind kind;
	uint32_t vcpu;            /* STEP_ACCESS, STEP_SET_REG, STEP_INVLPG */
	union {
		struct {
			enum access_kind kind;
			uint64_t gva;
			uint8_t size;        /* 1, 2, 4, 8; never crosses a page */
			uint64_t value;      /* written by ACCESS_WRITE */
			int cpl;             /* -1 = the vCPU's current CPL */
			int eflags_ac;       /* -1 = the vCPU's current EFLAGS.AC */
			int implicit;        /* 1 = an implicit supervisor access (SMAP ignores AC) */
		} access;
		struct {
			uint64_t gpa;
			uint8_t size;
			uint64_t value;      /* WRITE_GPA: stored; CHECK_GPA: expected */
		} mem;
		struct {
			enum scn_reg reg;
			uint64_t value;
		} set;
		struct {
			uint64_t gva;
		} invlpg;
	} u;
	struct scn_expect expect;   /* ACCESS and SET_REG (a CR3 load may #GP) */
};

struct scenario {
	const char *file;          /* path it was loaded from, for messages */
	const char *name;
	const char *description;
	struct x86_cpu_features feat;
	struct scn_memslot memslots[SCN_MAX_MEMSLOTS];
	unsigned nr_memslots;
	struct scn_page_tables *page_tables;
	unsigned nr_page_tables;
	struct scn_vcpu vcpus[SCN_MAX_VCPUS];
	unsigned nr_vcpus;
	struct scn_step *steps;
	unsigned nr_steps;
};

#endif
