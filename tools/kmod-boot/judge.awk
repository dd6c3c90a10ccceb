# tools/kmod-boot/judge.awk — judge the comparison suite of one boot
# against that boot's expectation file (NAME.expect; the format is in
# hw/kmod/README.md, "What may not pass, and why").
#
#   awk -v emulator=QEMU -f judge.awk NAME.expect SERIAL-LOG
#
# The serial log (carriage returns stripped) holds /init's lines
#   MMULAB-SUITE-BEGIN total=N targets=LIST
#   MMULAB-OUT FILE:LINE: ...                    what mmulab said, for a scenario
#   MMULAB-SCENARIO I/N FILE rc=R VERDICT Ts     that did not pass, then its verdict
#   MMULAB-SUITE-END
# Each scenario must pass (rc 0) unless its entry says otherwise:
#   skip       rc 3: this CPU cannot run it
#   pending    rc 1 or 2: mmulab cannot run it on kmod yet
#   deviation  rc 1, and its FILE:LINE lines are exactly the entry's lines
# An entry whose scenario passes, or that did not happen as written, fails
# the boot too (stale), so the file only ever says what is true today.
#
# Prints each failure with its evidence (the guest's FILE:LINE lines), then
# the skips, pending scenarios and known deviations, one line each under a
# heading with their count, then "suite: ..." with all the counts.
# Exit 0 as expected, 1 not, 2 the expectation file is malformed.

function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}

function bad_entry(line, why) {
	printf "%s:%d: %s\n", ARGV[1], line, why
	malformed = 1
	exit 2
}

# Remember a scenario of class c (skip, pending, deviation) for the END listing.
function listed(c, name, text) {
	count[c]++
	list[c, count[c]] = sprintf("      %-26s %s", name, text)
}

function evidence(name, max,    i, n) {
	n = nout[name] + 0
	for (i = 1; i <= n && i <= max; i++)
		printf "        %s\n", out[name, i]
	if (n > max)
		printf "        ... %d more lines in the serial log\n", n - max
}

function fail(name, why) {
	failed++
	printf "    FAIL      %s: %s\n", name, why
}

# ---- the expectation file: KIND SCENARIO REASON, deviations' lines indented
FILENAME == ARGV[1] {
	if ($0 ~ /^[ \t]*(#|$)/)
		next
	if ($0 ~ /^[ \t]/) {
		if (last_kind != "deviation")
			bad_entry(FNR, "an indented line belongs to a deviation entry")
		ndev[last]++
		dev[last, ndev[last]] = trim($0)
		next
	}
	if ($1 != "skip" && $1 != "pending" && $1 != "deviation")
		bad_entry(FNR, "unknown kind '" $1 "' (skip, pending or deviation)")
	if ($2 !~ /\.xml$/)
		bad_entry(FNR, "'" $2 "' is not a scenario file name")
	if ($2 in kind)
		bad_entry(FNR, $2 " has an entry already")
	reason_text = $0
	sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]*/, "", reason_text)
	if (reason_text == "")
		bad_entry(FNR, $2 ": say why")
	kind[$2] = $1
	entry_line[$2] = FNR
	reason[$2] = reason_text
	last = $2
	last_kind = $1
	next
}

# ---- the serial log
FNR == 1 {
	for (name in kind)
		if (kind[name] == "deviation" && !ndev[name])
			bad_entry(entry_line[name], name ": a deviation lists the exact lines it expects, indented")
}

/MMULAB-SUITE-BEGIN / {
	began = 1
	line = $0
	sub(/.*MMULAB-SUITE-BEGIN total=/, "", line)
	total = line + 0
	next
}

/MMULAB-SUITE-END/ {
	ended = 1
	next
}

/MMULAB-OUT / {
	line = $0
	sub(/.*MMULAB-OUT /, "", line)
	pend[++npend] = line
	next
}

