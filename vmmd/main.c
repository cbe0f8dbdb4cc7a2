// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmmd: lamina's userspace side. `vmmd probe` reports what a hypervisor
 * device offers; `vmmd run` boots a Linux kernel on it; `vmmd daemon` is
 * the control daemon virsh talks to. The per-VM process the daemon
 * starts is another binary, vmmd-vm (vmproc.c), without libxml2.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "daemon.h"
#include "exitcode.h"
#include "probe.h"
#include "run.h"

int main(int argc, char **argv)
{
	struct daemon_config dcfg;
	struct vmmd_config cfg;
	const char *dev = "/dev/lamina";
	int help, r;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		vmmd_cli_usage(stdout);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "probe")) {
		if (argc == 4 && !strcmp(argv[2], "--dev"))
			dev = argv[3];
		if (argc == 2 || argc == 4)
			return vmmd_probe(dev);
		vmmd_cli_usage(stderr);
		return VMMD_EXIT_USAGE;
	}
	if (argc >= 2 && !strcmp(argv[1], "run")) {
		r = vmmd_cli_parse_run(argc - 1, argv + 1, &cfg, &help);
		if (r)
			return r;
		if (help) {
			vmmd_cli_usage(stdout);
			return 0;
		}
		return vmmd_run(&cfg);
	}
	if (argc >= 2 && !strcmp(argv[1], "daemon")) {
		r = daemon_cli_parse(argc - 1, argv + 1, &dcfg, &help);
		if (r)
			return r;
		if (help) {
			vmmd_cli_usage(stdout);
			return 0;
		}
		return daemon_run(&dcfg);
	}
	vmmd_cli_usage(stderr);
	return VMMD_EXIT_USAGE;
}
