# tools/kmod-boot/lib.sh — sourced by the other kmod-boot scripts: where
# things go, and a progress line with the seconds since the harness started.
#
# The harness (run.sh) exports KMOD_BOOT_T0 once, so every script's lines
# count from the same start; a script run alone counts from its own.

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Every build product and every kept log: build/ is ignored by git.
# shellcheck disable=SC2034 # used by the scripts that source this one
OUT=${KMOD_BOOT_OUT:-$ROOT/build/kmod-boot}
# The sources the module, devtest and build/mmulab are built from: the work
# tree, or with KMOD_BOOT_REV=REV (e.g. HEAD) that commit, exported by
# run.sh to build/kmod-boot/src, so that someone else's half-done edits in
# the work tree do not stop a test of what is committed.
# shellcheck disable=SC2034
if [ -n "${KMOD_BOOT_REV:-}" ]; then SRC=$OUT/src; else SRC=$ROOT; fi
: "${KMOD_BOOT_T0:=$(date +%s)}"
export KMOD_BOOT_T0

# say WHAT... — one progress line: "kmod-boot [  12s] WHAT".
say() {
	printf 'kmod-boot [%4ss] %s\n' "$(($(date +%s) - KMOD_BOOT_T0))" "$*"
}

# die WHAT... — say why, exit 2 (a harness problem, not a test failure).
die() {
	say "error: $*" >&2
	exit 2
}
