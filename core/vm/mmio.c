/*
 * core/vm/mmio.c — the trivial MMIO device (mmio.h).
 *
 * vCPU threads may reach the device at once, so the registers are under
 * vm->mem_lock; the VM's MMIO ranges are the scenario's and never change.
 */
#include "core/errors.h"
#include "core/vm/mmio.h"
#include "core/vm/vm_internal.h"

bool vm_gpa_is_mmio(const struct vm *vm, uint64_t gpa)
{
	unsigned i;

	for (i = 0; i < vm->nr_mmio; i++)
		if (gpa >= vm->mmio[i].base && gpa - vm->mmio[i].base < vm->mmio[i].size)
			return true;
	return false;
}

/* An access the device takes: inside a range, within one register. */
static int check_access(const struct vm *vm, uint64_t gpa, unsigned bytes)
{
	if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8)
		return MMU_EINVAL;
	if ((gpa % MMIO_REG_BYTES) + bytes > MMIO_REG_BYTES)
		return MMU_EINVAL;
	return vm_gpa_is_mmio(vm, gpa) ? 0 : MMU_ENOSLOT;
}

/* Under mem_lock: the register holding gpa, or NULL if never written. */
static struct mmio_reg *find_reg(const struct vm *vm, uint64_t gpa)
{
	struct mmio_reg *r;

	if (!vm->mmio_regs)
		return NULL;
	for (r = vm->mmio_regs->written; r; r = r->next)
		if (r->gpa == gpa)
			return r;
	return NULL;
}

static uint64_t byte_mask(unsigned bytes)
{
	return bytes == 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1;
}

int vm_mmio_read(struct vm *vm, uint64_t gpa, unsigned bytes, uint64_t *val)
{
	unsigned shift = 8 * (unsigned)(gpa % MMIO_REG_BYTES);
	const struct mmio_reg *r;
	uint64_t reg = ~0ULL;
	int ret = check_access(vm, gpa, bytes);

	if (ret)
		return ret;
	plat_mutex_lock(vm->mem_lock);
	r = find_reg(vm, gpa - gpa % MMIO_REG_BYTES);
	if (r)
		reg = r->value;
	plat_mutex_unlock(vm->mem_lock);
	*val = (reg >> shift) & byte_mask(bytes);
	return 0;
}

int vm_mmio_write(struct vm *vm, uint64_t gpa, unsigned bytes, uint64_t val)
{
	unsigned shift = 8 * (unsigned)(gpa % MMIO_REG_BYTES);
	uint64_t mask = byte_mask(bytes) << shift;
	struct mmio_reg *r;
	int ret = check_access(vm, gpa, bytes);

	if (ret)
		return ret;
	plat_mutex_lock(vm->mem_lock);
	if (!vm->mmio_regs)
		vm->mmio_regs = plat_zalloc(sizeof(*vm->mmio_regs));
	r = find_reg(vm, gpa - gpa % MMIO_REG_BYTES);
	if (!r && vm->mmio_regs) {
		r = plat_zalloc(sizeof(*r));
		if (r) {
			r->gpa = gpa - gpa % MMIO_REG_BYTES;
			r->value = ~0ULL;
			r->next = vm->mmio_regs->written;
			vm->mmio_regs->written = r;
		}
	}
	if (r)
		r->value = (r->value & ~mask) | ((val << shift) & mask);
	plat_mutex_unlock(vm->mem_lock);
	return r ? 0 : MMU_ENOMEM;
}

void vm_mmio_free(struct vm *vm)
{
	struct mmio_reg *r, *next;

	if (!vm->mmio_regs)
		return;
	for (r = vm->mmio_regs->written; r; r = next) {
		next = r->next;
		plat_free(r);
	}
	plat_free(vm->mmio_regs);
	vm->mmio_regs = NULL;
}
