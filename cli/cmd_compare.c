/*
 * cli/cmd_compare.c — `mmulab compare FILE... [--targets LIST] [--xml]`.
 *
 * Runs each scenario on ref and on every target, checks that every
 * guest-visible result is identical (design rule 4; a target whose walks
 * write guest page tables may add those pages to a dirty log,
 * hw/dirty_tables.h) and that each run met the scenario's expectations,
 * and prints what each target cost side by side.  One progress line per
 * file when given several.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cost_table.h"
#include "cli/describe.h"
#include "cli/scenario/load.h"
#include "cli/target.h"
#include "core/platform.h"
#include "hw/compare.h"
#include "hw/dirty_tables.h"
#include "hw/run.h"

#define MAX_TARGETS 16

struct compare_opts {
	struct target targets[MAX_TARGETS];  /* [0] is ref */
	unsigned nr_targets;
	bool xml;                            /* print the comparison as XML */
	bool table;                          /* print the cost table */
};

static void usage(FILE *out)
{
	fprintf(out, "usage: mmulab compare FILE... [--targets T1,T2,...] [--hw NAME] [--table]\n"
		"                      [--xml]\n\n"
		"Runs each scenario on ref and on each target, checks that every\n"
		"guest-visible result (values, #PF error codes and CR2, #GP, dirty logs)\n"
		"is identical and that every expectation holds, and prints the costs\n"
		"side by side (always for one FILE; with --table for several).  On NPT\n"
		"and EPT with A/D, page walks write the guest's page tables, so a dirty\n"
		"log there may add pages of the scenario's page-table roots and pools\n"
		"(noted for one FILE).\n"
		"  --targets LIST  targets after ref (default:");
	for (unsigned i = 0; default_compare_targets[i]; i++)
		fprintf(out, "%s%s", i ? "," : " ", default_compare_targets[i]);
	fprintf(out, ")\n  --hw NAME       executor for the targets (default sim)\n"
		"  --xml           the comparison as an XML document (one FILE)\n\n");
	target_usage(out);
	fprintf(out, "\nExit status: 0 identical and every expectation held, 1 a difference\n"
		"or a failed expectation, 2 invalid input, usage or a run-time error, 3 no\n"
		"difference and no failed expectation, but a target skipped a scenario\n"
		"because this CPU cannot run it (--hw kmod: FILE:LINE: skipped on TARGET:\n"
		"why).\n");
}

/* ref first, then the list (or the defaults); ref named in the list again is dropped. */
static int parse_targets(struct compare_opts *o, const char *list, const char *hw)
{
	unsigned i, kept = 1;

	o->nr_targets = 0;
	if (target_parse_list("ref", NULL, NULL, o->targets, MAX_TARGETS, &o->nr_targets) ||
	    target_parse_list(list, default_compare_targets, hw, o->targets, MAX_TARGETS,
			      &o->nr_targets))
		return -1;
	for (i = 1; i < o->nr_targets; i++)
		if (o->targets[i].ex != &ref_executor)
			o->targets[kept++] = o->targets[i];
	o->nr_targets = kept;
	return 0;
}

static unsigned steps_run_by_both(const struct run_report *ref, const struct run_report *r)
{
	return ref->nr_run < r->nr_run ? ref->nr_run : r->nr_run;
}

/* Report the first step where a target disagrees with ref.  True if one does. */
static bool report_difference(const struct run_report *ref, const struct run_report *r,
			      const char *target)
{
	const struct scenario *s = ref->s;
	unsigned i, n = steps_run_by_both(ref, r);

	for (i = 0; i < n; i++) {
		const struct scn_step *st = &s->steps[i];
		char what[160], a[160], b[256];

		if (step_results_agree(s, st, &ref->results[i], &r->results[i], r->walks))
			continue;
		describe_step(st, what, sizeof(what));
		describe_result(&ref->results[i], a, sizeof(a));
		describe_result_judged(s, st, &r->results[i], &ref->results[i], r->walks, b,
				       sizeof(b));
		fprintf(stderr, "%s:%d: difference: %s %s: ref gives %s, %s gives %s\n", s->file,
			st->line, step_kind_name(st), what, a, target, b);
		return true;
	}
	return false;
}

/*
 * The dirty logs where a target's walks added guest page-table pages to
 * ref's, which the architecture allows (hw/dirty_tables.h): say which, so
 * an accepted difference is still seen.
 */
static void report_table_pages(const struct run_report *ref, const struct run_report *r,
			       const char *target)
{
	const struct scenario *s = ref->s;
	unsigned i, n = steps_run_by_both(ref, r);

	if (!r->walks)
		return;
	for (i = 0; i < n; i++) {
		const struct scn_step *st = &s->steps[i];
		const struct step_result *a = &ref->results[i], *b = &r->results[i];
		struct dirty_diff d = {
			.s = s, .st = st, .log = b->dirty, .strict = a->dirty, .npages = b->dirty_pages,
		};
		char what[160], got[256];

		if (!a->dirty || !step_results_agree(s, st, a, b, r->walks) ||
		    !dirty_diff_has(&d, DIRTY_TABLES))
			continue;
		describe_step(st, what, sizeof(what));
		describe_result_judged(s, st, b, a, r->walks, got, sizeof(got));
		printf("%s:%d: note: %s %s on %s: %s\n", s->file, st->line, step_kind_name(st), what,
		       target, got);
	}
}

