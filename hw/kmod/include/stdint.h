/*
 * hw/kmod/include/stdint.h — <stdint.h> for core/ inside the kernel build.
 *
 * Kernel builds pass -nostdinc and, since Linux 5.15, no compiler include
 * directory, so core/'s #include <stdint.h> finds this file (kbuild only:
 * user builds never see hw/kmod/include/).  The exact-width types come from
 * <linux/types.h> so core and kernel agree on them; what the kernel lacks
 * is added with the C11 meaning.  Note uint64_t is unsigned long long here
 * but unsigned long in glibc: core prints it as %llx with a cast.
 */
#ifndef MMULAB_KMOD_STDINT_H
#define MMULAB_KMOD_STDINT_H

#include <linux/limits.h>
#include <linux/types.h>

typedef long intptr_t;
typedef s64 intmax_t;
typedef u64 uintmax_t;

/* C11 7.20.2: plain constants, so they also work in #if. */
#define INT8_MIN (-127 - 1)
#define INT8_MAX 127
#define UINT8_MAX 255
#define INT16_MIN (-32767 - 1)
#define INT16_MAX 32767
#define UINT16_MAX 65535
#define INT32_MIN (-2147483647 - 1)
#define INT32_MAX 2147483647
#define UINT32_MAX 4294967295U
#define INT64_MIN (-9223372036854775807LL - 1)
#define INT64_MAX 9223372036854775807LL
#define UINT64_MAX 18446744073709551615ULL
#define INTPTR_MIN LONG_MIN
#define INTPTR_MAX LONG_MAX
#define INTMAX_MIN INT64_MIN
#define INTMAX_MAX INT64_MAX
#define UINTMAX_MAX UINT64_MAX

#define INT8_C(c) c
#define UINT8_C(c) c
#define INT16_C(c) c
#define UINT16_C(c) c
#define INT32_C(c) c
#define UINT32_C(c) c ## U
#define INT64_C(c) c ## LL
#define UINT64_C(c) c ## ULL
#define INTMAX_C(c) c ## LL
#define UINTMAX_C(c) c ## ULL

#endif
