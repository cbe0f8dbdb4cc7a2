/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_PCI_H
#define VMMD_PCI_H

#include <stdint.h>

/*
 * PCI bus 0 behind a host bridge at 00:00.0, reached two ways:
 * configuration mechanism #1 (address at port 0xcf8, data at 0xcfc-0xcff)
 * and ECAM (devmgr.h places it; ACPI's MCFG names it). Functions are
 * single-function devices with a type 0 header of 256 bytes; the
 * extended space of ECAM reads as zero (no extended capabilities).
 *
 * The model keeps each function's header in a byte array with a mask of
 * the bits the guest may change: read-only fields stay what the device
 * said, whatever the guest writes. BARs are 32-bit memory BARs whose
 * guest writes are masked to the BAR's size (sizing with all ones reads
 * back the size); an access in the PCI memory window goes to the BAR
 * that holds it while the function's Memory Space Enable bit is set.
 * Called with the bus lock held, like every device model.
 */
#define PCI_CFG_SIZE		256U
#define PCI_BARS		6U

#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_MEMORY	0x0002
#define  PCI_COMMAND_MASTER	0x0004
#define  PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS		0x06
#define  PCI_STATUS_CAP_LIST	0x0010
#define PCI_REVISION		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_SUBSYS_VENDOR	0x2c
#define PCI_SUBSYS_ID		0x2e
#define PCI_CAP_PTR		0x34
#define PCI_INT_LINE		0x3c
#define PCI_INT_PIN		0x3d
#define PCI_CAP_START		0x40

struct pci_fn;

/* A BAR access: @off within the BAR, 1-8 bytes, little endian. */
typedef void (*pci_bar_fn)(struct pci_fn *f, unsigned int bar, uint64_t off,
			   uint8_t *data, unsigned int size, int write);
/*
 * Before a guest read of, or after a guest write to, config bytes
 * [off, off + size): for capabilities whose bytes are live.
 */
typedef void (*pci_cfg_fn)(struct pci_fn *f, unsigned int off,
			   unsigned int size, int write);

struct pci_fn {
	uint8_t cfg[PCI_CFG_SIZE];
	uint8_t wmask[PCI_CFG_SIZE];	/* bits the guest may write */
	uint32_t bar_size[PCI_BARS];	/* 0: no BAR */
	unsigned int slot;
	unsigned int cap_end;		/* next free capability offset */
	pci_bar_fn bar_access;
	pci_cfg_fn cfg_hook;		/* may be NULL */
	void *priv;
};

/* Register the bridge and the buses (CF8/CFC, ECAM, memory window). */
void pci_init(void);
/*
 * Fill @f's header: ids, class, revision; nothing else set. The caller
 * adds BARs and capabilities, then plugs it in.
 */
void pci_fn_setup(struct pci_fn *f, uint16_t vendor, uint16_t device,
		  uint32_t class_code, uint8_t revision, uint16_t subsys_id);
/*
 * Give BAR @bar (a 32-bit memory BAR of @size bytes) a home from the
 * device manager. Returns 0, or -1 if the window is full.
 */
int pci_fn_add_bar(struct pci_fn *f, unsigned int bar, uint32_t size);
/*
 * Append a capability of @len bytes (@body[0] its id; the next pointer,
 * @body[1], is filled in here), read-only until the caller marks bytes
 * writable in f->wmask. Returns its offset in config space, or 0 if it
 * does not fit.
 */
unsigned int pci_fn_add_cap(struct pci_fn *f, const uint8_t *body,
			    unsigned int len);
/* Take a slot on bus 0 and start decoding: 0, or -1 if none is left. */
int pci_plug(struct pci_fn *f);
/* Forget every function (unit tests; a fresh machine). */
void pci_reset(void);

/* The guest-visible accessors, for the unit tests (the bus calls them). */
void pci_cf8_access(uint64_t port_off, uint8_t *data, unsigned int size,
		    int write);
void pci_ecam_access(uint64_t off, uint8_t *data, unsigned int size,
		     int write);
void pci_mmio_access(uint64_t off, uint8_t *data, unsigned int size,
		     int write);

/* Little-endian helpers on config bytes. */
uint32_t pci_cfg_get(const struct pci_fn *f, unsigned int off,
		     unsigned int size);
void pci_cfg_set(struct pci_fn *f, unsigned int off, unsigned int size,
		 uint32_t v);

#endif /* VMMD_PCI_H */
