/*
 * cli/scenario/load.h — load a scenario file into a `struct scenario`
 * (core/vm/scenario.h), rejecting anything invalid before it can run.
 *
 * A load is four passes, each stopping the load if it found an error:
 *   1. read the file (at most SCN_LOAD_MAX_FILE bytes) and parse it with
 *      libxml2: no entity substitution, no DTD loading, no network, and
 *      any DOCTYPE rejected, so parsing never reads another file;
 *   2. validate against scenarios/mmulab.xsd, compiled into the binary
 *      (build/gen/schema.c): every schema error is reported;
 *   3. turn elements into structs, checking each element on its own
 *      (ranges, alignment, what a paging mode can map, expectations);
 *   4. check elements against each other (overlaps, references,
 *      duplicate ids, guest-physical addresses inside memslots, ...).
 * docs/scenario-format.md lists every rule.
 *
 * Errors are one line each: `FILE:LINE: error: what is wrong (expected
 * ...)`, with FILE the name given to the loader.  They go to stderr unless
 * the caller passes a `struct scenario_diag` (tests capture them; the
 * fuzzer drops them).  The loader has no global state: libxml2's
 * per-thread error handlers are saved and restored around each load.
 */
#ifndef MMULAB_CLI_SCENARIO_LOAD_H
#define MMULAB_CLI_SCENARIO_LOAD_H

#include <stddef.h>

#include "core/vm/scenario.h"

/* Limits that keep a hostile file from costing more than a few hundred MiB. */
#define SCN_LOAD_MAX_FILE (16u << 20)   /* bytes of XML */
#define SCN_LOAD_MAX_PAGE_TABLES 64     /* <page-tables> elements */
#define SCN_LOAD_MAX_MAPS 65536         /* <map> elements, over all page tables */
#define SCN_LOAD_MAX_STEPS 262144       /* step elements, those inside <threads> included */
#define SCN_LOAD_MAX_DIRTY_PAGES (1u << 20) /* pages one <get-dirty-log expect=> lists */
#define SCN_LOAD_MAX_MESSAGES 100       /* error lines reported before giving up */

/* Where a load's messages go, and how many errors it found. */
struct scenario_diag {
	/* Called once per message line (no trailing newline); NULL = stderr. */
	void (*emit)(void *ctx, const char *line);
	void *ctx;            /* passed to emit */
	unsigned nr_errors;   /* set by the loader: errors found (0 when it succeeded) */
};

/*
 * Load and check the scenario in file `path`.  Returns a scenario to free
 * with scenario_free(), or NULL after reporting every error found to
 * stderr (scenario_load_file) or to `diag`.
 */
struct scenario *scenario_load_file(const char *path);
struct scenario *scenario_load_file_diag(const char *path, struct scenario_diag *diag);

/*
 * The same for `len` bytes at `buf` (need not be NUL-terminated); `name`
 * stands for the file in messages and in scenario->file.
 */
struct scenario *scenario_load_memory(const char *buf, size_t len, const char *name);
struct scenario *scenario_load_memory_diag(const char *buf, size_t len, const char *name,
					   struct scenario_diag *diag);

/* Free a loaded scenario and everything it points to; NULL is allowed. */
void scenario_free(struct scenario *s);

#endif
