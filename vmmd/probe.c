// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "probe.h"

struct named_cap {
	unsigned long cap;
	const char *name;
};

/* The capabilities `vmmd run` needs or uses (docs/vmmd.1.md, DEVICE). */
static const struct named_cap vmmd_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
	{ KVM_CAP_NR_VCPUS, "KVM_CAP_NR_VCPUS" },
	{ KVM_CAP_SPLIT_IRQCHIP, "KVM_CAP_SPLIT_IRQCHIP" },
	{ KVM_CAP_SIGNAL_MSI, "KVM_CAP_SIGNAL_MSI" },
	{ KVM_CAP_READONLY_MEM, "KVM_CAP_READONLY_MEM" },
	{ KVM_CAP_MAX_VCPUS, "KVM_CAP_MAX_VCPUS" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
	{ KVM_CAP_TSC_DEADLINE_TIMER, "KVM_CAP_TSC_DEADLINE_TIMER" },
	{ KVM_CAP_SET_IDENTITY_MAP_ADDR, "KVM_CAP_SET_IDENTITY_MAP_ADDR" },
};

int vmmd_probe(const char *dev)
{
	int fd, version, status = 0;
	size_t i;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vmmd: cannot open %s: %s\n", dev,
			strerror(errno));
		return 2;
	}
	version = ioctl(fd, KVM_GET_API_VERSION, 0);
	printf("%s: KVM API version %d\n", dev, version);
	if (version != KVM_API_VERSION) {
		fprintf(stderr, "vmmd: %s speaks API %d, vmmd needs %d\n",
			dev, version, KVM_API_VERSION);
		status = 1;
	}
	for (i = 0; i < sizeof(vmmd_caps) / sizeof(vmmd_caps[0]); i++) {
		int r = ioctl(fd, KVM_CHECK_EXTENSION, vmmd_caps[i].cap);

		printf("  %-24s %s (%d)\n", vmmd_caps[i].name,
		       r > 0 ? "yes" : "no", r);
	}
	close(fd);
	return status;
}