/MMULAB-SCENARIO / {
	line = $0
	sub(/.*MMULAB-SCENARIO /, "", line)
	split(line, f, " ")
	name = f[2]
	rc = f[3]
	sub(/^rc=/, "", rc)
	seen[name] = 1
	ran++
	nout[name] = npend
	for (i = 1; i <= npend; i++)
		out[name, i] = pend[i]
	npend = 0
	judge(name, rc + 0)
	next
}

function plural(n, one, many) {
	return n " " (n == 1 ? one : many)
}

# The entries of class c under a heading, one line each.
function show(c, heading,    i) {
	if (!count[c])
		return
	printf "    %s:\n", heading
	for (i = 1; i <= count[c]; i++)
		print list[c, i]
}

function judge(name, rc,    k, i, j, found, unmatched, missing) {
	k = (name in kind) ? kind[name] : ""
	if (rc == 0) {
		if (k == "") {
			passed++
		} else if (k == "deviation") {
			fail(name, "passes: the recorded " emulator " deviation no longer occurs; remove its entry")
		} else {
			fail(name, "passes now: remove it from the " k " list in the expectation file")
		}
		return
	}
	if (rc == 3) {
		if (k == "skip") {
			listed("skip", name, reason[name])
		} else {
			fail(name, "skipped (this CPU cannot run it) but not listed as a skip")
			evidence(name, 10)
		}
		return
	}
	if ((rc == 1 || rc == 2) && k == "pending") {
		listed("pending", name, reason[name])
		return
	}
	if (rc == 1 && k == "deviation") {
		# Every line said must be one recorded, and every recorded line said.
		unmatched = 0
		for (i = 1; i <= nout[name]; i++) {
			found = 0
			for (j = 1; j <= ndev[name]; j++)
				if (out[name, i] == dev[name, j])
					found = 1
			if (!found) {
				if (!unmatched++)
					fail(name, "differs in a way its deviation entry does not record:")
				printf "        %s\n", out[name, i]
			}
		}
		missing = 0
		for (j = 1; j <= ndev[name]; j++) {
			found = 0
			for (i = 1; i <= nout[name]; i++)
				if (out[name, i] == dev[name, j])
					found = 1
			if (!found) {
				if (!missing++ && !unmatched)
					fail(name, "a recorded deviation no longer occurs (stale):")
				printf "        not said: %s\n", dev[name, j]
			}
		}
		if (!unmatched && !missing)
			listed("deviation", name, reason[name] " (" plural(nout[name], "line", "lines") ", as recorded)")
		return
	}
	if (k == "")
		fail(name, (rc == 1 ? "differs from ref or an expectation" : rc == 2 ? "error" : "exit status " rc) ":")
	else
		fail(name, "exit status " rc ", which a " k " entry does not expect:")
	evidence(name, 20)
}

END {
	if (malformed)
		exit 2
	if (!began) {
		print "    FAIL      the suite did not start (no MMULAB-SUITE-BEGIN in the log)"
		failed++
	} else if (!ended || ran != total) {
		printf "    FAIL      the suite did not finish: %d of %d scenarios ran\n", ran, total
		failed++
	}
	for (name in kind)
		if (began && ended && !(name in seen))
			fail(name, "has a " kind[name] " entry but is not a scenario of this boot (renamed? removed?)")
	show("skip", plural(count["skip"] + 0, "skipped", "skipped") " (this CPU cannot run them)")
	show("pending", plural(count["pending"] + 0, "pending", "pending") " (mmulab cannot run them on kmod yet)")
	show("deviation", plural(count["deviation"] + 0, "known " emulator " deviation", "known " emulator " deviations") ", not a module bug")
	printf "suite: %d passed, %d skipped (this CPU cannot run them), %d pending (mmulab cannot run them on kmod yet), %s (not a module bug), %d failed\n",
	       passed, count["skip"], count["pending"], plural(count["deviation"] + 0, "known " emulator " deviation", "known " emulator " deviations"), failed
	exit failed ? 1 : 0
}
