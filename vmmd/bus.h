/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_BUS_H
#define VMMD_BUS_H

#include <stdint.h>

/*
 * The port-I/O and MMIO buses: each device model claims a range and gets
 * the accesses that fall in it, one at a time. One lock covers every
 * device model (they are slow paths: a vCPU thread and the event thread
 * may both reach a device); bus_lock() lets the event thread take it.
 * Accesses nobody claims read as all ones and are dropped on write, as
 * on a PC with nothing decoding the address.
 */
typedef void (*bus_read_fn)(uint64_t off, uint8_t *data, unsigned int size);
typedef void (*bus_write_fn)(uint64_t off, const uint8_t *data,
			     unsigned int size);

void bus_add_pio(const char *name, uint16_t base, uint16_t len,
		 bus_read_fn rd, bus_write_fn wr);
void bus_add_mmio(const char *name, uint64_t base, uint64_t len,
		  bus_read_fn rd, bus_write_fn wr);
void bus_pio(uint16_t port, uint8_t *data, unsigned int size, int write);
void bus_mmio(uint64_t addr, uint8_t *data, unsigned int size, int write);
void bus_lock(void);
void bus_unlock(void);

/* Little-endian value of an access of 1-8 bytes, and back. */
uint64_t bus_get(const uint8_t *data, unsigned int size);
void bus_put(uint8_t *data, unsigned int size, uint64_t v);

#endif /* VMMD_BUS_H */
