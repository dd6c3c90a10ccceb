/*
 * hw/kmod/kmod_panic.h — the module's one panic path, shared by
 * platform_kernel.c (which defines it) and core_prelude.h (which calls it).
 */
#ifndef MMULAB_KMOD_PANIC_H
#define MMULAB_KMOD_PANIC_H

#include <linux/stdarg.h>

/*
 * Print "BUG at file:line: message" and BUG().  Deliberately not declared
 * noreturn: core_prelude.h relies on the compiler emitting its trap after
 * the call, so objtool can see the caller is a dead end.
 */
void kmod_vpanic(const char *file, int line, const char *fmt, va_list ap);

#endif
