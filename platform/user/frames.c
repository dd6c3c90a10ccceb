/*
 * platform/user/frames.c — host frames for user space (core/platform.h).
 *
 * Frames come from 2 MiB-aligned arenas of anonymous memory.  Frame 0 of
 * each arena is its header, the array of per-frame private pointers, so
 * plat_frame_private() is one mask and one load: no lock, no lookup, as
 * page_private() in the kernel.  Frames 1..511 are handed out.  A frame's
 * "physical address" is its pointer value (plat_frame_map() is the
 * identity), which keeps core honest: it must still map frames as in the
 * kernel, where the two differ.
 *
 * This file is the host's page allocator, so its state is global (one per
 * process, as the kernel's): the current arena and the free list, under
 * one mutex.  Arenas are never unmapped; freed frames are reused.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "core/platform.h"

#if defined(__SANITIZE_ADDRESS__)
#define PLAT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PLAT_ASAN 1
#endif
#endif

#ifdef PLAT_ASAN
#include <sanitizer/asan_interface.h>
/* A freed frame is poisoned, so a use after free is an ASan report. */
#define frame_poison(p) ASAN_POISON_MEMORY_REGION((p), PLAT_FRAME_SIZE)
#define frame_unpoison(p) ASAN_UNPOISON_MEMORY_REGION((p), PLAT_FRAME_SIZE)
#else
#define frame_poison(p) ((void)(p))
#define frame_unpoison(p) ((void)(p))
#endif

#define ARENA_SIZE (2u << 20)
#define ARENA_FRAMES (ARENA_SIZE / PLAT_FRAME_SIZE)

/* Frame 0 of an arena: exactly one frame of private pointers. */
struct arena {
	void *private[ARENA_FRAMES];  /* [i]: frame i's pointer; [0] unused (the header itself) */
};
_Static_assert(sizeof(struct arena) == PLAT_FRAME_SIZE, "the header is frame 0");

/* A freed frame's first bytes link it into the free list. */
struct free_frame {
	struct free_frame *next;  /* next free frame; under frames.lock */
};

static struct {
	pthread_mutex_t lock;       /* protects everything below */
	struct arena *cur;          /* arena being carved, NULL before the first */
	unsigned next_fresh;        /* next never-used frame index in cur (1..512) */
	struct free_frame *free;    /* freed frames, dirty, most recent first */
} frames = { .lock = PTHREAD_MUTEX_INITIALIZER, .next_fresh = ARENA_FRAMES };

/*
 * `size` bytes aligned to `align` (a power of two, >= the page size):
 * map size + align and trim both ends.  Fresh anonymous memory is zero.
 */
static void *map_aligned(size_t size, size_t align, int extra_flags)
{
	size_t len = size + align;
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
	uint8_t *aligned;
	size_t head, tail;

	if (p == MAP_FAILED)
		return NULL;
	aligned = (uint8_t *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	head = (size_t)(aligned - p);
	tail = len - head - size;
	if (head)
		munmap(p, head);
	if (tail)
		munmap(aligned + size, tail);
	return aligned;
}

hpa_t plat_frame_alloc(void)
{
	struct free_frame *f;
	uint8_t *frame;

	pthread_mutex_lock(&frames.lock);
	f = frames.free;
	if (f) {
		frame_unpoison(f);
		frames.free = f->next;
		pthread_mutex_unlock(&frames.lock);
		memset(f, 0, PLAT_FRAME_SIZE);
		return (hpa_t)(uintptr_t)f;
	}
	if (frames.next_fresh == ARENA_FRAMES) {
		struct arena *a = map_aligned(ARENA_SIZE, ARENA_SIZE, 0);

		if (!a) {
			pthread_mutex_unlock(&frames.lock);
			return PLAT_NO_FRAME;
		}
		frames.cur = a;
		frames.next_fresh = 1;
	}
	frame = (uint8_t *)frames.cur + (size_t)frames.next_fresh++ * PLAT_FRAME_SIZE;
	pthread_mutex_unlock(&frames.lock);
	/* Never used: still the zero page the kernel mapped. */
	return (hpa_t)(uintptr_t)frame;
}

static struct arena *arena_of(hpa_t hpa)
{
	return (struct arena *)(uintptr_t)(hpa & ~(hpa_t)(ARENA_SIZE - 1));
}

static unsigned frame_index(hpa_t hpa)
{
	return (unsigned)(hpa / PLAT_FRAME_SIZE) & (ARENA_FRAMES - 1);
}

void plat_frame_free(hpa_t hpa)
{
	struct free_frame *f = (struct free_frame *)(uintptr_t)hpa;

	MMU_ASSERT(!(hpa & (PLAT_FRAME_SIZE - 1)) && frame_index(hpa) != 0,
		   "0x%llx is not a frame from plat_frame_alloc", (unsigned long long)hpa);
	plat_frame_set_private(hpa, NULL);
	pthread_mutex_lock(&frames.lock);
	f->next = frames.free;
	frames.free = f;
	frame_poison(f);
	pthread_mutex_unlock(&frames.lock);
}

void *plat_frame_map(hpa_t hpa)
{
	return (void *)(uintptr_t)hpa;
}

/*
 * Release/acquire: a thread that finds a table through an SPTE (installed
 * after the private pointer was set) sees the header it points to.
 */
void plat_frame_set_private(hpa_t hpa, void *priv)
{
	__atomic_store_n(&arena_of(hpa)->private[frame_index(hpa)], priv, __ATOMIC_RELEASE);
}

void *plat_frame_private(hpa_t hpa)
{
	return __atomic_load_n(&arena_of(hpa)->private[frame_index(hpa)], __ATOMIC_ACQUIRE);
}

/*
 * Huge backing for guest memory: its own mapping, aligned to its size, so
 * a 2 MiB or 1 GiB guest page is one host extent (and, with transparent
 * huge pages, may really be one host page).  These frames are not in an
 * arena, so plat_frame_private() must not be used on them: it would read
 * guest memory as a header.  MAP_NORESERVE: a sparse guest commits only
 * what it touches.
 */
hpa_t plat_frames_alloc(unsigned order)
{
	size_t size;
	void *p;

	MMU_ASSERT(order <= 18, "order %u: at most 1 GiB", order);
	size = (size_t)PLAT_FRAME_SIZE << order;
	p = map_aligned(size, size, MAP_NORESERVE);
	if (!p)
		return PLAT_NO_FRAME;
#ifdef MADV_HUGEPAGE
	if (order >= 9)
		madvise(p, size, MADV_HUGEPAGE);  /* a hint: failure changes nothing */
#endif
	return (hpa_t)(uintptr_t)p;
}

void plat_frames_free(hpa_t hpa, unsigned order)
{
	size_t size = (size_t)PLAT_FRAME_SIZE << order;

	MMU_ASSERT(!(hpa & (size - 1)), "0x%llx is not aligned to order %u",
		   (unsigned long long)hpa, order);
	munmap((void *)(uintptr_t)hpa, size);
}

/*
 * User pointers are the "physical addresses" here, and Linux hands out
 * user addresses below 2^47 (even with 5-level paging, unless mmap is
 * given a hint above it), so 48 bits cover every hpa and leave bits 51:48
 * reserved, as on a typical host: NPT MMIO SPTEs have bit 51 to use.
 */
unsigned plat_host_phys_bits(void)
{
	return 48;
}
