#!/bin/sh
# tools/setup.sh TARGET [MAKE ARGS...] — install what mmulab needs, then make TARGET.
#
# The README's two commands are `sh tools/setup.sh demo` and
# `sh tools/setup.sh check`.  On a fresh Debian 12 there is no make and no
# compiler yet, so this is plain POSIX sh: it finds the missing Debian
# packages, installs them when run as root, and otherwise prints the exact
# apt-get command and stops.
set -eu

cd "$(dirname "$0")/.."

target=${1:-all}

# What every build needs: compiler, make, libraries and their tools.
packages="build-essential pkg-config check libxml2-dev libxml2-utils
	libncurses-dev libgraphviz-dev graphviz"
case $target in
check|check-*|kmod|kmod-boot-*|fuzz)
	# The kernel module builds against Debian's headers; the fuzzer needs clang.
	packages="$packages linux-headers-amd64 clang libclang-rt-14-dev"
	;;
esac
case $target in
check|check-kmod|kmod-boot-*)
	# Booting the module in Debian's kernel under emulators (tools/kmod-boot/),
	# which `make check` ends with: the kernel image (its headers are above),
	# QEMU (SVM+NPT), Bochs and its BIOSes (VMX+EPT), busybox and cpio for
	# the initramfs, xz to take the vmlinux out of the bzImage.
	packages="$packages linux-image-amd64 qemu-system-x86 busybox-static cpio xz-utils
	bochs bochsbios vgabios"
	;;
esac

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "setup: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086 # the list is meant to split
		apt-get install -y -qq --no-install-recommends $missing
	else
		echo "setup: missing Debian packages:$missing"
		echo "setup: run this as root, then run me again:"
		echo "    apt-get update && apt-get install -y --no-install-recommends$missing"
		exit 1
	fi
fi

if [ $# -gt 0 ]; then
	shift
fi
exec make -j2 "$target" "$@"
