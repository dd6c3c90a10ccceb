/*
 * cli/scenario/load.c — read a scenario, parse it safely, validate it
 * against the compiled-in XSD, then hand the tree to build.c and check.c.
 *
 * Safety (libxml2 2.9.14 and later; /work notes "libxml2 for validated
 * scenario files"): the file is read here, with a size cap, and parsed
 * from memory, so libxml2 never opens anything; the options are NONET and
 * BIG_LINES (plus NO_XXE where it exists) and never NOENT, DTDLOAD,
 * DTDVALID or XINCLUDE; a DOCTYPE stops the parser the moment it is seen,
 * before its internal subset (where entity bombs live) is read.  The
 * schema is parsed from memory too (build/gen/schema.c).
 *
 * libxml2 reports errors through a per-thread global handler; it is
 * replaced for the duration of a load and restored afterwards, so the
 * loader itself keeps no state between calls.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "cli/scenario/loader.h"

/* The XSD, embedded by tools/embed.sh (build/gen/schema.c). */
extern const char mmulab_xsd[];
extern const unsigned mmulab_xsd_len;

#if LIBXML_VERSION >= 21200
typedef const xmlError *scn_xml_error_t;
#else
typedef xmlErrorPtr scn_xml_error_t;
#endif

/* ---- messages -------------------------------------------------------------- */

/* Hand one finished line to the sink, up to SCN_LOAD_MAX_MESSAGES of them. */
static void emit_line(struct scn_loader *ld, const char *line)
{
	char last[256];

	if (ld->nr_messages > SCN_LOAD_MAX_MESSAGES)
		return;
	if (ld->nr_messages == SCN_LOAD_MAX_MESSAGES) {
		snprintf(last, sizeof(last), "%.200s: error: too many errors; the rest are not shown",
			 ld->name);
		line = last;
	}
	ld->nr_messages++;
	if (ld->diag->emit)
		ld->diag->emit(ld->diag->ctx, line);
	else
		fprintf(stderr, "%s\n", line);
}

/* Emit `FILE:LINE: KIND: text` (no line number when line <= 0). */
static void emit_message(struct scn_loader *ld, long line, const char *kind, const char *text)
{
	size_t size = strlen(ld->name) + strlen(text) + 64;
	char *buf = malloc(size);

	if (!buf) {
		emit_line(ld, "error: out of memory while reporting an error");
		return;
	}
	if (line > 0)
		snprintf(buf, size, "%s:%ld: %s: %s", ld->name, line, kind, text);
	else
		snprintf(buf, size, "%s: %s: %s", ld->name, kind, text);
	emit_line(ld, buf);
	free(buf);
}

