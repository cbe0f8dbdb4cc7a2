/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_IOAPIC_H
#define VMMD_IOAPIC_H

#include <stdint.h>

#define IOAPIC_PINS 24

/*
 * The IOAPIC (MMIO at 0xfec00000, ID 0, GSIs 0-23), KVM split-irqchip
 * style: the LAPICs are in the kernel, this model turns a pin's edge (or
 * level) into an MSI the kernel delivers (KVM_SIGNAL_MSI); KVM_IRQ_LINE
 * is not used. Level-triggered pins get KVM_EXIT_IOAPIC_EOI exits through
 * a GSI route per such pin (KVM_SET_GSI_ROUTING), as KVM's split-irqchip
 * ABI asks. ioapic_set_irq and ioapic_eoi: bus lock held.
 */
void ioapic_init(void);
void ioapic_set_irq(unsigned int pin, int level);
void ioapic_eoi(uint8_t vector);

#endif /* VMMD_IOAPIC_H */
