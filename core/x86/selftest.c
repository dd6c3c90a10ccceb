/*
 * core/x86/selftest.c — walk a hand-built 4-level table in a tiny guest
 * memory of host frames.
 *
 * The table is written entry by entry, not with ptbuild, so a bug shared
 * by the creator and the walker cannot hide here.  Guest memory is
 * SELFTEST_FRAMES frames at gpa 0:
 *   0x0000 PML4   0x1000 PDPT   0x2000 PD   0x3000 PT
 *   0x5000 user data (RW)   0x6000 supervisor data (RW)   0x7000 user data (RO)
 * and the linear addresses used are
 *   0x1000 -> 0x5000 (U, W)     0x2000 -> 0x6000 (S, W)
 *   0x3000 -> 0x7000 (U, RO)    0x4000 not present
 *   0x200000..0x3fffff -> a 2 MiB page at gpa 0x200000 (U, W)
 */
#include "core/errors.h"
#include "core/platform.h"
#include "core/x86/bits.h"
#include "core/x86/selftest.h"
#include "core/x86/walk.h"

#define SELFTEST_FRAMES 8

struct selftest_mem {
	struct guest_mem ops;            /* what the walker is given */
	hpa_t frames[SELFTEST_FRAMES];   /* frame i backs gpa i * 4 KiB */
};

/* The bytes of a naturally aligned entry at gpa, or NULL outside memory. */
static void *selftest_entry(struct selftest_mem *m, uint64_t gpa, unsigned bytes)
{
	uint64_t gfn = gpa >> PAGE_SHIFT;

	if (gfn >= SELFTEST_FRAMES || (gpa & (bytes - 1)))
		return NULL;
	return (uint8_t *)plat_frame_map(m->frames[gfn]) + (gpa & (PAGE_SIZE_4K - 1));
}

static int selftest_read(void *opaque, uint64_t gpa, unsigned bytes, uint64_t *val)
{
	void *p = selftest_entry(opaque, gpa, bytes);

	if (!p || (bytes != 4 && bytes != 8))
		return MMU_ENOSLOT;
	*val = 0;
	plat_memcpy(val, p, bytes);
	return 0;
}

static int selftest_write(void *opaque, uint64_t gpa, unsigned bytes, uint64_t val)
{
	void *p = selftest_entry(opaque, gpa, bytes);

	if (!p || (bytes != 4 && bytes != 8))
		return MMU_ENOSLOT;
	plat_memcpy(p, &val, bytes);
	return 0;
}

static int selftest_cmpxchg(void *opaque, uint64_t gpa, unsigned bytes,
			    uint64_t old, uint64_t new)
{
	void *p = selftest_entry(opaque, gpa, bytes);

	if (!p || bytes != 8)
		return MMU_ENOSLOT;
	return plat_cmpxchg64(p, old, new) == old;
}

static uint64_t selftest_peek(struct selftest_mem *m, uint64_t gpa)
{
	uint64_t v = 0;

	selftest_read(m, gpa, 8, &v);
	return v;
}

static void selftest_build(struct selftest_mem *m)
{
	const uint64_t table = PT_PRESENT | PT_WRITABLE | PT_USER;

	selftest_write(m, 0x0000, 8, 0x1000 | table);           /* PML4[0] */
	selftest_write(m, 0x1000, 8, 0x2000 | table);           /* PDPT[0] */
	selftest_write(m, 0x2000, 8, 0x3000 | table);           /* PD[0] */
	selftest_write(m, 0x2008, 8, 0x200000 | table | PT_PAGE_SIZE); /* PD[1] */
	selftest_write(m, 0x3008, 8, 0x5000 | PT_PRESENT | PT_WRITABLE | PT_USER);
	selftest_write(m, 0x3010, 8, 0x6000 | PT_PRESENT | PT_WRITABLE);
	selftest_write(m, 0x3018, 8, 0x7000 | PT_PRESENT | PT_USER);
}

struct selftest_case {
	const char *what;        /* the rule checked, for the log */
	uint64_t gva;            /* the access ... */
	enum access_kind kind;
	uint8_t cpl;
	enum walk_outcome outcome;  /* ... and its expected result */
	uint64_t gpa;            /* WALK_OK */
	uint32_t error_code;     /* WALK_PF */
	int level;               /* the leaf's level, or where the walk stopped */
};

