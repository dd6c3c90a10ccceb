/*
 * core/vm/vm.c — VM lifetime, memslot lookup and guest-physical memory access
 * (the host's view: paging plays no part, read-only memslots are written).
 */
#include "core/errors.h"
#include "core/vm/vm_internal.h"
#include "core/x86/bits.h"

static int mem_read(void *opaque, uint64_t gpa, unsigned bytes, uint64_t *val);
static int mem_cmpxchg(void *opaque, uint64_t gpa, unsigned bytes, uint64_t old,
		       uint64_t new);
static int mem_write(void *opaque, uint64_t gpa, unsigned bytes, uint64_t val);

struct vm *vm_create(const struct x86_cpu_features *feat)
{
	struct vm *vm = plat_zalloc(sizeof(*vm));

	if (!vm)
		return NULL;
	vm->mem_lock = plat_mutex_new();
	if (!vm->mem_lock) {
		plat_free(vm);
		return NULL;
	}
	vm->feat = *feat;
	vm->mem.opaque = vm;
	vm->mem.read = mem_read;
	vm->mem.cmpxchg = mem_cmpxchg;
	vm->mem.write = mem_write;
	return vm;
}

/* The MMU goes first: its tables point at frames freed below. */
void vm_destroy(struct vm *vm)
{
	unsigned i;

	if (!vm)
		return;
	mmu_vm_destroy(vm->mmu);
	for (i = 0; i < vm->nr_slots; i++)
		vm_slot_free(vm->slots[i]);
	for (i = 0; i < VM_MAX_VCPUS; i++)
		plat_free(vm->vcpus[i]);
	vm_quarantine_free(vm);
	vm_mmio_free(vm);
	plat_mutex_free(vm->mem_lock);
	plat_free(vm);
}

int vm_add_memslot(struct vm *vm, uint32_t id, uint64_t base_gpa, uint64_t size,
		   uint32_t flags)
{
	return vm_memslot_create(vm, id, base_gpa, size, flags, MMU_LEVEL_4K);
}

struct memslot *vm_find_memslot(const struct vm *vm, uint64_t gfn)
{
	unsigned lo = 0, hi = vm->nr_slots;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		struct memslot *s = vm->slots[mid];

		if (gfn < s->base_gfn)
			hi = mid;
		else if (gfn >= s->base_gfn + s->npages)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

static bool range_in_slots(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t gfn, last;

	if (!len)
		return true;
	if (gpa + len - 1 < gpa)
		return false;
	last = (gpa + len - 1) >> PAGE_SHIFT;
	for (gfn = gpa >> PAGE_SHIFT; gfn <= last;) {
		const struct memslot *s = vm_find_memslot(vm, gfn);

		if (!s)
			return false;
		gfn = s->base_gfn + s->npages;
	}
	return true;
}

bool vm_gpa_guest_writable(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t gfn, last;

	if (!range_in_slots(vm, gpa, len))
		return false;
	last = (gpa + len - 1) >> PAGE_SHIFT;
	for (gfn = gpa >> PAGE_SHIFT; gfn <= last; gfn++)
		if (vm_find_memslot(vm, gfn)->flags & MEMSLOT_READONLY)
			return false;
	return true;
}

/*
 * The bytes of guest page `gfn` (inside a memslot), its frame allocated on
 * first touch (a read of a never-written page sees zeroes either way); a
 * write first gets a private copy of a page the host made read-only.
 */
static uint8_t *page_bytes(struct vm *vm, uint64_t gfn, bool write, int *ret)
{
	hpa_t frame;

	*ret = vm_page_frame(vm, vm_find_memslot(vm, gfn), gfn, write, &frame, NULL);
	return *ret ? NULL : vm_frame_bytes(frame);
}

/* Copy between buf and guest memory page by page; the range is in slots. */
static int copy_gpa(struct vm *vm, uint64_t gpa, void *buf, uint64_t len,
		    bool to_guest)
{
	uint8_t *p = buf;
	int ret;

	while (len) {
		uint64_t off = gpa & (PAGE_SIZE_4K - 1);
		uint64_t chunk = PAGE_SIZE_4K - off < len ? PAGE_SIZE_4K - off : len;
		uint8_t *page = page_bytes(vm, gpa >> PAGE_SHIFT, to_guest, &ret);

		if (!page)
			return ret;
		if (to_guest)
			plat_memcpy(page + off, p, chunk);
		else
			plat_memcpy(p, page + off, chunk);
		gpa += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

int vm_read_gpa(struct vm *vm, uint64_t gpa, void *buf, uint64_t len)
{
	if (!range_in_slots(vm, gpa, len))
		return MMU_ENOSLOT;
	return copy_gpa(vm, gpa, buf, len, false);
}

int vm_write_gpa(struct vm *vm, uint64_t gpa, const void *buf, uint64_t len)
{
	if (!range_in_slots(vm, gpa, len))
		return MMU_ENOSLOT;
	return copy_gpa(vm, gpa, (void *)buf, len, true);
}

/* x86 is little-endian and so is every host mmulab runs on. */
int vm_read_value(struct vm *vm, uint64_t gpa, unsigned bytes, uint64_t *val)
{
	*val = 0;
	return vm_read_gpa(vm, gpa, val, bytes);
}

int vm_write_value(struct vm *vm, uint64_t gpa, unsigned bytes, uint64_t val)
{
	return vm_write_gpa(vm, gpa, &val, bytes);
}

uint64_t vm_frames_in_use(const struct vm *vm)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < vm->nr_slots; i++)
		n += vm->slots[i]->frames.resident << vm->slots[i]->frames.order;
	return n;
}

static int mem_read(void *opaque, uint64_t gpa, unsigned bytes, uint64_t *val)
{
	return vm_read_value(opaque, gpa, bytes, val);
}

static int mem_write(void *opaque, uint64_t gpa, unsigned bytes, uint64_t val)
{
	return vm_write_value(opaque, gpa, bytes, val);
}

/*
 * A/D updates by a walker (the guest's CPU, or the hypervisor's software
 * walk on its behalf).  An entry in a read-only memslot is left alone and
 * reported as updated, as KVM skips A/D writes to read-only slots: the
 * guest sees ROM whose A/D bits never change.  An update that changes the
 * entry is a guest write to the table page, so the page is logged dirty
 * (KVM marks the table gfn dirty when it sets A/D bits).
 */
static int mem_cmpxchg(void *opaque, uint64_t gpa, unsigned bytes, uint64_t old,
		       uint64_t new)
{
	struct vm *vm = opaque;
	uint64_t cur;
	uint8_t *page;
	bool done;
	int ret;

	if ((gpa & (bytes - 1)) || !range_in_slots(vm, gpa, bytes))
		return MMU_ENOSLOT;
	if (!vm_gpa_guest_writable(vm, gpa, bytes))
		return 1;
	page = page_bytes(vm, gpa >> PAGE_SHIFT, true, &ret);
	if (!page)
		return ret;
	page += gpa & (PAGE_SIZE_4K - 1);
	if (bytes == 8) {
		done = plat_cmpxchg64((volatile uint64_t *)page, old, new) == old;
	} else {
		cur = plat_cmpxchg32((volatile uint32_t *)page, (uint32_t)old, (uint32_t)new);
		done = cur == (uint32_t)old;
	}
	if (done && old != new)
		vm_mark_dirty(vm, gpa >> PAGE_SHIFT);
	return done;
}
