/*
 * cli/cmd_run.c — `mmulab run FILE [--hw NAME] [--backend B --format F] [--trace] [--xml]`.
 *
 * Loads and validates the scenario (nothing runs if it is invalid), runs it
 * on one executor, prints each step with its result, and reports every
 * expectation that did not hold as FILE:LINE on stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/describe.h"
#include "cli/result_xml.h"
#include "cli/scenario/load.h"
#include "cli/target.h"
#include "hw/run.h"

static void usage(FILE *out)
{
	unsigned i;

	fprintf(out, "usage: mmulab run FILE [--hw NAME] [--backend B] [--format F] [--dbit]\n"
		"                        [--eager-split] [--trace] [--mmu-trace] [--xml]\n\n"
		"Runs the scenario's steps and checks their expectations.\n"
		"  --hw NAME      the executor (default ref; sim when --backend is given):\n");
	for (i = 0; executors[i]; i++)
		fprintf(out, "                   %-6s %s\n", executors[i]->name,
			executors[i]->description);
	fprintf(out, "  --backend B    the MMU backend (default tdp when --hw runs one)\n"
		"  --format F     its tables: ept (default), ept-noad, npt\n"
		"  --dbit         dirty logging by D bits instead of write protection\n"
		"  --eager-split  split huge pages as soon as dirty logging starts\n"
		"  --trace        also show each access's page walk (ref), entry by entry\n"
		"  --mmu-trace    also show the MMU's trace events (faults, SPTE changes,\n"
		"                 zaps, flushes, roots, splits), the last 4096\n"
		"  --xml          print an XML result document instead of text\n"
		"Exit status: 0 every expectation held, 1 one did not, 2 invalid input,\n"
		"usage or a run-time error, 3 the steps run met their expectations but a\n"
		"step was skipped: this CPU cannot run it (--hw kmod; FILE:LINE says why).\n");
}

/* The options that pick where the scenario runs. */
struct run_where {
	const char *hw;        /* --hw, or NULL */
	const char *backend;   /* --backend, or NULL */
	const char *format;    /* --format, or NULL */
	bool dbit;             /* --dbit */
	bool eager;            /* --eager-split */
	bool mmu_trace;        /* --mmu-trace */
};

/* Turn the options into a target ("tdp-npt+dbit" on sim, or ref). */
static int pick_target(const struct run_where *w, struct target *t)
{
	const struct executor_ops *ex = w->hw ? executor_by_name(w->hw) : NULL;
	char spec[64];

	if (w->hw && !ex) {
		fprintf(stderr, "mmulab run: unknown executor '%s'\n\n", w->hw);
		usage(stderr);
		return -1;
	}
	if (!w->backend && !w->format && !w->dbit && !w->eager && !w->mmu_trace &&
	    (!ex || !ex->needs_backend))
		return target_parse("ref", NULL, t);
	if (ex && !ex->needs_backend) {
		fprintf(stderr, "mmulab run: --hw %s runs no MMU backend\n", w->hw);
		return -1;
	}
	snprintf(spec, sizeof(spec), "%s-%s%s%s%s", w->backend ? w->backend : "tdp",
		 w->format ? w->format : "ept", w->dbit ? "+dbit" : "", w->eager ? "+eager" : "",
		 w->mmu_trace ? "+trace" : "");
	return target_parse(spec, w->hw, t);
}

static void print_walk(const struct step_result *res)
{
	const struct walk_result *w = &res->walk;
	int level;

	for (level = PT_MAX_LEVEL; level >= 1; level--) {
		if (!w->entry_gpa[level] && !w->entry[level])
			continue;
		printf("        L%d entry @ gpa 0x%llx = 0x%llx\n", level,
		       (unsigned long long)w->entry_gpa[level],
		       (unsigned long long)w->entry[level]);
		if (level == w->level)
			break;
	}
}

/* The MMU's events, oldest first: what the backend did, in order. */
static void print_mmu_trace(const struct run_report *r)
{
	static const char *const outcomes[] = {
		[MMU_FAULT_FIXED] = "fixed", [MMU_FAULT_SPURIOUS] = "spurious",
		[MMU_FAULT_RETRY] = "retry", [MMU_FAULT_MMIO] = "mmio",
	};
	unsigned i;

	printf("mmu trace: %u events\n", r->nr_trace);
	for (i = 0; i < r->nr_trace; i++) {
		const struct mmu_trace_event *e = &r->trace[i];
		char vcpu[16] = "vm";

		if (e->vcpu != UINT32_MAX)
			snprintf(vcpu, sizeof(vcpu), "vcpu%u", e->vcpu);
		/* A fault's level field holds its outcome (trace.h). */
		if (e->kind == TRACE_FAULT && e->level <= MMU_FAULT_MMIO) {
			printf("  #%-5llu %-10s %-6s gfn 0x%llx -> %s\n", (unsigned long long)e->seq,
			       "fault", vcpu, (unsigned long long)e->gfn, outcomes[e->level]);
			continue;
		}
		printf("  #%-5llu %-10s %-6s gfn 0x%llx level %u  0x%llx -> 0x%llx\n",
		       (unsigned long long)e->seq, mmu_trace_kind_name(e->kind), vcpu,
		       (unsigned long long)e->gfn, e->level, (unsigned long long)e->old_spte,
		       (unsigned long long)e->new_spte);
	}
}

