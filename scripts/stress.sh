#!/usr/bin/env bash
# stress.sh KERNEL INITRD OUTDIR REPS [PROGRAMS] [DEV] [svm] [vmx]
#
# make stress: boots each emulated machine of the rig with the kernel
# command-line switch lamina.mode=stress, which makes /init run every
# lamina.ko test program REPS times in a row on /dev/lamina (PROGRAMS, a
# comma list, narrows it) instead of the suites. DEV kvm runs the same
# rounds on Debian's kvm.ko instead (the baseline; default lamina). A race that fails one run
# in N shows here before it shows in CI; a fix for one is not called done
# without a clean run (DEVELOPERS: flaky is failing). Not part of make
# check: 20 rounds take ~15 minutes in the QEMU machine and hours in Bochs.
#
# Prints per machine and program "P passed, F failed of REPS" and the
# failing rounds' TAP; exits 1 if any round failed or a machine did not
# finish. Serial logs in OUTDIR/<machine>/serial.log.
set -u

kernel=$1 initrd=$2 out=$3 reps=$4 progs=${5:-} dev=${6:-lamina}
shift 6
machines=${*:-svm vmx}
here=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$out"
status=0
for m in $machines; do
	case $m in
	svm) runner=$here/run-qemu-svm.sh ;;
	vmx) runner=$here/run-bochs-vmx.sh ;;
	*) echo "stress: unknown machine $m" >&2; exit 2 ;;
	esac
	# Stall detection stays on (rig-wait.sh); the timeout is generous.
	if ! "$runner" --kernel "$kernel" --initrd "$initrd" --out "$out/$m" \
		--timeout $((600 + reps * 600)) \
		--append "nokaslr lamina.mode=stress lamina.reps=$reps lamina.dev=$dev${progs:+ lamina.progs=$progs}" \
		>"$out/$m.runner.log" 2>&1; then
		echo "stress-$m: the machine did not finish (see $out/$m/serial.log)" >&2
		status=1
	fi
	echo "== $m"
	tr -d '\r' <"$out/$m/serial.log" | grep -a '^STRESS' | tee "$out/$m.results"
	grep -q '^STRESS-TOTAL 0 failed$' "$out/$m.results" || status=1
done
exit $status
