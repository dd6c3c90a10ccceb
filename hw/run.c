#include <stdlib.h>
#include <string.h>

#include "core/platform.h"
#include "hw/run.h"

bool step_has_expectation(const struct scn_step *st)
{
	return st->kind == STEP_CHECK_GPA || st->expect.kind != EXPECT_NONE;
}

bool step_expectation_met(const struct scn_step *st, const struct step_result *res)
{
	const struct scn_expect *e = &st->expect;

	if (st->kind == STEP_CHECK_GPA)
		return res->outcome == OUTCOME_OK && res->value == st->u.mem.value;
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

int run_scenario(const struct executor_ops *ex, const struct exec_config *cfg,
		 const struct scenario *s, struct run_report *r)
{
	uint64_t start = plat_now_ns();
	void *state = NULL;
	unsigned i;

	memset(r, 0, sizeof(*r));
	r->s = s;
	r->ex = ex;
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

		if (ex->step(state, st, &r->results[i], &r->error)) {
			r->failed = true;
			break;
		}
		r->nr_run++;
		if (step_has_expectation(st)) {
			r->nr_checked++;
			r->mismatch[i] = !step_expectation_met(st, &r->results[i]);
			r->nr_mismatches += r->mismatch[i];
		}
	}
	ex->close(state);
	r->elapsed_ns = plat_now_ns() - start;
	return r->failed;
}

void run_report_free(struct run_report *r)
{
	free(r->results);
	free(r->mismatch);
	r->results = NULL;
	r->mismatch = NULL;
}
