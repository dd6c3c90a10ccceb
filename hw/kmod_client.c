/*
 * hw/kmod_client.c — user space's side of /dev/mmulab: each function
 * fills one ioctl's struct and returns 0 or a negative errno.
 *
 * Buffers go to the kernel as (u64 addr, u64 len), never as a pointer
 * whose size the kernel would have to guess.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hw/kmod_client.h"

/* The module checks the same sizes (vmctl.c): both sides agree on the ABI. */
_Static_assert(sizeof(struct mmulab_vm_create) == 72, "ABI");
_Static_assert(sizeof(struct mmulab_access) == 48, "ABI");
_Static_assert(sizeof(struct mmulab_trace_event) == 40, "ABI");
_Static_assert(sizeof(struct mmulab_fault) == 32, "ABI");
_Static_assert(sizeof(struct mmulab_mmio) == 16, "ABI");

static uint64_t user_addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* ioctl(2) as 0 or -errno, retried when a signal interrupted the wait for the VM's lock. */
static int client_ioctl(struct kmod_client *c, unsigned long cmd, void *arg)
{
	int ret;

	if (c->fd < 0)
		return -EBADF;
	do
		ret = ioctl(c->fd, cmd, arg);
	while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

int kmod_client_open(struct kmod_client *c, const char *path)
{
	uint32_t version = 0;
	int ret;

	c->fd = open(path ? path : KMOD_CLIENT_DEV, O_RDWR | O_CLOEXEC);
	if (c->fd < 0)
		return -errno;
	ret = client_ioctl(c, MMULAB_GET_API_VERSION, &version);
	if (!ret && version != MMULAB_API_VERSION)
		ret = -EPROTO;
	if (ret)
		kmod_client_close(c);
	return ret;
}

void kmod_client_close(struct kmod_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

void kmod_client_vm_defaults(struct mmulab_vm_create *req)
{
	memset(req, 0, sizeof(*req));
	req->api_version = MMULAB_API_VERSION;
	req->flags = MMULAB_VM_EPT_AD;
	req->maxphyaddr = 46;
	req->layout = MMULAB_LAYOUT_EPT;
	req->dirty_mode = MMULAB_DIRTY_WRPROT;
	snprintf(req->backend, sizeof(req->backend), "%s", "tdp");
}

int kmod_client_create_vm(struct kmod_client *c, const struct mmulab_vm_create *req)
{
	struct mmulab_vm_create r = *req;

	return client_ioctl(c, MMULAB_CREATE_VM, &r);
}

int kmod_client_memslot_create(struct kmod_client *c, uint32_t id, uint64_t base_gpa,
			       uint64_t size, uint32_t flags, uint32_t backing)
{
	struct mmulab_memslot r = {
		.id = id, .flags = flags, .base_gpa = base_gpa, .size = size, .backing = backing,
	};

	return client_ioctl(c, MMULAB_MEMSLOT_CREATE, &r);
}

int kmod_client_memslot_delete(struct kmod_client *c, uint32_t id)
{
	struct mmulab_memslot_id r = { .id = id };

	return client_ioctl(c, MMULAB_MEMSLOT_DELETE, &r);
}

int kmod_client_memslot_move(struct kmod_client *c, uint32_t id, uint64_t new_base_gpa)
{
	struct mmulab_memslot_move r = { .id = id, .base_gpa = new_base_gpa };

	return client_ioctl(c, MMULAB_MEMSLOT_MOVE, &r);
}

int kmod_client_memslot_flags(struct kmod_client *c, uint32_t id, uint32_t flags)
{
	struct mmulab_memslot_flags r = { .id = id, .flags = flags };

	return client_ioctl(c, MMULAB_MEMSLOT_FLAGS, &r);
}

int kmod_client_mmio_create(struct kmod_client *c, uint64_t base, uint64_t size)
{
	struct mmulab_mmio r = { .base = base, .size = size };

	return client_ioctl(c, MMULAB_MMIO_CREATE, &r);
}

/* One ioctl per MMULAB_GPA_IO_MAX bytes; buf advances with gpa. */
static int client_gpa_io(struct kmod_client *c, unsigned long cmd, uint64_t gpa,
			 const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len) {
		size_t n = len < MMULAB_GPA_IO_MAX ? len : (size_t)MMULAB_GPA_IO_MAX;
		struct mmulab_gpa_io r = { .gpa = gpa, .addr = user_addr(p), .len = n };
		int ret = client_ioctl(c, cmd, &r);

		if (ret)
			return ret;
		gpa += n;
		p += n;
		len -= n;
	}
	return 0;
}

int kmod_client_write_gpa(struct kmod_client *c, uint64_t gpa, const void *buf, size_t len)
{
	return client_gpa_io(c, MMULAB_WRITE_GPA, gpa, buf, len);
}

int kmod_client_read_gpa(struct kmod_client *c, uint64_t gpa, void *buf, size_t len)
{
	return client_gpa_io(c, MMULAB_READ_GPA, gpa, buf, len);
}

int kmod_client_create_vcpu(struct kmod_client *c, const struct mmulab_vcpu_create *req)
{
	struct mmulab_vcpu_create r = *req;

	return client_ioctl(c, MMULAB_CREATE_VCPU, &r);
}

int kmod_client_run(struct kmod_client *c, uint32_t vcpu, struct mmulab_access *acc,
		    uint32_t n, uint32_t *done)
{
	struct mmulab_run r = {
		.vcpu = vcpu, .count = n, .addr = user_addr(acc),
		.len = (uint64_t)n * sizeof(*acc),
	};
	int ret = client_ioctl(c, MMULAB_RUN, &r);

	if (done)
		*done = ret ? 0 : r.done;
	return ret;
}

int kmod_client_fault(struct kmod_client *c, struct mmulab_fault *f)
{
	return client_ioctl(c, MMULAB_FAULT, f);
}

int kmod_client_run_stats(struct kmod_client *c, struct mmulab_run_stats *out)
{
	*out = (struct mmulab_run_stats){ 0 };
	return client_ioctl(c, MMULAB_GET_RUN_STATS, out);
}

int kmod_client_stats(struct kmod_client *c, uint64_t *out, uint32_t max, uint32_t *count,
		      uint32_t *total)
{
	struct mmulab_stats r = { .addr = user_addr(out), .len = (uint64_t)max * sizeof(*out) };
	int ret = client_ioctl(c, MMULAB_GET_STATS, &r);

	if (!ret) {
		*count = r.count;
		*total = r.total;
	}
	return ret;
}

int kmod_client_trace(struct kmod_client *c, uint64_t after, struct mmulab_trace_event *out,
		      uint32_t max, uint32_t *count)
{
	struct mmulab_trace r = {
		.after = after, .addr = user_addr(out), .len = (uint64_t)max * sizeof(*out),
	};
	int ret = client_ioctl(c, MMULAB_GET_TRACE, &r);

	*count = ret ? 0 : r.count;
	return ret;
}

int kmod_client_dirty_log_get(struct kmod_client *c, uint32_t slot, uint64_t *bitmap,
			      size_t words, uint64_t *npages)
{
	struct mmulab_dirty_log r = {
		.slot = slot, .addr = user_addr(bitmap), .len = (uint64_t)words * sizeof(*bitmap),
	};
	int ret = client_ioctl(c, MMULAB_GET_DIRTY_LOG, &r);

	/* The kernel tells the slot's size on -ENOSPC too, so the caller can retry. */
	if (!ret || ret == -ENOSPC)
		*npages = r.npages;
	return ret;
}

int kmod_client_dirty_log_clear(struct kmod_client *c, uint32_t slot, uint64_t first,
				uint64_t count)
{
	struct mmulab_dirty_clear r = { .slot = slot, .first = first, .count = count };

	return client_ioctl(c, MMULAB_CLEAR_DIRTY_LOG, &r);
}

int kmod_client_set_reg(struct kmod_client *c, uint32_t vcpu, uint32_t reg, uint64_t value,
			bool *gp)
{
	struct mmulab_set_reg r = { .vcpu = vcpu, .reg = reg, .value = value };
	int ret = client_ioctl(c, MMULAB_SET_REG, &r);

	if (!ret)
		*gp = r.gp;
	return ret;
}

int kmod_client_host(struct kmod_client *c, uint64_t gpa, uint64_t size, uint32_t op,
		     uint64_t *young)
{
	struct mmulab_host r = { .gpa = gpa, .size = size, .op = op };
	int ret = client_ioctl(c, MMULAB_HOST, &r);

	if (!ret && young)
		*young = r.young;
	return ret;
}
