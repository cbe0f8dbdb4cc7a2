#!/usr/bin/env bash
# mkinitramfs-linux-boot.sh OUT.gz
#
# The initramfs of the nested guest vmmd boots in the rig: static busybox
# and scripts/guest/linux-boot-init as /init. Nothing else: the guest
# kernel's own drivers are built in.
set -eu

out=$1
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d "${out%.gz}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,proc,dev}
cp /bin/busybox "$stage/bin/busybox"
for applet in sh mount grep cut poweroff; do
	ln -s busybox "$stage/bin/$applet"
done
install -m 0755 "$here/guest/linux-boot-init" "$stage/init"

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -9 >"$out.tmp"
mv "$out.tmp" "$out"
