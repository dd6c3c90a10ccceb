/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/hv_access.h — the access the guest makes at an exit, and its
 * walk of the guest's tables in software (hv_access.c).
 */
#ifndef MMULAB_HW_KMOD_HV_ACCESS_H
#define MMULAB_HW_KMOD_HV_ACCESS_H

#include <linux/types.h>

#include "core/x86/walk.h"

struct guest_site;
struct hv_exit;
struct hv_run;
struct hv_vcpu;

/* A #PF for the guest, when its access faults in a walk the host made: its error code (PFERR_*) and CR2. */
struct hv_pf {
	u32 error_code;
	u64 cr2;
};

/*
 * The access the guest makes at its RIP, which took the exit e: 0 with
 * its *site and linear address *gva; -EIO when RIP is at no access site,
 * or the exit came while the CPU delivered an exception (logged with
 * `why`, what is wrong with e->gpa, and dumped); -ENOSYS for an access
 * that crosses a page (scenarios never do; the exit's gpa may then be
 * the second page's).
 */
int hv_site_access(struct hv_vcpu *v, const struct hv_exit *e, const char *why,
		   struct guest_site *site, u64 *gva);

/* An access of kind at gva, at the CPL and with the EFLAGS.AC the guest has now. */
struct walk_access hv_walk_access(const struct hv_vcpu *v, u64 gva, enum access_kind kind);

/*
 * The access the run makes at the exit e: the one a stop_at_access run
 * describes (hv_run.access), or the access site's (*site, hv_site_access
 * and its errors).
 */
int hv_run_access(struct hv_vcpu *v, const struct hv_run *r, const struct hv_exit *e,
		  const char *why, struct walk_access *acc, struct guest_site *site);

/*
 * The guest's walk for acc, as a CPU with this MAXPHYADDR makes it, with
 * the vCPU's registers, through mem (which decides what becomes of A/D
 * updates): 0 with *res, or a negative MMU_E* code (a table outside
 * memory).
 */
int hv_walk_guest(const struct hv_vcpu *v, u8 maxphyaddr, const struct guest_mem *mem,
		  const struct walk_access *acc, struct walk_result *res);

/* "read", "write", "fetch", for messages. */
const char *hv_access_name(enum access_kind kind);

#endif
