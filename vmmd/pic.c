// SPDX-License-Identifier: GPL-2.0-only
#include <stdint.h>
#include <string.h>

#include "bus.h"
#include "pic.h"

struct i8259 {
	uint8_t irr, isr, imr;
	uint8_t icw_step;	/* 0: ready; 2..4: next ICW expected */
	uint8_t icw4_needed;
	uint8_t read_isr;	/* OCW3: reads of the command port give ISR */
	uint8_t vector_base;
	uint8_t line;		/* input levels, for edge detection */
	uint8_t elcr;		/* level-triggered inputs (ELCR) */
};

static struct i8259 pics[2];

static void pic_read(struct i8259 *p, uint64_t off, uint8_t *data)
{
	if (off == 0)
		*data = p->read_isr ? p->isr : p->irr;
	else
		*data = p->imr;
}

static void pic_write(struct i8259 *p, uint64_t off, uint8_t v)
{
	if (off == 0 && (v & 0x10)) {		/* ICW1 */
		p->icw_step = 2;
		p->icw4_needed = v & 1;
		p->imr = p->isr = p->irr = 0;
		p->read_isr = 0;
		return;
	}
	if (off == 0) {
		if (v & 0x08) {			/* OCW3 */
			if (v & 0x02)
				p->read_isr = v & 1;
		} else if (v & 0x20) {		/* OCW2: an EOI */
			unsigned int bit = (v & 0x40) ? (v & 7)
						      : (unsigned int)__builtin_ctz(p->isr | 0x100);

			if (bit < 8)
				p->isr &= ~(1u << bit);
		}
		return;
	}
	switch (p->icw_step) {
	case 2:					/* ICW2: vector base */
		p->vector_base = v & 0xf8;
		p->icw_step = 3;
		break;
	case 3:					/* ICW3: cascade wiring */
		p->icw_step = p->icw4_needed ? 4 : 0;
		break;
	case 4:					/* ICW4: mode, accepted */
		p->icw_step = 0;
		break;
	default:				/* OCW1: mask */
		p->imr = v;
		break;
	}
}

static void master_rd(uint64_t off, uint8_t *d, unsigned int s)
{
	(void)s;
	pic_read(&pics[0], off, d);
}

static void slave_rd(uint64_t off, uint8_t *d, unsigned int s)
{
	(void)s;
	pic_read(&pics[1], off, d);
}

static void master_wr(uint64_t off, const uint8_t *d, unsigned int s)
{
	(void)s;
	pic_write(&pics[0], off, *d);
}

static void slave_wr(uint64_t off, const uint8_t *d, unsigned int s)
{
	(void)s;
	pic_write(&pics[1], off, *d);
}

static void elcr_rd(uint64_t off, uint8_t *d, unsigned int s)
{
	(void)s;
	*d = pics[off & 1].elcr;
}

static void elcr_wr(uint64_t off, const uint8_t *d, unsigned int s)
{
	(void)s;
	/* IRQ 0-2, 8 and 13 are edge-only on a PC. */
	pics[off & 1].elcr = *d & ((off & 1) ? 0xde : 0xf8);
}

void pic_set_irq(unsigned int irq, int level)
{
	struct i8259 *p = &pics[irq >= 8];
	uint8_t bit = 1u << (irq & 7);

	if (irq >= 16)
		return;
	if (level && (!(p->line & bit) || (p->elcr & bit)))
		p->irr |= bit;
	else if (!level && (p->elcr & bit))
		p->irr &= ~bit;
	p->line = level ? (p->line | bit) : (p->line & ~bit);
}

void pic_init(void)
{
	memset(pics, 0, sizeof(pics));
	bus_add_pio("pic-master", 0x20, 2, master_rd, master_wr);
	bus_add_pio("pic-slave", 0xa0, 2, slave_rd, slave_wr);
	bus_add_pio("elcr", 0x4d0, 2, elcr_rd, elcr_wr);
}
