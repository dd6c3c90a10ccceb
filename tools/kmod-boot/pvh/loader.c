/*
 * tools/kmod-boot/pvh/loader.c — start Linux through its PVH entry under
 * Bochs, which has no direct kernel boot.
 *
 * boot.S read this loader from the disk, left the BIOS's memory map,
 * entered 32-bit protected mode and jumped here.  The loader reads the
 * kernel's loadable segments (flat, as make-pvh.sh cut them out of
 * vmlinux) and the initramfs from the same disk to their physical
 * addresses, by ATA PIO with REP INSW, which Bochs runs a sector at a time
 * instead of a word at a time (its BIOS reads ~0.6 MB/s; this, ~20 MB/s).
 * Then the PVH boot ABI (Xen's "x86/HVM direct boot ABI", which Linux
 * implements with CONFIG_PVH): a struct hvm_start_info with the command
 * line, the initramfs as module 0, the memory map and the ACPI RSDP, its
 * address in EBX, and a jump to the physical entry point the kernel names
 * in its ELF note XEN_ELFNOTE_PHYS32_ENTRY, in protected mode with flat
 * segments, paging and interrupts off.  Skipping the bzImage means
 * skipping its xz decompression, most of a Bochs boot.
 *
 * params.h, made by make-pvh.sh for each boot, says where everything is:
 * PVH_ENTRY, PVH_CMDLINE, and PVH_IMAGES (what to read from which sector
 * to which address, with the sums of its first and last 4 KiB).
 *
 * Freestanding 32-bit code (gcc -m32 -ffreestanding): no libc, no 64-bit
 * division (that would need libgcc's helpers).
 */
#include <stdint.h>

#include "params.h"
#include "pvh.h"

#define HVM_START_MAGIC 0x336ec578u /* hvm_start_info.magic, as the ABI fixes it */
#define COM1 0x3f8

/* The primary ATA channel's command block (ATA/ATAPI-6, 7.x). */
#define ATA_DATA    0x1f0
#define ATA_ERROR   0x1f1
#define ATA_COUNT   0x1f2
#define ATA_LBA0    0x1f3
#define ATA_LBA1    0x1f4
#define ATA_LBA2    0x1f5
#define ATA_DEVICE  0x1f6
#define ATA_STATUS  0x1f7   /* read */
#define ATA_COMMAND 0x1f7   /* write */
#define ATA_BSY 0x80
#define ATA_DRQ 0x08
#define ATA_ERR 0x01
#define ATA_DEV_LBA 0xe0    /* device 0, LBA addressing */
#define ATA_READ_SECTORS 0x20
#define SECTOR 512u

/* The ABI's structures, version 1 (with the memory map), field by field. */
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

/* Types are E820's (1 RAM, 2 reserved, 3 ACPI data, 4 ACPI NVS, 5 unusable). */
struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

/* What boot.S stored per E820 entry. */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t attributes;
} __attribute__((packed));

/* One image on the disk: where it is, where it goes, and how to know it arrived. */
struct image {
	const char *name;
	uint32_t lba;       /* first sector */
	uint32_t addr;      /* physical address */
	uint32_t size;      /* bytes */
	uint32_t head_sum;  /* sum of the 32-bit words of its first 4 KiB */
	uint32_t tail_sum;  /* ... and of its last 4 KiB */
};

/* loader.ld keeps .bss inside the flat binary: these start zeroed. */
static struct hvm_start_info start_info;
static struct hvm_modlist_entry initrd;
static struct hvm_memmap_entry memmap[PVH_E820_MAX];
static const char cmdline[] = PVH_CMDLINE;
static const struct image images[] = { PVH_IMAGES };	/* the kernel first, then the initramfs */

