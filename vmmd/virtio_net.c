// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-net over a tap device (virtio_net.h). Everything below runs with
 * the device's lock held (virtio_pci.h); virtio_net_rx(), the event
 * thread's entry, takes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virtio_net.h"
#include "virtio_pci.h"

/* Feature bits (5.1.3). */
#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16
#define VIRTIO_F_INDIRECT_DESC	28
#define VIRTIO_NET_S_LINK_UP	1

#define PCI_CLASS_NETWORK_ETHERNET 0x020000
#define NET_CONFIG_LEN		10	/* mac, status, max_virtqueue_pairs */
#define ETH_HLEN		14
/* struct virtio_net_hdr (5.1.6): flags, gso_type, ..., num_buffers at 10. */
#define HDR_FLAGS		0
#define HDR_GSO_TYPE		1
#define HDR_NUM_BUFFERS		10
#define GSO_NONE		0

struct net {
	struct virtio_dev dev;
	int fd;
	virtio_net_watch_fn watch;
	int watching;			/* what watch() was last told */
	struct virtio_net_stats stats;
	/* A packet read from the tap that no receive chain has taken yet. */
	uint8_t pkt[VIRTIO_NET_FRAME_MAX];
	uint32_t pkt_len;
	struct vmm_virtq_buf rx_bufs[VIRTIO_MAX_BUFS];
	/*
	 * A frame to send, gathered from the chain: one write(), so the
	 * sandbox allows no writev, and the guest cannot change it midway.
	 */
	uint8_t tx[VIRTIO_NET_FRAME_MAX];
};

static struct net *to_net(const struct virtio_dev *d)
{
	return d->priv;
}

static void set_watch(struct net *n, int how)
{
	if (n->watching == how || n->watching < 0)
		return;
	n->watching = how;
	if (n->watch)
		n->watch(n->fd, how);
}

/* Copy @len bytes of @src into the chain's writable buffers from @at on. */
static void scatter(struct virtio_dev *d, const struct vmm_virtq_buf *bufs,
		    const struct vmm_virtq_chain *chain, uint32_t at,
		    const uint8_t *src, uint32_t len)
{
	uint32_t i, n;

	for (i = chain->n_read; i < chain->n && len; i++) {
		if (at >= bufs[i].len) {
			at -= bufs[i].len;
			continue;
		}
		n = bufs[i].len - at;
		if (n > len)
			n = len;
		memcpy(d->ram.host + bufs[i].off + at, src, n);
		src += n;
		len -= n;
		at = 0;
	}
}

/* The waiting packet into one receive chain: 1 if it went (or was dropped). */
static int rx_one(struct net *n)
{
	struct virtio_dev *d = &n->dev;
	struct vmm_virtq_chain chain;
	uint8_t hdr[VIRTIO_NET_HDR_LEN] = { 0 };
	uint32_t len = 0;

	if (!virtio_queue_pop(d, VIRTIO_NET_RXQ, n->rx_bufs, VIRTIO_MAX_BUFS,
			      &chain))
		return 0;
	if (chain.n_read) {
		virtio_needs_reset(d, "rx: a device-readable buffer in a receive chain");
	} else if (chain.write_len < VIRTIO_NET_HDR_LEN + n->pkt_len) {
		n->stats.rx_dropped++;	/* 5.1.6.3.1: too small a buffer */
	} else {
		hdr[HDR_NUM_BUFFERS] = 1;	/* 5.1.6.4.1, no MRG_RXBUF */
		scatter(d, n->rx_bufs, &chain, 0, hdr, sizeof(hdr));
		scatter(d, n->rx_bufs, &chain, VIRTIO_NET_HDR_LEN, n->pkt,
			n->pkt_len);
		len = VIRTIO_NET_HDR_LEN + n->pkt_len;
		n->stats.rx_packets++;
	}
	virtio_queue_push(d, VIRTIO_NET_RXQ, chain.head, len);
	n->pkt_len = 0;
	return 1;
}

/* Read one packet from the tap into pkt[]: 1, or 0 if there is none. */
static int rx_read(struct net *n)
{
	ssize_t r = read(n->fd, n->pkt, sizeof(n->pkt));

	if (r > 0) {
		n->pkt_len = (uint32_t)r;
		return 1;
	}
	if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
		set_watch(n, 1);	/* come back when the tap has one */
		return 0;
	}
	fprintf(stderr, "vmmd: virtio-net (00:%02x.0): tap read: %s; receive stops\n",
		n->dev.pci.slot, r < 0 ? strerror(errno) : "end of file");
	set_watch(n, -1);
	return 0;
}

/* Move waiting packets into receive chains. */
static void rx_pending(struct virtio_dev *d)
{
	struct net *n = to_net(d);
	unsigned int moved = 0;

	/* At most a ring's worth, so a flooding tap cannot hold the lock. */
	while (moved < VIRTIO_NET_QUEUE_MAX) {
		/* No buffer: stop polling the tap; a waiting packet stays. */
		if (!virtio_queue_has_avail(d, VIRTIO_NET_RXQ)) {
			set_watch(n, 0);
			break;
		}
		if (!n->pkt_len && (n->watching < 0 || !rx_read(n)))
			break;
		if (!rx_one(n))
			break;
		moved++;
	}
	if (moved) {
		virtio_queue_publish(d, VIRTIO_NET_RXQ);
		if (moved == VIRTIO_NET_QUEUE_MAX)
			set_watch(n, 1);
	}
}

