/*
 * cli/bench_hw.c — the measurements and the report of `mmulab bench --hw
 * kmod` (see bench_hw.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/bench_hw.h"
#include "core/platform.h"
#include "core/x86/bits.h"
#include "core/x86/format.h"

#define HW_MAXPHYADDR	46
/* vCPU 1's tables: a root, a pool, one user page mapped. */
#define HW_PT_ROOT	0x1000ULL
#define HW_PT_POOL	0x2000ULL
#define HW_PT_POOL_END	0x10000ULL
#define HW_DATA_GPA	0x200000ULL
#define HW_MAPPED_VA	0x400000ULL
#define HW_UNMAPPED_VA	0x800000ULL	/* under a PDE that is not present */
#define HW_USER_ACCESSES 1000
#define HW_VCPU_FLAT	0		/* paging off: gva == gpa */
#define HW_VCPU_USER	1		/* 4-level paging, CPL 3 */

/* The VM both workloads run on, as the loader would have built it from a file. */
struct hw_scenario {
	struct scenario s;
	struct scn_page_tables pt;
	struct scn_mapping map;
};

static void hw_scenario_init(struct hw_scenario *h, uint64_t bytes)
{
	memset(h, 0, sizeof(*h));
	h->s.file = "(mmulab bench)";
	h->s.name = "bench-hw";
	h->s.feat = (struct x86_cpu_features){ .maxphyaddr = HW_MAXPHYADDR };
	h->s.memslots[0] = (struct scn_memslot){ .size = bytes, .backing = MMU_LEVEL_4K };
	h->s.nr_memslots = 1;
	h->map = (struct scn_mapping){ .va = HW_MAPPED_VA, .gpa = HW_DATA_GPA, .level = 1,
				       .acc = ACC_ALL, .table_acc = ACC_ALL };
	h->pt = (struct scn_page_tables){ .name = "bench", .fmt = &pt_format_4level,
					  .root = HW_PT_ROOT, .pool_start = HW_PT_POOL,
					  .pool_end = HW_PT_POOL_END, .maps = &h->map, .nr_maps = 1 };
	h->s.page_tables = &h->pt;
	h->s.nr_page_tables = 1;
	h->s.vcpus[0] = (struct scn_vcpu){ .id = HW_VCPU_FLAT, .regs = { .cr0 = CR0_PE } };
	h->s.vcpus[1] = (struct scn_vcpu){
		.id = HW_VCPU_USER, .cpl = 3,
		.regs = { .cr0 = CR0_PE | CR0_WP | CR0_PG, .cr3 = HW_PT_ROOT, .cr4 = CR4_PAE,
			  .efer = EFER_LME | EFER_LMA },
	};
	h->s.nr_vcpus = 2;
}

/* n reads of 8 bytes by vCPU `vcpu`: at va, va + stride, ... */
static struct scn_step *hw_reads(uint32_t vcpu, uint64_t va, uint64_t stride, uint64_t n)
{
	struct scn_step *st = calloc(n, sizeof(*st));
	uint64_t i;

	for (i = 0; st && i < n; i++) {
		st[i].kind = STEP_ACCESS;
		st[i].vcpu = vcpu;
		st[i].u.access.kind = ACCESS_READ;
		st[i].u.access.gva = va + i * stride;
		st[i].u.access.size = 8;
		st[i].u.access.cpl = -1;
		st[i].u.access.eflags_ac = -1;
	}
	return st;
}

static void costs_sub(struct exec_costs *d, const struct exec_costs *a, const struct exec_costs *b)
{
	unsigned i;

	*d = *a;
	for (i = 0; i < EXEC_NR_EXITS; i++)
		d->exits[i] = a->exits[i] - b->exits[i];
	for (i = 0; i < MMU_NR_STATS; i++)
		d->mmu.v[i] = a->mmu.v[i] - b->mmu.v[i];
	d->vm_entries = a->vm_entries - b->vm_entries;
	d->tsc_guest = a->tsc_guest - b->tsc_guest;
	d->tsc_exits = a->tsc_exits - b->tsc_exits;
}

