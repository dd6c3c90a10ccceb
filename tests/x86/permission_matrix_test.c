/*
 * tests/x86/permission_matrix_test.c — the guest walker against the SDM,
 * exhaustively (kvm-unit-tests x86/access.c is the model).
 *
 * For every table shape (4-level with a 4K, 2M or 1G leaf, 5-level with a
 * 4K or 2M leaf, PAE with a 4K or 2M leaf, 32-bit with a 4K or 4M leaf)
 * the test writes the path of entries by hand into a fake memory and
 * enumerates: U/S, R/W, XD, A of one non-leaf entry (a different level per
 * shape, the others fully permissive with A clear); U/S, R/W, XD, A, D and protection key 0/1 of the leaf;
 * CR0.WP, CR4.SMEP, CR4.SMAP, EFER.NXE, CR4.PKE, PKRU.AD and PKRU.WD of the
 * page's key; EFLAGS.AC; and one access kind per Check test (read, write,
 * fetch, implicit read, implicit write, at CPL 0 or 3).  Bits a mode does
 * not have (XD and keys in 32-bit entries, keys in PAE entries) are not
 * set; register bits a mode ignores are enumerated anyway, to show they are
 * ignored.  XD with NXE = 0 is a reserved bit: that is a case too.
 *
 * Each case goes through walk_guest() and through the oracle in
 * tests/util/sdm_rules.c, written from the SDM and sharing nothing with the
 * walker.  They must agree on the outcome, the exact error code, the gpa,
 * and every entry of the path afterwards (A on each entry used and D on a
 * write's leaf, only when the access succeeds: walk.h).  Where the walk
 * produced a translation, walk_permission_fault() must agree too.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/x86/bits.h"
#include "core/x86/walk.h"
#include "tests/util/check_main.h"
#include "tests/util/fake_mem.h"
#include "tests/util/sdm_rules.h"

/* Each level's table has a page of its own; the pages mapped are aligned to their size. */
#define TABLE_GPA(level) (0x10000ULL + (uint64_t)(level) * 0x1000)
#define PAGE_GPA 0x400000ULL     /* a 4K, 2M or 4M page */
#define PAGE_GPA_1G 0x40000000ULL
#define MEM_LIMIT 0x800000ULL

/* Enumerated bits of an entry, as a mask. */
enum {
	E_USER = 1,
	E_WRITE = 2,
	E_XD = 4,
	E_ACCESSED = 8,
	E_DIRTY = 16,   /* leaf only */
	E_PKEY1 = 32,   /* leaf only: protection key 1 instead of 0 */
	NR_ENTRY_MASKS = 64,
};

/* Enumerated register bits, as a mask. */
enum {
	R_WP = 1,
	R_SMEP = 2,
	R_SMAP = 4,
	R_NXE = 8,
	R_PKE = 16,
	R_AD = 32,  /* PKRU.AD of the page's key */
	R_WD = 64,  /* PKRU.WD of the page's key */
	NR_REG_MASKS = 128,
};

/* How many mismatches are printed in full per test. */
#define MISMATCHES_SHOWN 10

/* One table shape: a paging mode, a leaf level, and which entry varies. */
struct shape {
	const char *name;        /* for the report */
	enum paging_mode mode;   /* the walker's name of the mode */
	enum sdm_paging sdm;     /* the oracle's name of the same mode */
	int leaf_level;          /* 1: 4K page; 2: 2M or 4M page; 3: 1G page */
	uint64_t page_gpa;       /* the page the leaf maps */
	int varied_level;        /* the non-leaf entry whose bits vary; 0: none */
	uint64_t gva;            /* canonical, with a distinct index per level */
};

#define GVA_LOW4 ((3ULL << 39) | (5ULL << 30) | (7ULL << 21) | (9ULL << 12) | 0x123)
/* PML4 index 0x1a5 sets bit 47, so bits 63:48 are ones. */
#define GVA_HIGH4 (0xffff000000000000ULL | (0x1a5ULL << 39) | (6ULL << 30) | \
		   (0xbULL << 21) | (0x1f3ULL << 12) | 0x456)
#define GVA_LOW5 ((2ULL << 48) | GVA_LOW4)
/* PML5 index 0x1a5 sets bit 56, so bits 63:57 are ones. */
#define GVA_HIGH5 (0xfe00000000000000ULL | (0x1a5ULL << 48) | (4ULL << 39) | \
		   (6ULL << 30) | (0xbULL << 21) | (0x1f3ULL << 12) | 0x456)
