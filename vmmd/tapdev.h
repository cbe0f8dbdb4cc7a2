/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_TAPDEV_H
#define VMMD_TAPDEV_H

/*
 * Attach to tap device @name through /dev/net/tun, making it if it does
 * not exist (that needs CAP_NET_ADMIN), or let the kernel pick a name
 * ("tapN") when @name is NULL or empty: IFF_TAP | IFF_NO_PI, Ethernet
 * frames with no prefix and no vnet header (virtio_net.h: no offloads).
 * The fd (close-on-exec), or -1 with errno set and *@stage saying which
 * step failed.
 */
int tapdev_open(const char *name, const char **stage);

#endif /* VMMD_TAPDEV_H */
