// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running domains, the daemon's side (vmctl.h). Everything here runs in
 * the daemon's one thread; a call that needs the VM process's answer
 * (suspend, resume) waits for it at most WAIT_MS, taking whatever else
 * the process sends meanwhile.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "exitcode.h"
#include "tapdev.h"
#include "vmchan.h"
#include "vmctl.h"
#include "vmkeep.h"
#include "vmproc.h"

#define WAIT_MS 5000
#define START_WAIT_MS 60000	/* reading the files, building the machine */
#define MEM_OVERHEAD (64ULL << 20)	/* memory.max beyond guest RAM */

/* libvirt's virDomain*Reason values that lamina gives. */
#define RUNNING_BOOTED 1
#define RUNNING_UNPAUSED 5
#define PAUSED_USER 1
#define SHUTOFF_SHUTDOWN 1
#define SHUTOFF_DESTROYED 2
#define SHUTOFF_CRASHED 3
#define SHUTOFF_FAILED 6

static void say(const char *name, const char *fmt, const char *a)
{
	fprintf(stderr, "vmmd daemon: domain '%s': ", name);
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
}

/* --- cgroup v2 ---------------------------------------------------------- */

/* The cgroup v2 mount point, or false when there is none. */
static bool cgroup2_root(char *out, size_t len)
{
	char line[512], dev[128], mnt[160], type[64];
	FILE *f = fopen("/proc/self/mounts", "re");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %159s %63s", dev, mnt, type) == 3 &&
		    !strcmp(type, "cgroup2")) {
			snprintf(out, len, "%s", mnt);
			found = true;
		}
	fclose(f);
	return found;
}

/* Best effort: a controller this cgroup tree lacks refuses, and that is fine. */
static void write_file(const char *dir, const char *leaf, const char *text)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, leaf);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0 && strcmp(leaf, "cgroup.subtree_control"))
		fprintf(stderr, "vmmd daemon: %s: %s\n", path, strerror(errno));
	close(fd);
}

/*
 * <cgroup2>/lamina/<name>, memory.max = guest RAM + overhead where the
 * memory controller is enabled there, and the process in it. Best effort:
 * a host without cgroup v2 runs the VM without.
 */
static void cgroup_enter(struct vmproc *p, uint64_t mem)
{
	char root[160], dir[sizeof(p->cgroup)], num[32];

	p->cgroup[0] = 0;
	if (!cgroup2_root(root, sizeof(root)))
		return;
	snprintf(dir, sizeof(dir), "%s/lamina", root);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return;
	write_file(dir, "cgroup.subtree_control", "+memory");
	snprintf(dir, sizeof(dir), "%s/lamina/%s", root, p->dom->def->name);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return;
	snprintf(num, sizeof(num), "%llu", (unsigned long long)(mem + MEM_OVERHEAD));
	write_file(dir, "memory.max", num);
	snprintf(num, sizeof(num), "%d", (int)p->pid);
	write_file(dir, "cgroup.procs", num);
	snprintf(p->cgroup, sizeof(p->cgroup), "%s", dir);
}

static int wait_state(struct ctl *ctl, struct dom *d, int state, long wait_ms,
		      struct verr *err);

/* --- start -------------------------------------------------------------- */

static int open_file(const char *what, const char *path, int flags, int *fd,
		     struct verr *err)
{
	*fd = open(path, flags | O_CLOEXEC);
	if (*fd < 0)
		return verr_set(err, VERR_OPERATION_FAILED,
				"operation failed: cannot open the %s '%s': %s",
				what, path, strerror(errno));
	return 0;
}