/* Copy @len of the chain's readable bytes, from @skip on, to @dst. */
static void gather(struct virtio_dev *d, const struct vmm_virtq_buf *bufs,
		   const struct vmm_virtq_chain *chain, uint32_t skip,
		   uint8_t *dst, uint32_t len)
{
	uint32_t i, n;

	for (i = 0; i < chain->n_read && len; i++) {
		if (skip >= bufs[i].len) {
			skip -= bufs[i].len;
			continue;
		}
		n = bufs[i].len - skip;
		if (n > len)
			n = len;
		memcpy(dst, d->ram.host + bufs[i].off + skip, n);
		dst += n;
		len -= n;
		skip = 0;
	}
}

static int tx_chain(struct virtio_dev *d, unsigned int q,
		    const struct vmm_virtq_buf *bufs,
		    const struct vmm_virtq_chain *chain)
{
	struct net *n = to_net(d);
	uint8_t hdr[VIRTIO_NET_HDR_LEN];
	uint32_t frame;
	ssize_t r;

	if (q != VIRTIO_NET_TXQ) {
		virtio_needs_reset(d, "rx: queue answered as transmit (bug)");
		return 0;
	}
	if (chain->n_read != chain->n || chain->read_len < VIRTIO_NET_HDR_LEN) {
		virtio_needs_reset(d, "tx: a writable buffer, or no room for virtio_net_hdr");
		return 0;
	}
	/* The header may span buffers; it is copied once, the copy checked. */
	gather(d, bufs, chain, 0, hdr, VIRTIO_NET_HDR_LEN);
	/* 5.1.6.2.1: neither NEEDS_CSUM nor GSO without their features. */
	if (hdr[HDR_FLAGS] != 0 || hdr[HDR_GSO_TYPE] != GSO_NONE) {
		virtio_needs_reset(d, "tx: checksum or segmentation offload asked for, not negotiated");
		return 0;
	}
	frame = chain->read_len - VIRTIO_NET_HDR_LEN;
	if (frame < ETH_HLEN || frame > VIRTIO_NET_FRAME_MAX) {
		n->stats.tx_dropped++;
		return 0;
	}
	gather(d, bufs, chain, VIRTIO_NET_HDR_LEN, n->tx, frame);
	r = write(n->fd, n->tx, frame);
	if (r < 0 && errno == EINTR)
		r = write(n->fd, n->tx, frame);
	if (r != (ssize_t)frame)
		n->stats.tx_dropped++;
	else
		n->stats.tx_packets++;
	return 0;
}

static void net_kick(struct virtio_dev *d, unsigned int q)
{
	if (q == VIRTIO_NET_TXQ)
		virtio_queue_process(d, q);
	else
		rx_pending(d);
}

static const struct virtio_type net_type = {
	.name = "virtio-net",
	.device_type = 1,
	.pci_class = PCI_CLASS_NETWORK_ETHERNET,
	.nqueues = 2,
	.queue_max = VIRTIO_NET_QUEUE_MAX,
	.max_bufs = VIRTIO_MAX_BUFS,
	.chain = tx_chain,
	.kick = net_kick,
};

void virtio_net_rx(struct virtio_dev *d)
{
	pthread_mutex_lock(&d->lock);
	rx_pending(d);
	pthread_mutex_unlock(&d->lock);
}

int virtio_net_fd(const struct virtio_dev *d)
{
	return to_net(d)->fd;
}

const struct virtio_net_stats *virtio_net_stats(const struct virtio_dev *d)
{
	return &to_net(d)->stats;
}

struct virtio_dev *virtio_net_add(const struct guest_mem *mem, int fd,
				  const uint8_t mac[6],
				  virtio_net_watch_fn watch)
{
	uint64_t features = (1ULL << VIRTIO_NET_F_MAC) |
			    (1ULL << VIRTIO_NET_F_STATUS) |
			    (1ULL << VIRTIO_F_INDIRECT_DESC);
	uint16_t status = VIRTIO_NET_S_LINK_UP, pairs = 1;
	int fl = fcntl(fd, F_GETFL);
	struct net *n;

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK)) {
		perror("vmmd: virtio-net: tap fd");
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->fd = fd;
	n->watch = watch;
	n->dev.priv = n;
	memcpy(n->dev.devcfg, mac, 6);
	memcpy(n->dev.devcfg + 6, &status, 2);
	memcpy(n->dev.devcfg + 8, &pairs, 2);
	n->dev.devcfg_len = NET_CONFIG_LEN;
	if (virtio_pci_add(&n->dev, &net_type, mem, features)) {
		fprintf(stderr, "vmmd: virtio-net: no PCI slot or BAR space left\n");
		free(n);
		return NULL;
	}
	return &n->dev;
}
