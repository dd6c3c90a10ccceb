#!/bin/sh
# tools/kmod-boot/report.sh NAME SERIAL WATCH_STATUS EXPECT_STATUS EMULATOR
# — judge one boot.  PASS needs two things:
#   - the module: /init's "MMULAB-KMOD-STATUS PASS" sentinel in the serial
#     log (loaded, self-tests and devtest passed, unloaded, no kernel
#     complaint) and the emulator (or watch.sh) exiting with EXPECT_STATUS
#     (1 for QEMU: isa-debug-exit's (0 << 1) | 1; 0 for Bochs, stopped by
#     watch.sh on the last sentinel);
#   - the comparison suite, as the boot's expectation file NAME.expect says
#     (judge.awk: every scenario passes, but those it names as skipped,
#     pending or a known EMULATOR deviation, and each of those as named).
# Prints what the guest CPU offered, the module's lines, each scenario that
# did not simply pass with its evidence, the counts and the verdict; on a
# failure of the module part, why and the end of the log.
# Exit 0 pass, 1 fail.
set -eu
. "$(dirname "$0")/lib.sh"

name=$1
serial=$2
status=$3
expect=$4
emulator=$5
here=$(dirname "$0")

log() {
	tr -d '\r' < "$serial"
}

cpu=$(log | grep -ao 'MMULAB-KMOD-CPU.*' | head -n 1 | sed 's/^MMULAB-KMOD-CPU *//')
[ -n "$cpu" ] && say "$name: guest cpu: $cpu"
vmx=$(log | grep -ao 'MMULAB-KMOD-VMXFLAGS.*' | head -n 1 | sed 's/^MMULAB-KMOD-VMXFLAGS *//')
[ -n "$vmx" ] && say "$name: guest vmx flags: $vmx"
mem=$(log | grep -ao 'MMULAB-KMOD-MEM.*' | head -n 1 | sed 's/^MMULAB-KMOD-MEM *//')
[ -n "$mem" ] && say "$name: guest memory: $mem"
# The module's own lines (its pr_fmt prefix), as the kernel printed them:
# the first ten (loading and its self-tests); the suite's runs add more.
log | grep -a 'mmulab: ' | sed 's/^.*mmulab: /    mmulab: /' | grep -v 'taint' |
	awk 'NR <= 10 { print } END { if (NR > 10) printf "    mmulab: ... %d more in the serial log\n", NR - 10 }'
dev=$(log | grep -ao 'MMULAB-DEVTEST.*' | head -n 1)
[ -n "$dev" ] && say "$name: /devtest in the guest: ${dev#MMULAB-DEVTEST }"
line=$(log | grep -ao 'MMULAB-KMOD-STATUS.*' | head -n 1)

# The suite, judged here rather than in the guest: the expectation file
# is the host's, and a guest that died halfway is judged too.  A boot
# without an expectation file runs no suite.
suite=0
if [ -f "$here/$name.expect" ]; then
	targets=$(log | grep -ao 'MMULAB-SUITE-BEGIN.*' | head -n 1 | sed 's/.*targets=//')
	log | awk -v emulator="$emulator" -f "$here/judge.awk" "$here/$name.expect" - \
		> "$OUT/$name.suite.txt" || suite=$?
	grep -v '^suite: ' "$OUT/$name.suite.txt" || true
	say "$name: $(grep '^suite: ' "$OUT/$name.suite.txt" || echo "suite: the expectation file is unusable")${targets:+ (targets $targets)}"
elif log | grep -aq 'MMULAB-SUITE-BEGIN'; then
	say "$name: a suite ran, but $here/$name.expect does not exist to judge it"
	suite=1
fi

# The bench's figures, as the guest printed them: an emulator's.
if log | grep -aq 'MMULAB-BENCH '; then
	say "$name: mmulab bench --hw kmod in the guest (emulated figures, not a CPU's: docs/hw.md):"
	log | grep -ao 'MMULAB-BENCH .*' | sed 's/^MMULAB-BENCH /    /'
fi

case $status in
124) why="hard timeout" ;;
125) why="serial silent too long" ;;
126) why="kernel panic, BUG or Oops" ;;
"$expect") why="no PASS sentinel" ;;
*) why="exit status $status, expected $expect" ;;
esac
if [ "$line" = "MMULAB-KMOD-STATUS PASS" ] && [ "$status" -eq "$expect" ]; then
	if [ "$suite" -eq 0 ] && [ -f "$here/$name.expect" ]; then
		say "$name: PASS (module loaded, self-tests passed, suite as expected, unloaded)"
		exit 0
	fi
	if [ "$suite" -eq 0 ]; then
		say "$name: PASS (every check of /init held)"
		exit 0
	fi
	say "$name: FAIL: the comparison suite is not as $here/$name.expect says (above); log: $serial"
	exit 1
fi
[ -n "$line" ] && why="$why; guest said: ${line#MMULAB-KMOD-STATUS }"
say "$name: FAIL: $why; log: $serial"
log | tail -n 40 | sed 's/^/    | /'
exit 1
