/*
 * cli/scenario/build_steps.c — turn the children of <steps> into struct
 * scn_step, checking each step on its own: sizes and values, an access
 * that would cross a page, and expectations that contradict themselves
 * (an error code without expect="pf", a value on a read without
 * expect="ok").  Checks that need the vCPUs or memslots are in
 * check_steps.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/scenario/loader.h"
#include "core/x86/bits.h"

#define DEFAULT_SIZE 8

static const char *const size_names[] = { "1", "2", "4", "8", NULL };
static const uint8_t size_bytes[] = { 1, 2, 4, 8 };

/* size= (default 8 bytes). */
static bool step_size(struct scn_loader *ld, const xmlNode *node, uint8_t *size)
{
	int which = 3;

	if (scn_attr_enum(ld, node, "size", size_names, &which) == SCN_ATTR_BAD)
		return false;
	*size = size_bytes[which];
	return true;
}

/* vcpu= (default 0).  Existence is checked later; here only that it is an id at all. */
static bool step_vcpu(struct scn_loader *ld, const xmlNode *node, uint32_t *vcpu)
{
	uint64_t id = 0;

	if (scn_attr_u64(ld, node, "vcpu", &id) == SCN_ATTR_BAD)
		return false;
	if (id > UINT32_MAX) {
		scn_error(ld, scn_line(node), "unknown vcpu %llu (expected the id of a <vcpu>)",
			  (unsigned long long)id);
		return false;
	}
	*vcpu = (uint32_t)id;
	return true;
}

/* Does `value` fit in `size` bytes? */
static bool check_width(struct scn_loader *ld, const xmlNode *node, uint64_t value,
			uint8_t size)
{
	uint64_t max = size == 8 ? UINT64_MAX : (1ULL << (8 * size)) - 1;

	if (value <= max)
		return true;
	scn_error(ld, scn_line(node), "value 0x%llx is too wide for size=\"%u\" (expected at most 0x%llx)",
		  (unsigned long long)value, size, (unsigned long long)max);
	return false;
}

/* expect=, error-code= and, for reads and fetches, the expected value=. */
static bool access_expect(struct scn_loader *ld, const xmlNode *node, struct scn_step *st)
{
	static const char *const expects[] = { "ok", "pf", "gp", NULL };
	static const enum scn_expect_kind kinds[] = { EXPECT_OK, EXPECT_PF, EXPECT_GP };
	bool is_write = st->u.access.kind == ACCESS_WRITE;
	enum scn_attr has_ec, has_value = SCN_ATTR_ABSENT;
	uint64_t ec = 0;
	int which = -1;
	long line = scn_line(node);

	if (scn_attr_enum(ld, node, "expect", expects, &which) == SCN_ATTR_BAD)
		return false;
	st->expect.kind = which < 0 ? EXPECT_NONE : kinds[which];
	has_ec = scn_attr_error_code(ld, node, "error-code", &ec);
	if (!is_write)
		has_value = scn_attr_u64(ld, node, "value", &st->expect.value);
	if (has_ec == SCN_ATTR_BAD || has_value == SCN_ATTR_BAD)
		return false;
	if (has_ec == SCN_ATTR_OK && st->expect.kind != EXPECT_PF) {
		scn_error(ld, line, "error-code= needs expect=\"pf\" (expected expect=\"pf\", or no error-code)");
		return false;
	}
	if (has_ec != SCN_ATTR_OK && st->expect.kind == EXPECT_PF) {
		scn_error(ld, line, "expect=\"pf\" needs error-code= (expected the #PF error code, "
			  "e.g. error-code=\"p|w\")");
		return false;
	}
	if (ec > UINT32_MAX) {
		scn_error(ld, line, "error-code 0x%llx is wider than 32 bits (expected p, w, u, rsvd, f, pk)",
			  (unsigned long long)ec);
		return false;
	}
	if (has_value == SCN_ATTR_OK && st->expect.kind != EXPECT_OK) {
		scn_error(ld, line, "value= on a %s is the value expected, which needs expect=\"ok\" "
			  "(expected expect=\"ok\", or no value)", (const char *)node->name);
		return false;
	}
	st->expect.has_value = has_value == SCN_ATTR_OK;
	st->expect.error_code = (uint32_t)ec;
	return !st->expect.has_value || check_width(ld, node, st->expect.value, st->u.access.size);
}

