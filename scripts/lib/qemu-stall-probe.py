#!/usr/bin/env python3
# qemu-stall-probe.py MONITOR_SOCKET SERIAL_LOG LAMINA_KO
#
# Where a QEMU machine that stopped writing its serial log is spending its
# time: samples the vCPU's registers through the human monitor a few times
# and names the code at each RIP that is lamina.ko's (from the load address
# /init printed; Debian's System.map is a stub, so kernel addresses stay
# numbers), prints the LAPIC, raises one interrupt from outside (the ACPI
# power button) to tell a lost wake-up from a blocked interrupt, then
# sends an NMI: the machine boots with unknown_nmi_panic,
# so its kernel prints the stuck CPU's stack, symbolised, on the serial
# log, which this prints.  A stall the rig only reports as "no output for
# 480 s" says nothing about its cause; this says which loop it was.
import bisect
import re
import socket
import subprocess
import sys
import time

SAMPLES = 8


def monitor(sock_path, cmd):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(sock_path)
    out = b""

    def read_to_prompt():
        nonlocal out
        buf = b""
        while not buf.endswith(b"(qemu) "):
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
        return buf

    read_to_prompt()
    s.sendall(cmd.encode() + b"\n")
    out = read_to_prompt()
    s.close()
    text = out.decode(errors="replace").replace("\r", "")
    # The monitor echoes the command line (with terminal escapes) first.
    return "\n".join(l for l in text.split("\n")[1:] if "(qemu)" not in l)


def load_symbols(ko, base):
    """lamina.ko's text symbols, at their addresses when loaded at base."""
    try:
        out = subprocess.run(["nm", "-n", "--defined-only", ko],
                             capture_output=True, text=True).stdout
    except OSError:
        return []
    syms = []
    for line in out.splitlines():
        f = line.split()
        if len(f) != 3 or f[1] not in "tTwW":
            continue
        syms.append((int(f[0], 16) + base, f[2]))
    syms.sort()
    return syms


def name(syms, addr):
    keys = [a for a, _ in syms]
    i = bisect.bisect_right(keys, addr) - 1
    if i < 0:
        return None
    return "%s+0x%x" % (syms[i][1], addr - syms[i][0])


def main():
    sock, serial, ko = sys.argv[1:4]
    module = []
    try:
        m = re.findall(r"lamina \.text at (0x[0-9a-f]+)", open(serial).read())
        if m:
            module = load_symbols(ko, int(m[-1], 16))
    except OSError:
        pass
    for n in range(SAMPLES):
        try:
            regs = monitor(sock, "info registers")
        except OSError as e:
            print("stall probe: monitor: %s" % e)
            return
        rip = re.search(r"RIP=([0-9a-f]+)", regs)
        cs = re.search(r"CS =([0-9a-f]+)", regs)
        hflags = re.search(r"HLT=(\d)", regs)
        where = "?"
        if rip:
            a = int(rip.group(1), 16)
            where = (module and a >= module[0][0] and name(module, a)) or \
                ("user or nested guest" if a < 0x800000000000 else "kernel")
        print("stall probe %d: RIP=%s CS=%s HLT=%s %s" % (
            n, rip.group(1) if rip else "?", cs.group(1) if cs else "?",
            hflags.group(1) if hflags else "?", where))
        if n == 0:
            for l in regs.splitlines()[:12]:
                print("stall probe:   " + l)
        time.sleep(0.5)
    try:
        for l in monitor(sock, "info lapic").splitlines()[:24]:
            print("stall probe: lapic " + l)
    except OSError as e:
        print("stall probe: info lapic: %s" % e)
    # One new interrupt from outside (the ACPI power button: the SCI, an
    # IO-APIC line; /init runs no handler for the event, so it changes
    # nothing else). If the machine talks again, the emulator had only
    # lost the wake-up of a pending interrupt (any new one recovers it);
    # if not, the interrupt stays blocked inside the CPU model.
    try:
        size = len(open(serial, "rb").read())
        monitor(sock, "system_powerdown")
        time.sleep(10)
        grew = len(open(serial, "rb").read()) - size
    except OSError as e:
        print("stall probe: system_powerdown: %s" % e)
        grew = 0
    print("stall probe: after one ACPI interrupt from outside: %s" % (
        "the machine woke up (%d bytes of serial output)" % grew if grew
        else "still silent"))
    try:
        size = len(open(serial, "rb").read())
        monitor(sock, "nmi")
        time.sleep(5)
        tail = open(serial, "rb").read()[size:].decode(errors="replace")
    except OSError as e:
        print("stall probe: nmi: %s" % e)
        return
    print("stall probe: the serial log after an NMI:")
    for l in tail.replace("\r", "").splitlines()[:80]:
        print("stall probe: | " + l)


main()