#define GVA_PAE ((2ULL << 30) | (7ULL << 21) | (9ULL << 12) | 0x123)
#define GVA_32 ((5ULL << 22) | (9ULL << 12) | 0x123)

static const struct shape shapes[] = {
	{ "4-level 4K", PAGING_4LEVEL, SDM_PAGING_4LEVEL, 1, PAGE_GPA, 2, GVA_LOW4 },
	{ "4-level 2M", PAGING_4LEVEL, SDM_PAGING_4LEVEL, 2, PAGE_GPA, 4, GVA_HIGH4 },
	{ "4-level 1G", PAGING_4LEVEL, SDM_PAGING_4LEVEL, 3, PAGE_GPA_1G, 4, GVA_LOW4 },
	{ "5-level 4K", PAGING_5LEVEL, SDM_PAGING_5LEVEL, 1, PAGE_GPA, 5, GVA_LOW5 },
	{ "5-level 2M", PAGING_5LEVEL, SDM_PAGING_5LEVEL, 2, PAGE_GPA, 3, GVA_HIGH5 },
	{ "PAE 4K", PAGING_PAE, SDM_PAGING_PAE, 1, PAGE_GPA, 2, GVA_PAE },
	/* A PAE PDPTE has no rights bits (SDM 4.4.1), so nothing varies above a 2M leaf. */
	{ "PAE 2M", PAGING_PAE, SDM_PAGING_PAE, 2, PAGE_GPA, 0, GVA_PAE },
	{ "32-bit 4K", PAGING_32, SDM_PAGING_32, 1, PAGE_GPA, 2, GVA_32 },
	{ "32-bit 4M", PAGING_32, SDM_PAGING_32, 2, PAGE_GPA, 0, GVA_32 },
};
#define NR_SHAPES (sizeof(shapes) / sizeof(shapes[0]))

/* One access kind: a Check test each. */
struct access_variant {
	const char *name;       /* for the report */
	enum access_kind kind;
	uint8_t cpl;
	bool implicit;          /* an implicit supervisor-mode access */
};

static const struct access_variant variants[] = {
	{ "CPL0 read", ACCESS_READ, 0, false },
	{ "CPL0 write", ACCESS_WRITE, 0, false },
	{ "CPL0 fetch", ACCESS_FETCH, 0, false },
	{ "CPL0 implicit read", ACCESS_READ, 0, true },
	{ "CPL0 implicit write", ACCESS_WRITE, 0, true },
	{ "CPL3 read", ACCESS_READ, 3, false },
	{ "CPL3 write", ACCESS_WRITE, 3, false },
	{ "CPL3 fetch", ACCESS_FETCH, 3, false },
	{ "CPL3 implicit read", ACCESS_READ, 3, true },
	{ "CPL3 implicit write", ACCESS_WRITE, 3, true },
};
#define NR_VARIANTS ((int)(sizeof(variants) / sizeof(variants[0])))

/* One shape in one fake memory, with a walk context per register mask. */
struct rig {
	const struct shape *shape;          /* the shape under test */
	struct fake_mem mem;                /* its tables, reused for every case */
	struct walk_ctx *ctx;               /* [regs * 2 + key]: one per register mask and leaf key */
	uint64_t ctx_pdpte;                 /* PAE: the PDPTE register the contexts hold */
	uint64_t entry[SDM_MAX_LEVEL + 1];  /* the path as written, by level */
	unsigned long cases;                /* cases run */
	unsigned long mismatches;           /* cases where walker and SDM disagree */
};

/* What the walker did with one case. */
struct observed {
	int rc;                               /* walk_guest()'s return */
	struct walk_result res;               /* its result */
	uint64_t after[SDM_MAX_LEVEL + 1];    /* the path read back afterwards */
	bool pf_checked;                      /* walk_permission_fault() was asked */
	uint32_t pf;                          /* and answered this */
};

static int root_level(const struct shape *s)
{
	return sdm_root_level(s->sdm);
}

static unsigned entry_bytes(const struct shape *s)
{
	return s->mode == PAGING_32 ? 4 : 8;
}

/* The bits of a non-leaf or leaf entry this mode can hold. */
static unsigned allowed_bits(const struct shape *s, bool leaf)
{
	unsigned bits = E_USER | E_WRITE | E_ACCESSED;

	if (leaf)
		bits |= E_DIRTY;
	if (s->mode != PAGING_32)
		bits |= E_XD;
	if (leaf && (s->mode == PAGING_4LEVEL || s->mode == PAGING_5LEVEL))
		bits |= E_PKEY1;
	return bits;
}

