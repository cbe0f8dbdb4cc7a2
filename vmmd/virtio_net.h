/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VIRTIO_NET_H
#define VMMD_VIRTIO_NET_H

#include <stdint.h>

#include "mem.h"

/*
 * virtio-net (virtio 1.2, 5.1) over a tap device's fd, opened before the
 * VM starts (IFF_TAP | IFF_NO_PI, no IFF_VNET_HDR), non-blocking. Queue 0
 * receives, queue 1 transmits; no control queue, one queue pair.
 *
 * Features offered: VIRTIO_NET_F_MAC (the address in the config),
 * VIRTIO_NET_F_STATUS (link always up), VIRTIO_F_INDIRECT_DESC, and the
 * transport's VIRTIO_F_VERSION_1. No offloads (CSUM, GUEST_CSUM, TSO,
 * UFO) and no MRG_RXBUF: every packet has a 12-byte struct
 * virtio_net_hdr (VERSION_1: num_buffers included), which the device
 * writes as zeros with num_buffers 1 on receive (5.1.6.4.1) and which on
 * transmit must ask for nothing (flags 0, gso_type NONE: neither
 * NEEDS_CSUM nor GSO was negotiated), or the device needs a reset.
 *
 * Receive never loses a packet for want of buffers: the tap is read
 * only while the driver has made a receive chain available; a packet
 * read waits in the device until a chain comes. A packet larger than the
 * chain it gets (a driver that ignored 5.1.6.3.1's 1526 bytes) is
 * dropped and the chain given back empty. Transmit writes each chain's
 * frame (header stripped) to the tap at once, on the notifying vCPU's
 * thread; a frame the tap refuses is counted and dropped, as a full
 * wire would.
 */
#define VIRTIO_NET_QUEUE_MAX	256U
#define VIRTIO_NET_HDR_LEN	12U	/* struct virtio_net_hdr, VERSION_1 */
#define VIRTIO_NET_FRAME_MAX	65600U	/* tap MTU 65535 + Ethernet + VLAN */
#define VIRTIO_NET_RXQ		0U
#define VIRTIO_NET_TXQ		1U

struct virtio_dev;

/*
 * Whether the owner should watch @fd for input (level-triggered): on 1,
 * off 0, never again -1 (the tap failed). Called with the bus lock held.
 */
typedef void (*virtio_net_watch_fn)(int fd, int how);

/* Counters, for the log at the end and the unit tests. */
struct virtio_net_stats {
	uint64_t rx_packets, rx_dropped, tx_packets, tx_dropped;
};

/*
 * A NIC on the next PCI slot with address @mac, over tap fd @fd (made
 * non-blocking here). NULL (printed why) if no slot is left. The fd
 * belongs to the device from then on.
 */
struct virtio_dev *virtio_net_add(const struct guest_mem *mem, int fd,
				  const uint8_t mac[6],
				  virtio_net_watch_fn watch);
/* The tap's fd, to watch. */
int virtio_net_fd(const struct virtio_dev *d);
/* The tap is readable: move packets into receive chains (takes d->lock). */
void virtio_net_rx(struct virtio_dev *d);
const struct virtio_net_stats *virtio_net_stats(const struct virtio_dev *d);

#endif /* VMMD_VIRTIO_NET_H */
