/*
 * tools/kmod-boot/pvh/pvh.h — the layout boot.S and loader.c share (boot.S
 * includes it through the C preprocessor).
 *
 * The disk (make-pvh.sh): sector 0 boot.S, from sector 1 the loader
 * (PVH_LOADER_SECTORS, zero-padded), then the kernel and the initramfs at
 * the sectors params.h names.
 *
 * Physical memory while they run (paging off; the BIOS's data below):
 *   0x0ff0          the number of E820 entries boot.S collected (32 bits)
 *   0x1000          the E820 entries, PVH_E820_SIZE bytes each
 *   0x7c00          boot.S, where the BIOS loaded it
 *   PVH_LOADER_ADDR the loader, which boot.S read from the disk
 *   0x90000         the top of the loader's stack
 */
#ifndef MMULAB_PVH_H
#define MMULAB_PVH_H

#define PVH_E820_COUNT     0x0ff0
#define PVH_E820_TABLE     0x1000
#define PVH_E820_SIZE      24      /* base, length, type, ACPI 3.0 attributes */
#define PVH_E820_MAX       128
#define PVH_LOADER_ADDR    0x10000 /* loader.ld links it here */
#define PVH_LOADER_SECTORS 64      /* 32 KiB: the most the loader may be */
#define PVH_STACK_TOP      0x90000

/* Flat 32-bit segments of boot.S's GDT, which the kernel's entry expects. */
#define PVH_CS 0x08
#define PVH_DS 0x10

#endif
