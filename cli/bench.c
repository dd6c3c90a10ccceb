/*
 * cli/bench.c — the measurements behind `mmulab bench` (see bench.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/bench.h"
#include "core/errors.h"
#include "core/vm/vm.h"
#include "core/x86/bits.h"

#define BENCH_MAXPHYADDR 46
#define BATCH 512             /* faults timed together: one clock read per batch */
#define MAX_THREADS 8
/*
 * Wall-clock figures are the best of this many runs: on a shared (often
 * virtual) machine the noise is one-sided, the best run is the machine.
 */
#define REPEATS 5

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The bench drives the MMU directly, so there are no CPU TLBs to flush. */
static void no_tlbs(void *opaque)
{
	(void)opaque;
}

static uint64_t pages_per_leaf(int level)
{
	return 1ULL << (9 * (level - 1));
}

/* A VM with one memslot of `bytes` at gpa 0 and `nr_vcpus` vCPUs (paging off). */
static struct vm *bench_vm(const struct target *t, uint64_t bytes, int backing,
			   unsigned nr_vcpus, bool eager)
{
	struct x86_cpu_features feat = { .maxphyaddr = BENCH_MAXPHYADDR, .gbpages = true };
	struct x86_paging_regs regs = { 0 };
	struct mmu_config cfg = t->cfg.mmu;
	struct vm *vm = vm_create(&feat);
	unsigned i;

	cfg.maxphyaddr = feat.maxphyaddr;
	cfg.gbpages = feat.gbpages;
	cfg.eager_split = eager;
	if (!vm || vm_memslot_create(vm, 0, 0, bytes, 0, backing))
		goto fail;
	for (i = 0; i < nr_vcpus; i++)
		if (vcpu_create(vm, i, &regs, 0, false))
			goto fail;
	if (vm_attach_mmu(vm, t->cfg.backend, &cfg, no_tlbs, NULL))
		goto fail;
	for (i = 0; i < nr_vcpus; i++)
		if (mmu_load(vm->vcpus[i]->mmu))
			goto fail;
	return vm;
fail:
	vm_destroy(vm);
	return NULL;
}

/* Touch every guest page so the timed faults find their frames allocated. */
static uint64_t prealloc(struct vm *vm, uint64_t npages, uint64_t step)
{
	uint64_t start = now_ns(), gfn;
	hpa_t hpa;
	bool writable;

	for (gfn = 0; gfn < npages; gfn += step)
		if (vm_gfn_to_hpa(vm, gfn, true, &hpa, &writable))
			return 0;
	return now_ns() - start;
}

