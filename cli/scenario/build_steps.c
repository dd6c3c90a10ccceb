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

/* ---- memslot steps ---------------------------------------------------------------- */

/* A memslot id attribute (id= or slot=): a 32-bit number. */
static bool slot_id(struct scn_loader *ld, const xmlNode *node, const char *attr, uint32_t *id)
{
	uint64_t v = 0;

	if (scn_attr_u64_req(ld, node, attr, &v) != SCN_ATTR_OK)
		return false;
	if (v > UINT32_MAX) {
		scn_error(ld, scn_line(node), "unknown memslot %llu (expected the id of a memslot)",
			  (unsigned long long)v);
		return false;
	}
	*id = (uint32_t)v;
	return true;
}

static bool build_memslot_step(struct scn_loader *ld, const xmlNode *node, struct scn_step *st)
{
	struct scn_memslot m = { 0 };

	if (scn_is(node, "memslot-create")) {
		st->kind = STEP_MEMSLOT_CREATE;
		if (!scn_build_memslot(ld, node, &m))
			return false;
		st->u.slot.id = m.id;
		st->u.slot.base_gpa = m.base_gpa;
		st->u.slot.size = m.size;
		st->u.slot.flags = m.flags;
		st->u.slot.backing = m.backing;
		return true;
	}
	if (!slot_id(ld, node, "id", &st->u.slot.id))
		return false;
	if (scn_is(node, "memslot-delete")) {
		st->kind = STEP_MEMSLOT_DELETE;
		return true;
	}
	if (scn_is(node, "memslot-move")) {
		st->kind = STEP_MEMSLOT_MOVE;
		return scn_attr_u64_req(ld, node, "base", &st->u.slot.base_gpa) == SCN_ATTR_OK;
	}
	st->kind = STEP_MEMSLOT_FLAGS;
	switch (scn_attr_memslot_flags(ld, node, &st->u.slot.flags)) {
	case SCN_ATTR_OK:
		return true;
	case SCN_ATTR_ABSENT:
		scn_error(ld, scn_line(node), "<memslot-flags> has no flags= (expected one; "
			  "flags=\"\" stops dirty logging)");
		return false;
	case SCN_ATTR_BAD:
		break;
	}
	return false;
}

/* ---- dirty-log steps --------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Add pages [first, last] to the list, within the cap. */
static bool add_pages(struct scn_loader *ld, const xmlNode *node, struct scn_step *st,
		      uint64_t first, uint64_t last, unsigned *cap)
{
	uint64_t p;

	if (last - first >= SCN_LOAD_MAX_DIRTY_PAGES - st->u.dirty.nr_pages) {
		scn_error(ld, scn_line(node), "expect= lists too many pages (expected at most %u)",
			  SCN_LOAD_MAX_DIRTY_PAGES);
		return false;
	}
	while (st->u.dirty.nr_pages + (last - first) + 1 > *cap) {
		uint64_t *bigger;

		*cap = *cap ? *cap * 2 : 16;
		bigger = realloc(st->u.dirty.pages, *cap * sizeof(*bigger));
		if (!bigger) {
			scn_error(ld, scn_line(node), "out of memory for the expected pages");
			return false;
		}
		st->u.dirty.pages = bigger;
	}
	for (p = first;; p++) {
		st->u.dirty.pages[st->u.dirty.nr_pages++] = p;
		if (p == last)
			break;
	}
	return true;
}

/* One "A" or "A-B" of a page list. */
static bool parse_page_item(struct scn_loader *ld, const xmlNode *node, char *item,
			    uint64_t *first, uint64_t *last)
{
	char *dash = strchr(item, '-');

	if (dash)
		*dash = '\0';
	if (scn_parse_u64(item, first) != SCN_PARSE_OK ||
	    (dash && scn_parse_u64(dash + 1, last) != SCN_PARSE_OK)) {
		scn_error(ld, scn_line(node), "expect=: \"%.40s\" is not a page or a range of "
			  "pages (expected e.g. \"0 3-5 7\")", item);
		return false;
	}
	if (!dash)
		*last = *first;
	if (*last < *first) {
		scn_error(ld, scn_line(node), "expect=: the range %llu-%llu runs backwards "
			  "(expected FIRST-LAST with FIRST <= LAST)", (unsigned long long)*first,
			  (unsigned long long)*last);
		return false;
	}
	return true;
}

