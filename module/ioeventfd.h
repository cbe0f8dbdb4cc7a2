/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM_IOEVENTFD: a guest write to a registered port or MMIO address
 * signals an eventfd in the kernel instead of exiting to userspace, so a
 * virtqueue notification wakes the device thread directly.
 */
#ifndef LAMINA_IOEVENTFD_H
#define LAMINA_IOEVENTFD_H

#include <linux/types.h>

#include <libvmm/uapi.h>

struct lamina_vm;

/* KVM_IOEVENTFD (assign or deassign): 0 or -errno, as KVM. */
long lamina_ioeventfd_ioctl(struct lamina_vm *vm, void __user *argp);

/*
 * A guest write of @len bytes (the low bytes of @val) at @addr on @bus
 * (VMM_UAPI_IOBUS_PIO or _MMIO): true if an ioeventfd took it (its
 * eventfd was signalled; the write needs nothing else). From the vCPU
 * thread; does not sleep.
 */
bool lamina_ioeventfd_write(struct lamina_vm *vm, u32 bus, u64 addr, u32 len,
			    u64 val);

/* VM destruction: drop every registration (no vCPU runs any more). */
void lamina_ioeventfd_release_all(struct lamina_vm *vm);

#endif /* LAMINA_IOEVENTFD_H */
