/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VMKEEP_H
#define VMMD_VMKEEP_H

/*
 * What lets running VMs outlive the daemon (docs/sandbox.md, "Daemon
 * restarts"). For each running domain, in <run-dir>/vm (0700, root):
 *   <uuid>.sock  a SOCK_SEQPACKET socket the daemon binds and the VM
 *                process listens on (so SO_PEERCRED names the VM
 *                process); it accepts a new channel whenever the old
 *                one has closed;
 *   <uuid>.vm    "pid N\nid N\n": the VM process and the domain's id;
 *   <uuid>.xml   the definition it runs (a transient domain has no other).
 * The .xml and .vm files are written atomically (store_put); the .vm
 * file last, so a record always names a definition. A daemon that starts
 * reattaches every VM a record names, before autostart.
 */
#include <sys/types.h>

#include "ctl.h"

/* <run-dir>/vm, made 0700. */
int vmkeep_init(const char *run_dir, struct verr *err);
/* The bound, not yet listening socket for @d's VM process, or -1. */
int vmkeep_socket(const char *run_dir, const struct dom *d);
/* Record @d's VM process: 0, or -1 with @err (the VM then cannot be reattached). */
int vmkeep_record(const char *run_dir, const struct dom *d, pid_t pid,
		  struct verr *err);
/* The VM ended: remove its socket and record. */
void vmkeep_forget(const char *run_dir, const struct dom *d);
/* Daemon start: reattach every recorded VM that still answers. */
void vmkeep_reattach_all(struct ctl *ctl, const char *run_dir);

#endif /* VMMD_VMKEEP_H */
