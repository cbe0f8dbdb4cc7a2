// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <stdio.h>
#include "kmsg.h"

/*
 * What a kernel bug looks like in the log. The rig's /init greps for the
 * same first six after every phase (DMESG_BAD in scripts/guest/init); the
 * rest are reports its kernel would print with the debug options on.
 */
static const char *const kmsg_bad[] = {
	"Oops", "BUG:", "WARNING:", "Call Trace:", "general protection fault",
	"Kernel panic", "KASAN:", "UBSAN:", "possible circular locking",
	"possible recursive locking", "lockdep", "INFO: task",
	"rcu_sched self-detected stall", "rcu: INFO:", "soft lockup",
	"hard LOCKUP", "kernel BUG", "refcount_t:",
};

int fuzz_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int kmsg_is_bad(const char *rec)
{
	unsigned int i;

	for (i = 0; i < sizeof(kmsg_bad) / sizeof(kmsg_bad[0]); i++)
		if (strstr(rec, kmsg_bad[i]))
			return 1;
	return 0;
}

unsigned int fuzz_kmsg_drain(int fd, unsigned long long seed)
{
	char rec[2048];
	unsigned int bad = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE) {
			/* Overwritten before we read it: we cannot say clean. */
			printf("# seed %llu: kernel log records lost\n", seed);
			bad++;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		rec[n] = 0;
		if (kmsg_is_bad(rec)) {
			/* A WARN is a dozen records: the first few say it. */
			if (++bad > 12)
				continue;
			rec[strcspn(rec, "\n")] = 0;
			printf("# seed %llu: kernel: %s\n", seed,
			       strchr(rec, ';') ? strchr(rec, ';') + 1 : rec);
			fflush(stdout);
		}
	}
	return bad;
}
