/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_SERIAL_H
#define VMMD_SERIAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * COM1: a 16550A at 0x3f8, IRQ 4, the guest's console. Output goes to
 * vmmd's stdout a line at a time; input comes from stdin (event thread).
 * The THRE interrupt is modelled: Linux's 8250 driver needs it once it
 * takes the console over from the early polled writes.
 */
struct conring;
/* Output to @out_fd, or with @ring (vmmd-vm) to the daemon through it. */
void serial_init(int out_fd, struct conring *ring);
/* Bytes from stdin for the receiver; returns how many it took. */
size_t serial_receive(const uint8_t *buf, size_t len);
/* Push out a partial line (a prompt); the event thread calls it. */
void serial_flush(void);

#endif /* VMMD_SERIAL_H */
