/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_SANDBOX_H
#define VMMD_SANDBOX_H

/*
 * The per-VM process's sandbox (docs/sandbox.md), applied once it holds
 * every fd it needs and before any guest instruction runs, while it is
 * still single-threaded (unshare(CLONE_NEWNS) needs that):
 *   new mount, IPC, UTS and network namespaces (the PID namespace comes
 *   from the daemon's clone), an empty read-only tmpfs as root
 *   (pivot_root), rlimits, an unprivileged uid/gid when given, no
 *   capabilities, no_new_privs, and a seccomp allowlist whose default is
 *   to kill the process.
 */
#include <stdbool.h>
#include <sys/types.h>

struct sandbox_cfg {
	const char *root_at;	/* an existing directory to mount the empty root on */
	bool set_ids;
	uid_t uid;
	gid_t gid;
	unsigned int threads;	/* threads the process will start: RLIMIT_NPROC */
};

/* 0, or -1 after saying on stderr which layer failed. */
int sandbox_apply(const struct sandbox_cfg *c);
/* The test hook's forbidden syscall: returns only if it was allowed. */
void sandbox_test_forbidden(void);

#endif /* VMMD_SANDBOX_H */
