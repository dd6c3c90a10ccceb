// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/hv_access.c — the access the guest makes at an exit, for the
 * code that completes it in the guest's place (hv_emulate.c) or decides
 * its #PF (hv_maxphyaddr.c): which access it is, and its walk of the
 * guest's tables in software.
 *
 * The guest is ours, so there is nothing to decode: a run that stops at
 * its one access (a fetch, an implicit read) makes only that access,
 * which the run describes; otherwise RIP is at one of the access sites
 * the guest's code lists (ACCESS, guest_access.h), which says what the
 * instruction does and where the address is.  An exit
 * anywhere else is the module's bug, reported with the guest's state.
 * The walk is core/x86's guest walker (the hypervisor's own: KVM's
 * paging_tmpl), never the sim's, which plays a CPU.  Core headers only.
 */
#include <linux/errno.h>

#include "core/platform.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/kmod/guest.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/hv_access.h"
#include "hw/kmod/hv_run.h"

#define PAGE_OFFSET_MASK (PAGE_SIZE_4K - 1)

int hv_site_access(struct hv_vcpu *v, const struct hv_exit *e, const char *why,
		   struct guest_site *site, u64 *gva)
{
	/* During an exception's delivery RIP is the faulting instruction's, but the access is the CPU's own. */
	if (v->event.pending || !guest_site_at(v->regs.rip, site)) {
		plat_log(PLAT_LOG_ERR, "%s: gpa %#llx %s, and rip %#llx is no access site of the guest%s",
			 v->ops->name, e->gpa, why, v->regs.rip,
			 v->event.pending ? " (the exit came while it delivered an exception)" : "");
		v->ops->dump(v, "an exit the module cannot complete");
		return -EIO;
	}
	*gva = *hv_reg(&v->regs, site->addr_reg) + site->disp;
	if (site->addr32)
		*gva = (u32)*gva;
	/* Scenarios never cross a page (docs/scenario-format.md): then the exit's gpa is the access's. */
	if ((*gva & PAGE_OFFSET_MASK) + site->bytes > PAGE_SIZE_4K) {
		plat_log(PLAT_LOG_ERR, "%s: the %u-byte access at va %#llx crosses a page, and gpa %#llx %s: not emulated",
			 v->ops->name, site->bytes, *gva, e->gpa, why);
		return -ENOSYS;
	}
	return 0;
}

struct walk_access hv_walk_access(const struct hv_vcpu *v, u64 gva, enum access_kind kind)
{
	return (struct walk_access){
		.gva = gva,
		.kind = kind,
		.cpl = v->state.cpl,
		.eflags_ac = v->regs.rflags & X86_EFLAGS_AC,
	};
}

int hv_run_access(struct hv_vcpu *v, const struct hv_run *r, const struct hv_exit *e,
		  const char *why, struct walk_access *acc, struct guest_site *site)
{
	u64 gva;
	int ret;

	if (r->stop_at_access) {
		*acc = r->access;
		return 0;
	}
	ret = hv_site_access(v, e, why, site, &gva);
	if (!ret)
		*acc = hv_walk_access(v, gva, site->op == GUEST_OP_WRITE ? ACCESS_WRITE : ACCESS_READ);
	return ret;
}

int hv_walk_guest(const struct hv_vcpu *v, u8 maxphyaddr, const struct guest_mem *mem,
		  const struct walk_access *acc, struct walk_result *res)
{
	const struct x86_cpu_features feat = {
		.maxphyaddr = maxphyaddr, .gbpages = v->vcpu->vm->feat.gbpages,
	};
	struct walk_ctx ctx;
	int ret;

	ret = walk_ctx_init(&ctx, &v->vcpu->regs, &feat);
	return ret ? ret : walk_guest(&ctx, mem, acc, res);
}

const char *hv_access_name(enum access_kind kind)
{
	static const char *const names[] = {
		[ACCESS_READ] = "read", [ACCESS_WRITE] = "write", [ACCESS_FETCH] = "fetch",
	};

	return names[kind];
}
