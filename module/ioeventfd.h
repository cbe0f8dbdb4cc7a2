/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM_IOEVENTFD: a guest write to a registered port or MMIO address
 * signals an eventfd in the kernel instead of exiting to userspace, so a
 * virtqueue notification wakes the device thread directly.
 */
#ifndef LAMINA_IOEVENTFD_H
#define LAMINA_IOEVENTFD_H

#include <linux/types.h>

struct lamina_vm;

/* The address spaces an ioeventfd can watch (KVM's buses). */
enum lamina_iobus {
	LAMINA_IOBUS_MMIO,
	LAMINA_IOBUS_PIO,
	/* s390's virtio-ccw notification: accepted as KVM does, never hit. */
	LAMINA_IOBUS_CCW,
};

/* KVM_IOEVENTFD (assign or deassign): 0 or -errno, as KVM. */
long lamina_ioeventfd_ioctl(struct lamina_vm *vm, void __user *argp);

/*
 * A guest write of @len bytes (@val, zero-extended) at @addr on @bus:
 * true if an ioeventfd took it (its eventfd was signalled and the write
 * needs nothing else). From the vCPU thread; does not sleep.
 */
bool lamina_ioeventfd_write(struct lamina_vm *vm, enum lamina_iobus bus,
			    u64 addr, u32 len, u64 val);

/* VM destruction: drop every registration (no vCPU runs any more). */
void lamina_ioeventfd_release_all(struct lamina_vm *vm);

#endif /* LAMINA_IOEVENTFD_H */
