#!/usr/bin/env bash
# make check: every test stage, then one summary line over all of them.
#
# Stages run in order and each is timed; a failing stage does not stop
# the others, so one run shows everything that is broken. Each stage
# leaves a flat TAP file (build/<stage>/results.tap); a stage that left
# none counts as one failure. The last line printed is
# "N passed, N failed, N skipped" and the exit status is 0 only when
# nothing failed.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
logs=$build/check-logs
mkdir -p "$logs"

stages=(check-host verify check-svm check-vmx)
declare -A results=(
	[check-host]=$build/check-host/results.tap
	[verify]=$build/verify/results.tap
	[check-svm]=$build/check-svm/results.tap
	[check-vmx]=$build/check-vmx/results.tap
)
# In the emulated machines every core test must run: a skip is a failure.
declare -A count_opts=([check-svm]=--skip-is-fail [check-vmx]=--skip-is-fail)

passed=0 failed=0 skipped=0
timing=""
for s in "${stages[@]}"; do
	rm -f "${results[$s]}"
	echo "=== $s"
	start=$(date +%s)
	make -s -C "$top" "$s" 2>&1 | tee "$logs/$s.log"
	rc=${PIPESTATUS[0]}
	secs=$(( $(date +%s) - start ))
	if [ -s "${results[$s]}" ]; then
		line=$("$top/scripts/tap-count.sh" ${count_opts[$s]:-} "${results[$s]}")
		read -r p _ f _ k _ <<<"${line//,/}"
	else
		line="no results (exit $rc): see $logs/$s.log"
		p=0 f=1 k=0
	fi
	# A stage that failed without a failing test point still fails.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		line="$line; exited $rc"
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + k))
	timing+=$(printf '%-11s %4d s  %s' "$s" "$secs" "$line")$'\n'
done

echo "=== summary"
printf '%s' "$timing"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
