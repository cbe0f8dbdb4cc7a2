#!/bin/bash
# Boot a Linux kernel + initramfs in Bochs 2.7 with an Intel VMX+EPT CPU and
# wait for the guest's /init to print the rig's done marker.
#
#   run-bochs-vmx.sh --kernel VMLINUZ --initrd INITRD.gz --out DIR
#                    [--timeout SECONDS] [--append "extra kernel cmdline"]
#
# Writes DIR/boot.iso, DIR/bochsrc, DIR/dbg.rc; the guest console goes to
# DIR/serial.log, Bochs' own log to DIR/bochs.log, its terminal (the
# debugger's) to DIR/term.log, the VGA text screen to DIR/screen.log.
# Exit 0 when the marker was seen, 1 otherwise.
set -eu

usage() {
	echo "usage: $0 --kernel VMLINUZ --initrd INITRD.gz --out DIR" \
		"[--timeout SECONDS] [--append \"extra kernel cmdline\"]" >&2
	exit 2
}

kernel="" initrd="" out="" timeout=900 append=""
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--kernel) kernel=$2 ;;
	--initrd) initrd=$2 ;;
	--out) out=$2 ;;
	--timeout) timeout=$2 ;;
	--append) append=$2 ;;
	*) usage ;;
	esac
	shift 2
done
if [ -z "$kernel" ] || [ -z "$initrd" ] || [ -z "$out" ]; then usage; fi
case $timeout in '' | *[!0-9]*) echo "$0: bad --timeout '$timeout'" >&2; exit 2 ;; esac

# shellcheck source=lib/rig-wait.sh disable=SC1091
source "$(dirname "$0")/lib/rig-wait.sh"

ISOLINUX_BIN=/usr/lib/ISOLINUX/isolinux.bin
LDLINUX_C32=/usr/lib/syslinux/modules/bios/ldlinux.c32
for f in "$kernel" "$initrd" "$ISOLINUX_BIN" "$LDLINUX_C32"; do
	[ -r "$f" ] || { echo "$0: cannot read $f" >&2; exit 2; }
done
for c in bochs script setsid xorriso; do
	command -v "$c" >/dev/null || { echo "$0: $c not installed" >&2; exit 2; }
done
# The term display is a separate Debian package; without it Bochs only says
# "display library 'term' not available" in its log.
if ! compgen -G '/usr/lib/*/bochs/plugins/libbx_term_gui.so*' >/dev/null; then
	echo "$0: Bochs term display missing: apt-get install bochs-term" >&2
	exit 2
fi

t_start=$(date +%s)
mkdir -p "$out"
out=$(cd "$out" && pwd)
# A stale serial.log from an earlier run could hold the marker before Bochs
# truncates it; start from nothing.
rm -f "$out/serial.log" "$out/bochs.log" "$out/term.log" "$out/bochs.pid" "$out/boot.iso"

# --- boot ISO: Bochs cannot load a kernel directly, so isolinux does it. ---
stage="$out/iso-root"
rm -rf "$stage"
mkdir -p "$stage/isolinux"
cp "$ISOLINUX_BIN" "$LDLINUX_C32" "$stage/isolinux/"
cp "$kernel" "$stage/vmlinuz"
cp "$initrd" "$stage/initrd.gz"
# SERIAL: isolinux itself talks on COM1 too; PROMPT 0: boot without waiting.
# panic=-1: a panicking guest reboots at once, and rig_wait sees the panic text.
cat >"$stage/isolinux/isolinux.cfg" <<EOF
SERIAL 0 115200
PROMPT 0
DEFAULT linux
LABEL linux
  KERNEL /vmlinuz
  APPEND initrd=/initrd.gz console=ttyS0 panic=-1${append:+ $append}
EOF
if ! xorriso -as mkisofs -quiet -o "$out/boot.iso" \
	-b isolinux/isolinux.bin -c isolinux/boot.cat \
	-no-emul-boot -boot-load-size 4 -boot-info-table \
	"$stage" >"$out/iso.log" 2>&1; then
	echo "$0: building boot.iso failed:" >&2
	cat "$out/iso.log" >&2
	exit 1
fi
rm -rf "$stage"

# --- Bochs configuration (paths are relative: Bochs runs inside $out). ---
# ips=10M: with sync=none Bochs advances its clock one tick per emulated
# instruction and counts ips ticks as one second of *device* time (PIT, HPET,
# ACPI PM timer, RTC, UART baud rate, BIOS waits). The guest kernel's own
# clock is not that one: it takes the TSC to be 3.5 GHz (CPUID 0x15/0x16 of
# this CPU model, no recalibration) and Bochs' TSC is the tick count, so
# guest uptime, udelay(), the LAPIC timer and any in-guest timing (including
# nested KVM guests) are instruction counts / 3.5e9 whatever ips is. ips
# only sets how many instructions the guest burns busy-waiting on devices
# (BIOS boot delay, polled serial console, ...). Measured wall time to the
# marker here: 10M 43 s, 25M 51 s, 100M 70 s, 400M 184 s; below 10M the
# gain is small while device timeouts get ever shorter in CPU work
# (1 ms = 10k instructions at 10M), so 10M it is.
# time0: a fixed boot date keeps runs identical (the RTC is guest-visible).
# reset_on_triple_fault=0: a triple fault is a Bochs panic (fatal, with the
# CPU state in bochs.log) instead of a silent reboot loop until timeout.
# count: one CPU (RIG_VMX_CPUS=N for the smp phase, scripts/check-machine.sh).
# quantum (instructions a CPU runs before the next one's turn) stays
# Bochs' default.
cpus=${RIG_VMX_CPUS:-1}
case $cpus in '' | *[!0-9]*) echo "$0: bad RIG_VMX_CPUS '$cpus'" >&2; exit 2 ;; esac
cat >"$out/bochsrc" <<EOF
display_library: term
megs: 512
cpu: model=corei7_skylake_x, count=$cpus, ips=10000000, reset_on_triple_fault=0
clock: sync=none, time0=1735689600
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path=boot.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=serial.log
sound: driver=dummy
speaker: enabled=0
mouse: enabled=0
log: bochs.log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
EOF
# Debian's Bochs has its debugger built in: without this it stops at a prompt.
echo c >"$out/dbg.rc"

