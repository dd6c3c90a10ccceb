/*
 * hw/kmod/platform_kernel.c — core/platform.h on Linux kernel APIs.
 *
 * Host frames are real pages and an hpa_t is their physical address, so
 * plat_frame_map() goes through the direct map.  Everything here may sleep
 * (GFP_KERNEL): core must not allocate while holding a plat_lock, which the
 * user build cannot catch but a debug kernel does ("sleeping function
 * called from invalid context").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/gfp.h>
#include <linux/hugetlb.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <asm/processor.h>

#include "core/platform.h"
#include "hw/kmod/kmod_panic.h"
#include "hw/kmod/platform_kernel.h"

/*
 * What core/ and backends/ hold right now: 4 KiB frames (a 2 MiB or 1 GiB
 * page counts as the frames in it) and heap blocks.  Debian's kernel has
 * no kmemleak, so this is the leak check: every VM is freed when its file
 * closes, so at unload both must be 0 (main.c).
 */
static atomic64_t held_frames = ATOMIC64_INIT(0);
static atomic64_t held_blocks = ATOMIC64_INIT(0);

void plat_kernel_held(u64 *frames, u64 *blocks)
{
	*frames = atomic64_read(&held_frames);
	*blocks = atomic64_read(&held_blocks);
}

/* ---- host frames ------------------------------------------------------- */

hpa_t plat_frame_alloc(void)
{
	/* No __GFP_HIGHMEM: the page must be in the direct map for phys_to_virt. */
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return PLAT_NO_FRAME;
	atomic64_inc(&held_frames);
	return page_to_phys(page);
}

void plat_frame_free(hpa_t hpa)
{
	struct page *page = pfn_to_page(PHYS_PFN(hpa));

	/* platform.h: the private pointer is cleared when the frame is freed. */
	set_page_private(page, 0);
	__free_page(page);
	atomic64_dec(&held_frames);
}

void *plat_frame_map(hpa_t hpa)
{
	return phys_to_virt(hpa);
}

/*
 * page->private is the kernel's own per-page word for the page's owner;
 * pages from alloc_page() are ours, so core may keep its mmu_page there
 * (KVM does the same with set_page_private for its shadow pages).
 */
void plat_frame_set_private(hpa_t hpa, void *priv)
{
	set_page_private(pfn_to_page(PHYS_PFN(hpa)), (unsigned long)priv);
}

void *plat_frame_private(hpa_t hpa)
{
	return (void *)page_private(pfn_to_page(PHYS_PFN(hpa)));
}

/*
 * [pfn, pfn + nr) could become one gigantic frame: every page online, in
 * one zone, not reserved by the kernel and not part of a hugetlb page
 * (alloc_contig_range wants one zone and can only migrate what is movable;
 * hugetlb makes the same checks before it asks).
 */
static bool frames_range_free_contig(unsigned long pfn, unsigned long nr)
{
	struct page *first = pfn_to_online_page(pfn);
	unsigned long i;

	if (!first)
		return false;
	for (i = 0; i < nr; i++) {
		struct page *page = pfn_to_online_page(pfn + i);

		if (!page || page_zone(page) != page_zone(first) || PageReserved(page) ||
		    PageHuge(page))
			return false;
	}
	return true;
}

/*
 * A frame beyond the buddy allocator's largest order (a 1 GiB host page):
 * a naturally aligned range taken out of a zone with alloc_contig_range,
 * which migrates whatever movable pages are in it, as hugetlb allocates
 * gigantic pages at run time.  It can fail on a fragmented host; booting
 * with movablecore= keeps such ranges movable.  Zeroed here: the range
 * comes back as it was.
 */
static struct page *frames_alloc_gigantic(unsigned order)
{
	unsigned long nr = 1UL << order, pfn, end, i;
	int nid;

	for_each_online_node(nid) {
		pfn = ALIGN(node_start_pfn(nid), nr);
		end = node_end_pfn(nid);
		for (; pfn + nr <= end; pfn += nr) {
			if (!frames_range_free_contig(pfn, nr) ||
			    alloc_contig_range(pfn, pfn + nr, MIGRATE_MOVABLE,
					       GFP_KERNEL | __GFP_NOWARN))
				continue;
			for (i = 0; i < nr; i++) {
				clear_page(page_address(pfn_to_page(pfn + i)));
				cond_resched();
			}
			return pfn_to_page(pfn);
		}
	}
	return NULL;
}

/*
 * Physically contiguous, naturally aligned: the buddy allocator's
 * guarantee up to its largest order, frames_alloc_gigantic's beyond.
 * __GFP_NOWARN because the caller reports a failure with context.
 */
hpa_t plat_frames_alloc(unsigned order)
{
	struct page *page;

	if (order > MAX_ORDER - 1)
		page = frames_alloc_gigantic(order);
	else
		page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, order);
	if (!page)
		return PLAT_NO_FRAME;
	atomic64_add(1L << order, &held_frames);
	return page_to_phys(page);
}

