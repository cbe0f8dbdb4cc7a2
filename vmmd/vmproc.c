// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmmd-vm: the per-VM process (vmproc.h), a binary of its own without
 * libxml2 (vmmd/Makefile). Everything it is told comes through
 * vmchan_recv, which refuses what is not a valid message; a daemon that
 * sends garbage ends the VM. A daemon that goes away (its
 * channel closes) leaves the guest running: the process takes the next
 * daemon's channel on its control socket (--keep, vmkeep.h), or, without
 * one, ends the VM rather than leave it with nobody to answer to.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "conring.h"
#include "exitcode.h"
#include "reset.h"
#include "run.h"
#include "serial.h"
#include "vcpu.h"
#include "vmchan.h"
#include "vmproc.h"

#define STUB_DEV "stub"

static int exit_sent;

void vmproc_report_exit(const struct vmproc_opts *vp, int code,
			const char *reason)
{
	struct vmmsg m;

	if (exit_sent)
		return;
	exit_sent = 1;
	memset(&m, 0, sizeof(m));
	m.type = VMMSG_EXIT;
	m.u.exit.code = (uint32_t)code & 0xff;
	snprintf(m.u.exit.reason, sizeof(m.u.exit.reason), "%s", reason);
	vmchan_send(vp->chan, &m, NULL);
}

static void send_state(const struct vmproc_opts *vp, bool paused)
{
	struct vmmsg m = { .type = VMMSG_STATE };

	m.u.state = paused ? VMMSG_PAUSED : VMMSG_RUNNING;
	vmchan_send(vp->chan, &m, NULL);
}

/*
 * "vmmd-vm: WHAT at monotonic S.N" on stderr (the daemon's log): with
 * the daemon's "start call taken" and vCPU 0's "first entered the guest"
 * lines, where a start's time goes (docs/bench.md).
 */
static void stamp(const char *what)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	fprintf(stderr, VMPROC_NAME ": %s at monotonic %lld.%09ld\n", what,
		(long long)t.tv_sec, t.tv_nsec);
}

int vmproc_sandbox(const struct vmproc_opts *vp)
{
	int r;

	stamp("machine built");	/* kernel and initrd loaded, vCPUs made */
	r = sandbox_apply(&vp->sandbox);

	if (!r)
		stamp("sandboxed");
	return r;
}

/* Bytes for the UART: wait while its FIFO is full, for at most ~1 s. */
static void console_in(const uint8_t *p, size_t len)
{
	struct timespec ms = { 0, 1000 * 1000 };
	unsigned int tries = 0;
	size_t n;

	while (len && tries++ < 1000 && !vmmd_stopping()) {
		n = serial_receive(p, len);
		p += n;
		len -= n;
		if (len)
			nanosleep(&ms, NULL);
	}
}

/*
 * The daemon's channel closed; with a control socket, wait for the next
 * daemon rather than end. The new channel takes fd 3 (dup2), so every
 * part that sends on it (serial.c) goes on using the same number.
 */
static bool wait_for_daemon(const struct vmproc_opts *vp)
{
	return vp->keep >= 0;
}

/*
 * A daemon connected on the control socket: its channel becomes fd 3,
 * and it gets the console output kept while none was attached first.
 */
