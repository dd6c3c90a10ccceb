#!/bin/sh
# tools/kmod-boot/watch.sh SERIAL STDOUT HARD SILENCE STOP CMD... — run an
# emulator and watch its serial log until it is done.
#
# CMD runs in the background with its standard output and error in STDOUT
# (which is SERIAL itself for QEMU -nographic) and no standard input.
# Every second the serial log is checked:
#   - a kernel panic, BUG, Oops or soft lockup: kill at once (exit 126);
#   - no new serial output for SILENCE seconds: kill (exit 125);
#   - HARD seconds since the start: kill (exit 124);
#   - STOP=stop and /init's last sentinel seen: kill, exit 0 (Bochs: it
#     cannot be told to exit with a status; the sentinels carry it).
# Otherwise the exit status is the emulator's own.  Only the process this
# script started is killed.
set -eu

serial=$1
stdout=$2
hard=$3
silence=$4
stop=$5
shift 5

# The log, without the carriage returns of the serial line.
log() {
	tr -d '\r' < "$serial" 2>/dev/null
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
		exit "$verdict"
	fi
done
rc=0
wait "$pid" || rc=$?
exit "$rc"
