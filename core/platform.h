/*
 * core/platform.h — everything core/ and backends/ need from their host.
 *
 * core/ and backends/ are compiled twice: into libmmulab.a (user space,
 * platform/user/) and into mmulab.ko (hw/kmod/platform_kernel.c).  So they
 * may include only this header and the freestanding C11 headers; every
 * other service (frames, heap, locks, logging, the clock) is declared here
 * and implemented once per host.  `make check-freestanding` enforces it.
 *
 * Atomics are static inline on the compiler's __atomic builtins: gcc and
 * clang provide them in both worlds, and the fault path cannot afford a call.
 */
#ifndef MMULAB_CORE_PLATFORM_H
#define MMULAB_CORE_PLATFORM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A host physical address.  Frames are 4 KiB and 4 KiB aligned. */
typedef uint64_t hpa_t;

#define PLAT_FRAME_SIZE 4096u
/* What plat_frame_alloc() returns when the host is out of memory. */
#define PLAT_NO_FRAME ((hpa_t)-1)

/* ---- host frames ------------------------------------------------------- */

/* A zeroed 4 KiB host frame, or PLAT_NO_FRAME. */
hpa_t plat_frame_alloc(void);
void plat_frame_free(hpa_t hpa);
/* A kernel/user pointer to the frame; valid until the frame is freed. */
void *plat_frame_map(hpa_t hpa);

/*
 * One pointer of metadata per frame, as the kernel's page_private(): the
 * MMU finds the struct mmu_page of a page table from the SPTE that points
 * at it.  NULL until set; cleared when the frame is freed.  O(1), lock-free.
 */
void plat_frame_set_private(hpa_t hpa, void *priv);
void *plat_frame_private(hpa_t hpa);

/*
 * 2^order contiguous zeroed frames aligned to their size (order 9 = 2 MiB,
 * 18 = 1 GiB), for guest memory backed by huge host pages; PLAT_NO_FRAME on
 * failure.  Free with plat_frames_free(hpa, order).  They carry no private
 * pointers.  User space zeroes them lazily (fresh anonymous memory).
 */
hpa_t plat_frames_alloc(unsigned order);
void plat_frames_free(hpa_t hpa, unsigned order);

/*
 * The host's physical-address width: the bits an SPTE may address.  Bits
 * above it are reserved in the tables the MMU builds (and are where an NPT
 * MMIO SPTE puts its reserved-bit marker).
 */
unsigned plat_host_phys_bits(void);

/* ---- heap ---------------------------------------------------------------- */

/* Zeroed memory, or NULL. */
void *plat_zalloc(size_t size);
void plat_free(void *p);

static inline void plat_memset(void *dst, int c, size_t n)
{
	__builtin_memset(dst, c, n);
}

static inline void plat_memcpy(void *dst, const void *src, size_t n)
{
	__builtin_memcpy(dst, src, n);
}

/* ---- locks --------------------------------------------------------------- */

/* Opaque: the user build wraps pthreads, the kernel build spinlocks. */
struct plat_lock;
struct plat_rwlock;

struct plat_lock *plat_lock_new(void);
void plat_lock_free(struct plat_lock *lock);
void plat_lock(struct plat_lock *lock);
void plat_unlock(struct plat_lock *lock);

/*
 * A sleeping lock (a kernel mutex): whoever holds it may allocate, which a
 * plat_lock holder (a spinlock in the kernel) must never do.  Never taken
 * while a plat_lock or the MMU lock is held.
 */
struct plat_mutex;
struct plat_mutex *plat_mutex_new(void);
void plat_mutex_free(struct plat_mutex *m);
void plat_mutex_lock(struct plat_mutex *m);
void plat_mutex_unlock(struct plat_mutex *m);

/*
 * Let the scheduler run something else, in a loop that can take long (one
 * over the frames of a 1 GiB host page): the kernel build's cond_resched(),
 * which keeps the soft-lockup watchdog quiet; nothing in user space, where
 * the scheduler preempts anyway.  Only where a plat_mutex at most is held.
 */
void plat_cond_resched(void);

struct plat_rwlock *plat_rwlock_new(void);
void plat_rwlock_free(struct plat_rwlock *lock);
void plat_read_lock(struct plat_rwlock *lock);
void plat_read_unlock(struct plat_rwlock *lock);
void plat_write_lock(struct plat_rwlock *lock);
void plat_write_unlock(struct plat_rwlock *lock);
/*
 * The rwlock's read side is taken on every fault by every vCPU thread, so
 * an implementation must not make readers bounce one shared cache line (the
 * user build keeps one padded reader count per thread; the kernel's rwlock
 * is what KVM's mmu_lock is).
 */

/* ---- atomics (sequentially consistent) ------------------------------------ */

static inline uint64_t plat_atomic_read64(const volatile uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static inline void plat_atomic_write64(volatile uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

/*
 * Replace *p by new if it holds old.  Returns the value *p held before, so
 * the caller succeeded iff the return equals old.
 */
static inline uint64_t plat_cmpxchg64(volatile uint64_t *p, uint64_t old,
				      uint64_t new)
{
	__atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return old;
}

static inline uint32_t plat_cmpxchg32(volatile uint32_t *p, uint32_t old,
				      uint32_t new)
{
	__atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return old;
}

static inline uint64_t plat_atomic_add64(volatile uint64_t *p, uint64_t v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

/* ---- logging and assertions ---------------------------------------------- */

enum plat_log_level { PLAT_LOG_ERR, PLAT_LOG_WARN, PLAT_LOG_INFO, PLAT_LOG_DEBUG };

void plat_log(enum plat_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* snprintf with the host's semantics (always NUL-terminates when size > 0). */
int plat_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int plat_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/*
 * A broken invariant: print where and why, then stop (abort() in user
 * space, BUG() in the kernel).  Callers print the state that broke it.
 */
void plat_panic(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

#define MMU_ASSERT(cond, fmt, ...)                                            \
	do {                                                                  \
		if (__builtin_expect(!(cond), 0))                             \
			plat_panic(__FILE__, __LINE__, "assertion '%s' failed: " fmt, \
				   #cond, ##__VA_ARGS__);                     \
	} while (0)

/* ---- time ----------------------------------------------------------------- */

/* Monotonic nanoseconds, for statistics only (never for correctness). */
uint64_t plat_now_ns(void);

#endif /* MMULAB_CORE_PLATFORM_H */
