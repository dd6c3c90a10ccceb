/*
 * cli/main.c — `mmulab SUBCOMMAND ...`: dispatch to cli/cmd_*.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "validate", cmd_validate, "check scenario files against the schema and the semantic rules" },
	{ "run", cmd_run, "run a scenario on an executor, print each step, check expectations" },
	{ "compare", cmd_compare, "run scenarios on ref and on backends, check identical results, show costs" },
	{ "bench", cmd_bench, "benchmark the MMU backends: fault latency, metadata, scaling, dirty logging" },
	{ "gen", cmd_gen, "print a random scenario for differential testing" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	unsigned i;

	fprintf(out, "usage: mmulab COMMAND [ARGS...]\n\n"
		"mmulab runs x86 MMU-virtualization scenarios (see docs/scenario-format.md).\n\n"
		"commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'mmulab COMMAND --help' describes one command.\n"
		"Exit status: 0 success, 1 an expectation did not hold, 2 invalid input, usage\n"
		"or a run-time error, 3 nothing failed but something was skipped: the CPU\n"
		"cannot run it (--hw kmod).\n");
}

int main(int argc, char **argv)
{
	unsigned i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_INVALID;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "mmulab: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_INVALID;
}