int vmctl_open_exe(struct verr *err)
{
	char path[4096];
	struct stat st;
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	char *slash;
	int fd;

	if (n < 0)
		return verr_set(err, VERR_INTERNAL, "cannot read /proc/self/exe: %s",
				strerror(errno));
	path[n] = 0;
	slash = strrchr(path, '/');
	if (!slash || (size_t)(slash - path) + sizeof("/" VMPROC_NAME) > sizeof(path))
		return verr_set(err, VERR_INTERNAL, "no directory in /proc/self/exe's '%s'",
				path);
	memcpy(slash + 1, VMPROC_NAME, sizeof(VMPROC_NAME));
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return verr_set(err, VERR_INTERNAL,
				"cannot open the VM process's binary %s: %s (it is built and installed beside vmmd)",
				path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		close(fd);
		return verr_set(err, VERR_INTERNAL,
				"the VM process's binary %s is not an executable file",
				path);
	}
	return fd;
}

/*
 * Child side: the channel as fd 3, the control socket (if any) as fd 4,
 * nothing else, then vmmd-vm through the fd the daemon opened at its
 * start. The three are moved above 4 first, so that no dup2 overwrites
 * another; the rest are marked close-on-exec (the binary's fd with them:
 * it is still needed for the exec itself).
 */
static void exec_vm(const struct vm_launch *l, int chan, int keep)
{
	char uid[16], gid[16];
	const char *argv[14];
	int n = 0, exe;

	exe = fcntl(l->exe, F_DUPFD_CLOEXEC, VMPROC_KEEP_FD + 1);
	chan = fcntl(chan, F_DUPFD_CLOEXEC, VMPROC_KEEP_FD + 1);
	if (keep >= 0)
		keep = fcntl(keep, F_DUPFD_CLOEXEC, VMPROC_KEEP_FD + 1);
	if (exe < 0 || chan < 0 || dup2(chan, VMPROC_CHAN_FD) < 0 ||
	    (keep >= 0 && dup2(keep, VMPROC_KEEP_FD) < 0) ||
	    syscall(SYS_close_range, keep >= 0 ? VMPROC_KEEP_FD + 1 : VMPROC_CHAN_FD + 1,
		    ~0U, CLOSE_RANGE_CLOEXEC))
		_exit(127);
	argv[n++] = VMPROC_NAME;
	argv[n++] = "--dev";
	argv[n++] = l->dev;
	argv[n++] = "--root";
	argv[n++] = l->run_dir;
	if (l->set_ids) {
		snprintf(uid, sizeof(uid), "%u", (unsigned int)l->uid);
		snprintf(gid, sizeof(gid), "%u", (unsigned int)l->gid);
		argv[n++] = "--uid";
		argv[n++] = uid;
		argv[n++] = "--gid";
		argv[n++] = gid;
	}
	if (l->test_hooks)
		argv[n++] = "--test-hooks";
	if (keep >= 0)
		argv[n++] = "--keep";
	argv[n] = NULL;
	fexecve(exe, (char **)argv, environ);
	_exit(127);
}

/* A new VM's log starts empty; a reattached one's goes on. */
static void open_log(const struct vm_launch *l, struct vmproc *p, bool fresh)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s.console.log", l->run_dir,
		 p->dom->def->name);
	conlog_open(&p->log, path, fresh, CONLOG_MAX);
}

/* Attach to <interface>'s tap (<target dev=>, or a new one the kernel names). */
static int open_tap(const struct dom_nic *nic, int *fd, struct verr *err)
{
	const char *stage;

	*fd = tapdev_open(nic->ifname, &stage);
	if (*fd < 0)
		return verr_set(err, VERR_OPERATION_FAILED,
				"operation failed: interface '%s': cannot %s: %s",
				nic->ifname ? nic->ifname : "(new tap)", stage,
				strerror(errno));
	return 0;
}

/*
 * What START carries: the kernel, the initrd if there is one, then each
 * disk (read-write, or read-only for <readonly/>), then each interface's
 * tap, opened here because the sandboxed VM process opens no file.
 * *n: how many are open.
 */
