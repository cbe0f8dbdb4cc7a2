#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The daemon's lifecycle calls and the per-VM process's sandbox on the
# host, with no hypervisor: `vmmd daemon --test-hooks --dev stub` starts
# real vmmd-vm processes (clone, fd passing, sandbox, messages) whose
# machine is the stand-in of vmproc.c: it prints a line on its console,
# echoes console input, and answers pause/resume/power button/reset.
# TAP 13; needs root (namespaces, pivot_root) and virsh; SKIPs without.
#   virsh-lifecycle/stub   define, start, list, suspend, resume, shutdown,
#                          start, destroy, undefine; two VMs at once
#   sandbox/stub           Seccomp 2, NoNewPrivs 1, CapEff 0, namespaces
#                          not the daemon's; the forbidden syscall kills
#                          it with SIGSYS and the domain shows crashed
#   vm-kill9-crashed/stub  kill -9 of the VM process: shut off (crashed)
#   autostart/stub         a domain marked autostart runs once the daemon
#                          starts again (it was shut off before); that
#                          daemon has --vm-uid/--vm-gid: sandbox/stub/vm-uid
#   vm-binary/stub         a file renamed over vmmd-vm while the daemon
#                          runs is not what it starts: the one it opened
# usage: lifecycle.sh VMMD WORKDIR
set -u

. "$(dirname "$0")/stub-lib.sh"

# vm2 has two disks, one read-only, and an interface on a tap device the
# daemon makes (lamtest0, gone again once the VM process closes it): its
# START carries their fds too. vm3's interface names a device that is
# not a tap: its start fails and says so.
truncate -s 1M "$work/files/a.img" "$work/files/b.img"
cat >"$work/vm2.xml" <<XML
<domain type='lamina'><name>vm2</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type><kernel>$work/files/vmlinuz</kernel>
<initrd>$work/files/initrd.img</initrd><cmdline>console=ttyS0</cmdline></os>
<devices><disk type='file' device='disk'><source file='$work/files/a.img'/><target dev='vda' bus='virtio'/></disk>
<disk type='file' device='disk'><source file='$work/files/b.img'/><target dev='vdb' bus='virtio'/><readonly/></disk>
<interface type='ethernet'><target dev='lamtest0'/><mac address='52:54:00:aa:bb:cc'/></interface>
<serial type='pty'/><console type='pty'/></devices></domain>
XML
sed -e 's/vm2/vm3/' -e 's|<disk.*</disk>||' -e "s/dev='lamtest0'/dev='lo'/" \
	"$work/vm2.xml" >"$work/vm3.xml"

# --- virsh-lifecycle ----------------------------------------------------------
L=virsh-lifecycle/stub
is $L/define "defined" -- define "$work/vm1.xml"
is $L/list-shut-off '^ *- +vm1 +shut off$' -- list --all
is $L/start "started" -- start vm1
is $L/list-running '^ *[0-9]+ +vm1 +running$' -- list
grep -q 'reached userspace' "$run/vm1.console.log" 2>/dev/null
point $L/console-log $? "$(cat "$run/vm1.console.log" 2>&1)"
is $L/dominfo-running 'State: +running' -- dominfo vm1
is $L/suspend "suspended" -- suspend vm1
is $L/paused '^paused \(user\)$' -- domstate --reason vm1
is $L/resume "resumed" -- resume vm1
is $L/unpaused '^running \(unpaused\)$' -- domstate --reason vm1
is $L/shutdown "being shutdown" -- shutdown vm1
settle vm1 '^shut off \(shutdown\)$'
point $L/shut-off-shutdown $? "$(v domstate --reason vm1)"
[ -z "$(vmpid)" ]
point $L/process-gone $? "still running: $(vmpid)"
is $L/start-again "started" -- start vm1
is $L/define-second "defined" -- define "$work/vm2.xml"
is $L/start-second "started" -- start vm2
is $L/two-running "^ *[0-9]+ +vm2 +running$" -- list
[ "$(pgrep -cf "^vmmd-vm .*--root $run")" = 2 ]
point $L/two-processes $? "$(pgrep -af vmmd-vm)"
is $L/destroy "destroyed" -- destroy vm1
is $L/shut-off-destroyed '^shut off \(destroyed\)$' -- domstate --reason vm1
is $L/other-still-running '^running' -- domstate vm2
out=$(v start vm2)
[ $? != 0 ] && echo "$out" | grep -q 'already active'
point $L/start-running-refused $? "$out"
is $L/destroy-second "destroyed" -- destroy vm2
# A disk that went away after define: start fails and names it.
mv "$work/files/b.img" "$work/files/b.gone"
out=$(v start vm2)
[ $? != 0 ] && echo "$out" | grep -q "cannot open the disk '$work/files/b.img'"
point $L/start-disk-missing $? "$out"
mv "$work/files/b.gone" "$work/files/b.img"
# An interface whose device is not a tap: start fails and names it.
v define "$work/vm3.xml" >/dev/null
out=$(v start vm3)
[ $? != 0 ] && echo "$out" | grep -q "interface 'lo': cannot attach to the tap device"
point $L/start-interface-not-tap $? "$out"
v undefine vm3 >/dev/null
is $L/undefine "undefined" -- undefine vm1
is $L/undefine-second "undefined" -- undefine vm2
out=$(v list --all)
[ -z "$out" ]
point $L/list-empty $? "$out"

