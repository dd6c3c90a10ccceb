// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmctl_mmio.c — MMULAB_MMIO_CREATE: the guest-physical ranges of
 * the VM's device (core/vm/mmio.h), as a scenario's <mmio> elements.
 *
 * The device model is core/vm's, the same one ref and sim use: KVM's
 * device emulation is no part of its MMU, and here too the MMU only sees
 * "no memslot" and says MMU_FAULT_MMIO; the run then performs the access
 * on the device (hv_emulate.c).  The ranges live in the vmctl_vm and
 * core/vm's VM points at them, as vm_setup points it at a scenario's.
 *
 * A range never overlaps a memslot, nor another range: the device answers
 * only where there is no memory (docs/scenario-format.md), so
 * vmctl_memslot_create and _move refuse a slot onto a range too.
 * Core headers only, as vmctl.c.
 */
#include <linux/errno.h>

#include "core/vm/mmio.h"
#include "core/vm/reserved.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/kmod/vmctl.h"
#include "hw/kmod/vmctl_vm.h"

_Static_assert(MMULAB_MAX_MMIO == SCN_MAX_MMIO, "MMIO ranges");

static bool overlaps(uint64_t base, uint64_t size, uint64_t other_base, uint64_t other_size)
{
	return base < other_base + other_size && other_base < base + size;
}

bool vmctl_mmio_overlap(const struct vmctl_vm *v, uint64_t gpa, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < v->vm->nr_mmio; i++)
		if (overlaps(gpa, size, v->mmio[i].base, v->mmio[i].size))
			return true;
	return false;
}

int vmctl_mmio_create(struct vmctl_vm *v, const struct mmulab_mmio *req)
{
	unsigned int i;

	if (!req->size || (req->base | req->size) % MMIO_REG_BYTES ||
	    req->base + req->size < req->base)
		return -EINVAL;
	if (req->base + req->size > vmctl_gpa_end(v))
		return -ERANGE;
	/* The interpreter's own range (guest.h). */
	if (vm_rsv_gpa_meets(req->base, req->size))
		return -EINVAL;
	if (vmctl_mmio_overlap(v, req->base, req->size))
		return -EEXIST;
	for (i = 0; i < v->vm->nr_slots; i++) {
		const struct memslot *s = v->vm->slots[i];

		if (overlaps(req->base, req->size, s->base_gfn << PAGE_SHIFT,
			     s->npages << PAGE_SHIFT))
			return -EEXIST;
	}
	if (v->vm->nr_mmio == MMULAB_MAX_MMIO)
		return -ENOSPC;
	v->mmio[v->vm->nr_mmio] = (struct scn_mmio){ .base = req->base, .size = req->size };
	v->vm->mmio = v->mmio;
	v->vm->nr_mmio++;
	return 0;
}
