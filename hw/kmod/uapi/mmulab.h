/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hw/kmod/uapi/mmulab.h — the /dev/mmulab ABI, shared by mmulab.ko and
 * user space (hw/kmod_client.c).
 *
 * One VM per open file descriptor: MMULAB_CREATE_VM once, then every other
 * ioctl acts on that VM; closing the descriptor frees it.  Every struct is
 * fixed-width with explicit padding (which must be zero), so the layout is
 * the same for 32- and 64-bit callers; every buffer is a (u64 addr, u64 len)
 * pair, never a pointer whose size is implied.  `reserved` fields must be
 * zero, so later versions can give them a meaning.  hw/kmod/README.md has
 * the table of ioctls and their errors.
 */
#ifndef MMULAB_UAPI_MMULAB_H
#define MMULAB_UAPI_MMULAB_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * Bumped on any incompatible change; MMULAB_CREATE_VM must name it.
 * 2: the reserved guest-physical range moved below 4 GiB (for 32-bit
 * guests); MMULAB_ACCESS_IMPLICIT.  3: MMULAB_MMIO_CREATE.
 */
#define MMULAB_API_VERSION 3

/* ioctl type byte (Documentation/userspace-api/ioctl/ioctl-number.rst lists 0xB8 free). */
#define MMULAB_IOCTL_TYPE 0xB8

/* ---- limits (checked by every ioctl; -EINVAL beyond them) --------------------------- */

#define MMULAB_BACKEND_NAME_MAX 16      /* bytes of backend[], NUL included */
#define MMULAB_MAX_MEMSLOTS     32      /* slot ids are 0..31 */
/*
 * The module's own memslot, holding its guest in the reserved
 * guest-physical range [0xfff00000, 0x100000000) (core/vm/reserved.h, where
 * the linear ranges it reserves in each paging mode are too): neither is
 * the caller's to use (-EINVAL).
 */
#define MMULAB_RSV_SLOT         31
#define MMULAB_MAX_VCPUS        64      /* vCPU ids are 0..63 */
#define MMULAB_MAX_MMIO         16      /* device ranges per VM */
#define MMULAB_SLOT_SIZE_MAX    (1ULL << 40)  /* one memslot: 1 TiB (sparse) */
#define MMULAB_GPA_IO_MAX       (1ULL << 20)  /* one read/write of guest memory: 1 MiB */
#define MMULAB_RUN_MAX          4096    /* accesses in one MMULAB_RUN batch */
#define MMULAB_TRACE_MAX        4096    /* events in one MMULAB_GET_TRACE */
/*
 * Guest memory the host may back, per VM (deleted slots count until the VM
 * goes): room for one 1 GiB host page and the rest of a scenario.
 */
#define MMULAB_GUEST_MEM_MAX    (2ULL << 30)

/* ---- MMULAB_CREATE_VM ---------------------------------------------------------------- */

/* mmulab_vm_create.flags */
#define MMULAB_VM_GBPAGES     (1u << 0)  /* the guest CPU has 1G pages (CPUID Page1GB) */
#define MMULAB_VM_EPT_AD      (1u << 1)  /* EPT: the EPTP enables A/D bits (NPT always has them) */
#define MMULAB_VM_EAGER_SPLIT (1u << 2)  /* split huge pages when dirty logging starts */
#define MMULAB_VM_TRACE       (1u << 3)  /* record MMU trace events (MMULAB_GET_TRACE) */
#define MMULAB_VM_FLAGS       0xfu       /* every flag defined */

/* mmulab_vm_create.layout: the TDP tables the MMU builds. */
#define MMULAB_LAYOUT_EPT 0  /* Intel EPT */
#define MMULAB_LAYOUT_NPT 1  /* AMD NPT */

/* mmulab_vm_create.dirty_mode */
#define MMULAB_DIRTY_WRPROT 0  /* write-protect; the first write faults and is logged */
#define MMULAB_DIRTY_DBIT   1  /* clear D bits, harvest them on get (needs A/D) */

