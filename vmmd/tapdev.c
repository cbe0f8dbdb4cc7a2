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
	int fd, e;

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
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		e = errno;
		*stage = "attach to the tap device";
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}