void plat_frames_free(hpa_t hpa, unsigned order)
{
	if (order > MAX_ORDER - 1)
		free_contig_range(PHYS_PFN(hpa), 1UL << order);
	else
		__free_pages(pfn_to_page(PHYS_PFN(hpa)), order);
	atomic64_sub(1L << order, &held_frames);
}

/* MAXPHYADDR of the host CPU (CPUID 0x80000008), less any bits SME/TME steal. */
unsigned plat_host_phys_bits(void)
{
	return boot_cpu_data.x86_phys_bits;
}

/* ---- heap ---------------------------------------------------------------- */

/*
 * kvzalloc, not kzalloc: small requests are the same kmalloc, and the
 * large tables of a big sparse guest fall back to vmalloc instead of
 * failing above the kmalloc limit.
 */
void *plat_zalloc(size_t size)
{
	void *p = kvzalloc(size, GFP_KERNEL);

	if (p)
		atomic64_inc(&held_blocks);
	return p;
}

void plat_free(void *p)
{
	if (p)
		atomic64_dec(&held_blocks);
	kvfree(p);
}

/* ---- locks --------------------------------------------------------------- */

struct plat_lock {
	spinlock_t spin;	/* the lock itself; never held across a sleep */
};

struct plat_rwlock {
	rwlock_t rw;		/* KVM's mmu_lock is an rwlock_t too */
};

struct plat_mutex {
	struct mutex mutex;	/* may be held across an allocation that sleeps */
};

struct plat_mutex *plat_mutex_new(void)
{
	struct plat_mutex *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (m)
		mutex_init(&m->mutex);
	return m;
}

void plat_mutex_free(struct plat_mutex *m)
{
	if (m)
		mutex_destroy(&m->mutex);
	kfree(m);
}

void plat_mutex_lock(struct plat_mutex *m)
{
	mutex_lock(&m->mutex);
}

void plat_mutex_unlock(struct plat_mutex *m)
{
	mutex_unlock(&m->mutex);
}

void plat_cond_resched(void)
{
	cond_resched();
}

struct plat_lock *plat_lock_new(void)
{
	struct plat_lock *lock = kzalloc(sizeof(*lock), GFP_KERNEL);

	if (lock)
		spin_lock_init(&lock->spin);
	return lock;
}

void plat_lock_free(struct plat_lock *lock)
{
	kfree(lock);
}

void plat_lock(struct plat_lock *lock)
{
	spin_lock(&lock->spin);
}

void plat_unlock(struct plat_lock *lock)
{
	spin_unlock(&lock->spin);
}

struct plat_rwlock *plat_rwlock_new(void)
{
	struct plat_rwlock *lock = kzalloc(sizeof(*lock), GFP_KERNEL);

	if (lock)
		rwlock_init(&lock->rw);
	return lock;
}

void plat_rwlock_free(struct plat_rwlock *lock)
{
	kfree(lock);
}

void plat_read_lock(struct plat_rwlock *lock)
{
	read_lock(&lock->rw);
}

void plat_read_unlock(struct plat_rwlock *lock)
{
	read_unlock(&lock->rw);
}

void plat_write_lock(struct plat_rwlock *lock)
{
	write_lock(&lock->rw);
}

void plat_write_unlock(struct plat_rwlock *lock)
{
	write_unlock(&lock->rw);
}

/* ---- logging and assertions ---------------------------------------------- */

/*
 * One printk per message: %pV formats the caller's va_list inside printk,
 * so a line is never split between two records.  Core's messages carry no
 * newline (the user build adds one too).
 */
void plat_log(enum plat_log_level level, const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	switch (level) {
	case PLAT_LOG_ERR:
		pr_err("%pV\n", &vaf);
		break;
	case PLAT_LOG_WARN:
		pr_warn("%pV\n", &vaf);
		break;
	case PLAT_LOG_INFO:
		pr_info("%pV\n", &vaf);
		break;
	case PLAT_LOG_DEBUG:
		/* Off unless enabled: echo 'module mmulab +p' > .../dynamic_debug/control */
		pr_debug("%pV\n", &vaf);
		break;
	}
	va_end(ap);
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

/*
 * BUG(), not panic(): the oops kills the task that broke the invariant (an
 * insmod or an ioctl) with a backtrace, and a test VM stays up to report it.
 */
void kmod_vpanic(const char *file, int line, const char *fmt, va_list ap)
{
	struct va_format vaf;
	va_list aq;

	/* va_list is an array type: a parameter's address is not a va_list *. */
	va_copy(aq, ap);
	vaf.fmt = fmt;
	vaf.va = &aq;
	pr_emerg("BUG at %s:%d: %pV\n", file, line, &vaf);
	va_end(aq);
	BUG();
}

/* Core objects call kmod_core_panic (core_prelude.h); this is for the rest. */
void plat_panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kmod_vpanic(file, line, fmt, ap);
	va_end(ap);
	/* kmod_vpanic is not declared noreturn (see kmod_panic.h). */
	unreachable();
}

/* ---- time ----------------------------------------------------------------- */

uint64_t plat_now_ns(void)
{
	return ktime_get_ns();
}
