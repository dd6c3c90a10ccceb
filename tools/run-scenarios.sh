#!/bin/sh
# tools/run-scenarios.sh MMULAB — every shipped scenario must run with all its
# expectations met; every bad scenario must be rejected with exit 2 and the
# message in its .expected file as the first line on stderr.
set -u

mmulab=$1
passed=0
failed=0
start=$(date +%s)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

good=$(ls scenarios/*.xml)
n=$(echo "$good" | wc -l)
i=0
for f in $good; do
	i=$((i + 1))
	if "$mmulab" run "$f" > "$tmp/out" 2> "$tmp/err"; then
		passed=$((passed + 1))
		printf 'scenario [%d/%d] %-40s ok   %s\n' "$i" "$n" "$f" "$(tail -n 1 "$tmp/out" | sed 's/^[^:]*: //')"
	else
		failed=$((failed + 1))
		printf 'scenario [%d/%d] %-40s FAIL\n' "$i" "$n" "$f"
		sed 's/^/    /' "$tmp/err" | head -n 20
	fi
done

bad=$(ls scenarios/bad/*.xml)
n=$(echo "$bad" | wc -l)
i=0
for f in $bad; do
	i=$((i + 1))
	expected="${f%.xml}.expected"
	"$mmulab" validate "$f" > /dev/null 2> "$tmp/err"
	status=$?
	got=$(head -n 1 "$tmp/err")
	want=$(head -n 1 "$expected" 2>/dev/null)
	if [ "$status" -eq 2 ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
		passed=$((passed + 1))
		printf 'bad [%d/%d] %-45s rejected as expected\n' "$i" "$n" "$f"
	else
		failed=$((failed + 1))
		printf 'bad [%d/%d] %-45s FAIL (exit %d)\n    expected: %s\n    got:      %s\n' \
			"$i" "$n" "$f" "$status" "$want" "$got"
	fi
done
echo "scenarios: $(( $(date +%s) - start ))s"
echo "scenarios: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
