#!/usr/bin/env bash
# mkinitramfs-linux-boot.sh OUT.gz [KMODS]
#
# The initramfs of the nested guest vmmd boots in the rig: static busybox
# and scripts/guest/linux-boot-init as /init; with KMODS (the guest
# kernel's lib/modules/VER/kernel), its ACPI button and evdev modules,
# which the virsh phase's power button needs.
set -eu

out=$1 kmods=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d "${out%.gz}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,proc,dev,lib}
cp /bin/busybox "$stage/bin/busybox"
for applet in sh mount grep cut poweroff insmod dd ls mkdir sleep echo cat uname; do
	ln -s busybox "$stage/bin/$applet"
done
install -m 0755 "$here/guest/linux-boot-init" "$stage/init"
if [ -n "$kmods" ]; then
	cp "$kmods/drivers/acpi/button.ko" "$kmods/drivers/input/evdev.ko" "$stage/lib/"
fi

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -9 >"$out.tmp"
mv "$out.tmp" "$out"
