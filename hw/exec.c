#include <string.h>

#include "hw/exec.h"

const struct executor_ops *const executors[] = { &ref_executor, NULL };

const struct executor_ops *executor_by_name(const char *name)
{
	unsigned i;

	for (i = 0; executors[i]; i++)
		if (!strcmp(executors[i]->name, name))
			return executors[i];
	return NULL;
}
