#!/usr/bin/env bash
# bench.sh KERNEL_ROOT KVER LAMINA_KO TESTS_DIR BENCH_BIN VIRTIO_BENCH VMMD
#          OUTDIR [svm] [vmx]
#
# make bench: boots each emulated machine of the rig with the kernel
# command-line switch lamina.mode=bench, which makes /init run
# exit_roundtrip and then vmmd's Linux boot (1 and 2 vCPUs) on kvm.ko and
# then on lamina.ko instead of the suites, and prints per machine the
# nanoseconds per exit round trip, the boot-to-/init seconds, and the
# lamina/kvm ratios. In the machines BENCH_VIRTIO names (default: svm),
# also the virtio figures: virtio-blk and guest<->host TCP throughput in
# the nested guest, the same vmmd on each device (VIRTIO_BENCH is the
# static program that runs the transfers on both ends); with BENCH_QEMU=1,
# the same guest workload under Debian's QEMU on kvm.ko as a second
# reference (its binary, libraries and firmware in an archive appended
# to the initramfs: mkinitramfs-qemu.sh). With BENCH_VIRSH_INITRD (the
# daemon, virsh and their libraries: mkinitramfs-virsh.sh), each machine
# boots once more for the control plane's figures: the virsh phase's
# lifecycle with two VMs (lamina.virsh=two, and kvm for kvm.ko's in
# QEMU's machine), whose lines say the daemon's RSS, the VM process's
# RSS beyond guest RAM, vmmd's time from the start call to the guest's
# first instruction and virsh list's round trip. Not a test: no
# thresholds (docs/bench.md).
set -eu

kroot=$1 kver=$2 lamina_ko=$3 tests=$4 bench_bin=$5 virtio_bench=$6 vmmd=$7 out=$8
shift 8
machines=${*:-svm vmx}
virtio_machines=${BENCH_VIRTIO-svm}
here=$(cd "$(dirname "$0")" && pwd)
vmlinuz=$kroot/boot/vmlinuz-$kver

mkdir -p "$out"
# The rig's initramfs, with the bench program beside the tests.
stage=$out/tests
rm -rf "$stage"
mkdir -p "$stage"
cp -a "$tests"/. "$stage/"
install -m 0755 "$bench_bin" "$stage/exit_roundtrip"
install -m 0755 "$virtio_bench" "$stage/virtio_bench"
# The nested guest's initramfs: the rig's, with virtio_bench in /bin.
"$here/mkinitramfs-linux-boot.sh" "$out/nested-initrd.gz" \
	"$kroot/lib/modules/$kver/kernel" "$virtio_bench"
"$here/mkinitramfs.sh" "$kroot" "$kver" "$lamina_ko" "$stage" "$out/initrd.gz" \
	"$vmmd" "$out/nested-initrd.gz"
if [ -n "${BENCH_QEMU:-}" ]; then
	"$here/mkinitramfs-qemu.sh" "$out/qemu-initrd.gz"
	cat "$out/qemu-initrd.gz" >>"$out/initrd.gz"
fi

# ratio KVM_NS LAMINA_NS: lamina/kvm with two decimals.
ratio() {
	awk -v k="$1" -v l="$2" 'BEGIN { if (k > 0) printf "%.2f", l / k; else print "-" }'
}

# rate MODE DEV: a virtio figure of machine $m.
rate() {
	awk -v k="$1" -v d="$2" '$2 == k && $3 == d { print $7 }' "$out/$m.results"
}

# Each machine's runner, for the bench boot and the control-plane boot.
declare -A runners=([svm]=$here/run-qemu-svm.sh [vmx]=$here/run-bochs-vmx.sh)

