// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI bus 0: configuration mechanism #1, ECAM, and the memory window
 * where BARs decode (pci.h). PCI Local Bus 3.0 section 3.2.2.3.2 for
 * mechanism #1, PCI Express Base section 7.2.2 for ECAM.
 */
#include <stdio.h>
#include <string.h>

#include "bus.h"
#include "devmgr.h"
#include "pci.h"

#define CF8_ENABLE	0x80000000U
#define CF8_PORT	0xcf8
#define CF8_PORTS	8		/* 0xcf8-0xcfb address, 0xcfc-0xcff data */

/* The host bridge: Red Hat's id for a generic PCIe host bridge. */
#define BRIDGE_VENDOR	0x1b36
#define BRIDGE_DEVICE	0x0008
#define CLASS_HOST_BRIDGE 0x060000

static struct pci_fn bridge;
static struct pci_fn *slots[DEVMGR_PCI_SLOTS];
static uint32_t cf8;

uint32_t pci_cfg_get(const struct pci_fn *f, unsigned int off,
		     unsigned int size)
{
	uint32_t v = 0;

	if (off < PCI_CFG_SIZE && size <= 4 && size <= PCI_CFG_SIZE - off)
		memcpy(&v, f->cfg + off, size);
	return v;
}

void pci_cfg_set(struct pci_fn *f, unsigned int off, unsigned int size,
		 uint32_t v)
{
	if (off < PCI_CFG_SIZE && size <= 4 && size <= PCI_CFG_SIZE - off)
		memcpy(f->cfg + off, &v, size);
}

void pci_fn_setup(struct pci_fn *f, uint16_t vendor, uint16_t device,
		  uint32_t class_code, uint8_t revision, uint16_t subsys_id)
{
	memset(f->cfg, 0, sizeof(f->cfg));
	memset(f->wmask, 0, sizeof(f->wmask));
	memset(f->bar_size, 0, sizeof(f->bar_size));
	f->cap_end = PCI_CAP_START;
	pci_cfg_set(f, PCI_VENDOR_ID, 2, vendor);
	pci_cfg_set(f, PCI_DEVICE_ID, 2, device);
	pci_cfg_set(f, PCI_REVISION, 1, revision);
	pci_cfg_set(f, PCI_CLASS_PROG, 3, class_code);
	pci_cfg_set(f, PCI_SUBSYS_VENDOR, 2, vendor);
	pci_cfg_set(f, PCI_SUBSYS_ID, 2, subsys_id);
	/* Memory decode, bus mastering, INTx disable: all a driver may set. */
	f->wmask[PCI_COMMAND] = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	f->wmask[PCI_COMMAND + 1] = PCI_COMMAND_INTX_DISABLE >> 8;
	f->wmask[PCI_INT_LINE] = 0xff;	/* a scratch byte for the OS */
}

int pci_fn_add_bar(struct pci_fn *f, unsigned int bar, uint32_t size)
{
	uint64_t at = devmgr_alloc_mmio(size);
	uint32_t mask = ~(size - 1);

	if (bar >= PCI_BARS || !at)
		return -1;
	f->bar_size[bar] = size;
	/*
	 * A 32-bit, non-prefetchable memory BAR: the type bits (3:0) are
	 * zero and read-only, the address bits below the size too, so a
	 * guest sizing it with all ones reads back ~(size - 1).
	 */
	memcpy(f->wmask + PCI_BAR0 + 4 * bar, &mask, 4);
	pci_cfg_set(f, PCI_BAR0 + 4 * bar, 4, (uint32_t)at);
	return 0;
}

unsigned int pci_fn_add_cap(struct pci_fn *f, const uint8_t *body,
			    unsigned int len)
{
	unsigned int at = f->cap_end, prev;

	if (len < 2 || len > PCI_CFG_SIZE - at)
		return 0;
	memcpy(f->cfg + at, body, len);
	f->cfg[at + 1] = 0;
	/* Link it at the end of the list. */
	if (!f->cfg[PCI_CAP_PTR]) {
		f->cfg[PCI_CAP_PTR] = at;
	} else {
		prev = f->cfg[PCI_CAP_PTR];
		while (f->cfg[prev + 1])
			prev = f->cfg[prev + 1];
		f->cfg[prev + 1] = at;
	}
	f->cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	f->cap_end = (at + len + 3) & ~3U;	/* capabilities are dword aligned */
	return at;
}

int pci_plug(struct pci_fn *f)
{
	int slot = devmgr_alloc_slot();

	if (slot < 0)
		return -1;
	f->slot = slot;
	/* Decoding on: no firmware runs to enable it, the kernel keeps it. */
	f->cfg[PCI_COMMAND] |= PCI_COMMAND_MEMORY;
	slots[slot] = f;
	return 0;
}

void pci_reset(void)
{
	memset(slots, 0, sizeof(slots));
	cf8 = 0;
	devmgr_reset();
	pci_fn_setup(&bridge, BRIDGE_VENDOR, BRIDGE_DEVICE, CLASS_HOST_BRIDGE,
		     0, 0);
	slots[0] = &bridge;
}

static struct pci_fn *lookup(unsigned int dev, unsigned int fn)
{
	/* Single-function devices: functions 1-7 are absent. */
	if (dev >= DEVMGR_PCI_SLOTS || fn)
		return NULL;
	return slots[dev];
}

/*
 * One access to config register @reg (0-4095) of @f, already checked to
 * lie within one dword. Absent functions read all ones (the vendor id
 * 0xffff the OS takes for "nothing here"), beyond 256 bytes zero.
 */
