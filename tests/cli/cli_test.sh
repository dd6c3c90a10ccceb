#!/bin/sh
# tests/cli/cli_test.sh MMULAB — the CLI's contract: exit codes, FILE:LINE
# messages, and the XML result document.
set -u

mmulab=$1
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect_exit CODE DESCRIPTION COMMAND... — run, compare the exit status.
expect_exit() {
	want=$1
	what=$2
	shift 2
	"$@" > "$tmp/out" 2> "$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "cli FAIL: $what: exit $got, expected $want"
		head -n 5 "$tmp/err"
	fi
}

# expect_grep PATTERN FILE DESCRIPTION
expect_grep() {
	if grep -q -- "$1" "$2"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "cli FAIL: $3: no '$1' in $(basename "$2"):"
		head -n 5 "$2"
	fi
}

expect_exit 2 "no command" "$mmulab"
expect_exit 0 "--help" "$mmulab" --help
expect_grep "validate" "$tmp/out" "--help lists the commands"
expect_exit 2 "unknown command" "$mmulab" frobnicate
expect_exit 0 "run --help" "$mmulab" run --help
expect_exit 0 "validate --help" "$mmulab" validate --help
expect_exit 2 "run without a file" "$mmulab" run
expect_exit 2 "run on a missing file" "$mmulab" run "$tmp/nonexistent.xml"
expect_grep "nonexistent.xml" "$tmp/err" "a missing file is named"
expect_exit 2 "unknown executor" "$mmulab" run --hw nosuch scenarios/demo.xml
expect_exit 0 "validate a good file" "$mmulab" validate scenarios/demo.xml
expect_exit 0 "run the demo" "$mmulab" run scenarios/demo.xml
expect_grep "0 mismatches" "$tmp/out" "the demo's summary"
expect_exit 0 "run --trace" "$mmulab" run --trace scenarios/demo.xml
expect_grep "L4 entry" "$tmp/out" "--trace shows the walk"

