/*
 * cli/target.h — a "target": where and how a scenario runs, named in one
 * word so `mmulab compare` can list several.
 *
 *   ref                     no virtualization (the architectural answer)
 *   tdp-ept                 the TDP backend, EPT tables with A/D bits, on sim
 *   tdp-ept-noad            ... EPT without A/D (access tracking is emulated)
 *   tdp-npt                 ... NPT tables
 * and modifiers after '+': +dbit (dirty logging by D bits instead of
 * write protection), +eager (eager page splitting when logging starts),
 * +trace (record MMU trace events).  Example: tdp-npt+dbit+eager.
 */
#ifndef MMULAB_CLI_TARGET_H
#define MMULAB_CLI_TARGET_H

#include <stdbool.h>
#include <stdio.h>

#include "hw/exec.h"

struct target {
	char name[64];                    /* as written, e.g. "tdp-npt+dbit" */
	const struct executor_ops *ex;    /* ref, sim, ... */
	struct exec_config cfg;           /* backend and MMU settings */
};

/*
 * Parse "BACKEND-FORMAT[+MOD...]" (or "ref") to run on executor `hw`
 * ("sim" when NULL; ignored for ref).  0, or -1 with a message on stderr.
 */
int target_parse(const char *spec, const char *hw, struct target *t);
/*
 * Parse a comma-separated list "T1,T2,..." (or, when list is NULL, the
 * NULL-terminated defaults) into t[*n], t[*n + 1], ... with at most max
 * targets in t in all, advancing *n.  0, or -1 with a message on stderr.
 */
int target_parse_list(const char *list, const char *const defaults[], const char *hw,
		      struct target *t, unsigned max, unsigned *n);
/* The targets `mmulab compare` runs by default after ref. */
extern const char *const default_compare_targets[];
/* Print the accepted target names for --help. */
void target_usage(FILE *out);

#endif
