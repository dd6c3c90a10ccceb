/*
 * cli/describe.h — steps, results and expectations in words, shared by the
 * text output of `mmulab run` and its XML output.
 */
#ifndef MMULAB_CLI_DESCRIBE_H
#define MMULAB_CLI_DESCRIBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/exec.h"

/* The step's element name: "read", "write-gpa", "memslot-create", "threads", ... */
const char *step_kind_name(const struct scn_step *st);
/* Does the step run on a vCPU (access, set, invlpg)? */
bool step_has_vcpu(const struct scn_step *st);
/* "reclaim", "remap", "readonly". */
const char *host_change_name(enum scn_host_change change);
/* "4K", "2M", "1G" for MMU_LEVEL_*. */
const char *backing_name(uint8_t backing);
/* Memslot flags as a file writes them: "readonly dirty-log", "" for none. */
void describe_memslot_flags(uint32_t flags, char *buf, size_t size);
/* "cr0", "cr3", ... */
const char *reg_name(enum scn_reg reg);
/* "ok", "pf", "gp", "done". */
const char *outcome_name(enum step_outcome outcome);
/* "p|w|u" for an error code; "0" for none. */
void describe_error_code(uint32_t ec, char *buf, size_t size);
/* The step's operands: "8 @ 0x400000 cpl3". */
void describe_step(const struct scn_step *st, char *buf, size_t size);
/* The result: "ok 0x1234 (gpa 0x5000)", "#PF p|w cr2 0x401000", "#GP", "dirty 0 3-5". */
void describe_result(const struct step_result *res, char *buf, size_t size);
/*
 * The same, with a get-dirty-log's log told against the strict one (ref's
 * result `ref`, or when NULL the step's expect=) and the target's `walks`
 * (hw/dirty_tables.h): "dirty 4 (+1-3: guest page tables, written by walks
 * on npt)", or "dirty 4 5 (missing 6; extra 5: not guest page tables)".
 */
void describe_result_judged(const struct scenario *s, const struct scn_step *st,
			    const struct step_result *res, const struct step_result *ref,
			    const char *walks, char *buf, size_t size);
/* The expectation: "ok 0x1234", "#PF p|u", "#GP", "dirty none"; "" when none. */
void describe_expect(const struct scn_step *st, char *buf, size_t size);

#endif
