#!/usr/bin/env bash
# demo.sh KERNEL INITRD VIRSH_INITRD OUTDIR
#
# make demo: the QEMU SVM machine with lamina.ko; in it `vmmd daemon`,
# and Debian's unmodified virsh defines, starts, inspects, suspends,
# resumes and shuts down (ACPI power button) a Debian guest. The
# machine's console is shown as it goes; a few minutes under TCG.
set -u

kernel=$1 initrd=$2 virsh_initrd=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
mkdir -p "$out"
cat "$initrd" "$virsh_initrd" >"$out/initrd.gz"
"$here/run-qemu-svm.sh" --kernel "$kernel" --initrd "$out/initrd.gz" \
	--out "$out/run" --append "nokaslr lamina.mode=demo" --timeout 900 &
runner=$!
while [ ! -f "$out/run/serial.log" ] && kill -0 "$runner" 2>/dev/null; do
	sleep 0.5
done
# From the daemon's start on; the boot messages before it are noise.
tail -n +1 -f "$out/run/serial.log" --pid "$runner" | tr -d '\r' |
	sed -n '/^# demo:/,/^LAMINA-RIG-DONE/p'
wait "$runner"
