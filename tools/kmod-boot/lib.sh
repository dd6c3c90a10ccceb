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
# Room for a memslot backed by one 1 GiB host page, which the module takes
# with alloc_contig_range: a free 1 GiB-aligned range in ZONE_MOVABLE,
# where the kernel puts nothing it cannot move away.  3 GiB of RAM (all
# below the PCI hole, in both emulators) and movablecore=2G make
# [1 GiB, 3 GiB) ZONE_MOVABLE, of which [1 GiB, 2 GiB) stays free: the
# kernel's early allocations (memmap, page tables, the swiotlb) come from
# the top of RAM, so the top GiB is never whole (measured: with 4 GiB of
# RAM and movablecore=1G no range could be taken).  /init shows it
# (MMULAB-KMOD-MEM gib_range=1 at=0x40000000) and run.sh requires it.
# The price: the kernel's own allocations, the module's 4 KiB and 2 MiB
# guest pages among them, have the first GiB (~800 MiB free).  5 GiB with
# the free GiB above 4 GiB would lift that, but cost Bochs ~70 s more per
# boot (measured).  nokaslr: a randomized kernel image could land in the
# free GiB; at 16 MiB it never does (the PVH boots have no KASLR anyway).
# init_on_alloc=0: Debian's kernel zeroes every allocation by default,
# which under TCG costs ~14 s per GiB, and would hide a module that
# forgets __GFP_ZERO.
# The rest: the serial line is the log; only warnings and /init's lines
# (quiet); an Oops is a panic; /init's sentinels go through /dev/kmsg, not
# rate-limited (printk.devkmsg=on).
# shellcheck disable=SC2034 # used by the scripts that source this one
GUEST_RAM_MB=6144
# shellcheck disable=SC2034
KERNEL_ARGS="console=ttyS0 quiet oops=panic printk.devkmsg=on nokaslr movablecore=3G init_on_alloc=0"

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
