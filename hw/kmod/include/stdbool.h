/*
 * hw/kmod/include/stdbool.h — <stdbool.h> for core/ inside the kernel build
 * (see stdint.h here for why).  The kernel already has bool (<linux/types.h>)
 * and true/false (<linux/stddef.h>); defining them again would clash.
 */
#ifndef MMULAB_KMOD_STDBOOL_H
#define MMULAB_KMOD_STDBOOL_H

#include <linux/stddef.h>
#include <linux/types.h>

#define __bool_true_false_are_defined 1

#endif
