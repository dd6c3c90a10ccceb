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
# What every boot's guest gets: its RAM and its kernel command line.  The
# boot scripts add only what differs per emulator (panic=, the targets);
# the emulators' own options are in boot-qemu.sh and boot-bochs.sh.
#
# Room for memslots backed by 1 GiB host pages, which the module takes
# with alloc_contig_range: free 1 GiB-aligned ranges in ZONE_MOVABLE, where
# the kernel puts nothing it cannot move away.  host-huge.xml needs four at
# once on the module's side (the module keeps every page a host change
# replaced until the VM is destroyed, so that a stale SPTE shows), while
# ref holds its own copy of the slot in the same guest's user space.
# 8 GiB of RAM ([0, 3 GiB) below the PCI hole, [4 GiB, 9 GiB) above it)
# and movablecore=5G make the RAM above 4 GiB ZONE_MOVABLE, of which the
# ranges at 4, 5, 6 and 7 GiB stay whole: the kernel's early allocations
# come from the top of RAM, so the last GiB never is.  /init shows it
# (MMULAB-KMOD-MEM gib_range=4 at=0x100000000) and run.sh requires it.
# Measured: with 6 GiB and movablecore=3G only two ranges could be taken,
# and host-huge.xml failed with ENOMEM.  nokaslr: a randomized kernel image
# could land in a free GiB (the PVH boots have no KASLR anyway).
# init_on_alloc=0: Debian's kernel zeroes every allocation by default,
# which under TCG costs ~14 s per GiB, and would hide a module that
# forgets __GFP_ZERO.
# The rest: the serial line is the log; only warnings and /init's lines
# (quiet); an Oops is a panic; /init's sentinels go through /dev/kmsg, not
# rate-limited (printk.devkmsg=on).
# shellcheck disable=SC2034 # used by the scripts that source this one
GUEST_RAM_MB=8192
# shellcheck disable=SC2034
KERNEL_ARGS="console=ttyS0 quiet oops=panic printk.devkmsg=on nokaslr movablecore=5G init_on_alloc=0"

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
