/*
 * hw/kmod/vmctl.h — what each /dev/mmulab ioctl does, on kernel memory.
 *
 * dev.c copies an ioctl's struct and buffers in from user space, calls one
 * of these, and copies the results out; the load-time self-test
 * (vm_selftest.c) calls the same functions with kernel buffers.  Each one
 * validates every field of its request and returns 0 or a negative errno,
 * never an MMU_E* code.
 *
 * Locking: the caller serializes every call on one VM (dev.c holds the
 * file's mutex), as the core requires: memslots change only while no vCPU
 * runs.  When the world switch exists, vmctl_run will enter the guest with
 * the same mutex held, so nothing here changes under a running vCPU.
 */
#ifndef MMULAB_HW_KMOD_VMCTL_H
#define MMULAB_HW_KMOD_VMCTL_H

#include <linux/types.h>

#include "hw/kmod/uapi/mmulab.h"

/*
 * One VM of /dev/mmulab (vmctl.c).  Opaque, and this header includes no
 * core header: core's bits.h and the kernel's headers both define
 * PAGE_SHIFT and BIT_ULL, so a file includes one side or the other.
 */
struct vmctl_vm;

int vmctl_vm_create(const struct mmulab_vm_create *req, struct vmctl_vm **out);
/* Frees the VM, its vCPUs, memslots, guest memory and MMU.  NULL is fine. */
void vmctl_vm_destroy(struct vmctl_vm *v);

int vmctl_memslot_create(struct vmctl_vm *v, const struct mmulab_memslot *req);
int vmctl_memslot_delete(struct vmctl_vm *v, const struct mmulab_memslot_id *req);
int vmctl_memslot_move(struct vmctl_vm *v, const struct mmulab_memslot_move *req);
int vmctl_memslot_flags(struct vmctl_vm *v, const struct mmulab_memslot_flags *req);

/* A range of the VM's device (vmctl_mmio.c). */
int vmctl_mmio_create(struct vmctl_vm *v, const struct mmulab_mmio *req);

/* req->addr is ignored: buf holds (or receives) req->len bytes. */
int vmctl_gpa_io_check(struct vmctl_vm *v, const struct mmulab_gpa_io *req);
int vmctl_write_gpa(struct vmctl_vm *v, const struct mmulab_gpa_io *req, const void *buf);
int vmctl_read_gpa(struct vmctl_vm *v, const struct mmulab_gpa_io *req, void *buf);

int vmctl_vcpu_create(struct vmctl_vm *v, const struct mmulab_vcpu_create *req);

/* A register load (vcpu_set_reg); req->gp out. */
int vmctl_set_reg(struct vmctl_vm *v, struct mmulab_set_reg *req);

/* A host change or aging of guest pages (vm_host_change / vm_host_age). */
int vmctl_host(struct vmctl_vm *v, struct mmulab_host *req);

/* The batch header: count, len, the vCPU.  0 or -errno. */
int vmctl_run_check(struct vmctl_vm *v, const struct mmulab_run *req);
/* acc[0..req->count) in and out.  -ENOSYS until the world switch exists. */
int vmctl_run(struct vmctl_vm *v, struct mmulab_run *req, struct mmulab_access *acc);

/* An exit injected from user space: the fault goes to mmu_page_fault. */
int vmctl_fault(struct vmctl_vm *v, struct mmulab_fault *req);

/* Remote TLB flushes the MMU has asked for (nothing runs to flush yet). */
__u64 vmctl_tlb_flush_reqs(struct vmctl_vm *v);

/* Room the caller needs for every counter (more than core has, checked at build). */
#define VMCTL_STATS_MAX 64
/*
 * Checks req->len; fills out[] (VMCTL_STATS_MAX entries) with the first
 * min(len / 8, total) counters; sets req->count and req->total.
 */
int vmctl_stats(struct vmctl_vm *v, struct mmulab_stats *req, __u64 *out);

/* What the world switch did for this VM (req->reserved must be zero). */
int vmctl_run_stats(struct vmctl_vm *v, struct mmulab_run_stats *req);

/* Checks req->len; *max gets the events it has room for. */
int vmctl_trace_check(struct vmctl_vm *v, const struct mmulab_trace *req, __u32 *max);
/* Fills out[0..max) with events after req->after; sets req->count. */
void vmctl_trace(struct vmctl_vm *v, struct mmulab_trace *req, struct mmulab_trace_event *out,
		 __u32 max);

/*
 * Fetch and clear the log: *bitmap (the caller frees it with
 * vmctl_free_bitmap) gets req->npages bits.  -ENOSPC, with req->npages set, when req->len is
 * too small; nothing is cleared then.
 */
int vmctl_dirty_log_get(struct vmctl_vm *v, struct mmulab_dirty_log *req, __u64 **bitmap);
void vmctl_free_bitmap(__u64 *bitmap);
int vmctl_dirty_log_clear(struct vmctl_vm *v, const struct mmulab_dirty_clear *req);

#endif