static bool build_access(struct scn_loader *ld, const xmlNode *node, enum access_kind kind,
			 struct scn_step *st)
{
	static const char *const cpls[] = { "0", "1", "2", "3", NULL };
	bool ac = false, implicit = false;
	enum scn_attr has_ac = SCN_ATTR_ABSENT;
	int cpl = -1;

	st->kind = STEP_ACCESS;
	st->u.access.kind = kind;
	if (scn_attr_u64_req(ld, node, "va", &st->u.access.gva) != SCN_ATTR_OK ||
	    !step_size(ld, node, &st->u.access.size) || !step_vcpu(ld, node, &st->vcpu) ||
	    scn_attr_enum(ld, node, "cpl", cpls, &cpl) == SCN_ATTR_BAD ||
	    (has_ac = scn_attr_bool(ld, node, "ac", &ac)) == SCN_ATTR_BAD ||
	    scn_attr_bool(ld, node, "implicit", &implicit) == SCN_ATTR_BAD)
		return false;
	st->u.access.cpl = cpl;
	st->u.access.eflags_ac = has_ac == SCN_ATTR_OK ? ac : -1;
	st->u.access.implicit = implicit;
	if (kind == ACCESS_WRITE &&
	    (scn_attr_u64_req(ld, node, "value", &st->u.access.value) != SCN_ATTR_OK ||
	     !check_width(ld, node, st->u.access.value, st->u.access.size)))
		return false;
	if ((st->u.access.gva & (PAGE_SIZE_4K - 1)) + st->u.access.size > PAGE_SIZE_4K) {
		scn_error(ld, scn_line(node), "the %u-byte %s at va 0x%llx crosses a page boundary "
			  "(expected it to fit in one 4K page)", st->u.access.size,
			  (const char *)node->name, (unsigned long long)st->u.access.gva);
		return false;
	}
	return access_expect(ld, node, st);
}

/* <write-gpa> and <check-gpa>: a value stored or expected at a gpa. */
static bool build_gpa_step(struct scn_loader *ld, const xmlNode *node, enum scn_step_kind kind,
			   struct scn_step *st)
{
	st->kind = kind;
	return scn_attr_u64_req(ld, node, "gpa", &st->u.mem.gpa) == SCN_ATTR_OK &&
	       step_size(ld, node, &st->u.mem.size) &&
	       scn_attr_u64_req(ld, node, "value", &st->u.mem.value) == SCN_ATTR_OK &&
	       check_width(ld, node, st->u.mem.value, st->u.mem.size);
}

/* The names of reg=, in enum scn_reg order. */
static const char *const reg_names[] = { "cr0", "cr3", "cr4", "efer", "pkru", "cpl", "ac", NULL };

/* value= or, for CR3, page-tables= (its root); exactly one. */
static bool set_value(struct scn_loader *ld, const xmlNode *node, struct scn_step *st)
{
	bool has_pt = scn_attr_has(node, "page-tables");
	const struct scn_page_tables *pt;
	enum scn_attr has_value;
	long line = scn_line(node);
	char *name;

	has_value = scn_attr_u64(ld, node, "value", &st->u.set.value);
	if (has_value == SCN_ATTR_BAD)
		return false;
	if (has_pt && has_value == SCN_ATTR_OK) {
		scn_error(ld, line, "<set> has both value= and page-tables= (expected one of them)");
		return false;
	}
	if (has_pt && st->u.set.reg != REG_CR3) {
		scn_error(ld, line, "page-tables= is only for reg=\"cr3\" (expected value=)");
		return false;
	}
	if (!has_pt) {
		if (has_value == SCN_ATTR_OK)
			return true;
		scn_error(ld, line, "<set reg=\"%s\"> has no value= (expected %s)",
			  reg_names[st->u.set.reg],
			  st->u.set.reg == REG_CR3 ? "value= or page-tables=" : "value=");
		return false;
	}
	name = scn_attr_dup(node, "page-tables");
	pt = name ? scn_find_page_tables(ld->s, name) : NULL;
	if (!pt)
		scn_error(ld, line, "unknown page-tables \"%.40s\" (expected the name of a "
			  "<page-tables> above)", name ? name : "");
	else
		st->u.set.value = pt->root;
	free(name);
	return pt != NULL;
}

