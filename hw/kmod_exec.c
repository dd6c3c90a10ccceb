/*
 * hw/kmod_exec.c — the kmod executor: the scenario's accesses run on real
 * (or emulated) hardware virtualization through /dev/mmulab (mmulab.ko,
 * hw/kmod/README.md).
 *
 * open builds the VM in user space with vm_setup, as ref does (memslots,
 * the guest's tables and data in guest memory), and copies it into a VM
 * of the module: the same memslots and device ranges, every guest page
 * vm_setup touched (write-gpa), the vCPUs with their registers.  Accesses
 * then go to MMULAB_RUN, which performs them in the module's guest on SVM or VMX,
 * with the run's backend building the nested tables (implicit
 * supervisor-mode reads too, as the CPU's read of an IDT gate); write-gpa
 * and check-gpa go to the module's guest memory.  Every other step is
 * refused with an error at its line: the module cannot do it yet.  The
 * user-space VM is only the builder; after open, the module's memory is
 * the guest's.
 *
 * What cannot run is said in one of two ways.  A skip (exec_error.skipped):
 * the module refused with -EOPNOTSUPP, this CPU cannot run it, and
 * kmod_cpu names the feature it lacks.  An error: mmulab cannot run it on
 * kmod yet (the module's -ENOSYS, or a step kind refused here), a refusal
 * nobody can explain, or anything else.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/platform.h"
#include "core/vm/reserved.h"
#include "core/vm/setup.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"
#include "hw/exec.h"
#include "hw/kmod_client.h"
#include "hw/kmod_cpu.h"
#include "hw/vm_steps.h"

#define KMOD_PAGE 4096u

struct kmod_exec {
	const struct scenario *s;
	struct vm *vm;          /* the builder (vm_setup) */
	struct kmod_client c;
	uint64_t accesses;
	bool npt;               /* the VM's tables are NPT (else EPT) */
	bool ept_ad;            /* EPT with accessed/dirty bits */
};

static int kmod_error(struct exec_error *err, int line, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int kmod_error(struct exec_error *err, int line, int code, const char *fmt, ...)
{
	char what[sizeof(err->what) - 40];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	err->line = line;
	err->skipped = false;
	if (code == -ENOSYS)
		snprintf(err->what, sizeof(err->what), "%s: not on kmod yet (ENOSYS)", what);
	else if (code < 0)
		snprintf(err->what, sizeof(err->what), "%s: %s", what, strerror(-code));
	else
		snprintf(err->what, sizeof(err->what), "%s", what);
	return MMU_EINVAL;
}

/*
 * The module said -EOPNOTSUPP: this CPU cannot run it.  A skip when the
 * CPU's lack has a name (the VM's tables first, then `regs` when the
 * request concerns a vCPU, then MAXPHYADDR), else an error.
 */
static int kmod_refused(struct kmod_exec *k, struct exec_error *err, int line,
			const struct x86_paging_regs *regs, const char *what)
{
	const struct scenario *s = k->s;
	struct kmod_cpu cpu;
	char lack[160];

	/* Read here: a refusal ends the run, so this happens once at most. */
	kmod_cpu_read(&cpu);
	if (!kmod_cpu_lacks_vm(&cpu, k->npt, k->ept_ad, s->feat.gbpages, s->feat.maxphyaddr,
			       lack, sizeof(lack)) &&
	    !(regs && kmod_cpu_lacks_vcpu(&cpu, regs, lack, sizeof(lack))) &&
	    !kmod_cpu_lacks_maxphyaddr(&cpu, s->feat.maxphyaddr, lack, sizeof(lack)))
		return kmod_error(err, line, 0,
				  "%s: the module says this CPU cannot run it, but the CPU has every feature mmulab knows it needs (dmesg may say more)",
				  what);
	err->line = line;
	err->skipped = true;
	snprintf(err->what, sizeof(err->what), "this CPU lacks %s", lack);
	return MMU_EINVAL;
}

/* The scenario line of vCPU id, for messages. */
static int kmod_vcpu_line(const struct scenario *s, uint32_t id)
{
	unsigned i;

	for (i = 0; i < s->nr_vcpus; i++)
		if (s->vcpus[i].id == id)
			return s->vcpus[i].line;
	return 0;
}

static void kmod_close(void *state)
{
	struct kmod_exec *k = state;

	if (!k)
		return;
	kmod_client_close(&k->c);
	vm_destroy(k->vm);
	plat_free(k);
}

/* The host pages of one memslot that have frames: collected, then copied. */
struct page_list {
	uint64_t *hpn;
	size_t n, cap;
	int oom;
};

static void collect_hpn(void *opaque, uint64_t hpn, uint64_t value)
{
	struct page_list *l = opaque;

	if (value == PLAT_NO_FRAME)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		uint64_t *p = plat_zalloc(cap * sizeof(*p));

		if (!p) {
			l->oom = 1;
			return;
		}
		if (l->n)
			memcpy(p, l->hpn, l->n * sizeof(*p));
		plat_free(l->hpn);
		l->hpn = p;
		l->cap = cap;
	}
	l->hpn[l->n++] = hpn;
}

