/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VM_H
#define VMMD_VM_H

#include <stdint.h>

#include "mem.h"

/*
 * The VM through the KVM ioctl ABI, the same on /dev/kvm and /dev/lamina:
 * open and check the device, create the VM with a split irqchip (LAPICs
 * in the kernel, PIC/IOAPIC/PIT here), map guest RAM. One VM per process.
 */
struct vm {
	int sys_fd;
	int vm_fd;
	int run_size;		/* KVM_GET_VCPU_MMAP_SIZE */
	int has_immediate_exit;
	int has_tsc_deadline;
};

extern struct vm vm;

/* Open dev and check API version and capabilities: VMMD_EXIT_DEVICE or 0. */
int vm_open(const char *dev, unsigned int cpus);
/* Create the VM and its memory slots; VMMD_EXIT_FAILURE or 0. */
int vm_create(const struct guest_mem *m);
void vm_close(void);

/* An MSI from the IOAPIC model (KVM_SIGNAL_MSI). */
void vm_signal_msi(uint32_t addr, uint32_t data);
/* GSI -> MSI routes for level-triggered IOAPIC pins (EOI exits). */
void vm_set_msi_routes(const unsigned int *gsi, const uint32_t *addr,
		       const uint32_t *data, unsigned int n);

#endif /* VMMD_VM_H */
