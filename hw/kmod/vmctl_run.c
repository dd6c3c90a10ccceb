// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmctl_run.c — MMULAB_RUN: a batch of accesses performed by the
 * access-interpreter guest (guest.h) on the CPU's SVM or VMX, whichever
 * it has (hv.h), with the VM's backend building the TDP tables on the way.
 *
 * The batch goes into the interpreter's mailbox in chunks of
 * GUEST_MBOX_MAX_CMDS, each chunk one entry of the guest from its start
 * with the vCPU's paging registers, until its hypercall.  A CPL-3 access,
 * a fetch and a non-canonical access each get an entry of their own
 * (svm/README.md, "MMULAB_RUN", says how).  TDP faults go to
 * mmu_page_fault on the way (hv_run.c).
 *
 * Errors say whose limit was met: -EOPNOTSUPP this CPU cannot run it (no
 * SVM/VMX, the other TDP format, no LA57, no PKU), -ENOSYS mmulab's
 * executor cannot do it yet.  Core headers only.
 */
#include <linux/errno.h>

#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/platform.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/kmod/guest.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/hv_run.h"
#include "hw/kmod/vmctl.h"
#include "hw/kmod/vmctl_vm.h"

/* Exits one entry may take before the run is given up (-E2BIG). */
#define VMCTL_RUN_MAX_EXITS 100000
#define RFLAGS_AC BIT_ULL(18)

int vmctl_run_check(struct vmctl_vm *v, const struct mmulab_run *req)
{
	struct vcpu *vcpu;

	if (req->pad || !req->count || req->count > MMULAB_RUN_MAX ||
	    req->len != (uint64_t)req->count * sizeof(struct mmulab_access))
		return -EINVAL;
	return vmctl_vcpu_lookup(v, req->vcpu, &vcpu);
}

/*
 * What the interpreter can run: paging off, 4- or 5-level paging.
 * -ENOSYS: mmulab cannot run the mode yet; -EOPNOTSUPP: this CPU cannot.
 */
static int vmctl_run_mode(const struct vcpu *vcpu, bool *paging)
{
	const struct x86_paging_regs *r = &vcpu->regs;

	*paging = r->cr0 & CR0_PG;
	if (!*paging)
		return 0;
	/* 32-bit and PAE paging: the interpreter is 64-bit code. */
	if (!(r->efer & EFER_LMA) || !(r->cr4 & CR4_PAE))
		return -ENOSYS;
	if ((r->cr4 & CR4_LA57) && !hv_cpu_la57())
		return -EOPNOTSUPP;
	/* PKRU is loaded by the host around the entry: it needs CR4.PKE itself. */
	if ((r->cr4 & CR4_PKE) && !hv_host_pku())
		return -EOPNOTSUPP;
	return 0;
}

static bool vmctl_canonical(uint64_t va, bool la57)
{
	unsigned int shift = la57 ? 7 : 16;

	return ((int64_t)(va << shift) >> shift) == (int64_t)va;
}

/* One access: 0, -EINVAL (malformed, or in the reserved range), -ENOSYS (not yet). */
static int vmctl_access_check(const struct mmulab_access *a, bool paging, bool la57)
{
	if (a->pad || (a->flags & ~MMULAB_ACCESS_EFLAGS_AC) || a->cpl > 3 ||
	    a->kind > MMULAB_ACCESS_FETCH ||
	    (a->size != 1 && a->size != 2 && a->size != 4 && a->size != 8))
		return -EINVAL;
	/*
	 * Loads and stores at CPL 0 (the interpreter) and CPL 3 (the stub);
	 * with paging off the CPL changes nothing, so those run at CPL 0.
	 */
	if (!paging)
		return a->gva + a->size <= (1ULL << 32) ? 0 : -EINVAL;
	if (a->cpl == 1 || a->cpl == 2)
		return -ENOSYS;
	/* A non-canonical address is a #GP: run alone, its #GP exit is the result (not fetches). */
	if (!vmctl_canonical(a->gva, la57) || !vmctl_canonical(a->gva + a->size - 1, la57))
		return a->kind == MMULAB_ACCESS_FETCH ? -ENOSYS : 0;
	if (a->gva >= GUEST_RSV_VA && a->gva < GUEST_RSV_VA + GUEST_RSV_VA_SIZE)
		return -EINVAL;
	if (a->gva + a->size - 1 >= GUEST_RSV_VA && a->gva + a->size - 1 < GUEST_RSV_VA + GUEST_RSV_VA_SIZE)
		return -EINVAL;
	return 0;
}

