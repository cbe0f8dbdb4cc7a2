/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The preamble every guest-running test repeats: a VM with one vCPU in
 * one of mode.h's modes, its descriptor tables (desc.h) outside real
 * mode, the guest code copied in, a stack; and running it to the exit a
 * test expects (an OUT to a port, a HLT), reporting anything else.
 */
#ifndef LAMINA_TEST_GUEST_H
#define LAMINA_TEST_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "mode.h"

/*
 * Open @path, create a VM of @mem_size bytes with one vCPU (an in-kernel
 * LAPIC first when @split, KVM_CAP_SPLIT_IRQCHIP), switch it to @mode
 * with @len bytes of @code at guest address @at and RSP @sp, and, outside
 * real mode, write the descriptor tables (no gate present yet). Returns
 * 0, or -1 with vm->err set.
 */
int test_guest_create(struct test_vm *vm, const char *path, size_t mem_size,
		      int split);
int test_guest_load(struct test_vm *vm, enum test_mode mode,
		    unsigned long at, const void *code, size_t len,
		    unsigned long sp);

/*
 * Run to the next exit, which must be an OUT to @port (its value, zero
 * extended, to *@val) or a HLT. Anything else is reported with @what and
 * returns -1.
 */
int test_guest_run_out(struct test_vm *vm, unsigned int port, uint32_t *val,
		       const char *what);
int test_guest_run_hlt(struct test_vm *vm, const char *what);

/* A diagnostic line for the exit in vm->run (reason and its details). */
void test_guest_print_exit(const struct test_vm *vm, const char *what);

#endif /* LAMINA_TEST_GUEST_H */
