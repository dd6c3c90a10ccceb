#!/bin/sh
# tools/find-kdir.sh — print the kernel build directory `make kmod` uses:
# $KDIR if set; else the running kernel's /lib/modules/$(uname -r)/build;
# else the newest installed Debian headers, /usr/src/linux-headers-*-amd64
# (a container or CI runner often runs a kernel whose headers are not
# installed, while linux-headers-amd64 is); else nothing, exit 0.
set -eu

if [ -n "${KDIR:-}" ]; then
	printf '%s\n' "$KDIR"
	exit 0
fi

running="/lib/modules/$(uname -r)/build"
if [ -d "$running" ]; then
	printf '%s\n' "$running"
	exit 0
fi

for dir in /usr/src/linux-headers-*-amd64; do
	[ -d "$dir" ] && printf '%s\n' "$dir"
done | sort -V | tail -n 1
