#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The real virsh against `vmmd daemon` on a temporary socket and state
# directory. TAP 13. Needs root (the read-write socket admits root) and
# virsh (libvirt-clients); SKIPs without them.
#   virsh-define-list/*   version, nodeinfo, hostname, define, list,
#                         dominfo, domstate, dumpxml round trip, autostart,
#                         lifecycle calls refused, undefine; a daemon
#                         restart keeps domains; a corrupt file is skipped;
#                         a daemon with no usable vmmd-vm beside it
#                         refuses to start
#   virsh-readonly/*      virsh -r and the read-only socket: queries work,
#                         changes are refused
#   virsh-bad-input/*     bad XML and bad packets: each a clear error, the
#                         daemon still answers, nothing half-defined
#   virsh-clients/*       64 clients, one stalled mid-packet
# usage: virsh.sh VMMD WORKDIR RAWCLIENT
set -u

vmmd=$1
work=$(realpath -m "$2")
raw=$3		# tests/vmmd/rawclient.c, built
here=$(cd "$(dirname "$0")" && pwd)
n=0
failed=0

if [ "$(id -u)" != 0 ] || ! command -v virsh >/dev/null; then
	echo "TAP version 13"
	echo "1..1"
	echo "ok 1 virsh # SKIP needs root and virsh (libvirt-clients)"
	exit 4
fi

rm -rf "$work"
mkdir -p "$work/files"
run=$work/run state=$work/state
sock=$run/lamina-sock rosock=$run/lamina-sock-ro
uri="lamina+unix:///system?socket=$sock"
rouri="lamina+unix:///system?socket=$rosock"
pid=

echo "TAP version 13"

point() {	# point NAME OK [DIAGNOSTIC...]
	local name=$1 ok=$2
	shift 2
	n=$((n + 1))
	if [ "$ok" = 0 ]; then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
		printf '%s\n' "$@" | head -n 8 | sed 's/^/#   /'
		failed=1
	fi
}

v() {		# v ARGS...: virsh on the read-write socket, no table headers
	timeout 20 virsh -q -c "$uri" "$@" 2>&1
}

# expect NAME REGEX -- ARGS...: virsh ARGS succeeds and prints REGEX
# (without -q: define, undefine, autostart say what they did)
expect() {
	local name=$1 re=$2 out rc
	shift 3
	case $1 in
	define | undefine | autostart) out=$(timeout 20 virsh -c "$uri" "$@" 2>&1) ;;
	*) out=$(v "$@") ;;
	esac
	rc=$?
	[ $rc = 0 ] && echo "$out" | grep -Eq -- "$re"
	point "virsh-define-list/$name" $? "virsh $* exited $rc:" "$out"
}

start_daemon() {	# start_daemon [FLAGS...]
	"$vmmd" daemon --run-dir "$run" --state-dir "$state" \
		--dev "$work/no-such-device" "$@" 2>>"$work/daemon.log" &
	pid=$!
	for _ in $(seq 100); do
		[ -S "$sock" ] && [ -S "$rosock" ] && return 0
		sleep 0.05
	done
	return 1
}

stop_daemon() {
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid"
	local rc=$?
	pid=
	return $rc
}
trap 'stop_daemon >/dev/null 2>&1; true' EXIT

# A domain's files: the daemon checks they exist at define.
for f in vmlinuz initrd.img disk.img; do
	: >"$work/files/$f"
done
# mkxml and the virsh-bad-input cases (shared with the rig's virsh phase).
# shellcheck source=tests/vmmd/bad-input.sh
. "$here/bad-input.sh"

# --- virsh-define-list -----------------------------------------------------
# The daemon execs the vmmd-vm beside it (vmctl_open_exe): a copy of vmmd
# without one, or with one that is not executable, stops at its start
# with the path in the message and no socket made.
mkdir -p "$work/alone"
cp "$vmmd" "$work/alone/vmmd"
out=$(timeout 10 "$work/alone/vmmd" daemon --run-dir "$work/alone/run" --state-dir "$work/alone/state" 2>&1)
[ $? = 1 ] && echo "$out" | grep -q "cannot open the VM process's binary $work/alone/vmmd-vm: No such file" &&
	[ ! -e "$work/alone/run/lamina-sock" ]
