#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `vmmd run` refuses bad input before any VM exists: each case checks the
# exit status (docs/vmmd.1.md) and that the message names the problem.
# No hypervisor is needed for those: every case fails before the device
# is opened, or opens one that is not a hypervisor (/dev/null). Then, where
# /dev/kvm runs tiny guests, how a VM ends: triple fault, console output
# and ACPI power-off, i8042 reset, SIGTERM. TAP 13.
# usage: validation.sh VMMD WORKDIR
set -u

vmmd=$1 work=$2
mkdir -p "$work"
n=0
failed=0

# expect NAME STATUS MESSAGE-REGEX -- ARGS...
expect() {
	local name=$1 want=$2 re=$3 out rc
	shift 4
	out=$(timeout 20 "$vmmd" "$@" 2>&1 </dev/null)
	rc=$?
	n=$((n + 1))
	if [ "$rc" = "$want" ] && echo "$out" | grep -Eq -- "$re"; then
		echo "ok $n vmmd/$name"
	else
		echo "not ok $n vmmd/$name"
		echo "# exit $rc (want $want), output:"
		echo "$out" | head -n 5 | sed 's/^/#   /'
		failed=1
	fi
}

# A synthetic bzImage: a setup header with the fields vmmd checks, then a
# small protected-mode part; code=HEX puts machine code at its 64-bit
# entry (load address + 0x200). mkbz FILE [field=value]...
mkbz() {
	python3 - "$@" <<'PY'
import struct, sys
f = dict(version=0x020f, loadflags=1, xloadflags=1, setup_sects=1,
         syssize=0x100, initrd_addr_max=0x7fffffff, cmdline_size=0x7ff,
         pref_address=0x1000000, init_size=0x200000, size=1024 + 4096,
         magic=0x53726448, boot_flag=0xaa55)
code = b''
for a in sys.argv[2:]:
    k, v = a.split('=')
    if k == 'code':
        code = bytes.fromhex(v)
    else:
        f[k] = int(v, 0)
img = bytearray(f['size'])
struct.pack_into('<B', img, 0x1f1, f['setup_sects'])
struct.pack_into('<I', img, 0x1f4, f['syssize'])
struct.pack_into('<H', img, 0x1fe, f['boot_flag'])
struct.pack_into('<BB', img, 0x200, 0xeb, 0x6a)    # jmp over the header
struct.pack_into('<I', img, 0x202, f['magic'])
struct.pack_into('<H', img, 0x206, f['version'])
struct.pack_into('<B', img, 0x211, f['loadflags'])
struct.pack_into('<I', img, 0x22c, f['initrd_addr_max'])
struct.pack_into('<I', img, 0x230, 0x200000)
struct.pack_into('<H', img, 0x236, f['xloadflags'])
struct.pack_into('<I', img, 0x238, f['cmdline_size'])
struct.pack_into('<Q', img, 0x258, f['pref_address'])
struct.pack_into('<I', img, 0x260, f['init_size'])
entry = (f['setup_sects'] + 1) * 512 + 0x200
img[entry:entry + len(code)] = code
open(sys.argv[1], 'wb').write(img)
PY
}

echo "TAP version 13"
good=$work/good.bz
mkbz "$good"
mkbz "$work/old.bz" version=0x0200
mkbz "$work/no64.bz" xloadflags=0
mkbz "$work/zimage.bz" loadflags=0
mkbz "$work/short.bz" syssize=0x1000
mkbz "$work/nomagic.bz" magic=0
mkbz "$work/lowinitrd.bz" initrd_addr_max=0x15fffff
mkbz "$work/shortcmd.bz" cmdline_size=16
head -c 100 /dev/zero >"$work/tiny.bin"
: >"$work/empty.bin"
head -c $((5 << 20)) /dev/zero >"$work/initrd-5m.bin"
head -c 4096 /dev/zero >"$work/initrd-4k.bin"
head -c $((16 << 20)) /dev/zero >"$work/initrd-16m.bin"

