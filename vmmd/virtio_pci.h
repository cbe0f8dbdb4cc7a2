/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VIRTIO_PCI_H
#define VMMD_VIRTIO_PCI_H

#include <pthread.h>
#include <stdint.h>

#include <libvmm/virtq.h>

#include "mem.h"
#include "pci.h"

/*
 * The virtio 1.x "modern" PCI transport (virtio 1.2, 4.1), non-transitional:
 * device id 0x1040 + the virtio device type, revision 1, one 32 KiB memory
 * BAR 0:
 *   0x0000  common configuration (4.1.4.3)
 *   0x1000  ISR status (4.1.4.5; there is no INTx, MSI-X is the interrupt)
 *   0x2000  device-specific configuration
 *   0x3000  notifications: queue n at 0x3000 + 4 * n (multiplier 4)
 *   0x4000  MSI-X table, one vector per queue plus one for config changes
 *   0x5000  MSI-X pending bits
 * and the capabilities that point there, plus VIRTIO_PCI_CAP_PCI_CFG.
 *
 * What the guest writes is checked (docs/virtio.md): the status may only
 * move forward (2.1, 3.1.1), FEATURES_OK only sticks for features the
 * device offered that include VIRTIO_F_VERSION_1, DRIVER_OK needs
 * FEATURES_OK, queue registers change only while the queue is disabled,
 * a queue is validated (size, alignment, every ring byte RAM) by libvmm's
 * virtq layer when enabled, MSI-X vector numbers beyond the table read
 * back as VIRTIO_MSI_NO_VECTOR. A driver that breaks the protocol (a bad
 * status write, a bad queue, a malformed chain) gets DEVICE_NEEDS_RESET
 * (0x40) and a config interrupt; the device then does nothing until
 * reset. Every guest buffer goes through libvmm/virtq.h.
 */
#define VIRTIO_MAX_QUEUES	2U
#define VIRTIO_MAX_VECTORS	(VIRTIO_MAX_QUEUES + 1)
#define VIRTIO_MAX_BUFS		260U	/* bufs one chain may hold */
#define VIRTIO_NO_VECTOR	0xffff

#define VIRTIO_S_ACKNOWLEDGE	0x01
#define VIRTIO_S_DRIVER		0x02
#define VIRTIO_S_DRIVER_OK	0x04
#define VIRTIO_S_FEATURES_OK	0x08
#define VIRTIO_S_NEEDS_RESET	0x40
#define VIRTIO_S_FAILED		0x80

#define VIRTIO_F_VERSION_1	32

/* BAR 0 layout. */
#define VIRTIO_BAR_SIZE		0x8000U
#define VIRTIO_COMMON_AT	0x0000U
#define VIRTIO_COMMON_LEN	0x38U
#define VIRTIO_ISR_AT		0x1000U
#define VIRTIO_DEVCFG_AT	0x2000U
#define VIRTIO_DEVCFG_LEN	0x1000U
#define VIRTIO_NOTIFY_AT	0x3000U
#define VIRTIO_NOTIFY_MULT	4U
#define VIRTIO_MSIX_AT		0x4000U
#define VIRTIO_PBA_AT		0x5000U

struct virtio_dev;

/*
 * One chain of queue @q: do the request, return the bytes written into
 * the chain's device-writable buffers (the used length), or -1 if the
 * chain is malformed in a way that has no answer (no status byte): the
 * transport pushes it with length 0 and sets NEEDS_RESET.
 */
typedef int (*virtio_chain_fn)(struct virtio_dev *d, unsigned int q,
			       const struct vmm_virtq_buf *bufs,
			       const struct vmm_virtq_chain *chain);
/*
 * A device whose queue waits for something else than the driver (net's
 * RX waits for packets) handles the notification of every queue itself:
 * the transport calls it, instead of answering the chains, for a
 * notification and at DRIVER_OK; it uses virtio_queue_process() for the
 * queues it answers at once and virtio_queue_pop/push/publish for the rest.
 */
typedef void (*virtio_kick_fn)(struct virtio_dev *d, unsigned int q);

/* What a device type tells the transport. */
struct virtio_type {
	const char *name;
	uint16_t device_type;		/* 2 block, 4 entropy */
	uint32_t pci_class;
	unsigned int nqueues;		/* <= VIRTIO_MAX_QUEUES */
	uint16_t queue_max;		/* largest queue size, a power of two */
	unsigned int max_bufs;		/* buffers per chain, <= VIRTIO_MAX_BUFS */
	virtio_chain_fn chain;
	virtio_kick_fn kick;		/* NULL: answer every chain at once */
};

struct virtio_queue {
	struct vmm_virtq vq;		/* libvmm's: rings, indexes */
	uint16_t size_reg;		/* queue_size as the driver wrote it */
	uint16_t vector;		/* queue_msix_vector */
	/* The fast path (virtio_io.h): set once by virtio_pci_add(). */
	struct virtio_dev *dev;
	unsigned int index;
	int efd;			/* the queue's eventfd, or -1 */
	uint64_t efd_addr;		/* where KVM_IOEVENTFD has it; 0: nowhere */
};

struct msix_entry {
	uint32_t addr_lo, addr_hi, data, ctrl;
};

