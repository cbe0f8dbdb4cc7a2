// SPDX-License-Identifier: GPL-2.0-only
/* ACPI tables, byte by byte (ACPI 6.x layouts, revisions Linux accepts). */
#include <string.h>

#include "acpi.h"
#include "devmgr.h"

#define HDR_LEN		36
#define FADT_LEN	244	/* revision 3 */
#define FACS_LEN	64

/* Table area layout below 0x100000, each table 64-byte aligned. */
#define RSDP_AT		(ACPI_TABLES + 0x000)
#define RSDT_AT		(ACPI_TABLES + 0x040)
#define FACS_AT		(ACPI_TABLES + 0x080)
#define FADT_AT		(ACPI_TABLES + 0x100)
#define MADT_AT		(ACPI_TABLES + 0x200)	/* <= 594 bytes (64 CPUs) */
#define MCFG_AT		(ACPI_TABLES + 0x480)
#define DSDT_AT		(ACPI_TABLES + 0x500)
#define ACPI_AREA	0x1000
#define MCFG_LEN	(HDR_LEN + 8 + 16)

static void put8(uint8_t *p, unsigned int off, uint8_t v) { p[off] = v; }
static void put16(uint8_t *p, unsigned int off, uint16_t v) { memcpy(p + off, &v, 2); }
static void put32(uint8_t *p, unsigned int off, uint32_t v) { memcpy(p + off, &v, 4); }

static uint8_t checksum(const uint8_t *p, unsigned int len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return (uint8_t)-sum;
}

static void header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t, 4, len);
	put8(t, 8, rev);
	memcpy(t + 10, "LAMINA", 6);
	memcpy(t + 16, "VMMD    ", 8);
	put32(t, 24, 1);
	memcpy(t + 28, "LMNA", 4);
	put32(t, 32, 1);
}

static void seal(uint8_t *t)
{
	uint32_t len;

	memcpy(&len, t + 4, 4);
	t[9] = 0;
	t[9] = checksum(t, len);
}

static void build_fadt(uint8_t *t)
{
	header(t, "FACP", FADT_LEN, 3);
	put32(t, 36, FACS_AT);
	put32(t, 40, DSDT_AT);
	put16(t, 46, ACPI_SCI_IRQ);
	/* SMI_CMD 0: ACPI mode is always on, no handover to do. */
	put32(t, 56, ACPI_PM_BASE);		/* PM1a_EVT_BLK */
	put32(t, 64, ACPI_PM1_CNT);		/* PM1a_CNT_BLK */
	put8(t, 88, 4);				/* PM1_EVT_LEN */
	put8(t, 89, 2);				/* PM1_CNT_LEN */
	put16(t, 96, 101);			/* P_LVL2_LAT > 100: no C2 */
	put16(t, 98, 1001);			/* P_LVL3_LAT > 1000: no C3 */
	put8(t, 108, 0x32);			/* CENTURY: CMOS register */
	/*
	 * IAPC_BOOT_ARCH: no LEGACY_DEVICES, no 8042 (the i8042 model only
	 * resets; this keeps the PS/2 driver from probing it), VGA absent.
	 */
	put16(t, 109, 1 << 2);
	/*
	 * WBINVD, PROC_C1, SLP_BUTTON as a control method (there is none).
	 * PWR_BUTTON (bit 4) clear: the fixed-feature power button in PM1
	 * (reset.c), which is how virsh shutdown asks the guest to stop.
	 */
	put32(t, 112, (1 << 0) | (1 << 2) | (1 << 5));
	seal(t);
}