/* Where the entry at `level` lives: SDM 4.3 (10-bit indexes), 4.4.2, 4.5. */
static uint64_t entry_gpa(const struct shape *s, int level)
{
	unsigned shift, bits;

	if (s->mode == PAGING_32) {
		shift = 12 + 10 * (level - 1);
		bits = 10;
	} else {
		shift = 12 + 9 * (level - 1);
		bits = (s->mode == PAGING_PAE && level == 3) ? 2 : 9;
	}
	return TABLE_GPA(level) + ((s->gva >> shift) & ((1ULL << bits) - 1)) * entry_bytes(s);
}

/* An entry at `level` of the path with the enumerated `bits`. */
static uint64_t encode_entry(const struct shape *s, int level, unsigned bits,
			     bool present)
{
	uint64_t e = level == s->leaf_level ? s->page_gpa : TABLE_GPA(level - 1);

	if (present)
		e |= PT_PRESENT;
	/* A PAE PDPTE has P and an address only: W, U, A, XD are reserved. */
	if (s->mode == PAGING_PAE && level == 3)
		return e;
	if (level == s->leaf_level && level > 1)
		e |= PT_PAGE_SIZE;
	if (bits & E_USER)
		e |= PT_USER;
	if (bits & E_WRITE)
		e |= PT_WRITABLE;
	if (bits & E_XD)
		e |= PT64_NX;
	if (bits & E_ACCESSED)
		e |= PT_ACCESSED;
	if (bits & E_DIRTY)
		e |= PT_DIRTY;
	if (bits & E_PKEY1)
		e |= 1ULL << PT64_PKEY_SHIFT;
	return e;
}

/*
 * PKRU with the page's key as enumerated, the other of keys 0/1 the
 * opposite, and every other key fully disabled: a walker that looks up the
 * wrong key gives a different answer.
 */
static uint32_t pkru_of(unsigned regs, unsigned key)
{
	unsigned other = !key;
	uint32_t pkru = ~(PKRU_AD(key) | PKRU_WD(key) | PKRU_AD(other) | PKRU_WD(other));

	pkru |= (regs & R_AD) ? PKRU_AD(key) : PKRU_AD(other);
	pkru |= (regs & R_WD) ? PKRU_WD(key) : PKRU_WD(other);
	return pkru;
}

static struct x86_paging_regs regs_of(const struct rig *rig, unsigned regs,
				      unsigned key)
{
	const struct shape *s = rig->shape;
	struct x86_paging_regs r = { 0 };

	r.cr0 = CR0_PE | CR0_PG | ((regs & R_WP) ? CR0_WP : 0);
	r.cr3 = TABLE_GPA(root_level(s));
	r.cr4 = ((regs & R_SMEP) ? CR4_SMEP : 0) | ((regs & R_SMAP) ? CR4_SMAP : 0) |
		((regs & R_PKE) ? CR4_PKE : 0);
	r.efer = (regs & R_NXE) ? EFER_NXE : 0;
	r.pkru = pkru_of(regs, key);
	switch (s->mode) {
	case PAGING_32:
		r.cr4 |= CR4_PSE;
		break;
	case PAGING_PAE:
		r.cr4 |= CR4_PAE;
		/* as MOV to CR3 loaded them: ours, and three not present */
		r.pdptrs[(s->gva >> 30) & 3] = rig->entry[3];
		break;
	case PAGING_5LEVEL:
		r.cr4 |= CR4_LA57;
		/* fall through */
	case PAGING_4LEVEL:
		r.cr4 |= CR4_PAE;
		r.efer |= EFER_LME | EFER_LMA;
		break;
	case PAGING_OFF:
		break;
	}
	return r;
}

static void build_contexts(struct rig *rig)
{
	static const struct x86_cpu_features feat = { .maxphyaddr = 46, .gbpages = true };
	unsigned regs, key;

	for (regs = 0; regs < NR_REG_MASKS; regs++)
		for (key = 0; key < 2; key++) {
			struct x86_paging_regs r = regs_of(rig, regs, key);
			int rc = walk_ctx_init(&rig->ctx[regs * 2 + key], &r, &feat);

			ck_assert_msg(rc == 0, "%s: walk_ctx_init(cr0=%#llx cr4=%#llx efer=%#llx) = %d",
				      rig->shape->name, (unsigned long long)r.cr0,
				      (unsigned long long)r.cr4, (unsigned long long)r.efer, rc);
		}
	rig->ctx_pdpte = rig->entry[3];
}