/*
 * A vector's irqfd: @gsi routes to the MSI @addr/@data (vm_route_msi)
 * and @irqfd raises it (KVM_IRQFD, once). @live while that route is what
 * the table entry says and the vector is unmasked: then an interrupt is
 * a write to @irqfd, else it goes through KVM_SIGNAL_MSI (or the PBA).
 */
struct virtio_vector {
	int irqfd;			/* -1: none, KVM_SIGNAL_MSI only */
	unsigned int gsi;
	int assigned;			/* KVM_IRQFD done */
	int live;
	uint32_t addr, data;
};

/*
 * Threads: the vCPU threads reach a device through the bus (config space,
 * BAR 0: reset, status, queue setup, MSI-X), the I/O thread through
 * virtio_pci_kick() when a queue's eventfd fires. Everything below is
 * read and written with @lock held (recursive: the PCI_CFG window
 * re-enters the BAR access), taken inside the bus lock, never the other
 * way round: the I/O thread takes only @lock, so a long request blocks
 * this device's registers, not the bus. The one exception: pci.c writes
 * pci.cfg under the bus lock alone; signal_vector() may then read a
 * stale MSI-X control byte, and the cfg_hook that follows each such
 * write takes @lock and delivers what became pending.
 */
struct virtio_dev {
	pthread_mutex_t lock;
	struct pci_fn pci;
	const struct virtio_type *type;
	void *priv;			/* the device type's allocation */
	struct vmm_guest_ram ram;
	uint64_t features;		/* offered, VERSION_1 included */
	uint64_t driver_features;
	uint32_t dfselect, gfselect;
	uint16_t config_vector;
	uint16_t queue_select;
	uint8_t status;
	uint8_t config_generation;
	uint8_t isr;
	struct virtio_queue q[VIRTIO_MAX_QUEUES];
	struct msix_entry msix[VIRTIO_MAX_VECTORS];
	struct virtio_vector vec[VIRTIO_MAX_VECTORS];
	uint32_t pba;			/* pending bit per vector */
	unsigned int msix_cap;		/* its offset in config space */
	unsigned int cfg_cap;		/* VIRTIO_PCI_CAP_PCI_CFG's */
	/* The device-specific config (devcfg_len bytes, read-only). */
	uint8_t devcfg[64];
	unsigned int devcfg_len;
	/* Why it asked for a reset, for the log and the unit tests. */
	const char *reset_reason;
	unsigned int resets_logged;
	/* One chain's buffers, for the thread running a queue (under @lock). */
	struct vmm_virtq_buf bufs[VIRTIO_MAX_BUFS];
};

/*
 * Set up @d as a @type device over guest RAM @mem offering @features
 * (device bits; the transport adds VERSION_1), with devcfg/devcfg_len
 * already filled in, and plug it into PCI bus 0. 0, or -1 if no slot or
 * BAR space is left.
 */
int virtio_pci_add(struct virtio_dev *d, const struct virtio_type *type,
		   const struct guest_mem *mem, uint64_t features);
/* Free what virtio_*_add() allocated (the unit tests' fresh machines). */
void virtio_pci_free(struct virtio_dev *d);
/* Did the driver negotiate feature bit @bit? */
int virtio_has(const struct virtio_dev *d, unsigned int bit);
/*
 * For devices with a kick function; all with d->lock held. Queue @qi
 * is running: the driver set DRIVER_OK, enabled it, and the device
 * does not need a reset.
 */
int virtio_queue_running(const struct virtio_dev *d, unsigned int qi);
/* Answer every chain of a running queue @qi with type->chain. */
void virtio_queue_process(struct virtio_dev *d, unsigned int qi);
/* Has the driver made a chain available on running queue @qi? */
int virtio_queue_has_avail(struct virtio_dev *d, unsigned int qi);
/*
 * Take one chain of running queue @qi into @bufs (@cap of them): 1, or
 * 0 if none is there; a malformed ring sets NEEDS_RESET and gives 0.
 */
int virtio_queue_pop(struct virtio_dev *d, unsigned int qi,
		     struct vmm_virtq_buf *bufs, unsigned int cap,
		     struct vmm_virtq_chain *chain);
/* Give a popped chain back with @len bytes written into it. */
void virtio_queue_push(struct virtio_dev *d, unsigned int qi, uint16_t head,
		       uint32_t len);
/* Make the pushed chains visible to the driver and interrupt it. */
void virtio_queue_publish(struct virtio_dev *d, unsigned int qi);
/* The driver broke the protocol (2.1.2): stop, tell it, say why once. */
void virtio_needs_reset(struct virtio_dev *d, const char *why);
/*
 * Queue @qi was notified (its eventfd fired): run it, as a notify write
 * exiting to vmmd would. The I/O thread's entry; takes d->lock.
 */
void virtio_pci_kick(struct virtio_dev *d, unsigned int qi);
/* The BAR access (pci.h's bar_access), for unit tests. */
void virtio_pci_bar(struct pci_fn *f, unsigned int bar, uint64_t off,
		    uint8_t *data, unsigned int size, int write);

#endif /* VMMD_VIRTIO_PCI_H */
