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
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tapdev.h"
#include "virtio_net.h"
#include "virtio_pci.h"

/* Feature bits (5.1.3). */
#define VIRTIO_NET_F_CSUM	0
#define VIRTIO_NET_F_GUEST_CSUM	1
#define VIRTIO_NET_F_GUEST_TSO4	7
#define VIRTIO_NET_F_GUEST_TSO6	8
#define VIRTIO_NET_F_HOST_TSO4	11
#define VIRTIO_NET_F_HOST_TSO6	12
#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16
#define VIRTIO_F_INDIRECT_DESC	28
#define VIRTIO_NET_S_LINK_UP	1

#define PCI_CLASS_NETWORK_ETHERNET 0x020000
#define NET_CONFIG_LEN		10	/* mac, status, max_virtqueue_pairs */
#define ETH_HLEN		14
/* struct virtio_net_hdr (5.1.6), little-endian. */
#define HDR_FLAGS		0
#define HDR_GSO_TYPE		1
#define HDR_HDR_LEN		2
#define HDR_GSO_SIZE		4
#define HDR_CSUM_START		6
#define HDR_CSUM_OFFSET		8
#define HDR_NUM_BUFFERS		10
#define F_NEEDS_CSUM		1
#define F_DATA_VALID		2
#define GSO_NONE		0
#define GSO_TCPV4		1
#define GSO_TCPV6		4