# --- run ---
# The term display needs a tty, which CI (no stdin, no controlling terminal)
# does not have: `script` gives Bochs a pty. setsid makes `script` lead its
# own process group; `script` in turn puts Bochs in a new session on the pty,
# so Bochs records its own pid for the cleanup below.
script_pid="" bochs_pid="" screen_pid=""

# Debian's Bochs has its debugger built in, and then the term display draws
# the guest's screen on a pty of its own, leaving the controlling terminal
# to the debugger: term.log says 'Bochs connected to screen "/dev/pts/N"'.
# Nothing reads that pty unless we do. Bochs writes the screen to its
# master, the bytes queue in the slave's input, and once that buffer is
# full Bochs blocks in write() for good. The whole machine stops then,
# virtual time included, after enough screen updates, so mostly late in a
# long run. This was "the Bochs freeze" (docs/architecture.md), and why
# the debugger never answered SIGINT: gdb found bochs-bin in write() on
# /dev/ptmx under bx_term_gui_c::text_update. drain_screen keeps it read.
drain_screen() {
	local pts="" _
	for _ in $(seq 1 300); do
		pts=$(sed -n 's/.*connected to screen "\(\/dev\/pts\/[0-9]*\)".*/\1/p' \
			"$out/term.log" 2>/dev/null | head -n 1)
		[ -z "$pts" ] || break
		# Our own child, not yet waited for: its pid cannot be recycled,
		# and until it has exec'd `script` its name is the subshell's or
		# setsid's (a loaded machine showed that window: a name check here
		# ended a run 2 s in with Bochs killed).
		alive "$script_pid" || return 1
		sleep 0.1
	done
	[ -n "$pts" ] || { echo "$0: Bochs named no screen pty in term.log" >&2; return 1; }
	# Raw, no echo: every byte is read as it comes and nothing goes back.
	stty -F "$pts" raw -echo 2>/dev/null || true
	cat "$pts" >"$out/screen.log" 2>/dev/null &
	screen_pid=$!
}

# alive PID: PID is a live (non-zombie) process.
alive() {
	local st
	[ -n "$1" ] || return 1
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
	[ "$st" != Z ]
}

# runs PID NAME...: PID is a live process named one of NAMEs. The name
# check keeps a recycled pid from being killed by mistake.
runs() {
	local pid=$1 comm
	shift
	alive "$pid" || return 1
	comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
	case " $* " in *" $comm "*) return 0 ;; esac
	return 1
}

# Bochs' pid names "sh" until the wrapper chain has exec'd bochs-bin.
BOCHS_NAMES="sh bochs bochs-bin"

# SIGKILL Bochs and `script` (each leads its own process group) and check
# that they are gone. rig_wait's SIGTERM to `script` normally suffices (it
# takes Bochs down with it); this covers every other way out of the runner.
stop_emulator() {
	local _ left=""
	[ -n "$bochs_pid" ] || bochs_pid=$(cat "$out/bochs.pid" 2>/dev/null || true)
	# shellcheck disable=SC2086 # word splitting of BOCHS_NAMES is wanted
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		left=""
		if runs "$bochs_pid" $BOCHS_NAMES; then
			left="$left $bochs_pid"
			kill -KILL -- "-$bochs_pid" 2>/dev/null || kill -KILL "$bochs_pid" 2>/dev/null || true
		fi
		if runs "$script_pid" script; then
			left="$left $script_pid"
			kill -KILL -- "-$script_pid" 2>/dev/null || kill -KILL "$script_pid" 2>/dev/null || true
		fi
		[ -n "$left" ] || break
		sleep 0.5
	done
	if [ -n "$left" ]; then
		echo "$0: WARNING: emulator process(es)$left survived SIGKILL" >&2
	fi
	[ -z "$script_pid" ] || wait "$script_pid" 2>/dev/null || true
	if [ -n "$screen_pid" ]; then
		kill "$screen_pid" 2>/dev/null || true
		wait "$screen_pid" 2>/dev/null || true
	fi
	script_pid="" bochs_pid="" screen_pid=""
}
trap stop_emulator EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

(
	cd "$out"
	export SHELL=/bin/sh # `script -c` runs the command with $SHELL
	exec setsid script -qfc 'echo $$ >bochs.pid; exec bochs -q -f bochsrc -rc dbg.rc' \
		/dev/null </dev/null >"$out/term.log" 2>&1
) &
script_pid=$!

echo "vmx: bochs started (pid $script_pid), serial log $out/serial.log, timeout ${timeout} s"
rc=0
drain_screen || rc=1
[ "$rc" != 0 ] || rig_wait "$script_pid" "$out/serial.log" "$timeout" vmx || rc=$?
stop_emulator
echo "vmx: whole run took $(( $(date +%s) - t_start )) s (wall)"
exit "$rc"
