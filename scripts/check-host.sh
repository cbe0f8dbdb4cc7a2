#!/usr/bin/env bash
# make check-host: tests that run on the build machine itself.
#   - libvmm's unit tests (tests/unit), every layer, including the inputs
#     the contracts rule out (NULL, zero length, overlaps, bad encodings);
#   - the rig's self-test (tests/rig/selftest.sh): the rig can fail;
#   - vmmd's input validation (tests/vmmd/validation.sh), no VM needed;
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
"$top/tests/rig/selftest.sh" "$vmlinuz" "$out/rig" >"$out/rig.tap" 2>&1 || status=1
"$top/tests/docs/trusted_base.sh" >"$out/docs.tap" 2>&1 || status=1
cat "$out/unit.tap" "$out/vmmd.tap" "$out/rig.tap" "$out/docs.tap"
cat "$out/unit.tap" "$out/vmmd.tap" "$out/rig.tap" "$out/docs.tap" |
	awk -f "$top/scripts/tap-flatten.awk" >"$out/results.tap"
"$top/scripts/tap-count.sh" "$out/results.tap" || status=1
exit $status
