/*
 * core/vm/reserved.h — the linear and guest-physical ranges every scenario
 * leaves alone, so that the kmod executor's guest can live there.
 *
 * On real SVM/VMX a scenario's accesses are made by a small interpreter
 * (hw/kmod/guest.h) that must itself be mapped in the vCPU's own page
 * tables and live in guest memory.  For the length of one run the module
 * points one entry of the vCPU's paging structures at the interpreter's
 * tables, and afterwards puts back exactly what was there; the
 * interpreter's memory is a guest-physical range of its own.  A scenario
 * that used these ranges could tell (design rule 4: same guest, same
 * answer), so the loader rejects, for every executor, any map or access
 * that meets the linear range of its paging mode, and any memslot or MMIO
 * range that meets the guest-physical one (docs/scenario-format.md,
 * "Reserved ranges").
 *
 * Linear: what the one hooked entry maps, by paging mode.
 *
 *   32-bit     PDE 1023                  [0xffc00000, 2^32)          4 MiB
 *   PAE        PDE 511 under PDPTE 3     [0xffe00000, 2^32)          2 MiB
 *   4-level    PML4E 510                 [0xffffff0000000000,      512 GiB
 *                                         0xffffff8000000000)
 *   5-level    PML5E 511                 [0xffff000000000000, 2^64) 256 TiB
 *   paging off none: the linear address is the gpa, so the range below
 *
 * The interpreter is seen at VM_RSV_VA64 in 4- and 5-level paging (PML5E
 * 511 leads to a PML4 of the module's whose only entry is 510) and at
 * VM_RSV_VA32 in 32-bit and PAE paging (the upper half of PDE 1023 in
 * 32-bit paging).
 *
 * Guest-physical: the last MiB below 4 GiB.  Below 4 GiB because 32-bit
 * paging entries hold 32-bit addresses and a PAE CR3 locates its PDPT with
 * bits 31:5 (SDM 4.3, 4.4.1), and so every MAXPHYADDR reaches it; KVM keeps
 * its own pages for real-mode guests up there too (VMX's identity map at
 * 0xfffbc000).
 *
 * The constants are plain numbers so that assembly (hw/kmod/guest_code*.S,
 * through guest.h) may include this file.
 */
#ifndef MMULAB_CORE_VM_RESERVED_H
#define MMULAB_CORE_VM_RESERVED_H

#define VM_RSV_GPA		0xfff00000ULL
#define VM_RSV_GPA_SIZE		0x100000ULL		/* 1 MiB */

#define VM_RSV_PDE32_INDEX	1023
#define VM_RSV_VA_32BIT		0xffc00000ULL		/* PDE 1023: 4 MiB */
#define VM_RSV_PDPTE_INDEX	3
#define VM_RSV_PDE_PAE_INDEX	511
#define VM_RSV_VA_PAE		0xffe00000ULL		/* PDPTE 3, PDE 511: 2 MiB */
#define VM_RSV_PML4_INDEX	510
#define VM_RSV_VA_4LEVEL	0xffffff0000000000ULL
#define VM_RSV_VA_4LEVEL_SIZE	0x8000000000ULL		/* one PML4E: 512 GiB */
#define VM_RSV_PML5_INDEX	511
#define VM_RSV_VA_5LEVEL	0xffff000000000000ULL	/* to 2^64: one PML5E, 256 TiB */

/* Where the interpreter is seen: 32-bit and PAE paging; 4- and 5-level paging. */
#define VM_RSV_VA32		VM_RSV_VA_PAE
#define VM_RSV_VA64		VM_RSV_VA_4LEVEL

#ifndef __ASSEMBLY__

#include <stdbool.h>
#include <stdint.h>

#include "core/x86/walk.h"

/*
 * The reserved linear range of a paging mode: true with [*first, *last]
 * (inclusive: the 5-level one ends at 2^64 - 1); false with paging off,
 * where only the guest-physical range is reserved.
 */
bool vm_rsv_va(enum paging_mode mode, uint64_t *first, uint64_t *last);
/* Does [va, va + len) meet the reserved linear range of `mode`? (len > 0) */
bool vm_rsv_va_meets(enum paging_mode mode, uint64_t va, uint64_t len);
/* Does [gpa, gpa + len) meet the reserved guest-physical range? (len > 0) */
bool vm_rsv_gpa_meets(uint64_t gpa, uint64_t len);

#endif /* __ASSEMBLY__ */
#endif
