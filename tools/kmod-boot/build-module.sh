#!/bin/sh
# tools/kmod-boot/build-module.sh VERSION — build mmulab.ko against the
# headers of Debian kernel VERSION, in build/kmod-boot/kmod-VERSION/
# (kmod-VERSION-rev/ for KMOD_BOOT_REV); prints the .ko's path.
#
# It uses the Makefile's own `make kmod`, pointed at those headers (KDIR)
# and at a build directory of its own (KMOD_BUILD), so it never races a
# developer's `make kmod` in build/kmod/.
set -eu
. "$(dirname "$0")/lib.sh"

version=$1
kdir=/usr/src/linux-headers-$version
[ -d "$kdir" ] || die "no headers for $version in $kdir"
dir=$OUT/kmod-$version
if [ -n "${KMOD_BOOT_REV:-}" ]; then
	# A fresh export every run: kbuild judges by timestamps, so objects
	# left from another source tree must not be reused.
	dir=$OUT/kmod-$version-rev
	rm -rf "$dir"
fi
mkdir -p "$dir"
if ! make -s -C "$SRC" kmod KDIR="$kdir" KMOD_BUILD="$dir" > "$OUT/kmod-build.log" 2>&1; then
	tail -n 30 "$OUT/kmod-build.log" >&2
	die "make kmod KDIR=$kdir failed (log: $OUT/kmod-build.log)"
fi
magic=$(modinfo -F vermagic "$dir/mmulab.ko" | cut -d' ' -f1)
[ "$magic" = "$version" ] || die "mmulab.ko has vermagic $magic, not $version"
printf '%s\n' "$dir/mmulab.ko"
