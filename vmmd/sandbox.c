// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-VM process's sandbox, layer by layer (docs/sandbox.md says
 * what each one stops). Order matters: namespaces and pivot_root need
 * CAP_SYS_ADMIN, so they come before the capabilities go; seccomp
 * comes last so that setting up needs none of the syscalls it forbids.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/if_tun.h>
#include <linux/kvm.h>
#include <sched.h>
#include <seccomp.h>
#include <cap-ng.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox.h"

/*
 * RLIMIT_NOFILE is what the process holds when it is sandboxed (device,
 * VM, vCPUs, disks, taps, per virtio queue an eventfd and per MSI-X
 * vector an irqfd: about 190 with 64 vCPUs, 16 disks and 8 NICs) plus
 * the few it opens afterwards: the event and I/O threads' epoll and
 * eventfd, the main thread's signalfd. Derived, not a constant, so a
 * large VM still starts and a small one gets no more than it needs.
 */
#define FDS_AFTER_SANDBOX 8U
/* Scan no further than this (the soft limit may be huge). */
#define FD_SCAN_MAX 65536U

/* One past the highest fd open now: the kernel hands out the lowest free. */
static unsigned int fds_held(void)
{
	struct rlimit cur;
	unsigned int fd, end, top = 0;

	if (getrlimit(RLIMIT_NOFILE, &cur))
		return 0;
	end = cur.rlim_cur < FD_SCAN_MAX ? (unsigned int)cur.rlim_cur : FD_SCAN_MAX;
	for (fd = 0; fd < end; fd++)
		if (fcntl((int)fd, F_GETFD) != -1)
			top = fd + 1;
	return top;
}

static int fail(const char *layer)
{
	fprintf(stderr, "vmmd-vm: sandbox: %s: %s\n", layer, strerror(errno));
	return -1;
}

/* An empty, read-only tmpfs as /, the old root detached: nothing to open. */
static int empty_root(const char *at)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return fail("make mounts private");
	if (mount("vmroot", at, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=4k,nr_inodes=2,mode=0555"))
		return fail("mount the empty root");
	if (chdir(at))
		return fail("enter the empty root");
	if (!syscall(SYS_pivot_root, ".", ".")) {
		/* The old root is stacked under the new one at "/": drop it. */
		if (umount2(".", MNT_DETACH) || chdir("/"))
			return fail("detach the old root");
	} else if (errno == EINVAL) {
		/*
		 * An initramfs root (rootfs) cannot be pivoted away from: move
		 * the empty tmpfs over it and chroot there, as switch_root
		 * does. The old root stays mounted below but out of reach: no
		 * directory fd is open, and chroot is neither allowed by the
		 * filter nor possible without capabilities.
		 */
		if (mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") || chdir("/"))
			return fail("move the empty root over rootfs");
	} else {
		return fail("pivot_root");
	}
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
		  MS_NODEV | MS_NOEXEC, NULL))
		return fail("make the root read-only");
	return 0;
}

static int limits(const struct sandbox_cfg *c)
{
	unsigned int files = fds_held() + FDS_AFTER_SANDBOX;
	struct rlimit nofile = { files, files }, zero = { 0, 0 };
	struct rlimit nproc = { c->threads + 1, c->threads + 1 };

	if (setrlimit(RLIMIT_NOFILE, &nofile) || setrlimit(RLIMIT_CORE, &zero))
		return fail("rlimits");
	/*
	 * RLIMIT_NPROC counts every thread of the uid: it only bounds this
	 * VM when the VM has a uid of its own (root's count is the host's).
	 */
	if (c->set_ids && setrlimit(RLIMIT_NPROC, &nproc))
		return fail("RLIMIT_NPROC");
	return 0;
}

static int ids(const struct sandbox_cfg *c)
{
	if (!c->set_ids)
		return 0;
	if (setgroups(0, NULL) || setresgid(c->gid, c->gid, c->gid) ||
	    setresuid(c->uid, c->uid, c->uid))
		return fail("uid/gid");
	return 0;
}

