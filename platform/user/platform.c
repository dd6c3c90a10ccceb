/*
 * platform/user/platform.c — core/platform.h for user space.
 *
 * Host frames are 4 KiB-aligned heap blocks; their "physical address" is the
 * pointer value itself, so plat_frame_map() is the identity.  That keeps the
 * user build honest: core code must still go through plat_frame_map() as in
 * the kernel, where the two differ.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/platform.h"

hpa_t plat_frame_alloc(void)
{
	void *p = NULL;

	if (posix_memalign(&p, PLAT_FRAME_SIZE, PLAT_FRAME_SIZE) != 0)
		return PLAT_NO_FRAME;
	memset(p, 0, PLAT_FRAME_SIZE);
	return (hpa_t)(uintptr_t)p;
}

void plat_frame_free(hpa_t hpa)
{
	free((void *)(uintptr_t)hpa);
}

void *plat_frame_map(hpa_t hpa)
{
	return (void *)(uintptr_t)hpa;
}

void *plat_zalloc(size_t size)
{
	return calloc(1, size);
}

void plat_free(void *p)
{
	free(p);
}

struct plat_lock {
	pthread_mutex_t mutex;
};

struct plat_rwlock {
	pthread_rwlock_t rwlock;
};

struct plat_lock *plat_lock_new(void)
{
	struct plat_lock *lock = malloc(sizeof(*lock));

	if (lock && pthread_mutex_init(&lock->mutex, NULL) != 0) {
		free(lock);
		return NULL;
	}
	return lock;
}

void plat_lock_free(struct plat_lock *lock)
{
	if (!lock)
		return;
	pthread_mutex_destroy(&lock->mutex);
	free(lock);
}

void plat_lock(struct plat_lock *lock)
{
	pthread_mutex_lock(&lock->mutex);
}

void plat_unlock(struct plat_lock *lock)
{
	pthread_mutex_unlock(&lock->mutex);
}

struct plat_rwlock *plat_rwlock_new(void)
{
	struct plat_rwlock *lock = malloc(sizeof(*lock));

	if (lock && pthread_rwlock_init(&lock->rwlock, NULL) != 0) {
		free(lock);
		return NULL;
	}
	return lock;
}

void plat_rwlock_free(struct plat_rwlock *lock)
{
	if (!lock)
		return;
	pthread_rwlock_destroy(&lock->rwlock);
	free(lock);
}

void plat_read_lock(struct plat_rwlock *lock)
{
	pthread_rwlock_rdlock(&lock->rwlock);
}

void plat_read_unlock(struct plat_rwlock *lock)
{
	pthread_rwlock_unlock(&lock->rwlock);
}

void plat_write_lock(struct plat_rwlock *lock)
{
	pthread_rwlock_wrlock(&lock->rwlock);
}

void plat_write_unlock(struct plat_rwlock *lock)
{
	pthread_rwlock_unlock(&lock->rwlock);
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
