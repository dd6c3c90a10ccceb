/*
 * cli/scenario/loader.h — what the loader's files share (not for callers:
 * they use load.h).
 *
 *   load.c         reading, libxml2 parsing and schema validation, messages
 *   attr.c         reading one attribute as a number, flag list, ...
 *   build.c        <vm>, <memslot>, <page-tables>, <map>, <vcpu> to structs
 *   build_steps.c  <steps> to struct scn_step
 *   check.c        memslots and page tables against each other
 *   check_maps.c   the maps of one set of page tables against each other
 *   check_steps.c  steps against vCPUs, memslots and the vCPU's paging mode
 *   check_layout.c memslot, dirty-log and host steps against the memslot
 *                  layout as the steps before them leave it
 *   check_rsv.c    the ranges reserved for the kmod executor's guest
 */
#ifndef MMULAB_CLI_SCENARIO_LOADER_H
#define MMULAB_CLI_SCENARIO_LOADER_H

#include <stdbool.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "cli/scenario/load.h"
#include "cli/scenario/parse_num.h"
#include "core/x86/walk.h"

/* One load in progress. */
struct scn_loader {
	const char *name;            /* the file name, as given, for messages */
	struct scenario_diag *diag;  /* where messages go; diag->nr_errors counts errors */
	unsigned nr_messages;        /* lines emitted so far (capped) */
	bool doctype;                /* the parser met a DOCTYPE and was stopped there */
	long doctype_line;           /* the DOCTYPE's line */
	struct scenario *s;          /* the scenario being filled */
	unsigned nr_maps;            /* <map>s so far, over all page tables */
};

