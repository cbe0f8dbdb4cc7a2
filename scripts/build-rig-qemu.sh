#!/usr/bin/env bash
# build-rig-qemu.sh OUTDIR
#
# The QEMU machine's emulator: Debian's own qemu source package, the very
# version of the installed qemu-system-x86 (with every Debian patch), plus
# scripts/qemu/*.patch, built as qemu-system-x86_64 with TCG only into
# OUTDIR. The rig's runner (run-qemu-svm.sh) uses it; kvm.ko and lamina.ko
# run in the same binary, so their comparisons stay like for like.
#
# Why a patched emulator: QEMU 7.2's VMRUN delivers an injected external
# interrupt a second time when its vCPU thread is kicked at the wrong
# moment (scripts/qemu/svm-vmrun-intr-delivered-once.patch). The nested
# guest then takes an interrupt with IF = 0, or counts one interrupt too
# many: one CI run in three failed on that, not on lamina.
#
# Idempotent: OUTDIR/stamp names the source version and the patches'
# digest; nothing is fetched or built when it matches. Called by make deps
# (scripts/deps.sh), which installs the build dependencies. About 2.5
# minutes on two CPUs.
set -eu

out=$1
here=$(cd "$(dirname "$0")" && pwd)

srcver=$(dpkg-query -W -f='${source:Version}' qemu-system-x86)
patches=("$here"/qemu/*.patch)
stamp="qemu $srcver $(cat "${patches[@]}" | sha256sum | cut -c1-16)"
if [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ] &&
	[ -x "$out/qemu-system-x86_64" ]; then
	echo "rig-qemu: $stamp already built"
	exit 0
fi

echo "rig-qemu: building $stamp"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The source package, through a private apt state: the system's own
# sources turned into deb-src, its lists and configuration untouched.
mkdir -p "$work/apt/parts" "$work/apt/lists/partial"
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	sed 's/^Types:.*/Types: deb-src/' "$f" >"$work/apt/parts/$(basename "$f")"
done
if [ -f /etc/apt/sources.list ]; then
	sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list \
		>"$work/apt/parts/system.list"
fi
apt_src=(-o "Dir::Etc::SourceList=/dev/null"
	-o "Dir::Etc::SourceParts=$work/apt/parts"
	-o "Dir::State::Lists=$work/apt/lists")
apt-get "${apt_src[@]}" update -qq
(cd "$work" && apt-get "${apt_src[@]}" source --download-only -qq \
	"qemu=$srcver" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
# apt checked every file's digest against the signed archive index; the
# .dsc's own signature cannot be checked without debian-keyring, which
# dpkg-source says at length: its output shows only on failure.
dsc=$(ls "$work"/qemu_*.dsc)
dpkg-source -x "$dsc" "$work/src" >"$work/unpack.log" 2>&1 ||
	{ cat "$work/unpack.log" >&2; exit 1; }

for p in "${patches[@]}"; do
	patch -d "$work/src" -p1 --quiet <"$p"
done

# TCG, x86_64 system emulation, no front ends: what the rig's command line
# uses (q35, a serial file, a monitor socket, -kernel/-initrd). Firmware
# from where Debian's own build looks for it.
mkdir -p "$work/src/build"
(cd "$work/src/build" &&
	../configure --target-list=x86_64-softmmu --without-default-features \
		--enable-tcg --enable-fdt=system --disable-docs --disable-werror \
		--disable-tools \
		--firmwarepath=/usr/share/qemu:/usr/share/seabios:/usr/lib/ipxe/qemu \
		>"$work/configure.log" 2>&1) ||
	{ tail -n 20 "$work/configure.log" >&2; exit 1; }
ninja -C "$work/src/build" -j "$(nproc)" qemu-system-x86_64 \
	>"$work/build.log" 2>&1 ||
	{ tail -n 30 "$work/build.log" >&2; exit 1; }

mkdir -p "$out"
install -m 0755 "$work/src/build/qemu-system-x86_64" "$out/qemu-system-x86_64"
echo "$stamp" >"$out/stamp"
echo "rig-qemu: $out/qemu-system-x86_64 ready"
