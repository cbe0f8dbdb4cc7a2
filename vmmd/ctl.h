/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_CTL_H
#define VMMD_CTL_H

/*
 * The control daemon's one context: what it knows about the host and the
 * domains it manages. Passed explicitly to every handler; the daemon has
 * no process-wide state of its own. (The event loop's sockets and
 * clients are in struct daemon, daemon.c, which owns a struct ctl.)
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain.h"
#include "verr.h"

struct vm_launch;
struct rpc_client;

/*
 * At most this many domains: libvirt's REMOTE_DOMAIN_LIST_MAX, so that
 * every domain fits in one LIST_ALL_DOMAINS reply.
 */
#define CTL_DOMAINS_MAX 16384U

#define LAMINA_VERSION_MAJOR 0
#define LAMINA_VERSION_MINOR 1
#define LAMINA_VERSION_MICRO 0

struct host_info {
	uint64_t ram_kib;
	unsigned int cpus;
	unsigned int mhz;
};

struct ctl {
	const char *state_dir;	/* <name>.xml and autostart/<name>.xml */
	struct host_info host;
	struct dom **doms;	/* CTL_DOMAINS_MAX slots, n used, in define order */
	size_t ndoms;
	int next_id;		/* the id the next started domain gets */
	struct vm_launch *launch;	/* how to start VMs: NULL, none (tests) */
	struct rpc_client *woken;	/* clients with console output to send */
};

/* Fill ctl->host from sysinfo(2) and /proc/cpuinfo. */
void host_info_read(struct host_info *h);

/*
 * Set up @ctl on @state_dir (created 0700 if missing) and load every
 * domain stored there. A file that does not parse, or whose name or uuid
 * clashes with one already loaded, is reported on stderr and skipped.
 */
int ctl_init(struct ctl *ctl, const char *state_dir, struct verr *err);
void ctl_free(struct ctl *ctl);

struct dom *ctl_find_uuid(const struct ctl *ctl, const uint8_t uuid[16]);
struct dom *ctl_find_name(const struct ctl *ctl, const char *name);
struct dom *ctl_find_id(const struct ctl *ctl, int id);

/*
 * Define (or redefine, same name and uuid) a domain from XML: parse,
 * check against the host, refuse a name or uuid another domain holds,
 * store it durably, then make it visible. On any error nothing has
 * changed, on disk or in memory.
 */
int ctl_define(struct ctl *ctl, const char *xml, size_t len, struct dom **out,
	       struct verr *err);
/*
 * virsh create: a transient domain from XML, added to the table (not
 * stored), inactive; the caller starts it. Its name and uuid must be
 * free; @check_host: its files and memory are checked as define does
 * (not for a VM that already runs, vmkeep.c). ctl_sweep_transient drops every transient domain no longer
 * running; the daemon calls it between events, when no handler holds a
 * domain.
 */
int ctl_add_transient(struct ctl *ctl, const char *xml, size_t len,
		      bool check_host, struct dom **out, struct verr *err);
void ctl_sweep_transient(struct ctl *ctl);
/* Remove an inactive domain from disk, then from memory. */
int ctl_undefine(struct ctl *ctl, struct dom *d, struct verr *err);
int ctl_set_autostart(struct ctl *ctl, struct dom *d, bool on, struct verr *err);

#endif /* VMMD_CTL_H */