point virsh-define-list/daemon-without-vm-binary $? "$out"
: >"$work/alone/vmmd-vm"
out=$(timeout 10 "$work/alone/vmmd" daemon --run-dir "$work/alone/run" --state-dir "$work/alone/state" 2>&1)
[ $? = 1 ] && echo "$out" | grep -q "binary $work/alone/vmmd-vm is not an executable file" &&
	[ ! -e "$work/alone/run/lamina-sock" ]
point virsh-define-list/daemon-vm-binary-not-executable $? "$out"
start_daemon
point virsh-define-list/daemon-starts $? "$(tail -n 3 "$work/daemon.log")"
modes="$(stat -c %a "$sock") $(stat -c %a "$rosock")"
[ "$modes" = "600 666" ]
point virsh-define-list/socket-modes $? "modes $modes, want 600 666"
# A second daemon takes neither the state directory nor the sockets.
out=$("$vmmd" daemon --run-dir "$run" --state-dir "$state" 2>&1)
[ $? = 1 ] && echo "$out" | grep -q 'another daemon uses the state directory'
point virsh-define-list/second-daemon-same-state $? "$out"
out=$("$vmmd" daemon --run-dir "$run" --state-dir "$work/state2" 2>&1)
[ $? = 1 ] && echo "$out" | grep -q "another daemon answers on $sock" &&
	[ -S "$sock" ] && v list --all >/dev/null
point virsh-define-list/second-daemon-same-socket $? "$out"

expect version 'Running hypervisor: lamina 0\.1\.0' -- version
expect nodeinfo "CPU\(s\): +$(nproc)\$" -- nodeinfo
expect hostname "^$(hostname)\$" -- hostname
out=$(v list --all)
[ -z "$out" ]
point virsh-define-list/list-empty $? "$out"

mkxml vm1 "<title>first</title>" >"$work/vm1.xml"
expect define "Domain 'vm1' defined" -- define "$work/vm1.xml"
expect list-all '^ *- +vm1 +shut off$' -- list --all
expect list-inactive '^ *- +vm1 +shut off$' -- list --inactive
out=$(v list)
[ -z "$out" ]
point virsh-define-list/list-active-empty $? "$out"
expect list-name '^vm1$' -- list --all --name
uuid=$(v domuuid vm1)
expect list-uuid "^$uuid\$" -- list --all --uuid
expect dominfo 'State: +shut off' -- dominfo vm1
expect dominfo-memory 'Max memory: +262144 KiB' -- dominfo vm1
expect dominfo-cpus 'CPU\(s\): +2' -- dominfo vm1
expect domstate-reason '^shut off \(unknown\)$' -- domstate --reason vm1
expect domid '^-$' -- domid vm1
expect domname-by-uuid '^vm1$' -- domname "$uuid"
expect dominfo-by-uuid "Name: +vm1" -- dominfo "$uuid"
[ -f "$state/vm1.xml" ]
point virsh-define-list/state-file $? "no $state/vm1.xml"

# dumpxml -> define under a new name and uuid -> the same XML but those.
v dumpxml vm1 >"$work/vm1.dump"
newuuid=$(cat /proc/sys/kernel/random/uuid)
sed -e "s#<name>vm1</name>#<name>vm2</name>#" -e "s#$uuid#$newuuid#" \
	"$work/vm1.dump" >"$work/vm2.xml"
expect dumpxml-define-copy "Domain 'vm2' defined" -- define "$work/vm2.xml"
v dumpxml vm2 | sed -e "s#vm2#vm1#" -e "s#$newuuid#$uuid#" >"$work/vm2.dump"
cmp -s "$work/vm1.dump" "$work/vm2.dump"
point virsh-define-list/dumpxml-round-trip $? "$(diff "$work/vm1.dump" "$work/vm2.dump")"
# ... and undefine + define of the dump gives the domain back, uuid and all.
v undefine vm1 >/dev/null
expect undefine-define-dump "Domain 'vm1' defined" -- define "$work/vm1.dump"
expect same-uuid-back "^$uuid\$" -- domuuid vm1
v dumpxml vm1 | cmp -s - "$work/vm1.dump"
point virsh-define-list/dumpxml-stable $? "dumpxml changed across undefine/define"

