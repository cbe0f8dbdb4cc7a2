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
/*
 * KVM_SET_GSI_ROUTING replaces the whole table: vm.c keeps it, in two
 * parts. The IOAPIC's part: GSI -> MSI routes for its level-triggered
 * pins (EOI exits), replaced whole by each call.
 */
void vm_set_msi_routes(const unsigned int *gsi, const uint32_t *addr,
		       const uint32_t *data, unsigned int n);
/*
 * The devices' part: @gsi (one devmgr_alloc_gsi() gave) routes to the MSI
 * @addr/@data from now on, for an irqfd (virtio MSI-X). 0, or -1 if the
 * kernel refused the table (the caller falls back to KVM_SIGNAL_MSI).
 */
int vm_route_msi(unsigned int gsi, uint32_t addr, uint32_t data);
/* KVM_IRQFD: a write to eventfd @efd raises @gsi. 0, or -1. */
int vm_irqfd(int efd, unsigned int gsi);

#endif /* VMMD_VM_H */
