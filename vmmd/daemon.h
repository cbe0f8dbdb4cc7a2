/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_DAEMON_H
#define VMMD_DAEMON_H

#include <stdbool.h>

/*
 * `vmmd daemon`: the control daemon. It serves libvirt's remote protocol
 * on two Unix sockets (read-write for root and an optional group,
 * read-only for everyone), keeps domain definitions in the state
 * directory, and never opens /dev/lamina nor maps guest memory: running
 * a domain is the per-VM process's job (vmctl.c, vmproc.c).
 */

struct daemon_config {
	const char *socket;	/* read-write socket, mode 0600 (0660 with group) */
	const char *ro_socket;	/* read-only socket, mode 0666 */
	const char *state_dir;
	const char *run_dir;
	const char *group;	/* NULL: root only on the read-write socket */
	const char *dev;	/* what VM processes open: /dev/lamina */
	bool test_hooks;	/* accept the sandbox test's trigger; dev "stub" */
	bool vm_uid_set;	/* run VM processes as vm_uid:vm_gid */
	unsigned int vm_uid, vm_gid;
};

/* Parse `vmmd daemon` flags (argv[0] is "daemon"): 0, VMMD_EXIT_USAGE, or 1 with *help. */
int daemon_cli_parse(int argc, char **argv, struct daemon_config *cfg,
		     int *help);
/* Run until SIGINT/SIGTERM: 0, or VMMD_EXIT_FAILURE when it cannot start. */
int daemon_run(const struct daemon_config *cfg);

#endif /* VMMD_DAEMON_H */
