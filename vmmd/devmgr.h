/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_DEVMGR_H
#define VMMD_DEVMGR_H

#include <stdint.h>

/*
 * The device manager: the one place that hands out PCI slots and guest
 * physical ranges for device registers (BARs) and says where the PCI
 * host bridge's ECAM lives. ACPI (the MCFG, the root bridge's _CRS) and
 * the e820 map are written from these numbers, so a device added here is
 * described to the guest with no other change.
 *
 * Placement, in the 3-4 GiB hole of mem.h (below the IOAPIC at
 * 0xfec00000 and KVM's pages near 4 GiB):
 *   0xc0000000 - 0xdfffffff  PCI memory window: BARs, naturally aligned,
 *                            handed out bottom up
 *   0xe0000000 - 0xe00fffff  ECAM, bus 0 only (32 slots x 8 fn x 4 KiB)
 * Interrupts are MSI-X only: each function's vectors are its own (the
 * guest writes address/data into the function's table), so there are no
 * shared lines to hand out and no _PRT.
 */
#define DEVMGR_MMIO_BASE	0xc0000000ULL
#define DEVMGR_MMIO_SIZE	0x20000000ULL
#define DEVMGR_ECAM_BASE	0xe0000000ULL
#define DEVMGR_ECAM_SIZE	0x100000ULL	/* bus 0: 256 functions x 4 KiB */
#define DEVMGR_PCI_SLOTS	32U		/* slot 0 is the host bridge */
/*
 * GSIs for MSI routes (irqfds), after the IOAPIC's pins (ioapic.h, which
 * KVM_CAP_SPLIT_IRQCHIP reserves): 64, enough for 17 virtio devices'
 * MSI-X vectors.
 */
#define DEVMGR_GSI_BASE		24U
#define DEVMGR_GSIS		64U

/* Forget every allocation (a fresh machine; also for unit tests). */
void devmgr_reset(void);
/* The next free PCI slot on bus 0 (1-31), or -1 when all are taken. */
int devmgr_alloc_slot(void);
/*
 * A range of @size bytes (a power of two, >= 4 KiB so no two BARs share
 * a page) in the PCI memory window, aligned to its size: its guest
 * address, or 0 when the window is full or @size is not such a size.
 */
uint64_t devmgr_alloc_mmio(uint64_t size);
/* @n consecutive GSIs: the first, or 0 when too few are left. */
unsigned int devmgr_alloc_gsi(unsigned int n);

#endif /* VMMD_DEVMGR_H */