static bool page_zero(const uint8_t *p)
{
	unsigned i;

	for (i = 0; i < KMOD_PAGE; i++)
		if (p[i])
			return false;
	return true;
}

/* Every non-zero 4 KiB page of the slot's resident host pages into the module. */
static int copy_slot(struct kmod_exec *k, const struct memslot *slot, struct exec_error *err)
{
	static uint8_t buf[KMOD_PAGE];
	struct page_list l = { 0 };
	uint64_t per = 1ULL << slot->frames.order;
	size_t i;
	int ret = 0;

	frame_map_for_each(&slot->frames, collect_hpn, &l);
	if (l.oom) {
		plat_free(l.hpn);
		return kmod_error(err, 0, -ENOMEM, "listing the pages of memslot %u", slot->id);
	}
	for (i = 0; i < l.n && !ret; i++) {
		uint64_t p;

		for (p = l.hpn[i] * per; p < (l.hpn[i] + 1) * per && p < slot->npages && !ret; p++) {
			uint64_t gpa = (slot->base_gfn + p) * KMOD_PAGE;

			if (vm_read_gpa(k->vm, gpa, buf, KMOD_PAGE) || page_zero(buf))
				continue;
			ret = kmod_client_write_gpa(&k->c, gpa, buf, KMOD_PAGE);
			if (ret)
				kmod_error(err, 0, ret, "copying guest page 0x%llx to the module",
					   (unsigned long long)gpa);
		}
	}
	plat_free(l.hpn);
	return ret ? MMU_EINVAL : 0;
}

