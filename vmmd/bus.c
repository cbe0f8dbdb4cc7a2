// SPDX-License-Identifier: GPL-2.0-only
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"

#define BUS_MAX 16

struct bus_range {
	const char *name;
	uint64_t base, len;
	bus_read_fn rd;
	bus_write_fn wr;
};

struct bus {
	struct bus_range r[BUS_MAX];
	unsigned int n;
};

static struct bus pio_bus, mmio_bus;
static pthread_mutex_t dev_lock = PTHREAD_MUTEX_INITIALIZER;
static int trace = -1;

static void bus_add(struct bus *b, const char *name, uint64_t base,
		    uint64_t len, bus_read_fn rd, bus_write_fn wr)
{
	/* Registration is vmmd's own code at start-up: a full table is a bug. */
	if (b->n == BUS_MAX) {
		fprintf(stderr, "vmmd: bug: bus full adding %s\n", name);
		abort();
	}
	b->r[b->n++] = (struct bus_range){ name, base, len, rd, wr };
}

void bus_add_pio(const char *name, uint16_t base, uint16_t len,
		 bus_read_fn rd, bus_write_fn wr)
{
	bus_add(&pio_bus, name, base, len, rd, wr);
}

void bus_add_mmio(const char *name, uint64_t base, uint64_t len,
		  bus_read_fn rd, bus_write_fn wr)
{
	bus_add(&mmio_bus, name, base, len, rd, wr);
}

static void bus_access(struct bus *b, const char *kind, uint64_t addr,
		       uint8_t *data, unsigned int size, int write)
{
	unsigned int i;

	pthread_mutex_lock(&dev_lock);
	for (i = 0; i < b->n; i++) {
		struct bus_range *r = &b->r[i];

		if (addr >= r->base && addr - r->base < r->len) {
			if (write) {
				r->wr(addr - r->base, data, size);
			} else {
				/* Bytes a model leaves alone read as ones. */
				memset(data, 0xff, size);
				r->rd(addr - r->base, data, size);
			}
			pthread_mutex_unlock(&dev_lock);
			return;
		}
	}
	pthread_mutex_unlock(&dev_lock);
	if (trace < 0)
		trace = getenv("VMMD_TRACE_IO") != NULL;
	if (trace)
		fprintf(stderr, "vmmd: unclaimed %s %s 0x%llx size %u\n", kind,
			write ? "write" : "read", (unsigned long long)addr, size);
	if (!write)
		memset(data, 0xff, size);
}

void bus_pio(uint16_t port, uint8_t *data, unsigned int size, int write)
{
	bus_access(&pio_bus, "port", port, data, size, write);
}

void bus_mmio(uint64_t addr, uint8_t *data, unsigned int size, int write)
{
	bus_access(&mmio_bus, "mmio", addr, data, size, write);
}

void bus_lock(void)
{
	pthread_mutex_lock(&dev_lock);
}

void bus_unlock(void)
{
	pthread_mutex_unlock(&dev_lock);
}

uint64_t bus_get(const uint8_t *data, unsigned int size)
{
	uint64_t v = 0;

	memcpy(&v, data, size > 8 ? 8 : size);
	return v;
}

void bus_put(uint8_t *data, unsigned int size, uint64_t v)
{
	memcpy(data, &v, size > 8 ? 8 : size);
}
