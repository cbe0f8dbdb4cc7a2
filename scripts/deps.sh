#!/usr/bin/env bash
# make deps: install every Debian package lamina needs and fetch the rig's
# guest kernel (image + matching headers) into build/kernel/.
#
# Idempotent: packages already installed are skipped by apt-get, and the
# kernel is fetched again only when Debian's linux-image-cloud-amd64 points
# at a version we do not have yet.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
kdir=$top/build/kernel

# Grouped by who needs them; see docs/architecture.md for the rig.
packages=(
	# host build: module (gcc-12 is what Debian builds its kernel with),
	# libvmm, vmmd, tests
	build-essential gcc-12 make bc kmod linux-libc-dev
	# vmmd's control daemon: domain XML; the host tests drive the real
	# virsh against it and fuzz it with libFuzzer
	libxml2-dev pkg-config libvirt-clients clang libfuzzer-14-dev python3
	# the per-VM process's sandbox: seccomp filter, capabilities
	libseccomp-dev libcap-ng-dev
	# guest initramfs; mkfs.ext4 -d makes the virtio-blk tests' disk
	busybox-static cpio gzip e2fsprogs
	# AMD SVM machine: QEMU TCG, rebuilt from Debian's source with the
	# rig's patch (scripts/build-rig-qemu.sh); Debian's binary package
	# names the version and brings the firmware
	qemu-system-x86 meson libglib2.0-dev libpixman-1-dev libfdt-dev
	# Intel VMX machine: Bochs booting an isolinux ISO, run under script(1);
	# its term display (the only one without X) is in bochs-term
	bochs bochs-term bochsbios vgabios isolinux syslinux-common xorriso bsdutils
	# proofs: Frama-C/WP and its provers
	frama-c-base why3 z3 cvc4 cvc5
	# scripts/verify.sh compiles scripts/wp-poll.ml against Frama-C
	ocaml ocaml-findlib
)

# Always refresh the lists: the kernel version below must be the archive's
# current one, or apt-get download asks for a file that is gone.
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# WP calls provers through Why3, which needs to know where they are.
[ -f "$HOME/.why3.conf" ] || why3 config detect >/dev/null

# The QEMU machine's emulator, patched (scripts/qemu/); skipped when built.
"$top/scripts/build-rig-qemu.sh" "$top/build/qemu"

# The guest kernel version moves with Debian security updates: resolve it
# from the meta-package every time, never hard-code it.
ver=$(apt-cache depends linux-image-cloud-amd64 |
	sed -n 's/^ *Depends: linux-image-\(.*-cloud-amd64\)$/\1/p' | head -n 1)
if [ -z "$ver" ]; then
	echo "deps: cannot resolve linux-image-cloud-amd64's kernel version" >&2
	exit 1
fi

if [ "$(cat "$kdir/version" 2>/dev/null)" = "$ver" ] &&
	[ -f "$kdir/root/boot/vmlinuz-$ver" ]; then
	echo "deps: guest kernel $ver already in build/kernel"
	exit 0
fi

echo "deps: fetching guest kernel $ver (image and matching headers)"
rm -rf "$kdir"
mkdir -p "$kdir/debs" "$kdir/root"
kbuild=$(apt-cache depends "linux-headers-$ver" |
	sed -n 's/^ *Depends: \(linux-kbuild-.*\)$/\1/p' | head -n 1)
common=$(apt-cache depends "linux-headers-$ver" |
	sed -n 's/^ *Depends: \(linux-headers-.*-common\)$/\1/p' | head -n 1)
(cd "$kdir/debs" && apt-get download -qq \
	"linux-image-$ver" "linux-headers-$ver" "$common" "$kbuild" 2>&1 |
	grep -v '^W: Download is performed unsandboxed' || true)
for deb in "$kdir"/debs/*.deb; do
	dpkg-deb -x "$deb" "$kdir/root"
done

# The headers' Makefile includes the -common tree by its absolute /usr/src
# path; point it at our extracted copy so nothing is installed system-wide.
sed -i "s#^include /usr/src/#include $kdir/root/usr/src/#" \
	"$kdir/root/usr/src/linux-headers-$ver/Makefile"

[ -f "$kdir/root/boot/vmlinuz-$ver" ] || { echo "deps: no vmlinuz in image" >&2; exit 1; }
echo "$ver" >"$kdir/version"
echo "deps: guest kernel $ver ready"
