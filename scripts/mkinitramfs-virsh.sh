#!/usr/bin/env bash
# mkinitramfs-virsh.sh OUT.gz VMMD VMMD_VM RAWCLIENT
#
# The rig's virsh phase adds this archive after the rig's initramfs (the
# kernel unpacks concatenated archives in order): the dynamically linked
# vmmd (the daemon) and beside it the VM process's binary vmmd-vm (which
# the daemon finds next to itself), the stock virsh, util-linux's
# `script` (a pty for `virsh console`), every library `ldd` names for
# them, scripts/guest/virsh-phase.sh with the virsh-bad-input cases it
# shares with the host test (tests/vmmd/bad-input.sh) and their raw-packet
# client. Kept apart so the
# other phases do not unpack ~60 MB they never use.
set -eu

out=$1 vmmd=$2 vmmd_vm=$3 rawclient=$4
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d "${out%.gz}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

virsh=$(command -v virsh)
script=$(command -v script)
mkdir -p "$stage/usr/bin" "$stage/virsh"
cp "$vmmd" "$stage/usr/bin/vmmd"
cp "$vmmd_vm" "$stage/usr/bin/vmmd-vm"
cp "$virsh" "$stage/usr/bin/virsh"
cp "$script" "$stage/usr/bin/script"
cp "$rawclient" "$stage/usr/bin/rawclient"
# The loader and each library at the path ldd resolved it to; vmmd-vm
# is static (vmmd/Makefile) and needs none.
for lib in $(ldd "$vmmd" "$virsh" "$script" "$rawclient" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' | sort -u); do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done
install -m 0755 "$here/guest/virsh-phase.sh" "$stage/virsh/phase.sh"
install -m 0644 "$here/../tests/vmmd/bad-input.sh" "$stage/virsh/bad-input.sh"

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
