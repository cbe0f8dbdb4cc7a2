/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_TAPDEV_H
#define VMMD_TAPDEV_H

/*
 * Attach to tap device @name through /dev/net/tun, making it if it does
 * not exist (that needs CAP_NET_ADMIN), or let the kernel pick a name
 * ("tapN") when @name is NULL or empty: IFF_TAP | IFF_NO_PI |
 * IFF_VNET_HDR, Ethernet frames each behind a virtio_net_hdr (the flag
 * can only be given here, at TUNSETIFF; a kernel that refuses it gets
 * bare frames, and the NIC no offloads). The fd (close-on-exec), or -1
 * with errno set and *@stage saying which step failed.
 */
int tapdev_open(const char *name, const char **stage);

/* What tapdev_offloads() found, besides the TUN_F_* bits it may hold. */
#define TAPDEV_VNET_HDR	(1U << 31)

/*
 * Which offloads tap fd @fd can carry, probed once at device set-up,
 * before the sandbox: 0 if it has no vnet header (IFF_VNET_HDR not set
 * when it was attached, or not a tap), else TAPDEV_VNET_HDR with the
 * header size set to 12 bytes (TUNSETVNETHDRSZ: virtio 1.x's header,
 * num_buffers included) and the TUN_F_CSUM / TUN_F_TSO4 / TUN_F_TSO6
 * bits TUNSETOFFLOAD accepted. The tap's offloads are left off (0): the
 * NIC turns on what the guest negotiates (virtio_net.h).
 */
unsigned int tapdev_offloads(int fd);

#endif /* VMMD_TAPDEV_H */
