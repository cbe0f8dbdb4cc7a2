#!/usr/bin/env bash
# mkinitramfs.sh KERNEL_ROOT KVER LAMINA_KO TESTS_DIR OUT.gz [VMMD NESTED_INITRD]
#
# The rig's initramfs: static busybox, Debian's kvm modules (the
# baseline), lamina.ko, the test binaries and scripts/guest/init; with
# VMMD, also vmmd, the rig's own kernel and NESTED_INITRD under /vmmd for
# the linux-boot phase (vmmd boots that kernel as a nested guest), the
# virtio-blk tests' disk (/vmmd/disk.img: ext4 with one file the rig
# wrote), the loop module the rig mounts that disk with afterwards and
# the tun module the virtio-net test makes its tap device with.
set -eu

kroot=$1 kver=$2 lamina_ko=$3 tests=$4 out=$5 vmmd=${6:-} nested_initrd=${7:-}
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d "${out%.gz}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,proc,sys,dev,tmp,lib/modules,tests}
cp /bin/busybox "$stage/bin/busybox"
for applet in $("$stage/bin/busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$stage/bin/$applet"
done

kmods=$kroot/lib/modules/$kver/kernel
for ko in virt/lib/irqbypass.ko arch/x86/kvm/kvm.ko \
	arch/x86/kvm/kvm-amd.ko arch/x86/kvm/kvm-intel.ko; do
	cp "$kmods/$ko" "$stage/lib/modules/"
done
cp "$lamina_ko" "$stage/lib/modules/lamina.ko"

cp -a "$tests"/. "$stage/tests/"
install -m 0755 "$here/guest/init" "$stage/init"

if [ -n "$vmmd" ]; then
	mkdir -p "$stage/vmmd"
	cp "$vmmd" "$stage/vmmd/vmmd"
	cp "$kroot/boot/vmlinuz-$kver" "$stage/vmmd/bzImage"
	cp "$nested_initrd" "$stage/vmmd/initrd.gz"
	cp "$kmods/drivers/block/loop.ko" "$kmods/drivers/net/tun.ko" \
		"$stage/lib/modules/"
	mkdir -p "$stage/disk-src"
	echo "written by the rig" >"$stage/disk-src/rig.txt"
	truncate -s 16M "$stage/vmmd/disk.img"
	mkfs.ext4 -q -F -L lamina -d "$stage/disk-src" "$stage/vmmd/disk.img"
	rm -rf "$stage/disk-src"
fi

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