/* expect="0 3-5 7": the pages, sorted, each once. */
static bool parse_page_list(struct scn_loader *ld, const xmlNode *node, struct scn_step *st,
			    char *list)
{
	unsigned cap = 0, i, n = 0;
	char *save = NULL, *item;
	uint64_t first, last;

	for (item = strtok_r(list, " \t\r\n", &save); item; item = strtok_r(NULL, " \t\r\n", &save))
		if (!parse_page_item(ld, node, item, &first, &last) ||
		    !add_pages(ld, node, st, first, last, &cap))
			return false;
	if (!st->u.dirty.nr_pages)
		return true;
	qsort(st->u.dirty.pages, st->u.dirty.nr_pages, sizeof(uint64_t), cmp_u64);
	for (i = 0; i < st->u.dirty.nr_pages; i++)
		if (!n || st->u.dirty.pages[n - 1] != st->u.dirty.pages[i])
			st->u.dirty.pages[n++] = st->u.dirty.pages[i];
	st->u.dirty.nr_pages = n;
	return true;
}

static bool build_dirty_step(struct scn_loader *ld, const xmlNode *node, struct scn_step *st)
{
	char *list;
	bool ok;

	if (!slot_id(ld, node, "slot", &st->u.dirty.slot))
		return false;
	if (scn_is(node, "clear-dirty-log")) {
		st->kind = STEP_DIRTY_LOG_CLEAR;
		return scn_attr_u64_req(ld, node, "first", &st->u.dirty.first) == SCN_ATTR_OK &&
		       scn_attr_u64_req(ld, node, "count", &st->u.dirty.count) == SCN_ATTR_OK;
	}
	st->kind = STEP_DIRTY_LOG_GET;
	if (!scn_attr_has(node, "expect"))
		return true;
	list = scn_attr_dup(node, "expect");
	if (!list) {
		scn_error(ld, scn_line(node), "out of memory reading expect=");
		return false;
	}
	st->expect.kind = EXPECT_OK;
	ok = parse_page_list(ld, node, st, list);
	free(list);
	if (!ok) {
		/* The step is not kept: its slot in s->steps is reused. */
		free(st->u.dirty.pages);
		st->u.dirty.pages = NULL;
		st->u.dirty.nr_pages = 0;
	}
	return ok;
}

/* ---- host steps ------------------------------------------------------------------- */

static bool build_host_step(struct scn_loader *ld, const xmlNode *node, struct scn_step *st)
{
	static const char *const changes[] = { "reclaim", "remap", "readonly", NULL };
	static const enum scn_host_change kinds[] = { HOST_RECLAIM, HOST_REMAP, HOST_READONLY };
	int change = 0;

	if (scn_attr_u64_req(ld, node, "gpa", &st->u.host.gpa) != SCN_ATTR_OK ||
	    scn_attr_size_req(ld, node, "size", &st->u.host.size) != SCN_ATTR_OK)
		return false;
	if (scn_is(node, "host-age")) {
		st->kind = STEP_HOST_AGE;
		if (scn_attr_bool(ld, node, "test-only", &st->u.host.test_only) == SCN_ATTR_BAD)
			return false;
	} else {
		st->kind = STEP_HOST_INVALIDATE;
		if (scn_attr_enum(ld, node, "change", changes, &change) != SCN_ATTR_OK)
			return false;
		st->u.host.change = kinds[change];
	}
	if ((st->u.host.gpa | st->u.host.size) & (PAGE_SIZE_4K - 1) || !st->u.host.size) {
		scn_error(ld, scn_line(node), "<%s> range 0x%llx+0x%llx is not whole 4K pages "
			  "(expected gpa and size positive multiples of 0x1000)",
			  (const char *)node->name, (unsigned long long)st->u.host.gpa,
			  (unsigned long long)st->u.host.size);
		return false;
	}
	return true;
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
	if (scn_is(node, "memslot-create") || scn_is(node, "memslot-delete") ||
	    scn_is(node, "memslot-move") || scn_is(node, "memslot-flags"))
		return build_memslot_step(ld, node, st);
	if (scn_is(node, "get-dirty-log") || scn_is(node, "clear-dirty-log"))
		return build_dirty_step(ld, node, st);
	if (scn_is(node, "host-change") || scn_is(node, "host-age"))
		return build_host_step(ld, node, st);
	return false;
}

/* ---- threads ------------------------------------------------------------------------ */

