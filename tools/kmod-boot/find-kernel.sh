#!/bin/sh
# tools/kmod-boot/find-kernel.sh — print the version of the Debian kernel
# the emulators boot: the newest /boot/vmlinuz-*-amd64 whose headers
# (/usr/src/linux-headers-VERSION) are installed too.
#
# Never `uname -r`: the host runs its own kernel, not Debian's, and the
# module must be built for exactly the kernel it is loaded into (vermagic).
set -eu

found=""
for image in /boot/vmlinuz-*-amd64; do
	[ -f "$image" ] || continue
	version=${image#/boot/vmlinuz-}
	if [ -d "/usr/src/linux-headers-$version" ]; then
		found="$found $version"
	else
		echo "find-kernel: $image has no headers (linux-headers-$version)" >&2
	fi
done
if [ -z "$found" ]; then
	echo "find-kernel: no /boot/vmlinuz-*-amd64 with matching headers;" \
		"run: sh tools/setup.sh check-kmod" >&2
	exit 2
fi
# shellcheck disable=SC2086 # one version a word
printf '%s\n' $found | sort -V | tail -n 1
