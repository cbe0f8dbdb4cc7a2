// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_bench MODE ARGS: the workloads behind make bench's virtio figures
 * (docs/bench.md). Not a test: no thresholds, no TAP.
 *
 * In the nested guest (scripts/guest/linux-boot-init, vmmd_test=bench-*):
 *   blk-seq-write DEV MIB    MIB writes of 1 MiB from offset 0, O_DIRECT,
 *                            back to offset 0 at the end of the device,
 *                            then fdatasync (inside the timed span)
 *   blk-seq-read DEV MIB     the same with reads
 *   blk-rand-read DEV N      N reads of 4 KiB at 4 KiB-aligned offsets
 *                            from a fixed-seed PRNG, O_DIRECT, one at a time
 *   tcp-send HOST PORT MIB   connect, send MIB MiB, half-close, wait for
 *                            the peer to close (it has read everything)
 *   tcp-recv HOST PORT       connect, read until the peer closes
 * In the machine around it (scripts/guest/init), the other ends:
 *   tcp-sink PORT            accept one connection, read it to its end
 *   tcp-source PORT MIB      accept one connection, send MIB MiB, close
 *
 * Each prints one line,
 *   VBENCH <mode> <operations> <bytes> <ns> <rate> <unit>
 * with the rate in MB/s (10^6 bytes a second) or, for blk-rand-read, in
 * IOPS. Time is CLOCK_MONOTONIC of the machine the program runs in.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024UL * 1024UL)
#define RAND_BLOCK 4096UL
/* O_DIRECT wants the buffer aligned to the logical block; a page is enough. */
#define BUF_ALIGN 4096UL
/* Fixed, so that every run reads the same offsets. */
#define RAND_SEED 0x9e3779b97f4a7c15ULL
#define CONNECT_TRIES 50

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "virtio_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static unsigned long arg_ulong(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || !v) {
		fprintf(stderr, "virtio_bench: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static void report(const char *mode, unsigned long ops, uint64_t bytes,
		   uint64_t ns)
{
	double s = ns ? (double)ns / 1e9 : 1e-9;

	if (!strcmp(mode, "blk-rand-read"))
		printf("VBENCH %s %lu %llu %llu %.0f IOPS\n", mode, ops,
		       (unsigned long long)bytes, (unsigned long long)ns,
		       ops / s);
	else
		printf("VBENCH %s %lu %llu %llu %.2f MB/s\n", mode, ops,
		       (unsigned long long)bytes, (unsigned long long)ns,
		       bytes / s / 1e6);
	fflush(stdout);
}

static void *buffer(size_t len)
{
	void *p;

	if (posix_memalign(&p, BUF_ALIGN, len))
		die("posix_memalign");
	/* A pattern, not zeros: nothing in the path can shortcut them. */
	for (size_t i = 0; i < len; i++)
		((unsigned char *)p)[i] = (unsigned char)(i * 131 + 7);
	return p;
}

/* Whole-buffer transfer at OFF; a short one is an error here. */
static void blk_io(int fd, void *buf, size_t len, off_t off, int write)
{
	ssize_t r = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);

	if (r < 0)
		die(write ? "pwrite" : "pread");
	if ((size_t)r != len) {
		fprintf(stderr, "virtio_bench: short transfer at %lld\n",
			(long long)off);
		exit(1);
	}
}

/* Open DEV O_DIRECT; *UNITS: how many whole UNIT-byte blocks it holds. */
static int dev_open(const char *dev, int flags, size_t unit, uint64_t *units)
{
	int fd = open(dev, flags | O_DIRECT);
	off_t size;

	if (fd < 0)
		die(dev);
	size = lseek(fd, 0, SEEK_END);
	if (size < 0)
		die("lseek");
	*units = (uint64_t)size / unit;
	if (!*units) {
		fprintf(stderr, "virtio_bench: %s holds less than %zu bytes\n",
			dev, unit);
		exit(1);
	}
	return fd;
}

static void blk_seq(const char *mode, const char *dev, unsigned long mib,
		    int write)
{
	uint64_t t0, t1, dev_mib;
	int fd = dev_open(dev, write ? O_WRONLY : O_RDONLY, MIB, &dev_mib);
	void *buf = buffer(MIB);

	t0 = now_ns();
	for (unsigned long i = 0; i < mib; i++)
		blk_io(fd, buf, MIB, (off_t)(i % dev_mib * MIB), write);
	if (write && fdatasync(fd))
		die("fdatasync");
	t1 = now_ns();
	report(mode, mib, (uint64_t)mib * MIB, t1 - t0);
	close(fd);
}

