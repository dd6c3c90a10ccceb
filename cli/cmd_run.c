/*
 * cli/cmd_run.c — `mmulab run FILE [--hw NAME] [--trace] [--xml]`.
 *
 * Loads and validates the scenario (nothing runs if it is invalid), runs it
 * on one executor, prints each step with its result, and reports every
 * expectation that did not hold as FILE:LINE on stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/describe.h"
#include "cli/result_xml.h"
#include "cli/scenario/load.h"
#include "hw/run.h"

static void usage(FILE *out)
{
	unsigned i;

	fprintf(out, "usage: mmulab run FILE [--hw NAME] [--trace] [--xml]\n\n"
		"Runs the scenario's steps and checks their expectations.\n"
		"  --hw NAME   the executor (default ref):\n");
	for (i = 0; executors[i]; i++)
		fprintf(out, "                %-6s %s\n", executors[i]->name,
			executors[i]->description);
	fprintf(out, "  --trace     also show each access's page walk, entry by entry\n"
		"  --xml       print an XML result document instead of text\n"
		"Exit status: 0 every expectation held, 1 one did not, 2 invalid input,\n"
		"usage or a run-time error.\n");
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

static void print_text(const struct run_report *r, bool trace)
{
	const struct scenario *s = r->s;
	unsigned i;

	printf("scenario %s (%s) on %s\n", s->name, s->file, r->ex->name);
	for (i = 0; i < r->nr_run; i++) {
		const struct scn_step *st = &s->steps[i];
		char what[160], got[160], want[160];

		describe_step(st, what, sizeof(what));
		describe_result(&r->results[i], got, sizeof(got));
		describe_expect(st, want, sizeof(want));
		printf("  %4d  vcpu%-2u %-9s %-40s -> %s%s\n", st->line, st->vcpu,
		       step_kind_name(st), what, got,
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
		{ "trace", no_argument, NULL, 't' },
		{ "xml", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct executor_ops *ex = &ref_executor;
	struct exec_config cfg = { 0 };
	bool trace = false, xml = false;
	struct run_report report;
	struct scenario *s;
	int opt, status;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "H:txh", options, NULL)) != -1) {
		switch (opt) {
		case 'H':
			ex = executor_by_name(optarg);
			if (!ex) {
				fprintf(stderr, "mmulab run: unknown executor '%s'\n\n", optarg);
				usage(stderr);
				return EXIT_INVALID;
			}
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
	s = scenario_load_file(argv[optind]);
	if (!s)
		return EXIT_INVALID;
	run_scenario(ex, &cfg, s, &report);
	if (xml)
		print_result_xml(&report);
	else
		print_text(&report, trace);
	if (report.failed)
		fprintf(stderr, "%s:%d: error: %s\n", s->file, report.error.line, report.error.what);
	status = report.failed ? EXIT_INVALID : report.nr_mismatches ? EXIT_MISMATCH : 0;
	run_report_free(&report);
	scenario_free(s);
	return status;
}