static int open_start_files(const struct dom_def *def, int *fds,
			    unsigned int *n, struct verr *err)
{
	unsigned int i;
	int r;

	_Static_assert(DOM_DISKS_MAX <= VMMSG_DISKS_MAX, "START holds every disk");
	*n = 0;
	_Static_assert(DOM_NICS_MAX <= VMMSG_NICS_MAX, "START holds every NIC");
	r = open_file("kernel", def->kernel, O_RDONLY, &fds[*n], err);
	if (!r)
		(*n)++;
	if (!r && def->initrd) {
		r = open_file("initrd", def->initrd, O_RDONLY, &fds[*n], err);
		if (!r)
			(*n)++;
	}
	for (i = 0; !r && i < def->ndisks; i++) {
		r = open_file("disk", def->disks[i].path,
			      def->disks[i].readonly ? O_RDONLY : O_RDWR,
			      &fds[*n], err);
		if (!r)
			(*n)++;
	}
	for (i = 0; !r && i < def->nnics; i++) {
		r = open_tap(&def->nics[i], &fds[*n], err);
		if (!r)
			(*n)++;
	}
	return r;
}

static void close_start_files(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

static int send_start(struct vmproc *p, bool paused, const int *fds)
{
	const struct dom_def *def = p->dom->def;
	struct vmmsg *m = calloc(1, sizeof(*m));
	unsigned int i;
	int r;

	if (!m)
		return -1;
	m->type = VMMSG_START;
	m->u.start.cpus = def->vcpus;
	m->u.start.mem = def->cur_mem_kib * 1024;
	m->u.start.flags = (def->initrd ? VMMSG_START_INITRD : 0) |
			   (paused ? VMMSG_START_PAUSED : 0);
	m->u.start.ndisks = def->ndisks;
	for (i = 0; i < def->ndisks; i++)
		if (def->disks[i].readonly)
			m->u.start.disks_ro |= 1U << i;
	m->u.start.nnics = def->nnics;
	for (i = 0; i < def->nnics; i++)
		memcpy(m->u.start.macs[i], def->nics[i].mac, 6);
	snprintf(m->u.start.cmdline, sizeof(m->u.start.cmdline), "%s",
		 def->cmdline ? def->cmdline : "");
	r = vmchan_send(p->src.fd, m, fds);
	free(m);
	return r;
}

static int spawn(struct ctl *ctl, struct vmproc *p, int sv[2])
{
	const struct vm_launch *l = ctl->launch;
	int keep = vmkeep_socket(l->run_dir, p->dom);
	pid_t pid;

	/* A PID namespace of its own: the VM process is its pid 1. */
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid == 0) {
		close(sv[0]);
		exec_vm(l, sv[1], keep);
	}
	close(sv[1]);
	if (keep >= 0)
		close(keep);
	p->pid = pid;
	return pid < 0 ? -1 : 0;
}

int vmctl_start(struct ctl *ctl, struct dom *d, bool paused, struct verr *err)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fds[VMMSG_FDS_MAX], sv[2] = { -1, -1 };
	unsigned int nfds;
	struct vmproc *p;
	struct timespec t0;

	/* From here to the VM's first guest entry is vmmd's part of a start. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (d->id != -1)
		return verr_set(err, VERR_OPERATION_INVALID,
				"Requested operation is not valid: domain is already running");
	if (!ctl->launch)
		return verr_set(err, VERR_NO_SUPPORT,
				"this function is not supported by this build: no VM launcher");
	if (open_start_files(d->def, fds, &nfds, err))
		goto fail_files;
	p = calloc(1, sizeof(*p));
	if (!p || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    (p->dom = d, spawn(ctl, p, sv))) {
		verr_set(err, VERR_OPERATION_FAILED,
			 "operation failed: cannot start the VM process: %s",
			 strerror(errno));
		if (sv[0] >= 0)
			close(sv[0]);
		free(p);
		goto fail_files;
	}
	p->src = (struct src){ SRC_VM, sv[0], false };
	p->exit_code = -1;
	p->pidfd = -1;
	cgroup_enter(p, d->def->cur_mem_kib * 1024);
	open_log(ctl->launch, p, true);
	if (send_start(p, paused, fds))
		say(d->def->name, "cannot send START: %s", strerror(errno));
	close_start_files(fds, nfds);
	fcntl(p->src.fd, F_SETFL, O_NONBLOCK);
	ev.data.ptr = p;
	epoll_ctl(ctl->launch->epfd, EPOLL_CTL_ADD, p->src.fd, &ev);
	d->proc = p;
	d->id = ctl->next_id++;
	d->state = DOM_STATE_NOSTATE;	/* until the machine is built */
	d->reason = 0;
	d->end_reason[0] = 0;
	if (vmkeep_record(ctl->launch->run_dir, d, p->pid, err))
		say(d->def->name, "it will not survive a daemon restart: %s", err->msg);
	fprintf(stderr, "vmmd daemon: domain '%s': start call taken at monotonic %lld.%09ld\n",
		d->def->name, (long long)t0.tv_sec, t0.tv_nsec);
	return wait_state(ctl, d, paused ? DOM_STATE_PAUSED : DOM_STATE_RUNNING,
			  START_WAIT_MS, err);
