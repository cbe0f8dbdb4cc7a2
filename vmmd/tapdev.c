// SPDX-License-Identifier: GPL-2.0-only
/* Opening a tap device (tapdev.h): `vmmd run --net` and the daemon. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tapdev.h"

int tapdev_open(const char *name, const char **stage)
{
	struct ifreq ifr;
	int fd, e, r;

	memset(&ifr, 0, sizeof(ifr));
	if (name && strlen(name) >= sizeof(ifr.ifr_name)) {
		*stage = "name";
		errno = ENAMETOOLONG;
		return -1;
	}
	*stage = "open /dev/net/tun";
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (name)
		memcpy(ifr.ifr_name, name, strlen(name));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	r = ioctl(fd, TUNSETIFF, &ifr);
	if (r && errno == EINVAL) {
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI;	/* no vnet header */
		r = ioctl(fd, TUNSETIFF, &ifr);
	}
	if (r) {
		e = errno;
		*stage = "attach to the tap device";
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

unsigned int tapdev_offloads(int fd)
{
	static const unsigned int try[] = {
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6, TUN_F_CSUM | TUN_F_TSO4,
		TUN_F_CSUM,
	};
	unsigned int i, got = TAPDEV_VNET_HDR;
	struct ifreq ifr;
	int sz = 12;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) || !(ifr.ifr_flags & IFF_TAP) ||
	    !(ifr.ifr_flags & IFF_VNET_HDR) || ioctl(fd, TUNSETVNETHDRSZ, &sz))
		return 0;
	for (i = 0; i < sizeof(try) / sizeof(try[0]); i++) {
		if (!ioctl(fd, TUNSETOFFLOAD, (unsigned long)try[i])) {
			got |= try[i];
			break;
		}
	}
	if (ioctl(fd, TUNSETOFFLOAD, 0UL))
		return 0;	/* cannot turn them off: offer none */
	return got;
}
