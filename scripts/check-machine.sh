#!/usr/bin/env bash
# check-machine.sh svm|vmx KERNEL INITRD OUTDIR [TIMEOUT [VIRSH_INITRD]]
#
# Boot one emulated machine with the rig's initramfs once per phase
# (lamina.only=suites, then linux-boot, then smp with two CPUs: a fresh
# machine for each), bring the TAP back from the serial logs, write
# OUTDIR/results.tap (flat, one line per test point) and fail if any test
# failed or skipped, or a guest did not finish. The raw serial logs stay in
# OUTDIR/<phase>/serial.log; TIMEOUT is per phase. With VIRSH_INITRD (the
# daemon, virsh and their libraries: mkinitramfs-virsh.sh), a phase
# virsh, before smp, boots INITRD with that archive appended.
#
# One fresh machine per phase: a failure in one phase cannot leave state
# behind for the other. A machine whose serial log stays silent for
# RIG_STALL_SECONDS fails as stalled (rig-wait.sh); it is not run again.
# Phases run two at a time on a host with two CPUs (RIG_JOBS, below).
# The stalls earlier sessions retried were the rig's: Bochs blocked on a
# pty that nothing drained (run-bochs-vmx.sh, docs/architecture.md).
set -u

machine=$1 kernel=$2 initrd=$3 out=$4 timeout=${5:-} virsh_initrd=${6:-}
here=$(cd "$(dirname "$0")" && pwd)

case $machine in
svm) runner=$here/run-qemu-svm.sh ;;
vmx) runner=$here/run-bochs-vmx.sh ;;
*) echo "check-machine: unknown machine '$machine' (svm or vmx)" >&2; exit 2 ;;
esac
# For the rig's self-test only: a stand-in for the emulator runner.
runner=${RIG_RUNNER:-$runner}

rm -rf "$out"
mkdir -p "$out"
# phase_names PHASE: the smp and tcg-rr phases run programs the suites
# phase runs too; their test points get "@PHASE" in their names (their
# own steps have it already) so results.tap keeps one name per point.
phase_names() {
	sed -e "/@$1\\( #.*\\)\\?\$/b" \
		-e "s/^\\(# \\(not \\)\\?ok [0-9]* [^ #]*\\)/\\1@$1/" \
		-e "s/^\\(\\(not \\)\\?ok [0-9]* selftests: [^:]*: [^ ]* [^ #]*\\)/\\1@$1/"
}

# Phases, each on a fresh machine: suites, linux-boot and virsh with one
# CPU, smp with two (RIG_SVM_CPUS / RIG_VMX_CPUS for the runners; why one
# CPU elsewhere: docs/architecture.md). The QEMU machine adds tcg-rr: two
# CPUs on one emulator thread (RIG_SVM_TCG=single), whose kicks are what
# made Debian's QEMU deliver an injected interrupt twice; it checks that
# the rig's patched emulator does not (scripts/build-rig-qemu.sh).
# RIG_PHASES picks some, in its order; RIG_APPEND adds to every phase's
# kernel command line (lamina.virsh=...: scripts/guest/virsh-phase.sh).
phases="suites linux-boot"
if [ -n "$virsh_initrd" ]; then
	phases="$phases virsh"
	cat "$initrd" "$virsh_initrd" >"$out/virsh-initrd.gz"
fi
phases="$phases smp"
[ "$machine" = svm ] && phases="$phases tcg-rr"
phases=$(echo "${RIG_PHASES:-$phases}" | tr , " ")

# run_phase PHASE: one fresh machine; its TAP, with a failing point for a
# guest that did not finish, goes to OUTDIR/PHASE/part.tap.
run_phase() {
	local phase=$1 phase_initrd=$initrd cpus=1 tcg=multi rc=0
	[ "$phase" = virsh ] && phase_initrd=$out/virsh-initrd.gz
	[ "$phase" = smp ] && cpus=2
	[ "$phase" = tcg-rr ] && cpus=2 tcg=single
	mkdir -p "$out/$phase"
	# nokaslr: one less source of run-to-run difference in the logs.
	RIG_SVM_CPUS=$cpus RIG_VMX_CPUS=$cpus RIG_SVM_TCG=$tcg \
		"$runner" --kernel "$kernel" --initrd "$phase_initrd" \
		--out "$out/$phase" \
		--append "nokaslr lamina.only=$phase${RIG_APPEND:+ $RIG_APPEND}" \
		${timeout:+--timeout "$timeout"} || rc=$?
	[ "$rc" != 3 ] || echo "check-$machine: the $phase machine stalled" >&2
	# Serial lines end in CR LF; the TAP lies between the markers.
	tr -d '\r' <"$out/$phase/serial.log" 2>/dev/null |
		sed -n '/^LAMINA-TAP-BEGIN$/,/^LAMINA-TAP-END$/p' \
		>"$out/$phase/guest.tap"
	{
		if [ "$phase" = smp ] || [ "$phase" = tcg-rr ]; then
			phase_names "$phase" <"$out/$phase/guest.tap"
		else
			cat "$out/$phase/guest.tap"
		fi
		# A guest that never finished is a failing test point of its own.
		[ "$rc" = 0 ] ||
			echo "not ok 0 rig-finished/$machine@$phase"
		grep -q '^LAMINA-TAP-END$' "$out/$phase/guest.tap" ||
			echo "not ok 0 rig-tap-complete/$machine@$phase"
	} >"$out/$phase/part.tap"
}

# RIG_JOBS machines at a time (default: one per host CPU, at most 2). Each
# emulator is one busy thread (the smp phase's QEMU two), and the phases
# share nothing but the read-only kernel and initrds, so on the 2-CPU CI
# machine two phases take the time of one: Bochs' clock is virtual (its
# results do not depend on the host's speed), and each QEMU machine still
# has a CPU to itself. The TAP is gathered in phase order afterwards.
jobs=${RIG_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
[ "$jobs" -le 2 ] || jobs=2
for phase in $phases; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	run_phase "$phase" &
done
wait
for phase in $phases; do
	cat "$out/$phase/part.tap" 2>/dev/null ||
		echo "not ok 0 rig-finished/$machine@$phase"
done >"$out/guest.tap"
awk -f "$here/tap-flatten.awk" "$out/guest.tap" >"$out/results.tap"

grep '^not ok' "$out/results.tap" | sed "s/^/check-$machine: /" >&2
summary=$("$here/tap-count.sh" --skip-is-fail "$out/results.tap")
status=$?
echo "check-$machine: $summary (results: $out/results.tap)"
exit $status
