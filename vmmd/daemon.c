// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control daemon's event loop: one thread, epoll, non-blocking
 * sockets, a buffer per client. A client is read from only while none
 * of its replies wait to be sent, one chunk per wake-up, so a client
 * that stalls mid-packet or stops reading holds its own buffers and
 * nothing else, and 64 or more clients are served in turn.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "console.h"
#include "daemon.h"
#include "exitcode.h"
#include "rpc.h"
#include "src.h"
#include "vmctl.h"
#include "vmkeep.h"

#define CLIENTS_MAX 1024U


struct client {
	struct src src;		/* first: epoll's data.ptr is this client */
	struct rpc_client rpc;
	uint32_t events;	/* what epoll watches for now */
	char why_denied[160];
};

struct daemon {
	const struct daemon_config *cfg;
	struct ctl ctl;
	struct vm_launch launch;
	int epfd;
	struct src rw, ro, sig;
	gid_t gid;		/* cfg->group's gid, when set */
	size_t nclients;
	int lock_fd;
};

static void say(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "vmmd daemon: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
}

/* --- admission ---------------------------------------------------------- */

static bool in_group(uid_t uid, gid_t gid, gid_t want)
{
	struct passwd pw, *res = NULL;
	gid_t groups[256];
	int n = 256, i;
	char buf[4096];

	if (gid == want)
		return true;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) || !res)
		return false;
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) < 0)
		return false;
	for (i = 0; i < n; i++)
		if (groups[i] == want)
			return true;
	return false;
}

/*
 * The read-write socket admits root and, with --group, that group's
 * members. Anyone else is told why on every call (virsh prints it)
 * rather than cut off with a bare end-of-file.
 */
static void admit(struct daemon *d, struct client *c, bool readonly)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (readonly)
		return;
	if (getsockopt(c->src.fd, SOL_SOCKET, SO_PEERCRED, &cred, &len)) {
		snprintf(c->why_denied, sizeof(c->why_denied),
			 "cannot read the peer's credentials");
	} else if (cred.uid == 0 ||
		   (d->cfg->group && in_group(cred.uid, cred.gid, d->gid))) {
		return;
	} else {
		snprintf(c->why_denied, sizeof(c->why_denied),
			 "uid %u may not use the read-write socket (root%s%s only); use the read-only socket %s",
			 (unsigned int)cred.uid, d->cfg->group ? " and group " : "",
			 d->cfg->group ? d->cfg->group : "", d->cfg->ro_socket);
	}
	c->rpc.denied = c->why_denied;
}

/* --- clients ------------------------------------------------------------ */

static void drop(struct daemon *d, struct client *c)
{
	console_client_gone(&d->ctl, &c->rpc);
	epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->src.fd, NULL);
	close(c->src.fd);
	rpc_client_free(&c->rpc);
	free(c);
	d->nclients--;
}

static void watch(struct daemon *d, struct client *c, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	if (events != c->events && !epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->src.fd, &ev))
		c->events = events;
}