static int kmod_create(struct kmod_exec *k, const struct exec_config *cfg, struct exec_error *err)
{
	const struct scenario *s = k->s;
	struct mmulab_vm_create req;
	unsigned i;
	int ret;

	kmod_client_vm_defaults(&req);
	req.flags = (s->feat.gbpages ? MMULAB_VM_GBPAGES : 0) |
		    (cfg->mmu.ept_ad && cfg->mmu.layout == SPTE_LAYOUT_EPT ? MMULAB_VM_EPT_AD : 0) |
		    (cfg->mmu.eager_split ? MMULAB_VM_EAGER_SPLIT : 0) |
		    (cfg->mmu.trace ? MMULAB_VM_TRACE : 0);
	req.maxphyaddr = s->feat.maxphyaddr;
	req.layout = cfg->mmu.layout == SPTE_LAYOUT_NPT ? MMULAB_LAYOUT_NPT : MMULAB_LAYOUT_EPT;
	req.dirty_mode = cfg->mmu.dirty_mode == MMU_DIRTY_DBIT ? MMULAB_DIRTY_DBIT
							       : MMULAB_DIRTY_WRPROT;
	snprintf(req.backend, sizeof(req.backend), "%s", cfg->backend->name);
	k->npt = req.layout == MMULAB_LAYOUT_NPT;
	k->ept_ad = req.flags & MMULAB_VM_EPT_AD;
	ret = kmod_client_create_vm(&k->c, &req);
	if (ret == -EOPNOTSUPP)
		return kmod_refused(k, err, 0, NULL, "creating the module's VM");
	if (ret)
		return kmod_error(err, 0, ret, "creating the module's VM (backend %s)",
				  cfg->backend->name);
	for (i = 0; i < s->nr_memslots; i++) {
		const struct scn_memslot *m = &s->memslots[i];

		ret = kmod_client_memslot_create(&k->c, m->id, m->base_gpa, m->size, m->flags,
						 m->backing ? m->backing : MMULAB_LEVEL_4K);
		if (ret == -EINVAL)
			return kmod_error(err, m->line, ret,
					  "memslot %u in the module (the module reserves id %u for its guest)",
					  m->id, MMULAB_RSV_SLOT);
		if (ret == -EOPNOTSUPP)
			return kmod_refused(k, err, m->line, NULL, "a memslot");
		if (ret)
			return kmod_error(err, m->line, ret, "memslot %u in the module", m->id);
	}
	for (i = 0; i < s->nr_mmio; i++) {
		ret = kmod_client_mmio_create(&k->c, s->mmio[i].base, s->mmio[i].size);
		if (ret)
			return kmod_error(err, s->mmio[i].line, ret, "mmio range in the module");
	}
	for (i = 0; i < k->vm->nr_slots; i++) {
		ret = copy_slot(k, k->vm->slots[i], err);
		if (ret)
			return ret;
	}
	for (i = 0; i < VM_MAX_VCPUS; i++) {
		const struct vcpu *v = vm_vcpu(k->vm, i);
		struct mmulab_vcpu_create vr = { 0 };

		if (!v)
			continue;
		vr.id = i;
		vr.cpl = v->cpl;
		vr.flags = v->eflags_ac ? MMULAB_VCPU_EFLAGS_AC : 0;
		vr.pkru = v->regs.pkru;
		vr.cr0 = v->regs.cr0;
		vr.cr3 = v->regs.cr3;
		vr.cr4 = v->regs.cr4;
		vr.efer = v->regs.efer;
		ret = kmod_client_create_vcpu(&k->c, &vr);
		if (ret == -EOPNOTSUPP)
			return kmod_refused(k, err, kmod_vcpu_line(s, i), &v->regs, "a vCPU");
		if (ret)
			return kmod_error(err, kmod_vcpu_line(s, i), ret, "vCPU %u in the module", i);
	}
	return 0;
}

static int kmod_open(const struct scenario *s, const struct exec_config *cfg, void **state,
		     struct exec_error *err)
{
	struct vm_setup_error serr;
	struct kmod_exec *k;
	int ret;

	if (!cfg->backend)
		return kmod_error(err, 0, 0, "the kmod executor needs an MMU backend");
	k = plat_zalloc(sizeof(*k));
	if (!k)
		return kmod_error(err, 0, -ENOMEM, "the kmod executor");
	k->s = s;
	k->c.fd = -1;
	ret = kmod_client_open(&k->c, NULL);
	if (ret) {
		plat_free(k);
		if (ret == -ENOENT)
			return kmod_error(err, 0, 0,
					  "no " KMOD_CLIENT_DEV ": load hw/kmod/mmulab.ko, see docs/hw.md");
		return kmod_error(err, 0, ret, "opening " KMOD_CLIENT_DEV);
	}
	ret = vm_setup(s, &k->vm, &serr);
	if (ret) {
		err->line = serr.line;
		snprintf(err->what, sizeof(err->what), "%s", serr.what);
		kmod_close(k);
		return ret;
	}
	ret = kmod_create(k, cfg, err);
	if (ret) {
		kmod_close(k);
		return ret;
	}
	*state = k;
	return 0;
}

static int kmod_access(struct kmod_exec *k, const struct scn_step *st, struct step_result *res,
		       struct exec_error *err)
{
	const struct vcpu *v = vm_vcpu(k->vm, st->vcpu);
	struct mmulab_access a = { 0 };
	uint32_t done = 0;
	int ret, cpl, ac;