struct mmulab_vm_create {
	__u32 api_version;   /* MMULAB_API_VERSION, else -EPROTO */
	__u32 flags;         /* MMULAB_VM_* */
	__u32 maxphyaddr;    /* the guest's physical-address width, 36..52 */
	__u32 layout;        /* MMULAB_LAYOUT_* */
	__u32 dirty_mode;    /* MMULAB_DIRTY_* */
	__u32 pad;           /* zero */
	char backend[MMULAB_BACKEND_NAME_MAX]; /* "tdp"; NUL-terminated within the array */
	__u64 reserved[4];   /* zero */
};

/* ---- memslots ----------------------------------------------------------------------- */

/* mmulab_memslot.flags, and mmulab_memslot_flags.flags */
#define MMULAB_SLOT_READONLY  (1u << 0)  /* the guest cannot write it */
#define MMULAB_SLOT_DIRTY_LOG (1u << 1)  /* guest writes are logged */

/* mmulab_memslot.backing: the host pages behind the slot. */
#define MMULAB_LEVEL_4K 1
#define MMULAB_LEVEL_2M 2
#define MMULAB_LEVEL_1G 3

struct mmulab_memslot {
	__u32 id;            /* 0..MMULAB_MAX_MEMSLOTS-1, not in use */
	__u32 flags;         /* MMULAB_SLOT_* */
	__u64 base_gpa;      /* aligned to the backing page size */
	__u64 size;          /* bytes: > 0, a multiple of the backing page size, <= SLOT_SIZE_MAX */
	__u32 backing;       /* MMULAB_LEVEL_* */
	__u32 pad;           /* zero */
};

struct mmulab_memslot_id {
	__u32 id;            /* an existing slot */
	__u32 pad;           /* zero */
};

struct mmulab_memslot_move {
	__u32 id;            /* an existing slot */
	__u32 pad;           /* zero */
	__u64 base_gpa;      /* its new base; contents move with it */
};

struct mmulab_memslot_flags {
	__u32 id;            /* an existing slot */
	__u32 flags;         /* MMULAB_SLOT_*: only DIRTY_LOG may change */
};

/* ---- MMIO: guest-physical ranges with a device behind them --------------------------- */

/*
 * One range of the VM's device (core/vm/mmio.h): 8-byte registers that
 * read as all ones until written.  It has no memory behind it, so every
 * guest access there exits and the module performs it on the device
 * (hw/kmod/README.md, "MMIO and ROM").  Ranges stay for the VM's life, and never
 * overlap a memslot: a memslot created or moved onto one is -EEXIST.
 */
struct mmulab_mmio {
	__u64 base;          /* a multiple of 8 */
	__u64 size;          /* bytes: > 0, a multiple of 8 */
};

/* ---- guest memory, as the host sees it -------------------------------------------- */

struct mmulab_gpa_io {
	__u64 gpa;           /* first byte; the range may cross pages and slots */
	__u64 addr;          /* user buffer */
	__u64 len;           /* bytes, 1..MMULAB_GPA_IO_MAX; every byte inside a memslot */
};

/* ---- vCPUs --------------------------------------------------------------------------- */

/* mmulab_vcpu_create.flags */
#define MMULAB_VCPU_EFLAGS_AC (1u << 0)  /* EFLAGS.AC: with CR4.SMAP, CPL 0-2 may touch user pages */

struct mmulab_vcpu_create {
	__u32 id;            /* 0..MMULAB_MAX_VCPUS-1, not in use */
	__u32 cpl;           /* 0..3 */
	__u32 flags;         /* MMULAB_VCPU_* */
	__u32 pkru;          /* PKRU */
	__u64 cr0;           /* CR0, CR3, CR4, EFER as after the guest's MOVs: */
	__u64 cr3;           /* EFER.LMA must equal LME && CR0.PG, and the mode */
	__u64 cr4;           /* be valid (-EINVAL); PAE PDPTEs are loaded from */
	__u64 efer;          /* guest memory at CR3, so write the tables first */
};