/* Is the vCPU declared by a <vcpu>? */
static bool vcpu_declared(const struct scenario *s, uint32_t id)
{
	unsigned i;

	for (i = 0; i < s->nr_vcpus; i++)
		if (s->vcpus[i].id == id)
			return true;
	return false;
}

/* One access of a <thread>: it runs on the thread's vCPU. */
static bool build_thread_step(struct scn_loader *ld, const xmlNode *node, uint32_t vcpu,
			      struct scn_step *st)
{
	if (!scn_is(node, "read") && !scn_is(node, "write") && !scn_is(node, "fetch")) {
		scn_error(ld, scn_line(node), "<%s> in a <thread>: threads hold only accesses "
			  "(expected read, write or fetch; put other steps before or after "
			  "<threads>)", (const char *)node->name);
		return false;
	}
	if (!build_step(ld, node, st))
		return false;
	if (scn_attr_has(node, "vcpu") && st->vcpu != vcpu) {
		scn_error(ld, st->line, "this %s names vcpu %u inside <thread vcpu=\"%u\"> "
			  "(expected no vcpu=, or vcpu=\"%u\")", (const char *)node->name,
			  st->vcpu, vcpu, vcpu);
		return false;
	}
	st->vcpu = vcpu;
	return true;
}

/* <thread vcpu=...>: its vCPU, checked against <vcpu>s and the group's other threads. */
static bool thread_vcpu(struct scn_loader *ld, const xmlNode *node, const long *lines,
			uint32_t *vcpu)
{
	uint64_t id = 0;

	if (scn_attr_u64_req(ld, node, "vcpu", &id) != SCN_ATTR_OK)
		return false;
	if (id >= SCN_MAX_VCPUS || !vcpu_declared(ld->s, (uint32_t)id)) {
		scn_error(ld, scn_line(node), "unknown vcpu %llu in <thread> (expected the id of "
			  "a <vcpu>)", (unsigned long long)id);
		return false;
	}
	if (lines[id]) {
		scn_error(ld, scn_line(node), "vcpu %llu already has a <thread> in this group at "
			  "line %ld (expected one thread per vCPU)", (unsigned long long)id,
			  lines[id]);
		return false;
	}
	*vcpu = (uint32_t)id;
	return true;
}

/*
 * <threads>: a STEP_THREADS header, then every thread's accesses in file
 * order, each on its thread's vCPU.
 */
static void build_threads(struct scn_loader *ld, const xmlNode *node)
{
	struct scenario *s = ld->s;
	struct scn_step *head = &s->steps[s->nr_steps++];
	long *lines = calloc(SCN_MAX_VCPUS, sizeof(*lines));
	const xmlNode *t, *c;
	uint32_t vcpu;

	memset(head, 0, sizeof(*head));
	head->line = (int)scn_line(node);
	head->kind = STEP_THREADS;
	if (!lines) {
		scn_error(ld, head->line, "out of memory for <threads>");
		return;
	}
	for (t = node->children; t; t = t->next) {
		if (!scn_is(t, "thread") || !thread_vcpu(ld, t, lines, &vcpu))
			continue;
		lines[vcpu] = scn_line(t);
		for (c = t->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    build_thread_step(ld, c, vcpu, &s->steps[s->nr_steps]))
				s->nr_steps++;
	}
	head->u.threads.nr_steps = (unsigned)(&s->steps[s->nr_steps] - head - 1);
	free(lines);
}

/* Step elements under `node`, counting those inside <threads> and the group itself. */
static unsigned count_steps(const xmlNode *node)
{
	const xmlNode *c, *t;
	unsigned nr = 0;

	for (c = node->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		nr++;
		if (scn_is(c, "threads"))
			for (t = c->children; t; t = t->next)
				if (scn_is(t, "thread"))
					nr += count_steps(t);
		if (nr > SCN_LOAD_MAX_STEPS)
			break;
	}
	return nr;
}

void scn_build_steps(struct scn_loader *ld, const xmlNode *steps)
{
	struct scenario *s = ld->s;
	const xmlNode *c;
	unsigned nr = count_steps(steps);

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
	for (c = steps->children; c; c = c->next) {
		if (scn_is(c, "threads"))
			build_threads(ld, c);
		else if (c->type == XML_ELEMENT_NODE && build_step(ld, c, &s->steps[s->nr_steps]))
			s->nr_steps++;
	}
}
