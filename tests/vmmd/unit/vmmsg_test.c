// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon <-> VM process codec (vmmd/vmmsg.c) and its channel
 * (vmchan.c): round trips, and every bound checked on decode: version,
 * type, direction, length, text, fds. Decodes run on exact-size heap
 * copies, so ASan sees any read past the bytes given.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"
#include "vmchan.h"

static long decode_copy(const uint8_t *src, size_t len, enum vmmsg_dir dir,
			struct vmmsg *m)
{
	uint8_t *p = malloc(len ? len : 1);
	long r;

	memcpy(p, src, len);
	r = vmmsg_decode(p, len, dir, m);
	free(p);
	return r;
}

static struct vmmsg *msg(uint8_t type)
{
	struct vmmsg *m = calloc(1, sizeof(*m));

	m->type = type;
	return m;
}

static void test_round_trip(void)
{
	struct vmmsg *m = msg(VMMSG_START), *got = msg(0);
	uint8_t buf[VMMSG_MAX];
	size_t n;

	m->u.start.cpus = 2;
	m->u.start.mem = 3ULL << 32;
	m->u.start.flags = VMMSG_START_INITRD;
	strcpy(m->u.start.cmdline, "console=ttyS0 quiet");
	m->u.start.nnics = 1;
	memcpy(m->u.start.macs[0], "\x52\x54\x00\x12\x34\x56", 6);
	n = vmmsg_encode(m, buf, sizeof(buf));
	CHECK(n == VMMSG_HDR_LEN + 28 + 6 * VMMSG_NICS_MAX + 19);
	CHECK(decode_copy(buf, n, VMMSG_TO_VM, got) == (long)n);
	CHECK(got->u.start.cpus == 2 && got->u.start.mem == 3ULL << 32);
	CHECK(!strcmp(got->u.start.cmdline, "console=ttyS0 quiet"));
	CHECK(got->u.start.nnics == 1 && got->u.start.macs[0][5] == 0x56);
	CHECK(vmmsg_nfds(got) == 3);	/* kernel, initrd, tap */
	/* Every prefix is "need more", never a message or an error. */
	for (size_t i = 0; i < n; i++)
		CHECK(decode_copy(buf, i, VMMSG_TO_VM, got) == 0);

	m->type = VMMSG_EXIT;
	m->u.exit.code = 7;
	strcpy(m->u.exit.reason, "guest triple-faulted");
	n = vmmsg_encode(m, buf, sizeof(buf));
	CHECK(n && decode_copy(buf, n, VMMSG_TO_DAEMON, got) == (long)n);
	CHECK(got->u.exit.code == 7 && !strcmp(got->u.exit.reason, "guest triple-faulted"));
	free(m);
	free(got);
}

