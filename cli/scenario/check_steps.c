/*
 * cli/scenario/check_steps.c — steps against the vCPUs, the memslots and
 * the paging mode each vCPU is in when the step runs.
 *
 * The mode is followed statically: a vCPU starts in the mode its <vcpu>
 * gives, and <set> of CR0, CR4 or EFER changes it exactly as
 * core/vm/vcpu.c will (EFER.LMA follows LME and PG; a combination that is
 * no paging mode raises #GP and changes nothing).  A load expected to
 * raise #GP is assumed to change nothing.  Knowing the mode lets the
 * loader reject, before anything runs, an address the mode cannot have:
 *   - 32-bit paging, PAE paging and paging off have 32-bit linear
 *     addresses: a va >= 4 GiB is an error;
 *   - in 4- and 5-level paging a non-canonical va raises #GP (SDM 3.3.7.1),
 *     so it is allowed only with expect="gp", and expect="gp" only there;
 *   - with paging off the va is the gpa, which must be guest memory;
 *   - no access meets the linear range its mode reserves for the kmod
 *     executor's guest (check_rsv.c).
 * It also checks a #PF error code against the access (SDM 4.7): W exactly
 * for writes, U exactly for user-mode accesses, F only for fetches, and
 * RSVD or PK only with P.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/scenario/loader.h"
#include "core/x86/bits.h"

/* What the loader knows about a vCPU while walking the steps. */
struct vcpu_track {
	bool exists;                  /* a <vcpu> with this id */
	struct x86_paging_regs regs;  /* CR0/CR4/EFER as the steps so far leave them */
	uint8_t cpl;                  /* CPL as the steps so far leave it */
};

static const char *mode_words(enum paging_mode mode)
{
	switch (mode) {
	case PAGING_OFF:
		return "with paging off";
	case PAGING_32:
		return "in 32-bit paging";
	case PAGING_PAE:
		return "in PAE paging";
	case PAGING_4LEVEL:
		return "in 4-level paging";
	case PAGING_5LEVEL:
		return "in 5-level paging";
	}
	return "?";
}

/* The vCPU a step names, or NULL after reporting that it does not exist. */
static struct vcpu_track *step_vcpu(struct scn_loader *ld, struct vcpu_track *vcpus,
				    const struct scn_step *st)
{
	if (st->vcpu < SCN_MAX_VCPUS && vcpus[st->vcpu].exists)
		return &vcpus[st->vcpu];
	scn_error(ld, st->line, "unknown vcpu %u (expected the id of a <vcpu>)", st->vcpu);
	return NULL;
}

/* The mode the tracked registers select (they are always a valid mode). */
static enum paging_mode track_mode(const struct vcpu_track *v)
{
	enum paging_mode mode = PAGING_OFF;

	paging_mode_of(&v->regs, &mode);
	return mode;
}

/* Linear-address width rules; `gp_expected` is expect="gp" (accesses only). */
static bool check_va(struct scn_loader *ld, const struct scn_step *st, const char *what,
		     enum paging_mode mode, uint64_t va, bool gp_expected)
{
	unsigned bits = mode == PAGING_5LEVEL ? 57 : 48;
	uint64_t upper = va >> (bits - 1);
	bool ia32e = mode == PAGING_4LEVEL || mode == PAGING_5LEVEL;
	bool canonical = upper == 0 || upper == (~0ULL >> (bits - 1));

	if (!ia32e && (va >> 32)) {
		scn_error(ld, st->line, "%s 0x%llx is beyond the 32-bit linear addresses %s "
			  "(expected va < 0x100000000)", what, (unsigned long long)va, mode_words(mode));
		return false;
	}
	if (ia32e && !canonical && !gp_expected) {
		scn_error(ld, st->line, "%s 0x%llx is not canonical %s, so it raises #GP (expected "
			  "%sbits 63:%u all equal)", what, (unsigned long long)va, mode_words(mode),
			  st->kind == STEP_ACCESS ? "expect=\"gp\", or " : "", bits - 1);
		return false;
	}
	if (gp_expected && (!ia32e || canonical)) {
		scn_error(ld, st->line, "expect=\"gp\" but va 0x%llx is %s %s: only non-canonical "
			  "addresses raise #GP here (expected expect=\"ok\" or \"pf\")",
			  (unsigned long long)va, ia32e ? "canonical" : "a valid address",
			  mode_words(mode));
		return false;
	}
	return true;
}

