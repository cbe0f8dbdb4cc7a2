/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_RUN_H
#define VMMD_RUN_H

#include "cli.h"

/* `vmmd run`: returns the process exit status (exitcode.h). */
int vmmd_run(const struct vmmd_config *cfg);
/*
 * vmmd-vm: the same machine from a kernel (and initrd, or -1),
 * cfg->ndisks disks (@disk_fds) and cfg->nnics taps (@net_fds) the daemon
 * opened; every fd is closed or the devices'. Reports the end on @vp's
 * channel.
 */
struct vmproc_opts;
int vmmd_run_fds(const struct vmmd_config *cfg, int kernel_fd, int initrd_fd,
		 int *disk_fds, int *net_fds, const struct vmproc_opts *vp);

/*
 * End the VM with an exit status and a reason (printf-style). The first
 * call wins; any thread may call it, device models with the bus lock
 * held. The main thread then stops the vCPUs and tears the VM down.
 */
void vmmd_stop(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int vmmd_stopping(void);
/*
 * The guest's console showed the start of a kernel panic: a reset or
 * triple fault that follows (panic=N) is reported as the panic it is.
 */
void vmmd_note_panic(void);

#endif /* VMMD_RUN_H */
