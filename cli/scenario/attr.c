/*
 * cli/scenario/attr.c — read one attribute of an element as a typed value,
 * reporting a bad one as `FILE:LINE: error: ATTR="..." ...`.
 *
 * After schema validation only out-of-range numbers should fail here, but
 * every reader still checks the full syntax: the schema is the grammar,
 * not a promise the C code relies on for memory safety.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "cli/scenario/loader.h"

/* How much of a bad value a message quotes. */
#define QUOTE_MAX 40

bool scn_is(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && !strcmp((const char *)node->name, name);
}

bool scn_attr_has(const xmlNode *node, const char *attr)
{
	return xmlHasNsProp(node, (const xmlChar *)attr, NULL) != NULL;
}

char *scn_attr_dup(const xmlNode *node, const char *attr)
{
	xmlChar *val = xmlGetNoNsProp(node, (const xmlChar *)attr);
	const char *p;
	size_t len;
	char *copy;

	if (!val)
		return NULL;
	for (p = (const char *)val; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
		;
	len = strlen(p);
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\n' ||
		       p[len - 1] == '\r'))
		len--;
	copy = malloc(len + 1);
	if (copy) {
		memcpy(copy, p, len);
		copy[len] = '\0';
	}
	xmlFree(val);
	return copy;
}

/*
 * Fetch the attribute for a reader: SCN_ATTR_OK with *val to free(),
 * SCN_ATTR_ABSENT, or SCN_ATTR_BAD (out of memory, reported).
 */
static enum scn_attr fetch(struct scn_loader *ld, const xmlNode *node, const char *attr,
			   char **val)
{
	if (!scn_attr_has(node, attr))
		return SCN_ATTR_ABSENT;
	*val = scn_attr_dup(node, attr);
	if (!*val) {
		scn_error(ld, scn_line(node), "out of memory reading %s=", attr);
		return SCN_ATTR_BAD;
	}
	return SCN_ATTR_OK;
}

/* Report a value that did not parse; `expected` says what would have. */
static enum scn_attr bad_value(struct scn_loader *ld, const xmlNode *node, const char *attr,
			       const char *val, enum scn_parse_status st, const char *expected)
{
	const char *ell = strlen(val) > QUOTE_MAX ? "..." : "";

	if (st == SCN_PARSE_RANGE)
		scn_error(ld, scn_line(node), "%s=\"%.*s%s\" is out of range (expected %s)", attr,
			  QUOTE_MAX, val, ell, expected);
	else
		scn_error(ld, scn_line(node), "%s=\"%.*s%s\" is not valid (expected %s)", attr,
			  QUOTE_MAX, val, ell, expected);
	return SCN_ATTR_BAD;
}

static enum scn_attr missing(struct scn_loader *ld, const xmlNode *node, const char *attr)
{
	scn_error(ld, scn_line(node), "<%s> has no %s= (expected one)", (const char *)node->name,
		  attr);
	return SCN_ATTR_BAD;
}

enum scn_attr scn_attr_u64(struct scn_loader *ld, const xmlNode *node, const char *attr,
			   uint64_t *out)
{
	enum scn_parse_status st;
	enum scn_attr ret;
	char *val = NULL;

	ret = fetch(ld, node, attr, &val);
	if (ret != SCN_ATTR_OK)
		return ret;
	st = scn_parse_u64(val, out);
	if (st != SCN_PARSE_OK)
		ret = bad_value(ld, node, attr, val, st, "a 64-bit number, decimal or 0x hex");
	free(val);
	return ret;
}

enum scn_attr scn_attr_u64_req(struct scn_loader *ld, const xmlNode *node,
			       const char *attr, uint64_t *out)
{
	enum scn_attr ret = scn_attr_u64(ld, node, attr, out);

	return ret == SCN_ATTR_ABSENT ? missing(ld, node, attr) : ret;
}

