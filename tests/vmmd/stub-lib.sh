# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by the stub-VM host tests (lifecycle.sh, keep.sh): TAP points,
# virsh on the test daemon's socket, and a daemon with --dev stub on
# WORKDIR/run. Sourced with "$@" = VMMD WORKDIR; defines vm1.xml and
# vm2.xml in WORKDIR, stub_daemon_start and stub_cleanup (the EXIT trap).
# The daemon runs from a copy, WORKDIR/bin/vmmd, with the vmmd-vm built
# beside VMMD copied beside it, as `make install` puts them: a test may
# swap that vmmd-vm under a running daemon.

work=$(realpath -m "$2")
n=0
failed=0

if [ "$(id -u)" != 0 ] || ! command -v virsh >/dev/null; then
	echo "TAP version 13"
	echo "1..1"
	echo "ok 1 $(basename "$0" .sh) # SKIP needs root and virsh (libvirt-clients)"
	exit 4
fi

rm -rf "$work"
mkdir -p "$work/files" "$work/bin"
cp "$1" "$(dirname "$1")/vmmd-vm" "$work/bin/"
vmmd=$work/bin/vmmd
run=$work/run
uri="lamina+unix:///system?socket=$run/lamina-sock"
pid=

echo "TAP version 13"
point() {	# point NAME OK [DIAGNOSTIC...]
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		shift 2
		printf '%s\n' "$@" | head -n 8 | sed 's/^/#   /'
		failed=1
	fi
}
v() { timeout 20 virsh -q -c "$uri" "$@" 2>&1; }
# is NAME REGEX -- ARGS: virsh ARGS succeeds and prints REGEX
is() {
	local name=$1 re=$2 out rc
	shift 3
	out=$(timeout 20 virsh -c "$uri" "$@" 2>&1)	# with the "Domain ... started" lines
	rc=$?
	[ $rc = 0 ] && echo "$out" | grep -Eq -- "$re"
	point "$name" $? "virsh $* exited $rc:" "$out"
}
# settle DOM REGEX: wait up to 5 s for domstate --reason to match
settle() {
	local i
	for i in $(seq 50); do
		v domstate --reason "$1" | grep -Eq -- "$2" && return 0
		sleep 0.1
	done
	return 1
}
vmpid() { pgrep -f "^vmmd-vm .*--root $run" | head -n 1; }

# stub_daemon_start [FLAGS...]: the daemon on $run, pid in $pid
stub_daemon_start() {
	"$vmmd" daemon --run-dir "$run" --state-dir "$work/state" --dev stub \
		--test-hooks "$@" 2>>"$work/daemon.log" &
	pid=$!
	for _ in $(seq 100); do [ -S "$run/lamina-sock" ] && break; sleep 0.05; done
}
# VM processes outlive the daemon (docs/sandbox.md): end the test's own,
# found by the records the daemon keeps, then the daemon.
stub_cleanup() {
	local f
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	for f in "$run"/vm/*.vm; do
		[ -f "$f" ] && kill -9 "$(sed -n 's/^pid //p' "$f")" 2>/dev/null
	done
	true
}
trap stub_cleanup EXIT
stub_daemon_start

echo kernel >"$work/files/vmlinuz"
echo initrd >"$work/files/initrd.img"
for d in vm1 vm2; do
	cat >"$work/$d.xml" <<XML
<domain type='lamina'><name>$d</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type><kernel>$work/files/vmlinuz</kernel>
<initrd>$work/files/initrd.img</initrd><cmdline>console=ttyS0</cmdline></os>
<devices><serial type='pty'/><console type='pty'/></devices></domain>
XML
done