static void print_text(const struct run_report *r, bool trace)
{
	const struct scenario *s = r->s;
	unsigned i;

	printf("scenario %s (%s) on %s\n", s->name, s->file, r->ex->name);
	for (i = 0; i < r->nr_run; i++) {
		const struct scn_step *st = &s->steps[i];
		char what[160], got[256], want[160];

		describe_step(st, what, sizeof(what));
		describe_result_judged(s, st, &r->results[i], NULL, r->walks, got, sizeof(got));
		describe_expect(st, want, sizeof(want));
		if (step_has_vcpu(st))
			printf("  %4d  vcpu%-2u ", st->line, st->vcpu);
		else
			printf("  %4d         ", st->line);
		printf("%-9s %-40s -> %s%s\n", step_kind_name(st), what, got,
		       r->mismatch[i] ? "   MISMATCH" : "");
		if (trace && r->results[i].has_walk)
			print_walk(&r->results[i]);
		if (r->mismatch[i])
			fprintf(stderr, "%s:%d: mismatch: %s %s: expected %s, got %s\n", s->file,
				st->line, step_kind_name(st), what, want, got);
	}
	printf("%s: %u of %u steps run, %u expectations checked, %u mismatches (%s, %.3f ms)\n",
	       s->file, r->nr_run, s->nr_steps, r->nr_checked, r->nr_mismatches, r->ex->name,
	       (double)r->elapsed_ns / 1e6);
}

int cmd_run(int argc, char **argv)
{
	static const struct option options[] = {
		{ "hw", required_argument, NULL, 'H' },
		{ "backend", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "dbit", no_argument, NULL, 'd' },
		{ "eager-split", no_argument, NULL, 'e' },
		{ "mmu-trace", no_argument, NULL, 'm' },
		{ "trace", no_argument, NULL, 't' },
		{ "xml", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_where where = { 0 };
	struct target target;
	bool trace = false, xml = false;
	struct run_report *report;
	struct scenario *s;
	int opt, status;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "H:b:f:demtxh", options, NULL)) != -1) {
		switch (opt) {
		case 'H':
			where.hw = optarg;
			break;
		case 'b':
			where.backend = optarg;
			break;
		case 'f':
			where.format = optarg;
			break;
		case 'd':
			where.dbit = true;
			break;
		case 'e':
			where.eager = true;
			break;
		case 'm':
			where.mmu_trace = true;
			break;
		case 't':
			trace = true;
			break;
		case 'x':
			xml = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_INVALID;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EXIT_INVALID;
	}
	if (pick_target(&where, &target))
		return EXIT_INVALID;
	s = scenario_load_file(argv[optind]);
	if (!s)
		return EXIT_INVALID;
	/* On the heap: with print_text inlined, ASan's frame would pass 2 KiB. */
	report = calloc(1, sizeof(*report));
	if (!report) {
		fprintf(stderr, "mmulab run: out of memory for the run report\n");
		scenario_free(s);
		return EXIT_INVALID;
	}
	run_scenario(target.ex, &target.cfg, s, report);
	if (xml)
		print_result_xml(report);
	else
		print_text(report, trace);
	if (!xml && where.mmu_trace)
		print_mmu_trace(report);
	if (report->failed && report->error.skipped)
		fprintf(stderr, "%s:%d: skipped on %s: %s\n", s->file, report->error.line,
			target.name, report->error.what);
	else if (report->failed)
		fprintf(stderr, "%s:%d: error: %s\n", s->file, report->error.line,
			report->error.what);
	/* An error outweighs a mismatch, which outweighs a skip. */
	if (report->failed && !report->error.skipped)
		status = EXIT_INVALID;
	else if (report->nr_mismatches)
		status = EXIT_MISMATCH;
	else
		status = report->failed ? EXIT_SKIPPED : 0;
	run_report_free(report);
	free(report);
	scenario_free(s);
	return status;
}
