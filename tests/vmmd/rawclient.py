#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# rawclient.py SOCKET CASE [ARGS]: speaks (or breaks) libvirt's remote
# protocol on the daemon's socket directly, for what virsh never sends.
# Prints one line saying what the daemon did; exits 0 when that is what
# the case expects, 1 otherwise.
#   oversize       length above 16 MiB + 4: the daemon closes the connection
#   undersize      length below the header: the daemon closes it
#   truncated      half a packet, then close: nothing to answer
#   random         4 KiB of random bytes: closed or answered, never a hang
#   unknown-proc   procedure 9999: NO_SUPPORT, "procedure 9999 is not supported by lamina"
#   wrong-program  program 0x12345678: an RPC error
#   wrong-version  version 2: an RPC error
#   clients N URI  N connections at once, one stalled mid-packet, one
#                  stalled with replies unread; `virsh -c URI list --all`
#                  completes, then every other connection is answered
import os
import socket
import struct
import subprocess
import sys
import time

PROG, VERS = 0x20008086, 1


def pkt(proc, body=b"", serial=1, prog=PROG, vers=VERS, ptype=0):
    hdr = struct.pack(">IIiIII", prog, vers, proc, ptype, serial, 0)
    return struct.pack(">I", 4 + len(hdr) + len(body)) + hdr + body


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    return s


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def reply(s):
    """(proc, serial, status, code, message) of the next reply; None if closed."""
    head = recv_exact(s, 4)
    if head is None:
        return None
    (length,) = struct.unpack(">I", head)
    rest = recv_exact(s, length - 4)
    if rest is None:
        return None
    prog, vers, proc, ptype, serial, status = struct.unpack(">IIiIII", rest[:24])
    code, msg = 0, ""
    if status == 1:
        code, _dom, present = struct.unpack(">iiI", rest[24:36])
        if present:
            (mlen,) = struct.unpack(">I", rest[36:40])
            msg = rest[40:40 + mlen].decode()
    return proc, serial, status, code, msg


def closed(s):
    try:
        return s.recv(1) == b""
    except (ConnectionResetError, socket.timeout):
        return False


def main():
    path, case = sys.argv[1], sys.argv[2]
    s = connect(path)
    if case == "oversize":
        s.sendall(struct.pack(">I", (16 << 20) + 5) + b"\0" * 24)
        ok = closed(s)
        print("closed" if ok else "not closed")
    elif case == "undersize":
        s.sendall(struct.pack(">I", 8) + b"\0" * 4)
        ok = closed(s)
        print("closed" if ok else "not closed")
    elif case == "truncated":
        s.sendall(pkt(66)[:17])
        s.close()
        ok = True
        print("sent half a packet and closed")
    elif case == "random":
        s.sendall(os.urandom(4096))
        s.shutdown(socket.SHUT_WR)
        try:
            while s.recv(65536):
                pass
            ok = True
        except socket.timeout:
            ok = False
        print("done" if ok else "hung")
    elif case == "unknown-proc":
        s.sendall(pkt(9999, serial=7))
        r = reply(s)
        ok = r is not None and r[1] == 7 and r[2] == 1 and r[3] == 3 and \
            r[4] == "procedure 9999 is not supported by lamina"
        print(r)
    elif case in ("wrong-program", "wrong-version"):
        if case == "wrong-program":
            s.sendall(pkt(66, prog=0x12345678))
        else:
            s.sendall(pkt(66, vers=2))
        r = reply(s)
        ok = r is not None and r[2] == 1 and r[3] == 39
        print(r)
    elif case == "clients":
        ok = clients(path, s, int(sys.argv[3]), sys.argv[4])
    else:
        print("unknown case", case)
        ok = False
    sys.exit(0 if ok else 1)


def clients(path, first, n, uri):
    conns = [first] + [connect(path) for _ in range(n - 1)]
    for c in conns:
        c.sendall(pkt(66))
    for c in conns:
        if reply(c) is None:
            print("a connection got no AUTH_LIST reply")
            return False
    # conns[0] stalls mid-packet; conns[1] sends calls and reads nothing.
    conns[0].sendall(pkt(66)[:10])
    conns[1].setblocking(False)
    flood = pkt(66) * 20000
    try:
        while flood:
            flood = flood[conns[1].send(flood):]
    except BlockingIOError:
        pass    # its socket is full: the daemon stopped reading it
    t = time.monotonic()
    try:
        v = subprocess.run(["virsh", "-c", uri, "list", "--all"],
                           capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        print("virsh list got no answer in 30 s: a stalled client blocks the daemon")
        return False
    took = time.monotonic() - t
    if v.returncode != 0:
        print("virsh list failed:", v.stderr.strip())
        return False
    for c in conns[2:]:
        c.sendall(pkt(66, serial=2))
    for c in conns[2:]:
        r = reply(c)
        if r is None or r[1] != 2:
            print("a connection was not answered after the stall")
            return False
    print("%d connections, one stalled mid-packet, one not reading: "
          "virsh list took %.2f s, %d others answered" % (n, took, n - 2))
    return True


main()
