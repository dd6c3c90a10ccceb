/*
 * hw/kmod/include/stdarg.h — <stdarg.h> for core/ inside the kernel build
 * (see stdint.h here for why).  Linux 5.15+ has its own copy of the
 * compiler's va_* macros.
 */
#ifndef MMULAB_KMOD_STDARG_H
#define MMULAB_KMOD_STDARG_H

#include <linux/stdarg.h>

#endif
