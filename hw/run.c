/*
 * hw/run.c — run a scenario on one executor, and judge its expectations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/platform.h"
#include "hw/dirty_tables.h"
#include "hw/run.h"

bool step_has_expectation(const struct scn_step *st)
{
	return st->kind == STEP_CHECK_GPA || st->expect.kind != EXPECT_NONE;
}

bool step_expectation_met(const struct scenario *s, const struct scn_step *st,
			  const struct step_result *res, const char *walks)
{
	const struct scn_expect *e = &st->expect;

	if (st->kind == STEP_CHECK_GPA)
		return res->outcome == OUTCOME_OK && res->value == st->u.mem.value;
	if (st->kind == STEP_DIRTY_LOG_GET) {
		struct dirty_diff d = {
			.s = s, .st = st, .log = res->dirty, .npages = res->dirty_pages,
		};

		if (e->kind == EXPECT_NONE)
			return true;
		return res->outcome == OUTCOME_OK && res->dirty && dirty_diff_allowed(&d, walks);
	}
	switch (e->kind) {
	case EXPECT_NONE:
		return true;
	case EXPECT_OK:
		if (st->kind == STEP_SET_REG)
			return res->outcome == OUTCOME_DONE;
		return res->outcome == OUTCOME_OK && (!e->has_value || res->value == e->value);
	case EXPECT_PF:
		/* CR2 is guest-visible too: it must hold the faulting address. */
		return res->outcome == OUTCOME_PF && res->error_code == e->error_code &&
		       st->kind == STEP_ACCESS && res->cr2 == st->u.access.gva;
	case EXPECT_GP:
		return res->outcome == OUTCOME_GP;
	}
	return false;
}

/* Append "A" or "A-B" for a run of pages, keeping room for "..." when it does not fit. */
static void append_run(char *buf, size_t size, size_t *len, uint64_t first, uint64_t last)
{
	char item[48];
	int n;

	if (*len >= size)
		return;
	if (first == last)
		n = snprintf(item, sizeof(item), "%s%llu", *len ? " " : "", (unsigned long long)first);
	else
		n = snprintf(item, sizeof(item), "%s%llu-%llu", *len ? " " : "",
			     (unsigned long long)first, (unsigned long long)last);
	if (*len + (size_t)n + 4 >= size) {
		snprintf(buf + *len, size - *len, "%s...", *len ? " " : "");
		*len = size;
		return;
	}
	memcpy(buf + *len, item, (size_t)n + 1);
	*len += (size_t)n;
}

void describe_page_bits(uint64_t (*word)(const void *ctx, uint64_t w), const void *ctx,
			uint64_t npages, char *buf, size_t size)
{
	uint64_t i, first = 0, bits = 0;
	bool in_run = false;
	size_t len = 0;

	buf[0] = '\0';
	for (i = 0; i < npages; i++) {
		bool set;

		if (i % 64 == 0) {
			bits = word(ctx, i / 64);
			/* Skip whole clean words quickly: bitmaps of big slots are mostly zero. */
			if (!bits && !in_run) {
				i += 63;
				continue;
			}
		}
		set = bits >> (i % 64) & 1;
		if (set && !in_run)
			first = i;
		else if (!set && in_run)
			append_run(buf, size, &len, first, i - 1);
		in_run = set;
	}
	if (in_run)
		append_run(buf, size, &len, first, npages - 1);
}

static uint64_t bitmap_word(const void *bitmap, uint64_t w)
{
	return ((const uint64_t *)bitmap)[w];
}

void describe_dirty_bitmap(const uint64_t *bitmap, uint64_t npages, char *buf, size_t size)
{
	buf[0] = '\0';
	if (bitmap)
		describe_page_bits(bitmap_word, bitmap, npages, buf, size);
}

