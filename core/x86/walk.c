/*
 * core/x86/walk.c — the guest walker: translate one access through the
 * guest's own tables, as the CPU would (SDM 4.3-4.7), reading them through
 * `struct guest_mem`.  KVM's walk_addr_generic is the model (notes/kvm-mmu.md
 * §3.2); the code is mmulab's own.
 *
 * The order of checks is the architecture's: a non-present entry ends the
 * walk (#PF, P=0); a present entry with a reserved bit set ends it too
 * (#PF, RSVD|P) — before any permission is looked at, since there is no
 * translation to have permissions; only a complete translation is checked
 * against the rights ANDed over every level (walk_permission_fault).
 *
 * A/D bits are written only when the access succeeds: A in every entry
 * used, D in the leaf for a write, each by cmpxchg against the value this
 * walk read.  If an entry changed in between, the whole walk runs again
 * on the new tables.  A real CPU may set A in upper-level entries of a walk
 * that then faults (SDM 4.8 leaves it open); mmulab's architectural answer
 * is the one with no side effect on a fault, as KVM's walker gives, so
 * every executor and backend can be held to it exactly.
 */
#include "core/errors.h"
#include "core/platform.h"
#include "core/x86/bits.h"
#include "core/x86/walk.h"

/* SDM 4.6.2: protection keys exist only in IA-32e paging with CR4.PKE=1. */
static bool pkeys_enabled(const struct walk_ctx *ctx)
{
	return (ctx->regs.cr4 & CR4_PKE) &&
	       (ctx->mode == PAGING_4LEVEL || ctx->mode == PAGING_5LEVEL);
}

bool walk_gva_canonical(const struct walk_ctx *ctx, uint64_t gva)
{
	unsigned bits;
	uint64_t upper;

	switch (ctx->mode) {
	case PAGING_OFF:
		return true;
	case PAGING_32:
	case PAGING_PAE:
		return (gva >> 32) == 0;
	case PAGING_4LEVEL:
	case PAGING_5LEVEL:
		break;
	}
	/* SDM 3.3.7.1: bits 63:47 (63:56 with LA57) are copies of one bit. */
	bits = pt_va_bits(ctx->fmt);
	upper = gva >> (bits - 1);
	return upper == 0 || upper == (~0ULL >> (bits - 1));
}

int pae_load_pdptrs(const struct x86_paging_regs *regs,
		    const struct x86_cpu_features *feat,
		    const struct guest_mem *mem, uint64_t pdptrs[4])
{
	uint64_t base = regs->cr3 & CR3_PAE_PDPT_MASK;
	uint64_t loaded[PAE_NR_PDPTRS];
	uint64_t rsvd;
	int i, ret;

	if (feat->maxphyaddr < MAXPHYADDR_MIN || feat->maxphyaddr > PT64_MAX_PHYS_BITS)
		return MMU_EINVAL;
	rsvd = pae_pdpte_rsvd(feat->maxphyaddr);
	for (i = 0; i < PAE_NR_PDPTRS; i++) {
		ret = mem->read(mem->opaque, base + 8 * (uint64_t)i, 8, &loaded[i]);
		if (ret)
			return ret;
		/* SDM 4.4.1: reserved bits are checked only in present PDPTEs. */
		if ((loaded[i] & PT_PRESENT) && (loaded[i] & rsvd))
			return 1;
	}
	for (i = 0; i < PAE_NR_PDPTRS; i++)
		pdptrs[i] = loaded[i];
	return 0;
}

/* Address of the root table (the PAE PDPT is not read: see walk_read_entry). */
static uint64_t walk_root(const struct walk_ctx *ctx)
{
	if (ctx->fmt->entry_bytes == 4)
		return ctx->regs.cr3 & PT32_ADDR_MASK;
	return ctx->regs.cr3 & PT64_ADDR_MASK;
}

/*
 * Read the entry for `gva` at `level` of `table`.  A PAE PDPTE comes from
 * the PDPTRs loaded at CR3 load, not from memory (SDM 4.4.1): later
 * stores to the PDPT are not seen until CR3 is loaded again.
 */
static int walk_read_entry(const struct walk_ctx *ctx, const struct guest_mem *mem,
			   uint64_t table, uint64_t gva, int level,
			   uint64_t *entry, uint64_t *gpa)
{
	const struct pt_format *fmt = ctx->fmt;
	unsigned index = pt_index(fmt, gva, level);

	if (ctx->mode == PAGING_PAE && level == PAE_PDPT_LEVEL) {
		*gpa = (ctx->regs.cr3 & CR3_PAE_PDPT_MASK) + 8 * (uint64_t)index;
		*entry = ctx->regs.pdptrs[index];
		return 0;
	}
	*gpa = table + (uint64_t)index * fmt->entry_bytes;
	return mem->read(mem->opaque, *gpa, fmt->entry_bytes, entry);
}

