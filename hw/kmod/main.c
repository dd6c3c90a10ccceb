/*
 * hw/kmod/main.c — the mmulab module's load and unload.
 *
 * Today loading only proves that core/, compiled as kernel code, works:
 * it runs the guest walker's self-test and refuses to load if it fails.
 * /dev/mmulab and the SVM/VMX executors come later.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "core/errors.h"
#include "core/x86/selftest.h"

static int __init mmulab_init(void)
{
	int failed;

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
	return 0;
}

static void __exit mmulab_exit(void)
{
	pr_info("unloaded\n");
}

module_init(mmulab_init);
module_exit(mmulab_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mmulab: x86 MMU virtualization lab (core self-test)");