/* One fault as an EPT violation / #NPF would raise it; 0 or MMU_E*. */
static int fault_gfn(struct mmu_vcpu *v, uint64_t gfn, enum access_kind kind)
{
	struct mmu_fault f = { .addr = gfn << PAGE_SHIFT, .access = kind };
	int ret = mmu_page_fault(v, &f);

	if (!ret && f.outcome == MMU_FAULT_MMIO)
		ret = MMU_EINVAL;
	return ret;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void read_mapping(const struct vm *vm, struct populate_result *r)
{
	struct mmu_stats st;

	mmu_stats_read(vm->mmu, &st);
	r->mapped_4k = st.v[MMU_STAT_MAPPED_4K] + st.v[MMU_STAT_MAPPED_2M] * pages_per_leaf(2) +
		       st.v[MMU_STAT_MAPPED_1G] * pages_per_leaf(3);
	r->mmu_bytes = st.v[MMU_STAT_MEM_LIVE];
}

struct populate_result bench_populate(const struct target *t, uint64_t bytes, int backing)
{
	struct populate_result r = { 0 };
	uint64_t npages = bytes >> PAGE_SHIFT, step = pages_per_leaf(backing);
	uint64_t nfaults = npages / step, nbatches, b, i, *samples;
	struct vm *vm = bench_vm(t, bytes, backing, 1, false);

	if (!vm) {
		r.failed = MMU_ENOMEM;
		return r;
	}
	r.alloc_ns_per_page = prealloc(vm, npages, step) / (nfaults ? nfaults : 1);
	nbatches = (nfaults + BATCH - 1) / BATCH;
	samples = calloc(nbatches ? nbatches : 1, sizeof(*samples));
	for (b = 0; samples && b < nbatches && !r.failed; b++) {
		uint64_t first = b * BATCH, n = nfaults - first < BATCH ? nfaults - first : BATCH;
		uint64_t start = now_ns();

		for (i = 0; i < n && !r.failed; i++)
			r.failed = fault_gfn(vm->vcpus[0]->mmu, (first + i) * step, ACCESS_WRITE);
		samples[b] = now_ns() - start;
		r.total_ns += samples[b];
		samples[b] /= n;
		r.faults += n;
	}
	if (samples && nbatches) {
		qsort(samples, nbatches, sizeof(*samples), cmp_u64);
		r.median_ns = samples[nbatches / 2];
	}
	if (!samples)
		r.failed = MMU_ENOMEM;
	read_mapping(vm, &r);
	free(samples);
	vm_destroy(vm);
	return r;
}

struct fault_thread {
	struct mmu_vcpu *v;          /* this thread's vCPU */
	uint64_t first, count;       /* gfns it faults */
	pthread_barrier_t *start;    /* all threads begin together */
	int ret;                     /* first failure */
};

static void *fault_range(void *arg)
{
	struct fault_thread *ft = arg;
	uint64_t i;
	int ret = 0;

	pthread_barrier_wait(ft->start);
	/* ret stays local: the threads' structs share cache lines. */
	for (i = 0; i < ft->count && !ret; i++)
		ret = fault_gfn(ft->v, ft->first + i, ACCESS_WRITE);
	ft->ret = ret;
	return NULL;
}

/* One timed run: every thread faults its share of the slot; wall ns from the start barrier. */
static uint64_t threads_once(struct vm *vm, uint64_t npages, unsigned threads, int *failed)
{
	struct fault_thread ft[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	pthread_barrier_t start;
	uint64_t begin, elapsed;
	unsigned i;

	pthread_barrier_init(&start, NULL, threads + 1);
	for (i = 0; i < threads; i++) {
		ft[i] = (struct fault_thread){ .v = vm->vcpus[i]->mmu, .start = &start,
					       .first = npages / threads * i,
					       .count = npages / threads };
		pthread_create(&tid[i], NULL, fault_range, &ft[i]);
	}
	pthread_barrier_wait(&start);
	begin = now_ns();
	for (i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		if (ft[i].ret)
			*failed = ft[i].ret;
	}
	elapsed = now_ns() - begin;
	pthread_barrier_destroy(&start);
	return elapsed;
}

uint64_t bench_populate_threads(const struct target *t, uint64_t bytes, unsigned threads,
				int *failed)
{
	uint64_t npages = bytes >> PAGE_SHIFT, best = UINT64_MAX, ns;
	struct vm *vm = bench_vm(t, bytes, MMU_LEVEL_4K, threads, false);
	unsigned r;

	*failed = 0;
	if (!vm || threads > MAX_THREADS || !prealloc(vm, npages, 1)) {
		*failed = MMU_ENOMEM;
		vm_destroy(vm);
		return 0;
	}
	for (r = 0; r < REPEATS && !*failed; r++) {
		/* Start from empty tables every time: the same faults, the same allocations. */
		mmu_zap_all(vm->mmu);
		ns = threads_once(vm, npages, threads, failed);
		best = ns < best ? ns : best;
	}
	vm_destroy(vm);
	return best;
}

struct dirty_result bench_dirty_log(const struct target *t, uint64_t bytes, bool eager)
{
	struct dirty_result r = { 0 };
	uint64_t npages = bytes >> PAGE_SHIFT, gfn, start;
	struct vm *vm = bench_vm(t, bytes, MMU_LEVEL_2M, 1, eager);
	struct mmu_stats st;

	if (!vm || !prealloc(vm, npages, pages_per_leaf(2))) {
		r.failed = MMU_ENOMEM;
		vm_destroy(vm);
		return r;
	}
	for (gfn = 0; gfn < npages && !r.failed; gfn += pages_per_leaf(2))
		r.failed = fault_gfn(vm->vcpus[0]->mmu, gfn, ACCESS_WRITE);
	start = now_ns();
	if (!r.failed)
		r.failed = vm_memslot_set_flags(vm, 0, MEMSLOT_DIRTY_LOG);
	r.enable_ns = now_ns() - start;
	start = now_ns();
	for (gfn = 0; gfn < npages && !r.failed; gfn++)
		r.failed = fault_gfn(vm->vcpus[0]->mmu, gfn, ACCESS_WRITE);
	r.dirty_ns = now_ns() - start;
	mmu_stats_read(vm->mmu, &st);
	r.splits = st.v[MMU_STAT_SPLITS];
	vm_destroy(vm);
	return r;
}

uint64_t bench_zap(const struct target *t, uint64_t bytes, int *failed)
{
	uint64_t npages = bytes >> PAGE_SHIFT, gfn, start, elapsed;
	struct vm *vm = bench_vm(t, bytes, MMU_LEVEL_4K, 1, false);

	*failed = !vm || !prealloc(vm, npages, 1) ? MMU_ENOMEM : 0;
	for (gfn = 0; gfn < npages && !*failed; gfn++)
		*failed = fault_gfn(vm->vcpus[0]->mmu, gfn, ACCESS_WRITE);
	/* The MMU's part only: deleting the memslot would also time the VM poisoning its frames. */
	start = now_ns();
	if (!*failed)
		mmu_zap_all(vm->mmu);
	elapsed = now_ns() - start;
	vm_destroy(vm);
	return elapsed;
}
