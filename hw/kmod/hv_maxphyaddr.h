/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/hv_maxphyaddr.h — a guest whose MAXPHYADDR is not the CPU's
 * (hv_maxphyaddr.c).
 */
#ifndef MMULAB_HW_KMOD_HV_MAXPHYADDR_H
#define MMULAB_HW_KMOD_HV_MAXPHYADDR_H

#include <linux/types.h>

struct hv_exit;
struct hv_pf;
struct hv_run;
struct hv_vcpu;

/*
 * A TDP exit at a gpa at or above 2^MAXPHYADDR of the guest (r->maxphyaddr),
 * smaller than the CPU's: the guest's walk, in software with its own
 * MAXPHYADDR, faults with RSVD, and *pf is that fault.  0, or -EIO (the
 * walk does not fault so: dumped), hv_site_access's errors.
 */
int hv_pf_beyond_maxphyaddr(struct hv_vcpu *v, const struct hv_run *r, const struct hv_exit *e,
			    struct hv_pf *pf);

/*
 * A #PF the CPU raised (e), when the guest's MAXPHYADDR is not the CPU's:
 * *pf is the #PF the guest takes.  0; -EOPNOTSUPP when the guest's is
 * larger and the CPU's reserved bits changed the walk (this CPU cannot
 * run the guest: logged); -EIO when the software walk contradicts the CPU.
 */
int hv_pf_check_maxphyaddr(struct hv_vcpu *v, const struct hv_run *r, const struct hv_exit *e,
			   struct hv_pf *pf);

#endif
