// SPDX-License-Identifier: GPL-2.0-only
/*
 * rawclient SOCKET CASE [ARGS]: speaks (or breaks) libvirt's remote
 * protocol on the daemon's socket directly, for what virsh never sends.
 * Prints one line saying what the daemon did; exits 0 when that is what
 * the case expects, 1 otherwise. C, libc only: it runs on the host
 * (tests/vmmd/virsh.sh) and in the rig's virsh phase, whose machine has
 * no Python.
 *   oversize       length above 16 MiB + 4: the daemon closes the connection
 *   undersize      length below the header: the daemon closes it
 *   truncated      half a packet, then close: nothing to answer
 *   random         4 KiB of random bytes: closed or answered, never a hang
 *   unknown-proc   procedure 9999: NO_SUPPORT, "procedure 9999 is not
 *                  supported by lamina"
 *   wrong-program  program 0x12345678: an RPC error
 *   wrong-version  version 2: an RPC error
 *   clients N URI  N connections at once, one stalled mid-packet, one
 *                  stalled with replies unread; `virsh -c URI list --all`
 *                  completes, then every other connection is answered
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROG		0x20008086u
#define VERS		1u
#define PROC_AUTH_LIST	66
#define HDR_LEN		28	/* length word + six header words */
#define MAX_CLIENTS	1024

static const char *sock_path;

static int connect_daemon(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 10 };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0 || strlen(sock_path) >= sizeof(a.sun_path)) {
		perror("socket");
		exit(1);
	}
	strcpy(a.sun_path, sock_path);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("connect");
		exit(1);
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return s;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* A call with an empty body: HDR_LEN bytes into buf. */
static void pkt(uint8_t *buf, int32_t proc, uint32_t serial, uint32_t prog,
		uint32_t vers)
{
	put32(buf, HDR_LEN);
	put32(buf + 4, prog);
	put32(buf + 8, vers);
	put32(buf + 12, (uint32_t)proc);
	put32(buf + 16, 0);		/* type: call */
	put32(buf + 20, serial);
	put32(buf + 24, 0);		/* status: ok */
}

