// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/hv.c — the vendor-neutral side of hv.h that needs kernel
 * headers: which vendor this CPU has, running a function on one CPU with
 * it enabled, the neutral vCPU's life, what the CPU offers guests, and the
 * load-time self-test's line.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#include "hw/kmod/hv.h"
#include "hw/kmod/hv_selftest.h"
#include "hw/kmod/svm/svm.h"
#include "hw/kmod/vmx/vmx.h"

/* RFLAGS at every entry: bit 1 is always 1, interrupts off (the guest never takes one). */
#define RFLAGS_FIXED	0x2ULL

/* Every vendor the module knows, in the order hv_find tries them. */
static const struct hv_ops *const hv_vendors[] = { &svm_ops, &vmx_ops, NULL };

static int hv_find_on(const struct hv_ops **out)
{
	int ret, best = -ENODEV;
	unsigned int i;

	for (i = 0; hv_vendors[i]; i++) {
		ret = hv_vendors[i]->probe();
		if (!ret) {
			*out = hv_vendors[i];
			return 0;
		}
		/* A vendor that is there but unusable says more than one that is absent. */
		if (ret != -ENODEV)
			best = ret;
	}
	return best;
}

int hv_find(const struct hv_ops **out)
{
	int ret = hv_find_on(out);

	if (ret == -ENODEV)
		pr_info("this CPU has neither AMD SVM nor Intel VMX (or the firmware disabled it)\n");
	return ret;
}

u8 hv_tdp_maxphyaddr(bool ept, u8 want)
{
	unsigned int i;

	for (i = 0; hv_vendors[i]; i++)
		if (hv_vendors[i]->ept == ept)
			return hv_vendors[i]->tdp_maxphyaddr(want);
	return want;
}

int hv_vcpu_init(struct hv_vcpu *v, const struct hv_ops *ops, struct vcpu *vcpu)
{
	memset(v, 0, sizeof(*v));
	v->ops = ops;
	v->vcpu = vcpu;
	return ops->vcpu_init(v);
}

void hv_vcpu_destroy(struct hv_vcpu *v)
{
	if (v->ops)
		v->ops->vcpu_destroy(v);
}

void hv_vcpu_load(struct hv_vcpu *v, const struct hv_state *st, u64 rip, u64 rsp)
{
	v->state = *st;
	v->state_dirty = true;
	memset(&v->regs, 0, sizeof(v->regs));
	v->event.pending = false;
	v->regs.rip = rip;
	v->regs.rsp = rsp;
	v->regs.rflags = RFLAGS_FIXED;
	/* A guest started afresh starts with an empty TLB too. */
	WRITE_ONCE(v->flush_pending, true);
}

void hv_flush_remote(void *opaque)
{
	struct hv_vcpu *v = opaque;

	/* Taken by the next entry (hv_run.c): the vendor flushes before the guest runs. */
	WRITE_ONCE(v->flush_pending, true);
}

struct hv_on_cpu_work {
	const struct hv_ops *ops;
	int (*fn)(void *arg);
	void *arg;
};

static long hv_on_cpu_fn(void *p)
{
	struct hv_on_cpu_work *w = p;
	void *cpu = NULL;
	int ret;

	ret = w->ops->probe();
	if (ret)
		return ret;
	ret = w->ops->cpu_enable(&cpu);
	if (ret)
		return ret;
	ret = w->fn(w->arg);
	w->ops->cpu_disable(cpu);
	return ret;
}

int hv_on_cpu(const struct hv_ops *ops, int (*fn)(void *arg), void *arg)
{
	struct hv_on_cpu_work w = { .ops = ops, .fn = fn, .arg = arg };

	return (int)work_on_cpu(cpumask_first(cpu_online_mask), hv_on_cpu_fn, &w);
}

bool hv_cpu_la57(void)
{
	return boot_cpu_has(X86_FEATURE_LA57);
}

bool hv_host_pku(void)
{
	return cpu_feature_enabled(X86_FEATURE_OSPKE);
}

bool hv_cpu_gbpages(void)
{
	return boot_cpu_has(X86_FEATURE_GBPAGES);
}

u8 hv_cpu_maxphyaddr(void)
{
	return boot_cpu_data.x86_phys_bits;
}

u64 hv_tsc(void)
{
	return rdtsc_ordered();
}

u64 hv_tsc_khz(void)
{
	return tsc_khz;
}

/* ---- the module-load self-test ---------------------------------------------- */

struct hv_st_work {
	const struct hv_ops *ops;
	int ret;
	char why[200];
};

static long hv_st_find(void *arg)
{
	struct hv_st_work *w = arg;

	w->ret = hv_find(&w->ops);
	return 0;
}

static int hv_st_run(void *arg)
{
	struct hv_st_work *w = arg;

	return hv_selftest_run(w->ops, hv_cpu_gbpages(), w->why, sizeof(w->why));
}

int hv_selftest(void)
{
	struct hv_st_work *w = kzalloc(sizeof(*w), GFP_KERNEL);
	const char *name;
	int ret;

	if (!w)
		return -ENOMEM;
	/* The vendor of the CPU the runs happen on (SVME is per CPU). */
	work_on_cpu(cpumask_first(cpu_online_mask), hv_st_find, w);
	ret = w->ret;
	if (!ret) {
		name = w->ops->name;
		ret = hv_on_cpu(w->ops, hv_st_run, w);
		if (ret == -EOPNOTSUPP)
			pr_info("%s selftest SKIP (this CPU cannot run the self-test's VM, see above)\n",
				name);
		else if (ret)
			pr_err("%s selftest FAIL %s\n", name, w->why[0] ? w->why : "(see above)");
		else
			pr_info("%s selftest PASS %s\n", name, w->why);
		ret = 0;
	}
	kfree(w);
	return ret;
}
