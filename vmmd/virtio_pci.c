// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtio 1.x PCI transport (virtio_pci.h). Section numbers are
 * virtio 1.2's. The bus's entry points (BAR and config space) run with
 * the bus lock held, the I/O thread's (virtio_pci_kick) without it; each
 * takes the device's lock (virtio_pci.h says what it covers).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bus.h"
#include "devmgr.h"
#include "virtio_io.h"
#include "virtio_pci.h"
#include "vm.h"

#define VIRTIO_PCI_VENDOR	0x1af4
#define VIRTIO_PCI_DEVICE_BASE	0x1040	/* + device type (4.1.2.1) */
#define PCI_CAP_VNDR		0x09
#define PCI_CAP_MSIX		0x11
#define MSIX_CTRL_ENABLE	0x80	/* in the control word's high byte */
#define MSIX_CTRL_MASKALL	0x40
#define MSIX_ENTRY_MASKED	0x1

/* cfg_type of struct virtio_pci_cap (4.1.4). */
enum {
	CAP_COMMON = 1,
	CAP_NOTIFY = 2,
	CAP_ISR = 3,
	CAP_DEVICE = 4,
	CAP_PCI_CFG = 5,
};

#define VIRTIO_RESETS_LOGGED 8
#define ISR_QUEUE	0x1
#define ISR_CONFIG	0x2
#define STATUS_STEPS	(VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER | \
			 VIRTIO_S_FEATURES_OK | VIRTIO_S_DRIVER_OK)

static inline struct virtio_dev *to_virtio(struct pci_fn *f)
{
	return f->priv;
}

static unsigned int nvectors(const struct virtio_dev *d)
{
	return d->type->nqueues + 1;
}

int virtio_has(const struct virtio_dev *d, unsigned int bit)
{
	return bit < 64 && (d->driver_features >> bit) & 1;
}

static int msix_on(const struct virtio_dev *d)
{
	return d->pci.cfg[d->msix_cap + 3] & MSIX_CTRL_ENABLE;
}

static int vector_masked(const struct virtio_dev *d, unsigned int v)
{
	return (d->pci.cfg[d->msix_cap + 3] & MSIX_CTRL_MASKALL) ||
	       (d->msix[v].ctrl & MSIX_ENTRY_MASKED);
}

/*
 * Make each unmasked vector's GSI route say what its table entry says,
 * so that its irqfd can carry it; a vector whose route fails stays on
 * KVM_SIGNAL_MSI. Masked vectors keep their last route, unused: an
 * unmask with the same address and data costs no ioctl.
 */
static void sync_vectors(struct virtio_dev *d)
{
	unsigned int v;

	for (v = 0; v < nvectors(d); v++) {
		struct virtio_vector *x = &d->vec[v];
		const struct msix_entry *e = &d->msix[v];

		if (x->irqfd < 0 || !msix_on(d) || vector_masked(d, v) ||
		    e->addr_hi)
			continue;
		if (x->live && x->addr == e->addr_lo && x->data == e->data)
			continue;
		x->live = 0;
		if (vm_route_msi(x->gsi, e->addr_lo, e->data))
			continue;
		if (!x->assigned && vm_irqfd(x->irqfd, x->gsi))
			continue;
		x->assigned = 1;
		x->addr = e->addr_lo;
		x->data = e->data;
		x->live = 1;
	}
}

/* The message of unmasked vector @v: through its irqfd if it is live. */
static void send_vector(struct virtio_dev *d, unsigned int v)
{
	const struct virtio_vector *x = &d->vec[v];
	const struct msix_entry *e = &d->msix[v];
	uint64_t one = 1;

	if (x->live && x->addr == e->addr_lo && x->data == e->data &&
	    write(x->irqfd, &one, sizeof(one)) == sizeof(one)) {
		virtio_io_count_irq(1);
		return;
	}
	virtio_io_count_irq(0);
	vm_signal_msi(e->addr_lo, e->data);
}