static void build_madt(uint8_t *t, unsigned int cpus)
{
	unsigned int off = 44, i;

	put32(t, 36, LAPIC_BASE);
	put32(t, 40, 1);			/* PCAT_COMPAT: 8259s present */
	for (i = 0; i < cpus; i++) {		/* Processor Local APIC */
		put8(t, off, 0);
		put8(t, off + 1, 8);
		put8(t, off + 2, i);		/* ACPI processor UID */
		put8(t, off + 3, i);		/* APIC ID */
		put32(t, off + 4, 1);		/* enabled */
		off += 8;
	}
	put8(t, off, 1);			/* I/O APIC, ID 0, GSI base 0 */
	put8(t, off + 1, 12);
	put8(t, off + 2, 0);
	put32(t, off + 4, IOAPIC_BASE);
	put32(t, off + 8, 0);
	off += 12;
	put8(t, off, 2);			/* ISA IRQ 0 (PIT) -> GSI 2 */
	put8(t, off + 1, 10);
	put32(t, off + 4, 2);
	off += 10;
	put8(t, off, 2);			/* SCI: IRQ 9, level, high */
	put8(t, off + 1, 10);
	put8(t, off + 3, ACPI_SCI_IRQ);
	put32(t, off + 4, ACPI_SCI_IRQ);
	put16(t, off + 8, 0x000d);
	off += 10;
	put8(t, off, 4);			/* LAPIC NMI: all CPUs, LINT1 */
	put8(t, off + 1, 6);
	put8(t, off + 2, 0xff);
	put8(t, off + 5, 1);
	off += 6;
	header(t, "APIC", off, 3);
	seal(t);
}

/* The PCI host bridge's ECAM, as the device manager placed it. */
static void build_mcfg(uint8_t *t)
{
	uint64_t base = DEVMGR_ECAM_BASE;

	header(t, "MCFG", MCFG_LEN, 1);
	memcpy(t + HDR_LEN + 8, &base, 8);	/* after 8 reserved bytes */
	put16(t, HDR_LEN + 16, 0);		/* segment 0 */
	put8(t, HDR_LEN + 18, 0);		/* buses 0 ... */
	put8(t, HDR_LEN + 19, 0);		/* ... to 0 */
	seal(t);
}

uint64_t acpi_build(const struct guest_mem *m, unsigned int cpus)
{
	uint8_t *area = guest_mem_ptr(m, ACPI_TABLES, ACPI_AREA);
	uint8_t *rsdp = area + (RSDP_AT - ACPI_TABLES);
	uint8_t *rsdt = area + (RSDT_AT - ACPI_TABLES);
	uint8_t *facs = area + (FACS_AT - ACPI_TABLES);
	uint8_t *dsdt = area + (DSDT_AT - ACPI_TABLES);

	unsigned int aml_len;

	memset(area, 0, ACPI_AREA);
	/* cpus <= 64: the MADT (44 + 8 * 64 + 38 bytes) fits before MCFG_AT. */
	build_madt(area + (MADT_AT - ACPI_TABLES), cpus);
	build_fadt(area + (FADT_AT - ACPI_TABLES));

	build_mcfg(area + (MCFG_AT - ACPI_TABLES));
	/* The AML is vmmd's own and fits: 0 would be a bug, seen at once. */
	aml_len = acpi_dsdt_aml(dsdt + HDR_LEN,
				ACPI_AREA - (DSDT_AT - ACPI_TABLES) - HDR_LEN);
	header(dsdt, "DSDT", HDR_LEN + aml_len, 2);
	seal(dsdt);

	memcpy(facs, "FACS", 4);
	put32(facs, 4, FACS_LEN);
	put8(facs, 32, 1);			/* version */

	header(rsdt, "RSDT", HDR_LEN + 12, 1);
	put32(rsdt, HDR_LEN, FADT_AT);
	put32(rsdt, HDR_LEN + 4, MADT_AT);
	put32(rsdt, HDR_LEN + 8, MCFG_AT);
	seal(rsdt);

	memcpy(rsdp, "RSD PTR ", 8);		/* ACPI 1.0 RSDP, 20 bytes */
	memcpy(rsdp + 9, "LAMINA", 6);
	put32(rsdp, 16, RSDT_AT);
	rsdp[8] = checksum(rsdp, 20);
	return RSDP_AT;
}
