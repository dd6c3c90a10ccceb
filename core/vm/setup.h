/*
 * core/vm/setup.h — build a VM from a scenario: memslots, the guest page
 * tables its <page-tables> describe, and its vCPUs.  Executors call this
 * before running any step.
 */
#ifndef MMULAB_CORE_VM_SETUP_H
#define MMULAB_CORE_VM_SETUP_H

#include "core/vm/scenario.h"
#include "core/vm/vm.h"

/* Why setup failed, for a FILE:LINE message. */
struct vm_setup_error {
	int code;        /* MMU_E* */
	int line;        /* scenario line of the element that failed */
	char what[200];  /* what failed, in words */
};

/* 0 with *out set, or a negative MMU_E* code with *err filled and no VM left behind. */
int vm_setup(const struct scenario *s, struct vm **out, struct vm_setup_error *err);

#endif
