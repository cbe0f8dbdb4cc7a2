# SPDX-License-Identifier: GPL-2.0-only
#
# The rig's virsh phase, sourced by scripts/guest/init (lamina.only=virsh;
# its step() names each point <name>@virsh). `vmmd daemon` runs with
# --dev /dev/DEV, unmodified virsh drives it, and the nested guest is the
# linux-boot kernel and initrd with vmmd_test=virsh (linux-boot-init):
# it prints "guest userspace reached", runs a shell on its console and
# powers off when the ACPI power button is pressed.
#   virsh-lifecycle/DEV          define, list, start, userspace in the
#                                console log, dominfo (running, vCPUs,
#                                memory), two VMs at once, suspend,
#                                resume, shutdown (ACPI), start, destroy,
#                                undefine, list empty
#   sandbox/DEV                  the VM process: Seccomp 2, NoNewPrivs 1,
#                                CapEff 0, own namespaces; the test hook's
#                                forbidden syscall kills it (SIGSYS),
#                                the domain shows crashed
#   virsh-readonly/DEV           virsh -r on a running domain: list and
#                                dominfo work, destroy/suspend/shutdown
#                                are refused, the domain keeps running
#   daemon-restart-keeps-vm/DEV  the daemon stops and starts again while vm1
#                                runs: the same VM process, the same id,
#                                running; what the guest printed while no
#                                daemon ran is in the console log, none
#                                lost; console, suspend, resume and
#                                shutdown (below) work after the reattach
#   virsh-console/DEV            virsh console on a pty (util-linux
#                                `script`): a command typed runs in the
#                                guest's shell, its output comes back
#   virsh-create/DEV             create: a transient domain boots, is not
#                                persistent, and is gone once destroyed
#   autostart/DEV                a domain marked autostart boots when the
#                                daemon starts (it was shut off before)
#   vm-kill9-crashed/DEV         kill -9 of the VM process: crashed, and
#                                lamina's live_* counters back to 0
#   virsh-bad-input/DEV          tests/vmmd/bad-input.sh's cases (malformed
#                                and unsupported XML, limits, duplicates,
#                                missing files, raw packets virsh never
#                                sends) against the daemon on DEV: each a
#                                clear error, nothing defined half-way,
#                                the daemon stays up; virsh-clients/DEV:
#                                64 connections, one stalled
#   virsh-blk/DEV                a domain with a <disk>: the daemon opens
#                                the image, the sandboxed VM process gets
#                                its fd; the guest writes files to it and
#                                powers off; they match on the host

# Which parts run: lamina.virsh=a,b,... on the kernel command line, else
# every part in QEMU's machine and, in Bochs' (a nested Linux boot costs
# minutes there, CI has 60), the lifecycle with two VMs at once and the
# sandbox. The lifecycle itself always runs (virsh-lifecycle/DEV and
# virsh-readonly/DEV); the parts:
#   two       the second VM, both in userspace at once
#   sandbox   sandbox/DEV
#   restart   daemon-restart-keeps-vm/DEV
#   console   virsh-console/DEV
#   create    virsh-create/DEV
#   kill9     vm-kill9-crashed/DEV
#   autostart autostart/DEV
#   badinput  virsh-bad-input/DEV and virsh-clients/DEV
#   blk       virsh-blk/DEV
#   kvm       virsh-lifecycle/kvm and virsh-readonly/kvm (the parity run)
VIRSH_ALL="two sandbox restart console create kill9 autostart badinput blk kvm"
VIRSH_BOCHS="two sandbox"
virsh_parts() {
	want=$(sed -n 's/.*lamina\.virsh=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
	[ -n "$want" ] || { [ "$backend" = vmx ] && want=$VIRSH_BOCHS || want=$VIRSH_ALL; }
	echo "$want"
}
VPARTS=$(virsh_parts)
# vhas PART [PARTS]: PART is among PARTS (default: this phase's)
vhas() {
	case " ${2-$VPARTS} " in
	*" $1 "*) return 0 ;;
	*) return 1 ;;
	esac
}

VRUN=/run/lamina
VURI="lamina+unix:///system?socket=$VRUN/lamina-sock"
VLOG=/tmp/vmmd-daemon.log
VCMD="console=ttyS0 panic=-1 pci=off nokaslr vmmd_test=virsh"