static void rig_init(struct rig *rig, const struct shape *s)
{
	*rig = (struct rig){ .shape = s };
	fake_mem_init(&rig->mem, MEM_LIMIT);
	rig->ctx = calloc(NR_REG_MASKS * 2, sizeof(*rig->ctx));
	ck_assert_ptr_nonnull(rig->ctx);
}

static void rig_destroy(struct rig *rig)
{
	free(rig->ctx);
	fake_mem_destroy(&rig->mem);
}

static void write_path(struct rig *rig)
{
	int level;

	for (level = root_level(rig->shape); level >= rig->shape->leaf_level; level--)
		fake_mem_write(&rig->mem, entry_gpa(rig->shape, level),
			       entry_bytes(rig->shape), rig->entry[level]);
	if (rig->shape->mode == PAGING_PAE && rig->entry[3] != rig->ctx_pdpte)
		build_contexts(rig);
}

/*
 * Lay out the path: every entry fully permissive with A clear (so the walk
 * must set it), except `varied_bits` on the shape's varied entry and
 * `leaf_bits` on the leaf.  The entry at `absent_level` (0: none) instead
 * has P = 0 and `absent_bits`, which the walk must ignore.
 */
static void set_path(struct rig *rig, unsigned varied_bits, unsigned leaf_bits,
		     int absent_level, unsigned absent_bits)
{
	const struct shape *s = rig->shape;
	int level;

	for (level = 0; level <= SDM_MAX_LEVEL; level++)
		rig->entry[level] = 0;
	for (level = root_level(s); level >= s->leaf_level; level--) {
		unsigned bits = E_USER | E_WRITE;

		if (level == absent_level)
			bits = absent_bits;
		else if (level == s->leaf_level)
			bits = leaf_bits;
		else if (level == s->varied_level)
			bits = varied_bits;
		rig->entry[level] = encode_entry(s, level, bits, level != absent_level);
	}
	write_path(rig);
}

static unsigned leaf_key(const struct rig *rig)
{
	const struct shape *s = rig->shape;

	if (s->mode != PAGING_4LEVEL && s->mode != PAGING_5LEVEL)
		return 0;
	return (unsigned)((rig->entry[s->leaf_level] & PT64_PKEY_MASK) >> PT64_PKEY_SHIFT);
}

static struct sdm_case sdm_case_of(const struct rig *rig, unsigned regs, bool ac,
				   const struct access_variant *av)
{
	struct sdm_case c = { 0 };
	int level;

	c.paging = rig->shape->sdm;
	for (level = 0; level <= SDM_MAX_LEVEL; level++)
		c.entry[level] = rig->entry[level];
	c.linear = rig->shape->gva;
	c.cr0_wp = regs & R_WP;
	c.cr4_pse = rig->shape->mode == PAGING_32;
	c.cr4_smep = regs & R_SMEP;
	c.cr4_smap = regs & R_SMAP;
	c.cr4_pke = regs & R_PKE;
	c.efer_nxe = regs & R_NXE;
	c.pkru = pkru_of(regs, leaf_key(rig));
	c.type = av->kind == ACCESS_WRITE ? SDM_WRITE :
		 av->kind == ACCESS_FETCH ? SDM_FETCH : SDM_READ;
	c.cpl = av->cpl;
	c.eflags_ac = ac;
	c.implicit = av->implicit;
	return c;
}

/*
 * The path's rights in walk_permission_fault()'s convention (ACC_*, XD as
 * the absence of ACC_EXEC whatever EFER.NXE says: format.h).
 */
static unsigned path_rights(const struct rig *rig)
{
	const struct shape *s = rig->shape;
	unsigned acc = ACC_ALL;
	int level;

	for (level = root_level(s); level >= s->leaf_level; level--) {
		uint64_t e = rig->entry[level];

		if (s->mode == PAGING_PAE && level == 3)
			continue;
		if (!(e & PT_USER))
			acc &= ~ACC_USER;
		if (!(e & PT_WRITABLE))
			acc &= ~ACC_WRITE;
		if (s->mode != PAGING_32 && (e & PT64_NX))
			acc &= ~ACC_EXEC;
	}
	return acc;
}

