#!/usr/bin/env bash
# check-machine.sh svm|vmx KERNEL INITRD OUTDIR [TIMEOUT]
#
# Boot one emulated machine with the rig's initramfs, bring its TAP back
# from the serial log, write OUTDIR/results.tap (flat, one line per test
# point) and fail if any test failed or skipped, or the guest did not
# finish. The raw serial log stays in OUTDIR/serial.log.
set -u

machine=$1 kernel=$2 initrd=$3 out=$4 timeout=${5:-}
here=$(cd "$(dirname "$0")" && pwd)

case $machine in
svm) runner=$here/run-qemu-svm.sh ;;
vmx) runner=$here/run-bochs-vmx.sh ;;
*) echo "check-machine: unknown machine '$machine' (svm or vmx)" >&2; exit 2 ;;
esac

rm -rf "$out"
mkdir -p "$out"
rig_ok=1
# nokaslr: one less source of run-to-run difference in the logs.
"$runner" --kernel "$kernel" --initrd "$initrd" --out "$out" \
	--append nokaslr ${timeout:+--timeout "$timeout"} || rig_ok=0

# Serial lines end in CR LF; the TAP is what lies between the markers.
tr -d '\r' <"$out/serial.log" 2>/dev/null |
	sed -n '/^LAMINA-TAP-BEGIN$/,/^LAMINA-TAP-END$/p' >"$out/guest.tap"
{
	cat "$out/guest.tap"
	# A guest that never finished is a failing test point of its own.
	[ "$rig_ok" = 1 ] || echo "not ok 0 rig-finished/$machine"
	grep -q '^LAMINA-TAP-END$' "$out/guest.tap" ||
		echo "not ok 0 rig-tap-complete/$machine"
} | awk -f "$here/tap-flatten.awk" >"$out/results.tap"

grep '^not ok' "$out/results.tap" | sed "s/^/check-$machine: /" >&2
summary=$("$here/tap-count.sh" --skip-is-fail "$out/results.tap")
status=$?
echo "check-$machine: $summary (results: $out/results.tap)"
exit $status
