#!/bin/sh
# tools/run-unit-tests.sh BINARY... — run each Check test binary, one line per
# binary with its counts and time, then a total line.
set -u

passed=0
failed=0
bad_binaries=""
start=$(date +%s)
n=0
total=$#
for bin in "$@"; do
	n=$((n + 1))
	t0=$(date +%s)
	out=$("$bin" 2>&1)
	status=$?
	t1=$(date +%s)
	# Check's summary: "100%: Checks: 12, Failures: 0, Errors: 0"
	summary=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -n 1)
	checks=$(printf '%s' "$summary" | sed -n 's/.*Checks: \([0-9]*\).*/\1/p')
	fails=$(printf '%s' "$summary" | sed -n 's/.*Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2/p')
	f=$(echo "${fails:-0 0}" | awk '{print $1 + $2}')
	checks=${checks:-0}
	if [ "$status" -ne 0 ] || [ -z "$summary" ]; then
		[ "$f" -eq 0 ] && f=1
		bad_binaries="$bad_binaries $bin"
		printf '%s\n' "$out" | grep -vE '^(Running suite|[0-9]+%: Checks)' | head -n 40
	fi
	passed=$((passed + checks - f))
	failed=$((failed + f))
	printf 'unit [%d/%d] %-45s %4d checks, %d failed, %ds\n' "$n" "$total" \
		"${bin#*tests/}" "$checks" "$f" $((t1 - t0))
done
echo "unit tests: $((passed + failed)) checks in $total binaries, $(( $(date +%s) - start ))s"
echo "unit: $passed passed, $failed failed"
if [ -n "$bad_binaries" ]; then
	echo "failing:$bad_binaries"
	exit 1
fi
