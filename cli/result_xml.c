/*
 * cli/result_xml.c — the XML result document of `mmulab run --xml`: every
 * step run, with its operands, its result and its expectation.
 */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/describe.h"
#include "cli/result_xml.h"
#include "hw/run.h"

/* Room for a page list in the XML ("0 3-5 ..."); a longer one ends in "...". */
#define PAGE_LIST_MAX 65536

/* Attributes are written as text; numbers in hex as in scenario files. */
static int attr_hex(xmlTextWriterPtr w, const char *name, uint64_t v)
{
	return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "0x%llx",
						 (unsigned long long)v);
}

static int attr_int(xmlTextWriterPtr w, const char *name, long long v)
{
	return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%lld", v);
}

static int attr_str(xmlTextWriterPtr w, const char *name, const char *v)
{
	return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST v);
}

/* Memslot, dirty-log, host and threads steps: their attributes as in the scenario file. */
static int write_vm_operands(xmlTextWriterPtr w, const struct scn_step *st)
{
	char flags[32];
	int rc = 0;

	describe_memslot_flags(st->u.slot.flags, flags, sizeof(flags));
	switch (st->kind) {
	case STEP_MEMSLOT_CREATE:
		rc |= attr_int(w, "id", st->u.slot.id) < 0;
		rc |= attr_hex(w, "base", st->u.slot.base_gpa) < 0;
		rc |= attr_hex(w, "size", st->u.slot.size) < 0;
		rc |= attr_str(w, "flags", flags) < 0;
		rc |= attr_str(w, "backing", backing_name(st->u.slot.backing)) < 0;
		break;
	case STEP_MEMSLOT_DELETE:
		rc |= attr_int(w, "id", st->u.slot.id) < 0;
		break;
	case STEP_MEMSLOT_MOVE:
		rc |= attr_int(w, "id", st->u.slot.id) < 0;
		rc |= attr_hex(w, "base", st->u.slot.base_gpa) < 0;
		break;
	case STEP_MEMSLOT_FLAGS:
		rc |= attr_int(w, "id", st->u.slot.id) < 0;
		rc |= attr_str(w, "flags", flags) < 0;
		break;
	case STEP_DIRTY_LOG_GET:
		rc |= attr_int(w, "slot", st->u.dirty.slot) < 0;
		break;
	case STEP_DIRTY_LOG_CLEAR:
		rc |= attr_int(w, "slot", st->u.dirty.slot) < 0;
		rc |= attr_int(w, "first", (long long)st->u.dirty.first) < 0;
		rc |= attr_int(w, "count", (long long)st->u.dirty.count) < 0;
		break;
	case STEP_HOST_INVALIDATE:
	case STEP_HOST_AGE:
		rc |= attr_hex(w, "gpa", st->u.host.gpa) < 0;
		rc |= attr_hex(w, "size", st->u.host.size) < 0;
		if (st->kind == STEP_HOST_INVALIDATE)
			rc |= attr_str(w, "change", host_change_name(st->u.host.change)) < 0;
		else
			rc |= attr_str(w, "test-only", st->u.host.test_only ? "true" : "false") < 0;
		break;
	case STEP_THREADS:
		rc |= attr_int(w, "steps", st->u.threads.nr_steps) < 0;
		break;
	default:
		break;
	}
	return rc;
}

static int write_operands(xmlTextWriterPtr w, const struct scn_step *st)
{
	int rc = 0;

	switch (st->kind) {
	case STEP_ACCESS:
		rc |= attr_hex(w, "va", st->u.access.gva) < 0;
		rc |= attr_int(w, "size", st->u.access.size) < 0;
		if (st->u.access.kind == ACCESS_WRITE)
			rc |= attr_hex(w, "value", st->u.access.value) < 0;
		break;
	case STEP_WRITE_GPA:
	case STEP_CHECK_GPA:
		rc |= attr_hex(w, "gpa", st->u.mem.gpa) < 0;
		rc |= attr_int(w, "size", st->u.mem.size) < 0;
		if (st->kind == STEP_WRITE_GPA)
			rc |= attr_hex(w, "value", st->u.mem.value) < 0;
		break;
	case STEP_SET_REG:
		rc |= attr_str(w, "reg", reg_name(st->u.set.reg)) < 0;
		rc |= attr_hex(w, "value", st->u.set.value) < 0;
		break;
	case STEP_INVLPG:
		rc |= attr_hex(w, "va", st->u.invlpg.gva) < 0;
		break;
	default:
		rc |= write_vm_operands(w, st);
		break;
	}
	return rc;
}

