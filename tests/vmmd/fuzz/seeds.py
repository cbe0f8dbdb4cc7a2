#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# seeds.py DIR: starting corpora for the fuzzers, DIR/fuzz_rpc and
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

out = sys.argv[1]
for d in ("fuzz_rpc", "fuzz_domxml"):
    os.makedirs(os.path.join(out, d), exist_ok=True)
with open(os.path.join(out, "fuzz_rpc", "session"), "wb") as f:
    f.write(b"\x01\x00" + session)
with open(os.path.join(out, "fuzz_rpc", "session-split"), "wb") as f:
    f.write(b"\x00\x07" + session)
with open(os.path.join(out, "fuzz_rpc", "read-only"), "wb") as f:
    f.write(b"\x03\x00" + session)
with open(os.path.join(out, "fuzz_domxml", "full.xml"), "w") as f:
    f.write(XML)
with open(os.path.join(out, "fuzz_domxml", "minimal.xml"), "w") as f:
    f.write("<domain type='lamina'><name>m</name><memory>65536</memory>"
            "<os><type>hvm</type><kernel>/k</kernel></os></domain>")
