#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# virsh create, VMs that outlive a daemon restart, and virsh console,
# on the host with the stand-in VM process (`--dev stub`, vmproc.c: it
# prints a line, echoes console input). TAP 13; needs root and virsh.
#   virsh-create/stub            create: a transient domain runs, is not
#                                persistent, cannot be undefined, and is
#                                gone from list --all once it stops
#   daemon-restart-keeps-vm/stub the daemon stops and starts again: its
#                                VMs (one paused, one transient) run on in
#                                the same processes, list shows the same
#                                ids and states, console, shutdown and
#                                destroy work; what a VM prints while no
#                                daemon runs reaches the console log once
#                                one is back; a VM that ends while no
#                                daemon runs shows shut off
#   virsh-console/stub           virsh console (on a pty, `script`): what
#                                is typed reaches the VM and its echo comes
#                                back; a second client is refused, --force
#                                takes over; destroy ends the console
# usage: keep.sh VMMD WORKDIR
set -u

. "$(dirname "$0")/stub-lib.sh"

sed -e 's/<name>vm2</<name>tr1</' "$work/vm2.xml" >"$work/tr1.xml"
uuid_of() { v domuuid "$1" | head -n 1; }
# gone PID: the process ended (a zombie counts: a VM the daemon reattached
# is not its child, and init reaps it in its own time)
gone() { ! grep -Eqs '^State:[[:space:]]+[^Z]' /proc/"$1"/status; }
# recpid DOM: the VM process the daemon recorded for DOM
recpid() { sed -n 's/^pid //p' "$run/vm/$(uuid_of "$1").vm" 2>/dev/null; }
# console DOM INPUT [FLAGS]: virsh console on a pty; INPUT typed after 1 s,
# then Ctrl-] after 1 more; prints what the terminal showed
console() {
	(sleep 1; printf '%s\r' "$2"; sleep 1; printf '\035') |
		timeout 20 script -qfec "virsh -c '$uri' console ${3:-} $1" /dev/null 2>&1
}

# --- virsh-create -------------------------------------------------------------
C=virsh-create/stub
is $C/create "created from" -- create "$work/tr1.xml"
is $C/running '^ *[0-9]+ +tr1 +running$' -- list
is $C/not-persistent 'Persistent: +no' -- dominfo tr1
is $C/listed-transient 'tr1' -- list --transient --name
out=$(v undefine tr1)
[ $? != 0 ] && echo "$out" | grep -q 'cannot undefine transient'
point $C/undefine-refused $? "$out"
out=$(v autostart tr1)
[ $? != 0 ] && echo "$out" | grep -q 'transient'
point $C/autostart-refused $? "$out"
out=$(v create "$work/tr1.xml")
[ $? != 0 ] && echo "$out" | grep -q 'already exists'
point $C/same-name-refused $? "$out"
is $C/shutdown "being shutdown" -- shutdown tr1
for _ in $(seq 50); do v list --all --name | grep -qx tr1 || break; sleep 0.1; done
! v list --all --name | grep -qx tr1
point $C/gone-after-shutdown $? "$(v list --all)"
ls "$work/state" | grep -q tr1
point $C/never-stored $((! $?)) "$(ls "$work/state")"
is $C/create-again "created from" -- create "$work/tr1.xml"
is $C/destroy "destroyed" -- destroy tr1
out=$(v list --all --name)
! echo "$out" | grep -qx tr1
point $C/gone-after-destroy $? "$out"
echo '<domain type="lamina"><name>bad</name></domain>' >"$work/bad.xml"
out=$(v create "$work/bad.xml")
[ $? != 0 ] && ! v list --all --name | grep -qx bad
point $C/bad-xml-refused $? "$out"

# --- daemon-restart-keeps-vm ----------------------------------------------------
R=daemon-restart-keeps-vm/stub
v define "$work/vm1.xml" >/dev/null
v start vm1 >/dev/null
v create "$work/tr1.xml" >/dev/null
v suspend tr1 >/dev/null
before=$(v list)
p1=$(recpid vm1)
p2=$(recpid tr1)
kill "$pid"
wait "$pid"
point $R/daemon-stops $? "exit status $?"
kill -0 "$p1" 2>/dev/null && kill -0 "$p2" 2>/dev/null
point $R/vms-run-on $? "pids '$p1' '$p2': $(pgrep -af vmmd-vm)"
stub_daemon_start
after=$(v list)
[ -n "$p1" ] && [ "$before" = "$after" ]
point $R/same-ids-and-states $? "before:" "$before" "after:" "$after"
grep -q 'reattached as domain .vm1.' "$work/daemon.log"
point $R/reattached $? "$(tail -n 3 "$work/daemon.log")"
[ "$(recpid vm1)" = "$p1" ] && [ "$(recpid tr1)" = "$p2" ] && kill -0 "$p1"
point $R/same-processes $? "$(recpid vm1) $(recpid tr1), were $p1 $p2"
# The stand-in prints a line once its daemon has gone: the VM process
# keeps it (vmmd/conring.h) and the new daemon logs it after what the
# log held before the restart.
log=$(tr -d '\r' <"$run/vm1.console.log")
echo "$log" | grep -q 'reached userspace' &&
	[ "$(echo "$log" | grep -c 'printed while no daemon was attached')" = 1 ]
