// SPDX-License-Identifier: GPL-2.0-only
#include "ioapic.h"
#include "irq.h"
#include "pic.h"

void irq_isa_set(unsigned int irq, int level)
{
	pic_set_irq(irq, level);
	ioapic_set_irq(irq == 0 ? 2 : irq, level);
}

void irq_isa_pulse(unsigned int irq)
{
	irq_isa_set(irq, 1);
	irq_isa_set(irq, 0);
}
