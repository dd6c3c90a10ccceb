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

#include "core/mmu/mmu.h"
#include "core/x86/walk.h"

#define SCN_MAX_MEMSLOTS MMU_MAX_MEMSLOTS
#define SCN_MAX_VCPUS MMU_MAX_VCPUS
#define SCN_MAX_MMIO 16

/* Memslot flags: the MMU's. */
#define MEMSLOT_READONLY  MMU_SLOT_READONLY
#define MEMSLOT_DIRTY_LOG MMU_SLOT_DIRTY_LOG

struct scn_memslot {
	int line;
	uint32_t id;        /* user-chosen slot id, unique */
	uint64_t base_gpa;  /* 4 KiB aligned */
	uint64_t size;      /* bytes, 4 KiB multiple, > 0 */
	uint32_t flags;     /* MEMSLOT_* */
	uint8_t backing;    /* host pages backing it: MMU_LEVEL_4K (default), _2M, _1G */
};

/*
 * One <mmio>: a guest-physical range with a device behind it and no
 * memslot.  The device (core/vm/mmio.h) is a bank of 8-byte registers that
 * read as all ones until written, so results are the same everywhere.
 */
struct scn_mmio {
	int line;
	uint64_t base;      /* 8-byte aligned */
	uint64_t size;      /* bytes, multiple of 8 */
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
	STEP_MEMSLOT_CREATE, /* add a memslot (u.slot: all fields) */
	STEP_MEMSLOT_DELETE, /* remove memslot u.slot.id; its contents are gone */
	STEP_MEMSLOT_MOVE,   /* memslot u.slot.id now starts at u.slot.base_gpa; contents move with it */
	STEP_MEMSLOT_FLAGS,  /* memslot u.slot.id gets u.slot.flags (only dirty-log may change) */
	STEP_DIRTY_LOG_GET,  /* fetch and clear the dirty log of u.dirty.slot; may expect pages */
	STEP_DIRTY_LOG_CLEAR, /* forget pages [first, first+count) of the log and re-arm them */
	STEP_HOST_INVALIDATE, /* the host changes the pages behind [gpa, gpa+size) (u.host) */
	STEP_HOST_AGE,       /* the host ages [gpa, gpa+size) (access tracking); no guest-visible result */
	STEP_THREADS,        /* the next u.threads.nr_steps steps run on their vCPUs concurrently */
};

/* What the host does to the pages behind a range. */
enum scn_host_change {
	HOST_RECLAIM,   /* swapped out: the contents come back on next touch, in a new frame */
	HOST_REMAP,     /* migrated: the contents move to a new frame now */
	HOST_READONLY,  /* made read-only (KSM / fork): the next write gets a private copy */
};

enum scn_reg { REG_CR0, REG_CR3, REG_CR4, REG_EFER, REG_PKRU, REG_CPL, REG_EFLAGS_AC };

/* What a step is expected to produce; absent = anything. */
enum scn_expect_kind { EXPECT_NONE, EXPECT_OK, EXPECT_PF, EXPECT_GP };

struct scn_expect {
	enum scn_expect_kind kind;   /* ACCESS, SET_REG; DIRTY_LOG_GET uses EXPECT_OK + dirty pages */
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
		struct {
			uint32_t id;
			uint64_t base_gpa;   /* CREATE, MOVE */
			uint64_t size;       /* CREATE */
			uint32_t flags;      /* CREATE, FLAGS */
			uint8_t backing;     /* CREATE: MMU_LEVEL_* */
		} slot;
		struct {
			uint32_t slot;       /* memslot id */
			uint64_t first;      /* CLEAR: first page (relative to the slot) */
			uint64_t count;      /* CLEAR: pages */
			/* GET with expect: the pages (relative to the slot) that must be dirty, sorted */
			uint64_t *pages;
			unsigned nr_pages;
			/*
			 * GET: the slot's first gpa when this step runs (the loader
			 * follows memslot moves): page i of the log is the 4K page
			 * at slot_base + i * 4K.
			 */
			uint64_t slot_base;
		} dirty;
		struct {
			uint64_t gpa;        /* 4K aligned */
			uint64_t size;       /* 4K multiple */
			enum scn_host_change change; /* INVALIDATE */
			bool test_only;      /* AGE: look, do not clear */
		} host;
		struct {
			unsigned nr_steps;   /* steps that follow and belong to the group (accesses only) */
		} threads;
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
	struct scn_mmio mmio[SCN_MAX_MMIO];
	unsigned nr_mmio;
	struct scn_page_tables *page_tables;
	unsigned nr_page_tables;
	struct scn_vcpu vcpus[SCN_MAX_VCPUS];
	unsigned nr_vcpus;
	struct scn_step *steps;
	unsigned nr_steps;
};

#endif