static int write_result(xmlTextWriterPtr w, const struct step_result *res)
{
	int rc = xmlTextWriterStartElement(w, BAD_CAST "result") < 0;

	rc |= attr_str(w, "outcome", outcome_name(res->outcome)) < 0;
	if (res->has_value)
		rc |= attr_hex(w, "value", res->value) < 0;
	if (res->outcome == OUTCOME_PF) {
		rc |= attr_hex(w, "error-code", res->error_code) < 0;
		rc |= attr_hex(w, "cr2", res->cr2) < 0;
	}
	if (res->outcome == OUTCOME_OK && res->has_walk)
		rc |= attr_hex(w, "gpa", res->gpa) < 0;
	if (res->dirty) {
		char *pages = malloc(PAGE_LIST_MAX);

		rc |= !pages;
		if (pages) {
			describe_dirty_bitmap(res->dirty, res->dirty_pages, pages, PAGE_LIST_MAX);
			rc |= attr_str(w, "dirty", pages) < 0;
			free(pages);
		}
		rc |= attr_int(w, "pages", (long long)res->dirty_pages) < 0;
	}
	return rc | (xmlTextWriterEndElement(w) < 0);
}

static int write_expect(xmlTextWriterPtr w, const struct scn_step *st, bool mismatch)
{
	static const char *const kinds[] = {
		[EXPECT_NONE] = "any", [EXPECT_OK] = "ok", [EXPECT_PF] = "pf", [EXPECT_GP] = "gp",
	};
	int rc = xmlTextWriterStartElement(w, BAD_CAST "expect") < 0;

	if (st->kind == STEP_CHECK_GPA) {
		rc |= attr_str(w, "outcome", "ok") < 0;
		rc |= attr_hex(w, "value", st->u.mem.value) < 0;
	} else if (st->kind == STEP_DIRTY_LOG_GET) {
		char *pages = malloc(PAGE_LIST_MAX);

		rc |= attr_str(w, "outcome", "ok") < 0;
		rc |= !pages;
		if (pages) {
			describe_page_list(st->u.dirty.pages, st->u.dirty.nr_pages, pages, PAGE_LIST_MAX);
			rc |= attr_str(w, "dirty", pages) < 0;
			free(pages);
		}
	} else {
		rc |= attr_str(w, "outcome", kinds[st->expect.kind]) < 0;
		if (st->expect.kind == EXPECT_OK && st->expect.has_value)
			rc |= attr_hex(w, "value", st->expect.value) < 0;
		if (st->expect.kind == EXPECT_PF)
			rc |= attr_hex(w, "error-code", st->expect.error_code) < 0;
	}
	rc |= attr_str(w, "met", mismatch ? "false" : "true") < 0;
	return rc | (xmlTextWriterEndElement(w) < 0);
}

static int write_steps(xmlTextWriterPtr w, const struct run_report *r)
{
	int rc = 0;
	unsigned i;

	for (i = 0; i < r->nr_run && !rc; i++) {
		const struct scn_step *st = &r->s->steps[i];

		rc |= xmlTextWriterStartElement(w, BAD_CAST "step") < 0;
		rc |= attr_int(w, "index", i) < 0;
		rc |= attr_int(w, "line", st->line) < 0;
		rc |= attr_str(w, "kind", step_kind_name(st)) < 0;
		if (step_has_vcpu(st))
			rc |= attr_int(w, "vcpu", st->vcpu) < 0;
		rc |= write_operands(w, st);
		rc |= write_result(w, &r->results[i]);
		if (step_has_expectation(st))
			rc |= write_expect(w, st, r->mismatch[i]);
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	return rc;
}

int print_result_xml(const struct run_report *r)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	int rc;

	if (!w) {
		xmlBufferFree(buf);
		fprintf(stderr, "mmulab: cannot create the XML writer\n");
		return -1;
	}
	xmlTextWriterSetIndent(w, 1);
	rc = xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "mmulab-run") < 0;
	rc |= attr_str(w, "scenario", r->s->name) < 0;
	rc |= attr_str(w, "file", r->s->file) < 0;
	rc |= attr_str(w, "executor", r->ex->name) < 0;
	rc |= attr_int(w, "steps", r->s->nr_steps) < 0;
	rc |= attr_int(w, "steps-run", r->nr_run) < 0;
	rc |= attr_int(w, "checked", r->nr_checked) < 0;
	rc |= attr_int(w, "mismatches", r->nr_mismatches) < 0;
	rc |= write_steps(w, r);
	if (r->failed) {
		/* <skipped> when this CPU cannot run the step, <error> otherwise. */
		rc |= xmlTextWriterStartElement(w, BAD_CAST(r->error.skipped ? "skipped" : "error")) < 0;
		rc |= attr_int(w, "line", r->error.line) < 0;
		rc |= attr_str(w, "what", r->error.what) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (!rc)
		fputs((const char *)xmlBufferContent(buf), stdout);
	else
		fprintf(stderr, "mmulab: writing the XML result failed\n");
	xmlBufferFree(buf);
	return rc ? -1 : 0;
}