expect autostart "marked as autostarted" -- autostart vm1
expect dominfo-autostart 'Autostart: +enable' -- dominfo vm1
[ -L "$state/autostart/vm1.xml" ]
point virsh-define-list/autostart-link $? "no $state/autostart/vm1.xml"
expect list-autostart '^vm1$' -- list --all --autostart --name
expect autostart-disable "unmarked as autostarted" -- autostart --disable vm1
expect dominfo-no-autostart 'Autostart: +disable' -- dominfo vm1
[ ! -e "$state/autostart/vm1.xml" ]
point virsh-define-list/autostart-link-gone $? "$state/autostart/vm1.xml is still there"
v autostart vm1 >/dev/null	# on again, for the restart below

# Lifecycle of an inactive domain: each refused with a libvirt error
# saying why; start fails with the VM process's reason (the kernel here
# is an empty file; tests/vmmd/lifecycle.sh starts domains).
for cmd in start destroy shutdown suspend resume reboot console; do
	out=$(v "$cmd" vm1)
	rc=$?
	case $cmd in
	start) re='the VM ended: the kernel or initrd is not a usable file' ;;
	*) re="not running" ;;
	esac
	[ $rc != 0 ] && echo "$out" | grep -q -- "$re"
	point "virsh-define-list/$cmd-refused" $? "exit $rc:" "$out"
done
out=$(v create "$work/vm1.xml")
rc=$?
# create runs a transient domain (keep.sh), never one under a defined name.
[ $rc != 0 ] && echo "$out" | grep -q 'already exists'
point virsh-define-list/create-defined-name-refused $? "exit $rc:" "$out"
expect still-shut-off '^shut off$' -- domstate vm1

# A daemon restart keeps the domains, their XML and autostart.
v dumpxml vm2 >"$work/vm2.before"
printf '<domain type="lamina"><name>broken' >"$state/broken.xml"
stop_daemon
point virsh-define-list/daemon-stops $? "exit status $?"
start_daemon
point virsh-define-list/daemon-restarts $? "$(tail -n 3 "$work/daemon.log")"
expect restart-keeps-domains '^vm1$' -- list --all --name
expect restart-keeps-autostart 'Autostart: +enable' -- dominfo vm1
v dumpxml vm2 | cmp -s - "$work/vm2.before"
point virsh-define-list/restart-keeps-xml $? "dumpxml vm2 differs after the restart"
grep -q 'broken.xml.*skipped' "$work/daemon.log" && [ "$(v list --all --name | wc -l)" = 2 ]
point virsh-define-list/corrupt-file-skipped $? "$(tail -n 3 "$work/daemon.log")"
rm -f "$state/broken.xml"

# --- virsh-readonly ----------------------------------------------------------
ro() {	# ro NAME WANT(ok|fail) REGEX URI-FLAGS... -- ARGS
	local name=$1 want=$2 re=$3 out rc
	shift 3
	local flags=()
	while [ "$1" != -- ]; do flags+=("$1"); shift; done
	shift
	out=$(timeout 20 virsh -q "${flags[@]}" "$@" 2>&1)
	rc=$?
	if [ $want = ok ]; then [ $rc = 0 ]; else [ $rc != 0 ]; fi &&
		echo "$out" | grep -Eq -- "$re"
	point "virsh-readonly/$name" $? "exit $rc:" "$out"
}
ro r-list ok '^ *- +vm1 +shut off$' -r -c "$uri" -- list --all
ro r-dominfo ok 'Name: +vm1' -r -c "$uri" -- dominfo vm1
ro r-dumpxml ok '<name>vm1</name>' -r -c "$uri" -- dumpxml vm1
ro r-define-refused fail 'read only access prevents' -r -c "$uri" -- define "$work/vm1.xml"
ro r-undefine-refused fail 'read only access prevents' -r -c "$uri" -- undefine vm2
ro r-autostart-refused fail 'read only access prevents' -r -c "$uri" -- autostart --disable vm1
ro ro-socket-list ok '^ *- +vm2 +shut off$' -c "$rouri" -- list --all
ro ro-socket-undefine-refused fail 'read only access prevents DOMAIN_UNDEFINE' -c "$rouri" -- undefine vm2
ro ro-socket-define-refused fail 'read only access prevents DOMAIN_DEFINE_XML' -c "$rouri" -- define "$work/vm2.xml"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups timeout 20 virsh -q -c "$rouri" list --all 2>&1)
echo "$out" | grep -Eq '^ *- +vm1 +shut off$'
point virsh-readonly/nobody-reads $? "$out"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups timeout 20 virsh -q -c "$uri" list --all 2>&1)
[ $? != 0 ] && echo "$out" | grep -q 'Permission denied'
point virsh-readonly/nobody-no-rw-socket $? "$out"
expect after-readonly-both-there '^vm2$' -- list --all --name

