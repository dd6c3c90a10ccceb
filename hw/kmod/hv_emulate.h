/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/hv_emulate.h — performing a guest access in the guest's place,
 * where the hardware alone cannot (hv_emulate.c).
 */
#ifndef MMULAB_HW_KMOD_HV_EMULATE_H
#define MMULAB_HW_KMOD_HV_EMULATE_H

#include <linux/types.h>

struct hv_exit;
struct hv_run;
struct hv_vcpu;

/*
 * The access at the guest's RIP reached e->gpa, where the MMU found no
 * memory it may use this way (MMU_FAULT_MMIO): perform it on the device,
 * or drop a write to a read-only memslot, and step RIP over it.  0, or
 * -EIO (RIP is at no access site, or the exit came while the CPU
 * delivered an exception: dumped), -ENXIO (neither memory nor a
 * device there), -ENOSYS (an access crossing a page), -EINVAL (an access
 * the device refuses: across a register), -ENOMEM.
 */
int hv_emulate_mmio(struct hv_vcpu *v, struct hv_run *r, const struct hv_exit *e);

#endif