point $R/console-kept-while-away $? "$log"
is $R/transient-still-transient 'Persistent: +no' -- dominfo tr1
is $R/paused-kept '^paused' -- domstate tr1
is $R/resume "resumed" -- resume tr1
out=$(console vm1 after-restart-42)
echo "$out" | grep -q 'after-restart-42' && grep -q 'after-restart-42' "$run/vm1.console.log"
point $R/console-after-restart $? "$out"
is $R/shutdown "being shutdown" -- shutdown vm1
settle vm1 '^shut off \(shutdown\)$'
point $R/shut-off-shutdown $? "$(v domstate --reason vm1)"
for _ in $(seq 50); do gone "$p1" && break; sleep 0.1; done
gone "$p1"
point $R/process-gone $? "pid $p1 still runs"
is $R/destroy-transient "destroyed" -- destroy tr1
gone "$p2"
point $R/destroy-ends-process $? "pid $p2 still runs"
[ -z "$(ls -A "$run/vm")" ]
point $R/records-removed $? "$(ls -A "$run/vm")"
# A VM that ends while no daemon runs: shut off, its record gone.
v start vm1 >/dev/null
p1=$(recpid vm1)
kill "$pid"
wait "$pid"
kill -9 "$p1"
stub_daemon_start
is $R/ended-while-away '^shut off' -- domstate vm1
[ -z "$(ls -A "$run/vm")" ]
point $R/stale-record-removed $? "$(ls -A "$run/vm")"
is $R/starts-again "started" -- start vm1
id=$(v domid vm1)
kill "$pid"
wait "$pid"
stub_daemon_start
is $R/id-kept "^ *$id +vm1 +running$" -- list
is $R/destroy "destroyed" -- destroy vm1

# --- virsh-console ----------------------------------------------------------------
K=virsh-console/stub
if ! command -v script >/dev/null; then
	point "$K # SKIP needs script (util-linux)" 0
else
	v start vm1 >/dev/null
	out=$(console vm1 typed-1234)
	echo "$out" | grep -q "Connected to domain 'vm1'"
	point $K/connects $? "$out"
	echo "$out" | grep -q 'typed-1234'
	point $K/echo-comes-back $? "$out"
	grep -q 'typed-1234' "$run/vm1.console.log"
	point $K/input-reaches-vm $? "$(tail -c 300 "$run/vm1.console.log")"
	(sleep 8) | timeout 20 script -qfec "virsh -c '$uri' console vm1" /dev/null \
		>"$work/con1.out" 2>&1 &
	c1=$!
	sleep 2
	out=$(console vm1 second)
	echo "$out" | grep -q 'in use by another client'
	point $K/second-refused $? "$out"
	out=$(console vm1 forced-77 --force)
	echo "$out" | grep -q 'forced-77'
	point $K/force-takes-over $? "$out"
	for _ in $(seq 50); do kill -0 $c1 2>/dev/null || break; sleep 0.1; done
	! kill -0 $c1 2>/dev/null
	point $K/forced-out-client-ends $? "$(cat "$work/con1.out")"
	wait $c1 2>/dev/null
	(sleep 8) | timeout 20 script -qfec "virsh -c '$uri' console vm1" /dev/null \
		>"$work/con2.out" 2>&1 &
	c2=$!
	sleep 2
	v destroy vm1 >/dev/null
	for _ in $(seq 50); do kill -0 $c2 2>/dev/null || break; sleep 0.1; done
	! kill -0 $c2 2>/dev/null
	point $K/destroy-ends-console $? "$(cat "$work/con2.out")"
	wait $c2 2>/dev/null
	out=$(console vm1 x)
	echo "$out" | grep -q 'not running'
	point $K/shut-off-refused $? "$out"
	out=$(timeout 20 virsh -r -c "lamina+unix:///system?socket=$run/lamina-sock-ro" console vm1 2>&1 </dev/null)
	echo "$out" | grep -Eq 'read only|not running|TTY'
	point $K/read-only-refused $? "$out"
fi
v undefine vm1 >/dev/null

echo "1..$n"
exit $failed
