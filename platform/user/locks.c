/*
 * platform/user/locks.c — plat_lock and plat_rwlock for user space.
 *
 * plat_lock is a pthread mutex.  plat_rwlock is the MMU lock: its read
 * side is taken on every fault by every vCPU thread, so it is built to let
 * readers on different cores run without writing any shared cache line (a
 * pthread rwlock keeps one reader count, and that line bounces between
 * cores on every read_lock/read_unlock).
 *
 * The scheme (a "big-reader" lock, as the kernel's old brlock or percpu
 * rwsems):
 *   - each thread owns a slot: an index taken once from a global atomic
 *     counter, modulo RW_SLOTS, kept in a thread-local variable;
 *   - each slot has a reader count on a cache line of its own;
 *   - a reader increments its slot, then reads the writer flag; if a
 *     writer is there, it decrements again, waits for the flag to drop,
 *     and retries;
 *   - a writer takes the writer mutex (one writer at a time), sets the
 *     flag, then waits until every slot's count is 0.
 * Reader and writer each store, then load the other's variable, all
 * seq_cst: in the single total order of seq_cst operations one of the two
 * stores comes first, so either the reader sees the flag or the writer sees
 * the reader's count — never neither (the Dekker handshake).  The data the
 * lock protects is ordered by the same operations: a writer's flag-clear
 * (release) is read by the next reader's flag check (acquire), a reader's
 * decrement (release) by the writer's count check (acquire).
 *
 * Properties: writers are preferred (new readers wait while one is
 * waiting), so read locks must not nest — a nested read_lock behind a
 * waiting writer deadlocks, as with a fair rwlock.  Threads beyond RW_SLOTS
 * share slots, which is still correct (the count is a count), only slower.
 * Waiting is a sched_yield loop: critical sections are short.
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/platform.h"

#define RW_SLOTS 64
#define CACHE_LINE 64

struct plat_lock {
	pthread_mutex_t mutex;  /* the lock */
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

/* In user space any lock may be held across an allocation: a mutex like plat_lock. */
struct plat_mutex {
	pthread_mutex_t mutex;  /* the lock */
};

struct plat_mutex *plat_mutex_new(void)
{
	struct plat_mutex *m = malloc(sizeof(*m));

	if (m && pthread_mutex_init(&m->mutex, NULL) != 0) {
		free(m);
		return NULL;
	}
	return m;
}

void plat_mutex_free(struct plat_mutex *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->mutex);
	free(m);
}

void plat_mutex_lock(struct plat_mutex *m)
{
	pthread_mutex_lock(&m->mutex);
}

void plat_mutex_unlock(struct plat_mutex *m)
{
	pthread_mutex_unlock(&m->mutex);
}

void plat_cond_resched(void)
{
}

/* One slot's readers, alone on its cache line. */
struct rw_slot {
	_Alignas(CACHE_LINE) uint64_t readers;  /* read locks held through this slot; atomic */
};

struct plat_rwlock {
	struct rw_slot slot[RW_SLOTS];             /* reader counts, one line each */
	_Alignas(CACHE_LINE) uint32_t writer;      /* 1 while a writer holds or waits; atomic */
	pthread_mutex_t writer_mutex;              /* serializes writers */
};

/* Process-wide: the next slot to hand out, and this thread's slot + 1 (0 = none yet). */
static unsigned rw_next_slot;
static _Thread_local unsigned rw_my_slot;

static struct rw_slot *rw_slot_of(struct plat_rwlock *lock)
{
	if (!rw_my_slot)
		rw_my_slot = __atomic_fetch_add(&rw_next_slot, 1, __ATOMIC_RELAXED) % RW_SLOTS + 1;
	return &lock->slot[rw_my_slot - 1];
}

struct plat_rwlock *plat_rwlock_new(void)
{
	struct plat_rwlock *lock;

	if (posix_memalign((void **)&lock, CACHE_LINE, sizeof(*lock)) != 0)
		return NULL;
	for (unsigned i = 0; i < RW_SLOTS; i++)
		lock->slot[i].readers = 0;
	lock->writer = 0;
	if (pthread_mutex_init(&lock->writer_mutex, NULL) != 0) {
		free(lock);
		return NULL;
	}
	return lock;
}

void plat_rwlock_free(struct plat_rwlock *lock)
{
	if (!lock)
		return;
	pthread_mutex_destroy(&lock->writer_mutex);
	free(lock);
}

void plat_read_lock(struct plat_rwlock *lock)
{
	struct rw_slot *s = rw_slot_of(lock);

	for (;;) {
		__atomic_add_fetch(&s->readers, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&lock->writer, __ATOMIC_SEQ_CST))
			return;
		/* A writer holds or wants the lock: step aside until it is done. */
		__atomic_sub_fetch(&s->readers, 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&lock->writer, __ATOMIC_SEQ_CST))
			sched_yield();
	}
}

void plat_read_unlock(struct plat_rwlock *lock)
{
	__atomic_sub_fetch(&rw_slot_of(lock)->readers, 1, __ATOMIC_SEQ_CST);
}

void plat_write_lock(struct plat_rwlock *lock)
{
	pthread_mutex_lock(&lock->writer_mutex);
	__atomic_store_n(&lock->writer, 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < RW_SLOTS; i++)
		while (__atomic_load_n(&lock->slot[i].readers, __ATOMIC_SEQ_CST))
			sched_yield();
}

void plat_write_unlock(struct plat_rwlock *lock)
{
	__atomic_store_n(&lock->writer, 0, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&lock->writer_mutex);
}