	if (!v)
		return kmod_error(err, st->line, 0, "access on vcpu %u, which does not exist",
				  st->vcpu);
	cpl = st->u.access.cpl < 0 ? v->cpl : st->u.access.cpl;
	ac = st->u.access.eflags_ac < 0 ? v->eflags_ac : st->u.access.eflags_ac;
	a.gva = st->u.access.gva;
	a.value = st->u.access.kind == ACCESS_WRITE ? st->u.access.value : 0;
	a.kind = st->u.access.kind == ACCESS_WRITE ? MMULAB_ACCESS_WRITE :
		 st->u.access.kind == ACCESS_FETCH ? MMULAB_ACCESS_FETCH : MMULAB_ACCESS_READ;
	a.size = st->u.access.size;
	a.cpl = (uint8_t)cpl;
	a.flags = (ac ? MMULAB_ACCESS_EFLAGS_AC : 0) |
		  (st->u.access.implicit == 1 ? MMULAB_ACCESS_IMPLICIT : 0);
	ret = kmod_client_run(&k->c, st->vcpu, &a, 1, &done);
	if (ret == -EOPNOTSUPP)
		return kmod_refused(k, err, st->line, &v->regs, "MMULAB_RUN");
	if (ret == -ENOSYS)
		return kmod_error(err, st->line, 0,
				  "not on kmod yet: MMULAB_RUN says ENOSYS (hw/kmod/README.md lists what; dmesg says which)");
	if (ret == -EINVAL && vm_rsv_va_meets(v->walk.mode, st->u.access.gva, st->u.access.size))
		return kmod_error(err, st->line, 0,
				  "va 0x%llx is in the range the module reserves for its guest in %s paging (core/vm/reserved.h)",
				  (unsigned long long)st->u.access.gva, paging_mode_name(v->walk.mode));
	if (ret == -EFAULT)
		return kmod_error(err, st->line, 0,
				  "MMULAB_RUN: a fault the MMU could not fix (dmesg says which)");
	if (ret == -ENXIO)
		return kmod_error(err, st->line, 0,
				  "MMULAB_RUN: the access or the guest's tables reached a gpa with neither memory nor a device (dmesg says which)");
	if (ret)
		return kmod_error(err, st->line, ret, "MMULAB_RUN");
	if (done != 1)
		return kmod_error(err, st->line, 0, "MMULAB_RUN did not complete the access");
	k->accesses++;
	*res = (struct step_result){ .outcome = OUTCOME_DONE };
	switch (a.outcome) {
	case MMULAB_OUTCOME_OK:
		res->outcome = OUTCOME_OK;
		res->has_value = st->u.access.kind != ACCESS_WRITE;
		res->value = res->has_value ? a.value : 0;
		res->gpa = a.gpa;
		break;
	case MMULAB_OUTCOME_PF:
		res->outcome = OUTCOME_PF;
		res->error_code = a.error_code;
		res->cr2 = a.cr2;
		break;
	case MMULAB_OUTCOME_GP:
		res->outcome = OUTCOME_GP;
		break;
	default:
		return kmod_error(err, st->line, 0, "MMULAB_RUN: unknown outcome %u", a.outcome);
	}
	return 0;
}

static int kmod_gpa(struct kmod_exec *k, const struct scn_step *st, struct step_result *res,
		    struct exec_error *err)
{
	unsigned long long gpa = st->u.mem.gpa;
	uint8_t b[8] = { 0 };
	unsigned i, n = st->u.mem.size;
	int ret;

	*res = (struct step_result){ .outcome = OUTCOME_DONE };
	if (st->kind == STEP_WRITE_GPA) {
		for (i = 0; i < n; i++)
			b[i] = (uint8_t)(st->u.mem.value >> (8 * i));
		ret = kmod_client_write_gpa(&k->c, gpa, b, n);
		return ret ? kmod_error(err, st->line, ret, "write-gpa at 0x%llx", gpa) : 0;
	}
	ret = kmod_client_read_gpa(&k->c, gpa, b, n);
	if (ret)
		return kmod_error(err, st->line, ret, "check-gpa at 0x%llx", gpa);
	res->value = 0;
	for (i = 0; i < n; i++)
		res->value |= (uint64_t)b[i] << (8 * i);
	res->outcome = OUTCOME_OK;
	res->has_value = true;
	return 0;
}

