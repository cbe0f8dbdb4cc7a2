/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_EXITCODE_H
#define VMMD_EXITCODE_H

/*
 * vmmd's exit status: one code per kind of outcome, so a script can tell
 * "the guest powered off" from "the guest crashed" from "vmmd was given
 * bad input" without parsing messages (docs/vmmd.1.md lists them).
 * Codes 2-5 are given before any VM exists: nothing is half-started.
 */
enum vmmd_exit {
	VMMD_EXIT_POWEROFF = 0,		/* guest powered off (ACPI S5) */
	VMMD_EXIT_FAILURE = 1,		/* vmmd or hypervisor failure at run time */
	VMMD_EXIT_USAGE = 2,		/* bad or missing flags */
	VMMD_EXIT_BAD_FILE = 3,		/* missing/unreadable file, not a bzImage */
	VMMD_EXIT_NO_FIT = 4,		/* too little memory, initrd/cmdline too large */
	VMMD_EXIT_DEVICE = 5,		/* device cannot be opened or lacks a feature */
	VMMD_EXIT_RESET = 6,		/* guest asked for a reset (reboot) */
	VMMD_EXIT_TRIPLE_FAULT = 7,	/* guest triple-faulted (KVM_EXIT_SHUTDOWN) */
	VMMD_EXIT_PANIC = 8,		/* guest kernel panicked */
	VMMD_EXIT_SIGNAL = 9,		/* stopped by SIGINT or SIGTERM */
};

#endif /* VMMD_EXITCODE_H */