void describe_page_list(const uint64_t *pages, unsigned n, char *buf, size_t size)
{
	size_t len = 0;
	unsigned i = 0;

	buf[0] = '\0';
	while (i < n) {
		unsigned j = i;

		while (j + 1 < n && pages[j + 1] == pages[j] + 1)
			j++;
		append_run(buf, size, &len, pages[i], pages[j]);
		i = j + 1;
	}
}

static void judge(struct run_report *r, unsigned i)
{
	const struct scn_step *st = &r->s->steps[i];

	r->nr_run++;
	if (step_has_expectation(st)) {
		r->nr_checked++;
		r->mismatch[i] = !step_expectation_met(r->s, st, &r->results[i], r->walks);
		r->nr_mismatches += r->mismatch[i];
	}
}

/* A STEP_THREADS group at i: one call for all its steps (sequentially if the executor has no threads). */
static int run_group(const struct executor_ops *ex, void *state, struct run_report *r,
		     unsigned i)
{
	const struct scenario *s = r->s;
	unsigned n = s->steps[i].u.threads.nr_steps, k;

	r->results[i] = (struct step_result){ .outcome = OUTCOME_DONE };
	if (n > s->nr_steps - i - 1) {
		r->error.line = s->steps[i].line;
		snprintf(r->error.what, sizeof(r->error.what),
			 "internal error: a threads group of %u steps runs past the last step", n);
		return 1;
	}
	if (ex->run_threads) {
		if (ex->run_threads(state, &s->steps[i + 1], n, &r->results[i + 1], &r->error))
			return 1;
	} else {
		for (k = 0; k < n; k++)
			if (ex->step(state, &s->steps[i + 1 + k], &r->results[i + 1 + k], &r->error))
				return 1;
	}
	for (k = 0; k <= n; k++)
		judge(r, i + k);
	return 0;
}

int run_scenario(const struct executor_ops *ex, const struct exec_config *cfg,
		 const struct scenario *s, struct run_report *r)
{
	uint64_t start = plat_now_ns();
	void *state = NULL;
	unsigned i;

	memset(r, 0, sizeof(*r));
	r->s = s;
	r->ex = ex;
	r->walks = exec_walks_write_tables(cfg);
	r->results = calloc(s->nr_steps ? s->nr_steps : 1, sizeof(*r->results));
	r->mismatch = calloc(s->nr_steps ? s->nr_steps : 1, sizeof(*r->mismatch));
	if (!r->results || !r->mismatch) {
		r->failed = true;
		strcpy(r->error.what, "out of memory for the run report");
		return 1;
	}
	if (ex->open(s, cfg, &state, &r->error)) {
		r->failed = true;
		return 1;
	}
	for (i = 0; i < s->nr_steps; i++) {
		const struct scn_step *st = &s->steps[i];

		if (st->kind == STEP_THREADS) {
			if (run_group(ex, state, r, i)) {
				r->failed = true;
				break;
			}
			i += st->u.threads.nr_steps;
			continue;
		}
		if (ex->step(state, st, &r->results[i], &r->error)) {
			r->failed = true;
			break;
		}
		judge(r, i);
	}
	if (ex->costs)
		ex->costs(state, &r->costs);
	if (ex->trace && cfg->mmu.trace) {
		r->trace = calloc(MMU_TRACE_RING, sizeof(*r->trace));
		if (r->trace)
			r->nr_trace = ex->trace(state, r->trace, MMU_TRACE_RING);
	}
	ex->close(state);
	r->elapsed_ns = plat_now_ns() - start;
	return r->failed;
}

void run_report_free(struct run_report *r)
{
	unsigned i;

	/* Every result was zeroed by calloc or filled by a step: dirty is NULL or the log. */
	for (i = 0; r->results && i < r->s->nr_steps; i++)
		plat_free(r->results[i].dirty);
	free(r->results);
	free(r->mismatch);
	free(r->trace);
	r->results = NULL;
	r->mismatch = NULL;
	r->trace = NULL;
}