# Flags (exit 2).
expect help 0 'vmmd run --kernel' -- --help
expect run-help 0 '--cpus' -- run --help
expect no-command 2 'usage' --
expect unknown-command 2 'usage' -- start
expect no-kernel 2 '--kernel BZIMAGE is required' -- run
expect raw-with-kernel 2 '--raw-payload takes no' -- run --raw-payload "$work/tiny.bin" --kernel "$good"
expect raw-with-cmdline 2 '--raw-payload takes no' -- run --raw-payload "$work/tiny.bin" --cmdline x
expect raw-too-big 4 'do not fit between 1 MiB' -- run --raw-payload "$work/initrd-16m.bin" --mem 16M --dev /dev/null
expect unknown-flag 2 "unknown flag '--bogus'" -- run --kernel "$good" --bogus
expect flag-without-value 2 '--mem needs a value' -- run --kernel "$good" --mem
expect stray-argument 2 "unexpected argument 'extra'" -- run --kernel "$good" extra
expect mem-not-a-size 2 "--mem '12X'" -- run --kernel "$good" --mem 12X
expect mem-too-small 2 'at least 16M' -- run --kernel "$good" --mem 1M
expect mem-absurd 2 "--mem '99999999G'" -- run --kernel "$good" --mem 99999999G
expect cpus-zero 2 "--cpus '0'" -- run --kernel "$good" --cpus 0
expect cpus-too-many 2 "--cpus '65'" -- run --kernel "$good" --cpus 65
expect cpus-not-a-number 2 "--cpus 'two'" -- run --kernel "$good" --cpus two
expect empty-path 2 'non-empty path' -- run --kernel ""

# Files (exit 3).
expect kernel-missing 3 'No such file' -- run --kernel "$work/none.bz"
expect kernel-directory 3 'not a regular file' -- run --kernel "$work"
expect kernel-empty 3 'empty file' -- run --kernel "$work/empty.bin"
expect kernel-tiny 3 'not a bzImage' -- run --kernel "$work/tiny.bin"
expect kernel-no-header 3 'not a bzImage' -- run --kernel "$work/nomagic.bz"
expect kernel-old-protocol 3 'boot protocol 2.00 is too old' -- run --kernel "$work/old.bz"
expect kernel-zimage 3 'zImage' -- run --kernel "$work/zimage.bz"
expect kernel-no-64bit-entry 3 'XLF_KERNEL_64' -- run --kernel "$work/no64.bz"
expect kernel-truncated 3 'truncated' -- run --kernel "$work/short.bz"
expect initrd-missing 3 "initrd '.*none': No such file" -- run --kernel "$good" --initrd "$work/none"
expect initrd-empty 3 'empty file' -- run --kernel "$good" --initrd "$work/empty.bin"
expect disk-missing 3 'cannot open disk .*none.img: No such file' -- \
	run --kernel "$good" --disk "$work/none.img"
expect disk-ro-missing 3 'none.img \(read-only\)' -- \
	run --kernel "$good" --disk "$work/none.img,ro"
expect disk-empty-path 2 "--disk ',ro'" -- run --kernel "$good" --disk ,ro
expect disk-too-many 2 'at most 16' -- run --kernel "$good" \
	$(for d in a b c d e f g h i j k l m n o p q; do echo --disk $d; done)
expect net-empty-name 2 "--net ',mac=52:54:00:00:00:01'" -- \
	run --kernel "$good" --net ,mac=52:54:00:00:00:01
expect net-long-name 2 "--net 'abcdefghijklmnop'" -- \
	run --kernel "$good" --net abcdefghijklmnop
expect net-multicast-mac 2 "a unicast address" -- \
	run --kernel "$good" --net tap0,mac=01:00:5e:00:00:01
expect net-bad-mac 2 "--net 'tap0,mac=52:54:00:00:00'" -- \
	run --kernel "$good" --net tap0,mac=52:54:00:00:00
expect net-bad-option 2 "--net 'tap0,vhost=on'" -- \
	run --kernel "$good" --net tap0,vhost=on
expect net-too-many 2 'at most 8' -- run --kernel "$good" \
	$(for d in a b c d e f g h i; do echo --net t$d; done)
# Not a tap device: attaching fails before any VM (exit 3).
expect net-not-a-tap 3 "--net lo: cannot attach to the tap device" -- \
	run --kernel "$good" --net lo

