/*
 * hw/dirty_tables.h — guest page-table pages in dirty logs: which extra
 * pages a target's log may hold, and which targets may hold them.
 *
 * On NPT every access the CPU makes to a guest paging structure is a
 * user-mode write for the nested walk (AMD APM vol. 2, 15.25.5); on EPT
 * with A/D flags enabled (EPTP bit 6) such accesses are writes for EPT
 * (Intel SDM vol. 3, 29.3.5).  So on those second stages a walk makes
 * every guest table page it reads dirty, A/D update or not.  Hardware
 * walks only on TLB misses and skips the levels its paging-structure
 * caches hold, so which table pages get logged depends on
 * microarchitectural state: a dirty log is not one exact set any more.
 * What the architecture does promise is
 *
 *     strict ⊆ log ⊆ strict ∪ T
 *
 * with strict what the guest wrote (data writes and A/D updates: ref's
 * log) and T the pages holding the guest's paging structures.  mmulab
 * takes T from the scenario: the 4K page of every <page-tables> root and
 * every page of its pool (docs/scenario-format.md, "Guest page-table
 * pages in the log").  Every other target's log must be strict exactly.
 */
#ifndef MMULAB_HW_DIRTY_TABLES_H
#define MMULAB_HW_DIRTY_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/exec.h"

/*
 * Does the target's second stage see the CPU's guest-table accesses as
 * writes?  The reason in words ("npt", "ept with A/D") if so, else NULL
 * (ref, EPT without A/D).  The kmod executor runs the same configs.
 */
const char *exec_walks_write_tables(const struct exec_config *cfg);

/* Is the 4K page holding gpa in T: a <page-tables> root's page or pool page? */
bool scenario_holds_tables(const struct scenario *s, uint64_t gpa);

/* A page of a dirty log, against the strict log. */
enum dirty_kind {
	DIRTY_LOGGED,   /* in the log, whatever else */
	DIRTY_STRICT,   /* in the log and written by the guest */
	DIRTY_MISSING,  /* written by the guest, not in the log */
	DIRTY_TABLES,   /* in the log only, and in T */
	DIRTY_OTHER,    /* in the log only, and not in T */
};

/*
 * One get-dirty-log's log against the strict one.  A view: it owns
 * nothing.  The strict log is ref's log (a bitmap of the same size) or,
 * when strict is NULL, the step's expect= pages.
 */
struct dirty_diff {
	const struct scenario *s;   /* T: its page tables */
	const struct scn_step *st;  /* the get-dirty-log: slot_base, expect= */
	const uint64_t *log;        /* the log judged, one bit per page of the slot */
	const uint64_t *strict;     /* ref's log, or NULL for st's expect= pages */
	uint64_t npages;            /* pages of the slot: bits in log (and strict) */
};

/* The pages 64*w .. 64*w+63 of `kind`, one bit each. */
uint64_t dirty_diff_word(const struct dirty_diff *d, uint64_t w, enum dirty_kind kind);
/* Is any page of `kind`? */
bool dirty_diff_has(const struct dirty_diff *d, enum dirty_kind kind);
/*
 * Does the log keep to what the architecture allows: nothing missing,
 * nothing outside T, and pages of T only when `walks` (from
 * exec_walks_write_tables) says the target's walks write them?
 */
bool dirty_diff_allowed(const struct dirty_diff *d, const char *walks);
/* The pages of `kind` as "1-3 5" ("" when none), like describe_dirty_bitmap. */
void describe_dirty_kind(const struct dirty_diff *d, enum dirty_kind kind, char *buf,
			 size_t size);

#endif
