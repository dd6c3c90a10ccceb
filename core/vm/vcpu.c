/*
 * core/vm/vcpu.c — vCPUs and the register loads that change how they walk.
 *
 * Every change of CR0/CR3/CR4/EFER/PKRU rebuilds the vCPU's walk context,
 * and in PAE mode reloads the PDPTRs, as MOV to CR0/CR3/CR4 does (SDM 4.4.1:
 * the PDPTEs are loaded when CR3 is written in PAE mode and when PAE paging
 * is entered or CR0.CD/NW/PG, CR4.PAE/PGE/PSE/SMEP change).
 */
#include "core/errors.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"

struct vcpu *vm_vcpu(const struct vm *vm, uint32_t id)
{
	return id < VM_MAX_VCPUS ? vm->vcpus[id] : NULL;
}

/*
 * Make `regs` the vCPU's registers if they form a valid mode.  *gp is set
 * (and nothing changes) when the CPU would raise #GP: an invalid mode or,
 * in PAE mode, a PDPTE with a reserved bit.
 */
static int load_regs(struct vcpu *vcpu, struct x86_paging_regs *regs,
		     bool reload_pdptrs, bool *gp)
{
	enum paging_mode mode;
	struct walk_ctx ctx;
	int ret;

	*gp = false;
	if (paging_mode_of(regs, &mode)) {
		*gp = true;
		return 0;
	}
	if (mode == PAGING_PAE && reload_pdptrs) {
		ret = pae_load_pdptrs(regs, &vcpu->vm->feat, &vcpu->vm->mem, regs->pdptrs);
		if (ret < 0)
			return ret;
		if (ret > 0) {
			*gp = true;
			return 0;
		}
	}
	ret = walk_ctx_init(&ctx, regs, &vcpu->vm->feat);
	if (ret == MMU_EMODE) {
		*gp = true;
		return 0;
	}
	if (ret)
		return ret;
	vcpu->regs = *regs;
	vcpu->walk = ctx;
	return 0;
}

int vcpu_create(struct vm *vm, uint32_t id, const struct x86_paging_regs *regs,
		uint8_t cpl, bool eflags_ac)
{
	struct x86_paging_regs r = *regs;
	struct vcpu *vcpu;
	bool gp;
	int ret;

	if (id >= VM_MAX_VCPUS || vm->vcpus[id])
		return MMU_ENOVCPU;
	vcpu = plat_zalloc(sizeof(*vcpu));
	if (!vcpu)
		return MMU_ENOMEM;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->cpl = cpl;
	vcpu->eflags_ac = eflags_ac;
	ret = load_regs(vcpu, &r, true, &gp);
	if (!ret && gp)
		ret = MMU_EMODE;
	if (!ret && vm->mmu)
		ret = mmu_vcpu_create(vm->mmu, id, &vcpu->walk, &vcpu->mmu);
	if (ret) {
		plat_free(vcpu);
		return ret;
	}
	vm->vcpus[id] = vcpu;
	return 0;
}

/*
 * Tell the vCPU's MMU about a load that took effect: a CR3 load is a new
 * pgd (flushing unless CR4.PCIDE=1 and bit 63 asked not to, SDM 4.10.4.1);
 * CR0/CR4/EFER may change the paging mode and so the root's role.
 */
static int mmu_notify(struct vcpu *vcpu, enum scn_reg reg, uint64_t value)
{
	bool noflush = (vcpu->regs.cr4 & CR4_PCIDE) && (value & CR3_PCID_NOFLUSH);

	if (!vcpu->mmu)
		return 0;
	switch (reg) {
	case REG_CR3:
		return mmu_new_pgd(vcpu->mmu, !noflush);
	case REG_CR0:
	case REG_CR4:
	case REG_EFER:
		return mmu_reset_context(vcpu->mmu);
	default:
		return 0;
	}
}

int vcpu_set_reg(struct vcpu *vcpu, enum scn_reg reg, uint64_t value, bool *gp)
{
	struct x86_paging_regs regs = vcpu->regs;
	int ret;

	*gp = false;
	switch (reg) {
	case REG_CPL:
		vcpu->cpl = (uint8_t)value;
		return 0;
	case REG_EFLAGS_AC:
		vcpu->eflags_ac = value != 0;
		return 0;
	case REG_PKRU:
		regs.pkru = (uint32_t)value;
		return load_regs(vcpu, &regs, false, gp);
	case REG_CR3:
		/* Bit 63 of the source is the PCID no-flush hint, not part of CR3. */
		regs.cr3 = (regs.cr4 & CR4_PCIDE) ? value & ~CR3_PCID_NOFLUSH : value;
		break;
	case REG_CR0:
		regs.cr0 = value;
		break;
	case REG_CR4:
		regs.cr4 = value;
		break;
	case REG_EFER:
		regs.efer = value;
		break;
	}
	/* EFER.LMA follows LME while paging is on (SDM 9.8.5). */
	if ((regs.efer & EFER_LME) && (regs.cr0 & CR0_PG))
		regs.efer |= EFER_LMA;
	else
		regs.efer &= ~EFER_LMA;
	ret = load_regs(vcpu, &regs, true, gp);
	if (ret || *gp)
		return ret;
	return mmu_notify(vcpu, reg, value);
}