static void observe(struct rig *rig, const struct walk_ctx *ctx,
		    const struct walk_access *acc, bool translated, struct observed *o)
{
	const struct shape *s = rig->shape;
	int level;

	*o = (struct observed){ 0 };
	o->rc = walk_guest(ctx, &rig->mem.ops, acc, &o->res);
	for (level = root_level(s); level >= s->leaf_level; level--)
		o->after[level] = fake_mem_read(&rig->mem, entry_gpa(s, level), entry_bytes(s));
	if (translated) {
		o->pf_checked = true;
		o->pf = walk_permission_fault(ctx, acc, path_rights(rig), (uint8_t)leaf_key(rig));
	}
}

static bool agrees(const struct rig *rig, const struct sdm_verdict *v,
		   const struct observed *o)
{
	int level;

	if (o->rc != 0)
		return false;
	if (v->fault && (o->res.outcome != WALK_PF || o->res.error_code != v->error_code))
		return false;
	if (!v->fault && (o->res.outcome != WALK_OK || o->res.gpa != v->physical))
		return false;
	for (level = root_level(rig->shape); level >= rig->shape->leaf_level; level--)
		if (o->after[level] != v->entry_after[level])
			return false;
	if (o->pf_checked && ((o->pf != 0) != v->fault ||
			      (o->pf & PFERR_PK) != (v->error_code & PFERR_PK)))
		return false;
	return true;
}

static void print_flags(uint64_t e)
{
	printf("[%s%s%s%s%s%s%s key %u]", (e & PT_PRESENT) ? "P" : "-",
	       (e & PT_WRITABLE) ? " W" : " -", (e & PT_USER) ? " U" : " -",
	       (e & PT_ACCESSED) ? " A" : " -", (e & PT_DIRTY) ? " D" : " -",
	       (e & PT_PAGE_SIZE) ? " PS" : "", (e & PT64_NX) ? " XD" : "",
	       (unsigned)((e & PT64_PKEY_MASK) >> PT64_PKEY_SHIFT));
}

static void print_mismatch(const struct rig *rig, const struct sdm_case *c,
			   const struct sdm_verdict *v, const struct observed *o)
{
	static const char *const types[] = { "read", "write", "fetch" };
	static const char *const outcomes[] = { "ok", "#PF", "#GP" };
	int level;

	printf("MISMATCH %s: %s%s at CPL%u, EFLAGS.AC=%d, gva %#llx\n", rig->shape->name,
	       c->implicit ? "implicit " : "", types[c->type], c->cpl, c->eflags_ac,
	       (unsigned long long)c->linear);
	printf("  CR0.WP=%d CR4.SMEP=%d CR4.SMAP=%d CR4.PKE=%d EFER.NXE=%d PKRU=%#x\n",
	       c->cr0_wp, c->cr4_smep, c->cr4_smap, c->cr4_pke, c->efer_nxe, c->pkru);
	for (level = root_level(rig->shape); level >= rig->shape->leaf_level; level--) {
		printf("  level %d: %#llx ", level, (unsigned long long)c->entry[level]);
		print_flags(c->entry[level]);
		printf(" after: SDM %#llx, walker %#llx\n",
		       (unsigned long long)v->entry_after[level],
		       (unsigned long long)o->after[level]);
	}
	if (v->fault)
		printf("  SDM:    #PF error code %#x\n", v->error_code);
	else
		printf("  SDM:    ok, gpa %#llx\n", (unsigned long long)v->physical);
	printf("  walker: rc %d, %s, error code %#x, gpa %#llx", o->rc,
	       o->res.outcome <= WALK_GP ? outcomes[o->res.outcome] : "?",
	       o->res.error_code, (unsigned long long)o->res.gpa);
	if (o->pf_checked)
		printf(", walk_permission_fault %#x", o->pf);
	printf("\n");
}

static void run_case(struct rig *rig, unsigned regs, bool ac,
		     const struct access_variant *av)
{
	const struct shape *s = rig->shape;
	const struct walk_ctx *ctx = &rig->ctx[regs * 2 + leaf_key(rig)];
	struct walk_access acc = {
		.gva = s->gva, .kind = av->kind, .cpl = av->cpl,
		.eflags_ac = ac, .implicit = av->implicit,
	};
	struct sdm_case c = sdm_case_of(rig, regs, ac, av);
	struct sdm_verdict v;
	struct observed o;
	int level;

	sdm_judge(&c, &v);
	observe(rig, ctx, &acc, v.translated, &o);
	rig->cases++;
	if (!agrees(rig, &v, &o)) {
		if (rig->mismatches < MISMATCHES_SHOWN)
			print_mismatch(rig, &c, &v, &o);
		rig->mismatches++;
	}
	/* undo what the walk wrote (A/D), for the next case */
	for (level = root_level(s); level >= s->leaf_level; level--)
		if (o.after[level] != rig->entry[level]) {
			write_path(rig);
			break;
		}
}

