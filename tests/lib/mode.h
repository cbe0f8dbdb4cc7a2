/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Put a test VM's vCPU into one of the three x86 operating modes, with
 * the guest code at a given address: 16-bit real mode, 32-bit protected
 * mode (flat segments, paging off) or 64-bit long mode (4-level paging
 * identity-mapping the first 4 GiB with 2 MiB pages, a 64-bit code
 * segment). Works unchanged on /dev/kvm and /dev/lamina.
 *
 * The GDT and page tables live in guest memory at
 * [TEST_MODE_TABLES_START, TEST_MODE_TABLES_END): the test's memory slot 0
 * must cover it and the test must not put anything else there.
 */
#ifndef LAMINA_TEST_MODE_H
#define LAMINA_TEST_MODE_H

#include "vm.h"

enum test_mode {
	TEST_MODE_REAL,
	TEST_MODE_PROT,
	TEST_MODE_LONG,
	TEST_MODE_COUNT
};

#define TEST_MODE_TABLES_START 0x2000UL
#define TEST_MODE_TABLES_END 0x9000UL

/* Selectors of the GDT the mode code writes. */
#define TEST_SEL_CODE32 0x08
#define TEST_SEL_DATA 0x10
#define TEST_SEL_CODE64 0x18

/* "real", "prot", "long": for test names. */
const char *test_mode_name(enum test_mode mode);

/* The mode's default operand and address size: 16, 32 or 64. */
int test_mode_bits(enum test_mode mode);

/*
 * The RIP at which code at guest address @addr runs in @mode: @addr, but
 * in real mode the low 16 bits (CS then holds the rest, see below).
 */
unsigned long test_mode_rip(enum test_mode mode, unsigned long addr);

/*
 * Switch the vCPU to @mode with the code at guest address @code (below
 * 1 MiB in real mode, where CS = (@code >> 4) & 0xf000 and IP = the low
 * 16 bits), every GPR 0, RFLAGS 0x2 and every data segment flat at base 0
 * (tests adjust them afterwards with KVM_GET/SET_SREGS). Returns 0, or -1
 * with vm->err set.
 */
int test_vm_set_mode(struct test_vm *vm, enum test_mode mode,
		     unsigned long code);

#endif /* LAMINA_TEST_MODE_H */