static const struct selftest_case selftest_cases[] = {
	{ "a user read of a user page translates", 0x1234, ACCESS_READ, 3,
	  WALK_OK, 0x5234, 0, 1 },
	{ "a non-present PTE faults without P", 0x4010, ACCESS_READ, 3,
	  WALK_PF, 0, PFERR_USER, 1 },
	{ "a user write to a read-only page faults with P|W|U", 0x3000, ACCESS_WRITE, 3,
	  WALK_PF, 0, PFERR_PRESENT | PFERR_WRITE | PFERR_USER, 1 },
	{ "a user read of a supervisor page faults with P|U", 0x2000, ACCESS_READ, 3,
	  WALK_PF, 0, PFERR_PRESENT | PFERR_USER, 1 },
	{ "a 2 MiB page keeps va bits 20:0 as the offset", 0x312345, ACCESS_READ, 0,
	  WALK_OK, 0x312345, 0, 2 },
	{ "a user write to a writable user page translates", 0x1008, ACCESS_WRITE, 3,
	  WALK_OK, 0x5008, 0, 1 },
};

static int selftest_check(bool ok, const char *what, const char *detail,
			  uint64_t got, uint64_t want)
{
	if (ok)
		return 0;
	plat_log(PLAT_LOG_ERR, "x86 selftest: %s: %s is 0x%llx, expected 0x%llx", what,
		 detail, (unsigned long long)got, (unsigned long long)want);
	return 1;
}

static int selftest_run_case(const struct walk_ctx *ctx, struct selftest_mem *m,
			     const struct selftest_case *c)
{
	struct walk_access acc = { .gva = c->gva, .kind = c->kind, .cpl = c->cpl };
	struct walk_result res;
	int failed = 0, ret;

	ret = walk_guest(ctx, &m->ops, &acc, &res);
	if (ret) {
		plat_log(PLAT_LOG_ERR, "x86 selftest: %s: walk_guest: %s", c->what,
			 mmu_strerror(ret));
		return 1;
	}
	failed += selftest_check(res.outcome == c->outcome, c->what, "outcome",
				 res.outcome, c->outcome);
	failed += selftest_check(res.level == c->level, c->what, "level",
				 (uint64_t)res.level, (uint64_t)c->level);
	if (c->outcome == WALK_OK)
		failed += selftest_check(res.gpa == c->gpa, c->what, "gpa", res.gpa, c->gpa);
	else
		failed += selftest_check(res.error_code == c->error_code, c->what,
					 "error code", res.error_code, c->error_code);
	return failed;
}

/* After all cases: A where an access succeeded, D only where one wrote. */
static int selftest_check_accessed_dirty(struct selftest_mem *m)
{
	static const struct {
		const char *what;
		uint64_t gpa;
		uint64_t ad;   /* A/D bits the entry must hold */
	} expect[] = {
		{ "PML4[0] is accessed, not dirty", 0x0000, PT_ACCESSED },
		{ "PD[0] is accessed", 0x2000, PT_ACCESSED },
		{ "the 2 MiB PDE read is accessed, not dirty", 0x2008, PT_ACCESSED },
		{ "the written PTE is accessed and dirty", 0x3008, PT_ACCESSED | PT_DIRTY },
		{ "a PTE whose access faulted is untouched", 0x3018, 0 },
		{ "a supervisor PTE a user read faulted on is untouched", 0x3010, 0 },
	};
	int failed = 0;
	size_t i;

	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		uint64_t ad = selftest_peek(m, expect[i].gpa) & (PT_ACCESSED | PT_DIRTY);

		failed += selftest_check(ad == expect[i].ad, expect[i].what, "A/D",
					 ad, expect[i].ad);
	}
	return failed;
}

int x86_selftest(void)
{
	const struct x86_paging_regs regs = {
		.cr0 = CR0_PE | CR0_PG | CR0_WP,
		.cr4 = CR4_PAE,
		.efer = EFER_LME | EFER_LMA | EFER_NXE,
	};
	const struct x86_cpu_features feat = { .maxphyaddr = 46, .gbpages = true };
	struct selftest_mem *m = plat_zalloc(sizeof(*m));
	struct walk_ctx *ctx = plat_zalloc(sizeof(*ctx));
	int failed = 0, ret = MMU_ENOMEM;
	size_t i, n = 0;

	if (!m || !ctx)
		goto out;
	for (n = 0; n < SELFTEST_FRAMES; n++) {
		m->frames[n] = plat_frame_alloc();
		if (m->frames[n] == PLAT_NO_FRAME)
			goto out;
	}
	m->ops = (struct guest_mem){ .opaque = m, .read = selftest_read,
				     .cmpxchg = selftest_cmpxchg, .write = selftest_write };
	selftest_build(m);
	ret = walk_ctx_init(ctx, &regs, &feat);
	if (ret)
		goto out;
	for (i = 0; i < sizeof(selftest_cases) / sizeof(selftest_cases[0]); i++)
		failed += selftest_run_case(ctx, m, &selftest_cases[i]);
	failed += selftest_check_accessed_dirty(m);
	ret = failed;
out:
	if (ret < 0)
		plat_log(PLAT_LOG_ERR, "x86 selftest: cannot run: %s", mmu_strerror(ret));
	while (m && n > 0)
		plat_frame_free(m->frames[--n]);
	plat_free(ctx);
	plat_free(m);
	return ret;
}
