// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM process's console ring (vmmd/conring.c) with socketpairs in
 * place of the daemon's channels. Output goes straight out while a
 * daemon reads; once its end closes, output waits in the ring; the next
 * channel (dup2'd onto the same fd number, as vmproc.c does) gets it
 * first and in order, then what comes later. A ring that overflows keeps
 * the newest CONRING_SIZE bytes and the next daemon reads how many were
 * lost before them.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conring.h"
#include "tap.h"
#include "vmchan.h"

static struct conring ring;

/* A fresh channel on fd @chan (dup2), its daemon's end returned. */
static int attach(int chan)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -1;
	/* Room for the whole ring and more: the test reads after sending. */
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &(int){ 4 << 20 }, sizeof(int));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &(int){ 4 << 20 }, sizeof(int));
	if (dup2(sv[0], chan) < 0)
		return -1;
	close(sv[0]);
	return sv[1];
}

/* Every CONSOLE_OUT waiting on @daemon, joined into @out; its length. */
static size_t read_all(int daemon, char *out, size_t max)
{
	struct vmmsg *m = malloc(sizeof(*m));
	int fds[VMMSG_FDS_MAX];
	size_t len = 0;

	fcntl(daemon, F_SETFL, O_NONBLOCK);
	while (m && vmchan_recv(daemon, VMMSG_TO_DAEMON, m, fds) == 1 &&
	       m->type == VMMSG_CONSOLE_OUT && len + m->u.console.len <= max) {
		memcpy(out + len, m->u.console.data, m->u.console.len);
		len += m->u.console.len;
	}
	free(m);
	return len;
}

static void test_kept_while_away(void)
{
	char got[256];
	int chan = dup(0), d1, d2;	/* any free fd number for the channel */
	size_t n;

	d1 = attach(chan);
	conring_init(&ring, chan);
	CHECK_EQ(conring_send(&ring, (const uint8_t *)"one\n", 4), 0);
	n = read_all(d1, got, sizeof(got));
	CHECK(n == 4 && !memcmp(got, "one\n", 4));
	close(d1);	/* the daemon goes */
	CHECK_EQ(conring_send(&ring, (const uint8_t *)"two\n", 4), 1);
	CHECK_EQ(conring_send(&ring, (const uint8_t *)"three\n", 6), 1);
	CHECK_EQ(conring_flush(&ring), 1);	/* still nobody */
	d2 = attach(chan);	/* the next daemon */
	CHECK_EQ(conring_flush(&ring), 0);
	CHECK_EQ(conring_send(&ring, (const uint8_t *)"four\n", 5), 0);
	n = read_all(d2, got, sizeof(got));
	CHECK(n == 15 && !memcmp(got, "two\nthree\nfour\n", 15));
	close(d2);
	close(chan);
}

static void test_overflow_keeps_newest(void)
{
	size_t total = CONRING_SIZE + 1000, n, i;
	char *big = malloc(total), *got = malloc(2 * total), note[128];
	int chan = dup(0), d;

	for (i = 0; i < total; i++)
		big[i] = (char)('a' + i % 26);
	d = attach(chan);
	conring_init(&ring, chan);
	close(d);
	/* In pieces, as the serial port sends lines. */
	for (i = 0; i < total; i += 500)
		conring_send(&ring, (const uint8_t *)big + i,
			     total - i < 500 ? total - i : 500);
	d = attach(chan);
	CHECK_EQ(conring_flush(&ring), 0);
	n = read_all(d, got, 2 * total);
	snprintf(note, sizeof(note), CONRING_LOST_FMT, 1000ULL);
	CHECK_EQ(n, strlen(note) + CONRING_SIZE);
	CHECK(!memcmp(got, note, strlen(note)));
	CHECK(!memcmp(got + strlen(note), big + 1000, CONRING_SIZE));
	/* One write larger than the ring: its tail is what stays. */
	close(d);
	conring_send(&ring, (const uint8_t *)big, total);
	d = attach(chan);
	conring_flush(&ring);
	n = read_all(d, got, 2 * total);
	CHECK_EQ(n, strlen(note) + CONRING_SIZE);
	CHECK(!memcmp(got + strlen(note), big + 1000, CONRING_SIZE));
	close(d);
	close(chan);
	free(big);
	free(got);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_kept_while_away),
	TAP_CASE(test_overflow_keeps_newest),
};

int main(void)
{
	return tap_run("vmmd/conring", cases, TAP_COUNT(cases));
}
