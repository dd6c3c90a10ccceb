/*
 * core/vm/vm_internal.h — what the files of core/vm share (not for
 * callers: they use vm.h).
 *
 *   vm.c        VM lifetime, memslot lookup, guest-physical reads and writes
 *   host.c      host pages: fault-in, copy on write, reclaim, remap,
 *               poison and quarantine, vm_gfn_to_hpa
 *   vm_slots.c  memslot changes, dirty bitmaps, guest writes
 *   vm_mmu.c    attaching an MMU: the mmu_host callbacks
 *   vcpu.c      vCPUs and register loads
 *   mmio.c      the MMIO device
 */
#ifndef MMULAB_CORE_VM_VM_INTERNAL_H
#define MMULAB_CORE_VM_VM_INTERNAL_H

#include "core/vm/vm.h"

/* The page-size order of a backing level: 0, 9, 18. */
static inline unsigned vm_backing_order(int backing)
{
	return 9u * (unsigned)(backing - MMU_LEVEL_4K);
}

/*
 * The 4K frame backing guest page gfn of slot s (gfn inside it), its host
 * page allocated or brought back from reclaim on first touch.  With
 * `write`, a page the host made read-only first gets a private copy.
 * 0 or MMU_ENOMEM.  Lock-free when the page is resident (and writable, for
 * a write); takes vm->mem_lock otherwise.  Never called with mem_lock held.
 */
int vm_page_frame(struct vm *vm, struct memslot *s, uint64_t gfn, bool write, hpa_t *hpa,
		  bool *host_ro);

/* Free a memslot's frames, reclaimed contents, tables and bitmap, then the slot. */
void vm_slot_free(struct memslot *s);
/*
 * A deleted slot: poison its frames and keep them until vm_destroy, so a
 * backend that forgot a flush reads poison (a wrong, visible answer)
 * through a stale TLB entry rather than freed memory.
 */
void vm_slot_retire(struct vm *vm, struct memslot *s);

/* The bytes of one frame. */
static inline uint8_t *vm_frame_bytes(hpa_t frame)
{
	return plat_frame_map(frame);
}

/* Free every quarantined host page (host.c), at vm_destroy. */
void vm_quarantine_free(struct vm *vm);

/* Free the MMIO device's registers (mmio.c). */
void vm_mmio_free(struct vm *vm);

#endif
