#!/bin/sh
# tools/kmod-boot/boot-qemu.sh NAME CPU KERNEL INITRD — boot KERNEL with
# INITRD under QEMU's TCG with `-cpu CPU` (max: AMD SVM with NPT emulated,
# and LA57, so the guest kernel runs 5-level paging; max,la57=off: 4-level)
# and judge the module test from its serial log.  Exit 0 pass, 1 fail.
#
# KERNEL may be the uncompressed vmlinux (QEMU boots it through its PVH
# entry, skipping the BIOS and the decompression) or the bzImage.
# The log is kept as build/kmod-boot/NAME.serial.log.
set -eu
. "$(dirname "$0")/lib.sh"

name=$1
cpu=$2
kernel=$3
initrd=$4
serial=$OUT/$name.serial.log

status=0
# No kvm: /dev/kvm here (if any) has no VMX/SVM to give a guest.
sh "$(dirname "$0")/watch.sh" "$serial" "$serial" \
	"${KMOD_BOOT_HARD:-180}" "${KMOD_BOOT_SILENCE:-60}" run \
	qemu-system-x86_64 -accel tcg -cpu "$cpu" -smp 1 -m 512 \
	-nographic -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 oops=panic printk.devkmsg=on" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 || status=$?
sh "$(dirname "$0")/report.sh" "$name" "$serial" "$status" 1
