// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/kmod_backends.c — the MMU backends compiled into mmulab.ko.
 * A new backend is one more line here (and in hw/backends.c for user space).
 *
 * No kernel header: the core headers this needs define PAGE_SHIFT and
 * BIT_ULL as the kernel's do (vmctl.h).
 */
#include "backends/tdp/tdp_backend.h"
#include "hw/kmod/kmod_backends.h"

/* NULL-terminated. */
static const struct mmu_backend_ops *const kmod_backends[] = { &tdp_backend, NULL };

static bool name_is(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

const struct mmu_backend_ops *kmod_backend_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; kmod_backends[i]; i++)
		if (name_is(kmod_backends[i]->name, name))
			return kmod_backends[i];
	return NULL;
}