static void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static uint8_t inb(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

/*
 * COM1 as 115200 8N1: nobody set it up (Bochs' BIOS leaves its line
 * control register at 5-bit words).  The kernel sets it up again.
 */
static void serial_init(void)
{
	outb(COM1 + 3, 0x80);	/* LCR: DLAB, to reach the divisor */
	outb(COM1 + 0, 1);	/* divisor 1: 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + 3, 0x03);	/* LCR: 8 data bits, no parity, 1 stop bit */
}

/* The serial console the kernel will use too: what the loader did, or why it stopped. */
static void say(const char *s)
{
	for (; *s; s++) {
		while (!(inb(COM1 + 5) & 0x20)) /* LSR: transmit holding register empty */
			;
		outb(COM1, (uint8_t)*s);
	}
}

static void say_hex(uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	char buf[11] = "0x";
	int i;

	for (i = 0; i < 8; i++)
		buf[2 + i] = digits[(v >> (28 - 4 * i)) & 0xf];
	buf[10] = '\0';
	say(buf);
}

static void __attribute__((noreturn)) stop(const char *what, uint32_t value)
{
	say("mmulab-pvh: ");
	say(what);
	say_hex(value);
	say("\r\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Wait until the drive is not busy; stop on an error. */
static uint8_t ata_wait(void)
{
	uint8_t status;

	while ((status = inb(ATA_STATUS)) & ATA_BSY)
		;
	if (status & ATA_ERR)
		stop("ATA read failed, error register ", inb(ATA_ERROR));
	return status;
}

/* Read count sectors from lba to dst: READ SECTORS, up to 256 sectors a command. */
static void ata_read(uint32_t lba, uint32_t count, uint8_t *dst)
{
	while (count) {
		uint32_t n = count < 256 ? count : 256, i;

		ata_wait();
		outb(ATA_DEVICE, ATA_DEV_LBA | ((lba >> 24) & 0x0f));
		outb(ATA_COUNT, (uint8_t)n);	/* 0 means 256 */
		outb(ATA_LBA0, (uint8_t)lba);
		outb(ATA_LBA1, (uint8_t)(lba >> 8));
		outb(ATA_LBA2, (uint8_t)(lba >> 16));
		outb(ATA_COMMAND, ATA_READ_SECTORS);
		for (i = 0; i < n; i++) {
			uint32_t words = SECTOR / 2;

			if (!(ata_wait() & ATA_DRQ))
				stop("ATA drive offers no data at sector ", lba + i);
			__asm__ volatile("rep insw"
					 : "+D"(dst), "+c"(words)
					 : "d"(ATA_DATA)
					 : "memory");
		}
		lba += n;
		count -= n;
	}
}

static uint32_t sum_words(uint32_t addr, uint32_t bytes)
{
	const volatile uint32_t *p = (const volatile uint32_t *)addr;
	uint32_t sum = 0, i;

	for (i = 0; i < bytes / 4; i++)
		sum += p[i];
	return sum;
}

/* Read each image and check its ends against make-pvh.sh's sums. */
static void load_images(void)
{
	unsigned i;

	for (i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		const struct image *im = &images[i];

		ata_read(im->lba, (im->size + SECTOR - 1) / SECTOR, (uint8_t *)im->addr);
		if (sum_words(im->addr, 4096) != im->head_sum ||
		    sum_words(im->addr + im->size - 4096, 4096) != im->tail_sum) {
			say(im->name);
			stop(" differs from the disk image's after reading it to ", im->addr);
		}
	}
}

/*
 * ACPI 6.4, 5.2.5.1: the RSDP is on a 16-byte boundary in the first KiB of
 * the EBDA or in 0xe0000-0xfffff, starts "RSD PTR " and its first 20 bytes
 * sum to 0 (mod 256).
 */
static uint32_t rsdp_in(uint32_t from, uint32_t to)
{
	uint32_t a;

	for (a = from; a + 20 <= to; a += 16) {
		const uint8_t *p = (const uint8_t *)a;
		uint8_t sum = 0;
		int i;

		if (p[0] != 'R' || p[1] != 'S' || p[2] != 'D' || p[3] != ' ' || p[4] != 'P' ||
		    p[5] != 'T' || p[6] != 'R' || p[7] != ' ')
			continue;
		for (i = 0; i < 20; i++)
			sum += p[i];
		if (!sum)
			return a;
	}
	return 0;
}

static uint32_t find_rsdp(void)
{
	uint32_t ebda = (uint32_t)*(const volatile uint16_t *)0x40e << 4; /* BDA: EBDA segment */
	uint32_t a = ebda ? rsdp_in(ebda, ebda + 1024) : 0;

	return a ? a : rsdp_in(0xe0000, 0x100000);
}

/* The memory map for the kernel: the BIOS's, without the entries it says to ignore. */
static uint32_t fill_memmap(void)
{
	const struct e820_entry *e = (const struct e820_entry *)PVH_E820_TABLE;
	uint32_t n = *(const volatile uint32_t *)PVH_E820_COUNT, i, kept = 0;

	for (i = 0; i < n && i < PVH_E820_MAX; i++) {
		/* ACPI 3.0 attributes bit 0 clear: "ignore this entry". */
		if (!(e[i].attributes & 1) || !e[i].size)
			continue;
		memmap[kept].addr = e[i].addr;
		memmap[kept].size = e[i].size;
		memmap[kept].type = e[i].type;
		kept++;
	}
	return kept;
}

void __attribute__((section(".text.entry"), noreturn)) loader_start(void)
{
	serial_init();
	say("mmulab-pvh: reading the kernel and the initramfs\r\n");
	if ((uint32_t)loader_start != PVH_LOADER_ADDR)
		stop("loader.ld and pvh.h disagree: loaded at ", (uint32_t)loader_start);
	load_images();
	initrd.paddr = images[1].addr;
	initrd.size = images[1].size;
	start_info.magic = HVM_START_MAGIC;
	start_info.version = 1;
	start_info.nr_modules = 1;
	start_info.modlist_paddr = (uint32_t)&initrd;
	start_info.cmdline_paddr = (uint32_t)cmdline;
	start_info.rsdp_paddr = find_rsdp();
	start_info.memmap_paddr = (uint32_t)memmap;
	start_info.memmap_entries = fill_memmap();
	if (!start_info.memmap_entries)
		stop("the BIOS gave no memory map (INT 15h E820): entries ", 0);

	say("mmulab-pvh: ");
	say_hex(start_info.memmap_entries);
	say(" memory ranges, RSDP at ");
	say_hex((uint32_t)start_info.rsdp_paddr);
	say(", entering the kernel at ");
	say_hex(PVH_ENTRY);
	say("\r\n");
	/* The ABI: EBX = &start_info; CS/DS/ES/SS flat (boot.S's); CR0.PE only; IF clear. */
	__asm__ volatile("cli\n\t"
			 "jmp *%1"
			 :
			 : "b"(&start_info), "r"((uint32_t)PVH_ENTRY)
			 : "memory");
	__builtin_unreachable();
}
