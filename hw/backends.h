/*
 * hw/backends.h — the MMU backends this build has, by name.
 *
 * The list lives here, not in core/mmu: core never names a backend (the
 * kernel module keeps its own list in hw/kmod/).
 */
#ifndef MMULAB_HW_BACKENDS_H
#define MMULAB_HW_BACKENDS_H

#include "core/mmu/mmu.h"

/* NULL-terminated. */
extern const struct mmu_backend_ops *const mmu_backends[];
/* The backend called `name` ("tdp"), or NULL. */
const struct mmu_backend_ops *mmu_backend_by_name(const char *name);

#endif