fail_files:
	close_start_files(fds, nfds);
	return -1;
}

/* --- what the VM process says ------------------------------------------- */

static void take(struct ctl *ctl, struct vmproc *p, const struct vmmsg *m)
{
	struct dom *d = p->dom;

	switch (m->type) {
	case VMMSG_STATE:
		if (m->u.state == VMMSG_PAUSED) {
			d->state = DOM_STATE_PAUSED;
			d->reason = PAUSED_USER;
		} else if (d->state != DOM_STATE_RUNNING) {
			d->reason = d->state == DOM_STATE_PAUSED ? RUNNING_UNPAUSED
								 : RUNNING_BOOTED;
			d->state = DOM_STATE_RUNNING;
		}
		break;
	case VMMSG_CONSOLE_OUT:
		conlog_write(&p->log, m->u.console.data, m->u.console.len);
		console_from_vm(ctl, p, m->u.console.data, m->u.console.len);
		break;
	case VMMSG_EXIT:
		p->exit_code = (int)m->u.exit.code;
		snprintf(d->end_reason, sizeof(d->end_reason), "%s", m->u.exit.reason);
		say(d->def->name, "the VM ended: %s", m->u.exit.reason);
		break;
	}
}

/* The shut-off reason, and what the domain's on_* says to do. */
static int end_reason(const struct vmproc *p, int status, bool *restart)
{
	const struct dom_def *def = p->dom->def;

	*restart = false;
	if (p->destroying)
		return SHUTOFF_DESTROYED;
	if (p->exit_code == VMMD_EXIT_POWEROFF) {
		*restart = def->on_poweroff == DOM_ACTION_RESTART;
		return SHUTOFF_SHUTDOWN;
	}
	if (p->exit_code == VMMD_EXIT_RESET) {
		*restart = def->on_reboot == DOM_ACTION_RESTART;
		return SHUTOFF_SHUTDOWN;
	}
	if (p->exit_code >= VMMD_EXIT_USAGE && p->exit_code <= VMMD_EXIT_DEVICE)
		return SHUTOFF_FAILED;
	if (WIFSIGNALED(status))
		fprintf(stderr, "vmmd daemon: domain '%s': the VM process was killed by signal %d\n",
			def->name, WTERMSIG(status));
	*restart = def->on_crash == DOM_ACTION_RESTART;
	return SHUTOFF_CRASHED;
}

/* The process is gone (or going): reap it, set the domain's end state. */
static void reap(struct ctl *ctl, struct vmproc *p)
{
	struct dom *d = p->dom;
	struct verr err;
	bool restart;
	int status = 0, reason;

	epoll_ctl(ctl->launch->epfd, EPOLL_CTL_DEL, p->src.fd, NULL);
	close(p->src.fd);
	if (p->adopted) {
		/* Not our child: its end shows on the pidfd, init reaps it. */
		poll(&(struct pollfd){ .fd = p->pidfd, .events = POLLIN }, 1, WAIT_MS);
		close(p->pidfd);
	} else {
		while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	vmkeep_forget(ctl->launch->run_dir, d);
	if (p->cgroup[0])
		rmdir(p->cgroup);
	conlog_close(&p->log);
	console_vm_ended(ctl, p);
	reason = end_reason(p, status, &restart);
	d->proc = NULL;
	d->id = -1;
	d->state = DOM_STATE_SHUTOFF;
	d->reason = reason;
	free(p);
	if (restart && vmctl_start(ctl, d, false, &err)) {
		say(d->def->name, "cannot restart: %s", err.msg);
		d->reason = SHUTOFF_FAILED;
	}
}

/* SIGKILL; through the pidfd for an adopted process (its pid may be reused). */
static void kill_vm(const struct vmproc *p)
{
	if (p->adopted)
		syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0);
	else
		kill(p->pid, SIGKILL);
}