/* An error code in the names scenario files use: "p|w|u". */
static void describe_ec(uint32_t ec, char *buf, size_t size)
{
	static const char *const names[] = { "p", "w", "u", "rsvd", "f", "pk" };
	size_t len = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < 6 && len < size; i++)
		if (ec & (1u << i))
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "|" : "", names[i]);
	if (!len)
		snprintf(buf, size, "0");
}

/* SDM 4.7: the bits an access itself decides must match the access. */
static void check_error_code(struct scn_loader *ld, const struct scn_step *st, uint8_t cpl)
{
	const uint32_t known = PFERR_PRESENT | PFERR_WRITE | PFERR_USER | PFERR_RSVD |
			       PFERR_FETCH | PFERR_PK;
	uint32_t ec = st->expect.error_code;
	bool write = st->u.access.kind == ACCESS_WRITE;
	bool user = cpl == 3 && !st->u.access.implicit;
	const char *kind = write ? "write" : st->u.access.kind == ACCESS_READ ? "read" : "fetch";
	char name[48];

	describe_ec(ec, name, sizeof(name));
	if (ec & ~known)
		scn_error(ld, st->line, "error-code 0x%x has bits a #PF never reports here (expected "
			  "only p, w, u, rsvd, f, pk)", ec);
	else if (!(ec & PFERR_WRITE) != !write)
		scn_error(ld, st->line, "error-code=\"%s\" on a %s: w is set exactly for writes "
			  "(expected %s w; SDM 4.7)", name, kind, write ? "a" : "no");
	else if (!(ec & PFERR_USER) != !user)
		scn_error(ld, st->line, "error-code=\"%s\" on a %s-mode access (CPL %u%s): u is set "
			  "exactly for user-mode accesses (expected %s u; SDM 4.7)", name,
			  user ? "user" : "supervisor", cpl, st->u.access.implicit ? ", implicit" : "",
			  user ? "a" : "no");
	else if ((ec & PFERR_FETCH) && st->u.access.kind != ACCESS_FETCH)
		scn_error(ld, st->line, "error-code=\"%s\" on a %s: f is set only for fetches "
			  "(expected no f; SDM 4.7)", name, kind);
	else if ((ec & (PFERR_RSVD | PFERR_PK)) && !(ec & PFERR_PRESENT))
		scn_error(ld, st->line, "error-code=\"%s\" without p: reserved-bit and protection-key "
			  "faults are on present entries (expected p; SDM 4.7)", name);
}

static void check_access(struct scn_loader *ld, struct vcpu_track *v, const struct scn_step *st,
			 const struct scn_layout *l)
{
	enum paging_mode mode = track_mode(v);
	uint8_t cpl = st->u.access.cpl >= 0 ? (uint8_t)st->u.access.cpl : v->cpl;
	uint64_t gpa = st->u.access.gva, size = st->u.access.size;

	if (!check_va(ld, st, "va", mode, st->u.access.gva, st->expect.kind == EXPECT_GP) ||
	    !scn_check_rsv_va(ld, st->line, "va", mode, st->u.access.gva, size))
		return;
	/* With paging off the va is the gpa: memory at this step, or the device. */
	if (mode == PAGING_OFF && !scn_mmio_at(ld->s, gpa, size) &&
	    !scn_check_gpa_in(ld, st->line, "with paging off, va", gpa, size, l->slots, l->nr))
		return;
	if (st->expect.kind == EXPECT_PF)
		check_error_code(ld, st, cpl);
}

/* Follow a register load as core/vm/vcpu.c performs it. */
static void track_set(struct vcpu_track *v, const struct scn_step *st)
{
	struct x86_paging_regs regs = v->regs;
	enum paging_mode mode;

	switch (st->u.set.reg) {
	case REG_CPL:
		v->cpl = (uint8_t)st->u.set.value;
		return;
	case REG_CR0:
		regs.cr0 = st->u.set.value;
		break;
	case REG_CR4:
		regs.cr4 = st->u.set.value;
		break;
	case REG_EFER:
		regs.efer = st->u.set.value;
		break;
	case REG_CR3:
		/* Bit 63 is the PCID no-flush hint, not part of CR3 (with CR4.PCIDE). */
		if (st->expect.kind != EXPECT_GP)
			v->regs.cr3 = (v->regs.cr4 & CR4_PCIDE) ? st->u.set.value & ~CR3_PCID_NOFLUSH :
				      st->u.set.value;
		return;
	case REG_PKRU:
	case REG_EFLAGS_AC:
		return;
	}
	if (st->expect.kind == EXPECT_GP)
		return;
	if ((regs.efer & EFER_LME) && (regs.cr0 & CR0_PG))
		regs.efer |= EFER_LMA;
	else
		regs.efer &= ~EFER_LMA;
	if (!paging_mode_of(&regs, &mode))
		v->regs = regs;
}

