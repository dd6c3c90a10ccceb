/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/hv_emulate.h — performing a guest access in the guest's place,
 * where the hardware alone cannot (hv_emulate.c).
 */
#ifndef MMULAB_HW_KMOD_HV_EMULATE_H
#define MMULAB_HW_KMOD_HV_EMULATE_H

#include <linux/types.h>

struct hv_exit;
struct hv_pf;
struct hv_run;
struct hv_vcpu;

/*
 * The access at the guest's RIP reached e->gpa, where the MMU found no
 * memory it may use this way (MMU_FAULT_MMIO): perform it on the device,
 * or as the guest's on memory (a write to a read-only memslot dropped),
 * and step RIP over it.  0, or -EIO (RIP is at no access site, or the
 * exit came while the CPU delivered an exception: dumped), -ENXIO
 * (neither memory nor a device there), -ENOSYS (an access crossing a
 * page), -EINVAL (an access the device refuses: across a register),
 * -ENOMEM.
 */
int hv_emulate_mmio(struct hv_vcpu *v, struct hv_run *r, const struct hv_exit *e);

/*
 * The CPU's walk for the access at RIP (or for the one access a
 * stop_at_access run makes) wrote to guest tables in ROM at e->gpa (their
 * A/D bits; under NPT, and EPT with A/D, any read of them: APM 15.25.5,
 * SDM 29.3.5), which the MMU never maps writable: walk the tables in
 * software instead, then complete the access as hv_emulate_mmio does, or
 * end the run at the gpa the walk reached (r->reached).  0; 0 with
 * *faulted and *pf when the walk faults (the caller delivers it); -errno
 * as hv_emulate_mmio.
 */
int hv_emulate_walk(struct hv_vcpu *v, struct hv_run *r, const struct hv_exit *e,
		    struct hv_pf *pf, bool *faulted);

#endif
