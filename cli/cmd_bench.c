/*
 * cli/cmd_bench.c — `mmulab bench [--size S] [--targets LIST] [--xml]`
 * and `mmulab bench --hw kmod [--size S] [--targets LIST]`.
 *
 * Benchmarks, not tests: figures are printed (and compared with the
 * project's targets), never asserted.  Every target runs the same
 * measurements in one run, so the columns compare backends and formats.
 * With --hw, the exit round trips of a real (or emulated) CPU instead,
 * next to the simulator's figures for the same workload (bench_hw.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli/bench.h"
#include "cli/bench_hw.h"
#include "cli/bench_report.h"
#include "cli/cli.h"
#include "cli/scenario/parse_num.h"
#include "core/x86/bits.h"

#define MAX_TARGETS BENCH_MAX_TARGETS

static const char *const default_targets[] = { "tdp-ept", "tdp-npt", NULL };

static void usage(FILE *out)
{
	fprintf(out, "usage: mmulab bench [--size BYTES] [--targets T1,T2,...] [--threads N]\n"
		"                    [--xml]\n"
		"       mmulab bench --hw kmod [--size BYTES] [--targets T1,T2,...]\n\n"
		"Measures the MMU's fault path, metadata, scaling with vCPU threads,\n"
		"dirty logging with and without eager splitting, and zapping, for each\n"
		"target side by side.  Nothing is asserted: figures are printed with the\n"
		"project's targets next to them.\n"
		"  --size BYTES   guest memory per measurement (default 1G; K/M/G suffixes)\n"
		"  --targets LIST default tdp-ept,tdp-npt\n"
		"  --threads N    most vCPU threads in the scaling test (default 2)\n"
		"  --xml          the figures as an XML document\n"
		"  --hw NAME      exit round trips on executor NAME (kmod: /dev/mmulab, the\n"
		"                 CPU's SVM or VMX) next to the simulator's, for the same\n"
		"                 reads: TDP fault round trip (ns, TSC ticks), faults/s,\n"
		"                 #PF intercepts; --size defaults to 16M, targets to tdp-npt\n");
}

static void machine_line(char *buf, size_t size)
{
	char model[128] = "unknown CPU", line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");
	struct utsname u;

	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			snprintf(model, sizeof(model), "%s", colon + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	if (uname(&u))
		strcpy(u.release, "?");
	snprintf(buf, size, "%s, %ld CPUs, Linux %s", model, sysconf(_SC_NPROCESSORS_ONLN),
		 u.release);
}

/* The targets to measure: each must run an MMU backend. */
static int parse_target_list(const char *list, struct target *t, unsigned *n)
{
	unsigned i;

	*n = 0;
	if (target_parse_list(list, default_targets, NULL, t, MAX_TARGETS, n))
		return -1;
	for (i = 0; i < *n; i++) {
		if (!t[i].cfg.backend) {
			fprintf(stderr, "mmulab bench: '%s' runs no MMU backend\n", t[i].name);
			return -1;
		}
	}
	return 0;
}

/* Run every measurement on every target, printing a progress line per stage. */
static int measure(struct bench_run *run)
{
	unsigned i, th;
	int failed = 0;

	for (i = 0; i < run->nr_targets && !failed; i++) {
		struct bench_figures *f = &run->fig[i];
		const struct target *t = &run->targets[i];

		bench_progress(run, t->name, "populate at 4K");
		f->pop4k = bench_populate(t, run->bytes, MMU_LEVEL_4K);
		bench_progress(run, t->name, "populate at 2M");
		f->pop2m = bench_populate(t, run->bytes, MMU_LEVEL_2M);
		for (th = 1; th <= run->max_threads; th++) {
			char what[48];

			snprintf(what, sizeof(what), "populate at 4K with %u thread%s", th,
				 th > 1 ? "s" : "");
			bench_progress(run, t->name, what);
			f->threads_ns[th] = bench_populate_threads(t, run->bytes, th, &failed);
		}
		bench_progress(run, t->name, "dirty logging without eager splitting");
		f->dirty_lazy = bench_dirty_log(t, run->bytes, false);
		bench_progress(run, t->name, "dirty logging with eager splitting");
		f->dirty_eager = bench_dirty_log(t, run->bytes, true);
		bench_progress(run, t->name, "zap all");
		f->zap_ns = bench_zap(t, run->bytes, &failed);
		failed = failed || f->pop4k.failed || f->pop2m.failed || f->dirty_lazy.failed ||
			 f->dirty_eager.failed;
	}
	return failed;
}

static int bench_main(struct bench_run *run, int argc, char **argv);