/*
 * Two threads race on a page when one writes it and another touches it:
 * the result then depends on the interleaving.  The loader sees it when
 * both vCPUs translate the same way (paging off on both, or the same CR3
 * in the same mode) and the vas share a 4K page; other races (different
 * vas mapping one gpa) are the file's responsibility
 * (docs/scenario-format.md).
 */
static const char *access_name(const struct scn_step *st)
{
	return st->u.access.kind == ACCESS_WRITE ? "write" :
	       st->u.access.kind == ACCESS_READ ? "read" : "fetch";
}

static bool same_translation(const struct vcpu_track *a, const struct vcpu_track *b)
{
	enum paging_mode ma = track_mode(a), mb = track_mode(b);

	return ma == mb && (ma == PAGING_OFF || (a->regs.cr3 & PT64_ADDR_MASK) ==
						(b->regs.cr3 & PT64_ADDR_MASK));
}

static void check_threads(struct scn_loader *ld, const struct vcpu_track *vcpus,
			  const struct scn_step *steps, unsigned n)
{
	unsigned i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++) {
			const struct scn_step *a = &steps[i], *b = &steps[j];

			if (a->vcpu == b->vcpu || (a->u.access.kind != ACCESS_WRITE &&
						   b->u.access.kind != ACCESS_WRITE) ||
			    (a->u.access.gva >> PAGE_SHIFT) != (b->u.access.gva >> PAGE_SHIFT) ||
			    !same_translation(&vcpus[a->vcpu], &vcpus[b->vcpu]))
				continue;
			scn_error(ld, a->line, "this %s of va 0x%llx on vcpu %u races with the %s of "
				  "the same page on vcpu %u at line %d (expected threads to write only "
				  "pages no other thread touches: results must not depend on the "
				  "interleaving)", access_name(a), (unsigned long long)a->u.access.gva,
				  a->vcpu, access_name(b), b->vcpu, b->line);
			return;
		}
	}
}

/* A step that runs on a vCPU (access, set, invlpg): against its vCPU's state. */
static void check_vcpu_step(struct scn_loader *ld, struct vcpu_track *vcpus,
			    const struct scn_step *st, const struct scn_layout *l)
{
	struct vcpu_track *v = step_vcpu(ld, vcpus, st);

	if (!v)
		return;
	if (st->kind == STEP_ACCESS)
		check_access(ld, v, st, l);
	else if (st->kind == STEP_SET_REG)
		track_set(v, st);
	else if (st->kind == STEP_INVLPG)
		check_va(ld, st, "invlpg va", track_mode(v), st->u.invlpg.gva, false);
}

void scn_check_steps(struct scn_loader *ld)
{
	const struct scenario *s = ld->s;
	struct vcpu_track *vcpus = calloc(SCN_MAX_VCPUS, sizeof(*vcpus)), *v;
	struct scn_layout *layout = malloc(sizeof(*layout));
	unsigned i;

	if (!vcpus || !layout) {
		scn_error(ld, 0, "out of memory checking steps");
		free(vcpus);
		free(layout);
		return;
	}
	for (i = 0; i < s->nr_vcpus; i++) {
		v = &vcpus[s->vcpus[i].id];
		v->exists = true;
		v->regs = s->vcpus[i].regs;
		v->cpl = s->vcpus[i].cpl;
	}
	scn_layout_init(layout, s);
	for (i = 0; i < s->nr_steps; i++) {
		const struct scn_step *st = &s->steps[i];

		switch (st->kind) {
		case STEP_WRITE_GPA:
		case STEP_CHECK_GPA:
			scn_check_gpa_in(ld, st->line, "gpa", st->u.mem.gpa, st->u.mem.size,
					 layout->slots, layout->nr);
			break;
		case STEP_ACCESS:
		case STEP_SET_REG:
		case STEP_INVLPG:
			check_vcpu_step(ld, vcpus, st, layout);
			break;
		case STEP_THREADS:
			/* The group's accesses see the state before it: they change no register. */
			check_threads(ld, vcpus, st + 1, st->u.threads.nr_steps);
			break;
		default:
			scn_layout_step(ld, layout, &ld->s->steps[i]);
			break;
		}
	}
	free(layout);
	free(vcpus);
}