/* Take every message waiting; 0, or -1 once the process was reaped. */
static int drain(struct ctl *ctl, struct vmproc *p)
{
	int fds[VMMSG_FDS_MAX], r;
	struct vmmsg *m = malloc(sizeof(*m));

	if (!m)
		return 0;
	for (;;) {
		r = vmchan_recv(p->src.fd, VMMSG_TO_DAEMON, m, fds);
		if (r == 2)
			break;
		if (r != 1) {
			/* End of stream, or a process that lost sync: done with it. */
			if (r < 0)
				kill_vm(p);
			free(m);
			reap(ctl, p);
			return -1;
		}
		take(ctl, p, m);
	}
	free(m);
	return 0;
}

void vmctl_on_event(struct ctl *ctl, struct vmproc *p)
{
	drain(ctl, p);
}

/* --- lifecycle calls ---------------------------------------------------- */

static int need_running(const struct dom *d, struct verr *err)
{
	if (d->id == -1 || !d->proc)
		return verr_set(err, VERR_OPERATION_INVALID,
				"Requested operation is not valid: domain is not running");
	return 0;
}

static int send_simple(struct dom *d, uint8_t type, struct verr *err)
{
	struct vmmsg m = { .type = type };

	if (need_running(d, err))
		return -1;
	if (vmchan_send(d->proc->src.fd, &m, NULL))
		return verr_set(err, VERR_OPERATION_FAILED,
				"operation failed: the VM process does not answer: %s",
				strerror(errno));
	return 0;
}

/* @state, or any state the VM process reported for DOM_STATE_NOSTATE. */
static bool reached(const struct dom *d, int state)
{
	return state == DOM_STATE_NOSTATE ? d->state != DOM_STATE_NOSTATE
					  : d->state == state;
}

/* Wait until the domain is in @state (or gone), taking messages meanwhile. */
static int wait_state(struct ctl *ctl, struct dom *d, int state, long wait_ms,
		      struct verr *err)
{
	struct timespec t0, t;
	struct pollfd pf;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (d->proc && !reached(d, state)) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= wait_ms)
			return verr_set(err, VERR_OPERATION_FAILED,
					"operation failed: the VM process did not answer in %ld ms",
					wait_ms);
		pf = (struct pollfd){ .fd = d->proc->src.fd, .events = POLLIN };
		if (poll(&pf, 1, (int)(wait_ms - ms)) > 0 && drain(ctl, d->proc))
			break;
	}
	if (!d->proc || !reached(d, state))
		return verr_set(err, VERR_OPERATION_FAILED,
				"operation failed: the VM ended: %s",
				d->end_reason[0] ? d->end_reason : "its process died");
	return 0;
}

int vmctl_suspend(struct ctl *ctl, struct dom *d, struct verr *err)
{
	return send_simple(d, VMMSG_PAUSE, err) ?:
	       wait_state(ctl, d, DOM_STATE_PAUSED, WAIT_MS, err);
}

int vmctl_resume(struct ctl *ctl, struct dom *d, struct verr *err)
{
	if (!need_running(d, err) && d->state != DOM_STATE_PAUSED)
		return verr_set(err, VERR_OPERATION_INVALID,
				"Requested operation is not valid: domain is not paused");
	return send_simple(d, VMMSG_RESUME, err) ?:
	       wait_state(ctl, d, DOM_STATE_RUNNING, WAIT_MS, err);
}