static int no_caps(void)
{
	capng_clear(CAPNG_SELECT_ALL);
	if (capng_apply(CAPNG_SELECT_ALL)) {
		errno = EPERM;
		return fail("drop capabilities");
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return fail("no_new_privs");
	return 0;
}

/*
 * The syscalls a running VM makes: vCPU threads, event thread, virtio
 * I/O thread (epoll_wait, read of its eventfds), main loop.
 */
static const int allowed[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(close), SCMP_SYS(pread64),
	SCMP_SYS(pwrite64), SCMP_SYS(fdatasync),	/* virtio-blk */
	SCMP_SYS(fallocate),		/* virtio-blk DISCARD, WRITE_ZEROES */
	SCMP_SYS(sendmsg), SCMP_SYS(recvmsg), SCMP_SYS(poll), SCMP_SYS(ppoll),
	SCMP_SYS(epoll_create1), SCMP_SYS(epoll_ctl), SCMP_SYS(epoll_wait),
	SCMP_SYS(epoll_pwait), SCMP_SYS(eventfd2), SCMP_SYS(signalfd4), SCMP_SYS(timerfd_settime),
	SCMP_SYS(timerfd_gettime), SCMP_SYS(clock_gettime),
	SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep), SCMP_SYS(sched_yield),
	SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mprotect), SCMP_SYS(madvise),
	SCMP_SYS(mremap), SCMP_SYS(brk), SCMP_SYS(futex), SCMP_SYS(set_robust_list),
	SCMP_SYS(rseq), SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigtimedwait), SCMP_SYS(tgkill),
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(exit), SCMP_SYS(exit_group),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(lseek), SCMP_SYS(getrandom),
	SCMP_SYS(sched_getaffinity),
	/* The next daemon's channel, on the control socket (vmproc.c). */
	SCMP_SYS(accept4), SCMP_SYS(dup2),
};

/* What ioctl may ask: the vCPU and VM calls made after set-up, no more. */
static const unsigned long allowed_ioctls[] = {
	KVM_RUN, KVM_SIGNAL_MSI, KVM_SET_GSI_ROUTING, KVM_GET_REGS, KVM_SET_REGS,
	KVM_GET_SREGS, KVM_SET_SREGS, KVM_GET_MP_STATE,
	/* virtio: queue notifies and MSI-X irqfds, as the driver sets them up. */
	KVM_IOEVENTFD, KVM_IRQFD,
	/*
	 * virtio-net: the tap's offloads follow what the driver negotiates,
	 * at each DRIVER_OK (virtio_net.c). Any fd: the VM process has no
	 * other tun fd than its NICs' taps.
	 */
	TUNSETOFFLOAD,
};

static int filter(void)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_KILL_PROCESS);
	unsigned int i;
	int r = 0;

	if (!f) {
		errno = ENOMEM;
		return fail("seccomp_init");
	}
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]) && !r; i++)
		r = seccomp_rule_add(f, SCMP_ACT_ALLOW, allowed[i], 0);
	for (i = 0; i < sizeof(allowed_ioctls) / sizeof(allowed_ioctls[0]) && !r; i++)
		r = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				     SCMP_A1_64(SCMP_CMP_MASKED_EQ, 0xffffffffUL,
						allowed_ioctls[i]));
	/* Threads only: clone must carry CLONE_THREAD. */
	if (!r)
		r = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				     SCMP_A0_64(SCMP_CMP_MASKED_EQ, CLONE_THREAD,
						CLONE_THREAD));
	/*
	 * glibc opens files of its own at run time (malloc's first arena in
	 * a new thread reads /sys/devices/system/cpu/online): fail those
	 * opens, as the empty root would, rather than kill the VM.
	 */
	if (!r)
		r = seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 0);
	if (!r)
		r = seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 0);
	/* clone3's flags are in memory, out of the filter's reach: glibc falls back. */
	if (!r)
		r = seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (!r)
		r = seccomp_load(f);
	seccomp_release(f);
	if (r) {
		errno = -r;
		return fail("seccomp filter");
	}
	return 0;
}

int sandbox_apply(const struct sandbox_cfg *c)
{
	if (unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET))
		return fail("unshare");
	if (empty_root(c->root_at) || limits(c) || ids(c) || no_caps() || filter())
		return -1;
	return 0;
}

void sandbox_test_forbidden(void)
{
	/* Outside the allowlist: the kernel kills the process with SIGSYS. */
	syscall(SYS_ptrace, 0, 0, 0, 0);
}
