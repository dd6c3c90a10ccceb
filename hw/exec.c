#include <string.h>

#include "hw/exec.h"

const struct executor_ops *const executors[] = { &ref_executor, &sim_executor, &kmod_executor, NULL };

const struct executor_ops *executor_by_name(const char *name)
{
	unsigned i;

	for (i = 0; executors[i]; i++)
		if (!strcmp(executors[i]->name, name))
			return executors[i];
	return NULL;
}

static const char *const exit_names[] = {
#define EXEC_EXIT_NAME(e, name, what) [EXEC_EXIT_##e] = name,
	EXEC_EXITS(EXEC_EXIT_NAME)
#undef EXEC_EXIT_NAME
};

const char *exec_exit_name(enum exec_exit e)
{
	return (unsigned)e < EXEC_NR_EXITS ? exit_names[e] : "?";
}