/* Send MSI-X vector @v, or leave it pending while masked (PCI 3.0 6.8.3.5). */
static void signal_vector(struct virtio_dev *d, uint16_t v)
{
	static int warned;
	struct msix_entry *e;

	if (v >= nvectors(d) || !msix_on(d))
		return;
	e = &d->msix[v];
	if (vector_masked(d, v)) {
		d->pba |= 1U << v;
		return;
	}
	d->pba &= ~(1U << v);
	/* An address above 4 GiB is no LAPIC's: the message goes nowhere. */
	if (e->addr_hi) {
		if (!warned++)
			fprintf(stderr, "vmmd: %s: MSI-X address 0x%x%08x dropped\n",
				d->type->name, e->addr_hi, e->addr_lo);
		return;
	}
	send_vector(d, v);
}

/* After a write to the MSI-X table or control word: routes, then what waited. */
static void deliver_pending(struct virtio_dev *d)
{
	unsigned int v;

	sync_vectors(d);
	for (v = 0; v < nvectors(d); v++)
		if (d->pba & (1U << v))
			signal_vector(d, v);
}

/* 2.1.2: the device stops and tells the driver with a config interrupt. */
static void needs_reset(struct virtio_dev *d, const char *why)
{
	if (d->status & VIRTIO_S_NEEDS_RESET)
		return;
	d->status |= VIRTIO_S_NEEDS_RESET;
	d->reset_reason = why;
	/* A driver can reset and break it again in a loop: say it a few times. */
	if (d->resets_logged < VIRTIO_RESETS_LOGGED) {
		d->resets_logged++;
		fprintf(stderr, "vmmd: %s (00:%02x.0): DEVICE_NEEDS_RESET: %s%s\n",
			d->type->name, d->pci.slot, why,
			d->resets_logged == VIRTIO_RESETS_LOGGED ?
			" (no more of these for this device)" : "");
	}
	if (d->status & VIRTIO_S_DRIVER_OK) {
		d->isr |= ISR_CONFIG;
		signal_vector(d, d->config_vector);
	}
}

static void device_reset(struct virtio_dev *d)
{
	unsigned int i;

	d->driver_features = 0;
	d->dfselect = d->gfselect = 0;
	d->config_vector = VIRTIO_NO_VECTOR;
	d->queue_select = 0;
	d->status = 0;
	d->isr = 0;
	d->reset_reason = NULL;
	for (i = 0; i < VIRTIO_MAX_QUEUES; i++) {
		memset(&d->q[i].vq, 0, sizeof(d->q[i].vq));
		d->q[i].size_reg = d->type->queue_max;
		d->q[i].vector = VIRTIO_NO_VECTOR;
	}
}

/* The selected queue, or NULL if queue_select names none (4.1.4.3). */
static struct virtio_queue *selected(struct virtio_dev *d)
{
	if (d->queue_select >= d->type->nqueues)
		return NULL;
	return &d->q[d->queue_select];
}

