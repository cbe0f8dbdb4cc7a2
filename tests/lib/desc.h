/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Descriptor tables for guests that take exceptions: a GDT with mode.c's
 * segments plus CPL3 ones and a TSS, an IDT, the TSS itself (SDM vol. 3A
 * 3.4.5 segment descriptors, 6.11/6.14.1 gates, 7.2.1/8.7 TSS). Used
 * after test_vm_set_mode(), in protected or long mode; works unchanged
 * on /dev/kvm and /dev/lamina.
 *
 * The tables live at [TEST_DESC_START, TEST_DESC_END) in guest memory,
 * beside mode.c's (TEST_MODE_TABLES_*): the test keeps both free.
 */
#ifndef LAMINA_TEST_DESC_H
#define LAMINA_TEST_DESC_H

#include "mode.h"

#define TEST_DESC_START 0xb000UL	/* the GDT */
#define TEST_DESC_IDT 0xc000UL
#define TEST_DESC_TSS 0xd000UL
#define TEST_DESC_END 0xe000UL

/* Selectors beyond mode.h's: CPL3 code (32-bit) and data, the TSS. */
#define TEST_SEL_USER_CODE32 0x23
#define TEST_SEL_USER_DATA 0x2b
#define TEST_SEL_TSS 0x30

/*
 * Write the GDT, an IDT with no gate present and a zeroed TSS, and load
 * GDTR, IDTR and TR (a busy TSS of @mode's kind). Returns 0, or -1 with
 * vm->err set.
 */
int test_desc_setup(struct test_vm *vm, enum test_mode mode);

/*
 * IDT entry @vector: an interrupt gate (DPL 3, so INT n may use it too)
 * to @handler in code segment @sel; @ist (0..7) in long mode only.
 */
void test_desc_gate(struct test_vm *vm, enum test_mode mode,
		    unsigned int vector, unsigned int sel,
		    unsigned long handler, unsigned int ist);

/* The TSS's ring-0 stack (ESP0/RSP0) and, in long mode, IST1. */
void test_desc_tss_stacks(struct test_vm *vm, enum test_mode mode,
			  unsigned long sp0, unsigned long ist1);

/*
 * 32-bit protected mode only: run at CPL3 (CS TEST_SEL_USER_CODE32, the
 * data segments TEST_SEL_USER_DATA) with RFLAGS @rflags and ESP @sp.
 * Returns 0, or -1 with vm->err set.
 */
int test_desc_user32(struct test_vm *vm, unsigned long rflags,
		     unsigned long sp);

#endif /* LAMINA_TEST_DESC_H */