# --- sandbox ------------------------------------------------------------------
S=sandbox/stub
v define "$work/vm1.xml" >/dev/null
v start vm1 >/dev/null
p=$(vmpid)
st=$(cat /proc/"$p"/status 2>&1)
echo "$st" | grep -Eq '^Seccomp:[[:space:]]+2$'
point $S/seccomp-filter $? "$(echo "$st" | grep -E 'Seccomp|^Pid')"
echo "$st" | grep -Eq '^NoNewPrivs:[[:space:]]+1$'
point $S/no-new-privs $? "$(echo "$st" | grep NoNewPrivs)"
echo "$st" | grep -Eq '^CapEff:[[:space:]]+0+$' &&
	echo "$st" | grep -Eq '^CapBnd:[[:space:]]+0+$'
point $S/no-capabilities $? "$(echo "$st" | grep Cap)"
bad=
for ns in mnt pid ipc uts net; do
	[ "$(readlink /proc/"$p"/ns/$ns)" != "$(readlink /proc/$pid/ns/$ns)" ] || bad="$bad $ns"
done
[ -z "$bad" ] && [ -n "$p" ]
point $S/own-namespaces $? "same as the daemon's:$bad"
[ "$(ls -A /proc/"$p"/root/ 2>&1)" = "" ]
point $S/empty-root $? "$(ls -A /proc/"$p"/root/ 2>&1 | head -n 3)"
# RLIMIT_NOFILE: the fds held at sandbox time plus 8 (sandbox.c), so
# above the highest fd open now and at most 8 past it; soft = hard.
top=$(ls /proc/"$p"/fd 2>/dev/null | sort -n | tail -n 1)
nofile=$(awk '/^Max open files/ { print ($4 == $5) ? $4 : "soft!=hard" }' /proc/"$p"/limits)
[ -n "$top" ] && [ "$nofile" -gt "$top" ] 2>/dev/null &&
	[ "$nofile" -le $((top + 9)) ] &&
	grep -Eq '^Max core file size +0 +0' /proc/"$p"/limits
point $S/rlimits $? "highest fd $top, $(grep -E 'open files|core' /proc/"$p"/limits)"
v reboot --mode signal vm1 >/dev/null
settle vm1 '^shut off \(crashed\)$'
point $S/forbidden-syscall-crashed $? "$(v domstate --reason vm1)"
grep -q 'killed by signal 31' "$work/daemon.log"
point $S/killed-by-sigsys $? "$(tail -n 2 "$work/daemon.log")"

# --- vm-kill9-crashed ---------------------------------------------------------
K=vm-kill9-crashed/stub
v start vm1 >/dev/null
p=$(vmpid)
kill -9 "$p"
settle vm1 '^shut off \(crashed\)$'
point $K/shut-off-crashed $? "$(v domstate --reason vm1)"
is $K/restarts "started" -- start vm1
is $K/destroy "destroyed" -- destroy vm1

# --- autostart ------------------------------------------------------------------
A=autostart/stub
is $A/mark "marked as autostarted" -- autostart vm1
# A daemon stop leaves running VMs running (keep.sh): vm1 is shut off
# first, so that the next daemon has something to autostart.
v destroy vm1 >/dev/null
kill "$pid"
wait "$pid"
point $A/daemon-stops $? "exit status $?"
# ... and this time the VM processes run as nobody.
stub_daemon_start --vm-uid 65534 --vm-gid 65534
settle vm1 '^running \(booted\)$'
point $A/started-by-daemon $? "$(v domstate --reason vm1)" "$(tail -n 3 "$work/daemon.log")"
[ -n "$(vmpid)" ]
point $A/process-runs $? "no VM process"
p=$(vmpid)
grep -Eq '^Uid:[[:space:]]+65534[[:space:]]+65534[[:space:]]+65534[[:space:]]+65534$' /proc/"$p"/status &&
	grep -Eq '^Gid:[[:space:]]+65534[[:space:]]+65534' /proc/"$p"/status &&
	grep -Eq '^Max processes +5 +5' /proc/"$p"/limits
point sandbox/stub/vm-uid $? "$(grep -E '^(Uid|Gid)' /proc/"$p"/status)" "$(grep processes /proc/"$p"/limits)"
is $A/destroy "destroyed" -- destroy vm1

# --- vm-binary ------------------------------------------------------------------
# The daemon opened vmmd-vm at its start and execs that file (vmctl.h,
# vmctl_open_exe): another one renamed over the path since (an upgrade
# while it runs) is not what a start runs.
B=vm-binary/stub
mv "$work/bin/vmmd-vm" "$work/bin/vmmd-vm.opened"
printf '#!/bin/sh\nexit 1\n' >"$work/bin/vmmd-vm"
chmod 0755 "$work/bin/vmmd-vm"
is $B/start-after-rename "started" -- start vm1
p=$(vmpid)
[ -n "$p" ] && [ "$(readlink /proc/"$p"/exe)" = "$work/bin/vmmd-vm.opened" ]
point $B/runs-the-opened-file $? "pid '$p', exe '$(readlink /proc/"$p"/exe 2>&1)'"
is $B/destroy "destroyed" -- destroy vm1

echo "1..$n"
exit $failed