/* The reserved slot and the interpreter in it, once per VM (with this vendor's hypercall). */
static int vmctl_guest_place(struct vmctl_vm *v, const struct hv_ops *ops)
{
	unsigned int i;
	int ret;

	if (v->guest_placed)
		return 0;
	if (vm_memslot_by_id(v->vm, GUEST_RSV_SLOT))
		return -EINVAL;
	for (i = 0; i < v->vm->nr_slots; i++) {
		const struct memslot *s = v->vm->slots[i];

		if (vmctl_rsv_gpa(s->base_gfn << PAGE_SHIFT, s->npages << PAGE_SHIFT))
			return -EINVAL;
	}
	if (!v->cmds) {
		v->cmds = plat_zalloc(sizeof(*v->cmds));
		if (!v->cmds)
			return -ENOMEM;
	}
	ret = vm_memslot_create(v->vm, GUEST_RSV_SLOT, GUEST_RSV_GPA, GUEST_SIZE, 0, MMU_LEVEL_4K);
	if (ret)
		return ret == MMU_EOVERLAP ? -EINVAL : vmctl_errno(ret);
	ret = guest_place(v->vm, GUEST_RSV_GPA, ops->hypercall, &v->guest);
	if (ret)
		return vmctl_errno(ret);
	v->guest_placed = true;
	return 0;
}

/* A 4-level root gets the PML4 entry of the reserved range, a 5-level one the PML5 entry; -EINVAL if it uses it. */
static int vmctl_map_rsv(struct vmctl_vm *v, uint64_t cr3, bool la57)
{
	uint64_t gpa = (cr3 & 0x000ffffffffff000ULL) +
		       (la57 ? GUEST_RSV_PML5_INDEX : GUEST_RSV_PML4_INDEX) * 8;
	uint64_t ours = la57 ? guest_rsv_pml5e(&v->guest) : guest_rsv_pml4e(&v->guest), e;
	int ret;

	if (vmctl_rsv_gpa(gpa, 8))
		return -EINVAL;
	ret = vm_read_value(v->vm, gpa, 8, &e);
	if (ret)
		return vmctl_errno(ret);
	if ((e & ~(PT_ACCESSED | PT_DIRTY)) == ours)
		return 0;
	if (e)
		return -EINVAL;
	return vmctl_errno(vm_write_value(v->vm, gpa, 8, ours));
}

struct vmctl_run_ctx {
	struct vmctl_vm *v;
	const struct hv_ops *ops;
	struct vcpu *vcpu;
	struct hv_state state;	/* the interpreter's, with the vCPU's paging registers */
	struct mmulab_run *req;
	struct mmulab_access *acc;
	bool paging;		/* CR0.PG: CPL 3 means the stub */
	bool la57;		/* CR4.LA57: 57-bit canonical addresses */
	bool gp_alone;		/* this entry runs one non-canonical access: #GP is its result */
};

/* acc[i] took #GP (gp_alone runs only). */
static int vmctl_gp(struct vmctl_run_ctx *c, uint32_t i)
{
	struct mmulab_access *a = &c->acc[i];

	a->outcome = MMULAB_OUTCOME_GP;
	a->error_code = 0;
	a->cr2 = 0;
	a->gpa = 0;
	c->req->done++;
	return 0;
}

/*
 * The guest afresh for one entry: the interpreter's state at CPL 0, or
 * (cpl3) at CPL 3; its PKRU when it has CR4.PKE (the vendor loads it).
 */
static void vmctl_reset(struct vmctl_run_ctx *c, struct hv_vcpu *hv, bool cpl3, bool intercept_pf,
			u64 rip)
{
	struct hv_state st = c->state;

	if (cpl3)
		guest_state_cpl3(&st);
	st.intercept_pf = intercept_pf;
	st.pkru_switch = c->paging && (c->vcpu->regs.cr4 & CR4_PKE);
	st.pkru = (u32)c->vcpu->regs.pkru;
	hv_vcpu_load(hv, &st, rip, c->v->guest.rsp);
}

/* A run of the VM with room for its outcome. */
static struct hv_run vmctl_hv_run(struct vmctl_run_ctx *c)
{
	return (struct hv_run){ .max_exits = VMCTL_RUN_MAX_EXITS, .stats = &c->v->run_stats,
				.gp_ok = c->gp_alone };
}

