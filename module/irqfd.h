/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM_IRQFD: a device thread signals an eventfd and the guest takes the
 * MSI that KVM_SET_GSI_ROUTING gave the GSI, without a round trip
 * through the vCPU thread.
 */
#ifndef LAMINA_IRQFD_H
#define LAMINA_IRQFD_H

struct lamina_vm;

/* Module load / unload: the workqueue that tears irqfds down. */
int lamina_irqfd_init(void);
void lamina_irqfd_exit(void);

/* KVM_IRQFD (assign or deassign): 0 or -errno, as KVM. */
long lamina_irqfd_ioctl(struct lamina_vm *vm, void __user *argp);

/*
 * VM destruction, before the vCPUs go: detach every irqfd from its
 * eventfd and wait until no injection runs any more.
 */
void lamina_irqfd_release_all(struct lamina_vm *vm);

#endif /* LAMINA_IRQFD_H */
