/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_IRQ_H
#define VMMD_IRQ_H

/*
 * ISA interrupt lines. A device model sets its line's level; the line
 * goes to the 8259 pair and to the IOAPIC pin the MADT names for it
 * (IRQ 0 -> GSI 2, others -> same GSI). Call with the bus lock held.
 */
void irq_isa_set(unsigned int irq, int level);
/* An edge: raise and drop (the PIT's output as the 8259 and IOAPIC see it). */
void irq_isa_pulse(unsigned int irq);

#endif /* VMMD_IRQ_H */
