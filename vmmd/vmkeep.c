// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-VM control sockets and records, and reattaching the VMs they name
 * when the daemon starts (vmkeep.h).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "domxml.h"
#include "store.h"
#include "vmctl.h"
#include "vmkeep.h"

#define RECORD_MAX 64U		/* "pid N\nid N\n" */

static void say(const char *uuid, const char *fmt, const char *a)
{
	fprintf(stderr, "vmmd daemon: VM %s: ", uuid);
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
}

/* "<run-dir>/vm/<uuid><ext>"; false if it does not fit. */
static bool path_of(const char *run_dir, const char *uuid, const char *ext,
		    char *out, size_t len)
{
	return snprintf(out, len, "%s/vm/%s%s", run_dir, uuid, ext) < (int)len;
}

int vmkeep_init(const char *run_dir, struct verr *err)
{
	char dir[PATH_MAX];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/vm", run_dir);
	if (mkdir(dir, 0700) && errno != EEXIST)
		return verr_set(err, VERR_OPERATION_FAILED, "cannot create %s: %s",
				dir, strerror(errno));
	if (lstat(dir, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
		return verr_set(err, VERR_OPERATION_FAILED,
				"%s is not a directory of the daemon's user", dir);
	return 0;
}

static bool sock_addr(const char *run_dir, const char *uuid,
		      struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	return path_of(run_dir, uuid, ".sock", sa->sun_path, sizeof(sa->sun_path));
}

int vmkeep_socket(const char *run_dir, const struct dom *d)
{
	struct sockaddr_un sa;
	char uuid[37];
	int fd;

	dom_uuid_format(d->def->uuid, uuid);
	if (!sock_addr(run_dir, uuid, &sa)) {
		say(uuid, "the socket path under %s is too long: it will not survive a daemon restart",
		    run_dir);
		return -1;
	}
	unlink(sa.sun_path);	/* left by a VM that ended while no daemon ran */
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		say(uuid, "cannot bind its control socket: %s", strerror(errno));
		close(fd);
		fd = -1;
	}
	return fd;
}

int vmkeep_record(const char *run_dir, const struct dom *d, pid_t pid,
		  struct verr *err)
{
	char dir[PATH_MAX], uuid[37], leaf[48], rec[RECORD_MAX];
	char *xml = domxml_format(d->def);
	int r;

	if (!xml)
		return verr_set(err, VERR_INTERNAL, "out of memory");
	dom_uuid_format(d->def->uuid, uuid);
	snprintf(dir, sizeof(dir), "%s/vm", run_dir);
	snprintf(leaf, sizeof(leaf), "%s.xml", uuid);
	r = store_put(dir, leaf, xml, err);
	free(xml);
	snprintf(leaf, sizeof(leaf), "%s.vm", uuid);
	snprintf(rec, sizeof(rec), "pid %d\nid %d\n", (int)pid, d->id);
	return r ?: store_put(dir, leaf, rec, err);
}

static void forget_uuid(const char *run_dir, const char *uuid)
{
	static const char *const ext[] = { ".vm", ".xml", ".sock" };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (path_of(run_dir, uuid, ext[i], path, sizeof(path)))
			unlink(path);
}

void vmkeep_forget(const char *run_dir, const struct dom *d)
{
	char uuid[37];

	dom_uuid_format(d->def->uuid, uuid);
	forget_uuid(run_dir, uuid);
}

/* "pid N\nid N\n", nothing else: false for anything else. */
static bool parse_record(const char *text, size_t len, int *pid, int *id)
{
	int used = -1;

	if (len >= RECORD_MAX || strlen(text) != len)
		return false;
	if (sscanf(text, "pid %9d\nid %9d\n%n", pid, id, &used) != 2)
		return false;
	return used == (int)len && *pid > 1 && *id >= 1;
}

/* Connect to the VM process's socket; the pid on its other end, or -1. */
static int connect_vm(const char *run_dir, const char *uuid, pid_t *peer)
{
	struct sockaddr_un sa;
	struct ucred cred;
	socklen_t n = sizeof(cred);
	int fd;

	if (!sock_addr(run_dir, uuid, &sa))
		return -1;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &n)) {
		close(fd);
		return -1;
	}
	*peer = cred.pid;
	return fd;
}

/*
 * The domain a record's VM runs: the defined one with that uuid, else
 * (a transient domain, or one undefined while no daemon ran) a transient
 * one from the definition the record carries.
 */
static struct dom *domain_of(struct ctl *ctl, const char *dir,
			     const char *uuid_text, const uint8_t uuid[16])
{
	struct dom *d = ctl_find_uuid(ctl, uuid);
	char leaf[48];
	struct verr err;
	size_t len;
	char *xml;

	if (d)
		return d;
	snprintf(leaf, sizeof(leaf), "%s.xml", uuid_text);
	xml = store_read(dir, leaf, DOMXML_MAX, &len);
	if (!xml || ctl_add_transient(ctl, xml, len, false, &d, &err)) {
		say(uuid_text, "its definition cannot be used: %s",
		    xml ? err.msg : "cannot read it");
		d = NULL;
	} else if (memcmp(d->def->uuid, uuid, 16)) {
		say(uuid_text, "%s", "its definition holds another uuid");
		d = NULL;	/* the transient record goes at the next sweep */
	}
	free(xml);
	return d;
}

static void reattach_one(struct ctl *ctl, const char *run_dir,
			 const char *dir, const char *file)
{
	char uuid_text[37], *rec;
	uint8_t uuid[16];
	struct verr err;
	struct dom *d;
	size_t len;
	int pid, id, fd;
	pid_t peer = 0;

	if (strlen(file) != 36 + 3 || strcmp(file + 36, ".vm"))
		return;
	memcpy(uuid_text, file, 36);
	uuid_text[36] = 0;
	if (!dom_uuid_parse(uuid_text, uuid))
		return;
	rec = store_read(dir, file, RECORD_MAX, &len);
	if (!rec || !parse_record(rec, len, &pid, &id)) {
		say(uuid_text, "%s", "its record is not valid; removed");
		forget_uuid(run_dir, uuid_text);
		free(rec);
		return;
	}
	free(rec);
	fd = connect_vm(run_dir, uuid_text, &peer);
	if (fd < 0 || peer != pid) {
		say(uuid_text, "%s", fd < 0 ?
		    "its VM process ended while no daemon ran" :
		    "another process answers on its socket");
		if (fd >= 0)
			close(fd);
		forget_uuid(run_dir, uuid_text);
		return;
	}
	d = domain_of(ctl, dir, uuid_text, uuid);
	if (!d || d->id != -1) {
		close(fd);	/* left running, unmanaged: say so */
		say(uuid_text, "%s", "not reattached: no usable domain for it");
		return;
	}
	if (vmctl_adopt(ctl, d, fd, pid, id, &err))
		say(uuid_text, "cannot reattach: %s", err.msg);
	else
		say(uuid_text, "reattached as domain '%s'", d->def->name);
}

void vmkeep_reattach_all(struct ctl *ctl, const char *run_dir)
{
	char dir[PATH_MAX];
	struct dirent *e;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/vm", run_dir);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((e = readdir(dp)))
		reattach_one(ctl, run_dir, dir, e->d_name);
	closedir(dp);
}