/* --hw: each target on the simulator and on the executor `hw`, the same workload. */
static int bench_hw(struct bench_run *run, const char *list, const char *hw)
{
	static const char *const default_hw_targets[] = { "tdp-npt", NULL };
	struct target *sim = calloc(MAX_TARGETS, sizeof(*sim));
	struct hw_figures *fsim = calloc(MAX_TARGETS, sizeof(*fsim));
	struct hw_figures *fhw = calloc(MAX_TARGETS, sizeof(*fhw));
	struct exec_error err;
	unsigned i, n = 0, nsim = 0;
	int status = EXIT_INVALID;

	if (!sim || !fsim || !fhw) {
		fprintf(stderr, "mmulab bench: out of memory\n");
		goto out;
	}
	if (target_parse_list(list, default_hw_targets, hw, run->targets, MAX_TARGETS, &n) ||
	    target_parse_list(list, default_hw_targets, "sim", sim, MAX_TARGETS, &nsim))
		goto out;
	for (i = 0; i < n; i++) {
		if (!run->targets[i].cfg.backend) {
			fprintf(stderr, "mmulab bench: '%s' runs no MMU backend\n", run->targets[i].name);
			goto out;
		}
		bench_progress(run, sim[i].name, "round trips on sim");
		if (bench_hw_measure(&sim[i], run->bytes, &fsim[i], &err)) {
			fprintf(stderr, "mmulab bench: %s on sim: %s\n", sim[i].name, err.what);
			goto out;
		}
		bench_progress(run, run->targets[i].name, "round trips on the hardware");
		if (bench_hw_measure(&run->targets[i], run->bytes, &fhw[i], &err)) {
			fprintf(stderr, "mmulab bench: %s on %s: %s\n", run->targets[i].name, hw,
				err.what);
			goto out;
		}
	}
	bench_hw_print(run->machine, run->targets, n, fsim, fhw);
	status = 0;
out:
	free(sim);
	free(fsim);
	free(fhw);
	return status;
}

/* A run holds every target's figures: too big for the stack. */
int cmd_bench(int argc, char **argv)
{
	struct bench_run *run = calloc(1, sizeof(*run));
	int status;

	if (!run) {
		fprintf(stderr, "mmulab bench: out of memory\n");
		return EXIT_INVALID;
	}
	run->bytes = 1ULL << 30;
	run->max_threads = 2;
	status = bench_main(run, argc, argv);
	free(run);
	return status;
}

static int bench_main(struct bench_run *run, int argc, char **argv)
{
	static const struct option options[] = {
		{ "size", required_argument, NULL, 's' },
		{ "targets", required_argument, NULL, 'T' },
		{ "backends", required_argument, NULL, 'T' },
		{ "threads", required_argument, NULL, 'j' },
		{ "hw", required_argument, NULL, 'H' },
		{ "xml", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *list = NULL, *hw = NULL;
	bool sized = false;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "s:T:j:xh", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (scn_parse_size(optarg, &run->bytes) != SCN_PARSE_OK || run->bytes < PAGE_SIZE_1G / 64 ||
			    run->bytes % PAGE_SIZE_2M) {
				fprintf(stderr, "mmulab bench: --size must be a multiple of 2M, "
					"at least 16M (got '%s')\n", optarg);
				return EXIT_INVALID;
			}
			sized = true;
			break;
		case 'T': list = optarg; break;
		case 'H': hw = optarg; break;
		case 'j':
			run->max_threads = (unsigned)atoi(optarg);
			if (run->max_threads < 1 || run->max_threads > BENCH_MAX_THREADS) {
				fprintf(stderr, "mmulab bench: --threads must be 1..%d\n",
					BENCH_MAX_THREADS);
				return EXIT_INVALID;
			}
			break;
		case 'x': run->xml = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_INVALID;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EXIT_INVALID;
	}
	machine_line(run->machine, sizeof(run->machine));
	if (hw && strcmp(hw, "sim")) {
		if (run->xml) {
			fprintf(stderr, "mmulab bench: --hw prints text only\n");
			return EXIT_INVALID;
		}
		/* Each access is one ioctl on kmod: 16M is 4096 of them per pass. */
		if (!sized)
			run->bytes = PAGE_SIZE_1G / 64;
		return bench_hw(run, list, hw);
	}
	if (parse_target_list(list, run->targets, &run->nr_targets))
		return EXIT_INVALID;
	if (measure(run)) {
		fprintf(stderr, "mmulab bench: a measurement failed (out of memory?)\n");
		return EXIT_INVALID;
	}
	if (run->xml)
		bench_print_xml(run);
	else
		bench_print_text(run);
	return 0;
}
