#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/describe.h"
#include "core/x86/bits.h"
#include "hw/dirty_tables.h"
#include "hw/run.h"

const char *step_kind_name(const struct scn_step *st)
{
	static const char *const access_names[] = {
		[ACCESS_READ] = "read", [ACCESS_WRITE] = "write", [ACCESS_FETCH] = "fetch",
	};

	switch (st->kind) {
	case STEP_ACCESS: return access_names[st->u.access.kind];
	case STEP_WRITE_GPA: return "write-gpa";
	case STEP_CHECK_GPA: return "check-gpa";
	case STEP_SET_REG: return "set";
	case STEP_INVLPG: return "invlpg";
	case STEP_MEMSLOT_CREATE: return "memslot-create";
	case STEP_MEMSLOT_DELETE: return "memslot-delete";
	case STEP_MEMSLOT_MOVE: return "memslot-move";
	case STEP_MEMSLOT_FLAGS: return "memslot-flags";
	case STEP_DIRTY_LOG_GET: return "get-dirty-log";
	case STEP_DIRTY_LOG_CLEAR: return "clear-dirty-log";
	case STEP_HOST_INVALIDATE: return "host-change";
	case STEP_HOST_AGE: return "host-age";
	case STEP_THREADS: return "threads";
	}
	return "?";
}

bool step_has_vcpu(const struct scn_step *st)
{
	return st->kind == STEP_ACCESS || st->kind == STEP_SET_REG || st->kind == STEP_INVLPG;
}

const char *host_change_name(enum scn_host_change change)
{
	switch (change) {
	case HOST_RECLAIM: return "reclaim";
	case HOST_REMAP: return "remap";
	case HOST_READONLY: return "readonly";
	}
	return "?";
}

void describe_memslot_flags(uint32_t flags, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", flags & MEMSLOT_READONLY ? "readonly" : "",
		 (flags & MEMSLOT_READONLY) && (flags & MEMSLOT_DIRTY_LOG) ? " " : "",
		 flags & MEMSLOT_DIRTY_LOG ? "dirty-log" : "");
}

const char *backing_name(uint8_t backing)
{
	return backing == MMU_LEVEL_1G ? "1G" : backing == MMU_LEVEL_2M ? "2M" : "4K";
}

/* Memslot, dirty-log, host and threads steps (describe_step's other half). */
static void describe_vm_step(const struct scn_step *st, char *buf, size_t size)
{
	char flags[32];

	describe_memslot_flags(st->u.slot.flags, flags, sizeof(flags));
	switch (st->kind) {
	case STEP_MEMSLOT_CREATE:
		snprintf(buf, size, "id %u [0x%llx, +0x%llx) %s%sbacking %s", st->u.slot.id,
			 (unsigned long long)st->u.slot.base_gpa, (unsigned long long)st->u.slot.size,
			 flags, flags[0] ? " " : "", backing_name(st->u.slot.backing));
		return;
	case STEP_MEMSLOT_DELETE:
		snprintf(buf, size, "id %u", st->u.slot.id);
		return;
	case STEP_MEMSLOT_MOVE:
		snprintf(buf, size, "id %u to 0x%llx", st->u.slot.id,
			 (unsigned long long)st->u.slot.base_gpa);
		return;
	case STEP_MEMSLOT_FLAGS:
		snprintf(buf, size, "id %u flags \"%s\"", st->u.slot.id, flags);
		return;
	case STEP_DIRTY_LOG_GET:
		snprintf(buf, size, "slot %u", st->u.dirty.slot);
		return;
	case STEP_DIRTY_LOG_CLEAR:
		snprintf(buf, size, "slot %u pages %llu+%llu", st->u.dirty.slot,
			 (unsigned long long)st->u.dirty.first, (unsigned long long)st->u.dirty.count);
		return;
	case STEP_HOST_INVALIDATE:
	case STEP_HOST_AGE:
		snprintf(buf, size, "%s%s[0x%llx, +0x%llx)%s",
			 st->kind == STEP_HOST_AGE ? "" : host_change_name(st->u.host.change),
			 st->kind == STEP_HOST_AGE ? "" : " ",
			 (unsigned long long)st->u.host.gpa, (unsigned long long)st->u.host.size,
			 st->kind == STEP_HOST_AGE && st->u.host.test_only ? " test-only" : "");
		return;
	case STEP_THREADS:
		snprintf(buf, size, "%u accesses", st->u.threads.nr_steps);
		return;
	default:
		break;
	}
	buf[0] = '\0';
}

