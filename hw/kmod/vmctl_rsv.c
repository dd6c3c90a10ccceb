// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmctl_rsv.c — the interpreter hooked into the vCPU's own page
 * tables for the length of one MMULAB_RUN, and unhooked after it.
 *
 * The guest runs on the vCPU's CR3, so the interpreter (guest.h) must be
 * mapped there: one entry of the vCPU's tables, the one that maps the
 * reserved linear range of its paging mode (core/vm/reserved.h), points at
 * the region's tables while the run lasts.  Afterwards it holds again
 * exactly what it held before, so a check-gpa of the table between runs
 * sees the scenario's own entry and nothing of the module's.  The hooked
 * entry has A set, so the CPU's walks write nothing there.  A table in ROM
 * is not written at all: the run walks a copy of it (vmctl_rsv_hook_copy).
 *
 *   32-bit     PDE 1023 of the root -> the region's PT32
 *   PAE        PDE 511 of the PD under PDPTE 3 -> the region's PAE PT;
 *              CR3 -> the region's PDPT, a copy of the vCPU's PDPTRs
 *   4-level    PML4E 510 of the root -> the region's PDPT
 *   5-level    PML5E 511 of the root -> the region's PML4
 *
 * PAE: the CPU must walk with the PDPTRs the vCPU loaded at its last CR3
 * load (SDM 4.4.1), not with what the PDPT in memory holds now.  VMX with
 * EPT takes them from the VMCS (SDM 28.3.2.4), but SVM with nested paging
 * has no such fields: its walks read the PDPTEs at CR3 in guest memory
 * (which is why KVM reloads an NPT guest's PDPTRs from memory when it
 * needs them, svm_cache_reg).  So the run's CR3 is a PDPT of the module's
 * holding the four PDPTRs,
 * which both vendors then agree on (hv_state.pdpte has them for VMX).  A
 * vCPU whose PDPTE 3 is not present gets in the copy a PD of the module's
 * whose only entry is 511: every other address under PDPTE 3 faults as
 * not present, as it would without it (the error code names no level).
 */
#include <linux/errno.h>

#include "core/platform.h"
#include "core/vm/reserved.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/kmod/guest.h"
#include "hw/kmod/vmctl_rsv.h"
#include "hw/kmod/vmctl_vm.h"

/* The table at gpa is in a read-only memslot. */
static bool vmctl_rsv_rom(const struct vmctl_vm *v, u64 gpa)
{
	const struct memslot *s = vm_find_memslot(v->vm, gpa >> PAGE_SHIFT);

	return s && (s->flags & MEMSLOT_READONLY);
}

/* PAE: CR3 and the PDPTEs the run walks with, in the region's PDPT. */
static int vmctl_rsv_pdpt(struct vmctl_vm *v, const struct x86_paging_regs *r,
			  struct hv_state *st)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < PAE_NR_PDPTRS && !ret; i++) {
		st->pdpte[i] = r->pdptrs[i];
		if (i == VM_RSV_PDPTE_INDEX && !(r->pdptrs[i] & PT_PRESENT))
			st->pdpte[i] = guest_rsv_pdpte_pae(&v->guest);
		ret = vm_write_value(v->vm, v->guest.pdpt_pae + i * ENTRY64_BYTES, ENTRY64_BYTES,
				     st->pdpte[i]);
	}
	st->cr3 = v->guest.pdpt_pae;
	return vmctl_errno(ret);
}

/*
 * The table to hook is in ROM.  The interpreter's own fetches and stack
 * accesses walk through it, and a walk through ROM exits every time (under
 * NPT, and EPT with A/D, reading a guest table is a write for the second
 * stage; without them the CPU still wants to set A), while hv_emulate.c
 * completes only the scenario's accesses.  So the run walks a copy of the
 * table in the region, which has the hook.  Nothing goes back afterwards:
 * the guest cannot write ROM, so the copy cannot go stale during the run,
 * and the A bits the CPU sets in it are ones ROM never gets.  The
 * scenario's accesses still reach its tables below, in ROM, and exit:
 * hv_emulate.c walks those from the vCPU's own CR3 and PDPTRs.
 */
