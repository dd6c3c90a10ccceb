/*
 * core/x86/mode.c — which paging mode the registers select, and the walk
 * context built for them.
 *
 * SDM 4.1.1 (table 4-1): CR0.PG=0 disables paging; otherwise CR4.PAE=0
 * selects 32-bit paging, CR4.PAE=1 with IA32_EFER.LME=0 PAE paging, and
 * IA32_EFER.LME=1 4-level or, with CR4.LA57=1, 5-level paging.
 *
 * Long mode is EFER.LMA here, and LMA must be exactly LME && PG — as the
 * CPU keeps it (SDM 9.8.5: LMA is set when paging is enabled with LME=1).
 * A register set with LMA out of step with LME && PG is not a state a CPU
 * can be in, so it is MMU_EMODE; whoever loads registers (core/vm/vcpu.c,
 * the scenario loader) sets LMA from LME and PG, never LMA alone.
 */
#include "core/errors.h"
#include "core/platform.h"
#include "core/x86/bits.h"
#include "core/x86/walk.h"

int paging_mode_of(const struct x86_paging_regs *regs, enum paging_mode *mode)
{
	bool pg = regs->cr0 & CR0_PG;
	bool lme = regs->efer & EFER_LME;
	bool lma = regs->efer & EFER_LMA;

	if (lma != (lme && pg))
		return MMU_EMODE;
	if (!pg) {
		*mode = PAGING_OFF;
		return 0;
	}
	/* SDM 2.5: setting CR0.PG without CR0.PE raises #GP. */
	if (!(regs->cr0 & CR0_PE))
		return MMU_EMODE;
	if (lma) {
		/* SDM 9.8.5: enabling paging with LME=1 and PAE=0 raises #GP. */
		if (!(regs->cr4 & CR4_PAE))
			return MMU_EMODE;
		*mode = (regs->cr4 & CR4_LA57) ? PAGING_5LEVEL : PAGING_4LEVEL;
		return 0;
	}
	/* Outside IA-32e mode CR4.LA57 has no effect. */
	*mode = (regs->cr4 & CR4_PAE) ? PAGING_PAE : PAGING_32;
	return 0;
}

const char *paging_mode_name(enum paging_mode mode)
{
	switch (mode) {
	case PAGING_OFF:
		return "off";
	case PAGING_32:
		return "32-bit";
	case PAGING_PAE:
		return "pae";
	case PAGING_4LEVEL:
		return "4-level";
	case PAGING_5LEVEL:
		return "5-level";
	}
	return "invalid";
}

static const struct pt_format *format_of(enum paging_mode mode,
					 const struct x86_paging_regs *regs)
{
	switch (mode) {
	case PAGING_OFF:
		return NULL;
	case PAGING_32:
		/* SDM 4.3: 4 MiB pages exist only with CR4.PSE=1. */
		return (regs->cr4 & CR4_PSE) ? &pt_format_32_pse : &pt_format_32;
	case PAGING_PAE:
		return &pt_format_pae;
	case PAGING_4LEVEL:
		return &pt_format_4level;
	case PAGING_5LEVEL:
		return &pt_format_5level;
	}
	return NULL;
}

int walk_ctx_init(struct walk_ctx *ctx, const struct x86_paging_regs *regs,
		  const struct x86_cpu_features *feat)
{
	enum paging_mode mode;
	int ret;

	if (feat->maxphyaddr < MAXPHYADDR_MIN || feat->maxphyaddr > PT64_MAX_PHYS_BITS)
		return MMU_EINVAL;
	ret = paging_mode_of(regs, &mode);
	if (ret)
		return ret;
	plat_memset(ctx, 0, sizeof(*ctx));
	ctx->mode = mode;
	ctx->fmt = format_of(mode, regs);
	ctx->regs = *regs;
	ctx->feat = *feat;
	walk_ctx_init_permissions(ctx);
	walk_ctx_init_pkru_mask(ctx);
	walk_ctx_init_rsvd(ctx);
	return 0;
}
