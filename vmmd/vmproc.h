/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VMPROC_H
#define VMMD_VMPROC_H

/*
 * vmmd-vm: the per-VM process the daemon starts, one per running
 * domain, a binary of its own (vmproc.c has its main). It gets its
 * kernel and initrd as fds in a VMMSG_START on the channel (fd 3), opens
 * the hypervisor device itself, builds the machine with `vmmd run`'s
 * code (run.c), sandboxes itself (sandbox.c), then serves the daemon's
 * messages while the guest runs (docs/sandbox.md).
 */
#include <signal.h>
#include <stdbool.h>

#include "sandbox.h"

#define VMPROC_NAME "vmmd-vm"	/* the binary, beside vmmd (vmctl_open_exe) */
#define VMPROC_CHAN_FD 3
#define VMPROC_KEEP_FD 4	/* with --keep: the control socket (vmkeep.h) */

struct vmproc_opts {
	int chan;
	int keep;		/* VMPROC_KEEP_FD listening, or -1 */
	const char *dev;
	bool test_hooks;	/* accept VMMSG_TEST_FORBIDDEN; dev "stub" */
	bool paused;		/* start with every vCPU parked */
	struct conring *console;	/* guest output to the daemon (conring.h) */
	struct sandbox_cfg sandbox;
};

struct vcpu;
/* For run.c (vmproc_absent.c in vmmd and vmmd-static: `vmmd run` has none). */
int vmproc_sandbox(const struct vmproc_opts *vp);
/* Serve the channel until the VM stops; @wait_set: the signals run.c waits for. */
void vmproc_serve(const struct vmproc_opts *vp, const sigset_t *wait_set,
		  struct vcpu *v, unsigned int n);
/* Tell the daemon how the VM ended; only the first call sends. */
void vmproc_report_exit(const struct vmproc_opts *vp, int code,
			const char *reason);

#endif /* VMMD_VMPROC_H */
