/*
 * core/vm/vm.c — VM lifetime, memslots and guest-physical memory access.
 */
#include "core/errors.h"
#include "core/vm/vm.h"
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
	vm->mem_lock = plat_lock_new();
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

void vm_destroy(struct vm *vm)
{
	unsigned i;

	if (!vm)
		return;
	for (i = 0; i < vm->nr_slots; i++) {
		frame_map_destroy(&vm->slots[i]->frames);
		plat_free(vm->slots[i]);
	}
	for (i = 0; i < VM_MAX_VCPUS; i++)
		plat_free(vm->vcpus[i]);
	plat_lock_free(vm->mem_lock);
	plat_free(vm);
}

int vm_add_memslot(struct vm *vm, uint32_t id, uint64_t base_gpa, uint64_t size,
		   uint32_t flags)
{
	uint64_t base_gfn = base_gpa >> PAGE_SHIFT, npages = size >> PAGE_SHIFT;
	struct memslot *slot;
	unsigned i, pos;

	if ((base_gpa | size) & (PAGE_SIZE_4K - 1) || !npages)
		return MMU_EINVAL;
	if (vm->nr_slots == VM_MAX_MEMSLOTS)
		return MMU_ENOMEM;
	if (base_gpa + size < base_gpa ||
	    base_gpa + size > (1ULL << vm->feat.maxphyaddr))
		return MMU_ERANGE;
	for (pos = 0; pos < vm->nr_slots; pos++) {
		const struct memslot *s = vm->slots[pos];

		if (base_gfn < s->base_gfn + s->npages && s->base_gfn < base_gfn + npages)
			return MMU_EOVERLAP;
		if (s->id == id)
			return MMU_EINVAL;
	}
	slot = plat_zalloc(sizeof(*slot));
	if (!slot)
		return MMU_ENOMEM;
	slot->id = id;
	slot->base_gfn = base_gfn;
	slot->npages = npages;
	slot->flags = flags;
	for (pos = 0; pos < vm->nr_slots && vm->slots[pos]->base_gfn < base_gfn; pos++)
		;
	for (i = vm->nr_slots; i > pos; i--)
		vm->slots[i] = vm->slots[i - 1];
	vm->slots[pos] = slot;
	vm->nr_slots++;
	return 0;
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
 * The bytes of guest page `gfn`, allocating its frame on first touch (a
 * read of a never-written page sees zeroes either way).
 */
static uint8_t *page_bytes(struct vm *vm, uint64_t gfn)
{
	struct memslot *s = vm_find_memslot(vm, gfn);
	hpa_t frame;

	plat_lock(vm->mem_lock);
	frame = frame_map_get(&s->frames, gfn - s->base_gfn);
	plat_unlock(vm->mem_lock);
	return frame == PLAT_NO_FRAME ? NULL : plat_frame_map(frame);
}

/* Copy between buf and guest memory page by page; the range is in slots. */
static int copy_gpa(struct vm *vm, uint64_t gpa, void *buf, uint64_t len,
		    bool to_guest)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t off = gpa & (PAGE_SIZE_4K - 1);
		uint64_t chunk = PAGE_SIZE_4K - off < len ? PAGE_SIZE_4K - off : len;
		uint8_t *page = page_bytes(vm, gpa >> PAGE_SHIFT);

		if (!page)
			return MMU_ENOMEM;
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
		n += vm->slots[i]->frames.count;
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
 * A/D updates by a walker.  An entry in a read-only memslot is left alone
 * and reported as updated, as KVM skips A/D writes to read-only slots: the
 * guest sees ROM whose A/D bits never change.
 */
static int mem_cmpxchg(void *opaque, uint64_t gpa, unsigned bytes, uint64_t old,
		       uint64_t new)
{
	struct vm *vm = opaque;
	uint64_t cur;
	uint8_t *page;

	if ((gpa & (bytes - 1)) || !range_in_slots(vm, gpa, bytes))
		return MMU_ENOSLOT;
	if (!vm_gpa_guest_writable(vm, gpa, bytes))
		return 1;
	page = page_bytes(vm, gpa >> PAGE_SHIFT);
	if (!page)
		return MMU_ENOMEM;
	page += gpa & (PAGE_SIZE_4K - 1);
	if (bytes == 8)
		return plat_cmpxchg64((volatile uint64_t *)page, old, new) == old;
	cur = plat_cmpxchg32((volatile uint32_t *)page, (uint32_t)old, (uint32_t)new);
	return cur == (uint32_t)old;
}