struct net {
	struct virtio_dev dev;
	int fd;
	unsigned int tap;		/* tapdev_offloads() */
	unsigned int tun_offload;	/* TUNSETOFFLOAD as last set */
	int offload_err;		/* its failure was reported */
	virtio_net_watch_fn watch;
	int watching;			/* what watch() was last told */
	struct virtio_net_stats stats;
	unsigned int pushed;		/* receive chains answered this turn */
	/*
	 * A packet read from the tap that no receive chain has taken yet:
	 * its virtio_net_hdr (the tap's, or zeros for a tap without one),
	 * then the frame; pkt_len counts both.
	 */
	uint8_t pkt[VIRTIO_NET_HDR_LEN + VIRTIO_NET_FRAME_MAX];
	uint32_t pkt_len;
	struct vmm_virtq_buf rx_bufs[VIRTIO_MAX_BUFS];
	/*
	 * A header and frame to send, gathered from the chain at once: one
	 * write(), so the sandbox allows no writev, and the guest cannot
	 * change the header between its check and the tap's read.
	 */
	uint8_t tx[VIRTIO_NET_HDR_LEN + VIRTIO_NET_FRAME_MAX];
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

static int negotiated(const struct net *n, unsigned int bit)
{
	return (n->dev.driver_features >> bit) & 1;
}

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

/*
 * Turn on the tap's offloads the driver negotiated, off the rest (none
 * before DRIVER_OK): TUNSETOFFLOAD decides whether the tap may hand us
 * packets with a partial checksum (TUN_F_CSUM) or unsegmented
 * (TUN_F_TSO4/6). The sandbox allows this one tap ioctl for it.
 */
static void sync_offloads(struct net *n)
{
	unsigned int want = 0;

	if (!(n->tap & TAPDEV_VNET_HDR))
		return;
	if ((n->dev.status & VIRTIO_S_DRIVER_OK) &&
	    negotiated(n, VIRTIO_NET_F_GUEST_CSUM)) {
		want = TUN_F_CSUM;
		if (negotiated(n, VIRTIO_NET_F_GUEST_TSO4))
			want |= TUN_F_TSO4;
		if (negotiated(n, VIRTIO_NET_F_GUEST_TSO6))
			want |= TUN_F_TSO6;
	}
	want &= n->tap;
	if (want == n->tun_offload)
		return;
	if (ioctl(n->fd, TUNSETOFFLOAD, (unsigned long)want)) {
		if (!n->offload_err)
			fprintf(stderr, "vmmd: virtio-net (00:%02x.0): tap offloads 0x%x: %s\n",
				n->dev.pci.slot, want, strerror(errno));
		n->offload_err = 1;
		return;
	}
	n->tun_offload = want;
}

/*
 * The tap's header for the driver (5.1.6.4.1): what was not negotiated
 * may not reach it (a packet the tap queued before the offloads went
 * off): 0, or -1 to drop the packet. DATA_VALID is cleared without
 * GUEST_CSUM; num_buffers is 1 (no MRG_RXBUF).
 */
static int rx_hdr(const struct net *n, uint8_t *hdr)
{
	uint8_t gso = hdr[HDR_GSO_TYPE];

	if (!negotiated(n, VIRTIO_NET_F_GUEST_CSUM)) {
		if (hdr[HDR_FLAGS] & F_NEEDS_CSUM)
			return -1;
		hdr[HDR_FLAGS] = 0;
	}
	if (hdr[HDR_FLAGS] & ~(F_NEEDS_CSUM | F_DATA_VALID))
		return -1;
	if (gso != GSO_NONE &&
	    !(gso == GSO_TCPV4 && negotiated(n, VIRTIO_NET_F_GUEST_TSO4)) &&
	    !(gso == GSO_TCPV6 && negotiated(n, VIRTIO_NET_F_GUEST_TSO6)))
		return -1;
	hdr[HDR_NUM_BUFFERS] = 1;
	hdr[HDR_NUM_BUFFERS + 1] = 0;
	return 0;
}

/*
 * The waiting packet into one receive chain: 1 if it went or was
 * dropped, 0 if no chain was there. A chain of several buffers takes a
 * packet larger than a page: Linux's "big packets" receive buffers for
 * GUEST_TSO without MRG_RXBUF (5.1.6.3.1).
 */
static int rx_one(struct net *n)
{
	struct virtio_dev *d = &n->dev;
	struct vmm_virtq_chain chain;
	uint32_t len = 0;

	if (rx_hdr(n, n->pkt)) {
		n->stats.rx_dropped++;
		n->stats.rx_bad_hdr++;
		n->pkt_len = 0;
		return 1;
	}
	if (!virtio_queue_pop(d, VIRTIO_NET_RXQ, n->rx_bufs, VIRTIO_MAX_BUFS,
			      &chain))
		return 0;
	if (chain.n_read) {
		virtio_needs_reset(d, "rx: a device-readable buffer in a receive chain");
	} else if (chain.write_len < n->pkt_len) {
		n->stats.rx_dropped++;	/* 5.1.6.3.1: too small a buffer */
	} else {
		scatter(d, n->rx_bufs, &chain, 0, n->pkt, n->pkt_len);
		len = n->pkt_len;
		n->stats.rx_packets++;
	}
	virtio_queue_push(d, VIRTIO_NET_RXQ, chain.head, len);
	n->pkt_len = 0;
	n->pushed++;
	return 1;
}

/*
 * Read one packet from the tap into pkt[]: 1, or 0 if there is none.
 * A tap without a vnet header gets a zero one in front of its frame.
 */
static int rx_read(struct net *n)
{
	uint32_t at = (n->tap & TAPDEV_VNET_HDR) ? 0 : VIRTIO_NET_HDR_LEN;
	ssize_t r;

	memset(n->pkt, 0, VIRTIO_NET_HDR_LEN);
	r = read(n->fd, n->pkt + at, sizeof(n->pkt) - at);
	if (r > 0) {
		n->pkt_len = at + (uint32_t)r;
		if (n->pkt_len < VIRTIO_NET_HDR_LEN + ETH_HLEN) {
			n->stats.rx_dropped++;	/* not a frame */
			n->pkt_len = 0;
		}
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
	unsigned int turns = 0;

	sync_offloads(n);
	n->pushed = 0;
	/* At most a ring's worth, so a flooding tap cannot hold the lock. */
	while (turns < VIRTIO_NET_QUEUE_MAX) {
		/* No buffer: stop polling the tap; a waiting packet stays. */
		if (!virtio_queue_has_avail(d, VIRTIO_NET_RXQ)) {
			set_watch(n, 0);
			break;
		}
		if (!n->pkt_len && (n->watching < 0 || !rx_read(n)))
			break;
		turns++;
		if (n->pkt_len && !rx_one(n))
			break;
	}
	if (n->pushed)
		virtio_queue_publish(d, VIRTIO_NET_RXQ);
	if (turns == VIRTIO_NET_QUEUE_MAX)
		set_watch(n, 1);
}

/*
 * A transmit header (5.1.6.2) asks only for what was negotiated, and
 * its offsets lie within the frame. NULL if so, else what is wrong.
 */
const char *virtio_net_tx_hdr_check(const uint8_t *hdr, uint32_t frame,
				    uint64_t features)
{
	uint8_t flags = hdr[HDR_FLAGS], gso = hdr[HDR_GSO_TYPE];
	uint32_t start = get16(hdr + HDR_CSUM_START);
	uint32_t off = get16(hdr + HDR_CSUM_OFFSET);

	if (flags & ~F_NEEDS_CSUM)
		return "flags other than NEEDS_CSUM";
	if ((flags & F_NEEDS_CSUM) && !((features >> VIRTIO_NET_F_CSUM) & 1))
		return "NEEDS_CSUM without VIRTIO_NET_F_CSUM";
	if ((flags & F_NEEDS_CSUM) && start + off + 2 > frame)
		return "csum_start + csum_offset + 2 past the frame";
	if (get16(hdr + HDR_HDR_LEN) > frame)
		return "hdr_len past the frame";
	if (gso == GSO_NONE)
		return NULL;
	if (!(gso == GSO_TCPV4 && ((features >> VIRTIO_NET_F_HOST_TSO4) & 1)) &&
	    !(gso == GSO_TCPV6 && ((features >> VIRTIO_NET_F_HOST_TSO6) & 1)))
		return "gso_type unknown or not negotiated";
	if (!(flags & F_NEEDS_CSUM))
		return "GSO without NEEDS_CSUM";
	if (!get16(hdr + HDR_GSO_SIZE))
		return "GSO with gso_size 0";
	return NULL;
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
	uint32_t frame, len;
	const uint8_t *out;
	ssize_t r;

	if (q != VIRTIO_NET_TXQ) {
		virtio_needs_reset(d, "rx: queue answered as transmit (bug)");
		return 0;
	}
	if (chain->n_read != chain->n || chain->read_len < VIRTIO_NET_HDR_LEN) {
		virtio_needs_reset(d, "tx: a writable buffer, or no room for virtio_net_hdr");
		return 0;
	}
	frame = chain->read_len - VIRTIO_NET_HDR_LEN;
	if (frame < ETH_HLEN || frame > VIRTIO_NET_FRAME_MAX) {
		n->stats.tx_dropped++;
		return 0;
	}
	/*
	 * Header and frame copied once, together (the header may span
	 * buffers); the copy is checked and is what the tap gets.
	 */
	gather(d, bufs, chain, 0, n->tx, VIRTIO_NET_HDR_LEN + frame);
	if (virtio_net_tx_hdr_check(n->tx, frame, d->driver_features)) {
		n->stats.tx_dropped++;
		n->stats.tx_bad_hdr++;
		return 0;
	}
	if (n->tap & TAPDEV_VNET_HDR) {
		n->tx[HDR_NUM_BUFFERS] = 0;	/* 5.1.6.2: the tap's to ignore */
		n->tx[HDR_NUM_BUFFERS + 1] = 0;
		out = n->tx;
		len = VIRTIO_NET_HDR_LEN + frame;
	} else {
		out = n->tx + VIRTIO_NET_HDR_LEN;	/* it asked for nothing */
		len = frame;
	}
	r = write(n->fd, out, len);
	if (r < 0 && errno == EINTR)
		r = write(n->fd, out, len);
	if (r != (ssize_t)len)
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

/*
 * The offloads offered for a tap that tapdev_offloads() found @tap.
 * The host side needs only the vnet header: the tap takes a frame with
 * a partial checksum or to segment whatever TUNSETOFFLOAD says. The
 * guest side needs the tap to be allowed to hand such frames over.
 */
static uint64_t offload_features(unsigned int tap)
{
	uint64_t f = 0;

	if (!(tap & TAPDEV_VNET_HDR))
		return 0;
	f = (1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_HOST_TSO4) |
	    (1ULL << VIRTIO_NET_F_HOST_TSO6);
	if (tap & TUN_F_CSUM)
		f |= 1ULL << VIRTIO_NET_F_GUEST_CSUM;
	if ((tap & TUN_F_CSUM) && (tap & TUN_F_TSO4))
		f |= 1ULL << VIRTIO_NET_F_GUEST_TSO4;
	if ((tap & TUN_F_CSUM) && (tap & TUN_F_TSO6))
		f |= 1ULL << VIRTIO_NET_F_GUEST_TSO6;
	return f;
}

struct virtio_dev *virtio_net_add(const struct guest_mem *mem, int fd,
				  unsigned int tap, const uint8_t mac[6],
				  virtio_net_watch_fn watch)
{
	uint64_t features = (1ULL << VIRTIO_NET_F_MAC) |
			    (1ULL << VIRTIO_NET_F_STATUS) |
			    (1ULL << VIRTIO_F_INDIRECT_DESC) |
			    offload_features(tap);
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
	n->tap = tap;
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
