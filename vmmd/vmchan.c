// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vmchan.h"

int vmchan_send(int fd, const struct vmmsg *m, const int *fds)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * VMMSG_FDS_MAX)];
	} ctl;
	uint8_t buf[VMMSG_MAX];
	struct iovec iov;
	struct msghdr mh;
	unsigned int nfds = vmmsg_nfds(m);
	size_t len;
	ssize_t r;

	len = vmmsg_encode(m, buf, sizeof(buf));
	if (!len) {
		errno = EINVAL;
		return -1;
	}
	iov.iov_base = buf;
	iov.iov_len = len;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfds) {
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		ctl.h.cmsg_level = SOL_SOCKET;
		ctl.h.cmsg_type = SCM_RIGHTS;
		ctl.h.cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(&ctl.h), fds, sizeof(int) * nfds);
	}
	do
		r = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	return r == (ssize_t)len ? 0 : -1;
}

/* Take the fds of @mh into @fds; how many, or -1 if more than fit. */
static int take_fds(struct msghdr *mh, int *fds)
{
	struct cmsghdr *c;
	int n = 0, i, k, *p;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		p = (int *)CMSG_DATA(c);
		for (i = 0; i < k; i++) {
			if (n < (int)VMMSG_FDS_MAX)
				fds[n] = p[i];
			else
				close(p[i]);
			n++;
		}
	}
	return n;
}

static void close_fds(int *fds, int n)
{
	int i;

	for (i = 0; i < n && i < (int)VMMSG_FDS_MAX; i++)
		close(fds[i]);
}

int vmchan_recv(int fd, enum vmmsg_dir dir, struct vmmsg *m, int *fds)
{
	union {
		struct cmsghdr h;
		/* room for more than allowed: the surplus is seen and closed */
		char buf[CMSG_SPACE(sizeof(int) * 8)];
	} ctl;
	uint8_t buf[VMMSG_MAX + 1];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh;
	ssize_t r;
	int n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	do
		r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 2;
	if (r < 0)
		return -1;
	n = take_fds(&mh, fds);
	if (r == 0 && n == 0)
		return 0;
	/* One record, one whole message, exactly the fds it should carry. */
	if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    vmmsg_decode(buf, (size_t)r, dir, m) != r ||
	    (unsigned int)n != vmmsg_nfds(m)) {
		close_fds(fds, n);
		return -1;
	}
	return 1;
}