/* Registers narrower than 64 bits, and which loads can #GP. */
static bool set_check(struct scn_loader *ld, const xmlNode *node, const struct scn_step *st)
{
	static const uint64_t max[] = {
		[REG_CR0] = UINT64_MAX, [REG_CR3] = UINT64_MAX, [REG_CR4] = UINT64_MAX,
		[REG_EFER] = UINT64_MAX, [REG_PKRU] = UINT32_MAX, [REG_CPL] = 3,
		[REG_EFLAGS_AC] = 1,
	};
	enum scn_reg reg = st->u.set.reg;

	if (st->u.set.value > max[reg]) {
		scn_error(ld, scn_line(node), "%s value 0x%llx is out of range (expected at most 0x%llx)",
			  reg_names[reg], (unsigned long long)st->u.set.value,
			  (unsigned long long)max[reg]);
		return false;
	}
	if (st->expect.kind == EXPECT_GP && reg != REG_CR0 && reg != REG_CR3 && reg != REG_CR4 &&
	    reg != REG_EFER) {
		scn_error(ld, scn_line(node), "expect=\"gp\" on reg=\"%s\": only loads of cr0, cr3, "
			  "cr4 and efer can raise #GP here (expected expect=\"ok\", or none)",
			  reg_names[reg]);
		return false;
	}
	return true;
}

static bool build_set(struct scn_loader *ld, const xmlNode *node, struct scn_step *st)
{
	static const char *const expects[] = { "ok", "gp", NULL };
	int reg = 0, which = -1;

	st->kind = STEP_SET_REG;
	if (!step_vcpu(ld, node, &st->vcpu) ||
	    scn_attr_enum(ld, node, "reg", reg_names, &reg) != SCN_ATTR_OK ||
	    scn_attr_enum(ld, node, "expect", expects, &which) == SCN_ATTR_BAD)
		return false;
	st->u.set.reg = (enum scn_reg)reg;
	st->expect.kind = which < 0 ? EXPECT_NONE : which == 0 ? EXPECT_OK : EXPECT_GP;
	return set_value(ld, node, st) && set_check(ld, node, st);
}

static bool build_invlpg(struct scn_loader *ld, const xmlNode *node, struct scn_step *st)
{
	st->kind = STEP_INVLPG;
	return step_vcpu(ld, node, &st->vcpu) &&
	       scn_attr_u64_req(ld, node, "va", &st->u.invlpg.gva) == SCN_ATTR_OK;
}

/* One step element; false if it is not a step or has an error (reported). */
static bool build_step(struct scn_loader *ld, const xmlNode *node, struct scn_step *st)
{
	memset(st, 0, sizeof(*st));
	st->line = (int)scn_line(node);
	if (scn_is(node, "read"))
		return build_access(ld, node, ACCESS_READ, st);
	if (scn_is(node, "write"))
		return build_access(ld, node, ACCESS_WRITE, st);
	if (scn_is(node, "fetch"))
		return build_access(ld, node, ACCESS_FETCH, st);
	if (scn_is(node, "write-gpa"))
		return build_gpa_step(ld, node, STEP_WRITE_GPA, st);
	if (scn_is(node, "check-gpa"))
		return build_gpa_step(ld, node, STEP_CHECK_GPA, st);
	if (scn_is(node, "set"))
		return build_set(ld, node, st);
	if (scn_is(node, "invlpg"))
		return build_invlpg(ld, node, st);
	return false;
}

void scn_build_steps(struct scn_loader *ld, const xmlNode *steps)
{
	struct scenario *s = ld->s;
	const xmlNode *c;
	unsigned nr = 0;

	for (c = steps->children; c; c = c->next)
		nr += c->type == XML_ELEMENT_NODE;
	if (nr > SCN_LOAD_MAX_STEPS) {
		scn_error(ld, scn_line(steps), "too many steps (expected at most %d)",
			  SCN_LOAD_MAX_STEPS);
		return;
	}
	free(s->steps);
	s->nr_steps = 0;
	s->steps = calloc(nr ? nr : 1, sizeof(*s->steps));
	if (!s->steps) {
		scn_error(ld, scn_line(steps), "out of memory for %u steps", nr);
		return;
	}
	for (c = steps->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && build_step(ld, c, &s->steps[s->nr_steps]))
			s->nr_steps++;
}
