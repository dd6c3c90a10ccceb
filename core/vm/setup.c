/*
 * core/vm/setup.c — build a VM from a scenario: memslots with their
 * backing, the MMIO ranges, the guest page tables, then the vCPUs.
 */
#include "core/errors.h"
#include "core/vm/setup.h"
#include "core/x86/ptbuild.h"

static int fail(struct vm_setup_error *err, int code, int line, const char *what)
{
	err->code = code;
	err->line = line;
	plat_snprintf(err->what, sizeof(err->what), "%s: %s", what, mmu_strerror(code));
	return code;
}

static int build_tables(struct vm *vm, const struct scn_page_tables *pt,
			struct vm_setup_error *err)
{
	struct pt_builder b;
	unsigned i;
	int ret;

	ret = ptbuild_init(&b, pt->fmt, &vm->mem, pt->root, pt->pool_start, pt->pool_end);
	if (ret)
		return fail(err, ret, pt->line, "cannot start page tables");
	for (i = 0; i < pt->nr_maps; i++) {
		const struct scn_mapping *m = &pt->maps[i];

		ret = ptbuild_map(&b, m->va, m->gpa, m->level, m->acc, m->leaf_extra,
				  m->table_acc);
		if (ret == MMU_ENOMEM)
			return fail(err, ret, m->line, "page-table pool exhausted building this mapping");
		if (ret)
			return fail(err, ret, m->line, "cannot map");
	}
	return 0;
}

int vm_setup(const struct scenario *s, struct vm **out, struct vm_setup_error *err)
{
	struct vm *vm = vm_create(&s->feat);
	unsigned i;
	int ret = 0;

	if (!vm)
		return fail(err, MMU_ENOMEM, 0, "cannot create the VM");
	for (i = 0; i < s->nr_memslots && !ret; i++) {
		const struct scn_memslot *m = &s->memslots[i];

		ret = vm_memslot_create(vm, m->id, m->base_gpa, m->size, m->flags,
					m->backing ? m->backing : MMU_LEVEL_4K);
		if (ret)
			fail(err, ret, m->line, "cannot add memslot");
	}
	/* The ranges are the scenario's: it outlives the VM. */
	vm->mmio = s->mmio;
	vm->nr_mmio = s->nr_mmio;
	for (i = 0; i < s->nr_page_tables && !ret; i++)
		ret = build_tables(vm, &s->page_tables[i], err);
	for (i = 0; i < s->nr_vcpus && !ret; i++) {
		const struct scn_vcpu *v = &s->vcpus[i];

		ret = vcpu_create(vm, v->id, &v->regs, v->cpl, v->eflags_ac);
		if (ret)
			fail(err, ret, v->line, "cannot create vCPU");
	}
	if (ret) {
		vm_destroy(vm);
		return ret;
	}
	*out = vm;
	return 0;
}
