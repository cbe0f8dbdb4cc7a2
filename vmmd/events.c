// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "events.h"
#include "pit.h"
#include "serial.h"

#define FLUSH_MS 100

static int epfd = -1, stop_fd = -1, input_fd = -1;
static pthread_t thread;
static int started;
static uint8_t pending[256];
static size_t pending_len;

struct dev_fd {
	int fd;
	int how;		/* as events_watch_dev() last said */
	void (*fn)(void *ctx);
	void *ctx;
};
static struct dev_fd devs[EVENTS_DEV_FDS];
static unsigned int ndevs;
static pthread_mutex_t devs_lock = PTHREAD_MUTEX_INITIALIZER;

int events_add_dev(int fd, void (*fn)(void *ctx), void *ctx)
{
	if (ndevs == EVENTS_DEV_FDS || fd < 0)
		return -1;
	devs[ndevs++] = (struct dev_fd){ .fd = fd, .fn = fn, .ctx = ctx };
	return 0;
}

/* Tell epoll what @d wants; devs_lock held. */
static void dev_apply(struct dev_fd *d, int op)
{
	struct epoll_event ev = { .events = d->how > 0 ? EPOLLIN : 0,
				  .data.fd = d->fd };

	if (epfd < 0)
		return;
	/* Unwatched, an fd stays in the set with no events: only errors wake. */
	if (d->how < 0)
		epoll_ctl(epfd, EPOLL_CTL_DEL, d->fd, NULL);
	else
		epoll_ctl(epfd, op, d->fd, &ev);
}

void events_watch_dev(int fd, int how)
{
	unsigned int i;

	pthread_mutex_lock(&devs_lock);
	for (i = 0; i < ndevs; i++)
		if (devs[i].fd == fd && devs[i].how >= 0) {
			devs[i].how = how;
			dev_apply(&devs[i], EPOLL_CTL_MOD);
		}
	pthread_mutex_unlock(&devs_lock);
}

/*
 * An error or hang-up is reported whatever the events asked for (a tap
 * whose interface was deleted): such an fd is forgotten, or the thread
 * would spin on it.
 */
static void dev_ready(int fd, uint32_t events)
{
	unsigned int i;

	for (i = 0; i < ndevs; i++) {
		if (devs[i].fd != fd)
			continue;
		if (events & (EPOLLERR | EPOLLHUP)) {
			fprintf(stderr, "vmmd: device fd %d: error or hang-up; no longer watched\n", fd);
			events_watch_dev(fd, -1);
		} else {
			devs[i].fn(devs[i].ctx);
		}
	}
}

static void watch(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

/* stdin: bytes wait here until the UART's FIFO has room for them. */
static void read_input(void)
{
	ssize_t r;

	if (pending_len == 0) {
		r = read(input_fd, pending, sizeof(pending));
		if (r <= 0 && !(r < 0 && (errno == EINTR || errno == EAGAIN))) {
			/* EOF or error: the console has no more input. */
			epoll_ctl(epfd, EPOLL_CTL_DEL, input_fd, NULL);
			input_fd = -1;
			return;
		}
		pending_len = r > 0 ? (size_t)r : 0;
	}
	if (pending_len) {
		size_t n = serial_receive(pending, pending_len);

		memmove(pending, pending + n, pending_len - n);
		pending_len -= n;
	}
}

static void *event_thread(void *arg)
{
	struct epoll_event evs[4];
	int i, n, run = 1;

	(void)arg;
	while (run) {
		n = epoll_wait(epfd, evs, 4, FLUSH_MS);
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == stop_fd)
				run = 0;
			else if (fd == pit_timer_fd())
				pit_timer_fired();
			else if (fd == input_fd)
				read_input();
			else
				dev_ready(fd, evs[i].events);
		}
		/* A full FIFO made input wait: offer it again. */
		if (pending_len && input_fd >= 0)
			read_input();
		serial_flush();
	}
	return NULL;
}

int events_start(int in_fd)
{
	sigset_t all, old;
	unsigned int i;
	int r;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	stop_fd = eventfd(0, EFD_CLOEXEC);
	if (epfd < 0 || stop_fd < 0)
		return -1;
	watch(stop_fd);
	watch(pit_timer_fd());
	/* stdin may be a file or /dev/null, which epoll refuses: then no input. */
	input_fd = in_fd;
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = in_fd };

		if (epoll_ctl(epfd, EPOLL_CTL_ADD, in_fd, &ev))
			input_fd = -1;
	}
	pthread_mutex_lock(&devs_lock);
	for (i = 0; i < ndevs; i++)
		dev_apply(&devs[i], EPOLL_CTL_ADD);
	pthread_mutex_unlock(&devs_lock);
	/* No signal for this thread: main handles them, vCPUs get kicks. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&thread, NULL, event_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		fprintf(stderr, "vmmd: event thread: %s\n", strerror(r));
		return -1;
	}
	started = 1;
	return 0;
}

void events_stop(void)
{
	uint64_t one = 1;

	if (started) {
		if (write(stop_fd, &one, sizeof(one)) != sizeof(one))
			perror("vmmd: stopping the event thread");
		pthread_join(thread, NULL);
		started = 0;
	}
	pthread_mutex_lock(&devs_lock);
	if (epfd >= 0)
		close(epfd);
	ndevs = 0;
	if (stop_fd >= 0)
		close(stop_fd);
	epfd = stop_fd = -1;
	pthread_mutex_unlock(&devs_lock);
}
