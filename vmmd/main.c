// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmmd: lamina's userspace side. Today: `vmmd probe`. The VM runner,
 * device models and the libvirt control interface come with later issues.
 */
#include <stdio.h>
#include <string.h>

#include "probe.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vmmd probe [--dev PATH]\n"
		"\n"
		"  probe   report the KVM API version and extensions of a\n"
		"          hypervisor device (default /dev/lamina)\n"
		"  --dev   /dev/lamina or /dev/kvm: vmmd speaks the same ABI to both\n");
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/lamina";
	int status = 2;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		status = 0;
	} else if (argc >= 2 && !strcmp(argv[1], "probe")) {
		if (argc == 4 && !strcmp(argv[2], "--dev"))
			dev = argv[3];
		if (argc == 2 || argc == 4)
			status = vmmd_probe(dev);
		else
			usage(stderr);
	} else {
		usage(stderr);
	}
	return status;
}
