// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/hv_emulate.c — an access the hardware cannot complete, performed
 * in the guest's place: its gpa has no memory behind it (a device range:
 * MMIO), the guest may not write there (a read-only memslot: ROM), or the
 * CPU's walk had to write to guest page tables in ROM; the MMU said so
 * (MMU_FAULT_MMIO).
 *
 * KVM decodes the faulting instruction with its x86 emulator.  Here the
 * guest is ours: each of its loads and stores of scenario data is an
 * access site of guest_code.S (ACCESS), so the host finds the access from
 * RIP (hv_access.c), performs it as ref does (hw/ref/ref.c: core/vm's
 * device for a gpa in an <mmio> range; a write to ROM is dropped, and
 * not logged), puts a read's value in the destination register, and
 * steps RIP over the instruction.
 *
 * For the data, like KVM when the exit gives it the gpa
 * (vcpu->arch.gpa_val), this does not walk the guest's tables again: the
 * CPU checked the permissions and set the accessed and dirty bits on its
 * way to the gpa.  When the CPU's walk itself could not go on, the host
 * walks instead, with ref's walker, which leaves entries in ROM alone
 * (KVM's walker skips their A/D updates too), and then does the data.
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

/* The device takes the access: a read's value goes into *data, zero-extended. */
static int hv_device_access(struct vm *vm, const struct guest_site *site, u64 gpa, u64 *data)
{
	if (site->op == GUEST_OP_WRITE)
		return vm_mmio_write(vm, gpa, site->bytes, *data);
	return vm_mmio_read(vm, gpa, site->bytes, data);
}

/*
 * The data of the access at site, at gpa, as ref does it (hw/ref/ref.c):
 * the device for a gpa in a device range, else guest memory, where a
 * write is the guest's (logged dirty; dropped in ROM).  A read's value
 * goes into the site's register, zero-extended.
 */
static int hv_data_access(struct hv_vcpu *v, struct hv_run *r, const struct guest_site *site,
			  u64 gva, u64 gpa)
{
	struct vm *vm = v->vcpu->vm;
	u64 *data = hv_reg(&v->regs, site->data_reg);
	bool mmio = vm_gpa_is_mmio(vm, gpa);
	int ret;

	if (mmio)
		ret = hv_device_access(vm, site, gpa, data);
	else if (site->op == GUEST_OP_WRITE)
		ret = vm_guest_write(vm, gpa, site->bytes, *data);
	else
		ret = vm_read_value(vm, gpa, site->bytes, data);
	if (!ret) {
		r->stats->mmio += mmio;
		return 0;
	}
	plat_log(PLAT_LOG_ERR, "%s: the %u-byte access at va %#llx, gpa %#llx: %s", v->ops->name,
		 site->bytes, gva, gpa, ret == MMU_ENOSLOT ? "neither memory nor a device there" :
		 mmio ? "the device refuses it (across a register)" : mmu_strerror(ret));
	return ret == MMU_ENOSLOT ? -ENXIO : ret == MMU_ENOMEM ? -ENOMEM : -EINVAL;
}

int hv_emulate_mmio(struct hv_vcpu *v, struct hv_run *r, const struct hv_exit *e)
{
	struct guest_site site;
	u64 gva, gpa;
	int ret;

	ret = hv_site_access(v, e, "is MMIO or ROM", &site, &gva);
	if (ret)
		return ret;
	/* The vendors give the byte's gpa (APM EXITINFO2, SDM "guest-physical address"); the offset is the va's anyway. */
	gpa = (e->gpa & ~PAGE_OFFSET_MASK) | (gva & PAGE_OFFSET_MASK);
	ret = hv_data_access(v, r, &site, gva, gpa);
	if (!ret)
		v->regs.rip += site.len;
	return ret;
}

int hv_emulate_walk(struct hv_vcpu *v, struct hv_run *r, const struct hv_exit *e,
		    struct hv_pf *pf, bool *faulted)
{
	struct walk_access acc;
	struct walk_result res;
	struct guest_site site;
	int ret;

	*faulted = false;
	ret = hv_run_access(v, r, e, "holds guest page tables in ROM", &acc, &site);
	if (ret)
		return ret;
	/* ref's walk: A and D set where the tables are writable, left alone in ROM (as KVM's walker does). */
	ret = hv_walk_guest(v, r->maxphyaddr, &v->vcpu->vm->mem, &acc, &res);
	if (ret) {
		plat_log(PLAT_LOG_ERR, "%s: walking the guest's tables for the %s at va %#llx: %s",
			 v->ops->name, hv_access_name(acc.kind), acc.gva, mmu_strerror(ret));
		return ret == MMU_ENOMEM ? -ENOMEM : -ENXIO;
	}
	if (res.outcome == WALK_PF) {
		*pf = (struct hv_pf){ .error_code = res.error_code, .cr2 = acc.gva };
		*faulted = true;
		return 0;
	}
	/* vmctl_run.c runs a non-canonical access alone, to its #GP: it never walks. */
	if (res.outcome != WALK_OK) {
		v->ops->dump(v, "a walk of guest tables in ROM that took #GP");
		return -EIO;
	}
	if (r->stop_at_access) {
		r->reached = true;
		r->access_gpa = res.gpa;
		return 0;
	}
	ret = hv_data_access(v, r, &site, acc.gva, res.gpa);
	if (!ret)
		v->regs.rip += site.len;
	return ret;
}
