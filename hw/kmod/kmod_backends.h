/*
 * hw/kmod/kmod_backends.h — the MMU backends the module has, by name.
 *
 * The module keeps its own list (hw/backends.c is the user build's):
 * core never names a backend, and the two builds may differ.
 */
#ifndef MMULAB_HW_KMOD_KMOD_BACKENDS_H
#define MMULAB_HW_KMOD_KMOD_BACKENDS_H

#include "core/mmu/mmu.h"

/* The backend called `name` ("tdp"), or NULL. */
const struct mmu_backend_ops *kmod_backend_by_name(const char *name);

#endif
