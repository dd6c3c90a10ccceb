#!/bin/sh
# tools/run-gen.sh MMULAB FIRST LAST — differential testing with random scenarios.
#
# For every seed in FIRST..LAST: `mmulab gen --seed N` makes a scenario and
# `mmulab compare` runs it on ref and on every default target; any
# difference in a guest-visible result fails the run, and the scenario is
# kept (its path is printed) so the failure can be replayed.  One progress
# line per 25 seeds.
set -eu

if [ $# -ne 3 ]; then
	echo "usage: sh tools/run-gen.sh MMULAB FIRST LAST" >&2
	exit 2
fi
mmulab=$1
first=$2
last=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmulab-gen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

start=$(date +%s)
seed=$first
done=0
total=$((last - first + 1))
while [ "$seed" -le "$last" ]; do
	file="$tmp/gen-$seed.xml"
	"$mmulab" gen --seed "$seed" > "$file"
	if ! "$mmulab" compare "$file" > "$tmp/out" 2> "$tmp/err"; then
		keep="${TMPDIR:-/tmp}/mmulab-gen-$seed.xml"
		cp "$file" "$keep"
		echo "gen: seed $seed FAILED (scenario kept as $keep):" >&2
		cat "$tmp/err" >&2
		exit 1
	fi
	done=$((done + 1))
	if [ $((done % 25)) -eq 0 ] || [ "$seed" -eq "$last" ]; then
		echo "gen [$done/$total] seeds $first..$seed identical on every target ($(( $(date +%s) - start )) s)"
	fi
	seed=$((seed + 1))
done
echo "gen: $total passed, 0 failed"