const char *reg_name(enum scn_reg reg)
{
	static const char *const names[] = {
		[REG_CR0] = "cr0", [REG_CR3] = "cr3", [REG_CR4] = "cr4", [REG_EFER] = "efer",
		[REG_PKRU] = "pkru", [REG_CPL] = "cpl", [REG_EFLAGS_AC] = "ac",
	};

	return names[reg];
}

const char *outcome_name(enum step_outcome outcome)
{
	switch (outcome) {
	case OUTCOME_DONE: return "done";
	case OUTCOME_OK: return "ok";
	case OUTCOME_PF: return "pf";
	case OUTCOME_GP: return "gp";
	}
	return "?";
}

void describe_error_code(uint32_t ec, char *buf, size_t size)
{
	static const struct { uint32_t bit; const char *name; } bits[] = {
		{ PFERR_PRESENT, "p" }, { PFERR_WRITE, "w" }, { PFERR_USER, "u" },
		{ PFERR_RSVD, "rsvd" }, { PFERR_FETCH, "f" }, { PFERR_PK, "pk" },
		{ PFERR_SS, "ss" },
	};
	size_t len = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (ec & bits[i].bit)
			len += snprintf(buf + len, len < size ? size - len : 0, "%s%s",
					len ? "|" : "", bits[i].name);
	if (!len)
		snprintf(buf, size, "0");
}

void describe_step(const struct scn_step *st, char *buf, size_t size)
{
	char who[16] = "";

	switch (st->kind) {
	case STEP_ACCESS:
		if (st->u.access.cpl >= 0)
			snprintf(who, sizeof(who), " cpl%d", st->u.access.cpl);
		snprintf(buf, size, "%u @ 0x%llx%s%s%s", st->u.access.size,
			 (unsigned long long)st->u.access.gva, who,
			 st->u.access.eflags_ac > 0 ? " ac" : "",
			 st->u.access.implicit > 0 ? " implicit" : "");
		if (st->u.access.kind == ACCESS_WRITE) {
			size_t len = strlen(buf);

			snprintf(buf + len, size - len, " = 0x%llx",
				 (unsigned long long)st->u.access.value);
		}
		return;
	case STEP_WRITE_GPA:
		snprintf(buf, size, "%u @ gpa 0x%llx = 0x%llx", st->u.mem.size,
			 (unsigned long long)st->u.mem.gpa, (unsigned long long)st->u.mem.value);
		return;
	case STEP_CHECK_GPA:
		snprintf(buf, size, "%u @ gpa 0x%llx", st->u.mem.size,
			 (unsigned long long)st->u.mem.gpa);
		return;
	case STEP_SET_REG:
		snprintf(buf, size, "%s = 0x%llx", reg_name(st->u.set.reg),
			 (unsigned long long)st->u.set.value);
		return;
	case STEP_INVLPG:
		snprintf(buf, size, "0x%llx", (unsigned long long)st->u.invlpg.gva);
		return;
	default:
		describe_vm_step(st, buf, size);
		return;
	}
}

void describe_result(const struct step_result *res, char *buf, size_t size)
{
	char ec[40];

	switch (res->outcome) {
	case OUTCOME_DONE:
		snprintf(buf, size, "done");
		return;
	case OUTCOME_OK:
		if (res->dirty) {
			size_t len = (size_t)snprintf(buf, size, "dirty ");

			describe_dirty_bitmap(res->dirty, res->dirty_pages, buf + len, size - len);
			if (!buf[len])
				snprintf(buf + len, size - len, "none");
		} else if (res->has_value && res->has_walk)
			snprintf(buf, size, "ok 0x%llx (gpa 0x%llx)", (unsigned long long)res->value,
				 (unsigned long long)res->gpa);
		else if (res->has_value)
			snprintf(buf, size, "ok 0x%llx", (unsigned long long)res->value);
		else
			snprintf(buf, size, "ok (gpa 0x%llx)", (unsigned long long)res->gpa);
		return;
	case OUTCOME_PF:
		describe_error_code(res->error_code, ec, sizeof(ec));
		snprintf(buf, size, "#PF %s (0x%x) cr2 0x%llx", ec, res->error_code,
			 (unsigned long long)res->cr2);
		return;
	case OUTCOME_GP:
		snprintf(buf, size, "#GP");
		return;
	}
	buf[0] = '\0';
}