static int vmctl_rsv_hook_copy(struct vmctl_vm *v, enum paging_mode mode, u64 table, u64 index,
			       struct hv_state *st, struct vmctl_rsv_hook *h)
{
	u64 copy = v->guest.hook_copy, entry, *pdpte;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < PAGE_SIZE_4K && !ret; i += ENTRY64_BYTES) {
		ret = vm_read_value(v->vm, table + i, ENTRY64_BYTES, &entry);
		if (!ret)
			ret = vm_write_value(v->vm, copy + i, ENTRY64_BYTES, entry);
	}
	if (!ret)
		ret = vm_write_value(v->vm, copy + index * h->bytes, h->bytes, h->ours);
	if (ret)
		return vmctl_errno(ret);
	h->gpa = 0;	/* nothing of the vCPU's to put back */
	if (mode != PAGING_PAE) {
		st->cr3 = copy | (st->cr3 & (PAGE_SIZE_4K - 1));	/* PWT, PCD */
		return 0;
	}
	pdpte = &st->pdpte[VM_RSV_PDPTE_INDEX];
	*pdpte = copy | (*pdpte & ~PT64_ADDR_MASK);
	return vmctl_errno(vm_write_value(v->vm, v->guest.pdpt_pae + VM_RSV_PDPTE_INDEX * ENTRY64_BYTES,
					  ENTRY64_BYTES, *pdpte));
}

int vmctl_rsv_hook(struct vmctl_vm *v, const struct vcpu *vcpu, struct hv_state *st,
		   struct vmctl_rsv_hook *h)
{
	const struct x86_paging_regs *r = &vcpu->regs;
	u64 table, index, old;
	int ret;

	h->gpa = 0;
	h->bytes = ENTRY64_BYTES;
	switch (vcpu->walk.mode) {
	case PAGING_OFF:
		return 0;	/* the interpreter's own tables */
	case PAGING_32:
		table = r->cr3 & PT32_ADDR_MASK;
		index = VM_RSV_PDE32_INDEX;
		h->bytes = ENTRY32_BYTES;
		h->ours = guest_rsv_pde32(&v->guest);
		break;
	case PAGING_PAE:
		ret = vmctl_rsv_pdpt(v, r, st);
		if (ret || !(r->pdptrs[VM_RSV_PDPTE_INDEX] & PT_PRESENT))
			return ret;	/* the region's own PD has the entry */
		table = r->pdptrs[VM_RSV_PDPTE_INDEX] & PT64_ADDR_MASK;
		index = VM_RSV_PDE_PAE_INDEX;
		h->ours = guest_rsv_pde_pae(&v->guest);
		break;
	case PAGING_4LEVEL:
		table = r->cr3 & PT64_ADDR_MASK;
		index = VM_RSV_PML4_INDEX;
		h->ours = guest_rsv_pml4e(&v->guest);
		break;
	case PAGING_5LEVEL:
		table = r->cr3 & PT64_ADDR_MASK;
		index = VM_RSV_PML5_INDEX;
		h->ours = guest_rsv_pml5e(&v->guest);
		break;
	default:
		return -EINVAL;
	}
	/* A vCPU table in the module's own memory (a CR3 or PDPTE pointed there). */
	if (vm_rsv_gpa_meets(table + index * h->bytes, h->bytes))
		return -EINVAL;
	if (vmctl_rsv_rom(v, table))
		return vmctl_rsv_hook_copy(v, vcpu->walk.mode, table, index, st, h);
	ret = vm_read_value(v->vm, table + index * h->bytes, h->bytes, &old);
	if (!ret)
		ret = vm_write_value(v->vm, table + index * h->bytes, h->bytes, h->ours);
	if (ret)
		return vmctl_errno(ret);
	h->gpa = table + index * h->bytes;
	h->old = old;
	return 0;
}

int vmctl_rsv_unhook(struct vmctl_vm *v, const struct vmctl_rsv_hook *h)
{
	u64 now;
	int ret;

	if (!h->gpa)
		return 0;
	ret = vm_read_value(v->vm, h->gpa, h->bytes, &now);
	if (ret)
		return vmctl_errno(ret);
	/*
	 * A guest write to the entry itself (through a mapping of its table)
	 * stays: the scenario's memory then holds what the guest wrote, as
	 * on ref.  Otherwise the vCPU's own entry comes back.
	 */
	if ((now & ~(u64)(PT_ACCESSED | PT_DIRTY)) != (h->ours & ~(u64)(PT_ACCESSED | PT_DIRTY)))
		return 0;
	return vmctl_errno(vm_write_value(v->vm, h->gpa, h->bytes, h->old));
}
