/*
 * fuzz/scenario_fuzz.c — libFuzzer target for the scenario loader.
 *
 * Feeds arbitrary bytes to scenario_load_memory_diag (messages dropped)
 * and checks the loader's promise on everything it accepts: the VM can be
 * built — memslots added, every <page-tables> built into guest memory,
 * every vCPU created — without a single error.  A crash, a sanitizer
 * report, a leak or a failed promise (abort) is a finding.
 * Built and run by fuzz/run.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/scenario/load.h"
#include "core/vm/setup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drop_message(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario_diag diag = { drop_message, NULL, 0 };
	struct vm_setup_error err;
	struct scenario *s;
	struct vm *vm;

	s = scenario_load_memory_diag((const char *)data, size, "fuzz.xml", &diag);
	if (!s)
		return 0;
	if (vm_setup(s, &vm, &err)) {
		fprintf(stderr, "fuzz.xml:%d: the loader accepted a scenario that cannot be set up: %s\n",
			err.line, err.what);
		abort();
	}
	vm_destroy(vm);
	scenario_free(s);
	return 0;
}