/* Run steps[0..n) and time them; every one must end as `want`, or the pass failed. */
static int hw_pass(const struct executor_ops *ex, void *state, const struct scn_step *steps,
		   uint64_t n, enum step_outcome want, struct hw_pass *p, struct exec_error *err)
{
	struct exec_costs before = { 0 }, after = { 0 };
	struct step_result res;
	uint64_t i, t0;

	if (ex->costs)
		ex->costs(state, &before);
	t0 = plat_now_ns();
	for (i = 0; i < n; i++) {
		if (ex->step(state, &steps[i], &res, err))
			return -1;
		if (res.outcome != want) {
			snprintf(err->what, sizeof(err->what),
				 "%s: read at %#llx ended as outcome %d, not %d", ex->name,
				 (unsigned long long)steps[i].u.access.gva, res.outcome, want);
			return -1;
		}
	}
	p->ns = plat_now_ns() - t0;
	p->accesses = n;
	if (ex->costs)
		ex->costs(state, &after);
	costs_sub(&p->delta, &after, &before);
	return 0;
}

int bench_hw_measure(const struct target *t, uint64_t bytes, struct hw_figures *f,
		     struct exec_error *err)
{
	struct hw_scenario *h = malloc(sizeof(*h));
	uint64_t pages = bytes / PAGE_SIZE_4K;
	struct scn_step *touch = hw_reads(HW_VCPU_FLAT, 0, PAGE_SIZE_4K, pages);
	struct scn_step *pf = hw_reads(HW_VCPU_USER, HW_UNMAPPED_VA, 0, HW_USER_ACCESSES);
	struct scn_step *ok = hw_reads(HW_VCPU_USER, HW_MAPPED_VA, 0, HW_USER_ACCESSES);
	void *state = NULL;
	int ret = -1;

	memset(f, 0, sizeof(*f));
	memset(err, 0, sizeof(*err));
	if (!h || !touch || !pf || !ok) {
		snprintf(err->what, sizeof(err->what), "out of memory");
		goto out;
	}
	hw_scenario_init(h, bytes);
	if (t->ex->open(&h->s, &t->cfg, &state, err))
		goto out;
	if (!hw_pass(t->ex, state, touch, pages, OUTCOME_OK, &f->touch, err) &&
	    !hw_pass(t->ex, state, touch, pages, OUTCOME_OK, &f->retouch, err) &&
	    !hw_pass(t->ex, state, pf, HW_USER_ACCESSES, OUTCOME_PF, &f->user_pf, err) &&
	    !hw_pass(t->ex, state, ok, HW_USER_ACCESSES, OUTCOME_OK, &f->user_ok, err))
		ret = 0;
	t->ex->close(state);
out:
	free(touch);
	free(pf);
	free(ok);
	free(h);
	return ret;
}

/* ---- the report ---------------------------------------------------------------- */

static double per(uint64_t v, uint64_t n)
{
	return n ? (double)v / (double)n : 0.0;
}

/* TSC ticks of the world switch in a pass: in the guest and handling exits. */
static uint64_t tsc_of(const struct hw_pass *p)
{
	return p->delta.tsc_guest + p->delta.tsc_exits;
}

/* One row: its label, then for each target the sim column and the hardware one. */
typedef double (*hw_figure_fn)(const struct hw_figures *f, bool hw);

static double ns_touch(const struct hw_figures *f, bool hw)
{
	(void)hw;
	return per(f->touch.ns, f->touch.accesses);
}

static double ns_retouch(const struct hw_figures *f, bool hw)
{
	(void)hw;
	return per(f->retouch.ns, f->retouch.accesses);
}

/* The first touch minus the second, per TDP fault: the fault's round trip. */
static double ns_fault(const struct hw_figures *f, bool hw)
{
	uint64_t faults = f->touch.delta.mmu.v[MMU_STAT_PF_TAKEN];

	(void)hw;
	return f->touch.ns > f->retouch.ns ? per(f->touch.ns - f->retouch.ns, faults) : 0.0;
}

