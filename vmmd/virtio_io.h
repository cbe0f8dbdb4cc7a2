/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VIRTIO_IO_H
#define VMMD_VIRTIO_IO_H

#include <stdint.h>

/*
 * The virtio fast path (docs/virtio.md): each enabled queue's notify
 * address is a KVM_IOEVENTFD, so a guest's notify write signals an
 * eventfd in the kernel instead of exiting to a vCPU thread; one I/O
 * thread per VM waits on every queue's eventfd with epoll and runs the
 * queue (virtio_pci_kick). Without a VM fd (the unit tests) or when the
 * ioctl fails, nothing is registered and the notify write exits to
 * userspace as before: the vCPU thread runs the queue.
 */
struct virtio_queue;

/* The VM whose KVM_IOEVENTFD registrations this is; -1: none (tests). */
void virtio_io_set_vm(int vm_fd);
/* Watch @q's eventfd from the I/O thread: 0, or -1. */
int virtio_io_watch(struct virtio_queue *q);
/*
 * KVM_IOEVENTFD for @efd on an MMIO write of any length at
 * @addr (@assign), or its removal (KVM_IOEVENTFD_FLAG_DEASSIGN): 0 or -1.
 */
int virtio_io_ioeventfd(int efd, uint64_t addr, int assign);
/* Start / stop the I/O thread (run.c, around the vCPUs). */
int virtio_io_start(void);
void virtio_io_stop(void);
/* A queue notify that exited to vmmd (the slow path). */
void virtio_io_count_exit(void);
/* A queue notify taken from its eventfd (the fast path). */
void virtio_io_count_wakeup(void);
/* An MSI-X message sent through an irqfd (@fast) or KVM_SIGNAL_MSI. */
void virtio_io_count_irq(int fast);
/* One stderr line with the counts, if there was any notify. */
void virtio_io_report(void);

#endif /* VMMD_VIRTIO_IO_H */