static int send_all(int s, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = send(s, p, len, MSG_NOSIGNAL);

		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int recv_exact(int s, uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = recv(s, buf, len, 0);

		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

struct reply {
	uint32_t serial, status;
	int32_t code;
	char msg[256];
};

/* The next reply's header and error; -1 when the connection closed. */
static int reply(int s, struct reply *r)
{
	uint8_t head[4], body[4096];
	uint32_t len;

	if (recv_exact(s, head, 4))
		return -1;
	len = get32(head);
	if (len < 28 || len - 4 > sizeof(body) || recv_exact(s, body, len - 4))
		return -1;
	memset(r, 0, sizeof(*r));
	r->serial = get32(body + 16);
	r->status = get32(body + 20);
	if (r->status == 1 && len >= 40) {
		uint32_t present, mlen;

		r->code = (int32_t)get32(body + 24);
		present = get32(body + 32);
		if (present && len >= 44) {
			mlen = get32(body + 36);
			if (mlen < sizeof(r->msg) && 40 + mlen <= len - 4)
				memcpy(r->msg, body + 40, mlen);
		}
	}
	return 0;
}

static void print_reply(const struct reply *r)
{
	printf("serial %u status %u code %d message '%s'\n",
	       r->serial, r->status, r->code, r->msg);
}

/* The daemon closed the connection (EOF), not a timeout or a reply. */
static int closed(int s)
{
	char c;

	return recv(s, &c, 1, 0) == 0;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* virsh -c URI list --all, at most 30 s: its exit status, -1 on timeout. */
static int virsh_list(const char *uri)
{
	pid_t pid = fork();
	int st, i;

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		/* Debian's path first: the rig's /init has no PATH to search. */
		execl("/usr/bin/virsh", "virsh", "-c", uri, "list", "--all",
		      (char *)NULL);
		execlp("virsh", "virsh", "-c", uri, "list", "--all", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 300; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
		usleep(100000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

static int clients(int first, int n, const char *uri)
{
	static int c[MAX_CLIENTS];
	uint8_t p[HDR_LEN];
	struct reply r;
	double t;
	int i, rc;

	if (n < 3 || n > MAX_CLIENTS) {
		printf("clients: N must be 3..%d\n", MAX_CLIENTS);
		return 1;
	}
	c[0] = first;
	for (i = 1; i < n; i++)
		c[i] = connect_daemon();
	pkt(p, PROC_AUTH_LIST, 1, PROG, VERS);
	for (i = 0; i < n; i++)
		if (send_all(c[i], p, sizeof(p)))
			return printf("a connection could not send\n"), 1;
	for (i = 0; i < n; i++)
		if (reply(c[i], &r))
			return printf("a connection got no AUTH_LIST reply\n"), 1;
	/* c[0] stalls mid-packet; c[1] sends calls and reads nothing. */
	send_all(c[0], p, 10);
	fcntl(c[1], F_SETFL, O_NONBLOCK);
	for (i = 0; i < 20000; i++)
		if (send(c[1], p, sizeof(p), MSG_NOSIGNAL) != sizeof(p))
			break;	/* its socket is full: the daemon stopped reading */
	t = now();
	rc = virsh_list(uri);
	t = now() - t;
	if (rc == -1)
		return printf("virsh list got no answer in 30 s: a stalled client blocks the daemon\n"), 1;
	if (rc)
		return printf("virsh list failed: exit %d\n", rc), 1;
	pkt(p, PROC_AUTH_LIST, 2, PROG, VERS);
	for (i = 2; i < n; i++)
		send_all(c[i], p, sizeof(p));
	for (i = 2; i < n; i++)
		if (reply(c[i], &r) || r.serial != 2)
			return printf("a connection was not answered after the stall\n"), 1;
	printf("%d connections, one stalled mid-packet, one not reading: virsh list took %.2f s, %d others answered\n",
	       n, t, n - 2);
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t p[HDR_LEN], junk[4096];
	const char *c;
	struct reply r;
	int s, ok;

	if (argc < 3) {
		fprintf(stderr, "usage: rawclient SOCKET CASE [ARGS]\n");
		return 2;
	}
	sock_path = argv[1];
	c = argv[2];
	s = connect_daemon();
	if (!strcmp(c, "oversize")) {
		memset(p, 0, sizeof(p));
		put32(p, (16u << 20) + 5);
		send_all(s, p, sizeof(p));
		ok = closed(s);
		printf(ok ? "closed\n" : "not closed\n");
	} else if (!strcmp(c, "undersize")) {
		memset(p, 0, sizeof(p));
		put32(p, 8);
		send_all(s, p, 8);
		ok = closed(s);
		printf(ok ? "closed\n" : "not closed\n");
	} else if (!strcmp(c, "truncated")) {
		pkt(p, PROC_AUTH_LIST, 1, PROG, VERS);
		send_all(s, p, 17);
		close(s);
		ok = 1;
		printf("sent half a packet and closed\n");
	} else if (!strcmp(c, "random")) {
		if (getrandom(junk, sizeof(junk), 0) != sizeof(junk))
			return perror("getrandom"), 1;
		send_all(s, junk, sizeof(junk));
		shutdown(s, SHUT_WR);
		for (;;) {
			ssize_t n = recv(s, junk, sizeof(junk), 0);

			if (n <= 0) {
				/* EOF or reset: done; a timeout: hung */
				ok = !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
				break;
			}
		}
		printf(ok ? "done\n" : "hung\n");
	} else if (!strcmp(c, "unknown-proc")) {
		pkt(p, 9999, 7, PROG, VERS);
		send_all(s, p, sizeof(p));
		ok = !reply(s, &r);
		ok ? print_reply(&r) : (void)printf("closed, no reply\n");
		ok = ok && r.serial == 7 && r.status == 1 && r.code == 3 &&
		     !strcmp(r.msg, "procedure 9999 is not supported by lamina");
	} else if (!strcmp(c, "wrong-program") || !strcmp(c, "wrong-version")) {
		if (!strcmp(c, "wrong-program"))
			pkt(p, PROC_AUTH_LIST, 1, 0x12345678, VERS);
		else
			pkt(p, PROC_AUTH_LIST, 1, PROG, 2);
		send_all(s, p, sizeof(p));
		ok = !reply(s, &r);
		ok ? print_reply(&r) : (void)printf("closed, no reply\n");
		ok = ok && r.status == 1 && r.code == 39;
	} else if (!strcmp(c, "clients") && argc == 5) {
		return clients(s, atoi(argv[3]), argv[4]);
	} else {
		printf("unknown case %s\n", c);
		ok = 0;
	}
	return ok ? 0 : 1;
}
