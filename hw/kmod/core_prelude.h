/*
 * hw/kmod/core_prelude.h — force-included (-include) before every core/ and
 * backends/ file in the kernel build, and only there.
 *
 * objtool checks each object file on its own, and of functions defined
 * elsewhere it knows only a fixed list of kernel ones as noreturn.  A core
 * function whose last instruction is a call to the external plat_panic()
 * (an MMU_ASSERT at its end, say) therefore "falls through to next
 * function" in its eyes, and objtool warns.  So each core object gets its
 * own static plat_panic that ends in ud2: objtool sees it is a dead end.
 *
 * The #define renames core's calls and platform.h's declaration alike; a
 * declaration without `static` after a static one keeps internal linkage
 * (C11 6.2.2p5), so platform.h needs no change.
 */
#ifndef MMULAB_KMOD_CORE_PRELUDE_H
#define MMULAB_KMOD_CORE_PRELUDE_H

#include "hw/kmod/kmod_panic.h"

static __attribute__((noreturn, cold, unused, format(printf, 3, 4)))
void kmod_core_panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kmod_vpanic(file, line, fmt, ap);
	va_end(ap);
	__builtin_trap();
}

#define plat_panic kmod_core_panic

#endif