void scn_error(struct scn_loader *ld, long line, const char *fmt, ...)
{
	char text[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ld->diag->nr_errors++;
	emit_message(ld, line, "error", text);
}

long scn_line(const xmlNode *node)
{
	return xmlGetLineNo(node);
}

/*
 * libxml2's structured errors (parser and schema validator): one line
 * each, libxml2's own words, our file name (err->file may be NULL or the
 * schema's), libxml2's line.
 */
static void on_xml_error(void *ctx, scn_xml_error_t err)
{
	struct scn_loader *ld = ctx;
	char text[768];
	size_t len;
	char *p;

	/* After a DOCTYPE the parser was stopped on purpose: its complaints are noise. */
	if (ld->doctype || !err)
		return;
	snprintf(text, sizeof(text), "%s", err->message ? err->message : "unknown XML error");
	len = strlen(text);
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	for (p = text; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (err->level == XML_ERR_WARNING) {
		emit_message(ld, err->line, "warning", text);
		return;
	}
	ld->diag->nr_errors++;
	emit_message(ld, err->line, "error", text);
}

/* Generic (unstructured) libxml2 messages: only ever internal ones; dropped. */
static void on_generic_error(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* ---- parsing ------------------------------------------------------------------ */

/*
 * SAX internalSubset: called as soon as `<!DOCTYPE name ...` has been read,
 * before any declaration inside [...] — so stopping here means no entity
 * is ever declared, let alone expanded.
 */
static void on_doctype(void *user, const xmlChar *name, const xmlChar *external_id,
		       const xmlChar *system_id)
{
	xmlParserCtxt *ctxt = user;
	struct scn_loader *ld = ctxt->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	ld->doctype = true;
	ld->doctype_line = ctxt->input ? ctxt->input->line : 0;
	xmlStopParser(ctxt);
}

static xmlDoc *parse(struct scn_loader *ld, const char *buf, size_t len)
{
	int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES;
	xmlParserCtxt *ctxt;
	xmlDoc *doc;

#if LIBXML_VERSION >= 21300
	opts |= XML_PARSE_NO_XXE;
#endif
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		scn_error(ld, 0, "out of memory starting the XML parser");
		return NULL;
	}
	ctxt->_private = ld;
	ctxt->sax->internalSubset = on_doctype;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, ld->name, NULL, opts);
	if (!ld->doctype && doc && (doc->intSubset || doc->extSubset)) {
		ld->doctype = true;
		ld->doctype_line = 1;
	}
	if (ld->doctype) {
		/* Reported here, not by on_xml_error, which is muted from now on. */
		ld->doctype = false;
		scn_error(ld, ld->doctype_line,
			  "a DOCTYPE is not allowed (expected no DTD: scenarios are checked "
			  "against the built-in XSD)");
		ld->doctype = true;
	} else if (!doc && !ld->diag->nr_errors) {
		scn_error(ld, 0, "not a well-formed XML document");
	}
	xmlFreeParserCtxt(ctxt);
	if (doc && ld->diag->nr_errors) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

/* ---- the schema -------------------------------------------------------------- */

/* Errors in the built-in schema itself: a build problem, never the user's. */
static void on_schema_error(void *ctx, scn_xml_error_t err)
{
	struct scn_loader *ld = ctx;

	scn_error(ld, 0, "internal error: the built-in schema does not compile: %s",
		  err && err->message ? err->message : "?");
}

static void validate(struct scn_loader *ld, xmlDoc *doc)
{
	xmlSchemaParserCtxt *pctxt;
	xmlSchemaValidCtxt *vctxt = NULL;
	xmlSchema *schema = NULL;
	unsigned before = ld->diag->nr_errors;
	int ret = -1;

	pctxt = xmlSchemaNewMemParserCtxt(mmulab_xsd, (int)mmulab_xsd_len);
	if (pctxt) {
		xmlSchemaSetParserStructuredErrors(pctxt, on_schema_error, ld);
		schema = xmlSchemaParse(pctxt);
	}
	if (schema)
		vctxt = xmlSchemaNewValidCtxt(schema);
	if (vctxt) {
		xmlSchemaSetValidStructuredErrors(vctxt, on_xml_error, ld);
		ret = xmlSchemaValidateDoc(vctxt, doc);
	}
	if (ret && ld->diag->nr_errors == before)
		scn_error(ld, 0, ret < 0 ? "internal error: cannot validate against the built-in schema"
				       : "does not match scenarios/mmulab.xsd");
	xmlSchemaFreeValidCtxt(vctxt);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctxt);
}

/* ---- loading ------------------------------------------------------------------ */

/* Every pass in order; each runs only if the ones before found nothing. */
static void load_passes(struct scn_loader *ld, const char *buf, size_t len)
{
	xmlDoc *doc;

	doc = parse(ld, buf, len);
	if (!doc)
		return;
	validate(ld, doc);
	if (!ld->diag->nr_errors)
		scn_build(ld, xmlDocGetRootElement(doc));
	if (!ld->diag->nr_errors)
		scn_check_vm(ld);
	if (!ld->diag->nr_errors)
		scn_check_steps(ld);
	xmlFreeDoc(doc);
}

struct scenario *scenario_load_memory_diag(const char *buf, size_t len, const char *name,
					   struct scenario_diag *diag)
{
	struct scenario_diag to_stderr = { NULL, NULL, 0 };
	struct scn_loader ld = { .name = name ? name : "<memory>", .diag = diag ? diag : &to_stderr };
	xmlStructuredErrorFunc saved_serror = xmlStructuredError;
	void *saved_sctx = xmlStructuredErrorContext;
	xmlGenericErrorFunc saved_error = xmlGenericError;
	void *saved_ctx = xmlGenericErrorContext;

	ld.diag->nr_errors = 0;
	if (len > SCN_LOAD_MAX_FILE) {
		scn_error(&ld, 0, "the file is %zu bytes (expected at most %u MiB)", len,
			  SCN_LOAD_MAX_FILE >> 20);
		return NULL;
	}
	ld.s = calloc(1, sizeof(*ld.s));
	if (ld.s)
		ld.s->file = strdup(ld.name);
	if (!ld.s || !ld.s->file) {
		scn_error(&ld, 0, "out of memory");
		scenario_free(ld.s);
		return NULL;
	}
	xmlInitParser();
	xmlSetStructuredErrorFunc(&ld, on_xml_error);
	xmlSetGenericErrorFunc(NULL, on_generic_error);
	load_passes(&ld, buf, len);
	xmlSetGenericErrorFunc(saved_ctx, saved_error);
	xmlSetStructuredErrorFunc(saved_sctx, saved_serror);
	if (ld.diag->nr_errors) {
		scenario_free(ld.s);
		return NULL;
	}
	return ld.s;
}

struct scenario *scenario_load_memory(const char *buf, size_t len, const char *name)
{
	return scenario_load_memory_diag(buf, len, name, NULL);
}

/*
 * Read at most SCN_LOAD_MAX_FILE + 1 bytes (one more than allowed, so an
 * oversized file is noticed without reading all of it).  Returns a
 * buffer to free, or NULL with errno set.
 */
static char *read_file(const char *path, size_t *len)
{
	size_t cap = 64 * 1024, n = 0, got;
	char *buf = malloc(cap), *bigger;
	FILE *f = fopen(path, "rb");

	if (!f || !buf)
		goto fail;
	for (;;) {
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n > SCN_LOAD_MAX_FILE || (got == 0 && (feof(f) || ferror(f))))
			break;
		if (n == cap) {
			cap = cap * 2 > SCN_LOAD_MAX_FILE + 1 ? SCN_LOAD_MAX_FILE + 1 : cap * 2;
			bigger = realloc(buf, cap);
			if (!bigger)
				goto fail;
			buf = bigger;
		}
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	*len = n;
	return buf;
fail:
	if (f) {
		int saved = errno;

		fclose(f);
		errno = saved;
	}
	free(buf);
	return NULL;
}

struct scenario *scenario_load_file_diag(const char *path, struct scenario_diag *diag)
{
	struct scenario_diag to_stderr = { NULL, NULL, 0 };
	struct scn_loader ld = { .name = path, .diag = diag ? diag : &to_stderr };
	struct scenario *s;
	size_t len = 0;
	char *buf;

	ld.diag->nr_errors = 0;
	errno = 0;
	buf = read_file(path, &len);
	if (!buf) {
		scn_error(&ld, 0, "cannot read the file: %s", errno ? strerror(errno) : "out of memory");
		return NULL;
	}
	s = scenario_load_memory_diag(buf, len, path, ld.diag);
	free(buf);
	return s;
}

struct scenario *scenario_load_file(const char *path)
{
	return scenario_load_file_diag(path, NULL);
}

void scenario_free(struct scenario *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < s->nr_page_tables; i++) {
		free((void *)s->page_tables[i].name);
		free(s->page_tables[i].maps);
	}
	free(s->page_tables);
	for (i = 0; s->steps && i < s->nr_steps; i++)
		if (s->steps[i].kind == STEP_DIRTY_LOG_GET)
			free(s->steps[i].u.dirty.pages);
	free(s->steps);
	free((void *)s->description);
	free((void *)s->name);
	free((void *)s->file);
	free(s);
}
