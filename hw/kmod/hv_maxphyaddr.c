// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/hv_maxphyaddr.c — a guest whose MAXPHYADDR is not the CPU's.
 *
 * The address bits of a paging entry at or above MAXPHYADDR are reserved
 * (SDM 4.5.4, tables 4-14 to 4-19; a set one is a #PF with RSVD, SDM
 * 4.7), and the CPU checks the guest's entries against its own
 * MAXPHYADDR.  A scenario gives the guest one of its own:
 *
 * - Smaller than the CPU's (KVM's allow_smaller_maxphyaddr).  An entry
 *   with an address bit between the two is legal to the CPU, which walks
 *   on to a gpa at or above 2^MAXPHYADDR of the guest, where no memslot
 *   can be: the TDP fault comes to the host (hv_pf_beyond_maxphyaddr).
 *   A leaf with such a bit may fail its permission check first instead,
 *   a #PF without RSVD (hv_pf_check_maxphyaddr).  Either way the guest
 *   takes the reserved-bit #PF of its own walk.
 * - Larger.  The CPU takes reserved-bit #PFs on address bits the guest
 *   may use: this CPU cannot run such a guest, -EOPNOTSUPP.  A guest
 *   whose tables never set those bits runs as usual.
 *
 * Both are told by walking the guest's tables in software with core/x86's
 * walker (the hypervisor's own: KVM's paging_tmpl), through a view of
 * guest memory that drops A/D updates: the CPU made its own.  An
 * intercepted #PF is walked twice, with the guest's MAXPHYADDR and with
 * the CPU's.  When the two walks end alike, MAXPHYADDR plays no part and
 * the CPU's #PF stands as it came (what the hardware does differently
 * stays visible: QEMU's RSVD without P, svm/README.md).  When they
 * differ, the guest's walk is the answer if its MAXPHYADDR is the smaller
 * (as kvm_fixup_and_inject_pf_error gives it), and the run fails if it is
 * the larger.  hw/kmod/README.md says what this cannot reproduce.
 * Core headers only.
 */
#include <linux/errno.h>

#include "core/errors.h"
#include "core/platform.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "core/x86/walk.h"
#include "hw/kmod/guest.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/hv_access.h"
#include "hw/kmod/hv_maxphyaddr.h"
#include "hw/kmod/hv_run.h"

/* "Replaced": the walk goes on as if it had set A or D, and guest memory stays as the CPU left it. */
static int dry_cmpxchg(void *opaque, uint64_t gpa, unsigned bytes, uint64_t old, uint64_t new)
{
	return 1;
}

/*
 * The guest's walk for acc, as a CPU with this MAXPHYADDR makes it,
 * changing nothing: 0 with *res, or a negative MMU_E* code (a table
 * outside memory: the walk went somewhere the other did not).
 */
static int hv_walk(const struct hv_vcpu *v, u8 maxphyaddr, const struct walk_access *acc,
		   struct walk_result *res)
{
	const struct guest_mem *mem = &v->vcpu->vm->mem;
	/* Reads from guest memory; A/D updates dropped. */
	const struct guest_mem dry = { .opaque = mem->opaque, .read = mem->read,
				       .cmpxchg = dry_cmpxchg };

	return hv_walk_guest(v, maxphyaddr, &dry, acc, res);
}

/* Do two walks end alike: the same error, translation or fault at the same level? */
static bool hv_same_walk(int ret_a, const struct walk_result *a, int ret_b,
			 const struct walk_result *b)
{
	if (ret_a || ret_b)
		return ret_a == ret_b;
	if (a->outcome != b->outcome)
		return false;
	if (a->outcome == WALK_OK)
		return a->gpa == b->gpa;
	if (a->outcome == WALK_PF)
		return a->error_code == b->error_code && a->level == b->level;
	return true;
}

int hv_pf_beyond_maxphyaddr(struct hv_vcpu *v, const struct hv_run *r, const struct hv_exit *e,
			    struct hv_pf *pf)
{
	struct walk_access acc;
	struct walk_result res;
	struct guest_site site;
	int ret;

	ret = hv_run_access(v, r, e, "is beyond the guest's MAXPHYADDR", &acc, &site);
	if (ret)
		return ret;
	ret = hv_walk(v, r->maxphyaddr, &acc, &res);
	if (ret || res.outcome != WALK_PF || !(res.error_code & PFERR_RSVD)) {
		plat_log(PLAT_LOG_ERR, "%s: the %s at va %#llx reached gpa %#llx, beyond MAXPHYADDR %u of the guest, whose own walk %s",
			 v->ops->name, hv_access_name(acc.kind), acc.gva, e->gpa, r->maxphyaddr,
			 ret ? mmu_strerror(ret) : "has no reserved-bit fault");
		v->ops->dump(v, "a TDP fault beyond MAXPHYADDR");
		return -EIO;
	}
	*pf = (struct hv_pf){ .error_code = res.error_code, .cr2 = acc.gva };
	return 0;
}

int hv_pf_check_maxphyaddr(struct hv_vcpu *v, const struct hv_run *r, const struct hv_exit *e,
			   struct hv_pf *pf)
{
	u8 cpu = hv_cpu_maxphyaddr();
	struct walk_result guest, hw;
	struct walk_access acc;
	int ret_guest, ret_hw;

	*pf = (struct hv_pf){ .error_code = e->error_code, .cr2 = e->cr2 };
	if (r->maxphyaddr == cpu)
		return 0;
	/* The exit names the faulting address and whether it was a write; some runs make one access only. */
	acc = r->stop_at_access ? r->access :
	      hv_walk_access(v, e->cr2, (e->error_code & PFERR_WRITE) ? ACCESS_WRITE : ACCESS_READ);
	ret_guest = hv_walk(v, r->maxphyaddr, &acc, &guest);
	ret_hw = hv_walk(v, cpu, &acc, &hw);
	if (hv_same_walk(ret_guest, &guest, ret_hw, &hw))
		return 0;
	if (r->maxphyaddr > cpu) {
		plat_log(PLAT_LOG_ERR, "%s: the CPU's MAXPHYADDR (%u) is too small for this guest's page tables (MAXPHYADDR %u): its #PF %#x on the %s at va %#llx comes from address bits the guest may use",
			 v->ops->name, cpu, r->maxphyaddr, e->error_code, hv_access_name(acc.kind),
			 acc.gva);
		return -EOPNOTSUPP;
	}
	if (ret_guest || guest.outcome != WALK_PF) {
		plat_log(PLAT_LOG_ERR, "%s: #PF %#x on the %s at va %#llx, which the guest's own walk (MAXPHYADDR %u) %s",
			 v->ops->name, e->error_code, hv_access_name(acc.kind), acc.gva, r->maxphyaddr,
			 ret_guest ? mmu_strerror(ret_guest) : "does not fault");
		v->ops->dump(v, "a #PF the guest's walk contradicts");
		return -EIO;
	}
	pf->error_code = guest.error_code;
	return 0;
}