/* Append to buf, which holds *len characters; output that does not fit is cut. */
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len + 1 >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

/* "dirty 1-3 5" or "dirty none" for the pages of one kind. */
static void append_pages(char *buf, size_t size, size_t *len, const char *prefix,
			 const struct dirty_diff *d, enum dirty_kind kind)
{
	char pages[96];

	describe_dirty_kind(d, kind, pages, sizeof(pages));
	append(buf, size, len, "%s%s", prefix, pages[0] ? pages : "none");
}

/*
 * A log against the strict one.  Within the rules, extra guest page-table
 * pages are shown apart: "dirty 4 (+1-3: guest page tables, written by
 * walks on npt)".  Outside them, the whole log and what is wrong with it.
 */
static void describe_dirty_diff(const struct dirty_diff *d, const char *walks, char *buf,
				size_t size)
{
	bool tables = dirty_diff_has(d, DIRTY_TABLES);
	const char *sep = " (";
	size_t len = 0;

	buf[0] = '\0';
	if (dirty_diff_allowed(d, walks)) {
		append_pages(buf, size, &len, "dirty ", d, DIRTY_STRICT);
		if (tables) {
			append_pages(buf, size, &len, " (+", d, DIRTY_TABLES);
			append(buf, size, &len, ": guest page tables, written by walks on %s)", walks);
		}
		return;
	}
	append_pages(buf, size, &len, "dirty ", d, DIRTY_LOGGED);
	if (dirty_diff_has(d, DIRTY_MISSING)) {
		append_pages(buf, size, &len, " (missing ", d, DIRTY_MISSING);
		sep = "; ";
	}
	if (tables) {
		append(buf, size, &len, "%s", sep);
		append_pages(buf, size, &len, "extra ", d, DIRTY_TABLES);
		if (walks)
			append(buf, size, &len, ": guest page tables, written by walks on %s", walks);
		else
			append(buf, size, &len, ": guest page tables, which walks here do not write");
		sep = "; ";
	}
	if (dirty_diff_has(d, DIRTY_OTHER)) {
		append(buf, size, &len, "%s", sep);
		append_pages(buf, size, &len, "extra ", d, DIRTY_OTHER);
		append(buf, size, &len, ": not guest page tables");
	}
	append(buf, size, &len, ")");
}

void describe_result_judged(const struct scenario *s, const struct scn_step *st,
			    const struct step_result *res, const struct step_result *ref,
			    const char *walks, char *buf, size_t size)
{
	struct dirty_diff d = {
		.s = s, .st = st, .log = res->dirty, .npages = res->dirty_pages,
		.strict = ref ? ref->dirty : NULL,
	};

	if (st->kind != STEP_DIRTY_LOG_GET || !res->dirty ||
	    (ref ? !ref->dirty || ref->dirty_pages != res->dirty_pages :
		   st->expect.kind == EXPECT_NONE)) {
		describe_result(res, buf, size);
		return;
	}
	describe_dirty_diff(&d, walks, buf, size);
}

void describe_expect(const struct scn_step *st, char *buf, size_t size)
{
	char ec[40];

	buf[0] = '\0';
	if (st->kind == STEP_CHECK_GPA) {
		snprintf(buf, size, "ok 0x%llx", (unsigned long long)st->u.mem.value);
		return;
	}
	if (st->kind == STEP_DIRTY_LOG_GET) {
		size_t len;

		if (st->expect.kind == EXPECT_NONE)
			return;
		len = (size_t)snprintf(buf, size, "dirty ");
		describe_page_list(st->u.dirty.pages, st->u.dirty.nr_pages, buf + len, size - len);
		if (!buf[len])
			snprintf(buf + len, size - len, "none");
		return;
	}
	switch (st->expect.kind) {
	case EXPECT_NONE:
		return;
	case EXPECT_OK:
		if (st->expect.has_value)
			snprintf(buf, size, "ok 0x%llx", (unsigned long long)st->expect.value);
		else
			snprintf(buf, size, "ok");
		return;
	case EXPECT_PF:
		describe_error_code(st->expect.error_code, ec, sizeof(ec));
		snprintf(buf, size, "#PF %s (0x%x) cr2 0x%llx", ec, st->expect.error_code,
			 (unsigned long long)st->u.access.gva);
		return;
	case EXPECT_GP:
		snprintf(buf, size, "#GP");
		return;
	}
}
