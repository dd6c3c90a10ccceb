/*
 * core/vm/vm.h — the VM model: memslots over sparse host frames, and vCPUs
 * with the registers paging depends on.
 *
 * A memslot maps a guest-physical range to host frames that appear zeroed
 * on first touch, so a 1 TiB guest costs only what it touches.  The VM
 * exposes its memory to walkers as a `struct guest_mem` (core/x86/walk.h).
 */
#ifndef MMULAB_CORE_VM_VM_H
#define MMULAB_CORE_VM_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "core/platform.h"
#include "core/vm/frames.h"
#include "core/vm/scenario.h"
#include "core/x86/walk.h"

#define VM_MAX_MEMSLOTS SCN_MAX_MEMSLOTS
#define VM_MAX_VCPUS SCN_MAX_VCPUS

struct memslot {
	uint32_t id;            /* the scenario's slot id */
	uint64_t base_gfn;      /* first guest frame number */
	uint64_t npages;        /* length in 4 KiB pages, > 0 */
	uint32_t flags;         /* MEMSLOT_* (scenario.h) */
	struct frame_map frames; /* page index -> host frame; under vm->mem_lock */
};

struct vcpu {
	struct vm *vm;                /* owner */
	uint32_t id;                  /* index in vm->vcpus */
	struct x86_paging_regs regs;  /* architectural state; changed by vcpu_set_reg */
	uint8_t cpl;                  /* current privilege level */
	bool eflags_ac;               /* EFLAGS.AC */
	struct walk_ctx walk;         /* rebuilt from regs on every register change */
};

struct vm {
	struct x86_cpu_features feat;           /* CPUID facts, fixed at creation */
	struct memslot *slots[VM_MAX_MEMSLOTS]; /* sorted by base_gfn, non-overlapping */
	unsigned nr_slots;
	struct vcpu *vcpus[VM_MAX_VCPUS];       /* by id; NULL = no such vCPU */
	struct plat_lock *mem_lock;             /* serializes frame allocation */
	struct guest_mem mem;                   /* this VM's memory, for walkers */
};

struct vm *vm_create(const struct x86_cpu_features *feat);
void vm_destroy(struct vm *vm);

/* Add a memslot.  0, MMU_EOVERLAP, MMU_ERANGE (beyond MAXPHYADDR), MMU_EINVAL, MMU_ENOMEM. */
int vm_add_memslot(struct vm *vm, uint32_t id, uint64_t base_gpa, uint64_t size,
		   uint32_t flags);
/* The memslot holding gfn, or NULL. */
struct memslot *vm_find_memslot(const struct vm *vm, uint64_t gfn);

/*
 * Host-side access to guest-physical memory (the VMM's view: read-only
 * memslots can be written).  Ranges may cross pages and memslots; the call
 * fails with MMU_ENOSLOT, before touching anything, if any byte is outside
 * every memslot.
 */
int vm_read_gpa(struct vm *vm, uint64_t gpa, void *buf, uint64_t len);
int vm_write_gpa(struct vm *vm, uint64_t gpa, const void *buf, uint64_t len);

/* Little-endian scalar helpers over the above (bytes = 1, 2, 4 or 8). */
int vm_read_value(struct vm *vm, uint64_t gpa, unsigned bytes, uint64_t *val);
int vm_write_value(struct vm *vm, uint64_t gpa, unsigned bytes, uint64_t val);

/* Is every byte of [gpa, gpa+len) writable by the guest (in a non-read-only slot)? */
bool vm_gpa_guest_writable(const struct vm *vm, uint64_t gpa, uint64_t len);

/* Host frames currently backing guest memory (for "costs only what it touches"). */
uint64_t vm_frames_in_use(const struct vm *vm);

/* Create vCPU `id` with these registers.  0, MMU_ENOVCPU (id out of range or taken), MMU_EMODE, MMU_ENOMEM. */
int vcpu_create(struct vm *vm, uint32_t id, const struct x86_paging_regs *regs,
		uint8_t cpl, bool eflags_ac);
struct vcpu *vm_vcpu(const struct vm *vm, uint32_t id);

/*
 * Load a register as the guest's MOV would.  Returns 0 with *gp false when
 * it took effect; 0 with *gp true when the CPU raises #GP instead (an
 * invalid paging mode, or a PAE PDPTE with reserved bits) and nothing
 * changed; a negative MMU_E* code for a host-side failure.
 */
int vcpu_set_reg(struct vcpu *vcpu, enum scn_reg reg, uint64_t value, bool *gp);

#endif
