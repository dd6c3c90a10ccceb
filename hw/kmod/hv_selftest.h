/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/hv_selftest.h — the world switch's load-time self-test
 * (hv_selftest.c), on whichever vendor the CPU has.
 */
#ifndef MMULAB_HW_KMOD_HV_SELFTEST_H
#define MMULAB_HW_KMOD_HV_SELFTEST_H

#include <linux/types.h>

struct hv_ops;

/*
 * The self-test's VM and batches, on this CPU with the vendor enabled
 * (hv_on_cpu): 0, or nonzero with why[] saying what failed.  On success
 * why[] has the counters.
 */
int hv_selftest_run(const struct hv_ops *ops, bool gbpages, char *why, unsigned int len);

#endif
