#!/usr/bin/env bash
# mkinitramfs-linux-boot.sh OUT.gz [KMODS [BIN...]]
#
# The initramfs of the nested guest vmmd boots in the rig: static busybox
# and scripts/guest/linux-boot-init as /init; with KMODS (the guest
# kernel's lib/modules/VER/kernel), its ACPI button and evdev modules,
# which the virsh phase's power button needs, the virtio PCI, block
# and entropy modules the virtio-blk tests load, and virtio_net (with the
# failover modules it needs) for the virtio-net test. Each BIN (a static
# program: make bench's virtio_bench) goes into /bin.
set -eu

out=$1 kmods=${2:-}
shift $(($# < 2 ? $# : 2))
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d "${out%.gz}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,proc,sys,dev,lib,mnt}
cp /bin/busybox "$stage/bin/busybox"
for applet in sh mount grep cut poweroff insmod dd ls mkdir sleep echo cat uname \
	umount sync sha256sum seq touch dmesg tr sed wc ip ping nc head timeout mkfifo rm fstrim; do
	ln -s busybox "$stage/bin/$applet"
done
install -m 0755 "$here/guest/linux-boot-init" "$stage/init"
if [ -n "$kmods" ]; then
	cp "$kmods/drivers/acpi/button.ko" "$kmods/drivers/input/evdev.ko" "$stage/lib/"
	for ko in virtio/virtio_ring virtio/virtio virtio/virtio_pci_legacy_dev \
		virtio/virtio_pci_modern_dev virtio/virtio_pci block/virtio_blk \
		char/hw_random/virtio-rng net/net_failover net/virtio_net; do
		cp "$kmods/drivers/$ko.ko" "$stage/lib/"
	done
	cp "$kmods/net/core/failover.ko" "$stage/lib/"
fi
for bin in "$@"; do
	install -m 0755 "$bin" "$stage/bin/"
done

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -9 >"$out.tmp"
mv "$out.tmp" "$out"