/* One chunk: acc[first, first + n) through the mailbox. */
static int vmctl_run_chunk(struct vmctl_run_ctx *c, struct hv_vcpu *hv, uint32_t first,
			   unsigned int n)
{
	struct guest_cmd *cmd = c->v->cmds->c;
	struct hv_run run = vmctl_hv_run(c);
	unsigned int i, done;
	int ret;

	for (i = 0; i < n; i++) {
		const struct mmulab_access *a = &c->acc[first + i];

		cmd[i] = (struct guest_cmd){
			.op = (a->kind == MMULAB_ACCESS_WRITE ? GUEST_OP_WRITE : GUEST_OP_READ) |
			      ((a->flags & MMULAB_ACCESS_EFLAGS_AC) ? GUEST_OP_AC : 0),
			.bytes = a->size,
			.addr = a->gva,
			.value = a->value,
		};
	}
	ret = guest_load_batch(c->v->vm, &c->v->guest, cmd, n);
	if (ret)
		return vmctl_errno(ret);
	vmctl_reset(c, hv, false, false, c->v->guest.rip);
	hv->regs.rdi = c->v->guest.mbox;
	ret = hv_vcpu_run(hv, &run);
	if (ret)
		return ret;
	if (run.gp)
		return vmctl_gp(c, first);
	ret = guest_read_batch(c->v->vm, &c->v->guest, cmd, n, &done);
	if (ret)
		return vmctl_errno(ret);
	for (i = 0; i < n && i < done; i++) {
		struct mmulab_access *a = &c->acc[first + i];

		a->outcome = MMULAB_OUTCOME_OK;
		a->error_code = 0;
		a->cr2 = 0;
		a->gpa = 0;	/* the interpreter does not know it */
		if (cmd[i].status == GUEST_ST_OK) {
			if (a->kind == MMULAB_ACCESS_READ)
				a->value = cmd[i].value;
		} else if (cmd[i].status == GUEST_ST_PF) {
			a->outcome = MMULAB_OUTCOME_PF;
			a->error_code = cmd[i].pfec;
			a->cr2 = cmd[i].value;
		} else {
			plat_log(PLAT_LOG_ERR, "access %u: interpreter status %u", first + i,
				 cmd[i].status);
			return -EIO;
		}
		c->req->done++;
	}
	return done == n ? 0 : -EIO;
}

/*
 * One CPL-3 access acc[i]: the stub, entered on its own at CPL 3 with the
 * access in registers (guest.h) and #PF intercepted.
 */
static int vmctl_run_user(struct vmctl_run_ctx *c, struct hv_vcpu *hv, uint32_t i)
{
	struct mmulab_access *a = &c->acc[i];
	struct hv_run run = vmctl_hv_run(c);
	int ret;

	vmctl_reset(c, hv, true, true, c->v->guest.user_rip);
	hv->regs.rax = a->value;
	hv->regs.r8 = a->size;
	hv->regs.r9 = a->gva;
	hv->regs.r10 = a->kind == MMULAB_ACCESS_WRITE ? GUEST_OP_WRITE : GUEST_OP_READ;
	if (a->flags & MMULAB_ACCESS_EFLAGS_AC)
		hv->regs.rflags |= RFLAGS_AC;
	run.pf_ok = true;
	ret = hv_vcpu_run(hv, &run);
	if (ret)
		return ret;
	if (run.gp)
		return vmctl_gp(c, i);
	a->error_code = 0;
	a->cr2 = 0;
	a->gpa = 0;
	if (run.pf) {
		a->outcome = MMULAB_OUTCOME_PF;
		a->error_code = run.pf_code;
		a->cr2 = run.pf_cr2;
	} else {
		a->outcome = MMULAB_OUTCOME_OK;
		if (a->kind == MMULAB_ACCESS_READ)
			a->value = hv->regs.rax;
	}
	c->req->done++;
	return 0;
}

/*
 * One fetch acc[i] (svm/README.md, "Fetches"): every SPTE zapped, the
 * guest entered at the address itself, stopped at the fetch's #NPF
 * before the instruction runs; the value is read at that gpa.
 */
static int vmctl_run_fetch(struct vmctl_run_ctx *c, struct hv_vcpu *hv, uint32_t i)
{
	struct mmulab_access *a = &c->acc[i];
	struct hv_run run = vmctl_hv_run(c);
	uint64_t gpa, val;
	int ret;

	mmu_zap_all(c->v->vm->mmu);
	vmctl_reset(c, hv, c->paging && a->cpl == 3, true, a->gva);
	if (a->flags & MMULAB_ACCESS_EFLAGS_AC)
		hv->regs.rflags |= RFLAGS_AC;
	run.pf_ok = true;
	run.fetch = true;
	ret = hv_vcpu_run(hv, &run);
	if (ret)
		return ret;
	a->error_code = 0;
	a->cr2 = 0;
	a->gpa = 0;
	if (run.pf) {
		a->outcome = MMULAB_OUTCOME_PF;
		a->error_code = run.pf_code;
		a->cr2 = run.pf_cr2;
	} else if (run.fetched) {
		gpa = (run.fetch_gpa & ~0xfffULL) | (a->gva & 0xfff);
		ret = vm_read_value(c->v->vm, gpa, a->size, &val);
		if (ret)
			return vmctl_errno(ret);
		a->outcome = MMULAB_OUTCOME_OK;
		a->value = val;
		a->gpa = gpa;
	} else {
		return -EIO;
	}
	c->req->done++;
	return 0;
}

