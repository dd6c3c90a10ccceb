/*
 * cli/bench_report.c — printing `mmulab bench`: one column per target.
 */
#include <stdio.h>
#include <string.h>

#include "cli/bench_report.h"
#include "cli/xml_out.h"
#include "core/platform.h"

enum figure_id {
	FIG_4K_FAULTS, FIG_4K_NS, FIG_4K_RATE, FIG_4K_ALLOC, FIG_4K_BYTES,
	FIG_2M_FAULTS, FIG_2M_NS, FIG_2M_RATE, FIG_2M_BYTES,
	FIG_T1_RATE, FIG_T2_RATE, FIG_T2_SPEEDUP,
	FIG_DIRTY_LAZY_ENABLE, FIG_DIRTY_LAZY_WRITE, FIG_DIRTY_EAGER_ENABLE,
	FIG_DIRTY_EAGER_WRITE, FIG_ZAP,
};

/* One printed figure: a label, its unit, and the project's target if any. */
struct figure {
	enum figure_id id;
	const char *section;     /* heading it is printed under */
	const char *label;       /* row label and XML name */
	const char *unit;
	int target_x100;         /* the project's target in hundredths, 0 = none */
	bool at_most;            /* the target is an upper bound (else a lower bound) */
};

static const struct figure figures[] = {
	{ FIG_4K_FAULTS, "populate at 4K", "faults", "", 0, false },
	{ FIG_4K_NS, "populate at 4K", "ns per fault (median)", "ns", TARGET_FAULT_NS * 100, true },
	{ FIG_4K_RATE, "populate at 4K", "faults per second", "/s", 0, false },
	{ FIG_4K_ALLOC, "populate at 4K", "guest page allocation, not timed above", "ns", 0, false },
	{ FIG_4K_BYTES, "populate at 4K", "MMU bytes per mapped 4K page", "B",
	  TARGET_BYTES_PER_PAGE_X100, true },
	{ FIG_2M_FAULTS, "populate at 2M", "faults", "", 0, false },
	{ FIG_2M_NS, "populate at 2M", "ns per fault (median)", "ns", 0, false },
	{ FIG_2M_RATE, "populate at 2M", "faults per second", "/s", 0, false },
	{ FIG_2M_BYTES, "populate at 2M", "MMU bytes per mapped 4K page", "B", 0, false },
	{ FIG_T1_RATE, "scaling (4K faults)", "1 thread: faults per second", "/s", 0, false },
	{ FIG_T2_RATE, "scaling (4K faults)", "2 threads: faults per second", "/s", 0, false },
	{ FIG_T2_SPEEDUP, "scaling (4K faults)", "2 threads vs 1", "x", TARGET_SPEEDUP_X100, false },
	{ FIG_DIRTY_LAZY_ENABLE, "dirty logging (2M-mapped)", "enable, lazy splitting", "ms", 0, false },
	{ FIG_DIRTY_LAZY_WRITE, "dirty logging (2M-mapped)", "first write to every page, lazy", "ms",
	  0, false },
	{ FIG_DIRTY_EAGER_ENABLE, "dirty logging (2M-mapped)", "enable, eager splitting", "ms", 0,
	  false },
	{ FIG_DIRTY_EAGER_WRITE, "dirty logging (2M-mapped)", "first write to every page, eager",
	  "ms", 0, false },
	{ FIG_ZAP, "zap", "zap all SPTEs of a 4K-mapped slot", "ms", 0, false },
};

static int64_t per_sec_x100(uint64_t count, uint64_t ns)
{
	return ns ? (int64_t)(count * 1000000000ULL / ns) * 100 : 0;
}

static int64_t bytes_per_page_x100(const struct populate_result *p)
{
	return p->mapped_4k ? (int64_t)(p->mmu_bytes * 100 / p->mapped_4k) : 0;
}

static int64_t ms_x100(uint64_t ns)
{
	return (int64_t)(ns / 10000);
}

