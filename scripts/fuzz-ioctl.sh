#!/usr/bin/env bash
# fuzz-ioctl.sh KERNEL INITRD OUTDIR SECONDS [SEED [DEV [SKIP]]]
#
# make fuzz-ioctl: a campaign of the ABI fuzzer (tests/fuzz_ioctl.c) in
# the rig's QEMU machine, lamina.mode=fuzz (scripts/guest/init), on
# /dev/DEV (lamina, the default, or kvm) for SECONDS of wall time from
# SEED (default: the time). Not part of make check, which runs a minute
# of it as the test point fuzz-ioctl/<dev>. SKIP: the fuzzer's operations
# to leave out (e.g. run,race: LAMINA_FUZZ_SKIP in tests/fuzz_ioctl.c).
#
# QEMU's TCG has bugs of its own that random guests reach, under kvm.ko
# as well (docs/fuzz-ioctl.md). When the machine dies (QEMU gone, a
# timeout or a silent console), the last "seed N" line the fuzzer printed
# names the seed that was running: it is recorded, replayed on kvm.ko
# (DEV=lamina only) with up to nine seeds before it, as the dead machine
# ran them, to tell the emulator's failures from lamina's, and the
# campaign goes on from seed N+1 in a fresh machine.
#
# Prints the calls executed and every finding; OUTDIR/findings lists
# them, OUTDIR/runN/serial.log has each machine's console. Exits 1 on a
# finding that is not the emulator's (a kernel report, live objects,
# rmmod, a death that kvm.ko does not share).
set -u
# A seed prints a line every few seconds: a minute and a half of silence is a dead machine.
export RIG_STALL_SECONDS=${RIG_STALL_SECONDS:-150}

kernel=$1 initrd=$2 out=$3 budget=$4 seed=${5:-$(date +%s)} dev=${6:-lamina}
skip=${7:-}
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$out"
mkdir -p "$out"
findings=$out/findings
: >"$findings"
start=$(date +%s)
calls=0 runs=0 status=0

# boot DIR DEV SEED SECONDS [SEEDS]: one machine; the FUZZ lines to DIR/fuzz.log.
boot() {
	"$here/run-qemu-svm.sh" --kernel "$kernel" --initrd "$initrd" \
		--out "$1" --timeout $(($4 + 600)) \
		--append "nokaslr lamina.mode=fuzz lamina.fuzz_dev=$2 lamina.fuzz_seed=$3 lamina.fuzz_seconds=$4${5:+ lamina.fuzz_seeds=$5}${skip:+ lamina.fuzz_skip=$skip}" \
		>"$1.runner.log" 2>&1
	local rc=$?
	tr -d '\r' <"$1/serial.log" 2>/dev/null | grep -a '^FUZZ' >"$1/fuzz.log"
	grep -q '^FUZZ-END$' "$1/fuzz.log" && [ $rc = 0 ]
}

while :; do
	left=$((budget - ($(date +%s) - start)))
	[ "$left" -ge 60 ] || break
	runs=$((runs + 1))
	d=$out/run$runs
	mkdir -p "$d"
	echo "fuzz-ioctl: machine $runs on $dev from seed $seed for $left s"
	boot "$d" "$dev" "$seed" "$left"
	finished=$?
	# Calls: the final count, or the running total of the last seed done.
	n=$(sed -n 's/^FUZZ # calls executed: \([0-9]*\).*/\1/p' "$d/fuzz.log")
	[ -n "$n" ] || n=$(sed -n 's/^FUZZ # seed [0-9]* (calls so far \([0-9]*\))$/\1/p' \
		"$d/fuzz.log" | tail -n 1)
	calls=$((calls + ${n:-0}))
	if grep -qE '^FUZZ-FAILED|^FUZZ not ok|^FUZZ # seed [0-9]+: ' "$d/fuzz.log"; then
		grep -E '^FUZZ-FAILED|^FUZZ-DMESG|^FUZZ # seed [0-9]+: ' "$d/fuzz.log" |
			sed "s/^/run$runs: /" | tee -a "$findings"
		status=1
	fi
	[ "$finished" != 0 ] || break
	dead=$(sed -n 's/^FUZZ # seed \([0-9]*\) (calls so far.*/\1/p' "$d/fuzz.log" | tail -n 1)
	if [ -z "$dead" ]; then
		# No seed started: the machine failed on its own (seen: the
		# outer kernel's "IO-APIC + timer doesn't work" boot panic
		# under TCG). Nothing to replay; the same seed again.
		echo "run$runs: machine failed before the fuzzer started ($(tail -n 1 "$d.runner.log" 2>/dev/null))" |
			tee -a "$out/machine-failures"
		continue
	fi
	why="machine died during seed $dead on $dev ($(tail -n 1 "$d.runner.log" 2>/dev/null))"
	if [ "$dev" = lamina ]; then
		# The same history on kvm.ko: the seeds before the dead one ran
		# in the same process and module (up to 10 of them), then it.
		from=$((dead - 9 > seed ? dead - 9 : seed))
		if boot "$d-kvm" kvm "$from" 600 $((dead - from + 1)); then
			why="$why; on kvm.ko seeds $from..$dead ran through: lamina's, to investigate"
			status=1
		else
			why="$why; on kvm.ko (seeds $from..$dead) the machine died too: the emulator's"
		fi
	fi
	echo "run$runs: $why" | tee -a "$findings"
	seed=$((dead + 1))
done
echo "fuzz-ioctl: $calls calls executed on $dev in $(($(date +%s) - start)) s," \
	"$runs machine(s), $(wc -l <"$findings") finding(s) (see $findings)," \
	"$(cat "$out/machine-failures" 2>/dev/null | wc -l) machine(s) failed before fuzzing"
exit $status
