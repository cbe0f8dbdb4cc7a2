/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VMCTL_H
#define VMMD_VMCTL_H

/*
 * The daemon's side of running domains: start a per-VM process (clone
 * into a new PID namespace, exec vmmd-vm, hand it the kernel and
 * initrd the daemon opened), send it lifecycle messages, and turn what it
 * reports (state, console, exit) into the domain's state and reason.
 * The daemon never opens the hypervisor device nor maps guest memory.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "conlog.h"
#include "ctl.h"
#include "src.h"
#include "verr.h"

/* How the daemon starts VM processes; ctl->launch, NULL in unit tests. */
struct vm_launch {
	int exe;		/* vmmd-vm, O_PATH: vmctl_open_exe() */
	const char *dev;	/* --dev: /dev/lamina or /dev/kvm */
	const char *run_dir;	/* console logs; the sandbox's empty root goes on it */
	bool test_hooks;
	bool set_ids;
	uid_t uid;
	gid_t gid;
	int epfd;		/* the daemon's epoll: the VM channels join it */
};

/* One running domain's process. */
struct vmproc {
	struct src src;		/* first: the epoll event points here */
	struct dom *dom;
	pid_t pid;
	struct conlog log;	/* <run-dir>/<name>.console.log */
	int exit_code;		/* from VMMSG_EXIT, -1 until one came */
	bool destroying;
	bool adopted;		/* reattached: not this daemon's child */
	int pidfd;		/* adopted: signals and its end go through it */
	struct rpc_client *console;	/* the client with its console open */
	char cgroup[256];	/* "" when not in a cgroup of its own */
};

/*
 * Daemon start: open the VM process's binary, vmmd-vm in the directory
 * of the running vmmd (/proc/self/exe), O_PATH | O_CLOEXEC. Every start
 * execs that file through the fd, so renaming another file over the path
 * later (an upgrade while the daemon runs) cannot give this daemon a VM
 * process of another version, and a missing or unusable binary stops the
 * daemon at its start, not at the first `virsh start`. Returns the fd,
 * or -1 with @err saying what is wrong with which path.
 */
int vmctl_open_exe(struct verr *err);
int vmctl_start(struct ctl *ctl, struct dom *d, bool paused, struct verr *err);
int vmctl_destroy(struct ctl *ctl, struct dom *d, struct verr *err);
int vmctl_suspend(struct ctl *ctl, struct dom *d, struct verr *err);
int vmctl_resume(struct ctl *ctl, struct dom *d, struct verr *err);
int vmctl_shutdown(struct ctl *ctl, struct dom *d, struct verr *err);
int vmctl_reboot(struct ctl *ctl, struct dom *d, struct verr *err);
/* --test-hooks only: the VM process makes a syscall its filter forbids. */
int vmctl_test_forbidden(struct ctl *ctl, struct dom *d, struct verr *err);
/* The channel is readable: take its messages; reap the process at its end. */
void vmctl_on_event(struct ctl *ctl, struct vmproc *p);
/* Daemon start: start every domain marked autostart; failures are logged. */
void vmctl_autostart(struct ctl *ctl);
/*
 * Daemon start (vmkeep.c): take over the running VM process @pid whose
 * channel @fd a daemon before this one started, as domain @d with @id.
 * It answers a QUERY with its state, or the adoption fails (@fd closed).
 */
int vmctl_adopt(struct ctl *ctl, struct dom *d, int fd, pid_t pid, int id,
		struct verr *err);
/*
 * Daemon stop: let go of every VM process, which keeps its guest running
 * and waits on its control socket for the next daemon (vmkeep.h).
 */
void vmctl_detach_all(struct ctl *ctl);

#endif /* VMMD_VMCTL_H */
