/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Random guest code for the fuzzer: a mix of instructions that exit (I/O,
 * string I/O, MMIO to unmapped and LAPIC addresses, CPUID, RDMSR/WRMSR,
 * HLT, the SVM/VMX instructions, XSETBV, control-register writes,
 * descriptor-table loads, exceptions and INT n) and plain random bytes,
 * encoded for the mode it runs in (16, 32 or 64 bits).
 *
 * Safe mode leaves out what QEMU 7.2's TCG itself cannot survive in a
 * nested guest, under kvm.ko as under lamina.ko (docs/fuzz-ioctl.md):
 * DR7 writes (MOV to a debug register, 0F 23) and every way down to CPL3
 * or virtual-8086 mode (IRET, far RET/JMP/CALL, SYSRET, SYSEXIT), from
 * where an interrupt through the busy TSS aborts QEMU ("invalid tss
 * type"). It does so by never emitting the bytes of those opcodes
 * anywhere in the code, so no jump into the middle of an instruction can
 * find one either.
 */
#ifndef LAMINA_FUZZ_GUEST_CODE_H
#define LAMINA_FUZZ_GUEST_CODE_H

#include <stddef.h>

#include "rng.h"

/*
 * Fill @buf (@len bytes) with code for a CPU running with @bits-bit
 * operands and addresses; @safe as above.
 */
void fuzz_guest_code(struct fuzz_rng *r, unsigned char *buf, size_t len,
		     int bits, int safe);

/* May @b appear in safe-mode code? */
int fuzz_guest_byte_safe(unsigned char b);

#endif /* LAMINA_FUZZ_GUEST_CODE_H */
