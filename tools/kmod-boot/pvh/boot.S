/*
 * tools/kmod-boot/pvh/boot.S — the boot sector of the Bochs PVH boot: the
 * BIOS loads it from the disk's first sector to 0x7c00 and runs it in real
 * mode, with the boot drive in DL.
 *
 * It does what needs the BIOS, and so real mode: reads the loader from the
 * disk (INT 13h, AH=42h: by LBA) and asks for the memory map (INT 15h,
 * EAX=E820h).  Then it turns on A20, enters 32-bit protected mode with flat
 * segments and paging off, and jumps to the loader (loader.c), which reads
 * the kernel and the initramfs itself: a BIOS call per sector would take
 * minutes of emulated time for 100 MB.
 */
#include "pvh.h"

#define SMAP 0x534d4150         /* "SMAP": the E820 call's signature */

	.code16
	.section .text
	.globl boot_start
boot_start:
	cli
	xorw %ax, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw $0x7c00, %sp
	ljmp $0, $1f                    /* CS:IP = 0:7c00+, whatever the BIOS used */
1:
	/* The loader: PVH_LOADER_SECTORS from LBA 1 to PVH_LOADER_ADDR. */
	movw $dap, %si
	movb $0x42, %ah
	int $0x13                       /* DL: the boot drive, as the BIOS left it */
	jc fail

	/* The memory map: one entry per call until EBX comes back 0. */
	movl $0, PVH_E820_COUNT
	movw $PVH_E820_TABLE, %di
	xorl %ebx, %ebx
e820_next:
	movl $1, %es:20(%di)            /* ACPI 3.0 attributes: "valid" unless the BIOS says not */
	movl $0xe820, %eax
	movl $PVH_E820_SIZE, %ecx
	movl $SMAP, %edx
	int $0x15
	jc e820_done                    /* carry: no more entries (or none at all) */
	cmpl $SMAP, %eax
	jne e820_done
	jcxz e820_skip                  /* an empty answer: ignore it */
	incl PVH_E820_COUNT
	addw $PVH_E820_SIZE, %di
	cmpl $PVH_E820_MAX, PVH_E820_COUNT
	jae e820_done
e820_skip:
	testl %ebx, %ebx
	jnz e820_next
e820_done:
	/* A20 through the "fast A20" port; bit 0 would reset the machine. */
	inb $0x92, %al
	orb $2, %al
	andb $0xfe, %al
	outb %al, $0x92

	lgdtl gdt_desc
	movl %cr0, %eax
	orl $1, %eax                    /* CR0.PE */
	movl %eax, %cr0
	ljmpl $PVH_CS, $protected

fail:
	movw $msg, %si                  /* say so on the screen; the serial log stays silent */
2:	lodsb
	testb %al, %al
	jz 3f
	movb $0x0e, %ah
	int $0x10
	jmp 2b
3:	hlt
	jmp 3b

	.code32
protected:
	movw $PVH_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl $PVH_STACK_TOP, %esp
	movl $PVH_LOADER_ADDR, %eax
	jmp *%eax

	.balign 8
gdt:
	.quad 0                         /* null */
	.quad 0x00cf9a000000ffff        /* 0x08: code, base 0, limit 4 GiB, 32-bit, execute/read */
	.quad 0x00cf92000000ffff        /* 0x10: data, base 0, limit 4 GiB, read/write */
gdt_desc:
	.word gdt_desc - gdt - 1
	.long gdt

/* INT 13h AH=42h's disk address packet. */
dap:
	.byte 16, 0
	.word PVH_LOADER_SECTORS
	.word 0, PVH_LOADER_ADDR >> 4   /* buffer, as offset:segment */
	.quad 1                         /* first sector */

msg:
	.asciz "mmulab-pvh: cannot read the loader"

	.org 510
	.word 0xaa55                    /* the BIOS boots only a sector that ends so */
