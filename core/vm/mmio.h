/*
 * core/vm/mmio.h — the trivial MMIO device behind every <mmio> range.
 *
 * A bank of 8-byte registers covering the range.  A register reads as all
 * ones until written (like a bus with nothing answering, and unlike RAM,
 * so a test can tell a device access from a memory one); a write of 1, 2,
 * 4 or 8 bytes inside one register replaces those bytes; a read returns
 * the bytes.  Nothing else happens, so every executor (ref, sim, kmod)
 * gives the same answers whichever way the access reached the device.
 * The functions are declared in vm.h (vm_gpa_is_mmio, vm_mmio_read/write).
 */
#ifndef MMULAB_CORE_VM_MMIO_H
#define MMULAB_CORE_VM_MMIO_H

#include <stdint.h>

#define MMIO_REG_BYTES 8u

/* One register that has been written; the rest read as all ones. */
struct mmio_reg {
	uint64_t gpa;           /* its first byte, 8-byte aligned */
	uint64_t value;         /* its bytes, little-endian */
	struct mmio_reg *next;
};

/* The registers written so far, in a list (scenarios write a handful); under vm->mem_lock. */
struct mmio_regs {
	struct mmio_reg *written;  /* most recently first written first */
};

#endif
