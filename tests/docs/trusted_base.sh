#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# docs/verification.md lists every module file that is trusted rather than
# proved, with its line count. TAP: one point per module file, failing when
# the file is missing from the table or its count is stale.
top=$(cd "$(dirname "$0")/../.." && pwd)
doc=$top/docs/verification.md
files=$(cd "$top" && find module -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) | sort)

echo "TAP version 13"
echo "1..$(echo "$files" | wc -l)"
n=0
failed=0
for f in $files; do
	n=$((n + 1))
	have=$(wc -l <"$top/$f")
	listed=$(awk -F'|' -v f="$f" '{ gsub(/ /, "", $2) } $2 == f { gsub(/ /, "", $3); print $3 }' "$doc")
	if [ "$listed" = "$have" ]; then
		echo "ok $n docs/trusted-base/$f"
	else
		echo "not ok $n docs/trusted-base/$f"
		echo "# $f has $have lines; docs/verification.md lists '${listed:-nothing}'"
		failed=1
	fi
done
exit $failed
