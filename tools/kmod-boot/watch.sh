#!/bin/sh
# tools/kmod-boot/watch.sh NAME SERIAL STDOUT HARD SILENCE STOP CMD... — run
# an emulator for boot NAME and watch its serial log until it is done.
#
# CMD runs in the background with its standard output and error in STDOUT
# (which is SERIAL itself for QEMU -nographic) and no standard input.
# Every second the serial log is checked:
#   - /init's new progress lines (one per scenario of the suite): printed
#     at once, so the suite's progress shows on the terminal as it goes;
#   - a kernel panic, BUG, Oops or soft lockup: kill at once (exit 126);
#   - no new serial output for SILENCE seconds: kill (exit 125);
#   - HARD seconds since the start: kill (exit 124);
#   - STOP=stop and /init's last sentinel seen: kill, exit 0 (Bochs: it
#     cannot be told to exit with a status; the sentinels carry it).
# Otherwise the exit status is the emulator's own.  Only the process this
# script started is killed.
set -eu
. "$(dirname "$0")/lib.sh"

name=$1
serial=$2
stdout=$3
hard=$4
silence=$5
stop=$6
shift 6

# The log, without the carriage returns of the serial line.
log() {
	tr -d '\r' < "$serial" 2>/dev/null
}

# Print the progress lines that arrived since the last call: whole lines
# only (one that ends in its seconds), not one the emulator is still writing.
shown=0
progress() {
	n=$(log | grep -ac 'MMULAB-SCENARIO .* [0-9.]*s$' || true)
	[ "$n" -gt "$shown" ] || return 0
	log | grep -ao 'MMULAB-SCENARIO .* [0-9.]*s$' | sed -n "$((shown + 1)),${n}p" |
		while IFS= read -r line; do
			say "$name: ${line#MMULAB-SCENARIO }"
		done
	shown=$n
}

: > "$serial"
"$@" > "$stdout" 2>&1 < /dev/null &
pid=$!
start=$(date +%s)
last_size=0
last_change=$start
verdict=""
while kill -0 "$pid" 2>/dev/null; do
	sleep 1
	now=$(date +%s)
	size=$(wc -c < "$serial")
	if [ "$size" -ne "$last_size" ]; then
		last_size=$size
		last_change=$now
		progress
	fi
	if log | grep -aqE 'Kernel panic|BUG:|Oops:|soft lockup'; then
		verdict=126
	elif [ "$stop" = stop ] && log | grep -aq 'MMULAB-KMOD-DONE'; then
		verdict=0
	elif [ $((now - last_change)) -ge "$silence" ]; then
		verdict=125
	elif [ $((now - start)) -ge "$hard" ]; then
		verdict=124
	fi
	if [ -n "$verdict" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		progress
		exit "$verdict"
	fi
done
rc=0
wait "$pid" || rc=$?
progress
exit "$rc"