/* Send what is queued; -1 if the peer is gone. */
static int flush(struct client *c)
{
	struct rpc_client *r = &c->rpc;
	ssize_t n;

	while (r->out_len > r->out_off) {
		n = send(c->src.fd, r->out + r->out_off, r->out_len - r->out_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		rpc_client_sent(r, (size_t)n);
	}
	return 0;
}

/*
 * Answer buffered calls and send, until the client's socket is full or
 * nothing complete is buffered; then watch for what unblocks it.
 */
static int pump(struct daemon *d, struct client *c)
{
	for (;;) {
		if (rpc_client_process(&d->ctl, &c->rpc) || flush(c))
			return -1;
		if (c->rpc.out_len > c->rpc.out_off) {
			watch(d, c, EPOLLOUT);
			return 0;
		}
		if (!rpc_client_has_packet(&c->rpc)) {
			watch(d, c, EPOLLIN);
			return 0;
		}
	}
}

static int on_readable(struct daemon *d, struct client *c)
{
	uint8_t buf[RPC_READ_CHUNK];
	ssize_t n;

	n = recv(c->src.fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;	/* closed, possibly mid-packet: only this client goes */
	if (rpc_client_feed(&c->rpc, buf, (size_t)n))
		return -1;
	return pump(d, c);
}

static void on_client(struct daemon *d, struct client *c, uint32_t events)
{
	int r = 0;

	if (events & EPOLLOUT)
		r = pump(d, c);
	else if (events & EPOLLIN)
		r = on_readable(d, c);
	else if (events & (EPOLLHUP | EPOLLERR))
		r = -1;
	if (r)
		drop(d, c);
}

/* Send the console output queued for clients while handling other events. */
static void send_woken(struct daemon *d)
{
	struct rpc_client *r;
	struct client *c;

	while ((r = d->ctl.woken)) {
		d->ctl.woken = r->woken_next;
		r->woken = false;
		c = (struct client *)((char *)r - offsetof(struct client, rpc));
		if (pump(d, c))
			drop(d, c);
	}
}

static void on_accept(struct daemon *d, const struct src *l)
{
	struct epoll_event ev;
	struct client *c;
	int fd;

	fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (d->nclients >= CLIENTS_MAX) {
		say("%s%s", "too many clients; refused one", "");
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->src.kind = SRC_CLIENT;
	c->src.fd = fd;
	rpc_client_init(&c->rpc, l->readonly);
	admit(d, c, l->readonly);
	c->events = EPOLLIN;
	ev.events = EPOLLIN;
	ev.data.ptr = c;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		rpc_client_free(&c->rpc);
		free(c);
		close(fd);
		return;
	}
	d->nclients++;
}

/* --- set-up ------------------------------------------------------------- */

/*
 * Bind @path, refusing to take it from a daemon that still answers on
 * it; a stale socket left by one that died is replaced.
 */
static int listen_on(const char *path, mode_t mode, gid_t gid, bool chgrp)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, probe;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		say("socket path '%s' is longer than %s bytes", path, "107");
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode)) {
			say("%s exists and is not a socket%s", path, "");
			return -1;
		}
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && !connect(probe, (struct sockaddr *)&sa, sizeof(sa))) {
			close(probe);
			say("another daemon answers on %s%s", path, "");
			return -1;
		}
		if (probe >= 0)
			close(probe);
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    (chgrp && chown(path, 0, gid)) || chmod(path, mode) || listen(fd, 128)) {
		say("cannot listen on %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int add_src(struct daemon *d, struct src *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };

	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, s->fd, &ev);
}

/* One daemon per state directory: two would overwrite each other's files. */
static int lock_state(struct daemon *d)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/.lock", d->cfg->state_dir);
	d->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (d->lock_fd < 0 || flock(d->lock_fd, LOCK_EX | LOCK_NB)) {
		say("another daemon uses the state directory %s%s",
		    d->cfg->state_dir, "");
		return -1;
	}
	return 0;
}

