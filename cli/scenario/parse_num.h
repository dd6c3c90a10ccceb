/*
 * cli/scenario/parse_num.h — the value syntax of scenario attributes,
 * without libxml2: numbers, byte sizes, booleans, flag lists, #PF error
 * codes and guest-physical ranges.  docs/scenario-format.md ("Numbers")
 * describes the syntax; the XSD patterns say the same thing.
 *
 * Each parser takes a NUL-terminated string (surrounding white space is
 * allowed, as XSD tokens collapse it) and returns SCN_PARSE_OK, or why it
 * failed; *out is written only on success.
 */
#ifndef MMULAB_CLI_SCENARIO_PARSE_NUM_H
#define MMULAB_CLI_SCENARIO_PARSE_NUM_H

#include <stdbool.h>
#include <stdint.h>

enum scn_parse_status {
	SCN_PARSE_OK,
	SCN_PARSE_SYNTAX,  /* not in the syntax at all */
	SCN_PARSE_RANGE,   /* well-formed, but does not fit in 64 bits */
	SCN_PARSE_NAME,    /* a list item that is not one of the known names */
};

/* A name in a flag list and the bits it stands for. */
struct scn_flag_name {
	const char *name;
	uint64_t bits;
};

/* Decimal or 0x hex, with "_" allowed between digits: 4096, 0x1000, 0xffff_8000_0000_0000. */
enum scn_parse_status scn_parse_u64(const char *s, uint64_t *out);

/* A number with an optional binary suffix K, M, G or T: 4K = 4096. */
enum scn_parse_status scn_parse_size(const char *s, uint64_t *out);

/* XSD booleans: true, false, 1, 0. */
enum scn_parse_status scn_parse_bool(const char *s, bool *out);

/*
 * A white-space separated list of names from `names` (terminated by a NULL
 * name); *out = the OR of their bits.  The empty list is 0.  On
 * SCN_PARSE_NAME, *bad_at is the offset of the unknown name in `s`.
 */
enum scn_parse_status scn_parse_flags(const char *s, const struct scn_flag_name *names,
				      uint64_t *out, unsigned *bad_at);

/* A #PF error code: a number, or names p, w, u, rsvd, f, pk joined by "|" (SDM 4.7). */
enum scn_parse_status scn_parse_error_code(const char *s, uint64_t *out);

/*
 * A range START-END (END is the first address past it) or START+SIZE (SIZE
 * as scn_parse_size): *start, *end.  SCN_PARSE_RANGE if END < START or
 * START+SIZE overflows.
 */
enum scn_parse_status scn_parse_range(const char *s, uint64_t *start, uint64_t *end);

#endif
