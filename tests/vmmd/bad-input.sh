# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# virsh-bad-input/*: sourced by tests/vmmd/virsh.sh (on the host, no VM)
# and by the rig's virsh phase (scripts/guest/virsh-phase.sh, the daemon
# on lamina.ko): one list of cases for both. bad_input_run expects from
# its caller:
#   point NAME RC [DIAGNOSTIC...]   one TAP point
#   v ARGS...                       virsh -q on the read-write socket
#   raw      the rawclient command (tests/vmmd/rawclient.c)
#   sock state work pid daemon_log  the daemon's socket, state directory,
#                                   scratch directory, pid, stderr log
#   uuid                            vm1's uuid; vm1 and vm2 are the only
#                                   domains defined
# and files vmlinuz, initrd.img and disk.img in $work/files (mkxml below
# names them). Each bad define is a clear error; list still answers with the same
# domains; the state directory is unchanged; the daemon stays up.

# mkxml NAME [EXTRA-TOP-LEVEL] [DEVICES] [MEMORY-ELEMENT] [OS]: a valid
# domain (the cases below edit it) naming $work/files' files; the host
# test defines its domains with it too.
mkxml() {	# mkxml NAME [EXTRA-TOP-LEVEL] [DEVICES] [MEMORY-ELEMENT] [OS]
	local os
	os=${5:-"<os><type arch='x86_64'>hvm</type><kernel>$work/files/vmlinuz</kernel><initrd>$work/files/initrd.img</initrd><cmdline>console=ttyS0</cmdline></os>"}
	cat <<XML
<domain type='lamina'>
  <name>$1</name>
  ${2:-}
  ${4:-<memory unit='MiB'>256</memory>}
  <vcpu>2</vcpu>
  $os
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$work/files/disk.img'/><target dev='vda' bus='virtio'/></disk>
    <interface type='ethernet'><target dev='tap-vm1'/></interface>
    <serial type='pty'/><console type='pty'/>
    ${3:-}
  </devices>
</domain>
XML
}

# bad NAME REGEX FILE: define FILE fails naming the problem; list still
# answers with the same domains; the state directory is unchanged (as it
# was when bad_input_run began: $before).
bad() {
	local name=$1 re=$2 file=$3 out rc list
	out=$(v define "$file")
	rc=$?
	list=$(v list --all --name)
	[ $rc != 0 ] && echo "$out" | grep -Eq -- "$re" &&
		[ "$list" = "$(printf 'vm1\nvm2')" ] &&
		[ "$(ls "$state" | sort)" = "$before" ]
	point "$bad_input_tap/$name" $? "exit $rc:" "$out" "list: $list"
}

bx() {	# bx NAME REGEX XML
	printf '%s\n' "$3" >"$work/bad-$1.xml"
	bad "$1" "$2" "$work/bad-$1.xml"
}

# bad_input_run [TAP-PREFIX]: every case, as TAP-PREFIX/CASE (default
# virsh-bad-input; the rig's is virsh-bad-input/DEV).
bad_input_run() {
	bad_input_tap=${1:-virsh-bad-input}
	before=$(ls "$state" | sort)
	bx malformed 'malformed domain XML' "$(mkxml bad1 | sed 's#</domain>##')"
	bx not-xml 'malformed domain XML' 'this is not XML'
	bx unknown-element 'element <features> in <domain> is not supported' "$(mkxml bad1 '<features><acpi/></features>')"
	bx unknown-device 'device <graphics> is not supported' "$(mkxml bad1 '' "<graphics type='vnc'/>")"
	bx unknown-attribute "attribute 'dumpCore' on <memory>" "$(mkxml bad1 '' '' "<memory unit='MiB' dumpCore='off'>256</memory>")"
	bx duplicate-name "domain 'vm1' already exists" "$(mkxml vm1)"
	bx duplicate-uuid "domain 'vm1' already exists with uuid $uuid" "$(mkxml bad1 "<uuid>$uuid</uuid>")"
	bx memory-zero '<memory> 0 KiB is out of range' "$(mkxml bad1 '' '' '<memory>0</memory>')"
	bx memory-too-big "more than the host's RAM" "$(mkxml bad1 '' '' "<memory unit='GiB'>1000</memory>")"
	bx bad-unit "unknown unit 'parsec'" "$(mkxml bad1 '' '' "<memory unit='parsec'>1</memory>")"
	bx vcpus-zero '<vcpu> 0 is out of range' "$(mkxml bad1 | sed 's#<vcpu>2#<vcpu>0#')"
	bx vcpus-too-many '<vcpu> 65 is out of range \(1-64\)' "$(mkxml bad1 | sed 's#<vcpu>2#<vcpu>65#')"
	bx missing-kernel "kernel '/nonexistent/vmlinuz' does not exist" "$(mkxml bad1 '' '' '' '<os><type>hvm</type><kernel>/nonexistent/vmlinuz</kernel></os>')"
	bx missing-disk "disk source file '/nonexistent.img' does not exist" "$(mkxml bad1 | sed "s#$work/files/disk.img#/nonexistent.img#")"
	bx bad-name "domain name 'a/b' is not valid" "$(mkxml 'a/b')"
	bx bad-uuid "uuid '1234' is not a UUID" "$(mkxml bad1 '<uuid>1234</uuid>')"
	bx wrong-type "domain type 'kvm'" "$(mkxml bad1 | sed "s#type='lamina'#type='kvm'#")"
	bx external-entity 'DOCTYPE is not allowed' "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/shadow'>]>$(mkxml bad1 '<title>&x;</title>')"
	bx qcow2 "type='raw' only" "$(mkxml bad1 | sed "s#type='raw'#type='qcow2'#")"
	bx bad-mac "mac address '52:54'" "$(mkxml bad1 '' "<interface type='ethernet'><mac address='52:54'/></interface>")"
	head -c 2000000 /dev/zero | tr '\0' ' ' >"$work/bad-huge.xml"
	bad huge 'larger than 1048576 bytes' "$work/bad-huge.xml"
	out=$(v start nosuchvm)
	[ $? != 0 ] && echo "$out" | grep -q "failed to get domain 'nosuchvm'"
	point "$bad_input_tap/start-unknown-domain" $? "$out"

	# Raw packets virsh never sends; after each, virsh still gets its answer.
	for c in oversize undersize truncated random unknown-proc wrong-program wrong-version; do
		out=$(timeout 30 $raw "$sock" "$c" 2>&1)
		rc=$?
		list=$(v list --all --name)
		[ $rc = 0 ] && [ "$list" = "$(printf 'vm1\nvm2')" ]
		point "$bad_input_tap/raw-$c" $? "rawclient exit $rc: $out" "list: $list"
	done
	kill -0 "$pid"
	point "$bad_input_tap/daemon-alive" $? "the daemon is gone: $(tail -n 3 "$daemon_log")"
}
