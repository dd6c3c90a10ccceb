#!/bin/sh
# tools/kmod-boot/extract-vmlinux.sh BZIMAGE OUTPUT — write the kernel's
# uncompressed ELF image (vmlinux) found inside a bzImage.
#
# Booting vmlinux through its PVH entry skips the BIOS and the kernel's
# own decompression, which under TCG is most of the boot.  A bzImage
# carries vmlinux as a compressed payload (xz for Debian's kernels): find
# each place where that format's magic bytes occur, decompress from there,
# and keep the first result that is an ELF file.  Trailing bytes after the
# payload make the decompressor complain; its output is judged instead.
set -eu

bzimage=$1
output=$2
# magic bytes, decompressor: xz, then gzip, then zstd.
for format in '\xfd7zXZ\x00:xz -dc' '\x1f\x8b\x08:gzip -dc' '\x28\xb5\x2f\xfd:zstd -dc'; do
	magic=${format%%:*}
	tool=${format#*:}
	command -v "${tool%% *}" >/dev/null 2>&1 || continue
	for offset in $(LC_ALL=C grep -obUaP "$magic" "$bzimage" | cut -d: -f1); do
		tail -c +"$((offset + 1))" "$bzimage" | $tool > "$output.tmp" 2>/dev/null || true
		if [ "$(head -c 4 "$output.tmp" | od -An -c | tr -d ' ')" = '177ELF' ]; then
			mv "$output.tmp" "$output"
			exit 0
		fi
	done
done
rm -f "$output.tmp"
echo "extract-vmlinux: no compressed ELF kernel found in $bzimage" >&2
exit 2
