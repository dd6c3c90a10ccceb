/*
 * hw/sim/threads.c — a STEP_THREADS group: one pthread per vCPU of the
 * group, each running that vCPU's steps in their order, all at once.
 *
 * The vCPUs fault into the MMU in parallel (the TDP backend takes its
 * faults under the read side of the MMU lock); each touches only its own
 * sim_vcpu, and the MMU's remote flushes reach the others' TLBs under
 * their mutexes.
 */
#include <string.h>

#include "core/errors.h"
#include "hw/sim/sim.h"

/* One vCPU's share of the group. */
struct sim_thread {
	struct sim *sim;                 /* the executor */
	uint32_t vcpu;                   /* whose steps these are */
	const struct scn_step *steps;    /* the whole group */
	unsigned n;                      /* steps in the group */
	struct step_result *res;         /* the group's results, by step index */
	int ret;                         /* 0, or the error that stopped this thread */
	unsigned failed_at;              /* index of the step that failed */
	struct exec_error err;           /* what failed */
};

static void *sim_thread_main(void *arg)
{
	struct sim_thread *t = arg;
	unsigned i;

	for (i = 0; i < t->n; i++) {
		const struct scn_step *st = &t->steps[i];

		if (st->vcpu != t->vcpu)
			continue;
		t->res[i] = (struct step_result){ .outcome = OUTCOME_DONE };
		t->ret = sim_access(t->sim, st, &t->res[i], &t->err);
		if (t->ret) {
			t->failed_at = i;
			break;
		}
	}
	return NULL;
}

/* Did the group already give vCPU `id` a thread among steps [0, i)? */
static bool seen_before(const struct scn_step *steps, unsigned i)
{
	unsigned j;

	for (j = 0; j < i; j++)
		if (steps[j].vcpu == steps[i].vcpu)
			return true;
	return false;
}

/* Join every started thread; the earliest failing step's error wins. */
static int sim_join(struct sim_thread *t, unsigned nr, pthread_t *tid, struct exec_error *err)
{
	unsigned i, first = 0;
	int ret = 0;

	for (i = 0; i < nr; i++) {
		pthread_join(tid[i], NULL);
		if (t[i].ret && (!ret || t[i].failed_at < first)) {
			ret = t[i].ret;
			first = t[i].failed_at;
			*err = t[i].err;
		}
	}
	return ret;
}

int sim_run_threads(void *state, const struct scn_step *steps, unsigned n,
		    struct step_result *res, struct exec_error *err)
{
	struct sim_thread *t = plat_zalloc(MMU_MAX_VCPUS * sizeof(*t));
	pthread_t *tid = plat_zalloc(MMU_MAX_VCPUS * sizeof(*tid));
	unsigned i, nr = 0;
	int ret = 0, joined;

	if (!t || !tid)
		ret = sim_error(err, n ? steps[0].line : 0, MMU_ENOMEM, "a threads group");
	for (i = 0; i < n && !ret; i++)
		if (steps[i].kind != STEP_ACCESS)
			ret = sim_error(err, steps[i].line, MMU_EINVAL,
					"only accesses run in a threads group");
	for (i = 0; i < n && !ret; i++) {
		if (seen_before(steps, i))
			continue;
		t[nr] = (struct sim_thread){
			.sim = state, .vcpu = steps[i].vcpu, .steps = steps, .n = n, .res = res,
		};
		if (pthread_create(&tid[nr], NULL, sim_thread_main, &t[nr]))
			ret = sim_error(err, steps[i].line, MMU_ENOMEM,
					"starting a thread for vCPU %u", steps[i].vcpu);
		else
			nr++;
	}
	/* A failure to start a thread is reported over the steps' own errors. */
	if (ret) {
		struct exec_error ignored;

		sim_join(t, nr, tid, &ignored);
	} else {
		joined = sim_join(t, nr, tid, err);
		ret = joined;
	}
	plat_free(t);
	plat_free(tid);
	return ret;
}