static void test_refused(void)
{
	struct vmmsg *m = msg(VMMSG_CONSOLE_OUT), *got = msg(0);
	uint8_t buf[VMMSG_MAX], bad[VMMSG_MAX];
	size_t n;

	m->u.console.len = 3;
	memcpy(m->u.console.data, "a\0b", 3);	/* console bytes may hold NUL */
	n = vmmsg_encode(m, buf, sizeof(buf));
	CHECK(n == VMMSG_HDR_LEN + 3);
	CHECK(decode_copy(buf, n, VMMSG_TO_DAEMON, got) == (long)n);
	/* The wrong way: a daemon-bound message sent to the VM. */
	CHECK(decode_copy(buf, n, VMMSG_TO_VM, got) == -1);
	memcpy(bad, buf, n);
	bad[0] = 2;				/* version */
	CHECK(decode_copy(bad, n, VMMSG_TO_DAEMON, got) == -1);
	memcpy(bad, buf, n);
	bad[1] = 99;				/* type */
	CHECK(decode_copy(bad, n, VMMSG_TO_DAEMON, got) == -1);
	memcpy(bad, buf, n);
	bad[2] = 1;				/* reserved */
	CHECK(decode_copy(bad, n, VMMSG_TO_DAEMON, got) == -1);
	memcpy(bad, buf, n);
	bad[5] = 0x20;				/* length 8195 > max */
	CHECK(decode_copy(bad, n, VMMSG_TO_DAEMON, got) == -1);
	/* Empty console data, a payload on a bare message, a bad state. */
	m->u.console.len = 0;
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) == 0);
	m->type = VMMSG_PAUSE;
	n = vmmsg_encode(m, buf, sizeof(buf));
	CHECK(n == VMMSG_HDR_LEN);
	buf[4] = 1;
	buf[n] = 0;
	CHECK(decode_copy(buf, n + 1, VMMSG_TO_VM, got) == -1);
	m->type = VMMSG_STATE;
	m->u.state = 3;
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) == 0);
	/* START: 0 or 65 CPUs, unknown flags, a NUL in the command line. */
	m->type = VMMSG_START;
	m->u.start.mem = 1 << 20;
	m->u.start.cpus = 0;
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) == 0);
	m->u.start.cpus = 65;
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) == 0);
	m->u.start.cpus = 1;
	/*
	 * NICs: too many, a zero or multicast address, an unused one set
	 * (the message otherwise valid: flags still hold console bytes).
	 */
	m->u.start.flags = 0;
	m->u.start.cmdline[0] = 0;
	m->u.start.nnics = 1;
	memcpy(m->u.start.macs[0], "\x52\x54\x00\x12\x34\x56", 6);
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) != 0);
	memset(m->u.start.macs[0], 0, 6);
	m->u.start.nnics = VMMSG_NICS_MAX + 1;
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) == 0);
	m->u.start.nnics = 1;
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) == 0);
	m->u.start.macs[0][0] = 0x53;
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) == 0);
	m->u.start.macs[0][0] = 0x52;
	m->u.start.macs[1][0] = 0x52;
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) == 0);
	m->u.start.macs[1][0] = 0;
	m->u.start.nnics = 0;
	m->u.start.macs[0][0] = 0;
	m->u.start.flags = 4;
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) == 0);
	m->u.start.flags = 0;
	/* Disks: at most 16; read-only bits only for disks there are. */
	m->u.start.ndisks = 17;
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) == 0);
	m->u.start.ndisks = 2;
	m->u.start.disks_ro = 4;
	CHECK(vmmsg_encode(m, buf, sizeof(buf)) == 0);
	m->u.start.disks_ro = 2;
	n = vmmsg_encode(m, buf, sizeof(buf));
	CHECK(n && decode_copy(buf, n, VMMSG_TO_VM, got) == (long)n);
	CHECK(got->u.start.ndisks == 2 && got->u.start.disks_ro == 2);
	CHECK(vmmsg_nfds(got) == 3);
	m->u.start.ndisks = m->u.start.disks_ro = 0;
	strcpy(m->u.start.cmdline, "ab");
	n = vmmsg_encode(m, buf, sizeof(buf));
	CHECK(n);
	buf[n - 1] = 0;
	CHECK(decode_copy(buf, n, VMMSG_TO_VM, got) == -1);
	/* Too small a buffer to encode into. */
	CHECK(vmmsg_encode(m, buf, VMMSG_MAX - 1) == 0);
	free(m);
	free(got);
}

/* Over a SEQPACKET pair: fds ride along; wrong fd counts are refused. */
static void test_channel(void)
{
	struct vmmsg *m = msg(VMMSG_START), *got = msg(0);
	int sv[2], fds[2], rfds[VMMSG_FDS_MAX];

	CHECK(!socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	m->u.start.cpus = 1;
	m->u.start.mem = 1 << 24;
	fds[0] = fds[1] = STDIN_FILENO;
	CHECK(!vmchan_send(sv[0], m, fds));
	CHECK(vmchan_recv(sv[1], VMMSG_TO_VM, got, rfds) == 1);
	CHECK(got->type == VMMSG_START && rfds[0] > 2);
	close(rfds[0]);
	/* A PAUSE that carries an fd: refused, the fd closed. */
	{
		uint8_t buf[VMMSG_HDR_LEN] = { VMMSG_VERSION, VMMSG_PAUSE };
		union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } c;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = c.b, .msg_controllen = sizeof(c.b) };

		c.h.cmsg_level = SOL_SOCKET;
		c.h.cmsg_type = SCM_RIGHTS;
		c.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&c.h), &fds[0], sizeof(int));
		CHECK(sendmsg(sv[0], &mh, 0) == (ssize_t)sizeof(buf));
		CHECK(vmchan_recv(sv[1], VMMSG_TO_VM, got, rfds) == -1);
	}
	close(sv[0]);
	CHECK(vmchan_recv(sv[1], VMMSG_TO_VM, got, rfds) == 0);	/* end */
	close(sv[1]);
	free(m);
	free(got);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_round_trip),
	TAP_CASE(test_refused),
	TAP_CASE(test_channel),
};

int main(void)
{
	return tap_run("vmmd/vmmsg", cases, TAP_COUNT(cases));
}
