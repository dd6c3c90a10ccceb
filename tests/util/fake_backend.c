/*
 * tests/util/fake_backend.c — see fake_backend.h.
 */
#include <check.h>
#include <stdlib.h>

#include "tests/util/fake_backend.h"

static struct fake_backend *fb_of(const struct mmu_vm *vm)
{
	return vm->backend;
}

static int fake_vm_init(struct mmu_vm *vm)
{
	(void)vm; /* vm->backend is set by fake_vm before any op runs */
	return 0;
}

static void fake_vm_destroy(struct mmu_vm *vm)
{
	(void)vm;
}

static union mmu_page_role fake_root_role(const struct mmu_vcpu *v, const struct mmu *mmu)
{
	union mmu_page_role role = { .word = 0 };

	(void)mmu;
	role.level = fb_of(v->vm)->role_level;
	role.direct = fb_of(v->vm)->role_direct;
	return role;
}

static int fake_get_root(struct mmu_vcpu *v, uint64_t pgd, union mmu_page_role role,
			 hpa_t *root)
{
	struct fake_backend *fb = fb_of(v->vm);

	(void)pgd;
	(void)role;
	fb->roots_got++;
	fb->next_root += 0x1000;
	*root = fb->next_root;
	return 0;
}

static void fake_put_root(struct mmu_vm *vm, hpa_t root)
{
	fb_of(vm)->roots_put++;
	fb_of(vm)->last_put = root;
}

static bool record(struct mmu_vm *vm, char op, uint64_t start, uint64_t end)
{
	struct fake_backend *fb = fb_of(vm);

	ck_assert_uint_lt(fb->nr_calls, FAKE_MAX_CALLS);
	fb->calls[fb->nr_calls++] = (struct fake_range){ op, start, end };
	return fb->range_needs_flush;
}

static bool fake_zap(struct mmu_vm *vm, uint64_t start, uint64_t end)
{
	return record(vm, 'z', start, end);
}

static bool fake_wrprot(struct mmu_vm *vm, uint64_t start, uint64_t end)
{
	return record(vm, 'w', start, end);
}

/* Pretends every page of the range had D set: common code decides whether it is logged. */
static bool fake_clear_dirty(struct mmu_vm *vm, struct mmu_memslot *slot, uint64_t start,
			     uint64_t end)
{
	uint64_t gfn;

	for (gfn = start; gfn < end; gfn++)
		mmu_mark_page_dirty(vm, slot, gfn);
	return record(vm, 'd', start, end);
}

static int fake_split(struct mmu_vm *vm, uint64_t start, uint64_t end, int target_level)
{
	(void)target_level;
	record(vm, 's', start, end);
	return 0;
}

static uint64_t fake_age(struct mmu_vm *vm, uint64_t start, uint64_t end, bool test_only)
{
	(void)vm;
	(void)test_only;
	return end - start;
}

static int fake_page_fault(struct mmu_vcpu *v, struct mmu_fault *f)
{
	(void)v;
	f->outcome = MMU_FAULT_FIXED;
	return 0;
}

static void fake_visit(struct mmu_vm *vm, const struct mmu_visitor *vis)
{
	(void)vm;
	(void)vis;
}

const struct mmu_backend_ops fake_backend_ops = {
	.name = "fake",
	.description = "records calls (tests only)",
	.vm_init = fake_vm_init,
	.vm_destroy = fake_vm_destroy,
	.root_role = fake_root_role,
	.get_root = fake_get_root,
	.put_root = fake_put_root,
	.page_fault = fake_page_fault,
	.zap_gfn_range = fake_zap,
	.wrprot_gfn_range = fake_wrprot,
	.clear_dirty_gfn_range = fake_clear_dirty,
	.split_huge_pages = fake_split,
	.age_gfn_range = fake_age,
	.visit = fake_visit,
};

static void fake_flush(void *opaque)
{
	((struct fake_backend *)opaque)->flushes++;
}

/* The tests' slots start at gfn 0x100; bit i of fb->dirty is gfn 0x100 + i. */
static void fake_mark_dirty(void *opaque, uint64_t gfn)
{
	struct fake_backend *fb = opaque;
	uint64_t i = gfn - 0x100;

	ck_assert_uint_lt(i, 256);
	fb->dirty[i / 64] |= 1ULL << (i % 64);
}

struct mmu_vm *fake_vm(struct fake_backend *fb, const struct mmu_config *cfg)
{
	struct mmu_host host = { .opaque = fb, .flush_remote_tlbs = fake_flush,
				 .mark_dirty = fake_mark_dirty };
	struct mmu_vm *vm;

	ck_assert_int_eq(mmu_vm_create(&fake_backend_ops, cfg, &host, &vm), 0);
	vm->backend = fb;
	return vm;
}
