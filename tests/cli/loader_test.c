/*
 * tests/cli/loader_test.c — the scenario loader (cli/scenario/): the value
 * syntax, what a valid file turns into, the exact messages for invalid
 * ones, and the safety rules (DOCTYPE, size cap, libxml2 handlers left as
 * they were).  Runs from the top of the tree (make check does).
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>

#include "cli/scenario/load.h"
#include "cli/scenario/parse_num.h"
#include "core/x86/bits.h"
#include "core/x86/walk.h"
#include "tests/util/check_main.h"

/* ---- capturing messages ------------------------------------------------------ */

struct captured {
	char **lines;  /* the messages, in order (heap) */
	unsigned nr;   /* how many were emitted */
};

static void capture(void *ctx, const char *line)
{
	struct captured *c = ctx;

	c->lines = realloc(c->lines, (c->nr + 1) * sizeof(*c->lines));
	ck_assert_ptr_nonnull(c->lines);
	c->lines[c->nr++] = strdup(line);
}

static void captured_free(struct captured *c)
{
	unsigned i;

	for (i = 0; i < c->nr; i++)
		free(c->lines[i]);
	free(c->lines);
	c->lines = NULL;
	c->nr = 0;
}

/* Load `text` as "t.xml", capturing messages into *c. */
static struct scenario *load(const char *text, struct captured *c, struct scenario_diag *d)
{
	memset(c, 0, sizeof(*c));
	d->emit = capture;
	d->ctx = c;
	d->nr_errors = 0;
	return scenario_load_memory_diag(text, strlen(text), "t.xml", d);
}

/* The one message a bad document must produce. */
static void assert_rejected(const char *text, const char *message)
{
	struct scenario_diag d;
	struct captured c;
	struct scenario *s = load(text, &c, &d);

	ck_assert_ptr_null(s);
	ck_assert_uint_eq(d.nr_errors, 1);
	ck_assert_uint_eq(c.nr, 1);
	ck_assert_str_eq(c.lines[0], message);
	captured_free(&c);
}

/* ---- the value syntax ----------------------------------------------------------- */