/* mmulab_set_reg.reg */
#define MMULAB_REG_CR0       0
#define MMULAB_REG_CR3       1
#define MMULAB_REG_CR4       2
#define MMULAB_REG_EFER      3
#define MMULAB_REG_PKRU      4
#define MMULAB_REG_CPL       5
#define MMULAB_REG_EFLAGS_AC 6

/* A register load on a vCPU, as the guest's MOV / WRMSR would do it. */
struct mmulab_set_reg {
	__u32 vcpu;          /* in: an existing vCPU */
	__u32 reg;           /* in: MMULAB_REG_* */
	__u64 value;         /* in */
	__u32 gp;            /* out: 1 = the load takes #GP (nothing changed) */
	__u32 pad;           /* zero */
};

/* mmulab_host.op: what the host does to the pages behind [gpa, gpa + size) */
#define MMULAB_HOST_RECLAIM   0  /* swap out: contents come back on next touch, in a new frame */
#define MMULAB_HOST_REMAP     1  /* migrate: contents move to a new frame now */
#define MMULAB_HOST_READONLY  2  /* the host maps them read-only (a guest write breaks it) */
#define MMULAB_HOST_AGE       3  /* age them (access tracking): young counts leaves, clears A */
#define MMULAB_HOST_AGE_TEST  4  /* as AGE, but only look */

struct mmulab_host {
	__u64 gpa;           /* in: 4 KiB aligned */
	__u64 size;          /* in: bytes, a 4 KiB multiple, > 0 */
	__u32 op;            /* in: MMULAB_HOST_* */
	__u32 pad;           /* zero */
	__u64 young;         /* out: AGE, AGE_TEST: young leaves found */
};

/* ---- running accesses (hw/kmod/README.md, "MMULAB_RUN", says what runs) -------------------- */

/* mmulab_access.kind, mmulab_fault.access */
#define MMULAB_ACCESS_READ  0
#define MMULAB_ACCESS_WRITE 1
#define MMULAB_ACCESS_FETCH 2

/* mmulab_access.flags */
#define MMULAB_ACCESS_EFLAGS_AC (1u << 0)  /* EFLAGS.AC during this access */
/*
 * An implicit supervisor-mode read (SDM 4.6: the CPU reading a system
 * structure, here an IDT gate at gva): supervisor-mode even at CPL 3, and
 * SMAP ignores EFLAGS.AC for it.  Reads only.
 */
#define MMULAB_ACCESS_IMPLICIT  (1u << 1)
#define MMULAB_ACCESS_FLAGS     0x3u       /* every flag defined */

/* mmulab_access.outcome */
#define MMULAB_OUTCOME_OK 0  /* completed: value (reads, fetches) and gpa valid */
#define MMULAB_OUTCOME_PF 1  /* the guest took #PF: error_code, cr2 */
#define MMULAB_OUTCOME_GP 2  /* the guest took #GP */

struct mmulab_access {
	__u64 gva;           /* in: the linear address */
	__u64 value;         /* in: written value; out: value read (zero-extended) */
	__u8 kind;           /* in: MMULAB_ACCESS_* */
	__u8 size;           /* in: 1, 2, 4 or 8 bytes */
	__u8 cpl;            /* in: 0..3 */
	__u8 flags;          /* in: MMULAB_ACCESS_* flags */
	__u32 outcome;       /* out: MMULAB_OUTCOME_* */
	__u32 error_code;    /* out: #PF error code */
	__u32 pad;           /* zero */
	__u64 cr2;           /* out: #PF linear address */
	__u64 gpa;           /* out: where an OK access went; 0 on SVM (the guest cannot see it) */
};

struct mmulab_run {
	__u32 vcpu;          /* in: an existing vCPU */
	__u32 count;         /* in: accesses, 1..MMULAB_RUN_MAX */
	__u64 addr;          /* in: struct mmulab_access[count], updated in place */
	__u64 len;           /* in: count * sizeof(struct mmulab_access) exactly */
	__u32 done;          /* out: accesses completed */
	__u32 pad;           /* zero */
};

