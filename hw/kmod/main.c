/*
 * hw/kmod/main.c — the mmulab module's load and unload.
 *
 * Loading proves that core/, compiled as kernel code, works: it runs the
 * guest walker's self-test, then the device's (a TDP VM driven through the
 * functions the ioctls call), refuses to load if either fails, and
 * registers /dev/mmulab.  It refuses too when the CPU has no SVM or VMX
 * that mmulab can use (none, disabled by the firmware, held by another
 * hypervisor, lacking NPT or EPT): the module exists to run guests.  The
 * world switch's self-test (hv_selftest.c) runs a guest there and only
 * reports.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "core/errors.h"
#include "core/x86/selftest.h"
#include "hw/kmod/hv.h"
#include "hw/kmod/dev.h"
#include "hw/kmod/platform_kernel.h"
#include "hw/kmod/vmctl_selftest.h"

static int __init mmulab_init(void)
{
	int failed, ret;

	pr_info("x86 MMU virtualization lab, core built as kernel code\n");
	failed = x86_selftest();
	if (failed < 0) {
		pr_err("x86 walker self-test could not run: %s (%d); not loading\n",
		       mmu_strerror(failed), failed);
		return failed == MMU_ENOMEM ? -ENOMEM : -EINVAL;
	}
	if (failed > 0) {
		pr_err("x86 walker self-test: %d check(s) failed (logged above); not loading\n",
		       failed);
		return -EINVAL;
	}
	pr_info("x86 walker self-test passed\n");
	ret = hv_selftest();
	if (ret) {
		pr_err("not loading: %s; docs/hw.md, \"When it refuses to load\", says what to do\n",
		       ret == -ENODEV ? "no AMD SVM or Intel VMX to run guests on" :
		       ret == -EBUSY ? "another hypervisor holds SVM/VMX (see above)" :
		       ret == -ENOMEM ? "out of memory" :
		       "this CPU's SVM/VMX lacks what mmulab needs (see above)");
		return ret;
	}
	/* vmctl_selftest logs its own PASS/FAIL line and each failed check. */
	if (vmctl_selftest() > 0) {
		pr_err("not loading: the device self-test failed\n");
		return -EINVAL;
	}
	return mmulab_dev_register();
}

/*
 * Every open file holds a module reference, so every VM was freed by its
 * release: whatever core/ still holds now is a leak.
 */
static void __exit mmulab_exit(void)
{
	u64 frames, blocks;

	mmulab_dev_unregister();
	plat_kernel_held(&frames, &blocks);
	if (frames || blocks)
		pr_err("leak FAIL: %llu frames and %llu heap blocks were never freed\n",
		       frames, blocks);
	pr_info("unloaded\n");
}

module_init(mmulab_init);
module_exit(mmulab_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mmulab: x86 MMU virtualization lab (/dev/mmulab)");
