#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run lamina's test programs, kselftest runner style: one TAP 13 stream,
# a test point per (program, device), each program's own TAP indented
# with "# ". POSIX sh so it also runs under busybox in the initramfs.
#
# usage: run_tests.sh [-d DEVICE]... [-t SECONDS] [PROGRAM...]
#   DEVICE   device path handed to each program (default /dev/kvm)
#   SECONDS  per-program timeout (default 120), when timeout(1) exists
#   PROGRAM  default: every name in tests.list beside this script
# Exit: 0 when nothing failed, 1 otherwise (skips are not failures here;
# the rig decides whether a skip is acceptable).

here=$(cd "$(dirname "$0")" && pwd)
devices=""
limit=120

while getopts "d:t:" opt; do
	case $opt in
	d) devices="$devices $OPTARG" ;;
	t) limit=$OPTARG ;;
	*) echo "usage: $0 [-d DEVICE]... [-t SECONDS] [PROGRAM...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$devices" ] || devices=/dev/kvm
progs="$*"
[ -n "$progs" ] || progs=$(cat "$here/tests.list")

total=0
for p in $progs; do
	for d in $devices; do
		total=$((total + 1))
	done
done

echo "TAP version 13"
echo "1..$total"
n=0
failed=0
rcfile=$(mktemp)
# indent: "# " before each line, passed on as soon as it is read. Not
# sed: into a pipe it holds a block of output until the program ends, and
# the rig's machines take minutes of silence on the console for a stall.
indent() {
	while IFS= read -r line || [ -n "$line" ]; do
		printf '# %s\n' "$line"
	done
}
for p in $progs; do
	for d in $devices; do
		n=$((n + 1))
		desc="selftests: lamina: $p $d"
		echo "# $desc"
		if command -v timeout >/dev/null 2>&1; then
			run="timeout $limit"
		else
			run=""
		fi
		# The pipe loses the program's status: keep it in a file.
		{ $run "$here/$p" "$d" 2>&1; echo $? >"$rcfile"; } | indent
		rc=$(cat "$rcfile")
		case $rc in
		0) echo "ok $n $desc" ;;
		4) echo "ok $n $desc # SKIP" ;;
		124|137) echo "not ok $n $desc # TIMEOUT $limit seconds"; failed=1 ;;
		*) echo "not ok $n $desc # exit=$rc"; failed=1 ;;
		esac
	done
done
rm -f "$rcfile"
exit $failed
