// SPDX-License-Identifier: GPL-2.0-only
#include "devmgr.h"
#include "ioapic.h"

static unsigned int next_slot = 1;
static uint64_t next_mmio = DEVMGR_MMIO_BASE;
static unsigned int next_gsi = DEVMGR_GSI_BASE;

_Static_assert(DEVMGR_GSI_BASE == IOAPIC_PINS, "device GSIs follow the IOAPIC's");

void devmgr_reset(void)
{
	next_slot = 1;
	next_mmio = DEVMGR_MMIO_BASE;
	next_gsi = DEVMGR_GSI_BASE;
}

unsigned int devmgr_alloc_gsi(unsigned int n)
{
	unsigned int at = next_gsi;

	if (n > DEVMGR_GSI_BASE + DEVMGR_GSIS - next_gsi)
		return 0;
	next_gsi += n;
	return at;
}

int devmgr_alloc_slot(void)
{
	if (next_slot >= DEVMGR_PCI_SLOTS)
		return -1;
	return (int)next_slot++;
}

uint64_t devmgr_alloc_mmio(uint64_t size)
{
	uint64_t at;

	if (size < 0x1000 || (size & (size - 1)) || size > DEVMGR_MMIO_SIZE)
		return 0;
	at = (next_mmio + size - 1) & ~(size - 1);
	if (at + size > DEVMGR_MMIO_BASE + DEVMGR_MMIO_SIZE)
		return 0;
	next_mmio = at + size;
	return at;
}
