/*
 * hw/backends.c — the MMU backends of the user-space build.
 */
#include <string.h>

#include "backends/tdp/tdp_backend.h"
#include "hw/backends.h"

const struct mmu_backend_ops *const mmu_backends[] = { &tdp_backend, NULL };

const struct mmu_backend_ops *mmu_backend_by_name(const char *name)
{
	unsigned i;

	for (i = 0; mmu_backends[i]; i++)
		if (!strcmp(mmu_backends[i]->name, name))
			return mmu_backends[i];
	return NULL;
}
