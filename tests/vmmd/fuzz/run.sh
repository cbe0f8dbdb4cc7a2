#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh OUTPUT SECONDS TARGET...: run each libFuzzer target for SECONDS
# from the seeds (seeds.py) plus what earlier runs found (the corpus is
# kept in OUTPUT/corpus), one TAP point per target with its executions
# per second. A crash, sanitizer report or leak fails the point; the
# input that triggered it is kept as OUTPUT/crash-* for replay.
set -u

out=$1 secs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
python3 "$here/seeds.py" "$out/corpus"
echo "TAP version 13"
echo "1..$#"
n=0 failed=0
for t in "$@"; do
	n=$((n + 1))
	log=$out/$t.log
	"$out/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-dict="$here/xml.dict" -artifact_prefix="$out/crash-$t-" \
		-print_final_stats=1 "$out/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	if [ "$rc" = 0 ] && [ -n "$execs" ]; then
		echo "ok $n vmmd/fuzz/$t # ${execs} execs in ${secs} s, ${rate}/s"
	else
		echo "not ok $n vmmd/fuzz/$t # exit $rc, log $log"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -n 5 | sed 's/^/# /'
		failed=1
	fi
done
exit $failed
