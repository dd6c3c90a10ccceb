/*
 * tests/util/fake_backend.h — a backend that builds nothing and records
 * what common code asked of it, so tests of core/mmu can check the calls
 * (roots got and put, ranges zapped or write-protected, flushes).
 */
#ifndef MMULAB_TESTS_UTIL_FAKE_BACKEND_H
#define MMULAB_TESTS_UTIL_FAKE_BACKEND_H

#include "core/mmu/mmu.h"

#define FAKE_MAX_CALLS 64

struct fake_range {
	char op;          /* 'z' zap, 'w' wrprot, 'd' clear dirty, 's' split */
	uint64_t start;
	uint64_t end;
};

struct fake_backend {
	unsigned roots_got;       /* get_root calls */
	unsigned roots_put;       /* put_root calls */
	hpa_t next_root;          /* fake root "addresses" handed out */
	hpa_t last_put;           /* the root put last */
	uint32_t role_level;      /* root_role() returns this level ... */
	bool role_direct;         /* ... and this direct bit */
	struct fake_range calls[FAKE_MAX_CALLS];
	unsigned nr_calls;
	bool range_needs_flush;   /* what range ops return */
	unsigned flushes;         /* host flush_remote_tlbs calls */
	uint64_t dirty[4];        /* gfns the host was told are dirty (bit i = gfn base + i) */
};

extern const struct mmu_backend_ops fake_backend_ops;

/* A VM on the fake backend; *fb is where the recording goes. */
struct mmu_vm *fake_vm(struct fake_backend *fb, const struct mmu_config *cfg);

#endif
