/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/platform_kernel.h — what the kernel's core/platform.h
 * (platform_kernel.c) offers the module beyond that interface.
 */
#ifndef MMULAB_HW_KMOD_PLATFORM_KERNEL_H
#define MMULAB_HW_KMOD_PLATFORM_KERNEL_H

#include <linux/types.h>

/* The 4 KiB frames and heap blocks core/ and backends/ hold now. */
void plat_kernel_held(u64 *frames, u64 *blocks);

#endif
