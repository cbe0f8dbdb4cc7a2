// SPDX-License-Identifier: GPL-2.0-only
#include <stdint.h>

#include "acpi.h"
#include "bus.h"
#include "exitcode.h"
#include "irq.h"
#include "reset.h"
#include "run.h"

#define I8042_CMD_RESET	0xfe
#define PM1_SCI_EN	0x0001
#define PM1_PWRBTN	0x0100	/* PWRBTN_STS in PM1_STS, PWRBTN_EN in PM1_EN */
#define PM1_SLP_EN	0x2000
#define PM1_SLP_TYP(v)	(((v) >> 10) & 7)

static uint16_t pm1_sts, pm1_en, pm1_cnt = PM1_SCI_EN;

static void i8042_ignore(uint64_t off, const uint8_t *data, unsigned int size)
{
	(void)off;
	(void)data;
	(void)size;
}

static void i8042_rd(uint64_t off, uint8_t *data, unsigned int size)
{
	(void)off;
	(void)size;
	*data = 0;	/* status: both buffers empty; data: nothing */
}

static void i8042_wr(uint64_t off, const uint8_t *data, unsigned int size)
{
	(void)off;
	(void)size;
	if (*data == I8042_CMD_RESET)
		vmmd_stop(VMMD_EXIT_RESET,
			  "guest reset the machine (i8042 reset: reboot, or panic with panic=N)");
}

static void pm_rd(uint64_t off, uint8_t *data, unsigned int size)
{
	/* Byte-wise: the guest may read a 16-bit register in halves. */
	uint8_t regs[6] = {
		pm1_sts & 0xff, pm1_sts >> 8, pm1_en & 0xff, pm1_en >> 8,
		pm1_cnt & 0xff, pm1_cnt >> 8,
	};
	unsigned int i;

	for (i = 0; i < size && off + i < sizeof(regs); i++)
		data[i] = regs[off + i];
}

/* The SCI is level-triggered: up while an enabled event's status is set. */
static void sci_update(void)
{
	irq_isa_set(ACPI_SCI_IRQ, !!(pm1_sts & pm1_en & PM1_PWRBTN));
}

void reset_power_button(void)
{
	bus_lock();
	pm1_sts |= PM1_PWRBTN;
	sci_update();
	bus_unlock();
}

static void pm_wr(uint64_t off, const uint8_t *data, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < size && off + i < 6; i++) {
		unsigned int at = off + i, shift = (at & 1) * 8;
		uint16_t byte = (uint16_t)data[i] << shift;

		if (at < 2)
			pm1_sts &= ~byte;		/* write 1 to clear */
		else if (at < 4)
			pm1_en = (pm1_en & ~(0xff << shift)) | byte;
		else
			pm1_cnt = (pm1_cnt & ~(0xff << shift)) | byte;
	}
	if (off + size > 4 && (pm1_cnt & PM1_SLP_EN)) {
		pm1_cnt &= ~PM1_SLP_EN;
		if (PM1_SLP_TYP(pm1_cnt) == ACPI_S5_TYP)
			vmmd_stop(VMMD_EXIT_POWEROFF, "guest powered off (ACPI S5)");
	}
	pm1_cnt |= PM1_SCI_EN;	/* always in ACPI mode (no SMI_CMD) */
	sci_update();
}

void reset_init(void)
{
	bus_add_pio("i8042-data", 0x60, 1, i8042_rd, i8042_ignore);
	bus_add_pio("i8042-cmd", 0x64, 1, i8042_rd, i8042_wr);
	bus_add_pio("acpi-pm1", ACPI_PM_BASE, 6, pm_rd, pm_wr);
}