/* xorshift64: small, and the same sequence everywhere. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void blk_rand_read(const char *dev, unsigned long n)
{
	uint64_t seed = RAND_SEED, blocks, t0, t1;
	int fd = dev_open(dev, O_RDONLY, RAND_BLOCK, &blocks);
	void *buf = buffer(RAND_BLOCK);

	t0 = now_ns();
	for (unsigned long i = 0; i < n; i++)
		blk_io(fd, buf, RAND_BLOCK,
		       (off_t)(next_rand(&seed) % blocks * RAND_BLOCK), 0);
	t1 = now_ns();
	report("blk-rand-read", n, (uint64_t)n * RAND_BLOCK, t1 - t0);
	close(fd);
}

/* The peer's listener may start a little later: retry for ~5 s. */
static int tcp_connect(const char *host, unsigned long port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd;

	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "virtio_bench: bad address '%s'\n", host);
		exit(2);
	}
	for (int i = 0; i < CONNECT_TRIES; i++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			die("socket");
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		close(fd);
		usleep(100000);
	}
	die("connect");
	return -1;
}

static int tcp_accept(unsigned long port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int one = 1, lfd, fd;

	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1))
		die("bind/listen");
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	close(lfd);
	return fd;
}

/* Send MIB MiB, half-close, and wait until the peer has read it all. */
static void tcp_send(const char *mode, int fd, unsigned long mib)
{
	unsigned char *buf = buffer(MIB);
	char c;
	uint64_t t0 = now_ns();

	for (unsigned long i = 0; i < mib; i++) {
		size_t done = 0;

		while (done < MIB) {
			ssize_t r = write(fd, buf + done, MIB - done);

			if (r < 0)
				die("write");
			done += (size_t)r;
		}
	}
	if (shutdown(fd, SHUT_WR))
		die("shutdown");
	if (read(fd, &c, 1) < 0)
		die("read");
	report(mode, mib, (uint64_t)mib * MIB, now_ns() - t0);
	close(fd);
}

/* Read to the end; the time runs from the connection to its end. */
static void tcp_recv(const char *mode, int fd, uint64_t t0)
{
	unsigned char *buf = buffer(MIB);
	uint64_t bytes = 0;
	ssize_t r;

	while ((r = read(fd, buf, MIB)) > 0)
		bytes += (uint64_t)r;
	if (r < 0)
		die("read");
	report(mode, (unsigned long)(bytes / MIB), bytes, now_ns() - t0);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int fd;

	if (!strcmp(mode, "blk-seq-write") && argc == 4)
		blk_seq(mode, argv[2], arg_ulong(argv[3]), 1);
	else if (!strcmp(mode, "blk-seq-read") && argc == 4)
		blk_seq(mode, argv[2], arg_ulong(argv[3]), 0);
	else if (!strcmp(mode, "blk-rand-read") && argc == 4)
		blk_rand_read(argv[2], arg_ulong(argv[3]));
	else if (!strcmp(mode, "tcp-send") && argc == 5)
		tcp_send(mode, tcp_connect(argv[2], arg_ulong(argv[3])),
			 arg_ulong(argv[4]));
	else if (!strcmp(mode, "tcp-recv") && argc == 4) {
		fd = tcp_connect(argv[2], arg_ulong(argv[3]));
		tcp_recv(mode, fd, now_ns());
	} else if (!strcmp(mode, "tcp-sink") && argc == 3) {
		fd = tcp_accept(arg_ulong(argv[2]));
		tcp_recv(mode, fd, now_ns());
	} else if (!strcmp(mode, "tcp-source") && argc == 4)
		tcp_send(mode, tcp_accept(arg_ulong(argv[2])),
			 arg_ulong(argv[3]));
	else {
		fprintf(stderr, "usage: virtio_bench blk-seq-write|blk-seq-read DEV MIB\n"
			"       virtio_bench blk-rand-read DEV N\n"
			"       virtio_bench tcp-send HOST PORT MIB | tcp-recv HOST PORT\n"
			"       virtio_bench tcp-sink PORT | tcp-source PORT MIB\n");
		return 2;
	}
	return 0;
}