/* The vCPU's hardware side, made at its first run. */
static int vmctl_hv_vcpu(struct vmctl_run_ctx *c, struct hv_vcpu **out)
{
	struct hv_vcpu **hvp = &c->v->hv[c->vcpu->id];
	int ret;

	if (!*hvp) {
		struct hv_vcpu *hv = plat_zalloc(sizeof(*hv));

		if (!hv)
			return -ENOMEM;
		ret = hv_vcpu_init(hv, c->ops, c->vcpu);
		if (ret) {
			hv_vcpu_destroy(hv);
			plat_free(hv);
			return ret;
		}
		*hvp = hv;
	}
	*out = *hvp;
	return 0;
}

/*
 * acc[i] needs an entry of its own: a fetch, a CPL-3 access (the stub) or
 * a non-canonical one (its #GP ends the entry).
 */
static bool vmctl_alone(const struct vmctl_run_ctx *c, const struct mmulab_access *a)
{
	if (a->kind == MMULAB_ACCESS_FETCH)
		return true;
	return c->paging && (a->cpl == 3 || !vmctl_canonical(a->gva, c->la57) ||
			     !vmctl_canonical(a->gva + a->size - 1, c->la57));
}

/* Runs of CPL-0 accesses through the mailbox; the others one by one. */
static int vmctl_run_batch(struct vmctl_run_ctx *c, struct hv_vcpu *hv)
{
	uint32_t first;
	int ret;

	for (first = 0; first < c->req->count;) {
		const struct mmulab_access *a = &c->acc[first];
		unsigned int n = 1;

		c->gp_alone = c->paging && (!vmctl_canonical(a->gva, c->la57) ||
					    !vmctl_canonical(a->gva + a->size - 1, c->la57));
		if (a->kind == MMULAB_ACCESS_FETCH)
			ret = vmctl_run_fetch(c, hv, first);
		else if (c->paging && a->cpl == 3)
			ret = vmctl_run_user(c, hv, first);
		else if (c->gp_alone)
			ret = vmctl_run_chunk(c, hv, first, 1);
		else {
			while (first + n < c->req->count && n < GUEST_MBOX_MAX_CMDS &&
			       !vmctl_alone(c, &c->acc[first + n]))
				n++;
			ret = vmctl_run_chunk(c, hv, first, n);
		}
		if (ret)
			return ret;
		first += n;
	}
	return 0;
}

/* The batch, on the CPU with the vendor enabled (hv_on_cpu). */
static int vmctl_run_on_cpu(void *arg)
{
	struct vmctl_run_ctx *c = arg;
	struct hv_vcpu *hv;
	int ret;

	ret = vmctl_hv_vcpu(c, &hv);
	if (ret)
		return ret;
	ret = vmctl_run_batch(c, hv);
	c->ops->vcpu_put(hv);
	return ret;
}

int vmctl_run(struct vmctl_vm *v, struct mmulab_run *req, struct mmulab_access *acc)
{
	struct vmctl_run_ctx c = { .v = v, .req = req, .acc = acc };
	bool paging;
	uint32_t i;
	int ret;

	req->done = 0;
	ret = vmctl_run_check(v, req);
	if (ret)
		return ret;
	ret = hv_find(&c.ops);
	if (ret == -ENODEV)
		return -EOPNOTSUPP;	/* this CPU has neither SVM nor VMX */
	if (ret)
		return ret;
	/* SVM walks NPT, VMX walks EPT: a VM of the other layout cannot run here. */
	if (c.ops->ept != v->ept)
		return -EOPNOTSUPP;
	c.vcpu = vm_vcpu(v->vm, req->vcpu);
	ret = vmctl_run_mode(c.vcpu, &paging);
	if (ret)
		return ret;
	for (i = 0; i < req->count; i++) {
		ret = vmctl_access_check(&acc[i], paging, c.vcpu->regs.cr4 & CR4_LA57);
		if (ret)
			return ret;
	}
	ret = vmctl_mem_check(v);
	if (!ret)
		ret = vmctl_guest_place(v, c.ops);
	if (ret)
		return ret;
	guest_state(&v->guest, &c.state);
	c.paging = paging;
	c.la57 = paging && (c.vcpu->regs.cr4 & CR4_LA57);
	if (paging) {
		const struct x86_paging_regs *r = &c.vcpu->regs;

		ret = vmctl_map_rsv(v, r->cr3, r->cr4 & CR4_LA57);
		if (ret)
			return ret;
		c.state.cr0 = r->cr0;
		c.state.cr3 = r->cr3;
		c.state.cr4 = r->cr4;
		c.state.efer = r->efer;
	}
	return hv_on_cpu(c.ops, vmctl_run_on_cpu, &c);
}
