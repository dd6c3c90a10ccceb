/*
 * cli/scenario/parse_num.c — the value syntax of scenario attributes.
 *
 * Hand-written rather than strtoull: strtoull accepts signs, leading
 * spaces in the middle of a list and octal, and it cannot tell the
 * student which part of "0x1_0000_0000_0000_0000" is wrong.  Every parser
 * consumes the whole string or fails.
 */
#include <string.h>

#include "cli/scenario/parse_num.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_space(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

static int digit_value(char c, unsigned base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < (int)base ? v : -1;
}

/*
 * Consume a number at *p: 0x hex or decimal, "_" only between two digits.
 * Leaves *p after it.  A number too big for 64 bits is consumed whole and
 * reported as SCN_PARSE_RANGE, so the caller can still say where it ended.
 */
static enum scn_parse_status number_at(const char **p, uint64_t *out)
{
	const char *s = *p;
	unsigned base = 10;
	bool overflow = false;
	uint64_t val = 0;
	int d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (digit_value(*s, base) < 0)
		return SCN_PARSE_SYNTAX;
	for (;;) {
		d = digit_value(*s, base);
		if (d < 0) {
			if (*s != '_' || digit_value(s[1], base) < 0)
				break;
			s++;
			continue;
		}
		if (val > (UINT64_MAX - (uint64_t)d) / base)
			overflow = true;
		val = val * base + (uint64_t)d;
		s++;
	}
	*p = s;
	if (overflow)
		return SCN_PARSE_RANGE;
	*out = val;
	return SCN_PARSE_OK;
}

/* Consume an optional K/M/G/T suffix, multiplying *val. */
static enum scn_parse_status suffix_at(const char **p, uint64_t *val)
{
	static const char suffixes[] = "KMGT";
	const char *hit = **p ? strchr(suffixes, **p) : NULL;
	unsigned shift;

	if (!hit)
		return SCN_PARSE_OK;
	shift = 10 * (unsigned)(hit - suffixes + 1);
	(*p)++;
	if (*val > (UINT64_MAX >> shift))
		return SCN_PARSE_RANGE;
	*val <<= shift;
	return SCN_PARSE_OK;
}

/* Nothing but white space may follow. */
static enum scn_parse_status expect_end(const char *p)
{
	return *skip_space(p) ? SCN_PARSE_SYNTAX : SCN_PARSE_OK;
}

enum scn_parse_status scn_parse_u64(const char *s, uint64_t *out)
{
	const char *p = skip_space(s);
	enum scn_parse_status st;
	uint64_t val = 0;

	st = number_at(&p, &val);
	if (st == SCN_PARSE_OK || st == SCN_PARSE_RANGE) {
		if (expect_end(p) != SCN_PARSE_OK)
			return SCN_PARSE_SYNTAX;
	}
	if (st == SCN_PARSE_OK)
		*out = val;
	return st;
}

enum scn_parse_status scn_parse_size(const char *s, uint64_t *out)
{
	const char *p = skip_space(s);
	enum scn_parse_status st;
	uint64_t val = 0;

	st = number_at(&p, &val);
	if (st == SCN_PARSE_OK)
		st = suffix_at(&p, &val);
	else if (st == SCN_PARSE_RANGE && *p && strchr("KMGT", *p))
		p++;
	if (st != SCN_PARSE_SYNTAX && expect_end(p) != SCN_PARSE_OK)
		return SCN_PARSE_SYNTAX;
	if (st == SCN_PARSE_OK)
		*out = val;
	return st;
}

/* Is the word [p, p+len) equal to the NUL-terminated `word`? */
static bool word_is(const char *p, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(p, word, len);
}

enum scn_parse_status scn_parse_bool(const char *s, bool *out)
{
	const char *p = skip_space(s);
	size_t len = 0;

	while (p[len] && !is_space(p[len]))
		len++;
	if (expect_end(p + len) != SCN_PARSE_OK)
		return SCN_PARSE_SYNTAX;
	if (word_is(p, len, "true") || word_is(p, len, "1"))
		*out = true;
	else if (word_is(p, len, "false") || word_is(p, len, "0"))
		*out = false;
	else
		return SCN_PARSE_SYNTAX;
	return SCN_PARSE_OK;
}

/* The bits of the name [p, p+len) in `names`, or false if it is none of them. */
static bool flag_lookup(const struct scn_flag_name *names, const char *p, size_t len,
			uint64_t *bits)
{
	for (; names->name; names++) {
		if (word_is(p, len, names->name)) {
			*bits = names->bits;
			return true;
		}
	}
	return false;
}

enum scn_parse_status scn_parse_flags(const char *s, const struct scn_flag_name *names,
				      uint64_t *out, unsigned *bad_at)
{
	const char *p = s;
	uint64_t val = 0, bits;
	size_t len;

	for (;;) {
		p = skip_space(p);
		if (!*p)
			break;
		len = 0;
		while (p[len] && !is_space(p[len]))
			len++;
		if (!flag_lookup(names, p, len, &bits)) {
			*bad_at = (unsigned)(p - s);
			return SCN_PARSE_NAME;
		}
		val |= bits;
		p += len;
	}
	*out = val;
	return SCN_PARSE_OK;
}

/* SDM 4.7 names of the #PF error-code bits, as `mmulab run` prints them. */
static const struct scn_flag_name error_code_names[] = {
	{ "p", 1u << 0 }, { "w", 1u << 1 }, { "u", 1u << 2 },
	{ "rsvd", 1u << 3 }, { "f", 1u << 4 }, { "pk", 1u << 5 },
	{ NULL, 0 },
};

enum scn_parse_status scn_parse_error_code(const char *s, uint64_t *out)
{
	const char *p = skip_space(s);
	uint64_t val = 0, bits;
	size_t len;

	if (*p >= '0' && *p <= '9')
		return scn_parse_u64(s, out);
	for (;;) {
		len = 0;
		while (p[len] && p[len] != '|' && !is_space(p[len]))
			len++;
		if (!flag_lookup(error_code_names, p, len, &bits))
			return SCN_PARSE_SYNTAX;
		val |= bits;
		p += len;
		if (*p != '|')
			break;
		p++;
	}
	if (expect_end(p) != SCN_PARSE_OK)
		return SCN_PARSE_SYNTAX;
	*out = val;
	return SCN_PARSE_OK;
}

enum scn_parse_status scn_parse_range(const char *s, uint64_t *start, uint64_t *end)
{
	const char *p = skip_space(s);
	enum scn_parse_status st;
	uint64_t a = 0, b = 0;
	char sep;

	st = number_at(&p, &a);
	if (st != SCN_PARSE_OK)
		return st;
	sep = *p;
	if (sep != '-' && sep != '+')
		return SCN_PARSE_SYNTAX;
	p++;
	st = number_at(&p, &b);
	if (st == SCN_PARSE_OK && sep == '+')
		st = suffix_at(&p, &b);
	if (st != SCN_PARSE_OK)
		return st;
	if (expect_end(p) != SCN_PARSE_OK)
		return SCN_PARSE_SYNTAX;
	if (sep == '+') {
		if (b > UINT64_MAX - a)
			return SCN_PARSE_RANGE;
		b += a;
	} else if (b < a) {
		return SCN_PARSE_RANGE;
	}
	*start = a;
	*end = b;
	return SCN_PARSE_OK;
}