# Fit (exit 4).
expect mem-below-kernel 4 'too little memory: the kernel needs 18 MiB' -- run --kernel "$good" --mem 16M
expect initrd-over-addr-max 4 "initrd too large.*initrd_addr_max" -- \
	run --kernel "$work/lowinitrd.bz" --initrd "$work/initrd-5m.bin" --mem 64M
expect initrd-over-ram 4 'too little memory.*with this initrd' -- \
	run --kernel "$good" --initrd "$work/initrd-5m.bin" --mem 20M
expect cmdline-too-long 4 'at most 16' -- \
	run --kernel "$work/shortcmd.bz" --cmdline "console=ttyS0 panic=-1 loglevel=7"

# Device (exit 5), only after the files passed; a bad file wins over it.
expect dev-missing 5 'cannot open /dev/none-such' -- \
	run --kernel "$good" --initrd "$work/initrd-4k.bin" --dev /dev/none-such
expect dev-not-a-hypervisor 5 'speaks KVM API -1' -- run --kernel "$good" --dev /dev/null
expect file-checked-before-dev 3 'not a bzImage' -- \
	run --kernel "$work/tiny.bin" --dev /dev/none-such

# Tiny guests on /dev/kvm (the build machine's runs them; skipped where
# there is none): how a VM ends decides vmmd's exit status.
out_port() { # out_port PORT16 BYTE: mov dx, PORT; mov al, BYTE; out dx, al
	printf '66ba%02x%02xb0%02xee' $(($1 & 0xff)) $(($1 >> 8)) "$2"
}
out_str() { # out_str STRING: each byte to COM1
	local str=$1 i
	for ((i = 0; i < ${#str}; i++)); do
		out_port 0x3f8 "'${str:i:1}"
	done
}
mkbz "$work/ud2.bz" code=0f0b
mkbz "$work/hello-off.bz" code="$(out_port 0x3f8 0x68)$(out_port 0x3f8 0x69)$(out_port 0x3f8 0x0a)66ba040666b8003466eff4ebfd"
mkbz "$work/reset.bz" code="$(out_port 0x64 0xfe)f4ebfd"
mkbz "$work/spin.bz" code=ebfe
# A panic line split by a pause of 131072 port reads (vmmd flushes partial
# lines every 100 ms),
# then a reset, as panic=-1 does: still a panic.
mkbz "$work/panic.bz" code="$(out_str "Kernel pan")b900000200e480e2fc$(out_str "ic - not syncing: test")$(out_port 0x3f8 0x0a)$(out_port 0x64 0xfe)f4ebfd"
if "$vmmd" probe --dev /dev/kvm >/dev/null 2>&1; then
	expect guest-triple-fault 7 'triple fault' -- run --kernel "$work/ud2.bz" --mem 32M --dev /dev/kvm
	expect guest-console-and-poweroff 0 '^hi$' -- run --kernel "$work/hello-off.bz" --mem 32M --cpus 2 --dev /dev/kvm
	expect guest-i8042-reset 6 'i8042 reset' -- run --kernel "$work/reset.bz" --mem 32M --dev /dev/kvm
	expect guest-panic-then-reset 8 'guest kernel panicked, then' -- run --kernel "$work/panic.bz" --mem 32M --dev /dev/kvm
	# SIGTERM after 1 s: torn down, status 9, where the vCPUs were.
	n=$((n + 1))
	"$vmmd" run --kernel "$work/spin.bz" --mem 32M --cpus 2 --dev /dev/kvm \
		</dev/null >"$work/spin.out" 2>&1 &
	pid=$!
	sleep 1
	kill -TERM $pid
	wait $pid
	rc=$?
	if [ $rc = 9 ] && grep -q 'stopped by SIGTERM' "$work/spin.out" &&
	   grep -q 'vCPU 1: rip' "$work/spin.out"; then
		echo "ok $n vmmd/guest-sigterm-teardown"
	else
		echo "not ok $n vmmd/guest-sigterm-teardown"
		echo "# exit $rc (want 9)"
		sed 's/^/#   /' "$work/spin.out"
		failed=1
	fi
else
	for t in guest-triple-fault guest-console-and-poweroff guest-i8042-reset \
		guest-panic-then-reset guest-sigterm-teardown; do
		n=$((n + 1))
		echo "ok $n vmmd/$t # SKIP no usable /dev/kvm here"
	done
fi

echo "1..$n"
exit $failed
