// SPDX-License-Identifier: GPL-2.0-only
/*
 * `vmmd run` in vmmd and vmmd-static has no per-VM process: run.c's
 * calls into it are never made there, since `vmmd run` passes no
 * vmproc_opts. vmmd-vm links vmproc.c instead.
 */
#include "vmproc.h"

int vmproc_sandbox(const struct vmproc_opts *vp)
{
	(void)vp;
	return -1;
}

void vmproc_serve(const struct vmproc_opts *vp, const sigset_t *wait_set,
		  struct vcpu *v, unsigned int n)
{
	(void)vp;
	(void)wait_set;
	(void)v;
	(void)n;
}

void vmproc_report_exit(const struct vmproc_opts *vp, int code,
			const char *reason)
{
	(void)vp;
	(void)code;
	(void)reason;
}
