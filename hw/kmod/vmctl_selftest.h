/*
 * hw/kmod/vmctl_selftest.h — the load-time test of the device's functions.
 */
#ifndef MMULAB_HW_KMOD_VMCTL_SELFTEST_H
#define MMULAB_HW_KMOD_VMCTL_SELFTEST_H

/*
 * Drive vmctl.h on a TDP VM and log one line, "device self-test: PASS (N
 * checks)" or "device self-test: FAIL (K of N checks failed)", after a
 * line per failed check.  Returns the number of failed checks.
 */
int vmctl_selftest(void);

#endif
