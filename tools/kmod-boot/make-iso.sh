#!/bin/sh
# tools/kmod-boot/make-iso.sh BZIMAGE INITRD OUTPUT — a BIOS-bootable GRUB
# CD image that boots BZIMAGE with INITRD, for Bochs (which has no direct
# kernel boot).
#
# Both files go in as they are: GRUB would inflate a compressed file on
# the emulated CPU, 4x slower than the kernel's own code.  The command line
# matches the QEMU boots except panic=0 (Bochs cannot exit on a panic;
# watch.sh kills it when it sees one).  Not rodata=off, though it would
# save ~2.5 emulated seconds: it leaves W+X mappings, the kernel WARNs
# about them, and /init fails any boot with a kernel WARNING.
set -eu

bzimage=$1
initrd=$2
output=$3

tree=$output.d
rm -rf "$tree"
mkdir -p "$tree/boot/grub"
cp "$bzimage" "$tree/boot/vmlinuz"
cp "$initrd" "$tree/boot/initrd.cpio"
cat > "$tree/boot/grub/grub.cfg" <<'CFG'
set timeout=0
set default=0
menuentry "mmulab kmod test" {
	linux /boot/vmlinuz console=ttyS0 quiet panic=0 oops=panic printk.devkmsg=on
	initrd /boot/initrd.cpio
}
CFG
grub-mkrescue -o "$output" "$tree" > "$output.log" 2>&1 || {
	cat "$output.log" >&2
	exit 2
}
rm -rf "$tree"
