#!/bin/sh
# tools/check-freestanding.sh CC — prove core/ and backends/ need no libc.
#
# Compiles every .c under core/ and backends/ as the kernel would see it:
# -ffreestanding -nostdinc, with only the compiler's own include directory
# (stdint.h, stddef.h, ...) on the path, so any libc #include fails here.
# Before trusting that, it checks the check: a probe including <stdint.h>
# must compile, and one including <stdio.h> must not (were libc headers in
# the compiler's directory, the check would prove nothing).
#
# CC may be several words ("ccache gcc"); `make check-freestanding` passes it.
set -eu

if [ $# -eq 0 ]; then
	echo "usage: sh tools/check-freestanding.sh CC" >&2
	exit 2
fi
cc="$*"
cd "$(dirname "$0")/.."

# shellcheck disable=SC2086 # $cc is a command line: split it on purpose
cc_include=$($cc -print-file-name=include)
if [ ! -f "$cc_include/stdint.h" ]; then
	echo "check-freestanding: '$cc -print-file-name=include' gave '$cc_include'," \
		"which has no stdint.h" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmulab-freestanding.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Compile $1 with the flags of core/ and backends/ and nothing of libc.
# -c (not -fsyntax-only) so -Wframe-larger-than and the optimizer's
# warnings run as in the real build.  Errors go to $tmp/err.
compile() {
	# shellcheck disable=SC2086 # $cc is a command line: split it on purpose
	$cc -std=c11 -ffreestanding -nostdinc -isystem "$cc_include" -I. \
		-mgeneral-regs-only -O2 -Wall -Wextra -Werror -Wvla \
		-Wframe-larger-than=2048 -Wstrict-prototypes \
		-c "$1" -o "$tmp/out.o" 2>"$tmp/err"
}

# ---- check the check -------------------------------------------------------

printf '#include <stdint.h>\nuint64_t probe_value(void);\n' >"$tmp/probe_ok.c"
if ! compile "$tmp/probe_ok.c"; then
	echo "check-freestanding: a file including only <stdint.h> does not" \
		"compile, so the flags are wrong for this compiler:" >&2
	cat "$tmp/err" >&2
	exit 2
fi

printf '#include <stdio.h>\nint probe_value(void);\n' >"$tmp/probe_libc.c"
if compile "$tmp/probe_libc.c"; then
	echo "check-freestanding: a file including <stdio.h> compiles with" \
		"-nostdinc -isystem $cc_include: that directory has libc headers," \
		"so this check would prove nothing" >&2
	exit 2
fi
if ! grep -q 'stdio\.h' "$tmp/err"; then
	echo "check-freestanding: the <stdio.h> probe failed for another reason" \
		"than the missing header:" >&2
	cat "$tmp/err" >&2
	exit 2
fi

# ---- check the tree ----------------------------------------------------------

start=$(date +%s)
dirs=
for d in core backends; do
	[ -d "$d" ] && dirs="$dirs $d"
done
# shellcheck disable=SC2086 # $dirs is a list of plain directory names
files=$(find $dirs -name '*.c' | LC_ALL=C sort)
checked=0
failed=0
for f in $files; do
	checked=$((checked + 1))
	if ! compile "$f"; then
		failed=$((failed + 1))
		echo "check-freestanding: FAIL $f" >&2
		cat "$tmp/err" >&2
	fi
done
elapsed=$(($(date +%s) - start))

if [ "$failed" -ne 0 ]; then
	echo "check-freestanding: $failed of $checked files in core/ and backends/" \
		"are not freestanding (${elapsed}s)" >&2
	exit 1
fi
echo "check-freestanding: $checked files in core/ and backends/ compile" \
	"freestanding (-nostdinc, $cc_include) in ${elapsed}s"