static int setup(struct daemon *d)
{
	struct verr err;
	struct group *gr;
	struct rlimit lim;
	sigset_t mask;
	bool g = d->cfg->group != NULL;
	int exe;

	if (g) {
		gr = getgrnam(d->cfg->group);
		if (!gr) {
			say("no group named '%s'%s", d->cfg->group, "");
			return -1;
		}
		d->gid = gr->gr_gid;
	}
	exe = vmctl_open_exe(&err);
	if (exe < 0) {
		say("%s%s", err.msg, "");
		return -1;
	}
	umask(077);
	/*
	 * CLIENTS_MAX clients plus the daemon's own fds must fit: with the
	 * usual soft limit of 1024, accept() would fail first, and a
	 * level-triggered listener that cannot accept wakes the loop forever.
	 */
	if (!getrlimit(RLIMIT_NOFILE, &lim) && lim.rlim_cur < CLIENTS_MAX + 64 &&
	    lim.rlim_max >= CLIENTS_MAX + 64) {
		lim.rlim_cur = CLIENTS_MAX + 64;
		setrlimit(RLIMIT_NOFILE, &lim);
	}
	if (ctl_init(&d->ctl, d->cfg->state_dir, &err)) {
		say("%s%s", err.msg, "");
		return -1;
	}
	if (lock_state(d))
		return -1;
	/* Searchable by all: the read-only socket in it is for everyone. */
	if (mkdir(d->cfg->run_dir, 0755) ? errno != EEXIST :
					   chmod(d->cfg->run_dir, 0755)) {
		say("cannot create %s: %s", d->cfg->run_dir, strerror(errno));
		return -1;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sig = (struct src){ SRC_SIGNAL, signalfd(-1, &mask, SFD_CLOEXEC), false };
	d->rw = (struct src){ SRC_LISTEN,
		listen_on(d->cfg->socket, g ? 0660 : 0600, d->gid, g), false };
	d->ro = (struct src){ SRC_LISTEN, listen_on(d->cfg->ro_socket, 0666, 0, false), true };
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->launch = (struct vm_launch){
		.exe = exe, .dev = d->cfg->dev,
		.run_dir = d->cfg->run_dir, .test_hooks = d->cfg->test_hooks,
		.set_ids = d->cfg->vm_uid_set, .uid = d->cfg->vm_uid,
		.gid = d->cfg->vm_gid, .epfd = d->epfd,
	};
	d->ctl.launch = &d->launch;
	if (d->sig.fd < 0 || d->rw.fd < 0 || d->ro.fd < 0 || d->epfd < 0 ||
	    add_src(d, &d->sig) || add_src(d, &d->rw) || add_src(d, &d->ro))
		return -1;
	if (vmkeep_init(d->cfg->run_dir, &err)) {
		say("%s%s", err.msg, "");
		return -1;
	}
	fprintf(stderr, "vmmd daemon: %zu domain(s) in %s; listening on %s and %s (read-only)\n",
		d->ctl.ndoms, d->cfg->state_dir, d->cfg->socket, d->cfg->ro_socket);
	/* VMs a daemon before this one started first: autostart skips them. */
	vmkeep_reattach_all(&d->ctl, d->cfg->run_dir);
	vmctl_autostart(&d->ctl);
	return 0;
}

static void teardown(struct daemon *d)
{
	if (d->ctl.launch)
		vmctl_detach_all(&d->ctl);
	if (d->rw.fd >= 0) {
		close(d->rw.fd);
		unlink(d->cfg->socket);
	}
	if (d->ro.fd >= 0) {
		close(d->ro.fd);
		unlink(d->cfg->ro_socket);
	}
	ctl_free(&d->ctl);
}

int daemon_run(const struct daemon_config *cfg)
{
	struct epoll_event evs[64];
	struct daemon d = { .cfg = cfg, .epfd = -1, .lock_fd = -1 };
	struct src *s;
	bool stop = false;
	int i, n;

	d.rw.fd = d.ro.fd = d.sig.fd = -1;
	if (setup(&d)) {
		teardown(&d);
		return VMMD_EXIT_FAILURE;
	}
	while (!stop) {
		n = epoll_wait(d.epfd, evs, 64, -1);
		if (n < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			s = evs[i].data.ptr;
			if (s->kind == SRC_SIGNAL)
				stop = true;
			else if (s->kind == SRC_LISTEN)
				on_accept(&d, s);
			else if (s->kind == SRC_VM)
				vmctl_on_event(&d.ctl, (struct vmproc *)s);
			else
				on_client(&d, (struct client *)s, evs[i].events);
		}
		send_woken(&d);
		/* No handler holds a domain now: transient ones that ended go. */
		ctl_sweep_transient(&d.ctl);
	}
	fprintf(stderr, "vmmd daemon: stopping\n");
	teardown(&d);
	return 0;
}
