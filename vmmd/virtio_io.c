// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtio I/O thread and the KVM_IOEVENTFD registrations
 * (virtio_io.h). One thread per VM, not one per device: a VM has a
 * virtio-rng and up to 16 disks, each with one queue, and runs on few
 * host CPUs; one epoll loop serves them all and the sandbox's thread
 * count grows by one whatever the devices. A slow request (a disk's
 * fdatasync) delays the other queues' wakeups, not the vCPUs.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "virtio_io.h"
#include "virtio_pci.h"

#define IO_EVENTS 16

static int vm_fd = -1;
static int epfd = -1, stop_fd = -1;
static pthread_t thread;
static int started;
static atomic_ulong notify_exits, eventfd_wakeups, irqfd_msgs, signal_msgs;

void virtio_io_set_vm(int fd)
{
	vm_fd = fd;
}

/* Created on the first device, before the sandbox: nothing to allow late. */
static int io_epoll(void)
{
	if (epfd < 0)
		epfd = epoll_create1(EPOLL_CLOEXEC);
	return epfd;
}

int virtio_io_watch(struct virtio_queue *q)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = q };

	if (io_epoll() < 0)
		return -1;
	return epoll_ctl(epfd, EPOLL_CTL_ADD, q->efd, &ev);
}

int virtio_io_ioeventfd(int efd, uint64_t addr, int assign)
{
	/* Length 0: a notify of any width hits (virtio 4.1.5.2 writes 16 bits). */
	struct kvm_ioeventfd io = {
		.addr = addr,
		.len = 0,
		.fd = efd,
		.flags = assign ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN,
	};
	static int warned;

	if (vm_fd < 0)
		return -1;
	if (ioctl(vm_fd, KVM_IOEVENTFD, &io) == 0)
		return 0;
	if (!warned++)
		fprintf(stderr, "vmmd: KVM_IOEVENTFD(%s 0x%llx): %s (queue notifies exit to vmmd)\n",
			assign ? "assign" : "deassign",
			(unsigned long long)addr, strerror(errno));
	return -1;
}

static void *io_thread(void *arg)
{
	struct epoll_event ev[IO_EVENTS];
	int i, n;

	(void)arg;
	for (;;) {
		n = epoll_wait(epfd, ev, IO_EVENTS, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		for (i = 0; i < n; i++) {
			if (!ev[i].data.ptr)
				return NULL;	/* virtio_io_stop() */
			virtio_pci_kick(((struct virtio_queue *)ev[i].data.ptr)->dev,
					((struct virtio_queue *)ev[i].data.ptr)->index);
		}
	}
	fprintf(stderr, "vmmd: virtio I/O thread: epoll_wait: %s\n",
		strerror(errno));
	return NULL;
}

int virtio_io_start(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

	if (io_epoll() < 0)
		return -1;
	stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (stop_fd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, stop_fd, &ev) ||
	    pthread_create(&thread, NULL, io_thread, NULL)) {
		fprintf(stderr, "vmmd: cannot start the virtio I/O thread: %s\n",
			strerror(errno));
		return -1;
	}
	started = 1;
	return 0;
}

void virtio_io_stop(void)
{
	uint64_t one = 1;

	if (!started)
		return;
	if (write(stop_fd, &one, sizeof(one)) == sizeof(one))
		pthread_join(thread, NULL);
	started = 0;
}

void virtio_io_count_exit(void)
{
	atomic_fetch_add(&notify_exits, 1);
}

void virtio_io_count_wakeup(void)
{
	atomic_fetch_add(&eventfd_wakeups, 1);
}

void virtio_io_count_irq(int fast)
{
	atomic_fetch_add(fast ? &irqfd_msgs : &signal_msgs, 1);
}

void virtio_io_report(void)
{
	unsigned long exits = atomic_load(&notify_exits);
	unsigned long wakeups = atomic_load(&eventfd_wakeups);

	if (exits || wakeups)
		fprintf(stderr, "vmmd: virtio notifies: %lu exits to vmmd, %lu eventfd wakeups; interrupts: %lu irqfd, %lu KVM_SIGNAL_MSI\n",
			exits, wakeups, atomic_load(&irqfd_msgs),
			atomic_load(&signal_msgs));
}
