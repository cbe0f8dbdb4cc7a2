/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VIRTIO_NET_H
#define VMMD_VIRTIO_NET_H

#include <stdint.h>

#include "mem.h"

/*
 * virtio-net (virtio 1.2, 5.1) over a tap device's fd, opened before the
 * VM starts (tapdev.h: IFF_TAP | IFF_NO_PI | IFF_VNET_HDR), non-blocking.
 * Queue 0 receives, queue 1 transmits; no control queue, one queue pair.
 *
 * Features offered: VIRTIO_NET_F_MAC (the address in the config),
 * VIRTIO_NET_F_STATUS (link always up), VIRTIO_F_INDIRECT_DESC, the
 * transport's VIRTIO_F_VERSION_1, and, when the tap has a vnet header,
 * the offloads: CSUM, HOST_TSO4, HOST_TSO6 (the tap takes them), and
 * GUEST_CSUM, GUEST_TSO4, GUEST_TSO6 as far as TUNSETOFFLOAD accepted
 * them at set-up; the tap's offloads then follow what the driver
 * negotiated, set at DRIVER_OK. No MRG_RXBUF: a large packet goes into
 * one receive chain of several buffers (Linux's "big packets").
 *
 * Every packet has a 12-byte struct virtio_net_hdr (VERSION_1:
 * num_buffers included), passed between the guest and the tap as is,
 * in the same buffer as the frame (or zeros, for a tap without one).
 * Transmit checks the header's copy (virtio_net_tx_hdr_check()) and
 * drops and counts a packet whose header asks for what was not
 * negotiated or points outside the frame; receive drops a packet whose
 * header the driver could not take, and sets num_buffers to 1.
 *
 * Receive never loses a packet for want of buffers: the tap is read
 * only while the driver has made a receive chain available; a packet
 * read waits in the device until a chain comes. A packet larger than the
 * chain it gets (a driver that ignored 5.1.6.3.1) is dropped and the
 * chain given back empty. Transmit writes each chain's header and frame
 * to the tap at once, on the notifying vCPU's thread; a frame the tap
 * refuses is counted and dropped, as a full wire would.
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
	uint64_t rx_bad_hdr, tx_bad_hdr;	/* of the dropped, for the header */
};

/*
 * A NIC on the next PCI slot with address @mac, over tap fd @fd (made
 * non-blocking here) that tapdev_offloads() found @tap. NULL (printed
 * why) if no slot is left. The fd belongs to the device from then on.
 */
struct virtio_dev *virtio_net_add(const struct guest_mem *mem, int fd,
				  unsigned int tap, const uint8_t mac[6],
				  virtio_net_watch_fn watch);
/*
 * Transmit header @hdr (12 bytes) for a frame of @frame bytes under the
 * negotiated @features (5.1.6.2): flags only NEEDS_CSUM, and only with
 * CSUM; csum_start + csum_offset + 2 within the frame; hdr_len within
 * the frame; gso_type NONE, or TCPV4 / TCPV6 with HOST_TSO4 / HOST_TSO6,
 * NEEDS_CSUM and a gso_size other than 0 (no ECN, UDP). NULL if it is
 * good, else what is wrong.
 */
const char *virtio_net_tx_hdr_check(const uint8_t *hdr, uint32_t frame,
				    uint64_t features);
/* The tap's fd, to watch. */
int virtio_net_fd(const struct virtio_dev *d);
/* The tap is readable: move packets into receive chains (takes d->lock). */
void virtio_net_rx(struct virtio_dev *d);
const struct virtio_net_stats *virtio_net_stats(const struct virtio_dev *d);

#endif /* VMMD_VIRTIO_NET_H */