int vmctl_shutdown(struct ctl *ctl, struct dom *d, struct verr *err)
{
	(void)ctl;
	return send_simple(d, VMMSG_SHUTDOWN, err);
}

int vmctl_reboot(struct ctl *ctl, struct dom *d, struct verr *err)
{
	(void)ctl;
	return send_simple(d, VMMSG_REBOOT, err);
}

int vmctl_test_forbidden(struct ctl *ctl, struct dom *d, struct verr *err)
{
	if (!ctl->launch || !ctl->launch->test_hooks)
		return verr_set(err, VERR_NO_SUPPORT,
				"this function is not supported: the daemon runs without --test-hooks");
	return send_simple(d, VMMSG_TEST_FORBIDDEN, err);
}

int vmctl_destroy(struct ctl *ctl, struct dom *d, struct verr *err)
{
	struct vmproc *p = d->proc;

	if (need_running(d, err))
		return -1;
	p->destroying = true;
	kill_vm(p);
	reap(ctl, p);
	return 0;
}

void vmctl_autostart(struct ctl *ctl)
{
	struct verr err;
	size_t i;

	for (i = 0; i < ctl->ndoms; i++) {
		struct dom *d = ctl->doms[i];

		if (!d->autostart || d->id != -1)
			continue;
		if (vmctl_start(ctl, d, false, &err))
			say(d->def->name, "autostart failed: %s", err.msg);
		else
			say(d->def->name, "%sautostarted", "");
	}
}

int vmctl_adopt(struct ctl *ctl, struct dom *d, int fd, pid_t pid, int id,
		struct verr *err)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct vmmsg m = { .type = VMMSG_QUERY };
	struct vmproc *p = calloc(1, sizeof(*p));
	char dir[sizeof(p->cgroup)], root[160];

	if (!ctl->launch)
		return verr_set(err, VERR_NO_SUPPORT, "no VM launcher");
	if (!p || (p->pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0) {
		verr_set(err, VERR_OPERATION_FAILED, "its process: %s", strerror(errno));
		free(p);
		close(fd);
		return -1;
	}
	p->dom = d;
	p->pid = pid;
	p->adopted = true;
	p->exit_code = -1;
	p->src = (struct src){ SRC_VM, fd, false };
	snprintf(dir, sizeof(dir), "%s/lamina/%s",
		 cgroup2_root(root, sizeof(root)) ? root : "/nonexistent", d->def->name);
	if (!access(dir, F_OK))
		snprintf(p->cgroup, sizeof(p->cgroup), "%s", dir);
	open_log(ctl->launch, p, false);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	ev.data.ptr = p;
	epoll_ctl(ctl->launch->epfd, EPOLL_CTL_ADD, fd, &ev);
	d->proc = p;
	d->id = id;
	d->state = DOM_STATE_NOSTATE;	/* until it answers */
	d->reason = 0;
	d->end_reason[0] = 0;
	if (ctl->next_id <= id)
		ctl->next_id = id + 1;
	if (vmchan_send(fd, &m, NULL)) {
		/* Unreachable: rather stopped than left running unmanaged. */
		kill_vm(p);
		reap(ctl, p);
		return verr_set(err, VERR_OPERATION_FAILED, "cannot send QUERY: %s",
				strerror(errno));
	}
	return wait_state(ctl, d, DOM_STATE_NOSTATE, WAIT_MS, err);
}

void vmctl_detach_all(struct ctl *ctl)
{
	struct vmproc *p;
	size_t i;

	for (i = 0; i < ctl->ndoms; i++) {
		p = ctl->doms[i]->proc;
		if (!p)
			continue;
		epoll_ctl(ctl->launch->epfd, EPOLL_CTL_DEL, p->src.fd, NULL);
		close(p->src.fd);
		conlog_close(&p->log);
		if (p->pidfd >= 0)
			close(p->pidfd);
		console_vm_ended(ctl, p);
		ctl->doms[i]->proc = NULL;
		free(p);
	}
}