static uint16_t vector_or_none(const struct virtio_dev *d, uint16_t v)
{
	/* 4.1.5.1.2: a vector the device cannot map reads back as none. */
	return v < nvectors(d) ? v : VIRTIO_NO_VECTOR;
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void common_image(struct virtio_dev *d, uint8_t *img)
{
	struct virtio_queue *q = selected(d);

	memset(img, 0, VIRTIO_COMMON_LEN);
	put32(img + 0x00, d->dfselect);
	if (d->dfselect < 2)
		put32(img + 0x04, (uint32_t)(d->features >> (32 * d->dfselect)));
	put32(img + 0x08, d->gfselect);
	if (d->gfselect < 2)
		put32(img + 0x0c,
		      (uint32_t)(d->driver_features >> (32 * d->gfselect)));
	put16(img + 0x10, d->config_vector);
	put16(img + 0x12, d->type->nqueues);
	img[0x14] = d->status;
	img[0x15] = d->config_generation;
	put16(img + 0x16, d->queue_select);
	if (!q)
		return;			/* queue_size 0: no such queue */
	put16(img + 0x18, q->size_reg);
	put16(img + 0x1a, q->vector);
	put16(img + 0x1c, q->vq.ready ? 1 : 0);
	put16(img + 0x1e, d->queue_select);	/* queue_notify_off */
	put64(img + 0x20, q->vq.desc_gpa);
	put64(img + 0x28, q->vq.avail_gpa);
	put64(img + 0x30, q->vq.used_gpa);
}

static int features_acceptable(const struct virtio_dev *d)
{
	return !(d->driver_features & ~d->features) &&
	       virtio_has(d, VIRTIO_F_VERSION_1);
}

static void start_queues(struct virtio_dev *d);

/* 2.1 and 3.1.1: the status only moves forward, one step after another. */
static void write_status(struct virtio_dev *d, uint8_t v)
{
	uint8_t steps;

	if (v == 0) {
		device_reset(d);
		return;
	}
	if (d->status & VIRTIO_S_NEEDS_RESET)
		return;			/* nothing but a reset now */
	if (v & VIRTIO_S_FAILED) {
		d->status |= VIRTIO_S_FAILED;	/* the driver gave up */
		return;
	}
	if (v & ~STATUS_STEPS) {
		needs_reset(d, "status: unknown or device-only bits written");
		return;
	}
	if (d->status & ~v & STATUS_STEPS) {
		needs_reset(d, "status: a bit cleared without a reset");
		return;
	}
	steps = v;
	if (((steps & VIRTIO_S_DRIVER) && !(steps & VIRTIO_S_ACKNOWLEDGE)) ||
	    ((steps & VIRTIO_S_FEATURES_OK) && !(steps & VIRTIO_S_DRIVER))) {
		needs_reset(d, "status: steps out of order");
		return;
	}
	/* 3.1.1 step 6: FEATURES_OK does not stick for unacceptable ones. */
	if ((steps & VIRTIO_S_FEATURES_OK) &&
	    !(d->status & VIRTIO_S_FEATURES_OK) && !features_acceptable(d))
		steps &= ~VIRTIO_S_FEATURES_OK;
	if ((steps & VIRTIO_S_DRIVER_OK) && !(steps & VIRTIO_S_FEATURES_OK)) {
		needs_reset(d, "status: DRIVER_OK without FEATURES_OK");
		return;
	}
	if ((steps & VIRTIO_S_DRIVER_OK) && !(d->status & VIRTIO_S_DRIVER_OK)) {
		d->status = steps;
		start_queues(d);
		return;
	}
	d->status = steps;
}

static void enable_queue(struct virtio_dev *d, struct virtio_queue *q)
{
	enum vmm_virtq_err e;

	if (!(d->status & VIRTIO_S_FEATURES_OK) ||
	    (d->status & VIRTIO_S_DRIVER_OK)) {
		needs_reset(d, "queue_enable outside feature negotiation and DRIVER_OK");
		return;
	}
	if (q->size_reg > d->type->queue_max) {
		needs_reset(d, "queue_size above the device's maximum");
		return;
	}
	q->vq.size = q->size_reg;
	q->vq.indirect = virtio_has(d, 28);	/* VIRTIO_F_INDIRECT_DESC */
	e = vmm_virtq_enable(&q->vq, &d->ram);
	if (e != VMM_VIRTQ_OK)
		needs_reset(d, "queue_enable: bad queue size or ring address");
}

/* Writes of a 64-bit ring address: whole, or a 32-bit half (4.1.3.1). */
static void write_addr(vmm_u64 *a, unsigned int off, unsigned int size,
		       uint64_t v)
{
	if (size == 8)
		*a = v;
	else if (off & 4)
		*a = (*a & 0xffffffffULL) | (v << 32);
	else
		*a = (*a & ~0xffffffffULL) | (v & 0xffffffffULL);
}

static void common_write(struct virtio_dev *d, unsigned int off,
			 unsigned int size, uint64_t v)
{
	struct virtio_queue *q = selected(d);
	/* Queue registers change only while the queue is off (4.1.4.3.2). */
	int q_open = q && !q->vq.ready && !(d->status & VIRTIO_S_NEEDS_RESET);

	if (off >= 0x20 && off < 0x38 && (size == 4 || size == 8) &&
	    !(off & (size - 1))) {
		if (q_open) {
			vmm_u64 *a = off < 0x28 ? &q->vq.desc_gpa :
				      off < 0x30 ? &q->vq.avail_gpa :
						   &q->vq.used_gpa;

			write_addr(a, off, size, v);
		}
		return;
	}
	switch ((off << 4) | size) {
	case (0x00 << 4) | 4:
		d->dfselect = v;
		break;
	case (0x08 << 4) | 4:
		d->gfselect = v;
		break;
	case (0x0c << 4) | 4:
		/* 3.1.1: features are fixed once FEATURES_OK is set. */
		if (d->gfselect < 2 && !(d->status & VIRTIO_S_FEATURES_OK)) {
			unsigned int sh = 32 * d->gfselect;

			d->driver_features &= ~(0xffffffffULL << sh);
			d->driver_features |= (v & 0xffffffffULL) << sh;
		}
		break;
	case (0x10 << 4) | 2:
		d->config_vector = vector_or_none(d, v);
		break;
	case (0x14 << 4) | 1:
		write_status(d, v);
		break;
	case (0x16 << 4) | 2:
		d->queue_select = v;
		break;
	case (0x18 << 4) | 2:
		if (q_open)
			q->size_reg = v;
		break;
	case (0x1a << 4) | 2:
		if (q)
			q->vector = vector_or_none(d, v);
		break;
	case (0x1c << 4) | 2:
		/* 4.1.4.3.2: the driver MUST NOT write 0; 1 once. */
		if (q_open && v == 1)
			enable_queue(d, q);
		else if (q && v != 1)
			needs_reset(d, "queue_enable: a value other than 1");
		break;
	default:
		break;			/* read-only or not a register */
	}
}

int virtio_queue_running(const struct virtio_dev *d, unsigned int qi)
{
	return qi < d->type->nqueues && d->q[qi].vq.ready &&
	       (d->status & VIRTIO_S_DRIVER_OK) &&
	       !(d->status & (VIRTIO_S_NEEDS_RESET | VIRTIO_S_FAILED));
}

void virtio_needs_reset(struct virtio_dev *d, const char *why)
{
	needs_reset(d, why);
}

static void queue_broken(struct virtio_dev *d, enum vmm_virtq_err e)
{
	if (e != VMM_VIRTQ_EMPTY && e != VMM_VIRTQ_OK)
		needs_reset(d, "malformed virtqueue (avail index, descriptor chain or buffer)");
}

int virtio_queue_has_avail(struct virtio_dev *d, unsigned int qi)
{
	struct virtio_queue *q = &d->q[qi];
	enum vmm_virtq_err e;
	uint16_t avail;

	if (!virtio_queue_running(d, qi))
		return 0;
	e = vmm_virtq_avail_idx(&q->vq, &d->ram, &avail);
	queue_broken(d, e);
	return e == VMM_VIRTQ_OK && avail != q->vq.last_avail_idx;
}

int virtio_queue_pop(struct virtio_dev *d, unsigned int qi,
		     struct vmm_virtq_buf *bufs, unsigned int cap,
		     struct vmm_virtq_chain *chain)
{
	struct virtio_queue *q = &d->q[qi];
	enum vmm_virtq_err e;
	uint16_t avail;

	if (!virtio_queue_running(d, qi))
		return 0;
	e = vmm_virtq_avail_idx(&q->vq, &d->ram, &avail);
	/* The ring entries are read after the index that covers them. */
	atomic_thread_fence(memory_order_acquire);
	if (e == VMM_VIRTQ_OK)
		e = vmm_virtq_pop(&q->vq, &d->ram, avail, bufs, cap, chain);
	queue_broken(d, e);
	return e == VMM_VIRTQ_OK;
}

void virtio_queue_push(struct virtio_dev *d, unsigned int qi, uint16_t head,
		       uint32_t len)
{
	queue_broken(d, vmm_virtq_push(&d->q[qi].vq, &d->ram, head, len));
}

void virtio_queue_publish(struct virtio_dev *d, unsigned int qi)
{
	struct virtio_queue *q = &d->q[qi];

	/* Buffers and used elements are visible before used->idx ... */
	atomic_thread_fence(memory_order_release);
	vmm_virtq_publish(&q->vq, &d->ram);
	/* ... and used->idx before the interrupt that announces it. */
	atomic_thread_fence(memory_order_seq_cst);
	d->isr |= ISR_QUEUE;
	signal_vector(d, q->vector);
}

/* Take the chains the driver made available and answer each. */
void virtio_queue_process(struct virtio_dev *d, unsigned int qi)
{
	struct vmm_virtq_buf *bufs = d->bufs;	/* 4 KiB: not on a stack */
	struct virtio_queue *q = &d->q[qi];
	struct vmm_virtq_chain chain;
	enum vmm_virtq_err e;
	unsigned int done = 0;
	uint16_t avail;
	int len;

	if (!virtio_queue_running(d, qi))
		return;
	e = vmm_virtq_avail_idx(&q->vq, &d->ram, &avail);
	/* The ring entries are read after the index that covers them. */
	atomic_thread_fence(memory_order_acquire);
	while (e == VMM_VIRTQ_OK) {
		e = vmm_virtq_pop(&q->vq, &d->ram, avail, bufs,
				  d->type->max_bufs, &chain);
		if (e != VMM_VIRTQ_OK)
			break;
		len = d->type->chain(d, qi, bufs, &chain);
		if (len < 0) {
			needs_reset(d, "a request with no status byte to answer in");
			len = 0;
		}
		e = vmm_virtq_push(&q->vq, &d->ram, chain.head, (uint32_t)len);
		done++;
	}
	queue_broken(d, e);
	if (done)
		virtio_queue_publish(d, qi);
}

/* The device's work on queue @qi: its own kick, or every chain answered. */
static void kick(struct virtio_dev *d, unsigned int qi)
{
	if (d->type->kick)
		d->type->kick(d, qi);
	else
		virtio_queue_process(d, qi);
}

/*
 * DRIVER_OK: buffers the driver made available before it (and notified
 * about: virtio-rng's probe does) are taken now. 2.1.2 and 3.1.1 keep
 * the device from using them earlier.
 */
static void start_queues(struct virtio_dev *d)
{
	unsigned int qi;

	for (qi = 0; qi < d->type->nqueues; qi++)
		if (d->q[qi].vq.ready)
			kick(d, qi);
}

static void notify(struct virtio_dev *d, unsigned int qi)
{
	if (virtio_queue_running(d, qi))
		kick(d, qi);
}

/*
 * Queue @qi's eventfd: if it counted a notify, take the count and run the
 * queue. With d->lock held, so that count and queue go together: see
 * drain_notifies().
 */
static void take_notify(struct virtio_dev *d, unsigned int qi)
{
	uint64_t n;

	if (d->q[qi].efd < 0 ||
	    read(d->q[qi].efd, &n, sizeof(n)) != sizeof(n))
		return;			/* EAGAIN: nothing (left) to take */
	virtio_io_count_wakeup();
	notify(d, qi);
}

void virtio_pci_kick(struct virtio_dev *d, unsigned int qi)
{
	pthread_mutex_lock(&d->lock);
	take_notify(d, qi);
	pthread_mutex_unlock(&d->lock);
}

/*
 * Before a register access: run what the eventfds counted and the I/O
 * thread has not taken yet. KVM signals the eventfd during the guest's
 * notify write, so a driver's next access to this device (a status read,
 * a reset) finds the notify done, as when the write exited to vmmd;
 * tests/vguest/virtqueue_hostile.c counts on it. Costs one read() per
 * queue on register accesses, which Linux's I/O path does not make.
 */
static void drain_notifies(struct virtio_dev *d)
{
	unsigned int qi;

	for (qi = 0; qi < d->type->nqueues; qi++)
		take_notify(d, qi);
}

/*
 * Where queue @qi's notify write lands now: BAR 0 as the guest placed it,
 * while memory decoding is on and the queue is enabled; 0 for nowhere.
 */
static uint64_t notify_addr(const struct virtio_dev *d, unsigned int qi)
{
	uint64_t bar = pci_cfg_get(&d->pci, PCI_BAR0, 4) & ~0xfULL;

	if (!d->q[qi].vq.ready || (d->status & VIRTIO_S_NEEDS_RESET) ||
	    !(pci_cfg_get(&d->pci, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY) ||
	    !bar || bar + VIRTIO_BAR_SIZE > 0x100000000ULL)
		return 0;
	return bar + VIRTIO_NOTIFY_AT + VIRTIO_NOTIFY_MULT * qi;
}

/*
 * Make each queue's KVM_IOEVENTFD match where its notify lands: after
 * every register write, so queue_enable, a reset, NEEDS_RESET, a BAR
 * move or memory decoding turned off all (de)register. A failed assign
 * leaves the queue on the slow path (the write exits to vmmd).
 */
static void sync_notify(struct virtio_dev *d)
{
	unsigned int qi;

	for (qi = 0; qi < d->type->nqueues; qi++) {
		struct virtio_queue *q = &d->q[qi];
		uint64_t want = notify_addr(d, qi);

		if (q->efd < 0 || want == q->efd_addr)
			continue;
		if (q->efd_addr)
			virtio_io_ioeventfd(q->efd, q->efd_addr, 0);
		q->efd_addr = 0;
		if (want && !virtio_io_ioeventfd(q->efd, want, 1))
			q->efd_addr = want;
	}
}

static void msix_access(struct virtio_dev *d, unsigned int off, uint8_t *data,
			unsigned int size, int write)
{
	unsigned int n = off / 16, field = off % 16;
	struct msix_entry *e;
	uint32_t *w;

	/* One aligned dword of one entry: what PCI 3.0 6.8.2 allows drivers. */
	if (size != 4 || (off & 3) || n >= nvectors(d)) {
		if (!write)
			memset(data, 0xff, size);
		return;
	}
	e = &d->msix[n];
	w = field == 0 ? &e->addr_lo : field == 4 ? &e->addr_hi :
	    field == 8 ? &e->data : &e->ctrl;
	if (!write) {
		bus_put(data, 4, *w);
		return;
	}
	*w = (uint32_t)bus_get(data, 4);
	if (field == 0)
		e->addr_lo &= ~3U;
	if (field == 12)
		e->ctrl &= MSIX_ENTRY_MASKED;
	deliver_pending(d);
}

void virtio_pci_free(struct virtio_dev *d)
{
	unsigned int qi;

	if (!d)
		return;
	for (qi = 0; qi < VIRTIO_MAX_QUEUES; qi++) {
		if (d->q[qi].efd_addr)
			virtio_io_ioeventfd(d->q[qi].efd, d->q[qi].efd_addr, 0);
		if (d->q[qi].efd >= 0)
			close(d->q[qi].efd);	/* leaves the epoll set too */
	}
	for (qi = 0; qi < VIRTIO_MAX_VECTORS; qi++)
		if (d->vec[qi].irqfd >= 0)
			close(d->vec[qi].irqfd);	/* KVM drops the irqfd */
	pthread_mutex_destroy(&d->lock);
	free(d->priv);
}

static void bar_access(struct virtio_dev *d, unsigned int bar, uint64_t off,
		       uint8_t *data, unsigned int size, int write)
{
	uint8_t img[VIRTIO_COMMON_LEN];

	if (!write)
		memset(data, 0xff, size);
	if (bar != 0 || size > 8)
		return;
	if (off < VIRTIO_COMMON_AT + VIRTIO_COMMON_LEN) {
		if (off + size > VIRTIO_COMMON_LEN)
			return;
		if (write) {
			common_write(d, off, size, bus_get(data, size));
		} else {
			common_image(d, img);
			memcpy(data, img + off, size);
		}
	} else if (off >= VIRTIO_ISR_AT && off < VIRTIO_ISR_AT + 4) {
		/* 4.1.4.5: reading the ISR clears it. */
		if (!write) {
			memset(data, 0, size);
			data[0] = d->isr;
			d->isr = 0;
		}
	} else if (off >= VIRTIO_DEVCFG_AT &&
		   off < VIRTIO_DEVCFG_AT + VIRTIO_DEVCFG_LEN) {
		unsigned int o = off - VIRTIO_DEVCFG_AT;

		/* Read-only; bytes past the structure read as zero. */
		if (!write) {
			memset(data, 0, size);
			if (o < d->devcfg_len)
				memcpy(data, d->devcfg + o,
				       size < d->devcfg_len - o ? size :
				       d->devcfg_len - o);
		}
	} else if (off >= VIRTIO_NOTIFY_AT &&
		   off < VIRTIO_NOTIFY_AT + VIRTIO_NOTIFY_MULT * d->type->nqueues) {
		if (write) {
			virtio_io_count_exit();
			notify(d, (off - VIRTIO_NOTIFY_AT) / VIRTIO_NOTIFY_MULT);
		}
	} else if (off >= VIRTIO_MSIX_AT && off < VIRTIO_MSIX_AT + 0x1000) {
		msix_access(d, off - VIRTIO_MSIX_AT, data, size, write);
	} else if (off >= VIRTIO_PBA_AT && off < VIRTIO_PBA_AT + 8 && !write) {
		uint64_t pba = d->pba;

		if (off + size <= VIRTIO_PBA_AT + 8)
			memcpy(data, (uint8_t *)&pba + (off - VIRTIO_PBA_AT), size);
	}
}

void virtio_pci_bar(struct pci_fn *f, unsigned int bar, uint64_t off,
		    uint8_t *data, unsigned int size, int write)
{
	struct virtio_dev *d = to_virtio(f);

	pthread_mutex_lock(&d->lock);
	drain_notifies(d);
	bar_access(d, bar, off, data, size, write);
	if (write)
		sync_notify(d);
	pthread_mutex_unlock(&d->lock);
}

/*
 * VIRTIO_PCI_CAP_PCI_CFG (4.1.4.9): a window into the BARs through config
 * space. The access happens when the driver reads or writes pci_cfg_data,
 * with the bar, offset and length it set; anything else is ignored.
 */
static void cfg_window(struct virtio_dev *d, int write)
{
	uint8_t *c = d->pci.cfg + d->cfg_cap;
	uint32_t off, len;

	memcpy(&off, c + 8, 4);
	memcpy(&len, c + 12, 4);
	if (c[4] != 0 || (len != 1 && len != 2 && len != 4) || (off & (len - 1)) ||
	    off >= VIRTIO_BAR_SIZE)
		return;
	bar_access(d, 0, off, c + 16, len, write);
}

static void cfg_hook(struct pci_fn *f, unsigned int off, unsigned int size,
		     int write)
{
	struct virtio_dev *d = to_virtio(f);
	unsigned int data = d->cfg_cap + 16;

	pthread_mutex_lock(&d->lock);
	drain_notifies(d);
	if (off < data + 4 && off + size > data)
		cfg_window(d, write);
	/* The MSI-X control word: enabling or unmasking sends what waited. */
	if (write && off <= d->msix_cap + 3 && off + size > d->msix_cap + 2)
		deliver_pending(d);
	/* The command register or BAR 0 may have moved the notify addresses. */
	if (write)
		sync_notify(d);
	pthread_mutex_unlock(&d->lock);
}

/*
 * The lock, each queue's eventfd watched by the I/O thread, each vector's
 * irqfd and GSI.
 */
static int fast_path_init(struct virtio_dev *d)
{
	pthread_mutexattr_t a;
	unsigned int qi, v, gsi;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&d->lock, &a);
	pthread_mutexattr_destroy(&a);
	/* No GSIs left: every vector on KVM_SIGNAL_MSI. */
	gsi = devmgr_alloc_gsi(nvectors(d));
	for (v = 0; v < VIRTIO_MAX_VECTORS; v++) {
		d->vec[v] = (struct virtio_vector){ .irqfd = -1, .gsi = gsi + v };
		if (gsi && v < nvectors(d))
			d->vec[v].irqfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	}
	for (qi = 0; qi < VIRTIO_MAX_QUEUES; qi++) {
		struct virtio_queue *q = &d->q[qi];

		q->dev = d;
		q->index = qi;
		q->efd_addr = 0;
		q->efd = -1;
		if (qi >= d->type->nqueues)
			continue;
		q->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (q->efd < 0 || virtio_io_watch(q)) {
			fprintf(stderr, "vmmd: %s: no eventfd for queue %u\n",
				d->type->name, qi);
			return -1;
		}
	}
	return 0;
}

static unsigned int add_vcap(struct pci_fn *f, uint8_t type, uint32_t at,
			     uint32_t len, unsigned int extra)
{
	uint8_t c[20] = { PCI_CAP_VNDR, 0, 16 + extra, type, 0 };

	put32(c + 8, at);
	put32(c + 12, len);
	if (type == CAP_NOTIFY)
		put32(c + 16, VIRTIO_NOTIFY_MULT);
	return pci_fn_add_cap(f, c, 16 + extra);
}

int virtio_pci_add(struct virtio_dev *d, const struct virtio_type *type,
		   const struct guest_mem *mem, uint64_t features)
{
	uint8_t msix[12] = { PCI_CAP_MSIX };
	struct pci_fn *f = &d->pci;
	unsigned int i, n;

	d->type = type;
	d->ram.host = mem->host;
	d->ram.size = mem->size;
	d->ram.low_size = mem->low_size;
	d->features = features | (1ULL << VIRTIO_F_VERSION_1);
	n = nvectors(d);
	msix[2] = (n - 1) & 0xff;
	msix[3] = (n - 1) >> 8;
	for (i = 0; i < VIRTIO_MAX_VECTORS; i++)
		d->msix[i] = (struct msix_entry){ .ctrl = MSIX_ENTRY_MASKED };
	d->pba = 0;
	device_reset(d);
	if (fast_path_init(d))
		return -1;

	/* 4.1.2.1: non-transitional, revision 1 or higher. */
	pci_fn_setup(f, VIRTIO_PCI_VENDOR,
		     VIRTIO_PCI_DEVICE_BASE + type->device_type, type->pci_class,
		     1, type->device_type);
	f->priv = d;
	f->bar_access = virtio_pci_bar;
	f->cfg_hook = cfg_hook;
	if (pci_fn_add_bar(f, 0, VIRTIO_BAR_SIZE))
		return -1;
	add_vcap(f, CAP_COMMON, VIRTIO_COMMON_AT, VIRTIO_COMMON_LEN, 0);
	add_vcap(f, CAP_NOTIFY, VIRTIO_NOTIFY_AT,
		 VIRTIO_NOTIFY_MULT * type->nqueues, 4);
	add_vcap(f, CAP_ISR, VIRTIO_ISR_AT, 1, 0);
	/* Only a device with a config has the capability: Linux refuses length 0. */
	if (d->devcfg_len)
		add_vcap(f, CAP_DEVICE, VIRTIO_DEVCFG_AT, d->devcfg_len, 0);
	d->cfg_cap = add_vcap(f, CAP_PCI_CFG, 0, 0, 4);
	/* bar, offset, length and data of the window are the driver's. */
	f->wmask[d->cfg_cap + 4] = 0xff;
	memset(f->wmask + d->cfg_cap + 8, 0xff, 12);
	put32(msix + 4, VIRTIO_MSIX_AT);	/* BIR 0 */
	put32(msix + 8, VIRTIO_PBA_AT);
	d->msix_cap = pci_fn_add_cap(f, msix, sizeof(msix));
	f->wmask[d->msix_cap + 3] = MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL;
	return pci_plug(f);
}
