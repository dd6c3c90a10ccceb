/*
 * tests/util/fake_mem.h — a sparse guest-physical memory for unit tests of
 * core/x86, independent of core/vm: pages appear zeroed on first touch.
 * Every access is counted so tests can assert what a walker read or wrote.
 */
#ifndef MMULAB_TESTS_FAKE_MEM_H
#define MMULAB_TESTS_FAKE_MEM_H

#include <stdint.h>

#include "core/x86/walk.h"

struct fake_mem {
	struct guest_mem ops;     /* hand &fm->ops to walkers and builders */
	struct fake_page *pages;  /* touched pages, a list: tests touch few */
	uint64_t limit;           /* gpas at or above this fail with MMU_ENOSLOT */
	unsigned reads, cmpxchgs, writes;
};

/* A memory whose valid gpas are [0, limit). */
void fake_mem_init(struct fake_mem *fm, uint64_t limit);
void fake_mem_destroy(struct fake_mem *fm);

uint64_t fake_mem_read(struct fake_mem *fm, uint64_t gpa, unsigned bytes);
void fake_mem_write(struct fake_mem *fm, uint64_t gpa, unsigned bytes, uint64_t val);

#endif