/* The figure's value for one target, in hundredths of its unit. */
static int64_t figure_value(const struct bench_run *run, const struct bench_figures *f,
			    enum figure_id id)
{
	switch (id) {
	case FIG_4K_FAULTS: return (int64_t)f->pop4k.faults * 100;
	case FIG_4K_NS: return (int64_t)f->pop4k.median_ns * 100;
	case FIG_4K_RATE: return per_sec_x100(f->pop4k.faults, f->pop4k.total_ns);
	case FIG_4K_ALLOC: return (int64_t)f->pop4k.alloc_ns_per_page * 100;
	case FIG_4K_BYTES: return bytes_per_page_x100(&f->pop4k);
	case FIG_2M_FAULTS: return (int64_t)f->pop2m.faults * 100;
	case FIG_2M_NS: return (int64_t)f->pop2m.median_ns * 100;
	case FIG_2M_RATE: return per_sec_x100(f->pop2m.faults, f->pop2m.total_ns);
	case FIG_2M_BYTES: return bytes_per_page_x100(&f->pop2m);
	case FIG_T1_RATE: return per_sec_x100(run->bytes >> 12, f->threads_ns[1]);
	case FIG_T2_RATE:
		return run->max_threads >= 2 ? per_sec_x100(run->bytes >> 12, f->threads_ns[2]) : 0;
	case FIG_T2_SPEEDUP:
		return run->max_threads >= 2 && f->threads_ns[2] ?
			(int64_t)(f->threads_ns[1] * 100 / f->threads_ns[2]) : 0;
	case FIG_DIRTY_LAZY_ENABLE: return ms_x100(f->dirty_lazy.enable_ns);
	case FIG_DIRTY_LAZY_WRITE: return ms_x100(f->dirty_lazy.dirty_ns);
	case FIG_DIRTY_EAGER_ENABLE: return ms_x100(f->dirty_eager.enable_ns);
	case FIG_DIRTY_EAGER_WRITE: return ms_x100(f->dirty_eager.dirty_ns);
	case FIG_ZAP: return ms_x100(f->zap_ns);
	}
	return 0;
}

#define NR_FIGURES (sizeof(figures) / sizeof(figures[0]))

void bench_progress(struct bench_run *run, const char *target, const char *stage)
{
	uint64_t now = plat_now_ns();

	if (!run->start_ns)
		run->start_ns = now;
	fprintf(stderr, "bench [%s] %s ... (%.1f s elapsed)\n", target, stage,
		(double)(now - run->start_ns) / 1e9);
}

static bool met(const struct figure *fg, int64_t v)
{
	return fg->at_most ? v <= fg->target_x100 : v >= fg->target_x100;
}

static void print_row(const struct bench_run *run, const struct figure *fg)
{
	bool all_met = true;
	unsigned t;

	printf("  %-40s", fg->label);
	for (t = 0; t < run->nr_targets; t++) {
		int64_t v = figure_value(run, &run->fig[t], fg->id);

		/* Counts and rates are whole numbers; the rest has two decimals. */
		if (!fg->unit[0] || !strcmp(fg->unit, "/s"))
			printf(" %13.0f%-3s", (double)v / 100, fg->unit);
		else
			printf(" %13.2f%-3s", (double)v / 100, fg->unit);
		all_met = all_met && met(fg, v);
	}
	if (fg->target_x100)
		printf("  target %s %.2f: %s", fg->at_most ? "<=" : ">=",
		       (double)fg->target_x100 / 100, all_met ? "met" : "MISSED");
	printf("\n");
}

void bench_print_text(const struct bench_run *run)
{
	const char *section = "";
	unsigned i, t;

	printf("mmulab bench: %llu MiB of guest memory per measurement\n",
	       (unsigned long long)(run->bytes >> 20));
	printf("machine: %s (figures are user space, no CPU model in the loop)\n",
	       run->machine);
	for (i = 0; i < NR_FIGURES; i++) {
		if (strcmp(section, figures[i].section)) {
			section = figures[i].section;
			printf("%s\n  %-40s", section, "");
			for (t = 0; t < run->nr_targets; t++)
				printf(" %16.16s", run->targets[t].name);
			printf("\n");
		}
		print_row(run, &figures[i]);
	}
}

static int write_figure(xmlTextWriterPtr w, const struct figure *fg, int64_t v)
{
	int rc = xmlTextWriterStartElement(w, BAD_CAST "figure") < 0;

	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "section", BAD_CAST fg->section) < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST fg->label) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "value", "%.2f", (double)v / 100) < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "unit", BAD_CAST fg->unit) < 0;
	return rc | (xmlTextWriterEndElement(w) < 0);
}

void bench_print_xml(const struct bench_run *run)
{
	struct xml_out x;
	unsigned i, t;
	int rc;

	if (xml_out_begin(&x, "mmulab-bench"))
		return;
	rc = xmlTextWriterWriteFormatAttribute(x.w, BAD_CAST "bytes", "%llu",
					       (unsigned long long)run->bytes) < 0;
	rc |= xmlTextWriterWriteAttribute(x.w, BAD_CAST "machine", BAD_CAST run->machine) < 0;
	for (t = 0; t < run->nr_targets && !rc; t++) {
		rc |= xmlTextWriterStartElement(x.w, BAD_CAST "target") < 0;
		rc |= xmlTextWriterWriteAttribute(x.w, BAD_CAST "name",
						  BAD_CAST run->targets[t].name) < 0;
		for (i = 0; i < NR_FIGURES; i++)
			rc |= write_figure(x.w, &figures[i],
					   figure_value(run, &run->fig[t], figures[i].id));
		rc |= xmlTextWriterEndElement(x.w) < 0;
	}
	xml_out_end(&x, rc, "bench report");
}
