#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# seeds.py DIR: starting corpora for the fuzzers, DIR/fuzz_rpc, DIR/fuzz_vmmsg and
# DIR/fuzz_domxml: a virsh-like session (handshake, define, list,
# lookups, dumpxml, autostart, undefine) and domain XML documents.
import os
import struct
import sys

PROG, VERS, CALL = 0x20008086, 1, 0

XML = """<domain type='lamina'>
  <name>f1</name>
  <uuid>6f1c2a3b-0000-4000-8000-000000000001</uuid>
  <title>t</title><description>d</description>
  <memory unit='MiB'>64</memory><currentMemory unit='KiB'>65536</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>/proc/self/exe</kernel>
    <initrd>/proc/self/exe</initrd><cmdline>console=ttyS0</cmdline></os>
  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='/proc/self/exe'/><target dev='vda' bus='virtio'/><readonly/></disk>
    <interface type='ethernet'><mac address='52:54:00:00:00:01'/><target dev='tap0'/></interface>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
  </devices>
</domain>
"""
UUID = bytes.fromhex("6f1c2a3b000040008000000000000001")


def s(x):
    b = x.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)


def dom(name="f1"):
    return s(name) + UUID + struct.pack(">i", -1)


def pkt(proc, body=b"", serial=0):
    hdr = struct.pack(">IIiIII", PROG, VERS, proc, CALL, serial, 0)
    return struct.pack(">I", 4 + len(hdr) + len(body)) + hdr + body


session = b"".join([
    pkt(66), pkt(60, struct.pack(">i", 10)),
    pkt(1, struct.pack(">I", 1) + s("lamina:///system") + struct.pack(">I", 0)),
    pkt(11, s(XML)), pkt(273, struct.pack(">iI", 1, 0)),
    pkt(23, s("f1")), pkt(24, UUID), pkt(22, struct.pack(">i", 1)),
    pkt(16, dom()), pkt(212, dom() + struct.pack(">I", 0)),
    pkt(14, dom() + struct.pack(">I", 0)), pkt(29, dom() + struct.pack(">i", 1)),
    pkt(15, dom()), pkt(6), pkt(4), pkt(59), pkt(9, dom()),
    pkt(231, dom() + struct.pack(">I", 0)), pkt(2),
])

# virsh create and virsh console: CREATE_XML, OPEN_CONSOLE, then stream
# packets (type STREAM 3, status CONTINUE 2 with bytes, then OK 0).
def stream(status, body=b"", serial=9):
    hdr = struct.pack(">IIiIII", PROG, VERS, 201, 3, serial, status)
    return struct.pack(">I", 4 + len(hdr) + len(body)) + hdr + body


console = b"".join([
    pkt(1, struct.pack(">I", 1) + s("lamina:///system") + struct.pack(">I", 0)),
    pkt(10, s(XML) + struct.pack(">I", 1)),
    pkt(201, dom() + struct.pack(">I", 1) + s("serial0") + struct.pack(">I", 1), 9),
    stream(2, b"ls\r"), stream(0), stream(1),
])

out = sys.argv[1]
for d in ("fuzz_rpc", "fuzz_domxml"):
    os.makedirs(os.path.join(out, d), exist_ok=True)
with open(os.path.join(out, "fuzz_rpc", "session"), "wb") as f:
    f.write(b"\x01\x00" + session)
with open(os.path.join(out, "fuzz_rpc", "session-split"), "wb") as f:
    f.write(b"\x00\x07" + session)
with open(os.path.join(out, "fuzz_rpc", "read-only"), "wb") as f:
    f.write(b"\x03\x00" + session)
with open(os.path.join(out, "fuzz_rpc", "console"), "wb") as f:
    f.write(b"\x01\x00" + console)
with open(os.path.join(out, "fuzz_domxml", "full.xml"), "w") as f:
    f.write(XML)
with open(os.path.join(out, "fuzz_domxml", "minimal.xml"), "w") as f:
    f.write("<domain type='lamina'><name>m</name><memory>65536</memory>"
            "<os><type>hvm</type><kernel>/k</kernel></os></domain>")

# fuzz_vmmsg: a direction byte (0: to the VM, 1: to the daemon), then one
# message: u8 version 1, u8 type, u16 0, u32 little-endian length, payload.
def vm(d, typ, payload=b""):
    return bytes([d, 1, typ, 0, 0]) + struct.pack("<I", len(payload)) + payload

os.makedirs(os.path.join(out, "fuzz_vmmsg"), exist_ok=True)
for name, seed in {
    "start": vm(0, 1, struct.pack("<IIQII", 2, 1, 256 << 20, 1, 1) + b"console=ttyS0"),
    "pause": vm(0, 2),
    "console-in": vm(0, 7, b"ls\r"),
    "state": vm(1, 64, struct.pack("<I", 2)),
    "console-out": vm(1, 65, b"login: "),
    "exit": vm(1, 66, struct.pack("<I", 0) + b"guest powered off (ACPI S5)"),
}.items():
    with open(os.path.join(out, "fuzz_vmmsg", name), "wb") as f:
        f.write(seed)


# fuzz_virtq (fuzz_virtq.c gives the layout): queue size 4, indirect on;
# chain 0 a direct virtio-blk read (header, 512 bytes, status), chain 3
# one indirect descriptor whose table holds the same request.
def desc(addr, ln, flags, nxt):
    return struct.pack("<QIHH", addr, ln, flags, nxt)


ram = bytearray(0x9000 + 6 + 8 * 4)
ram[0:64] = (desc(0x2000, 16, 1, 1) + desc(0x3000, 512, 3, 2) +
             desc(0x2010, 1, 2, 0) + desc(0x4000, 48, 4, 0))
ram[0x4000:0x4030] = (desc(0x5000, 16, 1, 1) + desc(0x3000, 512, 3, 2) +
                      desc(0x5010, 1, 2, 0))
ram[0x2000:0x2010] = struct.pack("<IIQ", 0, 0, 3)
ram[0x5000:0x5010] = struct.pack("<IIQ", 0, 0, 127)
ram[0x8000:0x8008] = struct.pack("<HHHH", 0, 2, 0, 3)
os.makedirs(os.path.join(out, "fuzz_virtq"), exist_ok=True)
with open(os.path.join(out, "fuzz_virtq", "seed-blk-read"), "wb") as f:
    f.write(bytes([2, 1]) + bytes(ram))