static void cfg_access(struct pci_fn *f, unsigned int reg, uint8_t *data,
		       unsigned int size, int write)
{
	unsigned int i;

	if (!write) {
		if (f && f->cfg_hook && reg < PCI_CFG_SIZE)
			f->cfg_hook(f, reg, size, 0);
		if (!f)
			memset(data, 0xff, size);
		else if (reg >= PCI_CFG_SIZE)
			memset(data, 0, size);
		else
			memcpy(data, f->cfg + reg, size);
		return;
	}
	if (!f || reg >= PCI_CFG_SIZE)
		return;
	for (i = 0; i < size; i++) {
		uint8_t m = f->wmask[reg + i];

		f->cfg[reg + i] = (f->cfg[reg + i] & ~m) | (data[i] & m);
	}
	if (f->cfg_hook)
		f->cfg_hook(f, reg, size, 1);
}

/* 1, 2 or 4 bytes, naturally aligned: what both mechanisms carry. */
static int access_ok(unsigned int reg, unsigned int size)
{
	return (size == 1 || size == 2 || size == 4) && !(reg & (size - 1));
}

void pci_cf8_access(uint64_t off, uint8_t *data, unsigned int size, int write)
{
	unsigned int reg;

	if (off < 4) {
		/*
		 * Only a dword at 0xcf8 is the address register; byte
		 * accesses there (0xcfb is mechanism #2's, which Linux pokes
		 * while probing) pass through to nothing.
		 */
		if (off != 0 || size != 4) {
			if (!write)
				memset(data, 0xff, size);
		} else if (write) {
			cf8 = (uint32_t)bus_get(data, 4) & 0x80fffffcU;
		} else {
			bus_put(data, 4, cf8);
		}
		return;
	}
	reg = (cf8 & 0xfc) + (unsigned int)(off - 4);
	if (!(cf8 & CF8_ENABLE) || ((cf8 >> 16) & 0xff) ||
	    !access_ok(reg, size) || off - 4 + size > 4) {
		if (!write)
			memset(data, 0xff, size);
		return;
	}
	cfg_access(lookup((cf8 >> 11) & 0x1f, (cf8 >> 8) & 7), reg, data, size,
		   write);
}

void pci_ecam_access(uint64_t off, uint8_t *data, unsigned int size, int write)
{
	unsigned int reg = off & 0xfff;

	if (off >= DEVMGR_ECAM_SIZE || !access_ok(reg, size)) {
		if (!write)
			memset(data, 0xff, size);
		return;
	}
	cfg_access(lookup((off >> 15) & 0x1f, (off >> 12) & 7), reg, data,
		   size, write);
}

void pci_mmio_access(uint64_t off, uint8_t *data, unsigned int size, int write)
{
	uint64_t addr = DEVMGR_MMIO_BASE + off;
	unsigned int s, b;

	for (s = 1; s < DEVMGR_PCI_SLOTS; s++) {
		struct pci_fn *f = slots[s];

		if (!f || !(f->cfg[PCI_COMMAND] & PCI_COMMAND_MEMORY))
			continue;
		for (b = 0; b < PCI_BARS; b++) {
			uint64_t base = pci_cfg_get(f, PCI_BAR0 + 4 * b, 4) & ~0xfU;
			uint64_t size_b = f->bar_size[b];

			/* The whole access inside the BAR, or nobody's. */
			if (!size_b || addr < base || addr - base >= size_b ||
			    addr - base + size > size_b)
				continue;
			f->bar_access(f, b, addr - base, data, size, write);
			return;
		}
	}
	if (!write)
		memset(data, 0xff, size);
}

/* The accessors take one buffer both ways; the bus gives writes a const one. */
typedef void (*pci_access_fn)(uint64_t off, uint8_t *data, unsigned int size,
			      int write);

static void write_via(pci_access_fn fn, uint64_t off, const uint8_t *data,
		      unsigned int size)
{
	uint8_t buf[8];

	memcpy(buf, data, size > 8 ? 8 : size);
	fn(off, buf, size, 1);
}

static void cf8_rd(uint64_t off, uint8_t *data, unsigned int size)
{
	pci_cf8_access(off, data, size, 0);
}

static void cf8_wr(uint64_t off, const uint8_t *data, unsigned int size)
{
	write_via(pci_cf8_access, off, data, size);
}

static void ecam_rd(uint64_t off, uint8_t *data, unsigned int size)
{
	pci_ecam_access(off, data, size, 0);
}

static void ecam_wr(uint64_t off, const uint8_t *data, unsigned int size)
{
	write_via(pci_ecam_access, off, data, size);
}

static void window_rd(uint64_t off, uint8_t *data, unsigned int size)
{
	pci_mmio_access(off, data, size, 0);
}

static void window_wr(uint64_t off, const uint8_t *data, unsigned int size)
{
	write_via(pci_mmio_access, off, data, size);
}

void pci_init(void)
{
	pci_reset();
	bus_add_pio("pci-cf8", CF8_PORT, CF8_PORTS, cf8_rd, cf8_wr);
	bus_add_mmio("pci-ecam", DEVMGR_ECAM_BASE, DEVMGR_ECAM_SIZE, ecam_rd,
		     ecam_wr);
	bus_add_mmio("pci-window", DEVMGR_MMIO_BASE, DEVMGR_MMIO_SIZE,
		     window_rd, window_wr);
}
