/*
 * backends/tdp/tdp_backend.h — the TDP backend (EPT/NPT tables shared by
 * vCPUs of equal root role, parallel faults under the read lock), for the
 * list of backends to name.
 */
#ifndef MMULAB_BACKENDS_TDP_TDP_BACKEND_H
#define MMULAB_BACKENDS_TDP_TDP_BACKEND_H

#include "core/mmu/mmu.h"

extern const struct mmu_backend_ops tdp_backend;

#endif
