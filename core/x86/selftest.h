/*
 * core/x86/selftest.h — a quick check of the guest walker that needs only
 * the platform: run by the kernel module at load and by a unit test, so a
 * broken build of core/x86 shows up before any scenario runs.
 */
#ifndef MMULAB_CORE_X86_SELFTEST_H
#define MMULAB_CORE_X86_SELFTEST_H

/*
 * Build a small 4-level table by hand in a few host frames and walk some
 * accesses through it.  Returns 0, the number of failed checks (each
 * logged with plat_log), or a negative MMU_E* code if frames ran out.
 */
int x86_selftest(void);

#endif