static void walk_fault(struct walk_result *res, uint32_t error_code)
{
	res->outcome = WALK_PF;
	res->error_code = error_code;
}

/*
 * One walk from the root to the leaf with every check, filling *res
 * (outcome WALK_OK or WALK_PF) but writing nothing.  `pfec` holds the
 * error-code bits of the access itself (walk_access_pfec).
 */
static int walk_tables(const struct walk_ctx *ctx, const struct guest_mem *mem,
		       const struct walk_access *acc, uint32_t pfec,
		       struct walk_result *res)
{
	const struct pt_format *fmt = ctx->fmt;
	uint64_t table = walk_root(ctx), entry = 0;
	unsigned access = ACC_ALL;
	uint32_t perm_fault;
	int level, ret;

	for (level = fmt->root_level;; level--) {
		res->level = level;
		ret = walk_read_entry(ctx, mem, table, acc->gva, level, &entry,
				      &res->entry_gpa[level]);
		if (ret)
			return ret;
		res->entry[level] = entry;
		if (!fmt->is_present(entry)) {
			walk_fault(res, pfec);
			return 0;
		}
		if (entry & ctx->rsvd[(entry & PT_PAGE_SIZE) ? 1 : 0][level - 1]) {
			walk_fault(res, pfec | PFERR_RSVD | PFERR_PRESENT);
			return 0;
		}
		/* A PAE PDPTE has no R/W, U/S or XD bits: it restricts nothing. */
		if (!(ctx->mode == PAGING_PAE && level == PAE_PDPT_LEVEL))
			access &= fmt->access(entry);
		res->access = access;
		if (fmt->is_leaf(fmt, entry, level))
			break;
		table = fmt->table_addr(entry);
	}

	if (pkeys_enabled(ctx))
		res->pkey = (uint8_t)((entry & PT64_PKEY_MASK) >> PT64_PKEY_SHIFT);
	perm_fault = walk_permission_fault(ctx, acc, access, res->pkey);
	if (perm_fault) {
		walk_fault(res, pfec | perm_fault);
		return 0;
	}
	res->outcome = WALK_OK;
	res->gpa = fmt->leaf_addr(fmt, entry, level) |
		   (acc->gva & (fmt->level[level].page_size - 1));
	return 0;
}

/*
 * SDM 4.8: set A in every entry the translation used and, for a write, D
 * in the leaf.  Returns 0, 1 if an entry changed since it was read (the
 * caller walks again), or a negative MMU_E* code.
 */
static int walk_set_accessed_dirty(const struct walk_ctx *ctx,
				   const struct guest_mem *mem,
				   const struct walk_access *acc,
				   struct walk_result *res)
{
	const struct pt_format *fmt = ctx->fmt;
	int level, ret;

	for (level = fmt->root_level; level >= res->level; level--) {
		uint64_t old = res->entry[level], new = old | fmt->accessed_mask;

		/* PDPTRs are registers; a PAE PDPTE has no A bit. */
		if (ctx->mode == PAGING_PAE && level == PAE_PDPT_LEVEL)
			continue;
		if (level == res->level && acc->kind == ACCESS_WRITE)
			new |= fmt->dirty_mask;
		if (new == old)
			continue;
		ret = mem->cmpxchg(mem->opaque, res->entry_gpa[level], fmt->entry_bytes,
				   old, new);
		if (ret <= 0)
			return ret < 0 ? ret : 1;
		res->entry[level] = new;
	}
	return 0;
}

int walk_guest(const struct walk_ctx *ctx, const struct guest_mem *mem,
	       const struct walk_access *acc, struct walk_result *res)
{
	uint32_t pfec;
	int ret;

	plat_memset(res, 0, sizeof(*res));
	if (ctx->mode == PAGING_OFF) {
		res->outcome = WALK_OK;
		res->gpa = acc->gva;
		res->access = ACC_ALL;
		return 0;
	}
	/* A 32-bit mode has no wider linear address: the caller's mistake. */
	if ((ctx->mode == PAGING_32 || ctx->mode == PAGING_PAE) && (acc->gva >> 32))
		return MMU_ERANGE;
	if (!walk_gva_canonical(ctx, acc->gva)) {
		res->outcome = WALK_GP;
		return 0;
	}
	pfec = walk_access_pfec(ctx, acc);
	/*
	 * Another writer (a vCPU, the guest's own store) may change an entry
	 * between our read and our A/D update; the cmpxchg then fails and the
	 * walk starts over on the new value.  Each retry means the entry really
	 * changed, so the loop ends as soon as the writers pause, as on hardware.
	 */
	for (;;) {
		plat_memset(res, 0, sizeof(*res));
		ret = walk_tables(ctx, mem, acc, pfec, res);
		if (ret || res->outcome != WALK_OK)
			return ret;
		ret = walk_set_accessed_dirty(ctx, mem, acc, res);
		if (ret <= 0)
			return ret;
	}
}
