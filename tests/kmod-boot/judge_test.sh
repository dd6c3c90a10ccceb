#!/bin/sh
# tests/kmod-boot/judge_test.sh — tools/kmod-boot/judge.awk on a made-up
# boot: the suite passes only as its expectation file says, and an entry
# that no longer holds (stale) fails it as surely as a new difference.
set -u

judge=$(dirname "$0")/../../tools/kmod-boot/judge.awk
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A serial log as /init writes it (kernel timestamps, a stray line): four
# scenarios, one each that passes, differs, fails to run and is skipped.
cat > "$tmp/log" <<'LOG'
[    1.000000] MMULAB-SUITE-BEGIN total=4 targets=tdp-npt
b.xml:7: a line that is not /init's is ignored
[    1.100000] MMULAB-SCENARIO 1/4 a.xml rc=0 pass 0.1s
[    1.200000] MMULAB-OUT b.xml:7: mismatch on tdp-npt: read 8 @ 0x1000: expected #PF p|rsvd (0x9), got #PF rsvd (0x8)
[    1.300000] MMULAB-SCENARIO 2/4 b.xml rc=1 DIFFER 0.1s
[    1.400000] MMULAB-OUT c.xml:9: error on tdp-npt: not on kmod yet: MMIO
[    1.500000] MMULAB-SCENARIO 3/4 c.xml rc=2 ERROR 0.1s
[    1.600000] MMULAB-OUT d.xml:2: skipped on tdp-npt: this CPU lacks 5-level paging (LA57)
[    1.700000] MMULAB-SCENARIO 4/4 d.xml rc=3 skipped 0.1s
[    1.800000] MMULAB-SUITE-END
LOG

deviation='deviation b.xml  the emulator drops P
	b.xml:7: mismatch on tdp-npt: read 8 @ 0x1000: expected #PF p|rsvd (0x9), got #PF rsvd (0x8)'
pending='pending   c.xml  MMIO is not emulated yet'
skip='skip      d.xml  no LA57'

# expect CODE DESCRIPTION EXPECTATIONS [PATTERN] — judge the log against
# EXPECTATIONS; the exit status must be CODE and the output show PATTERN.
expect() {
	printf '%s\n' "$3" > "$tmp/expect"
	awk -v emulator=QEMU -f "$judge" "$tmp/expect" "$tmp/log" > "$tmp/out" 2>&1
	got=$?
	if [ "$got" -ne "$1" ]; then
		failed=$((failed + 1))
		echo "judge FAIL: $2: exit $got, expected $1"
		sed 's/^/    /' "$tmp/out"
	elif [ -n "${4:-}" ] && ! grep -q -- "$4" "$tmp/out"; then
		failed=$((failed + 1))
		echo "judge FAIL: $2: no '$4' in:"
		sed 's/^/    /' "$tmp/out"
	else
		passed=$((passed + 1))
	fi
}

expect 0 "every entry holds" "$deviation
$pending
$skip" "1 passed, 1 skipped .* 1 pending .* 1 known QEMU deviation (not a module bug), 0 failed"
expect 1 "nothing expected: a difference, an error and a skip each fail" "" "3 failed"
expect 1 "a difference not recorded" "$pending
$skip" "FAIL      b.xml: differs"
expect 1 "a recorded line that no longer occurs" "$deviation
	b.xml:8: mismatch on tdp-npt: read 8 @ 0x2000: expected ok, got #PF rsvd (0x8)
$pending
$skip" "not said: b.xml:8"
expect 1 "a deviation recorded on another target" "deviation b.xml  the emulator drops P
	b.xml:7: mismatch on tdp-npt+dbit: read 8 @ 0x1000: expected #PF p|rsvd (0x9), got #PF rsvd (0x8)
$pending
$skip" "does not record"
expect 1 "a pending scenario that passes" "pending a.xml  not yet
$deviation
$pending
$skip" "a.xml: passes now: remove it from the pending list"
expect 1 "a skip that is an error" "$deviation
skip c.xml  no MMIO here
$skip" "c.xml: exit status 2"
expect 1 "an entry for a scenario that did not run" "$deviation
$pending
$skip
pending e.xml  gone" "e.xml: has a pending entry but is not a scenario"
expect 2 "an unknown kind" "pendng c.xml  typo" "unknown kind"
expect 2 "an entry without a reason" "pending c.xml" "say why"
expect 2 "a deviation without its lines" "deviation b.xml  why" "exact lines"

# A boot that died halfway: its last scenarios never report.
grep -v -e '4/4' -e 'SUITE-END' "$tmp/log" > "$tmp/log.cut" && mv "$tmp/log.cut" "$tmp/log"
expect 1 "a suite that did not finish" "$deviation
$pending" "did not finish: 3 of 4"

echo "judge: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