/* Memslot changes and dirty logs: the module's ioctls, one per step. */
static int kmod_slot_step(struct kmod_exec *k, const struct scn_step *st, struct step_result *res,
			  struct exec_error *err)
{
	uint32_t id = st->kind == STEP_DIRTY_LOG_GET || st->kind == STEP_DIRTY_LOG_CLEAR ?
		st->u.dirty.slot : st->u.slot.id;
	uint64_t npages = 0, *bits;
	int ret;

	*res = (struct step_result){ .outcome = OUTCOME_DONE };
	switch (st->kind) {
	case STEP_MEMSLOT_CREATE:
		ret = kmod_client_memslot_create(&k->c, id, st->u.slot.base_gpa, st->u.slot.size,
						 st->u.slot.flags,
						 st->u.slot.backing ? st->u.slot.backing : MMULAB_LEVEL_4K);
		if (ret == -EOPNOTSUPP)
			return kmod_refused(k, err, st->line, NULL, "memslot-create");
		return ret ? kmod_error(err, st->line, ret, "memslot-create of memslot %u", id) : 0;
	case STEP_MEMSLOT_DELETE:
		ret = kmod_client_memslot_delete(&k->c, id);
		return ret ? kmod_error(err, st->line, ret, "memslot-delete of memslot %u", id) : 0;
	case STEP_MEMSLOT_MOVE:
		ret = kmod_client_memslot_move(&k->c, id, st->u.slot.base_gpa);
		if (ret == -EOPNOTSUPP)
			return kmod_refused(k, err, st->line, NULL, "memslot-move");
		return ret ? kmod_error(err, st->line, ret, "memslot-move of memslot %u", id) : 0;
	case STEP_MEMSLOT_FLAGS:
		ret = kmod_client_memslot_flags(&k->c, id, st->u.slot.flags);
		return ret ? kmod_error(err, st->line, ret, "memslot-flags of memslot %u", id) : 0;
	case STEP_DIRTY_LOG_CLEAR:
		ret = kmod_client_dirty_log_clear(&k->c, id, st->u.dirty.first, st->u.dirty.count);
		return ret ? kmod_error(err, st->line, ret, "clear-dirty-log of memslot %u", id) : 0;
	default:
		break;
	}
	/* get: ask the size first (-ENOSPC with npages), then fetch and clear. */
	ret = kmod_client_dirty_log_get(&k->c, id, NULL, 0, &npages);
	if (ret != -ENOSPC && ret)
		return kmod_error(err, st->line, ret, "get-dirty-log of memslot %u", id);
	bits = plat_zalloc(((npages + 63) / 64 + 1) * sizeof(*bits));
	if (!bits)
		return kmod_error(err, st->line, -ENOMEM, "get-dirty-log of memslot %u", id);
	ret = kmod_client_dirty_log_get(&k->c, id, bits, (npages + 63) / 64 + 1, &npages);
	if (ret) {
		plat_free(bits);
		return kmod_error(err, st->line, ret, "get-dirty-log of memslot %u", id);
	}
	res->dirty = bits;
	res->dirty_pages = npages;
	res->outcome = OUTCOME_OK;
	return 0;
}

/*
 * A load of CR0, CR3, CR4 or EFER that leaves the vCPU in PAE paging
 * reads the four PDPTEs at CR3 (SDM 4.4.1) from guest memory, which is
 * the module's since open: the builder gets the module's 32 bytes there
 * first, so that both judge the same entries.  Nothing to copy is no
 * error here: the module's load, or the builder's, then says what is
 * wrong.
 */
