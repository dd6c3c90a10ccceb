/*
 * hw/kmod/include/stddef.h — <stddef.h> for core/ inside the kernel build
 * (see stdint.h here for why): NULL and offsetof from <linux/stddef.h>,
 * size_t and ptrdiff_t from <linux/types.h>.
 */
#ifndef MMULAB_KMOD_STDDEF_H
#define MMULAB_KMOD_STDDEF_H

#include <linux/stddef.h>
#include <linux/types.h>

#endif