START_TEST(test_parse_u64)
{
	static const char *const bad[] = { "", "0x", "_1", "1_", "1__0", "-1", "+1", "0x1g",
					   "1 2", "012a", "0x_1" };
	uint64_t v = 0;
	unsigned i;

	ck_assert_int_eq(scn_parse_u64("0", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(scn_parse_u64(" 4096 ", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(scn_parse_u64("0XfF", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 0xff);
	ck_assert_int_eq(scn_parse_u64("0xffff_8000_0000_0000", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 0xffff800000000000ULL);
	ck_assert_int_eq(scn_parse_u64("1_000_000", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 1000000);
	ck_assert_int_eq(scn_parse_u64("18446744073709551615", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(scn_parse_u64("18446744073709551616", &v), SCN_PARSE_RANGE);
	ck_assert_int_eq(scn_parse_u64("0x1_0000_0000_0000_0000", &v), SCN_PARSE_RANGE);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(scn_parse_u64(bad[i], &v) == SCN_PARSE_SYNTAX, "\"%s\" parsed", bad[i]);
}
END_TEST

START_TEST(test_parse_size)
{
	uint64_t v = 0;

	ck_assert_int_eq(scn_parse_size("4K", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(scn_parse_size("16M", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 16ULL << 20);
	ck_assert_int_eq(scn_parse_size("1G", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 1ULL << 30);
	ck_assert_int_eq(scn_parse_size("2T", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 2ULL << 40);
	ck_assert_int_eq(scn_parse_size("0x10K", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 0x4000);
	ck_assert_int_eq(scn_parse_size("12288", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 12288);
	ck_assert_int_eq(scn_parse_size("16777216T", &v), SCN_PARSE_RANGE);
	ck_assert_int_eq(scn_parse_size("4KB", &v), SCN_PARSE_SYNTAX);
	ck_assert_int_eq(scn_parse_size("K", &v), SCN_PARSE_SYNTAX);
	ck_assert_int_eq(scn_parse_size("4k", &v), SCN_PARSE_SYNTAX);
}
END_TEST

START_TEST(test_parse_bool_and_flags)
{
	static const struct scn_flag_name names[] = {
		{ "w", 1 }, { "u", 2 }, { "nx", 4 }, { NULL, 0 },
	};
	unsigned bad_at = 0;
	uint64_t v = 0;
	bool b = false;

	ck_assert_int_eq(scn_parse_bool("true", &b), SCN_PARSE_OK);
	ck_assert(b);
	ck_assert_int_eq(scn_parse_bool("0", &b), SCN_PARSE_OK);
	ck_assert(!b);
	ck_assert_int_eq(scn_parse_bool("yes", &b), SCN_PARSE_SYNTAX);
	ck_assert_int_eq(scn_parse_flags(" w  nx ", names, &v, &bad_at), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 5);
	ck_assert_int_eq(scn_parse_flags("", names, &v, &bad_at), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(scn_parse_flags("w rw u", names, &v, &bad_at), SCN_PARSE_NAME);
	ck_assert_uint_eq(bad_at, 2);
}
END_TEST

START_TEST(test_parse_error_code)
{
	uint64_t v = 0;

	ck_assert_int_eq(scn_parse_error_code("p|w|u", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, PFERR_PRESENT | PFERR_WRITE | PFERR_USER);
	ck_assert_int_eq(scn_parse_error_code("rsvd|p", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, PFERR_RSVD | PFERR_PRESENT);
	ck_assert_int_eq(scn_parse_error_code("pk|u|p", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, PFERR_PK | PFERR_USER | PFERR_PRESENT);
	ck_assert_int_eq(scn_parse_error_code("f", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, PFERR_FETCH);
	ck_assert_int_eq(scn_parse_error_code("0x11", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 0x11);
	ck_assert_int_eq(scn_parse_error_code("0", &v), SCN_PARSE_OK);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(scn_parse_error_code("p|", &v), SCN_PARSE_SYNTAX);
	ck_assert_int_eq(scn_parse_error_code("p||w", &v), SCN_PARSE_SYNTAX);
	ck_assert_int_eq(scn_parse_error_code("x", &v), SCN_PARSE_SYNTAX);
	ck_assert_int_eq(scn_parse_error_code("P", &v), SCN_PARSE_SYNTAX);
}
END_TEST

START_TEST(test_parse_range)
{
	uint64_t a = 0, b = 0;

	ck_assert_int_eq(scn_parse_range("0x2000-0x8000", &a, &b), SCN_PARSE_OK);
	ck_assert_uint_eq(a, 0x2000);
	ck_assert_uint_eq(b, 0x8000);
	ck_assert_int_eq(scn_parse_range("0x2000+64K", &a, &b), SCN_PARSE_OK);
	ck_assert_uint_eq(a, 0x2000);
	ck_assert_uint_eq(b, 0x12000);
	ck_assert_int_eq(scn_parse_range("0x8000-0x2000", &a, &b), SCN_PARSE_RANGE);
	ck_assert_int_eq(scn_parse_range("0xffffffffffffffff+1", &a, &b), SCN_PARSE_RANGE);
	ck_assert_int_eq(scn_parse_range("0x2000", &a, &b), SCN_PARSE_SYNTAX);
	ck_assert_int_eq(scn_parse_range("0x2000-", &a, &b), SCN_PARSE_SYNTAX);
}
END_TEST

/* ---- what a valid file becomes --------------------------------------------------- */

static const char full_doc[] =
	"<?xml version='1.0'?>\n"
	"<scenario name='full'>\n"
	"  <description>\n    two lines\n    of text\n  </description>\n"
	"  <vm maxphyaddr='40' gbpages='false'>\n"
	"    <memslot id='7' base='0x20_0000' size='2M' flags='readonly dirty-log'/>\n"  /* line 8 */
	"    <memslot id='1' base='0' size='1M'/>\n"
	"  </vm>\n"
	"  <page-tables name='t' paging='4-level' root='0x1000' pool='0x2000+32K'>\n"
	"    <map va='0x20_0000' gpa='0x20_0000' size='2M' flags='w u a d g pwt pcd pat' pkey='5'/>\n"
	"    <map va='0x80_0000_0000' gpa='0x3000' flags='nx pat' table-flags='w'/>\n"
	"  </page-tables>\n"
	"  <vcpu id='3' paging='4-level' page-tables='t' wp='true' smep='1' smap='true'"
	" pke='true' nxe='true' pkru='0x24' cpl='3' ac='true'/>\n"          /* line 15 */
	"  <steps>\n"
	"    <read va='0x20_0008' size='4' vcpu='3' expect='ok' value='0x1234'/>\n"
	"    <write va='0x20_0000' vcpu='3' cpl='0' ac='false' implicit='true' value='9'"
	" expect='pf' error-code='p|w|pk'/>\n"
	"    <write-gpa gpa='0x1000' size='2' value='0xffff'/>\n"
	"    <set vcpu='3' reg='cr3' page-tables='t' expect='gp'/>\n"
	"    <invlpg vcpu='3' va='0x40_0000'/>\n"
	"  </steps>\n"
	"</scenario>\n";

START_TEST(test_load_fills_structs)
{
	struct scenario_diag d;
	struct captured c;
	struct scenario *s = load(full_doc, &c, &d);
	const struct scn_mapping *m;
	const struct scn_vcpu *v;

	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(c.nr, 0);
	ck_assert_str_eq(s->file, "t.xml");
	ck_assert_str_eq(s->name, "full");
	ck_assert_str_eq(s->description, "two lines\n    of text");
	ck_assert_uint_eq(s->feat.maxphyaddr, 40);
	ck_assert(!s->feat.gbpages);
	ck_assert_uint_eq(s->nr_memslots, 2);
	ck_assert_uint_eq(s->memslots[0].id, 7);
	ck_assert_uint_eq(s->memslots[0].base_gpa, 0x200000);
	ck_assert_uint_eq(s->memslots[0].size, 2ULL << 20);
	ck_assert_uint_eq(s->memslots[0].flags, MEMSLOT_READONLY | MEMSLOT_DIRTY_LOG);
	ck_assert_int_eq(s->memslots[0].line, 8);

	ck_assert_uint_eq(s->nr_page_tables, 1);
	ck_assert_ptr_eq(s->page_tables[0].fmt, &pt_format_4level);
	ck_assert_uint_eq(s->page_tables[0].root, 0x1000);
	ck_assert_uint_eq(s->page_tables[0].pool_start, 0x2000);
	ck_assert_uint_eq(s->page_tables[0].pool_end, 0xa000);
	ck_assert_uint_eq(s->page_tables[0].nr_maps, 2);
	m = &s->page_tables[0].maps[0];
	ck_assert_int_eq(m->level, 2);
	ck_assert_uint_eq(m->acc, ACC_WRITE | ACC_USER | ACC_EXEC);
	ck_assert_uint_eq(m->table_acc, ACC_WRITE | ACC_USER | ACC_EXEC);
	/* A 2M leaf's PAT is bit 12 (SDM table 4-18); the key is in bits 62:59. */
	ck_assert_uint_eq(m->leaf_extra, PT_ACCESSED | PT_DIRTY | PT_GLOBAL | PT_PWT | PT_PCD |
				 PT_PAT_LARGE | (5ULL << PT64_PKEY_SHIFT));
	m = &s->page_tables[0].maps[1];
	ck_assert_int_eq(m->level, 1);
	ck_assert_uint_eq(m->acc, 0);
	ck_assert_uint_eq(m->leaf_extra, PT_PAT_4K);
	ck_assert_uint_eq(m->table_acc, ACC_WRITE | ACC_EXEC);
	ck_assert_int_eq(m->line, 13);

	ck_assert_uint_eq(s->nr_vcpus, 1);
	v = &s->vcpus[0];
	ck_assert_uint_eq(v->id, 3);
	ck_assert_int_eq(v->line, 15);
	ck_assert_uint_eq(v->regs.cr0, CR0_PE | CR0_PG | CR0_WP);
	ck_assert_uint_eq(v->regs.cr4, CR4_PAE | CR4_SMEP | CR4_SMAP | CR4_PKE);
	ck_assert_uint_eq(v->regs.efer, EFER_LME | EFER_LMA | EFER_NXE);
	ck_assert_uint_eq(v->regs.cr3, 0x1000);
	ck_assert_uint_eq(v->regs.pkru, 0x24);
	ck_assert_uint_eq(v->cpl, 3);
	ck_assert(v->eflags_ac);
	captured_free(&c);
	scenario_free(s);
}
END_TEST

START_TEST(test_load_fills_steps)
{
	struct scenario_diag d;
	struct captured c;
	struct scenario *s = load(full_doc, &c, &d);
	const struct scn_step *st;

	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->nr_steps, 5);
	st = &s->steps[0];
	ck_assert_int_eq(st->kind, STEP_ACCESS);
	ck_assert_int_eq(st->u.access.kind, ACCESS_READ);
	ck_assert_uint_eq(st->u.access.gva, 0x200008);
	ck_assert_uint_eq(st->u.access.size, 4);
	ck_assert_int_eq(st->u.access.cpl, -1);
	ck_assert_int_eq(st->u.access.eflags_ac, -1);
	ck_assert_int_eq(st->u.access.implicit, 0);
	ck_assert_int_eq(st->expect.kind, EXPECT_OK);
	ck_assert(st->expect.has_value);
	ck_assert_uint_eq(st->expect.value, 0x1234);
	st = &s->steps[1];
	ck_assert_int_eq(st->u.access.kind, ACCESS_WRITE);
	ck_assert_uint_eq(st->u.access.size, 8);
	ck_assert_uint_eq(st->u.access.value, 9);
	ck_assert_int_eq(st->u.access.cpl, 0);
	ck_assert_int_eq(st->u.access.eflags_ac, 0);
	ck_assert_int_eq(st->u.access.implicit, 1);
	ck_assert_int_eq(st->expect.kind, EXPECT_PF);
	ck_assert_uint_eq(st->expect.error_code, PFERR_PRESENT | PFERR_WRITE | PFERR_PK);
	st = &s->steps[2];
	ck_assert_int_eq(st->kind, STEP_WRITE_GPA);
	ck_assert_uint_eq(st->u.mem.gpa, 0x1000);
	ck_assert_uint_eq(st->u.mem.size, 2);
	ck_assert_uint_eq(st->u.mem.value, 0xffff);
	st = &s->steps[3];
	ck_assert_int_eq(st->kind, STEP_SET_REG);
	ck_assert_int_eq(st->u.set.reg, REG_CR3);
	ck_assert_uint_eq(st->u.set.value, 0x1000);
	ck_assert_int_eq(st->expect.kind, EXPECT_GP);
	st = &s->steps[4];
	ck_assert_int_eq(st->kind, STEP_INVLPG);
	ck_assert_uint_eq(st->vcpu, 3);
	ck_assert_uint_eq(st->u.invlpg.gva, 0x400000);
	ck_assert_int_eq(st->line, 21);
	captured_free(&c);
	scenario_free(s);
}
END_TEST

/* Each vCPU paging="" must give registers that core/x86 reads back as that mode. */
START_TEST(test_vcpu_paging_modes)
{
	static const struct {
		const char *paging;
		enum paging_mode mode;
		const struct pt_format *fmt;
	} modes[] = {
		{ "32-bit", PAGING_32, &pt_format_32 },
		{ "32-bit-pse", PAGING_32, &pt_format_32_pse },
		{ "pae", PAGING_PAE, &pt_format_pae },
		{ "4-level", PAGING_4LEVEL, &pt_format_4level },
		{ "5-level", PAGING_5LEVEL, &pt_format_5level },
	};
	char doc[1024];
	unsigned i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct scenario_diag d;
		struct captured c;
		struct scenario *s;
		struct walk_ctx ctx;
		enum paging_mode mode = PAGING_OFF;

		snprintf(doc, sizeof(doc),
			 "<scenario name='m'><vm><memslot id='0' base='0' size='1M'/></vm>"
			 "<page-tables name='t' paging='%s' root='0x1000'/>"
			 "<vcpu id='0' paging='%s' page-tables='t'/></scenario>",
			 modes[i].paging, modes[i].paging);
		s = load(doc, &c, &d);
		ck_assert_msg(s != NULL, "%s: %s", modes[i].paging, c.nr ? c.lines[0] : "?");
		ck_assert_ptr_eq(s->page_tables[0].fmt, modes[i].fmt);
		ck_assert_int_eq(paging_mode_of(&s->vcpus[0].regs, &mode), 0);
		ck_assert_int_eq(mode, modes[i].mode);
		ck_assert_int_eq(walk_ctx_init(&ctx, &s->vcpus[0].regs, &s->feat), 0);
		ck_assert_ptr_eq(ctx.fmt, modes[i].fmt);
		captured_free(&c);
		scenario_free(s);
	}
}
END_TEST

/* ---- messages for invalid files ------------------------------------------------------ */

#define VM "<vm maxphyaddr='36'><memslot id='0' base='0' size='4M'/></vm>\n"
#define PT "<page-tables name='t' paging='4-level' root='0x1000' pool='0x2000-0x8000'>" \
	   "<map va='0x400000' gpa='0x200000' flags='w'/></page-tables>\n"
#define CPU "<vcpu id='0' paging='4-level' page-tables='t'/>\n"

START_TEST(test_semantic_messages)
{
	assert_rejected("<scenario name='x'>\n<vm><memslot id='0' base='0' size='4M'/>\n"
			"<memslot id='1' base='0x3ff000' size='8K'/></vm></scenario>",
			"t.xml:3: error: memslot 1 [0x3ff000, 0x401000) overlaps memslot 0 "
			"[0x0, 0x400000) at line 2 (expected disjoint memslots)");
	assert_rejected("<scenario name='x'>\n" VM PT CPU "<steps>\n"
			"<read va='0x400ff9'/></steps></scenario>",
			"t.xml:6: error: the 8-byte read at va 0x400ff9 crosses a page boundary "
			"(expected it to fit in one 4K page)");
	assert_rejected("<scenario name='x'>\n" VM PT CPU "<steps>\n"
			"<write va='0x400000' size='2' value='0x10000'/></steps></scenario>",
			"t.xml:6: error: value 0x10000 is too wide for size=\"2\" (expected at most "
			"0xffff)");
	assert_rejected("<scenario name='x'>\n" VM PT "<vcpu id='0' paging='pae' page-tables='t'/>\n"
			"</scenario>",
			"t.xml:4: error: vcpu paging=\"pae\" cannot use page-tables \"t\", which are "
			"4-level (expected paging=\"4-level\")");
	assert_rejected("<scenario name='x'>\n" VM PT CPU "<steps>\n"
			"<read va='0xffff_0000_0000_0000' expect='gp'/>\n"
			"<read va='0x400000' cpl='3' expect='pf' error-code='p'/></steps></scenario>",
			"t.xml:7: error: error-code=\"p\" on a user-mode access (CPL 3): u is set "
			"exactly for user-mode accesses (expected a u; SDM 4.7)");
}
END_TEST

/* ---- memslot, dirty-log, host, MMIO and threads steps ---------------------------- */

static const char vm_steps_doc[] =
	"<scenario name='v'>\n"
	"<vm maxphyaddr='40'><memslot id='0' base='0' size='4M'/>\n"
	"<memslot id='1' base='0x400000' size='4M' flags='dirty-log' backing='2M'/>\n"
	"<mmio base='0xfee00000' size='0x100'/></vm>\n"
	"<page-tables name='t' paging='4-level' root='0x1000' pool='0x2000-0x8000'>\n"
	"<map va='0x400000' gpa='0x1000000' flags='w'/>\n"   /* created by a step */
	"<map va='0x401000' gpa='0xfee00000' flags='w'/></page-tables>\n"  /* MMIO */
	"<vcpu id='0' paging='4-level' page-tables='t'/>\n"
	"<vcpu id='3' paging='4-level' page-tables='t'/>\n"
	"<steps>\n"
	"<memslot-create id='5' base='0x1000000' size='2M' flags='readonly' backing='2M'/>\n"
	"<memslot-move id='5' base='0x1200000'/>\n"
	"<memslot-flags id='1' flags=''/>\n"
	"<memslot-flags id='1' flags='dirty-log'/>\n"
	"<get-dirty-log slot='1' expect='7 0x10-0x12 3 7'/>\n"
	"<get-dirty-log slot='1' expect=''/>\n"
	"<get-dirty-log slot='1'/>\n"
	"<clear-dirty-log slot='1' first='2' count='3'/>\n"
	"<host-change gpa='0x400000' size='2M' change='readonly'/>\n"
	"<host-age gpa='0x1000' size='4K' test-only='true'/>\n"
	"<threads>\n"
	"  <thread vcpu='3'><read va='0x400000'/><write va='0x401008' value='1'/></thread>\n"
	"  <thread vcpu='0'><fetch va='0x400010' vcpu='0' expect='ok'/></thread>\n"
	"</threads>\n"
	"<memslot-delete id='5'/>\n"
	"</steps></scenario>\n";

START_TEST(test_load_fills_vm_steps)
{
	struct scenario_diag d;
	struct captured c;
	struct scenario *s = load(vm_steps_doc, &c, &d);
	const struct scn_step *st;

	ck_assert_msg(s != NULL, "%s", c.nr ? c.lines[0] : "?");
	ck_assert_uint_eq(s->memslots[0].backing, MMU_LEVEL_4K);
	ck_assert_uint_eq(s->memslots[1].backing, MMU_LEVEL_2M);
	ck_assert_uint_eq(s->memslots[1].flags, MEMSLOT_DIRTY_LOG);
	ck_assert_uint_eq(s->nr_mmio, 1);
	ck_assert_uint_eq(s->mmio[0].base, 0xfee00000);
	ck_assert_uint_eq(s->mmio[0].size, 0x100);
	ck_assert_uint_eq(s->nr_steps, 15);
	st = s->steps;
	ck_assert_int_eq(st[0].kind, STEP_MEMSLOT_CREATE);
	ck_assert_uint_eq(st[0].u.slot.id, 5);
	ck_assert_uint_eq(st[0].u.slot.base_gpa, 0x1000000);
	ck_assert_uint_eq(st[0].u.slot.size, 0x200000);
	ck_assert_uint_eq(st[0].u.slot.flags, MEMSLOT_READONLY);
	ck_assert_uint_eq(st[0].u.slot.backing, MMU_LEVEL_2M);
	ck_assert_int_eq(st[1].kind, STEP_MEMSLOT_MOVE);
	ck_assert_uint_eq(st[1].u.slot.base_gpa, 0x1200000);
	ck_assert_int_eq(st[2].kind, STEP_MEMSLOT_FLAGS);
	ck_assert_uint_eq(st[2].u.slot.flags, 0);
	ck_assert_uint_eq(st[3].u.slot.flags, MEMSLOT_DIRTY_LOG);
	/* Pages sorted, each once; ranges expanded. */
	ck_assert_int_eq(st[4].kind, STEP_DIRTY_LOG_GET);
	ck_assert_int_eq(st[4].expect.kind, EXPECT_OK);
	ck_assert_uint_eq(st[4].u.dirty.nr_pages, 5);
	ck_assert_uint_eq(st[4].u.dirty.pages[0], 3);
	ck_assert_uint_eq(st[4].u.dirty.pages[1], 7);
	ck_assert_uint_eq(st[4].u.dirty.pages[2], 0x10);
	ck_assert_uint_eq(st[4].u.dirty.pages[4], 0x12);
	/* expect='' is "none dirty"; no expect is no expectation. */
	ck_assert_int_eq(st[5].expect.kind, EXPECT_OK);
	ck_assert_uint_eq(st[5].u.dirty.nr_pages, 0);
	ck_assert_int_eq(st[6].expect.kind, EXPECT_NONE);
	ck_assert_int_eq(st[7].kind, STEP_DIRTY_LOG_CLEAR);
	ck_assert_uint_eq(st[7].u.dirty.first, 2);
	ck_assert_uint_eq(st[7].u.dirty.count, 3);
	ck_assert_int_eq(st[8].kind, STEP_HOST_INVALIDATE);
	ck_assert_int_eq(st[8].u.host.change, HOST_READONLY);
	ck_assert_uint_eq(st[8].u.host.size, 0x200000);
	ck_assert_int_eq(st[9].kind, STEP_HOST_AGE);
	ck_assert(st[9].u.host.test_only);
	/* The group: a header, then each thread's accesses on its vCPU, in file order. */
	ck_assert_int_eq(st[10].kind, STEP_THREADS);
	ck_assert_uint_eq(st[10].u.threads.nr_steps, 3);
	ck_assert_int_eq(st[11].kind, STEP_ACCESS);
	ck_assert_uint_eq(st[11].vcpu, 3);
	ck_assert_int_eq(st[12].u.access.kind, ACCESS_WRITE);
	ck_assert_uint_eq(st[12].vcpu, 3);
	ck_assert_int_eq(st[13].u.access.kind, ACCESS_FETCH);
	ck_assert_uint_eq(st[13].vcpu, 0);
	ck_assert_int_eq(st[14].kind, STEP_MEMSLOT_DELETE);
	scenario_free(s);
	captured_free(&c);
}
END_TEST

/* A get-dirty-log knows where its slot is when it runs, after any move. */
START_TEST(test_get_dirty_log_records_its_slot_base)
{
	static const char doc[] =
		"<scenario name='b'><vm><memslot id='0' base='0' size='4M'/>\n"
		"<memslot id='1' base='0x400000' size='64K' flags='dirty-log'/></vm>\n"
		"<steps><get-dirty-log slot='1'/>\n"
		"<memslot-move id='1' base='0x600000'/>\n"
		"<get-dirty-log slot='1' expect=''/></steps></scenario>\n";
	struct scenario_diag d;
	struct captured c;
	struct scenario *s = load(doc, &c, &d);

	ck_assert_msg(s != NULL, "%s", c.nr ? c.lines[0] : "?");
	ck_assert_uint_eq(s->steps[0].u.dirty.slot_base, 0x400000);
	ck_assert_uint_eq(s->steps[2].u.dirty.slot_base, 0x600000);
	scenario_free(s);
	captured_free(&c);
}
END_TEST

#define VM2 "<vm maxphyaddr='36'><memslot id='0' base='0' size='4M'/>\n" \
	    "<memslot id='1' base='0x800000' size='64K' flags='dirty-log'/></vm>\n"
#define HEAD2 "<scenario name='x'>\n" VM2 PT CPU "<vcpu id='1' paging='4-level' page-tables='t'/>\n<steps>\n"

/* Each rule of check_layout.c and of threads, at the line of the step that breaks it. */
START_TEST(test_vm_step_messages)
{
	assert_rejected(HEAD2 "<memslot-delete id='1'/>\n<get-dirty-log slot='1'/></steps></scenario>",
			"t.xml:9: error: unknown memslot 1 (expected the id of a memslot that exists "
			"at this step)");
	assert_rejected(HEAD2 "<memslot-create id='2' base='0x80f000' size='8K'/></steps></scenario>",
			"t.xml:8: error: memslot 2 [0x80f000, 0x811000) overlaps memslot 1 "
			"[0x800000, 0x810000) of line 3 (expected disjoint memslots)");
	/* After a delete the range is free again, and the id too. */
	assert_rejected(HEAD2 "<memslot-delete id='1'/>\n<memslot-create id='1' base='0x80f000' size='8K'/>\n"
			"<memslot-move id='1' base='0x3ff000'/></steps></scenario>",
			"t.xml:10: error: memslot 1 [0x3ff000, 0x401000) overlaps memslot 0 "
			"[0x0, 0x400000) of line 2 (expected disjoint memslots)");
	assert_rejected(HEAD2 "<memslot-flags id='1' flags='dirty-log readonly'/></steps></scenario>",
			"t.xml:8: error: memslot-flags would set readonly on memslot 1 (expected only "
			"dirty-log to change; delete and re-create the slot instead)");
	assert_rejected(HEAD2 "<clear-dirty-log slot='0' first='0' count='1'/></steps></scenario>",
			"t.xml:8: error: memslot 0 does not log dirty pages at this step (expected "
			"flags=\"dirty-log\" on it, or a <memslot-flags> before)");
	assert_rejected(HEAD2 "<get-dirty-log slot='1' expect='0 16'/></steps></scenario>",
			"t.xml:8: error: expected dirty page 16 is beyond memslot 1, which has 16 pages "
			"(expected pages 0..15)");
	assert_rejected(HEAD2 "<get-dirty-log slot='1' expect='0 9-8'/></steps></scenario>",
			"t.xml:8: error: expect=: the range 9-8 runs backwards (expected FIRST-LAST "
			"with FIRST <= LAST)");
	assert_rejected(HEAD2 "<host-change gpa='0x810000' size='4K' change='remap'/></steps></scenario>",
			"t.xml:8: error: host-change gpa 0x810000 is outside every memslot (expected "
			"guest memory: an address inside a <memslot>)");
	assert_rejected(HEAD2 "<threads><thread vcpu='0'><invlpg va='0x400000'/></thread></threads>"
			"</steps></scenario>",
			"t.xml:8: error: <invlpg> in a <thread>: threads hold only accesses (expected "
			"read, write or fetch; put other steps before or after <threads>)");
	assert_rejected(HEAD2 "<threads><thread vcpu='0'><write va='0x400000' value='1'/></thread>\n"
			"<thread vcpu='1'><write va='0x400800' value='2'/></thread></threads>"
			"</steps></scenario>",
			"t.xml:9: error: this write of va 0x400800 on vcpu 1 races with the write of the "
			"same page on vcpu 0 at line 8 (expected threads to write only pages no other "
			"thread touches: results must not depend on the interleaving)");
	/* Paging off, the va is the gpa: MMIO is fine, a hole is not. */
	assert_rejected("<scenario name='x'>\n<vm><memslot id='0' base='0' size='4M'/>\n"
			"<mmio base='0x800000' size='8'/></vm>\n<vcpu id='0' paging='off'/>\n<steps>\n"
			"<read va='0x800000'/>\n<read va='0x800008'/></steps></scenario>",
			"t.xml:7: error: with paging off, va 0x800008 is outside every memslot "
			"(expected guest memory: an address inside a <memslot>)");
}
END_TEST

/* The CPL and the paging mode are followed through <set> steps. */
START_TEST(test_steps_follow_set)
{
	struct scenario_diag d;
	struct captured c;
	struct scenario *s;

	/* CR4 = PAE | LA57 switches to 5-level: a 57-bit va is then canonical. */
	s = load("<scenario name='x'>\n" VM PT CPU "<steps>\n"
		 "<read va='0x0080_0000_0000_0000' expect='gp'/>\n"
		 "<set reg='cr4' value='0x1020'/>\n"
		 "<read va='0x0080_0000_0000_0000' expect='pf' error-code='0'/>\n"
		 "<set reg='cpl' value='3'/>\n"
		 "<read va='0x0080_0000_0000_0000' expect='pf' error-code='u'/>\n"
		 "</steps></scenario>", &c, &d);
	ck_assert_msg(s != NULL, "%s", c.nr ? c.lines[0] : "?");
	captured_free(&c);
	scenario_free(s);
	/* Clearing CR0.PG leaves 32-bit linear addresses; the va is then too wide. */
	assert_rejected("<scenario name='x'>\n" VM PT CPU "<steps>\n"
			"<set reg='cr0' value='1'/>\n"
			"<read va='0x1_0000_0000'/></steps></scenario>",
			"t.xml:7: error: va 0x100000000 is beyond the 32-bit linear addresses with "
			"paging off (expected va < 0x100000000)");
}
END_TEST

/*
 * The ranges reserved for the kmod executor's guest (core/vm/reserved.h):
 * each paging mode's linear range for maps and accesses, followed through
 * <set>; the guest-physical range for memslots, memslot steps and MMIO.
 */
START_TEST(test_reserved_ranges)
{
	struct scenario_diag d;
	struct captured c;
	struct scenario *s;

	assert_rejected("<scenario name='x'>\n" VM
			"<page-tables name='t' paging='pae' root='0x1000' pool='0x2000-0x8000'>\n"
			"<map va='0xffe0_0000' gpa='0x200000' size='2M' flags='w'/></page-tables>\n"
			"</scenario>",
			"t.xml:4: error: map va 0xffe00000 is in [0xffe00000, 0x100000000), which pae "
			"paging reserves for the kmod executor's guest (expected an address outside it; "
			"see \"Reserved ranges\" in docs/scenario-format.md)");
	assert_rejected("<scenario name='x'>\n" VM
			"<page-tables name='t' paging='5-level' root='0x1000' pool='0x2000-0x8000'>\n"
			"<map va='0xffff_8000_0000_0000' gpa='0x200000' flags='w'/></page-tables>\n"
			"</scenario>",
			"t.xml:4: error: map va 0xffff800000000000 is in [0xffff000000000000, 2^64), "
			"which 5-level paging reserves for the kmod executor's guest (expected an address "
			"outside it; see \"Reserved ranges\" in docs/scenario-format.md)");
	assert_rejected("<scenario name='x'>\n" VM PT CPU "<steps>\n"
			"<read va='0xffff_ff7f_ffff_fff8' expect='pf' error-code='0'/></steps></scenario>",
			"t.xml:6: error: va 0xffffff7ffffffff8 is in [0xffffff0000000000, "
			"0xffffff8000000000), which 4-level paging reserves for the kmod executor's guest "
			"(expected an address outside it; see \"Reserved ranges\" in "
			"docs/scenario-format.md)");
	/* The same va is the guest's in 4-level paging, and reserved once PAE is on. */
	s = load("<scenario name='x'>\n" VM PT CPU "<steps>\n"
		 "<read va='0xffc0_0000' expect='pf' error-code='0'/></steps></scenario>", &c, &d);
	ck_assert_msg(s != NULL, "%s", c.nr ? c.lines[0] : "?");
	captured_free(&c);
	scenario_free(s);
	assert_rejected("<scenario name='x'>\n" VM PT CPU "<steps>\n"
			"<set reg='cr0' value='0x1'/>\n<set reg='efer' value='0'/>\n"
			"<set reg='cr0' value='0x80000001'/>\n"
			"<read va='0xffe0_0000' expect='pf' error-code='0'/></steps></scenario>",
			"t.xml:9: error: va 0xffe00000 is in [0xffe00000, 0x100000000), which pae paging "
			"reserves for the kmod executor's guest (expected an address outside it; see "
			"\"Reserved ranges\" in docs/scenario-format.md)");
	assert_rejected("<scenario name='x'>\n<vm><memslot id='0' base='0' size='4M'/>\n"
			"<mmio base='0xffff_f000' size='8'/></vm></scenario>",
			"t.xml:3: error: mmio [0xfffff000, 0xfffff008) overlaps [0xfff00000, "
			"0x100000000), the guest-physical range reserved for the kmod executor's guest "
			"(expected memory and devices outside it; see \"Reserved ranges\" in "
			"docs/scenario-format.md)");
	assert_rejected(HEAD2 "<memslot-delete id='1'/>\n<memslot-create id='1' base='0xffe0_0000' "
			"size='2M'/></steps></scenario>",
			"t.xml:9: error: memslot 1 [0xffe00000, 0x100000000) overlaps [0xfff00000, "
			"0x100000000), the guest-physical range reserved for the kmod executor's guest "
			"(expected memory and devices outside it; see \"Reserved ranges\" in "
			"docs/scenario-format.md)");
	assert_rejected(HEAD2 "<memslot-move id='1' base='0xffef_8000'/></steps></scenario>",
			"t.xml:8: error: memslot 1 [0xffef8000, 0xfff08000) overlaps [0xfff00000, "
			"0x100000000), the guest-physical range reserved for the kmod executor's guest "
			"(expected memory and devices outside it; see \"Reserved ranges\" in "
			"docs/scenario-format.md)");
}
END_TEST

/* Schema errors are all reported, each at its own line. */
START_TEST(test_all_schema_errors)
{
	struct scenario_diag d;
	struct captured c;
	struct scenario *s;

	s = load("<scenario name='x'>\n"
		 "<vm maxphyaddr='99'>\n"
		 "<memslot id='0' base='0' size='4M' colour='red'/></vm>\n"
		 "<vcpu id='0' paging='on'/>\n"
		 "</scenario>", &c, &d);
	ck_assert_ptr_null(s);
	ck_assert_uint_eq(d.nr_errors, 3);
	ck_assert_uint_eq(c.nr, 3);
	ck_assert_ptr_nonnull(strstr(c.lines[0], "t.xml:2: error: "));
	ck_assert_ptr_nonnull(strstr(c.lines[0], "maxphyaddr"));
	ck_assert_ptr_nonnull(strstr(c.lines[1], "t.xml:3: error: "));
	ck_assert_ptr_nonnull(strstr(c.lines[1], "colour"));
	ck_assert_ptr_nonnull(strstr(c.lines[2], "t.xml:4: error: "));
	ck_assert_ptr_nonnull(strstr(c.lines[2], "'on'"));
	captured_free(&c);
}
END_TEST

/* Independent semantic errors are all reported, up to the message cap. */
START_TEST(test_message_cap)
{
	size_t size = 200 * 64 + 512, len;
	char *doc = malloc(size);
	struct scenario_diag d;
	struct captured c;
	struct scenario *s;
	unsigned i;

	ck_assert_ptr_nonnull(doc);
	len = (size_t)snprintf(doc, size, "<scenario name='x'>" VM PT CPU "<steps>\n");
	for (i = 0; i < 150; i++)
		len += (size_t)snprintf(doc + len, size - len,
					"<write va='0x400000' size='1' value='0x100'/>\n");
	snprintf(doc + len, size - len, "</steps></scenario>");
	s = load(doc, &c, &d);
	ck_assert_ptr_null(s);
	ck_assert_uint_eq(d.nr_errors, 150);
	ck_assert_uint_eq(c.nr, SCN_LOAD_MAX_MESSAGES + 1);
	ck_assert_str_eq(c.lines[SCN_LOAD_MAX_MESSAGES],
			 "t.xml: error: too many errors; the rest are not shown");
	captured_free(&c);
	free(doc);
}
END_TEST

/* ---- safety ------------------------------------------------------------------------- */

START_TEST(test_doctype_rejected)
{
	/* An entity bomb: rejected at the DOCTYPE, before any entity is declared. */
	assert_rejected("<?xml version='1.0'?>\n<!DOCTYPE s [\n"
			"<!ENTITY a '0123456789'>\n<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n"
			"<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>\n]>\n"
			"<scenario name='x'>&c;</scenario>",
			"t.xml:2: error: a DOCTYPE is not allowed (expected no DTD: scenarios are "
			"checked against the built-in XSD)");
	/* An external entity: never fetched. */
	assert_rejected("<!DOCTYPE scenario SYSTEM 'file:///etc/passwd'>\n<scenario name='x'/>",
			"t.xml:1: error: a DOCTYPE is not allowed (expected no DTD: scenarios are "
			"checked against the built-in XSD)");
}
END_TEST

START_TEST(test_size_cap)
{
	size_t len = SCN_LOAD_MAX_FILE + 1;
	char *big = malloc(len);
	struct scenario_diag d = { capture, NULL, 0 };
	struct captured c = { NULL, 0 };

	ck_assert_ptr_nonnull(big);
	memset(big, ' ', len);
	d.ctx = &c;
	ck_assert_ptr_null(scenario_load_memory_diag(big, len, "big.xml", &d));
	ck_assert_uint_eq(c.nr, 1);
	ck_assert_str_eq(c.lines[0], "big.xml: error: the file is 16777217 bytes (expected at most 16 MiB)");
	captured_free(&c);
	free(big);
}
END_TEST

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_t;
#else
typedef xmlErrorPtr xml_error_t;
#endif

static void marker_handler(void *ctx, xml_error_t err)
{
	(void)ctx;
	(void)err;
}

static void marker_generic(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* The loader borrows libxml2's per-thread handlers and gives them back. */
START_TEST(test_handlers_restored)
{
	static int marker;
	struct scenario_diag d;
	struct captured c;
	struct scenario *s;

	xmlSetStructuredErrorFunc(&marker, marker_handler);
	xmlSetGenericErrorFunc(&marker, marker_generic);
	s = load("<scenario name='x'>" VM "</scenario>", &c, &d);
	ck_assert_ptr_nonnull(s);
	scenario_free(s);
	s = load("<scenario", &c, &d);
	ck_assert_ptr_null(s);
	ck_assert_ptr_eq(xmlStructuredError, marker_handler);
	ck_assert_ptr_eq(xmlStructuredErrorContext, &marker);
	ck_assert_ptr_eq(xmlGenericError, marker_generic);
	ck_assert_ptr_eq(xmlGenericErrorContext, &marker);
	captured_free(&c);
}
END_TEST

/* ---- the shipped files ----------------------------------------------------------------- */

START_TEST(test_shipped_scenarios_load)
{
	glob_t g;
	size_t i;

	ck_assert_int_eq(glob("scenarios/*.xml", 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 12);
	for (i = 0; i < g.gl_pathc; i++) {
		struct scenario_diag d = { capture, NULL, 0 };
		struct captured c = { NULL, 0 };
		struct scenario *s;

		d.ctx = &c;
		s = scenario_load_file_diag(g.gl_pathv[i], &d);
		ck_assert_msg(s != NULL, "%s", c.nr ? c.lines[0] : g.gl_pathv[i]);
		ck_assert_uint_ge(s->nr_steps, 1);
		scenario_free(s);
		captured_free(&c);
	}
	globfree(&g);
}
END_TEST

/* Each bad scenario fails with the first line its .expected file holds. */
START_TEST(test_bad_scenarios_match_expected)
{
	char want[768], path[512];
	glob_t g;
	size_t i;

	ck_assert_int_eq(glob("scenarios/bad/*.xml", 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 20);
	for (i = 0; i < g.gl_pathc; i++) {
		struct scenario_diag d = { capture, NULL, 0 };
		struct captured c = { NULL, 0 };
		FILE *f;

		snprintf(path, sizeof(path), "%.*s.expected",
			 (int)(strlen(g.gl_pathv[i]) - 4), g.gl_pathv[i]);
		f = fopen(path, "r");
		ck_assert_msg(f != NULL, "no %s", path);
		ck_assert_ptr_nonnull(fgets(want, sizeof(want), f));
		fclose(f);
		want[strcspn(want, "\n")] = '\0';
		d.ctx = &c;
		ck_assert_ptr_null(scenario_load_file_diag(g.gl_pathv[i], &d));
		ck_assert_uint_ge(c.nr, 1);
		ck_assert_str_eq(c.lines[0], want);
		captured_free(&c);
	}
	globfree(&g);
}
END_TEST

static Suite *loader_suite(void)
{
	Suite *s = suite_create("scenario loader");
	TCase *syntax = tcase_create("value syntax");
	TCase *valid = tcase_create("valid files");
	TCase *invalid = tcase_create("invalid files");
	TCase *safety = tcase_create("safety");
	TCase *shipped = tcase_create("shipped scenarios");

	tcase_add_test(syntax, test_parse_u64);
	tcase_add_test(syntax, test_parse_size);
	tcase_add_test(syntax, test_parse_bool_and_flags);
	tcase_add_test(syntax, test_parse_error_code);
	tcase_add_test(syntax, test_parse_range);
	tcase_add_test(valid, test_load_fills_structs);
	tcase_add_test(valid, test_load_fills_steps);
	tcase_add_test(valid, test_vcpu_paging_modes);
	tcase_add_test(valid, test_load_fills_vm_steps);
	tcase_add_test(valid, test_get_dirty_log_records_its_slot_base);
	tcase_add_test(invalid, test_semantic_messages);
	tcase_add_test(invalid, test_steps_follow_set);
	tcase_add_test(invalid, test_vm_step_messages);
	tcase_add_test(invalid, test_reserved_ranges);
	tcase_add_test(invalid, test_all_schema_errors);
	tcase_add_test(invalid, test_message_cap);
	tcase_add_test(safety, test_doctype_rejected);
	tcase_add_test(safety, test_size_cap);
	tcase_add_test(safety, test_handlers_restored);
	tcase_add_test(shipped, test_shipped_scenarios_load);
	tcase_add_test(shipped, test_bad_scenarios_match_expected);
	tcase_set_timeout(shipped, 30);
	suite_add_tcase(s, syntax);
	suite_add_tcase(s, valid);
	suite_add_tcase(s, invalid);
	suite_add_tcase(s, safety);
	suite_add_tcase(s, shipped);
	return s;
}

TEST_MAIN(loader_suite)
