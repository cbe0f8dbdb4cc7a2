#!/usr/bin/env bash
# run-qemu-svm.sh --kernel VMLINUZ --initrd INITRD --out DIR
#                 [--timeout SECONDS] [--append "extra cmdline"]
#
# The AMD machine of the rig: QEMU TCG with SVM and nested paging, booting
# the kernel directly. Serial goes to DIR/serial.log; the run ends when
# the guest prints LAMINA-RIG-DONE (exit 0) or fails (exit 1): timeout,
# panic, or QEMU gone first.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/rig-wait.sh
. "$here/lib/rig-wait.sh"

kernel="" initrd="" out="" timeout=300 append=""
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	*) echo "run-qemu-svm: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$kernel" ] && [ -n "$initrd" ] && [ -n "$out" ] || {
	echo "usage: $0 --kernel VMLINUZ --initrd INITRD --out DIR [--timeout S] [--append STR]" >&2
	exit 2
}

mkdir -p "$out"
log=$out/serial.log
rm -f "$log"
start=$(date +%s)

# TCG only: the host's /dev/kvm has no SVM to give (docs/architecture.md).
# One CPU (RIG_SVM_CPUS=N for experiments), as the Bochs machine: with
# -smp 2 the machine failed in about one full run in three, every time
# with kvm.ko loaded or in QEMU itself (kvm-amd's nested guest stalled or
# came back with its host's registers; once QEMU ended mid-run),
# and none of 10 check-svm runs and linux-boot phases failed with one
# CPU. The suites still run vCPUs from several threads, time-shared.
# The emulator is Debian's QEMU rebuilt with the rig's patch
# (scripts/build-rig-qemu.sh, by make deps): Debian's binary delivers an
# interrupt injected at VMRUN a second time when its vCPU thread is
# kicked at the wrong moment (scripts/qemu/). RIG_QEMU overrides it.
# Multi-threaded TCG (the default): each vCPU its own host thread.
# RIG_SVM_TCG=single puts every vCPU on one thread, which QEMU kicks from
# one to the next every 0.1 s with no interrupt: the kick that made
# Debian's binary deliver twice, in 19 of 20 runs of vcpu_migrate
# (the tcg-rr phase of scripts/check-machine.sh; earlier, with this
# setting, the nested Linux guest deadlocked in 4 of about 15 boots in a
# timer interrupt taken while it held an IRQ-safe lock).
# -no-reboot: a guest reboot or triple fault ends QEMU instead of looping.
# The monitor socket is for looking into a machine that stopped making
# progress: connect any Unix-socket client to DIR/monitor.sock, then
# "info registers".
# no_timer_check: the outer kernel's boot-time test of the IO-APIC timer
# counts ticks over a busy loop; on a loaded host the TCG vCPU thread
# runs that loop while the timer's ticks wait, and the kernel panics
# "IO-APIC + timer doesn't work" 0.008 s into boot (seen in the rig's
# self-test and in make fuzz-ioctl). KVM guests skip the test the same
# way; it checks the emulator, not lamina.
# unknown_nmi_panic: the stall probe's NMI makes the kernel print where
# it was stuck (nothing else sends NMIs to this machine).
# idle=poll: the outer kernel's idle loop never executes HLT. QEMU 7.2's
# TCG sometimes leaves its halted CPU asleep with a deliverable interrupt
# pending (IF = 1, GIF = 1, the timer's vector in the LAPIC's IRR above
# the PPR): the machine went silent for good in about one virsh phase in
# 25 (docs/architecture.md, "The emulator's stall"). A CPU that never
# halts takes a pending interrupt at the next instruction boundary.
qemu=${RIG_QEMU:-$here/../build/qemu/qemu-system-x86_64}
[ -x "$qemu" ] || {
	echo "run-qemu-svm: no $qemu: make deps builds the rig's QEMU" >&2
	exit 2
}
"$qemu" -M q35 -accel "tcg,thread=${RIG_SVM_TCG:-multi}" -cpu qemu64,+svm,+npt -smp "${RIG_SVM_CPUS:-1}" -m 1024 \
	-nodefaults -display none -no-reboot \
	-serial "file:$log" -monitor "unix:$out/monitor.sock,server,nowait" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 no_timer_check unknown_nmi_panic idle=poll $append" \
	</dev/null >"$out/qemu.log" 2>&1 &
pid=$!

# On a stall: where the vCPU is (scripts/lib/qemu-stall-probe.py).
RIG_STALL_PROBE="python3 $here/lib/qemu-stall-probe.py $out/monitor.sock $log ${RIG_LAMINA_KO:-$here/../build/kmod/lamina.ko}"
status=0
rig_wait "$pid" "$log" "$timeout" svm || status=$?
echo "svm: run took $(( $(date +%s) - start )) s"
exit $status