/* ---- a fault injected from user space ------------------------------------------------ */

/* mmulab_fault.flags (in): what the hardware would report with the exit */
#define MMULAB_FAULT_PRESENT     (1u << 0)  /* a translation existed but lacked the right */
#define MMULAB_FAULT_RSVD        (1u << 1)  /* reserved bits / misconfiguration (MMIO SPTE) */
#define MMULAB_FAULT_GUEST_TABLE (1u << 2)  /* the access was to a guest paging entry */
#define MMULAB_FAULT_FLAGS       0x7u
/* mmulab_fault.out_flags */
#define MMULAB_FAULT_MMIO_FAST   (1u << 0)  /* MMIO answered from a valid MMIO SPTE */

/* mmulab_fault.outcome (out) */
#define MMULAB_FAULT_FIXED    0  /* an SPTE was installed or fixed */
#define MMULAB_FAULT_SPURIOUS 1  /* nothing to do */
#define MMULAB_FAULT_RETRY    2  /* raced with an invalidation */
#define MMULAB_FAULT_MMIO     3  /* no memslot: the access would be emulated */

struct mmulab_fault {
	__u32 vcpu;          /* in: an existing vCPU */
	__u32 access;        /* in: MMULAB_ACCESS_* */
	__u64 gpa;           /* in: below 2^maxphyaddr */
	__u32 flags;         /* in: MMULAB_FAULT_* */
	__u32 outcome;       /* out: MMULAB_FAULT_FIXED.. */
	__u32 level;         /* out: FIXED: level of the leaf installed (1 = 4K) */
	__u32 out_flags;     /* out: MMULAB_FAULT_MMIO_FAST */
};

/* ---- statistics and trace events ----------------------------------------------------- */

struct mmulab_stats {
	__u64 addr;          /* in: __u64 buffer, the counters in core/mmu/stats.h order */
	__u64 len;           /* in: bytes, a multiple of 8; the first len/8 counters are written */
	__u32 count;         /* out: counters written */
	__u32 total;         /* out: counters the module has (MMU_NR_STATS) */
};

/*
 * What the world switch did for this VM so far, over every MMULAB_RUN
 * (costs, not results).  The TSC counts are the host CPU's: under an
 * emulator they are the emulator's idea of time (docs/hw.md).
 */
struct mmulab_run_stats {
	__u64 runs;          /* out: runs of a vCPU until its hypercall (or fault, for one access) */
	__u64 entries;       /* out: VM entries (VMRUN, VMLAUNCH/VMRESUME); one exit each */
	__u64 tdp_violations; /* out: #NPF / EPT violations on a missing or lacking SPTE */
	__u64 tdp_misconfigs; /* out: #NPF with RSVD / EPT misconfigurations (MMIO SPTEs) */
	__u64 intr_exits;    /* out: external interrupts and NMIs */
	__u64 flushes;       /* out: entries that flushed the guest's TLB */
	__u64 tsc_guest;     /* out: TSC ticks from just before each entry to just after its exit */
	__u64 tsc_exits;     /* out: TSC ticks handling exits: from an exit to the next entry */
	__u64 tsc_khz;       /* out: the TSC's frequency, 0 if the kernel does not know it */
	__u64 mmio;          /* out: accesses the module performed on the device in the guest's place */
	__u64 reserved;      /* in: zero */
};

struct mmulab_trace_event {
	__u64 seq;           /* 1, 2, ...: a gap means events were overwritten */
	__u64 gfn;
	__u64 old_spte;
	__u64 new_spte;
	__u32 vcpu;          /* 0xffffffff for VM-wide events */
	__u16 kind;          /* enum mmu_trace_kind (core/mmu/trace.h) */
	__u8 level;
	__u8 pad;
};

