#!/bin/sh
# tools/kmod-boot/make-iso.sh BZIMAGE INITRD CMDLINE OUTPUT — a
# BIOS-bootable GRUB CD image that boots BZIMAGE with INITRD and the kernel
# command line CMDLINE, for Bochs (which has no direct kernel boot).
#
# Both files go in as they are: GRUB would inflate a compressed file on
# the emulated CPU, 4x slower than the kernel's own code.
set -eu

bzimage=$1
initrd=$2
cmdline=$3
output=$4

tree=$output.d
rm -rf "$tree"
mkdir -p "$tree/boot/grub"
cp "$bzimage" "$tree/boot/vmlinuz"
cp "$initrd" "$tree/boot/initrd.cpio"
cat > "$tree/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
menuentry "mmulab kmod test" {
	linux /boot/vmlinuz $cmdline
	initrd /boot/initrd.cpio
}
CFG
grub-mkrescue -o "$output" "$tree" > "$output.log" 2>&1 || {
	cat "$output.log" >&2
	exit 2
}
rm -rf "$tree"