static int take_channel(const struct vmproc_opts *vp)
{
	int fd = accept4(vp->keep, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return -1;
	if (dup2(fd, vp->chan) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	conring_flush(vp->console);
	return 0;
}

/* One message from the daemon: 0, or -1 when the channel is done. */
static int on_message(const struct vmproc_opts *vp, struct vcpu *v,
		      unsigned int n, bool *paused)
{
	struct vmmsg m;
	int fds[VMMSG_FDS_MAX];
	int r = vmchan_recv(vp->chan, VMMSG_TO_VM, &m, fds);

	if (r == 0) {
		if (!wait_for_daemon(vp))
			vmmd_stop(VMMD_EXIT_SIGNAL, "the daemon closed the channel");
		return -1;
	}
	if (r < 0) {
		vmmd_stop(VMMD_EXIT_FAILURE, "invalid message from the daemon");
		return -1;
	}
	if (r == 2)
		return 0;
	switch (m.type) {
	case VMMSG_PAUSE:
		vcpus_pause(v, n);
		*paused = true;
		send_state(vp, true);
		break;
	case VMMSG_RESUME:
		vcpus_resume();
		*paused = false;
		send_state(vp, false);
		break;
	case VMMSG_QUERY:
		send_state(vp, *paused);
		break;
	case VMMSG_SHUTDOWN:
		reset_power_button();
		break;
	case VMMSG_REBOOT:
		vmmd_stop(VMMD_EXIT_RESET, "reset asked by the daemon");
		break;
	case VMMSG_CONSOLE_IN:
		console_in(m.u.console.data, m.u.console.len);
		break;
	case VMMSG_TEST_FORBIDDEN:
		if (vp->test_hooks)
			sandbox_test_forbidden();
		break;
	default:	/* a second START */
		vmmd_stop(VMMD_EXIT_FAILURE, "unexpected message %u from the daemon",
			  m.type);
		return -1;
	}
	return 0;
}

void vmproc_serve(const struct vmproc_opts *vp, const sigset_t *wait_set,
		  struct vcpu *v, unsigned int n)
{
	struct signalfd_siginfo si;
	struct pollfd pf[3];
	bool paused = vp->paused;
	int sfd = signalfd(-1, wait_set, SFD_CLOEXEC);

	send_state(vp, paused);
	/* pf[2], the control socket, is watched only while no daemon is there. */
	pf[0] = (struct pollfd){ .fd = vp->chan, .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	pf[2] = (struct pollfd){ .fd = -1, .events = POLLIN };
	while (!vmmd_stopping()) {
		if (poll(pf, 3, 500) < 0 && errno != EINTR)
			break;
		if (pf[1].revents & POLLIN &&
		    read(sfd, &si, sizeof(si)) == sizeof(si) &&
		    (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM))
			vmmd_stop(VMMD_EXIT_SIGNAL, "stopped by signal %u", si.ssi_signo);
		if (pf[0].revents && on_message(vp, v, n, &paused)) {
			pf[0].fd = -1;
			pf[2].fd = wait_for_daemon(vp) ? vp->keep : -1;
		}
		if (pf[2].revents & POLLIN && !take_channel(vp)) {
			pf[0].fd = vp->chan;
			pf[2].fd = -1;
		}
		/* What a full channel refused goes out once it drains. */
		if (pf[0].fd >= 0)
			conring_flush(vp->console);
	}
	if (sfd >= 0)
		close(sfd);
}

/*
 * The stand-in machine (--test-hooks and dev "stub" only): no device, no
 * guest; it reads its files, sandboxes itself and answers like a VM
 * whose console echoes, so the daemon's side of every lifecycle call
 * and the sandbox can be tested on a host without a hypervisor.
 */
static int stub_run(const struct vmproc_opts *vp, int kfd, int ifd)
{
	static const char hello[] = "lamina stub guest: reached userspace\n";
	static const char away[] = "lamina stub guest: printed while no daemon was attached\n";
	uint8_t buf[512];
	struct vmmsg m;
	int fds[VMMSG_FDS_MAX], r;
	bool paused = vp->paused;

	if (read(kfd, buf, sizeof(buf)) <= 0)
		return VMMD_EXIT_BAD_FILE;
	close(kfd);
	if (ifd >= 0)
		close(ifd);
	if (vmproc_sandbox(vp))
		return VMMD_EXIT_FAILURE;
	conring_send(vp->console, (const uint8_t *)hello, sizeof(hello) - 1);
	send_state(vp, paused);
	for (;;) {
		r = vmchan_recv(vp->chan, VMMSG_TO_VM, &m, fds);
		if (r == 0 && wait_for_daemon(vp)) {
			/* A guest line with nobody to take it: the next daemon must. */
			conring_send(vp->console, (const uint8_t *)away, sizeof(away) - 1);
			if (take_channel(vp))
				return VMMD_EXIT_FAILURE;
			continue;
		}
		if (r <= 0)
			return r ? VMMD_EXIT_FAILURE : VMMD_EXIT_SIGNAL;
		switch (m.type) {
		case VMMSG_PAUSE:
		case VMMSG_RESUME:
			paused = m.type == VMMSG_PAUSE;
			/* fall through */
		case VMMSG_QUERY:
			send_state(vp, paused);
			break;
		case VMMSG_SHUTDOWN:
			vmproc_report_exit(vp, VMMD_EXIT_POWEROFF, "guest powered off (ACPI S5)");
			return VMMD_EXIT_POWEROFF;
		case VMMSG_REBOOT:
			vmproc_report_exit(vp, VMMD_EXIT_RESET, "reset asked by the daemon");
			return VMMD_EXIT_RESET;
		case VMMSG_CONSOLE_IN:	/* echo, as a tty would */
			conring_send(vp->console, m.u.console.data, m.u.console.len);
			break;
		case VMMSG_TEST_FORBIDDEN:
			sandbox_test_forbidden();
			break;
		default:
			return VMMD_EXIT_FAILURE;
		}
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vmmd-vm --root DIR [--dev PATH] [--uid N --gid N] [--test-hooks] [--keep]\n"
		"\n"
		"The per-VM process: `vmmd daemon` starts one per running domain, with\n"
		"its channel as fd 3 (and with --keep its control socket as fd 4), and\n"
		"sends it the domain on that channel. Not a command to run by hand\n"
		"(docs/sandbox.md).\n");
}

/* 0, VMMD_EXIT_USAGE, or -1 after --help. */
static int parse(int argc, char **argv, struct vmproc_opts *o)
{
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "root", required_argument, NULL, 'r' },
		{ "uid", required_argument, NULL, 'u' },
		{ "gid", required_argument, NULL, 'g' },
		{ "test-hooks", no_argument, NULL, 't' },
		{ "keep", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->chan = VMPROC_CHAN_FD;
	o->keep = -1;
	o->dev = "/dev/lamina";
	optind = 1;
	while ((c = vmmd_cli_flag(VMPROC_NAME, argc, argv, opts)) > 0) {
		switch (c) {
		case 'd': o->dev = optarg; break;
		case 'r': o->sandbox.root_at = optarg; break;
		case 'u':
			o->sandbox.uid = (uid_t)strtoul(optarg, NULL, 10);
			o->sandbox.set_ids = true;
			break;
		case 'g': o->sandbox.gid = (gid_t)strtoul(optarg, NULL, 10); break;
		case 't': o->test_hooks = true; break;
		case 'k': o->keep = VMPROC_KEEP_FD; break;
		case 'h':
			usage(stdout);
			return -1;
		}
	}
	if (c == 0)
		return VMMD_EXIT_USAGE;
	if (!o->sandbox.root_at)
		return vmmd_cli_bad(VMPROC_NAME, "%s", "needs --root DIR");
	return 0;
}

int main(int argc, char **argv)
{
	static struct conring console;	/* one per process: 64 KiB off the stack */
	struct vmproc_opts o;
	struct vmmd_config cfg;
	struct vmmsg m;
	int fds[VMMSG_FDS_MAX], *disk_fds, *net_fds, r;
	unsigned int i;

	/*
	 * The daemon execs this file through an fd (fexecve), and a kernel
	 * without the fix for execveat's comm (upstream in 6.14) names the
	 * process after "/dev/fd/N": ps would show "5". The rig's Debian
	 * 6.1.0-57 and the host's 6.18 already name it vmmd-vm (the rig's
	 * virsh phase checked, without this call): this is for the others.
	 */
	prctl(PR_SET_NAME, VMPROC_NAME);
	r = parse(argc, argv, &o);
	if (r)
		return r < 0 ? 0 : r;
	conring_init(&console, o.chan);
	o.console = &console;
	/*
	 * Listen here, not in the daemon: SO_PEERCRED then tells the next
	 * daemon that the socket's other end is this process (vmkeep.c).
	 * Without it, the VM ends with the daemon's channel, as before.
	 */
	if (o.keep >= 0 && listen(o.keep, 1)) {
		fprintf(stderr, VMPROC_NAME ": no control socket: %s\n", strerror(errno));
		close(o.keep);
		o.keep = -1;
	}
	if (vmchan_recv(o.chan, VMMSG_TO_VM, &m, fds) != 1 || m.type != VMMSG_START) {
		fprintf(stderr, VMPROC_NAME ": no valid START from the daemon\n");
		return VMMD_EXIT_USAGE;
	}
	stamp("START taken");
	memset(&cfg, 0, sizeof(cfg));
	cfg.kernel = "kernel (from the daemon)";
	cfg.initrd = "initrd (from the daemon)";
	cfg.cmdline = m.u.start.cmdline;
	cfg.dev = o.dev;
	cfg.mem = m.u.start.mem;
	cfg.cpus = m.u.start.cpus;
	/* Past the kernel and initrd: one fd per disk (vmmsg_decode checked). */
	disk_fds = fds + (m.u.start.flags & VMMSG_START_INITRD ? 2 : 1);
	cfg.ndisks = m.u.start.ndisks;
	for (i = 0; i < cfg.ndisks; i++) {
		cfg.disks[i].path = "disk (from the daemon)";
		cfg.disks[i].read_only = (m.u.start.disks_ro >> i) & 1;
	}
	/* Then one tap per NIC; vmmsg_decode checked the addresses. */
	net_fds = disk_fds + cfg.ndisks;
	cfg.nnics = m.u.start.nnics;
	for (i = 0; i < cfg.nnics; i++) {
		snprintf(cfg.nics[i].tap, sizeof(cfg.nics[i].tap), "(daemon's)");
		memcpy(cfg.nics[i].mac, m.u.start.macs[i], 6);
	}
	o.paused = m.u.start.flags & VMMSG_START_PAUSED;
	o.sandbox.threads = cfg.cpus + 3;	/* vCPUs, events, virtio I/O, main */
	if (o.test_hooks && !strcmp(o.dev, STUB_DEV)) {
		for (i = 0; i < cfg.ndisks + cfg.nnics; i++)
			close(disk_fds[i]);
		r = stub_run(&o, fds[0],
			     m.u.start.flags & VMMSG_START_INITRD ? fds[1] : -1);
	} else {
		r = vmmd_run_fds(&cfg, fds[0],
				 m.u.start.flags & VMMSG_START_INITRD ? fds[1] : -1,
				 disk_fds, net_fds, &o);
	}
	if (r == VMMD_EXIT_DEVICE || r == VMMD_EXIT_BAD_FILE || r == VMMD_EXIT_NO_FIT) {
		char why[160];

		snprintf(why, sizeof(why), "%s",
			 r == VMMD_EXIT_BAD_FILE ? "the kernel or initrd is not a usable file" :
			 r == VMMD_EXIT_NO_FIT ? "the kernel, initrd and command line do not fit the memory" :
			 "cannot open or use the hypervisor device ");
		if (r == VMMD_EXIT_DEVICE)
			snprintf(why + strlen(why), sizeof(why) - strlen(why), "%s", o.dev);
		vmproc_report_exit(&o, r, why);
	}
	vmproc_report_exit(&o, r, "the VM could not start (the daemon's log says why)");
	return r;
}
