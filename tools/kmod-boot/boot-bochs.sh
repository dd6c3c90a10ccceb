#!/bin/sh
# tools/kmod-boot/boot-bochs.sh NAME ISO — boot ISO (make-iso.sh) under
# Bochs with Intel VMX and EPT emulated, and judge the module test from
# the serial log.  Exit 0 pass, 1 fail.
#
# Bochs has no exit-status device and exits 1 even after a clean ACPI
# power-off, so the sentinels alone say how it went: watch.sh stops Bochs
# once /init's last sentinel is in the serial file.  Kept, as
# build/kmod-boot/NAME.serial.log and NAME.bochs.log: bochs.log names the
# exact check a failed VM entry broke.
set -eu
. "$(dirname "$0")/lib.sh"

name=$1
iso=$2
serial=$OUT/$name.serial.log
bochsrc=$OUT/$name.bochsrc
rc=$OUT/$name.rc

# corei7_haswell_4770: VMX with EPT, VPID and unrestricted guest; its CPUID
# TSC frequency keeps guest time right (skylake_x's makes it run ~70x slow).
# rfb with timeout=0: Debian's build has no headless display, and rfb does
# not wait for a viewer.  clock sync=none: run as fast as the host allows.
cat > "$bochsrc" <<RC
megs: 512
cpu: model=corei7_haswell_4770, count=1, ips=45000000, reset_on_triple_fault=0, ignore_bad_msrs=1
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0-master: type=cdrom, path="$iso", status=inserted
boot: cdrom
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

status=0
sh "$(dirname "$0")/watch.sh" "$serial" "$OUT/$name.stdout.log" \
	"${KMOD_BOOT_BOCHS_HARD:-300}" "${KMOD_BOOT_SILENCE:-90}" stop \
	bochs-bin -q -f "$bochsrc" -rc "$rc" || status=$?
# Bochs exits 1 after the guest's own ACPI power-off: after /init's last
# sentinel, that is the normal end.
if [ "$status" -eq 1 ] && tr -d '\r' < "$serial" | grep -aq 'MMULAB-KMOD-DONE'; then
	status=0
fi
sh "$(dirname "$0")/report.sh" "$name" "$serial" "$status" 0
