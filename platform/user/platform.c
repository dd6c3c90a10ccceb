/*
 * platform/user/platform.c — core/platform.h for user space: the heap,
 * logging, assertions and the clock.  Host frames are in frames.c, locks in
 * locks.c.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/platform.h"

void *plat_zalloc(size_t size)
{
	return calloc(1, size);
}

void plat_free(void *p)
{
	free(p);
}

static const char *const level_names[] = {
	[PLAT_LOG_ERR] = "error",
	[PLAT_LOG_WARN] = "warning",
	[PLAT_LOG_INFO] = "info",
	[PLAT_LOG_DEBUG] = "debug",
};

void plat_log(enum plat_log_level level, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mmulab: %s: ", level_names[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int plat_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

int plat_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void plat_panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mmulab: BUG at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

uint64_t plat_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
