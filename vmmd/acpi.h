/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_ACPI_H
#define VMMD_ACPI_H

#include <stdint.h>

#include "mem.h"

/*
 * The Debian cloud kernel has no MP-table parser (CONFIG_X86_MPPARSE is
 * off): ACPI is how it learns about CPUs and the IOAPIC, and ACPI S5 is
 * how it powers off. vmmd writes a minimal set: RSDP, RSDT, FADT (with a
 * PM1 block at ACPI_PM_BASE), FACS, a MADT, an MCFG (the PCI host
 * bridge's ECAM) and a DSDT: \_S5, the RTC, the PCI root bridge with the
 * device manager's windows (devmgr.h), the ECAM's reservation.
 */
#define ACPI_TABLES	0xe0000ULL	/* where the RSDP scan looks */
#define ACPI_PM_BASE	0x600		/* PM1a_EVT (4 bytes), PM1a_CNT (2) */
#define ACPI_PM1_CNT	(ACPI_PM_BASE + 4)
#define ACPI_SCI_IRQ	9
#define ACPI_S5_TYP	5		/* SLP_TYP in the DSDT's \_S5 */
#define IOAPIC_BASE	0xfec00000ULL
#define LAPIC_BASE	0xfee00000ULL

/* The DSDT's AML into @out: its length, or 0 if more than @max bytes. */
unsigned int acpi_dsdt_aml(uint8_t *out, unsigned int max);
/* Writes the tables; returns the RSDP's guest address. */
uint64_t acpi_build(const struct guest_mem *m, unsigned int cpus);

#endif /* VMMD_ACPI_H */
