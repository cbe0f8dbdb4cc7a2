#!/usr/bin/env bash
# make check-host: tests that run on the build machine itself.
#   - libvmm's unit tests (tests/unit), every layer, including the inputs
#     the contracts rule out (NULL, zero length, overlaps, bad encodings);
#   - the rig's self-test (tests/rig/selftest.sh): the rig can fail;
#   - vmmd's input validation (tests/vmmd/validation.sh), no VM needed;
#   - the control daemon: unit tests of its XDR codec, RPC dispatcher and
#     domain XML parser (tests/vmmd/unit, ASan/UBSan), its fuzzers for
#     FUZZ_SECONDS each (default 20; tests/vmmd/fuzz), and the real virsh
#     against `vmmd daemon` (tests/vmmd/virsh.sh; skipped without root);
#   - the lifecycle calls and the per-VM sandbox with a stand-in VM
#     process (tests/vmmd/lifecycle.sh; skipped without root); virsh
#     create, VMs kept over a daemon restart, virsh console, with the
#     same stand-in (tests/vmmd/keep.sh);
#   - docs/verification.md's trusted-base table matches module/.
# Writes build/check-host/results.tap (flat) and exits non-zero on any
# failure.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
out=$build/check-host
vmlinuz=$build/kernel/root/boot/vmlinuz-$(cat "$build/kernel/version" 2>/dev/null)
mkdir -p "$out"

status=0
make -s -C "$top/tests/unit" OUTPUT="$build/unit" run_tests >"$out/unit.tap" 2>&1 || status=1
make -s -C "$top" vmmd >/dev/null &&
	"$top/tests/vmmd/validation.sh" "$build/vmmd/vmmd" "$out/vmmd" >"$out/vmmd.tap" 2>&1 || status=1
make -s -C "$top/tests/vmmd/unit" OUTPUT="$build/vmmd-unit" run_tests >"$out/vmmd-unit.tap" 2>&1 || status=1
make -s -C "$top/tests/vmmd/fuzz" OUTPUT="$build/vmmd-fuzz" run \
	FUZZ_SECONDS="${FUZZ_SECONDS:-20}" >"$out/vmmd-fuzz.tap" 2>&1 || status=1
"$top/tests/vmmd/virsh.sh" "$build/vmmd/vmmd" "$out/virsh" "$build/vmmd-tests/rawclient" >"$out/virsh.tap" 2>&1
rc=$?
[ $rc = 0 ] || [ $rc = 4 ] || status=1
"$top/tests/vmmd/lifecycle.sh" "$build/vmmd/vmmd" "$out/lifecycle" >"$out/lifecycle.tap" 2>&1
rc=$?
[ $rc = 0 ] || [ $rc = 4 ] || status=1
"$top/tests/vmmd/keep.sh" "$build/vmmd/vmmd" "$out/keep" >"$out/keep.tap" 2>&1
rc=$?
[ $rc = 0 ] || [ $rc = 4 ] || status=1
"$top/tests/rig/selftest.sh" "$vmlinuz" "$out/rig" >"$out/rig.tap" 2>&1 || status=1
"$top/tests/docs/trusted_base.sh" >"$out/docs.tap" 2>&1 || status=1
taps=(unit vmmd vmmd-unit vmmd-fuzz virsh lifecycle keep rig docs)
taps=("${taps[@]/#/$out/}")
taps=("${taps[@]/%/.tap}")
cat "${taps[@]}"
cat "${taps[@]}" |
	awk -f "$top/scripts/tap-flatten.awk" >"$out/results.tap"
"$top/scripts/tap-count.sh" "$out/results.tap" || status=1
exit $status
