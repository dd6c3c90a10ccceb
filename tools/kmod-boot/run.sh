#!/bin/sh
# tools/kmod-boot/run.sh [all|qemu|bochs] — `make check-kmod`: build
# mmulab.ko for the installed Debian kernel and load it in that kernel
# booted under emulators, on machines without VT-x/AMD-V:
#
#   qemu-la57    QEMU TCG -cpu max: AMD SVM + NPT, 5-level paging (bzImage:
#                the switch to 5-level paging is made by the bzImage's
#                decompressor, so a PVH boot would run 4-level)
#   qemu-4level  QEMU TCG -cpu max,la57=off: SVM + NPT, 4-level paging
#                (vmlinux through its PVH entry: no BIOS, no decompression)
#   qemu-nosvm   QEMU TCG -cpu max,svm=off: the module must refuse to load
#   bochs-vmx    Bochs: Intel VMX + EPT (vmlinux through its PVH entry,
#                from the disk image make-pvh.sh writes)
#
# Each boot but qemu-nosvm runs the comparison suite, judged against
# tools/kmod-boot/NAME.expect (hw/kmod/README.md, "What may not pass").
#
# One progress line per stage, with the seconds since the start; the last
# line counts boots passed and failed.  Exit 0 all passed, 1 one failed,
# 2 the harness could not run (missing packages, no kernel, build error).
# KMOD_BOOT_REV=HEAD tests a commit instead of the work tree (lib.sh).
set -eu
. "$(dirname "$0")/lib.sh"
here=$(dirname "$0")
what=${1:-all}

need="cpio strip modinfo"
case $what in
all) need="$need qemu-system-x86_64 bochs-bin objcopy readelf" ;;
qemu) need="$need qemu-system-x86_64" ;;
bochs) need="$need bochs-bin objcopy readelf" ;;
*) die "usage: run.sh [all|qemu|bochs]" ;;
esac
for tool in $need; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "$tool is missing; run: sh tools/setup.sh check-kmod"
done
[ -f /usr/share/vgabios/vgabios.bin ] || [ "$what" = qemu ] ||
	die "no VGA BIOS for Bochs; run: sh tools/setup.sh check-kmod"

mkdir -p "$OUT"
version=$(sh "$here/find-kernel.sh") || exit 2
bzimage=/boot/vmlinuz-$version
say "kernel $version ($bzimage)"

if [ -n "${KMOD_BOOT_REV:-}" ]; then
	rm -rf "$SRC"
	mkdir -p "$SRC"
	git -C "$ROOT" archive "$KMOD_BOOT_REV" | tar -x -m -C "$SRC"
	say "testing $KMOD_BOOT_REV ($(git -C "$ROOT" rev-parse --short "$KMOD_BOOT_REV")), exported to $SRC"
fi
ko=$(sh "$here/build-module.sh" "$version")
say "built $ko"

# The vmlinux inside the bzImage, once per kernel.
vmlinux=$OUT/vmlinux-$version
if [ ! -s "$vmlinux" ] || [ -n "$(find "$bzimage" -newer "$vmlinux")" ]; then
	sh "$here/extract-vmlinux.sh" "$bzimage" "$vmlinux"
fi
# Every boot gets the module, devtest, build/mmulab with its libraries and
# the scenarios.
sh "$here/make-initramfs.sh" "$ko" "$OUT/initrd.cpio"
say "initramfs ready ($(($(wc -c < "$OUT/initrd.cpio") / 1048576)) MiB)"

passed=0
failed=0
# boot NAME EXPECT COMMAND... — run one boot script; it passes only if the
# guest's CPU and memory lines also show each word of EXPECT: what this
# boot is there to test.
boot() {
	name=$1
	expect=$2
	shift 2
	say "$name: booting"
	started=$(date +%s)
	if ! "$@"; then
		failed=$((failed + 1))
		say "$name: failed after $(($(date +%s) - started))s"
		return
	fi
	shows=" $(tr -d '\r' < "$OUT/$name.serial.log" |
		grep -ao -e 'MMULAB-KMOD-CPU.*' -e 'MMULAB-KMOD-MEM.*' | tr '\n' ' ') "
	for word in $expect; do
		case $shows in
		*" $word "*) ;;
		*)
			failed=$((failed + 1))
			say "$name: FAIL: the guest does not show '$word': this boot did not test what it is for"
			return
			;;
		esac
	done
	passed=$((passed + 1))
	say "$name: done in $(($(date +%s) - started))s"
}

# The boots: what each must show, its emulator and CPU, and the targets
# of its comparison suite (each judged by tools/kmod-boot/NAME.expect).
# SVM walks NPT tables: tdp-npt with both ways of dirty logging (write
# protection, D bits), and with eager splitting.  phys-bits=52: the
# emulated CPU's MAXPHYADDR is 52 (QEMU's default is 40), the most a
# guest can have.
npt_targets=tdp-npt,tdp-npt+dbit,tdp-npt+dbit+eager
if [ "$what" != bochs ]; then
	boot qemu-la57 'svm=1 npt=1 la57=1 phys_bits=52 gib_range=4' \
		sh "$here/boot-qemu.sh" qemu-la57 max,phys-bits=52 "$bzimage" "$OUT/initrd.cpio" \
		"mmulab_targets=$npt_targets"
	boot qemu-4level 'svm=1 npt=1 la57=0 phys_bits=52 gib_range=4' \
		sh "$here/boot-qemu.sh" qemu-4level max,la57=off,phys-bits=52 "$vmlinux" "$OUT/initrd.cpio" \
		"mmulab_targets=$npt_targets"
	# A CPU without SVM or VMX: the module must refuse to load, saying so.
	boot qemu-nosvm 'svm=0 vmx=0' \
		sh "$here/boot-qemu.sh" qemu-nosvm max,svm=off "$vmlinux" "$OUT/initrd.cpio" \
		"mmulab_expect=refuse"
fi
# VMX walks EPT tables: with and without accessed/dirty bits.
ept_targets=tdp-ept,tdp-ept-noad
if [ "$what" != qemu ]; then
	boot bochs-vmx 'vmx=1 ept=1 gib_range=4' \
		sh "$here/boot-bochs.sh" bochs-vmx "$vmlinux" "$OUT/initrd.cpio" "$ept_targets"
fi

echo "kmod-boot: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