/* Report `FILE:LINE: error: ...` (printf format) and count the error. */
void scn_error(struct scn_loader *ld, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The line of an element, for messages. */
long scn_line(const xmlNode *node);

/* ---- attr.c: one attribute of an element ------------------------------------ */

/* Results of the scn_attr_* readers. */
enum scn_attr { SCN_ATTR_BAD = -1, SCN_ATTR_ABSENT = 0, SCN_ATTR_OK = 1 };

/* Is the attribute there at all? */
bool scn_attr_has(const xmlNode *node, const char *attr);
/* A copy of the value (trimmed), to free(); NULL if absent or out of memory. */
char *scn_attr_dup(const xmlNode *node, const char *attr);

/*
 * Readers: SCN_ATTR_OK with *out set, SCN_ATTR_ABSENT (nothing written),
 * or SCN_ATTR_BAD after reporting why at the element's line.  The _req
 * forms report an absent attribute as an error too.
 */
enum scn_attr scn_attr_u64(struct scn_loader *ld, const xmlNode *node, const char *attr,
			   uint64_t *out);
enum scn_attr scn_attr_u64_req(struct scn_loader *ld, const xmlNode *node,
			       const char *attr, uint64_t *out);
enum scn_attr scn_attr_size_req(struct scn_loader *ld, const xmlNode *node,
				const char *attr, uint64_t *out);
enum scn_attr scn_attr_bool(struct scn_loader *ld, const xmlNode *node, const char *attr,
			    bool *out);
enum scn_attr scn_attr_flags(struct scn_loader *ld, const xmlNode *node, const char *attr,
			     const struct scn_flag_name *names, uint64_t *out);
enum scn_attr scn_attr_error_code(struct scn_loader *ld, const xmlNode *node,
				  const char *attr, uint64_t *out);
enum scn_attr scn_attr_range(struct scn_loader *ld, const xmlNode *node, const char *attr,
			     uint64_t *start, uint64_t *end);
/* One of `names` (NULL-terminated): *out = its index. */
enum scn_attr scn_attr_enum(struct scn_loader *ld, const xmlNode *node, const char *attr,
			    const char *const *names, int *out);
/* An element named `name`? */
bool scn_is(const xmlNode *node, const char *name);

/* ---- build.c, build_steps.c ------------------------------------------------------ */

/* A <memslot> or <memslot-create>'s id, base, size, flags and backing into *m. */
bool scn_build_memslot(struct scn_loader *ld, const xmlNode *node, struct scn_memslot *m);
/* flags= of a memslot element, as MEMSLOT_* (absent: untouched). */
enum scn_attr scn_attr_memslot_flags(struct scn_loader *ld, const xmlNode *node, uint32_t *out);

/* Fill ld->s from the root element; errors are reported and counted. */
void scn_build(struct scn_loader *ld, const xmlNode *root);
void scn_build_steps(struct scn_loader *ld, const xmlNode *steps);

/* The page tables named `name`, or NULL. */
const struct scn_page_tables *scn_find_page_tables(const struct scenario *s, const char *name);
/* The name a scenario file uses for a table format: "32-bit-pse", "pae", ... */
const char *scn_paging_name(const struct pt_format *fmt);

/* ---- check.c, check_steps.c ------------------------------------------------------- */

/* 2^MAXPHYADDR: the first guest-physical address the VM cannot have. */
uint64_t scn_phys_limit(const struct scenario *s);
/* The memslot of `slots` holding gpa, or NULL. */
const struct scn_memslot *scn_memslot_at(const struct scn_memslot *slots, unsigned nr,
					 uint64_t gpa);
/*
 * Is [gpa, gpa+len) inside memslots (several adjacent ones may cover it)?
 * If not, *hole = the first byte that is not.  _by: of a given layout;
 * without: of the scenario's initial memslots.
 */
bool scn_gpa_covered_by(const struct scn_memslot *slots, unsigned nr, uint64_t gpa,
			uint64_t len, uint64_t *hole);
bool scn_gpa_covered(const struct scenario *s, uint64_t gpa, uint64_t len, uint64_t *hole);
/* The <mmio> range overlapping [gpa, gpa+len), or NULL. */
const struct scn_mmio *scn_mmio_at(const struct scenario *s, uint64_t gpa, uint64_t len);
/*
 * Check a guest-physical range named `what` ("map gpa", "root", ...):
 * below MAXPHYADDR and inside memslots (the initial ones, or `slots`).
 * Reports and returns false if not.
 */
bool scn_check_gpa_range(struct scn_loader *ld, long line, const char *what, uint64_t gpa,
			 uint64_t len);
bool scn_check_gpa_in(struct scn_loader *ld, long line, const char *what, uint64_t gpa,
		      uint64_t len, const struct scn_memslot *slots, unsigned nr);
/* A map's page: in memslots now or after a memslot step, or an MMIO page. */
bool scn_check_map_target(struct scn_loader *ld, long line, uint64_t gpa, uint64_t len);
/* Bytes of a backing (MMU_LEVEL_*). */
uint64_t scn_backing_bytes(uint8_t backing);
/* A memslot's base and size are multiples of its backing.  Reports and returns false if not. */
bool scn_check_backing(struct scn_loader *ld, long line, const struct scn_memslot *m);

/* Every memslot, page-tables and vcpu; then check_maps.c for each set of tables. */
void scn_check_vm(struct scn_loader *ld);
/* The maps of one set of page tables: memory, overlaps, shared tables, pool size. */
void scn_check_maps(struct scn_loader *ld, const struct scn_page_tables *pt);
void scn_check_steps(struct scn_loader *ld);

/* ---- check_rsv.c ------------------------------------------------------------------ */

/*
 * Does [va, va + len) stay out of the linear range `mode` reserves, and
 * [gpa, gpa + len) out of the reserved guest-physical range
 * (core/vm/reserved.h)?  Each reports at `line`, naming `what` ("va",
 * "map va", "memslot 3", "mmio"), and returns false if not.
 */
bool scn_check_rsv_va(struct scn_loader *ld, long line, const char *what,
		      enum paging_mode mode, uint64_t va, uint64_t len);
bool scn_check_rsv_gpa(struct scn_loader *ld, long line, const char *what, uint64_t gpa,
		       uint64_t len);

/* ---- check_layout.c ------------------------------------------------------------------ */

/* The memslots as the steps so far leave them. */
struct scn_layout {
	struct scn_memslot slots[SCN_MAX_MEMSLOTS]; /* in no particular order */
	unsigned nr;
};

/* The layout before the first step: the scenario's memslots. */
void scn_layout_init(struct scn_layout *l, const struct scenario *s);
/*
 * Check a memslot, dirty-log or host step against the layout, and apply
 * it (a memslot step that has an error changes nothing).  A get-dirty-log
 * step records where its slot is (u.dirty.slot_base).
 */
void scn_layout_step(struct scn_loader *ld, struct scn_layout *l, struct scn_step *st);

#endif
