#!/bin/sh
# tools/kmod-boot/boot-qemu.sh NAME CPU KERNEL INITRD INIT_ARGS — boot
# KERNEL with INITRD under QEMU's TCG with `-cpu CPU` (max: AMD SVM with
# NPT emulated, and LA57, so the guest kernel runs 5-level paging;
# max,la57=off: 4-level), with INIT_ARGS on the kernel command line for
# /init (mmulab_targets=T1,T2: the comparison suite on those targets;
# mmulab_expect=refuse: the module must refuse to load), and judge the
# boot from its serial log (report.sh).  Exit 0 pass, 1 fail.
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
init_args=$5
serial=$OUT/$name.serial.log

status=0
# No kvm: /dev/kvm here (if any) has no VMX/SVM to give a guest.
# panic=-1: reboot at once on a panic, which -no-reboot turns into an exit.
# isa-debug-exit: /init's verdict becomes QEMU's exit status.
# A boot takes ~120 s here, host-huge.xml ~40-70 s of it without a line:
# the timeouts leave a slower machine room.
sh "$(dirname "$0")/watch.sh" "$name" "$serial" "$serial" \
	"${KMOD_BOOT_HARD:-600}" "${KMOD_BOOT_SILENCE:-240}" run \
	qemu-system-x86_64 -accel tcg -cpu "$cpu" -smp 1 -m "$GUEST_RAM_MB" \
	-nographic -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "$KERNEL_ARGS panic=-1 $init_args" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 || status=$?
sh "$(dirname "$0")/report.sh" "$name" "$serial" "$status" 1 QEMU