static double faults_per_s(const struct hw_figures *f, bool hw)
{
	double ns = ns_fault(f, hw);

	return ns > 0 ? 1e9 / ns : 0.0;
}

static double tsc_fault(const struct hw_figures *f, bool hw)
{
	uint64_t a = tsc_of(&f->touch), b = tsc_of(&f->retouch);
	uint64_t faults = f->touch.delta.mmu.v[MMU_STAT_PF_TAKEN];

	return hw && a > b ? per(a - b, faults) : 0.0;
}

static double tsc_handling(const struct hw_figures *f, bool hw)
{
	uint64_t reentries = f->touch.delta.exits[EXEC_EXIT_TDP_VIOLATION];

	return hw ? per(f->touch.delta.tsc_exits, reentries) : 0.0;
}

static double ns_user_pf(const struct hw_figures *f, bool hw)
{
	(void)hw;
	return per(f->user_pf.ns, f->user_pf.accesses);
}

static double ns_user_ok(const struct hw_figures *f, bool hw)
{
	(void)hw;
	return per(f->user_ok.ns, f->user_ok.accesses);
}

static double tsc_user_pf(const struct hw_figures *f, bool hw)
{
	return hw ? per(tsc_of(&f->user_pf), f->user_pf.delta.vm_entries) : 0.0;
}

static const struct {
	const char *label;
	hw_figure_fn fn;
	bool hw_only;   /* the simulator has no TSC of its own to report */
} rows[] = {
	{ "populate: ns per read, first touch", ns_touch, false },
	{ "populate: ns per read, mapped", ns_retouch, false },
	{ "TDP fault round trip (ns)", ns_fault, false },
	{ "TDP faults per second", faults_per_s, false },
	{ "TDP fault round trip (TSC ticks)", tsc_fault, true },
	{ "  of which the host handling it", tsc_handling, true },
	{ "CPL-3 read taking #PF: ns", ns_user_pf, false },
	{ "CPL-3 read completing: ns", ns_user_ok, false },
	{ "#PF intercept entry+exit (TSC ticks)", tsc_user_pf, true },
};

void bench_hw_print(const char *machine, const struct target *targets, unsigned n,
		    const struct hw_figures *sim, const struct hw_figures *hw)
{
	unsigned r, i;

	printf("mmulab bench --hw %s on %s\n", n ? targets[0].ex->name : "?", machine);
	printf("Every figure from an emulator (QEMU TCG, Bochs) is the emulator's, not a CPU's:\n"
	       "compare backends and executors within one run, never with hardware.\n\n");
	printf("%-40s", "");
	for (i = 0; i < n; i++) {
		char sim_col[80], hw_col[80];

		snprintf(sim_col, sizeof(sim_col), "%s sim", targets[i].name);
		snprintf(hw_col, sizeof(hw_col), "%s %s", targets[i].name, targets[i].ex->name);
		printf(" %18s %18s", sim_col, hw_col);
	}
	printf("\n");
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		printf("%-40s", rows[r].label);
		for (i = 0; i < n; i++) {
			if (rows[r].hw_only)
				printf(" %18s", "-");
			else
				printf(" %18.0f", rows[r].fn(&sim[i], false));
			printf(" %18.0f", rows[r].fn(&hw[i], true));
		}
		printf("\n");
	}
	for (i = 0; i < n; i++)
		printf("\n%s on %s: %llu TDP faults, %llu VM entries, TSC %llu kHz\n",
		       targets[i].name, targets[i].ex->name,
		       (unsigned long long)hw[i].touch.delta.mmu.v[MMU_STAT_PF_TAKEN],
		       (unsigned long long)(hw[i].touch.delta.vm_entries +
					    hw[i].retouch.delta.vm_entries +
					    hw[i].user_pf.delta.vm_entries +
					    hw[i].user_ok.delta.vm_entries),
		       (unsigned long long)hw[i].touch.delta.tsc_khz);
}