/* Expectation mismatches, run errors and skips of one run, reported like `mmulab run`. */
static int report_run(const struct run_report *r, const char *target)
{
	const struct scenario *s = r->s;
	unsigned i;

	if (r->failed && r->error.skipped) {
		fprintf(stderr, "%s:%d: skipped on %s: %s\n", s->file, r->error.line, target,
			r->error.what);
	} else if (r->failed) {
		fprintf(stderr, "%s:%d: error on %s: %s\n", s->file, r->error.line, target,
			r->error.what);
		return EXIT_INVALID;
	}
	for (i = 0; i < r->nr_run; i++) {
		char what[160], got[256], want[160];

		if (!r->mismatch[i])
			continue;
		describe_step(&s->steps[i], what, sizeof(what));
		describe_result_judged(s, &s->steps[i], &r->results[i], NULL, r->walks, got,
				       sizeof(got));
		describe_expect(&s->steps[i], want, sizeof(want));
		fprintf(stderr, "%s:%d: mismatch on %s: %s %s: expected %s, got %s\n", s->file,
			s->steps[i].line, target, step_kind_name(&s->steps[i]), what, want, got);
	}
	return r->nr_mismatches ? EXIT_MISMATCH : r->failed ? EXIT_SKIPPED : 0;
}

/* The status that says more: an error, then a difference, then a skip, then success. */
static int worse(int a, int b)
{
	static const int rank[] = { [0] = 0, [EXIT_SKIPPED] = 1, [EXIT_MISMATCH] = 2,
				    [EXIT_INVALID] = 3 };

	return rank[a] > rank[b] ? a : b;
}

/* Compare one file; prints its progress line when `progress` is given. */
static int compare_file(const struct compare_opts *o, const char *file, const char *progress)
{
	struct run_report *reports = calloc(MAX_TARGETS, sizeof(*reports));
	uint64_t start = plat_now_ns();
	struct scenario *s = scenario_load_file(file);
	int status = 0;
	unsigned t;

	if (!s || !reports) {
		free(reports);
		scenario_free(s);
		return EXIT_INVALID;
	}
	for (t = 0; t < o->nr_targets; t++) {
		run_scenario(o->targets[t].ex, &o->targets[t].cfg, s, &reports[t]);
		status = worse(status, report_run(&reports[t], o->targets[t].name));
		if (t && !reports[0].failed && !reports[t].failed &&
		    report_difference(&reports[0], &reports[t], o->targets[t].name))
			status = worse(status, EXIT_MISMATCH);
	}
	if (!progress && !o->xml)
		for (t = 1; t < o->nr_targets; t++)
			if (!reports[0].failed && !reports[t].failed)
				report_table_pages(&reports[0], &reports[t], o->targets[t].name);
	if (o->xml)
		print_cost_xml(s, o->targets, reports, o->nr_targets, status == 0);
	else if (o->table)
		print_cost_table(s, o->targets, reports, o->nr_targets);
	if (!progress && !o->xml)
		printf("%s: %s\n", file, status == 0 ?
		       "every target gave ref's guest-visible results; every expectation held" :
		       status == EXIT_SKIPPED ?
		       "every target that ran gave ref's results; this CPU cannot run some (see above)" :
		       "targets differ or expectations failed (see above)");
	else if (!o->xml)
		printf("compare %s %-44s %u targets %s (%.0f ms)\n", progress, file,
		       o->nr_targets, status == 0 ? "identical" :
		       status == EXIT_SKIPPED ? "skipped" :
		       status == EXIT_MISMATCH ? "DIFFER" : "ERROR",
		       (double)(plat_now_ns() - start) / 1e6);
	for (t = 0; t < o->nr_targets; t++)
		run_report_free(&reports[t]);
	free(reports);
	scenario_free(s);
	return status;
}

static int compare_main(struct compare_opts *o, int argc, char **argv)
{
	static const struct option options[] = {
		{ "targets", required_argument, NULL, 'T' },
		{ "backends", required_argument, NULL, 'T' },
		{ "hw", required_argument, NULL, 'H' },
		{ "table", no_argument, NULL, 't' },
		{ "xml", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *list = NULL, *hw = NULL;
	int opt, status = 0, i, nfiles;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "T:H:txh", options, NULL)) != -1) {
		switch (opt) {
		case 'T': list = optarg; break;
		case 'H': hw = optarg; break;
		case 't': o->table = true; break;
		case 'x': o->xml = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_INVALID;
		}
	}
	nfiles = argc - optind;
	if (nfiles < 1) {
		usage(stderr);
		return EXIT_INVALID;
	}
	if (o->xml && nfiles > 1) {
		fprintf(stderr, "mmulab compare: --xml takes one FILE (one document each)\n");
		return EXIT_INVALID;
	}
	if (parse_targets(o, list, hw))
		return EXIT_INVALID;
	if (nfiles == 1)
		o->table = true;
	for (i = 0; i < nfiles; i++) {
		char progress[32];

		snprintf(progress, sizeof(progress), "[%d/%d]", i + 1, nfiles);
		status = worse(status, compare_file(o, argv[optind + i],
						    nfiles > 1 ? progress : NULL));
	}
	if (nfiles > 1 && !o->xml)
		printf("compare: %d files on %u targets: %s\n", nfiles, o->nr_targets,
		       status == 0 ? "all identical, every expectation held" :
		       status == EXIT_SKIPPED ?
		       "all that ran identical, every expectation held; skips above" :
		       "differences or failures above");
	return status;
}

/* The options hold MAX_TARGETS targets: too big for the stack. */
int cmd_compare(int argc, char **argv)
{
	struct compare_opts *o = calloc(1, sizeof(*o));
	int status;

	if (!o) {
		fprintf(stderr, "mmulab compare: out of memory\n");
		return EXIT_INVALID;
	}
	status = compare_main(o, argc, argv);
	free(o);
	return status;
}
