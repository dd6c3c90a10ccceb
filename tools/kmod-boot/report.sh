#!/bin/sh
# tools/kmod-boot/report.sh NAME SERIAL WATCH_STATUS EXPECT_STATUS — judge
# one boot: PASS needs /init's "MMULAB-KMOD-STATUS PASS" sentinel in the
# serial log and the emulator (or watch.sh) exiting with EXPECT_STATUS
# (1 for QEMU: isa-debug-exit's (0 << 1) | 1; 0 for Bochs, stopped by
# watch.sh on the last sentinel).  Prints what the guest CPU offered and
# the verdict; on failure, why and the end of the log.  Exit 0 pass, 1 fail.
set -eu
. "$(dirname "$0")/lib.sh"

name=$1
serial=$2
status=$3
expect=$4

log() {
	tr -d '\r' < "$serial"
}

cpu=$(log | grep -ao 'MMULAB-KMOD-CPU.*' | head -n 1 | sed 's/^MMULAB-KMOD-CPU *//')
[ -n "$cpu" ] && say "$name: guest cpu: $cpu"
vmx=$(log | grep -ao 'MMULAB-KMOD-VMXFLAGS.*' | head -n 1 | sed 's/^MMULAB-KMOD-VMXFLAGS *//')
[ -n "$vmx" ] && say "$name: guest vmx flags: $vmx"
user=$(log | grep -ao 'MMULAB-USER-STATUS.*' | head -n 1)
[ -n "$user" ] && say "$name: /mmulab in the guest: ${user#MMULAB-USER-STATUS }"
# The module's own lines (its pr_fmt prefix), as the kernel printed them.
log | grep -a 'mmulab: ' | sed 's/^.*mmulab: /    mmulab: /' | grep -v 'taint' || true
dev=$(log | grep -ao 'MMULAB-DEVTEST.*' | head -n 1)
[ -n "$dev" ] && say "$name: /devtest in the guest: ${dev#MMULAB-DEVTEST }"
line=$(log | grep -ao 'MMULAB-KMOD-STATUS.*' | head -n 1)

case $status in
124) why="hard timeout" ;;
125) why="serial silent too long" ;;
126) why="kernel panic, BUG or Oops" ;;
"$expect") why="no PASS sentinel" ;;
*) why="exit status $status, expected $expect" ;;
esac
if [ "$line" = "MMULAB-KMOD-STATUS PASS" ] && [ "$status" -eq "$expect" ]; then
	say "$name: PASS (module loaded, self-test passed, unloaded)"
	exit 0
fi
[ -n "$line" ] && why="$why; guest said: ${line#MMULAB-KMOD-STATUS }"
say "$name: FAIL: $why; log: $serial"
log | tail -n 40 | sed 's/^/    | /'
exit 1
