/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Put a test VM's vCPU into one of the x86 operating modes, with the
 * guest code at a given address: 16-bit real mode, 32-bit protected mode
 * (flat segments, paging off), 64-bit long mode (4-level paging, a 64-bit
 * code segment), or 32-bit protected mode with 32-bit paging or with PAE
 * paging. Every paging mode identity-maps the first 4 GiB: the first
 * 2 MiB (4 MiB with 32-bit paging) with 4 KiB pages, the rest with large
 * pages, so guest walks meet both kinds. Works unchanged on /dev/kvm and
 * /dev/lamina.
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
	TEST_MODE_PG32,		/* protected, 32-bit paging (CR4.PSE) */
	TEST_MODE_PAE,		/* protected, PAE paging */
	TEST_MODE_COUNT
};

/*
 * The paging modes also map linear [TEST_MODE_ALIAS, + 2 MiB) to guest
 * physical [0, 2 MiB) with 4 KiB pages: an address there is not its own
 * physical address, so a hypervisor that does not walk the guest's
 * tables gets it wrong.
 */
#define TEST_MODE_ALIAS 0xc0000000UL

#define TEST_MODE_TABLES_START 0x2000UL
#define TEST_MODE_TABLES_END 0xa000UL

/* Selectors of the GDT the mode code writes. */
#define TEST_SEL_CODE32 0x08
#define TEST_SEL_DATA 0x10
#define TEST_SEL_CODE64 0x18

/* "real", "prot", "long", "pg32", "pae": for test names. */
const char *test_mode_name(enum test_mode mode);

/* Does @mode page (and so have TEST_MODE_ALIAS)? */
int test_mode_paging(enum test_mode mode);

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
