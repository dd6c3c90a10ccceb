/*
 * cli/cmd_validate.c — `mmulab validate FILE...`: load each file (schema and
 * semantic checks) and say whether it is valid; nothing runs.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/scenario/load.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: mmulab validate FILE...\n\n"
		"Checks each scenario against scenarios/mmulab.xsd (compiled in) and the\n"
		"semantic rules of docs/scenario-format.md.  Errors are printed as\n"
		"FILE:LINE: error: ...  Exit 0 if every file is valid, 2 otherwise.\n");
}

int cmd_validate(int argc, char **argv)
{
	int i, bad = 0;

	if (argc < 2) {
		usage(stderr);
		return EXIT_INVALID;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		struct scenario *s = scenario_load_file(argv[i]);

		if (!s) {
			bad++;
			continue;
		}
		printf("%s: valid (%u memslots, %u vCPUs, %u steps)\n", argv[i],
		       s->nr_memslots, s->nr_vcpus, s->nr_steps);
		scenario_free(s);
	}
	return bad ? EXIT_INVALID : 0;
}
