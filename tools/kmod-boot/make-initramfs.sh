#!/bin/sh
# tools/kmod-boot/make-initramfs.sh KO OUTPUT — pack the test initramfs:
# busybox (static), /init, the module, hw/kmod/user/devtest (built
# static), build/mmulab with the libraries it loads, and the scenarios.
#
# The archive is an uncompressed newc cpio: under Bochs every inflate runs
# on the emulated CPU (GRUB's or the kernel's), and both emulators load
# 40 MB of cpio in a second or two.  build/mmulab links libxml2, which
# links ICU (30 MB of data), so it is copied with its libraries rather than
# linked static; debug information is stripped from it.
set -eu
. "$(dirname "$0")/lib.sh"

ko=$1
output=$2
busybox=/bin/busybox
[ -f "$ko" ] || die "no module $ko"
# ldd fails on a static executable, which is what the initramfs needs.
! ldd "$busybox" >/dev/null 2>&1 ||
	die "$busybox is not static: apt-get install busybox-static"

tree=$output.d
rm -rf "$tree"
mkdir -p "$tree/bin" "$tree/dev"
cp "$busybox" "$tree/bin/busybox"
ln -s busybox "$tree/bin/sh"
cp "$(dirname "$0")/init" "$tree/init"
chmod 755 "$tree/init"
# Debug info is most of the .ko's size and nothing reads it in the guest.
strip --strip-debug -o "$tree/mmulab.ko" "$ko"
# The console the kernel opens for /init (mknod needs root; without it,
# /init reopens /dev/console from devtmpfs).
mknod "$tree/dev/console" c 5 1 2>/dev/null || true

# The device's user-space test, when the module has one: static, small,
# so every boot gets it.  /init runs it while the module is loaded.
devtest=$SRC/hw/kmod/user/devtest.c
if [ -f "$devtest" ]; then
	${CC:-cc} -static -O2 -I"$SRC" -o "$tree/devtest" "$devtest" "$SRC/hw/kmod_client.c" ||
		die "could not build $devtest"
fi

mmulab=$SRC/build/mmulab
make -s -j2 -C "$SRC" build/mmulab || die "could not build $mmulab"
strip --strip-debug -o "$tree/mmulab" "$mmulab"
# Dynamically linked: copy every library ldd names, and the loader, to the
# same paths.
for lib in $(ldd "$mmulab" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\).*/\1/p'); do
	mkdir -p "$tree${lib%/*}"
	cp -L "$lib" "$tree$lib"
done
mkdir -p "$tree/scenarios"
cp "$SRC"/scenarios/*.xml "$tree/scenarios/"

(cd "$tree" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$output"
rm -rf "$tree"
