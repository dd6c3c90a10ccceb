/*
 * hw/kmod_client.h — user space's side of /dev/mmulab (hw/kmod/uapi/mmulab.h).
 *
 * Thin, typed wrappers over the ioctls: each fills the uapi struct, calls
 * ioctl(2), and returns 0 or a negative errno (the kernel's, or -errno of
 * open(2)).  hw/kmod/README.md says what each errno means.  The kmod
 * executor (once the module runs guests) is built on these; until then
 * they drive the MMU directly (kmod_client_fault) for tests.
 */
#ifndef MMULAB_HW_KMOD_CLIENT_H
#define MMULAB_HW_KMOD_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/kmod/uapi/mmulab.h"

#define KMOD_CLIENT_DEV "/dev/mmulab"

/* One open /dev/mmulab: one VM. */
struct kmod_client {
	int fd;  /* -1 when closed */
};

/*
 * Open the device (NULL: KMOD_CLIENT_DEV) and check that the module
 * speaks MMULAB_API_VERSION (-EPROTO if not).  -ENOENT usually means the
 * module is not loaded.
 */
int kmod_client_open(struct kmod_client *c, const char *path);
/* Frees the VM (the module does, on the last close). */
void kmod_client_close(struct kmod_client *c);

/* The defaults of a VM request: this API version, the tdp backend, EPT with A/D, 46 bits. */
void kmod_client_vm_defaults(struct mmulab_vm_create *req);
int kmod_client_create_vm(struct kmod_client *c, const struct mmulab_vm_create *req);

int kmod_client_memslot_create(struct kmod_client *c, uint32_t id, uint64_t base_gpa,
			       uint64_t size, uint32_t flags, uint32_t backing);
int kmod_client_memslot_delete(struct kmod_client *c, uint32_t id);
int kmod_client_memslot_move(struct kmod_client *c, uint32_t id, uint64_t new_base_gpa);
int kmod_client_memslot_flags(struct kmod_client *c, uint32_t id, uint32_t flags);

/* A range of the VM's device: [base, base + size) (MMULAB_MMIO_CREATE). */
int kmod_client_mmio_create(struct kmod_client *c, uint64_t base, uint64_t size);

/* len <= MMULAB_GPA_IO_MAX per call; these split longer ranges. */
int kmod_client_write_gpa(struct kmod_client *c, uint64_t gpa, const void *buf, size_t len);
int kmod_client_read_gpa(struct kmod_client *c, uint64_t gpa, void *buf, size_t len);

int kmod_client_create_vcpu(struct kmod_client *c, const struct mmulab_vcpu_create *req);

/* A register load (MMULAB_REG_*); *gp = 1 when it takes #GP. */
int kmod_client_set_reg(struct kmod_client *c, uint32_t vcpu, uint32_t reg, uint64_t value,
			bool *gp);

/* The host changes or ages [gpa, gpa + size) (MMULAB_HOST_*); *young for aging (may be NULL). */
int kmod_client_host(struct kmod_client *c, uint64_t gpa, uint64_t size, uint32_t op,
		     uint64_t *young);

/* acc[0..n) in and out; *done accesses completed (hw/kmod/svm/README.md: what runs). */
int kmod_client_run(struct kmod_client *c, uint32_t vcpu, struct mmulab_access *acc,
		    uint32_t n, uint32_t *done);

/* An exit injected from user space; f->outcome, level, out_flags on return. */
int kmod_client_fault(struct kmod_client *c, struct mmulab_fault *f);

/* out[0..max): the counters in core/mmu/stats.h order; *count written, *total known. */
int kmod_client_stats(struct kmod_client *c, uint64_t *out, uint32_t max, uint32_t *count,
		      uint32_t *total);
/* What the world switch did for the VM so far (MMULAB_GET_RUN_STATS). */
int kmod_client_run_stats(struct kmod_client *c, struct mmulab_run_stats *out);
/* Up to max events with seq > after; *count copied. */
int kmod_client_trace(struct kmod_client *c, uint64_t after, struct mmulab_trace_event *out,
		      uint32_t max, uint32_t *count);

/*
 * Fetch and clear a slot's dirty log into bitmap[0..words); *npages is
 * the slot's length.  -ENOSPC (with *npages set) when words is too few.
 */
int kmod_client_dirty_log_get(struct kmod_client *c, uint32_t slot, uint64_t *bitmap,
			      size_t words, uint64_t *npages);
int kmod_client_dirty_log_clear(struct kmod_client *c, uint32_t slot, uint64_t first,
				uint64_t count);

#endif