static void kmod_sync_pdpt(struct kmod_exec *k, const struct vcpu *v, const struct scn_step *st)
{
	uint64_t cr3 = st->u.set.reg == REG_CR3 ? st->u.set.value : v->regs.cr3;
	uint8_t pdpt[PAE_NR_PDPTRS * sizeof(uint64_t)];

	if (st->u.set.reg != REG_CR0 && st->u.set.reg != REG_CR3 && st->u.set.reg != REG_CR4 &&
	    st->u.set.reg != REG_EFER)
		return;
	if (!kmod_client_read_gpa(&k->c, cr3 & CR3_PAE_PDPT_MASK, pdpt, sizeof(pdpt)))
		vm_write_gpa(k->vm, cr3 & CR3_PAE_PDPT_MASK, pdpt, sizeof(pdpt));
}

/*
 * A register load: in the module (whose vCPU the run uses) and in the
 * builder (whose CPL and EFLAGS.AC the accesses take when they name none).
 */
static int kmod_set_reg(struct kmod_exec *k, const struct scn_step *st, struct step_result *res,
			struct exec_error *err)
{
	struct vcpu *v = vm_vcpu(k->vm, st->vcpu);
	bool gp = false, gp_builder = false;
	int ret;

	*res = (struct step_result){ .outcome = OUTCOME_DONE };
	if (!v)
		return kmod_error(err, st->line, 0, "register load on vcpu %u, which does not exist",
				  st->vcpu);
	ret = kmod_client_set_reg(&k->c, st->vcpu, (uint32_t)st->u.set.reg, st->u.set.value, &gp);
	if (ret == -EOPNOTSUPP)
		return kmod_refused(k, err, st->line, NULL, "a register load");
	if (ret)
		return kmod_error(err, st->line, ret, "register load on vcpu %u in the module",
				  st->vcpu);
	kmod_sync_pdpt(k, v, st);
	ret = vcpu_set_reg(v, st->u.set.reg, st->u.set.value, &gp_builder);
	if (ret || gp != gp_builder)
		return kmod_error(err, st->line, 0,
				  "register load on vcpu %u: the module and the builder disagree",
				  st->vcpu);
	if (gp)
		res->outcome = OUTCOME_GP;
	return 0;
}

/* Host changes and aging: the module's pages (aging's count is a cost, not a result). */
static int kmod_host(struct kmod_exec *k, const struct scn_step *st, struct step_result *res,
		     struct exec_error *err)
{
	static const uint32_t ops[] = {
		[HOST_RECLAIM] = MMULAB_HOST_RECLAIM, [HOST_REMAP] = MMULAB_HOST_REMAP,
		[HOST_READONLY] = MMULAB_HOST_READONLY,
	};
	uint32_t op;
	int ret;

	*res = (struct step_result){ .outcome = OUTCOME_DONE };
	if (st->kind == STEP_HOST_AGE)
		op = st->u.host.test_only ? MMULAB_HOST_AGE_TEST : MMULAB_HOST_AGE;
	else if ((unsigned)st->u.host.change < sizeof(ops) / sizeof(ops[0]))
		op = ops[st->u.host.change];
	else
		return kmod_error(err, st->line, 0, "unknown host change %d", st->u.host.change);
	ret = kmod_client_host(&k->c, st->u.host.gpa, st->u.host.size, op, NULL);
	return ret ? kmod_error(err, st->line, ret, "host change of [0x%llx, 0x%llx) in the module",
				(unsigned long long)st->u.host.gpa,
				(unsigned long long)(st->u.host.gpa + st->u.host.size)) : 0;
}

static const char *const step_names[] = {
	[STEP_ACCESS] = "an access", [STEP_WRITE_GPA] = "write-gpa",
	[STEP_CHECK_GPA] = "check-gpa", [STEP_SET_REG] = "a register load",
	[STEP_INVLPG] = "invlpg", [STEP_MEMSLOT_CREATE] = "memslot creation",
	[STEP_MEMSLOT_DELETE] = "memslot deletion", [STEP_MEMSLOT_MOVE] = "a memslot move",
	[STEP_MEMSLOT_FLAGS] = "a memslot flags change", [STEP_DIRTY_LOG_GET] = "dirty-log get",
	[STEP_DIRTY_LOG_CLEAR] = "dirty-log clear", [STEP_HOST_INVALIDATE] = "a host change",
	[STEP_HOST_AGE] = "host aging", [STEP_THREADS] = "a threads group",
};