status=0
for m in $machines; do
	case $m in
	svm) what="QEMU TCG, AMD SVM+NPT, wall time" ;;
	vmx) what="Bochs, Intel VMX+EPT, virtual time" ;;
	*) echo "bench: unknown machine $m" >&2; exit 2 ;;
	esac
	runner=${runners[$m]}
	append="nokaslr lamina.mode=bench"
	case " $virtio_machines " in *" $m "*) append="$append lamina.vbench=1" ;; esac
	if ! "$runner" --kernel "$vmlinuz" --initrd "$out/initrd.gz" \
		--out "$out/$m" --timeout 1800 --append "$append" \
		>"$out/$m.runner.log" 2>&1; then
		echo "bench-$m: the machine did not finish (see $out/$m/serial.log)" >&2
		status=1
	fi
	tr -d '\r' <"$out/$m/serial.log" | grep '^BENCH ' >"$out/$m.results" || true
	echo "== $m ($what)"
	printf '%-6s %14s %14s %11s\n' kind "kvm ns/exit" "lamina ns/exit" "lamina/kvm"
	for kind in pio cpuid; do
		k=$(awk -v k=$kind '$2 == k && $3 == "kvm" { print $6 }' "$out/$m.results")
		l=$(awk -v k=$kind '$2 == k && $3 == "lamina" { print $6 }' "$out/$m.results")
		printf '%-6s %14s %14s %11s\n' "$kind" "${k:--}" "${l:--}" \
			"$(ratio "${k:-0}" "${l:-0}")"
	done
	# BENCH boot-<n>cpu <dev> <vmmd exit> <guest s> <host s>
	printf '%-10s %9s %9s %6s %9s %9s %6s\n' boot "kvm guest" "lamina" \
		ratio "kvm host" "lamina" ratio
	for kind in boot-1cpu boot-2cpu; do
		set -- $(awk -v k=$kind '$2 == k && $3 == "kvm" && $4 == 0 { print $5, $6 }' "$out/$m.results") - -
		kg=$1 kh=$2
		set -- $(awk -v k=$kind '$2 == k && $3 == "lamina" && $4 == 0 { print $5, $6 }' "$out/$m.results") - -
		lg=$1 lh=$2
		printf '%-10s %9s %9s %6s %9s %9s %6s\n' "$kind" "$kg" "$lg" \
			"$(ratio "${kg/-/0}" "${lg/-/0}")" "$kh" "$lh" \
			"$(ratio "${kh/-/0}" "${lh/-/0}")"
	done
	grep -q '^BENCH blk-' "$out/$m.results" || continue
	# BENCH <mode> <dev> <operations> <bytes> <ns> <rate> <unit>; the
	# ratios are lamina's rate over kvm's (vmmd on kvm.ko) and over
	# qemu's (QEMU on kvm.ko): above 1, lamina.ko is faster.
	printf '%-14s %-5s %9s %9s %7s %9s %7s\n' virtio unit kvm lamina ratio \
		qemu ratio
	for mode in blk-seq-write blk-seq-read blk-rand-read tcp-send tcp-sink \
		tcp-recv tcp-source; do
		k=$(rate $mode kvm) l=$(rate $mode lamina) q=$(rate $mode qemu)
		unit=$(awk -v k=$mode '$2 == k { print $8; exit }' "$out/$m.results")
		printf '%-14s %-5s %9s %9s %7s %9s %7s\n' "$mode" "${unit:--}" \
			"${k:--}" "${l:--}" "$(ratio "${k:-0}" "${l:-0}")" \
			"${q:--}" "$(ratio "${q:-0}" "${l:-0}")"
	done
	# BENCH-TIME vbench <dev> <s>: what the virtio part cost per device.
	echo "virtio part, wall s in the machine:" $(tr -d '\r' <"$out/$m/serial.log" |
		awk '$1 == "BENCH-TIME" && $2 == "vbench" { printf "%s %s ", $3, $4 }')
	grep '^BENCH-FAILED' "$out/$m/serial.log" >&2 || true
done

# The control plane, per machine: the figure lines the virsh phase prints
# ("# virsh-lifecycle/DEV: figure: ..." and the start time), as they are.
[ -n "${BENCH_VIRSH_INITRD:-}" ] || exit $status
cat "$out/initrd.gz" "$BENCH_VIRSH_INITRD" >"$out/virsh-initrd.gz"
for m in $machines; do
	parts=two
	[ "$m" = svm ] && parts=two,kvm
	if ! "${runners[$m]}" --kernel "$vmlinuz" --initrd "$out/virsh-initrd.gz" \
		--out "$out/$m-virsh" --timeout 2700 \
		--append "nokaslr lamina.only=virsh lamina.virsh=$parts" \
		>"$out/$m-virsh.runner.log" 2>&1; then
		echo "bench-$m: the virsh machine did not finish (see $out/$m-virsh/serial.log)" >&2
		status=1
	fi
	echo "== $m, control plane (virsh phase: lifecycle, two VMs)"
	tr -d '\r' <"$out/$m-virsh/serial.log" |
		sed -n 's/^# \(virsh-lifecycle\/[a-z]*\): \(figure: \|\)\(.*\(RSS\|virsh list\|first instruction\).*\)$/\1: \3/p'
done
exit $status
