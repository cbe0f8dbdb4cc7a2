/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_DOMAIN_H
#define VMMD_DOMAIN_H

/*
 * A domain as the control daemon knows it: its definition (what the
 * domain XML says, docs/virsh.md) and its run-time record (state, reason,
 * id, autostart). The definition is immutable once made: redefining a
 * domain replaces it whole.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vmproc;

/*
 * Name rule: 1-64 bytes of [A-Za-z0-9_.+-], the first one a letter, a
 * digit or '_'. The name is also the file name in the state directory,
 * so no '/', no leading '.' and nothing a shell would need quoted.
 */
#define DOM_NAME_MAX 64U
#define DOM_VCPUS_MAX 64U	/* = VMMD_MAX_CPUS, what `vmmd run` boots */
#define DOM_DISKS_MAX 16U	/* vda..vdp */
#define DOM_NICS_MAX 8U
#define DOM_TITLE_MAX 1024U
#define DOM_DESC_MAX 65536U
#define DOM_CMDLINE_MAX 4096U
#define DOM_PATH_MAX 4096U
#define DOM_IFNAME_MAX 15U	/* IFNAMSIZ - 1 */

/* on_poweroff / on_reboot / on_crash. */
enum dom_action {
	DOM_ACTION_DESTROY,
	DOM_ACTION_RESTART,
};

struct dom_disk {
	char *path;
	char target[8];		/* vda..vdp */
	bool readonly;
};

struct dom_nic {
	char *ifname;		/* NULL: none given */
	uint8_t mac[6];
};

struct dom_def {
	char name[DOM_NAME_MAX + 1];
	uint8_t uuid[16];
	char *title;		/* NULL when absent */
	char *description;
	uint64_t mem_kib;	/* <memory> */
	uint64_t cur_mem_kib;	/* <currentMemory>, <= mem_kib */
	unsigned int vcpus;
	char *kernel;
	char *initrd;		/* NULL when absent */
	char *cmdline;
	enum dom_action on_poweroff, on_reboot, on_crash;
	struct dom_disk disks[DOM_DISKS_MAX];
	unsigned int ndisks;
	struct dom_nic nics[DOM_NICS_MAX];
	unsigned int nnics;
	bool serial_pty;	/* <serial type='pty'> */
	bool console_pty;	/* <console type='pty'> */
};

void dom_def_free(struct dom_def *def);
bool dom_name_valid(const char *name);
/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (or 32 hex digits). */
bool dom_uuid_parse(const char *s, uint8_t uuid[16]);
void dom_uuid_format(const uint8_t uuid[16], char out[37]);

/* libvirt's virDomainState and the reasons lamina gives. */
enum dom_state {
	DOM_STATE_NOSTATE = 0,
	DOM_STATE_RUNNING = 1,
	DOM_STATE_BLOCKED = 2,
	DOM_STATE_PAUSED = 3,
	DOM_STATE_SHUTDOWN = 4,
	DOM_STATE_SHUTOFF = 5,
	DOM_STATE_CRASHED = 6,
};
#define DOM_SHUTOFF_UNKNOWN 0	/* defined, never started */
#define DOM_SHUTOFF_SHUTDOWN 1
#define DOM_SHUTOFF_DESTROYED 2

/*
 * The run-time record. The per-VM process attaches here (vmctl.c):
 * start sets id and state from what it reports, its exit sets them back.
 */
struct dom {
	struct dom_def *def;
	int state;
	int reason;
	int id;			/* -1 while inactive */
	bool autostart;
	bool transient;		/* virsh create: not in the state directory */
	struct vmproc *proc;	/* its VM process while active (vmctl.h) */
	char end_reason[256];	/* how its last VM process ended */
};

#endif /* VMMD_DOMAIN_H */