# The URI aliases `make install` writes, read by libvirt's client from the
# user's config for a non-root user: `virsh -c lamina-ro` reaches the daemon.
mkdir -p "$work/xdg"
"$here/../../vmmd/install-alias.sh" "$work/xdg/libvirt/libvirt.conf" "$run" >/dev/null
chmod -R a+rX "$work/xdg"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups env XDG_CONFIG_HOME="$work/xdg" \
	HOME="$work/xdg" timeout 20 virsh -q -c lamina-ro list --all 2>&1)
echo "$out" | grep -Eq '^ *- +vm1 +shut off$'
point virsh-readonly/uri-alias $? "$out"

# --group: members are admitted on the read-write socket (checked with
# SO_PEERCRED), others are not, even when the socket's mode lets them in.
stop_daemon
start_daemon --group nogroup
modes="$(stat -c '%a %G' "$sock")"
[ "$modes" = "660 nogroup" ]
point virsh-readonly/group-socket-mode $? "mode $modes, want 660 nogroup"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups timeout 20 virsh -q -c "$uri" autostart --disable vm1 2>&1)
[ $? = 0 ]
point virsh-readonly/group-member-writes $? "$out"
chmod 0666 "$sock"
out=$(setpriv --reuid=12345 --regid=12345 --clear-groups timeout 20 virsh -q -c "$uri" list --all 2>&1)
[ $? != 0 ] && echo "$out" | grep -q 'access denied: uid 12345 may not use the read-write socket'
point virsh-readonly/peercred-denies $? "$out"
stop_daemon
start_daemon
v autostart vm1 >/dev/null

# --- virsh-bad-input ------------------------------------------------------------
daemon_log=$work/daemon.log
bad_input_run

# --- virsh-clients ---------------------------------------------------------------
out=$(timeout 60 $raw "$sock" clients 64 "$uri" 2>&1)
point virsh-clients/64-one-stalled $? "$out"
echo "# $out"

# virsh edit: dumpxml, the editor, define of the result.
out=$(EDITOR="sed -i s/262144/393216/g" timeout 20 virsh -c "$uri" edit vm2 2>&1)
[ $? = 0 ] && v dominfo vm2 | grep -Eq 'Max memory: +393216 KiB' &&
	grep -q '393216' "$state/vm2.xml"
point virsh-define-list/edit $? "$out"

# --- and the end: undefine both, nothing left ---------------------------------------
expect undefine "Domain 'vm1' has been undefined" -- undefine vm1
expect undefine-2 "Domain 'vm2' has been undefined" -- undefine vm2
out=$(v list --all)
[ -z "$out" ] && [ "$(ls "$state")" = autostart ] && [ -z "$(ls "$state/autostart")" ]
point virsh-define-list/all-gone $? "list: $out" "state: $(ls -A "$state")"
stop_daemon
point virsh-define-list/daemon-stops-clean $? "exit status $?"
[ ! -e "$sock" ] && [ ! -e "$rosock" ]
point virsh-define-list/sockets-removed $? "$(ls -l "$run")"

echo "1..$n"
exit $failed
