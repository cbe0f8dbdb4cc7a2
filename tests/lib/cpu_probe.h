/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the CPU this program runs on can execute, for the points that
 * only mean something where it can (a SKIP in the rig is a failure, so
 * such a point is not planned where its fault cannot happen, and the
 * program says why in a diagnostic line).
 */
#ifndef LAMINA_TEST_CPU_PROBE_H
#define LAMINA_TEST_CPU_PROBE_H

/*
 * Does the CPU raise #AC? Linux runs user space with CR0.AM set, so a
 * misaligned load with RFLAGS.AC = 1 raises #AC, which the kernel turns
 * into SIGBUS (BUS_ADRALN): every x86 CPU does; QEMU's TCG implements
 * no alignment checking at all. Asked, not assumed.
 */
int test_cpu_raises_ac(void);

/*
 * Is this CPU QEMU's TCG (CPUID 0x40000000 says "TCGTCGTCGTCG")? For
 * emulator bugs that cannot be probed without triggering them: QEMU 7.2's
 * TCG runs INT1 as its own debugger trap (a nested guest shuts down,
 * under kvm-amd as under lamina.ko), never fires a nested guest's data
 * breakpoints under kvm-amd, and aborts (an assertion on its iothread
 * lock) when a nested guest under lamina.ko writes DR7 itself.
 */
int test_cpu_is_qemu_tcg(void);

#endif /* LAMINA_TEST_CPU_PROBE_H */