static int kmod_step(void *state, const struct scn_step *st, struct step_result *res,
		     struct exec_error *err)
{
	struct kmod_exec *k = state;

	switch (st->kind) {
	case STEP_ACCESS:
		return kmod_access(k, st, res, err);
	case STEP_WRITE_GPA:
	case STEP_CHECK_GPA:
		return kmod_gpa(k, st, res, err);
	case STEP_SET_REG:
		return kmod_set_reg(k, st, res, err);
	case STEP_HOST_INVALIDATE:
	case STEP_HOST_AGE:
		return kmod_host(k, st, res, err);
	case STEP_INVLPG:
		/*
		 * Every MMULAB_RUN enters the guest with its TLB flushed
		 * (TLB_CONTROL), and the TDP backend has nothing to sync: so
		 * INVLPG between runs has no effect left to have.
		 */
		if (!vm_vcpu(k->vm, st->vcpu))
			return kmod_error(err, st->line, 0, "invlpg on vcpu %u, which does not exist",
					  st->vcpu);
		*res = (struct step_result){ .outcome = OUTCOME_DONE };
		return 0;
	case STEP_MEMSLOT_CREATE:
	case STEP_MEMSLOT_DELETE:
	case STEP_MEMSLOT_MOVE:
	case STEP_MEMSLOT_FLAGS:
	case STEP_DIRTY_LOG_GET:
	case STEP_DIRTY_LOG_CLEAR:
		return kmod_slot_step(k, st, res, err);
	default:
		break;
	}
	return kmod_error(err, st->line, 0, "not on kmod yet: %s",
			  (unsigned)st->kind < sizeof(step_names) / sizeof(step_names[0]) &&
					  step_names[st->kind] ? step_names[st->kind] : "this step");
}

/*
 * A threads group, one access after another in the group's order: one
 * interleaving of the many a concurrent run allows (the vCPUs do not run
 * concurrently here yet).
 */
static int kmod_run_threads(void *state, const struct scn_step *steps, unsigned n,
			    struct step_result *res, struct exec_error *err)
{
	unsigned i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = kmod_step(state, &steps[i], &res[i], err);
		if (ret)
			return ret;
	}
	return 0;
}

static void kmod_costs(void *state, struct exec_costs *out)
{
	struct kmod_exec *k = state;
	struct mmulab_run_stats rs;
	uint64_t st[MMU_NR_STATS];
	uint32_t count = 0, total = 0, i;

	*out = (struct exec_costs){ 0 };
	if (kmod_client_stats(&k->c, st, MMU_NR_STATS, &count, &total))
		return;
	out->has_mmu = true;
	for (i = 0; i < count && i < MMU_NR_STATS; i++)
		out->mmu.v[i] = st[i];
	/* The real CPU's exits and flushes; it has no TLB counters to read. */
	if (kmod_client_run_stats(&k->c, &rs))
		return;
	out->exits[EXEC_EXIT_TDP_VIOLATION] = rs.tdp_violations;
	out->exits[EXEC_EXIT_TDP_MISCONFIG] = rs.tdp_misconfigs;
	out->exits[EXEC_EXIT_MMIO] = rs.mmio;
	out->tlb_flushes = rs.flushes;
	out->vm_entries = rs.entries;
	out->tsc_guest = rs.tsc_guest;
	out->tsc_exits = rs.tsc_exits;
	out->tsc_khz = rs.tsc_khz;
}

const struct executor_ops kmod_executor = {
	.name = "kmod",
	.description = "mmulab.ko: the backend's tables walked by the CPU on AMD SVM or Intel VMX (/dev/mmulab)",
	.needs_backend = true,
	.open = kmod_open,
	.step = kmod_step,
	.run_threads = kmod_run_threads,
	.costs = kmod_costs,
	.close = kmod_close,
};
