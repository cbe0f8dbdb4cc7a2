#!/usr/bin/env bash
# tap-count.sh [--skip-is-fail] FILE...: count the test points of flat TAP
# files and print "N passed, N failed, N skipped".
#
# --skip-is-fail: in the rig every core test must run, so a SKIP there is
# a failure (DEVELOPERS.md). Exit 1 if anything failed or if no test ran
# at all (an empty result must never read as a pass).
set -eu

skip_is_fail=0
if [ "${1:-}" = --skip-is-fail ]; then
	skip_is_fail=1
	shift
fi

awk -v skip_is_fail="$skip_is_fail" '
/^not ok / { failed++; next }
/^ok / {
	if ($0 ~ /# [Ss][Kk][Ii][Pp]/) {
		if (skip_is_fail) failed++; else skipped++
	} else {
		passed++
	}
}
END {
	printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
	exit (failed > 0 || passed + failed + skipped == 0) ? 1 : 0
}' "$@"
