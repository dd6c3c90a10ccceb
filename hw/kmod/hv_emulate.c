// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/hv_emulate.c — an access the hardware cannot complete, performed
 * in the guest's place: its gpa has no memory behind it (a device range:
 * MMIO) or the guest may not write there (a read-only memslot: ROM), and
 * the MMU said so (MMU_FAULT_MMIO).
 *
 * KVM decodes the faulting instruction with its x86 emulator.  Here the
 * guest is ours: each of its loads and stores of scenario data is an
 * access site of guest_code.S (ACCESS), so the host looks the site up by
 * RIP, performs the access as ref does (hw/ref/ref.c: core/vm's device
 * for a gpa in an <mmio> range; a write to ROM is dropped, and not
 * logged), puts a read's value in the destination register, and steps
 * RIP over the instruction.  An exit anywhere else is the module's bug,
 * reported with the guest's state, never guessed at.
 *
 * Like KVM when the exit gives it the gpa (vcpu->arch.gpa_val), this does
 * not walk the guest's tables again: the CPU checked the permissions and
 * set the accessed and dirty bits on its way to the gpa.
 * Core headers only.
 */
#include <linux/errno.h>

#include "core/errors.h"
#include "core/platform.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/kmod/guest.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/hv_access.h"
#include "hw/kmod/hv_emulate.h"
#include "hw/kmod/hv_run.h"

#define PAGE_OFFSET_MASK (PAGE_SIZE_4K - 1)

/* A guest write to gpa lands in a read-only memslot: ROM, where it is dropped. */
static bool hv_rom(const struct vm *vm, u64 gpa)
{
	const struct memslot *s = vm_find_memslot(vm, gpa >> PAGE_SHIFT);

	return s && (s->flags & MEMSLOT_READONLY);
}

/* The device takes the access: a read's value goes into *data, zero-extended. */
static int hv_device_access(struct vm *vm, const struct guest_site *site, u64 gpa, u64 *data)
{
	int ret;

	if (site->op == GUEST_OP_WRITE)
		ret = vm_mmio_write(vm, gpa, site->bytes, *data);
	else
		ret = vm_mmio_read(vm, gpa, site->bytes, data);
	if (!ret)
		return 0;
	plat_log(PLAT_LOG_ERR, "the device refuses the %u-byte access at gpa %#llx: %s",
		 site->bytes, gpa, mmu_strerror(ret));
	return ret == MMU_ENOMEM ? -ENOMEM : -EINVAL;
}

int hv_emulate_mmio(struct hv_vcpu *v, struct hv_run *r, const struct hv_exit *e)
{
	struct vm *vm = v->vcpu->vm;
	struct guest_site site;
	u64 gva, gpa;
	int ret;

	ret = hv_site_access(v, e, "is MMIO or ROM", &site, &gva);
	if (ret)
		return ret;
	/* The vendors give the byte's gpa (APM EXITINFO2, SDM "guest-physical address"); the offset is the va's anyway. */
	gpa = (e->gpa & ~PAGE_OFFSET_MASK) | (gva & PAGE_OFFSET_MASK);
	if (vm_gpa_is_mmio(vm, gpa)) {
		ret = hv_device_access(vm, &site, gpa, hv_reg(&v->regs, site.data_reg));
		if (ret)
			return ret;
		r->stats->mmio++;
	} else if (site.op != GUEST_OP_WRITE || !hv_rom(vm, gpa)) {
		plat_log(PLAT_LOG_ERR, "%s: va %#llx translates to gpa %#llx, where there is neither memory nor a device",
			 v->ops->name, gva, gpa);
		return -ENXIO;
	}
	v->regs.rip += site.len;
	return 0;
}
