/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_PIC_H
#define VMMD_PIC_H

/*
 * The 8259A pair (ports 0x20/0x21, 0xa0/0xa1, ELCR 0x4d0/0x4d1). Its
 * registers behave as the guest expects (initialisation words, masks,
 * IRR/ISR reads, EOI), so Linux finds a PIC, masks it and moves to the
 * IOAPIC. Its INTR output is not wired to the vCPUs: under KVM's split
 * irqchip that would be ExtINT through KVM_INTERRUPT, and no guest vmmd
 * boots unmasks the PIC once it has an IOAPIC (docs/vmmd.1.md).
 */
void pic_init(void);
void pic_set_irq(unsigned int irq, int level);

#endif /* VMMD_PIC_H */