/* Every register mask and EFLAGS.AC for the path as it is laid out. */
static void run_registers(struct rig *rig, const struct access_variant *av)
{
	unsigned regs;

	for (regs = 0; regs < NR_REG_MASKS; regs++) {
		run_case(rig, regs, false, av);
		run_case(rig, regs, true, av);
	}
}

static unsigned long count_masks(unsigned allowed)
{
	return 1ul << __builtin_popcount(allowed);
}

/* The full product for one shape; returns the number of cases it should run. */
static unsigned long run_matrix(struct rig *rig, const struct access_variant *av)
{
	const struct shape *s = rig->shape;
	unsigned varied_ok = s->varied_level ? allowed_bits(s, false) : 0;
	unsigned leaf_ok = allowed_bits(s, true);
	unsigned varied, leaf;

	for (varied = 0; varied < NR_ENTRY_MASKS; varied++) {
		if (varied & ~varied_ok)
			continue;
		for (leaf = 0; leaf < NR_ENTRY_MASKS; leaf++) {
			if (leaf & ~leaf_ok)
				continue;
			set_path(rig, varied, leaf, 0, 0);
			run_registers(rig, av);
		}
	}
	return count_masks(varied_ok) * count_masks(leaf_ok) * NR_REG_MASKS * 2;
}

/* The bits an entry can hold that the walk must ignore when P = 0. */
static unsigned absent_bits_allowed(const struct shape *s, int level)
{
	if (s->mode == PAGING_PAE && level == 3)
		return 0;  /* encode_entry() gives a PDPTE no bits but P */
	return allowed_bits(s, level == s->leaf_level);
}

/* P = 0 at each level in turn, with any other bits set in that entry. */
static unsigned long run_not_present(struct rig *rig, const struct access_variant *av)
{
	const struct shape *s = rig->shape;
	unsigned long expected = 0;
	int level;

	for (level = root_level(s); level >= s->leaf_level; level--) {
		unsigned ok = absent_bits_allowed(s, level);
		unsigned bits;

		for (bits = 0; bits < NR_ENTRY_MASKS; bits++) {
			if (bits & ~ok)
				continue;
			set_path(rig, E_USER | E_WRITE, E_USER | E_WRITE, level, bits);
			run_registers(rig, av);
		}
		expected += count_masks(ok) * NR_REG_MASKS * 2;
	}
	return expected;
}

static void run_all_shapes(const char *what, const struct access_variant *av,
			   unsigned long (*run)(struct rig *, const struct access_variant *))
{
	unsigned long cases = 0, mismatches = 0, expected = 0;
	size_t i;

	for (i = 0; i < NR_SHAPES; i++) {
		struct rig rig;

		rig_init(&rig, &shapes[i]);
		build_contexts(&rig);
		expected += run(&rig, av);
		cases += rig.cases;
		mismatches += rig.mismatches;
		rig_destroy(&rig);
	}
	printf("permission matrix%s [%s]: %lu cases, %lu mismatches\n", what, av->name,
	       cases, mismatches);
	fflush(stdout);
	ck_assert_uint_eq(cases, expected);
	ck_assert_msg(mismatches == 0, "%s%s: %lu of %lu cases disagree with the SDM",
		      av->name, what, mismatches, cases);
}

START_TEST(walker_agrees_with_sdm_on_every_combination)
{
	run_all_shapes("", &variants[_i], run_matrix);
}
END_TEST

START_TEST(walker_agrees_with_sdm_on_not_present_entries)
{
	run_all_shapes(", not present", &variants[_i], run_not_present);
}
END_TEST

static Suite *permission_matrix_suite(void)
{
	Suite *s = suite_create("permission_matrix");
	TCase *matrix = tcase_create("matrix");

	/* one test per access kind, so each is a separate process and report line */
	tcase_add_loop_test(matrix, walker_agrees_with_sdm_on_every_combination, 0,
			    NR_VARIANTS);
	tcase_add_loop_test(matrix, walker_agrees_with_sdm_on_not_present_entries, 0,
			    NR_VARIANTS);
	/* generous: under AddressSanitizer on a slow CI machine */
	tcase_set_timeout(matrix, 300);
	suite_add_tcase(s, matrix);
	return s;
}

TEST_MAIN(permission_matrix_suite)
