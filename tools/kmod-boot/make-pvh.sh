#!/bin/sh
# tools/kmod-boot/make-pvh.sh VMLINUX INITRD CMDLINE DIR — a disk image from
# which Bochs starts VMLINUX through its PVH entry, with INITRD and the
# kernel command line CMDLINE: DIR/disk.img (pvh/loader.c says how).
#
#   sector 0                 pvh/boot.S, the boot sector
#   sectors 1..64            pvh/loader.c, built for this kernel, INITRD and CMDLINE
#   then, sector-aligned     VMLINUX's loadable segments, flat from the lowest
#                            physical address (objcopy, as the bzImage build does),
#                            and INITRD
#
# Bochs has no direct kernel boot, and its BIOS reads a disk at ~0.6 MB/s
# (GRUB and the bzImage's xz decompression, emulated, took minutes); the
# loader reads the 100 MB itself at ~20 MB/s.  Built with the host's gcc in
# 32-bit mode, freestanding: no 32-bit libc (gcc-multilib) is needed.
set -eu
. "$(dirname "$0")/lib.sh"

vmlinux=$1
initrd=$2
cmdline=$3
dir=$4
pvh=$(dirname "$0")/pvh
mkdir -p "$dir"

# hex N — N as 0x%08x.
hex() {
	printf '0x%08x' "$1"
}

# pvh_define NAME — the value of NAME in pvh/pvh.h.
pvh_define() {
	sed -n "s/^#define $1  *\\([0-9a-fx]*\\).*/\\1/p" "$pvh/pvh.h"
}

# sum4k FILE OFFSET — the 32-bit sum of the 4 KiB at OFFSET, as the loader
# computes it (little-endian words, modulo 2^32).
sum4k() {
	tail -c +"$(($2 + 1))" "$1" | head -c 4096 | od -An -tu4 -v |
		awk '{ for (i = 1; i <= NF; i++) s = (s + $i) % 4294967296 } END { printf "%u", s }'
}

# sectors BYTES — how many 512-byte sectors hold BYTES.
sectors() {
	echo $((($1 + 511) / 512))
}

# The kernel: its loadable segments span [kstart, kend) physically.
kstart=""
kend=0
for seg in $(readelf -lW "$vmlinux" | awk '$1 == "LOAD" { print $4 ":" $6 }'); do
	paddr=$((${seg%:*}))
	memsz=$((${seg#*:}))
	if [ -z "$kstart" ] || [ "$paddr" -lt "$kstart" ]; then kstart=$paddr; fi
	if [ $((paddr + memsz)) -gt "$kend" ]; then kend=$((paddr + memsz)); fi
done
[ -n "$kstart" ] || die "no loadable segments in $vmlinux"
objcopy -O binary -R .note -R .comment -S "$vmlinux" "$dir/kernel.bin"
ksize=$(wc -c < "$dir/kernel.bin")
[ "$ksize" -eq $((kend - kstart)) ] ||
	die "kernel.bin is $ksize bytes, the segments span $((kend - kstart))"

# The entry: ELF note XEN_ELFNOTE_PHYS32_ENTRY (type 18) of owner "Xen",
# a little-endian physical address.
entry=$(readelf -nW "$vmlinux" | awk '$1 == "Xen" && /\(0x00000012\)/ {
	sub(/.*description data: */, ""); v = ""
	for (i = 1; i <= NF; i++) v = $i v
	print "0x" v; exit }')
[ -n "$entry" ] ||
	die "$vmlinux has no PVH entry (XEN_ELFNOTE_PHYS32_ENTRY): a kernel without CONFIG_PVH?"
entry=$((entry))

# The initramfs goes after the kernel, on a 2 MiB boundary; on the disk,
# both follow the loader's sectors.
isize=$(wc -c < "$initrd")
iaddr=$(((kend + 0x1fffff) / 0x200000 * 0x200000))
loader_sectors=$(pvh_define PVH_LOADER_SECTORS)
klba=$((1 + loader_sectors))
ilba=$((klba + $(sectors "$ksize")))

case $cmdline in *'"'* | *'\'*) die "the command line may not hold quotes or backslashes" ;; esac
cat > "$dir/params.h" <<H
/* Made by tools/kmod-boot/make-pvh.sh for $(basename "$vmlinux"): see pvh/loader.c. */
#define PVH_ENTRY $(hex "$entry")u
#define PVH_CMDLINE "$cmdline"
/* name, first sector, physical address, bytes, sums of the first and last 4 KiB */
#define PVH_IMAGES \\
	{ "kernel.bin", ${klba}u, $(hex "$kstart")u, ${ksize}u, $(sum4k "$dir/kernel.bin" 0)u, $(sum4k "$dir/kernel.bin" $((ksize - 4096)))u }, \\
	{ "the initramfs", ${ilba}u, $(hex "$iaddr")u, ${isize}u, $(sum4k "$initrd" 0)u, $(sum4k "$initrd" $((isize - 4096)))u }
H

cc=${CC:-cc}
# min-pagesize=0: pointers to the first 4 KiB (the BIOS data area, boot.S's
# memory map) are real here, not null plus an offset.
flags="-m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables -mgeneral-regs-only --param=min-pagesize=0 -O2 -Wall -Wextra -Werror -I$dir -I$pvh"
# shellcheck disable=SC2086 # flags are meant to split
$cc $flags -c "$pvh/loader.c" -o "$dir/loader.o"
ld -m elf_i386 --no-warn-rwx-segments -T "$pvh/loader.ld" -o "$dir/loader.elf" "$dir/loader.o"
objcopy -O binary "$dir/loader.elf" "$dir/loader.bin"
[ "$(wc -c < "$dir/loader.bin")" -le $((loader_sectors * 512)) ] ||
	die "the loader is larger than PVH_LOADER_SECTORS"
# shellcheck disable=SC2086
$cc $flags -c "$pvh/boot.S" -o "$dir/boot.o"
ld -m elf_i386 -Ttext 0x7c00 -e boot_start --oformat binary -o "$dir/boot.bin" "$dir/boot.o"
[ "$(wc -c < "$dir/boot.bin")" -eq 512 ] || die "boot.S is not one 512-byte sector"

# pad FILE SECTORS — FILE, then zeros up to SECTORS sectors.
pad() {
	cat "$1"
	head -c $(($2 * 512 - $(wc -c < "$1"))) /dev/zero
}

# Bochs sizes a flat disk in whole cylinders of 16 heads x 63 sectors and
# reads nothing past the last one.
total=$((ilba + $(sectors "$isize")))
cylinder=$((16 * 63))
{
	cat "$dir/boot.bin"
	pad "$dir/loader.bin" "$loader_sectors"
	pad "$dir/kernel.bin" "$(sectors "$ksize")"
	pad "$initrd" "$(sectors "$isize")"
	head -c $(((cylinder - total % cylinder) % cylinder * 512)) /dev/zero
} > "$dir/disk.img"
rm -f "$dir/kernel.bin" "$dir/loader.o" "$dir/boot.o"
