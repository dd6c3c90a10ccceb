/*
 * hw/kmod/include/limits.h — <limits.h> for core/ inside the kernel build
 * (see stdint.h here for why).  <linux/limits.h> has the int, long and
 * long long limits; the char ones it lacks are added.  Plain char is
 * signed on x86 before Linux 6.2 and unsigned from 6.2 (-funsigned-char),
 * so CHAR_MIN/CHAR_MAX follow the compiler's __CHAR_UNSIGNED__.
 */
#ifndef MMULAB_KMOD_LIMITS_H
#define MMULAB_KMOD_LIMITS_H

#include <linux/limits.h>

#define CHAR_BIT 8
#define SCHAR_MIN (-128)
#define SCHAR_MAX 127
#define UCHAR_MAX 255
#ifdef __CHAR_UNSIGNED__
#define CHAR_MIN 0
#define CHAR_MAX UCHAR_MAX
#else
#define CHAR_MIN SCHAR_MIN
#define CHAR_MAX SCHAR_MAX
#endif

#endif
