#!/bin/sh
# tools/kmod-boot/boot-bochs.sh NAME VMLINUX INITRD TARGETS — boot VMLINUX
# (the uncompressed kernel) with INITRD under Bochs with Intel VMX and EPT
# emulated, through the kernel's PVH entry (make-pvh.sh, pvh/), run the
# comparison suite on TARGETS there, and judge the boot from its serial
# log (report.sh).  Exit 0 pass, 1 fail.
#
# Bochs has no exit-status device and exits 1 even after a clean ACPI
# power-off, so the sentinels alone say how it went: watch.sh stops Bochs
# once /init's last sentinel is in the serial file.  Kept, as
# build/kmod-boot/NAME.serial.log and NAME.bochs.log: bochs.log names the
# exact check a failed VM entry broke.
set -eu
. "$(dirname "$0")/lib.sh"

name=$1
vmlinux=$2
initrd=$3
targets=$4
serial=$OUT/$name.serial.log
bochsrc=$OUT/$name.bochsrc
rc=$OUT/$name.rc

# panic=0: Bochs cannot exit on a panic; watch.sh kills it when it sees
# one.  Not rodata=off, though it would save ~2.5 emulated seconds: it
# leaves W+X mappings, the kernel WARNs about them, and /init fails any
# boot with a kernel WARNING.
disk=$OUT/$name.pvh/disk.img
sh "$(dirname "$0")/make-pvh.sh" "$vmlinux" "$initrd" \
	"$KERNEL_ARGS panic=0 mmulab_targets=$targets" "$OUT/$name.pvh"
# Bochs locks a disk image while it runs and leaves the lock behind when
# watch.sh stops it.
rm -f "$disk.lock"

# corei7_haswell_4770: VMX with EPT, VPID and unrestricted guest; its CPUID
# TSC frequency keeps guest time right (skylake_x's makes it run ~70x slow).
# rfb with timeout=0: Debian's build has no headless display, and rfb does
# not wait for a viewer.  clock sync=none: run as fast as the host allows.
# memory: lib.sh's GUEST_RAM_MB of RAM, plus the 1 GiB PCI hole below
# 4 GiB that Bochs counts in it.  Bochs gives a guest at most 2048 MiB of
# host memory and keeps the rest in a file, set up before the CPU starts
# (~35 s for 6 GiB).
# fastboot: no boot-menu pause (3 emulated seconds, ~20 s here).
cat > "$bochsrc" <<RC
memory: guest=$((GUEST_RAM_MB + 1024)), host=2048
cpu: model=corei7_haswell_4770, count=1, ips=45000000, reset_on_triple_fault=0, ignore_bad_msrs=1
romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0-master: type=disk, path="$disk", mode=flat
boot: disk
com1: enabled=1, mode=file, dev="$serial"
display_library: rfb, options="timeout=0"
clock: sync=none, time0=local
speaker: enabled=0
sound: driver=dummy
log: "$OUT/$name.bochs.log"
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
RC
# The debugger compiled into Debian's Bochs stops at the first
# instruction: this file tells it to continue.
echo c > "$rc"

# The boot takes ~630 s here, ~240 of them before /init; host-huge.xml
# alone runs ~430 s without a line (ref and the module scan and copy
# 1 GiB host pages on the emulated CPU, several times per target): the
# timeouts leave twice that.
status=0
sh "$(dirname "$0")/watch.sh" "$name" "$serial" "$OUT/$name.stdout.log" \
	"${KMOD_BOOT_BOCHS_HARD:-1800}" "${KMOD_BOOT_BOCHS_SILENCE:-900}" stop \
	bochs-bin -q -f "$bochsrc" -rc "$rc" || status=$?
# Bochs exits 1 after the guest's own ACPI power-off: after /init's last
# sentinel, that is the normal end.
if [ "$status" -eq 1 ] && tr -d '\r' < "$serial" | grep -aq 'MMULAB-KMOD-DONE'; then
	status=0
fi
# Bochs says why it stopped on its own output (a bad bochsrc, a panic).
grep -A 2 'Bochs is exiting' "$OUT/$name.stdout.log" || true
sh "$(dirname "$0")/report.sh" "$name" "$serial" "$status" 0 Bochs
