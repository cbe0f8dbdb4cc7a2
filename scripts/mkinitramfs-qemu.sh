#!/usr/bin/env bash
# mkinitramfs-qemu.sh OUT.gz
#
# make bench's second reference (BENCH_QEMU=1, docs/bench.md): Debian's
# qemu-system-x86_64, every library `ldd` names for it, and the firmware
# it loads for a direct kernel boot (SeaBIOS, linuxboot_dma.bin), as an
# archive appended to the bench's initramfs (the kernel unpacks
# concatenated archives in order). Kept apart: ~50 MB the rest of the
# bench does not use.
set -eu

out=$1
stage=$(mktemp -d "${out%.gz}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

qemu=$(command -v qemu-system-x86_64)
mkdir -p "$stage/usr/bin" "$stage/usr/share"
cp "$qemu" "$stage/usr/bin/qemu-system-x86_64"
# The loader and each library at the path ldd resolved it to.
for lib in $(ldd "$qemu" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' | sort -u); do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done
# QEMU looks in ../share/qemu and ../share/seabios beside its binary.
cp -rL /usr/share/qemu /usr/share/seabios "$stage/usr/share/"

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