struct mmulab_trace {
	__u64 after;         /* in: copy events with seq > after */
	__u64 addr;          /* in: struct mmulab_trace_event buffer */
	__u64 len;           /* in: bytes, a multiple of the event size, <= MMULAB_TRACE_MAX events */
	__u32 count;         /* out: events copied, oldest first */
	__u32 pad;           /* zero */
};

/* ---- dirty logs ------------------------------------------------------------------------ */

struct mmulab_dirty_log {
	__u32 slot;          /* in: a slot with MMULAB_SLOT_DIRTY_LOG */
	__u32 pad;           /* zero */
	__u64 addr;          /* in: __u64 bitmap buffer, bit i = page i of the slot */
	__u64 len;           /* in: bytes, >= 8 * ceil(npages / 64), else -ENOSPC (npages set) */
	__u64 npages;        /* out: pages in the slot */
};

struct mmulab_dirty_clear {
	__u32 slot;          /* in: a slot with MMULAB_SLOT_DIRTY_LOG */
	__u32 pad;           /* zero */
	__u64 first;         /* in: first page to forget and re-arm */
	__u64 count;         /* in: pages; first + count <= npages */
};

/* ---- the ioctls ------------------------------------------------------------------------- */

#define MMULAB_GET_API_VERSION _IOR(MMULAB_IOCTL_TYPE, 0x00, __u32)
#define MMULAB_CREATE_VM       _IOW(MMULAB_IOCTL_TYPE, 0x01, struct mmulab_vm_create)
#define MMULAB_MEMSLOT_CREATE  _IOW(MMULAB_IOCTL_TYPE, 0x10, struct mmulab_memslot)
#define MMULAB_MEMSLOT_DELETE  _IOW(MMULAB_IOCTL_TYPE, 0x11, struct mmulab_memslot_id)
#define MMULAB_MEMSLOT_MOVE    _IOW(MMULAB_IOCTL_TYPE, 0x12, struct mmulab_memslot_move)
#define MMULAB_MEMSLOT_FLAGS   _IOW(MMULAB_IOCTL_TYPE, 0x13, struct mmulab_memslot_flags)
#define MMULAB_MMIO_CREATE     _IOW(MMULAB_IOCTL_TYPE, 0x14, struct mmulab_mmio)
#define MMULAB_WRITE_GPA       _IOW(MMULAB_IOCTL_TYPE, 0x20, struct mmulab_gpa_io)
#define MMULAB_READ_GPA        _IOW(MMULAB_IOCTL_TYPE, 0x21, struct mmulab_gpa_io)
#define MMULAB_CREATE_VCPU     _IOW(MMULAB_IOCTL_TYPE, 0x30, struct mmulab_vcpu_create)
#define MMULAB_RUN             _IOWR(MMULAB_IOCTL_TYPE, 0x31, struct mmulab_run)
#define MMULAB_SET_REG         _IOWR(MMULAB_IOCTL_TYPE, 0x32, struct mmulab_set_reg)
#define MMULAB_HOST            _IOWR(MMULAB_IOCTL_TYPE, 0x70, struct mmulab_host)
#define MMULAB_FAULT           _IOWR(MMULAB_IOCTL_TYPE, 0x40, struct mmulab_fault)
#define MMULAB_GET_STATS       _IOWR(MMULAB_IOCTL_TYPE, 0x50, struct mmulab_stats)
#define MMULAB_GET_RUN_STATS   _IOWR(MMULAB_IOCTL_TYPE, 0x52, struct mmulab_run_stats)
#define MMULAB_GET_TRACE       _IOWR(MMULAB_IOCTL_TYPE, 0x51, struct mmulab_trace)
#define MMULAB_GET_DIRTY_LOG   _IOWR(MMULAB_IOCTL_TYPE, 0x60, struct mmulab_dirty_log)
#define MMULAB_CLEAR_DIRTY_LOG _IOW(MMULAB_IOCTL_TYPE, 0x61, struct mmulab_dirty_clear)

#endif /* MMULAB_UAPI_MMULAB_H */
