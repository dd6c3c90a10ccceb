// SPDX-License-Identifier: GPL-2.0
/*
 * hw/kmod/dev.c — /dev/mmulab: one VM per open file, driven by ioctls
 * (hw/kmod/uapi/mmulab.h).
 *
 * This file is the user-space boundary and nothing else: it copies each
 * ioctl's struct in, copies its buffers in or out (copy_from_user /
 * copy_to_user, -EFAULT on a bad address), and calls vmctl.c, which
 * validates every field and does the work.  A per-file mutex serializes
 * the ioctls of one VM, so core sees one caller at a time (memslots change
 * only while no vCPU runs).
 *
 * Lifetime: release frees the VM.  The fops' owner pins the module while
 * any file is open, so unload comes after every release and finds nothing
 * left to free.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hw/kmod/dev.h"
#include "hw/kmod/uapi/mmulab.h"
#include "hw/kmod/vmctl.h"

struct mmulab_file {
	struct mutex lock;   /* serializes every ioctl of this file */
	struct vmctl_vm *vm; /* NULL until MMULAB_CREATE_VM; set once, under lock */
};

static int mmulab_open(struct inode *inode, struct file *file)
{
	struct mmulab_file *mf = kzalloc(sizeof(*mf), GFP_KERNEL);

	if (!mf)
		return -ENOMEM;
	mutex_init(&mf->lock);
	file->private_data = mf;
	return nonseekable_open(inode, file);
}

static int mmulab_release(struct inode *inode, struct file *file)
{
	struct mmulab_file *mf = file->private_data;

	vmctl_vm_destroy(mf->vm);
	mutex_destroy(&mf->lock);
	kfree(mf);
	return 0;
}

/* ---- ioctls with buffers -------------------------------------------------------------- */

static int dev_write_gpa(struct vmctl_vm *vm, void __user *argp)
{
	struct mmulab_gpa_io req;
	void *buf;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	ret = vmctl_gpa_io_check(vm, &req);
	if (ret)
		return ret;
	buf = kvmalloc(req.len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, u64_to_user_ptr(req.addr), req.len))
		ret = -EFAULT;
	else
		ret = vmctl_write_gpa(vm, &req, buf);
	kvfree(buf);
	return ret;
}