for bad in scenarios/bad/*.xml; do
	expect_exit 2 "validate $bad" "$mmulab" validate "$bad"
	expect_grep "^$bad:[0-9]*: " "$tmp/err" "$bad: FILE:LINE message"
	expect_exit 2 "run $bad" "$mmulab" run "$bad"
done

# A wrong expectation: flip the first expected value in the demo.  The run
# must exit 1 and name the step's line.
awk '!done && /expect="ok"/ && /value="/ {
	sub(/value="[^"]*"/, "value=\"0xdeadbeef\""); done = 1 } { print }' \
	scenarios/demo.xml > "$tmp/wrong.xml"
line=$(grep -n 0xdeadbeef "$tmp/wrong.xml" | head -n 1 | cut -d: -f1)
expect_exit 1 "a failed expectation" "$mmulab" run "$tmp/wrong.xml"
expect_grep "wrong.xml:$line: mismatch" "$tmp/err" "a mismatch names FILE:LINE"

expect_exit 0 "run --xml" "$mmulab" run --xml scenarios/demo.xml
cp "$tmp/out" "$tmp/result.xml"
expect_exit 0 "the XML result is well-formed" xmllint --noout "$tmp/result.xml"
expect_grep 'mismatches="0"' "$tmp/result.xml" "the XML result counts mismatches"
expect_exit 1 "run --xml with a mismatch" "$mmulab" run --xml "$tmp/wrong.xml"
expect_grep 'met="false"' "$tmp/out" "the XML result marks the mismatch"

# Dirty logs: a wrong expected page list is a mismatch at its line, with
# both lists; the XML result carries the log as a page list.
sed 's/<get-dirty-log slot="1" expect="1 3"\/>/<get-dirty-log slot="1" expect="1-3"\/>/' \
	scenarios/dirty-log.xml > "$tmp/dirty.xml"
line=$(grep -n 'expect="1-3"' "$tmp/dirty.xml" | cut -d: -f1)
expect_exit 1 "a wrong dirty log" "$mmulab" run "$tmp/dirty.xml"
expect_grep "dirty.xml:$line: mismatch: get-dirty-log slot 1: expected dirty 1-3, got dirty 1 3" \
	"$tmp/err" "a dirty-log mismatch names FILE:LINE and both page lists"
expect_exit 0 "run --xml with dirty logs" "$mmulab" run --xml scenarios/dirty-log.xml
expect_grep 'kind="get-dirty-log" slot="0"' "$tmp/out" "the XML names the slot"
expect_grep '<result outcome="ok" dirty="1-4" pages="256"/>' "$tmp/out" "the XML result holds the log"
expect_grep '<expect outcome="ok" dirty="" met="true"/>' "$tmp/out" "an empty expected log"
# Under NPT and EPT with A/D a walk's reads of guest tables are writes for
# the second stage (APM 15.25.5, SDM 29.3.5): the logs hold the table pages
# too, shown apart; without EPT A/D they are exact.
expect_exit 0 "dirty logs on NPT" "$mmulab" run --backend tdp --format npt scenarios/dirty-log.xml
expect_grep "get-dirty-log slot 0  *-> dirty 4 (+1-3: guest page tables, written by walks on npt)" \
	"$tmp/out" "run shows the guest page-table pages NPT's walks logged"
expect_exit 0 "dirty logs on EPT with A/D" "$mmulab" run --backend tdp --format ept scenarios/dirty-log.xml
expect_grep "(+1-3: guest page tables, written by walks on ept with A/D)" "$tmp/out" \
	"run shows the guest page-table pages EPT A/D's walks logged"
expect_exit 0 "dirty logs on EPT without A/D" "$mmulab" run --backend tdp --format ept-noad \
	scenarios/dirty-log.xml
cp "$tmp/out" "$tmp/noad.txt"
expect_exit 1 "EPT without A/D logs no page-table page it only reads" grep -q "guest page tables" \
	"$tmp/noad.txt"
expect_exit 0 "compare with walk-written table pages" "$mmulab" compare scenarios/dirty-log.xml
expect_grep "dirty-log.xml:[0-9]*: note: get-dirty-log slot 0 on tdp-npt: dirty 4 (+1-3: guest" \
	"$tmp/out" "compare notes the table pages it accepted"
expect_exit 1 "a missing page on NPT" "$mmulab" run --backend tdp --format npt "$tmp/dirty.xml"
expect_grep "expected dirty 1-3, got dirty 1 3 (missing 2)" "$tmp/err" "the missing page is named"
sed 's/<get-dirty-log slot="1" expect="1 3"\/>/<get-dirty-log slot="1" expect="1"\/>/' \
	scenarios/dirty-log.xml > "$tmp/extra.xml"
expect_exit 1 "an extra data page on NPT" "$mmulab" run --backend tdp --format npt "$tmp/extra.xml"
expect_grep "expected dirty 1, got dirty 1 3 (extra 3: not guest page tables)" "$tmp/err" \
	"an extra page outside the page tables is refused on NPT"
expect_exit 1 "compare an extra data page" "$mmulab" compare "$tmp/extra.xml"
expect_grep "mismatch on tdp-npt: get-dirty-log slot 1: expected dirty 1, got dirty 1 3 (extra 3" \
	"$tmp/err" "compare refuses it on NPT too"

expect_exit 0 "run a threads group" "$mmulab" run scenarios/threads-shared-tables.xml
expect_grep "threads   8 accesses" "$tmp/out" "the group is shown with its size"

# Backends: run on sim, compare across targets, gen, bench.
expect_exit 0 "run on the TDP backend (NPT) under sim" "$mmulab" run --backend tdp --format npt scenarios/demo.xml
expect_grep "(sim," "$tmp/out" "run names the sim executor"
expect_exit 2 "a backend on ref" "$mmulab" run --hw ref --backend tdp scenarios/demo.xml
expect_exit 2 "an unknown format" "$mmulab" run --backend tdp --format nosuch scenarios/demo.xml
expect_exit 0 "run --mmu-trace" "$mmulab" run --mmu-trace scenarios/demo.xml
expect_grep "spte_set" "$tmp/out" "the MMU trace shows SPTE changes"
expect_exit 0 "compare the demo" "$mmulab" compare scenarios/demo.xml
expect_grep "pages allocated L4" "$tmp/out" "compare prints the cost table"
expect_exit 2 "compare an unknown target" "$mmulab" compare --targets tdp-nosuch scenarios/demo.xml
expect_exit 2 "compare +dbit without A/D" "$mmulab" compare --targets tdp-ept-noad+dbit scenarios/demo.xml
expect_exit 2 "compare a bad scenario" "$mmulab" compare scenarios/bad/doctype.xml
expect_exit 1 "compare a failed expectation" "$mmulab" compare "$tmp/wrong.xml"
expect_grep "mismatch on tdp-ept" "$tmp/err" "compare names the target that failed"
expect_exit 0 "compare --xml" "$mmulab" compare --xml scenarios/demo.xml
expect_grep 'identical="true"' "$tmp/out" "the XML comparison says identical"
expect_exit 2 "compare --xml with two files" "$mmulab" compare --xml scenarios/demo.xml scenarios/pae.xml
"$mmulab" gen --seed 42 > "$tmp/g1.xml"
"$mmulab" gen --seed 42 > "$tmp/g2.xml"
"$mmulab" gen --seed 43 > "$tmp/g3.xml"
expect_exit 0 "gen: one seed, one scenario" cmp -s "$tmp/g1.xml" "$tmp/g2.xml"
expect_exit 1 "gen: another seed, another scenario" cmp -s "$tmp/g1.xml" "$tmp/g3.xml"
expect_exit 0 "gen output validates" "$mmulab" validate "$tmp/g1.xml"
expect_exit 2 "gen --seed junk" "$mmulab" gen --seed junk
expect_exit 2 "bench --size too small" "$mmulab" bench --size 4K
expect_exit 2 "bench a target with no backend" "$mmulab" bench --targets ref
# --hw kmod needs /dev/mmulab (tools/kmod-boot runs it where the module is).
if [ ! -e /dev/mmulab ]; then
	expect_exit 2 "bench --hw kmod without the module" "$mmulab" bench --hw kmod
	expect_grep "no /dev/mmulab" "$tmp/err" "bench --hw kmod says what is missing"
fi
expect_exit 2 "bench --hw kmod --xml" "$mmulab" bench --hw kmod --xml
expect_exit 2 "bench --hw with a target with no backend" "$mmulab" bench --hw kmod --targets ref

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
