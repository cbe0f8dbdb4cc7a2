// SPDX-License-Identifier: GPL-2.0-only
/* 82093AA-style IOAPIC, version 0x20 (has the EOI register at 0x40). */
#include <string.h>

#include "acpi.h"
#include "bus.h"
#include "ioapic.h"
#include "vm.h"

#define REG_SEL		0x00
#define REG_WIN		0x10
#define REG_EOI		0x40
#define IOAPIC_VERSION	0x20

#define RTE_VECTOR(e)	((uint32_t)(e) & 0xff)
#define RTE_DELMODE(e)	(((uint32_t)(e) >> 8) & 7)
#define RTE_DESTMODE	(1ULL << 11)
#define RTE_POLARITY	(1ULL << 13)	/* 1: active low */
#define RTE_REMOTE_IRR	(1ULL << 14)
#define RTE_LEVEL	(1ULL << 15)
#define RTE_MASKED	(1ULL << 16)
#define RTE_DEST(e)	((uint32_t)((e) >> 56))
#define RTE_RO_BITS	((1ULL << 12) | RTE_REMOTE_IRR)

struct ioapic {
	uint32_t sel;
	uint32_t id;
	uint64_t rte[IOAPIC_PINS];
	uint32_t line;		/* pin input levels, as wired (before polarity) */
};

static struct ioapic io;

static void rte_msi(uint64_t e, uint32_t *addr, uint32_t *data)
{
	*addr = (uint32_t)LAPIC_BASE | (RTE_DEST(e) << 12) |
		((e & RTE_DESTMODE) ? 1u << 2 : 0);
	*data = RTE_VECTOR(e) | (RTE_DELMODE(e) << 8) |
		((e & RTE_LEVEL) ? (1u << 15) | (1u << 14) : 0);
}

static int pin_asserted(unsigned int pin)
{
	int high = !!(io.line & (1u << pin));

	return (io.rte[pin] & RTE_POLARITY) ? !high : high;
}

static void deliver(unsigned int pin)
{
	uint64_t *e = &io.rte[pin];
	uint32_t addr, data;

	if (*e & RTE_MASKED)
		return;
	if (*e & RTE_LEVEL) {
		/* One delivery until the guest's EOI clears Remote IRR. */
		if (*e & RTE_REMOTE_IRR)
			return;
		*e |= RTE_REMOTE_IRR;
	}
	rte_msi(*e, &addr, &data);
	vm_signal_msi(addr, data);
}

/* KVM exits on EOI only for vectors of level routes it knows of. */
static void update_level_routes(void)
{
	uint32_t addr[IOAPIC_PINS], data[IOAPIC_PINS];
	unsigned int gsi[IOAPIC_PINS], n = 0, pin;

	for (pin = 0; pin < IOAPIC_PINS; pin++) {
		uint64_t e = io.rte[pin];

		if (!(e & RTE_LEVEL) || (e & RTE_MASKED))
			continue;
		rte_msi(e, &addr[n], &data[n]);
		gsi[n++] = pin;
	}
	vm_set_msi_routes(gsi, addr, data, n);
}

void ioapic_set_irq(unsigned int pin, int level)
{
	int was;

	if (pin >= IOAPIC_PINS)
		return;
	was = pin_asserted(pin);
	io.line = level ? (io.line | (1u << pin)) : (io.line & ~(1u << pin));
	if (pin_asserted(pin) && (!was || (io.rte[pin] & RTE_LEVEL)))
		deliver(pin);
}

void ioapic_eoi(uint8_t vector)
{
	unsigned int pin;

	for (pin = 0; pin < IOAPIC_PINS; pin++) {
		uint64_t *e = &io.rte[pin];

		if (!(*e & RTE_REMOTE_IRR) || RTE_VECTOR(*e) != vector)
			continue;
		*e &= ~RTE_REMOTE_IRR;
		if ((*e & RTE_LEVEL) && pin_asserted(pin))
			deliver(pin);
	}
}

static uint32_t reg_read(uint32_t reg)
{
	unsigned int pin = (reg - 0x10) / 2;

	if (reg == 0)
		return io.id << 24;
	if (reg == 1)
		return ((IOAPIC_PINS - 1) << 16) | IOAPIC_VERSION;
	if (reg == 2)
		return io.id << 24;	/* arbitration ID */
	if (reg >= 0x10 && pin < IOAPIC_PINS)
		return (reg & 1) ? io.rte[pin] >> 32 : (uint32_t)io.rte[pin];
	return 0xffffffff;
}

static void reg_write(uint32_t reg, uint32_t v)
{
	unsigned int pin = (reg - 0x10) / 2;
	uint64_t old, e;

	if (reg == 0) {
		io.id = (v >> 24) & 0xf;
		return;
	}
	if (reg < 0x10 || pin >= IOAPIC_PINS)
		return;
	old = io.rte[pin];
	if (reg & 1)
		e = (old & 0xffffffffULL) | ((uint64_t)v << 32);
	else
		e = (old & ~0xffffffffULL) | v;
	e = (e & ~RTE_RO_BITS) | (old & RTE_RO_BITS);
	if (!(e & RTE_LEVEL))
		e &= ~RTE_REMOTE_IRR;
	io.rte[pin] = e;
	if ((old ^ e) & (RTE_LEVEL | RTE_MASKED | 0xff | (0xffULL << 56)))
		update_level_routes();
	/* A level input still asserted when unmasked is delivered now. */
	if ((old & RTE_MASKED) && !(e & RTE_MASKED) && (e & RTE_LEVEL) &&
	    pin_asserted(pin))
		deliver(pin);
}

static void ioapic_rd(uint64_t off, uint8_t *data, unsigned int size)
{
	uint32_t v = 0;

	if (off == REG_SEL)
		v = io.sel;
	else if (off == REG_WIN)
		v = reg_read(io.sel);
	bus_put(data, size, v);
}

static void ioapic_wr(uint64_t off, const uint8_t *data, unsigned int size)
{
	uint32_t v = bus_get(data, size);

	if (off == REG_SEL)
		io.sel = v & 0xff;
	else if (off == REG_WIN)
		reg_write(io.sel, v);
	else if (off == REG_EOI)
		ioapic_eoi(v & 0xff);
}

void ioapic_init(void)
{
	unsigned int pin;

	memset(&io, 0, sizeof(io));
	for (pin = 0; pin < IOAPIC_PINS; pin++)
		io.rte[pin] = RTE_MASKED;
	bus_add_mmio("ioapic", IOAPIC_BASE, 0x100, ioapic_rd, ioapic_wr);
}
