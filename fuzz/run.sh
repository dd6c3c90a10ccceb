#!/bin/sh
# fuzz/run.sh SECONDS — build the scenario-loader fuzzer with clang
# (libFuzzer + AddressSanitizer + UBSan) and run it for SECONDS.
#
# The target (fuzz/scenario_fuzz.c) is linked directly with the sources
# it needs: core/ (formats and the VM, for the set-up check), the user
# platform, the loader and the embedded XSD — all compiled here, into
# build/fuzz/, with the sanitizers.  The corpus starts from every shipped
# and bad scenario and grows in build/fuzz/corpus across runs.  Exit
# status: 0 if nothing was found, non-zero on a crash (the input that
# caused it is saved as build/fuzz/crash-*).
set -eu

secs=${1:-60}
out=build/fuzz

cc=${FUZZ_CC:-}
if [ -z "$cc" ]; then
	for c in clang clang-14 clang-15 clang-16; do
		if command -v "$c" > /dev/null 2>&1; then
			cc=$c
			break
		fi
	done
fi
if [ -z "$cc" ]; then
	echo "fuzz/run.sh: no clang found; install clang and libclang-rt-dev (or set FUZZ_CC)" >&2
	exit 2
fi

xml_cflags=$(pkg-config --cflags libxml-2.0)
xml_libs=$(pkg-config --libs libxml-2.0)
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
# fuzzer-no-link: coverage instrumentation in every object, libFuzzer linked once.
cflags="-std=c11 -g -O1 -I. -D_DEFAULT_SOURCE $xml_cflags $san -fsanitize=fuzzer-no-link -Wall -Wextra -Wvla"

mkdir -p "$out/obj" "$out/gen" "$out/corpus"
sh tools/embed.sh mmulab_xsd scenarios/mmulab.xsd > "$out/gen/schema.c"

echo "fuzz: building with $cc"
objs=
for src in core/*.c core/*/*.c platform/user/*.c cli/scenario/*.c "$out/gen/schema.c"; do
	obj="$out/obj/$(echo "$src" | tr '/' '_' | sed 's/\.c$/.o/')"
	# The code under test must be warning-free under clang too; the rest
	# only has to build.
	case $src in
	cli/scenario/*) werror=-Werror ;;
	*) werror= ;;
	esac
	"$cc" $cflags $werror -c "$src" -o "$obj"
	objs="$objs $obj"
done
"$cc" $cflags -Werror -fsanitize=fuzzer -c fuzz/scenario_fuzz.c -o "$out/obj/scenario_fuzz.o"
"$cc" $san -fsanitize=fuzzer -o "$out/scenario_fuzz" "$out/obj/scenario_fuzz.o" $objs \
	$xml_libs -pthread

# Seeds: every scenario, good and bad (copies, so the fuzzer never writes into scenarios/).
mkdir -p "$out/seeds"
cp scenarios/*.xml scenarios/bad/*.xml "$out/seeds/"

echo "fuzz: running for ${secs}s"
status=0
"$out/scenario_fuzz" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -dict=fuzz/scenario.dict -artifact_prefix="$out/" \
	-print_final_stats=1 "$out/corpus" "$out/seeds" || status=$?
if [ "$status" -ne 0 ]; then
	echo "fuzz: FAILED (exit $status); the input is in $out/ (crash-*, leak-*, timeout-*)" >&2
	exit "$status"
fi
echo "fuzz: no crash in ${secs}s"
