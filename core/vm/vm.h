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

#include "core/mmu/mmu.h"
#include "core/platform.h"
#include "core/vm/frames.h"
#include "core/vm/scenario.h"
#include "core/x86/walk.h"

#define VM_MAX_MEMSLOTS SCN_MAX_MEMSLOTS
#define VM_MAX_VCPUS SCN_MAX_VCPUS

struct vm_swapped;

struct memslot {
	uint32_t id;            /* the scenario's slot id */
	uint64_t base_gfn;      /* first guest frame number */
	uint64_t npages;        /* length in 4 KiB pages, > 0 */
	uint32_t flags;         /* MEMSLOT_* (scenario.h) */
	uint8_t backing;        /* host page size backing it: MMU_LEVEL_4K, _2M or _1G */
	struct frame_map frames; /* host page -> frame; lock-free reads, writes under vm->mem_lock */
	uint64_t *dirty_bitmap; /* 1 bit per page while MEMSLOT_DIRTY_LOG; atomic or */
	struct vm_swapped *swapped; /* contents of reclaimed host pages; under vm->mem_lock */
	struct memslot *retired_next; /* next deleted slot kept until vm_destroy (vm->retired) */
};

/* A host page the VM no longer uses, poisoned and kept until vm_destroy. */
struct vm_quarantined {
	hpa_t hpa;                   /* its first frame */
	unsigned order;              /* 2^order frames */
	struct vm_quarantined *next;
};

struct vcpu {
	struct vm *vm;                /* owner */
	uint32_t id;                  /* index in vm->vcpus */
	struct x86_paging_regs regs;  /* architectural state; changed by vcpu_set_reg */
	uint8_t cpl;                  /* current privilege level */
	bool eflags_ac;               /* EFLAGS.AC */
	struct walk_ctx walk;         /* rebuilt from regs on every register change */
	struct mmu_vcpu *mmu;         /* its MMU context when the VM has an MMU, else NULL */
};

struct vm {
	struct x86_cpu_features feat;           /* CPUID facts, fixed at creation */
	struct memslot *slots[VM_MAX_MEMSLOTS]; /* sorted by base_gfn, non-overlapping */
	unsigned nr_slots;
	struct vcpu *vcpus[VM_MAX_VCPUS];       /* by id; NULL = no such vCPU */
	struct plat_mutex *mem_lock;            /* serializes frame allocation; may sleep (allocates) */
	struct guest_mem mem;                   /* this VM's memory, for walkers */
	struct mmu_vm *mmu;                     /* the MMU (vm_attach_mmu), NULL on ref */
	const struct scn_mmio *mmio;            /* device ranges (the scenario's) */
	unsigned nr_mmio;
	struct mmio_regs *mmio_regs;            /* the device's registers (mmio.h); under mem_lock */
	struct vm_quarantined *quarantine;      /* host pages replaced by host changes; under mem_lock */
	struct memslot *retired;                /* deleted memslots, their frames poisoned; kept to vm_destroy */
	void (*flush)(void *opaque);            /* the executor's TLB flush (vm_attach_mmu); fixed */
	void *flush_opaque;                     /* its argument */
};

struct vm *vm_create(const struct x86_cpu_features *feat);
void vm_destroy(struct vm *vm);

/*
 * Add a memslot backed by 4K host pages (vm_memslot_create with
 * MMU_LEVEL_4K).  0, MMU_EOVERLAP, MMU_ERANGE (beyond MAXPHYADDR),
 * MMU_EINVAL, MMU_ENOMEM.
 */
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

/* ---- the VM with an MMU (vm_mmu.c; vm_gfn_to_hpa in host.c) -------------------- */

/*
 * Give the VM an MMU: creates it with this VM as its host (gfn_to_hpa over
 * the memslots' frames, mark_dirty into the memslots' bitmaps, guest
 * memory), registers every memslot and vCPU with it.  From then on memslot
 * changes, host changes and register loads are passed to the MMU too.
 * `flush` is called for the MMU's remote TLB flushes (the executor's TLBs).
 * 0 or MMU_E*.
 */
int vm_attach_mmu(struct vm *vm, const struct mmu_backend_ops *ops,
		  const struct mmu_config *cfg, void (*flush)(void *opaque),
		  void *flush_opaque);

/*
 * The host side of a guest page, as the MMU's gfn_to_hpa: the frame
 * (allocated on first touch; for 2M/1G-backed slots the whole huge host
 * page is allocated, aligned), and whether the host lets it be written.
 * A write to a page the host made read-only first gives the guest a
 * private copy, with an MMU invalidation around the change.
 */
int vm_gfn_to_hpa(struct vm *vm, uint64_t gfn, bool write, hpa_t *hpa, bool *writable);

/* ---- memslot changes and dirty logs (vm_slots.c), host changes (host.c) ---------- */

/* Each updates the VM and, when attached, the MMU.  0 or MMU_E*. */
int vm_memslot_create(struct vm *vm, uint32_t id, uint64_t base_gpa, uint64_t size,
		      uint32_t flags, int backing);
int vm_memslot_delete(struct vm *vm, uint32_t id);
int vm_memslot_move(struct vm *vm, uint32_t id, uint64_t new_base_gpa);
int vm_memslot_set_flags(struct vm *vm, uint32_t id, uint32_t flags);
struct memslot *vm_memslot_by_id(const struct vm *vm, uint32_t id);

/*
 * Fetch and clear the dirty log of a slot: *bitmap (allocated with
 * plat_zalloc, caller frees with plat_free) gets 1 bit per page.  With an
 * MMU: harvest, copy, clear, re-arm (mmu.h).
 */
int vm_dirty_log_get(struct vm *vm, uint32_t id, uint64_t **bitmap, uint64_t *npages);
int vm_dirty_log_clear(struct vm *vm, uint32_t id, uint64_t first, uint64_t count);
/* A guest write reached gfn (logged if its slot logs). */
void vm_mark_dirty(struct vm *vm, uint64_t gfn);
/*
 * A guest data write at gpa, as the CPU does it without an MMU: stores and
 * logs; dropped (returns 0) in a read-only slot; MMU_ENOSLOT outside slots.
 */
int vm_guest_write(struct vm *vm, uint64_t gpa, unsigned bytes, uint64_t val);

/* The host changes the pages behind [gpa, gpa+size) (scn_host_change). */
int vm_host_change(struct vm *vm, uint64_t gpa, uint64_t size, enum scn_host_change change);
/* The host ages [gpa, gpa+size): young leaves (0 without an MMU). */
uint64_t vm_host_age(struct vm *vm, uint64_t gpa, uint64_t size, bool test_only);

/* ---- the MMIO device (mmio.c) --------------------------------------------------- */

/* Is gpa in one of the scenario's <mmio> ranges? */
bool vm_gpa_is_mmio(const struct vm *vm, uint64_t gpa);
/* A device access (never crossing 8 bytes): registers read as all ones until written. */
int vm_mmio_read(struct vm *vm, uint64_t gpa, unsigned bytes, uint64_t *val);
int vm_mmio_write(struct vm *vm, uint64_t gpa, unsigned bytes, uint64_t val);

#endif