static int dev_read_gpa(struct vmctl_vm *vm, void __user *argp)
{
	struct mmulab_gpa_io req;
	void *buf;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	ret = vmctl_gpa_io_check(vm, &req);
	if (ret)
		return ret;
	buf = kvzalloc(req.len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = vmctl_read_gpa(vm, &req, buf);
	if (!ret && copy_to_user(u64_to_user_ptr(req.addr), buf, req.len))
		ret = -EFAULT;
	kvfree(buf);
	return ret;
}

static int dev_run(struct vmctl_vm *vm, void __user *argp)
{
	struct mmulab_run req;
	struct mmulab_access *acc;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	ret = vmctl_run_check(vm, &req);
	if (ret)
		return ret;
	acc = kvmalloc(req.len, GFP_KERNEL);
	if (!acc)
		return -ENOMEM;
	if (copy_from_user(acc, u64_to_user_ptr(req.addr), req.len)) {
		kvfree(acc);
		return -EFAULT;
	}
	ret = vmctl_run(vm, &req, acc);
	/* Results of the accesses done, even when the batch stopped early. */
	if (req.done && copy_to_user(u64_to_user_ptr(req.addr), acc,
				     (size_t)req.done * sizeof(*acc)))
		ret = -EFAULT;
	if (copy_to_user(argp, &req, sizeof(req)))
		ret = -EFAULT;
	kvfree(acc);
	return ret;
}

static int dev_get_stats(struct vmctl_vm *vm, void __user *argp)
{
	struct mmulab_stats req;
	__u64 *out;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	out = kcalloc(VMCTL_STATS_MAX, sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	ret = vmctl_stats(vm, &req, out);
	if (!ret && req.count &&
	    copy_to_user(u64_to_user_ptr(req.addr), out, (size_t)req.count * sizeof(*out)))
		ret = -EFAULT;
	if (!ret && copy_to_user(argp, &req, sizeof(req)))
		ret = -EFAULT;
	kfree(out);
	return ret;
}

static int dev_get_trace(struct vmctl_vm *vm, void __user *argp)
{
	struct mmulab_trace req;
	struct mmulab_trace_event *out;
	__u32 max;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	ret = vmctl_trace_check(vm, &req, &max);
	if (ret)
		return ret;
	out = kvcalloc(max, sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	vmctl_trace(vm, &req, out, max);
	if (req.count &&
	    copy_to_user(u64_to_user_ptr(req.addr), out, (size_t)req.count * sizeof(*out)))
		ret = -EFAULT;
	if (!ret && copy_to_user(argp, &req, sizeof(req)))
		ret = -EFAULT;
	kvfree(out);
	return ret;
}

static int dev_get_dirty_log(struct vmctl_vm *vm, void __user *argp)
{
	struct mmulab_dirty_log req;
	__u64 *bitmap;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	ret = vmctl_dirty_log_get(vm, &req, &bitmap);
	if (ret == -ENOSPC) {
		/* Tell the caller the size it needs. */
		return copy_to_user(argp, &req, sizeof(req)) ? -EFAULT : ret;
	}
	if (ret)
		return ret;
	/* The log is fetched and cleared now: a bad buffer loses it (as KVM's). */
	if (copy_to_user(u64_to_user_ptr(req.addr), bitmap,
			 DIV_ROUND_UP(req.npages, 64) * sizeof(*bitmap)) ||
	    copy_to_user(argp, &req, sizeof(req)))
		ret = -EFAULT;
	vmctl_free_bitmap(bitmap);
	return ret;
}

/* ---- ioctls that are one struct in (and out) ------------------------------------------------- */

/* Copy a struct in and call fn on it (fn's request type must match the struct). */
#define DEV_IN(type, fn, vm, argp)                                      \
	({                                                              \
		type __req;                                             \
		copy_from_user(&__req, (argp), sizeof(__req)) ? -EFAULT \
							      : fn((vm), &__req); \
	})

/* The same, and copy the struct back out when fn succeeded (fn filled in its results). */
#define DEV_INOUT(type, fn, vm, argp)                                        \
	({                                                                   \
		type __req;                                                  \
		long __ret = copy_from_user(&__req, (argp), sizeof(__req)) ? \
				     -EFAULT : fn((vm), &__req);             \
		if (!__ret && copy_to_user((argp), &__req, sizeof(__req)))   \
			__ret = -EFAULT;                                     \
		__ret;                                                       \
	})

static long mmulab_vm_ioctl(struct vmctl_vm *vm, unsigned int cmd, void __user *argp)
{
	switch (cmd) {
	case MMULAB_MEMSLOT_CREATE:
		return DEV_IN(struct mmulab_memslot, vmctl_memslot_create, vm, argp);
	case MMULAB_MEMSLOT_DELETE:
		return DEV_IN(struct mmulab_memslot_id, vmctl_memslot_delete, vm, argp);
	case MMULAB_MEMSLOT_MOVE:
		return DEV_IN(struct mmulab_memslot_move, vmctl_memslot_move, vm, argp);
	case MMULAB_MEMSLOT_FLAGS:
		return DEV_IN(struct mmulab_memslot_flags, vmctl_memslot_flags, vm, argp);
	case MMULAB_MMIO_CREATE:
		return DEV_IN(struct mmulab_mmio, vmctl_mmio_create, vm, argp);
	case MMULAB_CREATE_VCPU:
		return DEV_IN(struct mmulab_vcpu_create, vmctl_vcpu_create, vm, argp);
	case MMULAB_CLEAR_DIRTY_LOG:
		return DEV_IN(struct mmulab_dirty_clear, vmctl_dirty_log_clear, vm, argp);
	case MMULAB_WRITE_GPA:
		return dev_write_gpa(vm, argp);
	case MMULAB_READ_GPA:
		return dev_read_gpa(vm, argp);
	case MMULAB_RUN:
		return dev_run(vm, argp);
	case MMULAB_FAULT:
		return DEV_INOUT(struct mmulab_fault, vmctl_fault, vm, argp);
	case MMULAB_SET_REG:
		return DEV_INOUT(struct mmulab_set_reg, vmctl_set_reg, vm, argp);
	case MMULAB_HOST:
		return DEV_INOUT(struct mmulab_host, vmctl_host, vm, argp);
	case MMULAB_GET_STATS:
		return dev_get_stats(vm, argp);
	case MMULAB_GET_RUN_STATS:
		return DEV_INOUT(struct mmulab_run_stats, vmctl_run_stats, vm, argp);
	case MMULAB_GET_TRACE:
		return dev_get_trace(vm, argp);
	case MMULAB_GET_DIRTY_LOG:
		return dev_get_dirty_log(vm, argp);
	default:
		return -ENOTTY;
	}
}

static long mmulab_create_vm(struct mmulab_file *mf, void __user *argp)
{
	struct mmulab_vm_create req;

	if (mf->vm)
		return -EEXIST;
	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	return vmctl_vm_create(&req, &mf->vm);
}

static long mmulab_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct mmulab_file *mf = file->private_data;
	void __user *argp = (void __user *)arg;
	long ret;

	if (cmd == MMULAB_GET_API_VERSION)
		return put_user((__u32)MMULAB_API_VERSION, (__u32 __user *)argp);
	if (_IOC_TYPE(cmd) != MMULAB_IOCTL_TYPE)
		return -ENOTTY;
	if (mutex_lock_killable(&mf->lock))
		return -EINTR;
	if (cmd == MMULAB_CREATE_VM)
		ret = mmulab_create_vm(mf, argp);
	else if (!mf->vm)
		ret = -EBADFD; /* every other ioctl needs the VM */
	else
		ret = mmulab_vm_ioctl(mf->vm, cmd, argp);
	mutex_unlock(&mf->lock);
	return ret;
}

static const struct file_operations mmulab_fops = {
	.owner = THIS_MODULE,
	.open = mmulab_open,
	.release = mmulab_release,
	.unlocked_ioctl = mmulab_ioctl,
	/* Every struct has the same layout for 32-bit callers; only the pointer differs. */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

/* The kernel's registration object: the one piece of module-wide state. */
static struct miscdevice mmulab_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mmulab",
	.fops = &mmulab_fops,
	.mode = 0600,
};

int mmulab_dev_register(void)
{
	int ret = misc_register(&mmulab_misc);

	if (ret)
		pr_err("cannot register /dev/mmulab: %d\n", ret);
	return ret;
}

void mmulab_dev_unregister(void)
{
	misc_deregister(&mmulab_misc);
}