vv() { timeout 60 /usr/bin/virsh -c "$VURI" "$@" 2>&1; }
# virsh -r on the read-only socket
vro() {
	timeout 60 /usr/bin/virsh -r -c "lamina+unix:///system?socket=$VRUN/lamina-sock-ro" \
		"$@" 2>&1
}
# vrois REGEX ARGS: virsh -r ARGS succeeds and prints REGEX
vrois() {
	re=$1
	shift
	out=$(vro "$@") && echo "$out" | grep -Eq -- "$re" || { echo "$out"; return 1; }
}
# refused ARGS: a change on the read-only socket fails, saying why
refused() {
	out=$(vro "$@") && { echo "$out"; return 1; }
	echo "$out" | grep -q 'read only access prevents' || { echo "$out"; return 1; }
}
# vis REGEX ARGS: virsh ARGS succeeds and prints REGEX
vis() {
	re=$1
	shift
	out=$(vv "$@") && echo "$out" | grep -Eq -- "$re" || { echo "$out"; return 1; }
}
# vwait SECONDS CMD...: until CMD succeeds
vwait() {
	t=$1
	shift
	i=0
	while [ $i -lt $((t * 5)) ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		i=$((i + 1))
		# A line now and then: the rig takes a silent machine for stalled.
		[ $((i % 100)) = 0 ] && echo "# waiting $((i / 5)) s for: $*" >/dev/console
	done
	"$@"
}
vstate() { vv domstate --reason "$1" | grep -Eq -- "$2"; }
# vrunning "A B": list (running domains) names A and B, nothing else
vrunning() {
	names=$(vv list --name | grep . | sort | tr '\n' ' ')
	[ "$names" = "$1 " ] || { echo "running: $names"; return 1; }
}
# vstart_ms DOM: vmmd's own time from DOM's last start call to its first
# guest instruction, in ms, from the CLOCK_MONOTONIC stamps the daemon
# and the VM process log (one VM running: the VM's lines name no
# domain), and on the way: START in the VM process, machine built (before
# the sandbox), sandboxed
vstart_ms() {
	a=$(sed -n "s/.*domain '$1': start call taken at monotonic //p" "$VLOG" | tail -n 1)
	s=$(sed -n 's/^vmmd-vm: START taken at monotonic //p' "$VLOG" | tail -n 1)
	m=$(sed -n 's/^vmmd-vm: machine built at monotonic //p' "$VLOG" | tail -n 1)
	x=$(sed -n 's/^vmmd-vm: sandboxed at monotonic //p' "$VLOG" | tail -n 1)
	b=$(sed -n 's/^vmmd-vm: vCPU 0 first entered the guest at monotonic //p' "$VLOG" | tail -n 1)
	[ -n "$a" ] && [ -n "$s" ] && [ -n "$m" ] && [ -n "$x" ] && [ -n "$b" ] &&
		awk "BEGIN { printf \"%.3f (START in the VM process %.3f, machine built %.3f, sandboxed %.3f)\", ($b - $a) * 1000, ($s - $a) * 1000, ($m - $a) * 1000, ($x - $a) * 1000 }"
}
vuser() { grep -q 'guest userspace reached' "$VRUN/$1.console.log"; }
# Figures for docs/bench.md (printed, never asserted):
# vrss PID: its VmRSS in KiB.
vrss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# vrss_beyond PID MIB: its VmRSS less what is resident of its guest RAM
# (the mappings of at least MIB MiB), in KiB.
vrss_beyond() {
	awk -v min=$(($2 * 1024)) -v rss="$(vrss "$1")" '
		/^Size:/ { size = $2 }
		/^Rss:/ { if (size >= min) guest += $2 }
		END { print rss - guest }' "/proc/$1/smaps"
}
# vlist_ms N: the mean wall time of N `virsh list` commands (the whole
# command: start, connect, handshake, the calls, close), in ms.
vlist_ms() {
	a=$(cut -d' ' -f1 /proc/uptime)
	for _ in $(seq 1 "$1"); do vv list >/dev/null; done
	b=$(cut -d' ' -f1 /proc/uptime)
	awk "BEGIN { printf \"%.1f\", ($b - $a) * 1000 / $1 }"
}
# The VM process's pid (busybox here has no pgrep).
vmpid() {
	for p in /proc/[0-9]*; do
		tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q "^vmmd-vm .*--root $VRUN" &&
			echo "${p#/proc/}"
	done | head -n 1
}

# Not inside step(): its $(...) would wait for the daemon's end.
vdaemon_start() {
	mkdir -p /run
	/usr/bin/vmmd daemon --dev "/dev/$1" --test-hooks --run-dir "$VRUN" \
		--state-dir /tmp/lamina-state </dev/null >/dev/null 2>>"$VLOG" &
	vpid=$!
	vwait 10 [ -S "$VRUN/lamina-sock" ]
}
vdaemon_stop() {
	kill "$vpid" && wait "$vpid"
	vdaemon_rc=$?
}

vxml() {	# vxml NAME MIB
	cat >"/tmp/$1.xml" <<XML
<domain type='lamina'><name>$1</name><memory unit='MiB'>$2</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type><kernel>/vmmd/bzImage</kernel>
<initrd>/vmmd/initrd.gz</initrd><cmdline>$VCMD</cmdline></os>
<devices><serial type='pty'/><console type='pty'/></devices></domain>
XML
}

# sandbox_status: the running VM process's /proc status and namespaces
sandbox_status() {
	p=$(vmpid)
	[ -n "$p" ] || { echo "no VM process"; return 1; }
	grep -Eq '^Seccomp:[[:space:]]+2$' /proc/$p/status &&
		grep -Eq '^NoNewPrivs:[[:space:]]+1$' /proc/$p/status &&
		grep -Eq '^CapEff:[[:space:]]+0+$' /proc/$p/status ||
		{ grep -E 'Seccomp|NoNewPrivs|Cap' /proc/$p/status; return 1; }
	for ns in mnt pid ipc uts net; do
		[ "$(readlink /proc/$p/ns/$ns)" != "$(readlink /proc/$vpid/ns/$ns)" ] ||
			{ echo "$ns namespace is the daemon's"; return 1; }
	done
}

vfail_log() { tail -n 20 "$VLOG"; dmesg | tail -n 5; }

vpts() {
	grep -q ' /dev/pts ' /proc/mounts ||
		{ mkdir -p /dev/pts && mount -t devpts devpts /dev/pts; }
}

# vconsole DOM: `virsh console DOM` on a pty; types a command for the
# guest's shell, then Ctrl-]. Its output (42, not in the typed text)
# must come back through the console and be in the console log.
vconsole() {
	vpts
	out=$( (sleep 3; printf 'echo console-mark-$((6*7))\r'; sleep 8; printf '\035') |
		timeout 60 /usr/bin/script -qfec "/usr/bin/virsh -c '$VURI' console $1" /dev/null 2>&1)
	echo "$out" | grep -q 'console-mark-42' &&
		grep -q 'console-mark-42' "$VRUN/$1.console.log" ||
		{ echo "$out" | tail -n 10; return 1; }
}

# vtype DOM TEXT: TEXT typed at DOM's shell through virsh console
vtype() {
	vpts
	(sleep 3; printf '%s\r' "$2"; sleep 1; printf '\035') |
		timeout 60 /usr/bin/script -qfec "/usr/bin/virsh -c '$VURI' console $1" \
		/dev/null >/dev/null 2>&1
}

VTICKS=12
# vticks DOM: the away-tick-N lines in DOM's console log, N only (the
# first may follow the shell's prompt)
vticks() { tr -d '\r' <"$VRUN/$1.console.log" | sed -n 's/.*away-tick-\([0-9]*\)$/\1/p'; }
# vticks_whole DOM BEFORE: ticks 1..VTICKS, each once, in order, and
# BEFORE (the count when the daemon stopped) low enough that the guest
# printed ticks while no daemon ran
vticks_whole() {
	[ "$(vticks "$1" | tr '\n' ' ')" = "$(seq 1 $VTICKS | tr '\n' ' ')" ] &&
		[ "$2" -le $((VTICKS - 4)) ] ||
		{ echo "ticks logged: $(vticks "$1" | tr '\n' ' '), $2 before the daemon stopped"; return 1; }
}
vticks_done() { vticks "$1" | grep -qx "$VTICKS"; }

# daemon_restart DEV: the daemon goes and comes back; vm1 runs on, and
# what its guest prints meanwhile (a tick a second, started from its
# shell) reaches the console log once the daemon is back.
daemon_restart() {
	K=daemon-restart-keeps-vm/$1
	id=$(vv domid vm1 | head -n 1)
	p=$(vmpid)
	vtype vm1 "i=0; while [ \$i -lt $VTICKS ]; do i=\$((i+1)); echo away-tick-\$i; sleep 1; done &"
	vdaemon_stop
	before=$(vticks vm1 | wc -l)
	step "$K/daemon-stops" [ "$vdaemon_rc" = 0 ]
	step "$K/vm-runs-on" kill -0 "$p"
	sleep 5		# the guest ticks on with no daemon
	vdaemon_start "$1"
	step "$K/same-id-running" vis "^ *$id +vm1 +running" list
	step "$K/same-process" [ "$(vmpid)" = "$p" ]
	step "$K/reattached" grep -q "reattached as domain 'vm1'" "$VLOG"
	vwait 30 vticks_done vm1
	step "$K/console-kept-while-away" vticks_whole vm1 "$before"
}

# virsh_create DEV: a transient domain
virsh_create() {
	C=virsh-create/$1
	vxml tr1 128
	step "$C/create" vis "created" create /tmp/tr1.xml
	step "$C/guest-userspace" vwait 120 vuser tr1
	step "$C/not-persistent" vis 'Persistent: +no' dominfo tr1
	step "$C/destroy" vis "destroyed" destroy tr1
	step "$C/gone" [ -z "$(vv list --all --name | grep -x tr1)" ]
}

# virsh_lifecycle DEV PARTS: the lifecycle and, on a running vm1, the
# PARTS that fit there (virsh_parts above)
virsh_lifecycle() {
	d=$1 L=virsh-lifecycle/$1 P=$2
	vdaemon_start "$d"
	step "$L/daemon-starts" [ -S "$VRUN/lamina-sock" ]
	echo "# $L: figure: control daemon RSS idle $(vrss "$vpid") KiB"
	vxml vm1 128
	vxml vm2 128
	step "$L/define" vis "defined" define /tmp/vm1.xml
	step "$L/list-shut-off" vis 'vm1 +shut off' list --all
	t0=$(cut -d' ' -f1 /proc/uptime)
	step "$L/start" vis "started" start vm1
	t1=$(cut -d' ' -f1 /proc/uptime)
	if ! vstate vm1 '^running'; then
		sed 's/^/# daemon: /' "$VLOG"
		vdaemon_stop
		return 1
	fi
	step "$L/guest-userspace" vwait 120 vuser vm1
	t2=$(cut -d' ' -f1 /proc/uptime)
	echo "# $L: virsh start returned in $(awk "BEGIN { print $t1 - $t0 }") s, guest userspace after $(awk "BEGIN { print $t2 - $t0 }") s"
	echo "# $L: vmmd's time from the start call to the guest's first instruction: $(vstart_ms vm1) ms"
	p=$(vmpid)
	[ -n "$p" ] && echo "# $L: figure: VM process RSS $(vrss "$p") KiB, beyond guest RAM $(vrss_beyond "$p" 128) KiB (guest RAM 128 MiB)"
	echo "# $L: figure: virsh list, mean of 10 commands, $(vlist_ms 10) ms"
	step "$L/dominfo-running" vis 'State: +running' dominfo vm1
	step "$L/dominfo-vcpus" vis 'CPU\(s\): +1$' dominfo vm1
	step "$L/dominfo-memory" vis 'Used memory: +131072 KiB' dominfo vm1
	R=virsh-readonly/$d
	step "$R/list" vrois 'vm1 +running' list
	step "$R/dominfo" vrois 'State: +running' dominfo vm1
	for c in destroy suspend shutdown; do
		step "$R/$c-refused" refused "$c" vm1
	done
	step "$R/still-running" vstate vm1 '^running' 
	vhas sandbox "$P" && step "sandbox/$d/status" sandbox_status
	vhas restart "$P" && daemon_restart "$d"
	vhas console "$P" && step "virsh-console/$d/type-and-read" vconsole vm1
	# The second VM boots while vm1 idles at its shell: one nested boot
	# at a time, which is what Bochs' machine can afford.
	if vhas two "$P"; then
		t0=$(cut -d' ' -f1 /proc/uptime)
		step "$L/define-second" vis "defined" define /tmp/vm2.xml
		step "$L/start-second" vis "started" start vm2
		step "$L/two-in-userspace" vwait 120 vuser vm2
		t1=$(cut -d' ' -f1 /proc/uptime)
		echo "# $L: the second VM reached userspace $(awk "BEGIN { print $t1 - $t0 }") s after its define"
		step "$L/two-running" vrunning "vm1 vm2"
		echo "# $L: figure: control daemon RSS with two VMs $(vrss "$vpid") KiB"
		step "$L/destroy-second" vis "destroyed" destroy vm2
		step "$L/undefine-second" vis "undefined" undefine vm2
		step "$L/first-runs-on" vstate vm1 '^running'
	fi
	step "$L/suspend" vis "suspended" suspend vm1
	step "$L/paused" vstate vm1 '^paused'
	step "$L/resume" vis "resumed" resume vm1
	step "$L/running-again" vstate vm1 '^running'
	step "$L/shutdown" vis "shutdown" shutdown vm1
	step "$L/shut-off-by-acpi" vwait 60 vstate vm1 'shut off \(shutdown\)'
	grep -q 'power button pressed' "$VRUN/vm1.console.log" || tail -n 3 "$VRUN/vm1.console.log" | sed 's/^/# console: /'
	vhas create "$P" && virsh_create "$d"
	step "$L/start-again" vis "started" start vm1
	step "$L/destroy" vis "destroyed" destroy vm1
	step "$L/shut-off-destroyed" vstate vm1 'shut off \(destroyed\)'
	if vhas kill9 "$P"; then
		K=vm-kill9-crashed/$d
		step "$K/start" vis "started" start vm1
		kill -9 "$(vmpid)"
		step "$K/shut-off-crashed" vwait 10 vstate vm1 'shut off \(crashed\)'
	fi
	if vhas sandbox "$P"; then
		step "sandbox/$d/start" vis "started" start vm1
		vv reboot --mode signal vm1 >/dev/null
		step "sandbox/$d/forbidden-syscall-crashed" vwait 10 vstate vm1 'shut off \(crashed\)'
		step "sandbox/$d/killed-by-sigsys" grep -q 'killed by signal 31' "$VLOG"
	fi
	if vhas autostart "$P"; then
		# vm1 is shut off; marked autostart, it runs again once the
		# daemon starts.
		A=autostart/$d
		step "$A/mark" vis "marked as autostarted" autostart vm1
		vdaemon_stop
		step "$A/daemon-stops" [ "$vdaemon_rc" = 0 ]
		vdaemon_start "$d"
		step "$A/started-by-daemon" vwait 30 vstate vm1 '^running \(booted\)'
		step "$A/guest-userspace" vwait 120 vuser vm1
		step "$A/destroy" vis "destroyed" destroy vm1
		step "$A/unmark" vis "unmarked" autostart --disable vm1
	fi
	step "$L/undefine" vis "undefined" undefine vm1
	step "$L/list-empty" [ -z "$(vv list --all --name | grep .)" ]
	vdaemon_stop
	step "$L/daemon-stops" [ "$vdaemon_rc" = 0 -a -z "$(vmpid)" ]
	vhas kill9 "$P" && step "vm-kill9-crashed/$d/no-live-objects" no_live_objects
	grep -q . "$VLOG" && tail -n 30 "$VLOG" | sed 's/^/# daemon: /'
	: >"$VLOG"
}

# virsh_badinput DEV: virsh-bad-input/DEV and virsh-clients/DEV, the
# host test's cases (tests/vmmd/bad-input.sh) with the daemon on DEV. Its
# domains vm1 and vm2 are defined, never started: every case is refused
# before a VM would exist.
virsh_badinput() {
	d=$1
	work=/tmp/vbad state=/tmp/lamina-state sock=$VRUN/lamina-sock
	raw=/usr/bin/rawclient daemon_log=$VLOG
	rm -rf "$work"
	mkdir -p "$work/files"
	ln -s /vmmd/bzImage "$work/files/vmlinuz"
	ln -s /vmmd/initrd.gz "$work/files/initrd.img"
	: >"$work/files/disk.img"
	. /virsh/bad-input.sh
	vdaemon_start "$d"
	pid=$vpid
	mkxml vm1 >"$work/vm1.xml"
	mkxml vm2 >"$work/vm2.xml"
	step "virsh-bad-input/$d/define-two" vboth define "$work/vm1.xml" "$work/vm2.xml"
	uuid=$(v domuuid vm1)
	bad_input_run "virsh-bad-input/$d"
	step "virsh-clients/$d/64-one-stalled" $raw "$sock" clients 64 "$VURI"
	step "virsh-bad-input/$d/undefine-two" vboth undefine vm1 vm2
	vdaemon_stop
	grep -q . "$VLOG" && tail -n 5 "$VLOG" | sed 's/^/# daemon: /'
	: >"$VLOG"
	rm -rf "$work"
}
# What bad-input.sh needs besides the above (its header): one TAP point
# and virsh -q.
point() {	# point NAME RC [DIAGNOSTIC...]
	name=$1 rc=$2
	shift 2
	step "$name" point_rc "$rc" "$@"
}
point_rc() {
	rc=$1
	shift
	[ "$rc" = 0 ] || printf '%s\n' "$@" | head -n 8
	return "$rc"
}
v() { timeout 20 /usr/bin/virsh -q -c "$VURI" "$@" 2>&1; }
# vboth CMD A B: virsh CMD A and virsh CMD B both succeed
vboth() { vis "$1" "$1" "$2" && vis "$1" "$1" "$3"; }

# blk_fs_ok LOG IMG: blk_fs_why (scripts/guest/init) finds nothing wrong.
blk_fs_ok() {
	why=$(blk_fs_why "$1" "$2")
	[ -z "$why" ] || { echo "$why"; return 1; }
}

# virsh_blk DEV: virsh-blk/DEV. The guest is the linux-boot one with
# vmmd_test=blk-fs and no pci= option (linux-boot-init); its disk is a
# copy of the rig's ext4 image.
virsh_blk() {
	d=$1 B=virsh-blk/$1
	vdaemon_start "$d"
	cp /vmmd/disk.img /tmp/vdisk.img
	cat >/tmp/vdisk.xml <<XML
<domain type='lamina'><name>vdisk</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type><kernel>/vmmd/bzImage</kernel>
<initrd>/vmmd/initrd.gz</initrd><cmdline>console=ttyS0 panic=-1 nokaslr vmmd_test=blk-fs</cmdline></os>
<devices><disk type='file' device='disk'><driver name='qemu' type='raw'/>
<source file='/tmp/vdisk.img'/><target dev='vda' bus='virtio'/></disk>
<serial type='pty'/><console type='pty'/></devices></domain>
XML
	step "$B/define" vis "defined" define /tmp/vdisk.xml
	step "$B/start" vis "started" start vdisk
	step "$B/guest-powers-off" vwait 240 vstate vdisk 'shut off \(shutdown\)'
	tr -d '\r' <"$VRUN/vdisk.console.log" >/tmp/vdisk.log
	# Where the guest got to, when it did not power off in time.
	vstate vdisk 'shut off \(shutdown\)' ||
		{ vv domstate --reason vdisk; tail -n 15 /tmp/vdisk.log; } | sed 's/^/# vdisk: /'
	step "$B/files-match" blk_fs_ok /tmp/vdisk.log /tmp/vdisk.img
	step "$B/undefine" vis "undefined" undefine vdisk
	vdaemon_stop
	grep -q . "$VLOG" && tail -n 10 "$VLOG" | sed 's/^/# daemon: /'
	: >"$VLOG"
	rm -f /tmp/vdisk.img
}

# virsh_demo DEV: make demo. What a person would type, and what it shows.
demo_cmd() {
	echo "\$ $*"
	"$@" 2>&1 | tr -d '\r'
}
virsh_demo() {
	d=$1
	vdaemon_start "$d" || { echo "the daemon did not start"; cat "$VLOG"; return 1; }
	echo "# vmmd daemon --dev /dev/$d is running (pid $vpid); virsh below is Debian's own"
	vxml debian 128
	V="/usr/bin/virsh -c $VURI"
	demo_cmd cat /tmp/debian.xml
	demo_cmd $V define /tmp/debian.xml
	demo_cmd $V list --all
	demo_cmd $V start debian
	demo_cmd $V list
	vwait 120 vuser debian
	sleep 2
	echo "# the guest's console ($VRUN/debian.console.log), last lines:"
	tail -n 6 "$VRUN/debian.console.log" | tr -d '\r' | sed 's/^/  | /'
	p=$(vmpid)
	echo "# the VM process (pid $p):"
	grep -E '^(Seccomp|NoNewPrivs|CapEff):' /proc/$p/status | sed 's/^/  /'
	demo_cmd $V dominfo debian
	demo_cmd $V suspend debian
	demo_cmd $V domstate --reason debian
	demo_cmd $V resume debian
	demo_cmd $V shutdown debian
	vwait 60 vstate debian 'shut off'
	echo "# the guest's console after the ACPI power button:"
	tail -n 3 "$VRUN/debian.console.log" | tr -d '\r' | sed 's/^/  | /'
	demo_cmd $V domstate --reason debian
	demo_cmd $V undefine debian
	vdaemon_stop
}
