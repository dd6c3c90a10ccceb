// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/vmctl_run.c — MMULAB_RUN: a batch of accesses performed by the
 * access-interpreter guest (guest.h) on the CPU's SVM or VMX, whichever
 * it has (hv.h), with the VM's backend building the TDP tables on the way.
 *
 * The interpreter of the vCPU's paging mode runs (64-bit code for paging
 * off and 4/5-level paging, 32-bit code for 32-bit and PAE paging) on the
 * vCPU's own tables, into which vmctl_rsv.c hooks it for the run.  The
 * batch goes into its mailbox in chunks of GUEST_MBOX_MAX_CMDS, each chunk
 * one entry of the guest from its start with the vCPU's paging
 * registers, until its hypercall.  A CPL-3 access, a fetch, an implicit
 * read and a non-canonical access each get an entry of their own
 * (README.md, "MMULAB_RUN", says how).  TDP faults go to mmu_page_fault on
 * the way (hv_run.c).
 *
 * Errors say whose limit was met, in this order: -EINVAL a malformed
 * request (on every CPU), -EOPNOTSUPP this CPU cannot run it (no SVM/VMX,
 * the other TDP format, no LA57, no PKU, a MAXPHYADDR too small for the
 * guest's tables), -ENOSYS mmulab's executor cannot do it yet.  Core
 * headers only.
 */
#include <linux/errno.h>

#include "core/errors.h"
#include "core/mmu/mmu.h"
#include "core/platform.h"
#include "core/vm/reserved.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/kmod/guest.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/hv_run.h"
#include "hw/kmod/vmctl.h"
#include "hw/kmod/vmctl_rsv.h"
#include "hw/kmod/vmctl_vm.h"

/* Exits one entry may take before the run is given up (-E2BIG). */
#define VMCTL_RUN_MAX_EXITS 100000
#define VA32_END (1ULL << 32)
/* A GDT limit that leaves only the null descriptor: no selector can be loaded. */
#define GDT_NULL_ONLY_LIMIT 7

int vmctl_run_check(struct vmctl_vm *v, const struct mmulab_run *req)
{
	struct vcpu *vcpu;

	if (req->pad || !req->count || req->count > MMULAB_RUN_MAX ||
	    req->len != (uint64_t)req->count * sizeof(struct mmulab_access))
		return -EINVAL;
	return vmctl_vcpu_lookup(v, req->vcpu, &vcpu);
}

/* What this CPU cannot run of the vCPU's mode: 0 or -EOPNOTSUPP. */
static int vmctl_run_mode(const struct vcpu *vcpu)
{
	if (vcpu->walk.mode == PAGING_5LEVEL && !hv_cpu_la57())
		return -EOPNOTSUPP;
	/* PKRU is loaded by the host around the entry: it needs CR4.PKE itself. */
	if (vcpu->walk.mode != PAGING_OFF && (vcpu->regs.cr4 & CR4_PKE) && !hv_host_pku())
		return -EOPNOTSUPP;
	return 0;
}

/* The 32-bit interpreter runs 32-bit and PAE paging. */
static bool vmctl_code32(enum paging_mode mode)
{
	return mode == PAGING_32 || mode == PAGING_PAE;
}

/* Bytes of the IDT gate the CPU reads for an implicit access in this mode. */
static unsigned int vmctl_gate_bytes(enum paging_mode mode)
{
	return vmctl_code32(mode) ? GATE32_BYTES : GATE64_BYTES;
}

/* Both ends of the access are canonical in the vCPU's paging mode (core/x86's rule). */
static bool vmctl_canonical(const struct vcpu *vcpu, const struct mmulab_access *a)
{
	return walk_gva_canonical(&vcpu->walk, a->gva) &&
	       walk_gva_canonical(&vcpu->walk, a->gva + a->size - 1);
}

/* An access on its own, in the vCPU's mode: 0 or -EINVAL (malformed, or in a reserved range). */
static int vmctl_access_valid(const struct mmulab_access *a, enum paging_mode mode)
{
	if (a->pad || (a->flags & ~MMULAB_ACCESS_FLAGS) || a->cpl > 3 ||
	    a->kind > MMULAB_ACCESS_FETCH ||
	    (a->size != 1 && a->size != 2 && a->size != 4 && a->size != 8))
		return -EINVAL;
	/* Linear addresses are 32 bits wide outside IA-32e paging (SDM 4.1.1). */
	if ((mode == PAGING_OFF || vmctl_code32(mode)) && a->gva > VA32_END - a->size)
		return -EINVAL;
	/* The interpreter's own ranges (core/vm/reserved.h); with paging off the gva is the gpa. */
	if (mode == PAGING_OFF ? vm_rsv_gpa_meets(a->gva, a->size) :
				 vm_rsv_va_meets(mode, a->gva, a->size))
		return -EINVAL;
	return 0;
}

/* What mmulab's executor cannot make yet: 0 or -ENOSYS. */
static int vmctl_access_supported(const struct mmulab_access *a, const struct vcpu *vcpu)
{
	enum paging_mode mode = vcpu->walk.mode;
	bool implicit = a->flags & MMULAB_ACCESS_IMPLICIT;
	bool canonical = vmctl_canonical(vcpu, a);
	uint64_t off = a->gva & (PAGE_SIZE_4K - 1);

	/* The CPU writes implicitly only as a side effect (a descriptor's accessed bit, ...). */
	if (implicit && a->kind != MMULAB_ACCESS_READ)
		return -ENOSYS;
	/* The CPU reads the whole gate: in another page it would touch more than the access. */
	if (implicit && off > PAGE_SIZE_4K - vmctl_gate_bytes(mode))
		return -ENOSYS;
	/* With paging off the CPL changes nothing, so every access runs at CPL 0. */
	if (mode == PAGING_OFF)
		return 0;
	/* Loads and stores at CPL 0 (the interpreter) and CPL 3 (the stub). */
	if (a->cpl == 1 || a->cpl == 2)
		return -ENOSYS;
	/*
	 * A non-canonical address is a #GP: run alone, its #GP exit is the
	 * result (not for fetches or implicit reads).
	 */
	if (!canonical && (a->kind == MMULAB_ACCESS_FETCH || implicit))
		return -ENOSYS;
	/* The 32-bit interpreter makes 8 bytes as two halves (guest_code32.S): one page only. */
	if (vmctl_code32(mode) && a->size == 8 && off > PAGE_SIZE_4K - a->size)
		return -ENOSYS;
	return 0;
}

/* The reserved slot and the interpreter in it, once per VM (with this vendor's hypercall). */
static int vmctl_guest_place(struct vmctl_vm *v, const struct hv_ops *ops)
{
	unsigned int i;
	int ret;

	if (v->guest_placed)
		return 0;
	if (vm_memslot_by_id(v->vm, MMULAB_RSV_SLOT))
		return -EINVAL;
	for (i = 0; i < v->vm->nr_slots; i++) {
		const struct memslot *s = v->vm->slots[i];

		if (vm_rsv_gpa_meets(s->base_gfn << PAGE_SHIFT, s->npages << PAGE_SHIFT))
			return -EINVAL;
	}
	if (!v->cmds) {
		v->cmds = plat_zalloc(sizeof(*v->cmds));
		if (!v->cmds)
			return -ENOMEM;
	}
	ret = vm_memslot_create(v->vm, MMULAB_RSV_SLOT, VM_RSV_GPA, GUEST_SIZE, 0, MMU_LEVEL_4K);
	if (ret)
		return ret == MMU_EOVERLAP ? -EINVAL : vmctl_errno(ret);
	ret = guest_place(v->vm, VM_RSV_GPA, ops->hypercall, &v->guest);
	if (ret)
		return vmctl_errno(ret);
	v->guest_placed = true;
	return 0;
}

struct vmctl_run_ctx {
	struct vmctl_vm *v;
	const struct hv_ops *ops;
	struct vcpu *vcpu;
	enum paging_mode mode;	/* the vCPU's */
	const struct guest_entry *entry; /* the interpreter of that mode: 64- or 32-bit */
	struct hv_state state;	/* the interpreter's, with the vCPU's paging registers */
	struct mmulab_run *req;
	struct mmulab_access *acc;
	bool paging;		/* CR0.PG: CPL 3 means the stub */
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
 * The guest's state for one entry: the interpreter's at CPL 0, or (cpl3)
 * at CPL 3; its PKRU when it has CR4.PKE (the vendor loads it).
 */
static void vmctl_entry_state(const struct vmctl_run_ctx *c, bool cpl3, bool intercept_pf,
			      struct hv_state *st)
{
	*st = c->state;
	if (cpl3)
		guest_state_cpl3(st);
	st->intercept_pf = intercept_pf;
	st->pkru_switch = c->paging && (c->vcpu->regs.cr4 & CR4_PKE);
	st->pkru = (u32)c->vcpu->regs.pkru;
}

/* The guest afresh for one entry, at rip. */
static void vmctl_reset(struct vmctl_run_ctx *c, struct hv_vcpu *hv, bool cpl3, bool intercept_pf,
			u64 rip)
{
	struct hv_state st;

	vmctl_entry_state(c, cpl3, intercept_pf, &st);
	hv_vcpu_load(hv, &st, rip, c->entry->rsp);
}

/* A run of the VM with room for its outcome; the interpreter's pages are its own. */
static struct hv_run vmctl_hv_run(struct vmctl_run_ctx *c)
{
	return (struct hv_run){ .max_exits = VMCTL_RUN_MAX_EXITS, .stats = &c->v->run_stats,
				.gp_ok = c->gp_alone, .own_gpa = c->v->guest.base,
				.own_size = GUEST_SIZE, .maxphyaddr = c->v->vm->feat.maxphyaddr };
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
	/* The guest's own handler reports a #PF, unless the run must check it first (hv_run.h). */
	vmctl_reset(c, hv, false, c->v->vm->feat.maxphyaddr != hv_cpu_maxphyaddr(), c->entry->rip);
	hv->regs.rdi = c->entry->mbox;
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

/* The access in the registers of the stub of the interpreter's width (guest.h). */
static void vmctl_stub_args(const struct vmctl_run_ctx *c, struct hv_vcpu *hv,
			    const struct mmulab_access *a)
{
	u64 op = a->kind == MMULAB_ACCESS_WRITE ? GUEST_OP_WRITE : GUEST_OP_READ;

	if (c->entry->code32) {
		hv->regs.rbx = a->size;
		hv->regs.rcx = a->gva;
		hv->regs.rdx = op;
		hv->regs.rax = (u32)a->value;
		hv->regs.rsi = a->value >> 32;
		return;
	}
	hv->regs.r8 = a->size;
	hv->regs.r9 = a->gva;
	hv->regs.r10 = op;
	hv->regs.rax = a->value;
}

/* The value the stub read: RAX, or EDX:EAX for the 32-bit one. */
static u64 vmctl_stub_value(const struct vmctl_run_ctx *c, const struct hv_vcpu *hv)
{
	if (c->entry->code32)
		return (u32)hv->regs.rax | (u64)(u32)hv->regs.rdx << 32;
	return hv->regs.rax;
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

	vmctl_reset(c, hv, true, true, c->entry->user_rip);
	vmctl_stub_args(c, hv, a);
	if (a->flags & MMULAB_ACCESS_EFLAGS_AC)
		hv->regs.rflags |= X86_EFLAGS_AC;
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
			a->value = vmctl_stub_value(c, hv);
	}
	c->req->done++;
	return 0;
}

/*
 * The result of an access the CPU made itself (a fetch, an implicit read),
 * stopped before anything ran: the intercepted #PF, or the value at the
 * gpa its walk reached.
 */
static int vmctl_cpu_access_result(struct vmctl_run_ctx *c, struct mmulab_access *a,
				   const struct hv_run *run)
{
	uint64_t gpa, val;
	int ret;

	a->error_code = 0;
	a->cr2 = 0;
	a->gpa = 0;
	if (run->pf) {
		a->outcome = MMULAB_OUTCOME_PF;
		a->error_code = run->pf_code;
		a->cr2 = run->pf_cr2;
	} else if (run->reached) {
		gpa = (run->access_gpa & ~(PAGE_SIZE_4K - 1)) | (a->gva & (PAGE_SIZE_4K - 1));
		/* As ref: a read of a device range (a fetch, an implicit read) reads the device. */
		if (vm_gpa_is_mmio(c->v->vm, gpa)) {
			ret = vm_mmio_read(c->v->vm, gpa, a->size, &val);
			c->v->run_stats.mmio += !ret;
		} else {
			ret = vm_read_value(c->v->vm, gpa, a->size, &val);
		}
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

/*
 * One fetch acc[i] (README.md, "Fetches"): every SPTE zapped, the guest
 * entered at the address itself, stopped at the fetch's TDP fault before
 * the instruction runs; the value is read at that gpa.
 */
static int vmctl_run_fetch(struct vmctl_run_ctx *c, struct hv_vcpu *hv, uint32_t i)
{
	struct mmulab_access *a = &c->acc[i];
	struct hv_run run = vmctl_hv_run(c);
	bool cpl3 = c->paging && a->cpl == 3;
	int ret;

	mmu_zap_all(c->v->vm->mmu);
	vmctl_reset(c, hv, cpl3, true, a->gva);
	if (a->flags & MMULAB_ACCESS_EFLAGS_AC)
		hv->regs.rflags |= X86_EFLAGS_AC;
	run.pf_ok = true;
	run.stop_at_access = true;
	run.access = (struct walk_access){
		.gva = a->gva, .kind = ACCESS_FETCH, .cpl = cpl3 ? 3 : 0,
		.eflags_ac = a->flags & MMULAB_ACCESS_EFLAGS_AC,
	};
	ret = hv_vcpu_run(hv, &run);
	return ret ? ret : vmctl_cpu_access_result(c, a, &run);
}

/*
 * One implicit supervisor-mode read acc[i] (README.md, "Implicit
 * reads"): the CPU reads an IDT gate at the address.  INT n checks only
 * that gate n lies within IDTR.limit, reads it at IDTR.base + n * 8 (16
 * in IA-32e mode), and only then looks at its type, DPL and P (SDM vol.
 * 2A, INT n: Operation); that read is an implicit supervisor-mode access
 * even at CPL 3, and SMAP ignores EFLAGS.AC for it (SDM 4.6).  So the INT
 * runs with IDTR.base at the address, #PF intercepted and every SPTE
 * zapped, as for a fetch: a fault on the read is the intercepted #PF (CR2
 * = the address, where the gate starts), and a read the guest's walk
 * allows stops at its TDP fault, before the CPU looks at what it read.
 *
 * EFLAGS.AC is 0, whatever the access says: it plays no part in an
 * implicit access (and QEMU 7.2 would let AC=1 lift SMAP for one at CPL
 * 0).  GDTR's limit leaves only the null descriptor: should the read end
 * without a TDP fault (a gate in a page the walk itself mapped), the
 * gate's code segment cannot be loaded, and the delivery ends in an
 * intercepted #GP rather than in the scenario's bytes.
 */
static int vmctl_run_implicit(struct vmctl_run_ctx *c, struct hv_vcpu *hv, uint32_t i)
{
	struct mmulab_access *a = &c->acc[i];
	struct hv_run run = vmctl_hv_run(c);
	unsigned int gate = vmctl_gate_bytes(c->mode);
	bool cpl3 = c->paging && a->cpl == 3;
	struct hv_state st;
	int ret;

	mmu_zap_all(c->v->vm->mmu);
	vmctl_entry_state(c, cpl3, true, &st);
	st.idtr.base = a->gva - GUEST_IMPLICIT_VECTOR * gate;
	st.idtr.limit = (GUEST_IMPLICIT_VECTOR + 1) * gate - 1;
	st.gdtr.limit = GDT_NULL_ONLY_LIMIT;
	hv_vcpu_load(hv, &st, cpl3 ? c->entry->user_implicit_rip : c->entry->implicit_rip,
		     c->entry->rsp);
	run.pf_ok = true;
	run.stop_at_access = true;
	run.access = (struct walk_access){
		.gva = a->gva, .kind = ACCESS_READ, .cpl = cpl3 ? 3 : 0, .implicit = true,
	};
	ret = hv_vcpu_run(hv, &run);
	return ret ? ret : vmctl_cpu_access_result(c, a, &run);
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
 * acc[i] needs an entry of its own: a fetch, an implicit read, a CPL-3
 * access (the stub) or a non-canonical one (its #GP ends the entry).
 */
static bool vmctl_alone(const struct vmctl_run_ctx *c, const struct mmulab_access *a)
{
	if (a->kind == MMULAB_ACCESS_FETCH || (a->flags & MMULAB_ACCESS_IMPLICIT))
		return true;
	return c->paging && (a->cpl == 3 || !vmctl_canonical(c->vcpu, a));
}

/* Runs of CPL-0 accesses through the mailbox; the others one by one. */
static int vmctl_run_batch(struct vmctl_run_ctx *c, struct hv_vcpu *hv)
{
	uint32_t first;
	int ret;

	for (first = 0; first < c->req->count;) {
		const struct mmulab_access *a = &c->acc[first];
		unsigned int n = 1;

		c->gp_alone = c->paging && !vmctl_canonical(c->vcpu, a);
		if (a->flags & MMULAB_ACCESS_IMPLICIT)
			ret = vmctl_run_implicit(c, hv, first);
		else if (a->kind == MMULAB_ACCESS_FETCH)
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

/*
 * The interpreter of the vCPU's mode, with the vCPU's paging registers
 * (with paging off, on its own tables).
 */
static void vmctl_run_state(struct vmctl_run_ctx *c)
{
	const struct x86_paging_regs *r = &c->vcpu->regs;

	c->paging = c->mode != PAGING_OFF;
	if (vmctl_code32(c->mode)) {
		c->entry = &c->v->guest.e32;
		guest_state32(&c->v->guest, &c->state);
	} else {
		c->entry = &c->v->guest.e64;
		guest_state(&c->v->guest, &c->state);
	}
	if (!c->paging)
		return;
	c->state.cr0 = r->cr0;
	c->state.cr3 = r->cr3;
	c->state.cr4 = r->cr4;
	c->state.efer = r->efer;
}

int vmctl_run(struct vmctl_vm *v, struct mmulab_run *req, struct mmulab_access *acc)
{
	struct vmctl_run_ctx c = { .v = v, .req = req, .acc = acc };
	struct vmctl_rsv_hook hook;
	uint32_t i;
	int ret, unhook;

	req->done = 0;
	ret = vmctl_run_check(v, req);
	if (ret)
		return ret;
	c.vcpu = vm_vcpu(v->vm, req->vcpu);
	c.mode = c.vcpu->walk.mode;
	for (i = 0; i < req->count; i++) {
		ret = vmctl_access_valid(&acc[i], c.mode);
		if (ret)
			return ret;
	}
	ret = hv_find(&c.ops);
	if (ret == -ENODEV)
		return -EOPNOTSUPP;	/* this CPU has neither SVM nor VMX */
	if (ret)
		return ret;
	/* SVM walks NPT, VMX walks EPT: a VM of the other layout cannot run here. */
	if (c.ops->ept != v->ept)
		return -EOPNOTSUPP;
	ret = vmctl_run_mode(c.vcpu);
	for (i = 0; i < req->count && !ret; i++)
		ret = vmctl_access_supported(&acc[i], c.vcpu);
	if (!ret)
		ret = vmctl_mem_check(v);
	if (!ret)
		ret = vmctl_guest_place(v, c.ops);
	if (ret)
		return ret;
	vmctl_run_state(&c);
	ret = vmctl_rsv_hook(v, c.vcpu, &c.state, &hook);
	if (ret)
		return ret;
	ret = hv_on_cpu(c.ops, vmctl_run_on_cpu, &c);
	unhook = vmctl_rsv_unhook(v, &hook);
	return ret ? ret : unhook;
}
