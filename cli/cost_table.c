/*
 * cli/cost_table.c — the rows of the cost table and how to print them.
 */
#include <stdio.h>

#include "cli/cost_table.h"
#include "cli/xml_out.h"

/* Where a row's number comes from. */
enum cost_source { FROM_EXIT, FROM_MMU, FROM_CPU, FROM_PAGES };

struct cost_row {
	const char *label;       /* printed in the first column and as the XML name */
	enum cost_source source;
	unsigned index;          /* EXEC_EXIT_*, MMU_STAT_*, or a cpu_field */
};

enum cpu_field { CPU_WALK_REFS, CPU_TLB_HITS, CPU_TLB_MISSES, CPU_TLB_FLUSHES, CPU_VM_ENTRIES };

static const struct cost_row rows[] = {
	{ "exits: tdp violation", FROM_EXIT, EXEC_EXIT_TDP_VIOLATION },
	{ "exits: tdp misconfig", FROM_EXIT, EXEC_EXIT_TDP_MISCONFIG },
	{ "exits: mmio emulated", FROM_EXIT, EXEC_EXIT_MMIO },
	{ "vm entries (hardware)", FROM_CPU, CPU_VM_ENTRIES },
	{ "faults taken", FROM_MMU, MMU_STAT_PF_TAKEN },
	{ "faults fixed", FROM_MMU, MMU_STAT_PF_FIXED },
	{ "faults spurious", FROM_MMU, MMU_STAT_PF_SPURIOUS },
	{ "faults retried", FROM_MMU, MMU_STAT_PF_RETRY },
	{ "mmio fast path", FROM_MMU, MMU_STAT_PF_MMIO_FAST },
	{ "pages allocated L1", FROM_MMU, MMU_STAT_PAGES_ALLOC_L1 },
	{ "pages allocated L2", FROM_MMU, MMU_STAT_PAGES_ALLOC_L2 },
	{ "pages allocated L3", FROM_MMU, MMU_STAT_PAGES_ALLOC_L3 },
	{ "pages allocated L4", FROM_MMU, MMU_STAT_PAGES_ALLOC_L4 },
	{ "pages allocated L5", FROM_MMU, MMU_STAT_PAGES_ALLOC_L5 },
	{ "pages allocated", FROM_PAGES, 0 },
	{ "sptes written", FROM_MMU, MMU_STAT_SPTES_WRITTEN },
	{ "zaps", FROM_MMU, MMU_STAT_ZAPS },
	{ "sptes zapped", FROM_MMU, MMU_STAT_SPTES_ZAPPED },
	{ "huge pages split", FROM_MMU, MMU_STAT_SPLITS },
	{ "pages dirty-logged", FROM_MMU, MMU_STAT_DIRTY_LOGGED },
	{ "tlb flush requests", FROM_MMU, MMU_STAT_TLB_FLUSHES },
	{ "cpu tlb flushes", FROM_CPU, CPU_TLB_FLUSHES },
	{ "cpu tlb hits", FROM_CPU, CPU_TLB_HITS },
	{ "cpu tlb misses", FROM_CPU, CPU_TLB_MISSES },
	{ "walk memory refs", FROM_CPU, CPU_WALK_REFS },
	{ "peak mmu memory (bytes)", FROM_MMU, MMU_STAT_MEM_PEAK },
};

#define NR_ROWS (sizeof(rows) / sizeof(rows[0]))

/* The row's value for one run, or false when the run has no such number. */
static bool row_value(const struct cost_row *row, const struct exec_costs *c, uint64_t *v)
{
	const uint64_t cpu[] = {
		[CPU_WALK_REFS] = c->walk_refs, [CPU_TLB_HITS] = c->tlb_hits,
		[CPU_TLB_MISSES] = c->tlb_misses, [CPU_TLB_FLUSHES] = c->tlb_flushes,
		[CPU_VM_ENTRIES] = c->vm_entries,
	};
	unsigned l;

	if (!c->has_mmu)
		return false;
	switch (row->source) {
	case FROM_EXIT:
		*v = c->exits[row->index];
		return true;
	case FROM_MMU:
		*v = c->mmu.v[row->index];
		return true;
	case FROM_CPU:
		*v = cpu[row->index];
		return true;
	case FROM_PAGES:
		*v = 0;
		for (l = 0; l < PT_MAX_LEVEL; l++)
			*v += c->mmu.v[MMU_STAT_PAGES_ALLOC_L1 + l];
		return true;
	}
	return false;
}

void print_cost_table(const struct scenario *s, const struct target *targets,
		      const struct run_report *reports, unsigned n)
{
	unsigned r, t;

	printf("%s: costs per target (%s)\n", s->file, s->name);
	printf("  %-26s", "");
	for (t = 0; t < n; t++)
		printf(" %18.18s", targets[t].name);
	printf("\n");
	for (r = 0; r < NR_ROWS; r++) {
		printf("  %-26s", rows[r].label);
		for (t = 0; t < n; t++) {
			uint64_t v;

			if (row_value(&rows[r], &reports[t].costs, &v))
				printf(" %18llu", (unsigned long long)v);
			else
				printf(" %18s", "-");
		}
		printf("\n");
	}
	printf("  %-26s", "wall time (ms)");
	for (t = 0; t < n; t++)
		printf(" %18.3f", (double)reports[t].elapsed_ns / 1e6);
	printf("\n");
}

static int write_target(xmlTextWriterPtr w, const struct target *t,
			const struct run_report *r)
{
	int rc = xmlTextWriterStartElement(w, BAD_CAST "target") < 0;
	unsigned i;

	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST t->name) < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "executor", BAD_CAST t->ex->name) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "mismatches", "%u",
						r->nr_mismatches) < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "failed",
					  BAD_CAST(r->failed ? "true" : "false")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "skipped",
					  BAD_CAST(r->error.skipped ? "true" : "false")) < 0;
	for (i = 0; i < NR_ROWS; i++) {
		uint64_t v;

		if (!row_value(&rows[i], &r->costs, &v))
			continue;
		rc |= xmlTextWriterStartElement(w, BAD_CAST "cost") < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST rows[i].label) < 0;
		rc |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "value", "%llu",
							(unsigned long long)v) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	return rc | (xmlTextWriterEndElement(w) < 0);
}

void print_cost_xml(const struct scenario *s, const struct target *targets,
		    const struct run_report *reports, unsigned n, bool identical)
{
	struct xml_out x;
	unsigned t;
	int rc;

	if (xml_out_begin(&x, "mmulab-compare"))
		return;
	rc = xmlTextWriterWriteAttribute(x.w, BAD_CAST "scenario", BAD_CAST s->name) < 0;
	rc |= xmlTextWriterWriteAttribute(x.w, BAD_CAST "file", BAD_CAST s->file) < 0;
	rc |= xmlTextWriterWriteAttribute(x.w, BAD_CAST "identical",
					  BAD_CAST(identical ? "true" : "false")) < 0;
	for (t = 0; t < n && !rc; t++)
		rc |= write_target(x.w, &targets[t], &reports[t]);
	xml_out_end(&x, rc, "comparison");
}
