#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run_tests.sh OUTPUT LAYER...: run OUTPUT/<layer>_test for each layer and
# merge their TAP 13 documents into one stream with one plan, renumbered.
# A program that crashes (sanitizer report, signal) or whose plan does not
# match the test points it printed adds a "not ok" point of its own, so a
# failure is never lost.  Program output that is not a test point is kept
# as a "# " diagnostic.  Exit 0 when every point is ok, 1 otherwise.

out=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for layer in "$@"; do
	prog=$out/${layer}_test
	if [ -x "$prog" ]; then
		"$prog" >"$tmp/$layer.out" 2>&1
		echo $? >"$tmp/$layer.rc"
	else
		echo "missing program $prog" >"$tmp/$layer.out"
		echo 127 >"$tmp/$layer.rc"
	fi
done

for layer in "$@"; do
	awk -v layer="$layer" -v rc="$(cat "$tmp/$layer.rc")" '
	/^TAP version / { next }
	/^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0; planned = 1; next }
	/^(not )?ok [0-9]+ / {
		status = ($0 ~ /^not ok/) ? "not ok" : "ok"
		name = $0
		sub(/^(not )?ok [0-9]+ /, "", name)
		print status "\t" name
		points++
		if (status == "not ok")
			failed++
		next
	}
	{ sub(/^# ?/, ""); print "#\t" $0 }
	END {
		why = ""
		if (rc != 0 && failed == 0)
			why = "exit status " rc " without a failing test point"
		else if (!planned)
			why = "no TAP plan"
		else if (points != plan)
			why = "planned " plan " test points, ran " points
		if (why != "")
			print "not ok\tunit/" layer "/program # " why
	}' "$tmp/$layer.out"
done >"$tmp/all"

awk -F '\t' '
$1 == "ok" || $1 == "not ok" { n++ }
END { print "TAP version 13"; print "1.." n }' "$tmp/all"
awk -F '\t' '
$1 == "#" { print "# " $2; next }
{ n++; print $1 " " n " " $2; if ($1 == "not ok") bad = 1 }
END { exit bad }' "$tmp/all"
