// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtqueue_hostile DEVICE: vmmd's virtio-blk, end to end through its
 * PCI transport, against a driver that breaks the rules. vmmd runs the
 * guest tests/vguest/virtqueue_hostile.c (`vmmd run --raw-payload`, a
 * flat binary, no Linux: every ring and register write is the test's
 * own) on DEVICE with a 4 MiB disk image; the guest runs each hostile
 * case on a freshly reset device, checks the documented answer
 * (docs/virtio.md, "Hostile drivers") and that the device serves a good
 * read again afterwards, and prints one line per case.
 *
 * TAP: virtqueue-hostile-<case>/<dev> per case, then
 * virtqueue-hostile/<dev>: vmmd exited 0 (the guest powered off: vmmd
 * stayed alive; a device model touching memory next to guest RAM faults
 * on vmmd's guard pages, vmmd/mem.c), every case reported, the image
 * unchanged where the refused requests pointed (the header's sectors),
 * and no bad record in the kernel log (oops, WARN, BUG: lib fuzz/kmsg.c).
 *
 * Why vmmd itself and not a harness linking the device models: the test
 * is of what a guest can reach (the ECAM, the BAR decode, the notify
 * exits through KVM_RUN on either module, the vCPU thread and the bus
 * lock); tests/vmmd/unit/virtio_test.c drives the same models directly
 * under ASan.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz/kmsg.h"
#include "lib/ksft.h"
#include "lib/vm.h"
#include "vguest/virtqueue_hostile.h"

#define SECTOR		512
#define VMMD_SECONDS	300	/* the emulated machines are slow */

static char here[PATH_MAX];

/* Where this program lives: the payload sits beside it. */
static int find_here(void)
{
	ssize_t n = readlink("/proc/self/exe", here, sizeof(here) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	here[n] = 0;
	slash = strrchr(here, '/');
	if (!slash)
		return -1;
	*slash = 0;
	return 0;
}

/*
 * vmmd: $LAMINA_VMMD, else the rig's /vmmd/vmmd (beside /tests), else
 * the build tree's (build/tests/../vmmd/vmmd).
 */
static const char *find_vmmd(char *buf, size_t len)
{
	const char *env = getenv("LAMINA_VMMD");

	if (env && *env)
		return env;
	snprintf(buf, len, "%s/../vmmd/vmmd", here);
	return access(buf, X_OK) ? NULL : buf;
}

/* A 4 MiB image: sector 0 starts with the magic, the rest is zero. */
static int make_disk(char *path)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)VQH_DISK_SECTORS * SECTOR) ||
	    pwrite(fd, VQH_DISK_MAGIC, sizeof(VQH_DISK_MAGIC) - 1, 0) !=
	    (ssize_t)sizeof(VQH_DISK_MAGIC) - 1) {
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

/* What the refused requests must not have changed; "" if all is well. */
static const char *disk_why(int fd)
{
	static const char zero[SECTOR];
	char buf[SECTOR];
	struct stat st;

	if (fstat(fd, &st) || st.st_size != (off_t)VQH_DISK_SECTORS * SECTOR)
		return "the image's size changed";
	if (pread(fd, buf, SECTOR, 0) != SECTOR ||
	    memcmp(buf, VQH_DISK_MAGIC, sizeof(VQH_DISK_MAGIC) - 1))
		return "sector 0 lost its magic";
	if (pread(fd, buf, SECTOR, (off_t)VQH_SECTOR_REFUSED * SECTOR) != SECTOR ||
	    memcmp(buf, zero, SECTOR))
		return "a refused write reached the image";
	return "";
}

struct run {
	unsigned int cases, failed;
	int done;		/* "vqh: done N" seen */
	unsigned int done_n;
};

/* One console line of vmmd (the guest's, or vmmd's own on stderr). */
static void line(struct run *r, char *s, const char *dev)
{
	char name[96];
	char *p;

	s[strcspn(s, "\r\n")] = 0;
	printf("# %s\n", s);
	p = strstr(s, VQH_PREFIX);
	if (!p)
		return;
	p += strlen(VQH_PREFIX);
	if (!strncmp(p, "done ", 5)) {
		r->done = 1;
		r->done_n = strtoul(p + 5, NULL, 10);
		return;
	}
	if (!strncmp(p, "ok ", 3)) {
		snprintf(name, sizeof(name), "virtqueue-hostile-%.64s", p + 3);
		ksft_result_dev(1, name, dev);
	} else if (!strncmp(p, "not ok ", 7)) {
		p += 7;
		p[strcspn(p, ":")] = 0;
		snprintf(name, sizeof(name), "virtqueue-hostile-%.64s", p);
		ksft_result_dev(0, name, dev);
		r->failed++;
	} else {
		return;
	}
	if (strcmp(name, "virtqueue-hostile-prepare"))
		r->cases++;
}

/* Run vmmd with the guest; its exit status, or -1. */
static int run_vmmd(const char *vmmd, const char *devpath, const char *payload,
		    const char *disk, struct run *r, const char *dev)
{
	char mem[16], buf[1024];
	int pfd[2], status;
	pid_t pid;
	FILE *f;

	snprintf(mem, sizeof(mem), "%uM", VQH_MEM_MIB);
	if (pipe(pfd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		alarm(VMMD_SECONDS);	/* survives exec: SIGALRM ends vmmd */
		execl(vmmd, vmmd, "run", "--dev", devpath, "--raw-payload", payload,
		      "--mem", mem, "--disk", disk, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	while (f && fgets(buf, sizeof(buf), f))
		line(r, buf, dev);
	if (f)
		fclose(f);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status)) {
		ksft_print_msg("vmmd killed by signal %d (%s)\n", WTERMSIG(status),
			       strsignal(WTERMSIG(status)));
		return -1;
	}
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	char vbuf[PATH_MAX + 16], payload[PATH_MAX + 32];
	char disk[] = "/tmp/vqh-disk.XXXXXX";
	struct run r = { 0 };
	const char *vmmd, *dev, *why;
	unsigned int bad = 0;
	struct timespec t0, t1;
	int fd, kmsg, rc;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DEVICE\n", argv[0]);
		return KSFT_FAIL;
	}
	dev = test_dev_name(argv[1]);
	ksft_print_header();
	if (access(argv[1], R_OK | W_OK))
		ksft_exit_skip("no such device, or no access to it");
	if (find_here())
		ksft_exit_skip("cannot tell where this program is");
	vmmd = find_vmmd(vbuf, sizeof(vbuf));
	snprintf(payload, sizeof(payload), "%s/virtqueue_hostile.bin", here);
	if (!vmmd || access(payload, R_OK))
		ksft_exit_skip("vmmd or the guest payload is missing");
	fd = make_disk(disk);
	if (fd < 0)
		ksft_exit_skip("cannot make the disk image in /tmp");
	kmsg = fuzz_kmsg_open();
	if (kmsg < 0)
		ksft_print_msg("/dev/kmsg: %s: the kernel log is not checked\n",
			       strerror(errno));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = run_vmmd(vmmd, argv[1], payload, disk, &r, dev);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	why = disk_why(fd);
	if (kmsg >= 0)
		bad = fuzz_kmsg_drain(kmsg, 0);
	close(fd);
	unlink(disk);

	ksft_print_msg("vmmd exit %d (want 0) after %.1f s, %u cases, %u failed, guest done: %s (%u), image: %s, bad kernel log records: %u\n",
		       rc, (double)(t1.tv_sec - t0.tv_sec) +
		       (t1.tv_nsec - t0.tv_nsec) / 1e9,
		       r.cases, r.failed, r.done ? "yes" : "no", r.done_n,
		       *why ? why : "as expected", bad);
	ksft_result_dev(rc == 0 && r.done && r.done_n == r.cases && r.cases &&
			!r.failed && !*why && !bad && kmsg >= 0,
			"virtqueue-hostile", dev);
	ksft_set_plan(ksft_cnt.run);
	ksft_finished();
}