enum scn_attr scn_attr_size_req(struct scn_loader *ld, const xmlNode *node,
				const char *attr, uint64_t *out)
{
	enum scn_parse_status st;
	enum scn_attr ret;
	char *val = NULL;

	ret = fetch(ld, node, attr, &val);
	if (ret == SCN_ATTR_ABSENT)
		return missing(ld, node, attr);
	if (ret != SCN_ATTR_OK)
		return ret;
	st = scn_parse_size(val, out);
	if (st != SCN_PARSE_OK)
		ret = bad_value(ld, node, attr, val, st,
				"a 64-bit number of bytes, optionally with K, M, G or T");
	free(val);
	return ret;
}

enum scn_attr scn_attr_bool(struct scn_loader *ld, const xmlNode *node, const char *attr,
			    bool *out)
{
	enum scn_parse_status st;
	enum scn_attr ret;
	char *val = NULL;

	ret = fetch(ld, node, attr, &val);
	if (ret != SCN_ATTR_OK)
		return ret;
	st = scn_parse_bool(val, out);
	if (st != SCN_PARSE_OK)
		ret = bad_value(ld, node, attr, val, st, "true or false");
	free(val);
	return ret;
}

/* "a, b or c" from a name table, for messages. */
static void join_names(const struct scn_flag_name *names, char *buf, size_t size)
{
	size_t len = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; names[i].name && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i == 0 ? "" : names[i + 1].name ? ", " : " or ",
					names[i].name);
}

enum scn_attr scn_attr_flags(struct scn_loader *ld, const xmlNode *node, const char *attr,
			     const struct scn_flag_name *names, uint64_t *out)
{
	enum scn_parse_status st;
	unsigned bad_at = 0;
	enum scn_attr ret;
	char *val = NULL;
	char known[160];

	ret = fetch(ld, node, attr, &val);
	if (ret != SCN_ATTR_OK)
		return ret;
	st = scn_parse_flags(val, names, out, &bad_at);
	if (st != SCN_PARSE_OK) {
		join_names(names, known, sizeof(known));
		scn_error(ld, scn_line(node), "%s=\"%.*s\": unknown flag \"%.*s\" (expected %s)",
			  attr, QUOTE_MAX, val, (int)strcspn(val + bad_at, " \t\r\n"),
			  val + bad_at, known);
		ret = SCN_ATTR_BAD;
	}
	free(val);
	return ret;
}

enum scn_attr scn_attr_error_code(struct scn_loader *ld, const xmlNode *node,
				  const char *attr, uint64_t *out)
{
	enum scn_parse_status st;
	enum scn_attr ret;
	char *val = NULL;

	ret = fetch(ld, node, attr, &val);
	if (ret != SCN_ATTR_OK)
		return ret;
	st = scn_parse_error_code(val, out);
	if (st != SCN_PARSE_OK)
		ret = bad_value(ld, node, attr, val, st,
				"a number, or p, w, u, rsvd, f, pk joined by |");
	free(val);
	return ret;
}

enum scn_attr scn_attr_range(struct scn_loader *ld, const xmlNode *node, const char *attr,
			     uint64_t *start, uint64_t *end)
{
	enum scn_parse_status st;
	enum scn_attr ret;
	char *val = NULL;

	ret = fetch(ld, node, attr, &val);
	if (ret != SCN_ATTR_OK)
		return ret;
	st = scn_parse_range(val, start, end);
	if (st != SCN_PARSE_OK)
		ret = bad_value(ld, node, attr, val, st,
				"START-END with END >= START, or START+SIZE, within 64 bits");
	free(val);
	return ret;
}

enum scn_attr scn_attr_enum(struct scn_loader *ld, const xmlNode *node, const char *attr,
			    const char *const *names, int *out)
{
	enum scn_attr ret;
	char *val = NULL;
	int i;

	ret = fetch(ld, node, attr, &val);
	if (ret != SCN_ATTR_OK)
		return ret;
	for (i = 0; names[i]; i++) {
		if (!strcmp(val, names[i])) {
			*out = i;
			free(val);
			return SCN_ATTR_OK;
		}
	}
	ret = bad_value(ld, node, attr, val, SCN_PARSE_SYNTAX,
			"a value listed in docs/scenario-format.md");
	free(val);
	return ret;
}
