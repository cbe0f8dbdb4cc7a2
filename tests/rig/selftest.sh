#!/usr/bin/env bash
# The rig must be able to fail. Checks, as TAP 13:
#  - the TAP flattener/counter: a crash with no failing test point, a
#    skip in the rig, an empty result: each must count as a failure;
#  - the QEMU runner with tiny guests: one that finishes (pass), one that
#    hangs (killed at the timeout, last serial lines shown), one whose
#    init dies (kernel panic reported) and one that goes silent (stalled);
#  - check-machine.sh with a stand-in runner: all phases passing pass, the
#    smp phase's machine with two CPUs, the others with one; a stalled
#    phase fails, named, and is not run again.
# usage: selftest.sh VMLINUZ WORKDIR
set -u

vmlinuz=$1 work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
flatten=$top/scripts/tap-flatten.awk
count=$top/scripts/tap-count.sh
n=0
failed=0

point() { # point OK NAME
	n=$((n + 1))
	if [ "$1" = 1 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}
expect_count() { # expect_count NAME EXPECTED_LINE EXPECTED_STATUS [OPT] < TAP
	local name=$1 want=$2 want_rc=$3 got rc
	shift 3
	got=$(awk -f "$flatten" | "$count" "$@")
	rc=$?
	[ "$got" = "$want" ] && [ $rc = "$want_rc" ] && point 1 "$name" ||
		{ echo "# got '$got' (exit $rc), want '$want' (exit $want_rc)"; point 0 "$name"; }
}

echo "TAP version 13"
echo "1..12"

expect_count "rig/tap-crash-after-pass-is-failure" "1 passed, 1 failed, 0 skipped" 1 \
	<<<"$(printf '# ok 1 a/kvm\nnot ok 1 selftests: lamina: prog /dev/kvm # exit=139\n')"
expect_count "rig/tap-skip-is-failure-in-rig" "0 passed, 1 failed, 0 skipped" 1 --skip-is-fail \
	<<<"$(printf '# 1..0 # SKIP no device\nok 1 selftests: lamina: prog /dev/lamina # SKIP\n')"
expect_count "rig/tap-empty-is-failure" "0 passed, 0 failed, 0 skipped" 1 \
	<<<"$(printf 'TAP version 13\n')"
expect_count "rig/tap-pass" "2 passed, 0 failed, 0 skipped" 0 \
	<<<"$(printf '# ok 1 a/kvm\n# ok 2 b/kvm\nok 1 selftests: lamina: prog /dev/kvm\n')"

# Tiny guests: static busybox and a one-line /init.
mkguest() { # mkguest NAME INIT_BODY
	local d=$work/$1
	rm -rf "$d"
	mkdir -p "$d/root/bin"
	cp /bin/busybox "$d/root/bin/busybox"
	ln -s busybox "$d/root/bin/sh"
	printf '#!/bin/sh\n/bin/busybox mount -t proc proc /proc 2>/dev/null\n%s\n' "$2" >"$d/root/init"
	chmod +x "$d/root/init"
	(cd "$d/root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$d/initrd.gz"
}
runguest() { # runguest NAME TIMEOUT -> sets rc, out
	out=$("$top/scripts/run-qemu-svm.sh" --kernel "$vmlinuz" \
		--initrd "$work/$1/initrd.gz" --out "$work/$1/out" --timeout "$2" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
}

mkguest done 'echo guest-says-hello; echo LAMINA-RIG-DONE; /bin/busybox poweroff -f'
runguest done 60
point "$([ $rc = 0 ] && echo 1)" "rig/qemu-finished-guest-passes"

mkguest hang 'echo guest-is-stuck; while :; do /bin/busybox sleep 1000; done'
runguest hang 20
point "$([ $rc = 1 ] && echo "$out" | grep -q 'timeout' &&
	echo "$out" | grep -q 'guest-is-stuck' && echo 1)" "rig/qemu-hang-killed-at-timeout"
point "$(pgrep -f "$work/hang/initrd.gz" >/dev/null || echo 1)" "rig/qemu-hang-leaves-no-process"

mkguest panic 'echo init-exits-now; exit 0'
runguest panic 60
point "$([ $rc = 1 ] && echo "$out" | grep -Eq 'panicked|exited before' && echo 1)" \
	"rig/qemu-panic-reported"

# The hang guest again, now with a stall limit under its timeout.
RIG_STALL_SECONDS=8 runguest hang 60
point "$([ $rc = 3 ] && echo "$out" | grep -q 'stalled' && echo 1)" \
	"rig/qemu-stall-detected"

# A stand-in runner: FAKE_STALLS first calls per phase stall (exit 3).
fake=$work/fake-runner.sh
cat >"$fake" <<'FAKE'
#!/usr/bin/env bash
while [ $# -gt 0 ]; do [ "$1" = --out ] && out=$2; shift; done
mkdir -p "$out"
calls=$out.calls
n=$(( $(cat "$calls" 2>/dev/null || echo 0) + 1 ))
echo $n >"$calls"
if [ "$n" -le "$FAKE_STALLS" ]; then
	printf 'LAMINA-TAP-BEGIN\r\nTAP version 13\r\nok 1 half\r\n' >"$out/serial.log"
	exit 3
fi
# The CPU count the phase asked for, in the point's name.
printf 'LAMINA-TAP-BEGIN\r\nTAP version 13\r\nok 1 whole-cpus-%s\r\nLAMINA-TAP-END\r\nLAMINA-RIG-DONE\r\n' \
	"${RIG_VMX_CPUS:-unset}" >"$out/serial.log"
FAKE
chmod +x "$fake"
checkm() { # checkm STALLS -> rc, out
	rm -rf "$work/cm" "$work"/cm.*
	out=$(FAKE_STALLS=$1 RIG_RUNNER=$fake "$top/scripts/check-machine.sh" vmx k i "$work/cm" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
}
checkm 0
point "$([ $rc = 0 ] && echo "$out" | grep -q '3 passed, 0 failed' && echo 1)" \
	"rig/check-machine-passes"
# Three phases, each on its machine: suites and linux-boot with one CPU,
# smp with two.
point "$([ "$(grep '^ok' "$work/cm/results.tap" | cut -d' ' -f3 | tr '\n' ' ')" = \
	'whole-cpus-1 whole-cpus-1 whole-cpus-2 ' ] && echo 1)" \
	"rig/check-machine-smp-phase-two-cpus"
checkm 1
point "$([ $rc != 0 ] && echo "$out" | grep -q 'suites machine stalled' &&
	echo "$out" | grep -q 'rig-finished/vmx@suites' &&
	[ "$(cat "$work/cm/suites.calls")" = 1 ] && echo 1)" \
	"rig/check-machine-fails-a-stall-once"

exit $failed
